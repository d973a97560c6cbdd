using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Record.Audit;
using HealthAssist.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace HealthAssist.IntegrationTests.Storage;

public sealed class SchemaTests
{
    public static TheoryData<DatabaseProvider> AllProviders => new() { DatabaseProvider.Sqlite, DatabaseProvider.SqlServer, DatabaseProvider.PostgreSql };

    private static HealthAssistDbContext DesignContext(DatabaseProvider provider) => StorageSetup.CreateContext(provider, provider switch
    {
        DatabaseProvider.Sqlite => "Data Source=:memory:",
        DatabaseProvider.SqlServer => "Server=unused;Database=HealthAssist;Trusted_Connection=True",
        _ => "Host=unused;Database=healthassist",
    });

    [Theory]
    [MemberData(nameof(AllProviders))]
    public void Model_HasNoChangesWithoutAMigration(DatabaseProvider provider)
    {
        using var db = DesignContext(provider);

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The EF model changed without a {provider} migration: run scripts/update-db-scripts.sh after 'dotnet ef migrations add' for each provider.");
    }

    [Theory]
    [InlineData(DatabaseProvider.SqlServer, "sqlserver")]
    [InlineData(DatabaseProvider.PostgreSql, "postgresql")]
    public void ReviewedSqlScripts_MatchTheMigrations(DatabaseProvider provider, string folder)
    {
        using var db = DesignContext(provider);
        var expected = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var committed = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "db", folder, "healthassist.sql"));

        Assert.True(Normalize(expected) == Normalize(committed), $"db/{folder}/healthassist.sql is stale: run scripts/update-db-scripts.sh.");
    }

    [Fact]
    public async Task PostgreSqlScript_AppliedTwiceToAnEmptyDatabase_LeavesNoPendingMigrations()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, migrate: false);
        var script = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "db", "postgresql", "healthassist.sql")).TrimStart('\uFEFF');

        await database.ExecuteAsync(script);
        await database.ExecuteAsync(script); // idempotent: a second run changes nothing and does not fail

        await using var db = database.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        await new HealthAssist.Storage.Audit.AuditTrail(db, TimeProvider.System).AppendAsync(
            [new AuditRecord("test", AuditActor.System, PurposesOfUse.Operations, null, "{}")]);
        await Assert.ThrowsAnyAsync<Exception>(() => database.ExecuteAsync("DELETE FROM audit_entries"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Database_RefusesUpdatesAndDeletesOfAuditRows(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var db = database.CreateContext())
        {
            await new HealthAssist.Storage.Audit.AuditTrail(db, TimeProvider.System).AppendAsync(
                [new AuditRecord("test", AuditActor.System, PurposesOfUse.Operations, null, "{}")]);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => database.ExecuteAsync("UPDATE audit_entries SET payload = '{\"x\":1}'"));
        await Assert.ThrowsAnyAsync<Exception>(() => database.ExecuteAsync("DELETE FROM audit_entries"));
        Assert.Equal(1L, Convert.ToInt64(await database.ScalarAsync("SELECT COUNT(*) FROM audit_entries"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SaveChanges_RefusesToModifyAnAuditEntry()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();
        await new HealthAssist.Storage.Audit.AuditTrail(db, TimeProvider.System).AppendAsync(
            [new AuditRecord("test", AuditActor.System, PurposesOfUse.Operations, null, "{}")]);
        var entry = await db.AuditEntries.SingleAsync();

        db.Entry(entry).Property(e => e.Payload).CurrentValue = "{\"changed\":true}";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
    }

    private static string Normalize(string sql) =>
        string.Join('\n', sql.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0));
}
