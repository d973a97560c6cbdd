using Hl7.Fhir.Model;
using HealthAssist.Encode.Inputs;
using HealthAssist.Ingest.Fhir;
using HealthAssist.Interpret.Treatment;
using HealthAssist.UnitTests.Ingest.Fhir;

namespace HealthAssist.UnitTests.Interpret.Treatment;

/// <summary>
/// Builds the model inputs of one case for treatment drafting, without ONNX: a FHIR record (age, sex, weight, serum
/// creatinine, allergies, medications) through the case view and the feature extractor, as the pipeline does.
/// </summary>
internal sealed class TreatmentCaseBuilder
{
    public const string InferenceId = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    public const string PatientReference = "Patient/pseudonym-1";

    public static readonly string[] Diagnoses = ["pneumonia", "heart_failure", "copd_exacerbation", "aortic_stenosis", "pleural_effusion"];

    private static readonly FeatureSpecification Features =
        FeatureSpecification.Load(Path.Combine(RepositoryPaths.Root, "models", "features", "feature-spec.v1.json"));

    private readonly List<Action<PatientRecordBuilder>> _steps = [];
    private int? _age = 64;
    private AdministrativeGender _sex = AdministrativeGender.Male;

    /// <summary>The knowledge base as committed, loaded the way the service will load it.</summary>
    public static TreatmentKnowledgeBase KnowledgeBase { get; } =
        TreatmentKnowledgeBase.Load(Path.Combine(RepositoryPaths.Root, "models", "treatment", "knowledge-base.v1.json"));

    public static TreatmentContext Context { get; } = new(
        InferenceId,
        PatientReference,
        PatientRecordBuilder.IndexTime,
        Diagnoses.ToDictionary(d => d, d => $"Condition/{InferenceId}-dx-{d.Replace('_', '-')}"));

    public TreatmentCaseBuilder Aged(int years)
    {
        _age = years;
        return this;
    }

    public TreatmentCaseBuilder WithoutBirthDate()
    {
        _age = null;
        return this;
    }

    public TreatmentCaseBuilder Female()
    {
        _sex = AdministrativeGender.Female;
        return this;
    }

    public TreatmentCaseBuilder Weighing(decimal kilograms) => Step(r => r.Observation("29463-7", kilograms, "kg", TimeSpan.FromHours(6)));

    public TreatmentCaseBuilder SerumCreatinine(decimal micromolesPerLitre) => Step(r => r.Observation("2160-0", micromolesPerLitre, "umol/L", TimeSpan.FromHours(4)));

    /// <summary>Weight and creatinine that give a normal creatinine clearance for the default 64-year-old man (about 110 mL/min).</summary>
    public TreatmentCaseBuilder WithNormalRenalFunction() => Weighing(80).SerumCreatinine(70);

    public TreatmentCaseBuilder AllergicTo(string snomed, string display) => Step(r => r.Allergy(snomed, display));

    public TreatmentCaseBuilder AllergicToPenicillin() => AllergicTo("91936005", "Allergy to penicillin");

    public TreatmentCaseBuilder Taking(string display, string? atc = null, MedicationRequest.MedicationrequestStatus status = MedicationRequest.MedicationrequestStatus.Active) =>
        Step(r => r.Medication(display, atc, status));

    public ModelInputs Inputs()
    {
        var birthDate = _age is { } age ? $"{PatientRecordBuilder.IndexTime.Year - age - 1}-06-15" : null;
        var record = new PatientRecordBuilder(birthDate!, _sex);
        foreach (var step in _steps)
        {
            step(record);
        }

        var view = CaseViewBuilder.Build(record.Record(), PatientRecordBuilder.IndexTime);
        return new ModelInputs(new InputSpecification(), new FeatureExtractor(Features).Extract(view), null, null, null, null, [], view);
    }

    public TreatmentDrafts Draft(params string[] diagnoses) => new TreatmentDraftBuilder(KnowledgeBase).Build(diagnoses, Inputs(), Context);

    private TreatmentCaseBuilder Step(Action<PatientRecordBuilder> step)
    {
        _steps.Add(step);
        return this;
    }
}
