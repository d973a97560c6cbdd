using System.Globalization;
using System.Text;

namespace HealthAssist.Deidentify.Notes.Evaluation;

/// <summary>Token counts for one PHI type. Recall counts true tokens of the type found as any PHI; precision counts tokens predicted as the type that are PHI of any type.</summary>
public readonly record struct TokenScore(int TrueTokens, int TrueTokensFound, int PredictedTokens, int PredictedTokensCorrect, int TrueTokensFoundAsType)
{
    public double Recall => TrueTokens == 0 ? 1 : (double)TrueTokensFound / TrueTokens;

    public double Precision => PredictedTokens == 0 ? 1 : (double)PredictedTokensCorrect / PredictedTokens;

    /// <summary>Of the true tokens of the type, the share detected with the same type.</summary>
    public double TypedRecall => TrueTokens == 0 ? 1 : (double)TrueTokensFoundAsType / TrueTokens;
}

/// <summary>A token the detector got wrong, with a little surrounding text. For synthetic notes only: it prints note text.</summary>
public sealed record EvaluationMistake(int Note, string Style, bool Missed, PhiType Type, string Token, string Surroundings);

/// <summary>
/// Token-level evaluation of the note detector against annotated notes. A token is a maximal run of letters or digits;
/// it is PHI if it overlaps an annotated span and predicted PHI if it overlaps a detected span.
/// </summary>
public sealed class NoteEvaluation
{
    private NoteEvaluation(IReadOnlyDictionary<PhiType, TokenScore> byType, TokenScore overall, IReadOnlyList<EvaluationMistake> mistakes, int notes)
    {
        ByType = byType;
        Overall = overall;
        Mistakes = mistakes;
        Notes = notes;
    }

    public IReadOnlyDictionary<PhiType, TokenScore> ByType { get; }

    public TokenScore Overall { get; }

    public IReadOnlyList<EvaluationMistake> Mistakes { get; }

    public int Notes { get; }

    public static NoteEvaluation Run(NoteDeidentifier detector, IEnumerable<LabelledNote> notes, bool useContext = true, bool collectMistakes = false)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(notes);
        var counts = Enum.GetValues<PhiType>().ToDictionary(t => t, _ => new int[5]);
        var overall = new int[5];
        var mistakes = new List<EvaluationMistake>();
        var index = 0;
        foreach (var note in notes)
        {
            var predicted = detector.Detect(note.Text, useContext ? note.Context : null);
            foreach (var (start, end) in Tokens(note.Text))
            {
                var truth = TypeAt(note.Spans, start, end);
                var guess = TypeAt(predicted, start, end);
                if (truth is { } t)
                {
                    counts[t][0]++;
                    overall[0]++;
                    if (guess is not null)
                    {
                        counts[t][1]++;
                        overall[1]++;
                    }

                    if (guess == t)
                    {
                        counts[t][4]++;
                        overall[4]++;
                    }
                }

                if (guess is { } g)
                {
                    counts[g][2]++;
                    overall[2]++;
                    if (truth is not null)
                    {
                        counts[g][3]++;
                        overall[3]++;
                    }
                }

                if (collectMistakes && (truth is null) != (guess is null))
                {
                    var from = Math.Max(0, start - 40);
                    var to = Math.Min(note.Text.Length, end + 40);
                    mistakes.Add(new EvaluationMistake(index, note.Style, truth is not null, (truth ?? guess)!.Value, note.Text[start..end],
                        note.Text[from..start].Replace('\n', '|') + "[[" + note.Text[start..end] + "]]" + note.Text[end..to].Replace('\n', '|')));
                }
            }

            index++;
        }

        return new NoteEvaluation(
            counts.ToDictionary(kv => kv.Key, kv => Score(kv.Value)),
            Score(overall),
            mistakes,
            index);
    }

    private static TokenScore Score(int[] c) => new(c[0], c[1], c[2], c[3], c[4]);

    private static PhiType? TypeAt(IReadOnlyList<PhiSpan> spans, int start, int end)
    {
        foreach (var s in spans)
        {
            if (s.Start < end && start < s.End)
            {
                return s.Type;
            }
        }

        return null;
    }

    private static IEnumerable<(int Start, int End)> Tokens(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            yield return (start, i);
        }
    }

    /// <summary>The per-type table: true tokens, recall, typed recall, predicted tokens, precision.</summary>
    public string Table()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"type",-12} {"PHI tokens",10} {"recall",8} {"typed",8} {"predicted",10} {"precision",10}");
        foreach (var (type, s) in ByType.OrderBy(kv => kv.Key))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{type,-12} {s.TrueTokens,10} {s.Recall,8:F4} {s.TypedRecall,8:F4} {s.PredictedTokens,10} {s.Precision,10:F4}");
        }

        sb.AppendLine(CultureInfo.InvariantCulture, $"{"overall",-12} {Overall.TrueTokens,10} {Overall.Recall,8:F4} {Overall.TypedRecall,8:F4} {Overall.PredictedTokens,10} {Overall.Precision,10:F4}");
        return sb.ToString();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"NoteEvaluation({Notes} notes, recall {Overall.Recall:F4}, precision {Overall.Precision:F4})");
}
