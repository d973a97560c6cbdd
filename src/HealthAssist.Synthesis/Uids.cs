using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace HealthAssist.Synthesis;

/// <summary>Deterministic identifiers derived from the cohort seed: DICOM UIDs under 2.25 and urn:uuid values.</summary>
internal static class Uids
{
    /// <summary>A 2.25 UID (PS3.5 B.2) from a 128-bit hash of the parts.</summary>
    public static string Dicom(params object[] parts) => "2.25." + new BigInteger(Hash(parts), isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static Guid Guid(params object[] parts)
    {
        var bytes = Hash(parts);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // version 4 layout (random-looking), variant RFC 4122
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public static string Urn(params object[] parts) => "urn:uuid:" + Guid(parts).ToString("D");

    private static byte[] Hash(object[] parts) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', parts.Select(p => Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture)))))[..16];
}
