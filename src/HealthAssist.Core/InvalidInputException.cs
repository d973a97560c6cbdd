namespace HealthAssist;

/// <summary>
/// Input that HealthAssist refuses: malformed, truncated, unsupported or too large. Maps to a 4xx response (CLI: exit
/// code 2). The message says what is wrong and <see cref="Location"/> says where (a byte offset and tag, a FHIRPath,
/// a WAV chunk); neither may contain patient data.
/// </summary>
public class InvalidInputException : Exception
{
    public InvalidInputException(string message, string? location = null, Exception? innerException = null)
        : base(message, innerException) => Location = location;

    public InvalidInputException()
    {
    }

    public InvalidInputException(string message)
        : base(message)
    {
    }

    public InvalidInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? Location { get; }

    /// <summary>HTTP status to answer with: 400 by default; 413 for size limits, 415 for unsupported formats, 422 for semantic problems.</summary>
    public int StatusCode { get; init; } = 400;
}
