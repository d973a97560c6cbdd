using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace HealthAssist.Ingest.Fhir;

/// <summary>
/// Reads FHIR R4 submissions: a Bundle or a single resource in JSON (or XML), and Bulk Data NDJSON exports (one file
/// per resource type). What the R4 rules of the Firely SDK reject is an error with its location, with three tolerances
/// that are warnings instead, because they lose nothing the assessment uses: unknown elements (ignored), a single
/// value where R4 wants an array (the STU3 shape, kept), and malformed <c>meta</c> values (e.g. an instant without a
/// time zone). A broken NDJSON line is reported by file and line number, and every other line still loads.
/// </summary>
public static partial class FhirRecordReader
{
    private const string UnknownElement = "PVAL128";

    public static FhirRecord ReadJson(string json, string source = "request")
    {
        ArgumentNullException.ThrowIfNull(json);
        var record = new FhirRecord();
        var resource = Deserialize(() => new FhirJsonDeserializer().Deserialize<Resource>(StripBom(json)), source, record.Issues);
        if (resource is not null)
        {
            AddWithEntries(record, resource, source);
        }

        return record;
    }

    public static FhirRecord ReadXml(string xml, string source = "request")
    {
        ArgumentNullException.ThrowIfNull(xml);
        var record = new FhirRecord();
        var resource = Deserialize(() => new FhirXmlDeserializer().Deserialize<Resource>(StripBom(xml)), source, record.Issues);
        if (resource is not null)
        {
            AddWithEntries(record, resource, source);
        }

        return record;
    }

    /// <summary>
    /// One resource of any type (e.g. an operation's <c>Parameters</c>) with the same tolerances and safe messages as
    /// <see cref="ReadJson"/>; null when it has errors, which are then in <paramref name="issues"/>.
    /// </summary>
    public static Resource? ReadResourceJson(string json, string source, out IReadOnlyList<FhirInputIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(json);
        var found = new List<FhirInputIssue>();
        var resource = Deserialize(() => new FhirJsonDeserializer().Deserialize<Resource>(StripBom(json)), source, found);
        issues = found;
        return found.Any(i => i.IsError) ? null : resource;
    }

    /// <summary>Reads a JSON or XML document, deciding by its first significant character.</summary>
    public static FhirRecord Read(string text, string source = "request")
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = StripBom(text).TrimStart();
        return trimmed.StartsWith('<') ? ReadXml(trimmed, source) : ReadJson(trimmed, source);
    }

    /// <summary>Reads every <c>*.ndjson</c> file of a Bulk Data export folder into one record.</summary>
    public static FhirRecord ReadBulkExport(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new InvalidInputException($"Bulk export folder {folder} does not exist", folder);
        }

        var record = new FhirRecord();
        foreach (var file in Directory.EnumerateFiles(folder, "*.ndjson").Order(StringComparer.Ordinal))
        {
            // $export names files after their resource type (Patient.000.ndjson); anything else (log.ndjson) is not data.
            var type = Path.GetFileName(file).Split('.')[0];
            if (!ModelInfo.IsKnownResource(type))
            {
                record.Issues.Add(FhirInputIssue.Warning(Path.GetFileName(file), "Not a resource file of a bulk export (its name is not a resource type); skipped.", OperationOutcome.IssueType.NotSupported));
                continue;
            }

            using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            ReadNdjson(reader, Path.GetFileName(file), record);
        }

        return record;
    }

    /// <summary>Adds the resources of one NDJSON stream to <paramref name="record"/>, one resource per line.</summary>
    public static void ReadNdjson(TextReader reader, string fileName, FhirRecord record)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(record);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            line = StripBom(line);
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var location = string.Create(CultureInfo.InvariantCulture, $"{fileName}:{lineNumber}");
            if (!line.Contains("\"resourceType\"", StringComparison.Ordinal))
            {
                record.Issues.Add(FhirInputIssue.Error(location, "Line is not a FHIR resource (no resourceType); bulk export logs belong elsewhere.", OperationOutcome.IssueType.Structure));
                continue;
            }

            var resource = Deserialize(() => new FhirJsonDeserializer().Deserialize<Resource>(line), location, record.Issues);
            if (resource is null)
            {
                continue;
            }

            if (resource.Id is { } id && record.Resources.Any(r => r.TypeName == resource.TypeName && r.Id == id))
            {
                record.Issues.Add(FhirInputIssue.Warning(location, $"Duplicate {resource.TypeName} id; the first occurrence is kept.", OperationOutcome.IssueType.Duplicate));
                continue;
            }

            record.Add(resource);
        }
    }

    private static void AddWithEntries(FhirRecord record, Resource resource, string source)
    {
        if (resource is not Bundle bundle)
        {
            record.Add(resource);
            return;
        }

        record.Add(bundle);
        var fullUrls = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            if (entry.Resource is null)
            {
                continue;
            }

            if (entry.Resource is Bundle)
            {
                record.Issues.Add(FhirInputIssue.Warning($"Bundle.entry[{i}].resource", "Nested Bundles are not read.", OperationOutcome.IssueType.NotSupported));
                continue;
            }

            if (!string.IsNullOrEmpty(entry.FullUrl) && !fullUrls.Add(entry.FullUrl))
            {
                // bdl-7. A batch's entries are independent requests, so there it costs only the later copy; in a
                // transaction, document or collection a duplicate makes references ambiguous.
                var location = $"Bundle.entry[{i}].fullUrl";
                record.Issues.Add(bundle.Type == Bundle.BundleType.Batch
                    ? FhirInputIssue.Warning(location, "Two entries share the same fullUrl; the first is kept.", OperationOutcome.IssueType.Duplicate)
                    : FhirInputIssue.Error(location, "Two entries share the same fullUrl (bdl-7).", OperationOutcome.IssueType.Duplicate));
                continue;
            }

            record.Add(entry.Resource, entry.FullUrl);
        }

        _ = source;
    }

    private static Resource? Deserialize(Func<Resource> deserialize, string source, List<FhirInputIssue> issues)
    {
        try
        {
            return deserialize();
        }
        catch (DeserializationFailedException failure)
        {
            var errors = 0;
            foreach (var problem in failure.Exceptions)
            {
                var (location, message) = Describe(problem.Message, source);
                if (problem.ErrorCode == UnknownElement)
                {
                    issues.Add(FhirInputIssue.Warning(location, message + " It was ignored.", OperationOutcome.IssueType.Structure));
                }
                else if (message.StartsWith("Expected property to be a collection", StringComparison.Ordinal))
                {
                    issues.Add(FhirInputIssue.Warning(location, message + " The single value was kept.", OperationOutcome.IssueType.Structure));
                }
                else if (location.Contains(".meta.", StringComparison.Ordinal))
                {
                    issues.Add(FhirInputIssue.Warning(location, message + " Resource metadata is not used for the assessment.", OperationOutcome.IssueType.Value));
                }
                else
                {
                    errors++;
                    issues.Add(FhirInputIssue.Error(location, message, OperationOutcome.IssueType.Invalid));
                }
            }

            return errors == 0 ? failure.PartialResult as Resource : null;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or System.Xml.XmlException or FormatException or ArgumentException)
        {
            var (location, message) = Describe(ex.Message, source);
            issues.Add(FhirInputIssue.Error(location, "Not readable as FHIR: " + message, OperationOutcome.IssueType.Structure));
            return null;
        }
    }

    /// <summary>Splits the SDK's "…. At Path, line L, position P." into location and message, and drops quoted values.</summary>
    internal static (string Location, string Message) Describe(string text, string source)
    {
        var match = LocationPattern().Match(text);
        var message = match.Success ? text[..match.Index].Trim() : text.Trim();
        var location = match.Success
            ? string.Create(CultureInfo.InvariantCulture, $"{(match.Groups["path"].Value.Length > 0 ? match.Groups["path"].Value : source)} (line {match.Groups["line"].Value}, position {match.Groups["position"].Value})")
            : source;
        if (source.Contains(':', StringComparison.Ordinal) && !location.StartsWith(source, StringComparison.Ordinal))
        {
            location = source + " " + location;
        }

        // Submitted values can be patient data: keep the element and rule, not the value.
        message = QuotedValue().Replace(message, "Value");
        return (location, message);
    }

    private static string StripBom(string text) => text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;

    [GeneratedRegex(@"At (?<path>[^,]*), line (?<line>\d+), position (?<position>\d+)\.?\s*$")]
    private static partial Regex LocationPattern();

    [GeneratedRegex(@"(?i)(Value|Literal|String) '[^']*'")]
    private static partial Regex QuotedValue();
}
