namespace HealthAssist.Dicom.Tests.Text;

/// <summary>
/// Byte strings are written from the escape sequences and code tables that PS3.5 Annexes H, I and J document; where a
/// comment says so, they were produced once with pydicom 2.3.1 (pydicom.charset.encode_string) and pasted.
/// </summary>
public class DicomCharacterSetTests
{
    private const byte Esc = 0x1B;

    private static DicomCharacterSet Set(params string[] terms) => DicomCharacterSet.FromSpecificCharacterSet(terms);

    private static byte[] Bytes(params object[] parts)
    {
        var result = new List<byte>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case string ascii:
                    result.AddRange(ascii.Select(c => (byte)c));
                    break;
                case byte[] raw:
                    result.AddRange(raw);
                    break;
                default:
                    throw new ArgumentException($"Unexpected part {part}.", nameof(parts));
            }
        }

        return [.. result];
    }

    [Fact]
    public void Default_is_ascii_with_no_terms()
    {
        Assert.Empty(DicomCharacterSet.Default.Terms);
        Assert.Empty(DicomCharacterSet.Default.UnknownTerms);
        Assert.Equal("Doe^John", DicomCharacterSet.Default.Decode("Doe^John"u8, DicomVR.PN));
    }

    [Fact]
    public void Trailing_padding_is_kept_for_the_caller_to_strip()
    {
        Assert.Equal("CT ", DicomCharacterSet.Default.Decode("CT "u8, DicomVR.CS));
        Assert.Equal("1.2.3\0", DicomCharacterSet.Default.Decode("1.2.3\0"u8, DicomVR.UI));
        Assert.Equal("Buc^Jérôme ", Set("ISO_IR 100").Decode(Bytes("Buc^J", new byte[] { 0xE9 }, "r", new byte[] { 0xF4 }, "me "), DicomVR.PN));
    }

    [Fact]
    public void Empty_value_decodes_to_empty_string()
    {
        Assert.Equal(string.Empty, Set("ISO 2022 IR 87").Decode([], DicomVR.PN));
    }

    [Fact]
    public void Default_repertoire_turns_bytes_above_7F_into_replacement_characters()
    {
        Assert.Equal("J\uFFFDr\uFFFDme", DicomCharacterSet.Default.Decode([0x4A, 0xE9, 0x72, 0xF4, 0x6D, 0x65], DicomVR.PN));
    }

    [Fact]
    public void Latin1_decodes_accented_name()
    {
        byte[] value = [0x42, 0x75, 0x63, 0x5E, 0x4A, 0xE9, 0x72, 0xF4, 0x6D, 0x65];

        Assert.Equal("Buc^Jérôme", Set("ISO_IR 100").Decode(value, DicomVR.PN));
    }

    [Fact]
    public void Greek_iso_ir_126_decodes_name()
    {
        // Bytes as pydicom.charset.encode_string writes them (ISO 8859 table lookups).
        byte[] value = [0xC4, 0xE9, 0xEF, 0xED, 0xF5, 0xF3, 0xE9, 0xEF, 0xF2];

        Assert.Equal("Διονυσιος", Set("ISO_IR 126").Decode(value, DicomVR.PN));
    }

    [Fact]
    public void Cyrillic_iso_ir_144_decodes_name_mixing_latin_letters()
    {
        // The standard's sample name mixes Latin c, e, y, p (63H, 65H, 79H, 70H) into the Cyrillic.
        // Bytes as pydicom.charset.encode_string writes them.
        byte[] value = [0xBB, 0xEE, 0xDA, 0x63, 0x65, 0xDC, 0xD1, 0x79, 0x70, 0xD3];

        Assert.Equal("Люкceмбypг", Set("ISO_IR 144").Decode(value, DicomVR.PN));
    }

    [Fact]
    public void Hebrew_iso_ir_138_decodes_name()
    {
        // Bytes as pydicom.charset.encode_string writes them (ISO 8859 table lookups).
        byte[] value = [0xF9, 0xF8, 0xE5, 0xEF, 0x5E, 0xE3, 0xE1, 0xE5, 0xF8, 0xE4];

        Assert.Equal("שרון^דבורה", Set("ISO_IR 138").Decode(value, DicomVR.PN));
    }

    [Theory]
    // Bytes from pydicom.charset.encode_string (ISO_IR 203 and ISO_IR 13 from the ISO 8859-15 and JIS X 0201 tables,
    // which pydicom 2.3.1 cannot encode).
    [InlineData("ISO_IR 101", new byte[] { 0xA3, 0xF3, 0x64, 0xBC }, "Łódź")]
    [InlineData("ISO_IR 109", new byte[] { 0xA1, 0x61, 0xF5, 0x61, 0x72 }, "Ħaġar")]
    [InlineData("ISO_IR 110", new byte[] { 0xAB, 0x69, 0x72, 0x74, 0x73 }, "Ģirts")]
    [InlineData("ISO_IR 127", new byte[] { 0xC2, 0xD2, 0xC7, 0xCF }, "آزاد")]
    [InlineData("ISO_IR 148", new byte[] { 0xC7, 0x61, 0xF0, 0x72, 0xFD }, "Çağrı")]
    [InlineData("ISO_IR 166", new byte[] { 0xE4, 0xB7, 0xC2 }, "ไทย")]
    [InlineData("ISO_IR 203", new byte[] { 0xBC, 0x75, 0x76, 0x72, 0x65, 0x20, 0xA4 }, "Œuvre €")]
    [InlineData("ISO_IR 13", new byte[] { 0xD4, 0xCF, 0xC0, 0xDE, 0x5E, 0xC0, 0xDB, 0xB3 }, "ﾔﾏﾀﾞ^ﾀﾛｳ")]
    [InlineData("ISO 2022 IR 100", new byte[] { 0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72 }, "Müller")]
    public void Single_byte_terms_decode_their_upper_half(string term, byte[] value, string expected)
    {
        Assert.Equal(expected, Set(term).Decode(value, DicomVR.PN));
    }

    [Fact]
    public void Single_byte_positions_left_undefined_by_the_standard_become_replacement_characters()
    {
        // ISO 8859-3 has no A5H; TIS-620 has nothing at DBH–DEH; JIS X 0201 has no Katakana above DFH.
        Assert.Equal("\uFFFD", Set("ISO_IR 109").Decode([0xA5], DicomVR.LO));
        Assert.Equal("\uFFFD", Set("ISO_IR 166").Decode([0xDB], DicomVR.LO));
        Assert.Equal("\uFFFD", Set("ISO_IR 13").Decode([0xE0], DicomVR.LO));
    }

    [Fact]
    public void Greek_and_hebrew_follow_the_current_iso_8859_mappings()
    {
        Assert.Equal("\u2018\u20AC", Set("ISO_IR 126").Decode([0xA1, 0xA4], DicomVR.LO));
        Assert.Equal("\u00AF\u200F", Set("ISO_IR 138").Decode([0xAF, 0xFE], DicomVR.LO));
    }

    [Fact]
    public void Iso_2022_ir_87_decodes_annex_h_japanese_name()
    {
        // PS3.5 H.3.1: (0008,0005) \ISO 2022 IR 87, kanji and hiragana in JIS X 0208 between ESC $ B and ESC ( B.
        var value = Bytes(
            "Yamada^Tarou=",
            new byte[] { Esc, 0x24, 0x42, 0x3B, 0x33, 0x45, 0x44, Esc, 0x28, 0x42 },
            "^",
            new byte[] { Esc, 0x24, 0x42, 0x42, 0x40, 0x4F, 0x3A, Esc, 0x28, 0x42 },
            "=",
            new byte[] { Esc, 0x24, 0x42, 0x24, 0x64, 0x24, 0x5E, 0x24, 0x40, Esc, 0x28, 0x42 },
            "^",
            new byte[] { Esc, 0x24, 0x42, 0x24, 0x3F, 0x24, 0x6D, 0x24, 0x26, Esc, 0x28, 0x42 });

        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", Set("", "ISO 2022 IR 87").Decode(value, DicomVR.PN));
    }

    [Fact]
    public void Iso_2022_ir_13_with_ir_87_decodes_annex_h_katakana_example()
    {
        // PS3.5 H.3.2: (0008,0005) ISO 2022 IR 13\ISO 2022 IR 87; half-width Katakana in G1 from value 1, JIS X 0208
        // after ESC $ B, back to JIS X 0201 Romaji with ESC ( J.
        byte[] value =
        [
            0xD4, 0xCF, 0xC0, 0xDE, 0x5E, 0xC0, 0xDB, 0xB3, 0x3D,
            Esc, 0x24, 0x42, 0x3B, 0x33, 0x45, 0x44, Esc, 0x28, 0x4A, 0x5E,
            Esc, 0x24, 0x42, 0x42, 0x40, 0x4F, 0x3A, Esc, 0x28, 0x4A, 0x3D,
            Esc, 0x24, 0x42, 0x24, 0x64, 0x24, 0x5E, 0x24, 0x40, Esc, 0x28, 0x4A, 0x5E,
            Esc, 0x24, 0x42, 0x24, 0x3F, 0x24, 0x6D, 0x24, 0x26, Esc, 0x28, 0x4A,
        ];

        Assert.Equal("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", Set("ISO 2022 IR 13", "ISO 2022 IR 87").Decode(value, DicomVR.PN));
    }

    [Fact]
    public void Iso_2022_ir_159_decodes_jis_x_0212()
    {
        // Produced with pydicom.charset.encode_string("丂", ['iso8859', 'iso2022_jp_2']): ESC $ ( D, 3021H, ESC ( B.
        byte[] value = [Esc, 0x24, 0x28, 0x44, 0x30, 0x21, Esc, 0x28, 0x42];

        Assert.Equal("丂", Set("", "ISO 2022 IR 159").Decode(value, DicomVR.LO));
    }

    [Fact]
    public void Iso_2022_ir_149_decodes_annex_i_korean_name()
    {
        // PS3.5 I.2: (0008,0005) \ISO 2022 IR 149; ESC $ ) C before each Korean component, which the delimiters end.
        var value = Bytes(
            "Hong^Gildong=",
            new byte[] { Esc, 0x24, 0x29, 0x43, 0xFB, 0xF3 },
            "^",
            new byte[] { Esc, 0x24, 0x29, 0x43, 0xD1, 0xCE, 0xD4, 0xD7 },
            "=",
            new byte[] { Esc, 0x24, 0x29, 0x43, 0xC8, 0xAB },
            "^",
            new byte[] { Esc, 0x24, 0x29, 0x43, 0xB1, 0xE6, 0xB5, 0xBF });

        Assert.Equal("Hong^Gildong=洪^吉洞=홍^길동", Set("", "ISO 2022 IR 149").Decode(value, DicomVR.PN));
    }

    [Fact]
    public void Iso_2022_ir_149_as_value_1_decodes_korean_without_escapes()
    {
        Assert.Equal("홍^길동", Set("ISO 2022 IR 149").Decode([0xC8, 0xAB, 0x5E, 0xB1, 0xE6, 0xB5, 0xBF], DicomVR.PN));
    }

    [Fact]
    public void Ks_x_1001_b4d3_decodes_as_in_the_korean_standard()
    {
        // .NET's 51949 maps B4D3H to U+B2D6; KS X 1001 (and 949, iconv, Python) have U+B2D2.
        Assert.Equal("\uB2D2", Set("ISO 2022 IR 149").Decode([0xB4, 0xD3], DicomVR.LO));
    }

    [Fact]
    public void Gb18030_decodes_annex_j_chinese_name()
    {
        // PS3.5 J.3.1: (0008,0005) GB18030; 東 is the two-byte 967CH.
        var value = Bytes("Wang^XiaoDong=", new byte[] { 0xCD, 0xF5, 0x5E, 0xD0, 0xA1, 0x96, 0x7C, 0x3D });

        Assert.Equal("Wang^XiaoDong=王^小東=", Set("GB18030").Decode(value, DicomVR.PN));
    }

    [Fact]
    public void Gb18030_trail_byte_5C_stays_inside_its_character()
    {
        // 乗 is 815CH in GB18030/GBK: the 5CH is a trail byte, not a value delimiter.
        byte[] value = [0x81, 0x5C, 0x5C, 0x41];

        Assert.Equal("乗\\A", Set("GB18030").Decode(value, DicomVR.LO));
        Assert.Equal("乗\\A", Set("GBK").Decode(value, DicomVR.LO));
    }

    [Fact]
    public void Gb18030_decodes_four_byte_sequences()
    {
        // 95 32 82 36 is U+20000, outside the BMP.
        Assert.Equal("\U00020000", Set("GB18030").Decode([0x95, 0x32, 0x82, 0x36], DicomVR.LO));
    }

    [Fact]
    public void Iso_2022_ir_58_decodes_annex_j_chinese_name()
    {
        // PS3.5 J.3.3: (0008,0005) \ISO 2022 IR 58; ESC $ ) A designates GB 2312 to G1.
        var value = Bytes(
            "Zhang^XiaoDong=",
            new byte[] { Esc, 0x24, 0x29, 0x41, 0xD5, 0xC5 },
            "^",
            new byte[] { Esc, 0x24, 0x29, 0x41, 0xD0, 0xA1, 0xB6, 0xAB },
            "=");

        Assert.Equal("Zhang^XiaoDong=张^小东=", Set("", "ISO 2022 IR 58").Decode(value, DicomVR.PN));
    }

    [Fact]
    public void Utf8_decodes_annex_j_chinese_name_and_characters_outside_the_bmp()
    {
        // PS3.5 J.3.2: (0008,0005) ISO_IR 192.
        var value = Bytes(
            "Wang^XiaoDong=",
            new byte[] { 0xE7, 0x8E, 0x8B, 0x5E, 0xE5, 0xB0, 0x8F, 0xE4, 0xB8, 0x9C, 0x3D, 0xF0, 0xA0, 0x80, 0x80 });

        Assert.Equal("Wang^XiaoDong=王^小东=\U00020000", Set("ISO_IR 192").Decode(value, DicomVR.PN));
    }

    [Fact]
    public void Invalid_utf8_becomes_replacement_characters_without_throwing()
    {
        // C3 28: a lead byte without its continuation; FF: never valid; E6 97: truncated at the end.
        byte[] value = [0x41, 0xC3, 0x28, 0xFF, 0x42, 0xE6, 0x97];

        Assert.Equal("A\uFFFD(\uFFFDB\uFFFD", Set("ISO_IR 192").Decode(value, DicomVR.LO));
    }

    [Fact]
    public void Stand_alone_first_value_ignores_code_extension_values()
    {
        var set = Set("ISO_IR 192", "ISO 2022 IR 87");

        Assert.Empty(set.UnknownTerms);
        Assert.Equal("é", set.Decode([0xC3, 0xA9], DicomVR.LO));
    }

    [Fact]
    public void Unknown_term_is_recorded_and_decoding_falls_back_to_default()
    {
        var set = Set("ISO_IR 999", "ISO 2022 IR 87", "KOI8-R");

        Assert.Equal(["ISO_IR 999", "ISO 2022 IR 87", "KOI8-R"], set.Terms);
        Assert.Equal(["ISO_IR 999", "KOI8-R"], set.UnknownTerms);
        Assert.Equal("Doe^J\uFFFDn", set.Decode([0x44, 0x6F, 0x65, 0x5E, 0x4A, 0xE9, 0x6E], DicomVR.PN));
    }

    [Fact]
    public void Empty_first_value_means_the_default_repertoire()
    {
        var set = Set("", "ISO 2022 IR 87");

        Assert.Equal(["", "ISO 2022 IR 87"], set.Terms);
        Assert.Empty(set.UnknownTerms);
        Assert.Equal("\uFFFD", set.Decode([0xE9], DicomVR.LO));
        Assert.Equal("é", set.Decode([Esc, 0x2D, 0x41, 0xE9], DicomVR.LO));
    }

    [Fact]
    public void Upper_half_bytes_without_a_g1_designation_fall_back_to_the_declared_extension_set()
    {
        // Invalid as written (ESC $ ) C / ESC $ ) A missing), but common: the declared G1 set is the only sensible reading.
        Assert.Equal("Hong^Gildong=홍^길동", Set("", "ISO 2022 IR 149").Decode(Bytes("Hong^Gildong=", new byte[] { 0xC8, 0xAB, 0x5E, 0xB1, 0xE6, 0xB5, 0xBF }), DicomVR.PN));
        Assert.Equal("张^小东", Set("", "ISO 2022 IR 58").Decode([0xD5, 0xC5, 0x5E, 0xD0, 0xA1, 0xB6, 0xAB], DicomVR.PN));
    }

    [Fact]
    public void Designating_a_g1_set_returns_g0_to_ascii()
    {
        // Written by pydicom 2.3.1 for "太郎ﾏﾀ^ｳ" with ISO 2022 IR 13\ISO 2022 IR 87: ESC ) I follows the kanji without
        // ESC ( J, so by the letter of ISO 2022 the '^' would still be half a JIS X 0208 character.
        byte[] value = [Esc, 0x24, 0x42, 0x42, 0x40, 0x4F, 0x3A, Esc, 0x29, 0x49, 0xCF, 0xC0, 0x5E, 0xB3];

        Assert.Equal("太郎ﾏﾀ^ｳ", Set("ISO 2022 IR 13", "ISO 2022 IR 87").Decode(value, DicomVR.PN));
    }

    [Theory]
    [InlineData("ISO IR 100")]
    [InlineData("ISO_IR_100")]
    [InlineData("iso_ir 100")]
    [InlineData("ISO-IR 100")]
    public void Common_misspellings_of_defined_terms_are_accepted(string term)
    {
        var set = Set(term);

        Assert.Empty(set.UnknownTerms);
        Assert.Equal("é", set.Decode([0xE9], DicomVR.LO));
    }

    [Fact]
    public void Backslash_returns_to_value_1_sets_in_multi_valued_text_but_not_in_single_valued_text()
    {
        // Value 1 puts Latin-1 in G1; ESC - F designates Greek, which holds until the value delimiter (E1H: α, then á).
        byte[] value = [Esc, 0x2D, 0x46, 0xE1, 0x5C, 0xE1];
        var set = Set("ISO 2022 IR 100", "ISO 2022 IR 126");

        Assert.Equal("α\\á", set.Decode(value, DicomVR.LO));
        Assert.Equal("α\\α", set.Decode(value, DicomVR.LT));
        Assert.Equal("α\\α", set.Decode(value, DicomVR.UT));
    }

    [Fact]
    public void Person_name_component_and_group_delimiters_return_to_value_1_sets()
    {
        byte[] caret = [Esc, 0x2D, 0x46, 0xE1, 0x5E, 0xE1];
        byte[] equals = [Esc, 0x2D, 0x46, 0xE1, 0x3D, 0xE1];
        var set = Set("ISO 2022 IR 100", "ISO 2022 IR 126");

        Assert.Equal("α^á", set.Decode(caret, DicomVR.PN));
        Assert.Equal("α=á", set.Decode(equals, DicomVR.PN));
        Assert.Equal("α^α", set.Decode(caret, DicomVR.LO));
    }

    [Theory]
    [InlineData(0x0D)]
    [InlineData(0x0A)]
    [InlineData(0x0C)]
    [InlineData(0x09)]
    public void Control_characters_return_to_value_1_sets_in_long_text(byte control)
    {
        byte[] value = [Esc, 0x2D, 0x46, 0xE1, control, 0xE1];

        Assert.Equal($"α{(char)control}á", Set("ISO 2022 IR 100", "ISO 2022 IR 126").Decode(value, DicomVR.LT));
    }

    [Fact]
    public void Reset_also_returns_g0_from_a_multi_byte_set()
    {
        // A writer that forgets ESC ( B before CR LF: the line break still ends JIS X 0208.
        byte[] value = [Esc, 0x24, 0x42, 0x3B, 0x33, 0x0D, 0x0A, 0x3B, 0x33];

        Assert.Equal("山\r\n;3", Set("", "ISO 2022 IR 87").Decode(value, DicomVR.LT));
    }

    [Fact]
    public void Delimiter_bytes_inside_a_multi_byte_g0_set_are_part_of_characters()
    {
        // JIS X 0208 2426H is う and 245EH is ま: neither 26H nor 5EH ends the component while ESC $ B is in force.
        byte[] value = [Esc, 0x24, 0x42, 0x24, 0x5E, 0x24, 0x26, Esc, 0x28, 0x42, 0x5E, 0x41];

        Assert.Equal("まう^A", Set("", "ISO 2022 IR 87").Decode(value, DicomVR.PN));
    }

    [Fact]
    public void Escape_sequences_are_honoured_even_when_the_term_is_not_declared()
    {
        byte[] value = [Esc, 0x24, 0x42, 0x3B, 0x33, Esc, 0x28, 0x42];

        Assert.Equal("山", Set("ISO_IR 100").Decode(value, DicomVR.LO));
    }

    [Fact]
    public void Unknown_escape_sequence_becomes_one_replacement_character()
    {
        // ESC $ ( Q (JIS X 0213 plane 1) is not a DICOM set; the bytes after it still decode in the current sets.
        byte[] value = [0x41, Esc, 0x24, 0x28, 0x51, 0x42];

        Assert.Equal("A\uFFFDB", Set("", "ISO 2022 IR 87").Decode(value, DicomVR.LO));
    }

    [Fact]
    public void Stray_escape_becomes_a_replacement_character()
    {
        Assert.Equal("A\uFFFDB\uFFFD", DicomCharacterSet.Default.Decode([0x41, Esc, 0x42, Esc], DicomVR.LO));
    }

    [Fact]
    public void Truncated_double_byte_characters_become_replacement_characters()
    {
        // A lone JIS X 0208 byte before ESC ( B; KS X 1001 lead bytes before a delimiter and at the end of the value.
        byte[] japanese = [Esc, 0x24, 0x42, 0x3B, 0x33, 0x45, Esc, 0x28, 0x42, 0x41];
        byte[] korean = [Esc, 0x24, 0x29, 0x43, 0xC8, 0x5E, 0x41, 0xC8, 0xAB, 0xC8];

        Assert.Equal("山\uFFFDA", Set("", "ISO 2022 IR 87").Decode(japanese, DicomVR.LO));
        Assert.Equal("\uFFFD^A홍\uFFFD", Set("", "ISO 2022 IR 149").Decode(korean, DicomVR.PN));
    }

    [Fact]
    public void Long_values_decode_beyond_the_stack_buffer()
    {
        var value = Enumerable.Repeat((byte)0xE9, 5000).ToArray();

        Assert.Equal(new string('é', 5000), Set("ISO_IR 100").Decode(value, DicomVR.UT));
    }

    [Fact]
    public void Decoding_is_safe_from_many_threads()
    {
        byte[] value = [Esc, 0x24, 0x42, 0x3B, 0x33, 0x45, 0x44, Esc, 0x28, 0x42];
        var set = Set("", "ISO 2022 IR 87");

        var results = Enumerable.Range(0, 64).AsParallel().Select(_ => set.Decode(value, DicomVR.PN)).ToList();

        Assert.All(results, r => Assert.Equal("山田", r));
    }
}
