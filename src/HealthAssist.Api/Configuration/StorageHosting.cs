using HealthAssist.Security;
using HealthAssist.Storage;
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
    }

    /// <summary>Runs before the server listens: loads keys (fails fast when weak or missing) and migrates if configured.</summary>
    public static async Task InitializeAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.Services.GetRequiredService<KeyRing>();
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (storage.MigrateOnStartup)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await StorageSetup.MigrateAsync(scope.ServiceProvider.GetRequiredService<HealthAssistDbContext>());
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HealthAssist.Startup");
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var urls = string.Join(", ", app.Urls);
            logger.LogInformation("HealthAssist is listening on {Urls} ({Provider} storage, {AuthMode} auth, data in {DataDirectory}). Readiness: {ReadyUrl}",
                urls, storage.Provider, auth.Mode, app.Services.GetRequiredService<DataPaths>().DataDirectory, app.Urls.FirstOrDefault() + "/health/ready");
            if (auth.Mode == AuthMode.Development)
            {
                logger.LogInformation("Development token: dotnet run --project src/HealthAssist.Cli -- token --role Clinician (roles: {Roles})",
                    string.Join(", ", Roles.All));
            }
        });
    }
}
