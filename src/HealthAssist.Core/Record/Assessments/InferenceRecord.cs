using System.Text.Json;
using System.Text.Json.Nodes;
using HealthAssist.Deidentify;
using HealthAssist.Deidentify.Reidentification;
using HealthAssist.Fuse;
using HealthAssist.Record.Audit;

namespace HealthAssist.Record.Assessments;

/// <summary>
/// One input of the case as the audit entry records it: what it was (modality, media type), its hashes before and after
/// de-identification, the de-identification profile, what the quality checks noticed, and whether it was used.
/// </summary>
public sealed record AuditedInput(
    string Modality, string Label, string MediaType, string OriginalSha256, string? DeidentifiedSha256, string Profile,
    IReadOnlyList<string> QualityFlags, bool Used, string? RejectedBecause);

/// <summary>A de-identified input to keep (encrypted, content-addressed) so that the inference can be replayed.</summary>
public sealed record InputToStore(string Sha256, string MediaType, ReadOnlyMemory<byte> Content);

/// <summary>
/// Everything the record stage keeps about one inference. The result stored is the de-identified Bundle (subject =
/// the pseudonym), so the store holds no identity; the identity itself goes, sealed, to the re-identification map.
/// <see cref="Handles"/> maps each part of the result (a suggested diagnosis, <c>outcomes</c>) to the UUID by which a
/// client refers back to it, e.g. a CDS Hooks card's uuid in feedback. <see cref="DeidentifiedIndexTime"/> is the index
/// time shifted by the patient's offset, as the models saw it: with the stored inputs it makes the inference replayable.
/// </summary>
public sealed record InferenceRecord(
    string InferenceId,
    AuditActor Actor,
    string PurposeOfUse,
    string Channel,
    PatientPseudonym Patient,
    PatientIdentity Identity,
    IReadOnlyList<AuditedInput> Inputs,
    IReadOnlyList<InputToStore> InputsToStore,
    IReadOnlyList<ModelUse> Models,
    string SoftwareVersion,
    string ResultJson,
    string ResultSha256,
    IReadOnlyList<string> Suggested,
    IReadOnlyDictionary<string, double> Probabilities,
    IReadOnlyDictionary<string, double> TimingsMs,
    IReadOnlyDictionary<string, string> Handles,
    DateTimeOffset DeidentifiedIndexTime)
{
    /// <summary>The audit entry's payload: every field the issue asks for, no identity (the patient is the pseudonym).</summary>
    public string AuditPayload() => new JsonObject
    {
        ["inferenceId"] = InferenceId,
        ["channel"] = Channel,
        ["softwareVersion"] = SoftwareVersion,
        ["indexTime"] = DeidentifiedIndexTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["inputs"] = JsonSerializer.SerializeToNode(Inputs, JsonSerializerOptions.Web),
        ["models"] = new JsonArray([.. Models.Select(m => (JsonNode)new JsonObject
        {
            ["name"] = m.Name, ["version"] = m.Version, ["sha256"] = m.Sha256, ["kind"] = m.Kind, ["modality"] = m.Modality, ["executionProvider"] = m.ExecutionProvider,
        })]),
        ["outputs"] = new JsonObject
        {
            ["resultSha256"] = ResultSha256,
            ["storedAs"] = $"assessment/{InferenceId}",
            ["handles"] = JsonSerializer.SerializeToNode(Handles, JsonSerializerOptions.Web),
            ["suggested"] = new JsonArray([.. Suggested.Select(s => (JsonNode)JsonValue.Create(s))]),
            ["probabilities"] = JsonSerializer.SerializeToNode(Probabilities.ToDictionary(p => p.Key, p => Math.Round(p.Value, 4)), JsonSerializerOptions.Web),
        },
        ["timingsMs"] = JsonSerializer.SerializeToNode(TimingsMs.ToDictionary(t => t.Key, t => Math.Round(t.Value, 2)), JsonSerializerOptions.Web),
        ["outcome"] = "completed",
    }.ToJsonString(JsonSerializerOptions.Web);
}

/// <summary>An assessment that was not made (consent refusal, no usable input, a failure), for the audit trail.</summary>
public sealed record RefusalRecord(
    string InferenceId, AuditActor Actor, string PurposeOfUse, string Channel, PatientPseudonym? Patient, string EventType, string Outcome, string Reason,
    IReadOnlyList<AuditedInput> Inputs)
{
    public string AuditPayload() => new JsonObject
    {
        ["inferenceId"] = InferenceId,
        ["channel"] = Channel,
        ["reason"] = Reason,
        ["inputs"] = JsonSerializer.SerializeToNode(Inputs, JsonSerializerOptions.Web),
        ["outcome"] = EventType == AuditEventTypes.AssessmentRefused ? "refused" : "failed",
    }.ToJsonString(JsonSerializerOptions.Web);
}

/// <summary>The audit entry an inference was committed with.</summary>
public sealed record RecordedInference(string InferenceId, long AuditSequence, string AuditEntryHash);

/// <summary>
/// The record stage. <see cref="RecordAsync"/> commits the inference's audit entry, its stored result, the sealed
/// re-identification entry and the de-identified inputs before it returns; if anything fails it throws
/// <see cref="RecordUnavailableException"/> and no row is left behind, so the caller withholds the result.
/// </summary>
public interface IInferenceRecorder
{
    Task<RecordedInference> RecordAsync(InferenceRecord record, CancellationToken cancellationToken = default);

    /// <summary>Audits an assessment that was refused or failed. Throws <see cref="RecordUnavailableException"/> when it cannot.</summary>
    Task RecordRefusalAsync(RefusalRecord refusal, CancellationToken cancellationToken = default);
}

/// <summary>The inference's audit entry could not be committed, so its result is withheld (fail closed).</summary>
public sealed class RecordUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
