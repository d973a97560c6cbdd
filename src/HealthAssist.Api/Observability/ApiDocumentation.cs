using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace HealthAssist.Api.Observability;

public static class ApiDocumentation
{
    public static void AddApiDocumentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "HealthAssist",
                Version = "v1",
                Description = "Clinical decision support: FHIR $assess, CDS Hooks, review, audit and studies. Demonstration models, not for clinical use.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "Entra ID access token, or in Development: healthassist token --role ROLE",
            };
            return Task.CompletedTask;
        }));
    }

    /// <summary>/openapi/v1.json and a browsable reference at /scalar/v1.</summary>
    public static void MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference().AllowAnonymous();
    }
}
