using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthAssist.Deidentify;
using HealthAssist.Encode.Inputs;
using HealthAssist.Encode.Registry;
using HealthAssist.Encode.Runtime;
using HealthAssist.Fuse;
using HealthAssist.Ingest.Fhir;
using HealthAssist.Interpret;
using HealthAssist.UnitTests.Deidentify;
using HealthAssist.UnitTests.Deidentify.Dicom;
using HealthAssist.UnitTests.Fuse;
using HealthAssist.UnitTests.Ingest.Fhir;

namespace HealthAssist.UnitTests.Interpret;

public sealed class AssessmentResourceBuilderTests : IDisposable
{
    private static readonly StrictFhirValidator Validator = new();
    private readonly ByomModelSet _models = new();

    public void Dispose() => _models.Dispose();

    private (AssessmentResources Resources, FusionPrediction Prediction) Assess()
    {
        using var model = MultimodalModel.Load(ModelRegistry.Scan(_models.Root), "byom-fusion", new OnnxRuntimeOptions { PreferCuda = false, IntraOpThreads = 1 });
        var bundle = new PatientRecordBuilder().Observation("8867-4", 112, "/min", TimeSpan.FromHours(1)).Note("Productive cough.", TimeSpan.FromHours(1)).Bundle();
        var json = FhirSerializationEngineFactory.Strict(ModelInfo.ModelInspector).SerializeToJson(bundle);
        var deidentified = new CaseDeidentifier(CaseDeidentifierTests.Profile(), TestSecrets.A)
            .Deidentify(new CaseInputs(json, [new CaseImage("image 1", "not dicom"u8.ToArray())], [], PatientRecordBuilder.IndexTime));
        var inputs = new ModelInputBuilder(_models.Features, model.Specification).Build(deidentified);
        var prediction = model.Predict([inputs])[0]!;
        var context = new AssessmentContext("0f1e2d3c4b5a69788796a5b4c3d2e1f0", "Patient/" + deidentified.Pseudonym.Value, PatientRecordBuilder.IndexTime, "1.2.3", deidentified.Inputs);
        return (AssessmentResourceBuilder.Build(prediction, inputs, context, model.WithoutRecordFacts(inputs)), prediction);
    }

    [Fact]
    public void Build_GivesResourcesThatPassStrictR4Validation()
    {
        var (resources, _) = Assess();

        var record = new FhirRecord();
        foreach (var entry in resources.Bundle.Entry)
        {
            record.Add(entry.Resource!, entry.FullUrl);
        }

        var errors = Validator.Validate(record).Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Location}: {e.Message}")));
        Assert.Equal(Bundle.BundleType.Collection, resources.Bundle.Type);
    }

    [Fact]
    public void Build_MarksEveryClinicalResourceAiAsserted_AndNothingIsFinal()
    {
        var (resources, prediction) = Assess();

        var clinical = resources.Suggestions.Cast<Resource>().Append(resources.DiagnosisProbabilities).Concat(resources.Outcomes).ToList();
        Assert.All(clinical, r => Assert.Contains(r.Meta!.Security, c => c.System == AssessmentResourceBuilder.AiAssertedSystem && c.Code == "AIAST"));
        Assert.All(resources.Suggestions, c => Assert.Equal("provisional", c.VerificationStatus!.Coding[0].Code));
        Assert.All(resources.Outcomes.Append(resources.DiagnosisProbabilities), r => Assert.Equal(ObservationStatus.Preliminary, r.Status));
        Assert.Equal(prediction.Heads.Count(h => h.Suggested), resources.Suggestions.Count);
        Assert.Equal(3, resources.Outcomes.Count);
        var probabilities = resources.DiagnosisProbabilities.Prediction.Select(p => (double)((FhirDecimal)p.Probability!).Value!.Value).ToList();
        Assert.Equal(probabilities.OrderByDescending(p => p), probabilities); // ranked
    }

    [Fact]
    public void Build_LinksOutputsToModelsAndDeidentifiedInputs_InTheProvenance()
    {
        var (resources, prediction) = Assess();

        Assert.Equal(prediction.Models.Count, resources.Devices.Count);
        Assert.Equal(prediction.Models.Select(m => m.Sha256), resources.Devices.Select(d => d.Identifier.Single().Value));
        var targets = resources.Provenance.Target.Select(t => t.Reference).ToHashSet();
        Assert.Contains($"RiskAssessment/{resources.DiagnosisProbabilities.Id}", targets);
        Assert.All(resources.Outcomes, o => Assert.Contains($"RiskAssessment/{o.Id}", targets));
        // The record was used and de-identified; the unreadable image has no de-identified hash, so no entity.
        var entity = Assert.Single(resources.Provenance.Entity);
        Assert.Equal(AssessmentResourceBuilder.InputHashSystem, entity.What!.Identifier!.System);
        Assert.Equal(prediction.Models.Count, resources.Provenance.Agent.Count);
    }

    [Fact]
    public void Build_SaysWhichModalitiesWereUsedMissingOrRejected_AndWhy()
    {
        var (resources, _) = Assess();

        var issues = resources.Warnings.Issue.Select(i => i.Diagnostics ?? string.Empty).ToList();
        Assert.Contains(issues, i => i.StartsWith("image 'image 1' was not used: not readable DICOM", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Contains("No heart sounds was supplied", StringComparison.Ordinal) || i.Contains("No heart sounds", StringComparison.Ordinal));
        var basis = resources.Outcomes[0].Prediction[0].Rationale ?? string.Empty;
        Assert.Contains("Used: record", basis, StringComparison.Ordinal);
        Assert.Contains("rejected", basis, StringComparison.Ordinal);
        Assert.Contains("without", basis, StringComparison.Ordinal); // per-modality contribution
        Assert.DoesNotContain("Canary", resources.Bundle.ToJson(), StringComparison.OrdinalIgnoreCase);
    }
}
