using HealthAssist.Record.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace HealthAssist.Storage;

/// <summary>
/// The one EF Core model. Each provider has a subclass (below) only so that its migrations live apart;
/// the model itself is identical.
/// </summary>
public abstract class HealthAssistDbContext : DbContext
{
    protected HealthAssistDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();

    public abstract DatabaseProvider Provider { get; }

    /// <summary>Refuses, before anything reaches the database, any change to an existing audit row.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAppendOnly(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAppendOnly(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HealthAssistDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        if (Provider == DatabaseProvider.Sqlite)
        {
            // SQLite has no date type. UTC ticks in an integer keep comparisons and ordering in SQL and, unlike EF's
            // DateTimeOffsetToBinaryConverter (0.1 ms), lose no precision: audit hashes cover the exact value.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }

    private static void GuardAppendOnly(ChangeTracker tracker)
    {
        foreach (var entry in tracker.Entries())
        {
            if (entry.Entity is AuditEntry or AuditCheckpoint && entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("The audit trail is append-only: audit rows are never updated or deleted.");
            }
        }
    }
}

/// <summary>Stores a <see cref="DateTimeOffset"/> as its UTC ticks; read back with offset zero.</summary>
internal sealed class UtcTicksConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks, ticks => new DateTimeOffset(ticks, TimeSpan.Zero));

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}

public sealed class SqliteHealthAssistDbContext(DbContextOptions<SqliteHealthAssistDbContext> options) : HealthAssistDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class SqlServerHealthAssistDbContext(DbContextOptions<SqlServerHealthAssistDbContext> options) : HealthAssistDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;
}

public sealed class PostgreSqlHealthAssistDbContext(DbContextOptions<PostgreSqlHealthAssistDbContext> options) : HealthAssistDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
