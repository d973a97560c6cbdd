using System.Security.Cryptography;
using HealthAssist.Record.Audit;

namespace HealthAssist.UnitTests.Record;

public sealed class AuditSigningKeyTests
{
    [Fact]
    public void PublicOnly_VerifiesWhatThePrivateKeySignedButCannotSign()
    {
        using var key = AuditSigningKey.Generate();
        using var verifier = key.PublicOnly();
        var data = "checkpoint"u8.ToArray();

        var signature = key.Sign(data);

        Assert.Equal(64, signature.Length);
        Assert.True(verifier.Verify(data, signature));
        Assert.False(verifier.Verify("checkpoinT"u8, signature));
        Assert.Equal(key.KeyId, verifier.KeyId);
        Assert.Throws<InvalidOperationException>(() => verifier.Sign(data));
    }

    [Fact]
    public void FromPem_RoundTripsThePrivateKey()
    {
        using var key = AuditSigningKey.Generate();

        using var loaded = AuditSigningKey.FromPem(key.ExportPrivateKeyPem());

        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(key.KeyId, loaded.KeyId);
    }

    [Fact]
    public void FromPem_RefusesCurvesOtherThanP256()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<CryptographicException>(() => AuditSigningKey.FromPem(p384.ExportPkcs8PrivateKeyPem()));
    }

    [Fact]
    public void FromPem_RefusesText()
    {
        Assert.Throws<CryptographicException>(() => AuditSigningKey.FromPem("not a key"));
    }
}
