using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace HealthAssist.Deidentify.Notes;

/// <summary>
/// Finds people's names with context (titles, relations, roles, "seen by", credentials), dictionaries (common given and
/// family names), shape (capitalised pairs, "FAMILY^GIVEN", "Family, Given") and the patient's own names from the record;
/// a name found once with confidence is then found everywhere in the note. Names that are also words ("Will", "Hope",
/// "Frank") need a name context and must not be followed by what makes them a word ("Will continue", "frank blood").
/// </summary>
internal static partial class NameFinder
{
    private static readonly FrozenSet<string> Titles = Words("dr drs doctor mr mrs ms miss mx prof professor rev reverend fr sr");

    private static readonly FrozenSet<string> Credentials = Words(
        "md m.d do rn np pa pa-c phd aprn dnp lpn cna pharmd fnp crna msw lcsw rrt dds dmd od mbbs frcp facp mph");

    // After a name that is also a word, these make it the word: "Will continue", "hope to", "frank hematuria", "the walker".
    private static readonly FrozenSet<string> WordFollowers = Words("""
        to the a an this that these those his her their our my your its some any no not be been also likely probably
        need needs call come visit bring take stay help get pick drive return discuss follow see arrive update contact review
        decide sign provide make let check attend continue start stop restart hold give consider plan monitor obtain order
        repeat recheck trend wean titrate increase decrease discharge admit transfer refer consult arrange schedule book
        send keep encourage try benefit require improve resolve remain tolerate ambulate mobilize mobilise eat drink sleep
        walk use wear apply change remove place insert go have do d c f r s w for of period phenomenon spots site sites
        area blood bleeding hematuria haematuria pus
        """);

    private static readonly FrozenSet<string> HumanVerbs = Words("""
        states stated reports reported denies denied says said endorses endorsed complains complained feels felt understands
        understood agrees agreed declines declined wishes wished wants wanted prefers preferred remembers recalls thinks
        believes asks asked tells told explains explained expresses expressed verbalizes verbalized verbalises verbalised
        """);

    private static readonly FrozenSet<string> WordPrecursors = Words("the a an no any some his her their my our your its this that frank");

    [GeneratedRegex(@"(?:^|[^\w])(?:(?<title>dr|drs|doctor|mr|mrs|ms|miss|mx|prof|professor|rev|reverend)\.?\s*|(?<rel>son|daughter|wife|husband|mother|father|mom|mum|dad|brother|sister|partner|spouse|boyfriend|girlfriend|fianc[eé]e?|friend|neighbou?r|niece|nephew|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|granny|aunt|uncle|cousin|caregiver|carer|guardian|stepson|stepdaughter|son-in-law|daughter-in-law|sibling|roommate|sons|daughters|brothers|sisters|hcp|poa|nok|next\s+of\s+kin|emergency\s+contact|contact|proxy|surrogate|pcp|gp|attending|resident|intern|fellow|registrar|consultant|physician|surgeon|cardiologist|oncologist|nephrologist|pulmonologist|neurologist|hospitalist|intensivist|nurse|rn|np|interpreter|chaplain|pharmacist|therapist|sw|social\s+worker|case\s+manager|liaison|coordinator|navigator|educator|dietitian|aide|volunteer|advocate)(?:'s)?(?:\s*[,:(\-–]\s*(?:named\s+|called\s+)?|\s+(?:is|was|named|called|-)\s+|\s+)|(?<label>pt|patient|pt\.|name|patient\s+name|pt\s+name|full\s+name|dear|cc|re|author|provider|referring|ref\s+by|from|to|attn)(?:\s*[:,(\-–]\s*|\s+(?:is\s+)?)|(?<by>(?:seen|accompanied|signed|dictated|referred|reviewed|examined|escorted|brought|visited|attended|cosigned|co-signed|covered|evaluated|assessed|interpreted|performed|authored|countersigned|transcribed|verified|approved|managed|followed|called|requested|ordered|supervised|staffed|precepted|read|written|prepared|completed|entered)\s+by\s*:?\s*|(?:discussed|spoke|spoken|talked|met|consulted|conferred|d/w|dw|d/w'd|case\s+discussed|plan\s+discussed|seen|examined|rounded|evaluated|staffed|reviewed)\s+(?:with|w/)\s*:?\s*|(?:thanks|thank\s+you|regards|best|cheers|sincerely|best\s+wishes|kind\s+regards|warm\s+regards)\s*,\s*|d/w\s+|(?:spoke|talked|spoken|sent|referred|handed\s+over|handover|message\s+left\s+for|left\s+message\s+for|message\s+for)\s+(?:to\s+)?|(?:report|called|given|passed|handed|signed\s+out)\s+to\s+|(?:family\s+)?meeting\s+with\s+|(?:named|called|per|thanks\s+to|cc:?|c\.c\.)\s+))$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex ContextBefore();

    [GeneratedRegex(@"(?<![\w^])[\p{L}'\-]+\^[\p{L}'\-]*(?:\^[\p{L}'.\-]*){0,3}", RegexOptions.CultureInvariant)]
    private static partial Regex CaretName();

    private enum Context
    {
        None,
        Title,
        Relation,
        Label,
        NameLabel,
        By,
    }

    internal static bool IsTitle(string lower) => Titles.Contains(lower);

    /// <summary>Returns name spans (start, end) in the text.</summary>
    public static List<(int Start, int End)> Find(NoteText note, IReadOnlySet<string> knownNames)
    {
        var words = note.Words;
        var isName = new bool[words.Length];
        var confident = new bool[words.Length];
        var titled = new bool[words.Length];
        var seeds = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < words.Length; i++)
        {
            var w = words[i];
            var initial = w.Length == 1 && (char.IsUpper(w.Text[0]) || note.CaseAt(w.Start) == LineCase.Lower) && i + 1 < words.Length && note.Gap(i, i + 1) is ". " or "."
                && (!NoteLexicon.IsVocabulary(words[i + 1].Lower) || NoteLexicon.IsWordNameLower(words[i + 1].Lower));
            if (w.Length < 2 && !(i > 0 && IsTitle(words[i - 1].Lower)) && !initial)
            {
                continue;
            }

            var context = ContextOf(note, i);
            if (context != Context.None && AcceptInContext(note, i, context))
            {
                Mark(i, context == Context.Title);
                Continue(note, i, context);
                continue;
            }

            if (knownNames.Contains(w.Lower) && AcceptKnown(note, i))
            {
                Mark(i, false);
                continue;
            }

            if (IsCredentialAfter(note, i) && IsSignatureName(note, i))
            {
                Mark(i, false);
                if (i > 0 && (SameName(note, i - 1, i) || IsCommaGap(note.Gap(i - 1, i))) && IsSignatureName(note, i - 1))
                {
                    Mark(i - 1, false);
                }

                continue;
            }

            // "Juhasz, Jesse" / "Smith, Okonkwo": family, comma, given — one side known, the other shaped like a name.
            if (i + 1 < words.Length && IsCommaGap(note.Gap(i, i + 1))
                && ((IsDictionaryGiven(words[i + 1].Lower) && IsNameShaped(note, i) && !note.IsSentenceStart(i + 1))
                    || (NameLexiconFamily(w.Lower) && IsNameShaped(note, i + 1))))
            {
                Mark(i, false);
                Mark(i + 1, false);
                continue;
            }

            if (IsDictionaryName(w.Lower))
            {
                Mark(i, false);
                if (i + 1 < words.Length && SameName(note, i, i + 1) && PairPartner(note, i + 1))
                {
                    Mark(i + 1, false);
                }

                continue;
            }

            // "L. Ekwueme": an initial, a full stop and a capitalised word that is not English.
            if (initial && note.Gap(i, i + 1) is ". " && PairPartner(note, i + 1) && (words[i + 1].IsCapitalised || note.CaseAt(w.Start) != LineCase.Mixed))
            {
                Mark(i, false);
                Mark(i + 1, false);
                continue;
            }

            // "Szczepanski (ICU fellow)", "Amber (granddaughter)": a role in brackets after the name.
            if (RoleInBracketsAfter(note, i) && (IsNameShaped(note, i) || (NoteLexicon.IsWordNameLower(w.Lower) && (note.CaseAt(w.Start) != LineCase.Mixed || w.IsCapitalised))))
            {
                Mark(i, false);
                if (i > 0 && SameName(note, i - 1, i) && IsNameShaped(note, i - 1))
                {
                    Mark(i - 1, false);
                }

                continue;
            }

            // "Ottilie states …", "Anneliese is 76": an unknown capitalised word as the subject of what only people do or are.
            var ageAfter = i + 1 < words.Length && note.Gap(i, i + 1) is " " && IsAgeAfter(note, i + 1);
            if (i + 1 < words.Length && note.Gap(i, i + 1) is " " && (HumanVerbs.Contains(words[i + 1].Lower) || ageAfter)
                && (IsNameShaped(note, i) && !NoteLexicon.IsWordNameLower(w.Lower) || NoteLexicon.IsWordNameLower(w.Lower))
                && (note.CaseAt(w.Start) == LineCase.Mixed ? w.IsCapitalised : !NoteLexicon.IsCityLower(w.Lower)))
            {
                Mark(i, false);
                continue;
            }

            // An unknown or word-like capitalised word before a family name: "Ama Smith", "Grace Johnson".
            if (i + 1 < words.Length && SameName(note, i, i + 1) && NameLexiconFamily(words[i + 1].Lower) && IsNameShaped(note, i)
                && (!NoteLexicon.IsWordNameLower(w.Lower) || w.IsCapitalised))
            {
                Mark(i, false);
                Mark(i + 1, false);
            }
        }

        foreach (Match m in CaretName().Matches(note.Text))
        {
            for (var k = note.WordAtOrAfter(m.Index); k < words.Length && words[k].Start < m.Index + m.Length; k++)
            {
                Mark(k, false);
            }
        }

        // Everything found with confidence is found everywhere in the note.
        seeds.UnionWith(knownNames);
        for (var i = 0; i < words.Length; i++)
        {
            if (!isName[i] && words[i].Length >= 2 && seeds.Contains(words[i].Lower) && AcceptKnown(note, i))
            {
                isName[i] = true;
            }
        }

        return Spans(note, isName, titled);

        void Mark(int index, bool title)
        {
            isName[index] = true;
            titled[index] |= title;
            if (!confident[index])
            {
                confident[index] = true;
                // Words of the language are not spread through the note ("Dr Parkinson" must not take "Parkinson disease");
                // names that are words are, but each further occurrence passes the word-name checks again.
                var lower = words[index].Lower;
                if (lower.Length >= 3 && (!NoteLexicon.IsVocabulary(lower) || NoteLexicon.IsWordNameLower(lower)))
                {
                    seeds.Add(lower);
                }
            }
        }

        void Continue(NoteText n, int index, Context context)
        {
            var taken = 1;
            var k = index;
            while (k + 1 < words.Length && taken < 4)
            {
                var gap = n.Gap(k, k + 1);
                var next = k + 1;
                if (IsPlainGap(gap, words[k]) && (IsInitial(n, next) || ContinuesName(n, next, context)))
                {
                    Mark(next, context == Context.Title);
                    k = next;
                    taken++;
                    continue;
                }

                // "Smith, John" / "okafor, ama" after a patient label, a title or a relation.
                if (taken == 1 && IsCommaGap(gap) && (IsDictionaryGiven(words[next].Lower) || (ContinuesName(n, next, context) && context is Context.Label or Context.Title or Context.NameLabel)))
                {
                    Mark(next, context == Context.Title);
                    k = next;
                    taken++;
                    continue;
                }

                break;
            }
        }
    }

    // The last word of every alternative of ContextBefore (and the word before "is", "named", "-").
    private static readonly FrozenSet<string> ContextTriggers = Words("""
        dr drs doctor mr mrs ms miss mx prof professor rev reverend son daughter wife husband mother father mom mum dad
        brother sister partner spouse boyfriend girlfriend fiance fiancee fiancée fiancé friend neighbor neighbour niece
        nephew grandson granddaughter grandmother grandfather grandma grandpa granny aunt uncle cousin caregiver carer
        guardian stepson stepdaughter son-in-law daughter-in-law sibling roommate sons daughters brothers sisters hcp poa nok
        kin contact proxy surrogate pcp gp attending resident intern fellow registrar consultant physician surgeon
        cardiologist oncologist nephrologist pulmonologist neurologist hospitalist intensivist nurse rn np interpreter
        chaplain pharmacist therapist sw worker manager liaison coordinator navigator educator dietitian aide volunteer
        advocate pt patient name dear cc c re author provider referring ref from to attn by with w for named called per
        over handover dw d thanks you regards best cheers sincerely wishes is was report given passed handed out meeting
        """);

    private static readonly FrozenSet<string> StreetWords = Words("street st avenue ave road rd drive dr lane ln court ct boulevard blvd way place pl terrace circle parkway highway");

    private static readonly FrozenSet<string> BracketRoles = Words("""
        fellow resident attending intern registrar consultant nurse rn np pa md do pcp hospitalist intensivist surgeon
        physician pharmacist therapist sw chaplain interpreter husband wife son daughter mother father brother sister partner
        spouse friend neighbor neighbour niece nephew grandson granddaughter aunt uncle cousin caregiver carer guardian
        hcp poa nok roommate boyfriend girlfriend fiance fiancee stepson stepdaughter icu er ed
        """);

    private static bool RoleInBracketsAfter(NoteText note, int index)
    {
        var words = note.Words;
        if (index + 1 >= words.Length)
        {
            return false;
        }

        var gap = note.Gap(index, index + 1);
        return gap is " (" or "(" && BracketRoles.Contains(words[index + 1].Lower);
    }

    /// <summary>"is 76", "is a 76", "is a 93-year-old": the word before is someone's name.</summary>
    private static bool IsAgeAfter(NoteText note, int index)
    {
        var words = note.Words;
        if (words[index].Lower is not ("is" or "was"))
        {
            return false;
        }

        var p = words[index].End;
        var text = note.Text;
        while (p < text.Length && text[p] == ' ')
        {
            p++;
        }

        if (p + 2 < text.Length && (text[p] is 'a' or 'A') && text[p + 1] == ' ')
        {
            p += 2;
        }

        return p < text.Length && char.IsDigit(text[p]);
    }

    private static bool IsPlainGap(ReadOnlySpan<char> gap, NoteWord left)
    {
        // One space, a hyphen or a caret; "J. Smith" after an initial.
        return gap is " " or "-" or "^" || (left.Length == 1 && gap is ". " or ".");
    }

    private static bool IsCommaGap(ReadOnlySpan<char> gap) => gap.Trim().SequenceEqual(",") && !gap.Contains('\n');

    private static bool SameName(NoteText note, int left, int right) => IsPlainGap(note.Gap(left, right), note.Words[left]);

    private static bool IsInitial(NoteText note, int index)
    {
        var w = note.Words[index];
        if (w.Length != 1 || (!char.IsUpper(w.Text[0]) && note.CaseAt(w.Start) != LineCase.Lower))
        {
            return false;
        }

        // An initial is followed by a full stop or by another name word: "J. Smith", "John Q Public".
        var after = w.End < note.Text.Length ? note.Text[w.End] : ' ';
        return after == '.' || (index + 1 < note.Words.Length && note.Words[index + 1].Length > 1 && SameName(note, index, index + 1)
            && !NoteLexicon.IsVocabulary(note.Words[index + 1].Lower));
    }

    private static Context ContextOf(NoteText note, int index)
    {
        // Cheap test first: a context always ends in one of a few words, one or two words back on the same line.
        var words = note.Words;
        var w = words[index];
        var trigger = false;
        for (var k = index - 1; k >= 0 && k >= index - 3 && words[k].Line == w.Line; k--)
        {
            if (ContextTriggers.Contains(words[k].Lower))
            {
                trigger = true;
                break;
            }
        }

        if (!trigger)
        {
            return Context.None;
        }

        var line = note.LineStart(w.Line);
        var from = Math.Max(line, w.Start - 48);
        var window = note.Text.AsSpan(from, w.Start - from);
        foreach (var m in ContextBefore().EnumerateMatches(window))
        {
            var matched = window.Slice(m.Index, m.Length).TrimStart();
            var firstWord = FirstWord(matched);
            if (Titles.Contains(firstWord))
            {
                // "5673 Old Mill Dr. GCS 15": the Dr of a street, not a doctor.
                return firstWord == "dr" && EndsWithStreet(note, line, w.Start) ? Context.None : Context.Title;
            }

            if (firstWord is "name" or "full" || matched.Contains("name", StringComparison.OrdinalIgnoreCase) || firstWord is "dear" or "re" or "cc")
            {
                return Context.NameLabel;
            }

            if (firstWord is "pt" or "patient" or "author" or "provider" or "referring" or "ref" or "from" or "to" or "attn" or "per")
            {
                return firstWord is "from" or "to" ? (FromToBeforeName(matched) ? Context.Label : Context.None) : Context.Label;
            }

            return matched.Contains(" by", StringComparison.OrdinalIgnoreCase) || matched.Contains("with", StringComparison.OrdinalIgnoreCase) || matched.Contains(" to", StringComparison.OrdinalIgnoreCase)
                || matched.Contains("w/", StringComparison.OrdinalIgnoreCase) || matched.Contains(',')
                || matched.StartsWith("d/w", StringComparison.OrdinalIgnoreCase) || firstWord is "named" or "called" or "per" or "spoke" or "talked" or "sent" or "handed" or "handover" or "message" or "left" or "thanks" or "dw" or "spoken" or "report" or "given" or "passed" or "meeting" or "family" or "regards" or "best" or "cheers" or "sincerely" or "kind" or "warm"
                ? Context.By
                : Context.Relation;
        }

        return Context.None;
    }

    private static bool EndsWithStreet(NoteText note, int lineStart, int before)
    {
        var prefix = note.Text[lineStart..before].TrimEnd();
        foreach (Match m in NotePatterns.StreetAddress().Matches(prefix))
        {
            if (m.Index + m.Length >= prefix.Length - 1 && PatternDetectors.IsStreetName(m.Groups["name"].Value))
            {
                return true;
            }
        }

        return false;
    }

    // "From:"/"To:" headers of letters and messages only.
    private static bool FromToBeforeName(ReadOnlySpan<char> matched) => matched.Contains(':');

    private static string FirstWord(ReadOnlySpan<char> text)
    {
        var end = 0;
        while (end < text.Length && (char.IsLetter(text[end]) || text[end] == '/'))
        {
            end++;
        }

        return text[..end].ToString().ToLowerInvariant();
    }

    private static bool AcceptInContext(NoteText note, int index, Context context)
    {
        var w = note.Words[index];
        var mixed = note.CaseAt(w.Start) == LineCase.Mixed;
        var lower = w.Lower;
        if ((NoteLexicon.IsFunctionWord(lower) && !NoteLexicon.IsWordNameLower(lower)) || w.Length < 2)
        {
            return w.Length == 1 && IsInitial(note, index);
        }

        if (context == Context.Title)
        {
            // "Dr Parkinson", "Dr. Hope": a title makes even a word a name, when written as one.
            if (mixed)
            {
                return w.IsCapitalised || !NoteLexicon.IsVocabulary(lower);
            }

            return !NoteLexicon.IsVocabulary(lower) || NoteLexicon.IsWordNameLower(lower) || IsDictionaryName(lower);
        }

        if (NoteLexicon.IsWordNameLower(lower))
        {
            // "son Will", "pt's partner art visiting"; but "son will call", "Hope to".
            return (!mixed || w.IsCapitalised || context is Context.Relation or Context.NameLabel or Context.By) && FollowerAllows(note, index);
        }

        if (IsDictionaryName(lower))
        {
            return true;
        }

        var vocabulary = mixed && w.IsCapitalised ? NoteLexicon.IsListedVocabulary(lower) : NoteLexicon.IsVocabulary(lower);
        if (vocabulary || NoteLexicon.IsStateNameLower(lower) || NoteLexicon.IsCityLower(lower))
        {
            return false;
        }

        if (context == Context.NameLabel)
        {
            return true;
        }

        if (mixed && !w.IsCapitalised)
        {
            // "pt's wife efua visiting": after a relation a word that is not English is a name even in lower case.
            return context is Context.Relation or Context.By ? w.Length >= 3 : context == Context.Label && HasNameSupport(note, index);
        }

        if (context == Context.Label && !mixed)
        {
            return HasNameSupport(note, index);
        }

        return true;
    }

    /// <summary>A further word or a comma-separated given name makes an unknown word after "pt" a name.</summary>
    private static bool HasNameSupport(NoteText note, int index)
    {
        var words = note.Words;
        if (index + 1 >= words.Length)
        {
            return false;
        }

        var gap = note.Gap(index, index + 1);
        var next = words[index + 1].Lower;
        if (IsCommaGap(gap) || IsPlainGap(gap, words[index]))
        {
            return IsDictionaryName(next) || NoteLexicon.IsWordNameLower(next) || (!NoteLexicon.IsVocabulary(next) && next.Length >= 2 && !NoteLexicon.IsStateNameLower(next));
        }

        return false;
    }

    private static bool ContinuesName(NoteText note, int index, Context context)
    {
        var w = note.Words[index];
        var lower = w.Lower;
        if (w.Length < 2 || (NoteLexicon.IsFunctionWord(lower) && !NoteLexicon.IsWordNameLower(lower)) || Credentials.Contains(lower))
        {
            return false;
        }

        var mixed = note.CaseAt(w.Start) == LineCase.Mixed;
        if (IsDictionaryName(lower))
        {
            return !mixed || w.IsCapitalised || context is Context.Label or Context.NameLabel;
        }

        if (NoteLexicon.IsWordNameLower(lower))
        {
            return mixed ? w.IsCapitalised : FollowerAllows(note, index);
        }

        if (mixed && w.IsCapitalised)
        {
            // A capitalised word after a name: only listed words stop it ("Canarywing" is not "-ing" English).
            return !NoteLexicon.IsListedVocabulary(lower) && !NoteLexicon.IsStateNameLower(lower);
        }

        return !NoteLexicon.IsVocabulary(lower) && !NoteLexicon.IsStateNameLower(lower) && !mixed;
    }

    /// <summary>The patient's own names (and names found elsewhere in the note) wherever they occur.</summary>
    private static bool AcceptKnown(NoteText note, int index)
    {
        var w = note.Words[index];
        var lower = w.Lower;
        if (NoteLexicon.IsFunctionWord(lower))
        {
            return false;
        }

        var mixed = note.CaseAt(w.Start) == LineCase.Mixed;
        if (NoteLexicon.IsWordNameLower(lower) || NoteLexicon.IsVocabulary(lower))
        {
            return (!mixed || w.IsCapitalised) && FollowerAllows(note, index) && !EponymFollows(note, index);
        }

        return !EponymFollows(note, index);
    }

    private static bool FollowerAllows(NoteText note, int index)
    {
        var words = note.Words;
        if (index > 0)
        {
            var before = note.Gap(index - 1, index);
            if (before.Trim().Length == 0 && !before.Contains('\n') && WordPrecursors.Contains(words[index - 1].Lower))
            {
                return false;
            }
        }

        if (index + 1 >= words.Length)
        {
            return true;
        }

        var gap = note.Gap(index, index + 1);
        if (gap.Trim().Length > 0 || gap.Contains('\n'))
        {
            return !gap.Trim().StartsWith("/");
        }

        var next = words[index + 1].Lower;
        return !WordFollowers.Contains(next) && !NoteLexicon.IsClinical(next);
    }

    private static bool EponymFollows(NoteText note, int index)
    {
        var words = note.Words;
        var k = index + 1;
        while (k < words.Length && SameName(note, k - 1, k) && (IsDictionaryName(words[k].Lower) || NoteLexicon.IsKnownName(words[k].Lower)) && k - index < 3)
        {
            k++;
        }

        if (k >= words.Length)
        {
            return false;
        }

        var gap = note.Gap(k - 1, k);
        return gap.Length <= 3 && !gap.Contains('\n') && !gap.Contains(',') && !gap.Contains('.') && NoteLexicon.IsEponymHead(words[k].Lower);
    }

    private static bool IsCredentialAfter(NoteText note, int index)
    {
        var words = note.Words;
        if (index + 1 >= words.Length)
        {
            return false;
        }

        var next = words[index + 1];
        var gap = note.Gap(index, index + 1);
        if (gap.Contains('\n') || gap.Length > 3)
        {
            return false;
        }

        var credential = next.Lower;
        var lowerLine = note.CaseAt(next.Start) == LineCase.Lower;
        if (!Credentials.Contains(credential) || (next.Text.Any(char.IsLower) && !lowerLine && credential is not ("phd" or "pharmd")))
        {
            return false;
        }

        // "DO" and "PA" are words too; only after a comma.
        return credential is not ("do" or "pa") || gap.Contains(',');
    }

    /// <summary>A word before a credential ("Black, RN", "Amber Xiao-Ling, MD"): capitalised words count, even ordinary ones.</summary>
    private static bool IsSignatureName(NoteText note, int index)
    {
        var w = note.Words[index];
        if (NoteLexicon.IsWordNameLower(w.Lower))
        {
            return note.CaseAt(w.Start) != LineCase.Mixed || w.IsCapitalised;
        }

        if (w.Length < 2 || NoteLexicon.IsFunctionWord(w.Lower) || NoteLexicon.IsClinical(w.Lower) || Credentials.Contains(w.Lower))
        {
            return false;
        }

        return note.CaseAt(w.Start) == LineCase.Mixed ? w.IsCapitalised : IsNameShaped(note, index) || NoteLexicon.IsWordNameLower(w.Lower);
    }

    private static bool IsNameShaped(NoteText note, int index)
    {
        var w = note.Words[index];
        var lower = w.Lower;
        if (w.Length < 2 || NoteLexicon.IsFunctionWord(lower))
        {
            return false;
        }

        if (IsDictionaryName(lower))
        {
            return true;
        }

        if (NoteLexicon.IsVocabulary(lower) || NoteLexicon.IsStateNameLower(lower))
        {
            return false;
        }

        return note.CaseAt(w.Start) != LineCase.Mixed || w.IsCapitalised;
    }

    private static bool PairPartner(NoteText note, int index)
    {
        var w = note.Words[index];
        var lower = w.Lower;
        if (w.Length < 2 || NoteLexicon.IsFunctionWord(lower) || Credentials.Contains(lower))
        {
            return false;
        }

        if (IsDictionaryName(lower))
        {
            return true;
        }

        if (StreetWords.Contains(lower))
        {
            return false;
        }

        var mixed = note.CaseAt(w.Start) == LineCase.Mixed;
        if (NoteLexicon.IsWordNameLower(lower))
        {
            return (!mixed || w.IsCapitalised) && FollowerAllows(note, index) && !EponymFollows(note, index);
        }

        return !NoteLexicon.IsVocabulary(lower) && !NoteLexicon.IsStateNameLower(lower) && !NoteLexicon.IsCityLower(lower) && (!mixed || w.IsCapitalised);
    }

    private static bool IsDictionaryName(string lower) =>
        lower.Length >= 3 && (NoteLexicon.IsGivenLower(lower) || NoteLexicon.IsFamilyLower(lower) || HyphenatedName(lower))
        && !NoteLexicon.IsWordNameLower(lower) && !NoteLexicon.IsVocabulary(lower);

    private static bool IsDictionaryGiven(string lower) => lower.Length >= 3 && NoteLexicon.IsGivenLower(lower) && !NoteLexicon.IsWordNameLower(lower);

    private static bool NameLexiconFamily(string lower) => lower.Length >= 3 && NoteLexicon.IsFamilyLower(lower) && !NoteLexicon.IsWordNameLower(lower) && !NoteLexicon.IsVocabulary(lower);

    private static bool HyphenatedName(string lower)
    {
        if (!lower.Contains('-', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var part in lower.Split('-'))
        {
            if (!(NoteLexicon.IsGivenLower(part) || NoteLexicon.IsFamilyLower(part)))
            {
                return false;
            }
        }

        return true;
    }

    private static List<(int Start, int End)> Spans(NoteText note, bool[] isName, bool[] titled)
    {
        var words = note.Words;
        var spans = new List<(int, int)>();
        var i = 0;
        while (i < words.Length)
        {
            if (!isName[i])
            {
                i++;
                continue;
            }

            var first = i;
            var title = titled[i];
            while (i + 1 < words.Length && isName[i + 1] && (SameName(note, i, i + 1) || IsCommaGap(note.Gap(i, i + 1))))
            {
                i++;
                title |= titled[i];
            }

            // "Austin Flint murmur", "Wilson's disease": an eponym, not a person.
            var eponym = !title && EponymFollowsSpan(note, i);
            if (!eponym)
            {
                spans.Add((words[first].Start, words[i].End));
            }

            i++;
        }

        return spans;
    }

    private static bool EponymFollowsSpan(NoteText note, int last)
    {
        var words = note.Words;
        if (last + 1 >= words.Length)
        {
            return false;
        }

        var gap = note.Gap(last, last + 1);
        var trimmed = gap.Trim();
        var possessive = trimmed.Equals("'s", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("’s", StringComparison.OrdinalIgnoreCase);
        return gap.Length <= 4 && !gap.Contains('\n') && (trimmed.Length == 0 || possessive || trimmed is "-" or "'" or "’") && NoteLexicon.IsEponymHead(words[last + 1].Lower);
    }

    private static FrozenSet<string> Words(string words) =>
        words.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
}
