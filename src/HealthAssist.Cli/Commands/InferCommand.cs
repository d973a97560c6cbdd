using System.CommandLine;
using System.Globalization;
using System.Reflection;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthAssist.Deidentify;
using HealthAssist.Deidentify.Reidentification;
using HealthAssist.Encode.Inputs;
using HealthAssist.Encode.Registry;
using HealthAssist.Fuse;
using HealthAssist.Ingest.Audio;
using HealthAssist.Pipeline;
using HealthAssist.Record.Assessments;
using HealthAssist.Record.Audit;
using HealthAssist.Storage;
using HealthAssist.Storage.Assessments;
using HealthAssist.Storage.Audit;
using HealthAssist.Storage.Reidentification;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthAssist.Cli.Commands;

/// <summary>
/// <c>healthassist infer</c>: one case through the same pipeline as <c>$assess</c> — de-identified, assessed and audited in
/// the configured database (fail closed: no audit entry, no result).
/// </summary>
internal static class InferCommand
{
    public static Command Create(CliContext context)
    {
        var bundle = new Option<FileInfo>("--bundle") { Description = "The patient's record: a FHIR R4 Bundle (JSON) with exactly one Patient", Required = true };
        var dicom = new Option<FileInfo[]>("--dicom") { Description = "A chest radiograph (DICOM Part 10); repeatable", AllowMultipleArgumentsPerToken = false };
        var audio = new Option<string[]>("--audio")
        {
            Description = "An auscultation recording as heart=FILE or lung=FILE, optionally with the site: heart@aortic=FILE; repeatable",
        };
        var indexTime = new Option<string?>("--index-time") { Description = "When the patient is assessed (ISO 8601 with offset; default now)" };
        var command = new Command("infer", "Assess one case through the whole pipeline (de-identify, encode, fuse, interpret), audited") { bundle, dicom, audio, indexTime };
        command.SetAction(async (result, cancellationToken) =>
        {
            var inputs = ReadCase(result.GetRequiredValue(bundle), result.GetValue(dicom) ?? [], result.GetValue(audio) ?? [], result.GetValue(indexTime));
            return await RunAsync(context, inputs, CliContext.Json(result), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CaseInputs inputs, bool json, CancellationToken cancellationToken)
    {
        var modelsFolder = ModelDirectory.Locate(context.Environment.Configuration["Models:Path"]);
        using var model = MultimodalModel.Load(ModelRegistry.Scan(modelsFolder), context.Environment.Configuration["Models:Fusion"] ?? "fusion", ModelsEvaluateCommand.Runtime(context));
        using var keys = context.Environment.LoadKeys();
        var (deidentifier, inputBuilder) = PipelineData.Load(modelsFolder, keys.DeploymentSecret, model.Specification);
        await using var predictor = new BatchingPredictor(model);
        await using var db = context.Environment.CreateDbContext();
        if (context.Environment.MigrateOnStartup)
        {
            await StorageSetup.MigrateAsync(db, cancellationToken);
        }

        var store = context.Environment.OpenInputStore(keys.DeploymentSecret);
        var audit = new AuditTrail(db, TimeProvider.System);
        var identities = new ReidentificationVault(db, audit, new ReidentificationCipher(keys.DeploymentSecret), TimeProvider.System);
        var recorder = new InferenceRecorder(db, audit, identities, store);
        var version = typeof(InferCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
        var pipeline = new AssessmentPipeline(deidentifier, inputBuilder, model, predictor, recorder, TimeProvider.System, version,
            NullLogger<AssessmentPipeline>.Instance, TreatmentDrafting.TryLoad(modelsFolder));

        AssessmentOutcome outcome;
        try
        {
            outcome = await pipeline.AssessAsync(new AssessmentRequest(inputs, new AuditActor($"os:{Environment.UserName}", "user", []), PurposesOfUse.Treatment, "cli"), cancellationToken);
        }
        catch (ConsentRefusedException ex)
        {
            await context.Error.WriteLineAsync($"healthassist: {ex.Message} (the refusal is audited)");
            return ExitCodes.CheckFailed;
        }
        catch (RecordUnavailableException ex)
        {
            await context.Error.WriteLineAsync($"healthassist: {ex.Message}");
            return ExitCodes.CheckFailed;
        }

        if (json)
        {
            await context.Out.WriteLineAsync(new FhirJsonSerializer().SerializeToString(outcome.Bundle));
            return ExitCodes.Success;
        }

        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"inference {outcome.InferenceId}: audit entry {outcome.Recorded.AuditSequence}, modalities used: {string.Join(", ", outcome.Prediction.Used.Select(m => m.Key()))}"));
        foreach (var head in outcome.Prediction.Heads.OrderBy(h => h.Label.Kind, StringComparer.Ordinal).ThenByDescending(h => h.Probability))
        {
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {head.Label.Kind,-9} {head.Label.Key,-20} {head.Probability,6:0.000}{(head.Suggested ? "  suggested (provisional)" : string.Empty)}"));
        }

        foreach (var resource in outcome.Bundle.Entry.Select(e => e.Resource))
        {
            switch (resource)
            {
                case MedicationRequest { Medication: CodeableConcept medication }:
                    await context.Out.WriteLineAsync($"  draft     {medication.Text ?? medication.Coding.FirstOrDefault()?.Display}");
                    break;
                case ServiceRequest service:
                    await context.Out.WriteLineAsync($"  draft     {service.Code?.Text ?? service.Code?.Coding.FirstOrDefault()?.Display}");
                    break;
                case DetectedIssue issue:
                    await context.Out.WriteLineAsync($"  check     {issue.Detail}");
                    break;
                case OperationOutcome warnings:
                    foreach (var warning in warnings.Issue)
                    {
                        await context.Out.WriteLineAsync($"  warning   {warning.Diagnostics}");
                    }

                    break;
            }
        }

        return ExitCodes.Success;
    }

    private static CaseInputs ReadCase(FileInfo bundle, FileInfo[] images, string[] recordings, string? indexTime)
    {
        var at = TimeProvider.System.GetUtcNow();
        if (indexTime is not null && !DateTimeOffset.TryParse(indexTime, CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
        {
            throw new UsageException("--index-time must be an ISO 8601 date and time, e.g. 2026-11-26T10:30:00+01:00");
        }

        var cases = new List<CaseRecording>();
        foreach (var recording in recordings)
        {
            var split = recording.IndexOf('=', StringComparison.Ordinal);
            var kind = split < 0 ? string.Empty : recording[..split];
            var site = kind.Contains('@', StringComparison.Ordinal) ? kind[(kind.IndexOf('@', StringComparison.Ordinal) + 1)..] : "unspecified";
            var sound = kind.Split('@')[0] switch
            {
                "heart" => SoundType.Heart,
                "lung" => SoundType.Lung,
                _ => throw new UsageException($"--audio takes heart=FILE or lung=FILE (optionally heart@SITE=FILE); got '{recording}'"),
            };
            var file = recording[(split + 1)..];
            cases.Add(new CaseRecording($"{(sound == SoundType.Heart ? "heart" : "lung")} sound {cases.Count(c => c.SoundType == sound) + 1}", File.ReadAllBytes(file), sound, site));
        }

        return new CaseInputs(
            File.ReadAllText(bundle.FullName),
            [.. images.Select((f, i) => new CaseImage($"image {i + 1}", File.ReadAllBytes(f.FullName)))],
            cases,
            at);
    }
}
