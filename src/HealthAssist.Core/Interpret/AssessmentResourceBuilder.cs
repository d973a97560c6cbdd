using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using HealthAssist.Deidentify;
using HealthAssist.Encode.Inputs;
using HealthAssist.Fuse;

namespace HealthAssist.Interpret;

/// <summary>What the interpret stage needs besides the prediction: who and when, and what went in.</summary>
/// <param name="InferenceId">The inference's id (32 hex characters): every generated resource id starts with it.</param>
/// <param name="PatientReference">The subject as the caller will see it (<c>Patient/…</c>).</param>
/// <param name="Time">When the assessment was made.</param>
/// <param name="SoftwareVersion">HealthAssist's version, recorded in the Provenance.</param>
/// <param name="Inputs">Hashes of every input before and after de-identification.</param>
public sealed record AssessmentContext(string InferenceId, string PatientReference, DateTimeOffset Time, string SoftwareVersion, IReadOnlyList<InputDigest> Inputs);

/// <summary>The generated resources, and the Bundle (type collection) that carries them.</summary>
public sealed record AssessmentResources(
    Bundle Bundle, IReadOnlyList<Condition> Suggestions, RiskAssessment DiagnosisProbabilities, IReadOnlyList<RiskAssessment> Outcomes,
    IReadOnlyList<Device> Devices, Provenance Provenance, OperationOutcome Warnings);

/// <summary>
/// The interpret stage for diagnoses and outcomes: calibrated head probabilities become FHIR R4 resources an EHR can
/// show and a clinician can review — never final. Every clinical resource carries the AI-asserted security label;
/// each model is a <c>Device</c>; a <c>Provenance</c> ties the outputs to the models and to hashes of the de-identified
/// inputs.
/// <list type="bullet">
/// <item>Each diagnosis at or above its operating threshold: a <c>Condition</c>, verificationStatus <c>provisional</c>,
/// with SNOMED CT and ICD-10 codes and its basis in a note.</item>
/// <item>All diagnoses, ranked: one <c>RiskAssessment</c> (status preliminary) with a prediction per condition.</item>
/// <item>Each outcome: a <c>RiskAssessment</c> with probability and horizon, the fusion model as performer.</item>
/// </list>
/// </summary>
public static class AssessmentResourceBuilder
{
    public const string AiAssertedSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    public const string AiAssertedCode = "AIAST";
    public const string ModelHashSystem = "urn:healthassist:model-sha256";
    public const string InputHashSystem = "urn:healthassist:input-sha256";
    private const string Snomed = "http://snomed.info/sct";
    private const string Icd10 = "http://hl7.org/fhir/sid/icd-10";

    /// <param name="prediction">The fused prediction of the case.</param>
    /// <param name="inputs">The case's model inputs (for the modalities and the record facts).</param>
    /// <param name="context">Who, when, and the input hashes.</param>
    /// <param name="withoutRecordFacts">Per observed record feature, each head's probability without it
    /// (<see cref="MultimodalModel.WithoutRecordFacts"/>): the record facts that mattered most are named in each basis.</param>
    public static AssessmentResources Build(
        FusionPrediction prediction, ModelInputs inputs, AssessmentContext context, IReadOnlyDictionary<string, double[]>? withoutRecordFacts = null)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(context);
        var id = context.InferenceId;
        var subject = new ResourceReference(context.PatientReference);
        var now = context.Time.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

        var devices = prediction.Models.Select((model, i) => new Device
        {
            Id = $"{id}-model-{i + 1}",
            Status = Device.FHIRDeviceStatus.Active,
            DeviceName = [new Device.DeviceNameComponent { Name = model.Name, Type = DeviceNameType.ModelName }],
            Version = [new Device.VersionComponent { Value = model.Version }],
            Identifier = [new Identifier(ModelHashSystem, model.Sha256)],
            Type = new CodeableConcept(Snomed, "706689003", "Application program software"),
            Note = [new Annotation { Text = $"HealthAssist {model.Kind}{(model.Modality is null ? string.Empty : " for " + model.Modality)}, run on {model.ExecutionProvider}. Demonstration model trained on synthetic data; not for clinical use." }],
        }).ToList();
        var fusionDevice = new ResourceReference($"Device/{devices[^1].Id}", devices[^1].DeviceName[0].Name);

        var diagnoses = prediction.Heads.Where(h => h.Label.Kind == "diagnosis").OrderByDescending(h => h.Probability).ToList();
        var suggestions = diagnoses.Where(h => h.Suggested).Select(head => new Condition
        {
            Id = SuggestionId(id, head.Label.Key),
            Meta = AiAsserted(),
            ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
            VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "provisional", "Provisional"),
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis", "Encounter Diagnosis")],
            Code = Code(head.Label),
            Subject = subject,
            RecordedDate = now,
            Note = [new Annotation { Text = Basis(head, prediction, inputs, withoutRecordFacts) }],
        }).ToList();

        var ranked = new RiskAssessment
        {
            Id = $"{id}-dx-probabilities",
            Meta = AiAsserted(),
            Status = ObservationStatus.Preliminary,
            Code = new CodeableConcept("urn:healthassist:assessment", "diagnosis-probabilities", "Probability of each acute diagnosis (AI suggestion)"),
            Subject = subject,
            Occurrence = new FhirDateTime(context.Time),
            Performer = fusionDevice,
            Method = new CodeableConcept("urn:healthassist:model", prediction.Models[^1].Name + "@" + prediction.Models[^1].Version),
            Prediction = [.. diagnoses.Select(head => new RiskAssessment.PredictionComponent
            {
                Outcome = Code(head.Label),
                Probability = new FhirDecimal(Round(head.Probability)),
                Rationale = Invariant($"calibrated probability {head.Probability:0.000}; suggested at ≥ {head.Label.Threshold ?? double.NaN:0.000}: {(head.Suggested ? "yes" : "no")}"),
            })],
            Note = [new Annotation { Text = Modalities(prediction, inputs) }],
        };

        var outcomes = prediction.Heads.Where(h => h.Label.Kind == "outcome").Select(head => new RiskAssessment
        {
            Id = $"{id}-risk-{Slug(head.Label.Key)}",
            Meta = AiAsserted(),
            Status = ObservationStatus.Preliminary,
            Code = new CodeableConcept("urn:healthassist:assessment", head.Label.Key, head.Label.Display),
            Subject = subject,
            Occurrence = new FhirDateTime(context.Time),
            Performer = fusionDevice,
            Method = new CodeableConcept("urn:healthassist:model", prediction.Models[^1].Name + "@" + prediction.Models[^1].Version),
            Prediction =
            [
                new RiskAssessment.PredictionComponent
                {
                    Outcome = Code(head.Label),
                    Probability = new FhirDecimal(Round(head.Probability)),
                    When = Horizon(context.Time, head.Label.Horizon),
                    Rationale = Basis(head, prediction, inputs, withoutRecordFacts),
                },
            ],
        }).ToList();

        var warnings = new OperationOutcome
        {
            Id = $"{id}-warnings",
            Issue = [.. Warnings(prediction, inputs)],
        };

        var generated = new List<Resource>(suggestions) { ranked };
        generated.AddRange(outcomes);
        var provenance = new Provenance
        {
            Id = $"{id}-provenance",
            Target = [.. generated.Select(r => new ResourceReference($"{r.TypeName}/{r.Id}"))],
            Recorded = context.Time,
            Activity = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE", "create"),
            Agent = [.. devices.Select(d => new Provenance.AgentComponent
            {
                Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "assembler", "Assembler"),
                Who = new ResourceReference($"Device/{d.Id}", d.DeviceName[0].Name + "@" + d.Version[0].Value),
            })],
            Entity = [.. context.Inputs.Where(i => i.DeidentifiedSha256 is not null).Select(input => new Provenance.EntityComponent
            {
                Role = Provenance.ProvenanceEntityRole.Source,
                What = new ResourceReference
                {
                    Identifier = new Identifier(InputHashSystem, input.DeidentifiedSha256),
                    Display = $"{input.Modality} '{input.Label}' ({input.MediaType}), de-identified",
                },
            })],
            Policy = [$"urn:healthassist:software:{context.SoftwareVersion}"],
        };

        var bundle = new Bundle { Id = id, Type = Bundle.BundleType.Collection, Timestamp = context.Time };
        foreach (var resource in generated.Concat(devices).Append(provenance).Append(warnings))
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = resource });
        }

        return new AssessmentResources(bundle, suggestions, ranked, outcomes, devices, provenance, warnings);
    }

    private static Meta AiAsserted() => new() { Security = [new Coding(AiAssertedSystem, AiAssertedCode, "artificial intelligence asserted")] };

    private static CodeableConcept Code(HealthAssist.Encode.Registry.LabelSpec label)
    {
        var concept = new CodeableConcept { Text = label.Display };
        if (label.Snomed is { } snomed)
        {
            concept.Coding.Add(new Coding(Snomed, snomed, label.Display));
        }

        if (label.Icd10 is { } icd10)
        {
            concept.Coding.Add(new Coding(Icd10, icd10));
        }

        return concept;
    }

    private static Period? Horizon(DateTimeOffset time, string? horizon)
    {
        if (horizon is null)
        {
            return null;
        }

        var span = System.Xml.XmlConvert.ToTimeSpan(horizon);
        return new Period(new FhirDateTime(time), new FhirDateTime(time + span));
    }

    /// <summary>The basis of one head: probability and threshold, modalities used/missing/rejected, and each modality's contribution.</summary>
    internal static string Basis(HeadPrediction head, FusionPrediction prediction, ModelInputs inputs, IReadOnlyDictionary<string, double[]>? withoutRecordFacts)
    {
        var text = new StringBuilder();
        text.Append(Invariant($"{head.Label.Display}: calibrated probability {head.Probability:0.00}"));
        if (head.Label.Threshold is { } threshold)
        {
            text.Append(Invariant($" (suggested at ≥ {threshold:0.00})"));
        }

        text.Append(". ").Append(Modalities(prediction, inputs));
        if (head.WithoutModality.Count > 0)
        {
            text.Append(" Contribution of each modality (probability without it): ")
                .AppendJoin("; ", head.WithoutModality.OrderByDescending(m => Math.Abs(head.Probability - m.Value))
                    .Select(m => Invariant($"{m.Key.Display()} {head.Probability - m.Value:+0.00;-0.00} ({m.Value:0.00} without)")))
                .Append('.');
        }

        var index = prediction.Heads.ToList().IndexOf(head);
        var facts = (withoutRecordFacts ?? new Dictionary<string, double[]>())
            .Select(f => (Feature: f.Key, Delta: head.Probability - f.Value[index]))
            .Where(f => Math.Abs(f.Delta) >= 0.01)
            .OrderByDescending(f => Math.Abs(f.Delta))
            .Take(3)
            .ToList();
        if (facts.Count > 0)
        {
            text.Append(" Record facts that mattered most (change in probability they make): ")
                .AppendJoin("; ", facts.Select(f => Invariant($"{FactText(f.Feature, inputs)} {f.Delta:+0.00;-0.00}")))
                .Append('.');
        }

        return text.ToString();
    }

    private static string FactText(string feature, ModelInputs inputs)
    {
        var value = inputs.Tabular[feature];
        var fact = inputs.Tabular.Facts
            .Where(f => feature == f.Feature || feature.StartsWith(f.Feature + ".", StringComparison.Ordinal) || feature.StartsWith(f.Feature + "_", StringComparison.Ordinal))
            .OrderByDescending(f => f.Time)
            .FirstOrDefault();
        return fact is null
            ? Invariant($"{feature} = {value:0.##}")
            : Invariant($"{fact.Display} ({feature} = {value:0.##} {fact.Unit})");
    }

    private static string Modalities(FusionPrediction prediction, ModelInputs inputs)
    {
        var text = new StringBuilder("Used: ").AppendJoin(", ", prediction.Used.Select(m => m.Display())).Append('.');
        var rejected = inputs.Rejected.Select(r => $"{r.Modality} '{r.Label}' rejected: {r.Reason}").ToList();
        var missing = HealthAssist.Encode.Inputs.Modalities.All.Where(m => !prediction.Used.Contains(m))
            .Where(m => !inputs.Rejected.Any(r => ModalityOf(r.Modality) == m)).Select(m => m.Display()).ToList();
        if (missing.Count > 0)
        {
            text.Append(" Not supplied: ").AppendJoin(", ", missing).Append('.');
        }

        if (rejected.Count > 0)
        {
            text.Append(' ').AppendJoin("; ", rejected).Append('.');
        }

        return text.ToString();
    }

    private static IEnumerable<OperationOutcome.IssueComponent> Warnings(FusionPrediction prediction, ModelInputs inputs)
    {
        foreach (var rejected in inputs.Rejected)
        {
            yield return new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Warning,
                Code = OperationOutcome.IssueType.Invalid,
                Diagnostics = $"{rejected.Modality} '{rejected.Label}' was not used: {rejected.Reason}",
            };
        }

        foreach (var modality in HealthAssist.Encode.Inputs.Modalities.All.Where(m => !prediction.Used.Contains(m) && !inputs.Rejected.Any(r => ModalityOf(r.Modality) == m)))
        {
            yield return new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Information,
                Code = OperationOutcome.IssueType.Informational,
                Diagnostics = $"No {modality.Display()} was supplied; the assessment used the other modalities.",
            };
        }

        yield return new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Information,
            Code = OperationOutcome.IssueType.Informational,
            Diagnostics = "Suggestions from demonstration models trained on synthetic data: not for clinical use; every result is a draft for clinician review.",
        };
    }

    private static Modality? ModalityOf(string rejected) => rejected switch
    {
        "image" => Modality.Image,
        "heart-sound" => Modality.HeartSound,
        "lung-sound" => Modality.LungSound,
        _ => null,
    };

    private static decimal Round(double probability) => Math.Round((decimal)probability, 4);

    /// <summary>The id of the provisional Condition suggested for diagnosis <paramref name="key"/> in inference <paramref name="inferenceId"/>.</summary>
    public static string SuggestionId(string inferenceId, string key) => $"{inferenceId}-dx-{Slug(key)}";

    private static string Slug(string key) => key.Replace('_', '-');

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
