using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace HealthAssist.Encode.Export;

/// <summary>Reads the float32, C-order <c>.npy</c> files <see cref="NpyWriter"/> writes, one row at a time.</summary>
public sealed partial class NpyReader : IDisposable
{
    private readonly FileStream _stream;

    public NpyReader(string path)
    {
        _stream = File.OpenRead(path);
        Span<byte> preamble = stackalloc byte[10];
        _stream.ReadExactly(preamble);
        if (preamble[0] != 0x93 || !preamble.Slice(1, 5).SequenceEqual("NUMPY"u8) || preamble[6] != 1)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not a version 1 .npy file");
        }

        var header = new byte[BitConverter.ToUInt16(preamble[8..])];
        _stream.ReadExactly(header);
        var text = Encoding.ASCII.GetString(header);
        if (!text.Contains("'descr': '<f4'", StringComparison.Ordinal) || !text.Contains("'fortran_order': False", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not float32 little-endian in C order");
        }

        var shape = ShapePattern().Match(text).Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        Rows = shape[0];
        RowShape = shape[1..];
        RowLength = RowShape.Aggregate(1, (a, b) => checked(a * b));
    }

    public int Rows { get; }

    public IReadOnlyList<int> RowShape { get; }

    public int RowLength { get; }

    public float[] ReadRow()
    {
        var row = new float[RowLength];
        _stream.ReadExactly(MemoryMarshal.AsBytes(row.AsSpan()));
        return row;
    }

    public void Dispose() => _stream.Dispose();

    [GeneratedRegex(@"'shape': \(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
