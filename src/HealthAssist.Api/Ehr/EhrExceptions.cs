namespace HealthAssist.Api.Ehr;

// Messages of these exceptions go to callers and logs: they never carry the patient id, a URL with identifiers, or
// anything the EHR answered (its OperationOutcome text may quote the record).

/// <summary>The EHR has no patient with the requested id (it answered 404 or 410). Maps to 404.</summary>
public sealed class EhrPatientNotFoundException : Exception
{
    public EhrPatientNotFoundException()
        : base("The patient was not found in the EHR.")
    {
    }

    public EhrPatientNotFoundException(string message)
        : base(message)
    {
    }

    public EhrPatientNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status to answer with.</summary>
    public int StatusCode => 404;
}

/// <summary>
/// The EHR FHIR server could not give the record after the retries: unreachable, failing (502), unavailable or refusing
/// further calls while the circuit is open (503), or too slow (504). Also used, with 502, for answers that cannot be
/// used (not FHIR JSON, too large, credentials refused).
/// </summary>
public sealed class EhrUnavailableException : Exception
{
    public EhrUnavailableException()
        : this(502, "The EHR FHIR server could not be used.")
    {
    }

    public EhrUnavailableException(string message)
        : this(502, message)
    {
    }

    public EhrUnavailableException(string message, Exception innerException)
        : this(502, message, innerException)
    {
    }

    public EhrUnavailableException(int statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        if (statusCode is not (502 or 503 or 504))
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "The EHR's unavailability answers 502, 503 or 504.");
        }

        StatusCode = statusCode;
    }

    /// <summary>502 (bad gateway), 503 (unavailable, circuit open) or 504 (timeout).</summary>
    public int StatusCode { get; }

    /// <summary>A short form for warnings about one input: "timeout", "the EHR answered 404"…</summary>
    internal string Reason { get; init; } = "the EHR could not be used";
}

/// <summary>Pull mode was asked for but <c>Ehr:FhirBaseUrl</c> is not configured. Maps to 501.</summary>
public sealed class EhrNotConfiguredException : InvalidOperationException
{
    public EhrNotConfiguredException()
        : base("Pull mode is not configured: set Ehr:FhirBaseUrl to the EHR's FHIR base URL, or send the record inline.")
    {
    }

    public EhrNotConfiguredException(string message)
        : base(message)
    {
    }

    public EhrNotConfiguredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status to answer with.</summary>
    public int StatusCode => 501;
}
