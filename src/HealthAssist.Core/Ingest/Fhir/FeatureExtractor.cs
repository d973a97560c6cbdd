using Hl7.Fhir.Model;

namespace HealthAssist.Ingest.Fhir;

/// <summary>A record fact that set a feature, shown to the clinician as the basis of a suggestion.</summary>
public sealed record FactUsed(string Feature, double Value, string Unit, string Source, DateTimeOffset? Time, string Display, decimal? OriginalValue = null, string? OriginalUnit = null);

/// <summary>A value that was found but not used, and why (implausible value, unit that cannot be converted, no time).</summary>
public sealed record FeatureFlag(string Feature, string Source, string Reason);

/// <summary>The model-ready tabular input: values (canonical units), a mask (1 = observed), and the basis.</summary>
public sealed record FeatureVector(string SpecificationVersion, IReadOnlyList<string> Names, float[] Values, float[] Mask, IReadOnlyList<FactUsed> Facts, IReadOnlyList<FeatureFlag> Flags)
{
    public float? this[string name]
    {
        get
        {
            var index = Names.ToList().IndexOf(name);
            return index < 0 || Mask[index] == 0 ? null : Values[index];
        }
    }
}

/// <summary>Turns a <see cref="CaseView"/> into a <see cref="FeatureVector"/> as the <see cref="FeatureSpecification"/> says.</summary>
public sealed class FeatureExtractor(FeatureSpecification specification)
{
    private const string Atc = "http://www.whocc.no/atc";
    private const string Snomed = "http://snomed.info/sct";
    private static readonly HashSet<string> Icd10Systems = ["http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10-gm"];
    private static readonly HashSet<string> DiscardedMedicationStatuses = ["stopped", "cancelled", "enteredinerror", "entered-in-error", "notTaken", "nottaken"];

    public FeatureSpecification Specification { get; } = specification;

    public FeatureVector Extract(CaseView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var names = Specification.FeatureNames;
        var values = new float[names.Count];
        var mask = new float[names.Count];
        var facts = new List<FactUsed>();
        var flags = new List<FeatureFlag>();
        var slot = 0;

        void Set(double value, params FactUsed[] basis)
        {
            values[slot] = (float)value;
            mask[slot] = 1;
            facts.AddRange(basis);
        }

        if (view.AgeYears is { } age)
        {
            Set(age, new FactUsed("age_years", age, "a", view.PatientReference, view.IndexTime, "Age at index"));
        }

        slot++;
        if (view.Sex is AdministrativeGender.Male or AdministrativeGender.Female)
        {
            var male = view.Sex == AdministrativeGender.Male ? 1 : 0;
            Set(male, new FactUsed("sex_male", male, "1", view.PatientReference, null, $"Sex: {view.Sex.ToString()!.ToLowerInvariant()}"));
        }

        slot++;
        foreach (var feature in Specification.Observations)
        {
            var series = Series(feature, view, flags);
            foreach (var aggregation in feature.Aggregations)
            {
                var name = $"{feature.Name}.{aggregation.ToString().ToLowerInvariant()}";
                switch (aggregation)
                {
                    case Aggregation.Latest when series.Count > 0:
                        var latest = series.MaxBy(s => s.Time)!;
                        Set(latest.Value, latest with { Feature = name });
                        break;
                    case Aggregation.Min when series.Count > 0:
                        var min = series.MinBy(s => s.Value)!;
                        Set(min.Value, min with { Feature = name });
                        break;
                    case Aggregation.Max when series.Count > 0:
                        var max = series.MaxBy(s => s.Value)!;
                        Set(max.Value, max with { Feature = name });
                        break;
                    case Aggregation.Trend when series.Select(s => s.Time).Distinct().Count() >= 2:
                        Set(SlopePerDay(series), [.. series.Select(s => s with { Feature = name })]);
                        break;
                }

                slot++;
            }
        }

        foreach (var group in Specification.ConditionGroups)
        {
            var matches = view.Conditions.Where(c => c.Active && c.Codes.Any(code => InGroup(code, group))).ToList();
            Set(matches.Count > 0 ? 1 : 0, [.. matches.Select(c => new FactUsed($"condition.{group.Name}", 1, "1", c.Source, c.Onset, c.Display))]);
            slot++;
        }

        foreach (var medicationClass in Specification.MedicationClasses)
        {
            var matches = view.Medications.Where(m => !DiscardedMedicationStatuses.Contains(m.Status ?? string.Empty) && InClass(m, medicationClass)).ToList();
            Set(matches.Count > 0 ? 1 : 0, [.. matches.Select(m => new FactUsed($"medication.{medicationClass.Name}", 1, "1", m.Source, m.Date, m.Display))]);
            slot++;
        }

        foreach (var group in Specification.AllergyGroups)
        {
            var matches = view.Allergies.Where(a => a.Codes.Any(c => c.System == Snomed && c.Code is not null && group.Snomed.Contains(c.Code))
                || ContainsKeyword(a.Display, a.Codes, group.Keywords)).ToList();
            Set(matches.Count > 0 ? 1 : 0, [.. matches.Select(a => new FactUsed($"allergy.{group.Name}", 1, "1", a.Source, null, a.Display))]);
            slot++;
        }

        return new FeatureVector(Specification.Version, names, values, mask, facts, flags);
    }

    /// <summary>Matching observations in the look-back window, converted to the canonical unit; the rest flagged.</summary>
    private List<FactUsed> Series(ObservationFeature feature, CaseView view, List<FeatureFlag> flags)
    {
        var from = view.IndexTime.AddHours(-(feature.LookbackHours ?? Specification.DefaultLookbackHours));
        var series = new List<FactUsed>();
        foreach (var fact in view.Observations.Where(o => o.Codes.Any(c => c.System == "http://loinc.org" && c.Code is not null && feature.Loinc.Contains(c.Code))))
        {
            if (fact.Effective is not { } time)
            {
                flags.Add(new FeatureFlag(feature.Name, fact.Source, "no effective time"));
                continue;
            }

            if (time < from || fact.Value is not { } raw)
            {
                continue;
            }

            if (Convert(feature, fact.UnitCode, fact.Unit) is not { } conversion)
            {
                flags.Add(new FeatureFlag(feature.Name, fact.Source, $"unit '{fact.UnitCode ?? fact.Unit}' cannot be converted to {feature.Unit}"));
                continue;
            }

            var canonical = ((double)raw * conversion.Factor) + conversion.Offset;
            if (!feature.IsPlausible(canonical))
            {
                flags.Add(new FeatureFlag(feature.Name, fact.Source, $"implausible value {canonical:G4} {feature.Unit} (plausible {feature.Plausible[0]}–{feature.Plausible[1]}); not used"));
                continue;
            }

            series.Add(new FactUsed(feature.Name, canonical, feature.Unit, fact.Source, time, fact.Display, raw, fact.UnitCode ?? fact.Unit));
        }

        return series;
    }

    private static UnitConversion? Convert(ObservationFeature feature, string? code, string? unit)
    {
        foreach (var candidate in new[] { code, unit })
        {
            if (candidate is null)
            {
                continue;
            }

            if (feature.Units.TryGetValue(candidate.Trim(), out var exact))
            {
                return exact;
            }

            // UCUM is case-sensitive, but records often write mg/dl or MG/DL: accept a case-insensitive unique match.
            var loose = feature.Units.Where(u => string.Equals(u.Key, candidate.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
            if (loose.Count == 1)
            {
                return loose[0].Value;
            }
        }

        return null;
    }

    private static double SlopePerDay(List<FactUsed> series)
    {
        var origin = series.Min(s => s.Time!.Value);
        var xs = series.Select(s => (s.Time!.Value - origin).TotalDays).ToArray();
        var ys = series.Select(s => s.Value).ToArray();
        var meanX = xs.Average();
        var meanY = ys.Average();
        var covariance = xs.Zip(ys, (x, y) => (x - meanX) * (y - meanY)).Sum();
        var variance = xs.Sum(x => (x - meanX) * (x - meanX));
        return variance == 0 ? 0 : covariance / variance;
    }

    private static bool InGroup(CodedConcept code, ConditionGroup group) =>
        code.Code is { } c && ((code.System == Snomed && group.Snomed.Contains(c))
            || (code.System is { } system && Icd10Systems.Contains(system) && group.Icd10.Any(prefix => c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))));

    private static bool InClass(MedicationFact medication, MedicationClass medicationClass) =>
        medication.Codes.Any(c => c.System == Atc && c.Code is not null && medicationClass.Atc.Any(p => c.Code.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        || ContainsKeyword(medication.Display, medication.Codes, medicationClass.Keywords);

    private static bool ContainsKeyword(string display, IEnumerable<CodedConcept> codes, IReadOnlyList<string> keywords) =>
        keywords.Any(k => display.Contains(k, StringComparison.OrdinalIgnoreCase) || codes.Any(c => c.Display?.Contains(k, StringComparison.OrdinalIgnoreCase) == true));
}
