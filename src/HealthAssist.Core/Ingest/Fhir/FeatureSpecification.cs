using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthAssist.Ingest.Fhir;

/// <summary>How a series of observations becomes one number.</summary>
public enum Aggregation
{
    Latest,
    Min,
    Max,

    /// <summary>Least-squares slope per day over the look-back window (needs two values at different times).</summary>
    Trend,
}

/// <summary>A conversion to the feature's canonical unit: canonical = value × Factor + Offset.</summary>
public sealed record UnitConversion(double Factor, double Offset = 0);

/// <summary>An observation-based feature: which LOINC codes, canonical UCUM unit, plausible range, aggregations.</summary>
public sealed record ObservationFeature(
    string Name,
    IReadOnlyList<string> Loinc,
    string Unit,
    IReadOnlyList<double> Plausible,
    IReadOnlyList<Aggregation> Aggregations,
    IReadOnlyDictionary<string, UnitConversion> Units,
    int? LookbackHours = null)
{
    public bool IsPlausible(double canonical) => canonical >= Plausible[0] && canonical <= Plausible[1];
}

/// <summary>A condition group: SNOMED CT codes and ICD-10 code prefixes.</summary>
public sealed record ConditionGroup(string Name, IReadOnlyList<string> Snomed, IReadOnlyList<string> Icd10);

/// <summary>A medication class: ATC prefixes, and ingredient keywords for records coded only in RxNorm or text.</summary>
public sealed record MedicationClass(string Name, IReadOnlyList<string> Atc, IReadOnlyList<string> Keywords);

/// <summary>An allergy group (substance codes and keywords), used by treatment safety checks and as features.</summary>
public sealed record AllergyGroup(string Name, IReadOnlyList<string> Snomed, IReadOnlyList<string> Keywords);

/// <summary>
/// The versioned feature specification (<c>models/features/feature-spec.v1.json</c>): data, not code, so a new version
/// changes features without a release. Loaded once and checked: unknown units are refused rather than guessed.
/// </summary>
public sealed record FeatureSpecification(
    string Version,
    int DefaultLookbackHours,
    IReadOnlyList<ObservationFeature> Observations,
    IReadOnlyList<ConditionGroup> ConditionGroups,
    IReadOnlyList<MedicationClass> MedicationClasses,
    IReadOnlyList<AllergyGroup> AllergyGroups)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    private IReadOnlyList<string>? _names;

    /// <summary>Names of the feature vector's slots, in order: demographics, observations × aggregations, groups.</summary>
    public IReadOnlyList<string> FeatureNames => _names ??= BuildNames();

    public static FeatureSpecification Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        return Parse(stream, path);
    }

    public static FeatureSpecification Parse(Stream json, string source = "feature specification")
    {
        FeatureSpecification? spec;
        try
        {
            spec = JsonSerializer.Deserialize<FeatureSpecification>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException($"{source}: not a valid feature specification ({ex.Message})", source, ex);
        }

        if (spec is null || string.IsNullOrWhiteSpace(spec.Version) || spec.Observations is null || spec.ConditionGroups is null
            || spec.MedicationClasses is null || spec.AllergyGroups is null)
        {
            throw new InvalidInputException($"{source}: version, observations, conditionGroups, medicationClasses and allergyGroups are required", source);
        }

        foreach (var feature in spec.Observations)
        {
            if (feature.Loinc.Count == 0 || feature.Aggregations.Count == 0 || feature.Plausible.Count != 2 || !feature.Units.ContainsKey(feature.Unit))
            {
                throw new InvalidInputException($"{source}: feature '{feature.Name}' needs LOINC codes, aggregations, a [min, max] plausible range and a conversion for its own unit", source);
            }
        }

        var duplicate = spec.FeatureNames.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidInputException($"{source}: feature name '{duplicate.Key}' appears twice", source);
        }

        return spec;
    }

    private List<string> BuildNames()
    {
        var names = new List<string> { "age_years", "sex_male" };
        foreach (var feature in Observations)
        {
            names.AddRange(feature.Aggregations.Select(a => $"{feature.Name}.{a.ToString().ToLowerInvariant()}"));
        }

        names.AddRange(ConditionGroups.Select(g => $"condition.{g.Name}"));
        names.AddRange(MedicationClasses.Select(c => $"medication.{c.Name}"));
        names.AddRange(AllergyGroups.Select(g => $"allergy.{g.Name}"));
        return names;
    }
}
