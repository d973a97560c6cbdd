using HealthAssist.Encode.Inputs;
using HealthAssist.Fuse;

namespace HealthAssist.Evaluation;

/// <summary>
/// One case with known truth: its model inputs, the true value of every head, and its subgroups. <paramref name="Reference"/>:
/// where the data's generator knows it, the probability a head's event was drawn from (the best any model could predict).
/// </summary>
public sealed record EvaluationCase(string CaseId, ModelInputs Inputs, IReadOnlyDictionary<string, bool> Truth, string Sex, int AgeYears, IReadOnlyDictionary<string, double>? Reference = null);

/// <summary>
/// A subgroup difference the data's generator plants on purpose and documents. For these heads by <see cref="Attribute"/>
/// the subgroup-gap target applies to the model's gap beyond the gap of the generator's own risk over the same groups;
/// without such a reference the gap is reported and not judged.
/// </summary>
public sealed record PlantedShift(string Attribute, IReadOnlyList<string> Labels, string Why);

public sealed record HeadMetrics(
    string Key, string Kind, int Cases, int Positives, Estimate Auroc, double Auprc, double Brier, double CalibrationIntercept, double CalibrationSlope, double Ici)
{
    /// <summary>The calibration slope's 95% bootstrap interval (null when not computed, e.g. for the baseline).</summary>
    public Estimate? CalibrationSlopeInterval { get; init; }
}

/// <summary>AUROC per head when the model may see only <see cref="Modalities"/> (over the cases that have at least one of them).</summary>
public sealed record AblationRow(string Subset, IReadOnlyList<string> Modalities, int Cases, IReadOnlyDictionary<string, double> Auroc);

/// <summary>Fusion against one modality alone, on the cases that have that modality (paired bootstrap).</summary>
public sealed record SingleModalityComparison(string Label, string Modality, int Cases, double SingleAuroc, double FusionAuroc, Estimate Gain);

public sealed record SubgroupMetrics(string Label, string Attribute, string Group, int Cases, int Positives, double Auroc);

/// <summary>
/// The AUROC gap between the best and worst comparable subgroup (null when fewer than two are comparable), and the same gap
/// of the generator's own risk over the same groups where every member has one (what a perfect model would show).
/// </summary>
public sealed record SubgroupGap(string Label, string Attribute, IReadOnlyList<SubgroupMetrics> Comparable, Estimate? Gap, double? ReferenceGap = null);

/// <summary>One target's verdict. <paramref name="Exempt"/>: not judged (a documented planted shift); counts as met.</summary>
public sealed record TargetCheck(string Target, bool Met, string Detail, bool Exempt = false);

public sealed record EvaluationReport(
    IReadOnlyList<ModelUse> Models,
    string? Baseline,
    int Cases,
    int Resamples,
    IReadOnlyList<HeadMetrics> Heads,
    IReadOnlyList<HeadMetrics> BaselineHeads,
    IReadOnlyList<AblationRow> Ablation,
    IReadOnlyList<SingleModalityComparison> FusionVersusSingle,
    IReadOnlyDictionary<string, double> LeaveOneOutCost,
    IReadOnlyList<SubgroupMetrics> Subgroups,
    IReadOnlyList<TargetCheck> Targets)
{
    /// <summary>Every subgroup gap behind the subgroup targets, with its interval and the generator's own gap.</summary>
    public IReadOnlyList<SubgroupGap> Gaps { get; init; } = [];

    public bool AllTargetsMet => Targets.All(t => t.Met);
}

/// <summary>Tolerances of the headline targets (issue 7); a reduced cohort in CI uses wider ones.</summary>
public sealed record EvaluationTargets
{
    /// <summary>The issue's targets, for a fresh cohort of at least 2,000 patients.</summary>
    public static EvaluationTargets Standard { get; } = new();

    /// <summary>
    /// For a reduced cohort (a few hundred patients, as in CI): the same targets with tolerances widened to what that
    /// sample size can resolve, so a real regression still fails while sampling noise does not. A few hundred cases
    /// cannot resolve a 0.02 AUROC gain, so there fusion must only not fall more than 0.02 behind the best single
    /// modality (a guard against regressions, not the target itself).
    /// </summary>
    public static EvaluationTargets Reduced { get; } = new()
    {
        MinimumFusionGain = -0.02, RequireGainIntervalAboveZero = false, MaximumLeaveOneOutCost = 0.06, MinimumCalibrationSlope = 0.6,
        MaximumCalibrationSlope = 1.6, MaximumIci = 0.10, MaximumSubgroupGap = 0.10, MinimumSubgroupClassSize = 15,
        JudgeSubgroupGapByLowerBound = true, JudgeCalibrationSlopeByInterval = true,
    };

    public double MinimumFusionGain { get; init; } = 0.02;

    public bool RequireGainIntervalAboveZero { get; init; } = true;

    public double MaximumLeaveOneOutCost { get; init; } = 0.03;

    public double MinimumCalibrationSlope { get; init; } = 0.8;

    public double MaximumCalibrationSlope { get; init; } = 1.2;

    public double MaximumIci { get; init; } = 0.05;

    public double MaximumSubgroupGap { get; init; } = 0.05;

    /// <summary>Fewest positives and negatives a subgroup needs before its AUROC is compared.</summary>
    public int MinimumSubgroupClassSize { get; init; } = 30;

    /// <summary>
    /// Whether a subgroup gap fails only when the lower end of its 95% bootstrap interval exceeds
    /// <see cref="MaximumSubgroupGap"/>. On a reduced cohort, a weak head (AUROC ≈ 0.6) in groups of a few dozen
    /// positives has a gap interval about ±0.15 wide, so the point estimate would fail or pass by chance (it did: 0.150
    /// against 0.15 on one machine, 0.102 on another); a model that is really worse for one group still fails.
    /// </summary>
    public bool JudgeSubgroupGapByLowerBound { get; init; }

    /// <summary>
    /// Whether a calibration slope fails only when its 95% bootstrap interval lies wholly outside the target range. A weak
    /// head (AUROC ≈ 0.6) on a reduced cohort has a slope interval about ±0.4 wide, so its point estimate alone would fail
    /// or pass by chance; a head that is really mis-calibrated still fails.
    /// </summary>
    public bool JudgeCalibrationSlopeByInterval { get; init; }

    /// <summary>Subgroup differences the cohort's generator plants and documents (judged beyond the generator's own gap).</summary>
    public IReadOnlyList<PlantedShift> PlantedShifts { get; init; } = [];
}

/// <summary>
/// Scores a fusion model (and optionally a baseline fusion over the same encoders) on cases with known truth:
/// per-head discrimination with bootstrap intervals and calibration, the ablation table over every modality subset,
/// fusion against each modality alone, the cost of leaving each modality out, and subgroup AUROC by sex and age band.
/// The model cards' numbers come from here.
/// </summary>
public sealed class ModelEvaluator(MultimodalModel model, MultimodalModel? baseline = null, int resamples = 1_000)
{
    public static IReadOnlyList<(string Name, Func<int, bool> Contains)> AgeBands { get; } =
        [("18-64", a => a < 65), ("65-79", a => a is >= 65 and < 80), ("80+", a => a >= 80)];

    public EvaluationReport Evaluate(IReadOnlyList<EvaluationCase> cases, EvaluationTargets? targets = null, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(cases);
        targets ??= new EvaluationTargets();
        var labels = model.Labels;
        var batches = cases.Chunk(batchSize).Select(chunk => (Chunk: chunk, Encoded: model.Encode([.. chunk.Select(c => c.Inputs)]))).ToList();

        double[,] Scores(MultimodalModel fusion, IReadOnlySet<Modality>? allowed, out bool[] scored)
        {
            var scores = new double[cases.Count, labels.Count];
            scored = new bool[cases.Count];
            var offset = 0;
            foreach (var (chunk, encoded) in batches)
            {
                var predictions = fusion.Fuse(encoded, allowed, explain: false);
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (predictions[i] is { } prediction)
                    {
                        scored[offset + i] = true;
                        for (var h = 0; h < labels.Count; h++)
                        {
                            scores[offset + i, h] = prediction.Heads[h].Probability;
                        }
                    }
                }

                offset += chunk.Length;
            }

            return scores;
        }

        var truth = new bool[cases.Count, labels.Count];
        for (var i = 0; i < cases.Count; i++)
        {
            for (var h = 0; h < labels.Count; h++)
            {
                truth[i, h] = cases[i].Truth.TryGetValue(labels[h].Key, out var value) && value;
            }
        }

        var all = Scores(model, null, out var scoredAll);
        var everyone = Enumerable.Range(0, cases.Count).Where(i => scoredAll[i]).ToArray();
        var heads = HeadTable(all, truth, everyone);
        var baselineHeads = baseline is null ? [] : HeadTable(Scores(baseline, null, out _), truth, everyone);

        // Ablation over every non-empty subset of modalities.
        var ablation = new List<AblationRow>();
        var subsetScores = new Dictionary<string, (double[,] Scores, int[] Cases)>(StringComparer.Ordinal);
        for (var mask = 1; mask < 1 << Modalities.All.Count; mask++)
        {
            var subset = Modalities.All.Where(m => (mask & (1 << (int)m)) != 0).ToHashSet();
            var scores = Scores(model, subset, out var scored);
            var members = Enumerable.Range(0, cases.Count).Where(i => scored[i]).ToArray();
            var name = string.Join('+', subset.Order().Select(m => m.Key()));
            subsetScores[name] = (scores, members);
            ablation.Add(new AblationRow(name, [.. subset.Order().Select(m => m.Key())], members.Length,
                labels.Select((l, h) => (l.Key, Auroc: Auroc(scores, truth, h, members))).ToDictionary(p => p.Key, p => p.Auroc, StringComparer.Ordinal)));
        }

        // Fusion against each modality alone, on the cases that have it.
        var comparisons = new List<SingleModalityComparison>();
        foreach (var modality in Modalities.All)
        {
            var (single, members) = subsetScores[modality.Key()];
            var bootstrap = new Bootstrap(members.Length, resamples, seed: 17 + (int)modality);
            for (var h = 0; h < labels.Count; h++)
            {
                var head = h;
                var gain = bootstrap.Estimate(sample =>
                {
                    var chosen = sample.Select(k => members[k]).ToArray();
                    return Auroc(all, truth, head, chosen) - Auroc(single, truth, head, chosen);
                });
                comparisons.Add(new SingleModalityComparison(labels[h].Key, modality.Key(), members.Length, Auroc(single, truth, h, members), Auroc(all, truth, h, members), gain));
            }
        }

        // Leave one modality out: mean AUROC loss over the heads, on all cases.
        var leaveOneOut = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var modality in Modalities.All)
        {
            var name = string.Join('+', Modalities.All.Where(m => m != modality).Select(m => m.Key()));
            var (without, members) = subsetScores[name];
            leaveOneOut[modality.Key()] = Enumerable.Range(0, labels.Count).Average(h => Auroc(all, truth, h, members) - Auroc(without, truth, h, members));
        }

        // Subgroups by sex and age band.
        var subgroups = new List<SubgroupMetrics>();
        for (var h = 0; h < labels.Count; h++)
        {
            foreach (var sex in new[] { "female", "male" })
            {
                subgroups.Add(Subgroup(all, truth, h, everyone.Where(i => cases[i].Sex == sex).ToArray(), labels[h].Key, "sex", sex));
            }

            foreach (var (band, contains) in AgeBands)
            {
                subgroups.Add(Subgroup(all, truth, h, everyone.Where(i => contains(cases[i].AgeYears)).ToArray(), labels[h].Key, "age", band));
            }
        }

        // The gap between the best and worst comparable group per head and attribute, with a bootstrap interval over
        // the members of those groups (each case is in one group per attribute).
        var gaps = new List<SubgroupGap>();
        foreach (var group in subgroups.GroupBy(s => (s.Label, s.Attribute)))
        {
            var comparable = group.Where(g => g.Positives >= targets.MinimumSubgroupClassSize && g.Cases - g.Positives >= targets.MinimumSubgroupClassSize && !double.IsNaN(g.Auroc)).ToList();
            if (comparable.Count < 2)
            {
                gaps.Add(new SubgroupGap(group.Key.Label, group.Key.Attribute, comparable, null));
                continue;
            }

            var h = labels.ToList().FindIndex(l => l.Key == group.Key.Label);
            var groupOf = everyone.ToDictionary(i => i, i => group.Key.Attribute == "sex"
                ? cases[i].Sex
                : AgeBands.First(b => b.Contains(cases[i].AgeYears)).Name);
            var members = everyone.Where(i => comparable.Any(g => g.Group == groupOf[i])).ToArray();
            var bootstrap = new Bootstrap(members.Length, resamples, seed: 1_126);
            var gap = bootstrap.Estimate(sample =>
            {
                var aurocs = comparable.Select(g => Auroc(all, truth, h, [.. sample.Select(k => members[k]).Where(i => groupOf[i] == g.Group)])).ToList();
                return aurocs.Any(double.IsNaN) ? double.NaN : aurocs.Max() - aurocs.Min();
            });
            gaps.Add(new SubgroupGap(group.Key.Label, group.Key.Attribute, comparable, gap, ReferenceGap(h, comparable, members, groupOf)));
        }

        var checks = Targets(heads, comparisons, leaveOneOut, gaps, targets);
        return new EvaluationReport(model.Models, baseline?.Fusion.Id, everyone.Length, resamples, heads, baselineHeads, ablation, comparisons, leaveOneOut, subgroups, checks)
        {
            Gaps = gaps,
        };

        List<HeadMetrics> HeadTable(double[,] scores, bool[,] y, int[] members)
        {
            var bootstrap = new Bootstrap(members.Length, resamples);
            var table = new List<HeadMetrics>();
            for (var h = 0; h < labels.Count; h++)
            {
                var head = h;
                var p = members.Select(i => scores[i, head]).ToArray();
                var o = members.Select(i => y[i, head]).ToArray();
                var (intercept, slope) = BinaryMetrics.CalibrationLine(p, o);
                table.Add(new HeadMetrics(labels[h].Key, labels[h].Kind, members.Length, o.Count(v => v),
                    bootstrap.Estimate(sample => Auroc(scores, y, head, sample.Select(k => members[k]).ToArray())),
                    BinaryMetrics.Auprc(p, o), BinaryMetrics.Brier(p, o), intercept, slope, BinaryMetrics.Ici(p, o))
                {
                    // Always reported: a weak head's slope scatters ±0.1–0.15 between fresh cohorts of a few thousand patients.
                    CalibrationSlopeInterval = bootstrap.Estimate(sample => BinaryMetrics.CalibrationLine([.. sample.Select(k => p[k])], [.. sample.Select(k => o[k])]).Slope),
                });
            }

            return table;
        }

        // The gap the generator's own risk shows over the same groups: how far a perfect model's groups would differ.
        double? ReferenceGap(int h, List<SubgroupMetrics> comparable, int[] members, Dictionary<int, string> groupOf)
        {
            var key = labels[h].Key;
            if (members.Any(i => cases[i].Reference?.ContainsKey(key) != true))
            {
                return null;
            }

            var aurocs = comparable.Select(g =>
            {
                var inGroup = members.Where(i => groupOf[i] == g.Group).ToArray();
                return BinaryMetrics.Auroc([.. inGroup.Select(i => cases[i].Reference![key])], [.. inGroup.Select(i => truth[i, h])]);
            }).ToList();
            return aurocs.Any(double.IsNaN) ? null : aurocs.Max() - aurocs.Min();
        }

        SubgroupMetrics Subgroup(double[,] scores, bool[,] y, int h, int[] members, string label, string attribute, string group) =>
            new(label, attribute, group, members.Length, members.Count(i => y[i, h]), Auroc(scores, y, h, members));
    }

    private static bool SlopeAcceptable(HeadMetrics head, EvaluationTargets targets) =>
        targets.JudgeCalibrationSlopeByInterval && head.CalibrationSlopeInterval is { } ci && !double.IsNaN(ci.Lower)
            ? ci.Upper >= targets.MinimumCalibrationSlope && ci.Lower <= targets.MaximumCalibrationSlope
            : head.CalibrationSlope >= targets.MinimumCalibrationSlope && head.CalibrationSlope <= targets.MaximumCalibrationSlope;

    private static double Auroc(double[,] scores, bool[,] truth, int head, int[] members)
    {
        var p = new double[members.Length];
        var o = new bool[members.Length];
        for (var k = 0; k < members.Length; k++)
        {
            p[k] = scores[members[k], head];
            o[k] = truth[members[k], head];
        }

        return BinaryMetrics.Auroc(p, o);
    }

    private List<TargetCheck> Targets(
        List<HeadMetrics> heads, List<SingleModalityComparison> comparisons, Dictionary<string, double> leaveOneOut, List<SubgroupGap> gaps, EvaluationTargets targets)
    {
        var checks = new List<TargetCheck>();
        foreach (var label in model.Labels.Where(l => l.Kind == "diagnosis"))
        {
            var best = comparisons.Where(c => c.Label == label.Key).OrderByDescending(c => c.SingleAuroc).First();
            var met = best.Gain.Value >= targets.MinimumFusionGain && (!targets.RequireGainIntervalAboveZero || best.Gain.Lower > 0);
            checks.Add(new TargetCheck($"fusion beats the best single modality: {label.Key}", met,
                FormattableString.Invariant($"best single {best.Modality} {best.SingleAuroc:F3} vs fusion {best.FusionAuroc:F3} on its {best.Cases} cases: gain {best.Gain.Value:+0.000;-0.000} (95% CI {best.Gain.Lower:F3} to {best.Gain.Upper:F3}); target ≥ {targets.MinimumFusionGain:F2}{(targets.RequireGainIntervalAboveZero ? ", CI above 0" : string.Empty)}")));
        }

        foreach (var (modality, cost) in leaveOneOut)
        {
            checks.Add(new TargetCheck($"leaving out {modality} costs little", cost <= targets.MaximumLeaveOneOutCost,
                FormattableString.Invariant($"mean AUROC loss {cost:F3} (target ≤ {targets.MaximumLeaveOneOutCost:F2})")));
        }

        foreach (var head in heads)
        {
            checks.Add(new TargetCheck($"calibration: {head.Key}",
                SlopeAcceptable(head, targets) && head.Ici <= targets.MaximumIci,
                FormattableString.Invariant($"slope {head.CalibrationSlope:F2}{(head.CalibrationSlopeInterval is { } ci ? FormattableString.Invariant($" (95% CI {ci.Lower:F2} to {ci.Upper:F2})") : string.Empty)} (target {targets.MinimumCalibrationSlope:F1}–{targets.MaximumCalibrationSlope:F1}{(targets.JudgeCalibrationSlopeByInterval ? ", judged by the interval" : string.Empty)}), ICI {head.Ici:F3} (target ≤ {targets.MaximumIci:F2})")));
        }

        foreach (var (label, attribute, comparable, gap, referenceGap) in gaps)
        {
            if (gap is not { } estimate)
            {
                checks.Add(new TargetCheck($"subgroup gap: {label} by {attribute}", true,
                    $"not compared: fewer than {targets.MinimumSubgroupClassSize} positives or negatives in some groups"));
                continue;
            }

            var measured = FormattableString.Invariant($"AUROC gap {estimate.Value:F3} (95% CI {estimate.Lower:F3} to {estimate.Upper:F3}) across {string.Join(", ", comparable.Select(g => FormattableString.Invariant($"{g.Group} {g.Auroc:F3}")))}");
            var judged = targets.JudgeSubgroupGapByLowerBound && !double.IsNaN(estimate.Lower) ? estimate.Lower : estimate.Value;
            var how = targets.JudgeSubgroupGapByLowerBound ? " for the interval's lower end" : string.Empty;
            var planted = targets.PlantedShifts.FirstOrDefault(p => p.Attribute == attribute && p.Labels.Contains(label));
            if (planted is not null && referenceGap is { } reference)
            {
                // A planted shift: the world itself discriminates differently between these groups, so the target applies to
                // what the model adds beyond the gap the generator's own risk shows over the same groups.
                checks.Add(new TargetCheck($"subgroup gap: {label} by {attribute}", judged - reference <= targets.MaximumSubgroupGap,
                    FormattableString.Invariant($"{measured}; planted shift ({planted.Why}): the generator's own risk has a gap of {reference:F3}, so the model adds {estimate.Value - reference:+0.000;-0.000} (target ≤ {targets.MaximumSubgroupGap:F2} beyond it{how})")));
                continue;
            }

            if (planted is not null)
            {
                checks.Add(new TargetCheck($"subgroup gap: {label} by {attribute}", true,
                    $"{measured} — planted shift ({planted.Why}), reported and not judged: the cohort gives no reference risk to separate it from the model's part", Exempt: true));
                continue;
            }

            checks.Add(new TargetCheck($"subgroup gap: {label} by {attribute}", judged <= targets.MaximumSubgroupGap,
                FormattableString.Invariant($"{measured}{(referenceGap is { } r ? FormattableString.Invariant($"; the generator's own risk: gap {r:F3}") : string.Empty)} (target ≤ {targets.MaximumSubgroupGap:F2}{how})")));
        }

        return checks;
    }
}
