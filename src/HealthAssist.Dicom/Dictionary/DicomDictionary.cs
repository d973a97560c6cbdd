using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace HealthAssist.Dicom;

/// <summary>
/// The PS3.6 data dictionary: VR, VM, name and keyword of every standard tag, retired ones included. The tables live in
/// DicomDictionary.Generated.cs, written by scripts/generate-dicom-dictionary.py; the indexes are built once, on first
/// use, and never change afterwards, so lookups are safe from any number of threads.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "PS3.6 calls it the Data Dictionary; it is not a collection type.")]
public static partial class DicomDictionary
{
    private const uint ExactMask = 0xFFFFFFFFu;

    /// <summary>(gggg,0000) of any group: implicitly defined by PS3.5 7.2 and retired except in groups 0000 and 0002,
    /// whose group lengths have entries of their own.</summary>
    private static readonly DicomDictionaryEntry GroupLength =
        new(new DicomTag(0x0000, 0x0000), 0x0000FFFFu, "UL", "1", "Group Length", "GroupLength", true);

    /// <summary>(gggg,0010)–(gggg,00FF) in a private group (PS3.5 7.8.1). The mask says "odd group, element 00xx";
    /// the 0010 lower bound is checked by <see cref="DicomTag.IsPrivateCreator"/>.</summary>
    private static readonly DicomDictionaryEntry PrivateCreator =
        new(new DicomTag(0x0001, 0x0010), 0x0001FF00u, "LO", "1", "Private Creator", "PrivateCreator", false);

    private static readonly FrozenDictionary<uint, DicomDictionaryEntry> ByTag =
        CreateEntries().ToFrozenDictionary(e => e.Tag.Value);

    /// <summary>Repeating-group entries grouped by mask, most specific mask first.</summary>
    private static readonly (uint Mask, FrozenDictionary<uint, DicomDictionaryEntry> ByMaskedTag)[] RepeatersByMask =
        CreateRepeaters()
            .GroupBy(e => e.Mask)
            .OrderByDescending(g => BitOperations.PopCount(g.Key))
            .ThenByDescending(g => g.Key)
            .Select(g => (g.Key, g.ToFrozenDictionary(e => e.Tag.Value)))
            .ToArray();

    private static readonly FrozenDictionary<string, DicomDictionaryEntry> ByKeyword =
        ByTag.Values
            .Concat(RepeatersByMask.SelectMany(r => r.ByMaskedTag.Values))
            .Where(e => e.Keyword.Length > 0)
            .ToFrozenDictionary(e => e.Keyword, StringComparer.Ordinal);

    /// <summary>Number of entries: ordinary tags plus repeating-group patterns (the implicit group length and private
    /// creator entries are not counted).</summary>
    public static int Count { get; } = ByTag.Count + RepeatersByMask.Sum(r => r.ByMaskedTag.Count);

    /// <summary>
    /// Looks a tag up: its own entry first, then repeating-group patterns such as (60xx,3000) (even groups only), then
    /// the implicit group length (gggg,0000) and private creator (odd gggg,0010–00FF) entries.
    /// </summary>
    public static bool TryGet(DicomTag tag, [NotNullWhen(true)] out DicomDictionaryEntry? entry)
    {
        if (ByTag.TryGetValue(tag.Value, out entry))
        {
            return true;
        }

        if ((tag.Group & 1) == 0)
        {
            foreach (var (mask, byMaskedTag) in RepeatersByMask)
            {
                if (byMaskedTag.TryGetValue(tag.Value & mask, out entry))
                {
                    return true;
                }
            }
        }

        entry = tag.Element == 0x0000 ? GroupLength : tag.IsPrivateCreator ? PrivateCreator : null;
        return entry is not null;
    }

    /// <summary>Looks an entry up by its keyword (ordinal, case-sensitive), e.g. "PatientName" or "OverlayData".</summary>
    public static bool TryGetByKeyword(string keyword, [NotNullWhen(true)] out DicomDictionaryEntry? entry)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        return ByKeyword.TryGetValue(keyword, out entry);
    }

    private static partial DicomDictionaryEntry[] CreateEntries();

    private static partial DicomDictionaryEntry[] CreateRepeaters();

    /// <summary>An ordinary entry, as written in the generated table.</summary>
    private static DicomDictionaryEntry E(uint tag, string vr, string vm, string name, string keyword, bool retired) =>
        new(new DicomTag(tag), ExactMask, vr, vm, name, keyword, retired);

    /// <summary>A repeating-group entry: <paramref name="tag"/> has the x digits zeroed, <paramref name="mask"/> their bits cleared.</summary>
    private static DicomDictionaryEntry R(uint tag, uint mask, string vr, string vm, string name, string keyword, bool retired) =>
        new(new DicomTag(tag), mask, vr, vm, name, keyword, retired);
}
