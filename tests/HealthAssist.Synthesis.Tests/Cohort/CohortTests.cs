using System.Diagnostics;
using System.Text;
using System.Text.Json;
using HealthAssist.Dicom.IO;
using HealthAssist.Ingest.Fhir;
using HealthAssist.Synthesis.World;
using Xunit.Abstractions;

namespace HealthAssist.Synthesis.Tests.Cohort;

public sealed class CohortTests(CohortFixture cohort, ITestOutputHelper output) : IClassFixture<CohortFixture>
{
    private static readonly string[] Files = ["labels.csv", "phi-truth.json", "cohort.json"];

    [Fact]
    public void SameSeed_GivesByteIdenticalFiles_AndAnotherSeedDiffers()
    {
        var again = Path.Combine(Path.GetTempPath(), $"ha-cohort-{Guid.NewGuid():N}");
        var other = Path.Combine(Path.GetTempPath(), $"ha-cohort-{Guid.NewGuid():N}");
        try
        {
            CohortWriter.Write(again, new SynthesisOptions(CohortFixture.Patients, CohortFixture.Seed, 256, 320));
            CohortWriter.Write(other, new SynthesisOptions(12, CohortFixture.Seed + 1, 256, 320));

            var first = Directory.EnumerateFiles(cohort.Folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(cohort.Folder, f)).Order().ToList();
            var second = Directory.EnumerateFiles(again, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(again, f)).Order().ToList();
            Assert.Equal(first, second);
            foreach (var file in first)
            {
                Assert.True(File.ReadAllBytes(Path.Combine(cohort.Folder, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(again, file))), $"{file} differs between runs");
            }

            Assert.NotEqual(File.ReadAllText(Path.Combine(cohort.Folder, "labels.csv")).Split('\n')[1], File.ReadAllText(Path.Combine(other, "labels.csv")).Split('\n')[1]);
        }
        finally
        {
            Directory.Delete(again, recursive: true);
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void TheCohortHasEveryOutputFile()
    {
        foreach (var file in Files)
        {
            Assert.True(File.Exists(Path.Combine(cohort.Folder, file)), file);
        }

        Assert.True(File.Exists(Path.Combine(cohort.Folder, "fhir", "Patient.ndjson")));
        Assert.Equal(CohortFixture.Patients, Directory.EnumerateFiles(Path.Combine(cohort.Folder, "bundles")).Count());
        Assert.Equal(cohort.Summary.Images, Directory.EnumerateFiles(Path.Combine(cohort.Folder, "dicom")).Count());
        Assert.Equal(CohortFixture.Patients + 1, File.ReadAllLines(Path.Combine(cohort.Folder, "labels.csv")).Length);
    }

    [Fact]
    public void BulkExport_ReadsAsOneValidRecordWithEveryPatient()
    {
        var record = FhirRecordReader.ReadBulkExport(Path.Combine(cohort.Folder, "fhir"));

        Assert.True(record.IsValid, string.Join("\n", record.Issues.Take(5).Select(i => $"{i.Location}: {i.Message}")));
        Assert.Equal(CohortFixture.Patients, record.All<Hl7.Fhir.Model.Patient>().Count());
    }

    [Fact]
    public void EveryCaseBundle_PassesStrictR4Validation_AndGivesFeatures()
    {
        var validator = new StrictFhirValidator();
        var spec = FeatureSpecification.Load(Path.Combine(RepositoryRoot(), "models", "features", "feature-spec.v1.json"));
        var labels = File.ReadAllLines(Path.Combine(cohort.Folder, "labels.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[2]);
        foreach (var bundle in Directory.EnumerateFiles(Path.Combine(cohort.Folder, "bundles")).Order().Take(12))
        {
            var record = FhirRecordReader.ReadJson(File.ReadAllText(bundle), Path.GetFileName(bundle));
            Assert.True(record.IsValid, string.Join("\n", record.Issues.Select(i => $"{i.Location}: {i.Message}")));
            var errors = validator.Validate(record).Where(i => i.IsError).ToList();
            Assert.True(errors.Count == 0, $"{Path.GetFileName(bundle)}: {string.Join("\n", errors.Take(5).Select(i => $"{i.Location}: {i.Message}"))}");

            var index = DateTimeOffset.Parse(labels[Path.GetFileNameWithoutExtension(bundle)], System.Globalization.CultureInfo.InvariantCulture);
            var features = new FeatureExtractor(spec).Extract(CaseViewBuilder.Build(record, index));
            Assert.NotNull(features["heart_rate.latest"]);
            Assert.NotNull(features["crp.latest"]);
            Assert.NotNull(features["creatinine.latest"]);
            Assert.DoesNotContain(features.Flags, f => f.Reason.Contains("cannot be converted", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void EveryRadiograph_IsReadableAndTheSampleHasNoDciodvfyErrors()
    {
        var files = Directory.EnumerateFiles(Path.Combine(cohort.Folder, "dicom")).Order().ToList();
        foreach (var file in files)
        {
            var parsed = DicomReader.ReadFile(file);
            Assert.NotNull(new HealthAssist.Dicom.Imaging.PixelData(parsed).GetFrame(0));
        }

        foreach (var file in files.Take(6))
        {
            var (code, text) = Run("dciodvfy", file);
            Assert.DoesNotContain(text.Split('\n'), l => l.StartsWith("Error", StringComparison.Ordinal));
            Assert.Equal(0, Run("/usr/bin/python3", "-c", "import sys, pydicom; pydicom.dcmread(sys.argv[1]).pixel_array", file).Code);
            _ = code;
        }
    }

    [Fact]
    public void EveryRecording_ReadsWithTheIngestReader()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(cohort.Folder, "audio")).Order())
        {
            var recording = HealthAssist.Ingest.Audio.WavReader.Read(File.ReadAllBytes(file));
            Assert.True(recording.SampleRate >= 4000);
        }
    }

    [Fact]
    public void EveryPlantedPhiItem_IsReallyInTheFileNamed()
    {
        var items = JsonSerializer.Deserialize<List<PlantedPhi>>(File.ReadAllText(Path.Combine(cohort.Folder, "phi-truth.json")), JsonSerializerOptions.Web)!;
        var cache = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var item in items.Where(i => !i.Where.Contains("pixels", StringComparison.Ordinal)))
        {
            var file = item.Where.Split(": ", 2)[1].Split(' ')[0];
            if (!cache.TryGetValue(file, out var content))
            {
                cache[file] = content = Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(cohort.Folder, file))) + "\n" + Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(cohort.Folder, file)));
            }

            if (!content.Contains(item.Value, StringComparison.OrdinalIgnoreCase) && !Base64Contains(content, item.Value))
            {
                missing.Add($"{item.Type} '{item.Value}' not in {file}");
            }
        }

        output.WriteLine($"{items.Count} planted PHI items checked");
        Assert.True(missing.Count == 0, string.Join("\n", missing.Take(20)));
    }

    /// <summary>Planted signal is real but not trivial: simple single statistics separate the classes imperfectly.</summary>
    [Fact]
    public void SimpleStatistics_SeparateTheConditionsImperfectly()
    {
        var patients = Enumerable.Range(0, 1500).Select(i => CohortSimulator.Simulate(7, i)).ToList();
        double Auc(Func<SyntheticPatient, double> score, Func<SyntheticPatient, bool> label) =>
            Statistics.Auroc(patients.Select(p => (score(p), label(p))).ToList());

        var checks = new (string Name, double Auroc)[]
        {
            ("BNP by heart failure", Auc(p => p.Measurements.Bnp, p => p.Conditions.HasHeartFailure)),
            ("CRP by pneumonia", Auc(p => p.Measurements.Crp, p => p.Conditions.HasPneumonia)),
            ("temperature by pneumonia", Auc(p => p.Measurements.TemperatureCelsius, p => p.Conditions.HasPneumonia)),
            ("low SpO2 by COPD exacerbation", Auc(p => -p.Measurements.Spo2, p => p.Conditions.HasCopdExacerbation)),
            ("age by aortic stenosis", Auc(p => p.AgeYears, p => p.Conditions.HasAorticStenosis)),
            ("weight gain by heart failure", Auc(p => p.Measurements.WeightKg - p.Measurements.WeightKgThreeDaysBefore, p => p.Conditions.HasHeartFailure)),
            ("'cough' in the note by pneumonia", Auc(p => Note(p).Contains("cough", StringComparison.Ordinal) ? 1 : 0, p => p.Conditions.HasPneumonia)),
            ("'wheeze' in the note by COPD exacerbation", Auc(p => Note(p).Contains("wheeze", StringComparison.Ordinal) ? 1 : 0, p => p.Conditions.HasCopdExacerbation)),
            ("'oedema' in the note by heart failure", Auc(p => Note(p).Contains("oedema", StringComparison.Ordinal) ? 1 : 0, p => p.Conditions.HasHeartFailure)),
        };

        foreach (var (name, auroc) in checks)
        {
            output.WriteLine($"{name}: AUROC {auroc:F3}");
            Assert.InRange(auroc, 0.6, 0.99);
        }

        var prevalence = patients.Count(p => p.Conditions.None) / (double)patients.Count;
        output.WriteLine($"no acute condition: {prevalence:P1}; death 30 d {patients.Count(p => p.Outcomes.Death30Days) / 15.0:F1} %, ICU 48 h {patients.Count(p => p.Outcomes.Icu48Hours) / 15.0:F1} %, readmission {patients.Count(p => p.Outcomes.Readmission30Days) / 15.0:F1} %");
        Assert.InRange(prevalence, 0.3, 0.55);
    }

    [Fact]
    public void OutcomeRisks_AreTheProbabilitiesTheOutcomesWereDrawnFrom()
    {
        // The evaluator compares subgroup gaps with the gaps of these risks, so they must be what the labels came from.
        var patients = Enumerable.Range(0, 4000).Select(i => CohortSimulator.Simulate(13, i)).ToList();
        foreach (var (name, risk, happened) in new (string, Func<SyntheticPatient, double>, Func<SyntheticPatient, bool>)[]
        {
            ("death", p => p.Outcomes.Risks.Death30Days, p => p.Outcomes.Death30Days),
            ("ICU", p => p.Outcomes.Risks.Icu48Hours, p => p.Outcomes.Icu48Hours),
        })
        {
            var expected = patients.Average(risk);
            var observed = patients.Count(happened) / (double)patients.Count;
            var auroc = Statistics.Auroc(patients.Select(p => (risk(p), happened(p))).ToList());
            output.WriteLine($"{name}: mean risk {expected:P2}, observed {observed:P2}, AUROC of the risk {auroc:F3}");
            Assert.InRange(observed - expected, -0.015, 0.015);
            Assert.InRange(auroc, 0.65, 0.95);
        }

        Assert.All(patients, p => Assert.InRange(p.Outcomes.Risks.Readmission30Days, 0.01, 0.8));
    }

    [Fact]
    public void KnownAorticStenosis_IsOnTheProblemListAndInTheNoteTogether_AndUnknownOnesInNeither()
    {
        // Generator version 4: what the record knows, the note's past history repeats (and nothing the record does not).
        var files = new HealthAssist.Synthesis.Fhir.CaseFiles(null, null, null, null, null, null, "aortic area", "right lower zone");
        var stenoses = Enumerable.Range(0, 3000).Select(i => CohortSimulator.Simulate(11, i)).Where(p => p.Conditions.HasAorticStenosis).ToList();
        Assert.True(stenoses.Count > 100, $"only {stenoses.Count} stenoses to check");
        var known = 0;
        foreach (var p in stenoses)
        {
            var onProblemList = HealthAssist.Synthesis.Fhir.PatientFhir.Build(p, files).Resources.OfType<Hl7.Fhir.Model.Condition>()
                .Any(c => c.Code?.Coding.Any(code => code.Code is "60573004" or "I35.0") == true);
            var pastHistory = Note(p).Split('\n').Single(line => line.StartsWith("PMH:", StringComparison.Ordinal));
            var inNote = pastHistory.Contains("aortic stenosis", StringComparison.Ordinal) || pastHistory.Contains("known AS", StringComparison.Ordinal);
            Assert.Equal(p.History.AorticStenosisOnRecord, onProblemList);
            Assert.Equal(onProblemList, inNote);
            known += onProblemList ? 1 : 0;
        }

        output.WriteLine($"{known} of {stenoses.Count} stenoses known ({known / (double)stenoses.Count:P0})");
        Assert.InRange(known / (double)stenoses.Count, 0.4, 0.6);
    }

    private static string Note(SyntheticPatient p) => HealthAssist.Synthesis.Fhir.ClinicalNote.Write(p, "Hospital", "Dr A", "note").Text;

    private static bool Base64Contains(string content, string value)
    {
        // Note text travels base64-encoded inside DocumentReference attachments.
        foreach (var token in content.Split('"'))
        {
            if (token.Length > 40 && token.Length % 4 == 0)
            {
                try
                {
                    if (Encoding.UTF8.GetString(Convert.FromBase64String(token)).Contains(value, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }
                catch (FormatException)
                {
                }
            }
        }

        return false;
    }

    private static (int Code, string Text) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(60_000);
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    internal static string RepositoryRoot() => RepositoryPaths.Root;
}
