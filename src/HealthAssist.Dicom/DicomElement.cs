using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace HealthAssist.Dicom;

/// <summary>A data element: tag, VR and value. Values are held little endian whatever the source byte order.</summary>
public abstract class DicomElement(DicomTag tag, DicomVR vr)
{
    public DicomTag Tag { get; } = tag;

    public DicomVR VR { get; } = vr;

    /// <summary>Length of the value in bytes as it will be written (sequences and fragments: undefined).</summary>
    public abstract long ValueLength { get; }
}

/// <summary>An element with a byte value: text, numbers or other-bytes (OB, OW, UN …).</summary>
public sealed class DicomValueElement : DicomElement
{
    public DicomValueElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> data)
        : base(tag, vr) => Data = data;

    /// <summary>The raw value, little endian, including any padding byte.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    public override long ValueLength => Data.Length;

    public bool IsEmpty => Data.IsEmpty;

    /// <summary>The whole text value decoded with <paramref name="characterSet"/>, trailing padding removed.</summary>
    public string GetText(DicomCharacterSet characterSet)
    {
        ArgumentNullException.ThrowIfNull(characterSet);
        var span = Data.Span;
        var decoded = VR == DicomVR.UI || VR == DicomVR.AE || VR == DicomVR.CS || VR == DicomVR.DA || VR == DicomVR.TM || VR == DicomVR.DT
            || VR == DicomVR.AS || VR == DicomVR.DS || VR == DicomVR.IS
            ? Encoding.ASCII.GetString(span) // default repertoire only (PS3.5 6.2)
            : characterSet.Decode(span, VR);
        return VR == DicomVR.UI ? decoded.TrimEnd('\0', ' ') : decoded.TrimEnd(' ', '\0');
    }

    /// <summary>The values of a text element, split on backslash (single-valued VRs such as LT are never split).</summary>
    public IReadOnlyList<string> GetStrings(DicomCharacterSet characterSet)
    {
        if (Data.IsEmpty)
        {
            return [];
        }

        var text = GetText(characterSet);
        return VR.IsSingleValuedText ? [text] : text.Split('\\');
    }

    /// <summary>Numbers of a binary VR (US, SS, UL, SL, FL, FD, SV, UV, OW, OF …), converted to double.</summary>
    public IReadOnlyList<double> GetNumbers()
    {
        var span = Data.Span;
        var size = VR.UnitSize;
        if (size == 0 || VR == DicomVR.AT)
        {
            throw new InvalidOperationException($"{VR} values are not numbers.");
        }

        var count = span.Length / size;
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            var unit = span.Slice(i * size, size);
            values[i] = VR.Code switch
            {
                "US" or "OW" => BinaryPrimitives.ReadUInt16LittleEndian(unit),
                "SS" => BinaryPrimitives.ReadInt16LittleEndian(unit),
                "UL" or "OL" => BinaryPrimitives.ReadUInt32LittleEndian(unit),
                "SL" => BinaryPrimitives.ReadInt32LittleEndian(unit),
                "FL" or "OF" => BinaryPrimitives.ReadSingleLittleEndian(unit),
                "FD" or "OD" => BinaryPrimitives.ReadDoubleLittleEndian(unit),
                "SV" => BinaryPrimitives.ReadInt64LittleEndian(unit),
                "UV" or "OV" => BinaryPrimitives.ReadUInt64LittleEndian(unit),
                _ => unit[0],
            };
        }

        return values;
    }

    /// <summary>AT values as tags.</summary>
    public IReadOnlyList<DicomTag> GetTags()
    {
        var span = Data.Span;
        var tags = new DicomTag[span.Length / 4];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(i * 4)), BinaryPrimitives.ReadUInt16LittleEndian(span.Slice((i * 4) + 2)));
        }

        return tags;
    }

    public static DicomValueElement FromText(DicomTag tag, DicomVR vr, string value)
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(value);
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length % 2 == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = vr.Padding;
        }

        return new DicomValueElement(tag, vr, bytes);
    }

    public static DicomValueElement FromUInt16(DicomTag tag, params ushort[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        }

        return new DicomValueElement(tag, DicomVR.US, bytes);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Tag} {VR} [{Data.Length} bytes]");
}

/// <summary>A sequence of items, each a nested dataset.</summary>
public sealed class DicomSequence(DicomTag tag, IReadOnlyList<DicomDataset> items) : DicomElement(tag, DicomVR.SQ)
{
    public IReadOnlyList<DicomDataset> Items { get; } = items;

    public override long ValueLength => -1;
}

/// <summary>Encapsulated (compressed) pixel data: the basic offset table item, then one item per fragment.</summary>
public sealed class DicomFragmentSequence(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> basicOffsetTable, IReadOnlyList<ReadOnlyMemory<byte>> fragments)
    : DicomElement(tag, vr)
{
    /// <summary>Raw bytes of the first item: frame offsets (uint32 little endian), possibly empty.</summary>
    public ReadOnlyMemory<byte> BasicOffsetTable { get; } = basicOffsetTable;

    public IReadOnlyList<ReadOnlyMemory<byte>> Fragments { get; } = fragments;

    public override long ValueLength => -1;

    /// <summary>The encapsulated value as written between the element header and the sequence delimiter (items with headers).</summary>
    public byte[] ToEncapsulatedBytes()
    {
        var total = 8 + BasicOffsetTable.Length + Fragments.Sum(f => 8 + f.Length);
        var bytes = new byte[total];
        var position = 0;
        void WriteItem(ReadOnlySpan<byte> value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(position), 0xFFFE);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(position + 2), 0xE000);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(position + 4), (uint)value.Length);
            value.CopyTo(bytes.AsSpan(position + 8));
            position += 8 + value.Length;
        }

        WriteItem(BasicOffsetTable.Span);
        foreach (var fragment in Fragments)
        {
            WriteItem(fragment.Span);
        }

        return bytes;
    }
}
