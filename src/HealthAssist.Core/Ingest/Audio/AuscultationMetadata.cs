using Hl7.Fhir.Model;

namespace HealthAssist.Ingest.Audio;

/// <summary>Sound type and body site of a recording, read from the FHIR resource that describes it.</summary>
public sealed record AuscultationMetadata(SoundType SoundType, string BodySite, string? Url)
{
    private const string Snomed = "http://snomed.info/sct";

    // SNOMED CT concepts for what was auscultated (Media.modality / DocumentReference.type) and heart-area body sites.
    private static readonly HashSet<string> HeartCodes = ["88610006", "301130000", "76863003", "59011009", "38266002", "80891009"];
    private static readonly HashSet<string> LungCodes = ["37931006", "48348007", "39607008", "266005", "41224006", "45653009", "44029006"];

    /// <summary>Reads a <c>Media</c> (R4) resource; null when it does not say whether it is a heart or a lung recording.</summary>
    public static AuscultationMetadata? FromMedia(Media media)
    {
        ArgumentNullException.ThrowIfNull(media);
        var codes = Codes(media.Modality).Concat(Codes(media.BodySite)).ToList();
        var site = media.BodySite?.Text ?? media.BodySite?.Coding.FirstOrDefault()?.Display ?? "unspecified";
        var text = $"{media.Modality?.Text} {media.Content?.Title} {site}".ToUpperInvariant();
        SoundType? type = codes.Any(HeartCodes.Contains) || text.Contains("HEART", StringComparison.Ordinal) ? SoundType.Heart
            : codes.Any(LungCodes.Contains) || text.Contains("LUNG", StringComparison.Ordinal) || text.Contains("BREATH", StringComparison.Ordinal) ? SoundType.Lung
            : null;
        return type is { } known ? new AuscultationMetadata(known, site, media.Content?.Url) : null;
    }

    private static IEnumerable<string> Codes(CodeableConcept? concept) =>
        concept?.Coding.Where(c => c.System == Snomed && c.Code is not null).Select(c => c.Code!) ?? [];
}
