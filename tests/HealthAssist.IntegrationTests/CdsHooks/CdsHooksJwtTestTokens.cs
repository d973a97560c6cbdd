using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HealthAssist.Api.CdsHooks.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HealthAssist.IntegrationTests.CdsHooks;

/// <summary>An EHR acting as CDS client: its issuer, the URLs it publishes keys at, and its key pairs (generated once).</summary>
internal static class TestEhr
{
    public const string Issuer = "https://ehr.example.org/fhir";
    public const string JwksUrl = "https://ehr.example.org/.well-known/jwks.json";
    public const string AlternateJku = "https://ehr.example.org/keys/cds-jwks.json";
    public const string ClientId = "healthassist-ehr-client";
    public const string Tenant = "2ddd6c3a-8e9a-44c6-a305-52111ad302a2";

    /// <summary>A second client, configured with inline keys.</summary>
    public const string DevIssuer = "https://dev-ehr.localhost";

    public const string ServiceUrl = "https://cds.example.org/cds-services/healthassist-patient-view";
    public const string OtherServiceUrl = "https://cds.example.org/cds-services/healthassist-order-select";

    public static readonly RSA Rsa = RSA.Create(2048);
    public static readonly RSA RotatedRsa = RSA.Create(2048);
    public static readonly RSA WeakRsa = RSA.Create(1024);
    public static readonly ECDsa P256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public static readonly ECDsa P384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    public static readonly ECDsa P521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);
    public static readonly ECDsa DevP384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    public static SecurityKey RsaKey => new RsaSecurityKey(Rsa) { KeyId = "rsa-1" };
    public static SecurityKey RotatedRsaKey => new RsaSecurityKey(RotatedRsa) { KeyId = "rsa-2" };
    public static SecurityKey WeakRsaKey => new RsaSecurityKey(WeakRsa) { KeyId = "rsa-weak" };
    public static SecurityKey P256Key => new ECDsaSecurityKey(P256) { KeyId = "ec-256" };
    public static SecurityKey P384Key => new ECDsaSecurityKey(P384) { KeyId = "ec-384" };
    public static SecurityKey P521Key => new ECDsaSecurityKey(P521) { KeyId = "ec-521" };
    public static SecurityKey DevKey => new ECDsaSecurityKey(DevP384) { KeyId = "dev-1" };

    /// <summary>The signing key for an algorithm: RSA for RS*/PS*, the matching curve for ES*.</summary>
    public static SecurityKey KeyFor(string algorithm) => algorithm switch
    {
        "ES256" => P256Key,
        "ES384" => P384Key,
        "ES512" => P521Key,
        _ => RsaKey,
    };

    /// <summary>The published set before rotation: every key above except the rotated one, plus a symmetric key.</summary>
    public static string Jwks() => JwkSet(
        Jwk(Rsa, "rsa-1"), Jwk(WeakRsa, "rsa-weak"), Jwk(P256, "ec-256"), Jwk(P384, "ec-384"), Jwk(P521, "ec-521"),
        new Dictionary<string, object> { ["kty"] = "oct", ["kid"] = "oct-1", ["k"] = Base64UrlEncoder.Encode(new byte[32]) });

    public static string RotatedJwks() => JwkSet(Jwk(Rsa, "rsa-1"), Jwk(RotatedRsa, "rsa-2"));

    public static string DevJwks() => JwkSet(Jwk(DevP384, "dev-1"));

    public static CdsHooksAuthOptions Options() => new()
    {
        Clients =
        [
            new CdsClientOptions { Issuer = Issuer, JwksUrl = JwksUrl, AllowedJku = [AlternateJku] },
            new CdsClientOptions { Issuer = DevIssuer, Jwks = DevJwks() },
        ],
    };

    public static Dictionary<string, object> Jwk(RSA rsa, string kid)
    {
        var p = rsa.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, object>
        {
            ["kty"] = "RSA", ["kid"] = kid, ["use"] = "sig",
            ["n"] = Base64UrlEncoder.Encode(p.Modulus!), ["e"] = Base64UrlEncoder.Encode(p.Exponent!),
        };
    }

    public static Dictionary<string, object> Jwk(ECDsa ec, string kid)
    {
        var p = ec.ExportParameters(includePrivateParameters: false);
        var crv = ec.KeySize switch { 256 => "P-256", 384 => "P-384", _ => "P-521" };
        return new Dictionary<string, object>
        {
            ["kty"] = "EC", ["kid"] = kid, ["use"] = "sig", ["crv"] = crv,
            ["x"] = Base64UrlEncoder.Encode(p.Q.X!), ["y"] = Base64UrlEncoder.Encode(p.Q.Y!),
        };
    }

    public static string JwkSet(params Dictionary<string, object>[] keys) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["keys"] = keys });
}

/// <summary>
/// Builds a CDS Hooks client token as CDS Hooks 2.0 describes it (iss, sub, aud, exp, iat, jti, tenant), valid at
/// <c>now</c> unless changed. Signed tokens go through <see cref="JsonWebTokenHandler"/>; forgeries are built by hand.
/// </summary>
internal sealed class TestToken
{
    private readonly Dictionary<string, object> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object> _header = new(StringComparer.Ordinal);

    private TestToken(DateTimeOffset now)
    {
        _claims["iss"] = TestEhr.Issuer;
        _claims["sub"] = TestEhr.ClientId;
        _claims["aud"] = TestEhr.ServiceUrl;
        _claims["iat"] = now.ToUnixTimeSeconds();
        _claims["exp"] = (now + TimeSpan.FromMinutes(5)).ToUnixTimeSeconds();
        _claims["jti"] = Guid.NewGuid().ToString();
        _claims["tenant"] = TestEhr.Tenant;
    }

    public static TestToken At(DateTimeOffset now) => new(now);

    public string TokenId => (string)_claims["jti"];

    public TestToken With(string claim, object value)
    {
        _claims[claim] = value is DateTimeOffset time ? time.ToUnixTimeSeconds() : value;
        return this;
    }

    public TestToken Without(string claim)
    {
        _claims.Remove(claim);
        return this;
    }

    public TestToken WithHeader(string name, object value)
    {
        _header[name] = value;
        return this;
    }

    /// <summary>Signed with <paramref name="key"/> (its KeyId becomes the kid) by the IdentityModel handler.</summary>
    public string Sign(SecurityKey key, string algorithm)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = _claims,
            AdditionalHeaderClaims = _header.Count == 0 ? null : _header,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    /// <summary>The usual signed token: RS384 with the EHR's RSA key.</summary>
    public string Sign() => Sign(TestEhr.RsaKey, SecurityAlgorithms.RsaSha384);

    /// <summary>An unsigned token (<c>alg</c> as given, empty signature), built by hand.</summary>
    public string Unsigned(string algorithm = "none", string kid = "rsa-1") => Encode(algorithm, kid) + ".";

    /// <summary>An HMAC-signed token built by hand, e.g. with the EHR's public key text as the secret.</summary>
    public string SignHmac(byte[] secret, string algorithm = "HS256", string kid = "rsa-1")
    {
        var signingInput = Encode(algorithm, kid);
        var data = Encoding.ASCII.GetBytes(signingInput);
        var mac = algorithm switch
        {
            "HS384" => HMACSHA384.HashData(secret, data),
            "HS512" => HMACSHA512.HashData(secret, data),
            _ => HMACSHA256.HashData(secret, data),
        };
        return signingInput + "." + Base64UrlEncoder.Encode(mac);
    }

    public static string Bearer(string token) => "Bearer " + token;

    private string Encode(string algorithm, string kid)
    {
        var header = new Dictionary<string, object>(_header, StringComparer.Ordinal) { ["alg"] = algorithm, ["typ"] = "JWT", ["kid"] = kid };
        return Base64UrlEncoder.Encode(JsonSerializer.Serialize(header)) + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(_claims));
    }
}

/// <summary>An <see cref="IJwksSource"/> that serves fixed sets and records every request.</summary>
internal sealed class FakeJwksSource : IJwksSource
{
    private readonly Dictionary<Uri, Queue<string>> _sets = [];

    public List<(Uri Url, bool Refresh)> Requests { get; } = [];

    public Exception? Failure { get; set; }

    /// <summary>Serves <paramref name="jwks"/> in turn at <paramref name="url"/>; the last one is served from then on.</summary>
    public FakeJwksSource Serve(string url, params string[] jwks)
    {
        _sets[new Uri(url)] = new Queue<string>(jwks);
        return this;
    }

    public Task<JsonWebKeySet> GetAsync(Uri url, bool refresh, CancellationToken cancellationToken)
    {
        Requests.Add((url, refresh));
        if (Failure is not null)
        {
            throw Failure;
        }

        if (!_sets.TryGetValue(url, out var queue))
        {
            throw new HttpRequestException("not found", null, System.Net.HttpStatusCode.NotFound);
        }

        var json = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
        return Task.FromResult(new JsonWebKeySet(json));
    }
}
