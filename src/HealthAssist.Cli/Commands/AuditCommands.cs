using System.CommandLine;
using System.Text.Json;
using HealthAssist.Record.Audit;
using HealthAssist.Storage;
using HealthAssist.Storage.Audit;

namespace HealthAssist.Cli.Commands;

/// <summary><c>healthassist audit verify|checkpoint</c>.</summary>
internal static class AuditCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static Command Create(CliContext context)
    {
        var audit = new Command("audit", "The tamper-evident audit trail");

        var verify = new Command("verify", "Recompute the hash chain and signed checkpoints; exit 1 and name the first bad sequence number if anything was altered");
        verify.SetAction((result, cancellationToken) => VerifyAsync(context, CliContext.Json(result), cancellationToken));
        audit.Subcommands.Add(verify);

        var checkpoint = new Command("checkpoint", "Sign a checkpoint at the current chain head");
        checkpoint.SetAction((result, cancellationToken) => CheckpointAsync(context, CliContext.Json(result), cancellationToken));
        audit.Subcommands.Add(checkpoint);

        return audit;
    }

    private static async Task<int> VerifyAsync(CliContext context, bool json, CancellationToken cancellationToken)
    {
        using var keys = context.Environment.LoadKeys();
        await using var db = await OpenAsync(context, cancellationToken);
        var report = await new AuditReader(db, keys).VerifyAsync(cancellationToken);

        // Recorded only when intact: appending to a damaged trail would change the evidence the report describes.
        if (report.IsIntact)
        {
            var payload = JsonSerializer.Serialize(new { tool = "cli", intact = true, report.EntriesChecked, report.CheckpointsChecked }, JsonSerializerOptions.Web);
            await new AuditTrail(db, TimeProvider.System).AppendAsync(
                new AuditRecord(AuditEventTypes.AuditVerify, OperatorActor(), PurposesOfUse.Compliance, null, payload), cancellationToken);
        }

        if (json)
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(report, Json));
        }
        else
        {
            await context.Out.WriteLineAsync(report.Message);
            if (!report.IsIntact)
            {
                await context.Out.WriteLineAsync($"first bad sequence: {report.FirstBadSequence} ({report.Problem})");
            }
        }

        return report.IsIntact ? ExitCodes.Success : ExitCodes.CheckFailed;
    }

    private static async Task<int> CheckpointAsync(CliContext context, bool json, CancellationToken cancellationToken)
    {
        using var keys = context.Environment.LoadKeys();
        await using var db = await OpenAsync(context, cancellationToken);
        AuditCheckpoint? checkpoint;
        try
        {
            checkpoint = await new AuditCheckpointer(db, keys, TimeProvider.System).CreateAsync(cancellationToken);
        }
        catch (AuditIntegrityException ex)
        {
            await context.Error.WriteLineAsync($"healthassist: {ex.Message}");
            return ExitCodes.CheckFailed;
        }

        var summary = checkpoint is null
            ? new { created = false, sequence = 0L, keyId = keys.AuditSigningKey.KeyId }
            : new { created = true, sequence = checkpoint.Sequence, keyId = checkpoint.KeyId };
        await context.Out.WriteLineAsync(json
            ? JsonSerializer.Serialize(summary, Json)
            : checkpoint is null ? "The audit trail is empty; nothing to sign." : $"Signed checkpoint at sequence {checkpoint.Sequence} with key {checkpoint.KeyId}.");
        return ExitCodes.Success;
    }

    private static async Task<HealthAssistDbContext> OpenAsync(CliContext context, CancellationToken cancellationToken)
    {
        var db = context.Environment.CreateDbContext();
        if (context.Environment.MigrateOnStartup)
        {
            await StorageSetup.MigrateAsync(db, cancellationToken);
        }

        return db;
    }

    private static AuditActor OperatorActor() => new($"os:{Environment.UserName}", "user", []);
}
