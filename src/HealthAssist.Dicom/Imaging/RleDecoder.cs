using System.Buffers.Binary;

namespace HealthAssist.Dicom.Imaging;

/// <summary>
/// RLE Lossless (PS3.5 annex G), managed: a 64-byte header of segment offsets, one PackBits-coded segment per byte
/// plane (most significant byte first, sample by sample). Output is one frame, samples interleaved, little endian.
/// </summary>
public static class RleDecoder
{
    public static byte[] DecodeFrame(ReadOnlySpan<byte> fragment, PixelDataInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (fragment.Length < 64)
        {
            throw new DicomFormatException("RLE frame shorter than its 64-byte header", 0, DicomTag.PixelData);
        }

        var segments = BinaryPrimitives.ReadUInt32LittleEndian(fragment);
        var bytesPerSample = info.BytesPerSample;
        var expectedSegments = info.SamplesPerPixel * bytesPerSample;
        if (segments != expectedSegments)
        {
            throw new DicomFormatException($"RLE frame has {segments} segments, {expectedSegments} expected", 0, DicomTag.PixelData);
        }

        var pixels = info.Rows * info.Columns;
        var output = new byte[(long)pixels * expectedSegments];
        var plane = new byte[pixels];
        for (var s = 0; s < segments; s++)
        {
            var start = BinaryPrimitives.ReadUInt32LittleEndian(fragment.Slice(4 + (4 * s)));
            var end = s + 1 < segments ? BinaryPrimitives.ReadUInt32LittleEndian(fragment.Slice(8 + (4 * s))) : (uint)fragment.Length;
            if (start < 64 || start > end || end > fragment.Length)
            {
                throw new DicomFormatException($"RLE segment {s + 1} lies outside the frame", 0, DicomTag.PixelData);
            }

            DecodeSegment(fragment[(int)start..(int)end], plane);
            var sample = s / bytesPerSample;
            var byteInSample = bytesPerSample - 1 - (s % bytesPerSample); // segments run from most significant byte
            for (var p = 0; p < pixels; p++)
            {
                output[(((long)p * info.SamplesPerPixel) + sample) * bytesPerSample + byteInSample] = plane[p];
            }
        }

        return output;
    }

    /// <summary>PackBits: n in 0..127 copies n+1 literal bytes, n in -127..-1 repeats the next byte 1-n times, -128 is a no-op.</summary>
    private static void DecodeSegment(ReadOnlySpan<byte> segment, Span<byte> plane)
    {
        int read = 0, written = 0;
        while (read < segment.Length && written < plane.Length)
        {
            var n = (sbyte)segment[read++];
            if (n >= 0)
            {
                var count = Math.Min(n + 1, Math.Min(segment.Length - read, plane.Length - written));
                segment.Slice(read, count).CopyTo(plane.Slice(written));
                read += n + 1;
                written += count;
            }
            else if (n != -128)
            {
                if (read >= segment.Length)
                {
                    break;
                }

                var count = Math.Min(1 - n, plane.Length - written);
                plane.Slice(written, count).Fill(segment[read++]);
                written += count;
            }
        }

        if (written < plane.Length)
        {
            throw new DicomFormatException($"RLE segment decodes to {written} bytes, {plane.Length} expected", 0, DicomTag.PixelData);
        }
    }
}
