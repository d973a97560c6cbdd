using Hl7.Fhir.Model;

namespace HealthAssist.Ingest.Fhir;

/// <summary>
/// The resources of one submission (a Bundle, a resource, or a bulk export) with every way they can be referred to:
/// <c>Type/id</c>, a Bundle entry's <c>fullUrl</c> (urn:uuid or absolute) and contained <c>#id</c> within their parent.
/// </summary>
public sealed class FhirRecord
{
    private readonly Dictionary<string, Resource> _byReference = new(StringComparer.Ordinal);
    private readonly List<Resource> _resources = [];

    public FhirRecord(IEnumerable<FhirInputIssue>? issues = null) => Issues = [.. issues ?? []];

    public IReadOnlyList<Resource> Resources => _resources;

    public List<FhirInputIssue> Issues { get; }

    /// <summary>True when no issue is an error (warnings, e.g. unknown elements, do not make a record invalid).</summary>
    public bool IsValid => !Issues.Any(i => i.IsError);

    public void Add(Resource resource, string? fullUrl = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        _resources.Add(resource);
        if (resource.Id is { Length: > 0 } id)
        {
            _byReference.TryAdd($"{resource.TypeName}/{id}", resource);
        }

        if (!string.IsNullOrEmpty(fullUrl))
        {
            _byReference.TryAdd(fullUrl, resource);
            // An absolute fullUrl ending in Type/id also answers to the relative reference.
            var parts = fullUrl.TrimEnd('/').Split('/');
            if (parts.Length >= 2 && !fullUrl.StartsWith("urn:", StringComparison.Ordinal))
            {
                _byReference.TryAdd($"{parts[^2]}/{parts[^1]}", resource);
            }
        }
    }

    public IEnumerable<T> All<T>()
        where T : Resource => _resources.OfType<T>();

    /// <summary>Resolves a reference as written in a resource (<paramref name="from"/> for contained <c>#id</c>).</summary>
    public Resource? Resolve(ResourceReference? reference, DomainResource? from = null)
    {
        var text = reference?.Reference;
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.StartsWith('#'))
        {
            return from?.Contained.FirstOrDefault(c => c.Id == text[1..]);
        }

        if (_byReference.TryGetValue(text, out var found))
        {
            return found;
        }

        // Absolute URL to a server: match on its last two segments (Type/id), ignoring a version suffix.
        var segments = text.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var history = Array.IndexOf(segments, "_history");
        if (history >= 2)
        {
            segments = segments[..history];
        }

        return segments.Length >= 2 && _byReference.TryGetValue($"{segments[^2]}/{segments[^1]}", out found) ? found : null;
    }

    /// <summary>True when <paramref name="reference"/> points to <paramref name="target"/>.</summary>
    public bool PointsTo(ResourceReference? reference, Resource target, DomainResource? from = null) =>
        ReferenceEquals(Resolve(reference, from), target);
}
