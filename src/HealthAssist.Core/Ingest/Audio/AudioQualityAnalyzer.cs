using System.Globalization;
using System.Numerics;

namespace HealthAssist.Ingest.Audio;

/// <summary>
/// Quality checks of one conditioned recording: duration, silence, clipping, estimated SNR, share of power in the model
/// band, dominant frequency against the auscultation band, and for heart sounds the heart rate and how periodic the
/// sound is.
/// </summary>
/// <remarks>
/// The spectral checks use their own short-time analysis, independent of the model's log-mel parameters: frames of
/// ≈64 ms (the next power of two at the model rate, 256 samples at 4 kHz), periodic Hann window, 50 % overlap.
/// <list type="bullet">
/// <item><b>SNR</b>: frame energies above 20 Hz; the 10th percentile estimates the noise floor N (the quietest frames
/// fall between heart sounds or breaths), the 90th the signal-plus-noise level S; SNR = 10 log10((S − N) / N), capped at
/// 100 dB.</item>
/// <item><b>Dominant frequency</b>: the peak of the mean power spectrum (Welch) above 20 Hz.</item>
/// <item><b>Heart rate</b>: the envelope e[t] = √(energy of frame t in 20–400 Hz), mean removed; its biased
/// autocorrelation r[l] = Σ e[t] e[t+l] / T is searched for the highest local maximum at lags of 0.2–3 s (20–300 bpm, wider
/// than the plausible range so that an implausible rate is reported rather than hidden); parabolic interpolation refines the
/// lag. The biased estimate favours the fundamental period over its multiples. Periodicity = r[peak] / r[0].
/// Known limitation: when systole and diastole are about equal (fast rates), the half period can win and the rate doubles.</item>
/// </list>
/// </remarks>
public static class AudioQualityAnalyzer
{
    public const string Duration = "duration_s";
    public const string Silence = "rms_dbfs";
    public const string Clipping = "clipping_ratio";
    public const string Snr = "snr_db";
    public const string InBandPower = "in_band_power_ratio";
    public const string DominantFrequency = "dominant_frequency_hz";
    public const string HeartRate = "heart_rate_bpm";
    public const string HeartPeriodicity = "heart_periodicity";

    public static AudioQualityReport Analyze(ConditionedAudio audio, SoundType soundType, AudioQualityThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var t = thresholds ?? AudioQualityThresholds.Default;
        var analysis = Analyse(audio.Samples, audio.SampleRate);
        var checks = new List<AudioQualityCheck>(8);

        var seconds = audio.Duration.TotalSeconds;
        checks.Add(AtLeast(Duration, seconds, "s", t.MinDurationSeconds, QualitySeverity.Reject,
            Text($"duration {seconds:0.0#} s"), Text($"is shorter than {t.MinDurationSeconds:F1} s")));

        var dbfs = audio.SourceRms > 0 ? Math.Max(-200, 20 * Math.Log10(audio.SourceRms)) : -200;
        checks.Add(AtLeast(Silence, dbfs, "dBFS", t.MinRmsDbfs, QualitySeverity.Reject,
            Text($"level {dbfs:F1} dBFS RMS"), Text($"is below {t.MinRmsDbfs:F0} dBFS: the recording is silent")));

        checks.Add(AtMost(Clipping, audio.ClippingRatio, "ratio", t.MaxClippingRatio, QualitySeverity.Warning,
            Text($"{audio.ClippingRatio * 100:F2} % of samples clipped"), Text($"exceeds {t.MaxClippingRatio * 100:F2} %")));

        var minSnr = soundType == SoundType.Heart ? t.MinHeartSnrDb : t.MinLungSnrDb;
        checks.Add(AtLeast(Snr, analysis.SnrDb, "dB", minSnr, QualitySeverity.Warning,
            analysis.SnrDb is { } snr ? Text($"estimated SNR {snr:F1} dB") : "SNR could not be estimated (too few frames)",
            Text($"is below {minSnr:F0} dB: the recording is noisy")));

        checks.Add(AtLeast(InBandPower, audio.InBandPowerRatio, "ratio", t.MinInBandPowerRatio, QualitySeverity.Warning,
            Text($"{audio.InBandPowerRatio * 100:F0} % of the power lies below {audio.SampleRate / 2} Hz"),
            Text($"is under {t.MinInBandPowerRatio * 100:F0} %: most of the sound is above the auscultation range")));

        var (low, high) = soundType == SoundType.Heart ? (t.HeartBandLowHz, t.HeartBandHighHz) : (t.LungBandLowHz, t.LungBandHighHz);
        checks.Add(Within(DominantFrequency, analysis.DominantHz, "Hz", low, high, QualitySeverity.Warning,
            analysis.DominantHz is { } f ? Text($"dominant frequency {f:F0} Hz") : "dominant frequency could not be measured",
            Text($"lies outside the {soundType.ToString().ToLowerInvariant()} sound range {low:F0}–{high:F0} Hz")));

        if (soundType == SoundType.Heart)
        {
            checks.Add(Within(HeartRate, analysis.HeartRateBpm, "bpm", t.MinHeartRateBpm, t.MaxHeartRateBpm, QualitySeverity.Warning,
                analysis.HeartRateBpm is { } bpm ? Text($"estimated heart rate {bpm:F0} bpm") : "no heart rate could be estimated",
                Text($"is outside the plausible {t.MinHeartRateBpm:F0}–{t.MaxHeartRateBpm:F0} bpm")));
            checks.Add(AtLeast(HeartPeriodicity, analysis.Periodicity, "r", t.MinHeartPeriodicity, QualitySeverity.Warning,
                analysis.Periodicity is { } r ? Text($"heart cycle periodicity {r:F2}") : "heart cycle periodicity could not be measured",
                Text($"is below {t.MinHeartPeriodicity:F2}: no regular heart cycle found")));
        }

        return new AudioQualityReport(soundType, checks);
    }

    private readonly record struct Analysis(double? SnrDb, double? DominantHz, double? HeartRateBpm, double? Periodicity);

    private static Analysis Analyse(ReadOnlySpan<float> x, int rate)
    {
        var size = 1 << (int)Math.Max(6, Math.Ceiling(Math.Log2(0.064 * rate)));
        var hop = size / 2;
        var frames = x.Length < size ? 0 : 1 + ((x.Length - size) / hop);
        if (frames == 0)
        {
            return default;
        }

        var batch = new PowerSpectrumBatch(size);
        var window = new float[size];
        for (var j = 0; j < size; j++)
        {
            window[j] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * j / size)));
        }

        var binHz = (double)rate / size;
        var lowest = (int)Math.Ceiling(20 / binHz);
        var heartHigh = Math.Min(batch.Bins - 1, (int)Math.Floor(400 / binHz));
        var power = new Vector<float>[batch.Bins];
        var sums = new Vector<float>[batch.Bins];
        var energy = new double[frames];
        var envelope = new double[frames];
        for (var first = 0; first < frames; first += PowerSpectrumBatch.Width)
        {
            var count = Math.Min(PowerSpectrumBatch.Width, frames - first);
            batch.Compute(x, first, count, hop, window, power);
            var heart = Vector<float>.Zero;
            for (var k = lowest; k <= heartHigh; k++)
            {
                heart += power[k];
            }

            var total = heart;
            for (var k = heartHigh + 1; k < power.Length; k++)
            {
                total += power[k];
            }

            for (var k = lowest; k < power.Length; k++)
            {
                sums[k] += power[k];
            }

            for (var lane = 0; lane < count; lane++)
            {
                energy[first + lane] = total[lane];
                envelope[first + lane] = Math.Sqrt(heart[lane]);
            }
        }

        var mean = sums.Select(v => (double)Vector.Sum(v)).ToArray();
        double? dominant = null;
        if (lowest < mean.Length)
        {
            var peak = lowest;
            for (var k = lowest; k < mean.Length; k++)
            {
                peak = mean[k] > mean[peak] ? k : peak;
            }

            dominant = mean[peak] > 0 ? peak * binHz : null;
        }

        var (bpm, periodicity) = HeartRateFromEnvelope(envelope, (double)rate / hop);
        return new Analysis(EstimateSnr(energy), dominant, bpm, periodicity);
    }

    private static double? EstimateSnr(double[] energy)
    {
        if (energy.Length < 10)
        {
            return null;
        }

        var sorted = (double[])energy.Clone();
        Array.Sort(sorted);
        var noise = sorted[(int)(0.1 * (sorted.Length - 1))];
        var loud = sorted[(int)Math.Ceiling(0.9 * (sorted.Length - 1))];
        if (loud <= 0)
        {
            return null;
        }

        return noise <= 0 ? 100 : Math.Min(100, 10 * Math.Log10(Math.Max(loud - noise, 1e-30) / noise));
    }

    private static (double? Bpm, double? Periodicity) HeartRateFromEnvelope(double[] envelope, double frameRate)
    {
        var count = envelope.Length;
        var average = envelope.Average();
        var e = envelope.Select(v => v - average).ToArray();
        var minLag = Math.Max(1, (int)Math.Floor(frameRate * 60 / 300));
        var maxLag = Math.Min((int)Math.Ceiling(frameRate * 60 / 20), count - 2);
        if (maxLag < minLag + 2)
        {
            return (null, null);
        }

        var r = new double[maxLag + 2];
        for (var lag = 0; lag < r.Length; lag++)
        {
            var sum = 0.0;
            for (var i = 0; i + lag < count; i++)
            {
                sum += e[i] * e[i + lag];
            }

            r[lag] = sum / count;
        }

        if (r[0] <= 0)
        {
            return (null, null);
        }

        var best = -1;
        for (var lag = Math.Max(minLag, 1); lag <= maxLag; lag++)
        {
            if (r[lag] > r[lag - 1] && r[lag] >= r[lag + 1] && (best < 0 || r[lag] > r[best]))
            {
                best = lag;
            }
        }

        if (best < 0)
        {
            return (null, 0);
        }

        best = ShortestEquivalentPeriod(r, best, Math.Max(minLag, 1), maxLag);
        var curvature = r[best - 1] - (2 * r[best]) + r[best + 1];
        var shift = curvature < 0 ? 0.5 * (r[best - 1] - r[best + 1]) / curvature : 0;
        var period = (best + shift) / frameRate;
        return (60 / period, r[best] / r[0]);
    }

    /// <summary>
    /// With a coarse frame step, two or three periods can line up better than one and win. If a peak near a third or a
    /// half of the winning lag is almost as strong (90 %), that is the period.
    /// </summary>
    private static int ShortestEquivalentPeriod(double[] r, int best, int minLag, int maxLag)
    {
        foreach (var divisor in new[] { 3, 2 })
        {
            var centre = (int)Math.Round(best / (double)divisor);
            for (var lag = Math.Max(centre - 1, minLag); lag <= Math.Min(centre + 1, maxLag); lag++)
            {
                if (r[lag] > r[lag - 1] && r[lag] >= r[lag + 1] && r[lag] >= 0.9 * r[best])
                {
                    return lag;
                }
            }
        }

        return best;
    }

    private static AudioQualityCheck AtLeast(string name, double? value, string unit, double minimum, QualitySeverity severity, string measured, string failure)
    {
        var passed = value is { } v && v >= minimum;
        return new AudioQualityCheck(name, value, unit, minimum, null, passed, severity, passed || value is null ? measured : $"{measured} {failure}");
    }

    private static AudioQualityCheck AtMost(string name, double? value, string unit, double maximum, QualitySeverity severity, string measured, string failure)
    {
        var passed = value is { } v && v <= maximum;
        return new AudioQualityCheck(name, value, unit, null, maximum, passed, severity, passed || value is null ? measured : $"{measured} {failure}");
    }

    private static AudioQualityCheck Within(string name, double? value, string unit, double minimum, double maximum, QualitySeverity severity, string measured, string failure)
    {
        var passed = value is { } v && v >= minimum && v <= maximum;
        return new AudioQualityCheck(name, value, unit, minimum, maximum, passed, severity, passed || value is null ? measured : $"{measured} {failure}");
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
