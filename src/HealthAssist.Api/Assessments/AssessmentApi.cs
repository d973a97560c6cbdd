using HealthAssist.Api.Ehr;
using HealthAssist.Api.Fhir;
using HealthAssist.Api.Security;
using HealthAssist.Pipeline;
using HealthAssist.Record.Audit;
using HealthAssist.Security;
using Microsoft.Extensions.Options;

namespace HealthAssist.Api.Assessments;

/// <summary>
/// <c>POST /fhir/$assess</c>: the case inline. The pull variant (<c>/fhir/Patient/{id}/$assess</c>) and CDS Hooks use
/// the same pipeline. The response is the result Bundle (type collection); every error is an OperationOutcome.
/// </summary>
public static partial class AssessmentApi
{
    public static void MapAssessmentApi(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<IOptions<AssessmentOptions>>().Value.MaxRequestBodyBytes;
        var fhir = app.MapGroup("/fhir").WithTags("FHIR");
        fhir.MapPost("/$assess", AssessInline)
            .RequirePermission(Permissions.SubmitAssessment)
            .RequireRateLimiting(AssessmentHosting.InferencePolicy)
            .WithMetadata(new BodySizeLimit(limit))
            .Accepts<string>("application/fhir+json")
            .Produces<string>(StatusCodes.Status200OK, "application/fhir+json")
            .WithSummary("Assess one patient from an inline Parameters resource (record Bundle, DICOM images, WAV recordings)");
        fhir.MapPost("/Patient/{id}/$assess", AssessPulledAsync)
            .RequirePermission(Permissions.SubmitAssessment)
            .RequireRateLimiting(AssessmentHosting.InferencePolicy)
            .Produces<string>(StatusCodes.Status200OK, "application/fhir+json")
            .WithSummary("Assess one patient pulled from the configured EHR (record via FHIR, images via DICOMweb, recordings via Media/Binary)");
        fhir.MapGet("/OperationDefinition/assess", () => FhirApi.FhirJson(AssessOperation.Definition))
            .AllowAnonymous()
            .WithSummary("Definition of the $assess operation");
    }

    private static async Task<IResult> AssessInline(HttpContext http, AssessmentPipeline pipeline, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await ReadFhirBodyAsync(http.Request, cancellationToken);
        var inputs = AssessParameters.Read(body, time.GetUtcNow());
        var outcome = await pipeline.AssessAsync(new AssessmentRequest(inputs, http.User.ToAuditActor(), PurposeOfUse(http), "fhir-inline"), cancellationToken);
        http.Response.Headers["X-HealthAssist-Inference"] = outcome.InferenceId;
        return FhirApi.FhirJson(outcome.Bundle);
    }

    /// <summary>
    /// Pull mode: the EHR is asked for the patient's record, the PACS for the images and the EHR for the recordings. A body,
    /// when sent, may hold an <c>indexTime</c> parameter; what could not be pulled joins the result's warnings.
    /// </summary>
    private static async Task<IResult> AssessPulledAsync(
        string id, HttpContext http, IEhrCaseSource ehr, IOptions<EhrOptions> ehrOptions, AssessmentPipeline pipeline, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!FhirId().IsMatch(id))
        {
            throw new InvalidInputException("The patient id is not a FHIR id (1–64 letters, digits, '-' or '.')", "id");
        }

        var indexTime = time.GetUtcNow();
        if (http.Request.ContentLength > 0)
        {
            var parameters = AssessParameters.Read(await ReadFhirBodyAsync(http.Request, cancellationToken), indexTime, recordRequired: false);
            indexTime = parameters.IndexTime;
        }

        var pulled = await ehr.PullAsync(id, indexTime, cancellationToken);
        var source = ehrOptions.Value.FhirBaseUrl?.GetLeftPart(UriPartial.Path) ?? "ehr";
        var outcome = await pipeline.AssessAsync(new AssessmentRequest(pulled.Inputs, http.User.ToAuditActor(), PurposeOfUse(http), "fhir-pull", source), cancellationToken);
        if (pulled.Warnings.Count > 0 && outcome.Bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.OperationOutcome>().FirstOrDefault() is { } warnings)
        {
            warnings.Issue.AddRange(pulled.Warnings.Select(w => new Hl7.Fhir.Model.OperationOutcome.IssueComponent
            {
                Severity = Hl7.Fhir.Model.OperationOutcome.IssueSeverity.Warning,
                Code = Hl7.Fhir.Model.OperationOutcome.IssueType.Incomplete,
                Diagnostics = w,
            }));
        }

        http.Response.Headers["X-HealthAssist-Inference"] = outcome.InferenceId;
        return FhirApi.FhirJson(outcome.Bundle);
    }

    /// <summary>The body as text; FHIR JSON only (XML is not served).</summary>
    internal static async Task<string> ReadFhirBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is not ("application/fhir+json" or "application/json"))
        {
            throw new InvalidInputException("Send the request as application/fhir+json", "Content-Type") { StatusCode = StatusCodes.Status415UnsupportedMediaType };
        }

        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        return string.IsNullOrWhiteSpace(body) ? throw new InvalidInputException("The request body is empty", "body") : body;
    }

    /// <summary>Treatment unless the caller says otherwise with a known PurposeOfUse code in <c>X-Purpose-Of-Use</c>.</summary>
    internal static string PurposeOfUse(HttpContext http) =>
        http.Request.Headers["X-Purpose-Of-Use"].ToString() is PurposesOfUse.Operations or PurposesOfUse.Research ? http.Request.Headers["X-Purpose-Of-Use"].ToString() : PurposesOfUse.Treatment;

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9.-]{1,64}$")]
    private static partial System.Text.RegularExpressions.Regex FhirId();
}
