using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace HealthAssist.DicomWeb;

/// <summary>One body part of a multipart/related message: its content type and its bytes (a slice of the message).</summary>
internal sealed record MultipartPart(MediaTypeHeaderValue ContentType, ReadOnlyMemory<byte> Content);

/// <summary>
/// A strict reader of multipart/related bodies (RFC 2046 §5.1, RFC 2387) as WADO-RS sends them. Every part must have a
/// Content-Type; a Content-Length, when given, must match the delimiter exactly; the closing delimiter must be present.
/// A preamble and an epilogue are allowed and ignored. Errors are <see cref="InvalidDataException"/>s whose messages
/// describe the structure only, never the content.
/// </summary>
internal static class MultipartRelated
{
    public const int MaxParts = 100_000;
    private const int MaxHeaderBytes = 16 * 1024;
    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;
    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    // Visible ASCII, space, tab, CR and LF.
    private static readonly SearchValues<byte> AllowedHeaderBytes = SearchValues.Create(
        [.. Enumerable.Range(0x20, 0x7F - 0x20).Select(b => (byte)b), (byte)'\t', (byte)'\r', (byte)'\n']);

    /// <summary>The boundary parameter of a multipart/related content type (RFC 2046 bchars, 1–70 characters).</summary>
    public static string GetBoundary(MediaTypeHeaderValue? contentType)
    {
        if (contentType is null || !string.Equals(contentType.MediaType, "multipart/related", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException("The response is not multipart/related.");
        }

        var boundary = Unquote(Parameter(contentType, "boundary"))
            ?? throw new InvalidDataException("The multipart/related response has no boundary parameter.");
        if (boundary.Length is 0 or > 70 || boundary[^1] == ' ' || !boundary.All(IsBoundaryChar))
        {
            throw new InvalidDataException("The multipart/related boundary is not valid (RFC 2046: 1-70 of a restricted set of characters).");
        }

        return boundary;
    }

    /// <summary>The media type named by the <c>type</c> parameter (the root part's type), when the sender gave one.</summary>
    public static MediaTypeHeaderValue? GetRootType(MediaTypeHeaderValue? contentType)
    {
        var type = contentType is null ? null : Unquote(Parameter(contentType, "type"));
        if (type is null)
        {
            return null;
        }

        return MediaTypeHeaderValue.TryParse(type, out var parsed)
            ? parsed
            : throw new InvalidDataException("The multipart/related type parameter is not a media type.");
    }

    public static string? Parameter(MediaTypeHeaderValue contentType, string name) =>
        contentType.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    public static string? Unquote(string? value) =>
        value is { Length: >= 2 } && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;

    public static IReadOnlyList<MultipartPart> Parse(ReadOnlyMemory<byte> message, string boundary)
    {
        var span = message.Span;
        var dashBoundary = Encoding.ASCII.GetBytes("--" + boundary);
        var delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);

        // The first dash-boundary starts the body or follows a preamble's final CRLF.
        int position;
        if (span.StartsWith(dashBoundary))
        {
            position = dashBoundary.Length;
        }
        else
        {
            var first = span.IndexOf(delimiter);
            if (first < 0)
            {
                throw new InvalidDataException("The multipart/related body contains no boundary delimiter.");
            }

            position = first + delimiter.Length;
        }

        var parts = new List<MultipartPart>();
        while (true)
        {
            // After a delimiter: "--" closes the body; otherwise optional linear white space, then CRLF, then a part.
            if (position == span.Length)
            {
                throw new InvalidDataException("The multipart/related body ends after a delimiter (no closing delimiter).");
            }

            if (span[position..].StartsWith("--"u8))
            {
                break;
            }

            while (position < span.Length && span[position] is (byte)' ' or (byte)'\t')
            {
                position++;
            }

            if (!span[position..].StartsWith(CrLf))
            {
                throw new InvalidDataException("A multipart/related boundary delimiter is not followed by CRLF or '--'.");
            }

            position += CrLf.Length;
            if (parts.Count == MaxParts)
            {
                throw new InvalidDataException($"The multipart/related body has more than {MaxParts} parts.");
            }

            var (contentType, contentLength, bodyStart) = ReadHeaders(span, position);
            int bodyLength;
            if (contentLength is { } declared)
            {
                if (declared > span.Length - bodyStart || !span[(bodyStart + (int)declared)..].StartsWith(delimiter))
                {
                    throw new InvalidDataException("A multipart/related part's Content-Length does not end at a boundary delimiter.");
                }

                bodyLength = (int)declared;
            }
            else
            {
                bodyLength = span[bodyStart..].IndexOf(delimiter);
                if (bodyLength < 0)
                {
                    throw new InvalidDataException("The multipart/related body ends inside a part (no closing delimiter).");
                }
            }

            parts.Add(new MultipartPart(contentType, message.Slice(bodyStart, bodyLength)));
            position = bodyStart + bodyLength + delimiter.Length;
        }

        return parts.Count > 0 ? parts : throw new InvalidDataException("The multipart/related body has no parts.");
    }

    private static (MediaTypeHeaderValue ContentType, long? ContentLength, int BodyStart) ReadHeaders(ReadOnlySpan<byte> span, int start)
    {
        // A part with no header lines starts with the empty line at once; it has no Content-Type and is refused below.
        int headerLength;
        if (span[start..].StartsWith(CrLf))
        {
            headerLength = 0;
        }
        else
        {
            var end = span[start..].IndexOf(HeaderEnd);
            if (end < 0 || end > MaxHeaderBytes)
            {
                throw new InvalidDataException($"A multipart/related part's headers are missing their end or exceed {MaxHeaderBytes} bytes.");
            }

            headerLength = end + CrLf.Length;
        }

        var headerBytes = span.Slice(start, headerLength);
        if (headerBytes.ContainsAnyExcept(AllowedHeaderBytes))
        {
            throw new InvalidDataException("A multipart/related part's headers contain non-ASCII or control bytes.");
        }

        MediaTypeHeaderValue? contentType = null;
        long? contentLength = null;
        foreach (var line in Encoding.ASCII.GetString(headerBytes).Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            // No folded lines (obsolete) and no bare CR or LF: one header per line, "Name: value".
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[0] is ' ' or '\t' || line.AsSpan(0, colon).ContainsAny(" \t") || line.AsSpan().ContainsAny('\r', '\n'))
            {
                throw new InvalidDataException("A multipart/related part has a malformed header line.");
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                if (contentType is not null || !MediaTypeHeaderValue.TryParse(value, out contentType))
                {
                    throw new InvalidDataException("A multipart/related part has a repeated or malformed Content-Type.");
                }
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (contentLength is not null || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                {
                    throw new InvalidDataException("A multipart/related part has a repeated or malformed Content-Length.");
                }

                contentLength = length;
            }
        }

        if (contentType is null)
        {
            throw new InvalidDataException("A multipart/related part has no Content-Type.");
        }

        return (contentType, contentLength, start + headerLength + CrLf.Length);
    }

    // RFC 2046 bchars: DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" / "." / "/" / ":" / "=" / "?" / " ".
    private static bool IsBoundaryChar(char c) => char.IsAsciiLetterOrDigit(c) || "'()+_,-./:=? ".Contains(c, StringComparison.Ordinal);
}
