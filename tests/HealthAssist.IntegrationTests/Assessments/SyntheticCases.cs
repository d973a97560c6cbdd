using HealthAssist.Cli.Cohorts;
using HealthAssist.Deidentify;
using HealthAssist.IntegrationTests.Cli;
using HealthAssist.Ingest.Audio;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace HealthAssist.IntegrationTests.Assessments;

/// <summary>A small synthetic cohort (written once per test class by <c>healthassist synth</c>) to draw whole cases from.</summary>
public sealed class SyntheticCases : IDisposable
{
    private readonly SyntheticCohort _cohort;

    public SyntheticCases()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Environment"] = "Development",
            ["HealthAssist:DataDirectory"] = Path.Combine(Root, "data"),
            ["Keys:GenerateMissing"] = "true",
        };
        var (code, _, error) = CliTests.RunAsync(settings, "synth", "--patients", "60", "--seed", "8080", "--out", Folder).GetAwaiter().GetResult();
        Assert.True(code == 0, error);
        _cohort = SyntheticCohort.Open(Folder);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"ha-cases-{Guid.NewGuid():N}");

    public string Folder => Path.Combine(Root, "cohort");


    /// <summary>A case with a radiograph, a heart and a lung recording, whose consent allows AI processing.</summary>
    public CaseInputs Complete(int skip = 0) => _cohort.Inputs(_cohort.Rows
        .Where(r => r["image"] != string.Empty && r["heart_audio"] != string.Empty && r["lung_audio"] != string.Empty && !SyntheticCohort.Flag(r, "consent_denies_ai") && !SyntheticCohort.Flag(r, "burned_in_text"))
        .Skip(skip).First());

    /// <summary>A complete case to which the patient added an active Consent denying processing by AI decision support.</summary>
    public CaseInputs DenyingAi()
    {
        var inputs = Complete();
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(inputs.FhirJson);
        var patient = bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single();
        var consent = new Consent
        {
            Id = "consent-no-ai",
            Status = Consent.ConsentState.Active,
            Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "treatment"),
            Category = [new CodeableConcept("http://loinc.org", "59284-0", "Patient Consent")],
            Patient = new ResourceReference($"Patient/{patient.Id}"),
            Policy = [new Consent.PolicyComponent { Uri = "https://healthassist.example.org/policy/data-use" }],
            Provision = new Consent.provisionComponent
            {
                Type = Consent.ConsentProvisionType.Deny,
                Purpose = [new Coding(HealthAssist.Ingest.Fhir.ConsentPolicy.AiProcessingSystem, HealthAssist.Ingest.Fhir.ConsentPolicy.AiProcessingCode)],
            },
        };
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:" + Guid.NewGuid(), Resource = consent });
        return inputs with { FhirJson = new FhirJsonSerializer().SerializeToString(bundle) };
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>Builds the <c>$assess</c> Parameters for a case, as an EHR would send it.</summary>
public sealed class AssessParametersBuilder
{
    private readonly Parameters _parameters;

    private AssessParametersBuilder(Parameters parameters) => _parameters = parameters;

    public static AssessParametersBuilder For(CaseInputs inputs) => new(HealthAssist.Api.Assessments.AssessParameters.Write(inputs));

    public AssessParametersBuilder WithImage(byte[] dicom)
    {
        _parameters.Add("image", new Attachment { ContentType = "application/dicom", Data = dicom });
        return this;
    }

    public AssessParametersBuilder WithRecording(SoundType sound, string site, byte[] wav)
    {
        _parameters.Parameter.Add(HealthAssist.Api.Assessments.AssessParameters.RecordingParameter(sound, site, wav));
        return this;
    }

    public AssessParametersBuilder WithoutImages()
    {
        _parameters.Parameter.RemoveAll(p => p.Name == "image");
        return this;
    }

    public string ToJson() => new FhirJsonSerializer().SerializeToString(_parameters);

    public HttpContent ToContent() => new StringContent(ToJson(), System.Text.Encoding.UTF8, "application/fhir+json");
}
