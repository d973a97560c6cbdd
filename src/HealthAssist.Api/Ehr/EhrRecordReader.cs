using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HealthAssist.Api.Ehr;

/// <summary>A patient's record as pulled: the Bundle JSON, its resources (Patient first) and what was left out.</summary>
internal sealed record PulledRecord(string BundleJson, IReadOnlyList<JsonObject> Resources, IReadOnlyList<string> Warnings);

/// <summary>
/// Reads a patient's record from the EHR FHIR server: <c>Patient/{id}/$everything</c> where the server supports it,
/// else the Patient and one search per resource type the assessment uses. Every page is followed through its
/// <c>next</c> link (only while that link stays on the server) up to <see cref="EhrOptions.MaxRecordResources"/>.
/// Resources pass through as the server wrote them (the ingest stage reads them tolerantly); the result is one Bundle of
/// type collection with the Patient first.
/// </summary>
internal sealed partial class EhrRecordReader(EhrFhirClient client, EhrOptions options, ILogger logger)
{
    private const string FhirJson = "application/fhir+json, application/json;q=0.9";

    /// <summary>What the fallback searches for, each by <c>patient=</c>.</summary>
    internal static readonly string[] SearchedTypes =
    [
        "Condition", "Observation", "MedicationRequest", "MedicationStatement", "AllergyIntolerance", "Consent",
        "DocumentReference", "ImagingStudy", "Media", "Encounter",
    ];

    /// <summary>An R4 id: letters, digits, '-' and '.', 1–64 characters.</summary>
    public static bool IsFhirId(string? id) => id is not null && FhirIdPattern().IsMatch(id);

    public async Task<PulledRecord> ReadAsync(string patientId, CancellationToken cancellationToken)
    {
        var record = new RecordBuilder(patientId, options.MaxRecordResources, client.BaseAddress);
        var id = Uri.EscapeDataString(patientId);
        var count = options.PageSize.ToString(CultureInfo.InvariantCulture);

        var everything = await GetAsync($"Patient/{id}/$everything?_count={count}", "Patient/{id}/$everything", cancellationToken);
        if (everything.IsSuccess)
        {
            await ReadPagesAsync(everything, "Patient/{id}/$everything", "the record", record, cancellationToken);
            if (!record.HasPatient)
            {
                await ReadPatientAsync(id, record, cancellationToken);
            }
        }
        else if (everything.Status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
                 or HttpStatusCode.MethodNotAllowed or HttpStatusCode.Gone or HttpStatusCode.UnprocessableEntity or HttpStatusCode.NotImplemented)
        {
            // Unsupported operation (or no such patient: the read below tells which).
            LogFallback(logger, (int)everything.Status);
            await ReadPatientAsync(id, record, cancellationToken);
            foreach (var type in SearchedTypes)
            {
                if (record.IsFull)
                {
                    break;
                }

                var route = $"{type}?patient={{id}}";
                var first = await GetAsync($"{type}?patient={id}&_count={count}", route, cancellationToken);
                if (first.IsSuccess)
                {
                    await ReadPagesAsync(first, route, $"{type} resources", record, cancellationToken);
                }
                else if (IsTransient(first.Status))
                {
                    throw EhrFailures.Status(first.Status);
                }
                else
                {
                    // The server does not offer this search (or this client may not use it): the record goes on without.
                    record.Warn(string.Create(CultureInfo.InvariantCulture, $"The EHR did not return {type} resources (it answered {(int)first.Status}); the record goes on without them."));
                }
            }
        }
        else
        {
            throw EhrFailures.Status(everything.Status);
        }

        if (record.Dropped > 0)
        {
            record.Warn(string.Create(CultureInfo.InvariantCulture, $"The record was cut at {options.MaxRecordResources} resources (Ehr:MaxRecordResources); the EHR holds more."));
        }

        if (record.OtherPatients > 0)
        {
            record.Warn("The EHR's answer held another Patient resource; it was left out.");
        }

        return record.Build();
    }

    private async Task ReadPatientAsync(string escapedId, RecordBuilder record, CancellationToken cancellationToken)
    {
        var answer = await GetAsync($"Patient/{escapedId}", "Patient/{id}", cancellationToken);
        if (answer.Status is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            throw new EhrPatientNotFoundException();
        }

        if (!answer.IsSuccess)
        {
            throw EhrFailures.Status(answer.Status);
        }

        var patient = ParseObject(answer.Body, "Patient");
        if (!record.AddPatient(patient))
        {
            throw EhrFailures.Invalid("the Patient it returned has another id");
        }
    }

    private async Task ReadPagesAsync(EhrAnswer first, string route, string what, RecordBuilder record, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var answer = first;
        while (true)
        {
            var bundle = ParseObject(answer.Body, "Bundle");
            if (bundle["entry"] is JsonArray entries)
            {
                foreach (var entry in entries.OfType<JsonObject>())
                {
                    if (entry["search"]?["mode"] is JsonValue mode && mode.GetValueKind() == JsonValueKind.String && mode.GetValue<string>() == "outcome")
                    {
                        continue;
                    }

                    if (entry["resource"] is JsonObject resource)
                    {
                        entry.Remove("resource"); // detach, to hang it in the new Bundle
                        record.Add(resource);
                    }
                }
            }

            if (record.IsFull || NextLink(bundle) is not { } next)
            {
                return;
            }

            if (!Uri.TryCreate(client.BaseAddress, next, out var nextUri) || !client.IsOnServer(nextUri))
            {
                record.Warn($"The EHR's link to the next page of {what} leads off its FHIR server; paging stopped there.");
                return;
            }

            if (!seen.Add(nextUri.AbsoluteUri))
            {
                record.Warn($"The EHR's pages of {what} link in a loop; paging stopped there.");
                return;
            }

            answer = await client.GetAsync(nextUri, FhirJson, route + " (next page)", options.MaxRecordPageBytes, cancellationToken);
            if (!answer.IsSuccess)
            {
                if (IsTransient(answer.Status))
                {
                    throw EhrFailures.Status(answer.Status);
                }

                record.Warn(string.Create(CultureInfo.InvariantCulture, $"The EHR refused a next page of {what} (it answered {(int)answer.Status}); paging stopped there."));
                return;
            }
        }
    }

    private Task<EhrAnswer> GetAsync(string relative, string route, CancellationToken cancellationToken) =>
        client.GetAsync(new Uri(client.BaseAddress, relative), FhirJson, route, options.MaxRecordPageBytes, cancellationToken);

    private static bool IsTransient(HttpStatusCode status) => (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private static string? NextLink(JsonObject bundle) =>
        bundle["link"] is JsonArray links
            ? links.OfType<JsonObject>().Where(l => StringOf(l["relation"]) == "next").Select(l => StringOf(l["url"])).FirstOrDefault(u => !string.IsNullOrEmpty(u))
            : null;

    internal static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>Parses a FHIR JSON resource of the expected type; anything else is an unusable answer (its content is not quoted).</summary>
    private static JsonObject ParseObject(ReadOnlyMemory<byte> body, string resourceType)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            throw EhrFailures.Invalid("not FHIR JSON");
        }

        return node is JsonObject resource && StringOf(resource["resourceType"]) == resourceType
            ? resource
            : throw EhrFailures.Invalid($"not a {resourceType}");
    }

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex FhirIdPattern();

    [LoggerMessage(EventId = 7103, Level = LogLevel.Information, Message = "The EHR answered {Status} to $everything; reading the Patient and searching by type instead")]
    private static partial void LogFallback(ILogger logger, int status);

    /// <summary>Collects resources once each (by type and id), the one Patient first, up to the resource limit.</summary>
    private sealed class RecordBuilder(string patientId, int maxResources, Uri baseAddress)
    {
        private readonly List<JsonObject> _resources = [];
        private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
        private readonly List<string> _warnings = [];
        private JsonObject? _patient;

        public bool HasPatient => _patient is not null;

        public bool IsFull => _resources.Count + (_patient is null ? 0 : 1) >= maxResources;

        public int Dropped { get; private set; }

        public int OtherPatients { get; private set; }

        public void Warn(string warning) => _warnings.Add(warning);

        public bool AddPatient(JsonObject patient)
        {
            if (StringOf(patient["id"]) != patientId)
            {
                return false;
            }

            if (_patient is null && _keys.Add("Patient/" + patientId))
            {
                _patient = patient; // the Patient always goes in, whatever the limit
            }

            return true;
        }

        public void Add(JsonObject resource)
        {
            var type = StringOf(resource["resourceType"]);
            var id = StringOf(resource["id"]);
            if (type is null || type == "OperationOutcome")
            {
                return;
            }

            if (type == "Patient")
            {
                if (!AddPatient(resource))
                {
                    OtherPatients++; // e.g. a linked record: the case is one patient's
                }

                return;
            }

            if (id is not null && _keys.Contains($"{type}/{id}"))
            {
                return;
            }

            if (IsFull)
            {
                Dropped++;
                return;
            }

            if (id is not null)
            {
                _keys.Add($"{type}/{id}");
            }

            _resources.Add(resource);
        }

        public PulledRecord Build()
        {
            var all = new List<JsonObject>(_resources.Count + 1);
            all.Add(_patient ?? throw EhrFailures.Invalid("the record holds no Patient"));
            all.AddRange(_resources);
            var entries = new JsonArray();
            foreach (var resource in all)
            {
                var entry = new JsonObject();
                if (StringOf(resource["id"]) is { } id && IsFhirId(id))
                {
                    entry["fullUrl"] = new Uri(baseAddress, $"{StringOf(resource["resourceType"])}/{id}").AbsoluteUri;
                }

                entry["resource"] = resource;
                entries.Add(entry);
            }

            var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = entries };
            return new PulledRecord(bundle.ToJsonString(), all, _warnings);
        }
    }
}
