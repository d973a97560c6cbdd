using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HealthAssist.Encode.Inputs;

namespace HealthAssist.Encode.Registry;

/// <summary>One tensor a model takes or gives: name, shape (<c>batch</c> or another name for a free dimension) and type.</summary>
public sealed record TensorSpec(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("shape")] IReadOnlyList<JsonElement> Shape,
    [property: JsonPropertyName("dtype")] string DataType)
{
    /// <summary>The fixed dimensions after the batch dimension (every later dimension must be fixed).</summary>
    public int[] RowShape() => [.. Shape.Skip(1).Select(d => d.ValueKind == JsonValueKind.Number
        ? d.GetInt32()
        : throw new ModelContractException($"tensor '{Name}' has a free dimension after the batch dimension"))];

    public int RowLength() => RowShape().Aggregate(1, (a, b) => checked(a * b));
}

/// <summary>p = sigmoid(logit / temperature + bias), fitted on the validation split.</summary>
public sealed record Calibration(
    [property: JsonPropertyName("temperature")] double Temperature,
    [property: JsonPropertyName("bias")] double Bias = 0)
{
    public double Apply(double logit) => 1 / (1 + Math.Exp(-((logit / Temperature) + Bias)));
}

/// <summary>One output head of a fusion model: what it predicts, its codes, calibration and operating threshold.</summary>
public sealed record LabelSpec
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("display")]
    public required string Display { get; init; }

    /// <summary><c>diagnosis</c> or <c>outcome</c>.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    [JsonPropertyName("snomed")]
    public string? Snomed { get; init; }

    [JsonPropertyName("icd10")]
    public string? Icd10 { get; init; }

    /// <summary>ISO 8601 duration of an outcome's horizon (P30D, PT48H).</summary>
    [JsonPropertyName("horizon")]
    public string? Horizon { get; init; }

    [JsonPropertyName("calibration")]
    public Calibration Calibration { get; init; } = new(1);

    /// <summary>The calibrated probability from which a diagnosis is suggested.</summary>
    [JsonPropertyName("threshold")]
    public double? Threshold { get; init; }
}

/// <summary>
/// <c>models/&lt;name&gt;/&lt;version&gt;/manifest.json</c>: the contract between a model and the serving code. A
/// hospital's own model that honours it is served without a code change (docs/models/manifest.md).
/// </summary>
public sealed record ModelManifest
{
    public const string CurrentSchema = "healthassist.model/1";

    [JsonPropertyName("schema")]
    public string Schema { get; init; } = CurrentSchema;

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("version")]
    public required string Version { get; init; }

    /// <summary><c>encoder</c> or <c>fusion</c>.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>An encoder's modality key (tabular, image, heart, lung, note).</summary>
    [JsonPropertyName("modality")]
    public string? Modality { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("inputs")]
    public required IReadOnlyList<TensorSpec> Inputs { get; init; }

    [JsonPropertyName("outputs")]
    public required IReadOnlyList<TensorSpec> Outputs { get; init; }

    /// <summary>The preprocessing the model was trained with; the serving pipeline builds its inputs with exactly this.</summary>
    [JsonPropertyName("preprocessing")]
    public InputSpecification? Preprocessing { get; init; }

    /// <summary>A fusion model's encoders, by modality key: <c>name@version</c>.</summary>
    [JsonPropertyName("encoders")]
    public IReadOnlyDictionary<string, string>? Encoders { get; init; }

    /// <summary>A fusion model's heads, in the order of its logits (diagnoses, then outcomes).</summary>
    [JsonPropertyName("labels")]
    public IReadOnlyList<LabelSpec>? Labels { get; init; }

    [JsonPropertyName("notice")]
    public string Notice { get; init; } = "Demonstration model trained on synthetic data; not for clinical use.";

    /// <summary>Training provenance (command, seed, data version, metrics at training time), kept as written.</summary>
    [JsonPropertyName("training")]
    public JsonObject? Training { get; init; }

    /// <summary>SHA-256 (lower-case hex) of every other file in the model's folder, by file name.</summary>
    [JsonPropertyName("files")]
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    [JsonIgnore]
    public string Id => $"{Name}@{Version}";

    [JsonIgnore]
    public bool IsFusion => Kind == "fusion";

    public Modality EncodedModality() => Modality is { } key ? HealthAssist.Encode.Inputs.Modalities.FromKey(key) : throw new ModelContractException($"{Id}: an encoder must name its modality");
}

/// <summary>A model whose files or manifest do not match what the serving code needs.</summary>
public sealed class ModelContractException(string message) : Exception(message)
{
    public ModelContractException()
        : this("model contract violated")
    {
    }

    public ModelContractException(string message, Exception inner)
        : this(message + ": " + inner.Message)
    {
    }
}

/// <summary>A model whose files do not hash to what its manifest says: it is refused.</summary>
public sealed class ModelIntegrityException(string message) : Exception(message)
{
    public ModelIntegrityException()
        : this("model integrity check failed")
    {
    }

    public ModelIntegrityException(string message, Exception inner)
        : this(message + ": " + inner.Message)
    {
    }
}
