using System.Net;

namespace HealthAssist.DicomWeb;

/// <summary>Why a DICOMweb call failed.</summary>
public enum DicomWebFailure
{
    /// <summary>Not classified (an exception built with the standard constructors).</summary>
    Unknown,

    /// <summary>The server answered with an error status (<see cref="DicomWebException.StatusCode"/>).</summary>
    HttpStatus,

    /// <summary>The call or one of its attempts ran past its deadline.</summary>
    Timeout,

    /// <summary>The connection failed or broke off.</summary>
    Network,

    /// <summary>The circuit breaker is open after repeated transient failures; no request was sent.</summary>
    CircuitOpen,

    /// <summary>The response was larger than <see cref="DicomWebOptions.MaxResponseBytes"/>.</summary>
    ResponseTooLarge,

    /// <summary>The response was not the JSON or multipart/related body the standard prescribes.</summary>
    InvalidResponse,
}

/// <summary>
/// A DICOMweb call failed. The message names the request path and the status only: never the query string (which can
/// carry PatientID or PatientName) and never the response body.
/// </summary>
public sealed class DicomWebException : Exception
{
    public DicomWebException()
    {
    }

    public DicomWebException(string message)
        : base(message)
    {
    }

    public DicomWebException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal DicomWebException(DicomWebFailure failure, string requestPath, HttpStatusCode? statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        RequestPath = requestPath;
        StatusCode = statusCode;
    }

    public DicomWebFailure Failure { get; }

    /// <summary>The request's URL path, without query string.</summary>
    public string? RequestPath { get; }

    /// <summary>The HTTP status the server answered with, when it answered.</summary>
    public HttpStatusCode? StatusCode { get; }
}
