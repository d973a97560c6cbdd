using System.Security.Cryptography;
using HealthAssist.Security;

namespace HealthAssist.Storage.Inputs;

/// <summary>
/// De-identified inputs kept so an inference can be replayed: content-addressed (the SHA-256 of the de-identified
/// bytes, as in the audit entry) and encrypted at rest with AES-256-GCM under a key derived from the deployment secret.
/// The hash is the associated data, so a file moved to another address does not open. Writes are atomic (temporary
/// file, then rename) and idempotent: the same content is stored once. The files hold no identity (inputs are
/// de-identified first); encryption protects the clinical content itself.
/// </summary>
/// <remarks>
/// A file system store, not a database column, because images and recordings are megabytes and replays are rare; a
/// deployment mounts the folder on encrypted, backed-up storage (docker-compose: the data volume).
/// </remarks>
public sealed class EncryptedInputStore
{
    private static readonly byte[] Magic = "HAIN1"u8.ToArray();
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public EncryptedInputStore(string directory, DeploymentSecret secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(secret);
        Directory = Path.GetFullPath(directory);
        _key = secret.Derive("input-store/v1", []);
    }

    public string Directory { get; }

    /// <summary>Stores <paramref name="content"/> under its SHA-256 (checked against <paramref name="sha256"/>) unless it is already there.</summary>
    public async Task PutAsync(string sha256, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var address = Address(sha256);
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(content.Span)), address, StringComparison.Ordinal))
        {
            throw new ArgumentException("The content does not hash to its address.", nameof(sha256));
        }

        var path = PathOf(address);
        if (File.Exists(path))
        {
            return;
        }

        var folder = Path.GetDirectoryName(path)!;
        CreatePrivateDirectory(folder);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var sealedBytes = new byte[Magic.Length + NonceSize + TagSize + content.Length];
        Magic.CopyTo(sealedBytes, 0);
        nonce.CopyTo(sealedBytes, Magic.Length);
        using (var aes = new AesGcm(_key, TagSize))
        {
            aes.Encrypt(nonce, content.Span, sealedBytes.AsSpan(Magic.Length + NonceSize + TagSize), sealedBytes.AsSpan(Magic.Length + NonceSize, TagSize), Convert.FromHexString(address));
        }

        var temporary = Path.Combine(folder, $".{address}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllBytesAsync(temporary, sealedBytes, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The stored content, or null when nothing is stored at that address. Throws when the file was altered.</summary>
    public async Task<byte[]?> GetAsync(string sha256, CancellationToken cancellationToken = default)
    {
        var address = Address(sha256);
        var path = PathOf(address);
        if (!File.Exists(path))
        {
            return null;
        }

        var sealedBytes = await File.ReadAllBytesAsync(path, cancellationToken);
        if (sealedBytes.Length < Magic.Length + NonceSize + TagSize || !sealedBytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new CryptographicException($"Stored input {address} is not in the store's format.");
        }

        var content = new byte[sealedBytes.Length - Magic.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(Magic.Length, NonceSize), sealedBytes.AsSpan(Magic.Length + NonceSize + TagSize), sealedBytes.AsSpan(Magic.Length + NonceSize, TagSize), content, Convert.FromHexString(address));
        return content;
    }

    /// <summary>Whether the folder can be written (the readiness check).</summary>
    public bool IsWritable(out string? problem)
    {
        try
        {
            CreatePrivateDirectory(Directory);
            var probe = Path.Combine(Directory, $".probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            problem = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = "the input store folder cannot be written (" + ex.GetType().Name + ")";
            return false;
        }
    }

    private static string Address(string sha256)
    {
        if (sha256 is not { Length: 64 } || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("An input address is a lower-case hex SHA-256.", nameof(sha256));
        }

        return sha256;
    }

    private string PathOf(string address) => Path.Combine(Directory, address[..2], address[2..4], address + ".bin");

    private static void CreatePrivateDirectory(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(folder);
        }
        else
        {
            System.IO.Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
