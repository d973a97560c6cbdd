using System.Text.Json;
using HealthAssist.Ingest.Audio;

namespace HealthAssist.UnitTests.Ingest.Audio;

public sealed class LogMelSpectrogramTests
{
    [Fact]
    public void Defaults_AreTheFirstAudioEncodersFrontEnd()
    {
        var p = LogMelParameters.Default;

        Assert.Equal((4_000, 256, 256, 64, 64, 20.0, 2_000.0, 1e-6), (p.SampleRate, p.FftSize, p.WindowLength, p.HopLength, p.MelBands, p.MinFrequency, p.MaxFrequency, p.LogOffset));
    }

    [Fact]
    public void Parameters_ReadFromAManifestWithTorchNames()
    {
        var p = JsonSerializer.Deserialize<LogMelParameters>("""{"sample_rate": 8000, "n_fft": 400, "win_length": 300, "hop_length": 100, "n_mels": 40, "f_min": 50, "f_max": 3000, "log_offset": 1e-5}""")!;

        Assert.Equal((8_000, 400, 300, 100, 40, 50.0, 3_000.0, 1e-5), (p.SampleRate, p.FftSize, p.WindowLength, p.HopLength, p.MelBands, p.MinFrequency, p.MaxFrequency, p.LogOffset));
    }

    [Theory]
    [InlineData("n_fft", 8)]
    [InlineData("win_length", 512)]
    [InlineData("hop_length", 0)]
    [InlineData("n_mels", 0)]
    [InlineData("f_max", 2_001)]
    [InlineData("log_offset", 0)]
    public void Validate_InconsistentParameter_ThrowsNamingIt(string name, double value)
    {
        var d = LogMelParameters.Default;
        var p = name switch
        {
            "n_fft" => d with { FftSize = (int)value },
            "win_length" => d with { WindowLength = (int)value },
            "hop_length" => d with { HopLength = (int)value },
            "n_mels" => d with { MelBands = (int)value },
            "f_max" => d with { MaxFrequency = value },
            _ => d with { LogOffset = value },
        };

        var error = Assert.Throws<ArgumentException>(() => new LogMelSpectrogram(p));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(255, 0)]
    [InlineData(256, 1)]
    [InlineData(319, 1)]
    [InlineData(320, 2)]
    [InlineData(120_000, 1_872)]
    public void FrameCount_HasNoCentrePadding(int samples, int frames)
    {
        var spectrogram = new LogMelSpectrogram(LogMelParameters.Default);

        Assert.Equal(frames, spectrogram.FrameCount(samples));
        var features = spectrogram.Compute(new float[samples]);
        Assert.Equal([64, frames], features.Shape);
    }

    [Fact]
    public void MelScale_IsSlaney_LinearBelow1kHzAndLogarithmicAbove()
    {
        Assert.Equal(15, LogMelSpectrogram.HzToMel(1_000), 12);
        Assert.Equal(1.5, LogMelSpectrogram.HzToMel(100), 12);
        Assert.Equal(15 + 27, LogMelSpectrogram.HzToMel(6_400), 9);
        Assert.Equal(1_234.5, LogMelSpectrogram.MelToHz(LogMelSpectrogram.HzToMel(1_234.5)), 9);
    }

    [Fact]
    public void Filterbank_HasNoEmptyBandAndSlaneyAreaNormalisation()
    {
        var spectrogram = new LogMelSpectrogram(LogMelParameters.Default);
        var fb = spectrogram.FilterbankMatrix();
        var edges = spectrogram.BandEdgesHz();
        const int bins = 129;
        const double binHz = 4_000.0 / 256;

        Assert.Equal(64 * bins, fb.Length);
        Assert.Equal(20, edges[0], 9);
        Assert.Equal(2_000, edges[^1], 9);
        for (var m = 0; m < 64; m++)
        {
            var row = fb.AsSpan(m * bins, bins);
            Assert.True(row.IndexOfAnyExcept(0f) >= 0, $"band {m} is empty");
            if (edges[m + 2] - edges[m] >= 4 * binHz)
            {
                // Σ_k F[m, k] · Δf ≈ area of a triangle of height 2 / width = 1.
                var area = row.ToArray().Sum(w => (double)w) * binHz;
                Assert.InRange(area, 0.9, 1.1);
            }
        }
    }

    [Fact]
    public void Compute_MatchesTheDocumentedFormulaEvaluatedDirectlyInDoublePrecision()
    {
        AssertMatchesReference(LogMelParameters.Default);
    }

    [Fact]
    public void Compute_WithANonPowerOfTwoFftAndAShorterWindow_MatchesTheDocumentedFormula()
    {
        AssertMatchesReference(LogMelParameters.Default with { FftSize = 200, WindowLength = 160, HopLength = 50, MelBands = 40 });
    }

    [Fact]
    public void Compute_PureTone_PeaksInTheBandCentredNearestToIt()
    {
        var spectrogram = new LogMelSpectrogram(LogMelParameters.Default);
        var edges = spectrogram.BandEdgesHz();
        var tone = SyntheticAuscultation.Tones(1, 4_000, (0.1, 300)).Select(v => (float)v).ToArray();

        var features = spectrogram.Compute(tone);

        var peak = Enumerable.Range(0, 64).MaxBy(m => features[m, 10]);
        var nearest = Enumerable.Range(0, 64).MinBy(m => Math.Abs(edges[m + 1] - 300));
        Assert.InRange(peak, nearest - 1, nearest + 1);
    }

    [Fact]
    public void Compute_Silence_IsTheLogOfTheOffset()
    {
        var features = new LogMelSpectrogram(LogMelParameters.Default).Compute(new float[1_000]);

        Assert.All(features.ToArray(), v => Assert.Equal(Math.Log(1e-6), v, 5));
    }

    /// <summary>
    /// An independent implementation of the formula in <see cref="LogMelSpectrogram"/>'s documentation: direct DFT (what the
    /// PyTorch conv1d front end computes), librosa-style Slaney filterbank, natural log, in double precision.
    /// </summary>
    private static void AssertMatchesReference(LogMelParameters p)
    {
        var random = new Random(5);
        var signal = SyntheticAuscultation.Add(SyntheticAuscultation.HeartSound(1.5, p.SampleRate), SyntheticAuscultation.WhiteNoise(1.5, p.SampleRate, 0.01))
            .Select(v => (float)v).ToArray();
        var n = p.FftSize;
        var bins = (n / 2) + 1;
        var window = new double[n];
        for (var j = 0; j < p.WindowLength; j++)
        {
            window[((n - p.WindowLength) / 2) + j] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * j / p.WindowLength));
        }

        static double Mel(double f) => f < 1000 ? f / (200.0 / 3) : 15 + (Math.Log(f / 1000) / (Math.Log(6.4) / 27));
        static double Hz(double m) => m < 15 ? m * (200.0 / 3) : 1000 * Math.Exp((m - 15) * Math.Log(6.4) / 27);
        var f = Enumerable.Range(0, p.MelBands + 2).Select(i => Hz(Mel(p.MinFrequency) + ((Mel(p.MaxFrequency) - Mel(p.MinFrequency)) * i / (p.MelBands + 1)))).ToArray();
        var frames = 1 + ((signal.Length - n) / p.HopLength);

        var actual = new LogMelSpectrogram(p).Compute(signal);

        Assert.Equal(frames, actual.Frames);
        var worst = 0.0;
        for (var t = 0; t < frames; t++)
        {
            var power = new double[bins];
            for (var k = 0; k < bins; k++)
            {
                double re = 0, im = 0;
                for (var j = 0; j < n; j++)
                {
                    var v = window[j] * signal[(t * p.HopLength) + j];
                    re += v * Math.Cos(2 * Math.PI * j * k / n);
                    im -= v * Math.Sin(2 * Math.PI * j * k / n);
                }

                power[k] = (re * re) + (im * im);
            }

            for (var m = 0; m < p.MelBands; m++)
            {
                var sum = 0.0;
                for (var k = 0; k < bins; k++)
                {
                    var fk = (double)k * p.SampleRate / n;
                    var weight = Math.Max(0, Math.Min((fk - f[m]) / (f[m + 1] - f[m]), (f[m + 2] - fk) / (f[m + 2] - f[m + 1]))) * 2 / (f[m + 2] - f[m]);
                    sum += weight * power[k];
                }

                worst = Math.Max(worst, Math.Abs(Math.Log(sum + p.LogOffset) - actual[m, t]));
            }
        }

        Assert.True(worst < 1e-4, $"largest difference {worst:G3}");
    }
}
