using System.Globalization;
using System.Text.Json;
using HealthAssist.Evaluation;
using HealthAssist.Synthesis.World;

namespace HealthAssist.Cli.Cohorts;

/// <summary>
/// What the generator of a synthetic cohort knows beyond its files: the probability each outcome event was drawn from
/// (re-simulated from the cohort's seed, since patients are deterministic per seed and index) and the subgroup shifts it
/// plants on purpose. Only for a cohort written by this build's generator version; otherwise there is none.
/// </summary>
internal sealed class GeneratorTruth
{
    private readonly int _seed;

    private GeneratorTruth(int seed) => _seed = seed;

    public static IReadOnlyList<PlantedShift> PlantedShifts => CohortSimulator.PlantedShifts;

    public static GeneratorTruth? For(SyntheticCohort cohort)
    {
        var path = Path.Combine(cohort.Folder, "cohort.json");
        if (!File.Exists(path))
        {
            return null;
        }

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        return root.TryGetProperty("generator", out var generator) && generator.GetString() == "healthassist synth"
            && root.TryGetProperty("version", out var version) && version.GetString() == CohortSimulator.Version
            && root.TryGetProperty("seed", out var seed) && seed.TryGetInt32(out var value)
            ? new GeneratorTruth(value)
            : null;
    }

    /// <summary>
    /// The outcome risks of one labels.csv row, keyed by head; null when the re-simulated patient is not the one the row
    /// describes (another case numbering or edited labels), so a mismatch never yields a wrong reference.
    /// </summary>
    public IReadOnlyDictionary<string, double>? Risks(IReadOnlyDictionary<string, string> row)
    {
        var caseId = row.GetValueOrDefault("case_id");
        if (caseId is not ['c', .. var digits] || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return null;
        }

        var patient = CohortSimulator.Simulate(_seed, number - 1);
        var outcomes = patient.Outcomes;
        if (patient.CaseId != caseId
            || patient.AgeYears.ToString(CultureInfo.InvariantCulture) != row.GetValueOrDefault("age")
            || SyntheticCohort.Flag(row, "death_30d") != outcomes.Death30Days
            || SyntheticCohort.Flag(row, "icu_48h") != outcomes.Icu48Hours
            || SyntheticCohort.Flag(row, "readmission_30d") != outcomes.Readmission30Days)
        {
            return null;
        }

        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["death_30d"] = outcomes.Risks.Death30Days,
            ["icu_48h"] = outcomes.Risks.Icu48Hours,
            ["readmission_30d"] = outcomes.Risks.Readmission30Days,
        };
    }
}
