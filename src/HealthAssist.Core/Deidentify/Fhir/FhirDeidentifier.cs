using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HealthAssist.Deidentify.Notes;
using HealthAssist.Security;

namespace HealthAssist.Deidentify.Fhir;

/// <summary>Counts of what de-identification did, by rule and resource type; never values.</summary>
public sealed class FhirDeidentificationReport
{
    public SortedDictionary<string, int> Actions { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> RemovedResourceTypes { get; } = new(StringComparer.Ordinal);

    public int ResourcesIn { get; set; }

    public int ResourcesOut { get; set; }

    internal void Count(string key) => Actions[key] = Actions.GetValueOrDefault(key) + 1;
}

/// <summary>
/// Allow-list de-identification of FHIR R4 JSON by a <see cref="FhirDeidentificationProfile"/>: what the profile does
/// not name is removed; dates move by the patient's offset (<see cref="PatientKeys"/>), ids and references become
/// pseudonyms consistent across resources and modalities, ZIP codes keep three digits, ages over 89 become 90.
/// Works on JSON (not the SDK's object model) so unknown elements can never slip through a typed model.
/// </summary>
public sealed partial class FhirDeidentifier(FhirDeidentificationProfile profile, DeploymentSecret secret)
{
    private const string UnknownSystem = "urn:healthassist:fhir-resource-id";
    private readonly NoteDeidentifier _notes = new(secret);
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>De-identifies a Bundle or a single resource (JSON text).</summary>
    public (string Json, FhirDeidentificationReport Report) Deidentify(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var report = new FhirDeidentificationReport();
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json.TrimStart('\uFEFF')) as JsonObject ?? throw new InvalidInputException("FHIR JSON must be an object", "$");
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException($"Not valid JSON (line {ex.LineNumber}, byte {ex.BytePositionInLine})", "$");
        }

        var resources = root["resourceType"]?.GetValue<string>() == "Bundle"
            ? root["entry"]?.AsArray().Select(e => e?["resource"]).OfType<JsonObject>().ToList() ?? []
            : [root];
        var keys = KeysByPatient(resources);
        var notes = NoteContexts(resources);
        foreach (var entry in root["entry"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            // A Bundle may refer to its Patient by fullUrl (urn:uuid) rather than Patient/id: same patient, same keys.
            if (entry["resource"]?["resourceType"]?.GetValue<string>() == "Patient" && entry["fullUrl"]?.GetValue<string>() is { } fullUrl
                && keys.TryGetValue($"Patient/{entry["resource"]!["id"]?.GetValue<string>()}", out var patientKeys))
            {
                keys[fullUrl] = patientKeys;
                notes[fullUrl] = notes[$"Patient/{entry["resource"]!["id"]?.GetValue<string>()}"];
            }
        }

        var latest = LatestDate(root);
        var output = root["resourceType"]?.GetValue<string>() == "Bundle" ? Bundle(root, keys, notes, latest, report) : Resource(root, keys, notes, latest, report);
        return (output?.ToJsonString(Compact) ?? "{}", report);
    }

    /// <summary>De-identifies NDJSON lines of one bulk export (all files together, so patients link across files).</summary>
    public IReadOnlyList<(string Type, string Json)> DeidentifyBulk(IEnumerable<string> lines, FhirDeidentificationReport report)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(report);
        var resources = lines.Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l.TrimStart('\uFEFF')) as JsonObject).OfType<JsonObject>().ToList();
        var keys = KeysByPatient(resources);
        var notes = NoteContexts(resources);
        var output = new List<(string, string)>();
        foreach (var resource in resources)
        {
            var latest = LatestDate(resource);
            if (Resource(resource, keys, notes, latest, report) is { } clean)
            {
                output.Add((clean["resourceType"]!.GetValue<string>(), clean.ToJsonString(Compact)));
            }
        }

        return output;
    }

    /// <summary>The keys of each patient: from the MRN (or first identifier) of every Patient resource, else its id.</summary>
    public Dictionary<string, PatientKeys> KeysByPatient(IEnumerable<JsonObject> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var keys = new Dictionary<string, PatientKeys>(StringComparer.Ordinal);
        foreach (var patient in resources.Where(r => r["resourceType"]?.GetValue<string>() == "Patient"))
        {
            var id = patient["id"]?.GetValue<string>() ?? string.Empty;
            var identifiers = patient["identifier"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
            var mrn = identifiers.FirstOrDefault(i => i["type"]?["coding"]?.AsArray().Any(c => c?["code"]?.GetValue<string>() == "MR") == true) ?? identifiers.FirstOrDefault();
            var system = mrn?["system"]?.GetValue<string>();
            var value = mrn?["value"]?.GetValue<string>();
            keys[$"Patient/{id}"] = value is null ? PatientKeys.Derive(secret, UnknownSystem, $"Patient/{id}") : PatientKeys.Derive(secret, system ?? UnknownSystem, value);
        }

        return keys;
    }

    /// <summary>
    /// What the structured record already says about each patient (names, identifiers, address, telecom, contacts),
    /// which the note scrubber searches for verbatim in free text.
    /// </summary>
    public static Dictionary<string, NoteContext> NoteContexts(IEnumerable<JsonObject> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var contexts = new Dictionary<string, NoteContext>(StringComparer.Ordinal);
        foreach (var patient in resources.Where(r => r["resourceType"]?.GetValue<string>() == "Patient"))
        {
            static IEnumerable<string> Strings(JsonNode? node, string name) => node switch
            {
                JsonArray array => array.SelectMany(item => Strings(item, name)),
                JsonObject obj when obj[name] is JsonArray values => values.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var item) ? item : null).OfType<string>(),
                JsonObject obj when obj[name] is JsonValue value && value.TryGetValue<string>(out var text) => [text],
                _ => [],
            };

            var telecom = patient["telecom"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
            string[] Telecom(string system) => [.. telecom.Where(t => t["system"]?.GetValue<string>() == system).SelectMany(t => Strings(t, "value"))];
            var contacts = patient["contact"]?.AsArray().OfType<JsonObject>().Select(c => c["name"]).ToList() ?? [];
            contexts[$"Patient/{patient["id"]?.GetValue<string>()}"] = new NoteContext
            {
                GivenNames = [.. Strings(patient["name"], "given")],
                FamilyNames = [.. Strings(patient["name"], "family")],
                RelativeNames = [.. contacts.SelectMany(n => Strings(n, "given").Concat(Strings(n, "family")))],
                Identifiers = [.. Strings(patient["identifier"], "value")],
                AddressLines = [.. Strings(patient["address"], "line")],
                Cities = [.. Strings(patient["address"], "city")],
                PostalCodes = [.. Strings(patient["address"], "postalCode")],
                Phones = Telecom("phone"),
                Emails = Telecom("email"),
                BirthDate = DateOnly.TryParseExact(patient["birthDate"]?.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth) ? birth : null,
            };
        }

        return contexts;
    }

    private JsonObject Bundle(JsonObject bundle, Dictionary<string, PatientKeys> keys, Dictionary<string, NoteContext> notes, DateTimeOffset? latest, FhirDeidentificationReport report)
    {
        var output = new JsonObject { ["resourceType"] = "Bundle" };
        if (bundle["id"]?.GetValue<string>() is { } id)
        {
            output["id"] = PseudonymousId("Bundle", id);
        }

        if (bundle["type"] is { } type)
        {
            output["type"] = type.DeepClone();
        }

        var entries = new JsonArray();
        var shiftKeys = keys.Count == 1 ? keys.Values.First() : null;
        if (bundle["timestamp"]?.GetValue<string>() is { } timestamp && shiftKeys is not null)
        {
            output["timestamp"] = ShiftDate(timestamp, shiftKeys);
        }

        foreach (var entry in bundle["entry"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if (entry["resource"] is not JsonObject resource || Resource(resource, keys, notes, latest, report) is not { } clean)
            {
                continue;
            }

            var cleanEntry = new JsonObject();
            if (entry["fullUrl"]?.GetValue<string>() is { } fullUrl)
            {
                var mapped = MapReference(fullUrl);
                cleanEntry["fullUrl"] = mapped.StartsWith("urn:", StringComparison.Ordinal) ? mapped : Urn(mapped);
            }

            cleanEntry["resource"] = clean;
            if (entry["request"] is JsonObject request)
            {
                cleanEntry["request"] = new JsonObject { ["method"] = request["method"]?.DeepClone(), ["url"] = clean["resourceType"]!.GetValue<string>() };
            }

            entries.Add(cleanEntry);
        }

        output["entry"] = entries;
        return output;
    }

    private JsonObject? Resource(JsonObject resource, Dictionary<string, PatientKeys> keys, Dictionary<string, NoteContext> notes, DateTimeOffset? latest, FhirDeidentificationReport report)
    {
        report.ResourcesIn++;
        var type = resource["resourceType"]?.GetValue<string>() ?? "(none)";
        if (!profile.Resources.TryGetValue(type, out var rules))
        {
            report.RemovedResourceTypes[type] = report.RemovedResourceTypes.GetValueOrDefault(type) + 1;
            return null;
        }

        var patient = type == "Patient" ? $"Patient/{resource["id"]?.GetValue<string>()}" : PatientReference(resource);
        var patientKeys = patient is not null && keys.TryGetValue(patient, out var found) ? found
            : patient is not null ? PatientKeys.Derive(secret, UnknownSystem, patient)
            : PatientKeys.Derive(secret, UnknownSystem, "no-patient");
        var noteContext = patient is not null ? notes.GetValueOrDefault(patient) : null;
        var output = new JsonObject { ["resourceType"] = type };
        foreach (var (name, value) in Apply(resource, rules, type, patientKeys, noteContext, latest, report))
        {
            output[name] = value;
        }

        report.ResourcesOut++;
        return output;
    }

    private static string? PatientReference(JsonObject resource)
    {
        foreach (var field in new[] { "subject", "patient" })
        {
            if (resource[field]?["reference"]?.GetValue<string>() is { } reference)
            {
                var parts = reference.Split('/');
                return parts.Length >= 2 && parts[^2] == "Patient" ? $"Patient/{parts[^1]}" : reference;
            }
        }

        return null;
    }

    private List<(string Name, JsonNode? Value)> Apply(JsonObject source, ProfileNode rules, string path, PatientKeys keys, NoteContext? notes, DateTimeOffset? latest, FhirDeidentificationReport report)
    {
        var result = new List<(string, JsonNode?)>();
        foreach (var (name, value) in source)
        {
            if (name == "resourceType" || value is null)
            {
                continue;
            }

            if (name is "extension" or "modifierExtension" && value is JsonArray extensions)
            {
                var kept = new JsonArray();
                foreach (var extension in extensions.OfType<JsonObject>())
                {
                    var url = extension["url"]?.GetValue<string>();
                    if (url is not null && rules.Children.TryGetValue($"extension({url})", out var rule) && rule.Method is { } method)
                    {
                        kept.Add(Transform(extension, method, keys, notes, latest, path));
                        report.Count($"{path}.extension({url}): {method}");
                    }
                    else
                    {
                        report.Count($"{path}.{name}: removed");
                    }
                }

                if (kept.Count > 0)
                {
                    result.Add((name, kept));
                }

                continue;
            }

            var child = Match(rules, name);
            if (child is null)
            {
                report.Count($"{path}.{name}: removed");
                continue;
            }

            if (child.Method is { } action)
            {
                report.Count($"{path}.{name}: {action}");
                if (Transform(value, action, keys, notes, latest, path) is { } transformed)
                {
                    result.Add((name, transformed));
                }

                continue;
            }

            switch (value)
            {
                case JsonObject nested:
                    var inner = Apply(nested, child, $"{path}.{name}", keys, notes, latest, report);
                    if (inner.Count > 0)
                    {
                        result.Add((name, Object(inner)));
                    }

                    break;
                case JsonArray array:
                    var items = new JsonArray();
                    foreach (var item in array.OfType<JsonObject>())
                    {
                        var cleaned = Apply(item, child, $"{path}.{name}", keys, notes, latest, report);
                        if (cleaned.Count > 0)
                        {
                            items.Add(Object(cleaned));
                        }
                    }

                    if (items.Count > 0)
                    {
                        result.Add((name, items));
                    }

                    break;
                default:
                    report.Count($"{path}.{name}: removed");
                    break;
            }
        }

        return result;
    }

    private static JsonObject Object(List<(string Name, JsonNode? Value)> properties)
    {
        var output = new JsonObject();
        foreach (var (name, value) in properties)
        {
            output[name] = value;
        }

        return output;
    }

    /// <summary>The rule for an element: by name, or by a choice rule <c>base[x]</c> (valueQuantity matches value[x]).</summary>
    private static ProfileNode? Match(ProfileNode rules, string name)
    {
        if (rules.Children.TryGetValue(name, out var exact))
        {
            return exact;
        }

        var bare = name.StartsWith('_') ? name[1..] : name; // primitive extensions follow their element
        if (bare != name && rules.Children.TryGetValue(bare, out var primitive))
        {
            return primitive.Method == FhirDeidentificationMethod.Keep ? primitive : null;
        }

        foreach (var (key, node) in rules.Children)
        {
            if (key.EndsWith("[x]", StringComparison.Ordinal))
            {
                var stem = key[..^3];
                if (bare.Length > stem.Length && bare.StartsWith(stem, StringComparison.Ordinal) && char.IsUpper(bare[stem.Length]))
                {
                    return bare == name || node.Method == FhirDeidentificationMethod.Keep ? node : null;
                }
            }
        }

        return null;
    }

    private JsonNode? Transform(JsonNode value, FhirDeidentificationMethod method, PatientKeys keys, NoteContext? notes, DateTimeOffset? latest, string path) => method switch
    {
        FhirDeidentificationMethod.Keep => value.DeepClone(),
        FhirDeidentificationMethod.Shift => ShiftAll(value.DeepClone(), keys),
        FhirDeidentificationMethod.Reference => References(value),
        FhirDeidentificationMethod.Pseudonymize => value is JsonValue id && id.TryGetValue<string>(out var text) ? PseudonymousId(path.Split('.')[0], text) : null,
        FhirDeidentificationMethod.Zip3 => value is JsonValue zip && zip.TryGetValue<string>(out var code) ? Zip3(code) : null,
        FhirDeidentificationMethod.Birthdate => value is JsonValue date && date.TryGetValue<string>(out var birth) ? BirthDate(birth, keys, latest) : null,
        FhirDeidentificationMethod.Uid => Uids(value.DeepClone(), keys),
        FhirDeidentificationMethod.Scrub => Scrub(value, keys, notes),
        _ => null,
    };

    /// <summary>
    /// Free text through the note scrubber: every string in the subtree, and the decoded body of text attachments
    /// (<c>contentType</c> text/*). Other attachment data (PDF, images) cannot be scrubbed here and is dropped, as are
    /// attachment urls, titles and hashes that would describe or locate the original.
    /// </summary>
    private JsonNode? Scrub(JsonNode? node, PatientKeys keys, NoteContext? notes)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                return _notes.Deidentify(text, keys, notes).Text;
            case JsonObject attachment when attachment.ContainsKey("contentType") || attachment.ContainsKey("data"):
                var contentType = attachment["contentType"]?.GetValue<string>();
                var clean = new JsonObject();
                if (contentType is not null)
                {
                    clean["contentType"] = contentType;
                }

                if (attachment["language"]?.GetValue<string>() is { } language)
                {
                    clean["language"] = language;
                }

                if (contentType?.StartsWith("text/", StringComparison.OrdinalIgnoreCase) == true && attachment["data"]?.GetValue<string>() is { } data)
                {
                    byte[] bytes;
                    try
                    {
                        bytes = Convert.FromBase64String(data);
                    }
                    catch (FormatException)
                    {
                        return null; // undecodable text cannot be checked, so it does not leave
                    }

                    clean["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(_notes.Deidentify(Encoding.UTF8.GetString(bytes), keys, notes).Text));
                }

                return clean.Count > 0 ? clean : null;
            case JsonObject obj:
                var output = new JsonObject();
                foreach (var (name, child) in obj)
                {
                    if (Scrub(child, keys, notes) is { } scrubbed)
                    {
                        output[name] = scrubbed;
                    }
                }

                return output.Count > 0 ? output : null;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array)
                {
                    if (Scrub(item, keys, notes) is { } scrubbed)
                    {
                        items.Add(scrubbed);
                    }
                }

                return items.Count > 0 ? items : null;
            default:
                return node?.DeepClone();
        }
    }

    private JsonNode? References(JsonNode value)
    {
        JsonNode One(JsonObject reference)
        {
            var output = new JsonObject();
            if (reference["reference"]?.GetValue<string>() is { } target)
            {
                output["reference"] = MapReference(target);
            }

            if (reference["type"] is { } type)
            {
                output["type"] = type.DeepClone();
            }

            return output; // display and identifier can carry names and numbers: dropped
        }

        // A reference that had only a display (a name) has nothing left: dropped rather than left empty (ele-1).
        return value switch
        {
            JsonObject reference => One(reference) is JsonObject { Count: > 0 } kept ? kept : null,
            JsonArray array => array.OfType<JsonObject>().Select(One).OfType<JsonObject>().Where(o => o.Count > 0).ToArray() is { Length: > 0 } items ? new JsonArray(items) : null,
            _ => null,
        };
    }

    /// <summary>Type/id, absolute URLs and urn:uuid map to pseudonyms that are the same wherever the target is referenced.</summary>
    private string MapReference(string reference)
    {
        if (reference.StartsWith('#'))
        {
            return reference;
        }

        if (reference.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase))
        {
            return Urn(reference);
        }

        var segments = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var history = Array.IndexOf(segments, "_history");
        if (history >= 2)
        {
            segments = segments[..history];
        }

        return segments.Length >= 2 ? $"{segments[^2]}/{PseudonymousId(segments[^2], segments[^1])}" : Urn(reference);
    }

    /// <summary>The pseudonymous id of Type/id: the same for the resource's own id and every reference to it.</summary>
    private string PseudonymousId(string type, string id) =>
        Convert.ToHexStringLower(secret.Derive("fhir-id", Encoding.UTF8.GetBytes(type + "/" + id)))[..24];

    private string Urn(string value)
    {
        var bytes = secret.Derive("fhir-urn", Encoding.UTF8.GetBytes(value))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return "urn:uuid:" + new Guid(bytes, bigEndian: true).ToString("D");
    }

    private string Zip3(string zip)
    {
        var digits = new string(zip.Where(char.IsAsciiDigit).ToArray());
        return digits.Length < 3 || profile.RestrictedZip3.Contains(digits[..3]) ? "000" : digits[..3];
    }

    private static string BirthDate(string birth, PatientKeys keys, DateTimeOffset? latest)
    {
        var shifted = ShiftDate(birth, keys);
        if (latest is { } reference && DateTimeOffset.TryParse(birth.Length == 4 ? birth + "-01-01" : birth, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var born)
            && reference.Year - born.Year - (reference.DayOfYear < born.DayOfYear ? 1 : 0) > 89)
        {
            // Safe Harbor: ages over 89 are aggregated; the birth year is set so the age is exactly 90 at the record's latest date.
            return (keys.Shift(reference).Year - 90).ToString(CultureInfo.InvariantCulture);
        }

        return shifted;
    }

    private static JsonNode? ShiftAll(JsonNode? node, PatientKeys keys)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var text) && DatePattern().IsMatch(text):
                return ShiftDate(text, keys);
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    obj[name] = ShiftAll(obj[name]?.DeepClone(), keys);
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = ShiftAll(array[i]?.DeepClone(), keys);
                }

                return array;
            default:
                return node;
        }
    }

    private static JsonNode? Uids(JsonNode? node, PatientKeys keys)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                return text.StartsWith("urn:oid:", StringComparison.Ordinal) ? "urn:oid:" + keys.RemapUid(text[8..]) : keys.RemapUid(text);
            case JsonObject identifier:
                var output = new JsonObject();
                if (identifier["system"] is { } system)
                {
                    output["system"] = system.DeepClone();
                }

                if (identifier["value"] is { } uid)
                {
                    output["value"] = Uids(uid.DeepClone(), keys);
                }

                return output;
            case JsonArray array:
                return new JsonArray(array.Select(item => Uids(item?.DeepClone(), keys)).ToArray());
            default:
                return null;
        }
    }

    /// <summary>Shifts a FHIR date, dateTime or instant by the patient's offset, keeping its precision and time zone.</summary>
    internal static string ShiftDate(string text, PatientKeys keys)
    {
        var match = DatePattern().Match(text);
        if (!match.Success)
        {
            return text;
        }

        var year = int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture);
        var month = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 7;
        var day = match.Groups["d"].Success ? int.Parse(match.Groups["d"].Value, CultureInfo.InvariantCulture) : 1;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return string.Empty; // not a real date: dropped rather than passed on unshifted
        }

        var shifted = keys.Shift(new DateOnly(year, month, day));
        var date = !match.Groups["m"].Success ? shifted.ToString("yyyy", CultureInfo.InvariantCulture)
            : !match.Groups["d"].Success ? shifted.ToString("yyyy-MM", CultureInfo.InvariantCulture)
            : shifted.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return date + match.Groups["rest"].Value;
    }

    private static DateTimeOffset? LatestDate(JsonNode root)
    {
        DateTimeOffset? latest = null;
        void Visit(JsonNode? node)
        {
            switch (node)
            {
                case JsonValue value when value.TryGetValue<string>(out var text) && DatePattern().Match(text) is { Success: true, Groups: var g } && g["d"].Success
                    && DateTimeOffset.TryParse(text[..10], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date):
                    latest = latest is null || date > latest ? date : latest;
                    break;
                case JsonObject obj:
                    foreach (var (_, child) in obj)
                    {
                        Visit(child);
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        Visit(child);
                    }

                    break;
            }
        }

        Visit(root);
        return latest;
    }

    [GeneratedRegex(@"^(?<y>\d{4})(-(?<m>\d{2})(-(?<d>\d{2}))?)?(?<rest>T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")]
    private static partial Regex DatePattern();
}
