using HealthAssist.Dicom;
using HealthAssist.Dicom.Imaging;

namespace HealthAssist.Deidentify.Dicom;

/// <summary>
/// Burned-in text: decides whether an instance's pixels may carry text, and blanks the regions a matching
/// <see cref="PixelCleaningRule"/> declares in native (uncompressed) pixel data. Whatever it cannot clean it refuses
/// with a reason, so that the caller quarantines the instance: pixels that may show a name are never passed through.
/// </summary>
internal static class BurnedInAnnotationPolicy
{
    private static readonly DicomTag BurnedInAnnotation = new(0x0028, 0x0301);
    private static readonly DicomTag Modality = new(0x0008, 0x0060);
    private static readonly DicomTag SopClassUid = new(0x0008, 0x0016);
    private static readonly DicomTag Manufacturer = new(0x0008, 0x0070);
    private static readonly DicomTag ManufacturerModelName = new(0x0008, 0x1090);
    private const string SecondaryCaptureClassPrefix = "1.2.840.10008.5.1.4.1.1.7";

    /// <summary>Whether the pixels may carry burned-in text: Burned In Annotation is YES, or it is absent or empty and the
    /// modality is one listed in the options or the SOP class is a Secondary Capture class. Only with pixel data.</summary>
    public static bool MayCarryText(DicomDataset dataset, DicomDeidentificationOptions options)
    {
        if (!dataset.Contains(DicomTag.PixelData) && !dataset.Contains(DicomTag.FloatPixelData) && !dataset.Contains(DicomTag.DoubleFloatPixelData))
        {
            return false;
        }

        var declared = dataset.GetString(BurnedInAnnotation)?.Trim();
        if (!string.IsNullOrEmpty(declared))
        {
            return !string.Equals(declared, "NO", StringComparison.OrdinalIgnoreCase);
        }

        var modality = dataset.GetString(Modality)?.Trim() ?? string.Empty;
        var sopClass = dataset.GetString(SopClassUid)?.Trim() ?? string.Empty;
        return options.BurnedInTextModalities.Any(m => string.Equals(m.Trim(), modality, StringComparison.OrdinalIgnoreCase))
            || sopClass.StartsWith(SecondaryCaptureClassPrefix, StringComparison.Ordinal);
    }

    /// <summary>The rule whose manufacturer, model and image size match the instance, or null.</summary>
    public static PixelCleaningRule? FindRule(DicomDataset dataset, DicomDeidentificationOptions options)
    {
        var manufacturer = dataset.GetString(Manufacturer)?.Trim() ?? string.Empty;
        var model = dataset.GetString(ManufacturerModelName)?.Trim() ?? string.Empty;
        var rows = dataset.GetInt(new DicomTag(0x0028, 0x0010));
        var columns = dataset.GetInt(new DicomTag(0x0028, 0x0011));
        return options.PixelCleaningRules.FirstOrDefault(rule =>
            (rule.Manufacturer is null || string.Equals(rule.Manufacturer.Trim(), manufacturer, StringComparison.OrdinalIgnoreCase))
            && (rule.ManufacturerModelName is null || string.Equals(rule.ManufacturerModelName.Trim(), model, StringComparison.OrdinalIgnoreCase))
            && (rule.Rows is null || rule.Rows == rows)
            && (rule.Columns is null || rule.Columns == columns));
    }

    /// <summary>
    /// Blanks (sets to zero) the rule's regions in every frame of native pixel data. Returns the new Pixel Data element
    /// and the number of rectangles blanked, or a reason (without values) why the pixels cannot be cleaned here.
    /// </summary>
    public static (DicomValueElement? PixelData, int Blanked, string? Refusal) Blank(DicomDataset dataset, PixelCleaningRule rule)
    {
        if (!dataset.TryGet(DicomTag.PixelData, out var element))
        {
            return (null, 0, "the pixel data is float or double float, which region blanking does not handle");
        }

        if (element is not DicomValueElement native)
        {
            return (null, 0, "the pixel data is compressed (encapsulated); region blanking needs native pixel data");
        }

        PixelDataInfo info;
        try
        {
            info = PixelDataInfo.FromDataset(dataset);
        }
        catch (DicomFormatException)
        {
            return (null, 0, "the image pixel module is missing or inconsistent");
        }

        if (info.PhotometricInterpretation is not ("MONOCHROME1" or "MONOCHROME2" or "RGB" or "PALETTE COLOR" or "YBR_FULL"))
        {
            return (null, 0, "the photometric interpretation is subsampled or unknown; region blanking does not handle it");
        }

        var frameBits = (long)info.Rows * info.Columns * info.SamplesPerPixel * info.BitsAllocated;
        if (native.Data.Length * 8L < frameBits * info.NumberOfFrames)
        {
            return (null, 0, "the pixel data is shorter than the image pixel module declares");
        }

        var pixels = native.Data.ToArray();
        var blanked = 0;
        for (var frame = 0; frame < info.NumberOfFrames; frame++)
        {
            foreach (var region in rule.Regions)
            {
                var x0 = Math.Clamp(region.X, 0, info.Columns);
                var y0 = Math.Clamp(region.Y, 0, info.Rows);
                var x1 = Math.Clamp((long)region.X + region.Width, 0, info.Columns);
                var y1 = Math.Clamp((long)region.Y + region.Height, 0, info.Rows);
                if (x1 <= x0 || y1 <= y0)
                {
                    continue;
                }

                for (var row = y0; row < y1; row++)
                {
                    for (var column = x0; column < x1; column++)
                    {
                        for (var sample = 0; sample < info.SamplesPerPixel; sample++)
                        {
                            Clear(pixels, info, frame, row, column, sample);
                        }
                    }
                }

                blanked++;
            }
        }

        return (new DicomValueElement(native.Tag, native.VR, pixels), blanked, null);
    }

    private static void Clear(byte[] pixels, PixelDataInfo info, int frame, int row, int column, int sample)
    {
        long pixelsPerFrame = (long)info.Rows * info.Columns;
        var index = info.PlanarConfiguration == 1 && info.SamplesPerPixel > 1
            ? (frame * pixelsPerFrame * info.SamplesPerPixel) + (sample * pixelsPerFrame) + ((long)row * info.Columns) + column
            : (((frame * pixelsPerFrame) + ((long)row * info.Columns) + column) * info.SamplesPerPixel) + sample;
        if (info.BitsAllocated == 1)
        {
            pixels[index >> 3] &= (byte)~(1 << (int)(index & 7));
            return;
        }

        var size = info.BitsAllocated / 8;
        Array.Clear(pixels, (int)(index * size), size);
    }
}
