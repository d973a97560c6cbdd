using HealthAssist.Deidentify;

namespace HealthAssist.Record.Audit;

/// <summary>Who did something, as the audit trail records it.</summary>
/// <param name="Subject">Stable subject identifier of the user or system (the token's <c>sub</c>/<c>oid</c>), not a patient.</param>
/// <param name="Type"><c>user</c>, <c>system</c> or <c>service</c>.</param>
/// <param name="Roles">Application roles held when the event happened.</param>
public sealed record AuditActor(string Subject, string Type, IReadOnlyCollection<string> Roles)
{
    /// <summary>The service itself, for events no person caused (checkpoints, start-up).</summary>
    public static AuditActor System { get; } = new("healthassist", "system", []);
}

/// <summary>What a caller asks the audit trail to record; the trail adds sequence, time and hashes.</summary>
public sealed record AuditRecord(
    string EventType,
    AuditActor Actor,
    string PurposeOfUse,
    PatientPseudonym? Patient,
    string PayloadJson,
    string Outcome = AuditOutcomes.Success);

/// <summary>FHIR AuditEvent.outcome codes.</summary>
public static class AuditOutcomes
{
    public const string Success = "0";
    public const string MinorFailure = "4";
    public const string SeriousFailure = "8";
    public const string MajorFailure = "12";
}

/// <summary>HL7 v3 PurposeOfUse codes used by HealthAssist.</summary>
public static class PurposesOfUse
{
    public const string Treatment = "TREAT";
    public const string Operations = "HOPERAT";
    public const string Research = "HRESCH";
    public const string Compliance = "HCOMPL";
    public const string Audit = "HSYSADMIN";
}

/// <summary>Event types written today; later features add theirs here so the list stays in one place.</summary>
public static class AuditEventTypes
{
    public const string AuditQuery = "audit.query";
    public const string AuditVerify = "audit.verify";
    public const string AuditCheckpoint = "audit.checkpoint";
    public const string AuditCheckpointQuery = "audit.checkpoint.query";
    public const string AuditExport = "audit.export";
    public const string ServiceStart = "service.start";

    /// <summary>One inference (diagnosis suggestions, drafts, outcome risks) made and returned.</summary>
    public const string AssessmentCreate = "assessment.create";

    /// <summary>An assessment refused before any model ran (e.g. the patient's Consent denies AI processing).</summary>
    public const string AssessmentRefused = "assessment.refused";

    /// <summary>An assessment that failed after it was accepted (no usable input, a model error).</summary>
    public const string AssessmentFailed = "assessment.failed";

    /// <summary>A recorded inference re-run from its stored de-identified inputs to check it reproduces.</summary>
    public const string AssessmentReplay = "assessment.replay";

    /// <summary>CDS Hooks feedback on a card (accepted, or overridden with a reason), linked to its inference.</summary>
    public const string CdsFeedback = "cds.feedback";

    /// <summary>A pseudonym was turned back into the patient's identity (EHR write-back).</summary>
    public const string ReidentificationRead = "reidentification.read";
}
