using System.ComponentModel.DataAnnotations;
using HealthAssist.Storage;

namespace HealthAssist.Api.Configuration;

/// <summary>Settings shared by every feature.</summary>
public sealed class HealthAssistOptions
{
    public const string Section = "HealthAssist";

    /// <summary>Folder for the SQLite file, keys and blobs; may start with <c>{LocalApplicationData}</c>.</summary>
    [Required]
    public string DataDirectory { get; set; } = "{LocalApplicationData}/healthassist";
}

public sealed class StorageOptions
{
    public const string Section = "Storage";

    [Required]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>May contain <c>{DataDirectory}</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Apply migrations at start (development); production applies the reviewed scripts in <c>db/</c>.</summary>
    public bool MigrateOnStartup { get; set; }
}

public sealed class KeyOptions
{
    public const string Section = "Keys";

    /// <summary>May contain <c>{DataDirectory}</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Directory { get; set; } = "{DataDirectory}/keys";

    /// <summary>Base64 deployment secret; overrides the key file when set (e.g. from a secret store).</summary>
    public string? DeploymentSecret { get; set; }

    /// <summary>Generate missing keys (owner-only files). Allowed only in the Development environment.</summary>
    public bool GenerateMissing { get; set; }
}

public enum AuthMode
{
    /// <summary>Microsoft Entra ID through Microsoft.Identity.Web (production).</summary>
    EntraId,

    /// <summary>Locally signed JWTs, validated with zero network calls (development and tests only).</summary>
    Development,
}

public sealed class AuthOptions
{
    public const string Section = "Auth";

    public AuthMode Mode { get; set; } = AuthMode.EntraId;

    [Required(AllowEmptyStrings = false)]
    public string Audience { get; set; } = "api://healthassist";

    /// <summary>Issuer of development tokens.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DevelopmentIssuer { get; set; } = "https://healthassist.local/dev";

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan DevelopmentTokenLifetime { get; set; } = TimeSpan.FromHours(8);
}

public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>How often a signed checkpoint is taken when new entries exist.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Default largest accepted request body; endpoints that take uploads declare their own limit.</summary>
    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

public sealed class ModelsOptions
{
    public const string Section = "Models";

    /// <summary>The registry folder; empty: <c>models/</c> beside the program or in the repository.</summary>
    public string? Path { get; set; }

    /// <summary>The fusion model that serves assessments (<c>name</c> or <c>name@version</c>); its manifest names its encoders.</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public string Fusion { get; set; } = "fusion";

    /// <summary>Try the CUDA execution provider first (falls back to the CPU, logged once).</summary>
    public bool PreferCuda { get; set; } = true;

    public int CudaDeviceId { get; set; }

    /// <summary>Intra-op threads per model run (0: the machine's cores); 1 measured best (docs/models/runtime.md).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 256)]
    public int IntraOpThreads { get; set; } = 1;
}
