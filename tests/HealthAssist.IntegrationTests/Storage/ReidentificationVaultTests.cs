using System.Security.Cryptography;
using System.Text;
using HealthAssist.Deidentify;
using HealthAssist.Deidentify.Reidentification;
using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Record.Audit;
using HealthAssist.Security;
using HealthAssist.Storage;
using HealthAssist.Storage.Audit;
using HealthAssist.Storage.Reidentification;
using Microsoft.EntityFrameworkCore;

namespace HealthAssist.IntegrationTests.Storage;

public sealed class ReidentificationVaultTests
{
    private static readonly DeploymentSecret Secret = DeploymentSecret.Generate();
    private static readonly PatientIdentity Canary = new("http://hospital.example.org/mrn", "MRN-CANARY-90210", "Patient/canary-4711");
    private static readonly AuditActor WriteBack = new("ehr-writeback", "service", ["WriteBack"]);

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Resolve_ReturnsTheRememberedIdentity_AndAuditsTheReadUnderThePseudonymOnly(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var pseudonym = PatientPseudonym.Derive(Secret, Canary.SourceSystem, Canary.PatientId);
        await using (var db = database.CreateContext())
        {
            await Vault(db).RememberAsync(pseudonym, Canary);
            await Vault(db).RememberAsync(pseudonym, Canary); // idempotent: ingest sees the same patient again
        }

        PatientIdentity? resolved;
        await using (var db = database.CreateContext())
        {
            resolved = await Vault(db).ResolveAsync(pseudonym, WriteBack, "write DiagnosticReport back to the EHR");
        }

        Assert.Equal(Canary, resolved);
        await using var check = database.CreateContext();
        var entry = await check.AuditEntries.SingleAsync();
        Assert.Equal(AuditEventTypes.ReidentificationRead, entry.EventType);
        Assert.Equal(pseudonym.Value, entry.PatientPseudonym);
        Assert.Equal("ehr-writeback", entry.ActorSubject);
        Assert.DoesNotContain("CANARY", entry.Payload, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, await check.Set<ReidentificationEntry>().CountAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task StoredMap_HoldsNoIdentifierInClear(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var pseudonym = PatientPseudonym.Derive(Secret, Canary.SourceSystem, Canary.PatientId);
        await using (var db = database.CreateContext())
        {
            await Vault(db).RememberAsync(pseudonym, Canary);
        }

        await using var check = database.CreateContext();
        var row = await check.Set<ReidentificationEntry>().SingleAsync();
        var stored = Encoding.Latin1.GetString(row.SealedIdentity);
        Assert.DoesNotContain("CANARY", stored, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("90210", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("hospital.example", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_WhenTheAuditEntryCannotBeWritten_ReturnsNoIdentity()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var pseudonym = PatientPseudonym.Derive(Secret, Canary.SourceSystem, Canary.PatientId);
        await using var db = database.CreateContext();
        await Vault(db).RememberAsync(pseudonym, Canary);

        var vault = new ReidentificationVault(db, new FailingAuditTrail(), new ReidentificationCipher(Secret), TimeProvider.System);

        await Assert.ThrowsAsync<InvalidOperationException>(() => vault.ResolveAsync(pseudonym, WriteBack, "write-back"));
    }

    [Fact]
    public async Task Resolve_AnUnknownPseudonym_IsAuditedAsAMinorFailure_AndReturnsNull()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();

        var resolved = await Vault(db).ResolveAsync(PatientPseudonym.Derive(Secret, "urn:x", "never-seen"), WriteBack, "write-back");

        Assert.Null(resolved);
        Assert.Equal(AuditOutcomes.MinorFailure, (await db.AuditEntries.SingleAsync()).Outcome);
    }

    [Fact]
    public void SealedIdentity_MovedToAnotherPseudonymOrOpenedUnderAnotherSecret_DoesNotOpen()
    {
        var cipher = new ReidentificationCipher(Secret);
        var pseudonym = PatientPseudonym.Derive(Secret, Canary.SourceSystem, Canary.PatientId);
        var sealedIdentity = cipher.Seal(pseudonym, Canary);

        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(PatientPseudonym.Derive(Secret, "urn:x", "other"), sealedIdentity));
        Assert.ThrowsAny<CryptographicException>(() => new ReidentificationCipher(DeploymentSecret.Generate()).Open(pseudonym, sealedIdentity));
        sealedIdentity[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(pseudonym, sealedIdentity));
        Assert.DoesNotContain("CANARY", Canary.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private static ReidentificationVault Vault(HealthAssistDbContext db) =>
        new(db, new AuditTrail(db, TimeProvider.System), new ReidentificationCipher(Secret), TimeProvider.System);

    private sealed class FailingAuditTrail : IAuditTrail
    {
        public Task<IReadOnlyList<AuditEntry>> AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("audit store unavailable");
    }
}
