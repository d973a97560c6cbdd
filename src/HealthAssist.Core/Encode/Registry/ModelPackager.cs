using System.Text.Json;
using System.Text.Json.Nodes;
using HealthAssist.Encode.Inputs;

namespace HealthAssist.Encode.Registry;

/// <summary>
/// Turns what the training script leaves in a model folder (<c>model.onnx</c> and <c>training.json</c>) into the
/// registry's contract: <c>manifest.json</c> with the tensors, the preprocessing the features were exported with, the
/// encoders a fusion model needs, labels with codes, calibration and thresholds, and the SHA-256 of every file.
/// </summary>
public static class ModelPackager
{
    public const string TrainingFile = "training.json";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Packages every folder under <paramref name="root"/> that holds a training.json; returns their ids.</summary>
    public static IReadOnlyList<string> PackageAll(string root) =>
        [.. Directory.EnumerateFiles(root, TrainingFile, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 })
            .Order(StringComparer.Ordinal)
            .Select(path => Package(Path.GetDirectoryName(path)!).Id)];

    public static ModelManifest Package(string folder)
    {
        var training = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, TrainingFile)))?.AsObject()
            ?? throw new ModelContractException($"{folder}: training.json is empty");
        string Text(string key) => training[key]?.GetValue<string>() ?? throw new ModelContractException($"{folder}: training.json has no '{key}'");

        var kind = Text("kind");
        var preprocessing = training["data"]?["inputSpecification"]?.Deserialize<InputSpecification>()
            ?? throw new ModelContractException($"{folder}: training.json does not record the input specification its features were exported with");
        Dictionary<string, string>? encoders = null;
        List<LabelSpec>? labels = null;
        if (kind == "fusion")
        {
            encoders = training["requires"]!.AsArray().OfType<JsonObject>()
                .ToDictionary(r => r["input"]!.GetValue<string>(), r => $"{r["model"]!.GetValue<string>()}@{r["version"]!.GetValue<string>()}", StringComparer.Ordinal);
            labels = [.. training["labels"]!.AsArray().OfType<JsonObject>().Select(label =>
            {
                var key = label["key"]!.GetValue<string>();
                var calibration = training["calibration"]?[key];
                return new LabelSpec
                {
                    Key = key,
                    Display = label["display"]!.GetValue<string>(),
                    Kind = label["kind"]!.GetValue<string>(),
                    Snomed = label["snomed"]?.GetValue<string>(),
                    Icd10 = label["icd10"]?.GetValue<string>(),
                    Horizon = label["horizon"]?.GetValue<string>(),
                    Calibration = calibration is null ? new Calibration(1) : new Calibration(calibration["temperature"]!.GetValue<double>(), calibration["bias"]?.GetValue<double>() ?? 0),
                    Threshold = training["thresholds"]?[key]?["threshold"]?.GetValue<double>(),
                };
            })];
        }

        var manifest = new ModelManifest
        {
            Name = Text("name"),
            Version = Text("version"),
            Kind = kind,
            Modality = training["modality"]?.GetValue<string>(),
            Description = training["architecture"]?.GetValue<string>(),
            Inputs = training["inputs"].Deserialize<List<TensorSpec>>() ?? [],
            Outputs = training["outputs"].Deserialize<List<TensorSpec>>() ?? [],
            Preprocessing = preprocessing,
            Encoders = encoders,
            Labels = labels,
            Training = new JsonObject
            {
                ["run"] = training["trainingRun"]?.DeepClone(),
                ["seed"] = training["seed"]?.DeepClone(),
                ["command"] = training["command"]?.DeepClone(),
                ["trainedAtUtc"] = training["trainedAtUtc"]?.DeepClone(),
                ["wallTimeSeconds"] = training["totalWallTimeSeconds"]?.DeepClone(),
                ["torch"] = training["torchVersion"]?.DeepClone(),
                ["onnxOpset"] = training["opset"]?.DeepClone(),
                ["data"] = new JsonObject
                {
                    ["cohort"] = training["data"]?["cohort"]?.DeepClone(),
                    ["cases"] = training["data"]?["cases"]?.DeepClone(),
                    ["exporterVersion"] = training["data"]?["exporterVersion"]?.DeepClone(),
                    ["sha256"] = training["dataSha256"]?["export.json"]?.DeepClone(),
                    ["fileSha256"] = training["dataSha256"]?.DeepClone(),
                },
                ["details"] = TrainingFile,
            },
        };

        if (training["split"]?["fractions"] is { } fractions)
        {
            manifest.Training!["split"] = new JsonObject { ["fractions"] = fractions.DeepClone() };
        }

        var path = Path.Combine(folder, ModelRegistry.ManifestFile);
        File.WriteAllText(path, JsonSerializer.Serialize(manifest, Indented) + "\n");
        return ModelRegistry.Seal(folder);
    }
}
