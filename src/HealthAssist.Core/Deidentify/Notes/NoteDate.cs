using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HealthAssist.Deidentify.Notes;

/// <summary>
/// A date as written: the literal pieces and the fields (day, month, year, weekday, ordinal) in their original order and
/// style, so the shifted date is written back in exactly the same format ("03-Mar-26" stays "dd-Mon-yy").
/// </summary>
internal sealed class NoteDate
{
    private static readonly string[] MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;
    private static readonly string[] DayNames = CultureInfo.InvariantCulture.DateTimeFormat.DayNames;

    private readonly List<(Field Field, string Text)> _parts;

    private NoteDate(List<(Field, string)> parts, int? year, int? month, int? day, DayOfWeek? weekday)
    {
        _parts = parts;
        Year = year;
        Month = month;
        Day = day;
        Weekday = weekday;
    }

    internal enum Field
    {
        Literal,
        Day,
        MonthNumber,
        MonthName,
        Year,
        Ordinal,
        Weekday,
    }

    public int? Year { get; }

    public int? Month { get; }

    public int? Day { get; }

    public DayOfWeek? Weekday { get; }

    /// <summary>
    /// Builds the template from a match: <paramref name="fields"/> names the groups to treat as fields; what lies between them
    /// is kept literally. Returns null when the fields do not make a valid calendar date.
    /// </summary>
    public static NoteDate? From(string text, int start, int end, IEnumerable<(Group Group, Field Field)> fields)
    {
        var present = fields.Where(f => f.Group.Success && f.Group.Index >= start && f.Group.Index + f.Group.Length <= end)
            .OrderBy(f => f.Group.Index).ToList();
        var parts = new List<(Field, string)>();
        var position = start;
        int? year = null, month = null, day = null;
        DayOfWeek? weekday = null;
        foreach (var (group, field) in present)
        {
            if (group.Index > position)
            {
                parts.Add((Field.Literal, text[position..group.Index]));
            }

            parts.Add((field, group.Value));
            position = group.Index + group.Length;
            switch (field)
            {
                case Field.Day:
                    day = int.Parse(group.Value, CultureInfo.InvariantCulture);
                    break;
                case Field.MonthNumber:
                    month = int.Parse(group.Value, CultureInfo.InvariantCulture);
                    break;
                case Field.MonthName:
                    month = ParseMonth(group.Value);
                    break;
                case Field.Year:
                    year = ParseYear(group.Value);
                    break;
                case Field.Weekday:
                    weekday = ParseWeekday(group.Value);
                    break;
                default:
                    break;
            }
        }

        if (end > position)
        {
            parts.Add((Field.Literal, text[position..end]));
        }

        if (month is < 1 or > 12 || day is < 1 or > 31 || year is < 1800 or > 2199)
        {
            return null;
        }

        if (month is not null && day is not null && day > DateTime.DaysInMonth(year ?? 2000, month.Value))
        {
            return null;
        }

        if (month is null && day is null && weekday is null)
        {
            return null;
        }

        return new NoteDate(parts, year, month, day, weekday);
    }

    /// <summary>The same text with the date moved by <paramref name="days"/>, in the original format.</summary>
    public string Shift(int days)
    {
        int? year = Year, month = Month, day = Day;
        DayOfWeek? weekday = Weekday;
        if (Month is not null && Day is not null)
        {
            var shifted = new DateOnly(Year ?? 2000, Month.Value, Day.Value).AddDays(days);
            month = shifted.Month;
            day = shifted.Day;
            year = Year is null ? null : shifted.Year;
            weekday = Year is null ? (DayOfWeek?)(Weekday is null ? null : (DayOfWeek)Mod(((int)Weekday.Value) + days, 7)) : shifted.DayOfWeek;
        }
        else if (Month is not null && Year is not null)
        {
            var shifted = new DateOnly(Year.Value, Month.Value, 15).AddDays(days);
            month = shifted.Month;
            year = shifted.Year;
        }
        else if (Weekday is not null)
        {
            weekday = (DayOfWeek)Mod(((int)Weekday.Value) + days, 7);
        }

        var sb = new StringBuilder();
        foreach (var (field, original) in _parts)
        {
            sb.Append(field switch
            {
                Field.Day => Number(day!.Value, original, OtherNumberIsPadded(Field.Day)),
                Field.MonthNumber => Number(month!.Value, original, OtherNumberIsPadded(Field.MonthNumber)),
                Field.MonthName => MonthText(month!.Value, original),
                Field.Year => YearText(year!.Value, original),
                Field.Ordinal => MatchCase(Ordinal(day!.Value), original),
                Field.Weekday => WeekdayText(weekday!.Value, original),
                _ => original,
            });
        }

        return sb.ToString();
    }

    /// <summary>Whether the other numeric part of the date shows zero padding ("03/14" pads, "3/14" and "12/31" do not).</summary>
    private bool OtherNumberIsPadded(Field self)
    {
        foreach (var (field, text) in _parts)
        {
            if (field != self && field is Field.Day or Field.MonthNumber && text.Length == 2 && text[0] == '0')
            {
                return true;
            }
        }

        return false;
    }

    private static int Mod(int value, int modulus) => ((value % modulus) + modulus) % modulus;

    private static string Number(int value, string original, bool otherPadded)
    {
        var pad = original.Length == 2 && (original[0] == '0' || otherPadded);
        return value.ToString(pad ? "00" : "0", CultureInfo.InvariantCulture);
    }

    private static string YearText(int year, string original)
    {
        if (original.StartsWith('\''))
        {
            return "'" + (year % 100).ToString("00", CultureInfo.InvariantCulture);
        }

        return original.Length == 2 ? (year % 100).ToString("00", CultureInfo.InvariantCulture) : year.ToString("0000", CultureInfo.InvariantCulture);
    }

    private static string MonthText(int month, string original)
    {
        var full = MonthNames[month - 1];
        var text = original.Length > 4 || original.Equals("june", StringComparison.OrdinalIgnoreCase) || original.Equals("july", StringComparison.OrdinalIgnoreCase) || original.Equals("may", StringComparison.OrdinalIgnoreCase)
            ? full
            : original.Length == 4 && month == 9 ? "Sept" : full[..3];
        return MatchCase(text, original);
    }

    private static string WeekdayText(DayOfWeek weekday, string original)
    {
        var full = DayNames[(int)weekday];
        return MatchCase(original.Length > 5 ? full : full[..3], original);
    }

    private static string Ordinal(int day) => (day % 100) switch
    {
        11 or 12 or 13 => "th",
        _ => (day % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" },
    };

    private static string MatchCase(string value, string original)
    {
        var letters = original.Where(char.IsLetter).ToArray();
        if (letters.Length > 0 && letters.All(char.IsUpper) && (letters.Length > 1 || value.Length == 1))
        {
            return value.ToUpperInvariant();
        }

        if (letters.Length > 0 && letters.All(char.IsLower))
        {
            return value.ToLowerInvariant();
        }

        return value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..].ToLowerInvariant();
    }

    internal static int? ParseMonth(string text)
    {
        var t = text.TrimEnd('.');
        if (t.Length < 3)
        {
            return null;
        }

        for (var m = 0; m < 12; m++)
        {
            if (MonthNames[m].StartsWith(t[..3], StringComparison.OrdinalIgnoreCase) && MonthNames[m].StartsWith(t.Length > 4 ? t : t[..3], StringComparison.OrdinalIgnoreCase))
            {
                return m + 1;
            }
        }

        return null;
    }

    private static int ParseYear(string text)
    {
        var digits = text.TrimStart('\'');
        var value = int.Parse(digits, CultureInfo.InvariantCulture);
        return digits.Length == 2 ? (value < 50 ? 2000 + value : 1900 + value) : value;
    }

    private static DayOfWeek? ParseWeekday(string text)
    {
        var t = text.TrimEnd('.');
        for (var d = 0; d < 7; d++)
        {
            if (DayNames[d].StartsWith(t[..Math.Min(3, t.Length)], StringComparison.OrdinalIgnoreCase))
            {
                return (DayOfWeek)d;
            }
        }

        return null;
    }
}
