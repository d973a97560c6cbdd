using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace HealthAssist.Ingest.Audio;

/// <summary>What a failed check means for the recording.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<QualitySeverity>))]
public enum QualitySeverity
{
    /// <summary>Shown to the clinician beside the result; the recording is still used.</summary>
    Warning,

    /// <summary>The recording is not used (the result lists the audio modality as rejected, with the message).</summary>
    Reject,
}

/// <summary>One quality check: the measured value, the limits it was held to, and the verdict.</summary>
/// <param name="Name">Stable identifier, e.g. <c>duration_s</c>.</param>
/// <param name="Value">The measurement; null when it could not be made (e.g. too few frames).</param>
/// <param name="Unit">Unit of <paramref name="Value"/> and the limits.</param>
/// <param name="Minimum">Lowest passing value, if any.</param>
/// <param name="Maximum">Highest passing value, if any.</param>
/// <param name="Passed">Whether the value lies within the limits.</param>
/// <param name="Severity">What a failure means.</param>
/// <param name="Message">One human-readable sentence, e.g. "duration 2.1 s is below 3.0 s".</param>
public sealed record AudioQualityCheck(string Name, double? Value, string Unit, double? Minimum, double? Maximum, bool Passed, QualitySeverity Severity, string Message);

/// <summary>The quality of one auscultation recording: every check with its value, limits and verdict.</summary>
public sealed record AudioQualityReport(SoundType SoundType, IReadOnlyList<AudioQualityCheck> Checks)
{
    /// <summary>No check of severity <see cref="QualitySeverity.Reject"/> failed.</summary>
    public bool Acceptable => Checks.All(c => c.Passed || c.Severity != QualitySeverity.Reject);

    /// <summary>Every check passed.</summary>
    public bool AllPassed => Checks.All(c => c.Passed);

    /// <summary>The messages of the failed rejecting checks, joined; null when <see cref="Acceptable"/>.</summary>
    public string? RejectionReason => Acceptable
        ? null
        : string.Join("; ", Checks.Where(c => !c.Passed && c.Severity == QualitySeverity.Reject).Select(c => c.Message));

    /// <summary>The check named <paramref name="name"/>, or null.</summary>
    public AudioQualityCheck? Find(string name) => Checks.FirstOrDefault(c => c.Name == name);

    /// <summary>One line per check, e.g. "FAIL  duration_s  2.10 s  (min 3.00)  duration 2.1 s is below 3.0 s".</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{SoundType} sound quality: {(AllPassed ? "all checks passed" : Acceptable ? "usable with warnings" : "rejected")}");
        foreach (var check in Checks)
        {
            var verdict = check.Passed ? "pass" : check.Severity == QualitySeverity.Reject ? "FAIL" : "warn";
            var value = check.Value is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : "n/a";
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {verdict}  {check.Name,-24} {value,10} {check.Unit,-6} {check.Message}");
        }

        return text.ToString();
    }
}

/// <summary>Limits the quality checks hold a recording to. Provisional values, to be revisited with clinicians and real recordings.</summary>
public sealed record AudioQualityThresholds
{
    public static AudioQualityThresholds Default { get; } = new();

    /// <summary>Shorter recordings are rejected (3 s hold at least two heart cycles down to 40 bpm).</summary>
    public double MinDurationSeconds { get; init; } = 3;

    /// <summary>Share of clipped samples above which the recording is flagged.</summary>
    public double MaxClippingRatio { get; init; } = 0.001;

    /// <summary>RMS of the original mono mix in dB relative to full scale (RMS 1.0) below which it counts as silent (rejected).</summary>
    public double MinRmsDbfs { get; init; } = -50;

    /// <summary>Lowest estimated SNR for heart sounds (dB).</summary>
    public double MinHeartSnrDb { get; init; } = 10;

    /// <summary>Lowest estimated SNR for lung sounds (dB); breath sounds are continuous, so frame percentiles spread less.</summary>
    public double MinLungSnrDb { get; init; } = 6;

    /// <summary>Lowest share of the original power inside the model band (below half the model rate).</summary>
    public double MinInBandPowerRatio { get; init; } = 0.5;

    public double HeartBandLowHz { get; init; } = 20;

    public double HeartBandHighHz { get; init; } = 400;

    public double LungBandLowHz { get; init; } = 100;

    public double LungBandHighHz { get; init; } = 2_000;

    public double MinHeartRateBpm { get; init; } = 30;

    public double MaxHeartRateBpm { get; init; } = 220;

    /// <summary>Lowest normalised envelope autocorrelation at the heart period for the heart rate to count as found.</summary>
    public double MinHeartPeriodicity { get; init; } = 0.3;
}
