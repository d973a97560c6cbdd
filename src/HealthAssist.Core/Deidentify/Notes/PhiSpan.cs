namespace HealthAssist.Deidentify.Notes;

/// <summary>
/// Where PHI was found, as a range of the ORIGINAL text. Deliberately holds no value, so printing a span (or a list of
/// them) can never leak what was there.
/// </summary>
public readonly record struct PhiSpan(PhiType Type, int Start, int Length)
{
    public int End => Start + Length;

    public bool Overlaps(int start, int end) => Start < end && start < End;
}
