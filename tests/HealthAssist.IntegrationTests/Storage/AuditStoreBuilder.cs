using HealthAssist.Deidentify;
using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Record.Audit;
using HealthAssist.Security;
using HealthAssist.Storage.Audit;

namespace HealthAssist.IntegrationTests.Storage;

/// <summary>Fills a test database with a realistic audit trail through the product's own appender and checkpointer.</summary>
internal sealed class AuditStoreBuilder(TestDatabase database, KeyRing keys)
{
    public static readonly AuditActor Clinician = new("clinician-7", "user", ["Clinician"]);

    public async Task<AuditStoreBuilder> AppendAsync(int count)
    {
        await using var db = database.CreateContext();
        var trail = new AuditTrail(db, TimeProvider.System);
        for (var i = 0; i < count; i++)
        {
            var patient = PatientPseudonym.Derive(keys.DeploymentSecret, "urn:test", $"patient-{i % 3}");
            await trail.AppendAsync(new AuditRecord("assessment.create", Clinician, PurposesOfUse.Treatment, patient, $"{{\"n\":{i},\"text\":\"abc\"}}"));
        }

        return this;
    }

    public async Task<AuditStoreBuilder> CheckpointAsync()
    {
        await using var db = database.CreateContext();
        await new AuditCheckpointer(db, keys, TimeProvider.System).CreateAsync();
        return this;
    }

    public async Task<AuditVerificationReport> VerifyAsync()
    {
        await using var db = database.CreateContext();
        return await new AuditReader(db, keys).VerifyAsync();
    }
}
