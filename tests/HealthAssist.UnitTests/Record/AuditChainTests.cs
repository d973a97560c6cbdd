using HealthAssist.Record.Audit;

namespace HealthAssist.UnitTests.Record;

public sealed class AuditChainTests
{
    [Fact]
    public void ComputeHash_ForTheSameEntry_IsDeterministic()
    {
        var entry = new AuditChainBuilder().Append(1).Entries[0];

        Assert.Equal(new AuditChain().ComputeHash(entry), new AuditChain().ComputeHash(entry));
    }

    [Fact]
    public void ComputeHash_DistinguishesNullFromEmptyPatient()
    {
        var entry = new AuditChainBuilder().Append(1).Entries[0];
        var empty = new AuditEntry
        {
            Sequence = entry.Sequence, Id = entry.Id, OccurredAt = entry.OccurredAt, EventType = entry.EventType, Outcome = entry.Outcome,
            ActorSubject = entry.ActorSubject, ActorType = entry.ActorType, ActorRoles = entry.ActorRoles, PurposeOfUse = entry.PurposeOfUse,
            PatientPseudonym = string.Empty, Payload = entry.Payload, PreviousHash = entry.PreviousHash, EntryHash = entry.EntryHash,
        };

        Assert.Null(entry.PatientPseudonym);
        Assert.NotEqual(new AuditChain().ComputeHash(entry), new AuditChain().ComputeHash(empty));
    }

    [Fact]
    public void ComputeHash_DoesNotLetTextMoveBetweenAdjacentFields()
    {
        // Without length prefixes, "ab"+"c" and "a"+"bc" would hash alike.
        var entry = new AuditChainBuilder().Append(1).Entries[0];
        AuditEntry Make(string subject, string type) => new()
        {
            Sequence = 1, Id = entry.Id, OccurredAt = entry.OccurredAt, EventType = "e", Outcome = "0", ActorSubject = subject, ActorType = type,
            ActorRoles = "", PurposeOfUse = "TREAT", PatientPseudonym = null, Payload = "{}", PreviousHash = new byte[32], EntryHash = [],
        };

        Assert.NotEqual(new AuditChain().ComputeHash(Make("ab", "c")), new AuditChain().ComputeHash(Make("a", "bc")));
    }

    [Fact]
    public void NormalizeTime_TruncatesToMicrosecondsInUtc()
    {
        var local = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1234567);

        var normalized = AuditChain.NormalizeTime(local);

        Assert.Equal(TimeSpan.Zero, normalized.Offset);
        Assert.Equal(0, normalized.Ticks % 10);
        Assert.Equal(local.UtcTicks - 7, normalized.UtcTicks);
    }
}
