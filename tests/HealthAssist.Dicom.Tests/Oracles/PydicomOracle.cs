using System.Diagnostics;
using System.Text.Json;

namespace HealthAssist.Dicom.Tests.Oracles;

/// <summary>Runs pydicom (Debian python3-pydicom, installed by scripts/test.sh) once over a set of files.</summary>
public sealed class PydicomOracle
{
    private readonly Dictionary<string, JsonElement> _results = new(StringComparer.Ordinal);

    public PydicomOracle()
    {
        Files = SampleData.AllDicomFiles();
        var script = Path.Combine(SampleData.RepositoryRoot, "tests", "oracles", "pydicom_json.py");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var file in Files)
        {
            start.ArgumentList.Add(file);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start /usr/bin/python3.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("pydicom oracle did not finish in 3 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pydicom oracle failed (install python3-pydicom: run ./scripts/test.sh): {error.Result}");
        }

        foreach (var line in output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            _results[document.RootElement.GetProperty("file").GetString()!] = document.RootElement.Clone();
        }
    }

    public IReadOnlyList<string> Files { get; }

    /// <summary>pydicom's answer for a file: ok + json, or ok=false + error.</summary>
    public JsonElement this[string file] => _results[file];
}
