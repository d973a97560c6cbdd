using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HealthAssist.Cli.Cohorts;
using HealthAssist.Deidentify;
using HealthAssist.Deidentify.Fhir;
using HealthAssist.Dicom.Imaging;
using HealthAssist.Encode.Export;
using HealthAssist.Encode.Inputs;
using HealthAssist.Encode.Registry;
using HealthAssist.Ingest.Fhir;

namespace HealthAssist.Cli.Commands;

/// <summary>
/// <c>healthassist features export --cohort DIR --out DIR</c>: every case of a synthetic cohort through the serving
/// pipeline's de-identification and input builders, written as NumPy tensors for the training scripts
/// (models/training/README.md), so training and serving preprocess identically. Cases whose Consent denies research
/// use are left out.
/// </summary>
internal static class FeaturesCommand
{
    private const string ExporterVersion = "1.0.0";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly string[] Identity = ["case_id", "patient"];
    private static readonly string[] Statuses = ["image_status", "heart_status", "lung_status"];

    private static readonly string[] LabelColumns =
    [
        "pneumonia", "heart_failure", "copd_exacerbation", "aortic_stenosis", "pleural_effusion", "death_30d", "icu_48h", "readmission_30d",
        "age", "sex", "race", "ethnicity", "spo2_measurement_shift", "degraded_low_contrast", "degraded_noisy_audio", "degraded_clipped_audio",
        "degraded_short_audio", "burned_in_text",
    ];

    public static Command Create(CliContext context)
    {
        var cohort = new Option<DirectoryInfo>("--cohort") { Description = "A cohort written by `healthassist synth`", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (created; must be empty or absent)", Required = true };
        var export = new Command("export", "Write the model-input tensors of every case (NumPy .npy) with labels, for training") { cohort, output };
        export.SetAction(async (result, cancellationToken) =>
        {
            var summary = Export(context, result.GetRequiredValue(cohort), result.GetRequiredValue(output), cancellationToken);
            await context.Out.WriteLineAsync(CliContext.Json(result)
                ? JsonSerializer.Serialize(summary, JsonSerializerOptions.Web)
                : string.Create(CultureInfo.InvariantCulture,
                    $"Exported {summary.Cases} cases ({summary.Excluded} excluded by consent; present: {string.Join(", ", summary.Present.Select(p => $"{p.Key} {p.Value}"))}) in {summary.Seconds:F1} s"));
            return ExitCodes.Success;
        });
        var features = new Option<DirectoryInfo>("--features") { Description = "A folder written by `features export`", Required = true };
        var model = new Option<FileInfo>("--model")
        {
            Description = "ResNet18.onnx from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package (tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx in the NuGet cache)",
            Required = true,
        };
        var resnet = new Command("resnet18", "Add image_resnet18.npy: the ImageNet ResNet18 featurizer's 512 features of every exported image (for the backbone comparison)") { features, model };
        resnet.SetAction(async (result, cancellationToken) =>
        {
            var (cases, images, seconds) = ResNet18Features.Write(result.GetRequiredValue(features).FullName, result.GetRequiredValue(model).FullName, cancellationToken);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Wrote ResNet18 features of {images} images ({cases} cases) in {seconds:F1} s"));
            return ExitCodes.Success;
        });
        return new Command("features", "Model input tensors") { export, resnet };
    }

    internal sealed record ExportSummary(int Cases, int Excluded, IReadOnlyDictionary<string, int> Present, IReadOnlyDictionary<string, int> Rejections, double Seconds);

    private static ExportSummary Export(CliContext context, DirectoryInfo cohort, DirectoryInfo output, CancellationToken cancellationToken)
    {
        var source = SyntheticCohort.Open(cohort.FullName);
        var labelsPath = Path.Combine(cohort.FullName, "labels.csv");
        if (output.Exists && output.EnumerateFileSystemInfos().Any())
        {
            throw new UsageException($"{output.FullName} is not empty; choose a new folder");
        }

        output.Create();
        var watch = Stopwatch.StartNew();
        var models = ModelDirectory.Locate(context.Environment.Configuration["Models:Path"]);
        var specification = FeatureSpecification.Load(Path.Combine(models, "features", "feature-spec.v1.json"));
        var profile = FhirDeidentificationProfile.Load(Path.Combine(models, "deid", "fhir-profile.v1.json"));
        using var keys = context.Environment.LoadKeys();
        var deidentifier = new CaseDeidentifier(profile, keys.DeploymentSecret);
        var builder = new ModelInputBuilder(specification, gdcm: GdcmDecoder.Default);
        var input = builder.Specification;
        var rows = source.Rows;

        var present = Modalities.All.ToDictionary(m => m.Key(), _ => 0);
        var rejections = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var excluded = 0;
        var featureCount = specification.FeatureNames.Count;
        using (var tabular = new NpyWriter(Path.Combine(output.FullName, "tabular.npy"), featureCount))
        using (var mask = new NpyWriter(Path.Combine(output.FullName, "tabular_mask.npy"), featureCount))
        using (var image = new NpyWriter(Path.Combine(output.FullName, "image.npy"), [.. input.Image.Shape]))
        using (var heart = new NpyWriter(Path.Combine(output.FullName, "heart.npy"), [.. input.Audio.Shape]))
        using (var lung = new NpyWriter(Path.Combine(output.FullName, "lung.npy"), [.. input.Audio.Shape]))
        using (var note = new NpyWriter(Path.Combine(output.FullName, "note.npy"), input.Note.Dimension))
        using (var presence = new NpyWriter(Path.Combine(output.FullName, "present.npy"), Modalities.All.Count))
        using (var cases = new StreamWriter(Path.Combine(output.FullName, "cases.csv"), false, new UTF8Encoding(false)))
        {
            cases.Write(string.Join(',', Identity.Concat(LabelColumns).Concat(Statuses)) + "\n");

            // Cases are prepared in parallel in chunks and written in cohort order, so the files are the same on every run.
            foreach (var chunk in rows.Where(r => !IsResearchDenied(r, ref excluded)).Chunk(64))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var prepared = new (DeidentifiedCase Case, ModelInputs Inputs)[chunk.Length];
                Parallel.For(0, chunk.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                {
                    var deidentified = deidentifier.Deidentify(source.Inputs(chunk[i]));
                    prepared[i] = (deidentified, builder.Build(deidentified));
                });

                for (var i = 0; i < chunk.Length; i++)
                {
                    var (deidentified, inputs) = prepared[i];
                    tabular.Append(inputs.Tabular.Values);
                    mask.Append(inputs.Tabular.Mask);
                    image.Append(inputs.Image?.Tensor);
                    heart.Append(inputs.Heart?.Tensor);
                    lung.Append(inputs.Lung?.Tensor);
                    note.Append(inputs.Note);
                    presence.Append(inputs.PresenceMask());
                    foreach (var modality in inputs.Present)
                    {
                        present[modality.Key()]++;
                    }

                    foreach (var rejected in inputs.Rejected)
                    {
                        var reason = rejected.Modality + ": " + rejected.Reason;
                        rejections[reason] = rejections.GetValueOrDefault(reason) + 1;
                    }

                    var row = chunk[i];
                    var fields = new[] { row["case_id"], deidentified.Pseudonym.Value }
                        .Concat(LabelColumns.Select(c => row.GetValueOrDefault(c, string.Empty)))
                        .Concat([Status(inputs, "image", row["image"]), Status(inputs, "heart-sound", row["heart_audio"]), Status(inputs, "lung-sound", row["lung_audio"])]);
                    cases.Write(string.Join(',', fields.Select(Quote)) + "\n");
                }
            }
        }

        var cohortInfo = File.Exists(Path.Combine(cohort.FullName, "cohort.json"))
            ? JsonDocument.Parse(File.ReadAllText(Path.Combine(cohort.FullName, "cohort.json"))).RootElement.Clone()
            : default;
        var manifest = new Dictionary<string, object?>
        {
            ["exporterVersion"] = ExporterVersion,
            ["inputSpecification"] = input,
            ["featureSpecification"] = specification.Version,
            ["featureNames"] = specification.FeatureNames,
            ["deidentificationProfile"] = profile.Version,
            ["modalities"] = Modalities.All.Select(m => m.Key()).ToArray(),
            ["image"] = new { shape = input.Image.Shape },
            ["audio"] = new { shape = input.Audio.Shape, sampleRate = input.Audio.LogMel.SampleRate },
            ["note"] = new { dimension = input.Note.Dimension },
            ["cases"] = rows.Count - excluded,
            ["excludedByConsent"] = excluded,
            ["present"] = present,
            ["rejections"] = rejections,
            ["cohort"] = cohortInfo.ValueKind == JsonValueKind.Undefined ? null : cohortInfo,
            ["labelsSha256"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(labelsPath))),
        };
        File.WriteAllText(Path.Combine(output.FullName, "export.json"), JsonSerializer.Serialize(manifest, Indented));
        return new ExportSummary(rows.Count - excluded, excluded, present, rejections, watch.Elapsed.TotalSeconds);
    }

    private static bool IsResearchDenied(IReadOnlyDictionary<string, string> row, ref int excluded)
    {
        // A research-use refusal keeps the case out of training.
        var denied = SyntheticCohort.DeniesResearch(row);
        excluded += denied ? 1 : 0;
        return denied;
    }

    private static string Status(ModelInputs inputs, string modality, string file)
    {
        if (string.IsNullOrEmpty(file))
        {
            return "missing";
        }

        var rejected = inputs.Rejected.FirstOrDefault(r => r.Modality == modality);
        return rejected is null ? "present" : "rejected: " + rejected.Reason;
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal).Replace('\n', ' ') + "\"" : value;
}
