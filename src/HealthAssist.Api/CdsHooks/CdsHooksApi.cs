using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthAssist.Api.Assessments;
using HealthAssist.Api.CdsHooks.Authentication;
using HealthAssist.Api.Ehr;
using HealthAssist.Deidentify;
using HealthAssist.Ingest.Fhir;
using HealthAssist.Pipeline;
using HealthAssist.Record.Audit;
using HealthAssist.Security;
using HealthAssist.Storage;
using HealthAssist.Storage.Assessments;
using HealthAssist.Storage.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HealthAssist.Api.CdsHooks;

public sealed class CdsHooksServiceOptions
{
    /// <summary>
    /// This service's public base URL as the EHR calls it (e.g. https://cds.example.org), used for the exact <c>aud</c>
    /// check and for links in cards. When unset, the request's own scheme and host are used (fine without a proxy).
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }
}

/// <summary>
/// CDS Hooks 2.0: discovery, the <c>patient-view</c> service and feedback. Requests are authenticated with the EHR's
/// own JWT (<see cref="CdsHooksTokenValidator"/>), not the portal's bearer tokens. The service uses the prefetch when
/// the EHR sends it (the record only — binaries are not prefetchable) and otherwise pulls the whole case (record,
/// images, recordings) from the configured EHR; when neither gives the patient it answers 412.
/// </summary>
/// <summary>Marks endpoints that authenticate the calling EHR by its CDS Hooks JWT instead of the bearer-token roles.</summary>
public sealed class CdsClientAuthenticationMetadata
{
    public static CdsClientAuthenticationMetadata Instance { get; } = new();
}

public static class CdsHooksApi
{
    public const string PatientViewServiceId = "healthassist-patient-view";

    private static readonly IReadOnlyDictionary<string, string> Prefetch = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["patient"] = "Patient/{{context.patientId}}",
        ["conditions"] = "Condition?patient={{context.patientId}}",
        ["observations"] = "Observation?patient={{context.patientId}}&_sort=-date&_count=500",
        ["medications"] = "MedicationRequest?patient={{context.patientId}}",
        ["allergies"] = "AllergyIntolerance?patient={{context.patientId}}",
        ["consents"] = "Consent?patient={{context.patientId}}",
        ["notes"] = "DocumentReference?patient={{context.patientId}}",
    };

    public static void AddCdsHooks(this WebApplicationBuilder builder)
    {
        builder.AddCdsHooksAuthentication();
        builder.Services.AddOptions<CdsHooksServiceOptions>().BindConfiguration(CdsHooksAuthOptions.Section);
    }

    public static void MapCdsHooksApi(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<IOptions<AssessmentOptions>>().Value.MaxRequestBodyBytes;
        var cds = app.MapGroup("/cds-services").WithTags("CDS Hooks").AllowAnonymous(); // authenticated by the EHR's JWT below
        cds.MapGet("/", Discovery).WithSummary("CDS Hooks discovery");
        cds.MapPost("/{id}", PatientViewAsync)
            .WithMetadata(CdsClientAuthenticationMetadata.Instance)
            .RequireRateLimiting(AssessmentHosting.InferencePolicy)
            .WithMetadata(new BodySizeLimit(limit))
            .WithSummary("patient-view: suggestions, draft orders and risks as cards");
        cds.MapPost("/{id}/feedback", FeedbackAsync)
            .WithMetadata(CdsClientAuthenticationMetadata.Instance).WithSummary("Feedback on cards (accepted, or overridden with a reason), audited");
    }

    private static JsonHttpResult<JsonObject> Discovery() => TypedResults.Json(new JsonObject
    {
        ["services"] = new JsonArray(new JsonObject
        {
            ["hook"] = "patient-view",
            ["id"] = PatientViewServiceId,
            ["title"] = "HealthAssist multimodal assessment",
            ["description"] = "Provisional diagnosis suggestions, draft orders and outcome risks from the record (and images and recordings when pulled). Demonstration models, not for clinical use.",
            ["prefetch"] = new JsonObject([.. Prefetch.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))]),
            ["usageRequirements"] = "Sign requests with a key the HealthAssist operator has allow-listed (CDS Hooks JWT).",
        }),
    });

    private static async Task<IResult> PatientViewAsync(
        string id, HttpContext http, CdsHooksTokenValidator validator, IServiceProvider services, IEhrCaseSource ehr, TimeProvider time,
        IOptions<CdsHooksServiceOptions> options, CancellationToken cancellationToken)
    {
        if (id != PatientViewServiceId)
        {
            return Problem(StatusCodes.Status404NotFound, "Unknown CDS service", $"This server offers {PatientViewServiceId} only.");
        }

        var baseUrl = BaseUrl(http, options.Value);
        var client = await AuthenticateAsync(http, validator, baseUrl, cancellationToken);
        if (client.Failure is { } failure)
        {
            return Unauthenticated(http, failure);
        }

        var request = await ReadJsonAsync(http, cancellationToken);
        if (request["hook"]?.GetValue<string>() != "patient-view")
        {
            return Problem(StatusCodes.Status400BadRequest, "Unsupported hook", "This service answers the patient-view hook.");
        }

        var patientId = request["context"]?["patientId"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(patientId))
        {
            return Problem(StatusCodes.Status400BadRequest, "Missing context", "context.patientId is required.");
        }

        var now = time.GetUtcNow();
        CaseInputs? inputs = FromPrefetch(request["prefetch"] as JsonObject, now);
        var warnings = new List<string>();
        if (inputs is null)
        {
            try
            {
                var pulled = await ehr.PullAsync(patientId, now, cancellationToken);
                inputs = pulled.Inputs;
                warnings.AddRange(pulled.Warnings);
            }
            catch (Exception ex) when (ex is EhrNotConfiguredException or EhrUnavailableException or EhrPatientNotFoundException)
            {
                return Problem(StatusCodes.Status412PreconditionFailed, "Required data unavailable",
                    "The prefetch did not include the patient and the record could not be fetched from the EHR.");
            }
        }

        var pipeline = services.GetRequiredService<AssessmentPipeline>();
        var actor = new AuditActor($"cds:{client.Client!.Issuer}#{client.Client.Subject}", "system", [Roles.EhrSystem]);
        var outcome = await pipeline.AssessAsync(new AssessmentRequest(inputs, actor, PurposesOfUse.Treatment, "cds-hooks", client.Client.Issuer), cancellationToken);
        var cards = CdsCards.Build(outcome, $"{baseUrl}/portal/assessments/{outcome.InferenceId}", (name, version) => $"{baseUrl}/models/{name}/{version}/card.md");
        http.Response.Headers["X-HealthAssist-Inference"] = outcome.InferenceId;
        return TypedResults.Json(new JsonObject { ["cards"] = cards });
    }

    private static async Task<IResult> FeedbackAsync(
        string id, HttpContext http, CdsHooksTokenValidator validator, HealthAssistDbContext db, IAuditTrail audit, IOptions<CdsHooksServiceOptions> options,
        CancellationToken cancellationToken)
    {
        if (id != PatientViewServiceId)
        {
            return Problem(StatusCodes.Status404NotFound, "Unknown CDS service", $"This server offers {PatientViewServiceId} only.");
        }

        var client = await AuthenticateAsync(http, validator, BaseUrl(http, options.Value), cancellationToken);
        if (client.Failure is { } failure)
        {
            return Unauthenticated(http, failure);
        }

        var body = await ReadJsonAsync(http, cancellationToken);
        if (body["feedback"] is not JsonArray { Count: > 0 } items)
        {
            return Problem(StatusCodes.Status400BadRequest, "No feedback", "The body needs a non-empty feedback array.");
        }

        var records = new List<AuditRecord>();
        var actor = new AuditActor($"cds:{client.Client!.Issuer}#{client.Client.Subject}", "system", [Roles.EhrSystem]);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] as JsonObject;
            var card = item?["card"]?.GetValue<string>();
            var outcome = item?["outcome"]?.GetValue<string>();
            if (card is null || outcome is not ("accepted" or "overridden"))
            {
                return Problem(StatusCodes.Status400BadRequest, "Invalid feedback", $"feedback[{i}] needs a card uuid and an outcome of accepted or overridden.");
            }

            var found = await db.Set<AssessmentHandle>().AsNoTracking().Where(h => h.Handle == card)
                .Join(db.Set<StoredAssessment>().AsNoTracking(), h => h.InferenceId, a => a.InferenceId,
                    (h, a) => new { h.InferenceId, h.Part, a.PatientPseudonym, a.AuditSequence })
                .FirstOrDefaultAsync(cancellationToken);
            if (found is null)
            {
                return Problem(StatusCodes.Status404NotFound, "Unknown card", $"feedback[{i}].card is not a card this service issued.");
            }

            var reason = item!["overrideReason"]?["reason"];
            if (outcome == "overridden" && reason?["code"]?.GetValue<string>() is { } code && CdsCards.OverrideReasons.All(r => r.Code != code))
            {
                return Problem(StatusCodes.Status400BadRequest, "Invalid feedback", $"feedback[{i}].overrideReason is not one of the card's override reasons.");
            }

            // The comment is free text a clinician typed: it may name the patient, so only its hash and length are kept.
            var comment = item["overrideReason"]?["userComment"]?.GetValue<string>();
            var payload = new JsonObject
            {
                ["inferenceId"] = found.InferenceId,
                ["part"] = found.Part,
                ["card"] = card,
                ["outcome"] = outcome,
                ["acceptedSuggestions"] = new JsonArray([.. (item["acceptedSuggestions"] as JsonArray ?? []).Select(s => (JsonNode?)JsonValue.Create(s?["id"]?.GetValue<string>()))]),
                ["overrideReason"] = reason?["code"]?.GetValue<string>(),
                ["userCommentSha256"] = comment is null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(comment))),
                ["userCommentLength"] = comment?.Length,
                ["outcomeTimestamp"] = item["outcomeTimestamp"]?.GetValue<string>(),
                ["assessmentAuditSequence"] = found.AuditSequence,
            };
            records.Add(new AuditRecord(AuditEventTypes.CdsFeedback, actor, PurposesOfUse.Treatment, PatientPseudonym.TryParse(found.PatientPseudonym, out var pseudonym) ? pseudonym : null,
                payload.ToJsonString(JsonSerializerOptions.Web)));
        }

        try
        {
            await audit.AppendAsync(records, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new Audit.AuditUnavailableException(AuditEventTypes.CdsFeedback, ex);
        }

        return TypedResults.Ok();
    }

    /// <summary>The record from the prefetch, or null when the prefetch lacks the patient (the caller then pulls).</summary>
    private static CaseInputs? FromPrefetch(JsonObject? prefetch, DateTimeOffset now)
    {
        if (prefetch?["patient"] is not JsonObject)
        {
            return null;
        }

        var bundle = new Bundle { Type = Bundle.BundleType.Collection };
        foreach (var (key, value) in prefetch)
        {
            if (value is not JsonObject json)
            {
                continue; // the EHR could not prefetch this one (null): the assessment goes on without it
            }

            var resource = FhirRecordReader.ReadResourceJson(json.ToJsonString(), $"prefetch.{key}", out var issues)
                ?? throw new InvalidInputException(issues.First(i => i.IsError).Message, $"prefetch.{key}");
            if (resource is Bundle { Type: Bundle.BundleType.Searchset or Bundle.BundleType.Collection } found)
            {
                bundle.Entry.AddRange(found.Entry.Where(e => e.Resource is not null && e.Search?.Mode != Bundle.SearchEntryMode.Outcome)
                    .Select(e => new Bundle.EntryComponent { FullUrl = e.FullUrl, Resource = e.Resource }));
            }
            else
            {
                bundle.Entry.Add(new Bundle.EntryComponent { Resource = resource });
            }
        }

        return new CaseInputs(new FhirJsonSerializer().SerializeToString(bundle), [], [], now);
    }

    private static async Task<CdsTokenValidation> AuthenticateAsync(HttpContext http, CdsHooksTokenValidator validator, string baseUrl, CancellationToken cancellationToken) =>
        await validator.ValidateAsync(http.Request.Headers.Authorization.ToString(), baseUrl + http.Request.Path.Value, cancellationToken);

    private static async Task<JsonObject> ReadJsonAsync(HttpContext http, CancellationToken cancellationToken) =>
        await JsonSerializer.DeserializeAsync<JsonObject>(http.Request.Body, JsonSerializerOptions.Web, cancellationToken)
            ?? throw new InvalidInputException("The request body is empty", "body");

    private static string BaseUrl(HttpContext http, CdsHooksServiceOptions options) =>
        options.PublicBaseUrl is { } configured ? configured.GetLeftPart(UriPartial.Authority) + configured.AbsolutePath.TrimEnd('/') : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";

    /// <summary>401, logged with the validator's reason (a fixed phrase that never quotes the token).</summary>
    private static ProblemHttpResult Unauthenticated(HttpContext http, string failure)
    {
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HealthAssist.CdsHooks")
            .LogWarning("CDS Hooks call refused: {Reason}", failure);
        return Problem(StatusCodes.Status401Unauthorized, "CDS client not authenticated", failure);
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(detail, statusCode: status, title: title);
}
