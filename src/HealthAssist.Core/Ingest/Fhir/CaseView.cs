using Hl7.Fhir.Model;

namespace HealthAssist.Ingest.Fhir;

/// <summary>A coded concept as found in the record: system, code and display.</summary>
public sealed record CodedConcept(string? System, string? Code, string? Display)
{
    public static IReadOnlyList<CodedConcept> From(CodeableConcept? concept) =>
        concept?.Coding.Select(c => new CodedConcept(c.System, c.Code, c.Display)).ToList() ?? [];
}

/// <summary>One measured value (a vital sign, a laboratory result or one component of a panel).</summary>
public sealed record ObservationFact(
    IReadOnlyList<CodedConcept> Codes, string Display, decimal? Value, string? Unit, string? UnitCode, DateTimeOffset? Effective, string Source, IReadOnlyList<string> Notes)
{
    public string? Loinc => Codes.FirstOrDefault(c => c.System == "http://loinc.org")?.Code;
}

public sealed record ConditionFact(IReadOnlyList<CodedConcept> Codes, string Display, bool Active, string? ClinicalStatus, string? VerificationStatus, DateTimeOffset? Onset, string Source);

public sealed record MedicationFact(IReadOnlyList<CodedConcept> Codes, string Display, string? Status, DateTimeOffset? Date, string Source);

public sealed record AllergyFact(IReadOnlyList<CodedConcept> Codes, string Display, string? Criticality, string? Category, string Source);

public sealed record ConsentFact(string? Status, IReadOnlyList<CodedConcept> Scope, IReadOnlyList<CodedConcept> Categories, DateTimeOffset? Date, string Source);

/// <summary>Free text written about the patient (a note, a report, an observation comment).</summary>
public sealed record NoteFact(string Kind, DateTimeOffset? Date, string Text, string Source);

/// <summary>
/// One patient at one index time, as the clinician would read the chart: demographics, what was measured, what they
/// have, take and react to, what they consented to, and what was written — only what was known at the index time.
/// </summary>
public sealed record CaseView(
    string PatientReference,
    DateTimeOffset IndexTime,
    double? AgeYears,
    AdministrativeGender? Sex,
    IReadOnlyList<ObservationFact> Observations,
    IReadOnlyList<ConditionFact> Conditions,
    IReadOnlyList<MedicationFact> Medications,
    IReadOnlyList<AllergyFact> Allergies,
    IReadOnlyList<ConsentFact> Consents,
    IReadOnlyList<NoteFact> Notes,
    IReadOnlyList<FhirInputIssue> Issues);
