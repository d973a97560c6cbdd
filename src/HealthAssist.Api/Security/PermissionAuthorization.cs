using HealthAssist.Security;
using Microsoft.AspNetCore.Authorization;

namespace HealthAssist.Api.Security;

/// <summary>Requires every flag of <see cref="Required"/>, as granted by the caller's roles through <see cref="RolePermissions"/>.</summary>
public sealed class PermissionRequirement(Permissions required) : IAuthorizationRequirement
{
    public Permissions Required { get; } = required;
}

internal sealed class PermissionHandler : AuthorizationHandler<PermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated == true && context.User.GrantedPermissions().HasFlag(requirement.Required))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

public static class PermissionEndpointExtensions
{
    /// <summary>Declares the permission an endpoint needs; 401 without a valid token, 403 without the permission.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, Permissions permission)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(permission)))
            .WithMetadata(new RequiredPermissionMetadata(permission));
}

/// <summary>Lets tests and documentation enumerate which permission each endpoint requires.</summary>
public sealed record RequiredPermissionMetadata(Permissions Permission);
