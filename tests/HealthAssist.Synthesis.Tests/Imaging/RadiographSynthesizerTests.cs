using HealthAssist.Dicom;
using HealthAssist.Dicom.IO;
using HealthAssist.Synthesis.Imaging;

namespace HealthAssist.Synthesis.Tests.Imaging;

public sealed class RadiographSynthesizerTests
{
    private static readonly RadiographFindings Pneumonia = new(0.2, 0.1, LungZone.RightLower, 0.7, EffusionSide.Right, 0.3, 0);

    [Fact]
    public void Create_WithTheSameRequestAndSeed_WritesByteIdenticalFiles()
    {
        var request = RadiographRequests.Request(Pneumonia, RadiographRequests.Style("DX", windowTags: 3, monochrome1: true, burnedInText: "ROSSI^GIULIA MRN48213007"));

        var first = DicomWriter.Write(RadiographSynthesizer.Create(request, 17).File);
        var second = DicomWriter.Write(RadiographSynthesizer.Create(request, 17).File);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Create_WithDifferentSeeds_DrawsDifferentPixels()
    {
        var request = RadiographRequests.Request(Pneumonia);

        var first = Pixels(RadiographSynthesizer.Create(request, 1).File);
        var second = Pixels(RadiographSynthesizer.Create(request, 2).File);

        Assert.Equal(first.Length, second.Length);
        var differing = Enumerable.Range(0, first.Length / 2).Count(i => first[2 * i] != second[2 * i] || first[(2 * i) + 1] != second[(2 * i) + 1]);
        Assert.True(differing > first.Length / 4, $"only {differing} of {first.Length / 2} pixels differ");
    }

    [Fact]
    public void PlantedPhi_ListsPatientNameAndId_AndEachHeaderValueIsInTheFile()
    {
        var identity = RadiographRequests.Identity(patientName: "Nørgaard^Søren", patientId: "PID-000731");
        var radiograph = RadiographSynthesizer.Create(RadiographRequests.Request(style: RadiographRequests.Style(burnedInText: "NORGAARD PID-000731"), identity: identity), 5);
        var file = DicomReader.Read(DicomWriter.Write(radiograph.File));

        Assert.Contains(radiograph.PlantedPhi, p => p.Type == "name" && p.Value == "Nørgaard^Søren" && p.Where == "(0010,0010) PatientName");
        Assert.Contains(radiograph.PlantedPhi, p => p.Type == "mrn" && p.Value == "PID-000731" && p.Where == "(0010,0020) PatientID");
        Assert.Contains(radiograph.PlantedPhi, p => p.Type == "mrn" && p.Value == "PID-000731" && p.Where.StartsWith("(0009,1002)", StringComparison.Ordinal));
        Assert.Contains(radiograph.PlantedPhi, p => p.Where == RadiographSynthesizer.BurnedInWhere && p.Type == "burned-in text" && p.Value == "NORGAARD PID-000731");
        Assert.Contains(radiograph.PlantedPhi, p => p.Where == RadiographSynthesizer.BurnedInWhere && p.Type == "mrn" && p.Value == "PID-000731");
        foreach (var phi in radiograph.PlantedPhi.Where(p => p.Where.StartsWith('(')))
        {
            var tag = new DicomTag(Convert.ToUInt16(phi.Where[1..5], 16), Convert.ToUInt16(phi.Where[6..10], 16));
            var written = (tag.Group == 0x0002 ? file.FileMetaInformation : file.Dataset).GetString(tag);
            Assert.True(written is not null && written.Contains(phi.Value, StringComparison.Ordinal), $"{phi.Type} '{phi.Value}' is not in {phi.Where}: '{written}'");
        }

        foreach (var expected in new[] { "name", "mrn", "date", "accession", "institution", "physician", "operator", "uid" })
        {
            Assert.Contains(radiograph.PlantedPhi, p => p.Type == expected);
        }
    }

    [Theory]
    [InlineData(false, false, "NO")]
    [InlineData(true, false, "YES")]
    [InlineData(true, true, "YES")]
    public void BurnedInText_IsDrawnAtFullIntensity_AndDeclared(bool withText, bool monochrome1, string declared)
    {
        var style = RadiographRequests.Style(monochrome1: monochrome1, burnedInText: withText ? "ROSSI GIULIA 23-NOV-1958" : null);
        var without = RadiographSynthesizer.Create(RadiographRequests.Request(style: style with { BurnedInText = null }), 9).File.Dataset;
        var dataset = RadiographSynthesizer.Create(RadiographRequests.Request(style: style), 9).File.Dataset;

        Assert.Equal(declared, dataset.GetString(new DicomTag(0x0028, 0x0301)));
        var image = RadiographMeasurements.Intensities(dataset, out var rows, out var columns);
        var plain = RadiographMeasurements.Intensities(without, out _, out _);
        var changed = Enumerable.Range(0, image.Length).Where(i => image[i] != plain[i]).ToList();
        if (!withText)
        {
            Assert.Empty(changed);
            return;
        }

        // Text pixels are at the top of the display range (stored 0 for MONOCHROME1), all in the top tenth of the image.
        Assert.True(changed.Count > 500, $"only {changed.Count} pixels changed");
        Assert.All(changed, i => Assert.Equal(1f, image[i]));
        Assert.All(changed, i => Assert.True(i / columns < rows / 10, $"text pixel in row {i / columns}"));
    }

    [Theory]
    [InlineData("CR", false, "MONOCHROME2")]
    [InlineData("CR", true, "MONOCHROME1")]
    [InlineData("DX", true, "MONOCHROME1")]
    public void Monochrome1_InvertsStoredValues_AndSaysSoInTheHeader(string modality, bool monochrome1, string photometric)
    {
        var style = RadiographRequests.Style(modality, monochrome1: monochrome1);
        var dataset = RadiographSynthesizer.Create(RadiographRequests.Request(style: style), 3).File.Dataset;
        var raw = Pixels(RadiographSynthesizer.Create(RadiographRequests.Request(style: style with { Monochrome1 = false }), 3).File);
        var stored = Pixels(dataset);

        Assert.Equal(photometric, dataset.GetString(new DicomTag(0x0028, 0x0004)));
        var max = (1 << style.BitsStored) - 1;
        for (var i = 0; i < raw.Length; i += 2 * 997)
        {
            var m2 = raw[i] | (raw[i + 1] << 8);
            var value = stored[i] | (stored[i + 1] << 8);
            Assert.Equal(monochrome1 ? max - m2 : m2, value);
        }

        if (modality == "DX")
        {
            Assert.Equal(monochrome1 ? "INVERSE" : "IDENTITY", dataset.GetString(new DicomTag(0x2050, 0x0020)));
        }
    }

    [Theory]
    [InlineData("CR", 0, false, false, false)]
    [InlineData("CR", 1, true, false, false)]
    [InlineData("CR", 2, true, true, false)]
    [InlineData("CR", 3, false, false, true)]
    [InlineData("DX", 0, true, false, false)] // DX For Presentation requires a VOI transform
    [InlineData("DX", 2, true, true, false)]
    [InlineData("DX", 3, false, false, true)]
    public void WindowTags_WriteTheRequestedVoiAttributes(string modality, int windowTags, bool window, bool twoWindows, bool lut)
    {
        var dataset = RadiographSynthesizer.Create(RadiographRequests.Request(style: RadiographRequests.Style(modality, windowTags: windowTags)), 4).File.Dataset;

        Assert.Equal(window, dataset.Contains(new DicomTag(0x0028, 0x1050)));
        Assert.Equal(twoWindows ? 2 : window ? 1 : 0, dataset.GetStrings(new DicomTag(0x0028, 0x1051)).Count);
        Assert.Equal(lut, dataset.Contains(new DicomTag(0x0028, 0x3010)));
    }

    [Fact]
    public void Create_WithAnInvalidUid_Throws()
    {
        var identity = RadiographRequests.Identity() with { SopInstanceUid = "1.2.3.abc" };

        Assert.Throws<ArgumentException>(() => RadiographSynthesizer.Create(RadiographRequests.Request(identity: identity), 1));
    }

    private static byte[] Pixels(DicomFile file) => Pixels(file.Dataset);

    private static byte[] Pixels(DicomDataset dataset) => ((DicomValueElement)dataset[DicomTag.PixelData]).Data.ToArray();
}
