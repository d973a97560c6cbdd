using System.Data.Common;
using HealthAssist.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace HealthAssist.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh, empty database for one test class: a temporary SQLite file, or a new database on the PostgreSQL server that
/// scripts/test.sh starts (HEALTHASSIST_TEST_POSTGRES). PostgreSQL tests fail, never skip, when that server is absent.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "HEALTHASSIST_TEST_POSTGRES";

    private readonly string? _sqliteFile;
    private readonly string? _postgresAdmin;
    private readonly string? _postgresName;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? sqliteFile, string? postgresAdmin, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _sqliteFile = sqliteFile;
        _postgresAdmin = postgresAdmin;
        _postgresName = postgresName;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public static TheoryData<DatabaseProvider> Providers => new() { DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql };

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, bool migrate = true)
    {
        TestDatabase database;
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"healthassist-test-{Guid.NewGuid():N}.db");
            database = new TestDatabase(provider, $"Data Source={file}", file, null, null);
        }
        else if (provider == DatabaseProvider.PostgreSql)
        {
            var admin = Environment.GetEnvironmentVariable(PostgresVariable);
            if (string.IsNullOrWhiteSpace(admin))
            {
                throw new InvalidOperationException($"{PostgresVariable} is not set: run the tests with ./scripts/test.sh, which starts PostgreSQL on loopback.");
            }

            var name = $"ha_test_{Guid.NewGuid():N}";
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                await create.ExecuteNonQueryAsync();
            }

            var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
            database = new TestDatabase(provider, builder.ConnectionString, null, admin, name);
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(provider), provider, "Tests run on SQLite and PostgreSQL.");
        }

        if (migrate)
        {
            await using var db = database.CreateContext();
            await StorageSetup.MigrateAsync(db);
        }

        return database;
    }

    public HealthAssistDbContext CreateContext() => StorageSetup.CreateContext(Provider, ConnectionString);

    public DbConnection OpenConnection()
    {
        DbConnection connection = Provider == DatabaseProvider.Sqlite ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Runs SQL directly, as an attacker with database access would; parameters are @p0, @p1, ….</summary>
    public async Task<int> ExecuteAsync(string sql, params object[] parameters)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = parameters[i];
            command.Parameters.Add(parameter);
        }

        return await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Removes the append-only triggers, as a database administrator could, so tampering reaches the rows.</summary>
    public Task DropAppendOnlyTriggersAsync() => Provider == DatabaseProvider.Sqlite
        ? ExecuteAsync("DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete; DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete;")
        : ExecuteAsync("DROP TRIGGER audit_entries_append_only ON audit_entries; DROP TRIGGER audit_checkpoints_append_only ON audit_checkpoints;");

    public async ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
            {
                File.Delete(file);
            }
        }

        if (_postgresAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresAdmin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
