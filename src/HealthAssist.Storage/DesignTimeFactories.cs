using Microsoft.EntityFrameworkCore.Design;

namespace HealthAssist.Storage;

// Used only by 'dotnet ef' to add migrations and script them; no server is contacted for that.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteHealthAssistDbContext>
{
    public SqliteHealthAssistDbContext CreateDbContext(string[] args) =>
        (SqliteHealthAssistDbContext)StorageSetup.CreateContext(DatabaseProvider.Sqlite, "Data Source=design-time.db");
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerHealthAssistDbContext>
{
    public SqlServerHealthAssistDbContext CreateDbContext(string[] args) =>
        (SqlServerHealthAssistDbContext)StorageSetup.CreateContext(DatabaseProvider.SqlServer, "Server=design-time;Database=HealthAssist;Trusted_Connection=True");
}

internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlHealthAssistDbContext>
{
    public PostgreSqlHealthAssistDbContext CreateDbContext(string[] args) =>
        (PostgreSqlHealthAssistDbContext)StorageSetup.CreateContext(DatabaseProvider.PostgreSql, "Host=design-time;Database=healthassist");
}
