using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HealthAssist.Security;

namespace HealthAssist.Deidentify.Reidentification;

/// <summary>Who a pseudonym really is, as the EHR knows the patient: needed only to write results back.</summary>
/// <param name="SourceSystem">The identifier system (e.g. the hospital's MRN namespace) the keys were derived from.</param>
/// <param name="PatientId">The identifier value (MRN) in that system.</param>
/// <param name="FhirReference">The patient's resource in the source EHR, e.g. <c>Patient/123</c>, when known.</param>
public sealed record PatientIdentity(string SourceSystem, string PatientId, string? FhirReference)
{
    /// <summary>Never prints the identifier: identities end up in exception messages and logs by accident.</summary>
    public override string ToString() => "PatientIdentity(redacted)";
}

/// <summary>
/// Seals re-identification entries with AES-256-GCM under a key derived from the deployment secret for this purpose
/// only. The pseudonym is the associated data, so a sealed identity copied onto another pseudonym's row does not open.
/// Layout: version byte 1, 12-byte random nonce, 16-byte tag, ciphertext of the identity as UTF-8 JSON.
/// </summary>
public sealed class ReidentificationCipher
{
    private const byte Version = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private readonly byte[] _key;

    public ReidentificationCipher(DeploymentSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _key = secret.Derive("reidentification-map-aes-gcm", []);
    }

    public byte[] Seal(PatientPseudonym pseudonym, PatientIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var plain = JsonSerializer.SerializeToUtf8Bytes(identity);
        var sealedBytes = new byte[1 + NonceLength + TagLength + plain.Length];
        sealedBytes[0] = Version;
        var nonce = sealedBytes.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagLength);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(1 + NonceLength + TagLength), sealedBytes.AsSpan(1 + NonceLength, TagLength), Associated(pseudonym));
        CryptographicOperations.ZeroMemory(plain);
        return sealedBytes;
    }

    /// <exception cref="CryptographicException">The entry was altered, belongs to another pseudonym or another deployment.</exception>
    public PatientIdentity Open(PatientPseudonym pseudonym, byte[] sealedBytes)
    {
        ArgumentNullException.ThrowIfNull(sealedBytes);
        if (sealedBytes.Length < 1 + NonceLength + TagLength || sealedBytes[0] != Version)
        {
            throw new CryptographicException("Re-identification entry has an unknown format.");
        }

        var plain = new byte[sealedBytes.Length - 1 - NonceLength - TagLength];
        using var aes = new AesGcm(_key, TagLength);
        aes.Decrypt(sealedBytes.AsSpan(1, NonceLength), sealedBytes.AsSpan(1 + NonceLength + TagLength), sealedBytes.AsSpan(1 + NonceLength, TagLength), plain, Associated(pseudonym));
        try
        {
            return JsonSerializer.Deserialize<PatientIdentity>(plain) ?? throw new CryptographicException("Re-identification entry is empty.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static byte[] Associated(PatientPseudonym pseudonym) => Encoding.ASCII.GetBytes(pseudonym.Value ?? throw new ArgumentException("pseudonym is empty", nameof(pseudonym)));
}
