using System.Diagnostics;

namespace HealthAssist.Tests;

/// <summary>
/// Runs an installed oracle (dciodvfy, dcmdump, dcmconv, python3) and collects its output; compiled into every test
/// project through tests/Directory.Build.props.
/// </summary>
internal static class ExternalTool
{
    public static (int ExitCode, string Output, string Error) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start (install it: ./scripts/test.sh).");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish in 60 s.");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
