using System.Text;
using System.Text.Json.Nodes;
using HealthAssist.Deidentify.Fhir;
using HealthAssist.UnitTests.Deidentify.Dicom;

namespace HealthAssist.UnitTests.Deidentify.Fhir;

public sealed class MicrosoftAnonymizerImportTests
{
    // Written here in the shape of that tool's configuration files (fhirPathRules of path + method, parameters).
    private const string Configuration = """
        {
          "fhirVersion": "R4",
          "processingError": "raise",
          "fhirPathRules": [
            { "path": "nodesByType('Extension')", "method": "redact" },
            { "path": "Resource.id", "method": "cryptoHash" },
            { "path": "Patient.gender", "method": "keep" },
            { "path": "Patient.birthDate", "method": "redact" },
            { "path": "Patient.address.postalCode", "method": "redact" },
            { "path": "Patient.address.state", "method": "keep" },
            { "path": "Patient.name", "method": "redact" },
            { "path": "Observation.status", "method": "keep" },
            { "path": "Observation.code", "method": "keep" },
            { "path": "Observation.subject.reference", "method": "cryptoHash" },
            { "path": "Observation.effectiveDateTime", "method": "dateShift" },
            { "path": "Observation.value[x]", "method": "keep" },
            { "path": "Observation.valueQuantity.value", "method": "perturb" },
            { "path": "Observation.note.text", "method": "substitute" },
            { "path": "Patient.telecom.where(system='email')", "method": "keep" }
          ],
          "parameters": { "dateShiftKey": "", "cryptoHashKey": "", "enablePartialDatesForRedact": true, "enablePartialZipCodesForRedact": true }
        }
        """;

    private static readonly HashSet<string> Restricted = ["036", "059"];

    [Fact]
    public void Import_MapsPlainPathRules_AndListsEveryRuleItCannotExpress()
    {
        var imported = MicrosoftAnonymizerImport.Read(new MemoryStream(Encoding.UTF8.GetBytes(Configuration)), Restricted);

        var patient = imported.Profile.Resources["Patient"].Children;
        Assert.Equal(FhirDeidentificationMethod.Keep, patient["gender"].Method);
        Assert.Equal(FhirDeidentificationMethod.Birthdate, patient["birthDate"].Method);
        Assert.Equal(FhirDeidentificationMethod.Zip3, patient["address"].Children["postalCode"].Method);
        Assert.Equal(FhirDeidentificationMethod.Pseudonymize, patient["id"].Method);
        Assert.False(patient.ContainsKey("name")); // redact: removed by default
        var observation = imported.Profile.Resources["Observation"].Children;
        Assert.Equal(FhirDeidentificationMethod.Reference, observation["subject"].Method);
        Assert.Equal(FhirDeidentificationMethod.Shift, observation["effectiveDateTime"].Method);
        Assert.Equal(FhirDeidentificationMethod.Pseudonymize, observation["id"].Method);
        Assert.Equal(Restricted.Order(), imported.Profile.RestrictedZip3.Order());
        Assert.Equal(4, imported.Unsupported.Count);
        Assert.Contains(imported.Unsupported, u => u.StartsWith("nodesByType('Extension')", StringComparison.Ordinal));
        Assert.Contains(imported.Unsupported, u => u.Contains("perturb", StringComparison.Ordinal));
        Assert.Contains(imported.Unsupported, u => u.Contains("substitute", StringComparison.Ordinal));
        Assert.Contains(imported.Unsupported, u => u.StartsWith("Patient.telecom.where", StringComparison.Ordinal));
    }

    [Fact]
    public void ImportedProfile_RemovesWhatTheOriginalToolWouldHaveKept_BecauseNoRuleNamedIt()
    {
        var imported = MicrosoftAnonymizerImport.Read(new MemoryStream(Encoding.UTF8.GetBytes(Configuration)), Restricted);
        const string patient = """
            {"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1950-02-03","maritalStatus":{"text":"CANARY-married"},
             "name":[{"family":"Canary"}],"address":[{"city":"Canaryville","state":"MA","postalCode":"02139"}]}
            """;

        var (json, _) = new FhirDeidentifier(imported.Profile, TestSecrets.A).Deidentify(patient);

        var clean = JsonNode.Parse(json)!;
        Assert.DoesNotContain("canary", json, StringComparison.OrdinalIgnoreCase); // maritalStatus has no rule: removed
        Assert.Equal("021", clean["address"]![0]!["postalCode"]!.GetValue<string>());
        Assert.Equal("MA", clean["address"]![0]!["state"]!.GetValue<string>());
        Assert.NotEqual("p1", clean["id"]!.GetValue<string>());
    }

    [Fact]
    public void Import_OfSomethingElse_IsAClearInputError()
    {
        var error = Assert.Throws<HealthAssist.InvalidInputException>(() => MicrosoftAnonymizerImport.Read(new MemoryStream("{\"resources\":{}}"u8.ToArray()), Restricted, "mine.json"));

        Assert.Contains("fhirPathRules", error.Message, StringComparison.Ordinal);
    }
}
