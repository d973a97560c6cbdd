using HealthAssist.Api.Assessments;
using HealthAssist.Api.Audit;
using HealthAssist.Api.CdsHooks;
using HealthAssist.Api.Ehr;
using HealthAssist.Api.Configuration;
using HealthAssist.Api.Errors;
using HealthAssist.Api.Fhir;
using HealthAssist.Api.Health;
using HealthAssist.Api.Models;
using HealthAssist.Api.Observability;
using HealthAssist.Api.Security;

namespace HealthAssist.Api;

/// <summary>The composition root, read as a table of contents. Used by <c>Program</c> and by <c>healthassist serve</c>.</summary>
public static class HealthAssistApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddHealthAssistOptions();
        builder.AddObservability();
        builder.AddKeyMaterial();
        builder.AddStorage();
        builder.AddAuthenticationAndPermissions();
        builder.AddErrorResponses();
        builder.AddHealthChecks();
        builder.AddAuditTrail();
        builder.AddAssessments();
        builder.AddEhrIntegration();
        builder.AddCdsHooks();
        builder.AddApiDocumentation();

        var app = builder.Build();

        app.UseErrorResponses();
        app.UseRequestBodyLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapHealthApi();
        app.MapApiDocumentation();
        app.MapFhirApi();
        app.MapAuditApi();
        app.MapAssessmentApi();
        app.MapCdsHooksApi();
        app.MapModelCardsApi();

        return app;
    }
}
