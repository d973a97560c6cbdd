using System.Security.Claims;
using HealthAssist.Api.Configuration;
using HealthAssist.Record.Audit;
using HealthAssist.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace HealthAssist.Api.Security;

public static class AuthenticationSetup
{
    public const string RolesClaim = "roles";

    public static void AddAuthenticationAndPermissions(this WebApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (auth.Mode == AuthMode.EntraId)
        {
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddMicrosoftIdentityWebApi(builder.Configuration.GetSection("AzureAd"));
        }
        else
        {
            builder.Services.AddSingleton<DevelopmentSigningKey>();
            builder.Services.AddSingleton<DevelopmentTokenIssuer>();
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
            builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
                .Configure<DevelopmentSigningKey, IOptions<AuthOptions>, TimeProvider>(ConfigureDevelopmentBearer);
        }

        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, PermissionHandler>();
    }

    /// <summary>
    /// Development tokens go through the same JwtBearer validation as production, with a static configuration so
    /// that no metadata document is ever fetched (both configuration managers must be set, or it calls the network).
    /// </summary>
    private static void ConfigureDevelopmentBearer(JwtBearerOptions options, DevelopmentSigningKey key, IOptions<AuthOptions> auth, TimeProvider time)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = auth.Value.DevelopmentIssuer };
        configuration.SigningKeys.Add(key.Key);
        var manager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        options.ConfigurationManager = manager;
        options.MapInboundClaims = false;
        options.RequireHttpsMetadata = false;
        options.TimeProvider = time;
        options.TokenValidationParameters = new Microsoft.IdentityModel.Tokens.TokenValidationParameters
        {
            ConfigurationManager = manager,
            ValidIssuer = auth.Value.DevelopmentIssuer,
            ValidAudience = auth.Value.Audience,
            IssuerSigningKey = key.Key,
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = "sub",
            RoleClaimType = RolesClaim,
        };
    }

    /// <summary>Application roles from the token (Entra ID app roles arrive in <c>roles</c>; mapped handlers use <see cref="ClaimTypes.Role"/>).</summary>
    public static IReadOnlyList<string> ApplicationRoles(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Claims.Where(c => c.Type is RolesClaim or ClaimTypes.Role)
            .Select(c => c.Value).Where(r => Roles.All.Contains(r, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal).ToList();
    }

    public static Permissions GrantedPermissions(this ClaimsPrincipal user) => RolePermissions.For(user.ApplicationRoles());

    /// <summary>The audit trail's view of the caller: stable subject (oid for Entra ID), user or system, roles.</summary>
    public static AuditActor ToAuditActor(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        // Entra ID: the object id (Microsoft.Identity.Web maps 'oid' to a long claim type; GetObjectId reads both).
        var subject = user.GetObjectId() ?? user.FindFirst("sub")?.Value
            ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "anonymous";
        var type = user.FindFirst("idtyp")?.Value == "app" ? "system" : "user";
        return new AuditActor(subject, type, user.ApplicationRoles());
    }
}
