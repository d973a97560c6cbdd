using System.Buffers;
using System.Collections.ObjectModel;
using System.Text;

namespace HealthAssist.Dicom;

/// <summary>
/// The character set a dataset's text is encoded in, from Specific Character Set (0008,0005): PS3.3 C.12.1.1.2 defined terms,
/// PS3.5 6.1 and the code extension rules of PS3.5 6.1.2.5, with the examples of Annexes H (Japanese), I (Korean) and
/// J, K (Chinese).
/// </summary>
/// <remarks>
/// <para>
/// Values whose first term is a stand-alone multi-byte set (ISO_IR 192, GB18030, GBK) are decoded whole with that encoding.
/// Every other value is decoded with an ISO 2022 state machine written here, because .NET has no decoder that follows
/// DICOM's rules: G0 is invoked into bytes 21H–7EH and G1 into A1H–FEH (no shift functions), escape sequences designate a
/// set into G0 or G1, and the designations of value 1 come back after every delimiter. (.NET's iso-2022-jp decoders know
/// neither the delimiters nor G1 nor JIS X 0212.) The graphic sets themselves are lookup tables filled once, lazily, from
/// .NET code pages (see <see cref="GraphicSet"/>), corrected where the Windows tables disagree with the ISO/Unicode
/// mappings; only JIS X 0201 Katakana is written out by hand.
/// </para>
/// <para>
/// Escape sequences are honoured whatever (0008,0005) declares (an escape sequence names its set unambiguously), except
/// under the stand-alone sets, where code extensions are not allowed and ESC is an ordinary control character.
/// Two leniencies read common malformed values: designating a G1 set also returns G0 to ASCII, and upper-half bytes
/// with nothing in G1 are read with the first G1 set that values 2..n declare.
/// Bytes that the active sets do not define, truncated double-byte characters and unknown escape sequences become
/// U+FFFD; nothing throws. Trailing padding is left for the caller to remove.
/// </para>
/// </remarks>
public sealed class DicomCharacterSet
{
    private const byte Esc = 0x1B;
    private const char Replacement = '\uFFFD';
    private const int StackBufferLength = 256;

    private static readonly Dictionary<string, TermInfo> KnownTerms = BuildKnownTerms();

    private readonly GraphicSet? initialG1;
    private readonly GraphicSet? fallbackG1;
    private readonly Lazy<Encoding>? standAlone;

    private DicomCharacterSet(
        IReadOnlyList<string> terms, IReadOnlyList<string> unknownTerms, GraphicSet? initialG1, GraphicSet? fallbackG1, Lazy<Encoding>? standAlone)
    {
        Terms = terms;
        UnknownTerms = unknownTerms;
        this.initialG1 = initialG1;
        this.fallbackG1 = fallbackG1;
        this.standAlone = standAlone;
    }

    /// <summary>The default character repertoire, ISO-IR 6 (ASCII): what applies when (0008,0005) is absent or empty.</summary>
    public static DicomCharacterSet Default { get; } = new(ReadOnlyCollection<string>.Empty, ReadOnlyCollection<string>.Empty, null, null, null);

    /// <summary>The values of (0008,0005) as given.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>Terms that could not be mapped; an unknown value 1 makes decoding fall back to the default repertoire.</summary>
    public IReadOnlyList<string> UnknownTerms { get; }

    /// <summary>
    /// The character set for the values of (0008,0005), each already trimmed. An empty (or missing) value 1 stands for the
    /// default repertoire, as in "\ISO 2022 IR 87". Common misspellings ("ISO IR 100", "ISO_IR_100", "iso 2022 ir 149")
    /// are accepted; terms that still match nothing are listed in <see cref="UnknownTerms"/>.
    /// </summary>
    public static DicomCharacterSet FromSpecificCharacterSet(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0)
        {
            return Default;
        }

        var unknown = new List<string>();
        TermInfo? first = null;
        GraphicSet? firstExtensionG1 = null;
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            if (string.IsNullOrWhiteSpace(term))
            {
                continue;
            }

            if (!KnownTerms.TryGetValue(CanonicalKey(term), out var info))
            {
                unknown.Add(term);
            }
            else if (i == 0)
            {
                first = info;
            }
            else
            {
                // Escape sequences are honoured whichever sets are declared, so values 2..n only supply the fallback
                // G1 set below. A stand-alone set as value 2..n is not allowed and is ignored; one as value 1 makes the
                // rest irrelevant (PS3.5 6.1.2.5.4).
                firstExtensionG1 ??= info.G1;
            }
        }

        // Lenient fallback, for values that are invalid as written: GR bytes while nothing is designated to G1 (value 1
        // has no G1 set) are read with the first G1 set that values 2..n declare. Writers that omit ESC $ ) C or
        // ESC $ ) A (pydicom 2.3.1 never writes the latter) or forget to repeat it after a delimiter are then still
        // read right; under the strict rule these bytes would only be U+FFFD.
        return new DicomCharacterSet(
            Array.AsReadOnly(terms.ToArray()),
            unknown.Count == 0 ? ReadOnlyCollection<string>.Empty : unknown.AsReadOnly(),
            first?.G1,
            firstExtensionG1,
            first?.StandAlone);
    }

    /// <summary>
    /// Decodes a whole text value (all values of a multi-valued element, before splitting on backslash) of the given VR.
    /// Designations return to those of value 1 after CR, LF, FF, TAB (any C0 control), after the backslash value delimiter
    /// (except in LT, ST, UT, UR) and, in PN, after '^' and '='.
    /// </summary>
    public string Decode(ReadOnlySpan<byte> value, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(vr);
        if (value.IsEmpty)
        {
            return string.Empty;
        }

        // Fast path: almost every value is plain ASCII, which every supported set decodes identically.
        if (Ascii.IsValid(value) && value.IndexOf(Esc) < 0)
        {
            return Encoding.ASCII.GetString(value);
        }

        if (standAlone is not null)
        {
            return standAlone.Value.GetString(value);
        }

        char[]? rented = null;
        var output = value.Length <= StackBufferLength
            ? stackalloc char[StackBufferLength]
            : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        try
        {
            var written = DecodeWithCodeExtensions(value, output, !vr.IsSingleValuedText, vr == DicomVR.PN);
            return new string(output[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    public override string ToString() => Terms.Count == 0 ? "ISO_IR 6" : string.Join('\\', Terms);

    /// <summary>Every byte yields at most one char, so <paramref name="output"/> needs no more than value.Length chars.</summary>
    private int DecodeWithCodeExtensions(ReadOnlySpan<byte> value, Span<char> output, bool backslashResets, bool personName)
    {
        // G0 null is ISO-IR 6 (ASCII) or ISO-IR 14 (JIS X 0201 Romaji), decoded alike: Romaji differs only at 5CH (YEN SIGN)
        // and 7EH (OVERLINE), and 5CH must stay the backslash that delimits values (pydicom's shift_jis does the same).
        // Value 1 never designates G0 to anything else: the multi-byte G0 sets (ISO 2022 IR 87, 159) need an escape.
        GraphicSet? g0 = null;
        var g1 = initialG1;
        var written = 0;
        var i = 0;
        while (i < value.Length)
        {
            var b = value[i];
            if (b == Esc)
            {
                i += Designate(value[i..], ref g0, ref g1, out var recognised);
                if (!recognised)
                {
                    output[written++] = Replacement;
                }
            }
            else if (b < 0x80)
            {
                if (g0 is not null && b is > 0x20 and < 0x7F)
                {
                    // Inside a multi-byte G0 set, bytes such as 5CH or 5EH are halves of characters, never delimiters.
                    output[written++] = Lookup(g0, value, ref i);
                    continue;
                }

                output[written++] = (char)b;
                i++;
                if (b < 0x20 || (b == (byte)'\\' && backslashResets) || (personName && b is (byte)'^' or (byte)'='))
                {
                    g0 = null;
                    g1 = initialG1;
                }
            }
            else if ((g1 ?? fallbackG1) is { } high)
            {
                output[written++] = Lookup(high, value, ref i);
            }
            else
            {
                output[written++] = Replacement;
                i++;
            }
        }

        return written;
    }

    /// <summary>One character of <paramref name="set"/> at value[i] (a GL byte for G0, a GR byte for G1); advances i.</summary>
    private static char Lookup(GraphicSet set, ReadOnlySpan<byte> value, ref int i)
    {
        var lead = value[i];
        if (!set.IsDoubleByte)
        {
            i++;
            return set.Table[(lead | 0x80) - 0x80];
        }

        var row = (lead & 0x7F) - 0x21;
        if (row is < 0 or > 93 || i + 1 >= value.Length)
        {
            i++;
            return Replacement;
        }

        var trail = value[i + 1];
        var cell = (trail & 0x7F) - 0x21;
        if ((trail & 0x80) != (lead & 0x80) || cell is < 0 or > 93)
        {
            // Leave the trail byte to be read again on its own: it may be a delimiter or an escape.
            i++;
            return Replacement;
        }

        i += 2;
        return set.Table[(row * 94) + cell];
    }

    /// <summary>
    /// Reads the escape sequence at sequence[0] (ESC, intermediates 20H–2FH, a final byte 30H–7EH) and applies it to G0 or
    /// G1. Returns the bytes consumed: the whole sequence when well formed (known or not), else just the ESC.
    /// </summary>
    /// <remarks>
    /// Designating a G1 set also returns G0 to ISO-IR 6/14: every defined term pairs its G1 set with one of those in G0
    /// (PS3.3 tables C.12-3, C.12-4), and writers such as pydicom switch "to ISO 2022 IR 13" after kanji with ESC ) I
    /// alone, leaving JIS X 0208 in G0 by the letter of ISO 2022 so that the next '^' would be read as half a kanji.
    /// </remarks>
    private static int Designate(ReadOnlySpan<byte> sequence, ref GraphicSet? g0, ref GraphicSet? g1, out bool recognised)
    {
        recognised = false;
        var end = 1;
        while (end < sequence.Length && sequence[end] is >= 0x20 and <= 0x2F)
        {
            end++;
        }

        // Designations always have an intermediate byte; anything else (ESC alone, ESC Fe) is not one.
        if (end == 1 || end >= sequence.Length || sequence[end] is < 0x30 or > 0x7E)
        {
            return 1;
        }

        var final = (char)sequence[end];
        switch (sequence[1..end])
        {
            case [(byte)'(']:
                // 94-character set to G0: ESC ( B ISO-IR 6, ESC ( J ISO-IR 14 Romaji, ESC ( I ISO-IR 13 Katakana.
                if (final is 'B' or 'J')
                {
                    g0 = null;
                    recognised = true;
                }
                else if (final == 'I')
                {
                    g0 = GraphicSet.JisX0201Katakana;
                    recognised = true;
                }

                break;
            case [(byte)')']:
                // 94-character set to G1: ESC ) I ISO-IR 13 Katakana.
                if (final == 'I')
                {
                    g1 = GraphicSet.JisX0201Katakana;
                    g0 = null;
                    recognised = true;
                }

                break;
            case [(byte)'-']:
                // 96-character set to G1: the ISO 8859 right halves (PS3.3 table C.12-3).
                if (GraphicSet.NinetySix(final) is { } set96)
                {
                    g1 = set96;
                    g0 = null;
                    recognised = true;
                }

                break;
            case [(byte)'$']:
                // Short form of a 94×94 set to G0, allowed for finals @, A, B only: ESC $ B is ISO 2022 IR 87.
                if (final is '@' or 'A' or 'B' && GraphicSet.DoubleByte(final) is { } shortSet)
                {
                    g0 = shortSet;
                    recognised = true;
                }

                break;
            case [(byte)'$', (byte)'(']:
                // 94×94 set to G0: ESC $ ( D is ISO 2022 IR 159.
                if (GraphicSet.DoubleByte(final) is { } g0Set)
                {
                    g0 = g0Set;
                    recognised = true;
                }

                break;
            case [(byte)'$', (byte)')']:
                // 94×94 set to G1: ESC $ ) C is ISO 2022 IR 149, ESC $ ) A is ISO 2022 IR 58.
                if (GraphicSet.DoubleByte(final) is { } g1Set)
                {
                    g1 = g1Set;
                    g0 = null;
                    recognised = true;
                }

                break;
            default:
                break;
        }

        return end + 1;
    }

    /// <summary>Upper case with spaces, underscores and hyphens removed, so "ISO IR 100" and "ISO_IR_100" meet "ISO_IR 100".</summary>
    private static string CanonicalKey(string term)
    {
        var builder = new StringBuilder(term.Length);
        foreach (var c in term)
        {
            if (c is not (' ' or '_' or '-'))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }

    private static Dictionary<string, TermInfo> BuildKnownTerms()
    {
        var terms = new Dictionary<string, TermInfo>(StringComparer.Ordinal);

        // PS3.3 tables C.12-2 and C.12-3: "ISO_IR n" without and "ISO 2022 IR n" with code extensions. Both decode the
        // same here, since escape sequences are honoured either way; the misspelt cross forms (e.g. "ISO_IR 149") are
        // unambiguous and accepted too.
        void Numbered(int number, GraphicSet? g1)
        {
            var info = new TermInfo(g1, null);
            terms[$"ISOIR{number}"] = info;
            terms[$"ISO2022IR{number}"] = info;
        }

        Numbered(6, null);
        Numbered(100, GraphicSet.NinetySix('A'));
        Numbered(101, GraphicSet.NinetySix('B'));
        Numbered(109, GraphicSet.NinetySix('C'));
        Numbered(110, GraphicSet.NinetySix('D'));
        Numbered(126, GraphicSet.NinetySix('F'));
        Numbered(127, GraphicSet.NinetySix('G'));
        Numbered(138, GraphicSet.NinetySix('H'));
        Numbered(144, GraphicSet.NinetySix('L'));
        Numbered(148, GraphicSet.NinetySix('M'));
        Numbered(166, GraphicSet.NinetySix('T'));
        Numbered(203, GraphicSet.NinetySix('b'));
        Numbered(13, GraphicSet.JisX0201Katakana);

        // PS3.3 table C.12-4: the G0 sets (IR 87, IR 159) only come in through escape sequences; the G1 sets (IR 149,
        // IR 58) are also in force from the start when value 1 names them.
        Numbered(87, null);
        Numbered(159, null);
        Numbered(149, GraphicSet.DoubleByte('C'));
        Numbered(58, GraphicSet.DoubleByte('A'));

        // PS3.3 table C.12-5: no code extensions. "ISO 2022 GBK" and "ISO 2022 58" are spellings pydicom also accepts.
        var utf8 = new Lazy<Encoding>(() => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false));
        var gb18030 = new Lazy<Encoding>(() => GraphicSet.CodePage(54936));
        var gbk = new Lazy<Encoding>(() => GraphicSet.CodePage(936));
        terms["ISOIR192"] = new TermInfo(null, utf8);
        terms["UTF8"] = new TermInfo(null, utf8);
        terms["GB18030"] = new TermInfo(null, gb18030);
        terms["GBK"] = new TermInfo(null, gbk);
        terms["ISO2022GBK"] = new TermInfo(null, gbk);
        terms["ISO202258"] = terms["ISO2022IR58"];
        return terms;
    }

    private sealed record TermInfo(GraphicSet? G1, Lazy<Encoding>? StandAlone);

    /// <summary>
    /// A graphic character set as a lookup table: for a single-byte set, 128 chars for bytes 80H–FFH (a GL byte b reads
    /// entry b); for a 94×94 set, 8836 chars by (row, cell). Tables are filled on first use from .NET code pages, one byte
    /// or pair at a time, so that a decoder's resynchronisation after a bad byte can never shift the pairing.
    /// </summary>
    private sealed class GraphicSet
    {
        public static readonly GraphicSet JisX0201Katakana = new(false, BuildKatakana);

        private static readonly GraphicSet Latin1 = SingleByte(28591);
        private static readonly GraphicSet Latin2 = SingleByte(28592);
        private static readonly GraphicSet Latin3 = SingleByte(28593);
        private static readonly GraphicSet Latin4 = SingleByte(28594);
        private static readonly GraphicSet Cyrillic = SingleByte(28595);
        private static readonly GraphicSet Arabic = SingleByte(28596);

        // Windows' 28597 predates ISO 8859-7:2003 (A1H, A2H quotation marks; A4H euro, A5H drachma, AAH ypogegrammeni).
        private static readonly GraphicSet Greek = SingleByte(28597, (0xA1, '\u2018'), (0xA2, '\u2019'), (0xA4, '\u20AC'), (0xA5, '\u20AF'), (0xAA, '\u037A'));

        // Windows' 28598 has OVERLINE at AFH and lacks the LRM/RLM marks of the current Unicode mapping of ISO 8859-8.
        private static readonly GraphicSet Hebrew = SingleByte(28598, (0xAF, '\u00AF'), (0xFD, '\u200E'), (0xFE, '\u200F'));
        private static readonly GraphicSet Latin5 = SingleByte(28599);
        private static readonly GraphicSet Latin9 = SingleByte(28605);

        // TIS-620 (ISO-IR 166): .NET has no 28601, and Windows-874 is TIS-620 plus punctuation in 80H–9FH, which the
        // C1 rule in SingleByte undoes. A0H stays NO-BREAK SPACE, as in ISO 8859-11 (ESC - T designates a 96-set).
        private static readonly GraphicSet Thai = SingleByte(874);

        // JIS X 0208 as EUC-JP pairs of 20932, whose table follows JIS (WAVE DASH etc.), unlike Windows-932.
        private static readonly GraphicSet JisX0208 = DoubleByte(20932, trailHigh: true);

        // JIS X 0212: 20932 encodes it as a GR lead byte with a GL trail byte (no 8FH prefix), and has two gaps.
        private static readonly GraphicSet JisX0212 = DoubleByte(20932, trailHigh: false, (0x2237, '~'), (0x2271, '\u2116'));

        // KS X 1001 from 949 (UHC, a superset of EUC-KR): 51949 decodes B4D3H wrongly (U+B2D6 instead of U+B2D2).
        private static readonly GraphicSet KsX1001 = DoubleByte(949, trailHigh: true);

        // GB 2312 from 936 (GBK), so that a name decodes the same under ISO 2022 IR 58 as under GB18030 or GBK.
        private static readonly GraphicSet Gb2312 = DoubleByte(936, trailHigh: true);

        private readonly Lazy<char[]> table;

        private GraphicSet(bool isDoubleByte, Func<char[]> build)
        {
            IsDoubleByte = isDoubleByte;
            table = new Lazy<char[]>(build);
        }

        public bool IsDoubleByte { get; }

        public char[] Table => table.Value;

        /// <summary>The 96-character set with this final byte of ESC - F (PS3.3 table C.12-3).</summary>
        public static GraphicSet? NinetySix(char final) => final switch
        {
            'A' => Latin1,
            'B' => Latin2,
            'C' => Latin3,
            'D' => Latin4,
            'F' => Greek,
            'G' => Arabic,
            'H' => Hebrew,
            'L' => Cyrillic,
            'M' => Latin5,
            'T' => Thai,
            'b' => Latin9,
            _ => null,
        };

        /// <summary>The 94×94 set with this final byte of ESC $ ( F or ESC $ ) F (PS3.3 table C.12-4).</summary>
        public static GraphicSet? DoubleByte(char final) => final switch
        {
            '@' or 'B' => JisX0208,
            'D' => JisX0212,
            'C' => KsX1001,
            'A' => Gb2312,
            _ => null,
        };

        /// <summary>A .NET encoding whose decoder writes U+FFFD for bytes it cannot map.</summary>
        public static Encoding CodePage(int codePage) => TryCodePage(codePage) ?? Encoding.GetEncoding(
            20127, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback(Replacement.ToString()));

        private static GraphicSet SingleByte(int codePage, params (int Byte, char Char)[] corrections) => new(false, () =>
        {
            var result = Filled(128);
            if (TryCodePage(codePage) is not { } encoding)
            {
                return result;
            }

            Span<byte> one = stackalloc byte[1];
            Span<char> chars = stackalloc char[2];
            for (var b = 0x80; b <= 0xFF; b++)
            {
                one[0] = (byte)b;
                var c = encoding.GetChars(one, chars) == 1 ? chars[0] : Replacement;

                // 80H–9FH are the C1 controls in every ISO 8859 part (and in pydicom); Windows fills undefined positions
                // with Private Use Area code points, which the standard leaves undefined.
                result[b - 0x80] = b < 0xA0 ? (char)b : c is >= '\uE000' and <= '\uF8FF' ? Replacement : c;
            }

            foreach (var (position, character) in corrections)
            {
                result[position - 0x80] = character;
            }

            return result;
        });

        private static GraphicSet DoubleByte(int codePage, bool trailHigh, params (int Code, char Char)[] corrections) => new(true, () =>
        {
            var result = Filled(94 * 94);
            if (TryCodePage(codePage) is not { } encoding)
            {
                return result;
            }

            Span<byte> pair = stackalloc byte[2];
            Span<char> chars = stackalloc char[4];
            for (var row = 0; row < 94; row++)
            {
                for (var cell = 0; cell < 94; cell++)
                {
                    pair[0] = (byte)(0xA1 + row);
                    pair[1] = (byte)((trailHigh ? 0xA1 : 0x21) + cell);
                    result[(row * 94) + cell] = encoding.GetChars(pair, chars) == 1 ? chars[0] : Replacement;
                }
            }

            foreach (var (code, character) in corrections)
            {
                result[((((code >> 8) & 0x7F) - 0x21) * 94) + ((code & 0x7F) - 0x21)] = character;
            }

            return result;
        });

        /// <summary>
        /// JIS X 0201 Katakana, written out by hand: the only .NET encodings holding it (932, 50222) are Shift-JIS or
        /// ISO-2022-JP decoders that read 81H–9FH and E0H–FCH as lead bytes of double-byte characters, which ISO-IR 13 lacks.
        /// </summary>
        private static char[] BuildKatakana()
        {
            var result = Filled(128);
            for (var b = 0xA1; b <= 0xDF; b++)
            {
                result[b - 0x80] = (char)(0xFF61 + (b - 0xA1));
            }

            return result;
        }

        private static char[] Filled(int length)
        {
            var result = new char[length];
            Array.Fill(result, Replacement);
            return result;
        }

        private static Encoding? TryCodePage(int codePage)
        {
            try
            {
                CodePagesRegistration.EnsureRegistered();
                return Encoding.GetEncoding(codePage, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback(Replacement.ToString()));
            }
            catch (Exception e) when (e is NotSupportedException or ArgumentException)
            {
                // Never expected (the code pages ship with .NET), but decoding must not throw: the set reads as U+FFFD
                // (a stand-alone set as ASCII).
                return null;
            }
        }
    }

    private static class CodePagesRegistration
    {
        private static readonly bool Registered = Register();

        public static void EnsureRegistered() => _ = Registered;

        private static bool Register()
        {
            // Idempotent: .NET ignores a provider that is already registered.
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return true;
        }
    }
}
