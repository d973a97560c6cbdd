using System.Security.Cryptography;
using HealthAssist.Api.Configuration;
using HealthAssist.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HealthAssist.Api.Security;

/// <summary>
/// The HMAC key that signs development tokens: <c>dev-jwt.key</c> in the key folder, generated (0600) on first use in
/// Development. It never signs anything in production, where Entra ID issues tokens.
/// </summary>
public sealed class DevelopmentSigningKey
{
    public const string FileName = "dev-jwt.key";

    public DevelopmentSigningKey(IOptions<KeyOptions> options, DataPaths paths)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(paths);
        var directory = paths.Resolve(options.Value.Directory);
        if (options.Value.GenerateMissing)
        {
            KeyFiles.EnsurePrivateDirectory(directory);
        }

        var text = KeyFiles.ReadOrCreate(directory, FileName, options.Value.GenerateMissing,
            () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        Key = new SymmetricSecurityKey(Convert.FromBase64String(text.Trim())) { KeyId = "healthassist-dev" };
    }

    public SymmetricSecurityKey Key { get; }
}

/// <summary>Issues locally signed JWTs for development and tests; validated by the same JwtBearer pipeline as production.</summary>
public sealed class DevelopmentTokenIssuer(DevelopmentSigningKey signingKey, IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>Creates a token for <paramref name="role"/>.</summary>
    /// <param name="role">One of <see cref="Roles.All"/>.</param>
    /// <param name="subject">The user or system the token speaks for.</param>
    /// <param name="lifetime">Defaults to Auth:DevelopmentTokenLifetime; a negative value makes an expired token (tests).</param>
    public string Issue(string role, string subject = "dev-user", TimeSpan? lifetime = null)
    {
        if (!Roles.All.Contains(role, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Unknown role '{role}'. Roles: {string.Join(", ", Roles.All)}.", nameof(role));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var validFor = lifetime ?? options.Value.DevelopmentTokenLifetime;
        var issuedAt = validFor < TimeSpan.Zero ? now + validFor - TimeSpan.FromMinutes(10) : now;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Value.DevelopmentIssuer,
            Audience = options.Value.Audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = now + validFor,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject,
                ["roles"] = new[] { role },
                ["idtyp"] = role == Roles.EhrSystem ? "app" : "user",
            },
            SigningCredentials = new SigningCredentials(signingKey.Key, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
