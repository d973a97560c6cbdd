namespace HealthAssist.Cli;

/// <summary>The exit-code contract of DESIGN.md.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A check ran and failed (e.g. verification found tampering), or an unexpected error.</summary>
    public const int CheckFailed = 1;

    /// <summary>Invalid input or usage; one line on stderr says what and where.</summary>
    public const int InvalidInput = 2;
}

/// <summary>Wrong usage or input detected by a command; becomes exit code 2 with this message.</summary>
public sealed class UsageException(string message) : Exception(message);
