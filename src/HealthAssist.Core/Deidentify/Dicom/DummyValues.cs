using HealthAssist.Dicom;

namespace HealthAssist.Deidentify.Dicom;

/// <summary>
/// The dummy value of action D (and of Z/D, X/D, X/Z/D): non-zero length, valid for the VR, the same for every
/// attribute of a VR, and free of anything taken from the instance.
/// </summary>
public static class DummyValues
{
    public const string Text = "ANONYMIZED";
    public const string Date = "19000101";
    public const string DateTime = "19000101000000";
    public const string Time = "000000";

    /// <summary>The dummy text of a text VR; null for VRs whose dummy is binary (or a UID, which is remapped instead).</summary>
    public static string? TextFor(DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(vr);
        return vr.Code switch
        {
            "AE" => "ANONYMOUS",
            "AS" => "000Y",
            "CS" => Text,
            "DA" => Date,
            "DS" or "IS" => "0",
            "DT" => DateTime,
            "TM" => Time,
            "LO" or "LT" or "PN" or "SH" or "ST" or "UC" or "UT" => Text,
            "UR" => "urn:anonymized",
            "UI" => "2.25.0",
            _ => null,
        };
    }

    /// <summary>A dummy element for <paramref name="tag"/> with <paramref name="vr"/> (not for SQ, which is handled item by item).</summary>
    public static DicomValueElement Create(DicomTag tag, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(vr);
        if (TextFor(vr) is { } text)
        {
            return DicomValueElement.FromText(tag, vr, text);
        }

        // Binary VRs: one zero of the VR's unit (at least two bytes, values are even length); UN: two zero bytes.
        return new DicomValueElement(tag, vr, new byte[Math.Max(2, vr.UnitSize)]);
    }
}
