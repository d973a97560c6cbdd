using System.ComponentModel.DataAnnotations;

namespace HealthAssist.DicomWeb;

/// <summary>Where the PACS's DICOMweb service is and how long and how much the client waits for it.</summary>
public sealed class DicomWebOptions
{
    /// <summary>The largest value <see cref="MaxResponseBytes"/> may take: one response is held in one array.</summary>
    public const long MaxResponseBytesCeiling = 0x7FFFFFC7; // Array.MaxLength

    /// <summary>The DICOMweb root, e.g. <c>https://pacs.example.org/dicom-web/</c> (a missing final slash is added).</summary>
    [Required]
    public Uri? BaseAddress { get; set; }

    /// <summary>Deadline for one call, retries and reading the body included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Deadline for one attempt to get the response headers; a timed-out GET is retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a GET after a transient failure (5xx, 408, 429, connection error, attempt timeout); 0 disables them.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the circuit stays open once half of at least ten calls in 30 s failed transiently.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Responses larger than this are refused while they stream in (default 512 MiB).</summary>
    [Range(1L, MaxResponseBytesCeiling)]
    public long MaxResponseBytes { get; set; } = 512L * 1024 * 1024;
}
