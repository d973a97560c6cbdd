namespace HealthAssist.Synthesis.Imaging;

/// <summary>Where a focal finding sits, named for the patient's side (on a PA film the patient's right is on the image left).</summary>
public enum LungZone
{
    RightUpper,
    RightMiddle,
    RightLower,
    LeftUpper,
    LeftLower,
}

/// <summary>Which pleural space holds fluid.</summary>
[Flags]
public enum EffusionSide
{
    None = 0,
    Left = 1,
    Right = 2,
    Both = Left | Right,
}

/// <summary>What the image should show; every severity is 0 (absent) to 1 (florid).</summary>
/// <param name="Cardiomegaly">Widens the heart: cardiothoracic ratio about 0.43 at 0 to 0.63 at 1 (± 0.025 between patients).</param>
/// <param name="BilateralHaze">Diffuse increased density of both mid and lower zones, densest near the hila (oedema).</param>
/// <param name="Consolidation">The zone of a patchy dense region (pneumonia), or null for none.</param>
/// <param name="ConsolidationSeverity">Size (radius about 5–11% of the image) and density of the consolidation.</param>
/// <param name="Effusion">Which costophrenic angles are blunted by fluid with a meniscus.</param>
/// <param name="EffusionSeverity">How high the fluid rises: a blunted angle at low values, up to about a fifth of the image at 1.</param>
/// <param name="Hyperinflation">Lower, flatter hemidiaphragms, larger and darker lung fields, a narrower heart (COPD).</param>
public sealed record RadiographFindings(
    double Cardiomegaly,
    double BilateralHaze,
    LungZone? Consolidation,
    double ConsolidationSeverity,
    EffusionSide Effusion,
    double EffusionSeverity,
    double Hyperinflation);

/// <summary>Identifying and acquisition attributes written into the DICOM header (PHI-like on purpose).</summary>
/// <param name="PatientName">DICOM PN form, e.g. "Rossi^Giulia"; text outside Latin-1 is written with ISO_IR 192.</param>
/// <param name="PatientId">The MRN; also repeated in a private element, as vendors do.</param>
/// <param name="BirthDate">"yyyyMMdd" or "yyyy-MM-dd" (empty for unknown).</param>
/// <param name="Sex">"M", "F", "O" (or male/female); empty for unknown. "F" adds breast shadows.</param>
/// <param name="AccessionNumber">At most 16 characters are written (SH); also used as the Study ID.</param>
/// <param name="AcquiredAt">Acquisition date and time; study, content and instance creation times are placed around it.</param>
/// <param name="InstitutionName">Institution Name.</param>
/// <param name="ReferringPhysician">DICOM PN form.</param>
/// <param name="OperatorName">DICOM PN form.</param>
/// <param name="StudyInstanceUid">A valid UID (digits and dots, at most 64 characters), as are the two below.</param>
/// <param name="SeriesInstanceUid">Series Instance UID.</param>
/// <param name="SopInstanceUid">SOP Instance UID.</param>
public sealed record RadiographIdentity(
    string PatientName,
    string PatientId,
    string BirthDate,
    string Sex,
    string AccessionNumber,
    DateTimeOffset AcquiredAt,
    string InstitutionName,
    string ReferringPhysician,
    string OperatorName,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string SopInstanceUid);

/// <summary>How the image is encoded and how hard it is to read.</summary>
/// <param name="Modality">"CR" or "DX".</param>
/// <param name="Rows">1024–2048.</param>
/// <param name="Columns">1024–2048.</param>
/// <param name="BitsStored">12–16 (BitsAllocated 16).</param>
/// <param name="Monochrome1">MONOCHROME1 (bright = low value) instead of MONOCHROME2.</param>
/// <param name="WindowTags">0: none, 1: one center/width, 2: two pairs, 3: a VOI LUT sequence. DX For Presentation requires a
/// VOI transform, so 0 gives one center/width there.</param>
/// <param name="LowContrast">Degraded: compressed dynamic range and more noise.</param>
/// <param name="BurnedInText">Text drawn into the pixels (then BurnedInAnnotation = YES), or null.</param>
public sealed record RadiographStyle(string Modality, int Rows, int Columns, int BitsStored, bool Monochrome1, int WindowTags, bool LowContrast, string? BurnedInText);

/// <summary>One radiograph to synthesise (see <see cref="RadiographSynthesizer"/>).</summary>
public sealed record RadiographRequest(RadiographFindings Findings, RadiographIdentity Identity, RadiographStyle Style);
