using System.Text.Json;
using System.Text.Json.Nodes;
using HealthAssist.Encode.Inputs;
using HealthAssist.Encode.Registry;

namespace HealthAssist.UnitTests.Encode;

public sealed class ModelPackagerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"packager-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string TrainingOutput(string name, JsonObject training)
    {
        var folder = Path.Combine(_root, name, "2.0.0");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), [1, 2, 3, 4]);
        training["name"] = name;
        training["version"] = "2.0.0";
        training["data"] = new JsonObject { ["inputSpecification"] = JsonSerializer.SerializeToNode(new InputSpecification()), ["cases"] = 10 };
        training["dataSha256"] = new JsonObject { ["export.json"] = "ab12" };
        File.WriteAllText(Path.Combine(folder, "training.json"), training.ToJsonString());
        return folder;
    }

    [Fact]
    public void Package_TurnsTrainingOutputIntoASealedManifest_WithLabelsCalibrationAndEncoders()
    {
        var folder = TrainingOutput("fusion", new JsonObject
        {
            ["kind"] = "fusion",
            ["inputs"] = JsonNode.Parse("""[{"name":"tabular","shape":["batch",64],"dtype":"float32"}]"""),
            ["outputs"] = JsonNode.Parse("""[{"name":"diagnosis_logits","shape":["batch",1],"dtype":"float32"}]"""),
            ["requires"] = JsonNode.Parse("""[{"input":"tabular","model":"tabular-encoder","version":"2.0.0"}]"""),
            ["labels"] = JsonNode.Parse("""[{"key":"pneumonia","display":"Pneumonia","kind":"diagnosis","snomed":"233604007","icd10":"J18.9"}]"""),
            ["calibration"] = JsonNode.Parse("""{"pneumonia":{"temperature":1.5,"bias":-0.2}}"""),
            ["thresholds"] = JsonNode.Parse("""{"pneumonia":{"threshold":0.3}}"""),
            ["command"] = JsonNode.Parse("""["python3","train.py"]"""),
            ["split"] = JsonNode.Parse("""{"method":"by patient","fractions":{"train":0.55,"validation":0.3,"test":0.15},"counts":{}}"""),
        });

        var manifest = ModelPackager.Package(folder);

        Assert.Equal("fusion@2.0.0", manifest.Id);
        Assert.Equal("tabular-encoder@2.0.0", manifest.Encoders!["tabular"]);
        var label = Assert.Single(manifest.Labels!);
        Assert.Equal(new Calibration(1.5, -0.2), label.Calibration);
        Assert.Equal(0.3, label.Threshold);
        Assert.Equal("J18.9", label.Icd10);
        Assert.Equal("ab12", manifest.Training!["data"]!["sha256"]!.GetValue<string>());
        Assert.Equal(0.3, manifest.Training!["split"]!["fractions"]!["validation"]!.GetValue<double>());
        Assert.Equal(["model.onnx", "training.json"], manifest.Files.Keys.Order(StringComparer.Ordinal));
        Assert.True(ModelRegistry.Verify(ModelRegistry.Scan(_root).Find("fusion")).Valid);
    }

    [Fact]
    public void Package_RefusesTrainingOutputWithoutItsInputSpecification()
    {
        var folder = TrainingOutput("image-encoder", new JsonObject { ["kind"] = "encoder", ["modality"] = "image" });
        var training = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "training.json")))!.AsObject();
        training["data"]!.AsObject().Remove("inputSpecification");
        File.WriteAllText(Path.Combine(folder, "training.json"), training.ToJsonString());

        var error = Assert.Throws<ModelContractException>(() => ModelPackager.Package(folder));

        Assert.Contains("input specification", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadManifest_RefusesAManifestInAnotherModelsFolder()
    {
        var folder = TrainingOutput("note-encoder", new JsonObject
        {
            ["kind"] = "encoder", ["modality"] = "note",
            ["inputs"] = JsonNode.Parse("""[{"name":"counts","shape":["batch",4096],"dtype":"float32"}]"""),
            ["outputs"] = JsonNode.Parse("""[{"name":"embedding","shape":["batch",64],"dtype":"float32"}]"""),
        });
        ModelPackager.Package(folder);
        var moved = Path.Combine(_root, "image-encoder", "2.0.0");
        Directory.CreateDirectory(Path.GetDirectoryName(moved)!);
        Directory.Move(folder, moved);

        var registry = ModelRegistry.Scan(_root);

        Assert.Empty(registry.Models);
        Assert.Contains(registry.Unreadable, u => u.Contains("note-encoder@2.0.0", StringComparison.Ordinal));
    }
}
