namespace HealthAssist.Ingest.Audio;

/// <summary>One auscultation recording made ready for the audio encoder.</summary>
/// <param name="SoundType">Heart or lung, as given with the recording.</param>
/// <param name="BodySite">Where the chest piece was placed (e.g. "mitral", "left lower lobe" or a SNOMED CT body site code), as given.</param>
/// <param name="Source">The stored format of the original.</param>
/// <param name="Duration">Duration of the original.</param>
/// <param name="Quality">The quality checks; <see cref="AudioQualityReport.Acceptable"/> says whether the recording may be used.</param>
/// <param name="LogMel">The model input, float32 [n_mels, frames].</param>
/// <param name="Gain">Linear gain the RMS normalisation applied.</param>
/// <param name="Waveform">The conditioned waveform the features were computed from (mono, model rate, RMS-normalised), for an
/// encoder that embeds its own front end.</param>
public sealed record AuscultationFeatures(
    SoundType SoundType, string BodySite, AudioSourceFormat Source, TimeSpan Duration, AudioQualityReport Quality, LogMelFeatures LogMel, double Gain,
    ReadOnlyMemory<float> Waveform);

/// <summary>
/// WAV bytes → validated recording → conditioned signal (mono, model rate, RMS-normalised) → quality report and log-mel
/// features. Immutable and thread-safe; create one per model front end (its <see cref="LogMelParameters"/> come from the
/// model manifest).
/// </summary>
public sealed class AuscultationPipeline
{
    /// <summary>Longest body site text accepted.</summary>
    public const int MaxBodySiteLength = 128;

    private readonly LogMelSpectrogram _spectrogram;
    private readonly AudioConditioningOptions _conditioning;
    private readonly AudioQualityThresholds _thresholds;
    private readonly WavReaderLimits _limits;

    public AuscultationPipeline(
        LogMelParameters? features = null, AudioQualityThresholds? thresholds = null, WavReaderLimits? limits = null, AudioConditioningOptions? conditioning = null)
    {
        _spectrogram = new LogMelSpectrogram(features ?? LogMelParameters.Default);
        _conditioning = (conditioning ?? AudioConditioningOptions.Default) with { TargetSampleRate = _spectrogram.Parameters.SampleRate };
        _thresholds = thresholds ?? AudioQualityThresholds.Default;
        _limits = limits ?? WavReaderLimits.Default;
    }

    public LogMelParameters Features => _spectrogram.Parameters;

    /// <summary>Reads, checks and featurises a WAV file; malformed or unsupported input throws <see cref="InvalidInputException"/>.</summary>
    public AuscultationFeatures Process(ReadOnlySpan<byte> wav, SoundType soundType, string bodySite)
    {
        ValidateMetadata(soundType, bodySite);
        return Finish(AudioConditioner.Condition(wav, _limits, _conditioning), soundType, bodySite);
    }

    /// <summary>Checks and featurises a decoded recording.</summary>
    public AuscultationFeatures Process(AudioRecording recording, SoundType soundType, string bodySite)
    {
        ArgumentNullException.ThrowIfNull(recording);
        ValidateMetadata(soundType, bodySite);
        return Finish(AudioConditioner.Condition(recording, _conditioning), soundType, bodySite);
    }

    private AuscultationFeatures Finish(ConditionedAudio conditioned, SoundType soundType, string bodySite)
    {
        var quality = AudioQualityAnalyzer.Analyze(conditioned, soundType, _thresholds);
        var features = _spectrogram.Compute(conditioned.Samples);
        return new AuscultationFeatures(soundType, bodySite.Trim(), conditioned.Source, conditioned.Duration, quality, features, conditioned.Gain, conditioned.Waveform);
    }

    private static void ValidateMetadata(SoundType soundType, string bodySite)
    {
        if (!Enum.IsDefined(soundType))
        {
            throw new InvalidInputException($"auscultation sound type {(int)soundType} is not heart or lung", "soundType") { StatusCode = 422 };
        }

        if (string.IsNullOrWhiteSpace(bodySite))
        {
            throw new InvalidInputException("auscultation body site is missing", "bodySite") { StatusCode = 422 };
        }

        if (bodySite.Length > MaxBodySiteLength)
        {
            throw new InvalidInputException($"auscultation body site is {bodySite.Length} characters; at most {MaxBodySiteLength} are accepted", "bodySite") { StatusCode = 422 };
        }
    }
}
