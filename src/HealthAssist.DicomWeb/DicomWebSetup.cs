using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace HealthAssist.DicomWeb;

/// <summary>Registers <see cref="DicomWebClient"/> as a typed HttpClient with its resilience pipeline.</summary>
public static class DicomWebSetup
{
    /// <summary>The name of the resilience pipeline (it appears in Polly's telemetry).</summary>
    public const string ResiliencePipelineName = "dicomweb";

    /// <summary>
    /// Adds <see cref="DicomWebClient"/> with validated <see cref="DicomWebOptions"/> and, around every request, from the
    /// outside in: a total timeout; retries of GETs after transient failures (5xx, 408, 429, connection errors, attempt
    /// timeouts) with exponential backoff and jitter, honouring Retry-After; a circuit breaker; a per-attempt timeout.
    /// Without the default HttpClient logs: they would write URLs holding UIDs (see <see cref="DicomWebClient.RouteOption"/>).
    /// Returns the client builder, so a caller can add handlers (or a test can swap the primary handler).
    /// </summary>
    public static IHttpClientBuilder AddDicomWebClient(this IServiceCollection services, Action<DicomWebOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<DicomWebOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DicomWebOptions>, DicomWebOptionsValidator>());

        var builder = services.AddHttpClient<DicomWebClient>(client =>
        {
            // Deadlines come from the pipeline below and from DicomWebClient itself, which also bounds reading the body.
            client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        })
        .RemoveAllLoggers(); // the default HttpClient logs write each URL, and DICOMweb URLs hold the study's UIDs

        builder.AddResilienceHandler(ResiliencePipelineName, static (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<DicomWebOptions>>().Value;
            pipeline.AddTimeout(options.Timeout);
            if (options.MaxRetryAttempts > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetryAttempts,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    MaxDelay = options.Timeout,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = static args => ValueTask.FromResult(
                        args.Context.GetRequestMessage()?.Method == HttpMethod.Get
                        && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                });
            }

            pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.CircuitBreakDuration,
            });
            pipeline.AddTimeout(options.AttemptTimeout);
        });

        return builder;
    }
}
