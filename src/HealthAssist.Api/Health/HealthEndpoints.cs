using System.Text.Json;
using HealthAssist.Security;
using HealthAssist.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthAssist.Api.Health;

public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static void AddHealthChecks(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("database", tags: [ReadyTag])
            .AddCheck<KeyMaterialCheck>("keys", tags: [ReadyTag])
            .AddCheck<HealthAssist.Api.Models.ModelServing.ReadyCheck>("models", tags: [ReadyTag]);
        builder.Services.AddSingleton<HealthAssist.Api.Models.ModelServing>();
    }

    public static void MapHealthApi(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous().WithTags("Health");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .AllowAnonymous().WithTags("Health");
    }

    // Anyone may ask, so the answer has names and statuses only; why a check failed (paths, counts) goes to the log.
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HealthAssist.Health");
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
        {
            logger.LogWarning("Readiness check {Check} is {Status}: {Reason}", name, entry.Status, entry.Description);
        }

        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString() }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }

    private sealed class DatabaseReadyCheck(HealthAssistDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                if (!await db.Database.CanConnectAsync(cancellationToken))
                {
                    return HealthCheckResult.Unhealthy("Database unreachable.");
                }

                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
                return pending == 0
                    ? HealthCheckResult.Healthy($"{db.Provider} reachable, migrations applied.")
                    : HealthCheckResult.Unhealthy($"{pending} migration(s) not applied; run the script in db/ or enable Storage:MigrateOnStartup.");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy("Database check failed: " + ex.GetType().Name);
            }
        }
    }

    private sealed class KeyMaterialCheck(IServiceProvider services) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var keys = services.GetRequiredService<KeyRing>();
                return Task.FromResult(HealthCheckResult.Healthy($"Deployment secret and audit signing key {keys.AuditSigningKey.KeyId} loaded."));
            }
            catch (Exception ex) when (ex is KeyMaterialException or WeakKeyException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy(ex.Message));
            }
        }
    }
}
