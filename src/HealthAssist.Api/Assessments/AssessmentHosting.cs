using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Threading.RateLimiting;
using HealthAssist.Api.Configuration;
using HealthAssist.Api.Models;
using HealthAssist.Encode.Registry;
using HealthAssist.Fuse;
using HealthAssist.Pipeline;
using HealthAssist.Record.Assessments;
using HealthAssist.Security;
using HealthAssist.Storage.Inputs;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace HealthAssist.Api.Assessments;

public sealed class AssessmentOptions
{
    public const string Section = "Assessments";

    /// <summary>Largest <c>$assess</c> body: a record with a radiograph and two recordings, base64, fits in 64 MiB.</summary>
    [Range(1024, 1L << 31)]
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Assessments run at once; the rest queue (the inference CPU is the scarce resource). Default: the CPU count.</summary>
    [Range(0, 1024)]
    public int MaxConcurrent { get; set; }

    /// <summary>Assessments waiting for a slot before further ones get 503 with Retry-After.</summary>
    [Range(0, 10_000)]
    public int QueueLimit { get; set; } = 64;

    /// <summary>Where de-identified inputs are stored, encrypted (may contain <c>{DataDirectory}</c>).</summary>
    [Required]
    public string InputsDirectory { get; set; } = "{DataDirectory}/inputs";
}

/// <summary>The models are not being served (missing, or failed verification): assessments answer 503.</summary>
public sealed class ModelsUnavailableException(string message) : Exception(message);

/// <summary>
/// The pipeline's shared parts, built once on first use from the served model: the de-identifier, the input builder
/// (with the served model's input specification) and the batching predictor that gathers concurrent requests.
/// </summary>
public sealed class PipelineServices(ModelServing serving, KeyRing keys) : IAsyncDisposable
{
    private readonly Lazy<PipelineParts?> _parts = new(() =>
    {
        if (serving.Model is not { } model)
        {
            return null;
        }

        var folder = ModelDirectory.Locate(serving.Options.Path);
        var (deidentifier, inputs) = PipelineData.Load(folder, keys.DeploymentSecret, model.Specification);
        return new PipelineParts(deidentifier, inputs, model, new BatchingPredictor(model), TreatmentDrafting.TryLoad(folder));
    });

    public static string SoftwareVersion { get; } =
        typeof(PipelineServices).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public AssessmentPipeline Create(IInferenceRecorder recorder, TimeProvider time, ILogger<AssessmentPipeline> logger)
    {
        var parts = _parts.Value ?? throw new ModelsUnavailableException("The models are not being served: " + (serving.Problem ?? "not loaded") + ".");
        return new AssessmentPipeline(parts.Deidentifier, parts.Inputs, parts.Model, parts.Predictor, recorder, time, SoftwareVersion, logger, parts.Drafting);
    }

    public async ValueTask DisposeAsync()
    {
        if (_parts.IsValueCreated && _parts.Value is { } value)
        {
            await value.Predictor.DisposeAsync();
        }
    }

    public sealed record PipelineParts(Deidentify.CaseDeidentifier Deidentifier, Encode.Inputs.ModelInputBuilder Inputs, MultimodalModel Model, BatchingPredictor Predictor, TreatmentDrafting? Drafting);
}

public static class AssessmentHosting
{
    public const string InferencePolicy = "inference";

    public static void AddAssessments(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AssessmentOptions>().BindConfiguration(AssessmentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new EncryptedInputStore(
            sp.GetRequiredService<DataPaths>().Resolve(sp.GetRequiredService<IOptions<AssessmentOptions>>().Value.InputsDirectory),
            sp.GetRequiredService<KeyRing>().DeploymentSecret));
        builder.Services.AddSingleton<PipelineServices>();
        builder.Services.AddScoped(sp => sp.GetRequiredService<PipelineServices>().Create(
            sp.GetRequiredService<IInferenceRecorder>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AssessmentPipeline>>()));
        builder.Services.AddHealthChecks().AddCheck<InputStoreReadyCheck>("input-store", tags: [Health.HealthEndpoints.ReadyTag]);

        // A concurrency limiter protects the inference CPU: a burst queues instead of slowing every request down.
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            options.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                return ValueTask.CompletedTask;
            };
            options.AddPolicy(InferencePolicy, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<AssessmentOptions>>().Value;
                return RateLimitPartition.GetConcurrencyLimiter("inference", _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = settings.MaxConcurrent > 0 ? settings.MaxConcurrent : Environment.ProcessorCount,
                    QueueLimit = settings.QueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                });
            });
        });
    }

    internal sealed class InputStoreReadyCheck(EncryptedInputStore store) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(store.IsWritable(out var problem) ? HealthCheckResult.Healthy("input store writable") : HealthCheckResult.Unhealthy(problem));
    }
}
