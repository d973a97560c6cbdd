using System.Text;
using System.Text.Json;
using HealthAssist.Deidentify.Audio;
using HealthAssist.Deidentify.Dicom;
using HealthAssist.Deidentify.Fhir;
using HealthAssist.Dicom.IO;
using HealthAssist.Security;
using Xunit.Abstractions;

namespace HealthAssist.Synthesis.Tests.Cohort;

/// <summary>
/// The canary test: every PHI value the generator planted (phi-truth.json) is searched for in every byte that
/// de-identification writes — FHIR, DICOM and WAV — case-insensitively and in the variants a leak takes.
/// </summary>
public sealed partial class DeidentificationLeakTests(CohortFixture cohort, ITestOutputHelper output) : IClassFixture<CohortFixture>
{
    [Fact]
    public void DeidentifiedCohort_ContainsNoPlantedPhi()
    {
        var secret = DeploymentSecret.FromBase64("xjIHaFYWZOIM3kALcU1ao6ePDqFdweAtVDaTjME40F8=") /* fixed so the run is repeatable */;
        var caseKeys = new Dictionary<string, HealthAssist.Deidentify.PatientKeys>(StringComparer.Ordinal);
        var inputDates = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var profile = FhirDeidentificationProfile.Load(Path.Combine(CohortTests.RepositoryRoot(), "models", "deid", "fhir-profile.v1.json"));
        var fhir = new FhirDeidentifier(profile, secret);
        var dicom = new DicomDeidentifier(secret);
        var outputs = new Dictionary<string, List<byte[]>>(StringComparer.Ordinal);
        var quarantined = 0;
        foreach (var bundle in Directory.EnumerateFiles(Path.Combine(cohort.Folder, "bundles")).Order())
        {
            var caseId = Path.GetFileNameWithoutExtension(bundle);
            var text = File.ReadAllText(bundle);
            var (json, _) = fhir.Deidentify(text);
            var mine = outputs[caseId] = [Encoding.UTF8.GetBytes(json)];

            // One set of keys per patient across modalities: the pipeline passes the FHIR record's keys to DICOM.
            using var document = JsonDocument.Parse(text);
            var keys = fhir.KeysByPatient(document.RootElement.GetProperty("entry").EnumerateArray()
                .Select(e => System.Text.Json.Nodes.JsonNode.Parse(e.GetProperty("resource").GetRawText())!.AsObject())).Values.Single();
            caseKeys[caseId] = keys;
            inputDates[caseId] = [.. IsoDate().Matches(text).Select(m => m.Value)];
            var image = Path.Combine(cohort.Folder, "dicom", caseId + ".dcm");
            if (File.Exists(image))
            {
                var result = dicom.Deidentify(DicomReader.ReadFile(image), keys);
                if (result.Quarantined)
                {
                    quarantined++;
                }
                else
                {
                    // Pixel bytes read as text make chance digit runs; burned-in text is handled by quarantine.
                    // Binary values (pixels, LUTs) read as text make chance digit runs: the header is searched as DICOM JSON
                    // without its base64 payloads. Burned-in text is handled by quarantine.
                    var header = HealthAssist.Dicom.Json.DicomJsonWriter.Serialize(result.File!.Dataset);
                    // LUT Data (0028,3006) written as US is a table of numbers (a ramp), not text: a 5-digit ZIP can sit in it by chance.
                    header = LutData().Replace(InlineBinary().Replace(header, "\"InlineBinary\":\"\""), "\"00283006\":{\"vr\":\"US\"}");
                    mine.Add(Encoding.UTF8.GetBytes(header));
                }
            }

            foreach (var kind in new[] { "heart", "lung" })
            {
                var wav = Path.Combine(cohort.Folder, "audio", $"{caseId}-{kind}.wav");
                if (File.Exists(wav))
                {
                    mine.Add(WithoutSamples(AudioDeidentifier.Deidentify(File.ReadAllBytes(wav)).Wav));
                }
            }
        }

        var planted = JsonSerializer.Deserialize<List<PlantedPhi>>(File.ReadAllText(Path.Combine(cohort.Folder, "phi-truth.json")), JsonSerializerOptions.Web)!;
        // Each patient's planted values are searched in that patient's outputs: another patient's shifted date may
        // equal this one's true date by chance, which is not a leak.
        // Pseudonyms made by HMAC (hex ids, UUIDs, 2.25 UIDs) are random digit runs that cannot carry PHI: removed first.
        var haystacks = outputs.ToDictionary(o => o.Key, o => Pseudonyms().Replace(
            string.Join('\n', o.Value.Select(b => Encoding.Latin1.GetString(b) + "\n" + Encoding.UTF8.GetString(b))).ToUpperInvariant(), "#"));
        var leaks = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in planted.Where(p => p.Type is not ("uid" or "burned-in text") && !TimeOfDay().IsMatch(p.Value)))
        {
            var caseId = item.Where.Split(':')[0];
            var knownDates = planted.Where(p => p.Type == "date" && p.Where.StartsWith(caseId + ":", StringComparison.Ordinal)).Select(p => p.Value).Concat(inputDates[caseId]);
            if (item.Type == "date" && IsShiftOfAnotherDate(item.Value, knownDates, caseKeys[caseId]))
            {
                continue; // another of this patient's dates, shifted, happens to land on this one
            }

            foreach (var variant in Variants(item.Value))
            {
                var at = variant.Length >= 4 ? haystacks[caseId].IndexOf(variant, StringComparison.Ordinal) : -1;
                if (at >= 0)
                {
                    var context = haystacks[caseId].Substring(Math.Max(0, at - 30), Math.Min(80, haystacks[caseId].Length - Math.Max(0, at - 30)));
                    leaks.Add($"{caseId} {item.Type}: {variant} in …{new string(context.Select(c => c is >= ' ' and <= '~' ? c : '.').ToArray())}…");
                }
            }
        }

        output.WriteLine($"{planted.Count} planted items, {outputs.Values.Sum(o => o.Count)} de-identified files ({quarantined} radiographs quarantined), {leaks.Count} leaks");
        foreach (var leak in leaks)
        {
            output.WriteLine("leak: " + leak);
        }

        Assert.True(leaks.Count == 0, "Leaked: " + string.Join(", ", leaks.Take(30)));
    }

    private static bool IsShiftOfAnotherDate(string value, IEnumerable<string> dates, HealthAssist.Deidentify.PatientKeys keys)
    {
        string[] formats = ["yyyy-MM-dd", "yyyyMMdd", "MM/dd/yyyy", "d MMM yyyy"];
        foreach (var other in dates)
        {
            if (DateOnly.TryParseExact(other, formats, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
            {
                var shifted = keys.Shift(date);
                if (formats.Any(f => shifted.ToString(f, System.Globalization.CultureInfo.InvariantCulture).Equals(value, StringComparison.OrdinalIgnoreCase)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"InlineBinary\":\"[^\"]*\"")]
    private static partial System.Text.RegularExpressions.Regex InlineBinary();

    [System.Text.RegularExpressions.GeneratedRegex(@"""00283006""\s*:\s*\{[^{}]*\}")]
    private static partial System.Text.RegularExpressions.Regex LutData();

    [System.Text.RegularExpressions.GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial System.Text.RegularExpressions.Regex IsoDate();

    [System.Text.RegularExpressions.GeneratedRegex(@"2\.25\.\d+|[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}|[0-9A-F]{24}")]
    private static partial System.Text.RegularExpressions.Regex Pseudonyms();

    /// <summary>The WAV without the sample bytes of its data chunk (samples read as text make chance digit runs).</summary>
    private static byte[] WithoutSamples(byte[] wav)
    {
        var position = 12;
        while (position + 8 <= wav.Length)
        {
            var size = (int)Math.Min(System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(wav.AsSpan(position + 4)), (uint)(wav.Length - position - 8));
            if (Encoding.ASCII.GetString(wav, position, 4) == "data")
            {
                return [.. wav.AsSpan(0, position + 8), .. wav.AsSpan(position + 8 + size)];
            }

            position += 8 + size + (size % 2);
        }

        return wav;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{2}:\d{2}(:\d{2})?$")]
    private static partial System.Text.RegularExpressions.Regex TimeOfDay();

    /// <summary>The value, its DICOM form (Family^Given), reversed order, upper case, and digits without separators.</summary>
    private static IEnumerable<string> Variants(string value)
    {
        var upper = value.ToUpperInvariant();
        yield return upper;
        var digits = new string(upper.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length >= 6 && digits.Length != upper.Length)
        {
            yield return digits;
        }

        var parts = upper.Split([' ', '^'], StringSplitOptions.RemoveEmptyEntries).Where(p => p is not ("DR" or "RT")).ToArray();
        if (parts.Length >= 2)
        {
            yield return string.Join('^', parts);
            yield return string.Join('^', parts.Reverse());
            yield return string.Join(' ', parts.Reverse());
            yield return string.Join(", ", parts.Reverse());
        }
    }
}

public sealed class DeidentifiedFhirValidityTests(CohortFixture cohort) : IClassFixture<CohortFixture>
{
    [Fact]
    public void DeidentifiedBundles_StillPassStrictR4Validation_AndReadAsRecords()
    {
        var profile = FhirDeidentificationProfile.Load(Path.Combine(CohortTests.RepositoryRoot(), "models", "deid", "fhir-profile.v1.json"));
        var deidentifier = new FhirDeidentifier(profile, DeploymentSecret.Generate());
        var validator = new HealthAssist.Ingest.Fhir.StrictFhirValidator();
        foreach (var bundle in Directory.EnumerateFiles(Path.Combine(cohort.Folder, "bundles")).Order().Take(8))
        {
            var (json, _) = deidentifier.Deidentify(File.ReadAllText(bundle));
            var record = HealthAssist.Ingest.Fhir.FhirRecordReader.ReadJson(json);

            Assert.True(record.IsValid, string.Join("\n", record.Issues.Select(i => $"{i.Location}: {i.Message}")));
            var errors = validator.Validate(record).Where(i => i.IsError).ToList();
            Assert.True(errors.Count == 0, $"{Path.GetFileName(bundle)}: {string.Join("\n", errors.Take(5).Select(i => $"{i.Location}: {i.Message}"))}");
        }
    }
}
