using System.Text;

namespace HealthAssist.Deidentify.Notes.Evaluation;

/// <summary>Appends literal text and PHI values, recording the exact range of every PHI value as it is written.</summary>
internal sealed class NoteBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<PhiSpan> _spans = [];

    public NoteBuilder T(string literal)
    {
        _text.Append(literal);
        return this;
    }

    public NoteBuilder P(PhiType type, string value)
    {
        _spans.Add(new PhiSpan(type, _text.Length, value.Length));
        _text.Append(value);
        return this;
    }

    /// <summary>A full name "Given Family" as two annotated words (the space between them is not PHI).</summary>
    public NoteBuilder FullName(Person person)
    {
        P(PhiType.Name, person.Given);
        T(" ");
        return P(PhiType.Name, person.Family);
    }

    public NoteBuilder Line(string literal = "") => T(literal + "\n");

    public int Length => _text.Length;

    public (string Text, IReadOnlyList<PhiSpan> Spans) Build(NoteCase noteCase)
    {
        var text = _text.ToString();
        text = noteCase switch
        {
            NoteCase.Upper => text.ToUpperInvariant(),
            NoteCase.Lower => text.ToLowerInvariant(),
            _ => text,
        };
        return (text, _spans.ToArray());
    }
}

internal enum NoteCase
{
    Mixed,
    Upper,
    Lower,
}

/// <summary>A synthetic person.</summary>
internal sealed record Person(string Given, string Family, bool Female);
