using HealthAssist.Dicom.IO;
using HealthAssist.Synthesis.Imaging;
using Xunit.Abstractions;

namespace HealthAssist.Synthesis.Tests.Imaging;

/// <summary>Written radiographs checked by independent tools: dciodvfy (IOD conformance), dcmdump, pydicom.</summary>
public sealed class RadiographOracleTests(ITestOutputHelper output)
{
    public static TheoryData<string, int, int, bool, int, bool, string?> Styles() => new()
    {
        { "CR", 1024, 12, false, 0, false, null },
        { "CR", 1024, 12, true, 1, false, "ROSSI^GIULIA 15-MAR-2024" },
        { "CR", 1536, 14, false, 2, true, null },
        { "CR", 1024, 16, true, 3, false, null },
        { "DX", 1024, 12, false, 0, false, null },
        { "DX", 1024, 14, true, 1, false, null },
        { "DX", 2048, 16, false, 2, false, "MRN48213007 ACC2024031588" },
        { "DX", 1024, 16, true, 3, true, "PORTABLE" },
    };

    [Theory]
    [MemberData(nameof(Styles))]
    public void WrittenFile_HasNoDciodvfyErrors_AndDcmdumpAndPydicomReadIt(string modality, int size, int bits, bool monochrome1, int windowTags, bool lowContrast, string? text)
    {
        var style = new RadiographStyle(modality, size, size, bits, monochrome1, windowTags, lowContrast, text);
        var findings = new RadiographFindings(0.6, 0.3, LungZone.LeftLower, 0.5, EffusionSide.Left, 0.4, 0.2);
        var path = Path.Combine(Path.GetTempPath(), $"ha-synth-cxr-{modality}-{size}-{bits}-{windowTags}-{monochrome1}-{lowContrast}-{text is not null}.dcm");
        try
        {
            DicomWriter.WriteFile(path, RadiographSynthesizer.Create(RadiographRequests.Request(findings, style), 11).File);

            var verify = ExternalTool.Run("dciodvfy", path);
            var lines = (verify.Output + "\n" + verify.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var line in lines)
            {
                output.WriteLine(line);
            }

            var errors = lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 0, $"dciodvfy errors:\n{string.Join('\n', errors)}");

            var dump = ExternalTool.Run("dcmdump", "-q", path);
            Assert.True(dump.ExitCode == 0 && dump.Error.Length == 0, $"dcmdump: {dump.Error}");
            Assert.Contains(monochrome1 ? "MONOCHROME1" : "MONOCHROME2", dump.Output, StringComparison.Ordinal);

            var python = ExternalTool.Run(
                "/usr/bin/python3",
                "-c",
                "import sys, pydicom; a = pydicom.dcmread(sys.argv[1]).pixel_array; print(a.shape[0], a.shape[1], int(a.min()), int(a.max()))",
                path);
            Assert.True(python.ExitCode == 0, $"pydicom: {python.Error}");
            var numbers = python.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
            Assert.Equal(size, numbers[0]);
            Assert.Equal(size, numbers[1]);
            Assert.InRange(numbers[3], numbers[2] + 1, (1 << bits) - 1);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("Nørgaard^Søren", 1)]
    [InlineData("Nørgaard^Søren", 2)]
    [InlineData("Nørgaard^Søren", 3)]
    [InlineData("Nørgaard^Søren", 4)]
    [InlineData("王^小明", 1)]
    public void NonAsciiNames_AreDeclaredInTheCharacterSet_AndPydicomDecodesThem(string patientName, int seed)
    {
        var identity = RadiographRequests.Identity(patientName: patientName);
        var radiograph = RadiographSynthesizer.Create(RadiographRequests.Request(identity: identity), seed);
        var path = Path.Combine(Path.GetTempPath(), $"ha-synth-cxr-name-{seed}-{patientName.Length}.dcm");
        try
        {
            DicomWriter.WriteFile(path, radiograph.File);

            var verify = ExternalTool.Run("dciodvfy", path);
            var errors = (verify.Output + "\n" + verify.Error).Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 0, $"dciodvfy errors:\n{string.Join('\n', errors)}");
            var python = ExternalTool.Run(
                "/usr/bin/python3",
                "-c",
                "import sys, pydicom; d = pydicom.dcmread(sys.argv[1]); sys.stdout.buffer.write((str(d.SpecificCharacterSet) + '|' + str(d.PatientName)).encode('utf-8'))",
                path);
            Assert.True(python.ExitCode == 0, $"pydicom: {python.Error}");
            output.WriteLine(python.Output);
            var parts = python.Output.Split('|');
            Assert.Contains(parts[0], new[] { "ISO_IR 100", "ISO_IR 192" });
            Assert.Equal(patientName, parts[1]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
