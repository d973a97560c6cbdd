namespace HealthAssist.Deidentify.Notes;

/// <summary>A possible PHI span before overlaps are resolved. <see cref="Kind"/> names the identifier type ("MRN", "SSN"…).</summary>
internal readonly record struct Candidate(int Start, int End, PhiType Type, int Priority, NoteDate? Date = null, string? Kind = null)
{
    public int Length => End - Start;
}
