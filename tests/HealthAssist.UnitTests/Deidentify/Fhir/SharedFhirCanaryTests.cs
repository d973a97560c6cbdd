using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HealthAssist.Deidentify.Fhir;
using HealthAssist.UnitTests.Deidentify.Dicom;
using HealthAssist.UnitTests.Ingest.Fhir;

namespace HealthAssist.UnitTests.Deidentify.Fhir;

/// <summary>
/// The canary run over public data no one here wrote (../shared/data/fhir/bulk-10-patients, Synthea output): every
/// identifying value of its patients, practitioners, organisations and locations is searched for in the de-identified
/// bulk export, case-insensitively and in the variants a leak takes.
/// </summary>
public sealed partial class SharedFhirCanaryTests
{
    private static readonly FhirDeidentificationProfile Profile = FhirDeidentificationProfile.Load(
        System.IO.Path.Combine(Security.RolePermissionsTests.RepositoryRoot(), "models", "deid", "fhir-profile.v1.json"));

    [Fact]
    public void DeidentifiedBulkExport_ContainsNoneOfItsPatientsIdentifyingValues()
    {
        var lines = Directory.EnumerateFiles(FhirSamples.Path("bulk-10-patients"), "*.ndjson").Where(f => !f.EndsWith("log.ndjson", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).SelectMany(File.ReadLines).ToList();
        var resources = lines.Select(l => JsonNode.Parse(l.TrimStart('\uFEFF'))!.AsObject()).ToList();
        var canaries = Canaries(resources);
        var report = new FhirDeidentificationReport();

        var output = new FhirDeidentifier(Profile, TestSecrets.A).DeidentifyBulk(lines, report);

        var haystack = string.Join('\n', output.Select(o => o.Json));
        var digitsOnly = Digits().Replace(haystack, string.Empty);
        // Phone numbers, SSNs and other number-like identifiers are also searched with their separators dropped.
        var leaks = canaries.Where(c => haystack.Contains(c, StringComparison.OrdinalIgnoreCase)
            || (NumberLike().IsMatch(c) && digitsOnly.Contains(Digits().Replace(c, string.Empty), StringComparison.Ordinal))).ToList();

        Assert.True(canaries.Count > 200, $"only {canaries.Count} canaries collected: the sample changed?");
        Assert.True(leaks.Count == 0, $"{leaks.Count} identifying values survived de-identification (values not printed)");
        Assert.Equal(resources.Count, report.ResourcesIn);
        Assert.Contains(output, o => o.Type == "Condition"); // clinical content still leaves
    }

    [Fact]
    public void DeidentifiedBulkExport_ShiftsEveryPatientsBirthDate()
    {
        var lines = File.ReadLines(FhirSamples.Path("bulk-10-patients/Patient.000.ndjson")).ToList();
        var births = lines.Select(l => JsonNode.Parse(l)!["birthDate"]!.GetValue<string>()).ToList();

        var output = new FhirDeidentifier(Profile, TestSecrets.A).DeidentifyBulk(lines, new FhirDeidentificationReport());

        var shifted = output.Select(o => JsonNode.Parse(o.Json)!["birthDate"]!.GetValue<string>()).ToList();
        Assert.Equal(births.Count, shifted.Count);
        Assert.All(births.Zip(shifted), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    /// <summary>Names, identifiers, telecom and street/city values of every person, organisation and place.</summary>
    private static List<string> Canaries(List<JsonObject> resources)
    {
        var values = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in resources)
        {
            var type = resource["resourceType"]!.GetValue<string>();
            if (type is not ("Patient" or "Practitioner" or "Organization" or "Location"))
            {
                continue;
            }

            foreach (var name in resource["name"] is JsonArray names ? names.OfType<JsonObject>() : [])
            {
                var given = name["given"]?.AsArray().Select(g => g!.GetValue<string>()).ToList() ?? [];
                var family = name["family"]?.GetValue<string>();
                values.UnionWith(given);
                if (family is not null)
                {
                    values.Add(family);
                    values.UnionWith(given.Select(g => $"{family} {g}")); // reversed order
                    values.UnionWith(given.Select(g => $"{family}^{g}"));
                }
            }

            if (resource["name"] is JsonValue organisation)
            {
                values.Add(organisation.GetValue<string>());
            }

            values.UnionWith(Strings(resource["identifier"], "value"));
            values.UnionWith(Strings(resource["telecom"], "value"));
            values.UnionWith(Strings(resource["address"], "line"));
            values.UnionWith(Strings(resource["address"], "city"));
            values.UnionWith(Strings(resource["address"], "postalCode").Where(z => z.Length > 3));
            foreach (var extension in resource["extension"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                if (extension["valueString"]?.GetValue<string>() is { } text && extension["url"]!.GetValue<string>().EndsWith("mothersMaidenName", StringComparison.Ordinal))
                {
                    values.Add(text);
                }

                values.UnionWith(Strings(extension["valueAddress"], "city"));
            }
        }

        // Values of three characters or fewer ('MA', 'US') are states or countries, which Safe Harbor keeps.
        return [.. values.Where(v => v.Trim().Length > 3)];
    }

    private static IEnumerable<string> Strings(JsonNode? node, string name) => node switch
    {
        JsonArray array => array.SelectMany(item => Strings(item, name)),
        JsonObject obj when obj[name] is JsonArray items => items.OfType<JsonValue>().Select(v => v.GetValue<string>()),
        JsonObject obj when obj[name] is JsonValue value => [value.ToString()],
        _ => [],
    };

    [GeneratedRegex(@"^(?=(?:\D*\d){7})[0-9 ()+.\-]+$")]
    private static partial Regex NumberLike();

    [GeneratedRegex("[^0-9]")]
    private static partial Regex Digits();
}
