using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Serialization;
using HealthAssist.Deidentify;
using HealthAssist.Encode.Inputs;
using HealthAssist.Encode.Registry;
using HealthAssist.Encode.Runtime;
using HealthAssist.Fuse;
using HealthAssist.Ingest.Fhir;
using HealthAssist.UnitTests.Deidentify;
using HealthAssist.UnitTests.Deidentify.Dicom;
using HealthAssist.UnitTests.Ingest.Fhir;

namespace HealthAssist.UnitTests.Fuse;

/// <summary>
/// A model set built independently of our training code (tests/oracles/byom_models.py, onnx.helper) is registered
/// and served through the manifest contract alone; its answers are simple enough to compute here by hand.
/// </summary>
public sealed class BringYourOwnModelTests : IDisposable
{
    private static readonly OnnxRuntimeOptions CpuOnly = new() { PreferCuda = false, IntraOpThreads = 1 };
    private readonly ByomModelSet _set = new();

    private string _root => _set.Root;

    private FeatureSpecification _features => _set.Features;

    public void Dispose() => _set.Dispose();

    private ModelInputs Case(MultimodalModel model)
    {
        var bundle = new PatientRecordBuilder().Observation("8867-4", 112, "/min", TimeSpan.FromHours(1)).Note("Productive cough, crackles right base.", TimeSpan.FromHours(1)).Bundle();
        var json = FhirSerializationEngineFactory.Strict(Hl7.Fhir.Model.ModelInfo.ModelInspector).SerializeToJson(bundle);
        var deidentified = new CaseDeidentifier(CaseDeidentifierTests.Profile(), TestSecrets.A).Deidentify(new CaseInputs(json, [], [], PatientRecordBuilder.IndexTime));
        return new ModelInputBuilder(_features, model.Specification).Build(deidentified);
    }

    [Fact]
    public void AnIndependentlyBuiltModelSet_IsServed_ThroughTheManifestContractAlone()
    {
        using var model = MultimodalModel.Load(ModelRegistry.Scan(_root), "byom-fusion", CpuOnly);
        var weights = JsonNode.Parse(File.ReadAllText(Path.Combine(_root, "weights.json")))!;
        double W(string matrix, int row, int column) => weights[matrix]![row]![column]!.GetValue<double>();
        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

        var inputs = Case(model);
        var prediction = Assert.Single(model.Predict([inputs]))!;

        Assert.Equal([Modality.Tabular, Modality.Note], prediction.Used);
        for (var k = 0; k < 5; k++)
        {
            var head = prediction.Heads[k];
            Assert.Equal(Sigmoid(W("WD", 0, k) + W("WD", 4, k) + weights["BD"]![k]!.GetValue<double>()), head.Probability, 5);
            Assert.Equal(head.Probability >= 0.5, head.Suggested);
            Assert.Equal(Sigmoid(W("WD", 4, k) + weights["BD"]![k]!.GetValue<double>()), head.WithoutModality[Modality.Tabular], 5);
        }

        for (var j = 0; j < 3; j++)
        {
            // Outcome heads are calibrated with temperature 2 in the manifest.
            Assert.Equal(Sigmoid((W("WO", 0, j) + W("WO", 4, j)) / 2), prediction.Heads[5 + j].Probability, 5);
            Assert.False(prediction.Heads[5 + j].Suggested);
        }

        Assert.Equal(0.5, prediction.Attention[Modality.Note], 6);
        Assert.Equal("pneumonia", prediction.Heads[0].Label.Key);
        var fusion = Assert.Single(prediction.Models, m => m.Kind == "fusion");
        Assert.Equal(ModelRegistry.Sha256(Path.Combine(_root, "byom-fusion", "0.1.0", "model.onnx")), fusion.Sha256);
        Assert.Equal("CPU", fusion.ExecutionProvider);
        Assert.Equal(6, prediction.Models.Count);
    }

    [Fact]
    public void PreferringCuda_FallsBackToTheCpu_WhenCudaCannotLoad_WithTheSameAnswers()
    {
        using var cpu = MultimodalModel.Load(ModelRegistry.Scan(_root), "byom-fusion", CpuOnly);
        using var preferred = MultimodalModel.Load(ModelRegistry.Scan(_root), "byom-fusion", new OnnxRuntimeOptions { PreferCuda = true });
        var inputs = Case(cpu);

        // On a machine without CUDA 13 (CI) the provider is the CPU; on a GPU machine it is CUDA. Either way it serves.
        Assert.Contains(preferred.Models[^1].ExecutionProvider, new[] { "CPU", "CUDA" });
        var expected = cpu.Predict([inputs])[0]!.Heads.Select(h => h.Probability);
        Assert.Equal(expected, preferred.Predict([inputs])[0]!.Heads.Select(h => h.Probability), new ToleranceComparer(1e-5));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }

    [Fact]
    public void Predict_WithAnAblationMask_SeesOnlyTheAllowedModalities()
    {
        using var model = MultimodalModel.Load(ModelRegistry.Scan(_root), "byom-fusion", CpuOnly);
        var inputs = Case(model);

        var noteOnly = Assert.Single(model.Predict([inputs], new HashSet<Modality> { Modality.Note }))!;
        var imageOnly = Assert.Single(model.Predict([inputs], new HashSet<Modality> { Modality.Image }));

        Assert.Equal([Modality.Note], noteOnly.Used);
        Assert.Null(imageOnly); // the case has no image: no prediction rather than one from nothing
    }

    [Fact]
    public async Task ConcurrentRequests_AreBatched_AndEachGetsItsOwnAnswer()
    {
        using var model = MultimodalModel.Load(ModelRegistry.Scan(_root), "byom-fusion", CpuOnly);
        var full = Case(model);
        var noteOnly = full with { Tabular = full.Tabular with { Mask = new float[full.Tabular.Mask.Length] } };
        var expectedFull = model.Predict([full])[0]!.Heads.Select(h => h.Probability).ToArray();
        var expectedNote = model.Predict([noteOnly])[0]!.Heads.Select(h => h.Probability).ToArray();
        await using var batching = new BatchingPredictor(model, new BatchingOptions { MaxBatch = 8, MaxDelay = TimeSpan.FromMilliseconds(50) });

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => batching.PredictAsync(i % 2 == 0 ? full : noteOnly)));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? expectedFull : expectedNote, results[i]!.Heads.Select(h => h.Probability).ToArray());
        }

        var (batches, cases) = batching.Counts;
        Assert.Equal(32, cases);
        Assert.True(batches <= 8, $"{batches} batches for 32 concurrent cases");
    }

    [Fact]
    public void WithoutRecordFacts_GivesEveryObservedFeatureAProbabilityPerHead()
    {
        using var model = MultimodalModel.Load(ModelRegistry.Scan(_root), "byom-fusion", CpuOnly);
        var inputs = Case(model);
        var full = model.Predict([inputs], explain: false)[0]!;

        var without = model.WithoutRecordFacts(inputs);

        var observed = inputs.Tabular.Names.Where((_, j) => inputs.Tabular.Mask[j] > 0).ToList();
        Assert.Equal(observed.Order(StringComparer.Ordinal), without.Keys.Order(StringComparer.Ordinal));
        // This fusion model ignores the embeddings' values (only presence counts), so masking one record fact leaves
        // every probability as it was; a model that reads them would move (the basis lists the largest moves).
        Assert.All(without.Values, p => Assert.Equal(full.Heads.Select(h => h.Probability), p, new ToleranceComparer(1e-6)));
    }

    [Fact]
    public void ATamperedModelFile_IsRefused_AtLoad()
    {
        var file = Path.Combine(_root, "byom-note", "0.1.0", "model.onnx");
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(file, bytes);

        var registry = ModelRegistry.Scan(_root);
        var error = Assert.Throws<ModelIntegrityException>(() => MultimodalModel.Load(registry, "byom-fusion", CpuOnly));
        Assert.Contains("byom-note@0.1.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.Contains(registry.VerifyAll(), v => !v.Valid && v.Id == "byom-note@0.1.0");
    }

    [Fact]
    public void AnUnlistedFileInAModelFolder_FailsVerification()
    {
        File.WriteAllText(Path.Combine(_root, "byom-image", "0.1.0", "extra.onnx"), "not in the manifest");

        var verification = ModelRegistry.Verify(ModelRegistry.Scan(_root).Find("byom-image"));

        Assert.False(verification.Valid);
        Assert.Contains(verification.Problems, p => p.Contains("extra.onnx", StringComparison.Ordinal));
    }

    [Fact]
    public void AManifestThatDisagreesWithItsModel_IsRefused_WithWhatDiffers()
    {
        var path = Path.Combine(_root, "byom-fusion", "0.1.0", "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        manifest["outputs"]![0]!["name"] = "diagnosis_scores";
        File.WriteAllText(path, manifest.ToJsonString());

        var error = Assert.Throws<ModelContractException>(() => MultimodalModel.Load(ModelRegistry.Scan(_root), "byom-fusion", CpuOnly));

        Assert.Contains("diagnosis_scores", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_WithoutAVersion_TakesTheHighest()
    {
        var newer = Path.Combine(_root, "byom-note", "0.10.0");
        Directory.CreateDirectory(newer);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_root, "byom-note", "0.1.0")))
        {
            File.Copy(file, Path.Combine(newer, Path.GetFileName(file)));
        }

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(newer, "manifest.json")))!;
        manifest["version"] = "0.10.0";
        File.WriteAllText(Path.Combine(newer, "manifest.json"), manifest.ToJsonString());

        Assert.Equal("0.10.0", ModelRegistry.Scan(_root).Find("byom-note").Manifest.Version);
        Assert.Equal("0.1.0", ModelRegistry.Scan(_root).Find("byom-note@0.1.0").Manifest.Version);
    }
}

/// <summary>The independently built model set of tests/oracles/byom_models.py, sealed in a temporary registry.</summary>
internal sealed class ByomModelSet : IDisposable
{
    public ByomModelSet()
    {
        Directory.CreateDirectory(Root);
        var spec = Path.Combine(Path.GetTempPath(), $"byom-spec-{Guid.NewGuid():N}.json");
        File.WriteAllText(spec, JsonSerializer.Serialize(new InputSpecification { FeatureSpecification = Features.Version }));
        var script = Path.Combine(RepositoryPaths.Root, "tests", "oracles", "byom_models.py");
        var (exit, _, error) = ExternalTool.Run("/usr/bin/python3", script, Root, spec, Features.FeatureNames.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Delete(spec);
        Assert.True(exit == 0, error);
        foreach (var manifest in Directory.EnumerateFiles(Root, "manifest.json", SearchOption.AllDirectories))
        {
            ModelRegistry.Seal(Path.GetDirectoryName(manifest)!);
        }
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"byom-{Guid.NewGuid():N}");

    public FeatureSpecification Features { get; } =
        FeatureSpecification.Load(Path.Combine(RepositoryPaths.Root, "models", "features", "feature-spec.v1.json"));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
