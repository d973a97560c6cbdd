namespace HealthAssist.DicomWeb;

/// <summary>UID checks for values that go into a request path (PS3.5 §9.1: digits and dots, at most 64 characters).</summary>
internal static class DicomWebUid
{
    public const int MaxLength = 64;

    /// <summary>Digits separated by single dots, not starting or ending with a dot, 1–64 characters.</summary>
    public static bool IsValid(string? uid)
    {
        if (string.IsNullOrEmpty(uid) || uid.Length > MaxLength || uid[0] == '.' || uid[^1] == '.')
        {
            return false;
        }

        for (var i = 0; i < uid.Length; i++)
        {
            var c = uid[i];
            if (c == '.' ? uid[i - 1] == '.' : !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The UID itself when valid; the message never repeats the value, which may identify a study.</summary>
    public static string Require(string? uid, string parameterName) => IsValid(uid)
        ? uid!
        : throw new ArgumentException("Not a DICOM UID: digits and dots, at most 64 characters.", parameterName);
}
