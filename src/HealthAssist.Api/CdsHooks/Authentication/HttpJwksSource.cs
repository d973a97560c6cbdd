using System.Collections.Concurrent;
using System.Net;
using Microsoft.IdentityModel.Tokens;

namespace HealthAssist.Api.CdsHooks.Authentication;

/// <summary>
/// Fetches CDS clients' JWK Sets over HTTP (named client <see cref="HttpClientName"/>) and caches each for
/// <see cref="CacheDuration"/>. A refresh (a token named an unknown kid) refetches at most once per
/// <see cref="MinimumRefreshInterval"/> per URL, so tokens with made-up kids cannot turn into a stream of requests to the
/// client. Concurrent misses for one URL share a single request. When a refetch fails, the last good set is served.
/// </summary>
public sealed partial class HttpJwksSource(IHttpClientFactory httpClientFactory, TimeProvider time, ILogger<HttpJwksSource> logger) : IJwksSource
{
    public const string HttpClientName = "cds-jwks";

    /// <summary>The largest JWK Set accepted; real ones are a few kilobytes.</summary>
    public const int MaximumResponseBytes = 256 * 1024;

    public static readonly TimeSpan CacheDuration = TimeSpan.FromHours(1);

    public static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Uri, CacheSlot> _cache = new();

    public async Task<JsonWebKeySet> GetAsync(Uri url, bool refresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!CdsHooksAuthOptions.IsAcceptableKeyUrl(url.AbsoluteUri))
        {
            throw new ArgumentException("A JWK Set is fetched only from an https URL (http only for loopback).", nameof(url));
        }

        var slot = _cache.GetOrAdd(url, static _ => new CacheSlot());
        if (Fresh(slot.Entry, refresh) is { } cached)
        {
            return cached;
        }

        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(slot.Entry, refresh) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }

            try
            {
                var keys = await FetchAsync(url, cancellationToken);
                slot.Entry = new CacheEntry(keys, time.GetUtcNow());
                return keys;
            }
            catch (Exception ex) when (slot.Entry is { } stale && !cancellationToken.IsCancellationRequested
                && ex is HttpRequestException or ArgumentException or OperationCanceledException)
            {
                LogServingStale(logger, url.GetLeftPart(UriPartial.Path), ex.GetType().Name);
                return stale.Keys;
            }
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private JsonWebKeySet? Fresh(CacheEntry? entry, bool refresh)
    {
        if (entry is null)
        {
            return null;
        }

        var age = time.GetUtcNow() - entry.FetchedAt;
        var limit = refresh ? MinimumRefreshInterval : CacheDuration;
        return age < limit ? entry.Keys : null;
    }

    private async Task<JsonWebKeySet> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("application/jwk-set+json");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"The JWK Set request answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        if (response.Content.Headers.ContentLength > MaximumResponseBytes)
        {
            throw new HttpRequestException("The JWK Set is larger than accepted.");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaximumResponseBytes)
            {
                throw new HttpRequestException("The JWK Set is larger than accepted.");
            }

            buffer.Write(chunk, 0, read);
        }

        var json = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        var keys = new JsonWebKeySet(json); // ArgumentException when it is not a JWK Set
        LogFetched(logger, url.GetLeftPart(UriPartial.Path), keys.Keys.Count);
        return keys;
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Fetched the CDS client JWK Set {JwksUrl}: {KeyCount} keys")]
    private static partial void LogFetched(ILogger logger, string jwksUrl, int keyCount);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Could not refresh the CDS client JWK Set {JwksUrl} ({Error}); using the cached set")]
    private static partial void LogServingStale(ILogger logger, string jwksUrl, string error);

    private sealed record CacheEntry(JsonWebKeySet Keys, DateTimeOffset FetchedAt);

    private sealed class CacheSlot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public CacheEntry? Entry { get; set; }
    }
}
