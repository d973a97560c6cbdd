using HealthAssist.Security;
using HealthAssist.Storage.Audit;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HealthAssist.Api.Observability;

public static class ObservabilitySetup
{
    public const string ServiceName = "healthassist";

    /// <summary>
    /// JSON logs with redaction (PHI-classified values are erased before any provider sees them), and
    /// OpenTelemetry traces and metrics, exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
    /// </summary>
    public static void AddObservability(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.IncludeScopes = false; // scopes carry request paths, which can hold identifiers
        });
        builder.Logging.EnableRedaction();
        builder.Services.AddRedaction(redaction =>
        {
            redaction.SetRedactor<ErasingRedactor>(new DataClassificationSet(HealthAssistTaxonomy.Phi));
            redaction.SetRedactor<NullRedactor>(new DataClassificationSet(HealthAssistTaxonomy.Pseudonymous));
            redaction.SetFallbackRedactor<ErasingRedactor>();
        });

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal);
                    // Paths and queries can carry patient identifiers (/fhir/Patient/{id}): keep only the route template.
                    o.EnrichWithHttpResponse = (activity, response) =>
                    {
                        activity.SetTag("url.path", (response.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)");
                        activity.SetTag("url.query", null);
                    };
                })
                .AddHttpClientInstrumentation()
                .AddSource(AuditTrail.ActivitySource.Name))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("HealthAssist.*"));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }
    }
}
