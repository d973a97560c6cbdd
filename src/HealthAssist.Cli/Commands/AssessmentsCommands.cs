using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HealthAssist.Deidentify;
using HealthAssist.Encode.Registry;
using HealthAssist.Fuse;
using HealthAssist.Pipeline;
using HealthAssist.Record.Audit;
using HealthAssist.Storage.Assessments;
using HealthAssist.Storage.Audit;
using Microsoft.EntityFrameworkCore;

namespace HealthAssist.Cli.Commands;

/// <summary><c>healthassist assessments replay ID</c>: re-runs a recorded inference from its stored de-identified inputs.</summary>
internal static class AssessmentsCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var assessments = new Command("assessments", "Recorded assessments");
        var id = new Argument<string>("inference-id") { Description = "The inference id (X-HealthAssist-Inference, or inferenceId in the audit entry)" };
        var replay = new Command("replay", "Re-run a recorded inference from its stored, de-identified inputs with the model versions it used; exit 1 if it does not reproduce") { id };
        replay.SetAction((result, cancellationToken) => ReplayAsync(context, result.GetRequiredValue(id), CliContext.Json(result), cancellationToken));
        assessments.Subcommands.Add(replay);
        return assessments;
    }

    private static async Task<int> ReplayAsync(CliContext context, string inferenceId, bool json, CancellationToken cancellationToken)
    {
        using var keys = context.Environment.LoadKeys();
        await using var db = context.Environment.CreateDbContext();
        var stored = await db.Set<StoredAssessment>().AsNoTracking().FirstOrDefaultAsync(a => a.InferenceId == inferenceId, cancellationToken)
            ?? throw new UsageException($"no recorded assessment {inferenceId}");
        var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == stored.AuditSequence, cancellationToken);

        // The fusion model the inference used, as recorded; its encoders come with it.
        using var payload = JsonDocument.Parse(entry.Payload);
        var fusion = payload.RootElement.GetProperty("models").EnumerateArray().Last();
        var reference = $"{fusion.GetProperty("name").GetString()}@{fusion.GetProperty("version").GetString()}";
        var folder = ModelDirectory.Locate(context.Environment.Configuration["Models:Path"]);
        using var model = MultimodalModel.Load(ModelRegistry.Scan(folder), reference, ModelsEvaluateCommand.Runtime(context));
        var (_, builder) = PipelineData.Load(folder, keys.DeploymentSecret, model.Specification);
        var store = context.Environment.OpenInputStore(keys.DeploymentSecret);

        var inputs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var input in payload.RootElement.GetProperty("inputs").EnumerateArray())
        {
            if (input.GetProperty("deidentifiedSha256").GetString() is { } hash && await store.GetAsync(hash, cancellationToken) is { } bytes)
            {
                inputs[hash] = bytes;
            }
        }

        var result = AssessmentReplay.Replay(entry.Payload, inputs.GetValueOrDefault, builder, model);

        // Reading stored clinical inputs is itself recorded.
        var details = JsonSerializer.Serialize(new { inferenceId, result.Reproduced, maximumDifference = double.IsNaN(result.MaximumDifference) ? (double?)null : result.MaximumDifference, result.ModelsChanged, result.MissingInputs }, JsonSerializerOptions.Web);
        await new AuditTrail(db, TimeProvider.System).AppendAsync(new AuditRecord(AuditEventTypes.AssessmentReplay, new AuditActor($"os:{Environment.UserName}", "user", []),
            PurposesOfUse.Operations, PatientPseudonym.TryParse(stored.PatientPseudonym, out var pseudonym) ? pseudonym : null, details,
            result.Reproduced ? AuditOutcomes.Success : AuditOutcomes.MinorFailure), cancellationToken);

        if (json)
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(result, Json));
        }
        else
        {
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"inference {inferenceId} (audit entry {stored.AuditSequence}) with {reference}: {(result.Reproduced ? "reproduced" : "NOT reproduced")}, largest difference {result.MaximumDifference:0.0000}"));
            foreach (var problem in result.ModelsChanged.Select(m => $"model changed since: {m}").Concat(result.MissingInputs.Select(i => $"stored input missing: {i}")))
            {
                await context.Out.WriteLineAsync("  " + problem);
            }

            foreach (var head in result.Heads)
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {head.Label,-20} recorded {head.Recorded:0.0000}  replayed {head.Replayed:0.0000}"));
            }
        }

        return result.Reproduced ? ExitCodes.Success : ExitCodes.CheckFailed;
    }
}
