using System.Text.Json;
using HealthAssist.Security;
using HealthAssist.Storage.Audit;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace HealthAssist.Api.Errors;

public static class ErrorResponses
{
    public static void AddErrorResponses(this WebApplicationBuilder builder)
    {
        // Registered before AddProblemDetails so that it is asked first: /fhir/* answers OperationOutcome.
        builder.Services.AddSingleton<IProblemDetailsWriter, OperationOutcomeWriter>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
        builder.Services.AddExceptionHandler<ExceptionToResponse>();
        // Minimal APIs throw for unreadable bodies so the handler below can say precisely what was wrong.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
    }

    public static void UseErrorResponses(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
    }
}

/// <summary>
/// The one place where exceptions become HTTP answers (ProblemDetails, or OperationOutcome on /fhir/* through
/// <see cref="OperationOutcomeWriter"/>). Messages of unexpected exceptions are never sent or logged verbatim,
/// since they may quote input.
/// </summary>
internal sealed partial class ExceptionToResponse(IProblemDetailsService problemDetails, ILogger<ExceptionToResponse> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // the client left; nobody to answer
        }

        var (status, title, detail, location) = exception switch
        {
            InvalidInputException e => (e.StatusCode, "Invalid input", e.Message, e.Location),
            BadHttpRequestException { InnerException: JsonException json } => (400, "Malformed JSON", DescribeJson(json), json.Path),
            BadHttpRequestException e when e.StatusCode == StatusCodes.Status413PayloadTooLarge => (413, "Request body too large", e.Message, null),
            BadHttpRequestException e => (e.StatusCode, "Bad request", e.Message, null),
            JsonException json => (400, "Malformed JSON", DescribeJson(json), json.Path),
            AuditIntegrityException e => (503, "Audit trail unavailable", e.Message, null),
            Audit.AuditUnavailableException e => (503, "Audit trail unavailable", e.Message, null),
            HealthAssist.Record.Assessments.RecordUnavailableException e => (503, "Audit trail unavailable", e.Message, null),
            HealthAssist.Pipeline.ConsentRefusedException e => (403, "Refused by the patient's consent", e.Message, "Consent"),
            Assessments.ModelsUnavailableException e => (503, "Models unavailable", e.Message, null),
            Ehr.EhrPatientNotFoundException e => (e.StatusCode, "Patient not found in the EHR", e.Message, null),
            Ehr.EhrUnavailableException e => (e.StatusCode, "EHR unavailable", e.Message, null),
            Ehr.EhrNotConfiguredException e => (501, "Pull mode not configured", e.Message, null),
            KeyMaterialException or WeakKeyException => (503, "Key material unavailable", "The service's key material is missing or invalid; see the server log.", null),
            _ => (500, "Internal error", "An unexpected error occurred. Quote the trace id when reporting it.", null),
        };

        if (status >= 500)
        {
            LogServerError(logger, exception.GetType().FullName ?? "unknown", httpContext.Request.Method, status);
        }

        httpContext.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (location is not null)
        {
            problem.Extensions["location"] = location;
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static string DescribeJson(JsonException json) =>
        $"The request body is not valid JSON for this operation (path {json.Path ?? "$"}, line {json.LineNumber ?? 0}, byte {json.BytePositionInLine ?? 0}).";

    // Only the type is logged: exception messages from parsers can quote patient data.
    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Unhandled {ExceptionType} answering {Method}; responded {Status}")]
    private static partial void LogServerError(ILogger logger, string exceptionType, string method, int status);
}

/// <summary>
/// Enforces the request body limit before any handler reads the body: the endpoint's own
/// <see cref="IRequestSizeLimitMetadata"/> or Limits:MaxRequestBodyBytes. Works for declared and chunked lengths,
/// on Kestrel and in the test server alike.
/// </summary>
internal static class RequestBodyLimits
{
    public static void UseRequestBodyLimits(this WebApplication app)
    {
        var defaultLimit = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Configuration.LimitsOptions>>().Value.MaxRequestBodyBytes;
        app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? defaultLimit;
            if (context.Request.ContentLength > limit)
            {
                throw new BadHttpRequestException($"The request body is {context.Request.ContentLength} bytes; this endpoint accepts at most {limit}.", StatusCodes.Status413PayloadTooLarge);
            }

            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false })
            {
                feature.MaxRequestBodySize = limit;
            }

            context.Request.Body = new LengthLimitedStream(context.Request.Body, limit);
            await next(context);
        });
    }

    private sealed class LengthLimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                throw new BadHttpRequestException($"The request body exceeds this endpoint's limit of {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
            }

            return read;
        }
    }
}
