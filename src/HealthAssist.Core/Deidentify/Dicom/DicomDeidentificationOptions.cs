namespace HealthAssist.Deidentify.Dicom;

/// <summary>
/// How DICOM instances are de-identified: the PS3.15 Annex E options in force and the burned-in text policy. The
/// defaults are what the pipeline uses (compliance/adr/0007-dicom-deidentification.md says why).
/// </summary>
public sealed record DicomDeidentificationOptions
{
    public static DicomDeidentificationOptions Default { get; } = new();

    /// <summary>Retain Longitudinal Temporal Information with Modified Dates (E.3.6): dates and date-times are shifted by
    /// the patient's offset, so intervals survive. Default on.</summary>
    public bool RetainLongitudinalTemporalInformationWithModifiedDates { get; init; } = true;

    /// <summary>Retain Patient Characteristics (E.3.5): sex, age, size, weight, ethnic group, smoking and pregnancy status
    /// are kept; allergies, patient state, pre-medication and special needs are cleaned. Default on.</summary>
    public bool RetainPatientCharacteristics { get; init; } = true;

    /// <summary>Retain Device Identity (E.3.3): serial numbers, station names, device UIDs are kept. Default off.</summary>
    public bool RetainDeviceIdentity { get; init; }

    /// <summary>Clean Descriptors (E.3.7): free-text descriptors (study and series description, protocol name, comments …)
    /// are cleaned instead of removed. Default on.</summary>
    public bool CleanDescriptors { get; init; } = true;

    /// <summary>
    /// Private creators (exact values of (gggg,00xx), compared ordinally after trimming) whose blocks are retained: the
    /// Retain Safe Private option (E.3.10) for creators the deployment has checked to be free of identity. Default
    /// empty: every private group is removed.
    /// </summary>
    public IReadOnlyList<string> SafePrivateCreators { get; init; } = [];

    /// <summary>
    /// Modalities whose images are treated as carrying burned-in text when Burned In Annotation (0028,0301) is absent
    /// (ultrasound, secondary capture, other, photography, endoscopy). YES always counts; NO is trusted.
    /// </summary>
    public IReadOnlyList<string> BurnedInTextModalities { get; init; } = ["US", "SC", "OT", "XC", "ES", "GM"];

    /// <summary>Regions to blank in native pixel data, per manufacturer and model. An instance that may carry burned-in
    /// text and that no rule matches is quarantined.</summary>
    public IReadOnlyList<PixelCleaningRule> PixelCleaningRules { get; init; } = [];

    /// <summary>The issuer used to derive patient keys when the instance has no Issuer of Patient ID (0010,0021).</summary>
    public string DefaultPatientIdIssuer { get; init; } = "urn:healthassist:dicom:patient-id";
}

/// <summary>
/// Where a device burns text into its images: the rectangles to blank in every frame. Manufacturer and model match the
/// instance's (0008,0070) and (0008,1090) case-insensitively after trimming; null matches any value. Rows and
/// Columns, when given, must equal the image's.
/// </summary>
public sealed record PixelCleaningRule(string? Manufacturer, string? ManufacturerModelName, IReadOnlyList<PixelRegion> Regions)
{
    public int? Rows { get; init; }

    public int? Columns { get; init; }
}

/// <summary>A rectangle in pixel coordinates (column X, row Y from the top left); clipped to the image.</summary>
public readonly record struct PixelRegion(int X, int Y, int Width, int Height);
