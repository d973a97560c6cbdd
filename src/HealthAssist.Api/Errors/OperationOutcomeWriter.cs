using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using static Hl7.Fhir.Model.OperationOutcome;

namespace HealthAssist.Api.Errors;

/// <summary>Writes every error on <c>/fhir/*</c> as a FHIR R4 OperationOutcome instead of ProblemDetails.</summary>
internal sealed class OperationOutcomeWriter : IProblemDetailsWriter
{
    private static readonly FhirJsonSerializer Serializer = new();

    public bool CanWrite(ProblemDetailsContext context) => IsFhirRequest(context.HttpContext.Request);

    public static bool IsFhirRequest(HttpRequest request) => request.Path.StartsWithSegments("/fhir", StringComparison.OrdinalIgnoreCase);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        var issue = new IssueComponent
        {
            Severity = status >= 500 ? IssueSeverity.Fatal : IssueSeverity.Error,
            Code = IssueTypeFor(status),
            Diagnostics = context.ProblemDetails.Detail ?? context.ProblemDetails.Title ?? Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
        };
        if (context.ProblemDetails.Extensions.TryGetValue("location", out var location) && location is string where)
        {
            issue.Expression = [where];
        }

        if (context.ProblemDetails.Extensions.TryGetValue("traceId", out var traceId) && traceId is string trace)
        {
            issue.Diagnostics += $" (trace id {trace})";
        }

        var outcome = new OperationOutcome { Issue = [issue] };
        context.HttpContext.Response.ContentType = "application/fhir+json; charset=utf-8";
        return new ValueTask(context.HttpContext.Response.WriteAsync(Serializer.SerializeToString(outcome)));
    }

    private static IssueType IssueTypeFor(int status) => status switch
    {
        400 or 422 => IssueType.Invalid,
        401 => IssueType.Login,
        403 => IssueType.Forbidden,
        404 => IssueType.NotFound,
        405 or 406 or 415 => IssueType.NotSupported,
        413 => IssueType.TooCostly,
        429 => IssueType.Throttled,
        503 => IssueType.Transient,
        _ => IssueType.Exception,
    };
}
