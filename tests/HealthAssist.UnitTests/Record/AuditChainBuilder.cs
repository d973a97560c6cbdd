using HealthAssist.Deidentify;
using HealthAssist.Record.Audit;

namespace HealthAssist.UnitTests.Record;

/// <summary>Builds valid in-memory chains (and signed checkpoints) for verifier tests.</summary>
internal sealed class AuditChainBuilder
{
    private readonly List<AuditEntry> _entries = [];
    private readonly List<AuditCheckpoint> _checkpoints = [];
    private readonly AuditChain _chain = new();
    private readonly MerkleAccumulator _merkle = new();
    private DateTimeOffset _time = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public AuditSigningKey Key { get; } = AuditSigningKey.Generate();

    public IReadOnlyList<AuditEntry> Entries => _entries;

    public IReadOnlyList<AuditCheckpoint> Checkpoints => _checkpoints;

    public AuditChainBuilder Append(int count, PatientPseudonym? patient = null)
    {
        for (var i = 0; i < count; i++)
        {
            var sequence = _entries.Count + 1;
            var previous = _entries.Count == 0 ? AuditChain.GenesisHash.ToArray() : _entries[^1].EntryHash;
            _time = _time.AddMilliseconds(1.5);
            var draft = Entry(sequence, previous, [], patient);
            var entry = Entry(sequence, previous, _chain.ComputeHash(draft), patient, draft.Id);
            _entries.Add(entry);
            _merkle.Append(entry.EntryHash);
        }

        return this;
    }

    public AuditChainBuilder Checkpoint()
    {
        var root = _merkle.Root();
        var head = _entries[^1].EntryHash;
        var sequence = _entries.Count;
        _checkpoints.Add(new AuditCheckpoint
        {
            Id = _checkpoints.Count + 1,
            Sequence = sequence,
            ChainHead = head,
            MerkleRoot = root,
            MerkleFrontier = _merkle.ExportFrontier(),
            CreatedAt = _time,
            KeyId = Key.KeyId,
            Algorithm = AuditCheckpoint.EcdsaP256Sha256,
            Signature = Key.Sign(AuditCheckpoint.SignedBytes(sequence, head, root, _time)),
        });
        return this;
    }

    public AuditVerifier Verifier() => new([Key.PublicOnly()]);

    public static async IAsyncEnumerable<AuditEntry> Stream(IEnumerable<AuditEntry> entries)
    {
        foreach (var entry in entries)
        {
            await Task.Yield();
            yield return entry;
        }
    }

    /// <summary>A copy of <paramref name="source"/> with one property changed.</summary>
    public static AuditEntry With(AuditEntry source, Func<AuditEntry, AuditEntry> change) => change(source);

    private AuditEntry Entry(long sequence, byte[] previous, byte[] hash, PatientPseudonym? patient, Guid? id = null) => new()
    {
        Sequence = sequence,
        Id = id ?? Guid.NewGuid(),
        OccurredAt = AuditChain.NormalizeTime(_time),
        EventType = "assessment.create",
        Outcome = AuditOutcomes.Success,
        ActorSubject = "clinician-7",
        ActorType = "user",
        ActorRoles = "Clinician",
        PurposeOfUse = PurposesOfUse.Treatment,
        PatientPseudonym = patient?.Value,
        Payload = $"{{\"n\":{sequence}}}",
        PreviousHash = previous,
        EntryHash = hash,
    };
}
