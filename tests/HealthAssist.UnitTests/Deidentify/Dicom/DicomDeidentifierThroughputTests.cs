using System.Diagnostics;
using HealthAssist.Deidentify.Dicom;
using HealthAssist.Dicom.IO;
using Xunit.Abstractions;

namespace HealthAssist.UnitTests.Deidentify.Dicom;

/// <summary>Measures (does not assert) single-thread throughput: read, de-identify and write, as the CLI does per file.</summary>
public sealed class DicomDeidentifierThroughputTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("CT_small.dcm", true)]
    [InlineData("MR_small.dcm", true)]
    [InlineData("CT_small.dcm", false)]
    public void Deidentify_Throughput_IsMeasuredPerCore(string name, bool headerOnly)
    {
        var bytes = File.ReadAllBytes(DicomSamples.FilePath(name));
        var options = new DicomReaderOptions { StopBeforePixelData = headerOnly };
        var deidentifier = new DicomDeidentifier(TestSecrets.A);
        void Once()
        {
            var result = deidentifier.Deidentify(DicomReader.Read(bytes, options));
            DicomWriter.Write(result.File!);
        }

        for (var i = 0; i < 200; i++)
        {
            Once(); // warm-up: JIT, the profile table, regexes
        }

        const int Files = 3000;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Files; i++)
        {
            Once();
        }

        watch.Stop();
        var perSecond = Files / watch.Elapsed.TotalSeconds;
        output.WriteLine($"{name} ({(headerOnly ? "header only" : "with pixel data")}): {perSecond:N0} files/s on one thread ({watch.Elapsed.TotalMilliseconds * 1000 / Files:N1} µs per file; target 200 files/s per core)");
    }
}
