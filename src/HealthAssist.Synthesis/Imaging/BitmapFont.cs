using System.Globalization;
using System.Text;

namespace HealthAssist.Synthesis.Imaging;

/// <summary>
/// A 5×7 pixel font for burning annotations into pixel data, as modality consoles do: digits, upper-case letters (lower
/// case is drawn upper case, accents are dropped) and the punctuation that appears in names, dates and identifiers.
/// Unknown characters are drawn as '?'.
/// </summary>
internal static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;

    /// <summary>Horizontal advance and line height in font pixels (one column and two rows of spacing).</summary>
    public const int Advance = 6;
    public const int LineHeight = 9;

    // Five column bytes per glyph, left to right; bit 0 is the top row.
    private static readonly Dictionary<char, byte[]> Glyphs = new()
    {
        [' '] = [0x00, 0x00, 0x00, 0x00, 0x00],
        ['!'] = [0x00, 0x00, 0x5F, 0x00, 0x00],
        ['#'] = [0x14, 0x7F, 0x14, 0x7F, 0x14],
        ['%'] = [0x23, 0x13, 0x08, 0x64, 0x62],
        ['&'] = [0x36, 0x49, 0x55, 0x22, 0x50],
        ['\''] = [0x00, 0x05, 0x03, 0x00, 0x00],
        ['('] = [0x00, 0x1C, 0x22, 0x41, 0x00],
        [')'] = [0x00, 0x41, 0x22, 0x1C, 0x00],
        ['*'] = [0x08, 0x2A, 0x1C, 0x2A, 0x08],
        ['+'] = [0x08, 0x08, 0x3E, 0x08, 0x08],
        [','] = [0x00, 0x50, 0x30, 0x00, 0x00],
        ['-'] = [0x08, 0x08, 0x08, 0x08, 0x08],
        ['.'] = [0x00, 0x60, 0x60, 0x00, 0x00],
        ['/'] = [0x20, 0x10, 0x08, 0x04, 0x02],
        ['0'] = [0x3E, 0x51, 0x49, 0x45, 0x3E],
        ['1'] = [0x00, 0x42, 0x7F, 0x40, 0x00],
        ['2'] = [0x42, 0x61, 0x51, 0x49, 0x46],
        ['3'] = [0x21, 0x41, 0x45, 0x4B, 0x31],
        ['4'] = [0x18, 0x14, 0x12, 0x7F, 0x10],
        ['5'] = [0x27, 0x45, 0x45, 0x45, 0x39],
        ['6'] = [0x3C, 0x4A, 0x49, 0x49, 0x30],
        ['7'] = [0x01, 0x71, 0x09, 0x05, 0x03],
        ['8'] = [0x36, 0x49, 0x49, 0x49, 0x36],
        ['9'] = [0x06, 0x49, 0x49, 0x29, 0x1E],
        [':'] = [0x00, 0x36, 0x36, 0x00, 0x00],
        [';'] = [0x00, 0x56, 0x36, 0x00, 0x00],
        ['='] = [0x14, 0x14, 0x14, 0x14, 0x14],
        ['?'] = [0x02, 0x01, 0x51, 0x09, 0x06],
        ['@'] = [0x32, 0x49, 0x79, 0x41, 0x3E],
        ['A'] = [0x7E, 0x11, 0x11, 0x11, 0x7E],
        ['B'] = [0x7F, 0x49, 0x49, 0x49, 0x36],
        ['C'] = [0x3E, 0x41, 0x41, 0x41, 0x22],
        ['D'] = [0x7F, 0x41, 0x41, 0x22, 0x1C],
        ['E'] = [0x7F, 0x49, 0x49, 0x49, 0x41],
        ['F'] = [0x7F, 0x09, 0x09, 0x01, 0x01],
        ['G'] = [0x3E, 0x41, 0x41, 0x51, 0x32],
        ['H'] = [0x7F, 0x08, 0x08, 0x08, 0x7F],
        ['I'] = [0x00, 0x41, 0x7F, 0x41, 0x00],
        ['J'] = [0x20, 0x40, 0x41, 0x3F, 0x01],
        ['K'] = [0x7F, 0x08, 0x14, 0x22, 0x41],
        ['L'] = [0x7F, 0x40, 0x40, 0x40, 0x40],
        ['M'] = [0x7F, 0x02, 0x04, 0x02, 0x7F],
        ['N'] = [0x7F, 0x04, 0x08, 0x10, 0x7F],
        ['O'] = [0x3E, 0x41, 0x41, 0x41, 0x3E],
        ['P'] = [0x7F, 0x09, 0x09, 0x09, 0x06],
        ['Q'] = [0x3E, 0x41, 0x51, 0x21, 0x5E],
        ['R'] = [0x7F, 0x09, 0x19, 0x29, 0x46],
        ['S'] = [0x46, 0x49, 0x49, 0x49, 0x31],
        ['T'] = [0x01, 0x01, 0x7F, 0x01, 0x01],
        ['U'] = [0x3F, 0x40, 0x40, 0x40, 0x3F],
        ['V'] = [0x1F, 0x20, 0x40, 0x20, 0x1F],
        ['W'] = [0x7F, 0x20, 0x18, 0x20, 0x7F],
        ['X'] = [0x63, 0x14, 0x08, 0x14, 0x63],
        ['Y'] = [0x03, 0x04, 0x78, 0x04, 0x03],
        ['Z'] = [0x61, 0x51, 0x49, 0x45, 0x43],
        ['^'] = [0x04, 0x02, 0x01, 0x02, 0x04],
        ['_'] = [0x40, 0x40, 0x40, 0x40, 0x40],
    };

    /// <summary>Whether font pixel (<paramref name="column"/>, <paramref name="row"/>) of the glyph for <paramref name="c"/> is set.</summary>
    public static bool IsSet(char c, int column, int row) => (Glyph(c)[column] & (1 << row)) != 0;

    /// <summary>The character as the font draws it: upper case, without diacritics, '?' when there is no glyph.</summary>
    public static char Normalize(char c)
    {
        var upper = char.ToUpperInvariant(c);
        if (Glyphs.ContainsKey(upper))
        {
            return upper;
        }

        var decomposed = upper.ToString().Normalize(NormalizationForm.FormD);
        var letter = decomposed.FirstOrDefault(ch => CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark);
        return Glyphs.ContainsKey(letter) ? letter : '?';
    }

    /// <summary>
    /// Draws <paramref name="lines"/> into a row-major 16-bit image with its top-left corner at (<paramref name="left"/>,
    /// <paramref name="top"/>), each font pixel a <paramref name="scale"/> × <paramref name="scale"/> block set to
    /// <paramref name="value"/>. Pixels outside the image are skipped.
    /// </summary>
    public static void Draw(ushort[] pixels, int width, int height, IReadOnlyList<string> lines, int left, int top, int scale, ushort value)
    {
        for (var line = 0; line < lines.Count; line++)
        {
            var text = lines[line];
            for (var n = 0; n < text.Length; n++)
            {
                var glyph = Glyph(Normalize(text[n]));
                var x0 = left + (n * Advance * scale);
                var y0 = top + (line * LineHeight * scale);
                for (var column = 0; column < GlyphWidth; column++)
                {
                    for (var row = 0; row < GlyphHeight; row++)
                    {
                        if ((glyph[column] & (1 << row)) != 0)
                        {
                            FillBlock(pixels, width, height, x0 + (column * scale), y0 + (row * scale), scale, value);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Splits on line breaks, then wraps at spaces (or hard) so that no line exceeds <paramref name="maxCharacters"/>.</summary>
    public static IReadOnlyList<string> Wrap(string text, int maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(text);
        maxCharacters = Math.Max(1, maxCharacters);
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var rest = paragraph.Trim();
            while (rest.Length > maxCharacters)
            {
                var cut = rest.LastIndexOf(' ', maxCharacters);
                if (cut <= 0)
                {
                    cut = maxCharacters;
                }

                lines.Add(rest[..cut].TrimEnd());
                rest = rest[cut..].TrimStart();
            }

            lines.Add(rest);
        }

        return lines;
    }

    private static byte[] Glyph(char c) => Glyphs.TryGetValue(c, out var glyph) ? glyph : Glyphs['?'];

    private static void FillBlock(ushort[] pixels, int width, int height, int x0, int y0, int scale, ushort value)
    {
        for (var y = Math.Max(0, y0); y < Math.Min(height, y0 + scale); y++)
        {
            for (var x = Math.Max(0, x0); x < Math.Min(width, x0 + scale); x++)
            {
                pixels[(y * width) + x] = value;
            }
        }
    }
}
