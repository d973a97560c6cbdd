using System.Globalization;

namespace HealthAssist.Deidentify.Notes;

/// <summary>
/// Identifiers of this patient already known from the structured record (FHIR Patient, RelatedPerson, Encounter). The
/// note de-identifier searches for each of them verbatim and in common variants, so they are found even where no rule
/// or dictionary would recognise them. <see cref="ToString"/> prints counts only.
/// </summary>
public sealed class NoteContext
{
    public IReadOnlyList<string> GivenNames { get; init; } = [];

    public IReadOnlyList<string> FamilyNames { get; init; } = [];

    /// <summary>Full or partial names of relatives, contacts and carers.</summary>
    public IReadOnlyList<string> RelativeNames { get; init; } = [];

    /// <summary>MRN, insurance member numbers, SSN and any other identifier values.</summary>
    public IReadOnlyList<string> Identifiers { get; init; } = [];

    /// <summary>Street lines of the patient's addresses.</summary>
    public IReadOnlyList<string> AddressLines { get; init; } = [];

    public IReadOnlyList<string> Cities { get; init; } = [];

    public IReadOnlyList<string> PostalCodes { get; init; } = [];

    public IReadOnlyList<string> Phones { get; init; } = [];

    public IReadOnlyList<string> Emails { get; init; } = [];

    public DateOnly? BirthDate { get; init; }

    /// <summary>Hospitals and other organisations of this patient's care.</summary>
    public IReadOnlyList<string> Institutions { get; init; } = [];

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"NoteContext(names {GivenNames.Count + FamilyNames.Count + RelativeNames.Count}, identifiers {Identifiers.Count}, addresses {AddressLines.Count + Cities.Count + PostalCodes.Count}, telecom {Phones.Count + Emails.Count}, birth date {(BirthDate is null ? "no" : "yes")}, institutions {Institutions.Count})");
}
