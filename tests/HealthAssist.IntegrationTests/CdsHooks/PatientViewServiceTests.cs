using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HealthAssist.Api.CdsHooks;
using HealthAssist.Deidentify;
using HealthAssist.IntegrationTests.Assessments;
using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Ingest.Fhir;
using HealthAssist.Record.Audit;
using HealthAssist.Storage;
using HealthAssist.Storage.Assessments;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.EntityFrameworkCore;
using Task = System.Threading.Tasks.Task;

namespace HealthAssist.IntegrationTests.CdsHooks;

/// <summary>The CDS Hooks service end to end: discovery, patient-view with prefetch, the 412 rule, feedback, and the EHR's JWT.</summary>
public sealed class PatientViewServiceTests(SyntheticCases cases) : IClassFixture<SyntheticCases>
{
    private const string PublicBaseUrl = "https://cds.example.org";
    private static readonly StrictFhirValidator Validator = new();

    [Fact]
    public async Task Discovery_ListsPatientViewWithPrefetchTemplates()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = Factory(database);

        using var discovery = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/cds-services"));

        var service = discovery.RootElement.GetProperty("services").EnumerateArray().Single();
        Assert.Equal("patient-view", service.GetProperty("hook").GetString());
        Assert.Equal(CdsHooksApi.PatientViewServiceId, service.GetProperty("id").GetString());
        Assert.Equal("Patient/{{context.patientId}}", service.GetProperty("prefetch").GetProperty("patient").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task PatientView_WithPrefetch_GivesCardsWhoseActionsAreValidDrafts_AuditedBeforeTheAnswer_AndFeedbackIsAuditedAgainstTheInference(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var factory = Factory(database);
        var (request, patientId) = HookRequest(cases.Complete(), withPrefetch: true);

        var response = await Send(factory, "/cds-services/" + CdsHooksApi.PatientViewServiceId, request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var cards = JsonNode.Parse(body)!["cards"]!.AsArray();
        Assert.NotEmpty(cards);
        foreach (var card in cards)
        {
            Assert.True(card!["summary"]!.GetValue<string>().Length < 140);
            Assert.Contains(card["indicator"]!.GetValue<string>(), new[] { "info", "warning", "critical" });
            Assert.StartsWith($"{PublicBaseUrl}/models/", card["source"]!["url"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.StartsWith($"{PublicBaseUrl}/portal/assessments/", card["links"]![0]!["url"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.NotEmpty(card["overrideReasons"]!.AsArray());
            Assert.True(Guid.TryParse(card["uuid"]!.GetValue<string>(), out _));
            foreach (var action in card["suggestions"]!.AsArray().SelectMany(s => s!["actions"]!.AsArray()))
            {
                Assert.Equal("create", action!["type"]!.GetValue<string>());
                var resource = new FhirJsonDeserializer().Deserialize<Resource>(action["resource"]!.ToJsonString());
                var record = new FhirRecord();
                record.Add(resource);
                Assert.DoesNotContain(Validator.Validate(record), i => i.IsError);
                switch (resource)
                {
                    case Condition condition:
                        Assert.Equal("provisional", condition.VerificationStatus!.Coding[0].Code);
                        Assert.Equal($"Patient/{patientId}", condition.Subject.Reference);
                        break;
                    case MedicationRequest medication:
                        Assert.Equal(MedicationRequest.MedicationrequestStatus.Draft, medication.Status);
                        Assert.Equal(MedicationRequest.MedicationRequestIntent.Proposal, medication.Intent);
                        break;
                    case ServiceRequest service:
                        Assert.Equal(RequestStatus.Draft, service.Status);
                        Assert.Equal(RequestIntent.Proposal, service.Intent);
                        break;
                    case RequestGroup group:
                        Assert.Equal(RequestStatus.Draft, group.Status);
                        Assert.Equal(RequestIntent.Proposal, group.Intent);
                        break;
                }
            }
        }

        await AssessmentAssertions.AuditedAsync(factory, database, "cds-hooks", inputs: 1);
        await using (var db = database.CreateContext())
        {
            var entry = await db.AuditEntries.SingleAsync(e => e.EventType == AuditEventTypes.AssessmentCreate);
            Assert.Equal($"cds:{TestEhr.Issuer}#{TestEhr.ClientId}", entry.ActorSubject);
        }

        // Feedback on the first card: overridden with one of the card's reasons, and the comment kept only as a hash.
        var first = cards[0]!;
        var feedback = new JsonObject
        {
            ["feedback"] = new JsonArray(new JsonObject
            {
                ["card"] = first["uuid"]!.GetValue<string>(),
                ["outcome"] = "overridden",
                ["overrideReason"] = new JsonObject
                {
                    ["reason"] = first["overrideReasons"]![0]!.DeepClone(),
                    ["userComment"] = "Seen by Dr canary-CDS-comment; already treated",
                },
                ["outcomeTimestamp"] = "2026-11-26T12:00:00Z",
            }),
        };

        var answer = await Send(factory, $"/cds-services/{CdsHooksApi.PatientViewServiceId}/feedback", feedback);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        await using var check = database.CreateContext();
        var recorded = await check.AuditEntries.SingleAsync(e => e.EventType == AuditEventTypes.CdsFeedback);
        var assessment = await check.Set<StoredAssessment>().SingleAsync();
        Assert.Equal(assessment.PatientPseudonym, recorded.PatientPseudonym);
        using var payload = JsonDocument.Parse(recorded.Payload);
        Assert.Equal(assessment.InferenceId, payload.RootElement.GetProperty("inferenceId").GetString());
        Assert.Equal(assessment.AuditSequence, payload.RootElement.GetProperty("assessmentAuditSequence").GetInt64());
        Assert.Equal("overridden", payload.RootElement.GetProperty("outcome").GetString());
        Assert.DoesNotContain("canary-CDS-comment", recorded.Payload, StringComparison.Ordinal);
        Assert.Contains("\"isIntact\":true", await factory.ClientAs(HealthAssist.Security.Roles.ComplianceOfficer).GetStringAsync("/api/audit/verify"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatientView_WithoutPrefetch_AndNoEhrToPullFrom_Answers412()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = Factory(database);
        var (request, _) = HookRequest(cases.Complete(), withPrefetch: false);

        var response = await Send(factory, "/cds-services/" + CdsHooksApi.PatientViewServiceId, request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.Set<StoredAssessment>().CountAsync());
    }

    [Fact]
    public async Task PatientView_WithATokenForAnotherService_OrReplayed_Is401_AndNothingRuns()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = Factory(database);
        var (request, _) = HookRequest(cases.Complete(), withPrefetch: true);
        var path = "/cds-services/" + CdsHooksApi.PatientViewServiceId;

        var wrongAudience = await Send(factory, path, request, TestToken.At(TimeProvider.System.GetUtcNow()).With("aud", TestEhr.OtherServiceUrl).Sign());
        var unsigned = await Send(factory, path, request, TestToken.At(TimeProvider.System.GetUtcNow()).With("aud", PublicBaseUrl + path).Unsigned());
        var replayed = TestToken.At(TimeProvider.System.GetUtcNow()).With("aud", PublicBaseUrl + path).Sign();
        var firstUse = await Send(factory, path, request, replayed);
        var secondUse = await Send(factory, path, request, replayed);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.OK, firstUse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, secondUse.StatusCode);
        await using var db = database.CreateContext();
        Assert.Equal(1, await db.Set<StoredAssessment>().CountAsync());
    }

    [Fact]
    public async Task Feedback_OnAnUnknownCard_Is404_AndNotAudited()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = Factory(database);
        var feedback = new JsonObject { ["feedback"] = new JsonArray(new JsonObject { ["card"] = Guid.NewGuid().ToString(), ["outcome"] = "accepted" }) };

        var response = await Send(factory, $"/cds-services/{CdsHooksApi.PatientViewServiceId}/feedback", feedback);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.AuditEntries.CountAsync(e => e.EventType == AuditEventTypes.CdsFeedback));
    }

    internal static HealthAssistFactory Factory(TestDatabase database, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CdsHooks:PublicBaseUrl"] = PublicBaseUrl,
            ["CdsHooks:Clients:0:Issuer"] = TestEhr.Issuer,
            ["CdsHooks:Clients:0:Jwks"] = TestEhr.JwkSet(TestEhr.Jwk(TestEhr.Rsa, "rsa-1")),
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new HealthAssistFactory(database, settings: settings);
    }

    internal static async Task<HttpResponseMessage> Send(HealthAssistFactory factory, string path, JsonObject body, string? token = null)
    {
        var client = factory.CreateClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? TestToken.At(TimeProvider.System.GetUtcNow()).With("aud", PublicBaseUrl + path).Sign());
        return await client.SendAsync(message);
    }

    /// <summary>A patient-view request for the case; with prefetch, the record split as the discovery's templates would fetch it.</summary>
    internal static (JsonObject Request, string PatientId) HookRequest(CaseInputs inputs, bool withPrefetch)
    {
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(inputs.FhirJson);
        var serializer = new FhirJsonSerializer();
        var patient = bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single();
        var request = new JsonObject
        {
            ["hook"] = "patient-view",
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["fhirServer"] = "https://ehr.example.org/fhir",
            ["context"] = new JsonObject { ["userId"] = "Practitioner/example", ["patientId"] = patient.Id },
        };
        if (withPrefetch)
        {
            JsonNode Search(params Type[] types)
            {
                var searchset = new Bundle { Type = Bundle.BundleType.Searchset };
                searchset.Entry.AddRange(bundle.Entry.Where(e => e.Resource is { } r && types.Contains(r.GetType()))
                    .Select(e => new Bundle.EntryComponent { FullUrl = e.FullUrl, Resource = e.Resource, Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match } }));
                searchset.Total = searchset.Entry.Count;
                return JsonNode.Parse(serializer.SerializeToString(searchset))!;
            }

            request["prefetch"] = new JsonObject
            {
                ["patient"] = JsonNode.Parse(serializer.SerializeToString(patient)),
                ["conditions"] = Search(typeof(Condition)),
                ["observations"] = Search(typeof(Observation)),
                ["medications"] = Search(typeof(MedicationRequest), typeof(MedicationStatement)),
                ["allergies"] = Search(typeof(AllergyIntolerance)),
                ["consents"] = Search(typeof(Consent)),
                ["notes"] = Search(typeof(DocumentReference)),
            };
        }

        return (request, patient.Id!);
    }
}
