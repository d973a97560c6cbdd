using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HealthAssist.Api.Audit;
using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Record.Audit;
using HealthAssist.Security;
using HealthAssist.Storage;
using HealthAssist.Storage.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthAssist.IntegrationTests.Api;

public sealed class AuditApiTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerOptions.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ReadingTheTrail_IsItselfRecordedWithActorRolesAndPurpose(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var factory = new HealthAssistFactory(database);

        var response = await factory.ClientAs(Roles.ComplianceOfficer).GetAsync("/api/audit/entries?limit=10");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = database.CreateContext();
        var entry = await db.AuditEntries.SingleAsync();
        Assert.Equal(AuditEventTypes.AuditQuery, entry.EventType);
        Assert.Equal("test-complianceofficer", entry.ActorSubject);
        Assert.Equal("user", entry.ActorType);
        Assert.Equal(Roles.ComplianceOfficer, entry.ActorRoles);
        Assert.Equal(PurposesOfUse.Compliance, entry.PurposeOfUse);
        Assert.Contains("\"returned\":0", entry.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckpointThenVerify_ReportsAnIntactTrailWithOneSignedCheckpoint()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database);
        var officer = factory.ClientAs(Roles.ComplianceOfficer);
        await officer.GetAsync("/api/audit/entries");
        await officer.GetAsync("/api/audit/entries");

        var created = await factory.ClientAs(Roles.Admin).PostAsync("/api/audit/checkpoints", null);
        var report = await officer.GetFromJsonAsync<AuditVerificationReport>("/api/audit/verify", Web);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var checkpoint = await created.Content.ReadFromJsonAsync<AuditCheckpointDto>(Web);
        Assert.Equal(2, checkpoint!.Sequence);
        Assert.NotNull(report);
        Assert.True(report.IsIntact, report.Message);
        Assert.Equal(1, report.CheckpointsChecked);
        Assert.Equal(3, report.EntriesChecked); // two queries and the checkpoint request
    }

    [Fact]
    public async Task VerifyingADamagedTrail_AppendsNothingSoTheEvidenceStaysAsFound()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database);
        var officer = factory.ClientAs(Roles.ComplianceOfficer);
        await officer.GetAsync("/api/audit/entries");
        await officer.GetAsync("/api/audit/entries");
        await database.DropAppendOnlyTriggersAsync();
        await database.ExecuteAsync("UPDATE audit_entries SET outcome = '8' WHERE sequence = 2");

        var report = await officer.GetFromJsonAsync<AuditVerificationReport>("/api/audit/verify", Web);

        Assert.NotNull(report);
        Assert.False(report.IsIntact);
        Assert.Equal(2, report.FirstBadSequence);
        Assert.Equal(2L, Convert.ToInt64(await database.ScalarAsync("SELECT COUNT(*) FROM audit_entries"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(factory.Logs.Lines, l => l.Contains("not recorded in the audit trail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_WritesCsvFromWhichEveryEntryHashCanBeRecomputedOffline()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database);
        var officer = factory.ClientAs(Roles.ComplianceOfficer);
        for (var i = 0; i < 3; i++)
        {
            await officer.GetAsync("/api/audit/entries?eventType=x,\"quoted\"");
        }

        var response = await officer.PostAsync("/api/audit/exports", new StringContent("{\"format\":\"csv\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var rows = Csv.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(AuditCsv.Columns, rows[0]);
        Assert.Equal(3, rows.Count - 1);
        var chain = new AuditChain();
        byte[]? previous = null;
        foreach (var row in rows.Skip(1))
        {
            var field = AuditCsv.Columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => row[x.i]);
            var entry = new AuditEntry
            {
                Sequence = long.Parse(field["sequence"], System.Globalization.CultureInfo.InvariantCulture),
                Id = Guid.Parse(field["id"]),
                OccurredAt = new DateTimeOffset(long.Parse(field["occurred_at_utc_ticks"], System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero),
                EventType = field["event_type"], Outcome = field["outcome"], ActorSubject = field["actor_subject"], ActorType = field["actor_type"],
                ActorRoles = field["actor_roles"], PurposeOfUse = field["purpose_of_use"],
                PatientPseudonym = field["patient_pseudonym"].Length == 0 ? null : field["patient_pseudonym"],
                Payload = field["payload"], PreviousHash = Convert.FromHexString(field["previous_hash"]), EntryHash = Convert.FromHexString(field["entry_hash"]),
            };
            Assert.Equal(entry.EntryHash, chain.ComputeHash(entry));
            if (previous is not null)
            {
                Assert.Equal(previous, entry.PreviousHash);
            }

            previous = entry.EntryHash;
        }
    }

    [Fact]
    public async Task WhenTheAuditEntryCannotBeWritten_TheResultIsWithheld()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database, services => services.AddScoped<IAuditTrail, UnavailableAuditTrail>());
        await using (var db = database.CreateContext())
        {
            await new AuditTrail(db, TimeProvider.System).AppendAsync([new AuditRecord("seed.secret-event", AuditActor.System, PurposesOfUse.Operations, null, "{}")]);
        }

        var response = await factory.ClientAs(Roles.ComplianceOfficer).GetAsync("/api/audit/entries");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("seed.secret-event", body, StringComparison.Ordinal);
        Assert.Contains("withheld", body, StringComparison.Ordinal);
    }

    private sealed class UnavailableAuditTrail : IAuditTrail
    {
        public Task<IReadOnlyList<AuditEntry>> AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default) =>
            throw new DbUpdateException("disk full");
    }
}

/// <summary>A strict RFC 4180 reader for checking exports (quoted fields, doubled quotes, CRLF).</summary>
internal static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }
}
