namespace HealthAssist.Record.Audit;

/// <summary>What kind of damage verification found.</summary>
public enum AuditProblem
{
    None,

    /// <summary>A sequence number is missing, repeated or out of order (deleted, inserted or reordered rows).</summary>
    SequenceGap,

    /// <summary>An entry's previous hash does not equal its predecessor's entry hash.</summary>
    ChainBroken,

    /// <summary>An entry's stored hash does not match its recomputed content (a changed column).</summary>
    HashMismatch,

    /// <summary>A checkpoint's signature does not verify, or its key is not trusted.</summary>
    CheckpointSignatureInvalid,

    /// <summary>The chain head or Merkle root at a checkpoint differs from what was signed (history rewritten).</summary>
    CheckpointMismatch,

    /// <summary>The chain ends before the latest signed checkpoint (entries removed from the tail).</summary>
    TruncatedTail,
}

/// <summary>The outcome of <see cref="AuditVerifier"/>: either intact, or the first bad sequence number and why.</summary>
public sealed record AuditVerificationReport(
    bool IsIntact,
    long EntriesChecked,
    int CheckpointsChecked,
    long? LastSequence,
    long? FirstBadSequence,
    AuditProblem Problem,
    string Message)
{
    public static AuditVerificationReport Intact(long entries, int checkpoints, long? last) =>
        new(true, entries, checkpoints, last, null, AuditProblem.None,
            $"Audit trail intact: {entries} entries, {checkpoints} signed checkpoints verified.");
}

/// <summary>
/// Recomputes the hash chain and checks every checkpoint against it. Streams entries in sequence order, holding
/// only the previous hash and the Merkle frontier, so memory stays constant for any trail length.
/// </summary>
public sealed class AuditVerifier(IReadOnlyCollection<AuditSigningKey> trustedKeys)
{
    private readonly Dictionary<string, AuditSigningKey> _keys = trustedKeys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);

    /// <param name="entries">All entries ordered by sequence number.</param>
    /// <param name="checkpoints">All checkpoints (any order).</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    public async Task<AuditVerificationReport> VerifyAsync(
        IAsyncEnumerable<AuditEntry> entries,
        IEnumerable<AuditCheckpoint> checkpoints,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(checkpoints);
        var ordered = checkpoints.OrderBy(c => c.Sequence).ThenBy(c => c.Id).ToList();

        foreach (var checkpoint in ordered)
        {
            if (!_keys.TryGetValue(checkpoint.KeyId, out var key))
            {
                return Fail(AuditProblem.CheckpointSignatureInvalid, checkpoint.Sequence, 0, ordered.Count, null,
                    $"Checkpoint at sequence {checkpoint.Sequence} is signed by untrusted key {checkpoint.KeyId}.");
            }

            if (checkpoint.Algorithm != AuditCheckpoint.EcdsaP256Sha256 || !key.Verify(checkpoint.SignedBytes(), checkpoint.Signature))
            {
                return Fail(AuditProblem.CheckpointSignatureInvalid, checkpoint.Sequence, 0, ordered.Count, null,
                    $"Checkpoint at sequence {checkpoint.Sequence} has an invalid signature.");
            }
        }

        var chain = new AuditChain();
        var merkle = new MerkleAccumulator();
        var previous = AuditChain.GenesisHash.ToArray();
        var computed = new byte[AuditChain.HashLength];
        long expected = 1;
        long lastGoodCheckpoint = 0;
        var nextCheckpoint = 0;

        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            var checkedSoFar = expected - 1;
            if (entry.Sequence != expected)
            {
                var what = entry.Sequence > expected
                    ? $"entries {expected}..{entry.Sequence - 1} are missing"
                    : $"sequence {entry.Sequence} appears again or out of order";
                return Fail(AuditProblem.SequenceGap, expected, checkedSoFar, nextCheckpoint, checkedSoFar,
                    $"Expected sequence {expected} but found {entry.Sequence}: {what}.");
            }

            if (!entry.PreviousHash.AsSpan().SequenceEqual(previous))
            {
                return Fail(AuditProblem.ChainBroken, expected, checkedSoFar, nextCheckpoint, checkedSoFar,
                    $"Entry {expected} does not link to entry {expected - 1}: its previous hash differs.");
            }

            chain.ComputeHash(entry, computed);
            if (!entry.EntryHash.AsSpan().SequenceEqual(computed))
            {
                return Fail(AuditProblem.HashMismatch, expected, checkedSoFar, nextCheckpoint, checkedSoFar,
                    $"Entry {expected} was altered: its content no longer matches its hash.");
            }

            merkle.Append(computed);
            previous = entry.EntryHash;

            while (nextCheckpoint < ordered.Count && ordered[nextCheckpoint].Sequence == expected)
            {
                var checkpoint = ordered[nextCheckpoint];
                if (!checkpoint.ChainHead.AsSpan().SequenceEqual(previous) || !checkpoint.MerkleRoot.AsSpan().SequenceEqual(merkle.Root()))
                {
                    // A rewritten history re-hashed consistently breaks nothing locally; the checkpoint tells only
                    // that the damage lies after the previous good checkpoint.
                    return Fail(AuditProblem.CheckpointMismatch, lastGoodCheckpoint + 1, expected, nextCheckpoint, expected,
                        $"Entries {lastGoodCheckpoint + 1}..{expected} differ from what checkpoint {checkpoint.Id} signed at sequence {expected}.");
                }

                lastGoodCheckpoint = expected;
                nextCheckpoint++;
            }

            expected++;
        }

        var last = expected - 1;
        if (nextCheckpoint < ordered.Count)
        {
            var pinned = ordered[^1].Sequence;
            return Fail(AuditProblem.TruncatedTail, last + 1, last, nextCheckpoint, last == 0 ? null : last,
                $"The trail ends at sequence {last} but a signed checkpoint covers {pinned} entries: entries {last + 1}..{pinned} were removed.");
        }

        return AuditVerificationReport.Intact(last, ordered.Count, last == 0 ? null : last);
    }

    private static AuditVerificationReport Fail(AuditProblem problem, long firstBad, long entries, int checkpoints, long? last, string message) =>
        new(false, entries, checkpoints, last, firstBad, problem, message);
}
