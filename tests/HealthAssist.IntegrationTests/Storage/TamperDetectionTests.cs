using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Record.Audit;
using HealthAssist.Security;
using HealthAssist.Storage;

namespace HealthAssist.IntegrationTests.Storage;

/// <summary>
/// Tampers with the stored trail by direct SQL, as someone with database access would (after dropping the append-only
/// triggers), and checks that verification catches each change and names the first bad sequence number.
/// </summary>
public sealed class TamperDetectionTests : IDisposable
{
    private const int Entries = 20;
    private readonly string _keyDirectory = Path.Combine(Path.GetTempPath(), $"ha-keys-{Guid.NewGuid():N}");
    private readonly KeyRing _keys;

    public TamperDetectionTests() => _keys = KeyRing.Load(new KeyRingSettings(_keyDirectory, null, GenerateMissing: true));

    public void Dispose()
    {
        _keys.Dispose();
        Directory.Delete(_keyDirectory, recursive: true);
    }

    public static TheoryData<DatabaseProvider, string> ColumnsOnEveryProvider()
    {
        var data = new TheoryData<DatabaseProvider, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql })
        {
            foreach (var column in new[]
            {
                "id", "occurred_at", "event_type", "outcome", "actor_subject", "actor_type", "actor_roles", "purpose_of_use",
                "patient_pseudonym", "payload", "previous_hash", "entry_hash",
            })
            {
                data.Add(provider, column);
            }
        }

        return data;
    }

    private async Task<(TestDatabase Database, AuditStoreBuilder Trail)> TrailAsync(DatabaseProvider provider, bool checkpoint = true)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var trail = new AuditStoreBuilder(database, _keys);
        await trail.AppendAsync(Entries);
        if (checkpoint)
        {
            await trail.CheckpointAsync();
        }

        var before = await trail.VerifyAsync();
        Assert.True(before.IsIntact, before.Message);
        await database.DropAppendOnlyTriggersAsync();
        return (database, trail);
    }

    [Theory]
    [MemberData(nameof(ColumnsOnEveryProvider))]
    public async Task Verify_WhenOneByteOfAnyColumnChanges_ReportsThatRow(DatabaseProvider provider, string column)
    {
        var (database, trail) = await TrailAsync(provider);
        await using var _ = database;

        await ChangeOneByteAsync(database, column, sequence: 7);
        var report = await trail.VerifyAsync();

        Assert.False(report.IsIntact);
        Assert.Equal(7, report.FirstBadSequence);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Verify_WhenASequenceNumberChanges_ReportsTheGap(DatabaseProvider provider)
    {
        var (database, trail) = await TrailAsync(provider);
        await using var _ = database;

        await database.ExecuteAsync("UPDATE audit_entries SET sequence = 1007 WHERE sequence = 7");
        var report = await trail.VerifyAsync();

        Assert.Equal(7, report.FirstBadSequence);
        Assert.Equal(AuditProblem.SequenceGap, report.Problem);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Verify_WhenARowIsDeleted_ReportsTheMissingSequence(DatabaseProvider provider)
    {
        var (database, trail) = await TrailAsync(provider);
        await using var _ = database;

        await database.ExecuteAsync("DELETE FROM audit_entries WHERE sequence = 9");
        var report = await trail.VerifyAsync();

        Assert.Equal(9, report.FirstBadSequence);
        Assert.Equal(AuditProblem.SequenceGap, report.Problem);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Verify_WhenTwoRowsAreReordered_ReportsTheFirstOfThem(DatabaseProvider provider)
    {
        var (database, trail) = await TrailAsync(provider);
        await using var _ = database;

        await database.ExecuteAsync("UPDATE audit_entries SET sequence = -1 WHERE sequence = 11");
        await database.ExecuteAsync("UPDATE audit_entries SET sequence = 11 WHERE sequence = 12");
        await database.ExecuteAsync("UPDATE audit_entries SET sequence = 12 WHERE sequence = -1");
        var report = await trail.VerifyAsync();

        Assert.False(report.IsIntact);
        Assert.Equal(11, report.FirstBadSequence);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Verify_WhenARowIsInsertedInTheMiddle_ReportsTheInsertedPosition(DatabaseProvider provider)
    {
        var (database, trail) = await TrailAsync(provider);
        await using var _ = database;

        // Make room at 5 by renumbering the rows after it, then copy row 4 into the gap under a new id.
        await database.ExecuteAsync("UPDATE audit_entries SET sequence = -(sequence + 1) WHERE sequence >= 5");
        await database.ExecuteAsync("UPDATE audit_entries SET sequence = -sequence WHERE sequence < 0");
        var idExpression = provider == DatabaseProvider.PostgreSql ? "gen_random_uuid()" : "lower(hex(randomblob(16)))";
        await database.ExecuteAsync(
            "INSERT INTO audit_entries (sequence, id, occurred_at, event_type, outcome, actor_subject, actor_type, actor_roles, purpose_of_use, patient_pseudonym, payload, previous_hash, entry_hash) " +
            $"SELECT 5, {idExpression}, occurred_at, event_type, outcome, actor_subject, actor_type, actor_roles, purpose_of_use, patient_pseudonym, payload, previous_hash, entry_hash FROM audit_entries WHERE sequence = 4");
        var report = await trail.VerifyAsync();

        Assert.False(report.IsIntact);
        Assert.Equal(5, report.FirstBadSequence);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Verify_WhenTheTailIsTruncated_ReportsItAgainstTheLatestCheckpoint(DatabaseProvider provider)
    {
        var (database, trail) = await TrailAsync(provider);
        await using var _ = database;

        await database.ExecuteAsync("DELETE FROM audit_entries WHERE sequence > 16");
        var report = await trail.VerifyAsync();

        Assert.Equal(17, report.FirstBadSequence);
        Assert.Equal(AuditProblem.TruncatedTail, report.Problem);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Verify_WhenACheckpointIsAltered_ReportsAnInvalidSignature(DatabaseProvider provider)
    {
        var (database, trail) = await TrailAsync(provider);
        await using var _ = database;

        await database.ExecuteAsync("UPDATE audit_checkpoints SET sequence = 15");
        var report = await trail.VerifyAsync();

        Assert.Equal(AuditProblem.CheckpointSignatureInvalid, report.Problem);
    }

    private static async Task ChangeOneByteAsync(TestDatabase database, string column, long sequence)
    {
        object? value;
        await using (var connection = database.OpenConnection())
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = $"SELECT {column} FROM audit_entries WHERE sequence = {sequence}";
            value = await read.ExecuteScalarAsync();
        }

        object changed = value switch
        {
            byte[] bytes => Flip(bytes),
            string text when column == "id" => FlipHexDigit(text),
            string text => text[..^1] + (text[^1] == 'a' ? 'b' : 'a'),
            Guid guid => new Guid(Flip(guid.ToByteArray())),
            long ticks => ticks + 10,
            DateTime time => time.AddTicks(10),
            DateTimeOffset time => time.AddTicks(10),
            _ => throw new InvalidOperationException($"Unexpected value type {value?.GetType().Name} in {column}."),
        };

        var updated = await database.ExecuteAsync($"UPDATE audit_entries SET {column} = @p0 WHERE sequence = {sequence}", changed);
        Assert.Equal(1, updated);
    }

    private static byte[] Flip(byte[] bytes)
    {
        var copy = bytes.ToArray();
        copy[^1] ^= 0x01;
        return copy;
    }

    private static string FlipHexDigit(string text) => text[..^1] + (text[^1] == '0' ? '1' : '0');
}
