using System.Security.Cryptography;
using HealthAssist.Record.Audit;

namespace HealthAssist.Security;

/// <summary>Where key material comes from and whether missing keys may be generated (development only).</summary>
/// <param name="Directory">Folder holding the key files.</param>
/// <param name="DeploymentSecretBase64">Overrides the deployment secret file (e.g. from a secret store).</param>
/// <param name="GenerateMissing">Generate missing keys with owner-only permissions; never in production.</param>
public sealed record KeyRingSettings(string Directory, string? DeploymentSecretBase64, bool GenerateMissing);

/// <summary>
/// The deployment's key material: the deployment secret, the audit checkpoint signing key and the public keys of
/// retired signing keys that verification still trusts. Files are created 0600 in a 0700 folder, and existing files
/// readable by group or others are refused.
/// </summary>
public sealed class KeyRing : IDisposable
{
    public const string DeploymentSecretFile = "deployment-secret.key";
    public const string AuditSigningKeyFile = "audit-signing.pem";
    public const string TrustedAuditKeysFolder = "audit-trusted";

    private KeyRing(DeploymentSecret secret, AuditSigningKey signingKey, IReadOnlyList<AuditSigningKey> retiredKeys, string directory)
    {
        DeploymentSecret = secret;
        AuditSigningKey = signingKey;
        TrustedAuditKeys = [signingKey.PublicOnly(), .. retiredKeys];
        Directory = directory;
    }

    public DeploymentSecret DeploymentSecret { get; }

    public AuditSigningKey AuditSigningKey { get; }

    /// <summary>Public keys that verify checkpoints: the current one and any retired ones.</summary>
    public IReadOnlyList<AuditSigningKey> TrustedAuditKeys { get; }

    public string Directory { get; }

    /// <exception cref="KeyMaterialException">A key is missing (and may not be generated), weak, malformed or exposed.</exception>
    public static KeyRing Load(KeyRingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var directory = Path.GetFullPath(settings.Directory);
        if (settings.GenerateMissing)
        {
            KeyFiles.EnsurePrivateDirectory(directory);
        }

        var secret = settings.DeploymentSecretBase64 is { Length: > 0 } configured
            ? DeploymentSecret.FromBase64(configured)
            : DeploymentSecret.FromBase64(KeyFiles.ReadOrCreate(directory, DeploymentSecretFile, settings.GenerateMissing,
                () => DeploymentSecret.Generate().ToBase64()));

        AuditSigningKey signingKey;
        try
        {
            signingKey = AuditSigningKey.FromPem(KeyFiles.ReadOrCreate(directory, AuditSigningKeyFile, settings.GenerateMissing, () =>
            {
                using var generated = AuditSigningKey.Generate();
                return generated.ExportPrivateKeyPem();
            }));
        }
        catch (CryptographicException ex)
        {
            throw new KeyMaterialException($"{Path.Combine(directory, AuditSigningKeyFile)}: {ex.Message}");
        }

        if (!signingKey.HasPrivateKey)
        {
            throw new KeyMaterialException($"{Path.Combine(directory, AuditSigningKeyFile)} holds a public key; the signing key must be private.");
        }

        var retired = new List<AuditSigningKey>();
        var trustedFolder = Path.Combine(directory, TrustedAuditKeysFolder);
        if (System.IO.Directory.Exists(trustedFolder))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(trustedFolder, "*.pem").Order(StringComparer.Ordinal))
            {
                retired.Add(AuditSigningKey.FromPem(File.ReadAllText(file)).PublicOnly());
            }
        }

        return new KeyRing(secret, signingKey, retired, directory);
    }

    public void Dispose()
    {
        AuditSigningKey.Dispose();
        foreach (var key in TrustedAuditKeys)
        {
            key.Dispose();
        }
    }
}

/// <summary>Key material is missing, weak, malformed or stored with unsafe permissions.</summary>
public sealed class KeyMaterialException(string message) : Exception(message);

/// <summary>Owner-only key files.</summary>
public static class KeyFiles
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void EnsurePrivateDirectory(string directory)
    {
        if (System.IO.Directory.Exists(directory))
        {
            return;
        }

        var parent = Path.GetDirectoryName(directory);
        if (!string.IsNullOrEmpty(parent) && !System.IO.Directory.Exists(parent))
        {
            EnsurePrivateDirectory(parent); // CreateDirectory applies the mode only to the last folder
        }

        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
            return;
        }

        System.IO.Directory.CreateDirectory(directory, OwnerOnlyDirectory);
    }

    /// <summary>Reads a key file, or creates it with <paramref name="create"/> when allowed.</summary>
    public static string ReadOrCreate(string directory, string fileName, bool generateMissing, Func<string> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            if (!generateMissing)
            {
                throw new KeyMaterialException($"Key file {path} is missing; provision it (see README, 'Keys') or enable generation in development.");
            }

            WriteOwnerOnly(path, create());
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & ~OwnerOnlyFile) != 0)
            {
                throw new KeyMaterialException($"Key file {path} is accessible to group or others (mode {Convert.ToString((int)mode, 8)}); chmod 600 it.");
            }
        }

        return File.ReadAllText(path);
    }

    public static void WriteOwnerOnly(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }
}
