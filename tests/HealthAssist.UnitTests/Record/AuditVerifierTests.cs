using HealthAssist.Record.Audit;

namespace HealthAssist.UnitTests.Record;

public sealed class AuditVerifierTests
{
    private static async Task<AuditVerificationReport> Verify(AuditChainBuilder builder, IEnumerable<AuditEntry> entries, IEnumerable<AuditCheckpoint>? checkpoints = null) =>
        await builder.Verifier().VerifyAsync(AuditChainBuilder.Stream(entries), checkpoints ?? builder.Checkpoints);

    private static AuditEntry Copy(AuditEntry e, long? sequence = null, string? payload = null, string? eventType = null, byte[]? previous = null, byte[]? hash = null,
        DateTimeOffset? time = null, string? roles = null, string? patient = null, Guid? id = null) => new()
    {
        Sequence = sequence ?? e.Sequence,
        Id = id ?? e.Id,
        OccurredAt = time ?? e.OccurredAt,
        EventType = eventType ?? e.EventType,
        Outcome = e.Outcome,
        ActorSubject = e.ActorSubject,
        ActorType = e.ActorType,
        ActorRoles = roles ?? e.ActorRoles,
        PurposeOfUse = e.PurposeOfUse,
        PatientPseudonym = patient ?? e.PatientPseudonym,
        Payload = payload ?? e.Payload,
        PreviousHash = previous ?? e.PreviousHash,
        EntryHash = hash ?? e.EntryHash,
    };

    [Fact]
    public async Task Verify_WhenChainAndCheckpointsAreUntouched_ReportsIntact()
    {
        var builder = new AuditChainBuilder().Append(10).Checkpoint().Append(5).Checkpoint().Append(3);

        var report = await Verify(builder, builder.Entries);

        Assert.True(report.IsIntact, report.Message);
        Assert.Equal(18, report.EntriesChecked);
        Assert.Equal(2, report.CheckpointsChecked);
        Assert.Null(report.FirstBadSequence);
    }

    [Fact]
    public async Task Verify_WhenTrailIsEmpty_ReportsIntactWithNoEntries()
    {
        var builder = new AuditChainBuilder();

        var report = await Verify(builder, []);

        Assert.True(report.IsIntact);
        Assert.Equal(0, report.EntriesChecked);
    }

    public static TheoryData<string> AlteredFields => new() { "payload", "eventType", "time", "roles", "patient", "id" };

    [Theory]
    [MemberData(nameof(AlteredFields))]
    public async Task Verify_WhenAnyFieldOfAnEntryChanges_ReportsThatEntryAsFirstBad(string field)
    {
        var builder = new AuditChainBuilder().Append(10);
        var entries = builder.Entries.ToList();
        var e = entries[6];
        entries[6] = field switch
        {
            "payload" => Copy(e, payload: e.Payload.Replace("7", "8", StringComparison.Ordinal)),
            "eventType" => Copy(e, eventType: "assessment.creatE"),
            "time" => Copy(e, time: e.OccurredAt.AddTicks(10)),
            "roles" => Copy(e, roles: "Admin"),
            "patient" => Copy(e, patient: "psn-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            "id" => Copy(e, id: Guid.NewGuid()),
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var report = await Verify(builder, entries);

        Assert.False(report.IsIntact);
        Assert.Equal(7, report.FirstBadSequence);
        Assert.Equal(AuditProblem.HashMismatch, report.Problem);
    }

    [Fact]
    public async Task Verify_WhenAStoredHashChanges_ReportsHashMismatchAtThatEntry()
    {
        var builder = new AuditChainBuilder().Append(10);
        var entries = builder.Entries.ToList();
        var hash = entries[4].EntryHash.ToArray();
        hash[0] ^= 1;
        entries[4] = Copy(entries[4], hash: hash);

        var report = await Verify(builder, entries);

        Assert.Equal(5, report.FirstBadSequence);
        Assert.Equal(AuditProblem.HashMismatch, report.Problem);
    }

    [Fact]
    public async Task Verify_WhenAPreviousHashChanges_ReportsBrokenChainAtThatEntry()
    {
        var builder = new AuditChainBuilder().Append(10);
        var entries = builder.Entries.ToList();
        var previous = entries[4].PreviousHash.ToArray();
        previous[31] ^= 0x80;
        entries[4] = Copy(entries[4], previous: previous);

        var report = await Verify(builder, entries);

        Assert.Equal(5, report.FirstBadSequence);
        Assert.Equal(AuditProblem.ChainBroken, report.Problem);
    }

    [Fact]
    public async Task Verify_WhenARowIsDeleted_ReportsTheMissingSequence()
    {
        var builder = new AuditChainBuilder().Append(10);
        var entries = builder.Entries.Where(e => e.Sequence != 4).ToList();

        var report = await Verify(builder, entries);

        Assert.Equal(4, report.FirstBadSequence);
        Assert.Equal(AuditProblem.SequenceGap, report.Problem);
    }

    [Fact]
    public async Task Verify_WhenTwoRowsSwapSequenceNumbers_ReportsTheFirstSwappedPosition()
    {
        var builder = new AuditChainBuilder().Append(10);
        var entries = builder.Entries.ToList();
        (entries[3], entries[4]) = (Copy(entries[4], sequence: 4), Copy(entries[3], sequence: 5));

        var report = await Verify(builder, entries);

        Assert.False(report.IsIntact);
        Assert.Equal(4, report.FirstBadSequence);
    }

    [Fact]
    public async Task Verify_WhenTheTailIsRemovedBelowTheLatestCheckpoint_ReportsTruncation()
    {
        var builder = new AuditChainBuilder().Append(20).Checkpoint();
        var entries = builder.Entries.Take(17).ToList();

        var report = await Verify(builder, entries);

        Assert.Equal(18, report.FirstBadSequence);
        Assert.Equal(AuditProblem.TruncatedTail, report.Problem);
    }

    [Fact]
    public async Task Verify_WhenHistoryIsRewrittenAndRehashed_ReportsCheckpointMismatchAfterTheLastGoodCheckpoint()
    {
        var builder = new AuditChainBuilder().Append(5).Checkpoint().Append(10).Checkpoint();
        var chain = new AuditChain();
        var entries = builder.Entries.ToList();
        // A careful forger changes entry 9 and recomputes every hash after it, so the chain itself is consistent.
        for (var i = 8; i < entries.Count; i++)
        {
            var previous = entries[i - 1].EntryHash;
            var draft = Copy(entries[i], previous: previous, payload: i == 8 ? "{\"n\":999}" : null);
            entries[i] = Copy(draft, hash: chain.ComputeHash(draft));
        }

        var report = await Verify(builder, entries);

        Assert.Equal(AuditProblem.CheckpointMismatch, report.Problem);
        Assert.Equal(6, report.FirstBadSequence);
    }

    [Fact]
    public async Task Verify_WhenACheckpointSignatureIsForged_ReportsInvalidSignature()
    {
        var builder = new AuditChainBuilder().Append(5).Checkpoint();
        var forged = builder.Checkpoints[0];
        var signature = forged.Signature.ToArray();
        signature[10] ^= 1;
        var tampered = new AuditCheckpoint
        {
            Id = forged.Id, Sequence = forged.Sequence, ChainHead = forged.ChainHead, MerkleRoot = forged.MerkleRoot, MerkleFrontier = forged.MerkleFrontier,
            CreatedAt = forged.CreatedAt, KeyId = forged.KeyId, Algorithm = forged.Algorithm, Signature = signature,
        };

        var report = await Verify(builder, builder.Entries, [tampered]);

        Assert.Equal(AuditProblem.CheckpointSignatureInvalid, report.Problem);
        Assert.Equal(5, report.FirstBadSequence);
    }

    [Fact]
    public async Task Verify_WhenACheckpointIsSignedByAnUntrustedKey_ReportsInvalidSignature()
    {
        var builder = new AuditChainBuilder().Append(5).Checkpoint();
        using var other = AuditSigningKey.Generate();

        var report = await new AuditVerifier([other.PublicOnly()]).VerifyAsync(AuditChainBuilder.Stream(builder.Entries), builder.Checkpoints);

        Assert.Equal(AuditProblem.CheckpointSignatureInvalid, report.Problem);
    }
}
