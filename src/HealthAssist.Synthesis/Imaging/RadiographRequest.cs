namespace HealthAssist.Synthesis.Imaging;

public enum LungZone
{
    RightUpper,
    RightMiddle,
    RightLower,
    LeftUpper,
    LeftLower,
}

[Flags]
public enum EffusionSide
{
    None = 0,
    Left = 1,
    Right = 2,
    Both = Left | Right,
}

/// <summary>What the image should show; every severity is 0 (absent) to 1 (florid).</summary>
public sealed record RadiographFindings(
    double Cardiomegaly,
    double BilateralHaze,
    LungZone? Consolidation,
    double ConsolidationSeverity,
    EffusionSide Effusion,
    double EffusionSeverity,
    double Hyperinflation);

/// <summary>Identifying and acquisition attributes written into the DICOM header (PHI-like on purpose).</summary>
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
/// <param name="WindowTags">0: none, 1: one center/width, 2: two pairs, 3: a VOI LUT sequence.</param>
/// <param name="LowContrast">Degraded: compressed dynamic range and more noise.</param>
/// <param name="BurnedInText">Text drawn into the pixels (then BurnedInAnnotation = YES), or null.</param>
public sealed record RadiographStyle(string Modality, int Rows, int Columns, int BitsStored, bool Monochrome1, int WindowTags, bool LowContrast, string? BurnedInText);

public sealed record RadiographRequest(RadiographFindings Findings, RadiographIdentity Identity, RadiographStyle Style);
