using System.ComponentModel.DataAnnotations;
using HealthAssist.Api.Configuration;
using HealthAssist.Api.Security;
using HealthAssist.Deidentify;
using HealthAssist.Record.Audit;
using HealthAssist.Security;
using HealthAssist.Storage.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HealthAssist.Api.Audit;

/// <summary>An audit entry as the API shows it (hashes in lowercase hex).</summary>
public sealed record AuditEntryDto(
    long Sequence, Guid Id, DateTimeOffset OccurredAt, string EventType, string Outcome, string ActorSubject, string ActorType,
    string ActorRoles, string PurposeOfUse, string? PatientPseudonym, string Payload, string PreviousHash, string EntryHash)
{
    public static AuditEntryDto From(AuditEntry e) => new(
        e.Sequence, e.Id, e.OccurredAt, e.EventType, e.Outcome, e.ActorSubject, e.ActorType, e.ActorRoles, e.PurposeOfUse,
        e.PatientPseudonym, e.Payload, Convert.ToHexStringLower(e.PreviousHash), Convert.ToHexStringLower(e.EntryHash));
}

public sealed record AuditCheckpointDto(long Id, long Sequence, string ChainHead, string MerkleRoot, DateTimeOffset CreatedAt, string KeyId, string Algorithm, string Signature)
{
    public static AuditCheckpointDto From(AuditCheckpoint c) => new(
        c.Id, c.Sequence, Convert.ToHexStringLower(c.ChainHead), Convert.ToHexStringLower(c.MerkleRoot), c.CreatedAt, c.KeyId, c.Algorithm,
        Convert.ToBase64String(c.Signature));
}

public sealed record AuditEntriesPage(IReadOnlyList<AuditEntryDto> Entries, long? NextAfterSequence);

/// <summary>Body of <c>POST /api/audit/exports</c>.</summary>
public sealed record AuditExportRequest(
    [property: Required] string Format,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? Patient,
    string? EventType);

public static class AuditApi
{
    public const int MaxPageSize = 1000;

    public static void AddAuditTrail(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AuditDetails>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddHostedService<AuditCheckpointService>();
    }

    public static void MapAuditApi(this WebApplication app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit");

        audit.MapGet("/entries", QueryEntries)
            .RequirePermission(Permissions.ReadAudit)
            .Audited(AuditEventTypes.AuditQuery, PurposesOfUse.Compliance)
            .WithSummary("Audit entries in sequence order, filtered and paged");

        audit.MapGet("/verify", Verify)
            .RequirePermission(Permissions.VerifyAudit)
            .Audited(AuditEventTypes.AuditVerify, PurposesOfUse.Compliance)
            .WithSummary("Recompute the hash chain and every signed checkpoint");

        audit.MapGet("/checkpoints", ListCheckpoints)
            .RequirePermission(Permissions.VerifyAudit)
            .Audited(AuditEventTypes.AuditCheckpointQuery, PurposesOfUse.Compliance)
            .WithSummary("Signed checkpoints, oldest first");

        audit.MapPost("/checkpoints", CreateCheckpoint)
            .RequirePermission(Permissions.CreateAuditCheckpoint)
            .Audited(AuditEventTypes.AuditCheckpoint, PurposesOfUse.Audit)
            .WithSummary("Sign a checkpoint at the current chain head now");

        audit.MapPost("/exports", Export)
            .RequirePermission(Permissions.ExportAudit)
            .Audited(AuditEventTypes.AuditExport, PurposesOfUse.Compliance)
            .Accepts<AuditExportRequest>("application/json")
            .WithSummary("Export filtered entries as CSV, with every column needed to re-check each entry's hash offline");
    }

    internal static async Task<Results<Ok<AuditEntriesPage>, ValidationProblem>> QueryEntries(
        AuditReader reader, AuditDetails details, DateTimeOffset? from, DateTimeOffset? to, string? patient, string? eventType,
        long? after, int? limit, CancellationToken cancellationToken)
    {
        var errors = ValidateFilters(from, to, patient);
        if (limit is < 1 or > MaxPageSize)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxPageSize}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = new AuditQuery(from, to, patient, eventType, after ?? 0, limit ?? 100);
        var entries = await reader.QueryAsync(query, cancellationToken);
        details.Payload["filters"] = System.Text.Json.JsonSerializer.SerializeToNode(query, System.Text.Json.JsonSerializerOptions.Web);
        details.Payload["returned"] = entries.Count;
        var next = entries.Count == query.Limit ? entries[^1].Sequence : (long?)null;
        return TypedResults.Ok(new AuditEntriesPage(entries.Select(AuditEntryDto.From).ToList(), next));
    }

    internal static async Task<Ok<AuditVerificationReport>> Verify(AuditReader reader, AuditDetails details, CancellationToken cancellationToken)
    {
        var report = await reader.VerifyAsync(cancellationToken);
        details.Payload["intact"] = report.IsIntact;
        details.Payload["firstBadSequence"] = report.FirstBadSequence;
        if (!report.IsIntact)
        {
            details.NotRecordedBecause = $"the trail is damaged at sequence {report.FirstBadSequence}; appending would alter the evidence";
        }

        return TypedResults.Ok(report);
    }

    internal static async Task<Ok<List<AuditCheckpointDto>>> ListCheckpoints(AuditReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok((await reader.CheckpointsAsync(cancellationToken)).Select(AuditCheckpointDto.From).ToList());

    internal static async Task<Results<Created<AuditCheckpointDto>, NoContent>> CreateCheckpoint(
        AuditCheckpointer checkpointer, AuditDetails details, CancellationToken cancellationToken)
    {
        var checkpoint = await checkpointer.CreateAsync(cancellationToken);
        if (checkpoint is null)
        {
            return TypedResults.NoContent();
        }

        details.Payload["checkpointSequence"] = checkpoint.Sequence;
        return TypedResults.Created($"/api/audit/checkpoints/{checkpoint.Id}", AuditCheckpointDto.From(checkpoint));
    }

    internal static async Task<Results<FileContentHttpResult, ValidationProblem>> Export(
        AuditExportRequest request, AuditReader reader, AuditDetails details, CancellationToken cancellationToken)
    {
        var errors = ValidateFilters(request.From, request.To, request.Patient);
        if (!string.Equals(request.Format, AuditCsv.FormatName, StringComparison.OrdinalIgnoreCase))
        {
            errors["format"] = [$"Supported formats: {AuditCsv.FormatName}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var entries = new List<AuditEntry>();
        var query = new AuditQuery(request.From, request.To, request.Patient, request.EventType, 0, MaxPageSize);
        while (true)
        {
            var page = await reader.QueryAsync(query, cancellationToken);
            entries.AddRange(page);
            if (page.Count < query.Limit)
            {
                break;
            }

            query = query with { AfterSequence = page[^1].Sequence };
        }

        details.Payload["format"] = AuditCsv.FormatName;
        details.Payload["exported"] = entries.Count;
        return TypedResults.File(AuditCsv.Write(entries), "text/csv; charset=utf-8", "audit-export.csv");
    }

    private static Dictionary<string, string[]> ValidateFilters(DateTimeOffset? from, DateTimeOffset? to, string? patient)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (from is not null && to is not null && from >= to)
        {
            errors["to"] = ["'to' must be later than 'from'."];
        }

        // Only pseudonyms are stored; a real identifier here would be a mistake worth refusing (and it is not echoed).
        if (patient is not null && !PatientPseudonym.TryParse(patient, out _))
        {
            errors["patient"] = [$"'patient' must be a patient pseudonym ({PatientPseudonym.Prefix}…), never a real identifier."];
        }

        return errors;
    }
}

/// <summary>Background checkpoints: every Audit:CheckpointInterval, sign the head if new entries exist.</summary>
internal sealed partial class AuditCheckpointService(IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditCheckpointService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var checkpoint = await scope.ServiceProvider.GetRequiredService<AuditCheckpointer>().CreateAsync(stoppingToken);
                if (checkpoint is not null)
                {
                    LogCheckpoint(logger, checkpoint.Sequence);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Keep trying: a database blip must not stop future checkpoints. Only the type is logged.
                LogCheckpointFailed(logger, ex.GetType().Name, (ex as AuditIntegrityException)?.Sequence);
            }
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Audit checkpoint at sequence {Sequence}")]
    private static partial void LogCheckpoint(ILogger logger, long sequence);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Audit checkpoint failed ({ExceptionType}); first bad sequence {Sequence}")]
    private static partial void LogCheckpointFailed(ILogger logger, string exceptionType, long? sequence);
}
