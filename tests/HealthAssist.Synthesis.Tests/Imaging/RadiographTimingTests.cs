using System.Diagnostics;
using HealthAssist.Dicom;
using HealthAssist.Dicom.IO;
using HealthAssist.Synthesis.Imaging;
using Xunit.Abstractions;

namespace HealthAssist.Synthesis.Tests.Imaging;

[CollectionDefinition(nameof(RadiographTimingTests), DisableParallelization = true)]
public sealed class RadiographTimingRunsAlone;

/// <summary>
/// Generation time, printed and not asserted (shared CI machines are too noisy for a bound). Runs alone, after the
/// parallel tests; a Debug build is several times slower than Release, which is what `healthassist synth` ships.
/// </summary>
[Collection(nameof(RadiographTimingTests))]
public sealed class RadiographTimingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1024, 1024)]
    [InlineData(1536, 1536)]
    [InlineData(2048, 1720)]
    public void GenerationTime_IsPrinted(int rows, int columns)
    {
        var request = RadiographRequests.Request(new RadiographFindings(0.2, 0.1, LungZone.RightLower, 0.7, EffusionSide.Right, 0.3, 0), new RadiographStyle("DX", rows, columns, 14, false, 1, false, "ROSSI^GIULIA"));
        for (var seed = 100; seed < 103; seed++)
        {
            RadiographSynthesizer.Create(request, seed); // warm-up (JIT)
        }

        const int Count = 10;
        var create = Stopwatch.StartNew();
        var files = new List<DicomFile>();
        for (var seed = 1; seed <= Count; seed++)
        {
            files.Add(RadiographSynthesizer.Create(request, seed).File);
        }

        create.Stop();
        var write = Stopwatch.StartNew();
        foreach (var file in files)
        {
            DicomWriter.Write(file);
        }

        var build = IsOptimized() ? "Release" : "Debug";
        output.WriteLine($"{rows}×{columns}: create {create.Elapsed.TotalMilliseconds / Count:F1} ms, write {write.Elapsed.TotalMilliseconds / Count:F1} ms per image ({Environment.ProcessorCount} cores, one thread, {build} build)");
    }

    private static bool IsOptimized() =>
        typeof(RadiographSynthesizer).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false) is not [DebuggableAttribute { IsJITOptimizerDisabled: true }];
}
