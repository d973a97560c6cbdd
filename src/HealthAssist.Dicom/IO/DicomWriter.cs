using System.Buffers.Binary;

namespace HealthAssist.Dicom.IO;

/// <summary>
/// Writes a dataset as a Part 10 file in explicit VR little endian (encapsulated pixel data keeps its compressed
/// syntax, which cannot be changed without re-encoding). File meta is rebuilt: group length, version, SOP class and
/// instance from the dataset, this implementation's UID and name. Group lengths present in the dataset are recomputed.
/// </summary>
public static class DicomWriter
{
    /// <summary>UID of this implementation (a 2.25 UUID-derived root, PS3.5 B.2).</summary>
    public const string ImplementationClassUid = "2.25.207435014302744381391935428219812553311";

    public const string ImplementationVersionName = "HEALTHASSIST_1";

    public static void WriteFile(string path, DicomFile file)
    {
        using var stream = File.Create(path);
        Write(stream, file);
    }

    public static byte[] Write(DicomFile file)
    {
        using var stream = new MemoryStream();
        Write(stream, file);
        return stream.ToArray();
    }

    public static void Write(Stream stream, DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        var syntax = HasEncapsulatedPixelData(file.Dataset) ? file.TransferSyntax : TransferSyntax.ExplicitVRLittleEndian;

        stream.Write(new byte[128]);
        stream.Write("DICM"u8);
        WriteGroup(stream, BuildMeta(file, syntax), includeGroupLength: true);
        WriteDataset(stream, file.Dataset);
    }

    private static bool HasEncapsulatedPixelData(DicomDataset dataset) =>
        dataset.TryGet(DicomTag.PixelData, out var pixels) && pixels is DicomFragmentSequence;

    private static DicomDataset BuildMeta(DicomFile file, TransferSyntax syntax)
    {
        var meta = new DicomDataset();
        foreach (var element in file.FileMetaInformation.Where(e => e.Tag.Element > 0x0003 && e.Tag.Element is not (0x0010 or 0x0012 or 0x0013)))
        {
            meta.Set(element);
        }

        meta.Set(new DicomValueElement(new DicomTag(0x0002, 0x0001), DicomVR.OB, new byte[] { 0, 1 }));
        var sopClass = file.Dataset.GetString(new DicomTag(0x0008, 0x0016)) ?? file.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0002));
        var sopInstance = file.Dataset.GetString(new DicomTag(0x0008, 0x0018)) ?? file.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0003));
        if (sopClass is not null)
        {
            meta.Set(DicomValueElement.FromText(new DicomTag(0x0002, 0x0002), DicomVR.UI, sopClass));
        }

        if (sopInstance is not null)
        {
            meta.Set(DicomValueElement.FromText(new DicomTag(0x0002, 0x0003), DicomVR.UI, sopInstance));
        }

        meta.Set(DicomValueElement.FromText(DicomTag.TransferSyntaxUid, DicomVR.UI, syntax.Uid));
        meta.Set(DicomValueElement.FromText(new DicomTag(0x0002, 0x0012), DicomVR.UI, ImplementationClassUid));
        meta.Set(DicomValueElement.FromText(new DicomTag(0x0002, 0x0013), DicomVR.SH, ImplementationVersionName));
        return meta;
    }

    private static void WriteDataset(Stream stream, DicomDataset dataset)
    {
        foreach (var group in dataset.GroupBy(e => e.Tag.Group))
        {
            var elements = new DicomDataset(dataset);
            foreach (var element in group)
            {
                elements.Set(element);
            }

            WriteGroup(stream, elements, includeGroupLength: elements.Contains(new DicomTag(group.Key, 0x0000)));
        }
    }

    private static void WriteGroup(Stream stream, DicomDataset group, bool includeGroupLength)
    {
        var body = new MemoryStream();
        ushort? groupNumber = null;
        foreach (var element in group)
        {
            groupNumber = element.Tag.Group;
            if (element.Tag.Element != 0x0000)
            {
                WriteElement(body, element);
            }
        }

        if (includeGroupLength && groupNumber is { } number)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, checked((uint)body.Length));
            WriteElement(stream, new DicomValueElement(new DicomTag(number, 0x0000), DicomVR.UL, length));
        }

        body.Position = 0;
        body.CopyTo(stream);
    }

    private static void WriteElement(Stream stream, DicomElement element)
    {
        switch (element)
        {
            case DicomSequence sequence:
                WriteHeader(stream, sequence.Tag, DicomVR.SQ, 0xFFFFFFFF);
                foreach (var item in sequence.Items)
                {
                    WriteTagAndLength(stream, DicomTag.Item, 0xFFFFFFFF);
                    WriteDataset(stream, item);
                    WriteTagAndLength(stream, DicomTag.ItemDelimitationItem, 0);
                }

                WriteTagAndLength(stream, DicomTag.SequenceDelimitationItem, 0);
                break;
            case DicomFragmentSequence fragments:
                WriteHeader(stream, fragments.Tag, fragments.VR, 0xFFFFFFFF);
                stream.Write(fragments.ToEncapsulatedBytes());
                WriteTagAndLength(stream, DicomTag.SequenceDelimitationItem, 0);
                break;
            case DicomValueElement value:
                var data = value.Data.Span;
                var padded = data.Length % 2 == 1;
                var length = (uint)(data.Length + (padded ? 1 : 0));
                // A value too long for a 16-bit length field can only be written as UN (PS3.5 6.2.2).
                var vr = !value.VR.HasLongExplicitLength && length > 0xFFFF ? DicomVR.UN : value.VR;
                WriteHeader(stream, value.Tag, vr, length);
                stream.Write(data);
                if (padded)
                {
                    stream.WriteByte(value.VR.Padding);
                }

                break;
            default:
                throw new ArgumentException($"Unknown element type {element.GetType().Name}.", nameof(element));
        }
    }

    private static void WriteHeader(Stream stream, DicomTag tag, DicomVR vr, uint length)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(2), tag.Element);
        header[4] = (byte)vr.Code[0];
        header[5] = (byte)vr.Code[1];
        if (vr.HasLongExplicitLength)
        {
            header[6] = 0;
            header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(8), length);
            stream.Write(header);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(6), (ushort)length);
            stream.Write(header[..8]);
        }
    }

    private static void WriteTagAndLength(Stream stream, DicomTag tag, uint length)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(2), tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(header.Slice(4), length);
        stream.Write(header);
    }
}
