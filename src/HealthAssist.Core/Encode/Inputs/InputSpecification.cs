using System.Text.Json.Serialization;
using HealthAssist.Dicom.Imaging;
using HealthAssist.Ingest.Audio;

namespace HealthAssist.Encode.Inputs;

/// <summary>
/// Everything that decides the tensors the encoders see. Written into the features export and copied into each
/// model's manifest, so the model is always served with the preprocessing it was trained with (no train/serve skew).
/// </summary>
public sealed record InputSpecification
{
    public const string CurrentVersion = "1.0.0";

    [JsonPropertyName("version")]
    public string Version { get; init; } = CurrentVersion;

    /// <summary>Version of <c>models/features/feature-spec.*.json</c> that made the tabular vector.</summary>
    [JsonPropertyName("feature_specification")]
    public string FeatureSpecification { get; init; } = "1.0.0";

    [JsonPropertyName("image")]
    public ImageInputOptions Image { get; init; } = new();

    [JsonPropertyName("audio")]
    public AudioInputOptions Audio { get; init; } = new();

    [JsonPropertyName("note")]
    public NoteHashingOptions Note { get; init; } = new();
}

public sealed record ImageInputOptions
{
    [JsonPropertyName("width")]
    public int Width { get; init; } = 224;

    [JsonPropertyName("height")]
    public int Height { get; init; } = 224;

    [JsonPropertyName("mean")]
    public float Mean { get; init; } = 0.5f;

    [JsonPropertyName("standard_deviation")]
    public float StandardDeviation { get; init; } = 0.25f;

    [JsonPropertyName("lower_percentile")]
    public double LowerPercentile { get; init; } = 0.5;

    [JsonPropertyName("upper_percentile")]
    public double UpperPercentile { get; init; } = 99.5;

    [JsonPropertyName("convention")]
    public string Convention { get; init; } =
        "first frame; modality LUT, then VOI LUT or first window (else percentile window); MONOCHROME1 inverted; area resize; (x - mean) / sd; tensor [1, height, width]";

    public PreprocessingOptions ToPreprocessing() => new()
    {
        Width = Width, Height = Height, Channels = 1, Mean = [Mean], StandardDeviation = [StandardDeviation],
        LowerPercentile = LowerPercentile, UpperPercentile = UpperPercentile,
    };

    public IReadOnlyList<int> Shape => [1, Height, Width];
}

public sealed record AudioInputOptions
{
    [JsonPropertyName("log_mel")]
    public LogMelParameters LogMel { get; init; } = LogMelParameters.Default;

    /// <summary>Frames the encoder sees: the centre of longer recordings; shorter ones repeat from the start.</summary>
    [JsonPropertyName("frames")]
    public int Frames { get; init; } = 500;

    [JsonPropertyName("convention")]
    public string Convention { get; init; } =
        "mono, resampled, RMS-normalised; log-mel [n_mels, frames]; centre crop to `frames`, shorter recordings tiled from their start";

    public IReadOnlyList<int> Shape => [LogMel.MelBands, Frames];
}
