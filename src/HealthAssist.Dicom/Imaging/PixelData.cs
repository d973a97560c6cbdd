using System.Buffers.Binary;

namespace HealthAssist.Dicom.Imaging;

/// <summary>
/// Frame access for native and encapsulated pixel data. Every frame comes back uncompressed, little endian, with
/// samples interleaved (colour-by-pixel) whatever the planar configuration of the source.
/// </summary>
public sealed class PixelData
{
    private readonly DicomFile _file;
    private readonly GdcmDecoder _gdcm;
    private DicomFile? _decompressed;

    public PixelData(DicomFile file, GdcmDecoder? gdcm = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        _file = file;
        _gdcm = gdcm ?? GdcmDecoder.Default;
        if (!file.Dataset.TryGet(DicomTag.PixelData, out var element))
        {
            throw new DicomFormatException("The dataset has no pixel data", 0, DicomTag.PixelData);
        }

        Element = element;
        Info = PixelDataInfo.FromDataset(file.Dataset);
    }

    public PixelDataInfo Info { get; private set; }

    public DicomElement Element { get; }

    public int FrameCount => Info.NumberOfFrames;

    /// <summary>One frame's bytes: little endian, samples interleaved (1-bit data unpacked to one byte per pixel).</summary>
    public byte[] GetFrame(int index)
    {
        if (index < 0 || index >= FrameCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The image has {FrameCount} frame(s).");
        }

        return Element switch
        {
            DicomValueElement native => NativeFrame(native.Data.Span, index),
            DicomFragmentSequence fragments when _file.TransferSyntax == TransferSyntax.RLELossless => RleDecoder.DecodeFrame(FrameFragments(fragments, index), Info),
            DicomFragmentSequence => CompressedFrame(index),
            _ => throw new DicomFormatException("Pixel data of unexpected form", 0, DicomTag.PixelData),
        };
    }

    private byte[] CompressedFrame(int index)
    {
        _decompressed ??= _gdcm.Decompress(_file);
        var decoded = new PixelData(_decompressed, _gdcm);
        Info = decoded.Info; // GDCM may change the photometric interpretation (e.g. YBR_FULL_422 to RGB)
        return decoded.GetFrame(index);
    }

    private byte[] NativeFrame(ReadOnlySpan<byte> data, int index)
    {
        var length = Info.FrameLength;
        if (Info.BitsAllocated == 1)
        {
            return UnpackBits(data, index);
        }

        var subsampled = Info.PhotometricInterpretation == "YBR_FULL_422" && Info.SamplesPerPixel == 3 && Info.BitsAllocated == 8;
        if (subsampled)
        {
            length = length * 2 / 3; // Y1 Y2 Cb Cr for each pair of pixels (PS3.3 C.7.6.3.1.2)
        }

        var offset = length * index;
        if (offset + length > data.Length)
        {
            throw new DicomFormatException($"Pixel data holds {data.Length} bytes, frame {index + 1} needs bytes {offset}..{offset + length}", 0, DicomTag.PixelData);
        }

        var frame = data.Slice((int)offset, (int)length);
        if (subsampled)
        {
            return ExpandYbr422(frame);
        }

        return Info.PlanarConfiguration == 1 && Info.SamplesPerPixel > 1 ? Interleave(frame) : frame.ToArray();
    }

    private static byte[] ExpandYbr422(ReadOnlySpan<byte> frame)
    {
        var output = new byte[frame.Length / 4 * 6];
        for (int i = 0, o = 0; i + 3 < frame.Length; i += 4, o += 6)
        {
            byte y1 = frame[i], y2 = frame[i + 1], cb = frame[i + 2], cr = frame[i + 3];
            (output[o], output[o + 1], output[o + 2]) = (y1, cb, cr);
            (output[o + 3], output[o + 4], output[o + 5]) = (y2, cb, cr);
        }

        return output;
    }

    private byte[] UnpackBits(ReadOnlySpan<byte> data, int index)
    {
        var pixels = (long)Info.Rows * Info.Columns * Info.SamplesPerPixel;
        var firstBit = pixels * index;
        if ((firstBit + pixels + 7) / 8 > data.Length)
        {
            throw new DicomFormatException("Bit-packed pixel data is shorter than its frames", 0, DicomTag.PixelData);
        }

        var frame = new byte[pixels];
        for (long i = 0; i < pixels; i++)
        {
            var bit = firstBit + i;
            frame[i] = (byte)((data[(int)(bit / 8)] >> (int)(bit % 8)) & 1);
        }

        return frame;
    }

    private byte[] Interleave(ReadOnlySpan<byte> planar)
    {
        var pixels = Info.Rows * Info.Columns;
        var size = Info.BytesPerSample;
        var samples = Info.SamplesPerPixel;
        var output = new byte[planar.Length];
        for (var s = 0; s < samples; s++)
        {
            for (var p = 0; p < pixels; p++)
            {
                planar.Slice(((s * pixels) + p) * size, size).CopyTo(output.AsSpan(((p * samples) + s) * size));
            }
        }

        return output;
    }

    /// <summary>The bytes of one frame: by the extended or basic offset table, else one fragment per frame, else all fragments for a single frame.</summary>
    private ReadOnlySpan<byte> FrameFragments(DicomFragmentSequence fragments, int index)
    {
        var offsets = FrameOffsets(fragments);
        if (offsets is not null)
        {
            var position = 0L;
            var start = offsets[index];
            var end = index + 1 < offsets.Count ? offsets[index + 1] : long.MaxValue;
            var parts = new List<byte>();
            foreach (var fragment in fragments.Fragments)
            {
                if (position >= start && position < end)
                {
                    parts.AddRange(fragment.Span.ToArray());
                }

                position += fragment.Length + 8;
            }

            return parts.ToArray();
        }

        if (fragments.Fragments.Count == FrameCount)
        {
            return fragments.Fragments[index].Span;
        }

        if (FrameCount == 1)
        {
            return fragments.Fragments.SelectMany(f => f.ToArray()).ToArray();
        }

        throw new DicomFormatException($"Cannot tell which of {fragments.Fragments.Count} fragments belong to frame {index + 1}: no offset table", 0, DicomTag.PixelData);
    }

    private List<long>? FrameOffsets(DicomFragmentSequence fragments)
    {
        if (_file.Dataset.TryGet(DicomTag.ExtendedOffsetTable, out var extended) && extended is DicomValueElement table && table.Data.Length >= 8 * FrameCount)
        {
            var data = table.Data;
            return Enumerable.Range(0, FrameCount).Select(i => (long)BinaryPrimitives.ReadUInt64LittleEndian(data.Span.Slice(i * 8))).ToList();
        }

        var basic = fragments.BasicOffsetTable;
        if (basic.Length >= 4 * FrameCount && FrameCount > 0 && basic.Length > 0)
        {
            return Enumerable.Range(0, FrameCount).Select(i => (long)BinaryPrimitives.ReadUInt32LittleEndian(basic.Span.Slice(i * 4))).ToList();
        }

        return null;
    }
}
