using System.Text;
using HealthAssist.Api.CdsHooks.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace HealthAssist.IntegrationTests.CdsHooks;

/// <summary>
/// CDS Hooks 2.0 "Trusting CDS Clients": the EHR's bearer JWT is accepted only when every rule holds; each rule has its
/// own negative test. The JWK Set source is a fake that records what was asked for.
/// </summary>
public sealed class CdsHooksJwtValidatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeJwksSource _jwks = new FakeJwksSource()
        .Serve(TestEhr.JwksUrl, TestEhr.Jwks())
        .Serve(TestEhr.AlternateJku, TestEhr.Jwks());

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public async Task ValidToken_FromTrustedIssuer_IsAccepted()
    {
        var validator = Validator();
        var token = TestToken.At(Now);

        var result = await validator.ValidateAsync(TestToken.Bearer(token.Sign()), TestEhr.ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
        Assert.Null(result.Failure);
        Assert.Equal(new CdsClientIdentity(TestEhr.Issuer, TestEhr.ClientId, token.TokenId, TestEhr.Tenant), result.Client);
        Assert.Equal([(new Uri(TestEhr.JwksUrl), false)], _jwks.Requests);
    }

    [Fact]
    public async Task Es384Token_IsAccepted()
    {
        var result = await Validator().ValidateAsync(
            TestToken.Bearer(TestToken.At(Now).Sign(TestEhr.P384Key, SecurityAlgorithms.EcdsaSha384)), TestEhr.ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("PS384")]
    [InlineData("PS512")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    public async Task EveryAsymmetricAlgorithm_IsAccepted(string algorithm)
    {
        var result = await Validator().ValidateAsync(
            TestToken.Bearer(TestToken.At(Now).Sign(TestEhr.KeyFor(algorithm), algorithm)), TestEhr.ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
    }

    [Fact]
    public async Task TokenWithoutSubjectOrTenant_IsAccepted_WithNullsInTheIdentity()
    {
        var token = TestToken.At(Now).Without("sub").Without("tenant");

        var result = await Validator().ValidateAsync(TestToken.Bearer(token.Sign()), TestEhr.ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
        Assert.Null(result.Client!.Subject);
        Assert.Null(result.Client.Tenant);
    }

    [Theory]
    [InlineData("none", "algorithm none is not accepted")]
    [InlineData("None", CdsTokenFailures.Algorithm)]
    [InlineData("NONE", CdsTokenFailures.Algorithm)]
    [InlineData("", CdsTokenFailures.Algorithm)]
    public async Task AlgNone_IsRejected(string algorithm, string failure)
    {
        var result = await Validator().ValidateAsync(TestToken.Bearer(TestToken.At(Now).Unsigned(algorithm)), TestEhr.ServiceUrl, default);

        AssertRejected(result, failure);
        Assert.Empty(_jwks.Requests);
    }

    [Fact]
    public async Task AlgNone_WithTheSignatureOfAValidToken_IsRejected()
    {
        var valid = TestToken.At(Now).Sign().Split('.');
        var forged = TestToken.At(Now).Unsigned() + valid[2];

        var result = await Validator().ValidateAsync(TestToken.Bearer(forged), TestEhr.ServiceUrl, default);

        AssertRejected(result, "algorithm none is not accepted");
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public async Task Hs256SignedWithThePublicKey_IsRejected(string algorithm)
    {
        // The classic key-confusion attack: the public key, which anyone can fetch, used as an HMAC secret.
        var validator = Validator();
        var pem = Encoding.UTF8.GetBytes(TestEhr.Rsa.ExportSubjectPublicKeyInfoPem());
        var jwks = Encoding.UTF8.GetBytes(TestEhr.Jwks());

        var withPem = await validator.ValidateAsync(TestToken.Bearer(TestToken.At(Now).SignHmac(pem, algorithm)), TestEhr.ServiceUrl, default);
        var withJwks = await validator.ValidateAsync(TestToken.Bearer(TestToken.At(Now).SignHmac(jwks, algorithm)), TestEhr.ServiceUrl, default);

        AssertRejected(withPem, $"algorithm {algorithm} is not accepted");
        AssertRejected(withJwks, $"algorithm {algorithm} is not accepted");
        Assert.Empty(_jwks.Requests);
    }

    [Fact]
    public async Task Hs256WithTheKidOfASymmetricKeyInTheJwks_IsRejected()
    {
        var token = TestToken.At(Now).SignHmac(new byte[32], "HS256", kid: "oct-1");

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, "algorithm HS256 is not accepted");
    }

    [Fact]
    public async Task UntrustedIssuer_IsRejected()
    {
        var token = TestToken.At(Now).With("iss", "https://ehr.example.org.attacker.test/fhir").Sign();

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.UntrustedIssuer);
        Assert.Empty(_jwks.Requests);
    }

    [Theory]
    [InlineData("https://EHR.example.org/fhir")]
    [InlineData("https://ehr.example.org/fhir/")]
    [InlineData(" https://ehr.example.org/fhir")]
    public async Task IssuerThatOnlyResemblesATrustedOne_IsRejected(string issuer)
    {
        var result = await Validator().ValidateAsync(TestToken.Bearer(TestToken.At(Now).With("iss", issuer).Sign()), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.UntrustedIssuer);
    }

    [Fact]
    public async Task MissingIssuer_IsRejected()
    {
        var result = await Validator().ValidateAsync(TestToken.Bearer(TestToken.At(Now).Without("iss").Sign()), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.NoIssuer);
    }

    [Fact]
    public async Task TokenSignedByAnotherTrustedClientsKey_IsRejected()
    {
        // The dev client's key is trusted, but only for the dev issuer.
        var token = TestToken.At(Now).Sign(new ECDsaSecurityKey(TestEhr.DevP384) { KeyId = "ec-384" }, SecurityAlgorithms.EcdsaSha384);

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.Signature);
    }

    [Theory]
    [InlineData("https://attacker.test/jwks.json")]
    [InlineData("https://ehr.example.org/keys/cds-jwks.json?v=2")]
    [InlineData("https://ehr.example.org/keys/cds-jwks.json/")]
    [InlineData("http://ehr.example.org/keys/cds-jwks.json")]
    [InlineData("https://ehr.example.org:8443/keys/cds-jwks.json")]
    [InlineData("https://ehr.example.org/.well-known/../keys/cds-jwks.json")]
    [InlineData("file:///etc/passwd")]
    [InlineData("not a url")]
    public async Task JkuNotOnTheAllowList_IsRejectedWithoutFetching(string jku)
    {
        var token = TestToken.At(Now).WithHeader("jku", jku).Sign();

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.JkuNotAllowed);
        Assert.Empty(_jwks.Requests);
    }

    [Fact]
    public async Task JkuOfAnotherTrustedClient_IsRejectedWithoutFetching()
    {
        var options = TestEhr.Options();
        options.Clients.Add(new CdsClientOptions { Issuer = "https://other-ehr.example.net", JwksUrl = "https://other-ehr.example.net/jwks" });
        var token = TestToken.At(Now).WithHeader("jku", "https://other-ehr.example.net/jwks").Sign();

        var result = await Validator(options).ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.JkuNotAllowed);
        Assert.Empty(_jwks.Requests);
    }

    [Fact]
    public async Task JkuOnTheAllowList_IsWhereTheKeysAreFetched()
    {
        var token = TestToken.At(Now).WithHeader("jku", TestEhr.AlternateJku).Sign();

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
        Assert.Equal([(new Uri(TestEhr.AlternateJku), false)], _jwks.Requests);
    }

    [Fact]
    public async Task JkuEqualToTheConfiguredJwksUrl_IsAccepted()
    {
        var token = TestToken.At(Now).WithHeader("jku", TestEhr.JwksUrl).Sign();

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
    }

    [Fact]
    public async Task JkuForAClientWithInlineKeys_IsRejectedWithoutFetching()
    {
        var token = TestToken.At(Now).With("iss", TestEhr.DevIssuer).WithHeader("jku", TestEhr.JwksUrl)
            .Sign(TestEhr.DevKey, SecurityAlgorithms.EcdsaSha384);

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.JkuNotAllowed);
        Assert.Empty(_jwks.Requests);
    }

    [Fact]
    public async Task InlineJwks_IsUsedWithoutFetching()
    {
        var token = TestToken.At(Now).With("iss", TestEhr.DevIssuer).Sign(TestEhr.DevKey, SecurityAlgorithms.EcdsaSha384);

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
        Assert.Equal(TestEhr.DevIssuer, result.Client!.Issuer);
        Assert.Empty(_jwks.Requests);
    }

    [Fact]
    public async Task MissingKid_IsRejected()
    {
        var token = TestToken.At(Now).Sign(new RsaSecurityKey(TestEhr.Rsa), SecurityAlgorithms.RsaSha384);

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.NoKeyId);
        Assert.Empty(_jwks.Requests);
    }

    [Fact]
    public async Task UnknownKid_RefreshesOnceThenRejects()
    {
        var validator = Validator();
        var token = TestToken.At(Now).Sign(new RsaSecurityKey(TestEhr.Rsa) { KeyId = "rsa-unknown" }, SecurityAlgorithms.RsaSha384);

        var result = await validator.ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.UnknownKey);
        Assert.Equal([(new Uri(TestEhr.JwksUrl), false), (new Uri(TestEhr.JwksUrl), true)], _jwks.Requests);
    }

    [Fact]
    public async Task UnknownKid_InInlineJwks_IsRejectedWithoutFetching()
    {
        var token = TestToken.At(Now).With("iss", TestEhr.DevIssuer)
            .Sign(new ECDsaSecurityKey(TestEhr.DevP384) { KeyId = "dev-2" }, SecurityAlgorithms.EcdsaSha384);

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.UnknownKey);
        Assert.Empty(_jwks.Requests);
    }

    [Fact]
    public async Task RotatedKey_IsFoundAfterOneRefresh()
    {
        var jwks = new FakeJwksSource().Serve(TestEhr.JwksUrl, TestEhr.Jwks(), TestEhr.RotatedJwks());
        var validator = new CdsHooksTokenValidator(Microsoft.Extensions.Options.Options.Create(TestEhr.Options()), jwks, _time);
        var token = TestToken.At(Now).Sign(TestEhr.RotatedRsaKey, SecurityAlgorithms.RsaSha384);

        var result = await validator.ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
        Assert.Equal([(new Uri(TestEhr.JwksUrl), false), (new Uri(TestEhr.JwksUrl), true)], jwks.Requests);
    }

    [Fact]
    public async Task JwksThatCannotBeFetched_IsRejected()
    {
        _jwks.Failure = new HttpRequestException("connection refused");

        var result = await Validator().ValidateAsync(TestToken.Bearer(TestToken.At(Now).Sign()), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.KeysUnavailable);
    }

    [Fact]
    public async Task KeyOfAnotherType_IsRejected()
    {
        // ES384 header and an EC signature, but the kid names the RSA key.
        var token = TestToken.At(Now).Sign(new ECDsaSecurityKey(TestEhr.P384) { KeyId = "rsa-1" }, SecurityAlgorithms.EcdsaSha384);

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.KeyMismatch);
    }

    [Fact]
    public async Task KeyOnAnotherCurve_IsRejected()
    {
        // ES256 names the P-256 curve; the kid names the P-384 key.
        var token = TestToken.At(Now).Sign(new ECDsaSecurityKey(TestEhr.P256) { KeyId = "ec-384" }, SecurityAlgorithms.EcdsaSha256);

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.KeyMismatch);
    }

    [Fact]
    public async Task RsaKeyShorterThan2048Bits_IsRejected()
    {
        var token = TestToken.At(Now).Sign(TestEhr.WeakRsaKey, SecurityAlgorithms.RsaSha256);

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.KeyMismatch);
    }

    [Fact]
    public async Task KeyWhoseJwkNamesAnotherAlgorithm_IsRejected()
    {
        var key = TestEhr.Jwk(TestEhr.Rsa, "rsa-1");
        key["alg"] = "RS512";
        var jwks = new FakeJwksSource().Serve(TestEhr.JwksUrl, TestEhr.JwkSet(key));
        var validator = new CdsHooksTokenValidator(Microsoft.Extensions.Options.Options.Create(TestEhr.Options()), jwks, _time);

        var rs384 = await validator.ValidateAsync(TestToken.Bearer(TestToken.At(Now).Sign()), TestEhr.ServiceUrl, default);
        var rs512 = await validator.ValidateAsync(
            TestToken.Bearer(TestToken.At(Now).Sign(TestEhr.RsaKey, SecurityAlgorithms.RsaSha512)), TestEhr.ServiceUrl, default);

        AssertRejected(rs384, CdsTokenFailures.KeyMismatch);
        Assert.True(rs512.IsValid, rs512.Failure);
    }

    [Fact]
    public async Task AudienceOfAnotherService_IsRejected()
    {
        var token = TestToken.At(Now).With("aud", TestEhr.OtherServiceUrl).Sign();

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.Audience);
    }

    [Theory]
    [InlineData("https://cds.example.org/cds-services/healthassist-patient-view/")]
    [InlineData("https://cds.example.org/cds-services")]
    [InlineData("https://cds.example.org")]
    [InlineData("HTTPS://CDS.EXAMPLE.ORG/cds-services/healthassist-patient-view")]
    public async Task AudienceThatIsNotExactlyThisService_IsRejected(string audience)
    {
        var token = TestToken.At(Now).With("aud", audience).Sign();

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.Audience);
    }

    [Fact]
    public async Task MissingAudience_IsRejected()
    {
        var result = await Validator().ValidateAsync(TestToken.Bearer(TestToken.At(Now).Without("aud").Sign()), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.Audience);
    }

    [Fact]
    public async Task AudienceListThatIncludesThisService_IsAccepted()
    {
        var token = TestToken.At(Now).With("aud", new[] { TestEhr.OtherServiceUrl, TestEhr.ServiceUrl }).Sign();

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
    }

    [Fact]
    public async Task ExpiredToken_IsRejected()
    {
        var validator = Validator();
        var token = TestToken.At(Now).Sign();
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(61));

        var result = await validator.ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.Expired);
    }

    [Fact]
    public async Task ExpiredToken_WithinTheClockSkew_IsAccepted()
    {
        var validator = Validator();
        var token = TestToken.At(Now).Sign();
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(59));

        var result = await validator.ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
    }

    [Fact]
    public async Task ClockSkew_IsConfigurable()
    {
        var options = TestEhr.Options();
        options.ClockSkew = TimeSpan.Zero;
        var validator = Validator(options);
        var token = TestToken.At(Now).Sign();
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        var result = await validator.ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.Expired);
    }

    [Fact]
    public async Task MissingExp_IsRejected()
    {
        var result = await Validator().ValidateAsync(TestToken.Bearer(TestToken.At(Now).Without("exp").Sign()), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.NoExpiry);
    }

    [Fact]
    public async Task MissingIat_IsRejected()
    {
        var result = await Validator().ValidateAsync(TestToken.Bearer(TestToken.At(Now).Without("iat").Sign()), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.NoIssuedAt);
    }

    [Fact]
    public async Task TokenIssuedInTheFuture_IsRejected()
    {
        var token = TestToken.At(Now).With("iat", Now.AddMinutes(2)).With("exp", Now.AddMinutes(6)).Sign();

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.IssuedInFuture);
    }

    [Fact]
    public async Task TokenNotValidBeforeALaterTime_IsRejected()
    {
        var token = TestToken.At(Now).With("nbf", Now.AddMinutes(2)).Sign();

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.NotYetValid);
    }

    [Theory]
    [InlineData(361)]
    [InlineData(600)]
    [InlineData(86_400)]
    public async Task LifetimeOverFiveMinutes_IsRejected(int lifetimeSeconds)
    {
        // Five minutes plus the 60 s skew is the most accepted.
        var token = TestToken.At(Now).With("exp", Now.AddSeconds(lifetimeSeconds)).Sign();

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.Lifetime);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(300)]
    [InlineData(360)]
    public async Task LifetimeUpToFiveMinutesPlusSkew_IsAccepted(int lifetimeSeconds)
    {
        var token = TestToken.At(Now).With("exp", Now.AddSeconds(lifetimeSeconds)).Sign();

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
    }

    [Fact]
    public async Task MaximumLifetime_IsConfigurable()
    {
        var options = TestEhr.Options();
        options.MaximumLifetime = TimeSpan.FromMinutes(1);
        var token = TestToken.At(Now).With("exp", Now.AddMinutes(3)).Sign();

        var result = await Validator(options).ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.Lifetime);
    }

    [Fact]
    public async Task MissingJti_IsRejected()
    {
        var result = await Validator().ValidateAsync(TestToken.Bearer(TestToken.At(Now).Without("jti").Sign()), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.NoTokenId);
    }

    [Fact]
    public async Task OverlongJti_IsRejected()
    {
        var token = TestToken.At(Now).With("jti", new string('j', CdsHooksTokenValidator.MaximumTokenIdLength + 1)).Sign();

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.TokenIdTooLong);
    }

    [Fact]
    public async Task ReplayedJti_IsRejected_ButAnotherJtiIsAccepted()
    {
        var validator = Validator();
        var first = TestToken.At(Now).Sign();
        var sameJti = TestToken.At(Now);
        sameJti.With("jti", new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(first).Id);

        var accepted = await validator.ValidateAsync(TestToken.Bearer(first), TestEhr.ServiceUrl, default);
        var replayed = await validator.ValidateAsync(TestToken.Bearer(first), TestEhr.ServiceUrl, default);
        var reissued = await validator.ValidateAsync(TestToken.Bearer(sameJti.Sign()), TestEhr.ServiceUrl, default);
        var another = await validator.ValidateAsync(TestToken.Bearer(TestToken.At(Now).Sign()), TestEhr.ServiceUrl, default);

        Assert.True(accepted.IsValid, accepted.Failure);
        AssertRejected(replayed, CdsTokenFailures.Replay);
        AssertRejected(reissued, CdsTokenFailures.Replay);
        Assert.True(another.IsValid, another.Failure);
    }

    [Fact]
    public async Task ReplayedJti_IsRejected_AcrossValidatorsSharingTheCache()
    {
        var replays = new CdsTokenReplayCache(_time);
        var options = Microsoft.Extensions.Options.Options.Create(TestEhr.Options());
        var token = TestToken.At(Now).Sign();

        var first = await new CdsHooksTokenValidator(options, _jwks, _time, replays).ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);
        var second = await new CdsHooksTokenValidator(options, _jwks, _time, replays).ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        Assert.True(first.IsValid, first.Failure);
        AssertRejected(second, CdsTokenFailures.Replay);
    }

    [Fact]
    public async Task SameJtiFromAnotherIssuer_IsAccepted()
    {
        var validator = Validator();
        var jti = Guid.NewGuid().ToString();
        var fromEhr = TestToken.At(Now).With("jti", jti).Sign();
        var fromDev = TestToken.At(Now).With("jti", jti).With("iss", TestEhr.DevIssuer).Sign(TestEhr.DevKey, SecurityAlgorithms.EcdsaSha384);

        var first = await validator.ValidateAsync(TestToken.Bearer(fromEhr), TestEhr.ServiceUrl, default);
        var second = await validator.ValidateAsync(TestToken.Bearer(fromDev), TestEhr.ServiceUrl, default);

        Assert.True(first.IsValid, first.Failure);
        Assert.True(second.IsValid, second.Failure);
    }

    [Fact]
    public async Task RejectedToken_DoesNotUseUpItsJti()
    {
        // A forger who knows a jti cannot burn it: only fully valid tokens are recorded.
        var validator = Validator();
        var token = TestToken.At(Now);
        var forged = Tamper(token.Sign(), signature: true);

        var rejected = await validator.ValidateAsync(TestToken.Bearer(forged), TestEhr.ServiceUrl, default);
        var genuine = await validator.ValidateAsync(TestToken.Bearer(token.Sign()), TestEhr.ServiceUrl, default);

        AssertRejected(rejected, CdsTokenFailures.Signature);
        Assert.True(genuine.IsValid, genuine.Failure);
    }

    [Fact]
    public void ReplayCache_ForgetsIdsOnceTheyExpire_AndPrunesThem()
    {
        var cache = new CdsTokenReplayCache(_time);

        Assert.True(cache.TryRecord("iss", "a", Now.AddMinutes(1)));
        Assert.False(cache.TryRecord("iss", "a", Now.AddMinutes(1)));
        Assert.True(cache.TryRecord("iss", "b", Now.AddMinutes(10)));
        _time.Advance(TimeSpan.FromMinutes(2));
        cache.Prune();

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryRecord("iss", "a", Now.AddMinutes(1)));
        Assert.False(cache.TryRecord("iss", "b", Now.AddMinutes(1)));
    }

    [Fact]
    public void ReplayCache_PrunesExpiredIdsAsTokensArrive()
    {
        var cache = new CdsTokenReplayCache(_time);
        for (var i = 0; i < 100; i++)
        {
            cache.TryRecord("iss", $"old-{i}", Now.AddSeconds(10));
        }

        _time.Advance(CdsTokenReplayCache.PruneInterval + TimeSpan.FromSeconds(1));
        cache.TryRecord("iss", "new", Now.AddMinutes(5));

        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void ReplayCache_UnderConcurrentUse_AcceptsEachIdOnce()
    {
        var cache = new CdsTokenReplayCache(_time);
        var accepted = 0;

        Parallel.For(0, 8_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (cache.TryRecord("iss", $"jti-{i % 1_000}", Now.AddMinutes(5)))
            {
                Interlocked.Increment(ref accepted);
            }
        });

        Assert.Equal(1_000, accepted);
    }

    [Fact]
    public async Task TamperedSignature_IsRejected()
    {
        var token = Tamper(TestToken.At(Now).Sign(), signature: true);

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.Signature);
    }

    [Fact]
    public async Task TamperedPayload_IsRejected()
    {
        var token = Tamper(TestToken.At(Now).Sign(), signature: false);

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.Signature);
    }

    [Fact]
    public async Task TokenSignedWithAnotherPrivateKey_IsRejected()
    {
        using var attacker = System.Security.Cryptography.RSA.Create(2048);
        var token = TestToken.At(Now).Sign(new RsaSecurityKey(attacker) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha384);

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.Signature);
    }

    [Fact]
    public async Task CriticalHeader_IsRejected()
    {
        var token = TestToken.At(Now).WithHeader("crit", new[] { "exp" }).Sign();

        var result = await Validator().ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.Critical);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer    ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("eyJhbGciOiJSUzM4NCJ9.e30.c2ln")]
    public async Task MissingAuthorizationHeader_IsRejected(string? header)
    {
        var result = await Validator().ValidateAsync(header, TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.MissingBearer);
    }

    [Fact]
    public async Task LowercaseBearerScheme_IsAccepted()
    {
        var result = await Validator().ValidateAsync("bearer " + TestToken.At(Now).Sign(), TestEhr.ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
    }

    [Theory]
    [InlineData("Bearer abc")]
    [InlineData("Bearer a.b.c")]
    [InlineData("Bearer ..")]
    [InlineData("Bearer eyJhbGciOiJSUzM4NCJ9.bm90IGpzb24.c2ln")]
    [InlineData("Bearer eyJhbGciOiJSUzM4NCJ9.eyJpc3MiOjV9.c2ln")]
    public async Task MalformedToken_IsRejected(string header)
    {
        var result = await Validator().ValidateAsync(header, TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.Malformed);
    }

    [Fact]
    public async Task OversizedToken_IsRejectedBeforeParsing()
    {
        var header = "Bearer " + new string('a', CdsHooksTokenValidator.MaximumTokenLength + 1);

        var result = await Validator().ValidateAsync(header, TestEhr.ServiceUrl, default);

        AssertRejected(result, CdsTokenFailures.TooLarge);
    }

    [Fact]
    public async Task FailureReasons_NeverEchoTheToken()
    {
        const string Marker = "MARKER7f3a";
        var validator = Validator();
        TestToken Marked() => TestToken.At(Now).With("sub", Marker + "-sub").With("jti", Marker + "-jti").With("tenant", Marker + "-tenant");
        var replayed = Marked().Sign();
        await validator.ValidateAsync(TestToken.Bearer(replayed), TestEhr.ServiceUrl, default);
        var bad = new List<string>
        {
            Marked().With("iss", "https://" + Marker + ".test").Sign(),
            Marked().Unsigned(),
            Marked().Unsigned(algorithm: Marker),
            Marked().SignHmac(Encoding.UTF8.GetBytes(TestEhr.Rsa.ExportSubjectPublicKeyInfoPem())),
            Marked().WithHeader("jku", "https://" + Marker + ".test/jwks").Sign(),
            Marked().Sign(new RsaSecurityKey(TestEhr.Rsa) { KeyId = Marker + "-kid" }, SecurityAlgorithms.RsaSha384),
            Marked().With("aud", "https://" + Marker + ".test/cds-services/x").Sign(),
            Marked().With("exp", Now.AddHours(-1)).With("iat", Now.AddHours(-1).AddMinutes(-5)).Sign(),
            Marked().With("exp", Now.AddHours(1)).Sign(),
            Marked().Without("jti").Sign(),
            Tamper(Marked().Sign(), signature: true),
            replayed,
        };

        foreach (var token in bad)
        {
            var result = await validator.ValidateAsync(TestToken.Bearer(token), TestEhr.ServiceUrl, default);

            Assert.False(result.IsValid);
            Assert.False(string.IsNullOrWhiteSpace(result.Failure));
            Assert.DoesNotContain(Marker, result.Failure, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(TestEhr.ClientId, result.Failure, StringComparison.Ordinal);
            Assert.DoesNotContain(TestEhr.ServiceUrl, result.Failure, StringComparison.Ordinal);
            foreach (var segment in token.Split('.').Where(s => s.Length >= 8))
            {
                Assert.DoesNotContain(segment, result.Failure, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task ServiceUrl_IsRequired()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Validator().ValidateAsync(TestToken.Bearer(TestToken.At(Now).Sign()), " ", default));
    }

    [Fact]
    public void OptionsValidation_RejectsAClientWithNeitherJwksUrlNorJwks()
    {
        var options = TestEhr.Options();
        options.Clients.Add(new CdsClientOptions { Issuer = "https://keyless-ehr.example.net" });

        var problems = options.Validate();

        var problem = Assert.Single(problems);
        Assert.Contains("CdsHooks:Clients:2", problem, StringComparison.Ordinal);
        Assert.Contains("JwksUrl", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsValidation_AcceptsTheTestConfiguration()
    {
        Assert.Empty(TestEhr.Options().Validate());
        Assert.Empty(new CdsHooksAuthOptions().Validate());
    }

    [Theory]
    [InlineData("http://ehr.example.org/jwks.json", false)]
    [InlineData("ftp://ehr.example.org/jwks.json", false)]
    [InlineData("/jwks.json", false)]
    [InlineData("https://user:secret@ehr.example.org/jwks.json", false)]
    [InlineData("https://ehr.example.org/jwks.json", true)]
    [InlineData("http://localhost:5080/jwks.json", true)]
    [InlineData("http://127.0.0.1:5080/jwks.json", true)]
    [InlineData("http://[::1]:5080/jwks.json", true)]
    public void OptionsValidation_RequiresHttpsKeyUrlsExceptForLoopback(string url, bool valid)
    {
        var jwksUrl = new CdsHooksAuthOptions { Clients = [new CdsClientOptions { Issuer = "https://ehr", JwksUrl = url }] };
        var jku = new CdsHooksAuthOptions { Clients = [new CdsClientOptions { Issuer = "https://ehr", JwksUrl = "https://ehr/jwks", AllowedJku = [url] }] };

        Assert.Equal(valid, jwksUrl.Validate().Count == 0);
        Assert.Equal(valid, jku.Validate().Count == 0);
    }

    [Fact]
    public void OptionsValidation_RejectsOtherMistakes()
    {
        var privateJwk = TestEhr.Jwk(TestEhr.Rsa, "rsa-1");
        privateJwk["d"] = Base64UrlEncoder.Encode(TestEhr.Rsa.ExportParameters(true).D!);
        var options = new CdsHooksAuthOptions
        {
            ClockSkew = TimeSpan.FromMinutes(-1),
            MaximumLifetime = TimeSpan.Zero,
            Clients =
            [
                new CdsClientOptions { Issuer = "", JwksUrl = "https://ehr/jwks" },
                new CdsClientOptions { Issuer = "https://a", JwksUrl = "https://a/jwks", Jwks = TestEhr.DevJwks() },
                new CdsClientOptions { Issuer = "https://b", Jwks = "{not json" },
                new CdsClientOptions { Issuer = "https://c", Jwks = TestEhr.JwkSet(privateJwk) },
                new CdsClientOptions { Issuer = "https://d", Jwks = """{"keys":[{"kty":"oct","kid":"s","k":"AAAA"}]}""" },
                new CdsClientOptions { Issuer = "https://d", JwksUrl = "https://d/jwks" },
            ],
        };

        var problems = options.Validate();

        Assert.Equal(8, problems.Count);
        Assert.Contains(problems, p => p.Contains("ClockSkew", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("MaximumLifetime", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Clients:0:Issuer is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Clients:1 needs exactly one", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Clients:2:Jwks is not a valid JWK Set", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Clients:3:Jwks contains private key material", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Clients:4:Jwks may contain only RSA or EC", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("more than once", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddCdsHooksAuthentication_BindsTheClientsFromConfiguration()
    {
        await using var app = BuildApp(new Dictionary<string, string?>
        {
            ["CdsHooks:ClockSkew"] = "00:00:30",
            ["CdsHooks:Clients:0:Issuer"] = TestEhr.Issuer,
            ["CdsHooks:Clients:0:JwksUrl"] = TestEhr.JwksUrl,
            ["CdsHooks:Clients:0:AllowedJku:0"] = TestEhr.AlternateJku,
            ["CdsHooks:Clients:1:Issuer"] = TestEhr.DevIssuer,
            ["CdsHooks:Clients:1:Jwks"] = TestEhr.DevJwks(),
        });

        var options = app.Services.GetRequiredService<IOptions<CdsHooksAuthOptions>>().Value;
        var validator = app.Services.GetRequiredService<CdsHooksTokenValidator>();

        Assert.Equal(TimeSpan.FromSeconds(30), options.ClockSkew);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MaximumLifetime);
        Assert.Equal([TestEhr.Issuer, TestEhr.DevIssuer], options.Clients.Select(c => c.Issuer));
        Assert.Equal([TestEhr.AlternateJku], options.Clients[0].AllowedJku);
        Assert.IsType<HttpJwksSource>(app.Services.GetRequiredService<IJwksSource>());
        Assert.Same(validator, app.Services.GetRequiredService<CdsHooksTokenValidator>());
    }

    [Fact]
    public async Task AddCdsHooksAuthentication_RefusesToStartWithAClientWithoutKeys()
    {
        await using var app = BuildApp(new Dictionary<string, string?> { ["CdsHooks:Clients:0:Issuer"] = TestEhr.Issuer });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("CdsHooks:Clients:0 needs exactly one of JwksUrl", error.Message, StringComparison.Ordinal);
    }

    private CdsHooksTokenValidator Validator(CdsHooksAuthOptions? options = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options ?? TestEhr.Options()), _jwks, _time);

    private static void AssertRejected(CdsTokenValidation result, string failure)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Client);
        Assert.Equal(failure, result.Failure);
    }

    /// <summary>Flips a character in the middle of the signature, or changes the payload and keeps the signature.</summary>
    private static string Tamper(string token, bool signature)
    {
        var parts = token.Split('.');
        if (signature)
        {
            var chars = parts[2].ToCharArray();
            var middle = chars.Length / 2;
            chars[middle] = chars[middle] == 'A' ? 'B' : 'A';
            parts[2] = new string(chars);
        }
        else
        {
            var payload = Base64UrlEncoder.Decode(parts[1]).Replace(TestEhr.ClientId, "healthassist-admin-client", StringComparison.Ordinal);
            parts[1] = Base64UrlEncoder.Encode(payload);
        }

        return string.Join('.', parts);
    }

    private static WebApplication BuildApp(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.Sources.Clear(); // only these settings, whatever appsettings.json holds
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCdsHooksAuthentication();
        return builder.Build();
    }
}
