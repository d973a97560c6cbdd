using HealthAssist.Storage;

namespace HealthAssist.IntegrationTests.Infrastructure;

/// <summary>One API on one fresh SQLite database, shared by the tests of a class.</summary>
public sealed class SqliteApiFixture : IAsyncLifetime
{
    public HealthAssistFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Factory = new HealthAssistFactory(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite));
        _ = Factory.Server; // start now: migrations and keys
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Factory.Database.DisposeAsync();
    }
}
