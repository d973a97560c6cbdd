using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Record.Audit;
using HealthAssist.Security;
using HealthAssist.Storage;
using HealthAssist.Storage.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HealthAssist.IntegrationTests.Storage;

public sealed class AuditConcurrencyTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Append_FromManyTasksThroughTwoIndependentConnectionPools_KeepsOneUnbrokenChain(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        // Two service providers stand in for two API instances: separate DbContext pools and connection pools.
        await using var instanceA = new ServiceCollection().AddSingleton(TimeProvider.System).AddHealthAssistStorage(provider, database.ConnectionString).BuildServiceProvider();
        await using var instanceB = new ServiceCollection().AddSingleton(TimeProvider.System).AddHealthAssistStorage(provider, database.ConnectionString + (provider == DatabaseProvider.Sqlite ? ";Default Timeout=60" : ";Application Name=instance-b")).BuildServiceProvider();
        const int tasks = 16, perTask = 15;

        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            var instance = t % 2 == 0 ? instanceA : instanceB;
            for (var i = 0; i < perTask; i++)
            {
                await using var scope = instance.CreateAsyncScope();
                var trail = scope.ServiceProvider.GetRequiredService<IAuditTrail>();
                var batch = Enumerable.Range(0, 1 + (i % 3))
                    .Select(b => new AuditRecord("concurrency.test", new AuditActor($"task-{t}", "system", []), PurposesOfUse.Operations, null, $"{{\"t\":{t},\"i\":{i},\"b\":{b}}}"))
                    .ToList();
                await trail.AppendAsync(batch);
            }
        })));

        var expected = tasks * Enumerable.Range(0, perTask).Sum(i => 1 + (i % 3));
        await using var db = database.CreateContext();
        var sequences = await db.AuditEntries.Select(e => e.Sequence).OrderBy(s => s).ToListAsync();
        Assert.Equal(Enumerable.Range(1, expected).Select(i => (long)i), sequences);

        var keyDirectory = Path.Combine(Path.GetTempPath(), $"ha-keys-{Guid.NewGuid():N}");
        using var keys = KeyRing.Load(new KeyRingSettings(keyDirectory, null, GenerateMissing: true));
        var report = await new AuditReader(db, keys).VerifyAsync();
        Directory.Delete(keyDirectory, recursive: true);
        Assert.True(report.IsIntact, report.Message);
        Assert.Equal(expected, report.EntriesChecked);
    }
}
