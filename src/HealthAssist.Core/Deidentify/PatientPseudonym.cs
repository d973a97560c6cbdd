using System.Text;
using HealthAssist.Security;

namespace HealthAssist.Deidentify;

/// <summary>
/// A patient's stable pseudonym: <c>psn-</c> followed by 32 lowercase base32 characters of an HMAC of the
/// source system and patient id under the deployment secret. It can be derived only with the secret, so a
/// value of this type never carries the real identifier.
/// </summary>
public readonly record struct PatientPseudonym
{
    public const string Prefix = "psn-";
    private const int EncodedLength = 32;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    private PatientPseudonym(string value) => Value = value;

    public string Value { get; }

    public static PatientPseudonym Derive(DeploymentSecret secret, string sourceSystem, string patientId)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var mac = secret.Derive("patient-pseudonym", Encoding.UTF8.GetBytes(sourceSystem + "\u001f" + patientId));
        return new PatientPseudonym(Prefix + Base32(mac.AsSpan(0, 20)));
    }

    /// <summary>Accepts only the pseudonym format, so a raw MRN cannot be smuggled in as a pseudonym.</summary>
    public static bool TryParse(string? text, out PatientPseudonym pseudonym)
    {
        pseudonym = default;
        if (text is null || text.Length != Prefix.Length + EncodedLength || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in text.AsSpan(Prefix.Length))
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        pseudonym = new PatientPseudonym(text);
        return true;
    }

    public override string ToString() => Value ?? string.Empty;

    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(EncodedLength);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        return sb.ToString();
    }
}
