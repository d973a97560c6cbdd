using HealthAssist.Deidentify.Dicom;
using HealthAssist.Dicom;
using HealthAssist.Dicom.IO;

namespace HealthAssist.UnitTests.Deidentify.Dicom;

/// <summary>De-identification of the public pydicom samples, checked by dcmdump, pydicom and dciodvfy.</summary>
public sealed class DicomDeidentifierSampleTests
{
    private static readonly DicomDeidentifier Deidentifier = new(TestSecrets.A);

    public static TheoryData<string> Samples() => [.. DicomSamples.Readable()];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Deidentify_Sample_IsWrittenAndLeavesNoneOfItsIdentifyingValues_OrIsQuarantinedWithAReason(string name)
    {
        var input = DicomSamples.Read(name);

        var result = Deidentifier.Deidentify(input);

        if (result.Quarantined)
        {
            Assert.False(string.IsNullOrWhiteSpace(result.QuarantineReason));
            return;
        }

        var bytes = DicomWriter.Write(result.File!);
        var (values, names) = IdentifyingValues(input.Dataset);
        var kept = KeptText(input.Dataset);
        var leaks = Leaks.Find(bytes, values, names).Where(leak => !kept.Any(k => k.Contains(leak, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, $"{name}: {string.Join(", ", leaks)}");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Deidentify_Sample_IsReadByDcmdumpAndPydicom_AndAddsNoDciodvfyErrors(string name)
    {
        var inputPath = DicomSamples.FilePath(name);
        var result = Deidentifier.Deidentify(DicomReader.ReadFile(inputPath));
        if (result.Quarantined)
        {
            return; // covered above: a quarantined instance has no output to check
        }

        var output = Path.Combine(Path.GetTempPath(), $"ha-deid-{Guid.NewGuid():N}.dcm");
        var converted = output + ".input.dcm";
        try
        {
            DicomWriter.WriteFile(output, result.File!);

            var dump = DicomTools.Run("dcmdump", "-q", output);
            Assert.True(dump.ExitCode == 0, $"dcmdump failed on de-identified {name}: {dump.Error}");
            var pydicom = DicomTools.Run("/usr/bin/python3", "-c", DicomTools.PydicomRead, output);
            Assert.True(pydicom.ExitCode == 0, $"pydicom failed on de-identified {name}: {pydicom.Error}");

            // Baseline: the input as dciodvfy sees it directly and after dcmtk's conversion to explicit VR little endian.
            var before = DicomTools.DciodvfyErrors(inputPath);
            if (DicomTools.Run("dcmconv", "+te", inputPath, converted).ExitCode == 0)
            {
                before.UnionWith(DicomTools.DciodvfyErrors(converted));
            }

            var after = DicomTools.DciodvfyErrors(output);
            Assert.False(DicomTools.ReadWasAbandoned(after), $"dciodvfy could not read de-identified {name}");
            if (DicomTools.ReadWasAbandoned(before))
            {
                return; // the input stops dciodvfy early (illegal groups, no transfer syntax): there is no baseline to compare
            }

            var added = after.Except(before).ToList();
            Assert.True(added.Count == 0, $"dciodvfy reports new errors for de-identified {name}:\n{string.Join('\n', added)}");
        }
        finally
        {
            File.Delete(output);
            File.Delete(converted);
        }
    }

    [Fact]
    public void Deidentify_Samples_QuarantinesEverySecondaryCaptureWithoutBurnedInAnnotation()
    {
        var quarantined = DicomSamples.Readable().Where(n => n.StartsWith("SC_", StringComparison.Ordinal))
            .Select(n => (Name: n, Result: Deidentifier.Deidentify(DicomSamples.Read(n))))
            .ToList();

        Assert.NotEmpty(quarantined);
        Assert.All(quarantined, r => Assert.True(r.Result.Quarantined, $"{r.Name} passed through"));
    }

    [Fact]
    public void Deidentify_CtSample_TwiceWithTheSameSecret_IsByteIdentical()
    {
        var first = DicomWriter.Write(Deidentifier.Deidentify(DicomSamples.Read("CT_small.dcm")).File!);
        var second = DicomWriter.Write(new DicomDeidentifier(TestSecrets.A).Deidentify(DicomSamples.Read("CT_small.dcm")).File!);

        Assert.Equal(first, second);
    }

    // Text the profile keeps as it is (attributes outside the table, e.g. Manufacturer 'TOSHIBA_MEC' or a coding scheme
    // 'TEST'): a planted value that is also such a text (Institution Name 'TOSHIBA', Patient's Name 'Test^S R') is no leak.
    private static List<string> KeptText(DicomDataset dataset)
    {
        var kept = new List<string>();
        foreach (var element in dataset)
        {
            if (element is DicomSequence sequence)
            {
                foreach (var item in sequence.Items)
                {
                    kept.AddRange(KeptText(item));
                }
            }
            else if (element is DicomValueElement { VR.Kind: VRKind.Text, VR.Code: not ("PN" or "DA" or "DT") } value && !element.Tag.IsPrivate
                && !ConfidentialityProfile.TryFind(element.Tag, out _))
            {
                kept.AddRange(value.GetStrings(dataset.CharacterSet));
            }
        }

        return kept;
    }

    // What the shared data README lists as PHI-like, plus the usual places: names, IDs, accession, institution, dates.
    private static (List<string> Values, List<string> Names) IdentifyingValues(DicomDataset dataset)
    {
        var values = new List<string>();
        var names = new List<string>();
        foreach (var (group, element) in new (ushort, ushort)[] { (0x0010, 0x0020), (0x0010, 0x1000), (0x0008, 0x0050), (0x0008, 0x0080), (0x0010, 0x0030), (0x0008, 0x0020), (0x0018, 0x1000) })
        {
            foreach (var value in dataset.GetStrings(new DicomTag(group, element)).Select(v => v.Trim()))
            {
                if (value.Length >= 4 && !string.Equals(value, DummyValues.Text, StringComparison.OrdinalIgnoreCase) && !value.All(c => c is '0' or '.'))
                {
                    values.Add(value);
                }
            }
        }

        foreach (var (group, element) in new (ushort, ushort)[] { (0x0010, 0x0010), (0x0008, 0x0090), (0x0008, 0x1050), (0x0008, 0x1070) })
        {
            names.AddRange(dataset.GetStrings(new DicomTag(group, element)).Select(v => v.Trim())
                .Where(v => v.Replace("^", string.Empty, StringComparison.Ordinal).Length >= 3 && !string.Equals(v, "Anonymized", StringComparison.OrdinalIgnoreCase)));
        }

        return (values, names);
    }
}
