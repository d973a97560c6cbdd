using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HealthAssist.Deidentify.Fhir;

/// <summary>
/// Reads a configuration of Microsoft's FHIR anonymizer (Tools-for-Health-Data-Anonymization: <c>fhirPathRules</c> of
/// <c>path</c> + <c>method</c>) into our allow-list profile, so that a hospital's reviewed configuration can be reused.
/// The semantics differ on purpose: that tool keeps what no rule names, we remove it. An imported configuration
/// therefore keeps exactly the elements its rules keep or transform and removes everything else, which is never less
/// strict. Rules that cannot be expressed are listed in <see cref="Unsupported"/>, never silently dropped; the caller
/// decides whether to proceed. Supported: <c>Type.path</c> (plain element names) with keep, dateShift, cryptoHash (on
/// <c>id</c> and <c>reference</c>), redact (a no-op here, except postalCode/birthDate with the partial-redaction
/// parameters, which become zip3/birthdate); <c>Resource.id</c> with cryptoHash. Not supported: <c>nodesByType(...)</c>
/// and other FHIRPath functions, and the methods encrypt, substitute, perturb and generalize.
/// </summary>
public sealed partial class MicrosoftAnonymizerImport
{
    private MicrosoftAnonymizerImport(FhirDeidentificationProfile profile, IReadOnlyList<string> unsupported)
    {
        Profile = profile;
        Unsupported = unsupported;
    }

    public FhirDeidentificationProfile Profile { get; }

    /// <summary>Each rule that was not imported, with the reason (rule paths only: configurations hold no PHI).</summary>
    public IReadOnlyList<string> Unsupported { get; }

    /// <summary>True when the document looks like a Microsoft anonymizer configuration rather than our profile.</summary>
    public static bool IsMicrosoftConfiguration(JsonElement root) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty("fhirPathRules", out _);

    /// <summary>Imports a configuration; <paramref name="restrictedZip3"/> applies when it lists no restricted ZIP3 areas.</summary>
    public static MicrosoftAnonymizerImport Read(Stream json, IReadOnlySet<string> restrictedZip3, string source = "configuration")
    {
        ArgumentNullException.ThrowIfNull(restrictedZip3);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException($"{source}: not valid JSON (line {ex.LineNumber})", source);
        }

        if (root?["fhirPathRules"] is not JsonArray rules)
        {
            throw new InvalidInputException($"{source}: a Microsoft anonymizer configuration needs 'fhirPathRules'", source);
        }

        var parameters = root["parameters"] as JsonObject;
        bool Flag(string name) => parameters?[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        var partialZip = Flag("enablePartialZipCodesForRedact");
        var partialDates = Flag("enablePartialDatesForRedact");

        var resources = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        var unsupported = new List<string>();
        var claimed = new HashSet<string>(StringComparer.Ordinal); // first matching rule wins, as in the original tool
        foreach (var rule in rules.OfType<JsonObject>())
        {
            var path = rule["path"]?.GetValue<string>() ?? string.Empty;
            var method = rule["method"]?.GetValue<string>() ?? string.Empty;
            var match = PlainPath().Match(path);
            if (!match.Success)
            {
                unsupported.Add($"{path} ({method}): only Type.element paths can be imported");
                continue;
            }

            var type = match.Groups["type"].Value;
            var element = match.Groups["path"].Value;
            if (!claimed.Add(path))
            {
                continue;
            }

            var mapped = Map(element, method.ToLowerInvariant(), partialZip, partialDates);
            if (mapped.Method is null)
            {
                if (mapped.Reason is not null)
                {
                    unsupported.Add($"{path} ({method}): {mapped.Reason}");
                }

                continue;
            }

            // Rules on Resource / DomainResource are spread over every type the configuration names (below).
            var target = resources.TryGetValue(type, out var existing) ? existing : resources[type] = new SortedDictionary<string, string>(StringComparer.Ordinal);
            target.TryAdd(mapped.Path ?? element, mapped.Method);
        }

        if (resources.Remove("Resource", out var common) | resources.Remove("DomainResource", out var domain))
        {
            foreach (var (element, method) in (common ?? []).Concat(domain ?? []))
            {
                foreach (var rulesOfType in resources.Values)
                {
                    rulesOfType.TryAdd(element, method);
                }
            }
        }

        var restricted = parameters?["restrictedZipCodeTabulationAreas"] is JsonArray zips && zips.Count > 0
            ? zips.Select(z => z!.GetValue<string>()).ToArray()
            : [.. restrictedZip3];
        var document = new JsonObject
        {
            ["version"] = "imported-microsoft-anonymizer",
            ["restrictedZip3"] = new JsonArray([.. restricted.Select(z => (JsonNode)z)]),
            ["resources"] = new JsonObject(resources.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)new JsonObject(r.Value.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value)))))),
        };
        using var stream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(document));
        return new MicrosoftAnonymizerImport(FhirDeidentificationProfile.Parse(stream, source), unsupported);
    }

    private static (string? Method, string? Path, string? Reason) Map(string element, string method, bool partialZip, bool partialDates)
    {
        var last = element.Split('.')[^1];
        return method switch
        {
            "keep" => ("keep", null, null),
            "dateshift" => ("shift", null, null),
            "cryptohash" when element == "id" => ("pseudonymize", null, null),
            "cryptohash" when last == "reference" && element.Contains('.', StringComparison.Ordinal) => ("reference", element[..element.LastIndexOf('.')], null),
            "cryptohash" => (null, null, "cryptoHash is imported for id and reference only"),
            "redact" when last == "postalCode" && partialZip => ("zip3", null, null),
            "redact" when last == "birthDate" && partialDates => ("birthdate", null, null),
            "redact" => (null, null, null), // removed by default: nothing to import
            _ => (null, null, $"method '{method}' is not supported"),
        };
    }

    [GeneratedRegex(@"^(?<type>[A-Z][A-Za-z]+)\.(?<path>[a-z][A-Za-z]*(\[x\])?(\.[a-z][A-Za-z]*(\[x\])?)*)$")]
    private static partial Regex PlainPath();
}
