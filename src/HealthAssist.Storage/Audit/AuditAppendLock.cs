using Microsoft.EntityFrameworkCore;

namespace HealthAssist.Storage.Audit;

/// <summary>
/// Serialises appends through the database, not a process lock, so several API instances sharing one database
/// never fork the chain. Must run inside the append transaction; the lock is released at commit or rollback.
/// </summary>
internal static class AuditAppendLock
{
    // Arbitrary constant identifying the audit chain's advisory lock on PostgreSQL ("HA" "AUDIT").
    private const long PostgreSqlLockKey = 0x4841_4155_4449_54;

    public static Task AcquireAsync(HealthAssistDbContext db, CancellationToken cancellationToken) => db.Provider switch
    {
        // SQLite: the transaction is opened with BEGIN IMMEDIATE, which already holds the database's write lock.
        DatabaseProvider.Sqlite => Task.CompletedTask,
        DatabaseProvider.PostgreSql => db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({PostgreSqlLockKey})", cancellationToken),
        DatabaseProvider.SqlServer => db.Database.ExecuteSqlRawAsync(
            """
            DECLARE @result int;
            EXEC @result = sp_getapplock @Resource = N'healthassist.audit_chain', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 30000;
            IF @result < 0 THROW 51000, N'Timed out waiting for the audit chain lock.', 1;
            """,
            cancellationToken),
        _ => throw new NotSupportedException($"No audit lock for provider {db.Provider}."),
    };
}
