using System.Globalization;
using Hl7.Fhir.Model;
using HealthAssist.Encode.Inputs;

namespace HealthAssist.Interpret.Treatment;

/// <summary>
/// Creatinine clearance estimated by Cockcroft–Gault from the record, or why it could not be: the value (mL/min) when
/// age, sex, weight and serum creatinine are all known; otherwise what is missing. <see cref="Basis"/> says how it was
/// worked out; <see cref="Sources"/> are the record's observations used (for a DetectedIssue's evidence).
/// </summary>
public sealed record CreatinineClearance(double? MillilitresPerMinute, IReadOnlyList<string> Missing, string Basis, IReadOnlyList<string> Sources)
{
    /// <summary>µmol/L per mg/dL of creatinine.</summary>
    public const double MicromolesPerMilligram = 88.42;

    /// <summary>De-identification writes ages over 89 as 90: an estimate at that age may be too high.</summary>
    private const double GeneralisedAge = 90;

    public bool IsKnown => MillilitresPerMinute is not null;

    /// <summary>
    /// Cockcroft–Gault: (140 − age) × weight × (0.85 if female) / (72 × serum creatinine in mg/dL), with actual body
    /// weight. Never negative.
    /// </summary>
    public static double CockcroftGault(double ageYears, double weightKg, bool female, double creatinineMicromolesPerLitre)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weightKg);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(creatinineMicromolesPerLitre);
        var milligramsPerDecilitre = creatinineMicromolesPerLitre / MicromolesPerMilligram;
        var clearance = (140 - ageYears) * weightKg * (female ? 0.85 : 1.0) / (72 * milligramsPerDecilitre);
        return Math.Max(0, clearance);
    }

    /// <summary>From the case: age and sex from the view, the latest weight (kg) and serum creatinine (µmol/L) from the features.</summary>
    public static CreatinineClearance Estimate(ModelInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var age = inputs.View.AgeYears;
        var sex = inputs.View.Sex;
        var weight = inputs.Tabular["weight.latest"];
        var creatinine = inputs.Tabular["creatinine.latest"];
        var missing = new List<string>();
        if (age is null)
        {
            missing.Add("age");
        }
        else if (age < 18)
        {
            missing.Add("adult age (Cockcroft–Gault is for adults)");
        }

        if (sex is not (AdministrativeGender.Male or AdministrativeGender.Female))
        {
            missing.Add("sex");
        }

        if (weight is null)
        {
            missing.Add("weight");
        }

        if (creatinine is null)
        {
            missing.Add("serum creatinine");
        }

        var sources = inputs.Tabular.Facts
            .Where(f => f.Feature is "weight.latest" or "creatinine.latest")
            .Select(f => f.Source)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (missing.Count > 0)
        {
            return new CreatinineClearance(null, missing, $"creatinine clearance not estimated: no {string.Join(", ", missing)} in the record", sources);
        }

        var female = sex == AdministrativeGender.Female;
        var value = CockcroftGault(age!.Value, weight!.Value, female, creatinine!.Value);
        var basis = Invariant($"Cockcroft–Gault creatinine clearance {value:0.0} mL/min (age {age:0} y, actual body weight {weight:0.0} kg, {(female ? "female" : "male")}, serum creatinine {creatinine:0} µmol/L = {creatinine / MicromolesPerMilligram:0.00} mg/dL)");
        if (age >= GeneralisedAge)
        {
            basis += "; the age is recorded as 90 because older ages are generalised, so the clearance may be lower";
        }

        return new CreatinineClearance(value, [], basis, sources);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
