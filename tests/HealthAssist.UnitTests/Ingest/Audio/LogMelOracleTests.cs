using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using HealthAssist.Ingest.Audio;
using Xunit.Abstractions;

namespace HealthAssist.UnitTests.Ingest.Audio;

/// <summary>
/// The C# log-mel features against an independent float32 numpy front end built the way the PyTorch encoder builds it
/// (fixed windowed DFT kernels as a strided matrix product, i.e. conv1d). Needs /usr/bin/python3 with numpy
/// (python3-numpy, installed by scripts/test.sh).
/// </summary>
public sealed class LogMelOracleTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData(4_000, 256, 256, 64, 64, 20, 2_000)]
    [InlineData(8_000, 400, 320, 160, 40, 50, 4_000)]
    public async Task Compute_AgreesWithAFloat32Conv1dFrontEndWithin1e4(int rate, int fft, int window, int hop, int mels, double fmin, double fmax)
    {
        var parameters = new LogMelParameters { SampleRate = rate, FftSize = fft, WindowLength = window, HopLength = hop, MelBands = mels, MinFrequency = fmin, MaxFrequency = fmax };
        var wav = WavBuilder.Pcm(16).Rate(44_100).Samples(SyntheticAuscultation.HeartSound(6, 44_100)).Build();
        var conditioned = AudioConditioner.Condition(wav, options: new AudioConditioningOptions { TargetSampleRate = rate });
        var spectrogram = new LogMelSpectrogram(parameters);
        var features = spectrogram.Compute(conditioned.Samples);
        var folder = Directory.CreateTempSubdirectory("logmel-oracle-");
        try
        {
            string Write(string name, ReadOnlySpan<float> values)
            {
                var path = Path.Combine(folder.FullName, name);
                File.WriteAllBytes(path, MemoryMarshal.AsBytes(values).ToArray());
                return path;
            }

            var script = Path.Combine(Security.RolePermissionsTests.RepositoryRoot(), "tests", "HealthAssist.UnitTests", "Ingest", "Audio", "logmel_oracle.py");
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[]
            {
                script, Write("wave.f32", conditioned.Samples), Write("logmel.f32", features.Values), Write("fb.f32", spectrogram.FilterbankMatrix()),
                $"{rate}", $"{fft}", $"{window}", $"{hop}", $"{mels}", fmin.ToString(CultureInfo.InvariantCulture), fmax.ToString(CultureInfo.InvariantCulture), "1e-6",
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var output = await stdout;
            Assert.True(process.ExitCode == 0, $"log-mel oracle failed (needs python3-numpy; ./scripts/test.sh installs it): {await stderr}");
            log.WriteLine(output);
            using var result = JsonDocument.Parse(output);
            var root = result.RootElement;

            Assert.Equal([mels, features.Frames], root.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.True(root.GetProperty("filterbank_max").GetDouble() < 1e-7, output);
            Assert.True(root.GetProperty("max").GetDouble() < 1e-4, output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
