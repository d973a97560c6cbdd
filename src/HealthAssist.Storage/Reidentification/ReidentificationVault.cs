using System.Text.Json;
using HealthAssist.Deidentify;
using HealthAssist.Deidentify.Reidentification;
using HealthAssist.Record.Audit;
using HealthAssist.Storage.Audit;
using Microsoft.EntityFrameworkCore;

namespace HealthAssist.Storage.Reidentification;

/// <summary>Records who a pseudonym is, at ingest. Cannot read anything back.</summary>
public interface IReidentificationRecorder
{
    /// <summary>Stores the sealed identity of <paramref name="pseudonym"/> unless it is already stored.</summary>
    Task RememberAsync(PatientPseudonym pseudonym, PatientIdentity identity, CancellationToken cancellationToken = default);
}

/// <summary>
/// Turns a pseudonym back into the patient, for the EHR write-back path only: it is registered for that path and
/// nothing else takes it as a dependency (architecture test). Every read appends an audit entry first; if the entry
/// cannot be written, the identity is not returned.
/// </summary>
public interface IWriteBackIdentityResolver
{
    /// <returns>The identity, or null when the pseudonym was never recorded (the read is audited either way).</returns>
    Task<PatientIdentity?> ResolveAsync(PatientPseudonym pseudonym, AuditActor actor, string reason, CancellationToken cancellationToken = default);
}

public sealed class ReidentificationVault(HealthAssistDbContext db, IAuditTrail audit, ReidentificationCipher cipher, TimeProvider time)
    : IReidentificationRecorder, IWriteBackIdentityResolver
{
    public async Task RememberAsync(PatientPseudonym pseudonym, PatientIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (await db.Set<ReidentificationEntry>().AsNoTracking().AnyAsync(e => e.Pseudonym == pseudonym.Value, cancellationToken))
        {
            return;
        }

        db.Set<ReidentificationEntry>().Add(new ReidentificationEntry
        {
            Pseudonym = pseudonym.Value,
            SealedIdentity = cipher.Seal(pseudonym, identity),
            CreatedAt = time.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request recorded the same patient first (the pseudonym is deterministic, so the entry is equal);
            // anything else is rethrown.
            db.ChangeTracker.Clear();
            if (!await db.Set<ReidentificationEntry>().AsNoTracking().AnyAsync(e => e.Pseudonym == pseudonym.Value, cancellationToken))
            {
                throw;
            }
        }
    }

    public async Task<PatientIdentity?> ResolveAsync(PatientPseudonym pseudonym, AuditActor actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var entry = await db.Set<ReidentificationEntry>().AsNoTracking().FirstOrDefaultAsync(e => e.Pseudonym == pseudonym.Value, cancellationToken);

        // Audit first, then open: an identity is never in memory without its audit entry committed.
        var payload = JsonSerializer.Serialize(new { reason, found = entry is not null });
        await audit.AppendAsync(new AuditRecord(AuditEventTypes.ReidentificationRead, actor, PurposesOfUse.Treatment, pseudonym, payload,
            entry is null ? AuditOutcomes.MinorFailure : AuditOutcomes.Success), cancellationToken);
        return entry is null ? null : cipher.Open(pseudonym, entry.SealedIdentity);
    }
}
