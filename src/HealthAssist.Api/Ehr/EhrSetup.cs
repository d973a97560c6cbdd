using HealthAssist.DicomWeb;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.Http;
using Polly;

namespace HealthAssist.Api.Ehr;

public static class EhrSetup
{
    /// <summary>The DICOMweb configuration section the images come through (see <see cref="DicomWebOptions"/>).</summary>
    public const string DicomWebSection = "DicomWeb";

    /// <summary>
    /// Registers <see cref="IEhrCaseSource"/>. Without <c>Ehr:FhirBaseUrl</c> (the embedded default) the source refuses
    /// every pull with <see cref="EhrNotConfiguredException"/> and nothing is validated. With it, <see cref="EhrOptions"/>
    /// are validated on start and calls to the EHR go through the named HttpClient <c>ehr-fhir</c> with the standard
    /// resilience handler (total timeout, retries with exponential backoff and jitter, circuit breaker, attempt timeout)
    /// and without the default HttpClient logs, which would write URLs holding the patient id (for the same reason its
    /// client spans get the route template as url.full). Images come from the PACS
    /// under <c>DicomWeb</c> (its own resilient client); without <c>DicomWeb:BaseAddress</c> a pull says so in a warning.
    /// </summary>
    public static void AddEhrIntegration(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<EhrOptions>().BindConfiguration(EhrOptions.Section);
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{EhrOptions.Section}:{nameof(EhrOptions.FhirBaseUrl)}"]))
        {
            services.TryAddSingleton<IEhrCaseSource, UnconfiguredEhrCaseSource>();
            return;
        }

        services.AddOptions<EhrOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(EhrFhirClient.HttpClientName, client =>
            {
                // Deadlines come from the pipeline below and from EhrFhirClient, which also bounds reading the body.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .RemoveAllLoggers()
            .AddStandardResilienceHandler()
            .Configure(static (HttpStandardResilienceOptions resilience, IServiceProvider provider) =>
            {
                var options = provider.GetRequiredService<IOptions<EhrOptions>>().Value;
                resilience.TotalRequestTimeout.Timeout = options.Timeout;
                resilience.AttemptTimeout.Timeout = options.AttemptTimeout;
                resilience.Retry.BackoffType = DelayBackoffType.Exponential;
                resilience.Retry.UseJitter = true;
                resilience.Retry.Delay = options.RetryBaseDelay;
                resilience.Retry.MaxDelay = options.Timeout;
                resilience.Retry.MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts);
                if (options.MaxRetryAttempts == 0)
                {
                    resilience.Retry.ShouldHandle = static _ => ValueTask.FromResult(false);
                }

                resilience.CircuitBreaker.BreakDuration = options.CircuitBreakDuration;
                var sampling = 2 * options.AttemptTimeout;
                resilience.CircuitBreaker.SamplingDuration = sampling > TimeSpan.FromSeconds(30) ? sampling : TimeSpan.FromSeconds(30);
            });
        services.AddOptions<HttpClientTraceInstrumentationOptions>().PostConfigure<IOptions<EhrOptions>>(static (tracing, ehr) =>
        {
            // The runtime's client span carries url.full, path included: for EHR and PACS calls, the route template instead.
            var template = ehr.Value.BaseAddress.AbsoluteUri;
            var enrich = tracing.EnrichWithHttpRequestMessage;
            tracing.EnrichWithHttpRequestMessage = (activity, request) =>
            {
                enrich?.Invoke(activity, request);
                if (request.Options.TryGetValue(EhrFhirClient.RouteOption, out var route))
                {
                    activity.SetTag("url.full", template + route);
                    activity.SetTag("url.template", route);
                }
                else if (request.Options.TryGetValue(DicomWebClient.RouteOption, out var dicomWeb))
                {
                    activity.SetTag("url.full", dicomWeb.Url); // the PACS's URLs hold the study's UIDs
                    activity.SetTag("url.template", dicomWeb.Template);
                }
            };
        });
        services.TryAddTransient<EhrFhirClient>();
        services.TryAddTransient<IEhrCaseSource, EhrCaseSource>();

        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{DicomWebSection}:{nameof(DicomWebOptions.BaseAddress)}"])
            && !services.Any(d => d.ServiceType == typeof(DicomWebClient)))
        {
            services.AddOptions<DicomWebOptions>().BindConfiguration(DicomWebSection);
            services.AddDicomWebClient(static _ => { });
        }
    }
}
