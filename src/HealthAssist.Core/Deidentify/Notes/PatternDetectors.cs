using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace HealthAssist.Deidentify.Notes;

/// <summary>The pattern-based detectors: dates, ages over 89, identifiers, telecom, web, addresses, places and institutions.</summary>
internal static class PatternDetectors
{
    internal const int EmailPriority = 100;
    internal const int ContextPriority = 96;
    internal const int ContextPhonePriority = 84;
    private const int UrlPriority = 95;
    private const int IpPriority = 93;
    private const int SsnPriority = 90;
    private const int PhonePriority = 85;
    private const int LabelledPhonePriority = 83;
    private const int DatePriority = 82;
    private const int LabelledIdPriority = 80;
    private const int AgePriority = 70;
    private const int PrefixedIdPriority = 60;
    private const int AddressPriority = 60;
    private const int LocationPriority = 55;
    private const int InstitutionPriority = 56;
    internal const int NamePriority = 40;
    private const int HashIdPriority = 35;
    private const int LongDigitsPriority = 30;

    private static readonly FrozenSet<string> StrongDateContexts = Set("on since until till thru through by dated dos admitted admit discharged seen last next due visit appt appointment surgery procedure starting started start begin beginning began effective before after");
    private static readonly FrozenSet<string> FractionFollowers = Set("tab tabs tablet tablets pill pills strength murmur power dose doses ns normal cup cups inch inches of");
    private static readonly FrozenSet<string> ScheduleWords = Set("every each alternate alternating q other until through");
    private static readonly FrozenSet<string> TemperatureWords = Set("t temp temperature tmax tmin fever febrile temps");
    private static readonly FrozenSet<string> StreetStopWords = Set("""
        the a an of to and or with in on at for from by x q per is was are were be has had have days day weeks week hours hour
        minutes minute months month years year times time doses dose tabs tab units unit mg ml episodes episode hrs hr mins
        min sec ago prior after before since until times dear his her their our my your this that these those each every
        takes took take given gave january february march april may june july august september october november december
        jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday
        """);

    private static readonly FrozenSet<string> DistanceWords = Set("ambulated ambulates ambulate walked walks walk ran run distance mobilised mobilized approximately approx about over");
    private static readonly FrozenSet<string> AgeSexBefore = Set("pt patient a an is age aged yo");
    private static readonly FrozenSet<string> AgeSexAfter = Set("with w presenting presents presented pmh hx who brought admitted here known from transferred s c h");
    private static readonly FrozenSet<string> Countries = Set("""
        mexico canada china india japan germany france italy spain portugal england britain uk ireland scotland wales
        brazil russia ukraine nigeria ghana kenya ethiopia somalia egypt morocco philippines vietnam korea thailand poland
        haiti cuba jamaica guatemala honduras salvador nicaragua peru colombia venezuela argentina chile ecuador bolivia
        pakistan bangladesh iran iraq syria lebanon israel turkey greece sweden norway denmark finland netherlands belgium
        switzerland austria australia zealand africa europe asia abroad overseas america usa us states
        """);

    private static readonly FrozenSet<string> PlaceWords = Set("""
        new north south east west upper lower little great grand fort ft saint st san santa los las el la le des port
        palm lake mount mt glen falls springs spring beach heights park rapids city town village harbor harbour bay
        valley creek grove hills hill ridge point junction hollow crossing station island isle haven view rock forest
        woods meadow meadows field fields green center centre township county view summit vista gate bridge brook
        """);

    private static readonly FrozenSet<string> DepartmentWords = Set("""
        cardiology cardiac heart failure pulmonary respiratory lung renal kidney nephrology diabetes diabetic endocrine
        endocrinology thyroid bariatric orthopedic orthopaedic ortho urology uro oncology onc hematology haematology heme
        dermatology derm neurology neuro gastroenterology gi gastro hepatology liver ent eye dental fracture wound pain
        sleep memory falls anticoagulation coumadin warfarin inr lipid hypertension vascular stroke tia rapid access chest
        breast antenatal prenatal maternity fertility sexual std hiv tb travel vaccine vaccination flu covid minor
        injuries injury plastics hand foot podiatry spine transplant dialysis infusion rheumatology rheum allergy immunology
        psychiatry psychiatric psych behavioral behavioural mental addiction methadone pediatric paediatric peds geriatric
        geriatrics adolescent women's men's sports occupational physical speech therapy rehab cardiac multidisciplinary
        headache epilepsy seizure movement disorders neuromuscular bone osteoporosis obesity weight smoking cessation
        pre-op preop preoperative preadmission follow-up followup post-op postop discharge transition coagulation cards
        pulm endo ob gyn obgyn surgical medical infectious disease diseases id tropical genetics sickle cell anemia
        asthma copd cf cystic fibrosis hepatitis heart-failure chf af afib arrhythmia pacemaker device lipids diabetic
        eye ophthalmology retina glaucoma audiology hearing ent sinus voice swallow continence incontinence pelvic
        urogynecology colorectal vascular wound ostomy stoma nutrition dietitian dietetics palliative hospice
        """);

    // ---- dates ----

    public static void AddDates(NoteText note, List<Candidate> found, bool dayFirst)
    {
        var text = note.Text;
        foreach (Match m in NotePatterns.NumericDate().Matches(text))
        {
            var sep = m.Groups["sep"].Value;
            if (sep == "." && m.Groups["y"].Length == 2)
            {
                continue; // "1.2.24" is a version or a dose more often than a date
            }

            var a = int.Parse(m.Groups["a"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var b = int.Parse(m.Groups["b"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var aIsDay = a > 12 || (b <= 12 && dayFirst);
            AddDate(found, text, m, [
                (m.Groups["wd"], NoteDate.Field.Weekday),
                (m.Groups["a"], aIsDay ? NoteDate.Field.Day : NoteDate.Field.MonthNumber),
                (m.Groups["b"], aIsDay ? NoteDate.Field.MonthNumber : NoteDate.Field.Day),
                (m.Groups["y"], NoteDate.Field.Year)]);
        }

        foreach (Match m in NotePatterns.IsoDate().Matches(text))
        {
            AddDate(found, text, m, [(m.Groups["y"], NoteDate.Field.Year), (m.Groups["m"], NoteDate.Field.MonthNumber), (m.Groups["d"], NoteDate.Field.Day)]);
        }

        foreach (Match m in NotePatterns.DayMonthDate().Matches(text))
        {
            var hasYear = m.Groups["y"].Success;
            var ofForm = m.Groups["of"].Value.Trim().Equals("of", StringComparison.OrdinalIgnoreCase);
            if (IsMay(m) && !hasYear && !m.Groups["ord"].Success && !ofForm && !m.Groups["wd"].Success && VerbFollows(text, m.Index + m.Length))
            {
                continue; // "2 may need"
            }

            if (m.Groups["of"].Length == 0 && !hasYear && !m.Groups["ord"].Success)
            {
                continue; // "3mar" alone is too weak
            }

            AddDate(found, text, m, [
                (m.Groups["wd"], NoteDate.Field.Weekday), (m.Groups["d"], NoteDate.Field.Day), (m.Groups["ord"], NoteDate.Field.Ordinal),
                (m.Groups["mon"], NoteDate.Field.MonthName), (m.Groups["y"], NoteDate.Field.Year)]);
        }

        foreach (Match m in NotePatterns.MonthDayDate().Matches(text))
        {
            if (IsMay(m) && !m.Groups["y"].Success && !m.Groups["ord"].Success && !m.Groups["wd"].Success && !PrecededByDateWord(text, m.Index)
                && VerbFollows(text, m.Index + m.Length))
            {
                continue; // "may 2 tabs"
            }

            AddDate(found, text, m, [
                (m.Groups["wd"], NoteDate.Field.Weekday), (m.Groups["mon"], NoteDate.Field.MonthName), (m.Groups["d"], NoteDate.Field.Day),
                (m.Groups["ord"], NoteDate.Field.Ordinal), (m.Groups["y"], NoteDate.Field.Year)]);
        }

        foreach (Match m in NotePatterns.MonthYearDate().Matches(text))
        {
            AddDate(found, text, m, [(m.Groups["mon"], NoteDate.Field.MonthName), (m.Groups["mnum"], NoteDate.Field.MonthNumber), (m.Groups["y"], NoteDate.Field.Year)]);
        }

        var schedule = false;
        var lastWeekdayEnd = -1;
        foreach (Match m in NotePatterns.Weekday().Matches(text))
        {
            var before = PreviousWord(text, m.Index);
            var listed = lastWeekdayEnd >= 0 && IsListGap(text.AsSpan(lastWeekdayEnd, m.Index - lastWeekdayEnd));
            schedule = ScheduleWords.Contains(before) || (listed && schedule);
            lastWeekdayEnd = m.Index + m.Length;
            if (schedule)
            {
                continue; // "every Monday, Wednesday and Friday" is a schedule
            }

            var after = m.Index + m.Length < text.Length ? text[m.Index + m.Length] : ' ';
            if (after == '/' || (m.Index > 0 && text[m.Index - 1] == '/'))
            {
                continue; // "Monday/Wednesday/Friday"
            }

            AddDate(found, text, m, [(m.Groups["wd"], NoteDate.Field.Weekday)]);
        }

        foreach (Match m in NotePatterns.ShortDate().Matches(text))
        {
            var ctx = m.Groups["ctx"].Value.ToLowerInvariant();
            var a = int.Parse(m.Groups["a"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var b = int.Parse(m.Groups["b"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var next = NextWord(text, m.Index + m.Length);
            if (FractionFollowers.Contains(next) || next.StartsWith("mg", StringComparison.Ordinal))
            {
                continue;
            }

            if (b is 2 or 3 or 4 or 8 && a < b && !StrongDateContexts.Contains(ctx))
            {
                continue; // "from 1/2 to 1 tab"
            }

            var aIsDay = a > 12 || (b <= 12 && dayFirst);
            AddDate(found, text, m, [
                (m.Groups["a"], aIsDay ? NoteDate.Field.Day : NoteDate.Field.MonthNumber),
                (m.Groups["b"], aIsDay ? NoteDate.Field.MonthNumber : NoteDate.Field.Day)], m.Groups["a"].Index);
        }

        foreach (Match m in NotePatterns.CompactDate().Matches(text))
        {
            AddDate(found, text, m, [(m.Groups["y"], NoteDate.Field.Year), (m.Groups["m"], NoteDate.Field.MonthNumber), (m.Groups["d"], NoteDate.Field.Day)], m.Groups["y"].Index);
        }
    }

    /// <summary>True when "may" is the verb: a lower-case base form follows ("2 may need", not "14 May showed", "8 May. Will").</summary>
    private static bool VerbFollows(string text, int index)
    {
        if (index > 0 && text[index - 1] == '.')
        {
            return false;
        }

        var p = index;
        while (p < text.Length && text[p] == ' ')
        {
            p++;
        }

        if (p >= text.Length || !char.IsLower(text[p]))
        {
            return false;
        }

        var word = NextWord(text, p);
        return !(word.EndsWith("ed", StringComparison.Ordinal) || word.EndsWith('s'));
    }

    private static bool IsListGap(ReadOnlySpan<char> gap)
    {
        var t = gap.Trim().ToString().ToLowerInvariant();
        return t is "," or "/" or "&" or "and" or ", and" or "or" or ", or" or "";
    }

    private static bool IsMay(Match m) => m.Groups["mon"].Value.Equals("may", StringComparison.OrdinalIgnoreCase);

    private static bool PrecededByDateWord(string text, int index) =>
        StrongDateContexts.Contains(PreviousWord(text, index)) || PreviousWord(text, index) is "from" or "until" or "by" or "of" or "before" or "after" or "in";

    private static void AddDate(List<Candidate> found, string text, Match m, (Group, NoteDate.Field)[] fields, int? start = null)
    {
        var from = start ?? m.Index;
        var end = m.Index + m.Length;
        var date = NoteDate.From(text, from, end, fields);
        if (date is not null)
        {
            found.Add(new Candidate(from, end, PhiType.Date, DatePriority, date));
        }
    }

    // ---- ages ----

    public static void AddAges(NoteText note, List<Candidate> found)
    {
        var text = note.Text;
        foreach (Match m in NotePatterns.AgeYears().Matches(text))
        {
            AddAge(found, m.Groups["n"]);
        }

        foreach (Match m in NotePatterns.AgeLabel().Matches(text))
        {
            AddAge(found, m.Groups["n"]);
        }

        foreach (Match m in NotePatterns.AgeSex().Matches(text))
        {
            var before = PreviousWord(text, m.Index);
            var prefix = text.AsSpan(Math.Max(0, m.Index - 16), Math.Min(16, m.Index));
            if (TemperatureWords.Contains(before) || DistanceWords.Contains(before) || prefix.Contains('°') || prefix.Contains("temp", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var sex = m.Groups["sx"].Value;
            var attached = m.Groups["sx"].Index == m.Groups["n"].Index + m.Groups["n"].Length;
            var lineStart = IsLineStartOrPunctuation(text, m.Index);
            var after = NextWord(text, m.Index + m.Length);
            var afterChar = NextNonSpace(text, m.Index + m.Length);
            var upperLine = note.CaseAt(m.Index) == LineCase.Upper;
            var contextual = lineStart || AgeSexBefore.Contains(before) || (!upperLine && (AgeSexAfter.Contains(after) || afterChar is ',' or ')' or ';'));
            if (!contextual || (char.IsLower(sex[0]) && !attached && !lineStart && !AgeSexBefore.Contains(before)))
            {
                continue;
            }

            AddAge(found, m.Groups["n"]);
        }

        foreach (Match m in NotePatterns.AgeWords().Matches(text))
        {
            found.Add(new Candidate(m.Index, m.Index + m.Length, PhiType.Age, AgePriority));
        }
    }

    private static void AddAge(List<Candidate> found, Group n)
    {
        var age = int.Parse(n.Value, System.Globalization.CultureInfo.InvariantCulture);
        if (age is >= 90 and <= 125)
        {
            found.Add(new Candidate(n.Index, n.Index + n.Length, PhiType.Age, AgePriority));
        }
    }

    // ---- identifiers ----

    public static void AddIdentifiers(NoteText note, List<Candidate> found)
    {
        var text = note.Text;
        foreach (Match m in NotePatterns.Ssn().Matches(text))
        {
            found.Add(new Candidate(m.Index, m.Index + m.Length, PhiType.Identifier, SsnPriority, Kind: "SSN"));
        }

        foreach (Match m in NotePatterns.LabelledIdentifier().Matches(text))
        {
            var value = m.Groups["v"];
            var digits = value.Value.Count(char.IsDigit);
            if (digits < 4)
            {
                continue;
            }

            var label = m.Groups["label"];
            var gap = m.Groups["gap"].Value;
            var attached = gap.Length == 0 && value.Index == label.Index + label.Length;
            var start = attached ? label.Index : value.Index;
            found.Add(new Candidate(start, value.Index + value.Length, PhiType.Identifier, LabelledIdPriority, Kind: IdentifierKind(label.Value)));
        }

        foreach (Match m in NotePatterns.PrefixedNumber().Matches(text))
        {
            found.Add(new Candidate(m.Index, m.Index + m.Length, PhiType.Identifier, PrefixedIdPriority, Kind: "ID"));
        }

        foreach (Match m in NotePatterns.HashNumber().Matches(text))
        {
            found.Add(new Candidate(m.Index, m.Index + m.Length, PhiType.Identifier, HashIdPriority, Kind: "ID"));
        }

        foreach (Match m in NotePatterns.LongDigits().Matches(text))
        {
            found.Add(new Candidate(m.Index, m.Index + m.Length, PhiType.Identifier, LongDigitsPriority, Kind: "ID"));
        }
    }

    private static string IdentifierKind(string label)
    {
        var l = label.ToUpperInvariant();
        if (l.StartsWith("SS", StringComparison.Ordinal) || l.StartsWith("SOCIAL", StringComparison.Ordinal))
        {
            return "SSN";
        }

        if (l.StartsWith("MR", StringComparison.Ordinal) || l.StartsWith("MED", StringComparison.Ordinal) || l.StartsWith("RECORD", StringComparison.Ordinal)
            || l.StartsWith("HOSP", StringComparison.Ordinal) || l.StartsWith("UNIT", StringComparison.Ordinal) || l.StartsWith("CHART", StringComparison.Ordinal))
        {
            return l.StartsWith("MEDICA", StringComparison.Ordinal) && !l.StartsWith("MEDICAL", StringComparison.Ordinal) ? "INS" : "MRN";
        }

        if (l.StartsWith("ACCT", StringComparison.Ordinal) || l.StartsWith("ACCOUNT", StringComparison.Ordinal) || l.StartsWith("ENC", StringComparison.Ordinal)
            || l.StartsWith("VISIT", StringComparison.Ordinal) || l is "CSN" or "FIN" or "HAR" || l.StartsWith("CLAIM", StringComparison.Ordinal))
        {
            return "ACCT";
        }

        if (l.StartsWith("ACC", StringComparison.Ordinal) || l.StartsWith("SPECIMEN", StringComparison.Ordinal) || l.StartsWith("ORDER", StringComparison.Ordinal)
            || l.StartsWith("REQ", StringComparison.Ordinal))
        {
            return "ACC";
        }

        if (l.StartsWith("POLICY", StringComparison.Ordinal) || l.StartsWith("MEMBER", StringComparison.Ordinal) || l.StartsWith("SUBSCRIBER", StringComparison.Ordinal)
            || l.StartsWith("GR", StringComparison.Ordinal) || l.StartsWith("INS", StringComparison.Ordinal) || l.StartsWith("MEDICA", StringComparison.Ordinal) || l == "MBI")
        {
            return "INS";
        }

        return "ID";
    }

    // ---- telecom and web ----

    public static void AddTelecomAndWeb(NoteText note, List<Candidate> found)
    {
        var text = note.Text;
        foreach (Match m in NotePatterns.Email().Matches(text))
        {
            found.Add(new Candidate(m.Index, m.Index + m.Length, PhiType.Email, EmailPriority));
        }

        foreach (Match m in NotePatterns.Url().Matches(text))
        {
            var length = m.Value.TrimEnd('.', ',', ';', ':', '!', '?').Length;
            found.Add(new Candidate(m.Index, m.Index + length, PhiType.Url, UrlPriority, Kind: "URL"));
        }

        foreach (var m in HasTopLevelDomain(text) ? NotePatterns.BareDomain().Matches(text) : Enumerable.Empty<Match>())
        {
            var length = m.Value.TrimEnd('.', ',', ';', ':', '!', '?').Length;
            found.Add(new Candidate(m.Index, m.Index + length, PhiType.Url, UrlPriority - 1, Kind: "URL"));
        }

        foreach (Match m in NotePatterns.IpAddress().Matches(text))
        {
            found.Add(new Candidate(m.Index, m.Index + m.Length, PhiType.Url, IpPriority, Kind: "IP"));
        }

        foreach (Match m in NotePatterns.UsPhone().Matches(text))
        {
            found.Add(new Candidate(m.Index, m.Index + m.Length, PhiType.Phone, PhonePriority));
        }

        foreach (Match m in NotePatterns.InternationalPhone().Matches(text))
        {
            var digits = m.Value.Count(char.IsDigit);
            if (digits is >= 8 and <= 15)
            {
                found.Add(new Candidate(m.Index, m.Index + m.Length, PhiType.Phone, PhonePriority - 1));
            }
        }

        foreach (var regex in (Regex[])[NotePatterns.LabelledPhone(), NotePatterns.WeakLabelledPhone(), NotePatterns.Extension()])
        {
            foreach (Match m in regex.Matches(text))
            {
                var v = m.Groups["v"];
                found.Add(new Candidate(v.Index, v.Index + v.Length, PhiType.Phone, LabelledPhonePriority));
            }
        }
    }

    private static bool HasTopLevelDomain(string text)
    {
        foreach (var tld in (ReadOnlySpan<string>)[".com", ".org", ".net", ".edu", ".gov", ".io", ".info", ".biz", ".uk"])
        {
            if (text.Contains(tld, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // ---- places ----

    public static void AddPlaces(NoteText note, List<Candidate> found, IReadOnlySet<string> knownCities)
    {
        var text = note.Text;
        foreach (Match m in NotePatterns.StreetAddress().Matches(text))
        {
            var suffix = m.Groups["suffix"];
            if (suffix.Value.Equals("st", StringComparison.OrdinalIgnoreCase) && NextWord(text, suffix.Index + suffix.Length) is "john" or "johns")
            {
                continue; // "takes St John's wort"
            }

            if (IsStreetName(m.Groups["name"].Value))
            {
                found.Add(new Candidate(m.Index, m.Index + m.Length, PhiType.Address, AddressPriority));
            }
        }

        foreach (Match m in NotePatterns.PoBox().Matches(text))
        {
            found.Add(new Candidate(m.Index, m.Index + m.Length, PhiType.Address, AddressPriority));
        }

        AddCityStates(note, found, knownCities);

        foreach (var regex in (Regex[])[NotePatterns.LabelledZip(), NotePatterns.ZipPlusFour()])
        {
            foreach (Match m in regex.Matches(text))
            {
                var zip = m.Groups["zip"].Success ? m.Groups["zip"] : m.Groups[0];
                found.Add(new Candidate(zip.Index, zip.Index + zip.Length, PhiType.Location, LocationPriority));
            }
        }

        foreach (Match m in NotePatterns.PlaceContext().Matches(text))
        {
            AddPlaceAfter(note, found, m.Index + m.Length);
        }

        var words = note.Words;
        for (var i = 0; i < words.Length; i++)
        {
            var w = words[i];
            if (!(NoteLexicon.IsCityLower(w.Lower) || knownCities.Contains(w.Lower)))
            {
                continue;
            }

            var mode = note.CaseAt(w.Start);
            if (mode == LineCase.Mixed && !w.IsCapitalised)
            {
                continue;
            }

            var first = i;
            var last = i;
            while (first > 0 && PlaceWords.Contains(words[first - 1].Lower) && Adjacent(note, first - 1, first) && (mode != LineCase.Mixed || words[first - 1].IsCapitalised))
            {
                first--;
            }

            while (last + 1 < words.Length && PlaceWords.Contains(words[last + 1].Lower) && Adjacent(note, last, last + 1) && (mode != LineCase.Mixed || words[last + 1].IsCapitalised))
            {
                last++;
            }

            found.Add(new Candidate(words[first].Start, words[last].End, PhiType.Location, LocationPriority - 5));
        }
    }

    internal static bool IsStreetName(string name)
    {
        var parts = name.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || name.Contains(". ", StringComparison.Ordinal))
        {
            return false; // a full stop inside the street name ends a sentence ("13 July. CT")
        }

        foreach (var part in parts)
        {
            var lower = part.Trim('.', '\'', '’').ToLowerInvariant();
            if (lower.Length == 0 || NoteLexicon.IsClinical(lower) || StreetStopWords.Contains(lower))
            {
                return false;
            }
        }

        return true;
    }

    private static readonly FrozenSet<string> TwoWordStates = FrozenSet.ToFrozenSet(
        ["new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota", "rhode island", "south carolina", "south dakota", "west virginia"],
        StringComparer.Ordinal);

    /// <summary>"Springfield, IL 62704", "Dayton, Ohio", "SPRINGFIELD IL 62704-1234", "quillon wi 24435": found from the state word.</summary>
    private static void AddCityStates(NoteText note, List<Candidate> found, IReadOnlySet<string> knownCities)
    {
        var words = note.Words;
        var text = note.Text;
        for (var k = 1; k < words.Length; k++)
        {
            var w = words[k];
            var lineCase = note.LineCases[w.Line];
            var stateEnd = -1;
            var twoLetter = false;
            if (w.Length == 2 && NoteLexicon.IsStateAbbreviation(w.Text.ToUpperInvariant()) && (w.IsAllUpper || lineCase == LineCase.Lower))
            {
                stateEnd = w.End;
                twoLetter = true;
            }
            else if (NoteLexicon.IsStateNameLower(w.Lower))
            {
                stateEnd = w.End;
            }
            else if (k + 1 < words.Length && note.Gap(k, k + 1) is " " && TwoWordStates.Contains(w.Lower + " " + words[k + 1].Lower))
            {
                stateEnd = words[k + 1].End;
            }

            if (stateEnd < 0 || words[k - 1].Line != w.Line)
            {
                continue;
            }

            var gap = note.Gap(k - 1, k);
            var comma = gap is ", " or ",  " or ",";
            if (!(comma || gap is " " or "  "))
            {
                continue;
            }

            // Optional ".", ",", then a ZIP code.
            var p = stateEnd;
            if (p < text.Length && text[p] == '.')
            {
                p++;
            }

            var q = p < text.Length && text[p] == ',' ? p + 1 : p;
            var spaces = q;
            while (spaces < text.Length && text[spaces] is ' ' or '\t')
            {
                spaces++;
            }

            var zipLength = spaces > q ? ZipLength(text, spaces) : 0;
            if (zipLength == 0 && p < text.Length && char.IsLetterOrDigit(text[p]))
            {
                continue;
            }

            if (twoLetter && !w.IsAllUpper && zipLength == 0)
            {
                continue;
            }

            if (zipLength == 0 && (!comma || (twoLetter && w.Text is "MD" or "PA" or "DO" or "IN" or "OR" or "ME")))
            {
                continue;
            }

            var first = CityStart(note, k - 1, knownCities);
            if (first >= 0)
            {
                var end = zipLength > 0 ? spaces + zipLength : stateEnd;
                found.Add(new Candidate(words[first].Start, end, PhiType.Location, LocationPriority));
            }
        }
    }

    private static int ZipLength(string text, int at)
    {
        var n = 0;
        while (at + n < text.Length && n < 6 && char.IsDigit(text[at + n]))
        {
            n++;
        }

        if (n != 5)
        {
            return 0;
        }

        if (at + 10 <= text.Length && text[at + 5] == '-' && text.AsSpan(at + 6, 4).IndexOfAnyExceptInRange('0', '9') < 0
            && (at + 10 == text.Length || !char.IsLetterOrDigit(text[at + 10])))
        {
            return 10;
        }

        return at + 5 == text.Length || !(char.IsLetterOrDigit(text[at + 5]) || (text[at + 5] == '-' && at + 6 < text.Length && char.IsDigit(text[at + 6]))) ? 5 : 0;
    }

    /// <summary>
    /// The first word of the city ending at word <paramref name="last"/>: up to four words on the line joined by spaces
    /// (or "St. "), leading words that are not part of a place name dropped. -1 when nothing is left.
    /// </summary>
    private static int CityStart(NoteText note, int last, IReadOnlySet<string> knownCities)
    {
        var words = note.Words;
        var mixed = note.LineCases[words[last].Line] == LineCase.Mixed;
        var first = last;
        while (first > 0 && last - first < 3 && words[first - 1].Line == words[last].Line)
        {
            var gap = note.Gap(first - 1, first);
            var abbreviation = gap is ". " && words[first - 1].Lower is "st" or "ft" or "mt";
            if (!(gap is " " or "-" || abbreviation))
            {
                break;
            }

            first--;
        }

        while (first <= last)
        {
            var w = words[first];
            var placeLike = PlaceWords.Contains(w.Lower) || NoteLexicon.IsCityLower(w.Lower) || knownCities.Contains(w.Lower);
            var vocabulary = NoteLexicon.IsVocabulary(w.Lower) || NoteLexicon.IsStateNameLower(w.Lower);
            if ((mixed && !w.IsCapitalised) || (vocabulary && !placeLike))
            {
                first++;
                continue;
            }

            break;
        }

        return first > last ? -1 : first;
    }

    private static void AddPlaceAfter(NoteText note, List<Candidate> found, int position)
    {
        var words = note.Words;
        var i = note.WordAtOrAfter(position);
        if (i >= words.Length || note.Text.AsSpan(position, words[i].Start - position).Trim().Length > 0)
        {
            return;
        }

        var mixed = note.CaseAt(words[i].Start) == LineCase.Mixed;
        var first = i;
        var last = -1;
        for (var k = i; k < words.Length && k < i + 4; k++)
        {
            if (k > i && !Adjacent(note, k - 1, k))
            {
                break;
            }

            var w = words[k];
            var placeWord = PlaceWords.Contains(w.Lower);
            if (Countries.Contains(w.Lower) || NoteLexicon.IsStateNameLower(w.Lower) && !placeWord)
            {
                break;
            }

            var ok = mixed ? w.IsCapitalised && (placeWord || !NoteLexicon.IsFunctionWord(w.Lower)) && (placeWord || !NoteLexicon.IsClinical(w.Lower))
                : placeWord || !NoteLexicon.IsVocabulary(w.Lower) || NoteLexicon.IsCityLower(w.Lower);
            if (!ok)
            {
                break;
            }

            last = k;
        }

        if (last < first)
        {
            return;
        }

        // A place needs at least one word that is not a generic place word ("in town").
        var specific = false;
        for (var k = first; k <= last; k++)
        {
            specific |= !PlaceWords.Contains(words[k].Lower) && !NoteLexicon.IsFunctionWord(words[k].Lower);
        }

        if (specific)
        {
            found.Add(new Candidate(words[first].Start, words[last].End, PhiType.Location, LocationPriority));
        }
    }

    private static bool Adjacent(NoteText note, int left, int right)
    {
        var gap = note.Gap(left, right);
        return gap.Length is > 0 and <= 2 && !gap.Contains('\n') && gap.Trim().Length == 0 || gap.SequenceEqual(". ") && note.Words[left].Length <= 3;
    }

    // ---- institutions ----

    public static void AddInstitutions(NoteText note, List<Candidate> found)
    {
        var text = note.Text;
        var words = note.Words;
        foreach (var m in NotePatterns.InstitutionHead().Matches(text).Concat(NotePatterns.VeteransHead().Matches(text))
            .Concat(NotePatterns.LowerVeteransHead().Matches(text).Where(v => note.CaseAt(v.Index) == LineCase.Lower)))
        {
            var mixed = note.CaseAt(m.Index) == LineCase.Mixed;
            var headWord = note.WordAtOrAfter(m.Index);
            var following = NextWord(text, m.Index + m.Length);
            if (following is "no" or "number" or "num" or "id" || NextNonSpace(text, m.Index + m.Length) == '#')
            {
                continue; // "Hospital No: H1234567" is the label of an identifier
            }
            var first = headWord;
            var k = headWord - 1;
            while (k >= 0 && headWord - k <= 6 && InstitutionGap(note, k, k + 1))
            {
                var w = words[k];
                if (w.Lower is "md" or "do" or "rn" or "np" or "pa" or "pa-c" or "phd" or "dr" or "mr" or "mrs" or "ms")
                {
                    break;
                }

                var generic = NoteLexicon.IsGenericInstitutionWord(w.Lower) || w.Lower is "st" or "saint" or "mt" or "mount" or "of" or "and" or "the";
                var take = mixed
                    ? w.IsCapitalised || (w.Lower is "of" or "and" && k > 0 && words[k - 1].IsCapitalised)
                    : (!NoteLexicon.IsFunctionWord(w.Lower) || w.Lower is "of" or "and") && (!NoteLexicon.IsVocabulary(w.Lower) || generic || DepartmentWords.Contains(w.Lower) || PlaceWords.Contains(w.Lower) || NoteLexicon.IsKnownName(w.Lower) || NoteLexicon.IsCityLower(w.Lower));
                if (!take)
                {
                    break;
                }

                first = k;
                k--;
            }

            // Strip leading connectors and sentence-initial function words: "The Mercy Hospital" keeps "Mercy Hospital".
            while (first < headWord && (NoteLexicon.IsFunctionWord(words[first].Lower) || words[first].Lower is "seen" or "transferred" or "admitted" or "discharged"))
            {
                first++;
            }

            var specific = false;
            for (var j = first; j < headWord; j++)
            {
                var lower = words[j].Lower;
                specific |= !(NoteLexicon.IsGenericInstitutionWord(lower) || DepartmentWords.Contains(lower) || NoteLexicon.IsClinical(lower)
                    || NoteLexicon.IsFunctionWord(lower) || lower is "saint" or "st" or "mt" or "mount");
            }

            if (!specific)
            {
                continue;
            }

            var end = m.Index + m.Length;
            // "Hospital of Saint Raphael"
            var after = note.WordAtOrAfter(end);
            if (mixed && after + 1 < words.Length && words[after].Lower == "of" && Adjacent(note, after, after + 1) && words[after + 1].IsCapitalised)
            {
                var last = after + 1;
                while (last + 1 < words.Length && last < after + 3 && Adjacent(note, last, last + 1) && words[last + 1].IsCapitalised)
                {
                    last++;
                }

                end = words[last].End;
            }

            found.Add(new Candidate(words[first].Start, end, PhiType.Institution, InstitutionPriority));
        }

        foreach (Match m in NotePatterns.SaintName().Matches(text))
        {
            var n = m.Groups["n"];
            var lower = n.Value.ToLowerInvariant();
            var n2 = m.Groups["n2"];
            var n2Lower = n2.Success ? n2.Value.Trim().TrimEnd('s').TrimEnd('\'', '’').ToLowerInvariant() : string.Empty;
            var mixed = note.CaseAt(m.Index) == LineCase.Mixed;
            if (n2Lower.StartsWith("wort", StringComparison.Ordinal) || lower == "wort")
            {
                continue; // St John's wort
            }

            if (mixed && !char.IsUpper(n.Value[0]))
            {
                continue;
            }

            if ((NoteLexicon.IsVocabulary(lower) || NoteLexicon.IsFunctionWord(lower)) && !NoteLexicon.IsKnownName(lower) && !NoteLexicon.IsCityLower(lower))
            {
                continue; // ST elevation, st segment
            }

            // "123 Main St Springfield": the St of a street, not a saint.
            var wi = note.WordAtOrAfter(m.Index);
            if (wi > 0 && Adjacent(note, wi - 1, wi) && (words[wi - 1].IsCapitalised && !NoteLexicon.IsVocabulary(words[wi - 1].Lower) || PrecededByNumber(text, words[wi - 1].Start)))
            {
                continue;
            }

            var end = n.Index + n.Length;
            var tail = text.AsSpan(end);
            if (tail.StartsWith("'s", StringComparison.OrdinalIgnoreCase) || tail.StartsWith("’s", StringComparison.OrdinalIgnoreCase))
            {
                end += 2;
            }

            if (n2.Success)
            {
                var n2Word = n2.Value.Trim();
                var n2Core = n2Word.TrimEnd('s').TrimEnd('\'', '’').ToLowerInvariant();
                if ((!mixed || char.IsUpper(n2Word[0])) && (!NoteLexicon.IsVocabulary(n2Core) || NoteLexicon.IsGenericInstitutionWord(n2Core)) && !NoteLexicon.IsFunctionWord(n2Core))
                {
                    end = n2.Index + n2.Length;
                }
            }

            found.Add(new Candidate(m.Index, end, PhiType.Institution, InstitutionPriority));
        }

        foreach (Match m in NotePatterns.KnownInstitution().Matches(text))
        {
            found.Add(new Candidate(m.Index, m.Index + m.Length, PhiType.Institution, InstitutionPriority));
        }
    }

    private static bool InstitutionGap(NoteText note, int left, int right)
    {
        var gap = note.Gap(left, right);
        if (gap is " " or "-" or " & " || gap.Equals("'s ", StringComparison.OrdinalIgnoreCase) || gap.Equals("’s ", StringComparison.OrdinalIgnoreCase)
            || gap.Equals("s' ", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // A full stop ends a sentence unless it abbreviates "St." or "Mt.".
        return gap is ". " && note.Words[left].Lower is "st" or "mt" or "ft";
    }

    private static bool PrecededByNumber(string text, int index)
    {
        var p = index - 1;
        while (p >= 0 && text[p] == ' ')
        {
            p--;
        }

        return p >= 0 && char.IsDigit(text[p]);
    }

    // ---- helpers ----

    internal static string PreviousWord(string text, int index)
    {
        var p = index - 1;
        while (p >= 0 && !char.IsLetterOrDigit(text[p]) && text[p] != '\n')
        {
            p--;
        }

        var end = p + 1;
        while (p >= 0 && char.IsLetter(text[p]))
        {
            p--;
        }

        return text[(p + 1)..end].ToLowerInvariant();
    }

    internal static string NextWord(string text, int index)
    {
        var p = index;
        while (p < text.Length && (text[p] == ' ' || text[p] == '/' || text[p] == '\t'))
        {
            p++;
        }

        var start = p;
        while (p < text.Length && char.IsLetter(text[p]))
        {
            p++;
        }

        return text[start..p].ToLowerInvariant();
    }

    private static char NextNonSpace(string text, int index)
    {
        var p = index;
        while (p < text.Length && text[p] == ' ')
        {
            p++;
        }

        return p < text.Length ? text[p] : '\n';
    }

    private static bool IsLineStartOrPunctuation(string text, int index)
    {
        var p = index - 1;
        while (p >= 0 && (text[p] == ' ' || text[p] == '\t'))
        {
            p--;
        }

        return p < 0 || text[p] is '\n' or ',' or '-' or '(' or ':' or '–' or '*' or '•';
    }

    private static FrozenSet<string> Set(string words) =>
        words.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
}
