using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthAssist.Deidentify;
using HealthAssist.Deidentify.Reidentification;
using HealthAssist.Encode.Inputs;
using HealthAssist.Fuse;
using HealthAssist.Ingest.Fhir;
using HealthAssist.Interpret;
using HealthAssist.Record.Assessments;
using HealthAssist.Record.Audit;
using Microsoft.Extensions.Logging;

namespace HealthAssist.Pipeline;

/// <summary>
/// A case to assess, who asks, why (a PurposeOfUse code), through which door (<c>fhir-inline</c>, <c>fhir-pull</c>,
/// <c>cds-hooks</c>, <c>cli</c>), and where the record came from (the EHR's base URL, or <c>inline</c>) for the
/// write-back map.
/// </summary>
public sealed record AssessmentRequest(CaseInputs Inputs, AuditActor Actor, string PurposeOfUse, string Channel, string SourceSystem = "inline");

/// <summary>
/// A recorded assessment. <see cref="Bundle"/> is what the caller receives: the same resources as the stored,
/// de-identified copy, with the subject pointing at the caller's own Patient again.
/// </summary>
public sealed record AssessmentOutcome(
    string InferenceId, Bundle Bundle, AssessmentResources Resources, FusionPrediction Prediction, ModelInputs Inputs, RecordedInference Recorded,
    IReadOnlyDictionary<string, double> TimingsMs,
    IReadOnlyDictionary<string, string> Handles);

/// <summary>The patient's Consent denies the assessment; the refusal is audited.</summary>
public sealed class ConsentRefusedException(string reason) : Exception($"The assessment was not made: {reason}.");

/// <summary>
/// The whole pipeline for one case: ingest → de-identify → encode → fuse → interpret → record. The API, CDS Hooks and
/// the CLI all call this, so every door gets the same checks and the same audit entry. Fail closed: the result exists
/// for the caller only after <see cref="IInferenceRecorder.RecordAsync"/> committed its audit entry. Refusals and
/// failures after the record was read are audited too.
/// </summary>
public sealed class AssessmentPipeline(
    CaseDeidentifier deidentifier,
    ModelInputBuilder inputBuilder,
    MultimodalModel model,
    BatchingPredictor predictor,
    IInferenceRecorder recorder,
    TimeProvider time,
    string softwareVersion,
    ILogger<AssessmentPipeline> logger,
    IAssessmentExtension? extension = null)
{
    /// <summary>The part of a result that holds the outcome risks (the other parts are the suggested diagnoses' keys).</summary>
    public const string OutcomesPart = "outcomes";

    private static readonly FhirJsonSerializer Serializer = new();

    public async Task<AssessmentOutcome> AssessAsync(AssessmentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var inferenceId = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var timings = new Dictionary<string, double>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();

        // Ingest: a record that is not valid FHIR is refused before anything else (nothing to audit: no patient).
        var record = FhirRecordReader.ReadJson(request.Inputs.FhirJson, "record");
        if (record.Issues.FirstOrDefault(i => i.IsError) is { } error)
        {
            throw new InvalidInputException(error.Message, error.Location);
        }

        var patients = record.All<Patient>().ToList();
        if (patients.Count != 1)
        {
            throw new InvalidInputException($"The record must hold exactly one Patient; it holds {patients.Count}", "Bundle.entry") { StatusCode = 422 };
        }

        var keys = deidentifier.KeysOf(request.Inputs.FhirJson);
        var consent = ConsentPolicy.Evaluate(record, request.Inputs.IndexTime);
        if (!consent.Permitted)
        {
            await recorder.RecordRefusalAsync(new RefusalRecord(inferenceId, request.Actor, request.PurposeOfUse, request.Channel, keys.Pseudonym,
                AuditEventTypes.AssessmentRefused, AuditOutcomes.MinorFailure, "consent: " + consent.Reason, []), cancellationToken);
            LogRefused(logger, inferenceId, request.Channel);
            throw new ConsentRefusedException(consent.Reason!);
        }

        timings["ingest"] = Lap(clock);
        List<AuditedInput> audited = [];
        try
        {
            var deidentified = deidentifier.Deidentify(request.Inputs);
            timings["deidentify"] = Lap(clock);

            var inputs = inputBuilder.Build(deidentified);
            audited = Audited(deidentified, inputs);
            timings["encodeInputs"] = Lap(clock);

            var prediction = await predictor.PredictAsync(inputs, cancellationToken)
                ?? throw new InvalidInputException(NoUsableInput(inputs), "Bundle") { StatusCode = 422 };
            var withoutFacts = model.WithoutRecordFacts(inputs);
            timings["fuse"] = Lap(clock);

            var context = new AssessmentContext(inferenceId, $"Patient/{keys.Pseudonym.Value}", time.GetUtcNow(), softwareVersion, deidentified.Inputs);
            var resources = AssessmentResourceBuilder.Build(prediction, inputs, context, withoutFacts);
            extension?.Extend(resources, prediction, inputs, context);
            var stored = Serializer.SerializeToString(resources.Bundle);
            timings["interpret"] = Lap(clock);

            var patient = patients[0];
            var identity = new PatientIdentity(request.SourceSystem, patient.Id ?? string.Empty, patient.Id is null ? null : $"Patient/{patient.Id}");
            var toStore = deidentified.Inputs.Where(d => d.DeidentifiedSha256 is not null).Select(d => d.Modality switch
            {
                "record" => new InputToStore(d.DeidentifiedSha256!, d.MediaType, Encoding.UTF8.GetBytes(deidentified.FhirJson)),
                "image" => new InputToStore(d.DeidentifiedSha256!, d.MediaType, Dicom.IO.DicomWriter.Write(deidentified.Images.First(i => i.Label == d.Label).File)),
                _ => new InputToStore(d.DeidentifiedSha256!, d.MediaType, deidentified.Recordings.First(r => r.Label == d.Label).Wav),
            }).ToList();
            var heads = prediction.Heads;
            var handles = heads.Where(h => h.Suggested).Select(h => h.Label.Key).Append(OutcomesPart)
                .ToDictionary(part => part, part => Handle(inferenceId, part), StringComparer.Ordinal);
            timings["total"] = timings.Values.Sum() + Lap(clock);
            var inference = new InferenceRecord(
                inferenceId, request.Actor, request.PurposeOfUse, request.Channel, keys.Pseudonym, identity, audited, toStore, prediction.Models, softwareVersion,
                stored, Sha256(stored), [.. heads.Where(h => h.Suggested).Select(h => h.Label.Key)], heads.ToDictionary(h => h.Label.Key, h => h.Probability), timings, handles, deidentified.IndexTime);

            // Record: nothing leaves before this commits (it throws RecordUnavailableException otherwise).
            var recorded = await recorder.RecordAsync(inference, cancellationToken);
            timings["record"] = Lap(clock);

            var bundle = ForCaller(stored, keys.Pseudonym, identity.FhirReference);
            LogAssessed(logger, inferenceId, request.Channel, prediction.Used.Count, recorded.AuditSequence);
            return new AssessmentOutcome(inferenceId, bundle, resources, prediction, inputs, recorded, timings, handles);
        }
        catch (Exception ex) when (ex is not RecordUnavailableException and not OperationCanceledException)
        {
            // An accepted case that did not produce a result is audited as a failure (best effort: the original
            // error is what the caller needs to see).
            var reason = ex is InvalidInputException ? ex.Message : "processing failed (" + ex.GetType().Name + ")";
            try
            {
                await recorder.RecordRefusalAsync(new RefusalRecord(inferenceId, request.Actor, request.PurposeOfUse, request.Channel, keys.Pseudonym,
                    AuditEventTypes.AssessmentFailed, ex is InvalidInputException ? AuditOutcomes.MinorFailure : AuditOutcomes.SeriousFailure, reason, audited), CancellationToken.None);
            }
            catch (RecordUnavailableException auditFailure)
            {
                LogFailureNotAudited(logger, inferenceId, auditFailure.GetType().Name);
            }

            throw;
        }
    }

    /// <summary>The stored (de-identified) result with the pseudonymous subject replaced by the caller's own Patient reference.</summary>
    private static Bundle ForCaller(string storedJson, PatientPseudonym pseudonym, string? patientReference)
    {
        var json = patientReference is null ? storedJson : storedJson.Replace($"\"Patient/{pseudonym.Value}\"", $"\"{patientReference}\"", StringComparison.Ordinal);
        return new FhirJsonDeserializer().Deserialize<Bundle>(json);
    }

    private static List<AuditedInput> Audited(DeidentifiedCase deidentified, ModelInputs inputs)
    {
        var rejected = inputs.Rejected.GroupBy(r => (r.Modality, r.Label)).ToDictionary(g => g.Key, g => g.First().Reason);
        return [.. deidentified.Inputs.Select(d =>
        {
            var flags = new List<string>();
            var used = false;
            switch (d.Modality)
            {
                case "record":
                    flags.AddRange(inputs.Tabular.Flags.Select(f => $"{f.Feature}: {f.Reason}"));
                    used = inputs.Has(Modality.Tabular) || inputs.Has(Modality.Note);
                    break;
                case "image" when inputs.Image?.Label == d.Label:
                    flags.AddRange(inputs.Image.Issues.ToString().Split(", ").Where(f => f != "None"));
                    used = true;
                    break;
                case "heart-sound" or "lung-sound":
                    var recording = d.Modality == "heart-sound" ? inputs.Heart : inputs.Lung;
                    if (recording?.Label == d.Label)
                    {
                        flags.AddRange(recording.Quality.Checks.Where(c => !c.Passed).Select(c => c.Name));
                        used = true;
                    }

                    break;
            }

            return new AuditedInput(d.Modality, d.Label, d.MediaType, d.OriginalSha256, d.DeidentifiedSha256, deidentified.FhirProfileVersion, flags, used,
                rejected.GetValueOrDefault((d.Modality == "record" ? "record" : d.Modality, d.Label)) ?? (used || d.Modality == "record" ? null : "not used: another input of this modality was used"));
        })];
    }

    private static string NoUsableInput(ModelInputs inputs) =>
        "No input of the case could be used" + (inputs.Rejected.Count == 0 ? string.Empty : ": " + string.Join("; ", inputs.Rejected.Select(r => $"{r.Label}: {r.Reason}")));

    /// <summary>A UUID for one part of an inference, unguessable from outside (the inference id is random).</summary>
    private static string Handle(string inferenceId, string part)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(inferenceId + "/" + part)).AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // version 8 (custom), in Guid's little-endian field layout
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes).ToString();
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static double Lap(Stopwatch clock)
    {
        var elapsed = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return elapsed;
    }

    private static void LogAssessed(ILogger logger, string inferenceId, string channel, int modalities, long sequence) =>
        logger.LogInformation("Assessment {InferenceId} via {Channel}: {Modalities} modalities used, audit entry {Sequence}", inferenceId, channel, modalities, sequence);

    private static void LogRefused(ILogger logger, string inferenceId, string channel) =>
        logger.LogInformation("Assessment {InferenceId} via {Channel} refused by the patient's consent (audited)", inferenceId, channel);

    private static void LogFailureNotAudited(ILogger logger, string inferenceId, string problem) =>
        logger.LogError("Assessment {InferenceId} failed and its failure could not be audited ({Problem})", inferenceId, problem);
}

/// <summary>Adds resources to an assessment before it is recorded (treatment drafts), so they are stored and audited with it.</summary>
public interface IAssessmentExtension
{
    void Extend(AssessmentResources resources, FusionPrediction prediction, ModelInputs inputs, AssessmentContext context);
}
