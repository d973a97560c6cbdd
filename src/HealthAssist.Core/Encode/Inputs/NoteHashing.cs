using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace HealthAssist.Encode.Inputs;

/// <summary>How note text becomes the note encoder's input: hashed word n-gram counts.</summary>
public sealed record NoteHashingOptions
{
    /// <summary>Length of the count vector (hash buckets).</summary>
    [JsonPropertyName("dimension")]
    public int Dimension { get; init; } = 4_096;

    /// <summary>Longest n-gram counted (1 = words only, 2 = words and word pairs).</summary>
    [JsonPropertyName("max_ngram")]
    public int MaxNgram { get; init; } = 2;

    /// <summary>Longest text read; the rest is ignored (notes beyond this are rare and add little).</summary>
    [JsonPropertyName("max_characters")]
    public int MaxCharacters { get; init; } = 20_000;

    [JsonPropertyName("convention")]
    public string Convention { get; init; } =
        "lower-case invariant; tokens are runs of letters (digits runs become '#'); n-grams joined by a space; bucket = FNV-1a 32-bit of the UTF-8 n-gram mod dimension; value = count";

    public void Validate()
    {
        if (Dimension is < 16 or > 1 << 20 || MaxNgram is < 1 or > 3 || MaxCharacters < 1)
        {
            throw new InvalidOperationException("Note hashing options are out of range (dimension 16–1,048,576, max_ngram 1–3)");
        }
    }
}

/// <summary>
/// Turns de-identified note text into hashed n-gram counts. Written here rather than taken from a library because
/// the same few lines must give the same buckets in the serving pipeline and in the exported training tensors, and no
/// .NET text library served here fixes its hash function as a documented contract.
/// </summary>
public sealed class NoteHasher
{
    private readonly NoteHashingOptions _options;

    public NoteHasher(NoteHashingOptions? options = null)
    {
        _options = options ?? new NoteHashingOptions();
        _options.Validate();
    }

    public NoteHashingOptions Options => _options;

    /// <summary>The count vector of all the texts together, or null when they hold no token.</summary>
    public float[]? Hash(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var counts = new float[_options.Dimension];
        var any = false;
        var budget = _options.MaxCharacters;
        foreach (var text in texts)
        {
            if (budget <= 0)
            {
                break;
            }

            var slice = text.Length > budget ? text[..budget] : text;
            budget -= slice.Length;
            var tokens = Tokenize(slice);
            for (var i = 0; i < tokens.Count; i++)
            {
                var gram = new StringBuilder();
                for (var n = 1; n <= _options.MaxNgram && i + n <= tokens.Count; n++)
                {
                    if (n > 1)
                    {
                        gram.Append(' ');
                    }

                    gram.Append(tokens[i + n - 1]);
                    counts[Bucket(gram.ToString())]++;
                    any = true;
                }
            }
        }

        return any ? counts : null;
    }

    internal int Bucket(string gram) => (int)(Fnv1a(Encoding.UTF8.GetBytes(gram)) % (uint)_options.Dimension);

    internal static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var digits = false;
        void Flush()
        {
            if (current.Length > 0)
            {
                tokens.Add(digits ? "#" : current.ToString());
                current.Clear();
            }
        }

        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                if (digits)
                {
                    Flush();
                }

                digits = false;
                current.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }
            else if (char.IsDigit(c))
            {
                if (!digits)
                {
                    Flush();
                }

                digits = true;
                current.Append(c);
            }
            else
            {
                Flush();
            }
        }

        Flush();
        return tokens;
    }

    private static uint Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }
}
