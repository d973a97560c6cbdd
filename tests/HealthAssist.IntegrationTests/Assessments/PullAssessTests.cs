using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using HealthAssist.Api.CdsHooks;
using HealthAssist.IntegrationTests.CdsHooks;
using HealthAssist.IntegrationTests.Ehr;
using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Record.Audit;
using HealthAssist.Security;
using HealthAssist.Storage;
using HealthAssist.Storage.Assessments;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.EntityFrameworkCore;
using Task = System.Threading.Tasks.Task;

namespace HealthAssist.IntegrationTests.Assessments;

/// <summary>
/// Pull mode end to end: a test EHR FHIR endpoint (in process) serves the record and the recordings, the real Orthanc
/// from the test script serves the radiograph over DICOMweb; <c>$assess</c> on the patient and a CDS Hooks call
/// without prefetch both pull the whole case through the same pipeline.
/// </summary>
public sealed class PullAssessTests(EhrPacsFixture pacs) : IClassFixture<EhrPacsFixture>
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task PullAssess_FetchesRecordImageAndRecordings_AndAuditsEachInput(DatabaseProvider provider)
    {
        var patient = EhrTestPatient.Create();
        var dicom = await pacs.UploadAsync(patient);
        await using var ehr = await TestEhrServer.StartAsync(patient);
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var factory = new HealthAssistFactory(database, settings: Settings(ehr));

        var response = await factory.ClientAs(Roles.Clinician).PostAsync($"/fhir/Patient/{patient.PatientId}/$assess", null);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(body);
        AssessmentAssertions.ValidResults([.. bundle.Entry.Select(e => e.Resource!)]);
        Assert.All(bundle.Entry.Select(e => e.Resource).OfType<RiskAssessment>(), r => Assert.Equal($"Patient/{patient.PatientId}", r.Subject.Reference));

        var payload = await AssessmentAssertions.AuditedAsync(factory, database, "fhir-pull", inputs: 4);
        await using var db = database.CreateContext();
        Assert.Equal("test-clinician", (await db.AuditEntries.SingleAsync(e => e.EventType == AuditEventTypes.AssessmentCreate)).ActorSubject);
        var inputs = payload.GetProperty("inputs").EnumerateArray().ToList();
        Assert.Equal(["record", "image", "heart-sound", "lung-sound"], inputs.Select(i => i.GetProperty("modality").GetString()!).ToArray());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(dicom)), inputs[1].GetProperty("originalSha256").GetString());
        var stored = await db.Set<StoredAssessment>().SingleAsync();
        Assert.DoesNotContain(EhrTestPatient.CanaryName, stored.ResultJson, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(patient.PatientId, stored.ResultJson, StringComparison.Ordinal);
        Assert.DoesNotContain(EhrTestPatient.CanaryName, factory.Logs.All, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(patient.PatientId, factory.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullAssess_ForAPatientTheEhrDoesNotKnow_Is404_AndNothingIsStored()
    {
        await using var ehr = await TestEhrServer.StartAsync(EhrTestPatient.Create());
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database, settings: Settings(ehr));

        var response = await factory.ClientAs(Roles.EhrSystem).PostAsync("/fhir/Patient/nobody-here/$assess", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("OperationOutcome", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.Set<StoredAssessment>().CountAsync());
    }

    [Fact]
    public async Task PatientView_WithoutPrefetch_PullsTheCaseFromTheEhr_AndAnswersWithCards()
    {
        var patient = EhrTestPatient.Create(seed: 99);
        await pacs.UploadAsync(patient);
        await using var ehr = await TestEhrServer.StartAsync(patient);
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await using var factory = PatientViewServiceTests.Factory(database, Settings(ehr));
        var request = new JsonObject
        {
            ["hook"] = "patient-view",
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["context"] = new JsonObject { ["userId"] = "Practitioner/example", ["patientId"] = patient.PatientId },
        };

        var response = await PatientViewServiceTests.Send(factory, "/cds-services/" + CdsHooksApi.PatientViewServiceId, request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.NotEmpty(JsonNode.Parse(body)!["cards"]!.AsArray());
        Assert.True(ehr.CountRequests("Patient") > 0);
        foreach (var card in JsonNode.Parse(body)!["cards"]!.AsArray())
        {
            AssessmentAssertions.ValidResults([.. card!["suggestions"]!.AsArray().SelectMany(s => s!["actions"]!.AsArray())
                .Select(a => new FhirJsonDeserializer().Deserialize<Resource>(a!["resource"]!.ToJsonString()))]);
        }

        await AssessmentAssertions.AuditedAsync(factory, database, "cds-hooks", inputs: 4);
    }

    private Dictionary<string, string?> Settings(TestEhrServer ehr) => new()
    {
        ["Ehr:FhirBaseUrl"] = ehr.FhirBase.ToString(),
        ["DicomWeb:BaseAddress"] = pacs.DicomWebAddress.ToString(),
    };
}
