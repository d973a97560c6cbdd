using HealthAssist.Security;
using HealthAssist.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace HealthAssist.Api.Configuration;

public static class StorageHosting
{
    public static void AddStorage(this WebApplicationBuilder builder)
    {
        // The provider decides which context type is registered, so it is read here rather than through IOptions.
        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var dataDirectory = builder.Configuration[$"{HealthAssistOptions.Section}:{nameof(HealthAssistOptions.DataDirectory)}"] ?? new HealthAssistOptions().DataDirectory;
        var paths = new DataPaths(dataDirectory, Environment.CurrentDirectory);
        builder.Services.AddHealthAssistStorage(storage.Provider, paths.ExpandConnectionString(storage.ConnectionString));
        builder.Services.AddHostedService<StartupTasks>();
    }

}

/// <summary>
/// Runs before the server accepts requests (hosted services start before Kestrel): loads the key ring, so a weak or
/// missing key stops start-up, and applies migrations when Storage:MigrateOnStartup is set.
/// </summary>
internal sealed class StartupTasks(
    IServiceProvider services, IOptions<StorageOptions> storage, IOptions<AuthOptions> auth, DataPaths paths,
    IHostApplicationLifetime lifetime, IServer server, ILogger<StartupTasks> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        paths.EnsureDataDirectory();
        _ = services.GetRequiredService<KeyRing>();
        if (storage.Value.MigrateOnStartup)
        {
            await using var scope = services.CreateAsyncScope();
            await StorageSetup.MigrateAsync(scope.ServiceProvider.GetRequiredService<HealthAssistDbContext>(), cancellationToken);
        }

        lifetime.ApplicationStarted.Register(AnnounceAddresses);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void AnnounceAddresses()
    {
        var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        var first = addresses.FirstOrDefault() ?? "http://localhost";
        logger.LogInformation("HealthAssist is listening on {Urls} ({Provider} storage, {AuthMode} auth, data in {DataDirectory}). Readiness: {ReadyUrl}",
            string.Join(", ", addresses), storage.Value.Provider, auth.Value.Mode, paths.DataDirectory, first + "/health/ready");
        if (auth.Value.Mode == AuthMode.Development)
        {
            logger.LogInformation("Development token: dotnet run --project src/HealthAssist.Cli -- token --role Clinician (roles: {Roles})",
                string.Join(", ", Roles.All));
        }
    }
}
