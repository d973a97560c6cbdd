using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using HealthAssist.Dicom.IO;
using HealthAssist.Dicom.Json;
using Xunit.Abstractions;

namespace HealthAssist.Dicom.Tests.Robustness;

/// <summary>
/// Hostile input: every mutated file must either parse (and serialise) or raise <see cref="DicomFormatException"/>,
/// within a time bound. Any other exception type, a hang or a crash fails the test.
/// </summary>
public sealed class MutationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PerInputBound = TimeSpan.FromSeconds(5);

    [Fact]
    public void TenThousandMutatedInputs_EitherParseOrFailWithTheLibrarysOwnException()
    {
        var inputs = Mutations().ToList();
        var unexpected = new ConcurrentQueue<string>();
        int parsed = 0, rejected = 0;
        var slowest = TimeSpan.Zero;
        var gate = new object();

        Parallel.ForEach(inputs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, input =>
        {
            var watch = Stopwatch.StartNew();
            try
            {
                var file = DicomReader.Read(input.Bytes);
                _ = DicomJsonWriter.Serialize(file.Dataset);
                Interlocked.Increment(ref parsed);
            }
            catch (DicomFormatException)
            {
                Interlocked.Increment(ref rejected);
            }
            catch (Exception ex)
            {
                unexpected.Enqueue($"{input.Name}: {ex.GetType().Name}: {ex.Message}");
            }

            watch.Stop();
            lock (gate)
            {
                slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            }

            if (watch.Elapsed > PerInputBound)
            {
                unexpected.Enqueue($"{input.Name}: took {watch.Elapsed.TotalSeconds:F1} s");
            }
        });

        output.WriteLine($"{inputs.Count} mutated inputs: {parsed} parsed, {rejected} rejected with DicomFormatException, slowest {slowest.TotalMilliseconds:F0} ms");
        Assert.True(inputs.Count >= 10_000, $"only {inputs.Count} mutations");
        Assert.True(unexpected.IsEmpty, string.Join('\n', unexpected.Take(30)));
    }

    [Fact]
    public void DeeplyNestedSequences_AreRejectedAtTheDepthLimit()
    {
        var bytes = NestedSequences(10_000);

        var error = Assert.Throws<DicomFormatException>(() => DicomReader.Read(bytes));

        Assert.Contains("nested deeper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedPixelData_NamesTheElementAndOffset()
    {
        var error = Assert.Throws<DicomFormatException>(() => DicomReader.ReadFile(SampleData.File("pydicom/MR_truncated.dcm")));

        Assert.Equal(DicomTag.PixelData, error.Tag);
        Assert.True(error.Offset > 0);
        Assert.Contains("8192", error.Message, StringComparison.Ordinal);
    }

    private sealed record Input(string Name, byte[] Bytes);

    private static IEnumerable<Input> Mutations()
    {
        var random = new Random(20261126);
        foreach (var path in SampleData.AllDicomFiles())
        {
            var name = Path.GetFileName(path);
            var original = File.ReadAllBytes(path);

            for (var cut = 97; cut < original.Length; cut += 97)
            {
                yield return new Input($"{name} truncated at {cut}", original[..cut]);
            }

            for (var i = 0; i < 60; i++)
            {
                var flipped = (byte[])original.Clone();
                for (var f = 0; f < 1 + (i % 4); f++)
                {
                    var at = random.Next(flipped.Length);
                    flipped[at] ^= (byte)(1 << random.Next(8));
                }

                yield return new Input($"{name} bit flips #{i}", flipped);
            }

            for (var i = 0; i < 40; i++)
            {
                // Overwrite what is probably a length field (4 bytes after a tag) with a huge or undefined length.
                var huge = (byte[])original.Clone();
                var at = Math.Max(0, Math.Min(huge.Length - 4, 132 + (random.Next(Math.Max(1, (huge.Length - 136) / 2)) * 2)));
                BinaryPrimitives.WriteUInt32LittleEndian(huge.AsSpan(at), i % 2 == 0 ? 0xFFFFFFFFu : 0x7FFFFFF0u);
                yield return new Input($"{name} huge length at {at}", huge);
            }
        }

        for (var depth = 1; depth <= 64; depth++)
        {
            yield return new Input($"nested {depth}", NestedSequences(depth));
        }
    }

    /// <summary>An implicit VR little endian dataset of <paramref name="depth"/> sequences nested in undefined-length items.</summary>
    private static byte[] NestedSequences(int depth)
    {
        using var stream = new MemoryStream();
        void Write(ushort group, ushort element, uint length)
        {
            Span<byte> header = stackalloc byte[8];
            BinaryPrimitives.WriteUInt16LittleEndian(header, group);
            BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(2), element);
            BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(4), length);
            stream.Write(header);
        }

        for (var i = 0; i < depth; i++)
        {
            Write(0x0008, 0x1115, 0xFFFFFFFF); // Referenced Series Sequence
            Write(0xFFFE, 0xE000, 0xFFFFFFFF);
        }

        for (var i = 0; i < depth; i++)
        {
            Write(0xFFFE, 0xE00D, 0);
            Write(0xFFFE, 0xE0DD, 0);
        }

        return stream.ToArray();
    }
}
