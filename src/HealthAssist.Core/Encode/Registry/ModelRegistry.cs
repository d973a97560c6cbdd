using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace HealthAssist.Encode.Registry;

/// <summary>A model found in the registry: its manifest and where its files are.</summary>
public sealed record RegisteredModel(ModelManifest Manifest, string Folder)
{
    public string Id => Manifest.Id;

    public string ModelPath => Path.Combine(Folder, "model.onnx");

    /// <summary>The model file's SHA-256 as the manifest records it (checked by <see cref="ModelRegistry.Verify"/>).</summary>
    public string ModelSha256 => Manifest.Files.GetValueOrDefault("model.onnx") ?? string.Empty;
}

/// <summary>The outcome of checking one model's files against its manifest.</summary>
public sealed record ModelVerification(string Id, IReadOnlyList<string> Problems)
{
    public bool Valid => Problems.Count == 0;
}

/// <summary>
/// The model registry: <c>models/&lt;name&gt;/&lt;version&gt;/</c> folders, each with <c>model.onnx</c>,
/// <c>manifest.json</c> and <c>card.md</c>. The manifest lists the SHA-256 of every other file; a model whose files do
/// not match is refused (<see cref="Verify"/>), so a tampered or half-copied model never serves.
/// </summary>
public sealed class ModelRegistry
{
    public const string ManifestFile = "manifest.json";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private ModelRegistry(string root, IReadOnlyList<RegisteredModel> models, IReadOnlyList<string> unreadable)
    {
        Root = root;
        Models = models;
        Unreadable = unreadable;
    }

    public string Root { get; }

    public IReadOnlyList<RegisteredModel> Models { get; }

    /// <summary>Folders with a manifest that could not be read (their problem, without file content).</summary>
    public IReadOnlyList<string> Unreadable { get; }

    public static ModelRegistry Scan(string root)
    {
        var models = new List<RegisteredModel>();
        var unreadable = new List<string>();
        foreach (var manifest in Directory.EnumerateFiles(root, ManifestFile, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 }).Order(StringComparer.Ordinal))
        {
            var folder = Path.GetDirectoryName(manifest)!;
            if (Path.GetRelativePath(root, folder).Split(Path.DirectorySeparatorChar).Length != 2)
            {
                continue;
            }

            try
            {
                models.Add(new RegisteredModel(ReadManifest(manifest), folder));
            }
            catch (ModelContractException ex)
            {
                unreadable.Add($"{Path.GetRelativePath(root, folder)}: {ex.Message}");
            }
        }

        return new ModelRegistry(root, models, unreadable);
    }

    public static ModelManifest ReadManifest(string path)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path))
                ?? throw new ModelContractException("the manifest is empty");
            if (manifest.Schema != ModelManifest.CurrentSchema)
            {
                throw new ModelContractException($"unsupported manifest schema '{manifest.Schema}' (expected {ModelManifest.CurrentSchema})");
            }

            var folder = new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(path))!);
            if (folder.Name != manifest.Version || folder.Parent?.Name != manifest.Name)
            {
                throw new ModelContractException($"the manifest names {manifest.Id} but lives in {folder.Parent?.Name}/{folder.Name}");
            }

            return manifest;
        }
        catch (JsonException ex)
        {
            throw new ModelContractException($"the manifest is not valid ({ex.Path}, line {ex.LineNumber})");
        }
    }

    /// <summary>The model of that name: the given version, else the highest version.</summary>
    public RegisteredModel Find(string name, string? version = null)
    {
        var candidates = Models.Where(m => m.Manifest.Name == name).ToList();
        var found = version is null
            ? candidates.OrderByDescending(m => ParseVersion(m.Manifest.Version)).FirstOrDefault()
            : candidates.FirstOrDefault(m => m.Manifest.Version == version);
        return found ?? throw new ModelContractException($"model {name}{(version is null ? string.Empty : "@" + version)} is not in the registry");
    }

    /// <summary>Finds <c>name@version</c> (or just a name: the highest version).</summary>
    public RegisteredModel Find(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? Find(reference, null) : Find(reference[..at], reference[(at + 1)..]);
    }

    /// <summary>Recomputes every file's SHA-256 and compares it with the manifest; lists files that are missing, changed or unlisted.</summary>
    public static ModelVerification Verify(RegisteredModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var problems = new List<string>();
        if (!model.Manifest.Files.ContainsKey("model.onnx"))
        {
            problems.Add("the manifest does not list model.onnx");
        }

        foreach (var (file, expected) in model.Manifest.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(model.Folder, file);
            if (file.Contains('/', StringComparison.Ordinal) || file.Contains('\\', StringComparison.Ordinal) || file == ManifestFile)
            {
                problems.Add($"{file}: not a file the manifest may list");
            }
            else if (!File.Exists(path))
            {
                problems.Add($"{file}: missing");
            }
            else if (!string.Equals(Sha256(path), expected, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{file}: SHA-256 differs from the manifest (changed or corrupted)");
            }
        }

        foreach (var file in Directory.EnumerateFiles(model.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            if (file != ManifestFile && !model.Manifest.Files.ContainsKey(file!))
            {
                problems.Add($"{file}: present but not in the manifest");
            }
        }

        return new ModelVerification(model.Id, problems);
    }

    public ModelVerification[] VerifyAll() => [.. Models.Select(Verify)];

    /// <summary>Records the SHA-256 of every file beside the manifest into it (after training or writing the card).</summary>
    public static ModelManifest Seal(string folder)
    {
        var path = Path.Combine(folder, ManifestFile);
        var manifest = ReadManifest(path);
        var files = Directory.EnumerateFiles(folder)
            .Where(f => Path.GetFileName(f) != ManifestFile)
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileName(f)!, Sha256, StringComparer.Ordinal);
        var sealedManifest = manifest with { Files = files };
        File.WriteAllText(path, JsonSerializer.Serialize(sealedManifest, Indented) + "\n");
        return sealedManifest;
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static Version ParseVersion(string text) =>
        Version.TryParse(text.Split('-', '+')[0], out var version) ? version : new Version(0, 0);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Models.Count} models in {Root}");
}
