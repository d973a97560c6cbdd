using System.Text.Json.Nodes;
using HealthAssist.Deidentify;
using HealthAssist.DicomWeb;
using Microsoft.Extensions.Options;

namespace HealthAssist.Api.Ehr;

/// <summary>
/// Pull mode against a configured EHR: the record from its FHIR server (fatal when it fails), then the radiographs from
/// the PACS and the recordings from the EHR side by side (each failure a warning). Warnings are logged as they are
/// returned: they carry labels and reasons only.
/// </summary>
internal sealed partial class EhrCaseSource(
    EhrFhirClient client, IOptions<EhrOptions> options, ILogger<EhrCaseSource> logger, DicomWebClient? pacs = null) : IEhrCaseSource
{
    private readonly EhrOptions _options = options.Value;

    public async Task<PulledCase> PullAsync(string patientId, DateTimeOffset indexTime, CancellationToken cancellationToken)
    {
        var record = await ReadRecordAsync(patientId, cancellationToken);
        var imagesTask = new EhrImageReader(pacs, _options).ReadAsync(OfType(record, "ImagingStudy"), cancellationToken);
        var recordingsTask = new EhrRecordingReader(client, _options).ReadAsync(OfType(record, "Media"), cancellationToken);
        await Task.WhenAll(imagesTask, recordingsTask);
        var (images, imageWarnings) = await imagesTask;
        var (recordings, recordingWarnings) = await recordingsTask;

        List<string> warnings = [.. record.Warnings, .. imageWarnings, .. recordingWarnings];
        foreach (var warning in warnings)
        {
            LogWarning(logger, warning);
        }

        return new PulledCase(new CaseInputs(record.BundleJson, images, recordings, indexTime), warnings);
    }

    public async Task<string> PullRecordAsync(string patientId, CancellationToken cancellationToken)
    {
        var record = await ReadRecordAsync(patientId, cancellationToken);
        foreach (var warning in record.Warnings)
        {
            LogWarning(logger, warning);
        }

        return record.BundleJson;
    }

    private Task<PulledRecord> ReadRecordAsync(string patientId, CancellationToken cancellationToken)
    {
        if (!EhrRecordReader.IsFhirId(patientId))
        {
            // The value is not repeated: it may be a name or an MRN typed into the wrong field.
            throw new InvalidInputException("The patient id is not a FHIR id (letters, digits, '-' and '.', at most 64 characters).", "id");
        }

        return new EhrRecordReader(client, _options, logger).ReadAsync(patientId, cancellationToken);
    }

    private static List<JsonObject> OfType(PulledRecord record, string resourceType) =>
        [.. record.Resources.Where(r => EhrRecordReader.StringOf(r["resourceType"]) == resourceType)];

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Pull mode: {Warning}")]
    private static partial void LogWarning(ILogger logger, string warning);
}
