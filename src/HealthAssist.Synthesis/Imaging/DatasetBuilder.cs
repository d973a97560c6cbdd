using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using HealthAssist.Dicom;

namespace HealthAssist.Synthesis.Imaging;

/// <summary>
/// Fills a dataset by keyword with the dictionary's VR, encodes text in the declared character set, and records every
/// identifying value it writes as <see cref="PlantedPhi"/>.
/// </summary>
internal sealed class DatasetBuilder
{
    private readonly List<PlantedPhi> _phi = [];

    /// <param name="characterSet">The value of Specific Character Set: "ISO_IR 100" (Latin-1) or "ISO_IR 192" (UTF-8).</param>
    public DatasetBuilder(string characterSet)
    {
        Encoding = characterSet == "ISO_IR 192" ? Encoding.UTF8 : Encoding.Latin1;
        Dataset.Set(Ascii(DicomTag.SpecificCharacterSet, DicomVR.CS, characterSet));
    }

    public DicomDataset Dataset { get; } = new();

    public IReadOnlyList<PlantedPhi> Phi => _phi;

    private Encoding Encoding { get; }

    public static DicomTag Tag(string keyword) =>
        DicomDictionary.TryGetByKeyword(keyword, out var entry) ? entry.Tag : throw new ArgumentException($"Unknown keyword {keyword}.", nameof(keyword));

    /// <summary>A text attribute; backslash separates values of multi-valued VRs.</summary>
    public void Text(string keyword, string value) => Text(Dataset, keyword, value);

    public void Text(DicomDataset dataset, string keyword, string value)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        DicomDictionary.TryGetByKeyword(keyword, out var entry);
        var tag = entry?.Tag ?? throw new ArgumentException($"Unknown keyword {keyword}.", nameof(keyword));
        dataset.Set(Encode(tag, entry.DefaultVR, value));
    }

    /// <summary>A text element with an explicit tag and VR (private elements).</summary>
    public void Text(DicomDataset dataset, DicomTag tag, DicomVR vr, string value)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(vr);
        dataset.Set(Encode(tag, vr, value));
    }

    /// <summary>Writes an identifying value (cut to the VR's length limit) and records what was written and where.</summary>
    public string Identifier(string keyword, string type, string value)
    {
        DicomDictionary.TryGetByKeyword(keyword, out var entry);
        var tag = entry?.Tag ?? throw new ArgumentException($"Unknown keyword {keyword}.", nameof(keyword));
        return Identifier(tag, entry.DefaultVR, keyword, type, value);
    }

    /// <summary>As <see cref="Identifier(string, string, string)"/>, for private or explicitly typed elements.</summary>
    public string Identifier(DicomTag tag, DicomVR vr, string name, string type, string value, string? planted = null)
    {
        ArgumentNullException.ThrowIfNull(vr);
        var written = Fit(vr, value);
        Dataset.Set(Encode(tag, vr, written));
        if (written.Length > 0)
        {
            _phi.Add(new PlantedPhi(type, planted ?? written, $"{tag} {name}"));
        }

        return written;
    }

    public void AddPhi(PlantedPhi phi) => _phi.Add(phi);

    public void UInt16(string keyword, params ushort[] values) => Dataset.Set(DicomValueElement.FromUInt16(Tag(keyword), values));

    public void Int16(string keyword, short value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteInt16LittleEndian(bytes, value);
        Dataset.Set(new DicomValueElement(Tag(keyword), DicomVR.SS, bytes));
    }

    public void Sequence(string keyword, params DicomDataset[] items) => Dataset.Set(new DicomSequence(Tag(keyword), items));

    public static string Number(double value, string format = "0.###") => value.ToString(format, CultureInfo.InvariantCulture);

    private DicomValueElement Encode(DicomTag tag, DicomVR vr, string value)
    {
        var ascii = vr == DicomVR.CS || vr == DicomVR.DA || vr == DicomVR.TM || vr == DicomVR.DT || vr == DicomVR.UI
            || vr == DicomVR.DS || vr == DicomVR.IS || vr == DicomVR.AS || vr == DicomVR.AE;
        return ascii ? Ascii(tag, vr, value) : Padded(tag, vr, Encoding.GetBytes(value));
    }

    private static DicomValueElement Ascii(DicomTag tag, DicomVR vr, string value) => Padded(tag, vr, Encoding.ASCII.GetBytes(value));

    private static DicomValueElement Padded(DicomTag tag, DicomVR vr, byte[] bytes)
    {
        if (bytes.Length % 2 == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = vr.Padding;
        }

        return new DicomValueElement(tag, vr, bytes);
    }

    /// <summary>Trims and cuts a value to the VR's maximum length (PN: per component group).</summary>
    private static string Fit(DicomVR vr, string value)
    {
        value = value.Trim().Replace('\\', '/');
        if (vr == DicomVR.PN)
        {
            return string.Join('=', value.Split('=').Take(3).Select(g => g.Length > 64 ? g[..64] : g));
        }

        return vr.MaximumLength > 0 && value.Length > vr.MaximumLength ? value[..vr.MaximumLength].TrimEnd() : value;
    }
}
