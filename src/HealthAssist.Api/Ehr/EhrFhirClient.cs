using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace HealthAssist.Api.Ehr;

/// <summary>An answer of the EHR: its status, media type and, for a success, its body (bounded).</summary>
internal sealed record EhrAnswer(HttpStatusCode Status, string? MediaType, ReadOnlyMemory<byte> Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>
/// GETs from the EHR FHIR server through the named HttpClient <see cref="HttpClientName"/> (standard resilience
/// pipeline: total timeout, retries with jitter, circuit breaker, attempt timeout). Any HTTP answer comes back as an
/// <see cref="EhrAnswer"/> for the caller to judge; not getting one is an <see cref="EhrUnavailableException"/>.
/// Bodies are read under <see cref="EhrOptions.Timeout"/> and refused past their limit while they stream in. Only the
/// caller's route template ("Patient/{id}/$everything") is logged or traced, never the URL, which holds the patient id.
/// </summary>
internal sealed partial class EhrFhirClient
{
    public const string HttpClientName = "ehr-fhir";

    /// <summary>The route template of a request ("Patient/{id}"), for telemetry that must not see its URL.</summary>
    internal static readonly HttpRequestOptionsKey<string> RouteOption = new("HealthAssist.Ehr.Route");
    private const int ReadChunkBytes = 81920;

    private readonly HttpClient _http;
    private readonly EhrOptions _options;
    private readonly ILogger _logger;

    public EhrFhirClient(IHttpClientFactory httpClientFactory, IOptions<EhrOptions> options, ILogger<EhrFhirClient> logger)
    {
        _http = httpClientFactory.CreateClient(HttpClientName);
        _options = options.Value;
        _logger = logger;
        BaseAddress = _options.BaseAddress;
    }

    /// <summary><see cref="EhrOptions.FhirBaseUrl"/> with a final slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Whether <paramref name="uri"/> lies on the EHR FHIR server, beneath its base (same scheme, host, port, path prefix).</summary>
    public bool IsOnServer(Uri uri) =>
        uri.IsAbsoluteUri
        && string.Equals(uri.Scheme, BaseAddress.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IdnHost, BaseAddress.IdnHost, StringComparison.OrdinalIgnoreCase)
        && uri.Port == BaseAddress.Port
        && string.IsNullOrEmpty(uri.UserInfo)
        && (uri.AbsolutePath.StartsWith(BaseAddress.AbsolutePath, StringComparison.Ordinal)
            || uri.AbsolutePath == BaseAddress.AbsolutePath.TrimEnd('/')); // paging links such as [base]?_getpages=…

    public async Task<EhrAnswer> GetAsync(Uri uri, string accept, string route, long maxBytes, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            request.Options.Set(RouteOption, route);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var answer = response.IsSuccessStatusCode
                ? new EhrAnswer(response.StatusCode, mediaType, await ReadBoundedAsync(response.Content, maxBytes, deadline.Token))
                : new EhrAnswer(response.StatusCode, mediaType, ReadOnlyMemory<byte>.Empty);
            LogAnswer(_logger, route, (int)answer.Status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return answer;
        }
        catch (Exception ex) when (Classify(ex, cancellationToken) is { } failure)
        {
            LogFailure(_logger, route, failure.Reason, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw failure;
        }
    }

    /// <summary>The unavailability an exception of the HTTP stack means; null for the caller's own cancellation and for bugs.</summary>
    private static EhrUnavailableException? Classify(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        EhrUnavailableException known => known,
        TimeoutRejectedException or OperationCanceledException => EhrFailures.Timeout(ex),
        BrokenCircuitException => EhrFailures.CircuitOpen(ex),
        HttpRequestException or IOException => EhrFailures.Unreachable(ex),
        _ => null,
    };

    /// <summary>Reads the body into one buffer, refusing it as soon as it passes <paramref name="limit"/> bytes.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(HttpContent content, long limit, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > limit)
        {
            throw EhrFailures.TooLarge(limit);
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream((int)Math.Min(content.Headers.ContentLength ?? ReadChunkBytes, limit));
        var chunk = new byte[ReadChunkBytes];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw EhrFailures.TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Debug, Message = "EHR FHIR GET {Route} answered {Status} in {ElapsedMs:F0} ms")]
    private static partial void LogAnswer(ILogger logger, string route, int status, double elapsedMs);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "EHR FHIR GET {Route} failed ({Reason}) after {ElapsedMs:F0} ms")]
    private static partial void LogFailure(ILogger logger, string route, string reason, double elapsedMs);
}

/// <summary>The unavailability exceptions, each with a fixed message and a short reason for warnings.</summary>
internal static class EhrFailures
{
    public static EhrUnavailableException Timeout(Exception? inner = null) =>
        new(504, "The EHR FHIR server did not answer in time.", inner) { Reason = "timeout" };

    public static EhrUnavailableException CircuitOpen(Exception? inner = null) =>
        new(503, "The EHR FHIR server failed repeatedly; calls to it are paused for a while.", inner) { Reason = "the EHR is failing repeatedly" };

    public static EhrUnavailableException Unreachable(Exception? inner = null) =>
        new(502, "The EHR FHIR server could not be reached.", inner) { Reason = "the EHR could not be reached" };

    public static EhrUnavailableException TooLarge(long limit) =>
        new(502, string.Create(CultureInfo.InvariantCulture, $"The EHR FHIR server's answer exceeds the limit of {limit} bytes."))
        {
            Reason = string.Create(CultureInfo.InvariantCulture, $"larger than {limit} bytes"),
        };

    public static EhrUnavailableException Invalid(string what) =>
        new(502, $"The EHR FHIR server's answer is not usable: {what}.") { Reason = what };

    /// <summary>An error status the record cannot do without: 503 for overload, 504 for timeouts, else 502.</summary>
    public static EhrUnavailableException Status(HttpStatusCode status)
    {
        var code = (int)status;
        var mapped = code switch
        {
            503 or 429 => 503,
            504 or 408 => 504,
            _ => 502,
        };
        var what = code is 401 or 403 ? "refused HealthAssist's credentials" : "answered";
        return new(mapped, string.Create(CultureInfo.InvariantCulture, $"The EHR FHIR server {what} {code} ({status})."))
        {
            Reason = string.Create(CultureInfo.InvariantCulture, $"the EHR answered {code}"),
        };
    }
}
