using System.Text.Json;
using System.Text.Json.Nodes;
using HealthAssist.Api.Security;
using HealthAssist.Deidentify;
using HealthAssist.Record.Audit;
using HealthAssist.Storage.Audit;

namespace HealthAssist.Api.Audit;

/// <summary>What an endpoint declares about the audit entry its calls produce.</summary>
public sealed record AuditedEndpointMetadata(string EventType, string PurposeOfUse);

/// <summary>
/// Per-request details a handler adds to its audit entry (counts, filters, the patient concerned).
/// Never put PHI here: the patient is a pseudonym and the payload is stored in the trail.
/// </summary>
public sealed class AuditDetails
{
    public JsonObject Payload { get; } = [];

    public PatientPseudonym? Patient { get; set; }

    /// <summary>
    /// Set when appending would alter evidence (verifying a damaged trail): the call is logged instead of recorded,
    /// exactly as <c>healthassist audit verify</c> does.
    /// </summary>
    public string? NotRecordedBecause { get; set; }
}

/// <summary>The audit entry for a result could not be committed, so the result is withheld (fail closed).</summary>
public sealed class AuditUnavailableException(string eventType, Exception innerException)
    : Exception($"The result was withheld because its audit entry ({eventType}) could not be recorded.", innerException);

public static class AuditedEndpoints
{
    /// <summary>
    /// Declares that every successful call writes an audit entry of <paramref name="eventType"/> before the response
    /// leaves. If the entry cannot be committed the caller gets an error instead of the result (fail closed).
    /// </summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string eventType, string purposeOfUse)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new AuditedEndpointMetadata(eventType, purposeOfUse));
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
            var details = http.RequestServices.GetRequiredService<AuditDetails>();
            if (details.NotRecordedBecause is { } reason)
            {
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HealthAssist.Audit")
                    .LogWarning("{EventType} by {Actor} not recorded in the audit trail: {Reason}", eventType, http.User.ToAuditActor().Subject, reason);
                return result;
            }

            var payload = new JsonObject
            {
                ["method"] = http.Request.Method,
                ["route"] = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText,
                ["status"] = status,
                ["details"] = details.Payload.DeepClone(),
            };
            var record = new AuditRecord(
                eventType,
                http.User.ToAuditActor(),
                purposeOfUse,
                details.Patient,
                payload.ToJsonString(JsonSerializerOptions.Web),
                status < 400 ? AuditOutcomes.Success : AuditOutcomes.MinorFailure);
            try
            {
                await http.RequestServices.GetRequiredService<IAuditTrail>().AppendAsync(record, http.RequestAborted);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new AuditUnavailableException(eventType, ex);
            }

            return result;
        });
        return builder;
    }
}
