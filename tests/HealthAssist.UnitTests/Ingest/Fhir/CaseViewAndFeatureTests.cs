using Hl7.Fhir.Model;
using HealthAssist.Ingest.Fhir;

namespace HealthAssist.UnitTests.Ingest.Fhir;

public sealed class CaseViewAndFeatureTests
{
    private static readonly FeatureSpecification Spec = FeatureSpecification.Load(Path.Combine(Security.RolePermissionsTests.RepositoryRoot(), "models", "features", "feature-spec.v1.json"));
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static FeatureVector Features(PatientRecordBuilder builder) =>
        new FeatureExtractor(Spec).Extract(CaseViewBuilder.Build(builder.Record(), PatientRecordBuilder.IndexTime));

    [Fact]
    public void CaseView_HasAgeAtIndexSexAndOnlyWhatWasKnownAtIndexTime()
    {
        var record = new PatientRecordBuilder("1950-06-15", AdministrativeGender.Female)
            .Observation("8867-4", 110, "/min", 2 * Hour)
            .Observation("8867-4", 70, "/min", -2 * Hour) // after the index time
            .Note("Productive cough for three days, crackles right base.", 3 * Hour)
            .Record();

        var view = CaseViewBuilder.Build(record, PatientRecordBuilder.IndexTime);

        Assert.Equal(75, view.AgeYears);
        Assert.Equal(AdministrativeGender.Female, view.Sex);
        var heartRate = Assert.Single(view.Observations);
        Assert.Equal(110m, heartRate.Value);
        Assert.Contains(view.Notes, n => n.Text.Contains("crackles", StringComparison.Ordinal));
    }

    [Fact]
    public void PanelComponents_BecomeSeparateFacts()
    {
        var features = Features(new PatientRecordBuilder().BloodPressure(92, 55, Hour));

        Assert.Equal(92f, features["systolic_bp.latest"]);
        Assert.Equal(55f, features["diastolic_bp.latest"]);
    }

    [Fact]
    public void SamePatientInDifferentUnits_GivesTheSameFeatures()
    {
        var metric = Features(new PatientRecordBuilder()
            .Observation("8310-5", 38.5m, "Cel", Hour)
            .Observation("2160-0", 132.6m, "umol/L", Hour)
            .Observation("1988-5", 85m, "mg/L", Hour)
            .Observation("30934-4", 900m, "pg/mL", Hour)
            .Observation("10839-9", 45m, "ng/L", Hour)
            .Observation("29463-7", 80m, "kg", Hour)
            .Observation("718-7", 13m, "g/dL", Hour)
            .Observation("2345-7", 7m, "mmol/L", Hour));
        var imperial = Features(new PatientRecordBuilder()
            .Observation("8310-5", 101.3m, "[degF]", Hour)
            .Observation("2160-0", 1.4996m, "mg/dL", Hour)
            .Observation("1988-5", 8.5m, "mg/dL", Hour)
            .Observation("30934-4", 900m, "ng/L", Hour)
            .Observation("10839-9", 0.045m, "ng/mL", Hour)
            .Observation("29463-7", 176.3698m, "[lb_av]", Hour)
            .Observation("718-7", 130m, "g/L", Hour)
            .Observation("2345-7", 126.126m, "mg/dL", Hour));

        foreach (var name in new[] { "temperature.latest", "creatinine.latest", "crp.latest", "bnp.latest", "troponin.latest", "weight.latest", "haemoglobin.latest", "glucose.latest" })
        {
            Assert.NotNull(metric[name]);
            Assert.True(Math.Abs(metric[name]!.Value - imperial[name]!.Value) <= 0.01 * Math.Abs(metric[name]!.Value), $"{name}: {metric[name]} vs {imperial[name]}");
        }
    }

    [Theory]
    [InlineData("8310-5", 98.6, "[degF]", "temperature.latest", 37.0)]
    [InlineData("8310-5", 37.0, "Cel", "temperature.latest", 37.0)]
    [InlineData("2160-0", 1.0, "mg/dL", "creatinine.latest", 88.42)]
    [InlineData("2160-0", 88.42, "umol/L", "creatinine.latest", 88.42)]
    [InlineData("33762-6", 100, "pmol/L", "nt_probnp.latest", 845.7)]
    [InlineData("10839-9", 0.1, "ug/L", "troponin.latest", 100)]
    [InlineData("2524-7", 18, "mg/dL", "lactate.latest", 1.998)]
    [InlineData("29463-7", 80000, "g", "weight.latest", 80.0)]
    [InlineData("6690-2", 12.5, "10*3/uL", "wbc.latest", 12.5)]
    [InlineData("718-7", 8.07, "mmol/L", "haemoglobin.latest", 13.0)]
    [InlineData("8480-6", 16, "kPa", "systolic_bp.latest", 120.0)]
    [InlineData("8867-4", 88, "{beats}/min", "heart_rate.latest", 88)]
    [InlineData("2345-7", 90, "mg/dl", "glucose.latest", 4.995)]
    public void UnitConversion_ToTheCanonicalUnit(string loinc, double value, string unit, string feature, double expected)
    {
        var features = Features(new PatientRecordBuilder().Observation(loinc, (decimal)value, unit, Hour));

        Assert.Equal(expected, features[feature]!.Value, 1e-2 * Math.Max(1, expected));
    }

    [Fact]
    public void ImplausibleValues_AreFlaggedAndNotUsed()
    {
        var features = Features(new PatientRecordBuilder().Observation("8867-4", 900, "/min", Hour).Observation("59408-5", 94, "%", Hour));

        Assert.Null(features["heart_rate.latest"]);
        Assert.Contains(features.Flags, f => f.Feature == "heart_rate" && f.Reason.Contains("implausible", StringComparison.Ordinal));
        Assert.Equal(94f, features["spo2.latest"]);
    }

    [Fact]
    public void UnconvertibleUnits_AreFlaggedNotGuessed()
    {
        var features = Features(new PatientRecordBuilder().Observation("2160-0", 1.2m, "mmol/L", Hour));

        Assert.Null(features["creatinine.latest"]);
        Assert.Contains(features.Flags, f => f.Reason.Contains("cannot be converted", StringComparison.Ordinal));
    }

    [Fact]
    public void Aggregations_LatestMinMaxAndTrendWithinTheLookBack()
    {
        var features = Features(new PatientRecordBuilder()
            .Observation("59408-5", 95, "%", 20 * Hour)
            .Observation("59408-5", 86, "%", 10 * Hour)
            .Observation("59408-5", 90, "%", Hour)
            .Observation("59408-5", 70, "%", 30 * Hour) // outside spo2's 24 h look-back
            .Observation("29463-7", 80, "kg", TimeSpan.FromDays(4))
            .Observation("29463-7", 82, "kg", TimeSpan.FromDays(2))
            .Observation("29463-7", 84, "kg", TimeSpan.Zero));

        Assert.Equal(90f, features["spo2.latest"]);
        Assert.Equal(86f, features["spo2.min"]);
        Assert.Equal(1f, features["weight.trend"]!.Value, 3); // kg per day
        Assert.Equal(84f, features["weight.latest"]);
    }

    [Fact]
    public void MissingValues_AreMaskedAndTheMaskMatchesTheFacts()
    {
        var features = Features(new PatientRecordBuilder().Observation("8867-4", 100, "/min", Hour));

        var heartRate = features.Names.ToList().IndexOf("heart_rate.latest");
        var bnp = features.Names.ToList().IndexOf("bnp.latest");
        Assert.Equal(1f, features.Mask[heartRate]);
        Assert.Equal(0f, features.Mask[bnp]);
        Assert.Equal(features.Names.Count, features.Values.Length);
        Assert.Contains(features.Facts, f => f.Feature == "heart_rate.latest" && f.Source.StartsWith("Observation/", StringComparison.Ordinal));
    }

    [Fact]
    public void ConditionsMedicationsAndAllergies_MapToTheirGroups()
    {
        var features = Features(new PatientRecordBuilder()
            .Condition("http://snomed.info/sct", "13645005", "Chronic obstructive lung disease")
            .Condition("http://hl7.org/fhir/sid/icd-10", "I50.9", "Heart failure, unspecified")
            .Condition("http://snomed.info/sct", "44054006", "Diabetes mellitus type 2", clinicalStatus: "resolved")
            .Medication("Furosemide 40 MG Oral Tablet")
            .Medication("Tiotropium", atc: "R03BB04")
            .Medication("Amoxicillin 500 MG", status: MedicationRequest.MedicationrequestStatus.Stopped)
            .Allergy("91936005", "Allergy to penicillin"));

        Assert.Equal(1f, features["condition.copd"]);
        Assert.Equal(1f, features["condition.heart_failure"]);
        Assert.Equal(0f, features["condition.diabetes"]); // resolved
        Assert.Equal(1f, features["medication.loop_diuretic"]);
        Assert.Equal(1f, features["medication.inhaled_bronchodilator"]);
        Assert.Equal(0f, features["medication.antibiotic"]); // stopped
        Assert.Equal(1f, features["allergy.penicillin"]);
    }

    [Fact]
    public void RecordWithSeveralPatients_NeedsTheOneToAssess()
    {
        var record = FhirRecordReader.ReadBulkExport(FhirSamples.Path("bulk-10-patients"));

        var error = Assert.Throws<InvalidInputException>(() => CaseViewBuilder.Build(record, PatientRecordBuilder.IndexTime));
        var first = record.All<Patient>().First();
        var view = CaseViewBuilder.Build(record, PatientRecordBuilder.IndexTime, $"Patient/{first.Id}");

        Assert.Contains("13 patients", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(view.Conditions);
        Assert.DoesNotContain(first.Id!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCommittedSpecification_LoadsWithUniqueNames()
    {
        Assert.Equal("1.0.0", Spec.Version);
        Assert.Equal(Spec.FeatureNames.Count, Spec.FeatureNames.Distinct().Count());
        Assert.Contains("bnp.latest", Spec.FeatureNames);
    }

    [Fact]
    public void ASpecificationWithoutAConversionForItsOwnUnit_IsRefused()
    {
        var json = """{"version":"x","defaultLookbackHours":24,"observations":[{"name":"hr","loinc":["8867-4"],"unit":"/min","plausible":[1,2],"aggregations":["latest"],"units":{"bpm":{"factor":1}}}],"conditionGroups":[],"medicationClasses":[],"allergyGroups":[]}""";

        var error = Assert.Throws<InvalidInputException>(() => FeatureSpecification.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));

        Assert.Contains("'hr'", error.Message, StringComparison.Ordinal);
    }
}
