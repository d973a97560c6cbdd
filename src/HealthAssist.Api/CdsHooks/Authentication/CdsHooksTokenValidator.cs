using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HealthAssist.Api.CdsHooks.Authentication;

/// <summary>
/// Authenticates a CDS Hooks request from its <c>Authorization: Bearer</c> JWT, which the EHR (the CDS client) signs with
/// its own private key (CDS Hooks 2.0, "Trusting CDS Clients"). Checks, in order: a bearer token is present and is a
/// signed JWS; the algorithm is asymmetric (RS*, PS*, ES*; never <c>none</c> or HS*); the issuer is a configured client;
/// the key named by <c>kid</c> comes from that client's configured JWK Set, or from a <c>jku</c> on its allow-list (any
/// other <c>jku</c> is rejected unfetched); an unknown <c>kid</c> refetches the set once; the key fits the algorithm;
/// the signature verifies; <c>aud</c> is this service's URL; <c>exp</c> and <c>iat</c> are present and current within
/// the clock skew; the lifetime is within the maximum; <c>jti</c> is present and not seen before from this issuer.
/// </summary>
/// <remarks>
/// Register as a singleton: the replay cache must outlive a request. Failure reasons are fixed phrases; nothing from the
/// token is echoed except a rejected algorithm's standard name.
/// </remarks>
public sealed class CdsHooksTokenValidator
{
    /// <summary>Longer bearer values are rejected before parsing.</summary>
    public const int MaximumTokenLength = 16 * 1024;

    /// <summary>Longer <c>jti</c> values are rejected, which bounds the replay cache's memory.</summary>
    public const int MaximumTokenIdLength = 256;

    /// <summary>The smallest RSA modulus accepted.</summary>
    public const int MinimumRsaKeyBits = 2048;

    private static readonly FrozenSet<string> AcceptedAlgorithms = FrozenSet.ToFrozenSet(
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ], StringComparer.Ordinal);

    /// <summary>Rejected algorithms whose standard names may appear in a failure reason; anything else is not echoed.</summary>
    private static readonly FrozenSet<string> NamedRejectedAlgorithms = FrozenSet.ToFrozenSet(
        ["none", "HS256", "HS384", "HS512", "EdDSA", "ES256K"], StringComparer.Ordinal);

    private readonly CdsHooksAuthOptions _options;
    private readonly FrozenDictionary<string, CdsClientOptions> _clients;
    private readonly IJwksSource _jwks;
    private readonly TimeProvider _time;
    private readonly CdsTokenReplayCache _replays;
    private readonly ConcurrentDictionary<string, JsonWebKeySet> _inlineKeys = new(StringComparer.Ordinal);
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>A validator with its own replay cache; keep the instance for the life of the process.</summary>
    public CdsHooksTokenValidator(IOptions<CdsHooksAuthOptions> options, IJwksSource jwks, TimeProvider time)
        : this(options, jwks, time, new CdsTokenReplayCache(time ?? throw new ArgumentNullException(nameof(time))))
    {
    }

    /// <summary>A validator sharing <paramref name="replays"/> (the DI registration).</summary>
    [ActivatorUtilitiesConstructor]
    public CdsHooksTokenValidator(IOptions<CdsHooksAuthOptions> options, IJwksSource jwks, TimeProvider time, CdsTokenReplayCache replays)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(jwks);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(replays);
        _options = options.Value;
        _clients = _options.Clients
            .Where(c => c is not null && !string.IsNullOrEmpty(c.Issuer))
            .GroupBy(c => c.Issuer, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _jwks = jwks;
        _time = time;
        _replays = replays;
    }

    /// <summary>
    /// Validates the request's <c>Authorization</c> header for the CDS service at <paramref name="serviceUrl"/> (the exact
    /// URL the EHR called, e.g. <c>https://cds.example.org/cds-services/healthassist-patient-view</c>, which must be the
    /// token's <c>aud</c>). Never throws for a bad token; throws only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<CdsTokenValidation> ValidateAsync(string? authorizationHeader, string serviceUrl, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceUrl);

        if (!TryGetBearerToken(authorizationHeader, out var raw))
        {
            return Reject(CdsTokenFailures.MissingBearer);
        }

        if (raw.Length > MaximumTokenLength)
        {
            return Reject(CdsTokenFailures.TooLarge);
        }

        if (!TryRead(raw, out var token))
        {
            return Reject(CdsTokenFailures.Malformed);
        }

        if (token.IsEncrypted)
        {
            return Reject(CdsTokenFailures.Encrypted);
        }

        var algorithm = token.Alg ?? "";
        if (!AcceptedAlgorithms.Contains(algorithm))
        {
            // Only a standard name is echoed; an arbitrary alg value never reaches a log line or a response.
            return Reject(NamedRejectedAlgorithms.Contains(algorithm)
                ? $"algorithm {algorithm} is not accepted"
                : CdsTokenFailures.Algorithm);
        }

        if (token.TryGetHeaderValue<object>("crit", out _))
        {
            return Reject(CdsTokenFailures.Critical);
        }

        var issuer = token.Issuer;
        if (string.IsNullOrEmpty(issuer))
        {
            return Reject(CdsTokenFailures.NoIssuer);
        }

        if (!_clients.TryGetValue(issuer, out var client))
        {
            return Reject(CdsTokenFailures.UntrustedIssuer);
        }

        if (string.IsNullOrEmpty(token.Kid))
        {
            return Reject(CdsTokenFailures.NoKeyId);
        }

        var (key, keyFailure) = await ResolveKeyAsync(token, client, cancellationToken);
        if (key is null)
        {
            return Reject(keyFailure!);
        }

        if (!await SignatureIsValidAsync(token, key))
        {
            return Reject(CdsTokenFailures.Signature);
        }

        // Claims are trusted from here on: the issuer's key signed them.
        if (!token.Audiences.Contains(serviceUrl, StringComparer.Ordinal))
        {
            return Reject(CdsTokenFailures.Audience);
        }

        var now = _time.GetUtcNow();
        var skew = _options.ClockSkew;
        if (!TryGetTime(token, JwtRegisteredClaimNames.Exp, out var expires))
        {
            return Reject(CdsTokenFailures.NoExpiry);
        }

        if (now > expires + skew)
        {
            return Reject(CdsTokenFailures.Expired);
        }

        if (!TryGetTime(token, JwtRegisteredClaimNames.Iat, out var issuedAt))
        {
            return Reject(CdsTokenFailures.NoIssuedAt);
        }

        if (issuedAt > now + skew)
        {
            return Reject(CdsTokenFailures.IssuedInFuture);
        }

        if (TryGetTime(token, JwtRegisteredClaimNames.Nbf, out var notBefore) && notBefore > now + skew)
        {
            return Reject(CdsTokenFailures.NotYetValid);
        }

        if (expires - issuedAt > _options.MaximumLifetime + skew)
        {
            return Reject(CdsTokenFailures.Lifetime);
        }

        var tokenId = token.Id;
        if (string.IsNullOrEmpty(tokenId))
        {
            return Reject(CdsTokenFailures.NoTokenId);
        }

        if (tokenId.Length > MaximumTokenIdLength)
        {
            return Reject(CdsTokenFailures.TokenIdTooLong);
        }

        // Last, so only tokens that passed every other check consume their jti.
        if (!_replays.TryRecord(issuer, tokenId, expires + skew))
        {
            return Reject(CdsTokenFailures.Replay);
        }

        var subject = string.IsNullOrEmpty(token.Subject) ? null : token.Subject;
        var tenant = token.TryGetPayloadValue<string>("tenant", out var t) && !string.IsNullOrEmpty(t) ? t : null;
        return CdsTokenValidation.Accepted(new CdsClientIdentity(issuer, subject, tokenId, tenant));
    }

    private static CdsTokenValidation Reject(string failure) => CdsTokenValidation.Rejected(failure);

    private static bool TryGetBearerToken(string? header, out string token)
    {
        token = "";
        const string scheme = "Bearer ";
        if (header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        token = header[scheme.Length..].Trim();
        return token.Length > 0;
    }

    private bool TryRead(string raw, out JsonWebToken token)
    {
        token = null!;
        if (!_handler.CanReadToken(raw))
        {
            return false;
        }

        try
        {
            token = new JsonWebToken(raw);
            return true;
        }
        catch (ArgumentException)
        {
            // SecurityTokenMalformedException and friends: not base64url, not JSON, or a registered claim of the wrong type.
            return false;
        }
    }

    private async Task<(JsonWebKey? Key, string? Failure)> ResolveKeyAsync(JsonWebToken token, CdsClientOptions client, CancellationToken cancellationToken)
    {
        Uri? keysUrl;
        if (token.TryGetHeaderValue<object>("jku", out _))
        {
            // Only a URL configured for this issuer is ever fetched; the token cannot point us elsewhere.
            if (!token.TryGetHeaderValue<string>("jku", out var jku) || !JkuIsAllowed(client, jku))
            {
                return (null, CdsTokenFailures.JkuNotAllowed);
            }

            keysUrl = new Uri(jku, UriKind.Absolute);
        }
        else
        {
            keysUrl = null;
            if (!string.IsNullOrWhiteSpace(client.JwksUrl)
                && (!CdsHooksAuthOptions.IsAcceptableKeyUrl(client.JwksUrl) || !Uri.TryCreate(client.JwksUrl, UriKind.Absolute, out keysUrl)))
            {
                return (null, CdsTokenFailures.KeysUnavailable); // start-up validation reports the bad URL
            }
        }

        if (keysUrl is null)
        {
            if (!TryGetInlineKeys(client, out var inline))
            {
                return (null, CdsTokenFailures.KeysUnavailable);
            }

            return FindKey(inline, token);
        }

        try
        {
            var keys = await _jwks.GetAsync(keysUrl, refresh: false, cancellationToken);
            var found = FindKey(keys, token);
            if (found.Key is not null || found.Failure != CdsTokenFailures.UnknownKey)
            {
                return found;
            }

            // The client may have rotated its keys since the set was cached: refetch once.
            keys = await _jwks.GetAsync(keysUrl, refresh: true, cancellationToken);
            return FindKey(keys, token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && ex is HttpRequestException or ArgumentException or InvalidOperationException or OperationCanceledException
                or System.Text.Json.JsonException or IOException)
        {
            return (null, CdsTokenFailures.KeysUnavailable);
        }
    }

    private static bool JkuIsAllowed(CdsClientOptions client, string jku) =>
        CdsHooksAuthOptions.IsAcceptableKeyUrl(jku)
        && ((client.AllowedJku ?? []).Contains(jku, StringComparer.Ordinal) || string.Equals(client.JwksUrl, jku, StringComparison.Ordinal));

    private bool TryGetInlineKeys(CdsClientOptions client, out JsonWebKeySet keys)
    {
        if (_inlineKeys.TryGetValue(client.Issuer, out keys!))
        {
            return true;
        }

        if (string.IsNullOrWhiteSpace(client.Jwks))
        {
            return false;
        }

        try
        {
            keys = _inlineKeys.GetOrAdd(client.Issuer, new JsonWebKeySet(client.Jwks));
            return true;
        }
        catch (ArgumentException)
        {
            return false; // start-up validation reports this; here the token simply cannot be checked
        }
    }

    /// <summary>The key with the token's kid that fits the token's algorithm; symmetric keys never qualify.</summary>
    private static (JsonWebKey? Key, string? Failure) FindKey(JsonWebKeySet keys, JsonWebToken token)
    {
        var candidates = keys.Keys.Where(k => string.Equals(k.Kid, token.Kid, StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0)
        {
            return (null, CdsTokenFailures.UnknownKey);
        }

        var key = candidates.FirstOrDefault(k => KeyFits(k, token.Alg));
        return key is null ? (null, CdsTokenFailures.KeyMismatch) : (key, null);
    }

    private static bool KeyFits(JsonWebKey key, string algorithm)
    {
        if (!string.IsNullOrEmpty(key.Alg) && !string.Equals(key.Alg, algorithm, StringComparison.Ordinal))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(key.Use) && !string.Equals(key.Use, JsonWebKeyUseNames.Sig, StringComparison.Ordinal))
        {
            return false;
        }

        if (key.KeyOps.Count > 0 && !key.KeyOps.Contains("verify"))
        {
            return false;
        }

        return algorithm[..2] switch
        {
            "RS" or "PS" => key.Kty == JsonWebAlgorithmsKeyTypes.RSA && RsaModulusBits(key) >= MinimumRsaKeyBits,
            "ES" => key.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve && key.Crv == algorithm switch
            {
                SecurityAlgorithms.EcdsaSha256 => JsonWebKeyECTypes.P256,
                SecurityAlgorithms.EcdsaSha384 => JsonWebKeyECTypes.P384,
                _ => JsonWebKeyECTypes.P521,
            },
            _ => false,
        };
    }

    private static int RsaModulusBits(JsonWebKey key)
    {
        if (string.IsNullOrEmpty(key.N))
        {
            return 0;
        }

        try
        {
            var modulus = Base64UrlEncoder.DecodeBytes(key.N).AsSpan();
            var leadingZeros = modulus.IndexOfAnyExcept((byte)0);
            if (leadingZeros < 0)
            {
                return 0;
            }

            modulus = modulus[leadingZeros..];
            return ((modulus.Length - 1) * 8) + (8 - byte.LeadingZeroCount(modulus[0]));
        }
        catch (FormatException)
        {
            return 0;
        }
    }

    private async Task<bool> SignatureIsValidAsync(JsonWebToken token, JsonWebKey key)
    {
        // Only the signature is checked here (with exactly this key and algorithm); claims are checked above with TimeProvider.
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = key,
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = [token.Alg],
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = false,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidateTokenReplay = false,
            LogValidationExceptions = false,
        };
        var result = await _handler.ValidateTokenAsync(token, parameters);
        return result.IsValid;
    }

    private static bool TryGetTime(JsonWebToken token, string claim, out DateTimeOffset time)
    {
        time = default;
        if (!token.TryGetPayloadValue<long>(claim, out var seconds) || seconds < 0 || seconds > 253402300799)
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
