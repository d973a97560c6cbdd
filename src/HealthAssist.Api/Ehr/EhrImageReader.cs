using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HealthAssist.Deidentify;
using HealthAssist.DicomWeb;

namespace HealthAssist.Api.Ehr;

/// <summary>
/// Retrieves the radiographs a record's ImagingStudy resources point to, by WADO-RS from the configured PACS. Only CR
/// and DX series are taken; a study or series the resource does not list in full is looked up by QIDO-RS. Images are
/// labelled "image 1", "image 2"… in the record's order; one that fails is a warning naming its label.
/// </summary>
internal sealed class EhrImageReader(DicomWebClient? pacs, EhrOptions options)
{
    private const string DicomUidSystem = "urn:dicom:uid";
    private static readonly HashSet<string> Radiographs = new(StringComparer.Ordinal) { "CR", "DX" };

    public async Task<(IReadOnlyList<CaseImage> Images, IReadOnlyList<string> Warnings)> ReadAsync(
        IEnumerable<JsonObject> imagingStudies, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var instances = new List<(string Study, string Series, string Sop)>();
        var studies = imagingStudies.ToList();
        if (pacs is not { } client)
        {
            if (studies.Count > 0)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"The record has {studies.Count} imaging stud{(studies.Count == 1 ? "y" : "ies")} but no PACS is configured (DicomWeb:BaseAddress); no image was retrieved."));
            }

            return ([], warnings);
        }

        foreach (var study in studies)
        {
            if (StudyUid(study) is not { } studyUid)
            {
                warnings.Add("An imaging study in the record has no DICOM Study Instance UID; it was skipped.");
                continue;
            }

            foreach (var (seriesUid, modality, listed) in await SeriesOfAsync(client, study, studyUid, warnings, cancellationToken))
            {
                if (!Radiographs.Contains(modality))
                {
                    warnings.Add($"{Describe(modality)} series of an imaging study was skipped: only radiographs (CR, DX) are assessed.");
                    continue;
                }

                var sops = listed.Count > 0 ? listed : await InstancesOfAsync(client, studyUid, seriesUid, warnings, cancellationToken);
                instances.AddRange(sops.Select(sop => (studyUid, seriesUid, sop)));
            }
        }

        var images = new List<CaseImage>();
        for (var i = 0; i < Math.Min(instances.Count, options.MaxImages); i++)
        {
            var label = string.Create(CultureInfo.InvariantCulture, $"image {i + 1}");
            var (studyUid, seriesUid, sopUid) = instances[i];
            try
            {
                var parts = await client.RetrieveInstanceAsync(studyUid, seriesUid, sopUid, cancellationToken: cancellationToken);
                if (parts.Count == 0)
                {
                    warnings.Add($"{label} could not be retrieved from the PACS (it returned no instance).");
                }
                else if (parts[0].Length > options.MaxBytesPerInput)
                {
                    warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{label} was left out: it is larger than {options.MaxBytesPerInput} bytes (Ehr:MaxBytesPerInput)."));
                }
                else
                {
                    images.Add(new CaseImage(label, parts[0]));
                }
            }
            catch (DicomWebException ex)
            {
                warnings.Add($"{label} could not be retrieved from the PACS ({Reason(ex)}).");
            }
            catch (ArgumentException)
            {
                warnings.Add($"{label} could not be retrieved from the PACS (its UIDs in the record are not valid DICOM UIDs).");
            }
        }

        if (instances.Count > options.MaxImages)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{instances.Count - options.MaxImages} further radiograph(s) were not retrieved (Ehr:MaxImages is {options.MaxImages})."));
        }

        return (images, warnings);
    }

    /// <summary>The series of a study: as the ImagingStudy lists them, else as the PACS knows them.</summary>
    private static async Task<IReadOnlyList<(string Uid, string Modality, IReadOnlyList<string> Instances)>> SeriesOfAsync(
        DicomWebClient pacs, JsonObject study, string studyUid, List<string> warnings, CancellationToken cancellationToken)
    {
        var listed = (study["series"] as JsonArray)?.OfType<JsonObject>()
            .Select(s => (Uid: EhrRecordReader.StringOf(s["uid"]), Modality: EhrRecordReader.StringOf(s["modality"]?["code"]) ?? string.Empty, Instances: InstanceUids(s)))
            .Where(s => s.Uid is not null)
            .Select(s => (s.Uid!, s.Modality, (IReadOnlyList<string>)s.Instances))
            .ToList() ?? [];
        if (listed.Count > 0)
        {
            return listed;
        }

        try
        {
            var found = await pacs.SearchSeriesAsync(studyUid, new DicomWebQuery().Include("00080060"), cancellationToken);
            return [.. found.Select(s => (Uid: FirstString(s, "0020000E"), Modality: FirstString(s, "00080060") ?? string.Empty))
                .Where(s => s.Uid is not null)
                .Select(s => (s.Uid!, s.Modality, (IReadOnlyList<string>)[]))];
        }
        catch (Exception ex) when (ex is DicomWebException or ArgumentException)
        {
            warnings.Add($"The series of an imaging study could not be looked up in the PACS ({(ex is DicomWebException dicomWeb ? Reason(dicomWeb) : "invalid UID")}).");
            return [];
        }
    }

    private static async Task<IReadOnlyList<string>> InstancesOfAsync(
        DicomWebClient pacs, string studyUid, string seriesUid, List<string> warnings, CancellationToken cancellationToken)
    {
        try
        {
            var found = await pacs.SearchInstancesAsync(studyUid, seriesUid, cancellationToken: cancellationToken);
            return [.. found.Select(i => FirstString(i, "00080018")).OfType<string>()];
        }
        catch (Exception ex) when (ex is DicomWebException or ArgumentException)
        {
            warnings.Add($"The instances of a radiograph series could not be looked up in the PACS ({(ex is DicomWebException dicomWeb ? Reason(dicomWeb) : "invalid UID")}).");
            return [];
        }
    }

    private static List<string> InstanceUids(JsonObject series) =>
        (series["instance"] as JsonArray)?.OfType<JsonObject>().Select(i => EhrRecordReader.StringOf(i["uid"])).OfType<string>().ToList() ?? [];

    /// <summary>ImagingStudy.identifier with system urn:dicom:uid, value urn:oid:&lt;Study Instance UID&gt;.</summary>
    private static string? StudyUid(JsonObject study) =>
        (study["identifier"] as JsonArray)?.OfType<JsonObject>()
            .Where(i => EhrRecordReader.StringOf(i["system"]) == DicomUidSystem)
            .Select(i => EhrRecordReader.StringOf(i["value"]))
            .OfType<string>()
            .Select(v => v.StartsWith("urn:oid:", StringComparison.Ordinal) ? v["urn:oid:".Length..] : v)
            .FirstOrDefault(v => v.Length > 0);

    private static string? FirstString(JsonElement dataset, string tag) =>
        dataset.TryGetProperty(tag, out var element) && element.TryGetProperty("Value", out var values)
        && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0 && values[0].ValueKind == JsonValueKind.String
            ? values[0].GetString()
            : null;

    /// <summary>"A CT", "An MR"…: a modality code is a short upper-case token; anything else is not repeated.</summary>
    private static string Describe(string modality) =>
        modality.Length is 0 or > 16 || !modality.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c))
            ? "A non-radiograph"
            : ("AEFHILMNORSX".Contains(modality[0], StringComparison.Ordinal) ? "An " : "A ") + modality;

    private static string Reason(DicomWebException ex) => ex.Failure switch
    {
        DicomWebFailure.Timeout => "timeout",
        DicomWebFailure.HttpStatus when ex.StatusCode is System.Net.HttpStatusCode.NotFound => "not found",
        DicomWebFailure.HttpStatus => string.Create(CultureInfo.InvariantCulture, $"the PACS answered {(int?)ex.StatusCode}"),
        DicomWebFailure.Network => "the PACS could not be reached",
        DicomWebFailure.CircuitOpen => "the PACS is failing repeatedly",
        DicomWebFailure.ResponseTooLarge => "too large",
        DicomWebFailure.InvalidResponse => "invalid answer",
        _ => "failed",
    };
}
