using HealthAssist.Deidentify;
using HealthAssist.Dicom.Imaging;
using HealthAssist.Ingest.Audio;
using HealthAssist.Ingest.Fhir;

namespace HealthAssist.Encode.Inputs;

/// <summary>An image made ready for the image encoder, with what the preprocessing noticed.</summary>
public sealed record ImageInput(string Label, float[] Tensor, ImageQualityIssues Issues, string WindowSource, byte[] PreviewPng);

/// <summary>A recording made ready for its audio encoder: the fixed-size log-mel tensor and the quality report.</summary>
public sealed record RecordingInput(string Label, SoundType SoundType, string BodySite, float[] Tensor, AudioQualityReport Quality, TimeSpan Duration);

/// <summary>
/// The model-ready tensors of one de-identified case and the account of what was used: each modality is present,
/// missing (not supplied) or rejected (supplied but unusable, with the reason).
/// </summary>
public sealed record ModelInputs(
    InputSpecification Specification,
    FeatureVector Tabular,
    ImageInput? Image,
    RecordingInput? Heart,
    RecordingInput? Lung,
    float[]? Note,
    IReadOnlyList<RejectedInput> Rejected,
    CaseView View)
{
    public bool Has(Modality modality) => modality switch
    {
        Modality.Tabular => Tabular.Mask.Any(m => m > 0),
        Modality.Image => Image is not null,
        Modality.HeartSound => Heart is not null,
        Modality.LungSound => Lung is not null,
        Modality.Note => Note is not null,
        _ => false,
    };

    public IReadOnlyList<Modality> Present => [.. Modalities.All.Where(Has)];

    /// <summary>The fusion model's presence mask, in <see cref="Modalities.All"/> order.</summary>
    public float[] PresenceMask() => [.. Modalities.All.Select(m => Has(m) ? 1f : 0f)];
}
