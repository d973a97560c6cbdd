using System.Globalization;

namespace HealthAssist.Deidentify.Dicom;

/// <summary>
/// Shifts DICOM DA and DT values by a whole number of days (the patient's offset), keeping the precision, time of day and
/// UTC offset of each value, so that intervals between any two values of the patient survive exactly. TM values need no
/// change: a shift by whole days leaves the time of day as it is.
/// </summary>
public static class DicomDateShifter
{
    /// <summary>Shifts a DA value (one date per backslash-separated value; "YYYYMMDD", or the retired "YYYY.MM.DD").
    /// Null when any value is not a date, so that the caller can drop text it cannot vouch for.</summary>
    public static string? ShiftDate(string value, int days)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ShiftEach(value, days, ShiftOneDate);
    }

    /// <summary>Shifts a DT value ("YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&amp;ZZXX]", several separated by backslash).
    /// A value with year or year and month only is shifted from its first day and written at its own precision.
    /// Null when any value is not a date-time.</summary>
    public static string? ShiftDateTime(string value, int days)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ShiftEach(value, days, ShiftOneDateTime);
    }

    private static string? ShiftEach(string value, int days, Func<string, int, string?> shift)
    {
        var parts = value.Split('\\');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].Trim();
            if (part.Length == 0)
            {
                parts[i] = part;
                continue;
            }

            if (shift(part, days) is not { } shifted)
            {
                return null;
            }

            parts[i] = shifted;
        }

        return string.Join('\\', parts);
    }

    private static string? ShiftOneDate(string date, int days)
    {
        var digits = date.Length == 10 && date[4] == '.' && date[7] == '.' ? string.Concat(date.AsSpan(0, 4), date.AsSpan(5, 2), date.AsSpan(8, 2)) : date;
        return digits.Length == 8 && DateOnly.TryParseExact(digits, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed.AddDays(days).ToString("yyyyMMdd", CultureInfo.InvariantCulture)
            : null;
    }

    private static string? ShiftOneDateTime(string dateTime, int days)
    {
        var offsetAt = dateTime.IndexOfAny(['+', '-'], 4);
        var local = offsetAt < 0 ? dateTime : dateTime[..offsetAt];
        var offset = offsetAt < 0 ? string.Empty : dateTime[offsetAt..];
        if (offset.Length is not (0 or 5) || !offset.Skip(1).All(char.IsAsciiDigit))
        {
            return null;
        }

        var datePartLength = Math.Min(local.Length, 8);
        if (datePartLength is not (4 or 6 or 8) || local.AsSpan(0, datePartLength).ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        var rest = local[datePartLength..];
        if (!IsValidTimeRest(rest))
        {
            return null;
        }

        var padded = local[..datePartLength] + "0101"[(datePartLength - 4)..];
        if (!DateOnly.TryParseExact(padded, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return null;
        }

        var shifted = date.AddDays(days).ToString("yyyyMMdd", CultureInfo.InvariantCulture)[..datePartLength];
        return shifted + rest + offset;
    }

    // HH[MM[SS[.F{1,6}]]] after a full date; nothing after a partial one.
    private static bool IsValidTimeRest(string rest)
    {
        if (rest.Length == 0)
        {
            return true;
        }

        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? rest : rest[..dot];
        var fraction = dot < 0 ? string.Empty : rest[(dot + 1)..];
        return whole.Length is 2 or 4 or 6 && !whole.AsSpan().ContainsAnyExceptInRange('0', '9')
            && (dot < 0 || (whole.Length == 6 && fraction.Length is >= 1 and <= 6 && !fraction.AsSpan().ContainsAnyExceptInRange('0', '9')));
    }
}
