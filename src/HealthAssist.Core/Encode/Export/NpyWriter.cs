using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace HealthAssist.Encode.Export;

/// <summary>
/// Writes a float32 little-endian NumPy <c>.npy</c> file (format 1.0) one row at a time, so an export of thousands of
/// images never needs to be in memory; the row count is written into the header when the writer is disposed. Written
/// by hand because the format is a fixed 128-byte header and raw values, and no NumPy-format package is served here.
/// </summary>
public sealed class NpyWriter : IDisposable
{
    private const int HeaderLength = 128;
    private readonly FileStream _stream;
    private readonly int[] _rowShape;
    private readonly int _rowLength;
    private bool _disposed;

    public NpyWriter(string path, params int[] rowShape)
    {
        ArgumentNullException.ThrowIfNull(rowShape);
        _rowShape = rowShape;
        _rowLength = rowShape.Aggregate(1, (a, b) => checked(a * b));
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        WriteHeader(0);
    }

    public int Rows { get; private set; }

    /// <summary>Appends one row; <paramref name="values"/> null writes zeros (an absent modality).</summary>
    public void Append(ReadOnlySpan<float> values)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (values.IsEmpty)
        {
            _stream.Write(new byte[_rowLength * sizeof(float)]);
        }
        else if (values.Length != _rowLength)
        {
            throw new ArgumentException($"row has {values.Length} values, the file's rows have {_rowLength}", nameof(values));
        }
        else if (BitConverter.IsLittleEndian)
        {
            _stream.Write(MemoryMarshal.AsBytes(values));
        }
        else
        {
            throw new PlatformNotSupportedException("big-endian hosts are not supported");
        }

        Rows++;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stream.Position = 0;
        WriteHeader(Rows);
        _stream.Dispose();
    }

    private void WriteHeader(int rows)
    {
        var shape = string.Join(", ", new[] { rows }.Concat(_rowShape).Select(d => d.ToString(CultureInfo.InvariantCulture)));
        var dictionary = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({shape}{(_rowShape.Length == 0 ? "," : string.Empty)}), }}";
        var preamble = 10; // magic (6), version (2), header length (2)
        var padded = dictionary.PadRight(HeaderLength - preamble - 1) + "\n";
        var header = new byte[HeaderLength];
        header[0] = 0x93;
        "NUMPY"u8.CopyTo(header.AsSpan(1));
        header[6] = 1;
        header[7] = 0;
        BitConverter.TryWriteBytes(header.AsSpan(8, 2), (ushort)(HeaderLength - preamble));
        Encoding.ASCII.GetBytes(padded).CopyTo(header, preamble);
        _stream.Write(header);
    }
}
