using HealthAssist.Synthesis.Audio;

namespace HealthAssist.Synthesis.Tests.Audio;

public sealed class SignalPathTests
{
    [Theory]
    [InlineData(4_000, 16_000)]
    [InlineData(8_000, 16_000)]
    [InlineData(11_025, 22_050)]
    [InlineData(16_000, 16_000)]
    [InlineData(22_050, 22_050)]
    [InlineData(44_100, 44_100)]
    public void InternalRate_IsTheSmallestMultipleOfTheFileRateOfAtLeast16kHz(int fileRate, int internalRate) =>
        Assert.Equal(internalRate, AuscultationSynthesizer.InternalRate(fileRate));

    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    public void Decimation_PassesTheAuscultationBand_AndStopsWhatWouldAlias(int factor)
    {
        const int outputRate = 4_000;
        var inputRate = outputRate * factor;

        // 1 kHz lies in the pass band; 2.5 kHz would fold onto 1.5 kHz at 4 kHz without the low-pass.
        var passed = Rms(Decimator.Decimate(Tone(inputRate, 1_000), factor, outputRate));
        var stopped = Rms(Decimator.Decimate(Tone(inputRate, 2_500), factor, outputRate));

        Assert.InRange(passed, 0.7071 * 0.99, 0.7071 * 1.01);
        Assert.True(20 * Math.Log10(stopped / 0.7071) < -60, $"2.5 kHz attenuated by only {20 * Math.Log10(stopped / 0.7071):F1} dB");
    }

    [Fact]
    public void Decimation_AddsNoDelay()
    {
        var input = new float[16_000];
        input[8_000] = 1; // an impulse at 0.5 s

        var output = Decimator.Decimate(input, 4, 4_000);

        var peak = Array.IndexOf(output, output.Max());
        Assert.Equal(2_000, peak);
    }

    [Theory]
    [InlineData("Saint Bartholomew's Regional Medical Center", 32, "Saint Bartholomew's Regional Med")]
    [InlineData("Hôpital Européen Georges-Pompidou", 12, "Hôpital Eur")] // ô and é take two bytes each; no character is split
    [InlineData("short", 32, "short")]
    public void FitUtf8_KeepsTheLongestWholeCharacterPrefix(string text, int bytes, string expected) =>
        Assert.Equal(expected, WavFileWriter.FitUtf8(text, bytes));

    private static float[] Tone(int rate, double frequency)
    {
        var tone = new float[rate];
        for (var i = 0; i < tone.Length; i++)
        {
            tone[i] = (float)Math.Sin(2 * Math.PI * frequency * i / rate);
        }

        return tone;
    }

    /// <summary>RMS of the middle half, away from the edges where the filter runs off the signal.</summary>
    private static double Rms(float[] x)
    {
        double sum = 0;
        for (var i = x.Length / 4; i < 3 * x.Length / 4; i++)
        {
            sum += x[i] * (double)x[i];
        }

        return Math.Sqrt(sum / (x.Length / 2));
    }
}
