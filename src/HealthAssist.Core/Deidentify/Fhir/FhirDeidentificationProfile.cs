using System.Text.Json;

namespace HealthAssist.Deidentify.Fhir;

/// <summary>What happens to an allowed element. Elements without a rule are removed.</summary>
public enum FhirDeidentificationMethod
{
    Keep,
    Shift,
    Reference,
    Pseudonymize,
    Zip3,
    Birthdate,
    Uid,
    Scrub,
}

/// <summary>One node of a resource type's allow-list tree: a method for the element, or rules for its children.</summary>
public sealed class ProfileNode
{
    public FhirDeidentificationMethod? Method { get; set; }

    public Dictionary<string, ProfileNode> Children { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The versioned allow-list profile (<c>models/deid/fhir-profile.v1.json</c>): per resource type, the element paths
/// that survive and how they are transformed. Paths use FHIR element names; <c>value[x]</c> matches every choice type
/// and <c>extension(url)</c> one extension.
/// </summary>
public sealed class FhirDeidentificationProfile
{
    private FhirDeidentificationProfile(string version, Dictionary<string, ProfileNode> resources, HashSet<string> restrictedZip3)
    {
        Version = version;
        Resources = resources;
        RestrictedZip3 = restrictedZip3;
    }

    public string Version { get; }

    public IReadOnlyDictionary<string, ProfileNode> Resources { get; }

    /// <summary>ZIP3 areas with 20,000 people or fewer, which Safe Harbor requires to be written as 000.</summary>
    public IReadOnlySet<string> RestrictedZip3 { get; }

    public static FhirDeidentificationProfile Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Parse(stream, path);
    }

    public static FhirDeidentificationProfile Parse(Stream json, string source = "profile")
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var root = document.RootElement;
        var version = root.TryGetProperty("version", out var v) ? v.GetString() : null;
        if (string.IsNullOrWhiteSpace(version) || !root.TryGetProperty("resources", out var resources))
        {
            throw new InvalidInputException($"{source}: a FHIR de-identification profile needs 'version' and 'resources'", source);
        }

        var tree = new Dictionary<string, ProfileNode>(StringComparer.Ordinal);
        foreach (var resource in resources.EnumerateObject())
        {
            var node = new ProfileNode();
            foreach (var rule in resource.Value.EnumerateObject())
            {
                if (!Enum.TryParse<FhirDeidentificationMethod>(rule.Value.GetString(), ignoreCase: true, out var method))
                {
                    throw new InvalidInputException($"{source}: unknown method '{rule.Value.GetString()}' for {resource.Name}.{rule.Name}", source);
                }

                var current = node;
                foreach (var segment in Segments(rule.Name))
                {
                    if (!current.Children.TryGetValue(segment, out var child))
                    {
                        current.Children[segment] = child = new ProfileNode();
                    }

                    current = child;
                }

                current.Method = method;
            }

            tree[resource.Name] = node;
        }

        var restricted = root.TryGetProperty("restrictedZip3", out var zips) ? zips.EnumerateArray().Select(z => z.GetString()!).ToHashSet(StringComparer.Ordinal) : [];
        return new FhirDeidentificationProfile(version, tree, restricted);
    }

    /// <summary>Splits on dots outside parentheses (extension URLs contain dots).</summary>
    private static List<string> Segments(string path)
    {
        var segments = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < path.Length; i++)
        {
            depth += path[i] == '(' ? 1 : path[i] == ')' ? -1 : 0;
            if (path[i] == '.' && depth == 0)
            {
                segments.Add(path[start..i]);
                start = i + 1;
            }
        }

        segments.Add(path[start..]);
        return segments;
    }
}
