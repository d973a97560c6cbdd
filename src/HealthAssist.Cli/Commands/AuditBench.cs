using System.CommandLine;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using HealthAssist.Record.Audit;
using HealthAssist.Security;
using HealthAssist.Storage;
using HealthAssist.Storage.Audit;
using Microsoft.EntityFrameworkCore;

namespace HealthAssist.Cli.Commands;

/// <summary>
/// <c>healthassist bench audit</c>: durable audit appends per second (one entry per commit and batched) beside a
/// baseline of plain durable inserts of the same row size, then <c>audit verify</c> over a large trail beside a
/// baseline that only reads the rows. Needs an empty database; SQLite uses a fresh temporary file by default.
/// </summary>
internal static class AuditBench
{
    public static Command Create(CliContext context)
    {
        var provider = new Option<DatabaseProvider>("--provider") { Description = "Sqlite, PostgreSql or SqlServer", DefaultValueFactory = _ => DatabaseProvider.Sqlite };
        var connection = new Option<string?>("--connection") { Description = "Connection string of an EMPTY database (default: a temporary SQLite file)" };
        var appends = new Option<int>("--appends") { Description = "Entries written in each append measurement", DefaultValueFactory = _ => 5000 };
        var batch = new Option<int>("--batch") { Description = "Entries per transaction in the batched measurement", DefaultValueFactory = _ => 100 };
        var verifyEntries = new Option<int>("--verify-entries") { Description = "Trail length for the verify measurement", DefaultValueFactory = _ => 1_000_000 };
        var command = new Command("audit", "Audit append throughput and verify time") { provider, connection, appends, batch, verifyEntries };
        command.SetAction((result, cancellationToken) => RunAsync(
            context, result.GetValue(provider), result.GetValue(connection), result.GetValue(appends), result.GetValue(batch),
            result.GetValue(verifyEntries), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, DatabaseProvider provider, string? connection, int appends, int batch, int verifyEntries, CancellationToken cancellationToken)
    {
        if (appends < 1 || batch < 1 || verifyEntries < appends * 2)
        {
            throw new UsageException("--appends and --batch must be positive and --verify-entries at least twice --appends.");
        }

        string? scratchFile = null;
        if (connection is null)
        {
            if (provider != DatabaseProvider.Sqlite)
            {
                throw new UsageException("--connection is required for PostgreSql and SqlServer (an empty database).");
            }

            scratchFile = Path.Combine(Path.GetTempPath(), $"healthassist-bench-{Guid.NewGuid():N}.db");
            connection = $"Data Source={scratchFile}";
        }

        try
        {
            await using var db = StorageSetup.CreateContext(provider, connection);
            await StorageSetup.MigrateAsync(db, cancellationToken);
            if (await db.AuditEntries.AnyAsync(cancellationToken))
            {
                throw new UsageException("bench audit needs an empty database: the audit_entries table already has rows.");
            }

            using var keys = KeyRing.Load(new KeyRingSettings(Path.Combine(Path.GetTempPath(), $"healthassist-bench-keys-{Guid.NewGuid():N}"), null, true));
            var trail = new AuditTrail(db, TimeProvider.System);
            var o = context.Out;
            await o.WriteLineAsync($"audit bench on {provider}, durable commits; {Environment.ProcessorCount} cores");
            await o.WriteLineAsync($"{"measurement",-44} {"entries",10} {"seconds",9} {"entries/s",11}");

            var baseline1 = await BaselineInsertsAsync(db, appends, 1, cancellationToken);
            await Row(o, "baseline: plain insert, 1 row per commit", appends, baseline1);
            var chained1 = await AppendAsync(trail, appends, 1, cancellationToken);
            await Row(o, "audit append, 1 entry per commit", appends, chained1);
            var baselineN = await BaselineInsertsAsync(db, appends, batch, cancellationToken);
            await Row(o, $"baseline: plain insert, {batch} rows per commit", appends, baselineN);
            var chainedN = await AppendAsync(trail, appends, batch, cancellationToken);
            await Row(o, $"audit append, {batch} entries per commit", appends, chainedN);

            var fill = verifyEntries - (2 * appends);
            var filled = await AppendAsync(trail, fill, 5000, cancellationToken);
            await Row(o, "audit append, 5000 entries per commit (fill)", fill, filled);

            var checkpointer = new AuditCheckpointer(db, keys, TimeProvider.System);
            var checkpointTime = Stopwatch.StartNew();
            await checkpointer.CreateAsync(cancellationToken);
            checkpointTime.Stop();
            await Row(o, "checkpoint over the whole trail", verifyEntries, checkpointTime.Elapsed);

            var readTime = Stopwatch.StartNew();
            long read = 0;
            await foreach (var _ in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                read++;
            }

            readTime.Stop();
            await Row(o, "baseline: read every entry, no hashing", read, readTime.Elapsed);

            var verifyTime = Stopwatch.StartNew();
            var report = await new AuditReader(db, keys).VerifyAsync(cancellationToken);
            verifyTime.Stop();
            await Row(o, "audit verify (chain + checkpoints)", report.EntriesChecked, verifyTime.Elapsed);
            await o.WriteLineAsync(report.Message);
            return report.IsIntact ? ExitCodes.Success : ExitCodes.CheckFailed;
        }
        finally
        {
            if (scratchFile is not null)
            {
                foreach (var file in new[] { scratchFile, scratchFile + "-wal", scratchFile + "-shm" })
                {
                    File.Delete(file);
                }
            }
        }
    }

    private static async Task<TimeSpan> AppendAsync(AuditTrail trail, int count, int batch, CancellationToken cancellationToken)
    {
        var actor = new AuditActor("bench", "system", ["Admin"]);
        var watch = Stopwatch.StartNew();
        for (var done = 0; done < count; done += batch)
        {
            var size = Math.Min(batch, count - done);
            var records = new AuditRecord[size];
            for (var i = 0; i < size; i++)
            {
                records[i] = new AuditRecord("bench.append", actor, PurposesOfUse.Operations, null, BenchPayload(done + i));
            }

            await trail.AppendAsync(records, cancellationToken);
        }

        return watch.Elapsed;
    }

    /// <summary>The same row size committed the same way, without locking, head lookup or hashing.</summary>
    private static async Task<TimeSpan> BaselineInsertsAsync(HealthAssistDbContext db, int count, int batch, CancellationToken cancellationToken)
    {
        var blob = db.Provider switch { DatabaseProvider.PostgreSql => "bytea", DatabaseProvider.SqlServer => "varbinary(64)", _ => "blob" };
        var create = "CREATE TABLE bench_baseline (seq bigint PRIMARY KEY, payload varchar(400) NOT NULL, h " + blob + " NOT NULL)";
        await db.Database.ExecuteSqlRawAsync(create, cancellationToken);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var hash = new byte[64];
            var watch = Stopwatch.StartNew();
            for (var done = 0; done < count; done += batch)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var size = Math.Min(batch, count - done);
                for (var i = 0; i < size; i++)
                {
                    await using var insert = connection.CreateCommand();
                    insert.Transaction = transaction;
                    insert.CommandText = "INSERT INTO bench_baseline (seq, payload, h) VALUES (@s, @p, @h)";
                    AddParameter(insert, "@s", (long)(done + i));
                    AddParameter(insert, "@p", BenchPayload(done + i));
                    AddParameter(insert, "@h", hash);
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }

            return watch.Elapsed;
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("DROP TABLE bench_baseline", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string BenchPayload(int i) =>
        "{\"method\":\"POST\",\"route\":\"/fhir/$assess\",\"status\":200,\"details\":{\"assessment\":\"" + Guid.NewGuid().ToString("D")
        + "\",\"n\":" + i.ToString(CultureInfo.InvariantCulture) + "}}";

    private static Task Row(TextWriter o, string name, long entries, TimeSpan elapsed) =>
        o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{name,-44} {entries,10} {elapsed.TotalSeconds,9:F2} {entries / Math.Max(elapsed.TotalSeconds, 1e-9),11:F0}"));
}
