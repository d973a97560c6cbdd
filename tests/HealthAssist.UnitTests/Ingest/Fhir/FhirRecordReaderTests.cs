using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthAssist.Ingest.Fhir;

namespace HealthAssist.UnitTests.Ingest.Fhir;

public sealed class FhirRecordReaderTests
{
    public static TheoryData<string> ValidFiles => new()
    {
        "fhir-server/Normative/Bundle-Transaction.json",
        "fhir-server/Normative/Patient.json",
        "fhir-server/Normative/Patient.xml",
        "fhir-server/Normative/Patient-f001.json",
        "fhir-server/Normative/Observation-For-Patient-f001.json",
        "fhir-server/Normative/ObservationWithBloodPressure.json",
        "fhir-server/Normative/ObservationWith1MinuteApgarScore.json",
        "fhir-server/Normative/ObservationWithLongEyeColor.json",
        "fhir-server/Normative/TokenOverflowPatient.json",
        "fhir-server/Normative/PatientWithUnknownElements.json",
        "fhir-server/Normative/Bundle-Batch.json",
        "fhir-server/Normative/Bundle-BatchWithInvalidEleEnums.json",
        // Read as a record, not executed as a transaction: its entries are well-formed resources.
        "fhir-server/Normative/Bundle-TransactionWithInvalidResourceType.json",
        // 1234567890123456789.0123456789 is a valid FHIR decimal; the 'invalid' label is a server's storage limit.
        "fhir-server/Normative/ObservationWithInvalidDecimalSpecification.json",
        "fhir-server/R4/allergyintolerance-example.json",
        "fhir-server/R4/BasicExampleNarrative.json",
        "fhir-server/R4/binary-example.json",
        "fhir-server/R4/Bundle-ChainingSortAndSearchValidation.json",
        "fhir-server/R4/condition-example2.json",
        "fhir-server/R4/Condition-For-Patient-f001.json",
        "fhir-server/R4/diagnosticreport-example.json",
        "fhir-server/R4/DocumentReference-example-with-base64.json",
        "fhir-server/R4/encounter-example.json",
        "fhir-server/R4/Encounter-For-Patient-f001.json",
        "fhir-server/R4/imagingstudy-example.json",
        "fhir-server/R4/Immunization.json",
        "fhir-server/R4/media-example.json",
        "fhir-server/R4/medicationrequest0302.json",
        "fhir-server/R4/procedure-example.json",
    };

    /// <summary>Invalid files and a phrase the OperationOutcome must contain, naming the problem.</summary>
    public static TheoryData<string, string, string> InvalidFiles => new()
    {
        { "fhir-server/Normative/InvalidObservation.json", "Observation.text", "json primitive while expecting a json object" },
        { "fhir-server/Normative/ObservationWithInvalidStatus.json", "Observation.status", "not a correct code" },
        { "fhir-server/Normative/ObservationWithInvalidStatus.xml", "Observation.status", "not a correct code" },
        { "fhir-server/Normative/ObservationWithNoCode.json", "code", "minimum cardinality 1" },
        { "fhir-server/Normative/PatientMissingResourceType.json", "$this", "resource" },
        { "fhir-server/Normative/MoneyWithWrongDecimal.json", "$this", "unknown resource type 'Money'" },
        { "fhir-server/Normative/Bundle-InvalidBundleType.json", "Bundle.type", "not a correct code" },
        { "fhir-server/Normative/Bundle-TypeMissing.json", "type", "minimum cardinality 1" },
        { "fhir-server/Normative/Bundle-MissingIdentifier.json", "Bundle.entry[0].resource", "Empty FHIR elements are invalid" },
        { "fhir-server/Normative/Bundle-TransactionWithInvalidBundleEntry.json", "Bundle-TransactionWithInvalidBundleEntry.json", "Not readable as FHIR" },
        { "fhir-server/Normative/Bundle-TransactionWithMultipleResourcesWithSameFullUrl.json", "Bundle.entry[1].fullUrl", "same fullUrl" },
        { "fhir-server/R4/InvalidCompartmentDefinition.json", "Bundle.entry[1].fullUrl", "same fullUrl" },
        // Appointment.participant.status and ImagingStudy.series.instance.sopClass are 1..1 in R4.
        { "fhir-server/R4/SmartPatientA.json", "participant[0].status", "minimum cardinality 1" },
    };

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void ValidFiles_LoadWithoutErrors(string file)
    {
        var record = FhirRecordReader.Read(FhirSamples.Text(file), Path.GetFileName(file));

        Assert.True(record.IsValid, string.Join("\n", record.Issues.Select(i => $"{i.Location}: {i.Message}")));
        Assert.NotEmpty(record.Resources);
    }

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void InvalidFiles_GiveAnOperationOutcomeNamingTheProblemAndWhere(string file, string location, string phrase)
    {
        var record = FhirRecordReader.Read(FhirSamples.Text(file), Path.GetFileName(file));
        var outcome = record.Issues.ToOperationOutcome();

        Assert.False(record.IsValid);
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error
            && i.Expression.Any(e => e?.Contains(location, StringComparison.Ordinal) == true)
            && i.Diagnostics?.Contains(phrase, StringComparison.OrdinalIgnoreCase) == true);
        var json = new FhirJsonSerializer().SerializeToString(outcome!);
        Assert.Contains("\"resourceType\":\"OperationOutcome\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownElements_AreWarningsThatNameTheElement()
    {
        var record = FhirRecordReader.Read(FhirSamples.Text("fhir-server/Normative/PatientWithUnknownElements.json"));

        Assert.True(record.IsValid);
        Assert.Contains(record.Issues, i => i.Severity == OperationOutcome.IssueSeverity.Warning && i.Message.Contains("'name1'", StringComparison.Ordinal));
    }

    [Fact]
    public void InvalidCodeValues_AreNotEchoedBack()
    {
        var record = FhirRecordReader.Read(FhirSamples.Text("fhir-server/Normative/ObservationWithInvalidStatus.json"));

        Assert.DoesNotContain(record.Issues, i => i.Message.Contains("this_is_invalid", StringComparison.Ordinal));
    }

    [Fact]
    public void NdjsonWithABrokenLine_LoadsEveryOtherLineAndReportsTheLineNumber()
    {
        // The fhir-server import files are templates: ##PatientID## is replaced by an id before loading, as there.
        var lines = File.ReadAllLines(FhirSamples.Path("fhir-server/Normative/Import-InvalidPatient.ndjson"))
            .Select((line, i) => line.Replace("##PatientID##", $"patient-{i}", StringComparison.Ordinal));
        var record = new FhirRecord();

        FhirRecordReader.ReadNdjson(new StringReader(string.Join('\n', lines)), "Import-InvalidPatient.ndjson", record);

        Assert.Equal(4, record.All<Patient>().Count());
        var problem = Assert.Single(record.Issues, i => i.IsError);
        Assert.Equal("Import-InvalidPatient.ndjson:4", problem.Location.Split(' ')[0]);
    }

    [Fact]
    public void NdjsonWithTheSamePatientTwice_KeepsTheFirstAndWarns()
    {
        var text = File.ReadAllText(FhirSamples.Path("fhir-server/Normative/Import-DupPatientTemplate.ndjson")).Replace("##PatientID##", "same-patient", StringComparison.Ordinal);
        var record = new FhirRecord();

        FhirRecordReader.ReadNdjson(new StringReader(text), "dup.ndjson", record);

        Assert.Single(record.All<Patient>());
        Assert.Contains(record.Issues, i => i.Code == OperationOutcome.IssueType.Duplicate && i.Location == "dup.ndjson:2");
    }

    [Fact]
    public void BulkExportFolder_LoadsEveryResourceFileAndSkipsTheLog()
    {
        var record = FhirRecordReader.ReadBulkExport(FhirSamples.Path("bulk-10-patients"));

        Assert.True(record.IsValid, string.Join("\n", record.Issues.Select(i => $"{i.Location}: {i.Message}")));
        Assert.Equal(13, record.All<Patient>().Count());
        Assert.Equal(555, record.All<Condition>().Count());
        Assert.Contains(record.Issues, i => i.Location == "log.ndjson" && i.Severity == OperationOutcome.IssueSeverity.Warning);
    }

    [Fact]
    public void ReferencesResolveByUrnUuidRelativeIdAbsoluteUrlAndContainedId()
    {
        const string json = """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"fullUrl":"urn:uuid:6f2c7a0e-1b1e-4c55-9d7a-0c6f1f7e2a11","resource":{"resourceType":"Patient","id":"p1"}},
              {"fullUrl":"urn:uuid:0b5f3d0a-62f1-4a8d-9f3b-8a0c1d2e3f44","resource":{"resourceType":"Observation","id":"o1","status":"final",
                "code":{"text":"x"},"subject":{"reference":"urn:uuid:6f2c7a0e-1b1e-4c55-9d7a-0c6f1f7e2a11"}}},
              {"resource":{"resourceType":"Observation","id":"o2","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"}}},
              {"resource":{"resourceType":"Observation","id":"o3","status":"final","code":{"text":"x"},"subject":{"reference":"https://ehr.example.org/fhir/Patient/p1/_history/3"}}},
              {"resource":{"resourceType":"MedicationRequest","id":"m1","status":"active","intent":"order","subject":{"reference":"Patient/p1"},
                "contained":[{"resourceType":"Medication","id":"med","code":{"text":"Furosemide"}}],"medicationReference":{"reference":"#med"}}}
            ]}
            """;

        var record = FhirRecordReader.ReadJson(json);
        var patient = record.All<Patient>().Single();

        Assert.True(record.IsValid);
        Assert.All(record.All<Observation>(), o => Assert.Same(patient, record.Resolve(o.Subject, o)));
        var request = record.All<MedicationRequest>().Single();
        Assert.IsType<Medication>(record.Resolve((ResourceReference)request.Medication, request));
    }

    [Fact]
    public void ByteOrderMarks_AreIgnored()
    {
        var text = "\uFEFF" + FhirSamples.Text("fhir-server/Normative/Patient-f001.json").TrimStart('\uFEFF');

        var record = FhirRecordReader.Read(text);

        Assert.True(record.IsValid);
        Assert.Single(record.All<Patient>());
    }
}

public sealed class StrictFhirValidatorTests
{
    private static readonly StrictFhirValidator Validator = new();

    [Fact]
    public void StrictMode_FindsInvariantViolationsTheReaderAccepts()
    {
        const string json = """
            {"resourceType":"Observation","id":"o1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
             "valueQuantity":{"value":80,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"},
             "dataAbsentReason":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/data-absent-reason","code":"unknown"}]}}
            """;
        var record = FhirRecordReader.ReadJson(json);

        var issues = Validator.Validate(record);

        Assert.True(record.IsValid);
        Assert.Contains(issues, i => i.IsError && i.Message.Contains("obs-6", StringComparison.Ordinal) && i.Location.StartsWith("Observation/o1", StringComparison.Ordinal));
    }

    [Fact]
    public void StrictMode_PassesAValidSpecificationExample()
    {
        var record = FhirRecordReader.Read(FhirSamples.Text("fhir-server/R4/condition-example2.json"));

        Assert.DoesNotContain(Validator.Validate(record), i => i.IsError);
    }
}
