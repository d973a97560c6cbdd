using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthAssist.Deidentify;
using HealthAssist.Ingest.Audio;
using HealthAssist.Ingest.Fhir;

namespace HealthAssist.Api.Assessments;

/// <summary>
/// Reads the <c>$assess</c> input (see <see cref="AssessOperation"/>): a <c>Parameters</c> resource with the record,
/// the images and the recordings — or a bare <c>Bundle</c>, the record alone. Attachments carry their bytes inline
/// (<c>data</c>) or point at a <c>Binary</c> inside the record bundle (<c>url</c> = its fullUrl or <c>Binary/{id}</c>);
/// nothing is fetched from elsewhere in inline mode. Messages name parameters by position, never by content.
/// </summary>
public static class AssessParameters
{
    private static readonly FhirJsonSerializer Serializer = new();

    /// <summary>The case in <paramref name="body"/>; <paramref name="recordRequired"/> is false in pull mode, where only <c>indexTime</c> may come.</summary>
    internal static CaseInputs Read(string body, DateTimeOffset now, bool recordRequired = true)
    {
        var resource = FhirRecordReader.ReadResourceJson(body, "request", out var issues);
        if (resource is null)
        {
            var error = issues.First(i => i.IsError);
            throw new InvalidInputException(error.Message, error.Location);
        }

        return resource switch
        {
            Bundle bundle => new CaseInputs(Serializer.SerializeToString(bundle), [], [], now),
            Parameters parameters => FromParameters(parameters, now, recordRequired),
            _ => throw new InvalidInputException($"$assess takes a Parameters resource (or a Bundle); got {resource.TypeName}", "resourceType"),
        };
    }

    /// <summary>The <c>$assess</c> Parameters for a case, every attachment inline, as an EHR sends it (load test, tests).</summary>
    public static Parameters Write(CaseInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var parameters = new Parameters();
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "record", Resource = new FhirJsonDeserializer().Deserialize<Bundle>(inputs.FhirJson) });
        parameters.Add("indexTime", new FhirDateTime(inputs.IndexTime));
        foreach (var image in inputs.Images)
        {
            parameters.Add("image", new Attachment { ContentType = "application/dicom", Data = image.Dicom.ToArray() });
        }

        foreach (var recording in inputs.Recordings)
        {
            parameters.Parameter.Add(RecordingParameter(recording.SoundType, recording.BodySite, recording.Wav.ToArray()));
        }

        return parameters;
    }

    /// <summary>One <c>recording</c> parameter: its sound type, site and WAV bytes.</summary>
    public static Parameters.ParameterComponent RecordingParameter(SoundType sound, string site, byte[] wav) => new()
    {
        Name = "recording",
        Part =
        [
            new Parameters.ParameterComponent { Name = "sound", Value = new Code(sound == SoundType.Heart ? "heart" : "lung") },
            new Parameters.ParameterComponent { Name = "site", Value = new FhirString(site) },
            new Parameters.ParameterComponent { Name = "content", Value = new Attachment { ContentType = "audio/wav", Data = wav } },
        ],
    };

    private static CaseInputs FromParameters(Parameters parameters, DateTimeOffset now, bool recordRequired)
    {
        var records = parameters.Parameter.Where(p => p.Name == "record").ToList();
        if (!recordRequired && records.Count == 0)
        {
            if (parameters.Parameter.Any(p => p.Name is not "indexTime"))
            {
                throw new InvalidInputException("In pull mode $assess takes only 'indexTime'; the record, images and recordings come from the EHR", "Parameters.parameter");
            }

            return new CaseInputs(string.Empty, [], [], IndexTime(parameters, now));
        }

        if (records is not [{ Resource: Bundle record }])
        {
            throw new InvalidInputException("$assess needs exactly one 'record' parameter holding a Bundle", "Parameters.parameter");
        }

        var indexTime = IndexTime(parameters, now);
        var images = new List<CaseImage>();
        var recordings = new List<CaseRecording>();
        var position = 0;
        foreach (var parameter in parameters.Parameter)
        {
            var where = $"Parameters.parameter[{position++}]";
            switch (parameter.Name)
            {
                case "record" or "indexTime":
                    break;
                case "image":
                    var image = parameter.Value as Attachment ?? throw new InvalidInputException("'image' must be a valueAttachment", where);
                    RequireType(image, where, "application/dicom");
                    images.Add(new CaseImage($"image {images.Count + 1}", Bytes(image, record, where)));
                    break;
                case "recording":
                    recordings.Add(Recording(parameter, record, where, recordings.Count));
                    break;
                default:
                    throw new InvalidInputException($"Unknown $assess parameter '{Safe(parameter.Name)}'", where);
            }
        }

        return new CaseInputs(Serializer.SerializeToString(record), images, recordings, indexTime);
    }

    private static DateTimeOffset IndexTime(Parameters parameters, DateTimeOffset now) =>
        parameters.Parameter.FirstOrDefault(p => p.Name == "indexTime") is not { } index ? now
        : index.Value is FhirDateTime dateTime && dateTime.TryToDateTimeOffset(out var at) ? at
        : throw new InvalidInputException("'indexTime' must be a dateTime with a time zone", "Parameters.parameter.where(name='indexTime')");

    private static CaseRecording Recording(Parameters.ParameterComponent parameter, Bundle record, string where, int index)
    {
        var sound = parameter.Part.FirstOrDefault(p => p.Name == "sound")?.Value switch
        {
            Code { Value: "heart" } => SoundType.Heart,
            Code { Value: "lung" } => SoundType.Lung,
            _ => throw new InvalidInputException("'recording' needs a 'sound' part: code heart or lung", where),
        };
        var site = parameter.Part.FirstOrDefault(p => p.Name == "site")?.Value switch
        {
            null => "unspecified",
            Code code => code.Value ?? "unspecified",
            FhirString text => text.Value ?? "unspecified",
            _ => throw new InvalidInputException("'recording.site' must be a code or string", where),
        };
        var content = parameter.Part.FirstOrDefault(p => p.Name == "content")?.Value as Attachment
            ?? throw new InvalidInputException("'recording' needs a 'content' part holding a valueAttachment", where);
        RequireType(content, where, "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave");
        var label = $"{(sound == SoundType.Heart ? "heart" : "lung")} sound {index + 1}";
        return new CaseRecording(label, Bytes(content, record, where), sound, site);
    }

    private static void RequireType(Attachment attachment, string where, params string[] accepted)
    {
        var type = attachment.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is not null && !accepted.Contains(type))
        {
            throw new InvalidInputException($"Attachment contentType must be {string.Join(" or ", accepted)}", where) { StatusCode = 415 };
        }
    }

    private static byte[] Bytes(Attachment attachment, Bundle record, string where)
    {
        if (attachment.Data is { Length: > 0 } data)
        {
            return data;
        }

        if (attachment.Url is { Length: > 0 } url)
        {
            var binary = record.Entry.FirstOrDefault(e => e.Resource is Binary b && (e.FullUrl == url || $"Binary/{b.Id}" == url))?.Resource as Binary
                ?? throw new InvalidInputException("An attachment url must name a Binary inside the record bundle (its fullUrl or Binary/{id})", where);
            return binary.Data is { Length: > 0 } bytes ? bytes : throw new InvalidInputException("The referenced Binary has no data", where);
        }

        throw new InvalidInputException("An attachment needs data or a url", where);
    }

    private static string Safe(string? name) => name is null ? "(none)" : new string([.. name.Take(40).Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')]);
}

/// <summary>An endpoint's own request body limit, read by the body-limit middleware (<c>Errors/RequestBodyLimits</c>).</summary>
internal sealed record BodySizeLimit(long? MaxRequestBodySize) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata;
