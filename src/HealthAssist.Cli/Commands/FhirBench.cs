using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HealthAssist.Encode.Registry;
using HealthAssist.Ingest.Fhir;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace HealthAssist.Cli.Commands;

/// <summary>
/// <c>healthassist bench fhir</c>: a Bundle of 500 resources for one patient → parsed record → case view → features,
/// p50/p99 after warm-up, beside a baseline that only parses the JSON into a DOM.
/// </summary>
internal static class FhirBench
{
    public static Command Create(CliContext context)
    {
        var iterations = new Option<int>("--iterations") { Description = "Measured runs", DefaultValueFactory = _ => 200 };
        var resources = new Option<int>("--resources") { Description = "Resources in the Bundle", DefaultValueFactory = _ => 500 };
        var command = new Command("fhir", "FHIR Bundle → case view + features latency") { iterations, resources };
        command.SetAction((result, _) => RunAsync(context, result.GetValue(iterations), result.GetValue(resources)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, int iterations, int resourceCount)
    {
        var specPath = Path.Combine(ModelDirectory.Locate(context.Environment.Configuration["Models:Path"]), "features", "feature-spec.v1.json");
        var extractor = new FeatureExtractor(FeatureSpecification.Load(specPath));
        var index = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        var json = new FhirJsonSerializer().SerializeToString(SyntheticBundle(resourceCount, index));

        var parseOnly = Measure(iterations, () => System.Text.Json.JsonDocument.Parse(json).Dispose());
        var pipeline = Measure(iterations, () =>
        {
            var record = FhirRecordReader.ReadJson(json);
            _ = extractor.Extract(CaseViewBuilder.Build(record, index));
        });

        var o = context.Out;
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Bundle of {resourceCount} resources ({json.Length / 1024.0:F0} KiB JSON), {iterations} runs after warm-up"));
        await o.WriteLineAsync($"{"measurement",-50} {"p50 ms",8} {"p99 ms",8}");
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"baseline: System.Text.Json DOM parse only",-50} {parseOnly.P50,8:F2} {parseOnly.P99,8:F2}"));
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"FHIR parse + case view + features",-50} {pipeline.P50,8:F2} {pipeline.P99,8:F2}"));
        return ExitCodes.Success;
    }

    private static (double P50, double P99) Measure(int iterations, Action action)
    {
        for (var i = 0; i < 20; i++)
        {
            action();
        }

        var samples = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        return (samples[samples.Count / 2], samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(samples.Count * 0.99) - 1)]);
    }

    /// <summary>One patient with a realistic mix: vitals every hour, labs, conditions, medications, allergies, notes.</summary>
    internal static Bundle SyntheticBundle(int count, DateTimeOffset index)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Collection };
        var patientUrl = "urn:uuid:" + Guid.NewGuid();
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = patientUrl, Resource = new Patient { Id = "p", BirthDate = "1948-02-11", Gender = AdministrativeGender.Male } });
        string[] loinc = ["8867-4", "9279-1", "59408-5", "8310-5", "8480-6", "8462-4", "6690-2", "1988-5", "30934-4", "2160-0"];
        string[] units = ["/min", "/min", "%", "Cel", "mm[Hg]", "mm[Hg]", "10*3/uL", "mg/L", "pg/mL", "umol/L"];
        decimal[] values = [96, 24, 91, 38.4m, 118, 70, 13.2m, 88, 640, 120];
        var random = new Random(7);
        for (var i = 1; i < count; i++)
        {
            var subject = new ResourceReference(patientUrl);
            Resource resource = (i % 20) switch
            {
                0 => new Condition { Id = $"c{i}", Subject = subject, Code = new CodeableConcept("http://snomed.info/sct", "13645005", "COPD"), ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active") },
                1 => new MedicationRequest { Id = $"m{i}", Status = MedicationRequest.MedicationrequestStatus.Active, Intent = MedicationRequest.MedicationRequestIntent.Order, Subject = subject, Medication = new CodeableConcept { Text = "Furosemide 40 MG Oral Tablet" } },
                2 => new AllergyIntolerance { Id = $"a{i}", Patient = subject, Code = new CodeableConcept("http://snomed.info/sct", "91936005", "Allergy to penicillin") },
                _ => new Observation
                {
                    Id = $"o{i}",
                    Status = ObservationStatus.Final,
                    Subject = subject,
                    Code = new CodeableConcept("http://loinc.org", loinc[i % loinc.Length]),
                    Effective = new FhirDateTime(index.AddHours(-i % 72)),
                    Value = new Quantity(values[i % values.Length] + random.Next(-3, 4), units[i % units.Length]),
                },
            };
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:" + Guid.NewGuid(), Resource = resource });
        }

        return bundle;
    }
}
