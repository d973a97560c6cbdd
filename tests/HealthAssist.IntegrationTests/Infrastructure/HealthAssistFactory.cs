using System.Net.Http.Headers;
using HealthAssist.Api.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthAssist.IntegrationTests.Infrastructure;

/// <summary>
/// The real API in memory, on a real database, in the Development environment with locally issued tokens that go
/// through the production JwtBearer validation and the real authorization policies.
/// </summary>
public sealed class HealthAssistFactory(TestDatabase database, Action<IServiceCollection>? configureServices = null, IDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"healthassist-data-{Guid.NewGuid():N}");

    public LogCapture Logs { get; } = new();

    public TestDatabase Database { get; } = database;

    public string Token(string role, TimeSpan? lifetime = null) =>
        Services.GetRequiredService<DevelopmentTokenIssuer>().Issue(role, $"test-{role.ToLowerInvariant()}", lifetime);

    /// <summary>A client that sends a token for <paramref name="role"/>, or none when null.</summary>
    public HttpClient ClientAs(string? role)
    {
        var client = CreateClient();
        if (role is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role));
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("HealthAssist:DataDirectory", DataDirectory);
        builder.UseSetting("Storage:Provider", Database.Provider.ToString());
        builder.UseSetting("Storage:ConnectionString", Database.ConnectionString);
        builder.UseSetting("Storage:MigrateOnStartup", "true");
        builder.UseSetting("Keys:GenerateMissing", "true");
        builder.UseSetting("Auth:Mode", "Development");
        builder.UseSetting("Audit:CheckpointInterval", "01:00:00");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(Logs);
            configureServices?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
