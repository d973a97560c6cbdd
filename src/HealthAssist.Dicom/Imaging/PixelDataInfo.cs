namespace HealthAssist.Dicom.Imaging;

/// <summary>The Image Pixel module attributes that describe how pixel data is laid out (PS3.3 C.7.6.3).</summary>
public sealed record PixelDataInfo(
    int Rows,
    int Columns,
    int SamplesPerPixel,
    int BitsAllocated,
    int BitsStored,
    int HighBit,
    bool IsSigned,
    int PlanarConfiguration,
    int NumberOfFrames,
    string PhotometricInterpretation)
{
    /// <summary>Bytes of one uncompressed frame (bit-packed for 1-bit data).</summary>
    public long FrameLength => BitsAllocated == 1
        ? ((long)Rows * Columns * SamplesPerPixel + 7) / 8
        : (long)Rows * Columns * SamplesPerPixel * (BitsAllocated / 8);

    public int BytesPerSample => Math.Max(1, BitsAllocated / 8);

    /// <summary>Reads and checks the module; a missing or inconsistent attribute is a <see cref="DicomFormatException"/>.</summary>
    public static PixelDataInfo FromDataset(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int Required(ushort element, string name) =>
            dataset.GetInt(new DicomTag(0x0028, element)) ?? throw new DicomFormatException($"{name} (0028,{element:X4}) is missing", 0, new DicomTag(0x0028, element));

        var rows = Required(0x0010, "Rows");
        var columns = Required(0x0011, "Columns");
        var samples = dataset.GetInt(new DicomTag(0x0028, 0x0002)) ?? 1;
        var bitsAllocated = Required(0x0100, "Bits Allocated");
        var bitsStored = dataset.GetInt(new DicomTag(0x0028, 0x0101)) ?? bitsAllocated;
        var highBit = dataset.GetInt(new DicomTag(0x0028, 0x0102)) ?? bitsStored - 1;
        var signed = dataset.GetInt(new DicomTag(0x0028, 0x0103)) == 1;
        var planar = dataset.GetInt(new DicomTag(0x0028, 0x0006)) ?? 0;
        var frames = dataset.GetInt(new DicomTag(0x0028, 0x0008)) ?? 1;
        var photometric = dataset.GetString(new DicomTag(0x0028, 0x0004))?.Trim() ?? (samples == 1 ? "MONOCHROME2" : "RGB");

        if (rows <= 0 || columns <= 0 || rows > 65535 || columns > 65535)
        {
            throw new DicomFormatException($"Image size {rows}x{columns} is not valid", 0, new DicomTag(0x0028, 0x0010));
        }

        if (samples is not (1 or 3 or 4) || bitsAllocated is not (1 or 8 or 16 or 32 or 64) || bitsStored < 1 || bitsStored > bitsAllocated || highBit >= bitsAllocated)
        {
            throw new DicomFormatException($"Unsupported pixel layout: {samples} samples, {bitsAllocated} bits allocated, {bitsStored} stored", 0, new DicomTag(0x0028, 0x0100));
        }

        return new PixelDataInfo(rows, columns, samples, bitsAllocated, bitsStored, highBit, signed, planar, Math.Max(1, frames), photometric);
    }
}
