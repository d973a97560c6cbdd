namespace HealthAssist.Deidentify.Notes;

/// <summary>How a line is written: capitalisation is evidence of a proper noun only in mixed-case lines.</summary>
internal enum LineCase
{
    Mixed,
    Upper,
    Lower,
}

/// <summary>One word of the note (letters, inner apostrophes and hyphens; a trailing possessive "'s" is not part of it).</summary>
internal readonly record struct NoteWord(int Start, int End, string Text, string Lower, int Line)
{
    public int Length => End - Start;

    public bool IsCapitalised => char.IsUpper(Text[0]);

    public bool IsAllUpper
    {
        get
        {
            foreach (var c in Text)
            {
                if (char.IsLetter(c) && !char.IsUpper(c))
                {
                    return false;
                }
            }

            return true;
        }
    }
}

/// <summary>The note split into lines (with their case style) and words, computed once and shared by every detector.</summary>
internal sealed class NoteText
{
    public NoteText(string text)
    {
        Text = text;
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        LineStarts = [.. lineStarts];
        LineCases = new LineCase[LineStarts.Length];
        for (var l = 0; l < LineStarts.Length; l++)
        {
            var end = l + 1 < LineStarts.Length ? LineStarts[l + 1] : text.Length;
            int upper = 0, lower = 0;
            for (var i = LineStarts[l]; i < end; i++)
            {
                var c = text[i];
                if (char.IsUpper(c))
                {
                    upper++;
                }
                else if (char.IsLower(c))
                {
                    lower++;
                }
            }

            var letters = upper + lower;
            LineCases[l] = letters >= 6 && upper >= letters * 0.8 ? LineCase.Upper
                : letters >= 6 && upper <= letters * 0.02 ? LineCase.Lower
                : LineCase.Mixed;
        }

        var words = new List<NoteWord>(text.Length / 5);
        var line = 0;
        foreach (var match in NotePatterns.Word().EnumerateMatches(text))
        {
            var start = match.Index;
            var length = match.Length;
            while (line + 1 < LineStarts.Length && LineStarts[line + 1] <= start)
            {
                line++;
            }

            if (length > 3 && (text[start + length - 2] == '\'' || text[start + length - 2] == '’') && (text[start + length - 1] is 's' or 'S'))
            {
                length -= 2;
            }

            var word = text.Substring(start, length);
            words.Add(new NoteWord(start, start + length, word, word.Replace('’', '\'').ToLowerInvariant(), line));
        }

        Words = [.. words];
    }

    public string Text { get; }

    public int[] LineStarts { get; }

    public LineCase[] LineCases { get; }

    public NoteWord[] Words { get; }

    public int LineOf(int position)
    {
        var index = Array.BinarySearch(LineStarts, position);
        return index >= 0 ? index : ~index - 1;
    }

    public LineCase CaseAt(int position) => LineCases[LineOf(position)];

    public int LineStart(int line) => LineStarts[line];

    /// <summary>The index of the first word starting at or after <paramref name="position"/>.</summary>
    public int WordAtOrAfter(int position)
    {
        int lo = 0, hi = Words.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (Words[mid].Start < position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The text between two consecutive words.</summary>
    public ReadOnlySpan<char> Gap(int left, int right) => Text.AsSpan(Words[left].End, Words[right].Start - Words[left].End);

    /// <summary>True when a word opens a sentence, a line or a list item, where capitals say nothing.</summary>
    public bool IsSentenceStart(int index)
    {
        var w = Words[index];
        var p = w.Start - 1;
        while (p >= 0 && (Text[p] == ' ' || Text[p] == '\t'))
        {
            p--;
        }

        if (p < 0 || Text[p] == '\n' || Text[p] == '\r')
        {
            return true;
        }

        var c = Text[p];
        if (c is '!' or '?' or ';' or ':' or '"' or '•' or '*' or '>' or '=')
        {
            return true;
        }

        if (c == '.')
        {
            // "Dr. Smith": the full stop of an abbreviated title does not end a sentence.
            return index == 0 || !NameFinder.IsTitle(Words[index - 1].Lower) || Words[index - 1].End != p;
        }

        if (c is '-' or ')' or '–')
        {
            var q = p - 1;
            while (q >= 0 && char.IsDigit(Text[q]))
            {
                q--;
            }

            while (q >= 0 && (Text[q] == ' ' || Text[q] == '\t'))
            {
                q--;
            }

            return q < 0 || Text[q] == '\n';
        }

        return false;
    }
}
