using System.Globalization;
using HealthAssist.Dicom;

namespace HealthAssist.DicomWeb;

/// <summary>
/// QIDO-RS search parameters (PS3.18 §8.3.4): attribute matches, fields to include, fuzzy matching, paging. Attributes
/// are keywords (<c>PatientID</c>), tags (<c>00100020</c>) or dotted sequence paths of either; values are escaped.
/// </summary>
public sealed class DicomWebQuery
{
    private readonly List<KeyValuePair<string, string>> _matches = [];
    private readonly List<string> _includeFields = [];
    private bool _includeAllFields;
    private bool _fuzzyMatching;
    private int? _limit;
    private int? _offset;

    /// <summary>Matches <paramref name="attribute"/> against <paramref name="value"/> (wildcards, ranges and UID lists as the standard allows).</summary>
    public DicomWebQuery Match(string attribute, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _matches.Add(new(RequireAttribute(attribute), value));
        return this;
    }

    public DicomWebQuery Match(DicomTag tag, string value) => Match(tag.ToJsonKey(), value);

    /// <summary>Asks for an attribute beyond the ones the standard returns by default.</summary>
    public DicomWebQuery Include(string attribute)
    {
        _includeFields.Add(RequireAttribute(attribute));
        return this;
    }

    public DicomWebQuery Include(DicomTag tag) => Include(tag.ToJsonKey());

    public DicomWebQuery IncludeAllFields()
    {
        _includeAllFields = true;
        return this;
    }

    public DicomWebQuery WithFuzzyMatching()
    {
        _fuzzyMatching = true;
        return this;
    }

    public DicomWebQuery WithLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _limit = limit;
        return this;
    }

    public DicomWebQuery WithOffset(int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        _offset = offset;
        return this;
    }

    /// <summary>The query string without its leading '?', empty when nothing was asked for.</summary>
    internal string ToQueryString()
    {
        var parts = new List<string>();
        parts.AddRange(_matches.Select(m => $"{m.Key}={Uri.EscapeDataString(m.Value)}"));
        if (_includeAllFields)
        {
            parts.Add("includefield=all");
        }
        else
        {
            parts.AddRange(_includeFields.Select(f => $"includefield={f}"));
        }

        if (_fuzzyMatching)
        {
            parts.Add("fuzzymatching=true");
        }

        if (_limit is { } limit)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"limit={limit}"));
        }

        if (_offset is { } offset)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"offset={offset}"));
        }

        return string.Join('&', parts);
    }

    /// <summary>A keyword, eight hex digits, or a dotted path of those; nothing that needs escaping.</summary>
    private static string RequireAttribute(string attribute)
    {
        ArgumentException.ThrowIfNullOrEmpty(attribute);
        foreach (var component in attribute.Split('.'))
        {
            var isTag = component.Length == 8 && component.All(char.IsAsciiHexDigit);
            var isKeyword = component.Length is > 0 and <= 64 && char.IsAsciiLetter(component[0]) && component.All(char.IsAsciiLetterOrDigit);
            if (!isTag && !isKeyword)
            {
                throw new ArgumentException("Not a DICOM attribute: a keyword, eight hex digits, or a dotted path of those.", nameof(attribute));
            }
        }

        return attribute;
    }

    internal static string Join(string path, DicomWebQuery? query)
    {
        var queryString = query?.ToQueryString();
        return string.IsNullOrEmpty(queryString) ? path : $"{path}?{queryString}";
    }
}
