using System.CommandLine;
using System.Globalization;
using HealthAssist.Synthesis;

namespace HealthAssist.Cli.Commands;

/// <summary><c>healthassist bench synth</c>: time to write a cohort with every modality (target: 1,000 patients in 2 minutes).</summary>
internal static class SynthBench
{
    public static Command Create(CliContext context)
    {
        var patients = new Option<int>("--patients") { Description = "Patients to generate", DefaultValueFactory = _ => 1000 };
        var command = new Command("synth", "Synthetic cohort generation time (written to a temporary folder, then deleted)") { patients };
        command.SetAction(async (result, _) =>
        {
            var count = result.GetValue(patients);
            var folder = Path.Combine(Path.GetTempPath(), $"healthassist-bench-synth-{Guid.NewGuid():N}");
            try
            {
                var summary = CohortWriter.Write(folder, new SynthesisOptions(count, 1));
                var bytes = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{summary.Patients} patients ({summary.Images} radiographs, {summary.HeartRecordings + summary.LungRecordings} recordings, {summary.Resources} FHIR resources, {bytes / 1e9:F2} GB) in {summary.Elapsed.TotalSeconds:F1} s = {summary.Elapsed.TotalMilliseconds / summary.Patients:F1} ms per patient on {Environment.ProcessorCount} cores (target: 1,000 in 120 s)"));
                return ExitCodes.Success;
            }
            finally
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        });
        return command;
    }
}
