using System.Net;
using Microsoft.IdentityModel.Tokens;

namespace HealthAssist.Api.CdsHooks.Authentication;

/// <summary>
/// One trusted CDS client (an EHR) from <c>CdsHooks:Clients</c>: its issuer and where its public signing keys come from
/// (CDS Hooks 2.0, "Trusting CDS Clients").
/// </summary>
public sealed class CdsClientOptions
{
    /// <summary>The <c>iss</c> the client puts in its tokens, compared exactly (ordinal).</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The client's JWK Set URL (https; http only for loopback). Set this or <see cref="Jwks"/>.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>The client's JWK Set as inline JSON (public keys only), for clients registered by key, tests and development.</summary>
    public string? Jwks { get; set; }

    /// <summary>
    /// URLs a token's <c>jku</c> header may name, compared exactly. <see cref="JwksUrl"/> is implicitly allowed.
    /// A <c>jku</c> that is not listed is rejected and never fetched.
    /// </summary>
    public List<string> AllowedJku { get; set; } = [];
}

/// <summary>Settings for authenticating CDS Hooks requests (section <c>CdsHooks</c>).</summary>
public sealed class CdsHooksAuthOptions
{
    public const string Section = "CdsHooks";

    /// <summary>The CDS clients whose tokens are trusted; an empty list trusts none.</summary>
    public List<CdsClientOptions> Clients { get; set; } = [];

    /// <summary>Tolerance for clock differences when checking <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest accepted token lifetime (<c>exp</c> − <c>iat</c>); CDS Hooks says at most five minutes.
    /// <see cref="ClockSkew"/> is added as tolerance.
    /// </summary>
    public TimeSpan MaximumLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Problems that must stop start-up; empty when the settings are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(5))
        {
            problems.Add($"{Section}:ClockSkew must be between 00:00:00 and 00:05:00.");
        }

        if (MaximumLifetime <= TimeSpan.Zero || MaximumLifetime > TimeSpan.FromHours(1))
        {
            problems.Add($"{Section}:MaximumLifetime must be greater than zero and at most 01:00:00 (CDS Hooks recommends 00:05:00).");
        }

        var issuers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Clients.Count; i++)
        {
            var client = Clients[i];
            var path = $"{Section}:Clients:{i}";
            if (client is null)
            {
                problems.Add($"{path} is empty.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(client.Issuer))
            {
                problems.Add($"{path}:Issuer is required.");
            }
            else if (!issuers.Add(client.Issuer))
            {
                problems.Add($"{path}:Issuer '{client.Issuer}' is configured more than once.");
            }

            var hasUrl = !string.IsNullOrWhiteSpace(client.JwksUrl);
            var hasInline = !string.IsNullOrWhiteSpace(client.Jwks);
            if (hasUrl == hasInline)
            {
                problems.Add($"{path} needs exactly one of JwksUrl (the client's JWK Set URL) or Jwks (inline JWK Set JSON).");
            }

            if (hasUrl && !IsAcceptableKeyUrl(client.JwksUrl!))
            {
                problems.Add($"{path}:JwksUrl must be an absolute https URL (http only for loopback).");
            }

            if (hasInline && InlineJwksProblem(client.Jwks!) is { } inlineProblem)
            {
                problems.Add($"{path}:Jwks {inlineProblem}");
            }

            for (var j = 0; j < (client.AllowedJku?.Count ?? 0); j++)
            {
                if (!IsAcceptableKeyUrl(client.AllowedJku![j]))
                {
                    problems.Add($"{path}:AllowedJku:{j} must be an absolute https URL (http only for loopback).");
                }
            }
        }

        return problems;
    }

    /// <summary>An absolute https URL, or http to a loopback host (local development and tests).</summary>
    internal static bool IsAcceptableKeyUrl(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return false;
        }

        return uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri));
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    private static string? InlineJwksProblem(string json)
    {
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json);
        }
        catch (ArgumentException)
        {
            return "is not a valid JWK Set (expected {\"keys\":[...]}).";
        }

        if (set.Keys.Count == 0)
        {
            return "contains no keys.";
        }

        foreach (var key in set.Keys)
        {
            if (key.Kty is not (JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve))
            {
                return "may contain only RSA or EC public keys.";
            }

            if (key.HasPrivateKey || !string.IsNullOrEmpty(key.D))
            {
                return "contains private key material; configure the client's public keys only.";
            }

            if (string.IsNullOrEmpty(key.Kid))
            {
                return "has a key without a kid; tokens name their key by kid.";
            }
        }

        return null;
    }
}
