using HealthAssist.Record.Assessments;
using HealthAssist.Record.Audit;
using HealthAssist.Storage.Audit;
using HealthAssist.Storage.Inputs;
using HealthAssist.Storage.Reidentification;
using Microsoft.EntityFrameworkCore;

namespace HealthAssist.Storage.Assessments;

/// <summary>
/// The record stage on EF Core. The de-identified inputs go to the encrypted store first (content-addressed and
/// idempotent, so a failure later leaves at most an unreferenced file, never a row); then one transaction appends the
/// audit entry — which takes the chain's lock, so concurrent recorders of the same new patient cannot race on the
/// re-identification map — has the identity sealed and remembered when the pseudonym is new (the recorder can write the
/// map, never read it), and adds the stored result. Either all of it
/// commits or none; any failure becomes <see cref="RecordUnavailableException"/> and the caller withholds the result.
/// </summary>
public sealed class InferenceRecorder(
    HealthAssistDbContext db, IAuditTrail audit, IReidentificationRecorder identities, EncryptedInputStore inputs) : IInferenceRecorder
{
    public async Task<RecordedInference> RecordAsync(InferenceRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            foreach (var input in record.InputsToStore.DistinctBy(i => i.Sha256))
            {
                await inputs.PutAsync(input.Sha256, input.Content, cancellationToken);
            }

            return await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                try
                {
                    var entry = await audit.AppendAsync(
                        new AuditRecord(AuditEventTypes.AssessmentCreate, record.Actor, record.PurposeOfUse, record.Patient, record.AuditPayload()), ct);

                    // Within this transaction and under the chain's lock: committed with the entry, or not at all.
                    await identities.RememberAsync(record.Patient, record.Identity, ct);

                    db.Set<StoredAssessment>().Add(new StoredAssessment
                    {
                        InferenceId = record.InferenceId,
                        CreatedAt = entry.OccurredAt,
                        PatientPseudonym = record.Patient.Value,
                        Channel = record.Channel,
                        ActorSubject = record.Actor.Subject,
                        ResultJson = record.ResultJson,
                        ResultSha256 = record.ResultSha256,
                        AuditSequence = entry.Sequence,
                    });
                    db.Set<AssessmentHandle>().AddRange(record.Handles.Select(h => new AssessmentHandle { Handle = h.Value, InferenceId = record.InferenceId, Part = h.Key }));
                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                    return new RecordedInference(record.InferenceId, entry.Sequence, Convert.ToHexStringLower(entry.EntryHash));
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new RecordUnavailableException("The result was withheld because its audit entry could not be recorded.", ex);
        }
    }

    public async Task RecordRefusalAsync(RefusalRecord refusal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        try
        {
            await audit.AppendAsync(new AuditRecord(refusal.EventType, refusal.Actor, refusal.PurposeOfUse, refusal.Patient, refusal.AuditPayload(), refusal.Outcome), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new RecordUnavailableException("The refusal could not be recorded in the audit trail.", ex);
        }
    }
}
