using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace HealthAssist.Dicom;

/// <summary>A known private data element: what its creator's private dictionary says about it.</summary>
/// <param name="Creator">The private creator, e.g. "SIEMENS CSA HEADER".</param>
/// <param name="VR">VR code, or several separated by " or ".</param>
/// <param name="VM">Value multiplicity, e.g. "1", "1-n".</param>
/// <param name="Name">The vendor's name for the element (often just "Unknown").</param>
public sealed record PrivateDictionaryEntry(string Creator, string VR, string VM, string Name);

/// <summary>
/// Known private data elements by private creator. The table lives in PrivateDictionary.Generated.cs, written by
/// scripts/generate-dicom-dictionary.py; the index is built once, on first use, and never changes afterwards, so
/// lookups are safe from any number of threads.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "PS3.5 7.8 and vendors call these private dictionaries; it is not a collection type.")]
public static partial class PrivateDictionary
{
    private static readonly FrozenDictionary<string, CreatorBlock> ByCreator = CreateRows()
        .GroupBy(r => r.Creator, StringComparer.Ordinal)
        .ToFrozenDictionary(g => g.Key, g => new CreatorBlock(g), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, CreatorBlock>.AlternateLookup<ReadOnlySpan<char>> ByCreatorSpan =
        ByCreator.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Number of known private creators.</summary>
    public static int CreatorCount => ByCreator.Count;

    /// <summary>
    /// Looks up a private data element (gggg,xxyy) given the value of its private creator element (gggg,00xx).
    /// Creators compare ordinally (case-sensitive) after leading spaces and trailing spaces and NULs are trimmed, the
    /// padding LO allows (PS3.5 6.2). Entries written for any block match on the low byte yy of the element.
    /// </summary>
    public static bool TryGet(string creator, DicomTag tag, [NotNullWhen(true)] out PrivateDictionaryEntry? entry)
    {
        ArgumentNullException.ThrowIfNull(creator);
        if (ByCreatorSpan.TryGetValue(creator.AsSpan().TrimEnd(" \0").TrimStart(' '), out var block))
        {
            return block.TryGet(tag.Value, out entry);
        }

        entry = null;
        return false;
    }

    private static partial PrivateDictionaryRow[] CreateRows();

    /// <summary>A row of the generated table; <paramref name="pattern"/> is pydicom's key, e.g. "0019xx10" (any block),
    /// "60xxxx01" (any group too), "00190001" (exact).</summary>
    private static PrivateDictionaryRow P(string creator, string pattern, string vr, string vm, string name)
    {
        var (tag, mask) = ParsePattern(pattern);
        return new PrivateDictionaryRow(tag, mask, new PrivateDictionaryEntry(creator, vr, vm, name));
    }

    /// <summary>"0019xx10" → (0x00190010, 0xFFFF00FF): x digits zeroed in the tag and cleared in the mask.</summary>
    private static (uint Tag, uint Mask) ParsePattern(string pattern)
    {
        if (pattern.Length != 8)
        {
            throw new ArgumentException($"Tag pattern '{pattern}' is not eight characters.", nameof(pattern));
        }

        var tag = uint.Parse(pattern.Replace('x', '0'), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        var mask = 0u;
        foreach (var c in pattern)
        {
            mask = (mask << 4) | (c == 'x' ? 0x0u : 0xFu);
        }

        return (tag, mask);
    }

    private sealed record PrivateDictionaryRow(uint Tag, uint Mask, PrivateDictionaryEntry Entry)
    {
        public string Creator => Entry.Creator;
    }

    /// <summary>One creator's entries, grouped by mask and tried in order: exact tags, then patterns that fix the
    /// element's low byte (the usual gggg,xxyy), most specific first, then the rest.</summary>
    private sealed class CreatorBlock
    {
        private readonly (uint Mask, FrozenDictionary<uint, PrivateDictionaryEntry> ByMaskedTag)[] byMask;

        public CreatorBlock(IEnumerable<PrivateDictionaryRow> rows) =>
            byMask = rows
                .GroupBy(r => r.Mask)
                .OrderByDescending(g => g.Key == 0xFFFFFFFFu)
                .ThenByDescending(g => (g.Key & 0xFFu) == 0xFFu)
                .ThenByDescending(g => BitOperations.PopCount(g.Key))
                .ThenByDescending(g => g.Key)
                .Select(g => (g.Key, g.ToFrozenDictionary(r => r.Tag, r => r.Entry)))
                .ToArray();

        public bool TryGet(uint tag, [NotNullWhen(true)] out PrivateDictionaryEntry? entry)
        {
            var element = tag & 0xFFFFu;
            foreach (var (mask, byMaskedTag) in byMask)
            {
                // A pattern with an open block (xx) describes data elements (gggg,1000)–(gggg,FFFF), never the
                // creator slots (gggg,0010)–(gggg,00FF) below them.
                if ((mask & 0xFF00u) == 0 && element < 0x1000u)
                {
                    continue;
                }

                if (byMaskedTag.TryGetValue(tag & mask, out entry))
                {
                    return true;
                }
            }

            entry = null;
            return false;
        }
    }
}
