using System.Globalization;

namespace HealthAssist.Dicom;

/// <summary>
/// The bytes are not a DICOM file this library can read, or they exceed a configured limit. The message says what and
/// where (byte offset, tag) and never quotes element values, which may be patient data.
/// </summary>
public sealed class DicomFormatException : Exception
{
    public DicomFormatException(string message, long offset, DicomTag? tag = null, Exception? innerException = null)
        : base(Describe(message, offset, tag), innerException)
    {
        Offset = offset;
        Tag = tag;
        Reason = message;
    }

    public DicomFormatException()
    {
    }

    public DicomFormatException(string message)
        : base(message)
    {
        Reason = message;
    }

    public DicomFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>Byte offset in the file (after inflation for deflated syntaxes, the offset in the inflated dataset).</summary>
    public long Offset { get; }

    public DicomTag? Tag { get; }

    /// <summary>The problem without location.</summary>
    public string Reason { get; } = string.Empty;

    private static string Describe(string message, long offset, DicomTag? tag) =>
        tag is { } t
            ? string.Create(CultureInfo.InvariantCulture, $"{message} (element {t} at byte {offset})")
            : string.Create(CultureInfo.InvariantCulture, $"{message} (at byte {offset})");
}
