namespace HealthAssist.Deidentify.Notes;

/// <summary>Settings of the note de-identifier.</summary>
public sealed class NoteDeidentifierOptions
{
    /// <summary>
    /// How to read an ambiguous numeric date such as 03/04/2026 (both parts 12 or less): false (the default, US
    /// practice) reads month first; true reads day first. Unambiguous dates (13/04/2026) are always read correctly.
    /// </summary>
    public bool DayFirstDates { get; init; }
}
