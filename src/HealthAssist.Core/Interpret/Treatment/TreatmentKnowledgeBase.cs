using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace HealthAssist.Interpret.Treatment;

/// <summary>
/// The versioned treatment knowledge base (<c>models/treatment/knowledge-base.v1.json</c>): per diagnosis, a rule that
/// cites its guideline and lists draft orders with their safety checks (allergy groups that contraindicate an order and
/// the alternative, renal dose bands, therapeutic classes for duplicate therapy). Data, not code: a reviewed change to the
/// file changes the drafts without a release. Loaded once and checked; a file that breaks a reference is refused with
/// a message naming the file and the reference.
/// </summary>
public sealed partial class TreatmentKnowledgeBase
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly HashSet<string> PeriodUnits = ["min", "h", "d", "wk"];

    private readonly Dictionary<string, TreatmentRule> _byDiagnosis;
    private readonly Dictionary<string, SubstanceGroup> _allergyGroups;
    private readonly Dictionary<string, TherapeuticClass> _classes;
    private readonly Dictionary<string, RouteDefinition> _routes;
    private readonly Dictionary<string, ServiceCategory> _categories;

    private TreatmentKnowledgeBase(KnowledgeBaseDocument document, string source, string sha256)
    {
        Document = document;
        Source = source;
        Sha256 = sha256;
        _byDiagnosis = document.Rules.ToDictionary(r => r.Diagnosis, StringComparer.Ordinal);
        _allergyGroups = document.AllergyGroups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        _classes = document.MedicationClasses.ToDictionary(c => c.Name, StringComparer.Ordinal);
        _routes = document.Routes.ToDictionary(r => r.Name, StringComparer.Ordinal);
        _categories = document.ServiceCategories.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    /// <summary>The file's own version (the <c>version</c> field), cited in every draft.</summary>
    public string Version => Document.Version;

    /// <summary>Where it was loaded from (a path, or the name given to <see cref="Parse"/>).</summary>
    public string Source { get; }

    /// <summary>SHA-256 (hex) of the file's bytes: tells apart two files that claim the same version.</summary>
    public string Sha256 { get; }

    /// <summary>The statement every draft carries (e.g. "demonstration rule set, not clinically validated").</summary>
    public string Disclaimer => Document.Disclaimer;

    public IReadOnlyList<TreatmentRule> Rules => Document.Rules;

    public IReadOnlyList<SubstanceGroup> AllergyGroups => Document.AllergyGroups;

    public IReadOnlyList<TherapeuticClass> MedicationClasses => Document.MedicationClasses;

    /// <summary>Medication statuses (as the case view writes them, e.g. <c>active</c>, <c>onhold</c>) that count as current therapy.</summary>
    public IReadOnlyList<string> CurrentMedicationStatuses => Document.CurrentMedicationStatuses;

    private KnowledgeBaseDocument Document { get; }

    public static TreatmentKnowledgeBase Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = File.OpenRead(path);
            return Parse(stream, path);
        }
        catch (IOException ex)
        {
            throw new InvalidInputException($"{path}: the treatment knowledge base cannot be read ({ex.Message})", path, ex);
        }
    }

    public static TreatmentKnowledgeBase Parse(Stream json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        using var buffer = new MemoryStream();
        json.CopyTo(buffer);
        var bytes = buffer.ToArray();
        KnowledgeBaseDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<KnowledgeBaseDocument>(bytes, Json);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is null ? string.Empty : $" at {ex.Path}";
            throw new InvalidInputException($"{source}: not a valid treatment knowledge base{where} ({ex.Message})", source, ex);
        }

        if (document is null)
        {
            throw new InvalidInputException($"{source}: the treatment knowledge base is empty", source);
        }

        Check(document, source);
        return new TreatmentKnowledgeBase(document, source, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>The rule for a diagnosis key (e.g. <c>pneumonia</c>), or null when the knowledge base has none.</summary>
    public TreatmentRule? RuleFor(string diagnosis) => _byDiagnosis.GetValueOrDefault(diagnosis);

    public SubstanceGroup AllergyGroup(string name) => _allergyGroups[name];

    public TherapeuticClass MedicationClass(string name) => _classes[name];

    internal RouteDefinition Route(string name) => _routes[name];

    internal ServiceCategory Category(string name) => _categories[name];

    private static void Check(KnowledgeBaseDocument kb, string source)
    {
        [DoesNotReturn]
        void Fail(string message) => throw new InvalidInputException($"{source}: {message}", source);

        if (string.IsNullOrWhiteSpace(kb.Version))
        {
            Fail("version is required");
        }

        if (kb.Rules.Count == 0)
        {
            Fail("it has no rules");
        }

        Unique(kb.AllergyGroups.Select(g => g.Name), "allergy group", Fail);
        Unique(kb.MedicationClasses.Select(c => c.Name), "medication class", Fail);
        Unique(kb.Routes.Select(r => r.Name), "route", Fail);
        Unique(kb.ServiceCategories.Select(c => c.Name), "service category", Fail);
        Unique(kb.Rules.Select(r => r.Id), "rule id", Fail);
        Unique(kb.Rules.Select(r => r.Diagnosis), "rule for diagnosis", Fail);
        Unique(kb.Rules.SelectMany(r => r.Orders.Concat(r.Alternatives)).Select(o => o.Id), "order id", Fail);

        foreach (var group in kb.AllergyGroups.Where(g => g.Snomed.Count + g.Keywords.Count == 0))
        {
            Fail($"allergy group '{group.Name}' needs SNOMED CT codes or keywords");
        }

        foreach (var medicationClass in kb.MedicationClasses.Where(c => c.Atc.Count + c.Keywords.Count == 0))
        {
            Fail($"medication class '{medicationClass.Name}' needs ATC codes or keywords");
        }

        var groups = kb.AllergyGroups.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var classes = kb.MedicationClasses.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var routes = kb.Routes.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var categories = kb.ServiceCategories.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var rule in kb.Rules)
        {
            var where = $"rule '{rule.Id}'";
            if (!Identifier().IsMatch(rule.Id))
            {
                Fail($"{where}: ids are 1-24 lower-case letters, digits and hyphens (they become part of FHIR ids)");
            }

            if (string.IsNullOrWhiteSpace(rule.Diagnosis) || string.IsNullOrWhiteSpace(rule.Title))
            {
                Fail($"{where}: diagnosis and title are required");
            }

            if (rule.Citations.Count == 0)
            {
                Fail($"{where}: every rule cites at least one guideline");
            }

            foreach (var citation in rule.Citations)
            {
                if (new[] { citation.Guideline, citation.Organisation, citation.Section, citation.Recommendation }.Any(string.IsNullOrWhiteSpace)
                    || citation.Year is < 1950 or > 2100)
                {
                    Fail($"{where}: a citation needs guideline, organisation, year, section and recommendation");
                }

                if (citation.Url is not null && !Uri.TryCreate(citation.Url, UriKind.Absolute, out _))
                {
                    Fail($"{where}: citation url '{citation.Url}' is not an absolute URL");
                }
            }

            if (rule.Orders.Count == 0)
            {
                Fail($"{where}: it has no orders");
            }

            var orderIds = rule.Orders.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
            var alternatives = rule.Alternatives.ToDictionary(o => o.Id, StringComparer.Ordinal);
            foreach (var order in rule.Orders.Concat(rule.Alternatives))
            {
                CheckOrder(order, $"{where}, order '{order.Id}'");
            }

            foreach (var alternative in rule.Alternatives.Where(a => !rule.Orders.Concat(rule.Alternatives).Any(o => o.Contraindications.Any(c => c.Alternative == a.Id))))
            {
                Fail($"{where}: alternative '{alternative.Id}' is not the alternative of any order");
            }

            foreach (var order in rule.Orders)
            {
                Walk(order, [order.Id]);
            }

            // Alternatives may have alternatives of their own: no chain may come back to where it started.
            void Walk(DraftOrder order, List<string> path)
            {
                foreach (var next in order.Contraindications.Select(c => c.Alternative).OfType<string>())
                {
                    if (path.Contains(next))
                    {
                        Fail($"{where}: alternatives form a cycle ({string.Join(" -> ", path.Append(next))})");
                    }

                    Walk(alternatives[next], [.. path, next]);
                }
            }

            void CheckOrder(DraftOrder order, string at)
            {
                if (!Identifier().IsMatch(order.Id))
                {
                    Fail($"{at}: ids are 1-24 lower-case letters, digits and hyphens (they become part of FHIR ids)");
                }

                if (string.IsNullOrWhiteSpace(order.Title) || string.IsNullOrWhiteSpace(order.Basis))
                {
                    Fail($"{at}: title and basis are required");
                }

                switch (order.Kind)
                {
                    case OrderKind.Medication:
                        if (order.Medication is null || string.IsNullOrWhiteSpace(order.Medication.Display) || order.Dosage.Count == 0 || order.Service is not null)
                        {
                            Fail($"{at}: a medication order needs medication (with display) and dosage, and no service");
                        }

                        break;
                    case OrderKind.Service:
                        if (order.Service is null || string.IsNullOrWhiteSpace(order.Service.Display) || order.Medication is not null || order.Dosage.Count > 0
                            || order.Renal.Count > 0 || order.Classes.Count > 0 || order.Contraindications.Count > 0)
                        {
                            Fail($"{at}: a service order needs service (with display) and has no medication, dosage, renal bands, classes or contraindications");
                        }

                        if (order.Service.Category is { } category && !categories.Contains(category))
                        {
                            Fail($"{at}: service category '{category}' is not defined in serviceCategories");
                        }

                        break;
                }

                foreach (var name in order.Classes.Where(c => !classes.Contains(c)))
                {
                    Fail($"{at}: medication class '{name}' is not defined in medicationClasses");
                }

                foreach (var contraindication in order.Contraindications)
                {
                    if (contraindication.AllergyGroups.Count == 0)
                    {
                        Fail($"{at}: a contraindication names at least one allergy group");
                    }

                    foreach (var name in contraindication.AllergyGroups.Where(g => !groups.Contains(g)))
                    {
                        Fail($"{at}: allergy group '{name}' is not defined in allergyGroups");
                    }

                    if (contraindication.Alternative is { } alternative && !alternatives.ContainsKey(alternative))
                    {
                        Fail($"{at}: alternative '{alternative}' is not one of the rule's alternatives");
                    }

                    foreach (var replaced in contraindication.Replaces.Where(r => !orderIds.Contains(r) || r == order.Id))
                    {
                        Fail($"{at}: replaces '{replaced}', which is not another order of the rule");
                    }

                    if (contraindication.Replaces.Count > 0 && contraindication.Alternative is null)
                    {
                        Fail($"{at}: only a contraindication with an alternative can replace other orders");
                    }
                }

                var bands = order.Renal.Select(b => b.Below).ToList();
                if (bands.Any(b => b <= 0 || b > 200) || bands.Distinct().Count() != bands.Count)
                {
                    Fail($"{at}: renal bands need distinct thresholds ('below', mL/min) between 0 and 200");
                }

                foreach (var band in order.Renal.Where(b => b.Dosage.Count == 0 && string.IsNullOrWhiteSpace(b.Note)))
                {
                    Fail($"{at}: renal band below {band.Below} mL/min needs an adjusted dosage or a note saying what to do");
                }

                foreach (var dosage in order.Dosage.Concat(order.Renal.SelectMany(b => b.Dosage)))
                {
                    CheckDosage(dosage, at);
                }

                if (order.Occurrence is { } occurrence)
                {
                    CheckTiming(occurrence.Frequency, occurrence.Period, occurrence.PeriodUnit, at);
                }
            }

            void CheckDosage(DosageTemplate dosage, string at)
            {
                if (string.IsNullOrWhiteSpace(dosage.Text))
                {
                    Fail($"{at}: every dosage has text");
                }

                if (dosage.Route is { } route && !routes.Contains(route))
                {
                    Fail($"{at}: route '{route}' is not defined in routes");
                }

                if (dosage.Dose is { } dose && (dose.Value <= 0 || string.IsNullOrWhiteSpace(dose.Unit)))
                {
                    Fail($"{at}: a dose has a positive value and a UCUM unit");
                }

                if (dosage.Period is not null || dosage.Frequency is not null)
                {
                    CheckTiming(dosage.Frequency, dosage.Period, dosage.PeriodUnit, at);
                }

                if (dosage.PeriodMax is { } max && (dosage.Period is not { } period || max < period))
                {
                    Fail($"{at}: periodMax needs a period no greater than it");
                }

                if (dosage.Count is < 1 || dosage.DurationDays is <= 0)
                {
                    Fail($"{at}: count and durationDays are positive");
                }
            }

            void CheckTiming(int? frequency, decimal? period, string? unit, string at)
            {
                if (frequency is not > 0 || period is not > 0 || unit is null || !PeriodUnits.Contains(unit))
                {
                    Fail($"{at}: a schedule needs frequency, period and periodUnit (one of {string.Join(", ", PeriodUnits)})");
                }
            }
        }
    }

    private static void Unique(IEnumerable<string> names, string what, Action<string> fail)
    {
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            fail($"{what} '{duplicate.Key}' appears twice");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,23}$")]
    private static partial Regex Identifier();
}

/// <summary>The file as written (see <c>models/treatment/README.md</c> for the schema).</summary>
internal sealed record KnowledgeBaseDocument(
    string Version,
    string Title,
    string Disclaimer,
    IReadOnlyList<string> CurrentMedicationStatuses,
    IReadOnlyList<RouteDefinition> Routes,
    IReadOnlyList<ServiceCategory> ServiceCategories,
    IReadOnlyList<SubstanceGroup> AllergyGroups,
    IReadOnlyList<TherapeuticClass> MedicationClasses,
    IReadOnlyList<TreatmentRule> Rules,
    [property: JsonPropertyName("$comment")] string? Comment = null);

/// <summary>A route of administration and its SNOMED CT code.</summary>
public sealed record RouteDefinition(string Name, string Snomed, string Display);

/// <summary>A ServiceRequest category (SNOMED CT, from the R4 example value set).</summary>
public sealed record ServiceCategory(string Name, string Snomed, string Display);

/// <summary>
/// An allergy group: substance codes (SNOMED CT) and keywords matched, case-insensitively, in the allergy's text and
/// code displays. A recorded allergy in the group contraindicates the orders that name it.
/// </summary>
public sealed record SubstanceGroup(string Name, string Display, IReadOnlyList<string> Snomed, IReadOnlyList<string> Keywords);

/// <summary>
/// A therapeutic class: ATC code prefixes, ingredient keywords (for records coded only in RxNorm or text), and words
/// that rule a keyword match out (whole words, e.g. "cream" keeps a topical steroid out of systemic corticosteroids).
/// </summary>
public sealed record TherapeuticClass(string Name, string Display, IReadOnlyList<string> Atc, IReadOnlyList<string> Keywords, IReadOnlyList<string>? ExcludeKeywords = null)
{
    public IReadOnlyList<string> ExcludeKeywords { get; init; } = ExcludeKeywords ?? [];
}

/// <summary>Where a rule comes from: guideline, organisation, year, section and what it recommends (in our words).</summary>
[SuppressMessage("Design", "CA1056:URI-like properties should not be strings", Justification = "Kept as written in the knowledge base; checked to be absolute when loaded.")]
public sealed record GuidelineCitation(string Guideline, string Organisation, int Year, string Section, string Recommendation, string? Reference = null, string? Url = null);

/// <summary>One diagnosis's draft plan: the orders to draft, the alternatives that allergies can call for, and the citations.</summary>
public sealed record TreatmentRule(
    string Id,
    string Diagnosis,
    string Title,
    IReadOnlyList<GuidelineCitation> Citations,
    IReadOnlyList<DraftOrder> Orders,
    IReadOnlyList<DraftOrder>? Alternatives = null,
    [property: JsonPropertyName("$comment")] string? Comment = null)
{
    public IReadOnlyList<DraftOrder> Alternatives { get; init; } = Alternatives ?? [];

    public DraftOrder Alternative(string id) => Alternatives.Single(a => a.Id == id);
}

public enum OrderKind
{
    /// <summary>A MedicationRequest.</summary>
    Medication,

    /// <summary>A ServiceRequest (laboratory test, imaging, procedure, referral, monitoring).</summary>
    Service,
}

/// <summary>What to do when the patient already takes (or another plan already drafts) a drug of the same class.</summary>
public enum DuplicateAction
{
    /// <summary>Draft it anyway and raise a duplicate-therapy DetectedIssue (the default).</summary>
    Flag,

    /// <summary>Do not draft it; raise a duplicate-therapy DetectedIssue on the plan.</summary>
    Omit,
}

/// <summary>
/// One draft order of a rule: a medication (with dosage and safety checks) or a service. <see cref="When"/> says when
/// the order is indicated if not always; <see cref="Basis"/> says what in the guideline it rests on.
/// </summary>
public sealed record DraftOrder(
    string Id,
    OrderKind Kind,
    string Title,
    string Basis,
    string? When = null,
    MedicationDefinition? Medication = null,
    IReadOnlyList<DosageTemplate>? Dosage = null,
    ServiceDefinition? Service = null,
    ScheduleTemplate? Occurrence = null,
    IReadOnlyList<string>? Classes = null,
    IReadOnlyList<AllergyContraindication>? Contraindications = null,
    IReadOnlyList<RenalDoseBand>? Renal = null,
    DuplicateAction OnDuplicate = DuplicateAction.Flag,
    string? DuplicateGuidance = null,
    [property: JsonPropertyName("$comment")] string? Comment = null)
{
    public IReadOnlyList<DosageTemplate> Dosage { get; init; } = Dosage ?? [];

    /// <summary>Therapeutic classes the drug belongs to: a current medication or another plan's draft in one of them is duplicate therapy.</summary>
    public IReadOnlyList<string> Classes { get; init; } = Classes ?? [];

    public IReadOnlyList<AllergyContraindication> Contraindications { get; init; } = Contraindications ?? [];

    /// <summary>Renal dose bands: the band with the lowest threshold above the creatinine clearance applies.</summary>
    public IReadOnlyList<RenalDoseBand> Renal { get; init; } = Renal ?? [];
}

/// <summary>A drug: its name and, where known for certain, RxNorm ingredient and ATC codes (never guessed).</summary>
public sealed record MedicationDefinition(string Display, string? Rxnorm = null, string? Atc = null);

/// <summary>A service: its name, a LOINC or SNOMED CT code where known for certain, and its category.</summary>
public sealed record ServiceDefinition(string Display, string? Loinc = null, string? Snomed = null, string? Category = null);

/// <summary>A repeat schedule: <c>frequency</c> times per <c>period</c> <c>periodUnit</c> (UCUM: min, h, d, wk).</summary>
public sealed record ScheduleTemplate(int Frequency, decimal Period, string PeriodUnit);

/// <summary>An amount in a UCUM unit (mg, g, ug).</summary>
public sealed record DoseTemplate(decimal Value, string Unit);

/// <summary>
/// A dosage instruction: free text (always) and the structured parts that are easy to state — route, dose, schedule
/// (frequency per period, optionally up to <c>periodMax</c>), number of doses (<c>count</c>), course length in days.
/// </summary>
public sealed record DosageTemplate(
    string Text,
    int? Sequence = null,
    string? Route = null,
    DoseTemplate? Dose = null,
    int? Frequency = null,
    decimal? Period = null,
    decimal? PeriodMax = null,
    string? PeriodUnit = null,
    int? Count = null,
    int? DurationDays = null,
    bool AsNeeded = false);

/// <summary>
/// Allergy groups that rule an order out, the alternative to draft instead (null: none in the knowledge base, the
/// clinician chooses), and other orders of the rule the alternative makes unnecessary.
/// </summary>
public sealed record AllergyContraindication(IReadOnlyList<string> AllergyGroups, string? Alternative = null, IReadOnlyList<string>? Replaces = null)
{
    public IReadOnlyList<string> Replaces { get; init; } = Replaces ?? [];
}

/// <summary>Creatinine clearance below <see cref="Below"/> mL/min: draft <see cref="Dosage"/> instead (or, when empty, only flag).</summary>
public sealed record RenalDoseBand(double Below, IReadOnlyList<DosageTemplate>? Dosage = null, string? Note = null)
{
    public IReadOnlyList<DosageTemplate> Dosage { get; init; } = Dosage ?? [];
}
