using System.Text;
using HealthAssist.Encode.Export;

namespace HealthAssist.UnitTests.Encode;

public sealed class NpyWriterTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"npy-{Guid.NewGuid():N}.npy");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Writer_PatchesTheRowCountIntoTheHeader_AndWritesZerosForAbsentRows()
    {
        using (var writer = new NpyWriter(_path, 2, 3))
        {
            writer.Append([1, 2, 3, 4, 5, 6]);
            writer.Append(default);
        }

        var bytes = File.ReadAllBytes(_path);
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        var headerLength = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, (10 + headerLength) % 64); // NumPy aligns the data to 64 bytes
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f4'", header, StringComparison.Ordinal);
        Assert.Contains("'shape': (2, 2, 3)", header, StringComparison.Ordinal);
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        Assert.Equal(10 + headerLength + (12 * sizeof(float)), bytes.Length);
        Assert.Equal(6f, BitConverter.ToSingle(bytes, 10 + headerLength + 20));
        Assert.Equal(0f, BitConverter.ToSingle(bytes, bytes.Length - 4));
    }

    [Fact]
    public void Append_RefusesARowOfTheWrongLength()
    {
        using var writer = new NpyWriter(_path, 4);
        Assert.Throws<ArgumentException>(() => writer.Append([1, 2, 3]));
    }
}
