using HealthAssist.Dicom;

namespace HealthAssist.Deidentify.Dicom;

/// <summary>
/// The outcome of de-identifying one instance: the de-identified file, or a quarantine with its reason (then no file),
/// the printable report, and the UID map the caller needs to keep references between instances consistent.
/// </summary>
public sealed class DicomDeidentificationResult
{
    internal DicomDeidentificationResult(DicomFile? file, string? quarantineReason, DicomDeidentificationReport report, IReadOnlyDictionary<string, string> uidMap)
    {
        File = file;
        QuarantineReason = quarantineReason;
        Report = report;
        UidMap = uidMap;
    }

    /// <summary>The de-identified instance; null when quarantined.</summary>
    public DicomFile? File { get; }

    public bool Quarantined => File is null;

    /// <summary>Why the instance was quarantined, in words that never contain a value of the instance.</summary>
    public string? QuarantineReason { get; }

    /// <summary>Counts per action code and per attribute keyword; no values, no original UIDs.</summary>
    public DicomDeidentificationReport Report { get; }

    /// <summary>
    /// Original UID → replacement UID for every UID replaced in this instance. It holds original UIDs, which are
    /// identifiers: it is for referential-integrity checks and the protected re-identification store, never for logs or
    /// printed reports.
    /// </summary>
    public IReadOnlyDictionary<string, string> UidMap { get; }
}

/// <summary>
/// What de-identification did to one instance, in counts: per action code (the table's code, or the rule that applied
/// outside the table) and per attribute keyword. Safe to print and store: it holds no values and no original UIDs.
/// </summary>
/// <param name="ProfileRevision">The PS3.15 edition of the table applied, e.g. "2024c".</param>
/// <param name="Options">The de-identification method codes (CID 7050 code meanings) that describe what was applied.</param>
/// <param name="ActionCounts">Elements per action: a table code ("X", "Z/D", "C" …) or a rule outside the table
/// ("private:X", "overlay:X", "unlisted:U" …, see the ADR).</param>
/// <param name="AttributeCounts">Per keyword (or tag pattern for unnamed attributes): elements per action.</param>
/// <param name="UidsReplaced">Distinct UIDs replaced.</param>
/// <param name="DatesShifted">Whether dates were shifted by the patient's offset.</param>
/// <param name="PixelRegionsBlanked">Rectangles blanked in the pixel data (each frame counted once per rectangle).</param>
/// <param name="QuarantineReason">Why the instance was quarantined, or null.</param>
public sealed record DicomDeidentificationReport(
    string ProfileRevision,
    IReadOnlyList<string> Options,
    IReadOnlyDictionary<string, int> ActionCounts,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> AttributeCounts,
    int UidsReplaced,
    bool DatesShifted,
    int PixelRegionsBlanked,
    string? QuarantineReason);
