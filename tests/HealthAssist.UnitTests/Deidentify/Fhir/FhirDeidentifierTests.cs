using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using HealthAssist.Deidentify;
using HealthAssist.Deidentify.Fhir;
using HealthAssist.Ingest.Fhir;
using HealthAssist.Security;
using HealthAssist.UnitTests.Ingest.Fhir;

namespace HealthAssist.UnitTests.Deidentify.Fhir;

public sealed class FhirDeidentifierTests
{
    private static readonly FhirDeidentificationProfile Profile = FhirDeidentificationProfile.Load(
        Path.Combine(Security.RolePermissionsTests.RepositoryRoot(), "models", "deid", "fhir-profile.v1.json"));

    private static readonly DeploymentSecret Secret = DeploymentSecret.Generate();

    private const string PatientJson = """
        {"resourceType":"Patient","id":"pat-1","meta":{"lastUpdated":"2026-03-01T10:00:00Z"},
         "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Zaphod CANARY</div>"},
         "identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},"system":"http://hospital.example.org/mrn","value":"MRN-CANARY-4711"}],
         "name":[{"family":"Canary","given":["Zaphod"]}],"telecom":[{"system":"phone","value":"(555) 201-3344"}],
         "gender":"male","birthDate":"1931-05-17",
         "address":[{"line":["42 Canary Lane"],"city":"Springfield","state":"IL","postalCode":"62704","country":"US"}],
         "extension":[{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race","extension":[{"url":"text","valueString":"White"}]},
                      {"url":"http://example.org/favourite-colour","valueString":"CANARY yellow"}],
         "someUnknownElement":"CANARY"}
        """;

    private static string Bundle(params string[] resources) =>
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[" + string.Join(',', resources.Select((r, i) => $"{{\"fullUrl\":\"urn:uuid:00000000-0000-4000-8000-00000000000{i}\",\"resource\":{r}}}")) + "]}";

    private static string Observation(string id, string effective) => $$"""
        {"resourceType":"Observation","id":"{{id}}","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
         "subject":{"reference":"Patient/pat-1","display":"Zaphod CANARY"},"effectiveDateTime":"{{effective}}",
         "valueQuantity":{"value":112,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"},
         "note":[{"text":"CANARY said he felt worse"}],"performer":[{"reference":"Practitioner/dr-canary"}]}
        """;

    [Fact]
    public void Deidentify_RemovesEverythingNotAllowed_AndNoCanarySurvives()
    {
        var (json, report) = new FhirDeidentifier(Profile, Secret).Deidentify(Bundle(PatientJson, Observation("o1", "2026-03-10T08:30:00Z")));

        Assert.DoesNotContain("canary", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("4711", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Springfield", json, StringComparison.Ordinal);
        Assert.DoesNotContain("201-3344", json, StringComparison.Ordinal);
        Assert.Contains("\"postalCode\":\"627\"", json, StringComparison.Ordinal);
        Assert.Contains("us-core-race", json, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"8867-4\"", json, StringComparison.Ordinal);
        Assert.Contains("\"value\":112", json, StringComparison.Ordinal);
        Assert.True(report.Actions.GetValueOrDefault("Patient.name: removed") > 0);
    }

    [Fact]
    public void Deidentify_ShiftsEveryDateOfThePatientByTheSameNonZeroOffset_AndKeepsIntervals()
    {
        var (json, _) = new FhirDeidentifier(Profile, Secret).Deidentify(Bundle(PatientJson, Observation("o1", "2026-03-10T08:30:00Z"), Observation("o2", "2026-03-12T09:30:00Z")));
        var keys = PatientKeys.Derive(Secret, "http://hospital.example.org/mrn", "MRN-CANARY-4711");
        var entries = JsonNode.Parse(json)!["entry"]!.AsArray().Select(e => e!["resource"]!).ToList();
        var times = entries.Where(r => r["resourceType"]!.GetValue<string>() == "Observation").Select(r => DateTimeOffset.Parse(r["effectiveDateTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.NotEqual(0, keys.DateOffsetDays);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 8, 30, 0, TimeSpan.Zero).AddDays(keys.DateOffsetDays), times[0]);
        Assert.Equal(TimeSpan.FromHours(49), times[1] - times[0]);
    }

    [Fact]
    public void Deidentify_AgesOverEightyNine_BecomeABirthYearOfAgeNinety()
    {
        var (json, _) = new FhirDeidentifier(Profile, Secret).Deidentify(Bundle(PatientJson, Observation("o1", "2026-03-10T08:30:00Z")));
        var patient = JsonNode.Parse(json)!["entry"]![0]!["resource"]!;
        var keys = PatientKeys.Derive(Secret, "http://hospital.example.org/mrn", "MRN-CANARY-4711");

        Assert.Equal((new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero).AddDays(keys.DateOffsetDays).Year - 90).ToString(System.Globalization.CultureInfo.InvariantCulture),
            patient["birthDate"]!.GetValue<string>());
    }

    [Fact]
    public void Deidentify_KeepsReferencesResolvable_AndIsDeterministicPerSecret()
    {
        var input = Bundle(PatientJson, Observation("o1", "2026-03-10T08:30:00Z"));
        var (first, _) = new FhirDeidentifier(Profile, Secret).Deidentify(input);
        var (again, _) = new FhirDeidentifier(Profile, Secret).Deidentify(input);
        var (other, _) = new FhirDeidentifier(Profile, DeploymentSecret.Generate()).Deidentify(input);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        var record = FhirRecordReader.ReadJson(first);
        Assert.True(record.IsValid, string.Join("\n", record.Issues.Select(i => i.Message)));
        var observation = record.All<Observation>().Single();
        Assert.IsType<Patient>(record.Resolve(observation.Subject, observation));
        Assert.Null(observation.Subject?.Display);
    }

    [Fact]
    public void Deidentify_RemovesResourceTypesTheProfileDoesNotName()
    {
        var practitioner = """{"resourceType":"Practitioner","id":"dr-canary","name":[{"family":"Canary"}]}""";

        var (json, report) = new FhirDeidentifier(Profile, Secret).Deidentify(Bundle(PatientJson, practitioner));

        Assert.DoesNotContain("Practitioner\"", json.Replace("\"Practitioner/", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(1, report.RemovedResourceTypes["Practitioner"]);
    }

    [Fact]
    public void SyntheticLikeRecord_StillGivesTheSameFeatures()
    {
        var builder = new PatientRecordBuilder().Observation("8867-4", 118, "/min", TimeSpan.FromHours(1)).Observation("30934-4", 900, "pg/mL", TimeSpan.FromHours(1))
            .Condition("http://snomed.info/sct", "84114007", "Heart failure").Medication("Furosemide 40 MG Oral Tablet");
        var json = Hl7.Fhir.Serialization.FhirSerializationEngineFactory.Strict(Hl7.Fhir.Model.ModelInfo.ModelInspector).SerializeToJson(builder.Bundle());
        var spec = FeatureSpecification.Load(Path.Combine(Security.RolePermissionsTests.RepositoryRoot(), "models", "features", "feature-spec.v1.json"));
        var original = new FeatureExtractor(spec).Extract(CaseViewBuilder.Build(FhirRecordReader.ReadJson(json), PatientRecordBuilder.IndexTime));

        var (clean, _) = new FhirDeidentifier(Profile, Secret).Deidentify(json);
        var record = FhirRecordReader.ReadJson(clean);
        var keys = PatientKeys.Derive(Secret, "urn:healthassist:fhir-resource-id", "Patient/p1");
        var shifted = new FeatureExtractor(spec).Extract(CaseViewBuilder.Build(record, keys.Shift(PatientRecordBuilder.IndexTime)));

        Assert.Equal(original.Values, shifted.Values);
        Assert.Equal(original.Mask, shifted.Mask);
        Assert.DoesNotContain("Canary", clean, StringComparison.OrdinalIgnoreCase);
    }
    [Fact]
    public void Deidentify_ScrubsTextAttachmentsOfDocumentReferences_AndDropsDataItCannotScrub()
    {
        const string note = "Discharge summary for Zaphod Canary (MRN MRN-CANARY-4711), 42 Canary Lane, Springfield. Seen on 03/10/2026. "
            + "Call (555) 201-3344. Holosystolic murmur at apex, furosemide 40 mg daily.";
        var document = $$$"""
            {"resourceType":"DocumentReference","id":"doc-1","status":"current","subject":{"reference":"Patient/pat-1"},"date":"2026-03-10T12:00:00Z",
             "description":"Summary for CANARY","author":[{"reference":"Practitioner/dr-canary"}],
             "content":[{"attachment":{"contentType":"text/plain","data":"{{{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(note))}}}","title":"Canary summary","url":"http://ehr.example.org/canary.txt"}},
                        {"attachment":{"contentType":"application/pdf","data":"JVBERi0xLjQK","title":"Canary scan"}}]}
            """;

        var (json, report) = new FhirDeidentifier(Profile, Secret).Deidentify(Bundle(PatientJson, document));

        var clean = JsonNode.Parse(json)!["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => r["resourceType"]!.GetValue<string>() == "DocumentReference");
        var attachments = clean["content"]!.AsArray().Select(c => c!["attachment"]!).ToList();
        var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(attachments[0]["data"]!.GetValue<string>()));
        foreach (var identifier in new[] { "Zaphod", "Canary", "4711", "42 Canary Lane", "Springfield", "201-3344", "03/10/2026" })
        {
            Assert.DoesNotContain(identifier, text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("Holosystolic murmur at apex, furosemide 40 mg daily.", text, StringComparison.Ordinal);
        Assert.Null(attachments[1]["data"]);
        Assert.Equal("application/pdf", attachments[1]["contentType"]!.GetValue<string>());
        Assert.DoesNotContain("canary", json, StringComparison.OrdinalIgnoreCase);
        Assert.True(report.Actions.GetValueOrDefault("DocumentReference.content.attachment: Scrub") == 2);
        var record = FhirRecordReader.ReadJson(json);
        Assert.True(record.IsValid, string.Join("\n", record.Issues.Select(i => $"{i.Location}: {i.Message}")));
        var errors = new StrictFhirValidator().Validate(record).Where(i => i.IsError).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(5).Select(i => $"{i.Location}: {i.Message}")));
    }

    [Fact]
    public void Deidentify_ScrubsObservationNotes_KeepingTheirClinicalContent()
    {
        var (json, _) = new FhirDeidentifier(Profile, Secret).Deidentify(Bundle(PatientJson, Observation("o1", "2026-03-10T08:30:00Z")));

        var observation = JsonNode.Parse(json)!["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => r["resourceType"]!.GetValue<string>() == "Observation");
        var note = observation["note"]![0]!["text"]!.GetValue<string>();
        Assert.DoesNotContain("canary", note, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("said he felt worse", note, StringComparison.Ordinal);
    }
}
