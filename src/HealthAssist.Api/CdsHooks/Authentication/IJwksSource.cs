using Microsoft.IdentityModel.Tokens;

namespace HealthAssist.Api.CdsHooks.Authentication;

/// <summary>Supplies a CDS client's JWK Set from a URL that the validator has already checked against configuration.</summary>
public interface IJwksSource
{
    /// <summary>
    /// Returns the key set at <paramref name="url"/>, from a cache when possible. <paramref name="refresh"/> asks for a fresh
    /// copy because a token named a key the cached set lacks (key rotation); an implementation may throttle such refreshes.
    /// Throws (e.g. <see cref="HttpRequestException"/>) when the set cannot be obtained.
    /// </summary>
    Task<JsonWebKeySet> GetAsync(Uri url, bool refresh, CancellationToken cancellationToken);
}
