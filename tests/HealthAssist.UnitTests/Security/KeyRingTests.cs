using HealthAssist.Security;

namespace HealthAssist.UnitTests.Security;

public sealed class KeyRingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ha-keys-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Load_WhenGenerationIsAllowed_CreatesOwnerOnlyKeyFilesOnceAndReusesThem()
    {
        using var first = KeyRing.Load(new KeyRingSettings(_directory, null, GenerateMissing: true));
        using var second = KeyRing.Load(new KeyRingSettings(_directory, null, GenerateMissing: false));

        Assert.Equal(first.AuditSigningKey.KeyId, second.AuditSigningKey.KeyId);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, KeyRing.DeploymentSecretFile)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, KeyRing.AuditSigningKeyFile)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        }
    }

    [Fact]
    public void Load_WhenKeysAreMissingAndGenerationIsNotAllowed_FailsWithTheMissingPath()
    {
        var error = Assert.Throws<KeyMaterialException>(() => KeyRing.Load(new KeyRingSettings(_directory, null, GenerateMissing: false)));

        Assert.Contains(KeyRing.DeploymentSecretFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WhenAKeyFileIsReadableByOthers_RefusesIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using (KeyRing.Load(new KeyRingSettings(_directory, null, GenerateMissing: true)))
        {
        }

        var path = Path.Combine(_directory, KeyRing.AuditSigningKeyFile);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<KeyMaterialException>(() => KeyRing.Load(new KeyRingSettings(_directory, null, GenerateMissing: false)));
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WhenAWeakSecretIsConfigured_Refuses()
    {
        Assert.Throws<WeakKeyException>(() => KeyRing.Load(new KeyRingSettings(_directory, Convert.ToBase64String(new byte[32]), GenerateMissing: true)));
    }

    [Fact]
    public void Load_TrustsRetiredPublicKeysForVerification()
    {
        using var retired = HealthAssist.Record.Audit.AuditSigningKey.Generate();
        Directory.CreateDirectory(Path.Combine(_directory, KeyRing.TrustedAuditKeysFolder));
        File.WriteAllText(Path.Combine(_directory, KeyRing.TrustedAuditKeysFolder, "2025.pem"), retired.ExportPublicKeyPem());

        using var ring = KeyRing.Load(new KeyRingSettings(_directory, null, GenerateMissing: true));

        Assert.Contains(ring.TrustedAuditKeys, k => k.KeyId == retired.KeyId);
        Assert.Contains(ring.TrustedAuditKeys, k => k.KeyId == ring.AuditSigningKey.KeyId);
    }
}
