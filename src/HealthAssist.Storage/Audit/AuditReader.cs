using HealthAssist.Record.Audit;
using HealthAssist.Security;
using Microsoft.EntityFrameworkCore;

namespace HealthAssist.Storage.Audit;

/// <summary>Filters for reading the audit trail; every filter is optional.</summary>
public sealed record AuditQuery(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? PatientPseudonym = null,
    string? EventType = null,
    long AfterSequence = 0,
    int Limit = 100);

/// <summary>Reads and verifies the audit trail. Never writes.</summary>
public sealed class AuditReader(HealthAssistDbContext db, KeyRing keys)
{
    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var entries = db.AuditEntries.AsNoTracking().Where(e => e.Sequence > query.AfterSequence);
        if (query.From is { } from)
        {
            entries = entries.Where(e => e.OccurredAt >= from);
        }

        if (query.To is { } to)
        {
            entries = entries.Where(e => e.OccurredAt < to);
        }

        if (query.PatientPseudonym is { } patient)
        {
            entries = entries.Where(e => e.PatientPseudonym == patient);
        }

        if (query.EventType is { } eventType)
        {
            entries = entries.Where(e => e.EventType == eventType);
        }

        return await entries.OrderBy(e => e.Sequence).Take(query.Limit).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditCheckpoint>> CheckpointsAsync(CancellationToken cancellationToken = default) =>
        await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ThenBy(c => c.Id).ToListAsync(cancellationToken);

    /// <summary>Recomputes the whole chain and every checkpoint; see <see cref="AuditVerifier"/>.</summary>
    public async Task<AuditVerificationReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        using var activity = AuditTrail.ActivitySource.StartActivity("audit.verify");
        var checkpoints = await CheckpointsAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable();
        var report = await new AuditVerifier(keys.TrustedAuditKeys).VerifyAsync(entries, checkpoints, cancellationToken);
        activity?.SetTag("healthassist.audit.intact", report.IsIntact);
        return report;
    }
}
