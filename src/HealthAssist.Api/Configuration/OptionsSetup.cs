using HealthAssist.Security;
using Microsoft.Extensions.Options;

namespace HealthAssist.Api.Configuration;

public static class OptionsSetup
{
    /// <summary>Binds and validates every options class at start, so a bad setting stops the service with a clear message.</summary>
    public static void AddHealthAssistOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        Bind<HealthAssistOptions>(builder, HealthAssistOptions.Section);
        Bind<StorageOptions>(builder, StorageOptions.Section);
        Bind<KeyOptions>(builder, KeyOptions.Section);
        Bind<AuthOptions>(builder, AuthOptions.Section);
        Bind<AuditOptions>(builder, AuditOptions.Section);
        Bind<LimitsOptions>(builder, LimitsOptions.Section);
        Bind<ModelsOptions>(builder, ModelsOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<KeyOptions>, EnvironmentRules>();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, EnvironmentRules>();
        builder.Services.AddSingleton<DataPaths>();
    }

    /// <summary>Loads the key ring once; a missing or weak key fails start-up (see <see cref="KeyRing"/>).</summary>
    public static void AddKeyMaterial(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<KeyOptions>>().Value;
            var paths = sp.GetRequiredService<DataPaths>();
            return KeyRing.Load(new KeyRingSettings(paths.Resolve(options.Directory), options.DeploymentSecret, options.GenerateMissing));
        });
        builder.Services.AddSingleton(sp => new HealthAssist.Deidentify.Reidentification.ReidentificationCipher(sp.GetRequiredService<KeyRing>().DeploymentSecret));
    }

    private static void Bind<T>(WebApplicationBuilder builder, string section)
        where T : class =>
        builder.Services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>Development conveniences are refused outside the Development environment.</summary>
    private sealed class EnvironmentRules(IHostEnvironment environment) : IValidateOptions<KeyOptions>, IValidateOptions<AuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, KeyOptions options) =>
            options.GenerateMissing && !environment.IsDevelopment()
                ? ValidateOptionsResult.Fail("Keys:GenerateMissing is allowed only in the Development environment; provision the key files.")
                : ValidateOptionsResult.Success;

        public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
            options.Mode == AuthMode.Development && !environment.IsDevelopment()
                ? ValidateOptionsResult.Fail("Auth:Mode=Development is allowed only in the Development environment; configure Entra ID (AzureAd).")
                : ValidateOptionsResult.Success;
    }
}

/// <summary>
/// Resolves the data folder and <c>{DataDirectory}</c> templates. The default, <c>{LocalApplicationData}/healthassist</c>,
/// does not depend on the working directory, so the API and the CLI always share one data folder (keys, SQLite file);
/// containers set <c>HealthAssist__DataDirectory</c>. Relative paths are relative to the working directory.
/// </summary>
public sealed class DataPaths
{
    private readonly string _workingDirectory;

    public DataPaths(IOptions<HealthAssistOptions> options)
        : this(options.Value.DataDirectory, Environment.CurrentDirectory)
    {
    }

    public DataPaths(string dataDirectory, string workingDirectory)
    {
        _workingDirectory = workingDirectory;
        var localData = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        DataDirectory = Path.GetFullPath(dataDirectory.Replace("{LocalApplicationData}", localData, StringComparison.Ordinal), workingDirectory);
    }

    public string DataDirectory { get; }

    /// <summary>Creates the data folder owner-only (0700) when missing; it will hold keys and clinical data.</summary>
    public void EnsureDataDirectory() => KeyFiles.EnsurePrivateDirectory(DataDirectory);

    public string Resolve(string pathOrTemplate)
    {
        ArgumentNullException.ThrowIfNull(pathOrTemplate);
        var expanded = pathOrTemplate.Replace("{DataDirectory}", DataDirectory, StringComparison.Ordinal);
        return Path.GetFullPath(expanded, _workingDirectory);
    }

    public string ExpandConnectionString(string connectionString) =>
        connectionString.Replace("{DataDirectory}", DataDirectory, StringComparison.Ordinal);
}
