using System.Text.Json.Serialization;

namespace HealthAssist.Ingest.Audio;

/// <summary>
/// Parameters of the log-mel spectrogram an audio model consumes. The defaults are the front end of the first audio
/// encoder; a model manifest overrides them (the JSON names follow torch/librosa: <c>sample_rate</c>, <c>n_fft</c>, …).
/// The conventions that are not parameters are fixed and named by <see cref="Convention"/>; see
/// <see cref="LogMelSpectrogram"/> for the formula.
/// </summary>
public sealed record LogMelParameters
{
    /// <summary>The conventions, for a manifest to record beside the parameters.</summary>
    public const string Convention =
        "stft(center=false, no padding; periodic hann(win_length) centred in n_fft); power=|X|^2 unscaled; mel=slaney scale, slaney area norm (librosa htk=False, norm='slaney'); natural log(mel + log_offset)";

    public static LogMelParameters Default { get; } = new();

    /// <summary>Rate the recording is resampled to before analysis (Hz).</summary>
    [JsonPropertyName("sample_rate")]
    public int SampleRate { get; init; } = 4_000;

    [JsonPropertyName("n_fft")]
    public int FftSize { get; init; } = 256;

    /// <summary>Hann window length (≤ <see cref="FftSize"/>; a shorter window is centred and zero-padded).</summary>
    [JsonPropertyName("win_length")]
    public int WindowLength { get; init; } = 256;

    [JsonPropertyName("hop_length")]
    public int HopLength { get; init; } = 64;

    [JsonPropertyName("n_mels")]
    public int MelBands { get; init; } = 64;

    [JsonPropertyName("f_min")]
    public double MinFrequency { get; init; } = 20;

    [JsonPropertyName("f_max")]
    public double MaxFrequency { get; init; } = 2_000;

    /// <summary>Added to the mel power before the logarithm, so silence maps to ln(offset) rather than −∞.</summary>
    [JsonPropertyName("log_offset")]
    public double LogOffset { get; init; } = 1e-6;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent parameter (a manifest error, not an input error).</summary>
    public void Validate()
    {
        Check(SampleRate is >= 1_000 and <= 192_000, "sample_rate must be 1000–192000 Hz");
        Check(FftSize is >= 16 and <= 16_384, "n_fft must be 16–16384");
        Check(WindowLength >= 2 && WindowLength <= FftSize, "win_length must be 2–n_fft");
        Check(HopLength >= 1 && HopLength <= FftSize, "hop_length must be 1–n_fft");
        Check(MelBands is >= 1 and <= 512, "n_mels must be 1–512");
        Check(MinFrequency >= 0 && MinFrequency < MaxFrequency && MaxFrequency <= SampleRate / 2.0, "0 <= f_min < f_max <= sample_rate/2 is required");
        Check(LogOffset > 0 && double.IsFinite(LogOffset), "log_offset must be positive");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"Invalid log-mel parameters: {message}.");
        }
    }
}
