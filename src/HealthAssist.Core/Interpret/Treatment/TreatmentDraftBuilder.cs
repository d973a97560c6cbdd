using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using HealthAssist.Encode.Inputs;
using HealthAssist.Ingest.Fhir;

namespace HealthAssist.Interpret.Treatment;

/// <summary>
/// The interpret stage for treatment: each suggested diagnosis with a knowledge-base rule becomes a draft plan — a
/// <c>RequestGroup</c> (status draft, intent proposal) whose actions point to draft <c>MedicationRequest</c>s and
/// <c>ServiceRequest</c>s — checked against the record:
/// <list type="bullet">
/// <item>allergies: an order an allergy group contraindicates is replaced by the rule's alternative (or not drafted when
/// there is none) — DetectedIssue <c>ALGY</c>, severity high;</item>
/// <item>renal function: for an order with renal bands, Cockcroft–Gault creatinine clearance below a band's threshold
/// drafts the band's dose — DetectedIssue <c>DOSECOND</c>, moderate; clearance that cannot be estimated (no age, sex,
/// weight or creatinine) drafts the standard dose with a DetectedIssue "renal function unknown — verify dose", low;</item>
/// <item>duplicate therapy: a current medication (or another plan's draft) in one of the order's therapeutic classes —
/// DetectedIssue <c>DUPTHPY</c>, moderate; the order is still drafted (knowledge base <c>onDuplicate: flag</c>, the
/// default) or left out (<c>omit</c>).</item>
/// </list>
/// Every resource carries the AI-asserted security label; every id starts with the inference id; the same inputs give
/// the same resources. A service two plans both ask for (e.g. an echocardiogram for heart failure and for aortic
/// stenosis) is drafted once, with both Conditions as its reason.
/// </summary>
public sealed partial class TreatmentDraftBuilder(TreatmentKnowledgeBase knowledgeBase)
{
    /// <summary>System of the identifier that ties a plan's requests together (RequestGroup.groupIdentifier, MedicationRequest.groupIdentifier, ServiceRequest.requisition).</summary>
    public const string PlanIdentifierSystem = "urn:healthassist:treatment-plan";

    /// <summary>Code system of what was done about a DetectedIssue (alternative-drafted, not-drafted, dose-adjusted, flagged-for-review).</summary>
    public const string MitigationSystem = "urn:healthassist:treatment-mitigation";

    public const string ActCodeSystem = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private const string Snomed = "http://snomed.info/sct";
    private const string Loinc = "http://loinc.org";
    private const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    private const string Atc = "http://www.whocc.no/atc";
    private const string Ucum = "http://unitsofmeasure.org";

    public TreatmentKnowledgeBase KnowledgeBase { get; } = knowledgeBase ?? throw new ArgumentNullException(nameof(knowledgeBase));

    /// <param name="suggestedDiagnoses">Diagnosis keys at or above their threshold (e.g. <c>pneumonia</c>), most probable first.</param>
    /// <param name="inputs">The case's model inputs: the record view (allergies, medications, age, sex) and features (weight, creatinine).</param>
    /// <param name="context">Inference id, subject, time and the Condition of each suggestion.</param>
    public TreatmentDrafts Build(IReadOnlyList<string> suggestedDiagnoses, ModelInputs inputs, TreatmentContext context)
    {
        ArgumentNullException.ThrowIfNull(suggestedDiagnoses);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(context);
        if (!InferenceId().IsMatch(context.InferenceId))
        {
            throw new ArgumentException("The inference id must be 1-34 characters of [A-Za-z0-9.-] so that generated ids stay valid FHIR ids", nameof(context));
        }

        var run = new DraftRun(KnowledgeBase, inputs, context);
        foreach (var key in suggestedDiagnoses.Distinct(StringComparer.Ordinal))
        {
            if (KnowledgeBase.RuleFor(key) is { } rule)
            {
                run.Plan(key, rule);
            }
        }

        return new TreatmentDrafts(run.Plans, run.Medications, run.Services, run.Issues);
    }

    [GeneratedRegex("^[A-Za-z0-9.-]{1,34}$")]
    private static partial Regex InferenceId();

    /// <summary>An order after the allergy check: what was avoided and why, and what is drafted (null: nothing safe in the knowledge base).</summary>
    private sealed record AllergyDecision(DraftOrder Original, DraftOrder? Final, IReadOnlyList<AllergyFinding> Findings, IReadOnlyList<string> Replaces);

    private sealed record AllergyFinding(DraftOrder Avoided, IReadOnlyList<SubstanceGroup> Groups, IReadOnlyList<AllergyFact> Allergies);

    private sealed record DraftedMedication(MedicationRequest Resource, DraftOrder Order, TreatmentRule Rule);

    /// <summary>The state of one Build call.</summary>
    private sealed class DraftRun
    {
        private readonly TreatmentKnowledgeBase _kb;
        private readonly TreatmentContext _context;
        private readonly ResourceReference _subject;
        private readonly string _now;
        private readonly IReadOnlyList<AllergyFact> _allergies;
        private readonly IReadOnlyList<MedicationFact> _currentMedications;
        private readonly Lazy<CreatinineClearance> _renal;
        private readonly List<DraftedMedication> _drafted = [];
        private readonly Dictionary<string, ServiceRequest> _servicesByCode = new(StringComparer.Ordinal);

        public DraftRun(TreatmentKnowledgeBase kb, ModelInputs inputs, TreatmentContext context)
        {
            _kb = kb;
            _context = context;
            _subject = new ResourceReference(context.PatientReference);
            _now = context.Time.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
            _allergies = inputs.View.Allergies;
            var current = kb.CurrentMedicationStatuses.ToHashSet(StringComparer.OrdinalIgnoreCase);
            _currentMedications = [.. inputs.View.Medications.Where(m => m.Status is not null && current.Contains(m.Status))];
            _renal = new Lazy<CreatinineClearance>(() => CreatinineClearance.Estimate(inputs));
        }

        public List<RequestGroup> Plans { get; } = [];

        public List<MedicationRequest> Medications { get; } = [];

        public List<ServiceRequest> Services { get; } = [];

        public List<DetectedIssue> Issues { get; } = [];

        public void Plan(string diagnosis, TreatmentRule rule)
        {
            var planId = Id("plan", rule.Id);
            var group = new Identifier(PlanIdentifierSystem, planId);
            var reason = _context.ConditionReferences.TryGetValue(diagnosis, out var condition) ? new ResourceReference(condition) : null;
            var plan = new RequestGroup
            {
                Id = planId,
                Meta = AiAsserted(),
                GroupIdentifier = group,
                InstantiatesUri = [.. rule.Citations.Select(c => c.Url).OfType<string>().Distinct(StringComparer.Ordinal).Prepend(RuleUri(rule))],
                Status = RequestStatus.Draft,
                Intent = RequestIntent.Proposal,
                Code = new CodeableConcept { Text = rule.Title },
                Subject = _subject,
                AuthoredOn = _now,
                ReasonReference = reason is null ? [] : [reason],
                ReasonCode = reason is null ? [new CodeableConcept { Text = rule.Title }] : [],
                Note = [.. PlanNotes(rule)],
            };
            Plans.Add(plan);
            var planReference = Reference(plan);

            var decisions = rule.Orders.Select(o => CheckAllergies(rule, o)).ToList();
            var replaced = decisions.Where(d => d.Final is not null).SelectMany(d => d.Replaces).ToHashSet(StringComparer.Ordinal);
            foreach (var decision in decisions.Where(d => !replaced.Contains(d.Original.Id)))
            {
                if (decision.Final is not { } order)
                {
                    AllergyIssue(rule, decision, planReference);
                    continue;
                }

                Resource? drafted = order.Kind == OrderKind.Medication
                    ? DraftMedication(rule, order, decision, planReference, group, reason)
                    : DraftService(rule, order, group, reason);
                if (drafted is not null)
                {
                    plan.Action.Add(new RequestGroup.ActionComponent
                    {
                        Title = order.Title,
                        Description = order.When is null ? order.Basis : $"{order.Basis} When: {order.When}",
                        Resource = Reference(drafted, order.Title),
                    });
                }
            }
        }

        /// <summary>Follows the order's contraindications through its alternatives until one is not contraindicated (or none is left).</summary>
        private AllergyDecision CheckAllergies(TreatmentRule rule, DraftOrder order)
        {
            var findings = new List<AllergyFinding>();
            var replaces = new List<string>();
            for (DraftOrder? candidate = order; candidate is not null;)
            {
                var hit = candidate.Contraindications
                    .Select(c => (Contraindication: c, Groups: c.AllergyGroups.Select(_kb.AllergyGroup).ToList()))
                    .Select(c => (c.Contraindication, c.Groups, Allergies: _allergies.Where(a => c.Groups.Any(g => g.Matches(a))).ToList()))
                    .FirstOrDefault(c => c.Allergies.Count > 0);
                if (hit.Contraindication is null)
                {
                    return new AllergyDecision(order, candidate, findings, replaces);
                }

                findings.Add(new AllergyFinding(candidate, [.. hit.Groups.Where(g => hit.Allergies.Any(g.Matches))], hit.Allergies));
                replaces.AddRange(hit.Contraindication.Replaces);
                candidate = hit.Contraindication.Alternative is { } alternative ? rule.Alternative(alternative) : null;
            }

            return new AllergyDecision(order, null, findings, replaces);
        }

        private MedicationRequest? DraftMedication(
            TreatmentRule rule, DraftOrder order, AllergyDecision decision, ResourceReference planReference, Identifier group, ResourceReference? reason)
        {
            var duplicates = DuplicateTherapy(rule, order);
            if (duplicates.Found && order.OnDuplicate == DuplicateAction.Omit)
            {
                DuplicateIssue(rule, order, duplicates, planReference, drafted: false);
                return null;
            }

            var renal = order.Renal.Count > 0 ? _renal.Value : null;
            var band = renal?.MillilitresPerMinute is { } clearance ? order.Renal.OrderBy(b => b.Below).FirstOrDefault(b => clearance < b.Below) : null;
            var dosage = band is { Dosage.Count: > 0 } ? band.Dosage : order.Dosage;
            var medication = order.Medication!;
            var request = new MedicationRequest
            {
                Id = Id("rx", order.Id),
                Meta = AiAsserted(),
                Status = MedicationRequest.MedicationrequestStatus.Draft,
                Intent = MedicationRequest.MedicationRequestIntent.Proposal,
                GroupIdentifier = group,
                Medication = MedicationCode(medication),
                Subject = _subject,
                AuthoredOn = _now,
                ReasonReference = reason is null ? [] : [reason],
                ReasonCode = reason is null ? [new CodeableConcept { Text = rule.Title }] : [],
                Note = [new Annotation { Text = OrderNote(rule, order) }],
                DosageInstruction = [.. dosage.Select(Dosage)],
            };
            Medications.Add(request);
            _drafted.Add(new DraftedMedication(request, order, rule));
            var reference = Reference(request, medication.Display);

            if (decision.Findings.Count > 0)
            {
                request.DetectedIssue.Add(AllergyIssue(rule, decision, reference));
            }

            if (renal is not null)
            {
                if (!renal.IsKnown)
                {
                    request.DetectedIssue.Add(RenalUnknownIssue(rule, order, renal, reference));
                }
                else if (band is not null)
                {
                    request.DetectedIssue.Add(RenalIssue(rule, order, renal, band, reference));
                }
            }

            if (duplicates.Found)
            {
                request.DetectedIssue.Add(DuplicateIssue(rule, order, duplicates, reference, drafted: true));
            }

            return request;
        }

        private ServiceRequest DraftService(TreatmentRule rule, DraftOrder order, Identifier group, ResourceReference? reason)
        {
            var service = order.Service!;
            var code = ServiceCode(service);
            var key = code.Coding.FirstOrDefault() is { } coding ? $"{coding.System}|{coding.Code}" : "text|" + service.Display.ToUpperInvariant();
            if (_servicesByCode.TryGetValue(key, out var existing))
            {
                // The same service for a second diagnosis: one request, both reasons.
                if (reason is not null && !existing.ReasonReference.Any(r => r.Reference == reason.Reference))
                {
                    existing.ReasonReference.Add(reason);
                }

                existing.Note.Add(new Annotation { Text = $"Also proposed by rule {rule.Id} ({rule.Title}): {order.Basis}" });
                return existing;
            }

            var request = new ServiceRequest
            {
                Id = Id("sr", order.Id),
                Meta = AiAsserted(),
                Requisition = group,
                Status = RequestStatus.Draft,
                Intent = RequestIntent.Proposal,
                Category = service.Category is { } category ? [Category(_kb.Category(category))] : [],
                Code = code,
                Subject = _subject,
                AuthoredOn = _now,
                ReasonReference = reason is null ? [] : [reason],
                ReasonCode = reason is null ? [new CodeableConcept { Text = rule.Title }] : [],
                Note = [new Annotation { Text = OrderNote(rule, order) }],
                Occurrence = order.Occurrence is { } schedule
                    ? new Timing { Repeat = new Timing.RepeatComponent { Frequency = schedule.Frequency, Period = schedule.Period, PeriodUnit = Unit(schedule.PeriodUnit) } }
                    : null,
            };
            Services.Add(request);
            _servicesByCode.Add(key, request);
            return request;
        }

        private sealed record Duplication(bool Found, IReadOnlyList<ResourceReference> Implicated, string Text);

        private Duplication DuplicateTherapy(TreatmentRule rule, DraftOrder order)
        {
            var classes = order.Classes.Select(_kb.MedicationClass).ToList();
            var implicated = new List<ResourceReference>();
            var parts = new List<string>();
            foreach (var medication in _currentMedications)
            {
                var matched = classes.Where(c => c.Matches(medication)).ToList();
                if (matched.Count > 0)
                {
                    var source = RecordMatching.IsResourceReference(medication.Source) ? medication.Source : null;
                    if (source is not null)
                    {
                        implicated.Add(new ResourceReference(source));
                    }

                    parts.Add($"the record lists current {string.Join(" and ", matched.Select(c => c.Display))}{(source is null ? string.Empty : $" ({source})")}");
                }
            }

            foreach (var other in _drafted.Where(d => d.Rule.Id != rule.Id))
            {
                var shared = order.Classes.Intersect(other.Order.Classes, StringComparer.Ordinal).Select(_kb.MedicationClass).ToList();
                if (shared.Count > 0)
                {
                    implicated.Add(Reference(other.Resource, other.Order.Medication!.Display));
                    parts.Add($"the plan for {other.Rule.Title.Split(':')[0]} already drafts {other.Order.Medication!.Display} ({string.Join(" and ", shared.Select(c => c.Display))}, MedicationRequest/{other.Resource.Id})");
                }
            }

            return new Duplication(parts.Count > 0, implicated, string.Join("; ", parts));
        }

        private ResourceReference AllergyIssue(TreatmentRule rule, AllergyDecision decision, ResourceReference drafted)
        {
            var text = new List<string>();
            foreach (var finding in decision.Findings)
            {
                var sources = finding.Allergies.Select(a => a.Source).Where(RecordMatching.IsResourceReference).Distinct(StringComparer.Ordinal).ToList();
                text.Add($"Recorded allergy to {string.Join(" and ", finding.Groups.Select(g => g.Display))}{(sources.Count == 0 ? string.Empty : $" ({string.Join(", ", sources)})")} contraindicates {Name(finding.Avoided)}.");
            }

            var replaced = decision.Replaces.Select(id => rule.Orders.Single(o => o.Id == id)).Select(Name).ToList();
            CodeableConcept mitigation;
            if (decision.Final is { } final)
            {
                text.Add($"Drafted instead: {Name(final)}{(replaced.Count == 0 ? string.Empty : $", which also replaces {string.Join(" and ", replaced)}")}.");
                mitigation = Mitigation("alternative-drafted", "Alternative drafted", $"Alternative drafted: {Name(final)}");
            }
            else
            {
                text.Add($"The knowledge base has no further alternative: {Name(decision.Original)} was not drafted; the clinician chooses the therapy.");
                mitigation = Mitigation("not-drafted", "Not drafted", $"Not drafted: {Name(decision.Original)}; no alternative in the knowledge base");
            }

            var implicated = new List<ResourceReference> { drafted };
            implicated.AddRange(decision.Findings.SelectMany(f => f.Allergies).Select(a => a.Source).Where(RecordMatching.IsResourceReference)
                .Distinct(StringComparer.Ordinal).Select(s => new ResourceReference(s)));
            return Issue(rule, "ALGY", "Allergy Alert", DetectedIssue.DetectedIssueSeverity.High, implicated, [], string.Join(" ", text), mitigation);
        }

        private ResourceReference RenalIssue(TreatmentRule rule, DraftOrder order, CreatinineClearance renal, RenalDoseBand band, ResourceReference drafted)
        {
            var adjusted = band.Dosage.Count > 0;
            var detail = $"{renal.Basis} is below {Invariant($"{band.Below:0.#}")} mL/min: "
                + (adjusted
                    ? $"{Name(order)} dose adjusted to {string.Join("; ", band.Dosage.Select(d => d.Text))}."
                    : $"{Name(order)} needs review; the dose was not adjusted automatically.")
                + (band.Note is null ? string.Empty : $" {band.Note}");
            var mitigation = adjusted
                ? Mitigation("dose-adjusted", "Dose adjusted", $"Dose adjusted for creatinine clearance below {Invariant($"{band.Below:0.#}")} mL/min")
                : Mitigation("flagged-for-review", "Flagged for review", "Standard dose drafted; flagged for review of renal dosing");
            return Issue(rule, "DOSECOND", "dosage-condition alert", DetectedIssue.DetectedIssueSeverity.Moderate, [drafted], RenalEvidence(renal), detail, mitigation);
        }

        private ResourceReference RenalUnknownIssue(TreatmentRule rule, DraftOrder order, CreatinineClearance renal, ResourceReference drafted)
        {
            var highest = order.Renal.Max(b => b.Below);
            var detail = $"Renal function unknown — verify dose: {renal.Basis}. {Name(order)} is renally cleared and needs a different dose below {Invariant($"{highest:0.#}")} mL/min; the standard dose was drafted.";
            return Issue(rule, "DOSECOND", "dosage-condition alert", DetectedIssue.DetectedIssueSeverity.Low, [drafted], RenalEvidence(renal), detail,
                Mitigation("flagged-for-review", "Flagged for review", "Standard dose drafted; verify against renal function before it is given"));
        }

        private ResourceReference DuplicateIssue(TreatmentRule rule, DraftOrder order, Duplication duplication, ResourceReference implicated, bool drafted)
        {
            var detail = $"Possible duplicate therapy with {Name(order)}: {duplication.Text}."
                + (order.DuplicateGuidance is null ? string.Empty : $" {order.DuplicateGuidance}")
                + (drafted ? string.Empty : " Not drafted, as the knowledge base directs.");
            var mitigation = drafted
                ? Mitigation("flagged-for-review", "Flagged for review", "Drafted and flagged for clinician review of the duplicate therapy")
                : Mitigation("not-drafted", "Not drafted", $"Not drafted: {Name(order)} duplicates current therapy");
            return Issue(rule, "DUPTHPY", "Duplicate Therapy Alert", DetectedIssue.DetectedIssueSeverity.Moderate, [implicated, .. duplication.Implicated], [], detail, mitigation);
        }

        private ResourceReference Issue(
            TreatmentRule rule, string code, string display, DetectedIssue.DetectedIssueSeverity severity, IReadOnlyList<ResourceReference> implicated,
            List<ResourceReference> evidence, string detail, CodeableConcept mitigation)
        {
            var issue = new DetectedIssue
            {
                Id = Id("issue", (Issues.Count + 1).ToString(CultureInfo.InvariantCulture)),
                Meta = AiAsserted(),
                Status = ObservationStatus.Preliminary,
                Code = new CodeableConcept(ActCodeSystem, code, display),
                Severity = severity,
                Patient = _subject,
                Identified = new FhirDateTime(_context.Time),
                Implicated = [.. implicated],
                Evidence = evidence.Count == 0 ? [] : [new DetectedIssue.EvidenceComponent { Detail = [.. evidence] }],
                Detail = $"{detail} (Treatment knowledge base {_kb.Version}, rule {rule.Id}.)",
                Reference = rule.Citations.Select(c => c.Url).OfType<string>().FirstOrDefault(),
                Mitigation = [new DetectedIssue.MitigationComponent { Action = mitigation, Date = _now }],
            };
            Issues.Add(issue);
            return Reference(issue);
        }

        private static List<ResourceReference> RenalEvidence(CreatinineClearance renal) =>
            [.. renal.Sources.Where(RecordMatching.IsResourceReference).Select(s => new ResourceReference(s))];

        private IEnumerable<Annotation> PlanNotes(TreatmentRule rule)
        {
            yield return new Annotation
            {
                Text = $"Draft treatment plan for clinician review: {rule.Title}. From rule {rule.Id} of the treatment knowledge base {_kb.Version} (sha256 {_kb.Sha256[..12]}). {_kb.Disclaimer}",
            };
            foreach (var citation in rule.Citations)
            {
                var reference = string.Join(". ", new[] { citation.Reference, citation.Url }.OfType<string>());
                yield return new Annotation
                {
                    Text = $"Source: {citation.Organisation} {Invariant($"{citation.Year}")}, {citation.Guideline} — {citation.Section}: {citation.Recommendation}{(reference.Length == 0 ? string.Empty : $" ({reference})")}",
                };
            }
        }

        private string OrderNote(TreatmentRule rule, DraftOrder order) =>
            $"{order.Basis}{(order.When is null ? string.Empty : $" When: {order.When}")} Source: {string.Join("; ", rule.Citations.Select(c => $"{c.Organisation} {Invariant($"{c.Year}")}").Distinct(StringComparer.Ordinal))}. "
            + $"Treatment knowledge base {_kb.Version}, rule {rule.Id}, order {order.Id}. Draft for clinician review.";

        private string RuleUri(TreatmentRule rule) => $"urn:healthassist:treatment-kb:{_kb.Version}#{rule.Id}";

        private Dosage Dosage(DosageTemplate template)
        {
            var dosage = new Dosage { Sequence = template.Sequence, Text = template.Text };
            if (template.Route is { } name)
            {
                var route = _kb.Route(name);
                dosage.Route = new CodeableConcept(Snomed, route.Snomed, route.Display, route.Display);
            }

            if (template.AsNeeded)
            {
                dosage.AsNeeded = new FhirBoolean(true);
            }

            if (template.Dose is { } dose)
            {
                dosage.DoseAndRate.Add(new Dosage.DoseAndRateComponent { Dose = new Quantity { Value = dose.Value, Unit = dose.Unit, System = Ucum, Code = dose.Unit } });
            }

            if (template.Frequency is not null || template.Count is not null || template.DurationDays is not null)
            {
                var repeat = new Timing.RepeatComponent
                {
                    Frequency = template.Frequency,
                    Period = template.Period,
                    PeriodMax = template.PeriodMax,
                    PeriodUnit = template.PeriodUnit is null ? null : Unit(template.PeriodUnit),
                    Count = template.Count,
                };
                if (template.DurationDays is { } days)
                {
                    repeat.Bounds = new Duration { Value = days, Unit = "d", System = Ucum, Code = "d" };
                }

                dosage.Timing = new Timing { Repeat = repeat };
            }

            return dosage;
        }

        private string Id(string kind, string suffix) => $"{_context.InferenceId}-{kind}-{suffix}";

        private static ResourceReference Reference(Resource resource, string? display = null) => new($"{resource.TypeName}/{resource.Id}", display);

        private static string Name(DraftOrder order) => order.Medication?.Display ?? order.Service?.Display ?? order.Title;

        private static Meta AiAsserted() =>
            new() { Security = [new Coding(AssessmentResourceBuilder.AiAssertedSystem, AssessmentResourceBuilder.AiAssertedCode, "artificial intelligence asserted")] };

        private static CodeableConcept Mitigation(string code, string display, string text) => new(MitigationSystem, code, display, text);

        private static CodeableConcept Category(ServiceCategory category) => new(Snomed, category.Snomed, category.Display, category.Display);

        private static CodeableConcept MedicationCode(MedicationDefinition medication)
        {
            var concept = new CodeableConcept { Text = medication.Display };
            if (medication.Rxnorm is { } rxnorm)
            {
                concept.Coding.Add(new Coding(RxNorm, rxnorm, medication.Display));
            }

            if (medication.Atc is { } atc)
            {
                concept.Coding.Add(new Coding(Atc, atc, medication.Display));
            }

            return concept;
        }

        private static CodeableConcept ServiceCode(ServiceDefinition service)
        {
            var concept = new CodeableConcept { Text = service.Display };
            if (service.Loinc is { } loinc)
            {
                concept.Coding.Add(new Coding(Loinc, loinc));
            }

            if (service.Snomed is { } snomed)
            {
                concept.Coding.Add(new Coding(Snomed, snomed));
            }

            return concept;
        }

        private static Timing.UnitsOfTime Unit(string unit) => unit switch
        {
            "min" => Timing.UnitsOfTime.Min,
            "h" => Timing.UnitsOfTime.H,
            "d" => Timing.UnitsOfTime.D,
            "wk" => Timing.UnitsOfTime.Wk,
            _ => throw new InvalidOperationException($"Unsupported period unit '{unit}'"),
        };

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
