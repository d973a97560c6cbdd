using System.Buffers.Binary;
using HealthAssist.Dicom.Imaging;
using HealthAssist.Dicom.IO;

namespace HealthAssist.Dicom.Tests.Imaging;

public sealed class ImagePreprocessorTests
{
    /// <summary>Builds small single-frame images for preprocessing tests.</summary>
    private sealed class ImageBuilder
    {
        private readonly DicomDataset _dataset = new();

        public ImageBuilder(int rows, int columns, string photometric = "MONOCHROME2", int bitsAllocated = 16, int samples = 1)
        {
            Us(0x0010, (ushort)rows);
            Us(0x0011, (ushort)columns);
            Us(0x0002, (ushort)samples);
            Us(0x0100, (ushort)bitsAllocated);
            Us(0x0101, (ushort)bitsAllocated);
            Us(0x0102, (ushort)(bitsAllocated - 1));
            Us(0x0103, 0);
            Text(0x0028, 0x0004, DicomVR.CS, photometric);
        }

        public ImageBuilder Text(ushort group, ushort element, DicomVR vr, string value)
        {
            _dataset.Set(DicomValueElement.FromText(new DicomTag(group, element), vr, value));
            return this;
        }

        public ImageBuilder Window(double center, double width) =>
            Text(0x0028, 0x1050, DicomVR.DS, center.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Text(0x0028, 0x1051, DicomVR.DS, width.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public ImageBuilder Rescale(double slope, double intercept) =>
            Text(0x0028, 0x1053, DicomVR.DS, slope.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Text(0x0028, 0x1052, DicomVR.DS, intercept.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public ImageBuilder Pixels16(Func<int, int, ushort> value)
        {
            var rows = _dataset.GetInt(new DicomTag(0x0028, 0x0010))!.Value;
            var columns = _dataset.GetInt(new DicomTag(0x0028, 0x0011))!.Value;
            var bytes = new byte[rows * columns * 2];
            for (var y = 0; y < rows; y++)
            {
                for (var x = 0; x < columns; x++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(((y * columns) + x) * 2), value(x, y));
                }
            }

            _dataset.Set(new DicomValueElement(DicomTag.PixelData, DicomVR.OW, bytes));
            return this;
        }

        public ImageBuilder Pixels8(byte[] bytes)
        {
            _dataset.Set(new DicomValueElement(DicomTag.PixelData, DicomVR.OB, bytes));
            return this;
        }

        public (PixelData Pixels, DicomDataset Dataset) Build()
        {
            var file = new DicomFile(new DicomDataset(), _dataset, TransferSyntax.ExplicitVRLittleEndian, true);
            return (new PixelData(file), _dataset);
        }

        private void Us(ushort element, ushort value) => _dataset.Set(DicomValueElement.FromUInt16(new DicomTag(0x0028, element), value));
    }

    private static readonly PreprocessingOptions Identity = new() { Width = 4, Height = 4, Mean = [0f], StandardDeviation = [1f], MinimumSide = 1 };

    [Fact]
    public void Window_MapsValuesWithTheLinearFunctionOfPS33()
    {
        // Center 100, width 101: values <= 49.5 → 0, > 149.5 → 1, 100 → ((100 - 99.5) / 100) + 0.5 = 0.505.
        var (pixels, dataset) = new ImageBuilder(4, 4).Window(100, 101).Pixels16((x, _) => x switch { 0 => 40, 1 => 100, 2 => 149, _ => 200 }).Build();

        var image = ImagePreprocessor.Process(pixels, 0, Identity, dataset);

        Assert.Equal(0f, image.Tensor[0], 5);
        Assert.Equal(0.505f, image.Tensor[1], 5);
        Assert.Equal(0.995f, image.Tensor[2], 5);
        Assert.Equal(1f, image.Tensor[3], 5);
        Assert.Equal("window", image.WindowSource);
    }

    [Fact]
    public void RescaleIsAppliedBeforeTheWindow()
    {
        // Stored 1100 with slope 1, intercept -1024 is 76 HU; a window centred on 76.5 puts it at 0.5.
        var (pixels, dataset) = new ImageBuilder(4, 4).Rescale(1, -1024).Window(76.5, 101).Pixels16((_, _) => 1100).Build();

        var image = ImagePreprocessor.Process(pixels, 0, Identity, dataset);

        Assert.All(image.Tensor, v => Assert.Equal(0.5f, v, 5));
    }

    [Fact]
    public void Monochrome1_IsInverted()
    {
        var (pixels, dataset) = new ImageBuilder(4, 4, "MONOCHROME1").Window(100, 101).Pixels16((_, _) => 40).Build();

        var image = ImagePreprocessor.Process(pixels, 0, Identity, dataset);

        Assert.All(image.Tensor, v => Assert.Equal(1f, v, 5));
    }

    [Fact]
    public void WithoutWindow_APercentileWindowIsUsedAndFlagged()
    {
        var (pixels, dataset) = new ImageBuilder(100, 100).Pixels16((x, y) => (ushort)((y * 100) + x)).Build();

        var image = ImagePreprocessor.Process(pixels, 0, Identity with { Width = 100, Height = 100 }, dataset);

        Assert.True(image.Issues.HasFlag(ImageQualityIssues.PercentileWindowUsed));
        Assert.Equal(0f, image.Tensor[0], 3);
        Assert.Equal(1f, image.Tensor[^1], 3);
    }

    [Fact]
    public void AreaResize_AveragesTheCoveredPixels()
    {
        float[] input =
        [
            1, 3, 5, 7,
            1, 3, 5, 7,
            0, 0, 8, 8,
            0, 0, 8, 8,
        ];

        var output = ImagePreprocessor.ResizeArea(input, 4, 4, 2, 2);

        Assert.Equal([2f, 6f, 0f, 8f], output);
    }

    [Fact]
    public void AreaResize_WeightsPartiallyCoveredPixels()
    {
        var output = ImagePreprocessor.ResizeArea([0f, 3f, 6f], 3, 1, 2, 1);

        Assert.Equal(1f, output[0], 5); // covers 0 fully and half of 3: (0 + 1.5) / 1.5
        Assert.Equal(5f, output[1], 5);
    }

    [Fact]
    public void YbrFull_IsConvertedToRgb()
    {
        // Pure red (255,0,0) in YBR_FULL is Y=76, Cb=85, Cr=255 (BT.601 full range).
        var (pixels, dataset) = new ImageBuilder(2, 2, "YBR_FULL", 8, 3).Pixels8(Enumerable.Repeat(new byte[] { 76, 85, 255 }, 4).SelectMany(b => b).ToArray()).Build();

        var image = ImagePreprocessor.Process(pixels, 0, new PreprocessingOptions { Width = 2, Height = 2, Channels = 3, Mean = [0f], StandardDeviation = [1f], MinimumSide = 1 }, dataset);

        Assert.Equal(1f, image.Tensor[0], 1);
        Assert.Equal(0f, image.Tensor[4], 1);
        Assert.Equal(0f, image.Tensor[8], 1);
    }

    [Fact]
    public void QualityIssues_AreReported()
    {
        var (pixels, dataset) = new ImageBuilder(8, 8).Text(0x0028, 0x0301, DicomVR.CS, "YES").Window(1, 2).Pixels16((_, _) => 1).Build();

        var image = ImagePreprocessor.Process(pixels, 0, new PreprocessingOptions(), dataset);

        Assert.True(image.Issues.HasFlag(ImageQualityIssues.TinyImage));
        Assert.True(image.Issues.HasFlag(ImageQualityIssues.BurnedInAnnotation));
    }

    [Fact]
    public void PaletteColour_IsFlaggedUnsupported()
    {
        var file = DicomReader.ReadFile(SampleData.File("pydicom/examples_palette.dcm"));

        var image = ImagePreprocessor.Process(new PixelData(file), 0, new PreprocessingOptions(), file.Dataset);

        Assert.True(image.Issues.HasFlag(ImageQualityIssues.UnsupportedPhotometricInterpretation));
    }

    [Fact]
    public void RealCt_GivesAFiniteTensorOfTheModelSizeAndAPng()
    {
        var file = DicomReader.ReadFile(SampleData.File("pydicom/CT_small.dcm"));

        var image = ImagePreprocessor.Process(new PixelData(file), 0, new PreprocessingOptions(), file.Dataset);

        Assert.Equal(224 * 224, image.Tensor.Length);
        Assert.All(image.Tensor, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, image.PreviewPng[..4]);
        Assert.Equal(224, BinaryPrimitives.ReadInt32BigEndian(image.PreviewPng.AsSpan(16)));
    }

    [Fact]
    public void MissingPixelData_IsAClearError()
    {
        var file = DicomReader.ReadFile(SampleData.File("pydicom/rtplan_truncated.dcm").Replace("rtplan_truncated", "ExplVR_LitEndNoMeta", StringComparison.Ordinal));

        var error = Assert.Throws<DicomFormatException>(() => new PixelData(file));

        Assert.Contains("no pixel data", error.Message, StringComparison.Ordinal);
    }
}
