using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using HealthAssist.Security;

namespace HealthAssist.Deidentify;

/// <summary>
/// Everything de-identification derives for one patient from the deployment secret, identical in every modality:
/// the pseudonym, a non-zero date offset in ±365 days (so intervals survive exactly), and UID remapping. Same secret and
/// patient → same keys; another secret → unrelated keys.
/// </summary>
public sealed class PatientKeys
{
    public const int MaximumOffsetDays = 365;

    private readonly DeploymentSecret _secret;

    private PatientKeys(DeploymentSecret secret, PatientPseudonym pseudonym, int dateOffsetDays)
    {
        _secret = secret;
        Pseudonym = pseudonym;
        DateOffsetDays = dateOffsetDays;
    }

    public PatientPseudonym Pseudonym { get; }

    /// <summary>Days added to every date of this patient; never 0.</summary>
    public int DateOffsetDays { get; }

    /// <param name="secret">The deployment secret.</param>
    /// <param name="sourceSystem">The issuer of the patient identifier (e.g. the MRN system URI).</param>
    /// <param name="patientId">The identifier in that system.</param>
    public static PatientKeys Derive(DeploymentSecret secret, string sourceSystem, string patientId)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var pseudonym = PatientPseudonym.Derive(secret, sourceSystem, patientId);
        var mac = secret.Derive("date-offset", Encoding.UTF8.GetBytes(sourceSystem + "\u001f" + patientId));
        var magnitude = (int)(BinaryPrimitives.ReadUInt32BigEndian(mac) % MaximumOffsetDays) + 1; // 1..365
        var offset = (mac[4] & 1) == 0 ? magnitude : -magnitude;
        return new PatientKeys(secret, pseudonym, offset);
    }

    public DateOnly Shift(DateOnly date) => date.AddDays(DateOffsetDays);

    public DateTimeOffset Shift(DateTimeOffset time) => time.AddDays(DateOffsetDays);

    /// <summary>
    /// The replacement of a UID: <c>2.25.</c> and the decimal of 128 bits of an HMAC of the original. Deterministic per
    /// deployment and independent of the patient, so references between studies of different patients stay consistent.
    /// </summary>
    public string RemapUid(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var mac = _secret.Derive("dicom-uid", Encoding.ASCII.GetBytes(uid.Trim().TrimEnd('\0')));
        return "2.25." + new BigInteger(mac.AsSpan(0, 16), isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
