using System.Text.Json;
using System.Text.Json.Nodes;
using HealthAssist.Encode.Registry;
using HealthAssist.Evaluation;

namespace HealthAssist.UnitTests.Evaluation;

public sealed class ModelCardWriterTests
{
    private static readonly EvaluationSource Source = new("A fresh synthetic cohort (seed 97)", "healthassist models evaluate --cohort C --write-cards");

    private static ModelManifest Manifest(string name, string kind, JsonObject? split) => new()
    {
        Name = name,
        Version = "4.0.0",
        Kind = kind,
        Modality = kind == "encoder" ? "note" : null,
        Inputs = [new TensorSpec("counts", [JsonSerializer.SerializeToElement("batch"), JsonSerializer.SerializeToElement(16)], "float32")],
        Outputs = [new TensorSpec("embedding", [JsonSerializer.SerializeToElement("batch"), JsonSerializer.SerializeToElement(64)], "float32")],
        Labels = kind == "fusion" ? [new LabelSpec { Key = "pneumonia", Display = "Pneumonia", Kind = "diagnosis", Calibration = new Calibration(1.25, -0.5), Threshold = 0.2 }] : null,
        Training = new JsonObject
        {
            ["seed"] = 20261126,
            ["command"] = new JsonArray("python3", "train.py"),
            ["data"] = new JsonObject { ["cohort"] = new JsonObject { ["version"] = "4", ["seed"] = 41, ["patients"] = 7000 }, ["cases"] = 6650 },
            ["split"] = split?.DeepClone(),
        },
    };

    private static EvaluationReport Report(bool calibrationMet) => new(
        Models: [],
        Baseline: null,
        Cases: 500,
        Resamples: 200,
        Heads: [new HeadMetrics("pneumonia", "diagnosis", 500, 150, new Estimate(0.9, 0.88, 0.92), 0.8, 0.1, 0.05, calibrationMet ? 1.0 : 0.7, 0.02)],
        BaselineHeads: [],
        Ablation: [new AblationRow("note", ["note"], 500, new Dictionary<string, double> { ["pneumonia"] = 0.78 })],
        FusionVersusSingle: [],
        LeaveOneOutCost: new Dictionary<string, double> { ["note"] = 0.004 },
        Subgroups: [],
        Targets:
        [
            new TargetCheck("calibration: pneumonia", calibrationMet, calibrationMet ? "slope 1.00" : "slope 0.70 (target 0.8–1.2)"),
            new TargetCheck("subgroup gap: death_30d by age", true, "AUROC gap 0.110; the generator's own risk: gap 0.049 — planted shift", Exempt: true),
        ]);

    [Fact]
    public void Cards_SayTheyAreDemonstrationModels_AndNameTheRecordedSplit()
    {
        var split = new JsonObject { ["fractions"] = new JsonObject { ["train"] = 0.55, ["validation"] = 0.30, ["test"] = 0.15 } };

        var encoder = ModelCardWriter.Encoder(Manifest("note-encoder", "encoder", split), Report(true), Source, "fusion@4.0.0");
        var fusion = ModelCardWriter.Fusion(Manifest("fusion", "fusion", split), Report(true), Source);

        foreach (var card in new[] { encoder, fusion })
        {
            Assert.Contains("not for clinical use", card, StringComparison.Ordinal);
            Assert.Contains("not clinically validated", card, StringComparison.Ordinal);
            Assert.Contains("split by patient 55/30/15", card, StringComparison.Ordinal);
        }

        Assert.StartsWith("# Model card: note-encoder@4.0.0", encoder, StringComparison.Ordinal);
        Assert.Contains("| pneumonia | 0.780 |", encoder, StringComparison.Ordinal);
        Assert.Contains("| pneumonia | Pneumonia |  |  |  | 1.250, -0.500 | 0.200 |", fusion, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelsWithoutARecordedSplit_AreDescribedWithTheSplitTheyUsed()
    {
        var card = ModelCardWriter.Encoder(Manifest("note-encoder", "encoder", split: null), Report(true), Source, "fusion@3.1.0");

        Assert.Contains("split by patient 60/20/20", card, StringComparison.Ordinal);
    }

    [Fact]
    public void FusionCard_MarksUnmetAndExemptTargets_AsSuch()
    {
        var card = ModelCardWriter.Fusion(Manifest("fusion", "fusion", split: null), Report(calibrationMet: false), Source);

        Assert.Contains("- **not met**: calibration: pneumonia — slope 0.70 (target 0.8–1.2)", card, StringComparison.Ordinal);
        Assert.Contains("- exempt: subgroup gap: death_30d by age — AUROC gap 0.110; the generator's own risk: gap 0.049", card, StringComparison.Ordinal);
    }
}
