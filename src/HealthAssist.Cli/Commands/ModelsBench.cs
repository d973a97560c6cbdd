using System.CommandLine;
using System.Globalization;
using HealthAssist.Cli.Cohorts;
using HealthAssist.Encode.Inputs;
using HealthAssist.Encode.Registry;
using HealthAssist.Evaluation;
using HealthAssist.Fuse;
using HealthAssist.Synthesis;
using Microsoft.ML.OnnxRuntime;

namespace HealthAssist.Cli.Commands;

/// <summary>
/// <c>healthassist bench models</c>: all encoders + fusion on a prepared case with every modality, first as raw ONNX
/// Runtime sessions fed pre-made tensors (the baseline), then through the serving layer (<see cref="MultimodalModel"/>:
/// gathering, presence mask, calibration; and with the per-modality contributions); then batch throughput at 1, 8 and
/// 32 cases.
/// </summary>
internal static class ModelsBench
{
    public static Command Create(CliContext context)
    {
        var iterations = new Option<int>("--iterations") { Description = "Timed runs per measurement", DefaultValueFactory = _ => 200 };
        var model = new Option<string>("--model") { Description = "Fusion model (name or name@version)", DefaultValueFactory = _ => "fusion" };
        var command = new Command("models", "Encoders + fusion: raw ONNX Runtime vs the serving layer, and batch throughput") { iterations, model };
        command.SetAction((result, cancellationToken) => RunAsync(context, result.GetValue(iterations), result.GetRequiredValue(model), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, int iterations, string fusionReference, CancellationToken cancellationToken)
    {
        if (iterations < 10)
        {
            throw new UsageException("--iterations must be at least 10");
        }

        var registry = ModelsCommands.Registry(context);
        var runtime = ModelsEvaluateCommand.Runtime(context);
        using var model = MultimodalModel.Load(registry, fusionReference, runtime);
        var folder = Path.Combine(Path.GetTempPath(), $"healthassist-bench-models-{Guid.NewGuid():N}");
        List<EvaluationCase> cases;
        try
        {
            CohortWriter.Write(folder, new SynthesisOptions(48, 5));
            cases = ModelsEvaluateCommand.Prepare(context, SyntheticCohort.Open(folder), model.Specification, [.. model.Labels.Select(l => l.Key)], cancellationToken);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var complete = cases.Select(c => c.Inputs).Where(i => i.Present.Count == Modalities.All.Count).ToList();
        if (complete.Count == 0)
        {
            throw new UsageException("the bench cohort has no case with every modality; rerun");
        }

        var subject = complete[0];
        var provider = model.Models[^1].ExecutionProvider;
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{model.Fusion.Id} + {model.Models.Count - 1} encoders on {provider}, {Environment.ProcessorCount} cores, intra-op threads {(runtime.IntraOpThreads > 0 ? runtime.IntraOpThreads : Environment.ProcessorCount)}; one case with all five modalities, {iterations} runs each"));

        using var raw = new RawSessions(registry, model, subject, runtime.IntraOpThreads);
        var rawTimes = BenchTiming.Measure(raw.Run, iterations);
        var serving = BenchTiming.Measure(() => model.Predict([subject], explain: false), iterations);
        var explained = BenchTiming.Measure(() => model.Predict([subject], explain: true), iterations);
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"per case",-44} {"p50 ms",8} {"p99 ms",8}"));
        await context.Out.WriteLineAsync(Row("raw ONNX Runtime (baseline)", rawTimes));
        await context.Out.WriteLineAsync(Row("serving layer", serving) + string.Create(CultureInfo.InvariantCulture, $"   overhead {(BenchTiming.Percentile(serving, 50) / BenchTiming.Percentile(rawTimes, 50)) - 1:P1}"));
        await context.Out.WriteLineAsync(Row("serving layer + per-modality contributions", explained));

        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"batch",-10} {"cases/s",10} {"ms/batch p50",14}"));
        foreach (var size in new[] { 1, 8, 32 })
        {
            var batch = Enumerable.Range(0, size).Select(i => complete[i % complete.Count]).ToList();
            var times = BenchTiming.Measure(() => model.Predict(batch, explain: false), Math.Max(10, iterations / size));
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{size,-10} {size / (BenchTiming.Percentile(times, 50) / 1000),10:N0} {BenchTiming.Percentile(times, 50),14:F2}"));
        }

        return ExitCodes.Success;
    }

    private static string Row(string name, List<double> times) =>
        string.Create(CultureInfo.InvariantCulture, $"{name,-44} {BenchTiming.Percentile(times, 50),8:F2} {BenchTiming.Percentile(times, 99),8:F2}");

    /// <summary>The baseline: the same model files in plain sessions, inputs made once, no checks, no mapping.</summary>
    private sealed class RawSessions : IDisposable
    {
        private readonly List<(InferenceSession Session, string[] Inputs, OrtValue[] Values, string[] Outputs)> _runs = [];

        public RawSessions(ModelRegistry registry, MultimodalModel model, ModelInputs subject, int threads)
        {
            using var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                IntraOpNumThreads = threads > 0 ? threads : Environment.ProcessorCount,
                InterOpNumThreads = 1,
            };
            foreach (var use in model.Models)
            {
                var entry = registry.Find(use.Name, use.Version);
                var session = new InferenceSession(entry.ModelPath, options);
                var manifest = entry.Manifest;
                float[][] data = use.Kind == "encoder"
                    ? Modalities.FromKey(use.Modality!) switch
                    {
                        Modality.Tabular => [subject.Tabular.Values, subject.Tabular.Mask],
                        Modality.Image => [subject.Image!.Tensor],
                        Modality.HeartSound => [subject.Heart!.Tensor],
                        Modality.LungSound => [subject.Lung!.Tensor],
                        _ => [subject.Note!],
                    }
                    : [.. Modalities.All.Select(_ => new float[manifest.Inputs[0].RowLength()]), subject.PresenceMask()];
                var values = manifest.Inputs.Select((spec, i) => OrtValue.CreateTensorValueFromMemory(data[i], [1, .. spec.RowShape().Select(d => (long)d)])).ToArray();
                _runs.Add((session, [.. manifest.Inputs.Select(i => i.Name)], values, [.. manifest.Outputs.Select(o => o.Name)]));
            }
        }

        public void Run()
        {
            using var runOptions = new RunOptions();
            foreach (var (session, inputs, values, outputs) in _runs)
            {
                using var results = session.Run(runOptions, inputs, values, outputs);
            }
        }

        public void Dispose()
        {
            foreach (var (session, _, values, _) in _runs)
            {
                session.Dispose();
                foreach (var value in values)
                {
                    value.Dispose();
                }
            }
        }
    }
}
