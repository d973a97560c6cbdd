using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using HealthAssist.Dicom;

namespace HealthAssist.Deidentify.Dicom;

/// <summary>An action code of PS3.15 Table E.1-1 (E.1.1 explains each).</summary>
public enum ProfileAction
{
    /// <summary>D: replace with a non-zero length value that may be a dummy value, consistent with the VR.</summary>
    Dummy,

    /// <summary>Z: replace with a zero length value (or a dummy value).</summary>
    Zero,

    /// <summary>X: remove.</summary>
    Remove,

    /// <summary>K: keep (unchanged for non-sequence attributes, cleaned for sequences).</summary>
    Keep,

    /// <summary>C: clean, i.e. replace with values of similar meaning known not to contain identifying information.</summary>
    Clean,

    /// <summary>U: replace with a non-zero length UID, internally consistent within a set of instances.</summary>
    ReplaceUid,

    /// <summary>Z/D: Z unless D is required to maintain IOD conformance (Type 2 versus Type 1).</summary>
    ZeroOrDummy,

    /// <summary>X/Z: X unless Z is required to maintain IOD conformance (Type 3 versus Type 2).</summary>
    RemoveOrZero,

    /// <summary>X/D: X unless D is required to maintain IOD conformance (Type 3 versus Type 1).</summary>
    RemoveOrDummy,

    /// <summary>X/Z/D: X unless Z or D is required to maintain IOD conformance (Type 3 versus Type 2 versus Type 1).</summary>
    RemoveOrZeroOrDummy,

    /// <summary>X/Z/U*: X unless Z or replacement of contained instance UIDs (U) is required (sequences of UID references).</summary>
    RemoveOrZeroOrReplaceContainedUids,
}

/// <summary>The option columns of PS3.15 Table E.1-1 (E.3), in the table's order.</summary>
public enum ProfileOption
{
    RetainSafePrivate,
    RetainUids,
    RetainDeviceIdentity,
    RetainInstitutionIdentity,
    RetainPatientCharacteristics,
    RetainLongitudinalFullDates,
    RetainLongitudinalModifiedDates,
    CleanDescriptors,
    CleanStructuredContent,
    CleanGraphics,
}

/// <summary>One row of Table E.1-1: the attribute (a tag or a tag pattern), its name and its action codes.</summary>
/// <param name="Tag">The tag with pattern digits zeroed, e.g. 0x60003000 for (60xx,3000).</param>
/// <param name="Mask">Bits of a tag that must equal <paramref name="Tag"/>: 0xFFFFFFFF for one attribute, 0xFF00FFFF for
/// (60xx,3000), 0xFF000000 for (50xx,xxxx), 0x00010000 (odd group) for private attributes.</param>
/// <param name="Name">The attribute name as the table gives it.</param>
/// <param name="Keyword">The PS3.6 keyword; empty for the private and curve group rows.</param>
/// <param name="Basic">The Basic Profile action.</param>
/// <param name="Options">The action of each option column that has one.</param>
public sealed record ProfileEntry(uint Tag, uint Mask, string Name, string Keyword, ProfileAction Basic, IReadOnlyDictionary<ProfileOption, ProfileAction> Options)
{
    public bool IsPattern => Mask != 0xFFFFFFFFu;

    /// <summary>The row for all private attributes, (gggg,eeee) with gggg odd.</summary>
    public bool IsPrivateAttributesRow => Mask == 0x00010000u;

    public bool Matches(DicomTag tag) => (tag.Value & Mask) == Tag;

    /// <summary>The tag as the table writes it, with x for pattern digits, e.g. "(60xx,3000)" or "(gggg,eeee)".</summary>
    public string TagText
    {
        get
        {
            if (IsPrivateAttributesRow)
            {
                return "(gggg,eeee)";
            }

            Span<char> digits = stackalloc char[8];
            for (var i = 0; i < 8; i++)
            {
                var shift = 28 - (4 * i);
                digits[i] = ((Mask >> shift) & 0xF) == 0 ? 'x' : "0123456789ABCDEF"[(int)((Tag >> shift) & 0xF)];
            }

            return string.Create(CultureInfo.InvariantCulture, $"({digits[..4]},{digits[4..]})");
        }
    }

    /// <summary>A name for reports: the keyword, or the tag text for rows without one.</summary>
    public string Label => Keyword.Length > 0 ? Keyword : TagText;
}

/// <summary>
/// PS3.15 Table E.1-1, generated from compliance/standards/ps3.15-table-e1-1.json by
/// scripts/generate-deid-dicom-profile.py (ConfidentialityProfile.Generated.cs). Lookups are frozen at first use and
/// safe from any number of threads.
/// </summary>
public static partial class ConfidentialityProfile
{
    private static readonly ProfileOption[] ColumnOrder = Enum.GetValues<ProfileOption>();

    private static readonly ProfileEntry[] Rows = CreateAttributes();

    private static readonly FrozenDictionary<uint, ProfileEntry> ByTag =
        Rows.Where(r => !r.IsPattern).ToFrozenDictionary(r => r.Tag);

    private static readonly ProfileEntry[] Patterns = Rows.Where(r => r.IsPattern && !r.IsPrivateAttributesRow).ToArray();

    /// <summary>Every row of the table, in tag order (the private attributes row last).</summary>
    public static IReadOnlyList<ProfileEntry> Attributes => Rows;

    /// <summary>The row for private attributes, (gggg,eeee) where gggg is odd.</summary>
    public static ProfileEntry PrivateAttributes { get; } = Rows.Single(r => r.IsPrivateAttributesRow);

    /// <summary>The row of a public tag: its own row, else a repeating-group row such as (60xx,3000) or (50xx,xxxx).
    /// Private tags are not looked up here (see <see cref="PrivateAttributes"/>).</summary>
    public static bool TryFind(DicomTag tag, [NotNullWhen(true)] out ProfileEntry? attribute)
    {
        if (ByTag.TryGetValue(tag.Value, out attribute))
        {
            return true;
        }

        foreach (var pattern in Patterns)
        {
            if (pattern.Matches(tag))
            {
                attribute = pattern;
                return true;
            }
        }

        attribute = null;
        return false;
    }

    /// <summary>
    /// The action for a row under the options in force: the Basic Profile action unless an option in force has an action
    /// in its column. When several options in force have actions for the row, the most protective one wins (C before K,
    /// so that e.g. a cleaned descriptor is never kept whole because another option retains it).
    /// </summary>
    public static ProfileAction Resolve(ProfileEntry attribute, IReadOnlySet<ProfileOption> options)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentNullException.ThrowIfNull(options);
        ProfileAction? chosen = null;
        foreach (var (option, action) in attribute.Options)
        {
            if (options.Contains(option) && (chosen is null || Protection(action) > Protection(chosen.Value)))
            {
                chosen = action;
            }
        }

        return chosen ?? attribute.Basic;
    }

    /// <summary>The code as the table writes it, e.g. "X/Z/D".</summary>
    public static string Code(ProfileAction action) => action switch
    {
        ProfileAction.Dummy => "D",
        ProfileAction.Zero => "Z",
        ProfileAction.Remove => "X",
        ProfileAction.Keep => "K",
        ProfileAction.Clean => "C",
        ProfileAction.ReplaceUid => "U",
        ProfileAction.ZeroOrDummy => "Z/D",
        ProfileAction.RemoveOrZero => "X/Z",
        ProfileAction.RemoveOrDummy => "X/D",
        ProfileAction.RemoveOrZeroOrDummy => "X/Z/D",
        ProfileAction.RemoveOrZeroOrReplaceContainedUids => "X/Z/U*",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>Parses a code as the table writes it.</summary>
    public static bool TryParseCode(string code, out ProfileAction action)
    {
        foreach (var candidate in Enum.GetValues<ProfileAction>())
        {
            if (string.Equals(Code(candidate), code, StringComparison.Ordinal))
            {
                action = candidate;
                return true;
            }
        }

        action = default;
        return false;
    }

    // Keep retains the most, then the actions that keep a (changed) value, then removal.
    private static int Protection(ProfileAction action) => action switch
    {
        ProfileAction.Keep => 0,
        ProfileAction.ReplaceUid or ProfileAction.RemoveOrZeroOrReplaceContainedUids => 1,
        ProfileAction.Clean => 2,
        ProfileAction.Dummy or ProfileAction.ZeroOrDummy or ProfileAction.RemoveOrDummy or ProfileAction.RemoveOrZeroOrDummy => 3,
        ProfileAction.Zero or ProfileAction.RemoveOrZero => 4,
        _ => 5,
    };

    private static partial ProfileEntry[] CreateAttributes();

    /// <summary>A generated row: codes in the table's column order, empty where the column has none.</summary>
    private static ProfileEntry A(uint tag, uint mask, string name, string keyword, string basic, params string[] options)
    {
        var actions = new Dictionary<ProfileOption, ProfileAction>();
        for (var i = 0; i < options.Length; i++)
        {
            if (options[i].Length > 0)
            {
                actions[ColumnOrder[i]] = ParseGenerated(options[i], name);
            }
        }

        return new ProfileEntry(tag, mask, name, keyword, ParseGenerated(basic, name), actions.ToFrozenDictionary());
    }

    private static ProfileAction ParseGenerated(string code, string name) =>
        TryParseCode(code, out var action) ? action : throw new InvalidOperationException($"Table E.1-1 row '{name}' has an unknown action code '{code}'.");
}
