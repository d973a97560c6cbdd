namespace HealthAssist.Deidentify.Notes.Evaluation;

/// <summary>
/// A synthetic note with its exact PHI annotation (type and range of every planted value), the structured-record
/// context a real pipeline would pass alongside it (or null), and the style it was written in.
/// </summary>
public sealed record LabelledNote(string PatientId, string Style, string Text, IReadOnlyList<PhiSpan> Spans, NoteContext? Context)
{
    /// <summary>Prints the style and counts, never the text or values.</summary>
    public override string ToString() => $"LabelledNote({Style}, {Spans.Count} spans)";
}
