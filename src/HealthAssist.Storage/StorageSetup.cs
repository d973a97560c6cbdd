using System.Data.Common;
using HealthAssist.Storage.Audit;
using HealthAssist.Storage.Reidentification;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace HealthAssist.Storage;

/// <summary>Builds the provider-specific context from a provider name and connection string.</summary>
public static class StorageSetup
{
    public static IServiceCollection AddHealthAssistStorage(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        _ = provider switch
        {
            DatabaseProvider.Sqlite => services.AddDbContext<HealthAssistDbContext, SqliteHealthAssistDbContext>(o => Configure(o, provider, connectionString)),
            DatabaseProvider.SqlServer => services.AddDbContext<HealthAssistDbContext, SqlServerHealthAssistDbContext>(o => Configure(o, provider, connectionString)),
            DatabaseProvider.PostgreSql => services.AddDbContext<HealthAssistDbContext, PostgreSqlHealthAssistDbContext>(o => Configure(o, provider, connectionString)),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
        };
        services.AddScoped<IAuditTrail, AuditTrail>();
        services.AddScoped<AuditReader>();
        services.AddScoped<AuditCheckpointer>();
        services.AddScoped<ReidentificationVault>();
        services.AddScoped<IReidentificationRecorder>(sp => sp.GetRequiredService<ReidentificationVault>());
        services.AddScoped<IWriteBackIdentityResolver>(sp => sp.GetRequiredService<ReidentificationVault>());
        services.AddScoped<HealthAssist.Record.Assessments.IInferenceRecorder, Assessments.InferenceRecorder>();
        return services;
    }

    /// <summary>A context outside dependency injection (CLI, benchmarks, tests).</summary>
    public static HealthAssistDbContext CreateContext(DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteHealthAssistDbContext(Build<SqliteHealthAssistDbContext>(provider, connectionString)),
        DatabaseProvider.SqlServer => new SqlServerHealthAssistDbContext(Build<SqlServerHealthAssistDbContext>(provider, connectionString)),
        DatabaseProvider.PostgreSql => new PostgreSqlHealthAssistDbContext(Build<PostgreSqlHealthAssistDbContext>(provider, connectionString)),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
    };

    /// <summary>Applies pending migrations; on SQLite also switches to write-ahead logging (persistent per file).</summary>
    public static async Task MigrateAsync(HealthAssistDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        string? file = null;
        if (db.Provider == DatabaseProvider.Sqlite && !IsInMemory(db))
        {
            // The file holds clinical data: owner-only folder and file (SQLite gives its -wal/-shm files the same mode).
            file = Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource);
            var folder = Path.GetDirectoryName(file);
            if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(folder);
                }
                else
                {
                    Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }
        }

        if (file is not null && !File.Exists(file) && !OperatingSystem.IsWindows())
        {
            // An empty file is a valid new database; creating it first fixes its mode, which SQLite copies to -wal/-shm.
            using var _ = new FileStream(file, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }

        await db.Database.MigrateAsync(cancellationToken);
        if (file is not null)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    private static bool IsInMemory(HealthAssistDbContext db)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        return builder.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory || builder.DataSource is ":memory:" or "";
    }

    private static DbContextOptions<T> Build<T>(DatabaseProvider provider, string connectionString)
        where T : DbContext
    {
        var builder = new DbContextOptionsBuilder<T>();
        Configure(builder, provider, connectionString);
        return builder.Options;
    }

    private static void Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(connectionString).AddInterceptors(SqliteDurability.Instance);
                break;
            case DatabaseProvider.SqlServer:
                options.UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure());
                break;
            case DatabaseProvider.PostgreSql:
                options.UseNpgsql(connectionString);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider.");
        }
    }

    /// <summary>Every SQLite connection commits durably (fsync per commit) and waits for the write lock instead of failing.</summary>
    private sealed class SqliteDurability : DbConnectionInterceptor
    {
        public static readonly SqliteDurability Instance = new();
        private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
