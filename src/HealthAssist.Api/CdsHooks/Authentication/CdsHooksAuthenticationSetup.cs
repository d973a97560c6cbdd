using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HealthAssist.Api.CdsHooks.Authentication;

/// <summary>
/// Registers CDS Hooks request authentication. It is separate from the JwtBearer scheme: the EHR signs these tokens with
/// its own key, not our identity provider, so the CDS Hooks endpoint calls <see cref="CdsHooksTokenValidator"/> itself.
/// </summary>
public static class CdsHooksAuthenticationSetup
{
    /// <summary>Time limit for fetching a JWK Set, retries included.</summary>
    public static readonly TimeSpan JwksRequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Time limit for one attempt at fetching a JWK Set.</summary>
    public static readonly TimeSpan JwksAttemptTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Binds <see cref="CdsHooksAuthOptions"/> from <c>CdsHooks</c> and validates them at start; adds the replay cache,
    /// <see cref="HttpJwksSource"/> on the named HttpClient <c>cds-jwks</c> (standard resilience handler; no redirects: a
    /// JWK Set is read only from the configured URL), and the validator, all singletons.
    /// </summary>
    public static void AddCdsHooksAuthentication(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<CdsHooksAuthOptions>().BindConfiguration(CdsHooksAuthOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CdsHooksAuthOptions>, CdsHooksAuthOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CdsTokenReplayCache>();

        // JWK Sets are fetched while an EHR waits on a hook call: short deadlines, few retries, and a circuit breaker so an
        // unreachable EHR key endpoint fails fast (a cached set is still served by HttpJwksSource meanwhile).
        services.AddHttpClient(HttpJwksSource.HttpClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline's total timeout governs
                client.MaxResponseContentBufferSize = HttpJwksSource.MaximumResponseBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddStandardResilienceHandler(static resilience =>
            {
                resilience.TotalRequestTimeout.Timeout = JwksRequestTimeout;
                resilience.AttemptTimeout.Timeout = JwksAttemptTimeout;
                resilience.Retry.MaxRetryAttempts = 2;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
            });

        services.TryAddSingleton<IJwksSource, HttpJwksSource>();
        services.TryAddSingleton(sp => new CdsHooksTokenValidator(
            sp.GetRequiredService<IOptions<CdsHooksAuthOptions>>(),
            sp.GetRequiredService<IJwksSource>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<CdsTokenReplayCache>()));
    }

    /// <summary>Stops start-up with every problem <see cref="CdsHooksAuthOptions.Validate"/> finds.</summary>
    private sealed class CdsHooksAuthOptionsValidator : IValidateOptions<CdsHooksAuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, CdsHooksAuthOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
