using HealthAssist.Record.Audit;
using HealthAssist.Security;
using Microsoft.EntityFrameworkCore;

namespace HealthAssist.Storage.Audit;

/// <summary>
/// Signs checkpoints over the chain. Before signing it re-checks every entry since the previous checkpoint, so a
/// damaged chain is never endorsed; thanks to the stored Merkle frontier it reads only those newer entries.
/// </summary>
public sealed class AuditCheckpointer(HealthAssistDbContext db, KeyRing keys, TimeProvider time)
{
    /// <summary>Signs a checkpoint at the current head; returns the latest checkpoint unchanged when nothing is new.</summary>
    /// <exception cref="AuditIntegrityException">The chain since the previous checkpoint is damaged.</exception>
    public async Task<AuditCheckpoint?> CreateAsync(CancellationToken cancellationToken = default)
    {
        using var activity = AuditTrail.ActivitySource.StartActivity("audit.checkpoint");
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(CreateInTransactionAsync, cancellationToken);
    }

    private async Task<AuditCheckpoint?> CreateInTransactionAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AuditAppendLock.AcquireAsync(db, cancellationToken);

        var previous = await db.AuditCheckpoints.AsNoTracking()
            .OrderByDescending(c => c.Sequence).ThenByDescending(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var headSequence = await db.AuditEntries.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
        if (headSequence == 0 || (previous is not null && previous.Sequence >= headSequence))
        {
            return previous;
        }

        var merkle = new MerkleAccumulator();
        var head = AuditChain.GenesisHash.ToArray();
        if (previous is not null)
        {
            var trusted = keys.TrustedAuditKeys.FirstOrDefault(k => k.KeyId == previous.KeyId);
            if (trusted is null || !trusted.Verify(previous.SignedBytes(), previous.Signature))
            {
                throw new AuditIntegrityException(previous.Sequence, "the latest checkpoint's signature does not verify");
            }

            merkle = MerkleAccumulator.FromFrontier(previous.Sequence, previous.MerkleFrontier);
            if (!merkle.Root().AsSpan().SequenceEqual(previous.MerkleRoot))
            {
                throw new AuditIntegrityException(previous.Sequence, "the latest checkpoint's Merkle frontier does not match its signed root");
            }

            head = previous.ChainHead;
        }

        var chain = new AuditChain();
        var computed = new byte[AuditChain.HashLength];
        var expected = merkle.Count + 1;
        var newer = db.AuditEntries.AsNoTracking()
            .Where(e => e.Sequence > merkle.Count && e.Sequence <= headSequence)
            .OrderBy(e => e.Sequence)
            .AsAsyncEnumerable();
        await foreach (var entry in newer.WithCancellation(cancellationToken))
        {
            chain.ComputeHash(entry, computed);
            if (entry.Sequence != expected || !entry.PreviousHash.AsSpan().SequenceEqual(head) || !entry.EntryHash.AsSpan().SequenceEqual(computed))
            {
                throw new AuditIntegrityException(expected, "the chain is damaged here; run 'healthassist audit verify'");
            }

            merkle.Append(computed);
            head = entry.EntryHash;
            expected++;
        }

        if (merkle.Count != headSequence)
        {
            throw new AuditIntegrityException(merkle.Count + 1, "entries are missing below the head");
        }

        var createdAt = AuditChain.NormalizeTime(time.GetUtcNow());
        var root = merkle.Root();
        var checkpoint = new AuditCheckpoint
        {
            Sequence = headSequence,
            ChainHead = head,
            MerkleRoot = root,
            MerkleFrontier = merkle.ExportFrontier(),
            CreatedAt = createdAt,
            KeyId = keys.AuditSigningKey.KeyId,
            Algorithm = AuditCheckpoint.EcdsaP256Sha256,
            Signature = keys.AuditSigningKey.Sign(AuditCheckpoint.SignedBytes(headSequence, head, root, createdAt)),
        };
        db.AuditCheckpoints.Add(checkpoint);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.Entry(checkpoint).State = EntityState.Detached;
        return checkpoint;
    }
}

/// <summary>The audit chain is damaged; the message names the first bad sequence number but no content.</summary>
public sealed class AuditIntegrityException(long sequence, string reason)
    : Exception($"Audit chain integrity failure at sequence {sequence}: {reason}.")
{
    public long Sequence { get; } = sequence;
}
