using System.ComponentModel.DataAnnotations;

namespace HealthAssist.Api.Ehr;

/// <summary>
/// Pull mode: where the EHR's FHIR R4 server is, how long and how much HealthAssist waits for it, and how many inputs
/// of a case it fetches. Without <see cref="FhirBaseUrl"/> there is no pull mode (the embedded default): records must
/// then come inline. Images come from the PACS configured under <c>DicomWeb</c>.
/// </summary>
public sealed class EhrOptions : IValidatableObject
{
    public const string Section = "Ehr";

    /// <summary>The FHIR base, e.g. <c>https://ehr.example.org/fhir/r4/</c>: https, or http on a loopback address only.</summary>
    public Uri? FhirBaseUrl { get; set; }

    /// <summary>Deadline for one call to the EHR, retries and reading the body included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deadline for one attempt to get the response headers; a timed-out attempt is retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after a transient failure (5xx, 408, 429, connection error, attempt timeout); 0 disables them.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long calls are refused once the standard circuit breaker opens (too many transient failures in 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Radiographs fetched per case; further ones are left out with a warning.</summary>
    [Range(0, 64)]
    public int MaxImages { get; set; } = 4;

    /// <summary>Auscultation recordings fetched per case; further ones are left out with a warning.</summary>
    [Range(0, 64)]
    public int MaxRecordings { get; set; } = 4;

    /// <summary>Largest image or recording accepted (default 64 MiB); a larger one is left out with a warning.</summary>
    [Range(1L, int.MaxValue)]
    public long MaxBytesPerInput { get; set; } = 64L * 1024 * 1024;

    /// <summary>Resources taken from the record (all pages together); the rest is left out with a warning.</summary>
    [Range(1, 100_000)]
    public int MaxRecordResources { get; set; } = 5_000;

    /// <summary>Largest single response (one page of the record) accepted (default 128 MiB).</summary>
    [Range(1L, int.MaxValue)]
    public long MaxRecordPageBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>The <c>_count</c> asked for on searches and <c>$everything</c>; the server may page with fewer.</summary>
    [Range(1, 1_000)]
    public int PageSize { get; set; } = 200;

    /// <summary>
    /// The rules that span properties: the base URL is absolute, https (http only on a loopback address, for tests
    /// and sidecars), without credentials, query or fragment; an attempt is shorter than the whole call.
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FhirBaseUrl is not { } url)
        {
            yield return new ValidationResult("Ehr:FhirBaseUrl is required for pull mode.", [nameof(FhirBaseUrl)]);
        }
        else if (!url.IsAbsoluteUri
            || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
            || !string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            yield return new ValidationResult(
                "Ehr:FhirBaseUrl must be an absolute https address (http only on a loopback address) without credentials, query or fragment.",
                [nameof(FhirBaseUrl)]);
        }

        if (AttemptTimeout >= Timeout)
        {
            yield return new ValidationResult("Ehr:AttemptTimeout must be shorter than Ehr:Timeout.", [nameof(AttemptTimeout), nameof(Timeout)]);
        }
    }

    /// <summary>The base with a final slash, so relative references resolve beneath it.</summary>
    internal Uri BaseAddress => FhirBaseUrl is { } url
        ? (url.AbsolutePath.EndsWith('/') ? url : new UriBuilder(url) { Path = url.AbsolutePath + "/" }.Uri)
        : throw new EhrNotConfiguredException();
}
