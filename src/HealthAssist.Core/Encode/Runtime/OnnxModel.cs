using HealthAssist.Encode.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HealthAssist.Encode.Runtime;

/// <summary>How ONNX Runtime sessions are made (configuration keys <c>Models:PreferCuda</c>, <c>Models:CudaDeviceId</c>, <c>Models:IntraOpThreads</c>).</summary>
public sealed record OnnxRuntimeOptions
{
    /// <summary>Try the CUDA execution provider first; when it cannot load, log once and use the CPU.</summary>
    public bool PreferCuda { get; init; } = true;

    public int CudaDeviceId { get; init; }

    /// <summary>
    /// Threads one model run may use (0: the machine's cores). Default 1: these models are small, and requests already
    /// run in parallel with each other; measured with <c>bench models</c> on 2 cores, 1 thread gives 932 cases/s at batch
    /// 1 and p99 1.2 ms, 2 threads 859 cases/s and p99 9 ms (threads spinning against each other), and at batch 8 the gap
    /// is 899 vs 200 cases/s (docs/models/runtime.md).
    /// </summary>
    public int IntraOpThreads { get; init; } = 1;

    public void Validate()
    {
        if (IntraOpThreads < 0 || CudaDeviceId < 0)
        {
            throw new InvalidOperationException("Models: IntraOpThreads and CudaDeviceId must not be negative");
        }
    }
}

/// <summary>
/// One model loaded for serving: a single <see cref="InferenceSession"/> shared by all callers (ONNX Runtime sessions
/// are thread-safe for <c>Run</c>), fed and read through the <see cref="OrtValue"/> API over caller-owned arrays. The
/// model file is hashed and checked against the manifest before the session is made, and its input and output names
/// and shapes are checked against the manifest, so a swapped or mismatched model is refused at load, not at the first
/// request.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private static int s_cudaFallbackLogged;
    private static volatile bool s_cudaUnavailable;
    private static readonly Lock CudaProbe = new();
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int[] _inputRowLengths;
    private readonly int[][] _inputRowShapes;
    private readonly int[] _outputRowLengths;

    private OnnxModel(RegisteredModel model, InferenceSession session, string executionProvider)
    {
        Model = model;
        _session = session;
        ExecutionProvider = executionProvider;
        _inputNames = [.. model.Manifest.Inputs.Select(i => i.Name)];
        _outputNames = [.. model.Manifest.Outputs.Select(o => o.Name)];
        _inputRowShapes = [.. model.Manifest.Inputs.Select(i => i.RowShape())];
        _inputRowLengths = [.. model.Manifest.Inputs.Select(i => i.RowLength())];
        _outputRowLengths = [.. model.Manifest.Outputs.Select(o => o.RowLength())];
    }

    public RegisteredModel Model { get; }

    public ModelManifest Manifest => Model.Manifest;

    /// <summary><c>CUDA</c> or <c>CPU</c>: where this session runs.</summary>
    public string ExecutionProvider { get; }

    public IReadOnlyList<string> InputNames => _inputNames;

    public IReadOnlyList<string> OutputNames => _outputNames;

    /// <summary>Values per case of each output, in manifest order.</summary>
    public IReadOnlyList<int> OutputRowLengths => _outputRowLengths;

    /// <summary>Values per case of each input, in manifest order.</summary>
    public IReadOnlyList<int> InputRowLengths => _inputRowLengths;

    public static OnnxModel Load(RegisteredModel model, OnnxRuntimeOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxRuntimeOptions();
        options.Validate();
        var verification = ModelRegistry.Verify(model);
        if (!verification.Valid)
        {
            throw new ModelIntegrityException($"{model.Id} refused: {string.Join("; ", verification.Problems)}");
        }

        var bytes = File.ReadAllBytes(model.ModelPath);
        var session = CreateSession(bytes, options, logger, out var provider);
        try
        {
            CheckContract(model.Manifest, session);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        return new OnnxModel(model, session, provider);
    }

    /// <summary>
    /// Runs a batch of <paramref name="batch"/> cases. <paramref name="inputs"/> holds one array per manifest input,
    /// each <c>batch × row length</c> values, row-major; the result holds one array per manifest output.
    /// </summary>
    public float[][] Run(int batch, IReadOnlyList<float[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (inputs.Count != _inputNames.Length)
        {
            throw new ArgumentException($"{Model.Id} takes {_inputNames.Length} inputs, got {inputs.Count}", nameof(inputs));
        }

        var values = new OrtValue[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                if (inputs[i].Length != batch * _inputRowLengths[i])
                {
                    throw new ArgumentException($"{Model.Id} input '{_inputNames[i]}' needs {batch} × {_inputRowLengths[i]} values, got {inputs[i].Length}", nameof(inputs));
                }

                long[] shape = [batch, .. _inputRowShapes[i].Select(d => (long)d)];
                values[i] = OrtValue.CreateTensorValueFromMemory(inputs[i], shape);
            }

            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, _inputNames, values, _outputNames);
            var results = new float[_outputNames.Length][];
            var index = 0;
            foreach (var output in outputs)
            {
                var data = output.GetTensorDataAsSpan<float>();
                if (data.Length != batch * _outputRowLengths[index])
                {
                    throw new ModelContractException($"{Model.Id} output '{_outputNames[index]}' has {data.Length} values, the manifest says {batch} × {_outputRowLengths[index]}");
                }

                results[index++] = data.ToArray();
            }

            return results;
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }
        }
    }

    public void Dispose() => _session.Dispose();

    private static InferenceSession CreateSession(byte[] model, OnnxRuntimeOptions options, ILogger? logger, out string provider)
    {
        if (options.PreferCuda && !s_cudaUnavailable)
        {
            // ONNX Runtime logs a failed provider load at ERROR on its own logger: quiet it for the probe (we log the
            // fall-back once ourselves) and remember the failure, so later models do not try again.
            lock (CudaProbe)
            {
                SessionOptions? cuda = null;
                var environment = OrtEnv.Instance();
                var level = environment.EnvLogLevel;
                try
                {
                    environment.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
                    cuda = BaseOptions(options);
                    cuda.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                    var session = new InferenceSession(model, cuda);
                    provider = "CUDA";
                    return session;
                }
                catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
                {
                    s_cudaUnavailable = true;
                    if (Interlocked.Exchange(ref s_cudaFallbackLogged, 1) == 0)
                    {
                        logger?.LogWarning("CUDA execution provider unavailable ({Reason}); models run on the CPU", ex.GetType().Name + ": " + FirstLine(ex.Message));
                    }
                }
                finally
                {
                    environment.EnvLogLevel = level;
                    cuda?.Dispose();
                }
            }
        }

        using var cpu = BaseOptions(options);
        provider = "CPU";
        return new InferenceSession(model, cpu);
    }

    private static SessionOptions BaseOptions(OnnxRuntimeOptions options)
    {
        var session = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.IntraOpThreads > 0 ? options.IntraOpThreads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        return session;
    }

    private static void CheckContract(ModelManifest manifest, InferenceSession session)
    {
        static void Compare(string what, IReadOnlyList<TensorSpec> declared, IReadOnlyDictionary<string, NodeMetadata> actual, string id)
        {
            if (declared.Count != actual.Count || declared.Any(d => !actual.ContainsKey(d.Name)))
            {
                throw new ModelContractException($"{id}: the model's {what} ({string.Join(", ", actual.Keys)}) are not the manifest's ({string.Join(", ", declared.Select(d => d.Name))})");
            }

            foreach (var spec in declared)
            {
                var node = actual[spec.Name];
                if (node.ElementDataType != TensorElementType.Float || spec.DataType != "float32")
                {
                    throw new ModelContractException($"{id}: {what} '{spec.Name}' must be float32");
                }

                var row = spec.RowShape();
                var dims = node.Dimensions;
                if (dims.Length != row.Length + 1 || row.Where((d, i) => dims[i + 1] > 0 && dims[i + 1] != d).Any())
                {
                    throw new ModelContractException($"{id}: {what} '{spec.Name}' has shape [{string.Join(", ", dims)}] in the model, the manifest says [batch, {string.Join(", ", row)}]");
                }
            }
        }

        Compare("inputs", manifest.Inputs, session.InputMetadata, manifest.Id);
        Compare("outputs", manifest.Outputs, session.OutputMetadata, manifest.Id);
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
