namespace HealthAssist.Api.CdsHooks.Authentication;

/// <summary>
/// The authenticated CDS client behind a CDS Hooks request: the trusted issuer, the client id from <c>sub</c>,
/// the token id (<c>jti</c>) for the audit trail, and the <c>tenant</c> (the calling organisation) when the client sends one.
/// </summary>
public sealed record CdsClientIdentity(string Issuer, string? Subject, string TokenId, string? Tenant);

/// <summary>
/// The outcome of validating a CDS Hooks bearer token: the client, or a short failure reason that names nothing from the
/// token beyond a trusted issuer (safe to log and to return in a 401 body).
/// </summary>
public sealed record CdsTokenValidation(CdsClientIdentity? Client, string? Failure)
{
    public bool IsValid => Client is not null;

    internal static CdsTokenValidation Accepted(CdsClientIdentity client) => new(client, null);

    internal static CdsTokenValidation Rejected(string failure) => new(null, failure);
}

/// <summary>The failure reasons; fixed phrases, safe to log and to return.</summary>
public static class CdsTokenFailures
{
    public const string MissingBearer = "authorization header is missing or is not a bearer token";
    public const string TooLarge = "token is too large";
    public const string Malformed = "token is not a well-formed signed JWT";
    public const string Encrypted = "encrypted tokens are not accepted";
    public const string Algorithm = "token algorithm is not accepted";
    public const string Critical = "token has critical header parameters that are not supported";
    public const string NoIssuer = "token has no issuer (iss)";
    public const string UntrustedIssuer = "token issuer is not trusted";
    public const string NoKeyId = "token has no key id (kid)";
    public const string JkuNotAllowed = "token jku is not on the allow-list for its issuer";
    public const string KeysUnavailable = "signing keys of the token issuer could not be retrieved";
    public const string UnknownKey = "token signing key is not known";
    public const string KeyMismatch = "token signing key does not fit its algorithm";
    public const string Signature = "token signature is not valid";
    public const string Audience = "token audience does not match this service";
    public const string NoExpiry = "token has no expiry (exp)";
    public const string Expired = "token has expired";
    public const string NoIssuedAt = "token has no issue time (iat)";
    public const string IssuedInFuture = "token was issued in the future";
    public const string NotYetValid = "token is not valid yet (nbf)";
    public const string Lifetime = "token lifetime exceeds the accepted maximum";
    public const string NoTokenId = "token has no id (jti)";
    public const string TokenIdTooLong = "token id (jti) is too long";
    public const string Replay = "token was already used (jti replay)";
}
