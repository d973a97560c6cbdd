using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HealthAssist.Encode.Registry;

namespace HealthAssist.Evaluation;

/// <summary>Where an evaluation's cases came from, for the card.</summary>
public sealed record EvaluationSource(string Description, string Command);

/// <summary>
/// Writes model cards (card.md) from an <see cref="EvaluationReport"/>: every number on a card comes from the
/// evaluation command, none is typed by hand.
/// </summary>
public static class ModelCardWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Fusion(ModelManifest manifest, EvaluationReport report, EvaluationSource source)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(source);
        var card = new StringBuilder();
        Header(card, manifest, "Multimodal fusion model: five diagnosis suggestions and three outcome risks from whatever of the record, chest radiograph, heart and lung sounds and clinical note a case has.");
        card.AppendLine("## Evaluation").AppendLine()
            .AppendLine(Line($"{source.Description}. {report.Cases:N0} cases; 95 % intervals from {report.Resamples:N0} bootstrap resamples of cases."))
            .AppendLine().AppendLine(Invariant, $"Produced by: `{source.Command}`").AppendLine();
        card.AppendLine("| head | kind | cases | positives | AUROC (95 % CI) | AUPRC | Brier | calibration intercept | calibration slope (95 % CI) | ICI |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var head in report.Heads)
        {
            card.AppendLine(Line($"| {head.Key} | {head.Kind} | {head.Cases:N0} | {head.Positives:N0} | {head.Auroc.Value:F3} ({head.Auroc.Lower:F3}–{head.Auroc.Upper:F3}) | {head.Auprc:F3} | {head.Brier:F3} | {head.CalibrationIntercept:F2} | {head.CalibrationSlope:F2}{(head.CalibrationSlopeInterval is { } slope ? Line($" ({slope.Lower:F2}–{slope.Upper:F2})") : string.Empty)} | {head.Ici:F3} |"));
        }

        if (report.BaselineHeads.Count > 0)
        {
            card.AppendLine().AppendLine(Line($"Baseline for comparison, `{report.Baseline}` (concatenated embeddings → one linear layer), on the same cases:")).AppendLine()
                .AppendLine("| head | fusion AUROC | baseline AUROC (95 % CI) |").AppendLine("|---|---|---|");
            foreach (var (head, baseline) in report.Heads.Zip(report.BaselineHeads))
            {
                card.AppendLine(Line($"| {head.Key} | {head.Auroc.Value:F3} | {baseline.Auroc.Value:F3} ({baseline.Auroc.Lower:F3}–{baseline.Auroc.Upper:F3}) |"));
            }
        }

        card.AppendLine().AppendLine("### Fusion against the best single modality").AppendLine()
            .AppendLine("On the cases that have that modality; the gain's interval is a paired bootstrap.").AppendLine()
            .AppendLine("| head | best single modality | its AUROC | fusion AUROC | gain (95 % CI) |").AppendLine("|---|---|---|---|---|");
        foreach (var best in report.FusionVersusSingle.GroupBy(c => c.Label).Select(g => g.OrderByDescending(c => c.SingleAuroc).First()))
        {
            card.AppendLine(Line($"| {best.Label} | {best.Modality} ({best.Cases:N0} cases) | {best.SingleAuroc:F3} | {best.FusionAuroc:F3} | {best.Gain.Value:+0.000;-0.000} ({best.Gain.Lower:F3} to {best.Gain.Upper:F3}) |"));
        }

        card.AppendLine().AppendLine("### Ablation: AUROC by the modalities the model may see").AppendLine();
        var keys = report.Heads.Select(h => h.Key).ToList();
        card.AppendLine("| modalities | cases | " + string.Join(" | ", keys) + " |").AppendLine("|---|---|" + string.Concat(keys.Select(_ => "---|")));
        foreach (var row in report.Ablation.OrderBy(r => r.Modalities.Count).ThenBy(r => r.Subset, StringComparer.Ordinal))
        {
            card.AppendLine(Line($"| {row.Subset} | {row.Cases:N0} | ") + string.Join(" | ", keys.Select(k => row.Auroc[k].ToString("F3", Invariant))) + " |");
        }

        card.AppendLine().AppendLine("Mean AUROC lost when one modality is left out: "
            + string.Join(", ", report.LeaveOneOutCost.Select(p => Line($"{p.Key} {p.Value:F3}"))) + ".").AppendLine();
        card.AppendLine("### Subgroups (AUROC)").AppendLine()
            .AppendLine("| head | " + string.Join(" | ", report.Subgroups.Select(s => s.Group).Distinct()) + " |")
            .AppendLine("|---|" + string.Concat(report.Subgroups.Select(s => s.Group).Distinct().Select(_ => "---|")));
        foreach (var group in report.Subgroups.GroupBy(s => s.Label))
        {
            card.AppendLine("| " + group.Key + " | " + string.Join(" | ", group.Select(s => Line($"{s.Auroc:F3} ({s.Positives}/{s.Cases})"))) + " |");
        }

        card.AppendLine().AppendLine("### Targets (issue 7)").AppendLine();
        foreach (var target in report.Targets)
        {
            card.AppendLine(Invariant, $"- {(target.Exempt ? "exempt" : target.Met ? "met" : "**not met**")}: {target.Target} — {target.Detail}");
        }

        Footer(card, manifest);
        return card.ToString();
    }

    public static string Encoder(ModelManifest manifest, EvaluationReport report, EvaluationSource source, string fusionId)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(source);
        var card = new StringBuilder();
        Header(card, manifest, Line($"Encoder for the {manifest.Modality} modality: turns its input tensor into a {(manifest.Outputs.Count > 0 ? manifest.Outputs[0].RowLength() : 0)}-dimensional embedding for `{fusionId}`. It makes no prediction on its own."));
        var row = report.Ablation.FirstOrDefault(r => r.Subset == manifest.Modality);
        if (row is not null)
        {
            card.AppendLine("## Evaluation").AppendLine()
                .AppendLine(Line($"{source.Description}. AUROC of `{fusionId}` when it may see only this modality ({row.Cases:N0} cases that have it):")).AppendLine()
                .AppendLine("| head | AUROC |").AppendLine("|---|---|");
            foreach (var (key, value) in row.Auroc)
            {
                card.AppendLine(Line($"| {key} | {value:F3} |"));
            }

            card.AppendLine().AppendLine(Line($"Mean AUROC the fusion model loses without this modality: {report.LeaveOneOutCost.GetValueOrDefault(manifest.Modality ?? string.Empty):F3}. Full results: the card of `{fusionId}`.")).AppendLine()
                .AppendLine(Invariant, $"Produced by: `{source.Command}`").AppendLine();
        }

        Footer(card, manifest);
        return card.ToString();
    }

    private static void Header(StringBuilder card, ModelManifest manifest, string what)
    {
        card.AppendLine(Invariant, $"# Model card: {manifest.Id}").AppendLine()
            .AppendLine("> **Demonstration model trained on synthetic data, not for clinical use.** It has never seen a real patient and is not clinically validated.").AppendLine()
            .AppendLine("## What it is").AppendLine().AppendLine(what).AppendLine();
        if (manifest.Description is { } description)
        {
            card.AppendLine(Invariant, $"Architecture: {description}.").AppendLine();
        }

        card.AppendLine("Inputs: " + string.Join(", ", manifest.Inputs.Select(i => $"`{i.Name}` [{string.Join(", ", i.Shape)}]")) + "; outputs: "
            + string.Join(", ", manifest.Outputs.Select(o => $"`{o.Name}` [{string.Join(", ", o.Shape)}]")) + ".").AppendLine();
        card.AppendLine("## Intended use").AppendLine()
            .AppendLine("Demonstrating and testing the HealthAssist pipeline (de-identification, encoding, fusion, interpretation, audit) end to end, and as the reference a hospital's own models are compared with.").AppendLine()
            .AppendLine("## Out of scope").AppendLine()
            .AppendLine("Any clinical decision, triage or patient care; any real patient population. The synthetic world it learnt from (docs/synthetic-cohort.md) plants its findings by rules that real disease does not follow.").AppendLine();
        card.AppendLine("## Training data").AppendLine();
        var data = manifest.Training?["data"];
        var cohort = data?["cohort"];
        card.AppendLine(Line($"A synthetic cohort from `healthassist synth` (generator version {cohort?["version"]}, seed {cohort?["seed"]}, {cohort?["patients"]} patients), exported with `healthassist features export` (exporter {data?["exporterVersion"]}, {data?["cases"]} cases after consent exclusions, export.json SHA-256 {data?["sha256"]}), split by patient {SplitLabel(manifest.Training?["split"])} into training, validation (calibration, thresholds, early stopping) and test. Training command: `{string.Join(' ', manifest.Training?["command"]?.AsArray().Select(a => a?.ToString()) ?? [])}` (seed {manifest.Training?["seed"]}, {manifest.Training?["wallTimeSeconds"]} s on 2 CPU cores)."))
            .AppendLine();
    }

    private static void Footer(StringBuilder card, ModelManifest manifest)
    {
        card.AppendLine("## Caveats").AppendLine()
            .AppendLine("- Synthetic labels are exact; real labels are not. Real performance would be lower and must be measured on local data before any use.")
            .AppendLine("- Images with burned-in text that no pixel-cleaning rule covers are quarantined by de-identification, so about a sixth of radiographs never reach the model.")
            .AppendLine("- Subgroup gaps are reported, not corrected. The generator plants a pulse-oximetry measurement shift for patients recorded as Black or African American (docs/synthetic-cohort.md); no model input corrects it. Death, ICU admission and readmission depend on age by design (the outcome risk model's age terms), so the outcome heads' AUROC differs between age bands and these gaps are a planted shift, not hidden.");
        if (manifest.Labels is { Count: > 0 } labels)
        {
            card.AppendLine().AppendLine("## Heads").AppendLine().AppendLine("| key | display | SNOMED CT | ICD-10 | horizon | calibration (T, b) | threshold |").AppendLine("|---|---|---|---|---|---|---|");
            foreach (var label in labels)
            {
                card.AppendLine(Line($"| {label.Key} | {label.Display} | {label.Snomed} | {label.Icd10} | {label.Horizon} | {label.Calibration.Temperature:F3}, {label.Calibration.Bias:F3} | {(label.Threshold is { } t ? t.ToString("F3", Invariant) : "—")} |"));
            }
        }
    }

    private static string Line(FormattableString text) => text.ToString(Invariant);

    /// <summary>"55/30/15" from the manifest's recorded split fractions; models packaged before 4.0.0 recorded none and used 60/20/20.</summary>
    private static string SplitLabel(JsonNode? split)
    {
        var fractions = split?["fractions"];
        if (fractions is null)
        {
            return "60/20/20";
        }

        static string Percent(JsonNode? value) => Math.Round(100 * (value?.GetValue<double>() ?? 0)).ToString(Invariant);
        return $"{Percent(fractions["train"])}/{Percent(fractions["validation"])}/{Percent(fractions["test"])}";
    }
}
