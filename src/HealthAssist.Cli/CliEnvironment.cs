using HealthAssist.Api.Configuration;
using HealthAssist.Security;
using HealthAssist.Storage;
using Microsoft.Extensions.Configuration;

namespace HealthAssist.Cli;

/// <summary>
/// Configuration for CLI commands, layered like the API's: appsettings.json and appsettings.{Environment}.json from
/// the program folder, then environment variables, then overrides (tests). The environment comes from
/// DOTNET_ENVIRONMENT or ASPNETCORE_ENVIRONMENT and defaults to Production.
/// </summary>
public sealed class CliEnvironment
{
    private CliEnvironment(IConfiguration configuration, string environmentName)
    {
        Configuration = configuration;
        EnvironmentName = environmentName;
        Paths = new DataPaths(Get<HealthAssistOptions>(HealthAssistOptions.Section).DataDirectory, Environment.CurrentDirectory);
    }

    public IConfiguration Configuration { get; }

    public string EnvironmentName { get; }

    public bool IsDevelopment => string.Equals(EnvironmentName, "Development", StringComparison.OrdinalIgnoreCase);

    public DataPaths Paths { get; }

    public static CliEnvironment Load(IReadOnlyDictionary<string, string?>? overrides)
    {
        var environmentName = overrides?.GetValueOrDefault("Environment")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? "Production";
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, $"appsettings.{environmentName}.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>())
            .Build();
        return new CliEnvironment(configuration, environmentName);
    }

    public T Get<T>(string section)
        where T : new() => Configuration.GetSection(section).Get<T>() ?? new T();

    public KeyRing LoadKeys()
    {
        Paths.EnsureDataDirectory();
        var keys = Get<KeyOptions>(KeyOptions.Section);
        if (keys.GenerateMissing && !IsDevelopment)
        {
            throw new UsageException("Keys:GenerateMissing is allowed only in the Development environment.");
        }

        return KeyRing.Load(new KeyRingSettings(Paths.Resolve(keys.Directory), keys.DeploymentSecret, keys.GenerateMissing));
    }

    public HealthAssistDbContext CreateDbContext()
    {
        var storage = Get<StorageOptions>(StorageOptions.Section);
        if (string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            throw new UsageException("Storage:ConnectionString is not set.");
        }

        return StorageSetup.CreateContext(storage.Provider, Paths.ExpandConnectionString(storage.ConnectionString));
    }

    public bool MigrateOnStartup => Get<StorageOptions>(StorageOptions.Section).MigrateOnStartup;

    /// <summary>The encrypted store of de-identified inputs, where the service keeps it (<c>Assessments:InputsDirectory</c>).</summary>
    public HealthAssist.Storage.Inputs.EncryptedInputStore OpenInputStore(DeploymentSecret secret) =>
        new(Paths.Resolve(Get<HealthAssist.Api.Assessments.AssessmentOptions>(HealthAssist.Api.Assessments.AssessmentOptions.Section).InputsDirectory), secret);
}
