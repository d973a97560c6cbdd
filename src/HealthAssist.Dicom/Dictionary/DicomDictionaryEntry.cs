namespace HealthAssist.Dicom;

/// <summary>One entry of the PS3.6 data dictionary.</summary>
/// <param name="Tag">The tag; for repeating-group entries (e.g. 60xx,3000) the tag with the x digits set to 0.</param>
/// <param name="Mask">Bits of the tag that must match (0xFFFFFFFF for ordinary entries; repeating groups clear the x digits).</param>
/// <param name="VR">VR code, or several separated by " or " (e.g. "US or SS", "OB or OW"); the first is the default.</param>
/// <param name="VM">Value multiplicity, e.g. "1", "2-n", "1-3".</param>
/// <param name="Name">Attribute name, e.g. "Patient's Name".</param>
/// <param name="Keyword">Keyword, e.g. "PatientName".</param>
/// <param name="Retired">Retired from the standard.</param>
public sealed record DicomDictionaryEntry(DicomTag Tag, uint Mask, string VR, string VM, string Name, string Keyword, bool Retired)
{
    /// <summary>The VR used when the encoding does not carry one (implicit VR) and the entry allows several.</summary>
    public DicomVR DefaultVR => DicomVR.TryParse(VR.Length >= 2 ? VR[..2] : "UN", out var vr) ? vr : DicomVR.UN;
}
