using Hl7.Fhir.Model;

namespace HealthAssist.Interpret.Treatment;

/// <summary>Who and when the treatment drafts are for, and which Condition each suggested diagnosis became.</summary>
/// <param name="InferenceId">The inference's id: every generated resource id starts with it (at most 34 characters of [A-Za-z0-9.-]).</param>
/// <param name="PatientReference">The subject as the caller will see it (<c>Patient/…</c>).</param>
/// <param name="Time">When the drafts were made (authoredOn, identified).</param>
/// <param name="ConditionReferences">Diagnosis key → <c>Condition/{id}</c> of the provisional suggestion (the drafts' reason).</param>
public sealed record TreatmentContext(string InferenceId, string PatientReference, DateTimeOffset Time, IReadOnlyDictionary<string, string> ConditionReferences);

/// <summary>
/// The treatment drafts of one assessment: a RequestGroup per suggested diagnosis that has a rule, the
/// MedicationRequests and ServiceRequests its actions point to, and a DetectedIssue for each safety check that fired.
/// Every resource is a draft (status draft / preliminary, intent proposal) and carries the AI-asserted label.
/// </summary>
public sealed record TreatmentDrafts(IReadOnlyList<RequestGroup> Plans, IReadOnlyList<MedicationRequest> Medications, IReadOnlyList<ServiceRequest> Services, IReadOnlyList<DetectedIssue> Issues)
{
    public static TreatmentDrafts Empty { get; } = new([], [], [], []);

    /// <summary>Every resource: plans first, then medications, services and issues.</summary>
    public IEnumerable<Resource> All => Plans.Cast<Resource>().Concat(Medications).Concat(Services).Concat(Issues);
}
