using System.Globalization;
using System.Text.Json;
using HealthAssist.Dicom.IO;
using HealthAssist.Dicom.Json;
using Xunit.Abstractions;

namespace HealthAssist.Dicom.Tests.Oracles;

/// <summary>
/// Every sample file, read by HealthAssist and by pydicom, must give the same DICOM JSON, element by element
/// (tag, VR, values). Differences that are pydicom's and not ours are listed in <see cref="KnownDifferences"/> with why.
/// </summary>
public sealed class OracleAgreementTests(PydicomOracle oracle, ITestOutputHelper output) : IClassFixture<PydicomOracle>
{
    /// <summary>(file name, JSON path prefix) → why the difference is accepted.</summary>
    private static readonly Dictionary<(string File, string Path), string> KnownDifferences = new()
    {
        [("badVR.dcm", "/00280008")] = "Number of Frames is the invalid IS \"1A\"; pydicom drops the element from its JSON (suppress_invalid_tags), we keep the text",
    };

    /// <summary>Files pydicom "reads" that we reject on purpose, with why.</summary>
    private static readonly Dictionary<string, string> RejectedOnPurpose = new()
    {
        ["MR_truncated.dcm"] = "Pixel Data declares 8192 bytes, 8130 remain: we refuse a truncated value (no partial record); pydicom keeps the short value",
        ["rtplan_truncated.dcm"] = "truncated inside a sequence: we refuse; pydicom returns what it read",
        ["no_meta.dcm"] = "one stray byte before the dataset: pydicom returns a single bogus element (0820,0500) whose length runs past the end of the file; dcmdump rejects it too",
    };

    /// <summary>Differences of rule between pydicom 2.3 and PS3.18 where we follow the standard; counted, not failed.</summary>
    private static readonly Dictionary<string, string> RuleDifferences = new()
    {
        ["empty-component"] = "an empty value inside a multi-valued element: PS3.18 F.2.5 writes null, pydicom an empty string",
        ["empty-sequence"] = "a sequence with no items: PS3.18 F.2.5 omits Value for an empty attribute, pydicom writes []",
        ["big-endian-binary"] = "OB/OW/OF… of a big endian file: PS3.18 F.2.7 InlineBinary is little endian, pydicom keeps the file's byte order (equal after swapping, checked)",
        ["group-length"] = "group lengths: PS3.18 F.2.2 excludes them, pydicom includes them",
    };

    [Fact]
    public void EveryFilePydicomReads_ParsesAndAgreesElementByElement()
    {
        long compared = 0, matched = 0;
        var rules = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var report = new List<string>();
        foreach (var file in oracle.Files)
        {
            var theirs = oracle[file];
            var name = Path.GetFileName(file);
            DicomFile ours;
            try
            {
                ours = DicomReader.ReadFile(file);
            }
            catch (DicomFormatException ex)
            {
                if (RejectedOnPurpose.TryGetValue(name, out var why))
                {
                    report.Add($"{name}: rejected on purpose ({ex.Message}): {why}");
                }
                else if (theirs.GetProperty("ok").GetBoolean())
                {
                    failures.Add($"{name}: pydicom reads it, we fail: {ex.Message}");
                }

                continue;
            }

            if (!theirs.GetProperty("ok").GetBoolean())
            {
                report.Add($"{name}: pydicom fails ({theirs.GetProperty("error").GetString()}), we parse it");
                continue;
            }

            using var mine = JsonDocument.Parse(DicomJsonWriter.Serialize(ours.Dataset));
            var bigEndian = theirs.TryGetProperty("transferSyntax", out var ts) && ts.GetString() == TransferSyntax.ExplicitVRBigEndian.Uid
                || (ts.ValueKind != JsonValueKind.String && ours.TransferSyntax == TransferSyntax.ExplicitVRBigEndian);
            var stats = new Stats { BigEndian = bigEndian };
            Compare(name, mine.RootElement, theirs.GetProperty("json"), "", stats);
            compared += stats.Compared;
            matched += stats.Matched;
            foreach (var (rule, count) in stats.Rules)
            {
                rules[rule] = rules.GetValueOrDefault(rule) + count;
            }

            failures.AddRange(stats.Differences.Select(d => $"{name}: {d}"));
        }

        var agreement = compared == 0 ? 0 : (double)matched / compared;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pydicom agreement: {matched}/{compared} elements ({agreement:P3}) over {oracle.Files.Count} files"));
        foreach (var (rule, count) in rules)
        {
            output.WriteLine($"  {count} element(s) differ by rule, counted as agreeing: {RuleDifferences[rule]}");
        }

        report.ForEach(output.WriteLine);
        failures.ForEach(output.WriteLine);
        Assert.True(failures.Count == 0, $"{failures.Count} differences; first: {string.Join("\n", failures.Take(40))}");
    }

    private sealed class Stats
    {
        public bool BigEndian { get; init; }

        public Dictionary<string, int> Rules { get; } = new(StringComparer.Ordinal);

        public void Rule(string rule) => Rules[rule] = Rules.GetValueOrDefault(rule) + 1;

        public long Compared { get; set; }

        public long Matched { get; set; }

        public List<string> Differences { get; } = [];
    }

    private static void Compare(string file, JsonElement ours, JsonElement theirs, string path, Stats stats)
    {
        var keys = ours.EnumerateObject().Select(p => p.Name).Union(theirs.EnumerateObject().Select(p => p.Name)).Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var elementPath = path + "/" + key;
            stats.Compared++;
            var known = KnownDifferences.FirstOrDefault(k => k.Key.File == file && elementPath.StartsWith(k.Key.Path, StringComparison.Ordinal));
            var hasOurs = ours.TryGetProperty(key, out var a);
            var hasTheirs = theirs.TryGetProperty(key, out var b);
            string? difference = null;
            if (!hasOurs && hasTheirs && key.EndsWith("0000", StringComparison.Ordinal))
            {
                stats.Rule("group-length");
            }
            else if (!hasOurs || !hasTheirs)
            {
                difference = hasOurs ? "only in ours" : "only in pydicom's";
            }
            else
            {
                difference = CompareElement(file, a, b, elementPath, stats);
            }

            if (difference is null || known.Value is not null)
            {
                stats.Matched++;
            }
            else
            {
                stats.Differences.Add($"{elementPath}: {difference}");
            }
        }
    }

    private static string? CompareElement(string file, JsonElement ours, JsonElement theirs, string path, Stats stats)
    {
        var vrOurs = ours.GetProperty("vr").GetString();
        var vrTheirs = theirs.TryGetProperty("vr", out var v) ? v.GetString() : null;
        if (vrOurs != vrTheirs)
        {
            return $"VR {vrOurs} vs {vrTheirs}";
        }

        if (ours.TryGetProperty("InlineBinary", out var binaryOurs) || theirs.TryGetProperty("InlineBinary", out _))
        {
            var a = binaryOurs.ValueKind == JsonValueKind.String ? binaryOurs.GetString() : null;
            var b = theirs.TryGetProperty("InlineBinary", out var binaryTheirs) ? binaryTheirs.GetString() : null;
            if (a != b && a is not null && b is not null && stats.BigEndian && DicomVR.TryParse(vrOurs!, out var binaryVR) && binaryVR.UnitSize > 1)
            {
                var swapped = Convert.FromBase64String(b);
                for (var i = 0; i + binaryVR.UnitSize <= swapped.Length; i += binaryVR.UnitSize)
                {
                    swapped.AsSpan(i, binaryVR.UnitSize).Reverse();
                }

                if (Convert.ToBase64String(swapped) == a)
                {
                    stats.Rule("big-endian-binary");
                    return null;
                }
            }

            return a == b ? null : $"InlineBinary differs ({a?.Length} vs {b?.Length} base64 chars)";
        }

        var hasA = ours.TryGetProperty("Value", out var valueOurs);
        var hasB = theirs.TryGetProperty("Value", out var valueTheirs);
        if (!hasA && !hasB)
        {
            return null;
        }

        if (!hasA && vrOurs == "SQ" && valueTheirs.GetArrayLength() == 0)
        {
            stats.Rule("empty-sequence");
            return null;
        }

        if (hasA != hasB)
        {
            return hasA ? $"we have Value {Short(valueOurs)}, pydicom none" : $"pydicom has Value {Short(valueTheirs)}, we none";
        }

        if (valueOurs.GetArrayLength() != valueTheirs.GetArrayLength())
        {
            return $"{valueOurs.GetArrayLength()} values vs {valueTheirs.GetArrayLength()}: {Short(valueOurs)} vs {Short(valueTheirs)}";
        }

        for (var i = 0; i < valueOurs.GetArrayLength(); i++)
        {
            var a = valueOurs[i];
            var b = valueTheirs[i];
            if (vrOurs == "SQ")
            {
                Compare(file, a, b, $"{path}[{i}]", stats);
                continue;
            }

            if (a.ValueKind == JsonValueKind.Null && b.ValueKind == JsonValueKind.String && b.GetString()!.Length == 0)
            {
                stats.Rule("empty-component");
                continue;
            }

            if (!ValuesEqual(a, b))
            {
                return $"value {i}: {Short(a)} vs {Short(b)}";
            }
        }

        return null;
    }

    private static bool ValuesEqual(JsonElement a, JsonElement b)
    {
        if (a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number)
        {
            var x = a.GetDouble();
            var y = b.GetDouble();
            return x == y || Math.Abs(x - y) <= 1e-9 * Math.Max(Math.Abs(x), Math.Abs(y));
        }

        if (a.ValueKind == JsonValueKind.Object && b.ValueKind == JsonValueKind.Object)
        {
            var keys = a.EnumerateObject().Select(p => p.Name).Union(b.EnumerateObject().Select(p => p.Name));
            return keys.All(k => a.TryGetProperty(k, out var x) && b.TryGetProperty(k, out var y) && x.GetString() == y.GetString());
        }

        return a.ValueKind == b.ValueKind && a.ToString() == b.ToString();
    }

    private static string Short(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}
