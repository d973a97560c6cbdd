using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthAssist.Deidentify;
using HealthAssist.Ingest.Audio;

namespace HealthAssist.Api.Ehr;

/// <summary>
/// Reads the auscultation recordings of a record: each audio <c>Media</c> whose metadata says heart or lung (the
/// shared rules of <see cref="AuscultationMetadata.FromMedia"/>: SNOMED CT codes of modality and body site, then the
/// words of modality text, title, body site and notes), its WAV from <c>content.data</c> or from
/// <c>content.url</c> on the EHR FHIR server (a <c>Binary</c>, raw or as FHIR JSON). Recordings are labelled
/// "heart sound 1", "lung sound 1"… in the record's order; one that fails is a warning naming its label.
/// </summary>
internal sealed class EhrRecordingReader(EhrFhirClient client, EhrOptions options)
{
    private const string BinaryAccept = "application/octet-stream, audio/wav;q=0.9, audio/*;q=0.8, application/fhir+json;q=0.5";
    private static readonly HashSet<string> WavTypes = new(StringComparer.OrdinalIgnoreCase) { "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave" };

    public async Task<(IReadOnlyList<CaseRecording> Recordings, IReadOnlyList<string> Warnings)> ReadAsync(
        IEnumerable<JsonObject> media, CancellationToken cancellationToken)
    {
        var recordings = new List<CaseRecording>();
        var warnings = new List<string>();
        var audio = 0;
        var heart = 0;
        var lung = 0;
        var leftOut = 0;
        foreach (var resource in media)
        {
            if (EhrRecordReader.StringOf(resource["status"]) == "entered-in-error" || !IsAudio(resource))
            {
                continue;
            }

            audio++;
            var metadata = Deserialize(resource) is { } parsed ? AuscultationMetadata.FromMedia(parsed) : null;
            if (metadata is null)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Audio recording {audio} of the record does not say whether it is a heart or a lung recording; it was skipped."));
                continue;
            }

            var label = metadata.SoundType == SoundType.Heart
                ? string.Create(CultureInfo.InvariantCulture, $"heart sound {++heart}")
                : string.Create(CultureInfo.InvariantCulture, $"lung sound {++lung}");
            if (heart + lung > options.MaxRecordings)
            {
                leftOut++;
                continue;
            }

            var (wav, problem) = await ReadWavAsync(resource["content"] as JsonObject, label, cancellationToken);
            if (wav is { } bytes)
            {
                var site = string.IsNullOrWhiteSpace(metadata.BodySite) ? "unspecified" : metadata.BodySite.Trim();
                site = site.Length > AuscultationPipeline.MaxBodySiteLength ? site[..AuscultationPipeline.MaxBodySiteLength] : site;
                recordings.Add(new CaseRecording(label, bytes, metadata.SoundType, site));
            }
            else
            {
                warnings.Add(problem!);
            }
        }

        if (leftOut > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{leftOut} further recording(s) were not retrieved (Ehr:MaxRecordings is {options.MaxRecordings})."));
        }

        return (recordings, warnings);
    }

    /// <summary>The recording's bytes, or why there are none.</summary>
    private async Task<(ReadOnlyMemory<byte>? Wav, string? Problem)> ReadWavAsync(JsonObject? content, string label, CancellationToken cancellationToken)
    {
        var declared = MediaTypeOf(EhrRecordReader.StringOf(content?["contentType"]));
        if (declared is not null && !WavTypes.Contains(declared) && declared != "application/octet-stream")
        {
            return (null, $"{label} is {Describe(declared)}, not WAV; it was skipped.");
        }

        byte[] bytes;
        string? type;
        if (EhrRecordReader.StringOf(content?["data"]) is { } data)
        {
            if (Base64Bytes(data) is not { } inline)
            {
                return (null, $"{label} has inline data that is not base64; it was skipped.");
            }

            (bytes, type) = (inline, declared);
        }
        else if (EhrRecordReader.StringOf(content?["url"]) is { Length: > 0 } url)
        {
            var (fetched, fetchedType, problem) = await FetchAsync(url, label, cancellationToken);
            if (fetched is null)
            {
                return (null, problem);
            }

            (bytes, type) = (fetched, fetchedType is null or "application/octet-stream" ? declared : fetchedType);
        }
        else
        {
            return (null, $"{label} has neither data nor a URL; it was skipped.");
        }

        if (bytes.Length > options.MaxBytesPerInput)
        {
            return (null, TooLarge(label));
        }

        if (type is not null && !WavTypes.Contains(type) && type != "application/octet-stream")
        {
            return (null, $"{label} is {Describe(type)}, not WAV; it was skipped.");
        }

        return IsWav(bytes) ? (bytes, null) : (null, $"{label} is not a WAV file; it was skipped.");
    }

    /// <summary>GETs an attachment URL on the EHR FHIR server: raw bytes, or a Binary resource in FHIR JSON.</summary>
    private async Task<(byte[]? Bytes, string? MediaType, string? Problem)> FetchAsync(string url, string label, CancellationToken cancellationToken)
    {
        if (url.StartsWith('#'))
        {
            return (null, null, $"{label} refers to a contained resource, which pull mode does not read; it was skipped.");
        }

        if (!Uri.TryCreate(client.BaseAddress, url, out var uri) || !client.IsOnServer(uri))
        {
            return (null, null, $"{label} is stored outside the EHR FHIR server; it was not fetched.");
        }

        var route = uri.AbsolutePath.Contains("/Binary/", StringComparison.Ordinal) ? "Binary/{id}" : "Media attachment";
        EhrAnswer answer;
        try
        {
            // Base64 in JSON is a third larger than the bytes.
            answer = await client.GetAsync(uri, BinaryAccept, route, (options.MaxBytesPerInput * 4 / 3) + 65_536, cancellationToken);
        }
        catch (EhrUnavailableException ex)
        {
            return (null, null, $"{label} could not be retrieved from the EHR ({ex.Reason}).");
        }

        if (!answer.IsSuccess)
        {
            var reason = answer.Status is HttpStatusCode.NotFound or HttpStatusCode.Gone
                ? "not found"
                : string.Create(CultureInfo.InvariantCulture, $"the EHR answered {(int)answer.Status}");
            return (null, null, $"{label} could not be retrieved from the EHR ({reason}).");
        }

        var mediaType = MediaTypeOf(answer.MediaType);
        if (mediaType is not ("application/fhir+json" or "application/json"))
        {
            return (answer.Body.Length > options.MaxBytesPerInput ? null : answer.Body.ToArray(), mediaType, answer.Body.Length > options.MaxBytesPerInput ? TooLarge(label) : null);
        }

        JsonObject? binary;
        try
        {
            binary = JsonNode.Parse(answer.Body.Span) as JsonObject;
        }
        catch (JsonException)
        {
            binary = null;
        }

        if (binary is null || EhrRecordReader.StringOf(binary["resourceType"]) != "Binary" || EhrRecordReader.StringOf(binary["data"]) is not { } data)
        {
            return (null, null, $"{label} could not be retrieved from the EHR (its answer is not a Binary with data).");
        }

        return Base64Bytes(data) is { } bytes
            ? (bytes, MediaTypeOf(EhrRecordReader.StringOf(binary["contentType"])), null)
            : (null, null, $"{label} could not be retrieved from the EHR (the Binary's data is not base64).");
    }

    /// <summary>Media.type is audio, or the attachment says audio/*.</summary>
    private static bool IsAudio(JsonObject media) =>
        (media["type"]?["coding"] as JsonArray)?.OfType<JsonObject>().Any(c => EhrRecordReader.StringOf(c["code"]) == "audio") == true
        || MediaTypeOf(EhrRecordReader.StringOf(media["content"]?["contentType"]))?.StartsWith("audio/", StringComparison.Ordinal) == true;

    /// <summary>
    /// The Media as the SDK reads it, for the shared metadata rules; elements it does not know are ignored. Its notes
    /// are added to the attachment title, whose words ("heart", "lung", "breath") the rules read as well.
    /// </summary>
    private static Media? Deserialize(JsonObject media)
    {
        var notes = (media["note"] as JsonArray)?.OfType<JsonObject>().Select(n => EhrRecordReader.StringOf(n["text"])).OfType<string>() ?? [];
        var title = string.Join(' ', new[] { EhrRecordReader.StringOf(media["content"]?["title"]) }.Concat(notes).Where(t => !string.IsNullOrWhiteSpace(t)));

        // Only the elements the rules read: the attachment's data can be megabytes and is read separately.
        var metadata = new JsonObject
        {
            ["resourceType"] = "Media",
            ["status"] = "completed",
            ["type"] = media["type"]?.DeepClone(),
            ["modality"] = media["modality"]?.DeepClone(),
            ["bodySite"] = media["bodySite"]?.DeepClone(),
            ["content"] = title.Length > 0 ? new JsonObject { ["title"] = title } : null,
        };
        foreach (var empty in metadata.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            metadata.Remove(empty);
        }

        try
        {
            return new FhirJsonDeserializer().Deserialize<Media>(metadata.ToJsonString());
        }
        catch (DeserializationFailedException failure)
        {
            return failure.PartialResult as Media;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static byte[]? Base64Bytes(string data)
    {
        try
        {
            return Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>RIFF (or RF64) … WAVE.</summary>
    private static bool IsWav(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 12 && (bytes[..4].SequenceEqual("RIFF"u8) || bytes[..4].SequenceEqual("RF64"u8)) && bytes[8..12].SequenceEqual("WAVE"u8);

    /// <summary>"audio/wav" from "audio/wav; codecs=1", lower case; null when absent.</summary>
    private static string? MediaTypeOf(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType) ? null : contentType.Split(';')[0].Trim().ToLowerInvariant();

    /// <summary>A media type is repeated only when it looks like one (type/subtype of token characters).</summary>
    private static string Describe(string mediaType) =>
        mediaType.Length <= 64 && mediaType.Count(c => c == '/') == 1 && mediaType.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '+' or '-')
            ? mediaType
            : "another format";

    private string TooLarge(string label) =>
        string.Create(CultureInfo.InvariantCulture, $"{label} was left out: it is larger than {options.MaxBytesPerInput} bytes (Ehr:MaxBytesPerInput).");
}
