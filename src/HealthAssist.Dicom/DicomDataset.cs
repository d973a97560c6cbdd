using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace HealthAssist.Dicom;

/// <summary>
/// An ordered set of data elements (a file's dataset or a sequence item). Text is decoded with the dataset's specific
/// character set, inherited from the enclosing dataset when an item declares none.
/// </summary>
public sealed class DicomDataset : IEnumerable<DicomElement>
{
    private readonly SortedList<DicomTag, DicomElement> _elements = [];
    private DicomCharacterSet? _characterSet;

    public DicomDataset(DicomDataset? parent = null) => Parent = parent;

    public DicomDataset? Parent { get; }

    public int Count => _elements.Count;

    /// <summary>The character set for text in this dataset: its own (0008,0005), else the parent's, else the default.</summary>
    public DicomCharacterSet CharacterSet => _characterSet ??= ResolveCharacterSet();

    public DicomElement this[DicomTag tag] => _elements[tag];

    public bool Contains(DicomTag tag) => _elements.ContainsKey(tag);

    public bool TryGet(DicomTag tag, [NotNullWhen(true)] out DicomElement? element) => _elements.TryGetValue(tag, out element);

    /// <summary>Adds or replaces an element.</summary>
    public void Set(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        _elements[element.Tag] = element;
        if (element.Tag == DicomTag.SpecificCharacterSet)
        {
            _characterSet = null;
        }
    }

    public bool Remove(DicomTag tag) => _elements.Remove(tag);

    public string? GetString(DicomTag tag) =>
        _elements.TryGetValue(tag, out var element) && element is DicomValueElement { VR.Kind: VRKind.Text } value ? value.GetText(CharacterSet) : null;

    public IReadOnlyList<string> GetStrings(DicomTag tag) =>
        _elements.TryGetValue(tag, out var element) && element is DicomValueElement { VR.Kind: VRKind.Text } value ? value.GetStrings(CharacterSet) : [];

    /// <summary>The first value of a binary integer element, or of an IS/DS text element; null when absent or empty.</summary>
    public double? GetNumber(DicomTag tag, int index = 0)
    {
        if (!_elements.TryGetValue(tag, out var element) || element is not DicomValueElement value || value.IsEmpty)
        {
            return null;
        }

        if (value.VR == DicomVR.IS || value.VR == DicomVR.DS)
        {
            var strings = value.GetStrings(CharacterSet);
            return index < strings.Count && double.TryParse(strings[index].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        }

        if (value.VR.Kind != VRKind.Binary || value.VR == DicomVR.AT)
        {
            return null;
        }

        var numbers = value.GetNumbers();
        return index < numbers.Count ? numbers[index] : null;
    }

    public int? GetInt(DicomTag tag, int index = 0) => GetNumber(tag, index) is { } number && !double.IsNaN(number) ? (int)number : null;

    public IEnumerator<DicomElement> GetEnumerator() => _elements.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private DicomCharacterSet ResolveCharacterSet()
    {
        if (_elements.TryGetValue(DicomTag.SpecificCharacterSet, out var element) && element is DicomValueElement value && !value.IsEmpty)
        {
            var terms = value.GetStrings(DicomCharacterSet.Default).Select(t => t.Trim()).ToList();
            return DicomCharacterSet.FromSpecificCharacterSet(terms);
        }

        return Parent?.CharacterSet ?? DicomCharacterSet.Default;
    }
}

/// <summary>A Part 10 file: file meta information, the dataset, and how the dataset was encoded.</summary>
public sealed class DicomFile(DicomDataset fileMetaInformation, DicomDataset dataset, TransferSyntax transferSyntax, bool hadPreamble)
{
    public DicomDataset FileMetaInformation { get; } = fileMetaInformation;

    public DicomDataset Dataset { get; } = dataset;

    public TransferSyntax TransferSyntax { get; } = transferSyntax;

    public bool HadPreamble { get; } = hadPreamble;
}
