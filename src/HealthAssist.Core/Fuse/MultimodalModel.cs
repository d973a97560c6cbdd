using HealthAssist.Encode.Inputs;
using HealthAssist.Encode.Registry;
using HealthAssist.Encode.Runtime;
using Microsoft.Extensions.Logging;

namespace HealthAssist.Fuse;

/// <summary>A model that took part in a prediction: what the audit trail records.</summary>
public sealed record ModelUse(string Name, string Version, string Sha256, string Kind, string? Modality, string ExecutionProvider);

/// <summary>One head's result for one case.</summary>
/// <param name="Label">The head: what it predicts, its codes, calibration and threshold.</param>
/// <param name="Logit">The fusion model's raw output.</param>
/// <param name="Probability">Calibrated probability.</param>
/// <param name="Suggested">Whether a diagnosis reaches its operating threshold (always false for outcomes).</param>
/// <param name="WithoutModality">The calibrated probability with each present modality masked out in turn (its contribution is the difference).</param>
public sealed record HeadPrediction(LabelSpec Label, double Logit, double Probability, bool Suggested, IReadOnlyDictionary<Modality, double> WithoutModality);

/// <summary>Embeddings of a batch, per modality (<c>count × dimension</c>), and the presence mask (<c>count × modalities</c>).</summary>
public sealed record EncodedBatch(int Count, float[][] Embeddings, float[] Present);

/// <summary>The fused result of one case.</summary>
public sealed record FusionPrediction(
    IReadOnlyList<HeadPrediction> Heads,
    IReadOnlyList<Modality> Used,
    IReadOnlyDictionary<Modality, double> Attention,
    IReadOnlyList<ModelUse> Models);

/// <summary>
/// The encode and fuse stages together: a fusion model from the registry and the encoders its manifest names, each a
/// shared ONNX Runtime session. A batch of cases is encoded per modality (only the cases that have it), fused with
/// the presence mask, calibrated per head with the manifest's calibration, and explained by re-fusing with each
/// present modality masked out (the fusion model is tiny, so this costs little). Thread-safe.
/// </summary>
public sealed class MultimodalModel : IDisposable
{
    private readonly Dictionary<Modality, OnnxModel> _encoders;
    private readonly OnnxModel _fusion;
    private readonly int _embedding;
    private readonly int[] _logitOutputs;
    private readonly int _attentionOutput;
    private readonly IReadOnlyList<LabelSpec> _labels;
    private readonly IReadOnlyList<ModelUse> _uses;

    private MultimodalModel(OnnxModel fusion, Dictionary<Modality, OnnxModel> encoders, InputSpecification specification)
    {
        _fusion = fusion;
        _encoders = encoders;
        Specification = specification;
        _labels = fusion.Manifest.Labels ?? throw new ModelContractException($"{fusion.Manifest.Id}: a fusion model must list its labels");
        _logitOutputs = [.. fusion.OutputNames.Select((n, i) => (n, i)).Where(p => p.n.EndsWith("_logits", StringComparison.Ordinal)).Select(p => p.i)];
        _attentionOutput = fusion.OutputNames.ToList().IndexOf("attention");
        if (_logitOutputs.Sum(i => fusion.OutputRowLengths[i]) != _labels.Count)
        {
            throw new ModelContractException($"{fusion.Manifest.Id}: its *_logits outputs have {_logitOutputs.Sum(i => fusion.OutputRowLengths[i])} values, its labels {_labels.Count}");
        }

        _embedding = encoders.Values.First().OutputRowLengths[0];
        var expectedInputs = Modalities.All.Select(m => m.Key()).Append("present").ToArray();
        if (!fusion.InputNames.SequenceEqual(expectedInputs) || fusion.InputRowLengths.Take(Modalities.All.Count).Any(l => l != _embedding) || fusion.InputRowLengths[^1] != Modalities.All.Count)
        {
            throw new ModelContractException($"{fusion.Manifest.Id}: a fusion model takes {string.Join(", ", expectedInputs)} ([batch, {_embedding}] each, present [batch, {Modalities.All.Count}])");
        }

        _uses = [.. encoders.OrderBy(e => e.Key).Select(e => Use(e.Value)).Append(Use(fusion))];
    }

    public InputSpecification Specification { get; }

    public ModelManifest Fusion => _fusion.Manifest;

    public IReadOnlyList<ModelUse> Models => _uses;

    public IReadOnlyList<LabelSpec> Labels => _labels;

    /// <summary>Loads the fusion model (<c>name</c> or <c>name@version</c>) and its encoders, each verified against its manifest.</summary>
    public static MultimodalModel Load(ModelRegistry registry, string fusionReference, OnnxRuntimeOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var fusionEntry = registry.Find(fusionReference);
        if (!fusionEntry.Manifest.IsFusion || fusionEntry.Manifest.Encoders is null)
        {
            throw new ModelContractException($"{fusionEntry.Id} is not a fusion model with encoders");
        }

        var loaded = new List<OnnxModel>();
        try
        {
            var encoders = new Dictionary<Modality, OnnxModel>();
            InputSpecification? specification = null;
            foreach (var modality in Modalities.All)
            {
                if (!fusionEntry.Manifest.Encoders.TryGetValue(modality.Key(), out var reference))
                {
                    throw new ModelContractException($"{fusionEntry.Id} names no encoder for {modality.Key()}");
                }

                var entry = registry.Find(reference);
                if (entry.Manifest.EncodedModality() != modality)
                {
                    throw new ModelContractException($"{entry.Id} encodes {entry.Manifest.Modality}, not {modality.Key()}");
                }

                var encoder = OnnxModel.Load(entry, options, logger);
                loaded.Add(encoder);
                encoders[modality] = encoder;
                var preprocessing = entry.Manifest.Preprocessing ?? throw new ModelContractException($"{entry.Id} records no preprocessing");
                if (specification is not null && !SamePreprocessing(specification, preprocessing))
                {
                    throw new ModelContractException($"{entry.Id} was trained with other preprocessing than the other encoders");
                }

                specification ??= preprocessing;
                CheckEncoderInputs(modality, encoder, preprocessing);
            }

            var fusion = OnnxModel.Load(fusionEntry, options, logger);
            loaded.Add(fusion);
            return new MultimodalModel(fusion, encoders, specification!);
        }
        catch
        {
            foreach (var model in loaded)
            {
                model.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Encodes and fuses a batch. <paramref name="allowed"/> limits the modalities the model may see (an ablation);
    /// null lets it see all the case has. Cases with no usable modality get no prediction (null).
    /// </summary>
    public FusionPrediction?[] Predict(IReadOnlyList<ModelInputs> cases, IReadOnlySet<Modality>? allowed = null, bool explain = true) =>
        Fuse(Encode(cases), allowed, explain);

    /// <summary>The encode stage: each modality's encoder over the cases that have it (embeddings of absent modalities are zeros).</summary>
    public EncodedBatch Encode(IReadOnlyList<ModelInputs> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var count = cases.Count;
        var present = new float[count * Modalities.All.Count];
        var embeddings = new float[Modalities.All.Count][];
        foreach (var modality in Modalities.All)
        {
            embeddings[(int)modality] = new float[count * _embedding];
            var members = Enumerable.Range(0, count).Where(i => cases[i].Has(modality)).ToArray();
            if (members.Length == 0)
            {
                continue;
            }

            var encoder = _encoders[modality];
            var output = encoder.Run(members.Length, EncoderInputs(modality, encoder, cases, members))[0];
            for (var k = 0; k < members.Length; k++)
            {
                output.AsSpan(k * _embedding, _embedding).CopyTo(embeddings[(int)modality].AsSpan(members[k] * _embedding));
                present[(members[k] * Modalities.All.Count) + (int)modality] = 1;
            }
        }

        return new EncodedBatch(count, embeddings, present);
    }

    /// <summary>The fuse stage over encoded cases, limited to <paramref name="allowed"/> modalities when given.</summary>
    public FusionPrediction?[] Fuse(EncodedBatch batch, IReadOnlySet<Modality>? allowed = null, bool explain = true)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var count = batch.Count;
        var results = new FusionPrediction?[count];
        if (count == 0)
        {
            return results;
        }

        var present = (float[])batch.Present.Clone();
        if (allowed is not null)
        {
            for (var i = 0; i < count; i++)
            {
                foreach (var modality in Modalities.All.Where(m => !allowed.Contains(m)))
                {
                    present[(i * Modalities.All.Count) + (int)modality] = 0;
                }
            }
        }

        var embeddings = batch.Embeddings;
        var (logits, attention) = Fuse(count, embeddings, present);
        Dictionary<Modality, double[]>? masked = null;
        if (explain)
        {
            masked = [];
            foreach (var modality in Modalities.All)
            {
                var without = (float[])present.Clone();
                for (var i = 0; i < count; i++)
                {
                    without[(i * Modalities.All.Count) + (int)modality] = 0;
                }

                masked[modality] = Fuse(count, embeddings, without).Logits;
            }
        }

        for (var i = 0; i < count; i++)
        {
            var used = Modalities.All.Where(m => present[(i * Modalities.All.Count) + (int)m] > 0).ToList();
            if (used.Count == 0)
            {
                continue;
            }

            var heads = new HeadPrediction[_labels.Count];
            for (var h = 0; h < _labels.Count; h++)
            {
                var label = _labels[h];
                var logit = logits[(i * _labels.Count) + h];
                var probability = label.Calibration.Apply(logit);
                var without = masked is null || used.Count < 2
                    ? new Dictionary<Modality, double>()
                    : used.ToDictionary(m => m, m => label.Calibration.Apply(masked[m][(i * _labels.Count) + h]));
                heads[h] = new HeadPrediction(label, logit, probability, label.Kind == "diagnosis" && label.Threshold is { } t && probability >= t, without);
            }

            var weights = attention is null
                ? new Dictionary<Modality, double>()
                : used.ToDictionary(m => m, m => (double)attention[(i * Modalities.All.Count) + (int)m]);
            results[i] = new FusionPrediction(heads, used, weights, _uses);
        }

        return results;
    }

    /// <summary>
    /// Which record facts mattered: for each observed tabular feature of one case, the calibrated probability of every
    /// head with that feature masked as missing (one tabular-encoder run and one fusion run over all the variants).
    /// Returns feature name → per-head probability without it.
    /// </summary>
    public IReadOnlyDictionary<string, double[]> WithoutRecordFacts(ModelInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var observed = Enumerable.Range(0, inputs.Tabular.Mask.Length).Where(j => inputs.Tabular.Mask[j] > 0).ToArray();
        if (observed.Length == 0)
        {
            return new Dictionary<string, double[]>();
        }

        var encoded = Encode([inputs]);
        var count = observed.Length;
        var width = inputs.Tabular.Values.Length;
        var values = new float[count * width];
        var masks = new float[count * width];
        for (var k = 0; k < count; k++)
        {
            inputs.Tabular.Values.CopyTo(values, k * width);
            inputs.Tabular.Mask.CopyTo(masks, k * width);
            values[(k * width) + observed[k]] = 0;
            masks[(k * width) + observed[k]] = 0;
        }

        var tabular = _encoders[Modality.Tabular].Run(count, [values, masks])[0];
        var embeddings = new float[Modalities.All.Count][];
        var present = new float[count * Modalities.All.Count];
        foreach (var modality in Modalities.All)
        {
            embeddings[(int)modality] = new float[count * _embedding];
            for (var k = 0; k < count; k++)
            {
                var source = modality == Modality.Tabular ? tabular.AsSpan(k * _embedding, _embedding) : encoded.Embeddings[(int)modality].AsSpan(0, _embedding);
                source.CopyTo(embeddings[(int)modality].AsSpan(k * _embedding));
                present[(k * Modalities.All.Count) + (int)modality] = encoded.Present[(int)modality];
            }
        }

        var (logits, _) = Fuse(count, embeddings, present);
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (var k = 0; k < count; k++)
        {
            result[inputs.Tabular.Names[observed[k]]] = [.. _labels.Select((label, h) => label.Calibration.Apply(logits[(k * _labels.Count) + h]))];
        }

        return result;
    }

    public void Dispose()
    {
        foreach (var encoder in _encoders.Values)
        {
            encoder.Dispose();
        }

        _fusion.Dispose();
    }

    private (double[] Logits, float[]? Attention) Fuse(int count, float[][] embeddings, float[] present)
    {
        var outputs = _fusion.Run(count, [.. embeddings, present]);
        var logits = new double[count * _labels.Count];
        for (var i = 0; i < count; i++)
        {
            var offset = 0;
            foreach (var o in _logitOutputs)
            {
                var width = _fusion.OutputRowLengths[o];
                for (var k = 0; k < width; k++)
                {
                    logits[(i * _labels.Count) + offset + k] = outputs[o][(i * width) + k];
                }

                offset += width;
            }
        }

        return (logits, _attentionOutput >= 0 ? outputs[_attentionOutput] : null);
    }

    private static float[][] EncoderInputs(Modality modality, OnnxModel encoder, IReadOnlyList<ModelInputs> cases, int[] members)
    {
        float[] Gather(int input, Func<ModelInputs, float[]> select)
        {
            var width = encoder.InputRowLengths[input];
            var data = new float[members.Length * width];
            for (var k = 0; k < members.Length; k++)
            {
                select(cases[members[k]]).AsSpan().CopyTo(data.AsSpan(k * width, width));
            }

            return data;
        }

        return modality switch
        {
            Modality.Tabular => [Gather(0, c => c.Tabular.Values), Gather(1, c => c.Tabular.Mask)],
            Modality.Image => [Gather(0, c => c.Image!.Tensor)],
            Modality.HeartSound => [Gather(0, c => c.Heart!.Tensor)],
            Modality.LungSound => [Gather(0, c => c.Lung!.Tensor)],
            Modality.Note => [Gather(0, c => c.Note!)],
            _ => throw new ArgumentOutOfRangeException(nameof(modality)),
        };
    }

    private static void CheckEncoderInputs(Modality modality, OnnxModel encoder, InputSpecification specification)
    {
        int[] expected = modality switch
        {
            Modality.Tabular => [-1, -1],
            Modality.Image => [specification.Image.Shape.Aggregate(1, (a, b) => a * b)],
            Modality.HeartSound or Modality.LungSound => [specification.Audio.Shape.Aggregate(1, (a, b) => a * b)],
            Modality.Note => [specification.Note.Dimension],
            _ => [],
        };
        if (encoder.InputRowLengths.Count != expected.Length || expected.Where((e, i) => e > 0 && encoder.InputRowLengths[i] != e).Any()
            || (modality == Modality.Tabular && encoder.InputRowLengths[0] != encoder.InputRowLengths[1]))
        {
            throw new ModelContractException($"{encoder.Manifest.Id}: its inputs do not match the {modality.Key()} tensors its preprocessing makes");
        }
    }

    private static bool SamePreprocessing(InputSpecification a, InputSpecification b) =>
        System.Text.Json.JsonSerializer.Serialize(a) == System.Text.Json.JsonSerializer.Serialize(b);

    private static ModelUse Use(OnnxModel model) =>
        new(model.Manifest.Name, model.Manifest.Version, model.Model.ModelSha256, model.Manifest.Kind, model.Manifest.Modality, model.ExecutionProvider);
}
