using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HealthAssist.Ingest.Audio;

namespace HealthAssist.Cli.Commands;

/// <summary>
/// <c>healthassist bench audio</c>: latency of turning a 30 s 44.1 kHz stereo 16-bit auscultation WAV (built in memory)
/// into its quality report and log-mel features, p50 and p99 after warm-up, beside the baselines of decoding alone and of
/// decoding plus conditioning (mix-down, resampling to the model rate, normalisation). One thread; the minimum is printed
/// too, as the figure least disturbed by other work on the machine.
/// </summary>
internal static class AudioBench
{
    public static Command Create(CliContext context)
    {
        var iterations = new Option<int>("--iterations") { Description = "Measured runs per row", DefaultValueFactory = _ => 200 };
        var seconds = new Option<int>("--seconds") { Description = "Length of the synthetic recording (s)", DefaultValueFactory = _ => 30 };
        var command = new Command("audio", "Auscultation WAV → quality report + log-mel features latency (p50, p99) vs decode-only") { iterations, seconds };
        command.SetAction((result, _) => RunAsync(context, result.GetValue(iterations), result.GetValue(seconds), CliContext.Json(result)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, int iterations, int seconds, bool json)
    {
        if (iterations < 1 || seconds is < 1 or > 600)
        {
            throw new UsageException("--iterations must be positive and --seconds 1–600.");
        }

        const int rate = 44_100;
        var wav = HeartSoundWav(seconds, rate);
        var pipeline = new AuscultationPipeline();
        var decode = BenchTiming.Measure(() => _ = WavReader.Read(wav), iterations);
        var condition = BenchTiming.Measure(() => _ = AudioConditioner.Condition(wav), iterations);
        AuscultationFeatures? features = null;
        var full = BenchTiming.Measure(() => features = pipeline.Process(wav, SoundType.Heart, "mitral area"), iterations);
        var heartRate = features!.Quality.Find(AudioQualityAnalyzer.HeartRate)?.Value;

        var o = context.Out;
        if (json)
        {
            await o.WriteLineAsync(JsonSerializer.Serialize(new
            {
                recording = $"{seconds} s, {rate} Hz, 2 channels, PCM 16-bit",
                bytes = wav.Length,
                iterations,
                cores = Environment.ProcessorCount,
                decodeOnly = Figures(decode),
                decodeAndCondition = Figures(condition),
                qualityAndLogMel = Figures(full),
                shape = features.LogMel.Shape,
                heartRateBpm = heartRate,
            }));
            return ExitCodes.Success;
        }

        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"recording: {seconds} s, {rate} Hz stereo PCM 16-bit, {wav.Length / 1048576.0:F1} MiB; {iterations} runs after warm-up; {Environment.ProcessorCount} cores, one thread"));
        await o.WriteLineAsync($"{"measurement",-60} {"p50 ms",8} {"p99 ms",8} {"min ms",8}");
        await Row(o, "baseline: decode only (WAV bytes → new float[] samples)", decode);
        await Row(o, "baseline: decode + mix-down + resample to 4 kHz + normalise", condition);
        await Row(o, "WAV bytes → quality report + log-mel features", full);
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"features [{features.LogMel.MelBands}, {features.LogMel.Frames}]; estimated heart rate {heartRate:F1} bpm (synthetic 72); quality {(features.Quality.AllPassed ? "all checks passed" : "checks failed")}"));
        return ExitCodes.Success;
    }

    private static Task Row(TextWriter o, string name, List<double> samples) =>
        o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name,-60} {BenchTiming.Percentile(samples, 50),8:F2} {BenchTiming.Percentile(samples, 99),8:F2} {samples.Min(),8:F2}"));

    private static object Figures(List<double> samples) => new { p50Ms = BenchTiming.Percentile(samples, 50), p99Ms = BenchTiming.Percentile(samples, 99), minMs = samples.Min() };

    /// <summary>A 16-bit stereo WAV of heart-sound-like S1/S2 bursts at 72 bpm over low-level noise (deterministic).</summary>
    private static byte[] HeartSoundWav(int seconds, int rate)
    {
        var frames = seconds * rate;
        var wav = new byte[44 + (frames * 4)];
        "RIFF"u8.CopyTo(wav);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(4), (uint)(wav.Length - 8));
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(22), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(24), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(28), (uint)(rate * 4));
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(32), 4);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(34), 16);
        "data"u8.CopyTo(wav.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), (uint)(frames * 4));
        var random = new Random(72);
        var period = 60.0 / 72;
        for (var i = 0; i < frames; i++)
        {
            var t = (double)i / rate;
            var phase = t % period;
            var s1 = 0.5 * Math.Exp(-0.5 * Math.Pow((phase - 0.1) / 0.02, 2)) * Math.Sin(2 * Math.PI * 60 * t);
            var s2 = 0.35 * Math.Exp(-0.5 * Math.Pow((phase - 0.4) / 0.015, 2)) * Math.Sin(2 * Math.PI * 90 * t);
            var noise = 0.02 * ((random.NextDouble() * 2) - 1);
            var left = s1 + s2 + noise;
            var right = (0.9 * (s1 + s2)) + noise;
            BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(44 + (i * 4)), (short)Math.Round(left * 32767));
            BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(46 + (i * 4)), (short)Math.Round(right * 32767));
        }

        return wav;
    }
}
