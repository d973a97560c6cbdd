using System.Security.Cryptography;

namespace HealthAssist.Record.Audit;

/// <summary>
/// ECDSA P-256 key that signs audit checkpoints. Uses the platform's ECDSA (no extra dependency); signatures are
/// IEEE P1363 (r ‖ s, 64 bytes) as in JWS ES256, so any JOSE library can check them offline.
/// </summary>
public sealed class AuditSigningKey : IDisposable
{
    private readonly ECDsa _key;

    private AuditSigningKey(ECDsa key, bool hasPrivateKey)
    {
        _key = key;
        HasPrivateKey = hasPrivateKey;
        KeyId = ComputeKeyId(key);
    }

    /// <summary>First 16 hex digits of SHA-256 over the SubjectPublicKeyInfo.</summary>
    public string KeyId { get; }

    public bool HasPrivateKey { get; }

    public static AuditSigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), hasPrivateKey: true);

    /// <summary>Loads a PKCS#8 private key or a SubjectPublicKeyInfo public key from PEM text.</summary>
    public static AuditSigningKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new CryptographicException("The audit signing key is not a valid EC key in PEM form.", ex);
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new CryptographicException($"The audit signing key must be P-256, not a {key.KeySize}-bit curve.");
        }

        var hasPrivate = pem.Contains("PRIVATE KEY", StringComparison.Ordinal);
        return new AuditSigningKey(key, hasPrivate);
    }

    public string ExportPrivateKeyPem() => _key.ExportPkcs8PrivateKeyPem();

    public string ExportPublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>A verification-only copy, for verifiers that must not hold the private key.</summary>
    public AuditSigningKey PublicOnly() => FromPem(ExportPublicKeyPem());

    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        if (!HasPrivateKey)
        {
            throw new InvalidOperationException("This audit key holds only the public half and cannot sign.");
        }

        return _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => _key.Dispose();

    private static string ComputeKeyId(ECDsa key) =>
        Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
}
