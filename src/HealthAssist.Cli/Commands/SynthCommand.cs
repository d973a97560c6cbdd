using System.CommandLine;
using System.Globalization;
using HealthAssist.Synthesis;

namespace HealthAssist.Cli.Commands;

/// <summary><c>healthassist synth --patients N --seed S --out DIR</c>: the synthetic cohort (docs/synthetic-cohort.md).</summary>
internal static class SynthCommand
{
    public static Command Create(CliContext context)
    {
        var patients = new Option<int>("--patients") { Description = "Number of patients", Required = true };
        var seed = new Option<int>("--seed") { Description = "Cohort seed (same seed and version: identical files)", DefaultValueFactory = _ => 1 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (created; must be empty or absent)", Required = true };
        var minSize = new Option<int>("--min-image-size") { Description = "Smallest radiograph side in pixels", DefaultValueFactory = _ => 1024 };
        var maxSize = new Option<int>("--max-image-size") { Description = "Largest radiograph side in pixels", DefaultValueFactory = _ => 1280 };
        var command = new Command("synth", "Write a synthetic cardiopulmonary cohort: FHIR (bulk NDJSON and per-case Bundles), DICOM, WAV, labels, PHI truth")
        {
            patients, seed, output, minSize, maxSize,
        };
        command.SetAction(async (result, _) =>
        {
            var folder = result.GetRequiredValue(output);
            var count = result.GetValue(patients);
            var (min, max) = (result.GetValue(minSize), result.GetValue(maxSize));
            if (count < 1)
            {
                throw new UsageException("--patients must be at least 1");
            }

            if (min < 64 || max > 4096 || min > max)
            {
                throw new UsageException("image sizes must satisfy 64 <= --min-image-size <= --max-image-size <= 4096");
            }

            if (folder.Exists && folder.EnumerateFileSystemInfos().Any())
            {
                throw new UsageException($"{folder.FullName} is not empty; choose a new folder");
            }

            var summary = CohortWriter.Write(folder.FullName, new SynthesisOptions(count, result.GetValue(seed), min, max));
            var line = string.Create(CultureInfo.InvariantCulture,
                $"Wrote {summary.Patients} patients ({summary.Images} radiographs, {summary.HeartRecordings} heart and {summary.LungRecordings} lung recordings, {summary.Resources} FHIR resources, {summary.PlantedPhi} planted PHI items) to {folder.FullName} in {summary.Elapsed.TotalSeconds:F1} s");
            await context.Out.WriteLineAsync(CliContext.Json(result)
                ? System.Text.Json.JsonSerializer.Serialize(summary, System.Text.Json.JsonSerializerOptions.Web)
                : line);
            return ExitCodes.Success;
        });
        return command;
    }
}
