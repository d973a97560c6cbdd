using System.Reflection;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace HealthAssist.Api.Fhir;

public static class FhirApi
{
    private static readonly FhirJsonSerializer Serializer = new();

    public static void MapFhirApi(this WebApplication app)
    {
        var fhir = app.MapGroup("/fhir").WithTags("FHIR");
        fhir.MapGet("/metadata", (TimeProvider time) => FhirJson(BuildCapabilityStatement(time)))
            .AllowAnonymous()
            .WithSummary("CapabilityStatement of this FHIR R4 endpoint");
    }

    internal static IResult FhirJson(Resource resource, int status = StatusCodes.Status200OK) =>
        TypedResults.Text(Serializer.SerializeToString(resource), "application/fhir+json; charset=utf-8", statusCode: status);

    private static CapabilityStatement BuildCapabilityStatement(TimeProvider time)
    {
        var version = typeof(FhirApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        return new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            Date = time.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "HealthAssist", Version = version },
            Implementation = new CapabilityStatement.ImplementationComponent
            {
                Description = "HealthAssist clinical decision support (demonstration models, not for clinical use)",
            },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["application/fhir+json"],
            Rest =
            [
                new CapabilityStatement.RestComponent
                {
                    Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                    Security = new CapabilityStatement.SecurityComponent
                    {
                        Service = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "OAuth", "OAuth")],
                        Description = "Bearer tokens from Microsoft Entra ID (development: locally issued JWTs).",
                    },
                    Operation = [new CapabilityStatement.OperationComponent { Name = "assess", Definition = Assessments.AssessOperation.Canonical }],
                    Resource =
                    [
                        new CapabilityStatement.ResourceComponent
                        {
                            Type = "Patient",
                            Operation = [new CapabilityStatement.OperationComponent { Name = "assess", Definition = Assessments.AssessOperation.Canonical }],
                        },
                        new CapabilityStatement.ResourceComponent
                        {
                            Type = "OperationDefinition",
                            Interaction = [new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read }],
                        },
                    ],
                },
            ],
        };
    }
}
