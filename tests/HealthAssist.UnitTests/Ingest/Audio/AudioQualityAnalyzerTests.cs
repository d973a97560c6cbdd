using System.Text.Json;
using HealthAssist.Ingest.Audio;

namespace HealthAssist.UnitTests.Ingest.Audio;

public sealed class AudioQualityAnalyzerTests
{
    private static AudioQualityReport Analyze(double[] signal, int rate = 8_000, SoundType type = SoundType.Heart, int bits = 16)
    {
        var wav = WavBuilder.Pcm(bits).Rate(rate).Samples(signal).Build();
        return AudioQualityAnalyzer.Analyze(AudioConditioner.Condition(WavReader.Read(wav)), type);
    }

    private static AudioQualityCheck Check(AudioQualityReport report, string name) =>
        report.Find(name) ?? throw new Xunit.Sdk.XunitException($"no check {name}");

    [Fact]
    public void Analyze_CleanHeartSound_PassesEveryCheck()
    {
        var report = Analyze(SyntheticAuscultation.HeartSound(10, 8_000));

        Assert.True(report.AllPassed, report.ToString());
        Assert.True(report.Acceptable);
        Assert.Null(report.RejectionReason);
        Assert.Equal(
            [AudioQualityAnalyzer.Duration, AudioQualityAnalyzer.Silence, AudioQualityAnalyzer.Clipping, AudioQualityAnalyzer.Snr, AudioQualityAnalyzer.InBandPower, AudioQualityAnalyzer.DominantFrequency, AudioQualityAnalyzer.HeartRate, AudioQualityAnalyzer.HeartPeriodicity],
            report.Checks.Select(c => c.Name));
    }

    [Theory]
    [InlineData(48)]
    [InlineData(72)]
    [InlineData(110)]
    public void Analyze_HeartSound_EstimatesTheHeartRateWithin2Bpm(double bpm)
    {
        var report = Analyze(SyntheticAuscultation.HeartSound(10, 8_000, bpm));

        var rate = Check(report, AudioQualityAnalyzer.HeartRate);
        Assert.True(rate.Passed);
        Assert.InRange(rate.Value!.Value, bpm - 2, bpm + 2);
        Assert.True(Check(report, AudioQualityAnalyzer.HeartPeriodicity).Value > 0.5);
    }

    [Fact]
    public void Analyze_RecordingShorterThan3Seconds_IsRejectedAsTooShort()
    {
        var report = Analyze(SyntheticAuscultation.HeartSound(2.5, 8_000));

        var duration = Check(report, AudioQualityAnalyzer.Duration);
        Assert.False(duration.Passed);
        Assert.Equal(2.5, duration.Value!.Value, 6);
        Assert.False(report.Acceptable);
        Assert.Equal("duration 2.5 s is shorter than 3.0 s", report.RejectionReason);
    }

    [Fact]
    public void Analyze_ClippedRecording_FlagsTheClippingRatio()
    {
        var loud = SyntheticAuscultation.HeartSound(10, 8_000, gain: 4); // bursts reach 2.0 and clip at full scale

        var clipping = Check(Analyze(loud), AudioQualityAnalyzer.Clipping);

        Assert.False(clipping.Passed);
        Assert.True(clipping.Value > 0.001, $"ratio {clipping.Value}");
        Assert.Equal(QualitySeverity.Warning, clipping.Severity);
        Assert.Contains("% of samples clipped exceeds 0.10 %", clipping.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_ClippedEightBitRecording_CountsFullScaleCodesAsClipped()
    {
        var loud = SyntheticAuscultation.HeartSound(10, 8_000, gain: 4);

        Assert.False(Check(Analyze(loud, bits: 8), AudioQualityAnalyzer.Clipping).Passed);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.0002)]
    public void Analyze_SilentRecording_IsRejectedAsSilent(double noiseRms)
    {
        var report = Analyze(SyntheticAuscultation.WhiteNoise(5, 8_000, noiseRms));

        var silence = Check(report, AudioQualityAnalyzer.Silence);
        Assert.False(silence.Passed);
        Assert.False(report.Acceptable);
        Assert.Contains("the recording is silent", report.RejectionReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_HeartSoundBuriedInNoise_FlagsTheSnr()
    {
        var clean = SyntheticAuscultation.HeartSound(10, 8_000);
        var noisy = SyntheticAuscultation.Add(clean, SyntheticAuscultation.WhiteNoise(10, 8_000, 2 * SyntheticAuscultation.Rms(clean)));

        var snr = Check(Analyze(noisy), AudioQualityAnalyzer.Snr);

        Assert.False(snr.Passed, snr.Message);
        Assert.True(snr.Value < 5, snr.Message);
        Assert.True(Check(Analyze(clean), AudioQualityAnalyzer.Snr).Value > 15);
    }

    [Fact]
    public void Analyze_SoundMostlyAbove2kHz_FlagsTheBandAndThePowerOutsideIt()
    {
        var report = Analyze(SyntheticAuscultation.Add(SyntheticAuscultation.HeartSound(5, 44_100, gain: 0.1), SyntheticAuscultation.Tones(5, 44_100, (0.3, 6_000))), 44_100);

        var inBand = Check(report, AudioQualityAnalyzer.InBandPower);
        Assert.False(inBand.Passed);
        Assert.True(inBand.Value < 0.1);
    }

    [Fact]
    public void Analyze_HeartRecordingDominatedBy1_5kHz_FlagsTheDominantFrequency()
    {
        var report = Analyze(SyntheticAuscultation.Add(SyntheticAuscultation.HeartSound(5, 8_000), SyntheticAuscultation.Tones(5, 8_000, (0.5, 1_500))));

        var dominant = Check(report, AudioQualityAnalyzer.DominantFrequency);
        Assert.False(dominant.Passed);
        Assert.InRange(dominant.Value!.Value, 1_480, 1_520);
        Assert.Contains("outside the heart sound range 20–400 Hz", dominant.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_LungSound_UsesTheLungBandAndSkipsTheHeartRate()
    {
        var breath = SyntheticAuscultation.Add(SyntheticAuscultation.Tones(6, 8_000, (0.2, 300)), SyntheticAuscultation.WhiteNoise(6, 8_000, 0.05));

        var report = Analyze(breath, type: SoundType.Lung);

        Assert.Null(report.Find(AudioQualityAnalyzer.HeartRate));
        var dominant = Check(report, AudioQualityAnalyzer.DominantFrequency);
        Assert.Equal((100.0, 2_000.0), (dominant.Minimum, dominant.Maximum));
        Assert.True(dominant.Passed);
    }

    [Fact]
    public void Report_SerialisesToJsonWithNamesValuesLimitsAndVerdicts()
    {
        var report = Analyze(SyntheticAuscultation.HeartSound(2.5, 8_000));

        var json = JsonSerializer.Serialize(report);
        var back = JsonSerializer.Deserialize<AudioQualityReport>(json)!;

        Assert.Contains("\"SoundType\":\"Heart\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Name\":\"duration_s\",\"Value\":2.5,\"Unit\":\"s\",\"Minimum\":3,\"Maximum\":null,\"Passed\":false,\"Severity\":\"Reject\"", json, StringComparison.Ordinal);
        Assert.Equal(report.Checks, back.Checks);
    }

    [Fact]
    public void Report_ReadsAsOneLinePerCheck()
    {
        var text = Analyze(SyntheticAuscultation.HeartSound(2.5, 8_000)).ToString();

        var lines = text.Split('\n');
        Assert.Equal("Heart sound quality: rejected", lines[0]);
        Assert.Equal(9, lines.Length);
        Assert.Contains(lines, l => l.Contains("FAIL  duration_s", StringComparison.Ordinal) && l.EndsWith("duration 2.5 s is shorter than 3.0 s", StringComparison.Ordinal));
    }
}
