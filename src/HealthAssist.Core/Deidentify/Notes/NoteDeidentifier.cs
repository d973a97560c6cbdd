using System.Buffers.Binary;
using System.Text;
using HealthAssist.Security;

namespace HealthAssist.Deidentify.Notes;

/// <summary>
/// Finds and replaces PHI in clinical free text. Detection combines patterns (dates, identifiers, telecom, addresses),
/// built-in dictionaries (<see cref="NoteLexicon"/>), context words and the identifiers already known from the patient's
/// structured record (<see cref="NoteContext"/>). Replacements are consistent within a patient:
/// <list type="bullet">
/// <item>names → surrogate names from the built-in lists, chosen by an HMAC of the patient's pseudonym and the name, keeping the case style;</item>
/// <item>dates → shifted by the patient's <see cref="PatientKeys.DateOffsetDays"/>, written in the original format;</item>
/// <item>ages over 89 → "90+";</item>
/// <item>identifiers, phone numbers, e-mail addresses → pseudonymous tokens such as <c>[MRN-7F3A2C]</c>, <c>[PHONE-…]</c>, <c>[EMAIL-…]</c> (same value, same token);</item>
/// <item>URLs → <c>[URL]</c>, IP addresses → <c>[IP]</c>, street addresses → <c>[ADDRESS]</c>, cities/ZIP codes → <c>[LOCATION]</c>, institutions → <c>[INSTITUTION]</c>.</item>
/// </list>
/// Thread-safe; holds no per-note state.
/// </summary>
public sealed class NoteDeidentifier
{
    private const string SurrogatePurpose = "note-surrogate";

    private readonly DeploymentSecret _secret;
    private readonly NoteDeidentifierOptions _options;

    public NoteDeidentifier(DeploymentSecret secret, NoteDeidentifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _secret = secret;
        _options = options ?? new NoteDeidentifierOptions();
    }

    /// <summary>De-identifies <paramref name="text"/> for the patient whose keys are given.</summary>
    public NoteDeidentificationResult Deidentify(string text, PatientKeys keys, NoteContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(keys);
        var accepted = Resolve(text, context);
        var output = new StringBuilder(text.Length + 64);
        var originals = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in accepted)
        {
            if (c.Type == PhiType.Name)
            {
                foreach (var part in NameParts(text, c.Start, c.End))
                {
                    originals.Add(text.Substring(part.Start, part.Length).ToLowerInvariant());
                }
            }
        }

        var position = 0;
        var spans = new List<PhiSpan>(accepted.Count);
        foreach (var c in accepted)
        {
            output.Append(text, position, c.Start - position);
            output.Append(Replacement(text, c, keys, originals));
            position = c.End;
            spans.Add(new PhiSpan(c.Type, c.Start, c.Length));
        }

        output.Append(text, position, text.Length - position);
        return new NoteDeidentificationResult(output.ToString(), spans);
    }

    /// <summary>Detection only: where PHI is, by type, in <paramref name="text"/> (used by the evaluation and reports).</summary>
    public IReadOnlyList<PhiSpan> Detect(string text, NoteContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. Resolve(text, context).Select(c => new PhiSpan(c.Type, c.Start, c.Length))];
    }

    private List<Candidate> Resolve(string text, NoteContext? context)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var note = new NoteText(text);
        var found = new List<Candidate>(32);
        var knownNames = KnownNames(context);
        var knownCities = new HashSet<string>(StringComparer.Ordinal);
        foreach (var city in context?.Cities ?? [])
        {
            foreach (var part in SplitWords(city))
            {
                if (part.Length >= 3 && !NoteLexicon.IsVocabulary(part))
                {
                    knownCities.Add(part);
                }
            }
        }

        PatternDetectors.AddDates(note, found, _options.DayFirstDates);
        PatternDetectors.AddAges(note, found);
        PatternDetectors.AddIdentifiers(note, found);
        PatternDetectors.AddTelecomAndWeb(note, found);
        PatternDetectors.AddPlaces(note, found, knownCities);
        PatternDetectors.AddInstitutions(note, found);
        foreach (var (start, end) in NameFinder.Find(note, knownNames))
        {
            found.Add(new Candidate(start, end, PhiType.Name, PatternDetectors.NamePriority));
        }

        if (context is not null)
        {
            AddContextValues(text, found, context);
        }

        return SelectNonOverlapping(text, MergeSameType(found));
    }

    private static HashSet<string> KnownNames(NoteContext? context)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (context is null)
        {
            return names;
        }

        foreach (var name in context.GivenNames.Concat(context.FamilyNames).Concat(context.RelativeNames))
        {
            foreach (var part in SplitWords(name))
            {
                if (part.Length >= 2 && !NoteLexicon.IsFunctionWord(part))
                {
                    names.Add(part);
                }
            }
        }

        return names;
    }

    private static string[] SplitWords(string value) =>
        (value ?? string.Empty).Replace('’', '\'').ToLowerInvariant()
            .Split((char[])[' ', '^', ',', '.', '\t', '(', ')', '"'], StringSplitOptions.RemoveEmptyEntries);

    private static void AddContextValues(string text, List<Candidate> found, NoteContext context)
    {
        foreach (var id in context.Identifiers)
        {
            AddOccurrences(text, found, id, PhiType.Identifier, "ID");
            var digits = new string([.. (id ?? string.Empty).Where(char.IsDigit)]);
            if (digits.Length >= 5 && digits.Length != (id ?? string.Empty).Length)
            {
                AddOccurrences(text, found, digits, PhiType.Identifier, "ID");
            }
        }

        foreach (var line in context.AddressLines)
        {
            AddOccurrences(text, found, line, PhiType.Address, null);
        }

        foreach (var value in context.Cities.Concat(context.PostalCodes))
        {
            AddOccurrences(text, found, value, PhiType.Location, null);
        }

        foreach (var email in context.Emails)
        {
            AddOccurrences(text, found, email, PhiType.Email, null);
        }

        foreach (var institution in context.Institutions)
        {
            AddOccurrences(text, found, institution, PhiType.Institution, null);
        }

        var phones = context.Phones.Select(p => new string([.. (p ?? string.Empty).Where(char.IsDigit)])).Where(d => d.Length >= 7)
            .Select(d => d.Length > 10 ? d[^10..] : d).ToList();
        if (phones.Count > 0)
        {
            foreach (System.Text.RegularExpressions.Match m in NotePatterns.DigitRun().Matches(text))
            {
                var digits = new string([.. m.Value.Where(char.IsDigit)]);
                if (digits.Length >= 7 && phones.Any(p => digits.EndsWith(p, StringComparison.Ordinal) || (digits.Length >= 7 && p.EndsWith(digits, StringComparison.Ordinal))))
                {
                    found.Add(new Candidate(m.Index, m.Index + m.Length, PhiType.Phone, PatternDetectors.ContextPhonePriority));
                }
            }
        }
    }

    private static void AddOccurrences(string text, List<Candidate> found, string? value, PhiType type, string? kind)
    {
        var needle = value?.Trim();
        if (string.IsNullOrEmpty(needle) || needle.Length < 2)
        {
            return;
        }

        var index = 0;
        while ((index = text.IndexOf(needle, index, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var end = index + needle.Length;
            var boundedLeft = index == 0 || !char.IsLetterOrDigit(text[index - 1]) || !char.IsLetterOrDigit(needle[0]);
            var boundedRight = end == text.Length || !char.IsLetterOrDigit(text[end]) || !char.IsLetterOrDigit(needle[^1]);
            if (boundedLeft && boundedRight)
            {
                found.Add(new Candidate(index, end, type, PatternDetectors.ContextPriority, Kind: kind));
            }

            index = end;
        }
    }

    /// <summary>Joins overlapping spans of a type whose replacement does not depend on the exact text (names, places).</summary>
    private static List<Candidate> MergeSameType(List<Candidate> found)
    {
        var result = new List<Candidate>(found.Count);
        foreach (var group in found.GroupBy(c => c.Type))
        {
            if (group.Key is not (PhiType.Name or PhiType.Address or PhiType.Location or PhiType.Institution))
            {
                result.AddRange(group);
                continue;
            }

            Candidate? current = null;
            foreach (var c in group.OrderBy(c => c.Start))
            {
                if (current is { } open && c.Start < open.End)
                {
                    current = open with { End = Math.Max(open.End, c.End), Priority = Math.Max(open.Priority, c.Priority) };
                    continue;
                }

                if (current is { } done)
                {
                    result.Add(done);
                }

                current = c;
            }

            if (current is { } last)
            {
                result.Add(last);
            }
        }

        return result;
    }

    /// <summary>
    /// Longest first, then the more specific detector; no two accepted spans overlap. Names, the least precise detector, come
    /// last and keep only their words that no other span covers. Returns the spans by start.
    /// </summary>
    private static List<Candidate> SelectNonOverlapping(string text, List<Candidate> found)
    {
        var names = found.Where(c => c.Type == PhiType.Name).ToList();
        found = found.Where(c => c.Type != PhiType.Name).ToList();
        found.Sort((x, y) =>
        {
            var byLength = y.Length.CompareTo(x.Length);
            return byLength != 0 ? byLength : y.Priority != x.Priority ? y.Priority.CompareTo(x.Priority) : x.Start.CompareTo(y.Start);
        });
        var accepted = new List<Candidate>(found.Count);
        foreach (var c in found)
        {
            if (c.Length <= 0)
            {
                continue;
            }

            var overlaps = false;
            foreach (var a in accepted)
            {
                if (c.Start < a.End && a.Start < c.End)
                {
                    overlaps = true;
                    break;
                }
            }

            if (!overlaps)
            {
                accepted.Add(c);
            }
        }

        var others = accepted.Count;
        foreach (var name in names)
        {
            if (!OverlapsAny(accepted, others, name.Start, name.End))
            {
                accepted.Add(name);
                continue;
            }

            foreach (var (start, length) in NameParts(text, name.Start, name.End))
            {
                if (!OverlapsAny(accepted, others, start, start + length))
                {
                    accepted.Add(name with { Start = start, End = start + length });
                }
            }
        }

        accepted.Sort((x, y) => x.Start.CompareTo(y.Start));
        return accepted;
    }

    private static bool OverlapsAny(List<Candidate> accepted, int count, int start, int end)
    {
        for (var i = 0; i < count; i++)
        {
            if (start < accepted[i].End && accepted[i].Start < end)
            {
                return true;
            }
        }

        return false;
    }

    private string Replacement(string text, Candidate c, PatientKeys keys, HashSet<string> originals) => c.Type switch
    {
        PhiType.Date when c.Date is not null => c.Date.Shift(keys.DateOffsetDays),
        PhiType.Date => "[DATE]",
        PhiType.Age => "90+",
        PhiType.Identifier => $"[{c.Kind ?? "ID"}-{Token(keys, "identifier", Normalise(text.AsSpan(c.Start, c.Length), lettersToo: true))}]",
        PhiType.Phone => $"[PHONE-{Token(keys, "phone", LastTen(Normalise(text.AsSpan(c.Start, c.Length), lettersToo: false)))}]",
        PhiType.Email => $"[EMAIL-{Token(keys, "email", text.Substring(c.Start, c.Length).ToLowerInvariant())}]",
        PhiType.Url => c.Kind == "IP" ? "[IP]" : "[URL]",
        PhiType.Address => "[ADDRESS]",
        PhiType.Location => "[LOCATION]",
        PhiType.Institution => "[INSTITUTION]",
        PhiType.Name => SurrogateName(text, c, keys, originals),
        _ => "[PHI]",
    };

    private static string LastTen(string digits) => digits.Length > 10 ? digits[^10..] : digits;

    private static string Normalise(ReadOnlySpan<char> value, bool lettersToo)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var ch in value)
        {
            if (char.IsDigit(ch) || (lettersToo && char.IsLetter(ch)))
            {
                sb.Append(char.ToUpperInvariant(ch));
            }
        }

        return sb.ToString();
    }

    private string Token(PatientKeys keys, string purpose, string normalised)
    {
        var mac = _secret.Derive(SurrogatePurpose + "/" + purpose, Encoding.UTF8.GetBytes(keys.Pseudonym.Value + "\u001f" + normalised));
        return Convert.ToHexString(mac, 0, 3);
    }

    private static IEnumerable<(int Start, int Length)> NameParts(string text, int start, int end)
    {
        var i = start;
        while (i < end)
        {
            if (!char.IsLetter(text[i]))
            {
                i++;
                continue;
            }

            var s = i;
            while (i < end && (char.IsLetter(text[i]) || ((text[i] == '\'' || text[i] == '’') && i + 1 < end && char.IsLetter(text[i + 1]))))
            {
                i++;
            }

            yield return (s, i - s);
        }
    }

    private string SurrogateName(string text, Candidate c, PatientKeys keys, HashSet<string> originals)
    {
        var sb = new StringBuilder(c.Length + 8);
        var position = c.Start;
        foreach (var (start, length) in NameParts(text, c.Start, c.End))
        {
            sb.Append(text, position, start - position);
            var original = text.Substring(start, length);
            sb.Append(Surrogate(original, keys, originals));
            position = start + length;
        }

        sb.Append(text, position, c.End - position);
        return sb.ToString();
    }

    private string Surrogate(string original, PatientKeys keys, HashSet<string> originals)
    {
        var lower = original.Replace('’', '\'').ToLowerInvariant();
        var mac = _secret.Derive(SurrogatePurpose + "/name", Encoding.UTF8.GetBytes(keys.Pseudonym.Value + "\u001f" + lower));
        var seed = BinaryPrimitives.ReadUInt32BigEndian(mac);
        if (original.Length == 1)
        {
            for (var step = 0u; step < 26; step++)
            {
                var letter = (char)('A' + (int)((seed + step) % 26));
                if (char.ToLowerInvariant(letter) != lower[0])
                {
                    return char.IsLower(original[0]) ? char.ToLowerInvariant(letter).ToString() : letter.ToString();
                }
            }
        }

        var list = NoteLexicon.IsKnownGivenName(lower) || NoteLexicon.IsWordName(lower) ? NoteLexicon.SurrogateGivenNames : NoteLexicon.SurrogateFamilyNames;
        var candidate = list[0];
        for (var step = 0; step < list.Count; step++)
        {
            candidate = list[(int)((seed + (uint)step) % (uint)list.Count)];
            var candidateLower = candidate.ToLowerInvariant();
            if (candidateLower != lower && !originals.Contains(candidateLower))
            {
                break;
            }
        }

        return Styled(candidate, original);
    }

    private static string Styled(string name, string original)
    {
        var letters = original.Where(char.IsLetter).ToArray();
        if (letters.Length > 1 && letters.All(char.IsUpper))
        {
            return name.ToUpperInvariant();
        }

        if (letters.All(char.IsLower))
        {
            return name.ToLowerInvariant();
        }

        return name;
    }
}
