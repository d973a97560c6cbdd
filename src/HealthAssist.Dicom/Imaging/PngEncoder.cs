using System.Buffers.Binary;
using System.IO.Compression;

namespace HealthAssist.Dicom.Imaging;

/// <summary>
/// A minimal PNG writer (8-bit grayscale or RGB, no filtering) for reviewer previews. Written here because the library
/// has no dependencies; the format needs only zlib (in the BCL) and CRC-32 (below).
/// </summary>
public static class PngEncoder
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Planes of values in 0..1: one (grayscale) or three (RGB).</summary>
    public static byte[] Encode(float[][] planes, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(planes);
        var channels = planes.Length == 3 ? 3 : 1;
        var raw = new byte[height * ((width * channels) + 1)];
        for (var y = 0; y < height; y++)
        {
            var row = y * ((width * channels) + 1);
            raw[row] = 0; // filter: none
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    raw[row + 1 + (x * channels) + c] = (byte)Math.Clamp(MathF.Round(planes[c][(y * width) + x] * 255f), 0, 255);
                }
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = (byte)(channels == 3 ? 2 : 0);
        WriteChunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                zlib.Write(raw);
            }

            WriteChunk(png, "IDAT", compressed.ToArray());
        }

        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeAndData = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData, 4);
        stream.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typeAndData));
        stream.Write(length);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
