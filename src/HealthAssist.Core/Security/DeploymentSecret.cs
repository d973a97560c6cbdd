using System.Security.Cryptography;
using System.Text;

namespace HealthAssist.Security;

/// <summary>
/// The one secret per deployment from which pseudonyms, date offsets and UID maps are derived (DESIGN decision 8).
/// Weak material is refused at construction so a deployment cannot start with a guessable key.
/// </summary>
public sealed class DeploymentSecret
{
    public const int MinimumLength = 32;

    // Well-known placeholders people paste into configuration; refused even when long enough.
    private static readonly string[] KnownWeakPhrases =
        ["changeme", "change-me", "password", "secret", "default", "example", "healthassist", "test", "dev-key", "0123456789"];

    private readonly byte[] _key;

    private DeploymentSecret(byte[] key) => _key = key;

    /// <summary>Creates a secret from raw bytes after strength checks.</summary>
    /// <exception cref="WeakKeyException">The material is short, low-entropy or a known placeholder.</exception>
    public static DeploymentSecret FromBytes(ReadOnlySpan<byte> key)
    {
        var reason = FindWeakness(key);
        if (reason is not null)
        {
            throw new WeakKeyException($"Deployment secret refused: {reason}.");
        }

        return new DeploymentSecret(key.ToArray());
    }

    /// <summary>Parses base64 text (the form used in configuration and key files).</summary>
    public static DeploymentSecret FromBase64(string text)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new WeakKeyException("Deployment secret refused: it is not valid base64.");
        }

        return FromBytes(bytes);
    }

    public static DeploymentSecret Generate() => new(RandomNumberGenerator.GetBytes(MinimumLength));

    public string ToBase64() => Convert.ToBase64String(_key);

    /// <summary>HMAC-SHA256 of <paramref name="message"/> under a purpose-specific subkey, so uses never collide.</summary>
    public byte[] Derive(string purpose, ReadOnlySpan<byte> message)
    {
        Span<byte> subkey = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("healthassist/" + purpose), subkey);
        return HMACSHA256.HashData(subkey, message);
    }

    internal static string? FindWeakness(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumLength)
        {
            return $"it has {key.Length} bytes, at least {MinimumLength} are required";
        }

        var distinct = new HashSet<byte>();
        foreach (var b in key)
        {
            distinct.Add(b);
        }

        if (distinct.Count < 8)
        {
            return "it has too few distinct byte values to be random";
        }

        var ascii = Encoding.ASCII.GetString(key).ToLowerInvariant();
        foreach (var phrase in KnownWeakPhrases)
        {
            if (ascii.Contains(phrase, StringComparison.Ordinal))
            {
                return "it contains a well-known placeholder phrase";
            }
        }

        return null;
    }
}

/// <summary>Key material failed a strength or format check; start-up stops with this message.</summary>
public sealed class WeakKeyException(string message) : Exception(message);
