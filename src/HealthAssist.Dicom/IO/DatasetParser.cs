using System.Buffers.Binary;

namespace HealthAssist.Dicom.IO;

/// <summary>
/// Parses one encoding of a dataset from a buffer. Positions are ints (buffers are bounded well below 2 GiB); every
/// declared length is checked against the end of the enclosing value before any slice is taken.
/// </summary>
internal sealed class DatasetParser(ReadOnlyMemory<byte> buffer, long baseOffset, bool littleEndian, bool explicitVR, DicomReaderOptions options, ElementCounter counter)
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    private bool _littleEndian = littleEndian;
    private bool _explicitVR = explicitVR;

    public int Position { get; set; }

    /// <summary>When set, parsing stops (without consuming) at the first tag of another group (file meta reading).</summary>
    public ushort? StopAtGroupChange { get; init; }

    /// <summary>Accept an element without a VR where one is expected (broken file meta encoders).</summary>
    public bool TolerateImplicitVR { get; init; }

    private ReadOnlySpan<byte> Span => buffer.Span;

    private long Offset(int position) => baseOffset + position;

    public void ParseDataset(DicomDataset dataset, int end, int depth, bool inItem)
    {
        while (Position < end)
        {
            var start = Position;
            if (end - Position < 4)
            {
                throw new DicomFormatException($"Truncated element header: {end - Position} bytes left", Offset(start));
            }

            var tag = ReadTag();
            if (StopAtGroupChange is { } group && tag.Group != group)
            {
                Position = start;
                return;
            }

            if (tag == DicomTag.ItemDelimitationItem)
            {
                Require(4, end, start, tag);
                Position += 4;
                if (inItem)
                {
                    return;
                }

                throw new DicomFormatException("Item delimiter outside an item", Offset(start), tag);
            }

            if (tag.Group == 0xFFFE)
            {
                throw new DicomFormatException("Unexpected item or sequence delimiter in a dataset", Offset(start), tag);
            }

            if (options.StopBeforePixelData && depth == 0 && tag == DicomTag.PixelData)
            {
                Position = end;
                return;
            }

            counter.Add(Offset(start), tag);
            var (vr, length) = ReadVRAndLength(tag, end, start, dataset);
            dataset.Set(ReadValue(tag, vr, length, end, start, dataset, depth));
        }
    }

    private DicomTag ReadTag()
    {
        var span = Span.Slice(Position, 4);
        Position += 4;
        return _littleEndian
            ? new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span), BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(2)))
            : new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(span), BinaryPrimitives.ReadUInt16BigEndian(span.Slice(2)));
    }

    private uint ReadUInt32()
    {
        var value = _littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(Span.Slice(Position)) : BinaryPrimitives.ReadUInt32BigEndian(Span.Slice(Position));
        Position += 4;
        return value;
    }

    private ushort ReadUInt16()
    {
        var value = _littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(Span.Slice(Position)) : BinaryPrimitives.ReadUInt16BigEndian(Span.Slice(Position));
        Position += 2;
        return value;
    }

    private void Require(int bytes, int end, int start, DicomTag tag)
    {
        if (end - Position < bytes)
        {
            throw new DicomFormatException($"Truncated element header: {bytes} bytes needed, {end - Position} left", Offset(start), tag);
        }
    }

    private (DicomVR VR, uint Length) ReadVRAndLength(DicomTag tag, int end, int start, DicomDataset dataset)
    {
        if (_explicitVR)
        {
            Require(4, end, start, tag);
            if (DicomVR.TryParse(Span.Slice(Position, 2), out var vr))
            {
                Position += 2;
                if (vr.HasLongExplicitLength)
                {
                    Require(6, end, start, tag);
                    Position += 2; // reserved
                    return (vr, ReadUInt32());
                }

                return (vr, ReadUInt16());
            }

            if (!TolerateImplicitVR && IsTwoLetters(Span.Slice(Position, 2)))
            {
                // An unknown VR code (a future or invalid VR): PS3.5 6.2 says read it as UN with a 32-bit length.
                Position += 4;
                Require(4, end, start, tag);
                return (DicomVR.UN, ReadUInt32());
            }

            if (!TolerateImplicitVR)
            {
                throw new DicomFormatException("Invalid VR in an explicit VR dataset", Offset(start), tag);
            }
        }

        Require(4, end, start, tag);
        var length = ReadUInt32();
        return (ImplicitVR(tag, dataset, length), length);
    }

    private static bool IsTwoLetters(ReadOnlySpan<byte> bytes) => bytes[0] is >= (byte)'A' and <= (byte)'Z' && bytes[1] is >= (byte)'A' and <= (byte)'Z';

    /// <summary>The VR of an implicit VR element: the dictionary's (private dictionary for private tags), ambiguity resolved as PS3.5 allows.</summary>
    private static DicomVR ImplicitVR(DicomTag tag, DicomDataset dataset, uint length)
    {
        string? code = null;
        if (tag.IsPrivate)
        {
            if (tag.IsPrivateCreator)
            {
                return DicomVR.LO;
            }

            if (tag.PrivateCreatorTag is { } creatorTag && FindUp(dataset, creatorTag) is { } creatorElement && creatorElement is DicomValueElement creator
                && PrivateDictionary.TryGet(creator.GetText(DicomCharacterSet.Default), tag, out var privateEntry))
            {
                code = privateEntry.VR;
            }
        }
        else if (DicomDictionary.TryGet(tag, out var entry))
        {
            code = entry.VR;
        }

        if (code is null)
        {
            return length == UndefinedLength ? DicomVR.SQ : DicomVR.UN;
        }

        return ResolveAmbiguous(tag, code, dataset);
    }

    internal static DicomVR ResolveAmbiguous(DicomTag tag, string code, DicomDataset dataset)
    {
        if (code.Length == 2)
        {
            return DicomVR.TryParse(code, out var single) ? single : DicomVR.UN;
        }

        if (code.StartsWith("US or SS", StringComparison.Ordinal) || code == "SS or US")
        {
            if (tag == new DicomTag(0x0028, 0x3006))
            {
                return DicomVR.US; // LUT Data: unsigned entries per PS3.3 C.11.1.1.1
            }

            return FindNumber(dataset, new DicomTag(0x0028, 0x0103)) == 1 ? DicomVR.SS : DicomVR.US;
        }

        if (code is "OB or OW" or "OW or OB")
        {
            return DicomVR.OW; // implicit VR little endian encodes these as OW (PS3.5 A.1 c)
        }

        if (code.StartsWith("US or OW", StringComparison.Ordinal))
        {
            return DicomVR.US;
        }

        return DicomVR.TryParse(code[..2], out var first) ? first : DicomVR.UN;
    }

    /// <summary>The VR a dictionary gives an element received as UN: public dictionary, private creators (LO), private dictionary.</summary>
    private static DicomVR? KnownVRForUN(DicomTag tag, DicomDataset dataset)
    {
        if (tag.IsPrivate)
        {
            var vr = ImplicitVR(tag, dataset, 0);
            return vr == DicomVR.UN || vr == DicomVR.SQ ? null : vr;
        }

        return DicomDictionary.TryGet(tag, out var entry) && entry.VR is not ("UN" or "SQ" or "NONE") ? ResolveAmbiguous(tag, entry.VR, dataset) : null;
    }

    private static DicomElement? FindUp(DicomDataset dataset, DicomTag tag)
    {
        for (var current = dataset; current is not null; current = current.Parent)
        {
            if (current.TryGet(tag, out var element))
            {
                return element;
            }
        }

        return null;
    }

    private static double? FindNumber(DicomDataset dataset, DicomTag tag)
    {
        for (var current = dataset; current is not null; current = current.Parent)
        {
            if (current.GetNumber(tag) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    private DicomElement ReadValue(DicomTag tag, DicomVR vr, uint length, int end, int start, DicomDataset dataset, int depth)
    {
        if (length == UndefinedLength)
        {
            if (tag == DicomTag.PixelData && vr != DicomVR.SQ)
            {
                return ReadFragments(tag, vr == DicomVR.UN ? DicomVR.OB : vr, end, start);
            }

            if (vr == DicomVR.SQ || vr == DicomVR.UN)
            {
                // UN of undefined length is a sequence encoded in implicit VR little endian (PS3.5 6.2.2 note).
                return WithEncoding(vr == DicomVR.UN, () => ReadSequence(tag, undefinedLength: true, end, end, start, dataset, depth));
            }

            throw new DicomFormatException($"Undefined length is not allowed for VR {vr}", Offset(start), tag);
        }

        if (length > options.MaxElementLength)
        {
            throw new DicomFormatException($"Value length {length} exceeds the limit of {options.MaxElementLength}", Offset(start), tag);
        }

        if (length > (uint)(end - Position))
        {
            throw new DicomFormatException($"Value of {length} bytes declared but only {end - Position} remain", Offset(start), tag);
        }

        var valueEnd = Position + (int)length;
        if (vr == DicomVR.SQ)
        {
            return ReadSequence(tag, undefinedLength: false, valueEnd, end, start, dataset, depth);
        }

        if (vr == DicomVR.UN && !tag.IsPrivate && DicomDictionary.TryGet(tag, out var known) && known.VR == "SQ")
        {
            // A known sequence sent as UN: its value is implicit VR little endian (PS3.5 6.2.2).
            return WithEncoding(true, () => ReadSequence(tag, undefinedLength: false, valueEnd, end, start, dataset, depth));
        }

        var value = buffer.Slice(Position, (int)length);
        Position = valueEnd;
        if (vr == DicomVR.UN && KnownVRForUN(tag, dataset) is { } knownVR)
        {
            // UN for an element whose VR a dictionary knows: the bytes are implicit VR little endian (PS3.5 6.2.2).
            return new DicomValueElement(tag, knownVR, value);
        }

        if (!_littleEndian && vr.UnitSize > 1)
        {
            value = Swap(value.Span, vr == DicomVR.OW || vr == DicomVR.OB ? 2 : vr.UnitSize, vr);
        }

        return new DicomValueElement(tag, vr, value);
    }

    private static ReadOnlyMemory<byte> Swap(ReadOnlySpan<byte> source, int unit, DicomVR vr)
    {
        if (vr == DicomVR.AT)
        {
            unit = 2; // a tag is two 16-bit numbers
        }

        var copy = source.ToArray();
        for (var i = 0; i + unit <= copy.Length; i += unit)
        {
            copy.AsSpan(i, unit).Reverse();
        }

        return copy;
    }

    private T WithEncoding<T>(bool implicitLittleEndian, Func<T> read)
    {
        if (!implicitLittleEndian)
        {
            return read();
        }

        var (little, explicitVR) = (_littleEndian, _explicitVR);
        (_littleEndian, _explicitVR) = (true, false);
        try
        {
            return read();
        }
        finally
        {
            (_littleEndian, _explicitVR) = (little, explicitVR);
        }
    }

    private DicomSequence ReadSequence(DicomTag tag, bool undefinedLength, int valueEnd, int end, int start, DicomDataset parent, int depth)
    {
        if (depth + 1 > options.MaxDepth)
        {
            throw new DicomFormatException($"Sequences nested deeper than {options.MaxDepth}", Offset(start), tag);
        }

        var limit = undefinedLength ? end : valueEnd;
        var items = new List<DicomDataset>();
        while (true)
        {
            if (!undefinedLength && Position >= valueEnd)
            {
                break;
            }

            var itemStart = Position;
            if (limit - Position < 8)
            {
                throw new DicomFormatException(undefinedLength ? "Sequence not terminated by a sequence delimiter" : "Truncated item header", Offset(itemStart), tag);
            }

            var itemTag = ReadTag();
            var itemLength = ReadUInt32();
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                if (undefinedLength)
                {
                    break;
                }

                throw new DicomFormatException("Sequence delimiter in a sequence of defined length", Offset(itemStart), tag);
            }

            if (itemTag != DicomTag.Item)
            {
                throw new DicomFormatException($"Expected an item in sequence, found {itemTag}", Offset(itemStart), tag);
            }

            counter.Add(Offset(itemStart), tag);
            var item = new DicomDataset(parent);
            if (itemLength == UndefinedLength)
            {
                var before = Position;
                ParseDataset(item, limit, depth + 1, inItem: true);
                if (Position >= limit && !EndedWithItemDelimiter(before))
                {
                    throw new DicomFormatException("Item not terminated by an item delimiter", Offset(itemStart), tag);
                }
            }
            else
            {
                if (itemLength > (uint)(limit - Position))
                {
                    throw new DicomFormatException($"Item of {itemLength} bytes declared but only {limit - Position} remain", Offset(itemStart), tag);
                }

                var itemEnd = Position + (int)itemLength;
                ParseDataset(item, itemEnd, depth + 1, inItem: true);
                Position = itemEnd;
            }

            items.Add(item);
        }

        return new DicomSequence(tag, items);
    }

    private bool EndedWithItemDelimiter(int itemValueStart)
    {
        if (Position - itemValueStart < 8)
        {
            return false;
        }

        var delimiter = Span.Slice(Position - 8, 4);
        return _littleEndian
            ? BinaryPrimitives.ReadUInt16LittleEndian(delimiter) == 0xFFFE && BinaryPrimitives.ReadUInt16LittleEndian(delimiter.Slice(2)) == 0xE00D
            : BinaryPrimitives.ReadUInt16BigEndian(delimiter) == 0xFFFE && BinaryPrimitives.ReadUInt16BigEndian(delimiter.Slice(2)) == 0xE00D;
    }

    private DicomFragmentSequence ReadFragments(DicomTag tag, DicomVR vr, int end, int start)
    {
        ReadOnlyMemory<byte>? offsetTable = null;
        var fragments = new List<ReadOnlyMemory<byte>>();
        while (true)
        {
            var itemStart = Position;
            if (end - Position < 8)
            {
                throw new DicomFormatException("Encapsulated pixel data not terminated by a sequence delimiter", Offset(itemStart), tag);
            }

            var itemTag = ReadTag();
            var length = ReadUInt32();
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                break;
            }

            if (itemTag != DicomTag.Item)
            {
                throw new DicomFormatException($"Expected a fragment item, found {itemTag}", Offset(itemStart), tag);
            }

            if (length == UndefinedLength || length > (uint)(end - Position))
            {
                throw new DicomFormatException($"Fragment of {(length == UndefinedLength ? "undefined" : length.ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes does not fit in the {end - Position} remaining", Offset(itemStart), tag);
            }

            counter.Add(Offset(itemStart), tag);
            var value = buffer.Slice(Position, (int)length);
            Position += (int)length;
            if (offsetTable is null)
            {
                offsetTable = value;
            }
            else
            {
                fragments.Add(value);
            }
        }

        return new DicomFragmentSequence(tag, vr, offsetTable ?? ReadOnlyMemory<byte>.Empty, fragments);
    }
}
