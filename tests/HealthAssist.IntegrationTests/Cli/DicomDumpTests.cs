using System.Text.Json;
using HealthAssist.Cli;
using HealthAssist.IntegrationTests.Infrastructure;

namespace HealthAssist.IntegrationTests.Cli;

public sealed class DicomDumpTests
{
    private static string Sample(string name) => Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "data", "dicom", "pydicom", name));

    private static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, new Dictionary<string, string?> { ["Environment"] = "Production" });
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task DumpJson_PrintsTheDicomJsonModel()
    {
        var (code, output, _) = await RunAsync("dicom", "dump", Sample("CT_small.dcm"), "--json");

        Assert.Equal(ExitCodes.Success, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("PN", json.RootElement.GetProperty("00100010").GetProperty("vr").GetString());
        Assert.Equal("CT", json.RootElement.GetProperty("00080060").GetProperty("Value")[0].GetString());
    }

    [Fact]
    public async Task Dump_PrintsAReadableListingWithNames()
    {
        var (code, output, _) = await RunAsync("dicom", "dump", Sample("MR_small_bigendian.dcm"));

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Explicit VR Big Endian", output, StringComparison.Ordinal);
        Assert.Contains("(0028,0010) US Rows", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DumpOfATruncatedFile_ExitsTwoNamingTheOffsetAndTag()
    {
        var (code, output, error) = await RunAsync("dicom", "dump", Sample("MR_truncated.dcm"));

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("(7FE0,0010)", error, StringComparison.Ordinal);
        Assert.Contains("at byte", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DumpOfAMissingFile_ExitsTwo()
    {
        var (code, _, error) = await RunAsync("dicom", "dump", "/nonexistent/file.dcm");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
    }
}
