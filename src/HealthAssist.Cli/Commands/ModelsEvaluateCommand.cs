using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HealthAssist.Cli.Cohorts;
using HealthAssist.Deidentify;
using HealthAssist.Deidentify.Fhir;
using HealthAssist.Dicom.Imaging;
using HealthAssist.Encode.Inputs;
using HealthAssist.Encode.Registry;
using HealthAssist.Encode.Runtime;
using HealthAssist.Evaluation;
using HealthAssist.Fuse;
using HealthAssist.Ingest.Fhir;

namespace HealthAssist.Cli.Commands;

/// <summary>
/// <c>healthassist models evaluate --cohort DIR</c>: the fusion model (and its baseline) on a synthetic cohort through
/// the serving pipeline's de-identification and input builders; per-head metrics with bootstrap intervals, the
/// ablation table, subgroups and the issue's targets. <c>--write-cards</c> writes every model's card from the result
/// and re-seals the manifests. Exit 1 when a target is not met.
/// </summary>
internal static class ModelsEvaluateCommand
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerOptions.Web) { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var cohort = new Option<DirectoryInfo>("--cohort") { Description = "A cohort from `healthassist synth` generated with a seed never used in training", Required = true };
        var model = new Option<string>("--model") { Description = "Fusion model (name or name@version)", DefaultValueFactory = _ => "fusion" };
        var baseline = new Option<string>("--baseline") { Description = "Baseline fusion model to compare with, or 'none'", DefaultValueFactory = _ => "fusion-baseline" };
        var resamples = new Option<int>("--resamples") { Description = "Bootstrap resamples", DefaultValueFactory = _ => 1_000 };
        var reduced = new Option<bool>("--reduced") { Description = "Judge the targets with the wider tolerances of a reduced cohort (a few hundred patients)" };
        var cards = new Option<bool>("--write-cards") { Description = "Write card.md of the fusion model and its encoders from this evaluation, and re-seal them" };
        var report = new Option<FileInfo?>("--report") { Description = "Write the full report (JSON) here" };
        var command = new Command("evaluate", "Metrics, ablation, subgroups and targets of the fusion model on a cohort")
        {
            cohort, model, baseline, resamples, reduced, cards, report,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(resamples) is < 100 or > 100_000)
            {
                throw new UsageException("--resamples must be between 100 and 100,000");
            }

            var registry = ModelsCommands.Registry(context);
            using var fusion = MultimodalModel.Load(registry, result.GetRequiredValue(model), Runtime(context));
            var baselineName = result.GetRequiredValue(baseline);
            using var comparator = baselineName == "none" ? null : MultimodalModel.Load(registry, baselineName, Runtime(context));
            if (comparator is not null && !comparator.Models.Where(m => m.Kind == "encoder").SequenceEqual(fusion.Models.Where(m => m.Kind == "encoder")))
            {
                throw new UsageException($"{comparator.Fusion.Id} does not use the same encoders as {fusion.Fusion.Id}");
            }

            var folder = result.GetRequiredValue(cohort).FullName;
            var synthetic = SyntheticCohort.Open(folder);
            var generator = GeneratorTruth.For(synthetic);
            var cases = Prepare(context, synthetic, fusion.Specification, [.. fusion.Labels.Select(l => l.Key)], cancellationToken, generator);
            var targets = (result.GetValue(reduced) ? EvaluationTargets.Reduced : EvaluationTargets.Standard) with { PlantedShifts = generator is null ? [] : GeneratorTruth.PlantedShifts };
            var evaluation = new ModelEvaluator(fusion, comparator, result.GetValue(resamples)).Evaluate(cases, targets);

            if (result.GetValue(report) is { } reportFile)
            {
                await File.WriteAllTextAsync(reportFile.FullName, JsonSerializer.Serialize(evaluation, Indented), cancellationToken);
            }

            if (result.GetValue(cards))
            {
                var cohortInfo = File.Exists(Path.Combine(folder, "cohort.json")) ? JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "cohort.json"))).RootElement : default;
                var source = new EvaluationSource(
                    string.Create(CultureInfo.InvariantCulture, $"A fresh synthetic cohort (`healthassist synth`, seed {(cohortInfo.ValueKind == JsonValueKind.Object ? cohortInfo.GetProperty("seed").ToString() : "?")}, never used in training)"),
                    "healthassist models evaluate --cohort COHORT --write-cards" + (result.GetValue(reduced) ? " --reduced" : string.Empty));
                WriteCards(registry, fusion, comparator, evaluation, source);
            }

            if (CliContext.Json(result))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(evaluation, JsonSerializerOptions.Web));
            }
            else
            {
                await context.Out.WriteLineAsync(Summary(evaluation));
            }

            return evaluation.AllTargetsMet ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return command;
    }

    internal static OnnxRuntimeOptions Runtime(CliContext context) =>
        context.Environment.Get<OnnxRuntimeOptions>("Models"); // Models:PreferCuda, Models:CudaDeviceId, Models:IntraOpThreads, as the service reads them

    /// <summary>Every case whose consent allows research use, de-identified and made model-ready, with its truth.</summary>
    internal static List<EvaluationCase> Prepare(
        CliContext context, SyntheticCohort cohort, InputSpecification specification, IReadOnlyList<string> labels, CancellationToken cancellationToken, GeneratorTruth? generator = null)
    {
        var models = ModelDirectory.Locate(context.Environment.Configuration["Models:Path"]);
        var features = FeatureSpecification.Load(Path.Combine(models, "features", "feature-spec.v1.json"));
        if (features.Version != specification.FeatureSpecification)
        {
            throw new UsageException($"the models were trained with feature specification {specification.FeatureSpecification}, this installation has {features.Version}");
        }

        var profile = FhirDeidentificationProfile.Load(Path.Combine(models, "deid", "fhir-profile.v1.json"));
        using var keys = context.Environment.LoadKeys();
        var deidentifier = new CaseDeidentifier(profile, keys.DeploymentSecret);
        var builder = new ModelInputBuilder(features, specification, GdcmDecoder.Default);
        var rows = cohort.Rows.Where(r => !SyntheticCohort.DeniesResearch(r)).ToList();
        var cases = new EvaluationCase[rows.Count];
        Parallel.For(0, rows.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var row = rows[i];
            var inputs = builder.Build(deidentifier.Deidentify(cohort.Inputs(row)));
            var truth = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var column in labels)
            {
                truth[column] = SyntheticCohort.Flag(row, column);
            }

            cases[i] = new EvaluationCase(row["case_id"], inputs, truth, row["sex"], int.Parse(row["age"], CultureInfo.InvariantCulture), generator?.Risks(row));
        });
        return [.. cases];
    }

    private static void WriteCards(ModelRegistry registry, MultimodalModel fusion, MultimodalModel? baseline, EvaluationReport report, EvaluationSource source)
    {
        var fusionEntry = registry.Find(fusion.Fusion.Id);
        File.WriteAllText(Path.Combine(fusionEntry.Folder, "card.md"), ModelCardWriter.Fusion(fusion.Fusion, report, source));
        ModelRegistry.Seal(fusionEntry.Folder);
        if (baseline is not null)
        {
            var baselineEntry = registry.Find(baseline.Fusion.Id);
            var baselineReport = report with
            {
                Heads = report.BaselineHeads, BaselineHeads = [], Ablation = [], FusionVersusSingle = [], Subgroups = [], Gaps = [], LeaveOneOutCost = new Dictionary<string, double>(),
                Targets = [new TargetCheck("comparison only", true, $"the baseline for {fusion.Fusion.Id}; its targets are not judged")],
            };
            File.WriteAllText(Path.Combine(baselineEntry.Folder, "card.md"), ModelCardWriter.Fusion(baseline.Fusion, baselineReport, source));
            ModelRegistry.Seal(baselineEntry.Folder);
        }

        foreach (var use in fusion.Models.Where(m => m.Kind == "encoder"))
        {
            var entry = registry.Find(use.Name, use.Version);
            File.WriteAllText(Path.Combine(entry.Folder, "card.md"), ModelCardWriter.Encoder(entry.Manifest, report, source, fusion.Fusion.Id));
            ModelRegistry.Seal(entry.Folder);
        }
    }

    private static string Summary(EvaluationReport report)
    {
        var lines = new List<string> { string.Create(CultureInfo.InvariantCulture, $"{report.Cases} cases; models: {string.Join(", ", report.Models.Select(m => $"{m.Name}@{m.Version} ({m.ExecutionProvider})"))}") };
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{"head",-20} {"AUROC (95% CI)",-24} {"baseline",8} {"AUPRC",6} {"Brier",6} {"slope",6} {"ICI",6}"));
        for (var h = 0; h < report.Heads.Count; h++)
        {
            var head = report.Heads[h];
            var baseline = report.BaselineHeads.Count > h ? report.BaselineHeads[h].Auroc.Value.ToString("F3", CultureInfo.InvariantCulture) : "-";
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{head.Key,-20} {$"{head.Auroc.Value:F3} ({head.Auroc.Lower:F3}-{head.Auroc.Upper:F3})",-24} {baseline,8} {head.Auprc,6:F3} {head.Brier,6:F3} {head.CalibrationSlope,6:F2} {head.Ici,6:F3}"));
        }

        lines.Add("ablation (AUROC, diagnoses then outcomes):");
        foreach (var row in report.Ablation.Where(r => r.Modalities.Count is 1 or >= 4))
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {row.Subset,-34} n={row.Cases,5} ") + string.Join(' ', row.Auroc.Values.Select(v => v.ToString("F3", CultureInfo.InvariantCulture))));
        }

        lines.AddRange(report.Targets.Select(t => $"{(t.Exempt ? "exempt " : t.Met ? "met    " : "NOT MET")} {t.Target}: {t.Detail}"));
        return string.Join('\n', lines);
    }
}
