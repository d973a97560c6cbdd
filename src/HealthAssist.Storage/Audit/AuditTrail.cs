using System.Diagnostics;
using System.Diagnostics.Metrics;
using HealthAssist.Record.Audit;
using Microsoft.EntityFrameworkCore;

namespace HealthAssist.Storage.Audit;

/// <summary>Appends entries to the hash-chained audit trail.</summary>
public interface IAuditTrail
{
    /// <summary>
    /// Appends the records as consecutive entries and commits them durably before returning. Joins the caller's
    /// transaction when one is open, so a result and its audit entry commit together or not at all.
    /// </summary>
    Task<IReadOnlyList<AuditEntry>> AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default);
}

public static class AuditTrailExtensions
{
    public static async Task<AuditEntry> AppendAsync(this IAuditTrail trail, AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trail);
        var entries = await trail.AppendAsync([record], cancellationToken);
        return entries[0];
    }
}

/// <summary>EF Core implementation: lock, read the head, hash, insert, commit.</summary>
public sealed class AuditTrail(HealthAssistDbContext db, TimeProvider time) : IAuditTrail
{
    public static readonly ActivitySource ActivitySource = new("HealthAssist.Audit");
    private static readonly Meter Meter = new("HealthAssist.Audit");
    private static readonly Counter<long> Appended = Meter.CreateCounter<long>("healthassist.audit.entries_appended", description: "Audit entries committed");

    public async Task<IReadOnlyList<AuditEntry>> AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return [];
        }

        using var activity = ActivitySource.StartActivity("audit.append");
        activity?.SetTag("healthassist.audit.count", records.Count);

        IReadOnlyList<AuditEntry> entries;
        if (db.Database.CurrentTransaction is not null)
        {
            // The caller's transaction: the result and its audit entries commit together or not at all.
            entries = await AppendInCurrentTransactionAsync(records, cancellationToken);
        }
        else
        {
            // Our own transaction, run through the provider's execution strategy so that SQL Server's retry on
            // transient faults repeats the whole unit (lock, head, insert, commit) rather than refusing it.
            entries = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var appended = await AppendInCurrentTransactionAsync(records, ct);
                await transaction.CommitAsync(ct);
                return appended;
            }, cancellationToken);
        }

        Appended.Add(entries.Count);
        return entries;
    }

    private async Task<IReadOnlyList<AuditEntry>> AppendInCurrentTransactionAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>(records.Count);
        try
        {
            await AuditAppendLock.AcquireAsync(db, cancellationToken);

            var head = await db.AuditEntries.AsNoTracking()
                .OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.EntryHash })
                .FirstOrDefaultAsync(cancellationToken);

            var sequence = head?.Sequence ?? 0;
            var previous = head?.EntryHash ?? AuditChain.GenesisHash.ToArray();
            var now = AuditChain.NormalizeTime(time.GetUtcNow());
            var chain = new AuditChain();

            foreach (var record in records)
            {
                var id = Guid.CreateVersion7(now);
                var hash = chain.ComputeHash(ToEntry(record, id, ++sequence, now, previous, []));
                entries.Add(ToEntry(record, id, sequence, now, previous, hash));
                previous = hash;
            }

            db.AuditEntries.AddRange(entries);
            await db.SaveChangesAsync(cancellationToken);
            return entries;
        }
        finally
        {
            // Never leave entries tracked: a retry or the next append must start from the committed head.
            foreach (var entry in entries)
            {
                db.Entry(entry).State = EntityState.Detached;
            }
        }
    }

    private static AuditEntry ToEntry(AuditRecord record, Guid id, long sequence, DateTimeOffset now, byte[] previous, byte[] hash) => new()
    {
        Sequence = sequence,
        Id = id,
        OccurredAt = now,
        EventType = record.EventType,
        Outcome = record.Outcome,
        ActorSubject = record.Actor.Subject,
        ActorType = record.Actor.Type,
        ActorRoles = string.Join(',', record.Actor.Roles.Order(StringComparer.Ordinal)),
        PurposeOfUse = record.PurposeOfUse,
        PatientPseudonym = record.Patient?.Value,
        Payload = record.PayloadJson,
        PreviousHash = previous,
        EntryHash = hash,
    };
}
