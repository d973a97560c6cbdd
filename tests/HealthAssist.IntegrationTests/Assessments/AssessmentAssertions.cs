using System.Text.Json;
using HealthAssist.Deidentify;
using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Ingest.Fhir;
using HealthAssist.Interpret;
using HealthAssist.Record.Audit;
using HealthAssist.Security;
using HealthAssist.Storage.Assessments;
using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;

namespace HealthAssist.IntegrationTests.Assessments;

/// <summary>What every door's end-to-end test checks: valid FHIR, drafts never final, a complete audit entry, an intact chain.</summary>
internal static class AssessmentAssertions
{
    private static readonly StrictFhirValidator Validator = new();

    /// <summary>Every resource validates against base R4; suggestions are provisional, orders draft proposals, all AI-asserted.</summary>
    public static void ValidResults(IReadOnlyList<Resource> resources)
    {
        var record = new FhirRecord();
        foreach (var resource in resources)
        {
            record.Add(resource);
        }

        var errors = Validator.Validate(record).Where(i => i.IsError).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Location}: {e.Message}")));
        Assert.All(resources.OfType<Condition>(), c => Assert.Equal("provisional", c.VerificationStatus!.Coding[0].Code));
        Assert.All(resources.OfType<RequestGroup>(), g => Assert.Equal((RequestStatus.Draft, RequestIntent.Proposal), (g.Status!.Value, g.Intent!.Value)));
        Assert.All(resources.OfType<MedicationRequest>(), m => Assert.Equal(
            (MedicationRequest.MedicationrequestStatus.Draft, MedicationRequest.MedicationRequestIntent.Proposal), (m.Status!.Value, m.Intent!.Value)));
        Assert.All(resources.OfType<ServiceRequest>(), s => Assert.Equal((RequestStatus.Draft, RequestIntent.Proposal), (s.Status!.Value, s.Intent!.Value)));
        Assert.All(resources.Where(r => r is Condition or RiskAssessment or RequestGroup or MedicationRequest or ServiceRequest or DetectedIssue).Cast<DomainResource>(),
            r => Assert.Contains(r.Meta!.Security, s => s.Code == AssessmentResourceBuilder.AiAssertedCode));
    }

    /// <summary>
    /// The one <c>assessment.create</c> entry has every field the issue lists, the stored result matches its hash, and the
    /// chain verifies (through the compliance officer's API).
    /// </summary>
    public static async Task<JsonElement> AuditedAsync(HealthAssistFactory factory, TestDatabase database, string channel, int inputs)
    {
        await using var db = database.CreateContext();
        var entry = await db.AuditEntries.SingleAsync(e => e.EventType == AuditEventTypes.AssessmentCreate);
        Assert.Equal(AuditOutcomes.Success, entry.Outcome);
        Assert.False(string.IsNullOrEmpty(entry.ActorSubject));
        Assert.Equal(PurposesOfUse.Treatment, entry.PurposeOfUse);
        Assert.StartsWith(PatientPseudonym.Prefix, entry.PatientPseudonym);
        using var payload = JsonDocument.Parse(entry.Payload);
        var root = payload.RootElement.Clone();
        Assert.Equal(channel, root.GetProperty("channel").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("softwareVersion").GetString()));
        Assert.Equal(inputs, root.GetProperty("inputs").GetArrayLength());
        Assert.All(root.GetProperty("inputs").EnumerateArray(), i =>
        {
            Assert.Equal(64, i.GetProperty("originalSha256").GetString()!.Length);
            Assert.False(string.IsNullOrEmpty(i.GetProperty("mediaType").GetString()));
            Assert.False(string.IsNullOrEmpty(i.GetProperty("profile").GetString()));
            Assert.Equal(JsonValueKind.Array, i.GetProperty("qualityFlags").ValueKind);
        });
        Assert.All(root.GetProperty("models").EnumerateArray(), m => Assert.Equal(64, m.GetProperty("sha256").GetString()!.Length));
        Assert.True(root.GetProperty("timingsMs").GetProperty("total").GetDouble() > 0);
        var stored = await db.Set<StoredAssessment>().SingleAsync();
        Assert.Equal(entry.Sequence, stored.AuditSequence);
        Assert.Equal(root.GetProperty("outputs").GetProperty("resultSha256").GetString(),
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(stored.ResultJson))));

        var verify = await factory.ClientAs(Roles.ComplianceOfficer).GetStringAsync("/api/audit/verify");
        Assert.Contains("\"isIntact\":true", verify, StringComparison.Ordinal);
        return root;
    }
}
