using System.Net;
using System.Text;
using HealthAssist.Api.CdsHooks.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace HealthAssist.IntegrationTests.CdsHooks;

/// <summary><see cref="HttpJwksSource"/>: caching, throttled refreshes, stale-on-error, and what it refuses to fetch.</summary>
public sealed class CdsHooksJwtJwksSourceTests
{
    private static readonly Uri JwksUrl = new(TestEhr.JwksUrl);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));
    private readonly StubHandler _server = new();

    [Fact]
    public async Task KeySet_IsCached_AndRefreshesAreThrottled()
    {
        var source = Source();
        _server.Respond(TestEhr.Jwks());

        var first = await source.GetAsync(JwksUrl, refresh: false, default);
        await source.GetAsync(JwksUrl, refresh: false, default);
        await source.GetAsync(JwksUrl, refresh: true, default);
        Assert.Equal(1, _server.Requests);

        _time.Advance(HttpJwksSource.MinimumRefreshInterval);
        await source.GetAsync(JwksUrl, refresh: false, default);
        Assert.Equal(1, _server.Requests);
        await source.GetAsync(JwksUrl, refresh: true, default);
        Assert.Equal(2, _server.Requests);

        _time.Advance(HttpJwksSource.CacheDuration);
        await source.GetAsync(JwksUrl, refresh: false, default);
        Assert.Equal(3, _server.Requests);
        Assert.Contains(first.Keys, k => k.Kid == "rsa-1");
    }

    [Fact]
    public async Task ConcurrentMisses_ShareOneRequest()
    {
        var source = Source();
        _server.Respond(TestEhr.Jwks());

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => source.GetAsync(JwksUrl, refresh: false, default)));

        Assert.Equal(1, _server.Requests);
    }

    [Fact]
    public async Task FailedRefresh_ServesTheLastGoodSet()
    {
        var source = Source();
        _server.Respond(TestEhr.Jwks());
        await source.GetAsync(JwksUrl, refresh: false, default);
        _time.Advance(HttpJwksSource.CacheDuration);
        _server.Respond("", HttpStatusCode.ServiceUnavailable);

        var keys = await source.GetAsync(JwksUrl, refresh: false, default);

        Assert.Contains(keys.Keys, k => k.Kid == "rsa-1");
        Assert.Equal(2, _server.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "{}")]
    [InlineData(HttpStatusCode.Found, "")]
    [InlineData(HttpStatusCode.OK, "<html>not a key set</html>")]
    public async Task BadResponse_WithNothingCached_Throws(HttpStatusCode status, string body)
    {
        _server.Respond(body, status);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Source().GetAsync(JwksUrl, refresh: false, default));

        Assert.True(error is HttpRequestException or ArgumentException, error.GetType().Name);
    }

    [Fact]
    public async Task OversizedKeySet_IsRefused()
    {
        _server.Respond("{\"keys\":[]," + new string(' ', HttpJwksSource.MaximumResponseBytes) + "\"x\":1}", chunked: true);

        await Assert.ThrowsAsync<HttpRequestException>(() => Source().GetAsync(JwksUrl, refresh: false, default));
    }

    [Theory]
    [InlineData("http://ehr.example.org/jwks.json")]
    [InlineData("file:///etc/passwd")]
    public async Task NonHttpsUrl_IsNeverFetched(string url)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Source().GetAsync(new Uri(url), refresh: false, default));

        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public async Task Validator_WithTheHttpSource_AcceptsATokenFromTheEhr()
    {
        _server.Respond(TestEhr.Jwks());
        var validator = new CdsHooksTokenValidator(Microsoft.Extensions.Options.Options.Create(TestEhr.Options()), Source(), _time);

        var result = await validator.ValidateAsync(
            TestToken.Bearer(TestToken.At(_time.GetUtcNow()).Sign(TestEhr.P384Key, SecurityAlgorithms.EcdsaSha384)), TestEhr.ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
        Assert.Equal(new Uri(TestEhr.JwksUrl), _server.LastUrl);
    }

    private HttpJwksSource Source() => new(new StubHttpClientFactory(_server), _time, NullLogger<HttpJwksSource>.Instance);

    private sealed class StubHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name)
        {
            Assert.Equal(HttpJwksSource.HttpClientName, name);
            return new HttpClient(handler, disposeHandler: false);
        }
    }

    private sealed class StubHandler : HttpMessageHandler
    {
        private string _body = "";
        private HttpStatusCode _status = HttpStatusCode.OK;
        private bool _chunked;
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        public Uri? LastUrl { get; private set; }

        public void Respond(string body, HttpStatusCode status = HttpStatusCode.OK, bool chunked = false) =>
            (_body, _status, _chunked) = (body, status, chunked);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            LastUrl = request.RequestUri;
            await Task.Delay(10, cancellationToken); // lets concurrent callers pile up
            var bytes = Encoding.UTF8.GetBytes(_body);
            HttpContent content = _chunked ? new UnknownLengthContent(bytes) : new ByteArrayContent(bytes);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return new HttpResponseMessage(_status) { Content = content };
        }
    }

    /// <summary>A body without Content-Length, so the size limit must hold while reading.</summary>
    private sealed class UnknownLengthContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
