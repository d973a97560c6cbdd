using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace HealthAssist.DicomWeb;

/// <summary>
/// A DICOMweb client for a PACS (PS3.18): QIDO-RS searches and WADO-RS retrieves. Register it with
/// <c>services.AddDicomWebClient(...)</c>, which puts timeouts, retries and a circuit breaker
/// around every request. UIDs are validated before they enter a URL; responses are bounded by
/// <see cref="DicomWebOptions.MaxResponseBytes"/> while they stream in; every failure is a <see cref="DicomWebException"/>.
/// </summary>
public sealed partial class DicomWebClient
{
    private const string DicomJson = "application/dicom+json";
    private const string Json = "application/json";
    private const string Dicom = "application/dicom";
    private const string OctetStream = "application/octet-stream";
    private const int ReadChunkBytes = 81920;

    /// <summary>
    /// Set on every request: its URL with each UID, frame list and query replaced by a placeholder. UIDs name a patient's
    /// study in the PACS, so telemetry that would record the URL (client spans) takes this instead.
    /// </summary>
    public static readonly HttpRequestOptionsKey<DicomWebRoute> RouteOption = new("HealthAssist.DicomWeb.Route");

    private readonly HttpClient _httpClient;
    private readonly DicomWebOptions _options;
    private readonly Uri _baseAddress;
    private readonly ILogger _logger;

    public DicomWebClient(HttpClient httpClient, IOptions<DicomWebOptions> options, ILogger<DicomWebClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _httpClient = httpClient;
        _options = options.Value;
        _logger = logger ?? NullLogger<DicomWebClient>.Instance;
        _baseAddress = WithFinalSlash(_options.BaseAddress ?? throw new InvalidOperationException("DicomWeb:BaseAddress is not configured."));
    }

    /// <summary>QIDO-RS <c>GET studies</c>: the matching studies as DICOM JSON datasets.</summary>
    public Task<IReadOnlyList<JsonElement>> SearchStudiesAsync(DicomWebQuery? query = null, CancellationToken cancellationToken = default) =>
        GetJsonAsync(DicomWebQuery.Join("studies", query), cancellationToken);

    /// <summary>QIDO-RS <c>GET studies/{study}/series</c>.</summary>
    public Task<IReadOnlyList<JsonElement>> SearchSeriesAsync(string studyInstanceUid, DicomWebQuery? query = null, CancellationToken cancellationToken = default) =>
        GetJsonAsync(DicomWebQuery.Join($"studies/{Uid(studyInstanceUid)}/series", query), cancellationToken);

    /// <summary>QIDO-RS <c>GET studies/{study}[/series/{series}]/instances</c>.</summary>
    public Task<IReadOnlyList<JsonElement>> SearchInstancesAsync(
        string studyInstanceUid, string? seriesInstanceUid = null, DicomWebQuery? query = null, CancellationToken cancellationToken = default)
    {
        var path = seriesInstanceUid is null
            ? $"studies/{Uid(studyInstanceUid)}/instances"
            : $"studies/{Uid(studyInstanceUid)}/series/{Uid(seriesInstanceUid)}/instances";
        return GetJsonAsync(DicomWebQuery.Join(path, query), cancellationToken);
    }

    /// <summary>WADO-RS metadata of a study, a series or an instance: DICOM JSON datasets without bulk data.</summary>
    public Task<IReadOnlyList<JsonElement>> RetrieveMetadataAsync(
        string studyInstanceUid, string? seriesInstanceUid = null, string? sopInstanceUid = null, CancellationToken cancellationToken = default)
    {
        if (sopInstanceUid is not null && seriesInstanceUid is null)
        {
            throw new ArgumentException("An instance's metadata needs its series UID too.", nameof(seriesInstanceUid));
        }

        return GetJsonAsync($"{ResourcePath(studyInstanceUid, seriesInstanceUid, sopInstanceUid)}/metadata", cancellationToken);
    }

    /// <summary>
    /// WADO-RS instance retrieve: the Part 10 file of each part (normally one). Without <paramref name="transferSyntaxUid"/>
    /// the server sends its default, Explicit VR Little Endian, transcoding when it stored something else; "*" asks for
    /// the file as stored; a UID asks for that transfer syntax.
    /// </summary>
    public Task<IReadOnlyList<ReadOnlyMemory<byte>>> RetrieveInstanceAsync(
        string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, string? transferSyntaxUid = null, CancellationToken cancellationToken = default)
    {
        var path = ResourcePath(studyInstanceUid, seriesInstanceUid, sopInstanceUid);
        var accept = $"multipart/related; type=\"{Dicom}\"{TransferSyntaxParameter(transferSyntaxUid)}";
        return SendAsync(path, accept, async (response, uri, token) =>
        {
            var (parts, rootType) = await ReadMultipartAsync(response, uri, token);
            if (rootType is not null && !IsMediaType(rootType, Dicom))
            {
                throw Invalid(uri, "The multipart/related type is not application/dicom.");
            }

            if (parts.Any(p => !IsMediaType(p.ContentType, Dicom)))
            {
                throw Invalid(uri, "A part of the instance retrieve is not application/dicom.");
            }

            return (IReadOnlyList<ReadOnlyMemory<byte>>)[.. parts.Select(p => p.Content)];
        }, cancellationToken);
    }

    /// <summary>
    /// WADO-RS frames retrieve: the pixel data of each requested frame (1-based), in the order asked for. By default
    /// ("*") frames come in the transfer syntax they are stored in (encoded frames as image/jpeg, image/dicom-rle…);
    /// a native transfer syntax UID, e.g. Explicit VR Little Endian, asks the server to decode them.
    /// </summary>
    public Task<IReadOnlyList<DicomWebFrame>> RetrieveFramesAsync(
        string studyInstanceUid,
        string seriesInstanceUid,
        string sopInstanceUid,
        IReadOnlyList<int> frameNumbers,
        string transferSyntaxUid = "*",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frameNumbers);
        if (frameNumbers.Count == 0 || frameNumbers.Any(n => n < 1))
        {
            throw new ArgumentException("Frame numbers start at 1; ask for at least one.", nameof(frameNumbers));
        }

        var list = string.Join(',', frameNumbers.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        var path = $"{ResourcePath(studyInstanceUid, seriesInstanceUid, sopInstanceUid)}/frames/{list}";
        var accept = $"multipart/related; type=\"{OctetStream}\"{TransferSyntaxParameter(transferSyntaxUid)}";
        return SendAsync(path, accept, async (response, uri, token) =>
        {
            var (parts, rootType) = await ReadMultipartAsync(response, uri, token);
            if (parts.Count != frameNumbers.Count)
            {
                throw Invalid(uri, $"The frames retrieve returned {parts.Count} parts for {frameNumbers.Count} frames.");
            }

            // The transfer syntax is named on each part or, for all of them, in the message's type parameter.
            var rootTransferSyntax = TransferSyntaxOf(rootType, uri);
            var frames = new List<DicomWebFrame>(parts.Count);
            for (var i = 0; i < parts.Count; i++)
            {
                var mediaType = parts[i].ContentType.MediaType ?? string.Empty;
                if (!IsMediaType(parts[i].ContentType, OctetStream)
                    && !mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
                    && !mediaType.StartsWith("video/", StringComparison.OrdinalIgnoreCase))
                {
                    throw Invalid(uri, "A frame part is neither application/octet-stream nor an image or video media type.");
                }

                frames.Add(new DicomWebFrame(frameNumbers[i], mediaType, TransferSyntaxOf(parts[i].ContentType, uri) ?? rootTransferSyntax, parts[i].Content));
            }

            return (IReadOnlyList<DicomWebFrame>)frames;
        }, cancellationToken);
    }

    private Task<IReadOnlyList<JsonElement>> GetJsonAsync(string relativeUri, CancellationToken cancellationToken) =>
        SendAsync(relativeUri, DicomJson, async (response, uri, token) =>
        {
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return (IReadOnlyList<JsonElement>)[];
            }

            var contentType = response.Content.Headers.ContentType;
            if (contentType is null || !(IsMediaType(contentType, DicomJson) || IsMediaType(contentType, Json)))
            {
                throw Invalid(uri, "The response is not application/dicom+json.");
            }

            var body = await ReadBoundedAsync(response.Content, uri, token);
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind != JsonValueKind.Array)
                {
                    throw Invalid(uri, "The DICOM JSON response is not an array of datasets.");
                }

                // Cloned so that the elements outlive the document.
                var root = document.RootElement.Clone();
                return (IReadOnlyList<JsonElement>)[.. root.EnumerateArray()];
            }
            catch (JsonException ex)
            {
                throw Invalid(uri, "The response is not valid JSON.", ex.GetType().Name);
            }
        }, cancellationToken);

    /// <summary>
    /// Sends one GET through the resilience pipeline and hands the successful response to <paramref name="read"/>.
    /// The whole call, body included, runs under <see cref="DicomWebOptions.Timeout"/>.
    /// </summary>
    private async Task<T> SendAsync<T>(
        string relativeUri, string accept, Func<HttpResponseMessage, Uri, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        // Logged by route template only (the default HttpClient logs are removed): URLs hold the study's UIDs.
        var template = Template(relativeUri);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await SendCoreAsync(relativeUri, template, accept, read, cancellationToken);
            LogAnswer(_logger, template, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return result;
        }
        catch (DicomWebException ex)
        {
            LogFailure(_logger, template, ex.Failure, ex.StatusCode is { } status ? (int)status : null, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    private async Task<T> SendCoreAsync<T>(
        string relativeUri, string template, string accept, Func<HttpResponseMessage, Uri, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var uri = new Uri(_baseAddress, relativeUri);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            request.Options.Set(RouteOption, new DicomWebRoute(template, _baseAddress.AbsoluteUri + template));
            using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                throw new DicomWebException(
                    DicomWebFailure.HttpStatus,
                    uri.AbsolutePath,
                    response.StatusCode,
                    string.Create(CultureInfo.InvariantCulture, $"DICOMweb GET {uri.AbsolutePath} answered {status} ({response.StatusCode})."));
            }

            return await read(response, uri, deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure(DicomWebFailure.Timeout, uri, $"did not complete within {_options.Timeout}", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw Failure(DicomWebFailure.Timeout, uri, "timed out", ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw Failure(DicomWebFailure.CircuitOpen, uri, "was not sent: the circuit is open after repeated failures", ex);
        }
        catch (HttpRequestException ex)
        {
            throw Failure(DicomWebFailure.Network, uri, "failed to connect or broke off", ex);
        }
        catch (IOException ex)
        {
            throw Failure(DicomWebFailure.Network, uri, "broke off while reading the response", ex);
        }
    }

    /// <summary>The parts of a multipart/related response and the media type its <c>type</c> parameter names, if any.</summary>
    private async Task<(IReadOnlyList<MultipartPart> Parts, MediaTypeHeaderValue? RootType)> ReadMultipartAsync(
        HttpResponseMessage response, Uri uri, CancellationToken cancellationToken)
    {
        var contentType = response.Content.Headers.ContentType;
        string boundary;
        MediaTypeHeaderValue? rootType;
        try
        {
            boundary = MultipartRelated.GetBoundary(contentType);
            rootType = MultipartRelated.GetRootType(contentType);
        }
        catch (InvalidDataException ex)
        {
            throw Invalid(uri, ex.Message);
        }

        var body = await ReadBoundedAsync(response.Content, uri, cancellationToken);
        try
        {
            return (MultipartRelated.Parse(body, boundary), rootType);
        }
        catch (InvalidDataException ex)
        {
            throw Invalid(uri, ex.Message);
        }
    }

    /// <summary>
    /// Reads the body into one buffer, refusing it as soon as it passes <see cref="DicomWebOptions.MaxResponseBytes"/>
    /// (at once when a larger Content-Length is declared), so an oversized response is never held whole.
    /// </summary>
    private async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(HttpContent content, Uri uri, CancellationToken cancellationToken)
    {
        var limit = _options.MaxResponseBytes;
        var declared = content.Headers.ContentLength;
        if (declared > limit)
        {
            throw TooLarge(uri);
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[(int)Math.Min(declared ?? ReadChunkBytes, limit)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                // Full at the limit or at the declared length: one more byte decides between the end and too large.
                if (length == limit || length == declared)
                {
                    var probe = new byte[1];
                    if (await stream.ReadAsync(probe, cancellationToken) == 0)
                    {
                        break;
                    }

                    if (length == limit)
                    {
                        throw TooLarge(uri);
                    }

                    Array.Resize(ref buffer, Grow(buffer.Length, limit));
                    buffer[length++] = probe[0];
                    continue;
                }

                Array.Resize(ref buffer, Grow(buffer.Length, limit));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return buffer.AsMemory(0, length);
    }

    private static int Grow(int size, long limit) => (int)Math.Min(Math.Max(2L * size, ReadChunkBytes), limit);

    private static string? TransferSyntaxOf(MediaTypeHeaderValue? mediaType, Uri uri)
    {
        var value = mediaType is null ? null : MultipartRelated.Unquote(MultipartRelated.Parameter(mediaType, "transfer-syntax"));
        if (value is null or "*")
        {
            return null;
        }

        return DicomWebUid.IsValid(value) ? value : throw Invalid(uri, "A part names a transfer syntax that is not a UID.");
    }

    /// <summary>"studies/{study}/series/{series}/instances/{instance}/frames/{frames}", "studies?{query}": no UID, no query value.</summary>
    internal static string Template(string relativeUri)
    {
        var query = relativeUri.IndexOf('?', StringComparison.Ordinal);
        var segments = (query < 0 ? relativeUri : relativeUri[..query]).Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            segments[i] = segments[i - 1] switch
            {
                "studies" => "{study}",
                "series" => "{series}",
                "instances" => "{instance}",
                "frames" => "{frames}",
                _ => segments[i],
            };
        }

        return string.Join('/', segments) + (query < 0 ? string.Empty : "?{query}");
    }

    private static string ResourcePath(string studyInstanceUid, string? seriesInstanceUid, string? sopInstanceUid)
    {
        var path = $"studies/{Uid(studyInstanceUid)}";
        if (seriesInstanceUid is not null)
        {
            path += $"/series/{Uid(seriesInstanceUid)}";
            if (sopInstanceUid is not null)
            {
                path += $"/instances/{Uid(sopInstanceUid)}";
            }
        }

        return path;
    }

    private static string TransferSyntaxParameter(string? transferSyntaxUid) => transferSyntaxUid switch
    {
        null => string.Empty,
        "*" => "; transfer-syntax=*",
        _ => $"; transfer-syntax={DicomWebUid.Require(transferSyntaxUid, nameof(transferSyntaxUid))}",
    };

    private static string Uid(string? uid, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(uid))] string parameterName = "") =>
        DicomWebUid.Require(uid, parameterName);

    private static bool IsMediaType(MediaTypeHeaderValue contentType, string mediaType) =>
        string.Equals(contentType.MediaType, mediaType, StringComparison.OrdinalIgnoreCase);

    private static Uri WithFinalSlash(Uri address) =>
        address.AbsolutePath.EndsWith('/') ? address : new UriBuilder(address) { Path = address.AbsolutePath + "/" }.Uri;

    private DicomWebException TooLarge(Uri uri) => new(
        DicomWebFailure.ResponseTooLarge,
        uri.AbsolutePath,
        null,
        string.Create(CultureInfo.InvariantCulture, $"DICOMweb GET {uri.AbsolutePath} was refused: the response exceeds {_options.MaxResponseBytes} bytes (DicomWeb:MaxResponseBytes)."));

    private static DicomWebException Invalid(Uri uri, string reason, string? detail = null) => new(
        DicomWebFailure.InvalidResponse,
        uri.AbsolutePath,
        null,
        $"DICOMweb GET {uri.AbsolutePath} returned an invalid response: {reason}{(detail is null ? string.Empty : $" ({detail})")}");

    private static DicomWebException Failure(DicomWebFailure failure, Uri uri, string what, Exception inner) =>
        new(failure, uri.AbsolutePath, null, $"DICOMweb GET {uri.AbsolutePath} {what}.", inner);

    [LoggerMessage(EventId = 7201, Level = LogLevel.Debug, Message = "DICOMweb GET {Route} answered in {ElapsedMs:F0} ms")]
    private static partial void LogAnswer(ILogger logger, string route, double elapsedMs);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "DICOMweb GET {Route} failed ({Failure}, HTTP {Status}) after {ElapsedMs:F0} ms")]
    private static partial void LogFailure(ILogger logger, string route, DicomWebFailure failure, int? status, double elapsedMs);
}
