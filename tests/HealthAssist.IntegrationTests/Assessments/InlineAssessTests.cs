using System.Data.Common;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HealthAssist.Deidentify;
using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Ingest.Fhir;
using HealthAssist.Interpret;
using HealthAssist.Record.Audit;
using HealthAssist.Security;
using HealthAssist.Storage;
using HealthAssist.Storage.Assessments;
using HealthAssist.Storage.Inputs;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Task = System.Threading.Tasks.Task;

namespace HealthAssist.IntegrationTests.Assessments;

/// <summary><c>POST /fhir/$assess</c> with the case inline, end to end on real databases: result, audit, storage, refusals, fail-closed.</summary>
public sealed class InlineAssessTests(SyntheticCases cases) : IClassFixture<SyntheticCases>
{
    private static readonly StrictFhirValidator Validator = new();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task InlineAssess_ReturnsValidProvisionalResults_AfterCommittingAnAuditEntryWithEveryField(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var factory = new HealthAssistFactory(database);
        var inputs = cases.Complete();
        var original = new FhirJsonDeserializer().Deserialize<Bundle>(inputs.FhirJson);
        var patient = original.Entry.Select(e => e.Resource).OfType<Patient>().Single();
        var patientId = patient.Id!;
        var family = patient.Name[0].Family!;

        var response = await factory.ClientAs(Roles.EhrSystem).PostAsync("/fhir/$assess", AssessParametersBuilder.For(inputs).ToContent());

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(body);
        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        AssertValid(bundle);
        var resources = bundle.Entry.Select(e => e.Resource).ToList();
        Assert.Contains(resources, r => r is RiskAssessment);
        Assert.All(resources.OfType<Condition>(), c => Assert.Equal("provisional", c.VerificationStatus!.Coding[0].Code));
        Assert.All(resources.OfType<Condition>().Cast<DomainResource>().Concat(resources.OfType<RiskAssessment>()),
            r => Assert.Contains(r.Meta!.Security, s => s.Code == AssessmentResourceBuilder.AiAssertedCode));
        Assert.All(resources.OfType<RiskAssessment>(), r => Assert.Equal($"Patient/{patient.Id}", r.Subject.Reference));
        Assert.Contains(resources, r => r is Provenance);
        Assert.Contains(resources, r => r is OperationOutcome);
        Assert.Equal(resources.OfType<Condition>().Any(), resources.OfType<RequestGroup>().Any());
        Assert.All(resources.OfType<RequestGroup>(), g => Assert.Equal((RequestStatus.Draft, RequestIntent.Proposal), (g.Status!.Value, g.Intent!.Value)));
        Assert.All(resources.OfType<MedicationRequest>(), m => Assert.Equal((MedicationRequest.MedicationrequestStatus.Draft, MedicationRequest.MedicationRequestIntent.Proposal), (m.Status!.Value, m.Intent!.Value)));
        Assert.All(resources.OfType<ServiceRequest>(), s => Assert.Equal((RequestStatus.Draft, RequestIntent.Proposal), (s.Status!.Value, s.Intent!.Value)));

        // The audit entry: committed, with every field the issue lists, and the chain intact.
        await using var db = database.CreateContext();
        var entry = await db.AuditEntries.SingleAsync(e => e.EventType == AuditEventTypes.AssessmentCreate);
        Assert.Equal("test-ehrsystem", entry.ActorSubject);
        Assert.Equal(PurposesOfUse.Treatment, entry.PurposeOfUse);
        Assert.StartsWith(PatientPseudonym.Prefix, entry.PatientPseudonym);
        using var payload = JsonDocument.Parse(entry.Payload);
        var root = payload.RootElement;
        var inferenceId = root.GetProperty("inferenceId").GetString()!;
        Assert.Equal(inferenceId, response.Headers.GetValues("X-HealthAssist-Inference").Single());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("softwareVersion").GetString()));
        var auditedInputs = root.GetProperty("inputs").EnumerateArray().ToList();
        Assert.Equal(["record", "image", "heart-sound", "lung-sound"], auditedInputs.Select(i => i.GetProperty("modality").GetString()!).ToArray());
        Assert.All(auditedInputs, i =>
        {
            Assert.Equal(64, i.GetProperty("originalSha256").GetString()!.Length);
            Assert.Equal(64, i.GetProperty("deidentifiedSha256").GetString()!.Length);
            Assert.NotEqual(i.GetProperty("originalSha256").GetString(), i.GetProperty("deidentifiedSha256").GetString());
            Assert.False(string.IsNullOrEmpty(i.GetProperty("profile").GetString()));
            Assert.Equal(JsonValueKind.Array, i.GetProperty("qualityFlags").ValueKind);
            Assert.True(i.GetProperty("used").GetBoolean());
        });
        Assert.Equal(Sha256(inputs.Images[0].Dicom.ToArray()), auditedInputs[1].GetProperty("originalSha256").GetString());
        var models = root.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(6, models.Count);
        Assert.All(models, m => Assert.Equal(64, m.GetProperty("sha256").GetString()!.Length));
        Assert.True(root.GetProperty("timingsMs").GetProperty("total").GetDouble() > 0);
        Assert.Equal("completed", root.GetProperty("outcome").GetString());

        // The stored result is the de-identified copy, and its hash is the one audited.
        var stored = await db.Set<StoredAssessment>().SingleAsync();
        Assert.Equal(inferenceId, stored.InferenceId);
        Assert.Equal(entry.Sequence, stored.AuditSequence);
        Assert.Equal(root.GetProperty("outputs").GetProperty("resultSha256").GetString(), Sha256(Encoding.UTF8.GetBytes(stored.ResultJson)));
        Assert.DoesNotContain(patientId, stored.ResultJson, StringComparison.Ordinal);
        Assert.DoesNotContain(family, stored.ResultJson, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(entry.PatientPseudonym!, stored.ResultJson, StringComparison.Ordinal);

        // The de-identified inputs are stored encrypted under the audited hashes, so the inference can be replayed.
        var store = factory.Services.GetRequiredService<EncryptedInputStore>();
        foreach (var input in auditedInputs)
        {
            var hash = input.GetProperty("deidentifiedSha256").GetString()!;
            var content = await store.GetAsync(hash);
            Assert.NotNull(content);
            Assert.Equal(hash, Sha256(content));
        }

        var onDisk = Directory.EnumerateFiles(store.Directory, "*.bin", SearchOption.AllDirectories).Select(File.ReadAllBytes).ToList();
        Assert.Equal(4, onDisk.Count);
        Assert.DoesNotContain(onDisk, bytes => Encoding.ASCII.GetString(bytes).Contains("RIFF", StringComparison.Ordinal) || Encoding.ASCII.GetString(bytes).Contains("DICM", StringComparison.Ordinal));

        var verify = await factory.ClientAs(Roles.ComplianceOfficer).GetStringAsync("/api/audit/verify");
        Assert.Contains("\"isIntact\":true", verify, StringComparison.Ordinal);
        Assert.DoesNotContain(family, factory.Logs.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ConsentDenyingAiProcessing_GivesOperationOutcome_AndAuditsTheRefusal_WithoutResult()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database);

        var response = await factory.ClientAs(Roles.Clinician).PostAsync("/fhir/$assess", AssessParametersBuilder.For(cases.DenyingAi()).ToContent());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var outcome = new FhirJsonDeserializer().Deserialize<OperationOutcome>(await response.Content.ReadAsStringAsync());
        Assert.Contains("Consent", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        var refusal = await db.AuditEntries.SingleAsync(e => e.EventType == AuditEventTypes.AssessmentRefused);
        Assert.Equal(AuditOutcomes.MinorFailure, refusal.Outcome);
        Assert.StartsWith(PatientPseudonym.Prefix, refusal.PatientPseudonym);
        Assert.Contains("consent", refusal.Payload, StringComparison.Ordinal);
        Assert.Equal(0, await db.Set<StoredAssessment>().CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AuditStoreFailingMidRequest_Gives503_NoResult_AndNoRows(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var failure = new FailingInsert("assessments");
        await using var factory = new HealthAssistFactory(database, services =>
        {
            services.ConfigureDbContext<SqliteHealthAssistDbContext>(o => o.AddInterceptors(failure));
            services.ConfigureDbContext<PostgreSqlHealthAssistDbContext>(o => o.AddInterceptors(failure));
        });

        var response = await factory.ClientAs(Roles.EhrSystem).PostAsync("/fhir/$assess", AssessParametersBuilder.For(cases.Complete()).ToContent());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("OperationOutcome", body, StringComparison.Ordinal);
        Assert.DoesNotContain("RiskAssessment", body, StringComparison.Ordinal);
        Assert.True(failure.Fired);
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.AuditEntries.CountAsync(e => e.EventType == AuditEventTypes.AssessmentCreate));
        Assert.Equal(0, await db.Set<StoredAssessment>().CountAsync());
        Assert.Equal(0, await db.Set<HealthAssist.Storage.Reidentification.ReidentificationEntry>().CountAsync());
    }

    [Fact]
    public async Task MalformedImage_IsRejectedWithAReason_AndTheCaseGoesOnWithoutIt()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database);
        var inputs = cases.Complete(skip: 1);
        var broken = inputs.Images[0].Dicom.ToArray()[..400];
        var request = AssessParametersBuilder.For(inputs).WithoutImages().WithImage(broken);

        var response = await factory.ClientAs(Roles.EhrSystem).PostAsync("/fhir/$assess", request.ToContent());

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var warnings = new FhirJsonDeserializer().Deserialize<Bundle>(body).Entry.Select(e => e.Resource).OfType<OperationOutcome>().Single();
        Assert.Contains(warnings.Issue, i => i.Diagnostics?.Contains("image 1", StringComparison.Ordinal) == true);
        await using var db = database.CreateContext();
        using var payload = JsonDocument.Parse((await db.AuditEntries.SingleAsync(e => e.EventType == AuditEventTypes.AssessmentCreate)).Payload);
        var image = payload.RootElement.GetProperty("inputs").EnumerateArray().Single(i => i.GetProperty("modality").GetString() == "image");
        Assert.False(image.GetProperty("used").GetBoolean());
        Assert.Equal(JsonValueKind.Null, image.GetProperty("deidentifiedSha256").ValueKind);
        Assert.False(string.IsNullOrEmpty(image.GetProperty("rejectedBecause").GetString()));
    }

    [Theory]
    [InlineData("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"image\"}]}", 400)]
    [InlineData("{\"resourceType\":\"Patient\",\"id\":\"x\"}", 400)]
    [InlineData("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"birthDate\":\"not-a-date\"}}]}", 400)]
    [InlineData("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{\"resourceType\":\"Basic\",\"code\":{\"text\":\"no patient\"}}}]}", 422)]
    [InlineData("{not json", 400)]
    public async Task InvalidInput_GivesA4xxOperationOutcome_AndNoAssessment(string body, int status)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database);

        var response = await factory.ClientAs(Roles.EhrSystem).PostAsync("/fhir/$assess", new StringContent(body, Encoding.UTF8, "application/fhir+json"));

        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{(int)response.StatusCode}: {answer}");
        Assert.Contains("OperationOutcome", answer, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.Set<StoredAssessment>().CountAsync());
    }

    [Fact]
    public async Task OversizedUpload_Is413OperationOutcome_BeforeAnythingIsRead()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database, settings: new Dictionary<string, string?> { ["Assessments:MaxRequestBodyBytes"] = "4096" });

        var response = await factory.ClientAs(Roles.EhrSystem).PostAsync("/fhir/$assess", AssessParametersBuilder.For(cases.Complete()).ToContent());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("OperationOutcome", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.AuditEntries.CountAsync(e => e.EventType.StartsWith("assessment.")));
    }

    [Fact]
    public async Task Metadata_DeclaresAssess_AndItsOperationDefinitionValidates()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database);
        var client = factory.ClientAs(null);

        var capability = new FhirJsonDeserializer().Deserialize<CapabilityStatement>(await client.GetStringAsync("/fhir/metadata"));
        var definition = new FhirJsonDeserializer().Deserialize<OperationDefinition>(await client.GetStringAsync("/fhir/OperationDefinition/assess"));

        Assert.Contains(capability.Rest[0].Operation, o => o.Name == "assess" && o.Definition == definition.Url);
        Assert.Contains(definition.Parameter, p => p.Name == "record");
        var record = new FhirRecord();
        record.Add(definition);
        Assert.DoesNotContain(Validator.Validate(record), i => i.IsError);
    }

    [Fact]
    public async Task Assess_WithoutASubmitPermission_IsForbidden()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database);

        var response = await factory.ClientAs(Roles.Researcher).PostAsync("/fhir/$assess", AssessParametersBuilder.For(cases.Complete()).ToContent());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static void AssertValid(Bundle bundle)
    {
        var record = new FhirRecord();
        foreach (var entry in bundle.Entry)
        {
            record.Add(entry.Resource!, entry.FullUrl);
        }

        var errors = Validator.Validate(record).Where(i => i.IsError).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Location}: {e.Message}")));
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Fails the insert into one table, inside the recording transaction: the database failing mid-request.</summary>
    private sealed class FailingInsert(string table) : DbCommandInterceptor
    {
        public bool Fired { get; private set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Fail(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Fail(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Fail(DbCommand command)
        {
            if (command.CommandText.Contains($"INSERT INTO \"{table}\"", StringComparison.OrdinalIgnoreCase)
                || command.CommandText.Contains($"INSERT INTO {table}", StringComparison.OrdinalIgnoreCase))
            {
                Fired = true;
                throw new InvalidOperationException("simulated database failure");
            }
        }
    }
}
