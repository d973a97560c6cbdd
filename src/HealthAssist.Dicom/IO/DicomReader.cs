using System.Buffers.Binary;
using System.IO.Compression;

namespace HealthAssist.Dicom.IO;

/// <summary>
/// Reads Part 10 files (with or without preamble and file meta) and bare datasets, in every uncompressed transfer
/// syntax and with encapsulated pixel data. Untrusted bytes: every length is checked against what remains before it is
/// used, nesting and element counts are bounded, and any problem is a <see cref="DicomFormatException"/> naming the
/// byte offset and tag.
/// </summary>
public static class DicomReader
{
    private static readonly byte[] Magic = "DICM"u8.ToArray();

    public static DicomFile ReadFile(string path, DicomReaderOptions? options = null)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, options);
    }

    public static DicomFile Read(Stream stream, DicomReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= DicomReaderOptions.Default;
        return Read(ReadBounded(stream, options.MaxFileBytes, "file"), options);
    }

    public static DicomFile Read(ReadOnlyMemory<byte> bytes, DicomReaderOptions? options = null)
    {
        options ??= DicomReaderOptions.Default;
        if (bytes.Length > options.MaxFileBytes)
        {
            throw new DicomFormatException($"File of {bytes.Length} bytes exceeds the limit of {options.MaxFileBytes}", 0);
        }

        var span = bytes.Span;
        var position = 0;
        var hadPreamble = false;
        if (span.Length >= 132 && span.Slice(128, 4).SequenceEqual(Magic))
        {
            position = 132;
            hadPreamble = true;
        }
        else if (span.Length >= 4 && span[..4].SequenceEqual(Magic))
        {
            position = 4;
        }

        var counter = new ElementCounter(options.MaxElements);
        var meta = new DicomDataset();
        if (span.Length - position >= 8 && BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(position)) == 0x0002)
        {
            // File meta information is explicit VR little endian by definition; some writers got that wrong, so the
            // parser accepts implicit VR here too (it decides per element whether a valid VR follows the tag).
            var metaParser = new DatasetParser(bytes, 0, littleEndian: true, explicitVR: true, options, counter) { Position = position, StopAtGroupChange = 0x0002, TolerateImplicitVR = true };
            metaParser.ParseDataset(meta, bytes.Length, depth: 0, inItem: false);
            position = metaParser.Position;
        }
        else if (hadPreamble)
        {
            // A preamble and DICM but no meta: nothing to tell the syntax but the dataset itself.
        }

        var syntaxUid = meta.GetString(DicomTag.TransferSyntaxUid);
        var syntax = string.IsNullOrEmpty(syntaxUid) ? Guess(span.Slice(position), position) : TransferSyntax.Lookup(syntaxUid);

        var datasetBytes = bytes;
        long baseOffset = 0;
        if (syntax.IsDeflated)
        {
            datasetBytes = Inflate(bytes.Slice(position), options, position);
            baseOffset = position;
            position = 0;
        }

        var dataset = new DicomDataset();
        var parser = new DatasetParser(datasetBytes, baseOffset, syntax.IsLittleEndian, syntax.IsExplicitVR, options, counter) { Position = position };
        parser.ParseDataset(dataset, datasetBytes.Length, depth: 0, inItem: false);
        return new DicomFile(meta, dataset, syntax, hadPreamble);
    }

    /// <summary>Decides the syntax of a dataset that has no file meta: byte order from the first group number, VR from whether a valid VR follows the tag.</summary>
    private static TransferSyntax Guess(ReadOnlySpan<byte> data, long offset)
    {
        if (data.Length < 8)
        {
            throw new DicomFormatException("Too short to be a DICOM dataset", offset);
        }

        var groupLittle = BinaryPrimitives.ReadUInt16LittleEndian(data);
        var groupBig = BinaryPrimitives.ReadUInt16BigEndian(data);
        var littleEndian = groupLittle <= groupBig;
        var explicitVR = DicomVR.TryParse(data.Slice(4, 2), out _);
        return (littleEndian, explicitVR) switch
        {
            (true, true) => TransferSyntax.ExplicitVRLittleEndian,
            (true, false) => TransferSyntax.ImplicitVRLittleEndian,
            (false, true) => TransferSyntax.ExplicitVRBigEndian,
            (false, false) => throw new DicomFormatException("Big endian dataset without explicit VRs is not a DICOM encoding", offset),
        };
    }

    private static ReadOnlyMemory<byte> Inflate(ReadOnlyMemory<byte> deflated, DicomReaderOptions options, long offset)
    {
        try
        {
            using var input = new MemoryStream(deflated.ToArray(), writable: false);
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            return ReadBounded(inflater, options.MaxFileBytes, "inflated dataset");
        }
        catch (InvalidDataException ex)
        {
            throw new DicomFormatException("Deflated dataset is corrupt", offset, null, ex);
        }
    }

    private static byte[] ReadBounded(Stream stream, long limit, string what)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new DicomFormatException($"The {what} exceeds the limit of {limit} bytes", buffer.Length);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

internal sealed class ElementCounter(int limit)
{
    private int _count;

    public void Add(long offset, DicomTag tag)
    {
        if (++_count > limit)
        {
            throw new DicomFormatException($"More than {limit} elements", offset, tag);
        }
    }
}
