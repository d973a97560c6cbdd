using HealthAssist.Api.Configuration;
using HealthAssist.Encode.Registry;
using HealthAssist.Encode.Runtime;
using HealthAssist.Fuse;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace HealthAssist.Api.Models;

/// <summary>
/// The configured fusion model and its encoders, loaded once and shared (ONNX Runtime sessions are thread-safe).
/// Loading verifies every file against its manifest; a model that fails is never served, the failure is logged once,
/// and the readiness check stays unhealthy, so an orchestrator keeps traffic away.
/// </summary>
public sealed class ModelServing : IDisposable
{
    private readonly Lazy<(MultimodalModel? Model, string? Problem)> _loaded;
    private readonly ModelsOptions _options;

    public ModelServing(IOptions<ModelsOptions> options, ILogger<ModelServing> logger)
    {
        _options = options.Value;
        _loaded = new Lazy<(MultimodalModel?, string?)>(() =>
        {
            try
            {
                var model = MultimodalModel.Load(Registry(), _options.Fusion, Runtime, logger);
                logger.LogInformation("Serving {Fusion} with {Encoders} encoders on {Provider}", model.Fusion.Id, model.Models.Count - 1, model.Models[^1].ExecutionProvider);
                return (model, null);
            }
            catch (Exception ex) when (ex is ModelContractException or ModelIntegrityException or DirectoryNotFoundException or IOException)
            {
                logger.LogError("Models not served: {Problem}", ex.Message);
                return (null, ex.Message);
            }
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public ModelsOptions Options => _options;

    public OnnxRuntimeOptions Runtime => new() { PreferCuda = _options.PreferCuda, CudaDeviceId = _options.CudaDeviceId, IntraOpThreads = _options.IntraOpThreads };

    /// <summary>The loaded model, or null with the reason it is not served.</summary>
    public MultimodalModel? Model => _loaded.Value.Model;

    public string? Problem => _loaded.Value.Problem;

    public ModelRegistry Registry() => ModelRegistry.Scan(ModelDirectory.Locate(_options.Path));

    public void Dispose()
    {
        if (_loaded.IsValueCreated)
        {
            _loaded.Value.Model?.Dispose();
        }
    }

    /// <summary>Ready when the model loaded and its files still hash to their manifests (checked each time: they are small).</summary>
    internal sealed class ReadyCheck(ModelServing serving) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (serving.Model is not { } model)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy(serving.Problem ?? "models not loaded"));
            }

            var registry = serving.Registry();
            var problems = model.Models
                .Select(use => ModelRegistry.Verify(registry.Find(use.Name, use.Version)))
                .Where(v => !v.Valid)
                .Select(v => $"{v.Id}: {string.Join("; ", v.Problems)}")
                .ToList();
            return Task.FromResult(problems.Count == 0
                ? HealthCheckResult.Healthy($"{model.Fusion.Id} and its encoders verified")
                : HealthCheckResult.Unhealthy(string.Join(" | ", problems)));
        }
    }
}
