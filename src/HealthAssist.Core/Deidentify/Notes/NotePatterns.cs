using System.Text.RegularExpressions;

namespace HealthAssist.Deidentify.Notes;

/// <summary>The regular expressions of the note detector, source-generated (no runtime compilation, no backtracking blow-ups).</summary>
internal static partial class NotePatterns
{
    private const string Months =
        "January|February|March|April|May|June|July|August|September|October|November|December|Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec";

    private const string Weekdays = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Tues|Thurs|Thur|Mon|Tue|Wed|Thu|Fri|Sat|Sun";

    private const RegexOptions I = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
    private const RegexOptions S = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    // ---- dates ----

    /// <summary>MM/DD/YYYY, DD/MM/YYYY, M-D-YY, with an optional weekday before.</summary>
    [GeneratedRegex(@"(?<![\w/.\-])(?:(?<wd>" + Weekdays + @")\.?,?[ \t]+)?(?<a>\d{1,2})(?<sep>[/.\-])(?<b>\d{1,2})\k<sep>(?<y>\d{4}|\d{2})(?![\w]|[/.\-]\d)", I)]
    internal static partial Regex NumericDate();

    /// <summary>YYYY-MM-DD and YYYY/MM/DD (a time after it is kept).</summary>
    [GeneratedRegex(@"(?<![\w/.\-])(?<y>(?:18|19|20)\d{2})(?<sep>[/.\-])(?<m>\d{1,2})\k<sep>(?<d>\d{1,2})(?![\d/]|[.\-]\d)", I)]
    internal static partial Regex IsoDate();

    /// <summary>"3 Mar 2026", "03-MAR-26", "3rd of March", "3rd March 2026", "Tuesday 3 March".</summary>
    [GeneratedRegex(@"(?<![\w/.\-])(?:(?<wd>" + Weekdays + @")\.?,?[ \t]+(?:the[ \t]+)?)?(?<d>\d{1,2})(?<ord>st|nd|rd|th)?(?<of>[ \t]+of[ \t]+|[ \t\-]+|)(?<mon>" + Months + @")(?![a-z])\.?(?:(?<ysep>,?[ \t]+|-|)(?<y>(?:19|20)\d{2}|'\d{2}|(?<=-|[a-z])\d{2})(?![\w]|\.\d))?", I)]
    internal static partial Regex DayMonthDate();

    /// <summary>"March 3, 2026", "Mar 3rd", "Monday, March 3", "Sept. 14 2025".</summary>
    [GeneratedRegex(@"(?<![\w])(?:(?<wd>" + Weekdays + @")\.?,?[ \t]+)?(?<mon>" + Months + @")(?![a-z])(?:\.?[ \t]+(?:the[ \t]+)?|-)(?<d>\d{1,2})(?<ord>st|nd|rd|th)?(?![\d:/%]|\.\d)(?:(?<ysep>,[ \t]*|[ \t]+|-)(?<y>(?:19|20)\d{2})(?![\w]|\.\d))?", I)]
    internal static partial Regex MonthDayDate();

    /// <summary>"March 2026", "Jan. 2025", "03/2026".</summary>
    [GeneratedRegex(@"(?<![\w/])(?:(?<mon>" + Months + @")(?![a-z])\.?,?[ \t]+(?<y>(?:19|20)\d{2})|(?<mnum>0?[1-9]|1[0-2])/(?<y>(?:19|20)\d{2}))(?![\w/])", I)]
    internal static partial Regex MonthYearDate();

    /// <summary>A full weekday name on its own ("seen on Tuesday"); plurals ("Mondays") are schedules and do not match.</summary>
    [GeneratedRegex(@"\b(?<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", I)]
    internal static partial Regex Weekday();

    /// <summary>M/D without a year, only after a word that makes it a date ("since 3/14", "on 12/2").</summary>
    [GeneratedRegex(@"\b(?<ctx>on|since|from|until|till|thru|through|to|by|starting|started|start|begin|beginning|began|dated|effective|dos|admitted|admit|discharged|seen|last|next|due|before|after|of|d/c|dc|visit|appt|appointment|surgery|procedure)[ \t]+(?<a>\d{1,2})/(?<b>\d{1,2})(?![\d/]|\.\d)", I)]
    internal static partial Regex ShortDate();

    /// <summary>YYYYMMDD after a date label.</summary>
    [GeneratedRegex(@"\b(?:dob|d\.o\.b\.?|born|birth[ \t]*date|date(?:[ \t]+of[ \t]+(?:birth|service|admission|discharge))?|dos)[ \t]*[:#]?[ \t]*(?<y>(?:19|20)\d{2})(?<m>0[1-9]|1[0-2])(?<d>0[1-9]|[12]\d|3[01])\b", I)]
    internal static partial Regex CompactDate();

    // ---- ages ----

    [GeneratedRegex(@"(?<![\w.,])(?<n>\d{2,3})(?:[ \t]*|-)(?:y/o|y\.o\.?|yo|yrs?\.?|years?|y)(?:(?:[ \t]*|-)old)?(?![\w/])", I)]
    internal static partial Regex AgeYears();

    [GeneratedRegex(@"\b(?:aged?|age[ \t]*:|age[ \t]+of)[ \t]*(?<n>\d{2,3})(?![\w]|\.\d)", I)]
    internal static partial Regex AgeLabel();

    [GeneratedRegex(@"(?<![\w.,])(?<n>\d{2,3})[ \t]?(?<sx>M|F|m|f)(?![\w°])", S)]
    internal static partial Regex AgeSex();

    [GeneratedRegex(@"\b(?<n>ninety(?:[ \t\-](?:one|two|three|four|five|six|seven|eight|nine))?|one[ \t]+hundred(?:[ \t]+and)?(?:[ \t\-](?:one|two|three|four|five|six|seven|eight|nine|ten))?)(?=[ \t\-]+(?:years?|yrs?|y/o|yo)\b)", I)]
    internal static partial Regex AgeWords();

    // ---- identifiers ----

    [GeneratedRegex(@"(?<![\w\-])\d{3}-\d{2}-\d{4}(?![\w]|-\d)", S)]
    internal static partial Regex Ssn();

    [GeneratedRegex(@"\b(?<label>MRN|MR[ \t]*\#|MR[ \t]*No|Med(?:ical)?\.?[ \t]*Rec(?:ord)?s?\.?(?:[ \t]*(?:No|Num|Number|\#))?|Medical[ \t]+Record(?:[ \t]+(?:Number|No|Num|\#))?|Record[ \t]+(?:Number|No|\#)|Hosp(?:ital)?\.?[ \t]*(?:No|Number|\#)|Unit[ \t]*(?:No|Number|\#)|Chart(?:[ \t]*(?:No|Number|\#))?|Acct|Account|Accession|Accn|Acc|Encounter|Enc|Visit|CSN|FIN|HAR|Specimen|Policy|Member|Subscriber|Group|Grp|Insurance|Ins|Medicare|Medicaid|MBI|Patient[ \t]*ID|Pt[ \t]*ID|PID|ID|Claim|License|Lic|DEA|NPI|Serial|SSN|SS\#|Social[ \t]+Security|Case|Order|Requisition|Req|Ref(?:erence)?|Badge|Employee)\.?(?:[ \t]*(?:No|Num|Number|Nbr|\#|ID|Identifier|Code)\.?)?(?<gap>[ \t]*[:#=]?[ \t]*(?:is[ \t]+)?)(?<v>(?=[A-Z0-9\-]*\d)[A-Z0-9][A-Z0-9\-]{3,}[A-Z0-9])(?![\w\-])", I)]
    internal static partial Regex LabelledIdentifier();

    [GeneratedRegex(@"(?<![\w])[A-Z]{1,3}\d{6,}(?![\w])", S)]
    internal static partial Regex PrefixedNumber();

    [GeneratedRegex(@"(?<![\w.,/\-])(?:\#[ \t]?)?\d{8,}(?![\w]|[.,]\d)", S)]
    internal static partial Regex LongDigits();

    [GeneratedRegex(@"(?<![\w])\#[ \t]?\d{5,}(?![\w])", S)]
    internal static partial Regex HashNumber();

    // ---- telecom, e-mail, web ----

    [GeneratedRegex(@"(?<![\w+])(?:\+?1[ \t.\-]?)?(?:\(\d{3}\)[ \t]?|\d{3}[ \t.\-])\d{3}[ \t.\-]\d{4}(?:[ \t]*(?:x|ext\.?|extension)[ \t]*\d{1,5})?(?![\w])", I)]
    internal static partial Regex UsPhone();

    [GeneratedRegex(@"(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[ \t.\-]?\(0\))?(?:[ \t.\-]?\d{1,5}){2,6}(?![\w])", I)]
    internal static partial Regex InternationalPhone();

    [GeneratedRegex(@"\b(?:tel|telephone|phone|ph|cell|cellphone|mobile|mob|fax|pager|beeper|bleep|callback|call[ \t]*back|c/b|contact[ \t]+(?:no|number|\#)|home[ \t]+(?:phone|no|number|\#)|work[ \t]+(?:phone|no|number|\#))\.?[ \t]*(?:no\.?|number|\#)?[ \t]*[:#]?[ \t]*(?<v>\(?\d{3,5}\)?[ \t.\-]?\d{3,4}(?:[ \t.\-]?\d{4})?|\d{10,11})(?![\w]|[.\-]\d)", I)]
    internal static partial Regex LabelledPhone();

    [GeneratedRegex(@"\b(?:at|call|reach|home|work|contact|ext|extension)\.?[ \t]*[:#]?[ \t]*(?<v>\d{3}[.\-]\d{4})(?![\w]|[.\-]\d)", I)]
    internal static partial Regex WeakLabelledPhone();

    [GeneratedRegex(@"\b(?:ext|extension|pager|bleep|beeper)\.?[ \t]*[:#]?[ \t]*(?<v>\d{4,5})(?![\w]|[.\-]\d)", I)]
    internal static partial Regex Extension();

    [GeneratedRegex(@"[\d(+][\d \t().+\-]{5,}\d", S)]
    internal static partial Regex DigitRun();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", S)]
    internal static partial Regex Email();

    [GeneratedRegex(@"(?:https?://|ftp://|www\.)[^ \t<>""'()\[\]]+", I)]
    internal static partial Regex Url();

    [GeneratedRegex(@"(?<![\w@.\-])[A-Za-z0-9][A-Za-z0-9\-]*(?:\.[A-Za-z0-9\-]+)*\.(?:com|org|net|edu|gov|io|info|biz|co\.uk|org\.uk|nhs\.uk)(?![\w])(?:/[^ \t<>""'()]*)?", I)]
    internal static partial Regex BareDomain();

    [GeneratedRegex(@"(?<![\w.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?![\w]|\.\d)", S)]
    internal static partial Regex IpAddress();

    // ---- places ----

    [GeneratedRegex(@"(?<![\w#/.\-])(?<num>\d{1,6}[A-Za-z]?)(?:-\d{1,4})?[ \t]+(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?[ \t]+)?(?<name>(?:[A-Za-z][A-Za-z'’.\-]*|\d{1,3}(?:st|nd|rd|th))(?:[ \t]+[A-Za-z][A-Za-z'’.\-]*){0,3}?)[ \t]+(?<suffix>Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Place|Pl|Way|Terrace|Ter|Terr|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Route|Rte|Crescent|Cres|Close|Row|Alley|Run|Path|Pike|Loop|Plaza|Ridge|Heights|Hts|Crossing|Commons|Pass|Walk|Grove|Gardens|Hollow|Bend|Cove|Glen)\b\.?(?:[ \t]*(?:N|S|E|W|NE|NW|SE|SW)\b\.?)?(?:,?[ \t]*(?:Apt|Apartment|Unit|Suite|Ste|Fl|Floor|Rm|Room|Bldg|Lot|\#)\.?[ \t]*\#?[ \t]*[A-Za-z0-9\-]{1,6}\b)?", I)]
    internal static partial Regex StreetAddress();

    [GeneratedRegex(@"\b(?:P\.?[ \t]?O\.?[ \t]*Box|Post[ \t]+Office[ \t]+Box)[ \t]+\d{1,6}\b", I)]
    internal static partial Regex PoBox();

    [GeneratedRegex(@"\b(?:zip|zip[ \t]*code|postal[ \t]*code|postcode)[ \t]*[:#]?[ \t]*(?<zip>\d{5}(?:-\d{4})?)(?![\w]|-\d)", I)]
    internal static partial Regex LabelledZip();

    [GeneratedRegex(@"(?<![\w\-])\d{5}-\d{4}(?![\w]|-\d)", S)]
    internal static partial Regex ZipPlusFour();

    /// <summary>The words that introduce a place of residence or origin: "lives in", "moved from", "resident of".</summary>
    [GeneratedRegex(@"\b(?:lives|living|lived|resides|residing|resident|moved|relocated|relocating|visiting|visited|travel(?:l)?ed|travel(?:l)?ing|trip|holiday|vacation(?:ing)?|originally|native|hometown|home[ \t]+town|grew[ \t]+up|raised|works|worked|working|commutes|drove|driving)[ \t]+(?:(?:back[ \t]+)?(?:in|at|to|from|of|near|outside(?:[ \t]+of)?|around)[ \t]+)(?:the[ \t]+(?:town|city|village)[ \t]+of[ \t]+)?", I)]
    internal static partial Regex PlaceContext();

    // ---- institutions ----

    [GeneratedRegex(@"\b(?<head>Hospital|Medical[ \t]+Center|Medical[ \t]+Centre|Health[ \t]+Center|Health[ \t]+Centre|Health[ \t]+System|Healthcare|Health[ \t]+Care|Clinic|Hospice|Infirmary|Nursing[ \t]+Home|Nursing[ \t]+Facility|Nursing[ \t]+Center|Nursing[ \t]+and[ \t]+Rehabilitation|Rehabilitation[ \t]+Center|Rehabilitation[ \t]+Hospital|Rehab[ \t]+Center|Care[ \t]+Center|Care[ \t]+Centre|Surgery[ \t]+Center|Surgical[ \t]+Center|Cancer[ \t]+Center|Cancer[ \t]+Institute|Heart[ \t]+Institute|Memorial|Manor|Assisted[ \t]+Living|Senior[ \t]+Living|Retirement[ \t]+Home|Retirement[ \t]+Community|Medical[ \t]+Group|Sanatorium|Institute|Pavilion|Rehab|Rehabilitation|VAMC|VA[ \t]+Medical[ \t]+Center)s?\b", I)]
    internal static partial Regex InstitutionHead();

    /// <summary>"the Copperton VA": a Veterans Affairs hospital named by its town (capitals only; "Richmond, VA" has a comma).</summary>
    [GeneratedRegex(@"(?<=[A-Za-z][ \t])VA\b(?![ \t]*\d)", S)]
    internal static partial Regex VeteransHead();

    [GeneratedRegex(@"(?<=[a-z][ \t])va\b(?![ \t]*\d)", S)]
    internal static partial Regex LowerVeteransHead();

    [GeneratedRegex(@"\b(?:St|Saint|Mt|Mount)\.?[ \t]+(?<n>[A-Za-z][A-Za-z\-]*)(?:['’]s)?(?<n2>[ \t]+[A-Za-z][A-Za-z\-]*(?:['’]s)?)?", I)]
    internal static partial Regex SaintName();

    [GeneratedRegex(@"\b(?:Johns[ \t]+Hopkins|Mass(?:achusetts)?[ \t]+General|Mayo|M\.?D\.?[ \t]+Anderson|Sloan[ \t\-]+Kettering|Cedars[ \t\-]+Sinai|Mount[ \t]+Sinai|Mt\.?[ \t]+Sinai|Beth[ \t]+Israel(?:[ \t]+Deaconess)?|Brigham[ \t]+and[ \t]+Women'?s|Kaiser(?:[ \t]+Permanente)?|Geisinger|Ochsner|Intermountain|Dartmouth[ \t\-]+Hitchcock|Vanderbilt|Cleveland[ \t]+Clinic|Barnes[ \t\-]+Jewish|NewYork[ \t\-]+Presbyterian|Montefiore|Kings[ \t]+County|Cook[ \t]+County|Jackson[ \t]+Memorial)\b", I)]
    internal static partial Regex KnownInstitution();

    // ---- words ----

    [GeneratedRegex(@"(?<![\p{L}\p{N}_])\p{L}+(?:['’]\p{L}+)*(?:-\p{L}+(?:['’]\p{L}+)*)*(?![\p{N}])", RegexOptions.CultureInvariant)]
    internal static partial Regex Word();
}
