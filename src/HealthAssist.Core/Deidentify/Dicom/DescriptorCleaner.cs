using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HealthAssist.Deidentify.Dicom;

/// <summary>
/// Cleans free-text descriptors (action C under Clean Descriptors and Retain Patient Characteristics): removes from the
/// text every value that the same instance holds in an attribute the profile removes or replaces (names and each name
/// component, IDs, accession and institution values, dates of birth in common spellings), and anything that looks like
/// a date, a long number, a phone number, an e-mail address, a web address or a titled name ("Dr Smith"). Each removal
/// is replaced by <see cref="Marker"/>; the rest of the text (the clinical meaning, e.g. "CT CHEST W CONTRAST") is kept.
/// </summary>
/// <remarks>
/// It cannot recognise a name that appears nowhere else in the instance and follows no title; the free-text scrubber of
/// clinical notes is the place for that (see compliance/adr/0007-dicom-deidentification.md).
/// </remarks>
public sealed partial class DescriptorCleaner
{
    public const string Marker = "[removed]";

    private static readonly Regex[] Patterns =
    [
        EmailPattern(), UrlPattern(), TitleBeforeRemovalPattern(), DatePattern(), PhonePattern(), LongNumberPattern(),
    ];

    private readonly string[] _terms;

    /// <param name="identifyingValues">Values the instance holds in attributes the profile removes or replaces.</param>
    /// <param name="personNames">Person-name values (PN, components separated by ^ and =) of the instance.</param>
    public DescriptorCleaner(IEnumerable<string> identifyingValues, IEnumerable<string> personNames)
    {
        ArgumentNullException.ThrowIfNull(identifyingValues);
        ArgumentNullException.ThrowIfNull(personNames);
        var terms = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in identifyingValues)
        {
            var trimmed = value.Trim();
            if (trimmed.Length >= 3)
            {
                terms.Add(trimmed);
            }
        }

        foreach (var name in personNames)
        {
            foreach (var component in name.Split(['^', '=', ' ', ',', '\\'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (component.Trim('.').Length >= 2)
                {
                    terms.Add(component.Trim('.'));
                }
            }
        }

        _terms = terms.OrderByDescending(t => t.Length).ThenBy(t => t, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The date spellings a DA value may take in free text (YYYYMMDD, YYYY-MM-DD, DD.MM.YYYY, MM/DD/YYYY …).</summary>
    public static IEnumerable<string> DateSpellings(string date)
    {
        ArgumentNullException.ThrowIfNull(date);
        if (date.Length != 8 || !DateOnly.TryParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            yield break;
        }

        foreach (var format in (string[])["yyyyMMdd", "yyyy-MM-dd", "yyyy/MM/dd", "yyyy.MM.dd", "dd.MM.yyyy", "dd/MM/yyyy", "MM/dd/yyyy", "dd-MM-yyyy", "d.M.yyyy", "M/d/yyyy"])
        {
            yield return parsed.ToString(format, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The cleaned text; the same instance when nothing was found.</summary>
    public string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Titled names first ("Dr Smith" whole), then the instance's own values (whole, before the number patterns could
        // cut an ID apart), then the generic patterns.
        var cleaned = TitledNamePattern().Replace(text, Marker);
        cleaned = ReplaceKnown(cleaned);
        foreach (var pattern in Patterns)
        {
            cleaned = pattern.Replace(cleaned, Marker);
        }

        return string.Equals(cleaned, text, StringComparison.Ordinal) ? text : CollapseMarkers(cleaned);
    }

    // Long terms anywhere (a name inside a longer word is still removed); short ones only as whole words. Plain
    // case-insensitive search: the terms come from the instance, so no pattern is built from them.
    private string ReplaceKnown(string text)
    {
        List<(int Start, int End)>? spans = null;
        foreach (var term in _terms)
        {
            for (var at = text.IndexOf(term, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(term, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                var end = at + term.Length;
                if (term.Length >= 4 || ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end]))))
                {
                    (spans ??= []).Add((at, end));
                }
            }
        }

        if (spans is null)
        {
            return text;
        }

        spans.Sort();
        var builder = new StringBuilder(text.Length);
        var position = 0;
        var index = 0;
        while (index < spans.Count)
        {
            var (start, end) = spans[index++];
            while (index < spans.Count && spans[index].Start <= end)
            {
                end = Math.Max(end, spans[index++].End);
            }

            builder.Append(text, position, start - position).Append(Marker);
            position = end;
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }

    private static string CollapseMarkers(string text)
    {
        var collapsed = RepeatedMarkerPattern().Replace(text, Marker);
        return collapsed.Trim();
    }

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\b(https?://|www\.)\S+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"\b(Dr|Mr|Mrs|Ms|Miss|Prof|Dott|Doz)\b\.?\s*[\p{Lu}][\p{L}'\-]+(\s+[\p{Lu}][\p{L}'\-]+)?", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TitledNamePattern();

    [GeneratedRegex(@"\b(Dr|Mr|Mrs|Ms|Miss|Prof|Dott|Doz)\b\.?\s*\[removed\]", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TitleBeforeRemovalPattern();

    [GeneratedRegex(@"(?<!\d)(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](\d{4}|\d{2})|(19|20)\d{6})(?!\d)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"(?<!\d)(\+\d{1,3}[\s.-]?)?(\(\d{2,4}\)[\s.-]?)?\d{2,4}[\s.-]\d{3,4}[\s.-]\d{3,4}(?!\d)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"(?<!\d)\d{5,}(?!\d)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex LongNumberPattern();

    [GeneratedRegex(@"\[removed\](\s*\[removed\])+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex RepeatedMarkerPattern();
}
