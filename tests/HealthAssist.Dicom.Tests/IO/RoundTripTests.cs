using HealthAssist.Dicom.IO;
using HealthAssist.Dicom.Json;

namespace HealthAssist.Dicom.Tests.IO;

public sealed class RoundTripTests
{
    public static TheoryData<string> ReadableSamples()
    {
        var data = new TheoryData<string>();
        foreach (var file in SampleData.AllDicomFiles())
        {
            try
            {
                DicomReader.ReadFile(file);
                data.Add(Path.GetFileName(file));
            }
            catch (DicomFormatException)
            {
                // malformed samples are covered by the robustness tests
            }
        }

        return data;
    }

    private static string Sample(string name) => SampleData.AllDicomFiles().Single(f => Path.GetFileName(f) == name);

    [Theory]
    [MemberData(nameof(ReadableSamples))]
    public void ReadWriteRead_GivesTheSameElements(string name)
    {
        var original = DicomReader.ReadFile(Sample(name));

        var written = DicomWriter.Write(original);
        var reread = DicomReader.Read(written);

        // Odd-length values come back padded to even length, as PS3.5 7.1.1 requires of the writer.
        Assert.Equal(DicomJsonWriter.Serialize(PaddedToEvenLength(original.Dataset), indented: true), DicomJsonWriter.Serialize(reread.Dataset, indented: true));
        var expectedSyntax = original.TransferSyntax.IsEncapsulated && original.Dataset.TryGet(DicomTag.PixelData, out var pixels) && pixels is DicomFragmentSequence
            ? original.TransferSyntax.Uid
            : TransferSyntax.ExplicitVRLittleEndian.Uid;
        Assert.Equal(expectedSyntax, reread.TransferSyntax.Uid);
        Assert.True(reread.HadPreamble);
    }

    [Theory]
    [MemberData(nameof(ReadableSamples))]
    public void WrittenFiles_AreReadByDcmdumpAndAddNoDciodvfyErrors(string name)
    {
        var input = Sample(name);
        var output = Path.Combine(Path.GetTempPath(), $"ha-rt-{Guid.NewGuid():N}.dcm");
        try
        {
            DicomWriter.WriteFile(output, DicomReader.ReadFile(input));

            var dump = ExternalTool.Run("dcmdump", "-q", output);
            Assert.True(dump.ExitCode == 0, $"dcmdump failed on the written {name}: {dump.Error}");

            // The baseline is the input as dciodvfy sees it directly and after dcmtk's own conversion to explicit VR
            // little endian (dciodvfy does not inflate deflated files, so some errors only show after conversion).
            var converted = output + ".dcmconv.dcm";
            var before = Errors(ExternalTool.Run("dciodvfy", input));
            if (ExternalTool.Run("dcmconv", "+te", input, converted).ExitCode == 0)
            {
                before.UnionWith(Errors(ExternalTool.Run("dciodvfy", converted)));
                File.Delete(converted);
            }

            var after = Errors(ExternalTool.Run("dciodvfy", output));
            var added = after.Except(before).ToList();
            Assert.True(added.Count == 0, $"dciodvfy reports new errors for {name}:\n{string.Join('\n', added)}");
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void Writer_RecomputesTheFileMetaGroupLength()
    {
        var written = DicomWriter.Write(DicomReader.ReadFile(Sample("CT_small.dcm")));

        var reread = DicomReader.Read(written);
        var declared = reread.FileMetaInformation.GetNumber(DicomTag.FileMetaInformationGroupLength);
        var actual = reread.FileMetaInformation.Where(e => e.Tag.Element != 0).Sum(e => 8 + (e.VR.HasLongExplicitLength ? 4 : 0) + e.ValueLength);

        Assert.Equal(actual, declared);
        Assert.Equal(DicomWriter.ImplementationClassUid, reread.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0012)));
    }

    private static DicomDataset PaddedToEvenLength(DicomDataset source, DicomDataset? parent = null)
    {
        var copy = new DicomDataset(parent);
        foreach (var element in source)
        {
            copy.Set(element switch
            {
                DicomValueElement { Data.Length: var length } value when length % 2 == 1 =>
                    new DicomValueElement(value.Tag, value.VR, value.Data.ToArray().Append(value.VR.Padding).ToArray()),
                DicomSequence sequence => new DicomSequence(sequence.Tag, sequence.Items.Select(i => PaddedToEvenLength(i, copy)).ToList()),
                _ => element,
            });
        }

        return copy;
    }

    private static HashSet<string> Errors((int ExitCode, string Output, string Error) result) =>
        (result.Output + "\n" + result.Error).Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).Select(l => l.Trim()).ToHashSet();

}
