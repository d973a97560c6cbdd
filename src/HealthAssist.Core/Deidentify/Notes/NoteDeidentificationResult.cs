using System.Globalization;
using System.Text;

namespace HealthAssist.Deidentify.Notes;

/// <summary>
/// A de-identified note: the replacement text, where PHI was found in the original (type and range, never the value),
/// and how many spans of each type. <see cref="ToString"/> prints the counts only.
/// </summary>
public sealed class NoteDeidentificationResult
{
    internal NoteDeidentificationResult(string text, IReadOnlyList<PhiSpan> spans)
    {
        Text = text;
        Spans = spans;
        var counts = new Dictionary<PhiType, int>();
        foreach (var span in spans)
        {
            counts[span.Type] = counts.GetValueOrDefault(span.Type) + 1;
        }

        Counts = counts;
    }

    /// <summary>The de-identified text.</summary>
    public string Text { get; }

    /// <summary>PHI found, ordered by start, as ranges of the original text.</summary>
    public IReadOnlyList<PhiSpan> Spans { get; }

    public IReadOnlyDictionary<PhiType, int> Counts { get; }

    public override string ToString()
    {
        var sb = new StringBuilder("NoteDeidentificationResult(");
        sb.Append(CultureInfo.InvariantCulture, $"{Spans.Count} spans");
        foreach (var type in Enum.GetValues<PhiType>())
        {
            if (Counts.TryGetValue(type, out var n))
            {
                sb.Append(CultureInfo.InvariantCulture, $", {type} {n}");
            }
        }

        return sb.Append(')').ToString();
    }
}
