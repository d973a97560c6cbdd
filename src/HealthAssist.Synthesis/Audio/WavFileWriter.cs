using System.Buffers.Binary;
using System.Text;

namespace HealthAssist.Synthesis.Audio;

/// <summary>Where the optional and movable chunks go, so that readers meet the layouts real devices write.</summary>
/// <param name="BextBeforeFmt">bext first (as Broadcast Wave writers do) or after fmt.</param>
/// <param name="ListBeforeData">LIST/INFO before the samples, or after them (as editors that append tags do).</param>
/// <param name="JunkSize">Size of a JUNK chunk (odd sizes are followed by a pad byte), or 0 for none.</param>
/// <param name="JunkFirst">JUNK straight after the RIFF header (reserved space) or just before data (alignment).</param>
/// <param name="Extensible">WAVE_FORMAT_EXTENSIBLE fmt chunk instead of the plain PCM / IEEE float one.</param>
internal sealed record WavChunkLayout(bool BextBeforeFmt, bool ListBeforeData, int JunkSize, bool JunkFirst, bool Extensible);

/// <summary>The Broadcast Wave (EBU Tech 3285) description fields written into the bext chunk.</summary>
internal sealed record BroadcastDescription(string Description, string Originator, string OriginationDate, string OriginationTime, string CodingHistory);

/// <summary>
/// Writes RIFF/WAVE files by hand: fmt (PCM, IEEE float or WAVE_FORMAT_EXTENSIBLE), fact for float, bext version 2,
/// LIST/INFO, optional JUNK, data. Text is UTF-8 (stethoscope software varies; UTF-8 keeps every name intact), NUL
/// terminated in INFO and NUL padded in bext's fixed fields; every chunk of odd size is followed by a pad byte, and
/// the RIFF size is exact.
/// </summary>
internal static class WavFileWriter
{
    /// <summary>Sizes of bext's fixed text fields (EBU Tech 3285).</summary>
    public const int BextDescriptionBytes = 256;
    public const int BextOriginatorBytes = 32;

    private const int BextFixedBytes = 602;
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>The KSDATAFORMAT sub-format GUID tail shared by PCM and IEEE float: -0000-0010-8000-00AA00389B71.</summary>
    private static ReadOnlySpan<byte> SubFormatTail => [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    public static byte[] Write(
        ReadOnlySpan<float> interleaved, int channels, int sampleRate, WavEncoding encoding,
        IReadOnlyList<(string Id, string Text)> info, BroadcastDescription bext, WavChunkLayout layout)
    {
        var bytesPerSample = encoding switch
        {
            WavEncoding.Pcm16 => 2,
            WavEncoding.Pcm24 => 3,
            WavEncoding.IeeeFloat32 => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown WAV encoding."),
        };
        var frames = interleaved.Length / channels;
        var dataSize = (long)frames * channels * bytesPerSample;
        if (dataSize > int.MaxValue - 65_536)
        {
            throw new ArgumentOutOfRangeException(nameof(interleaved), "The recording is too long for a WAV file.");
        }

        var fmt = Fmt(channels, sampleRate, encoding, bytesPerSample, layout.Extensible);
        var fact = encoding == WavEncoding.IeeeFloat32 ? Fact(frames) : null;
        var bextBody = Bext(bext);
        var list = InfoList(info);
        var junk = layout.JunkSize > 0 ? new byte[layout.JunkSize] : null;

        var chunks = new List<(string Id, byte[]? Body)>(8);
        if (junk is not null && layout.JunkFirst)
        {
            chunks.Add(("JUNK", junk));
        }

        if (layout.BextBeforeFmt)
        {
            chunks.Add(("bext", bextBody));
        }

        chunks.Add(("fmt ", fmt));
        if (!layout.BextBeforeFmt)
        {
            chunks.Add(("bext", bextBody));
        }

        if (fact is not null)
        {
            chunks.Add(("fact", fact));
        }

        if (layout.ListBeforeData)
        {
            chunks.Add(("LIST", list));
        }

        if (junk is not null && !layout.JunkFirst)
        {
            chunks.Add(("JUNK", junk));
        }

        chunks.Add(("data", null));
        if (!layout.ListBeforeData)
        {
            chunks.Add(("LIST", list));
        }

        long total = 12;
        foreach (var (_, body) in chunks)
        {
            var size = body?.Length ?? dataSize;
            total += 8 + size + (size & 1);
        }

        var file = new byte[total];
        var span = file.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(total - 8));
        "WAVE"u8.CopyTo(span[8..]);
        var position = 12;
        foreach (var (id, body) in chunks)
        {
            var size = (int)(body?.Length ?? dataSize);
            Encoding.ASCII.GetBytes(id, span.Slice(position, 4));
            BinaryPrimitives.WriteUInt32LittleEndian(span[(position + 4)..], (uint)size);
            var target = span.Slice(position + 8, size);
            if (body is null)
            {
                EncodeSamples(interleaved, encoding, target);
            }
            else
            {
                body.CopyTo(target);
            }

            position += 8 + size + (size & 1); // the pad byte of an odd chunk is already zero
        }

        return file;
    }

    /// <summary>The longest prefix of <paramref name="text"/> whose UTF-8 encoding fits in <paramref name="maxBytes"/>, never splitting a character.</summary>
    public static string FitUtf8(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var length = 0;
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }

        return text[..length];
    }

    private static byte[] Fmt(int channels, int sampleRate, WavEncoding encoding, int bytesPerSample, bool extensible)
    {
        var isFloat = encoding == WavEncoding.IeeeFloat32;
        var size = extensible ? 40 : isFloat ? 18 : 16;
        var fmt = new byte[size];
        var span = fmt.AsSpan();
        var tag = extensible ? FormatExtensible : isFloat ? FormatFloat : FormatPcm;
        var blockAlign = channels * bytesPerSample;
        BinaryPrimitives.WriteUInt16LittleEndian(span, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)(sampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(span[12..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(span[14..], (ushort)(bytesPerSample * 8));
        if (extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[16..], 22);
            BinaryPrimitives.WriteUInt16LittleEndian(span[18..], (ushort)(bytesPerSample * 8));
            BinaryPrimitives.WriteUInt32LittleEndian(span[20..], channels == 1 ? 0x4u : 0x3u); // front centre; front left + right
            BinaryPrimitives.WriteUInt16LittleEndian(span[24..], isFloat ? FormatFloat : FormatPcm);
            SubFormatTail.CopyTo(span[26..]);
        }

        // A plain IEEE float fmt carries cbSize = 0 (the array is already zero).
        return fmt;
    }

    private static byte[] Fact(int frames)
    {
        var fact = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(fact, (uint)frames);
        return fact;
    }

    /// <summary>bext version 2: fixed fields (602 bytes) then the coding history, whose length makes the chunk odd or even.</summary>
    private static byte[] Bext(BroadcastDescription bext)
    {
        var history = Encoding.ASCII.GetBytes(bext.CodingHistory);
        var body = new byte[BextFixedBytes + history.Length];
        var span = body.AsSpan();
        PutText(span[..256], bext.Description);
        PutText(span.Slice(256, 32), bext.Originator);
        // OriginatorReference (32 bytes at 288) stays empty.
        PutText(span.Slice(320, 10), bext.OriginationDate);
        PutText(span.Slice(330, 8), bext.OriginationTime);
        // TimeReference (8 bytes at 338) stays 0: no sample-accurate time of day is claimed.
        BinaryPrimitives.WriteUInt16LittleEndian(span[346..], 2); // version
        // UMID (64 bytes at 348) stays empty; loudness fields (5 × int16 at 412) are 0x7FFF: not measured.
        for (var field = 0; field < 5; field++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(span[(412 + (2 * field))..], 0x7FFF);
        }

        // Reserved (180 bytes at 422) stays zero.
        history.CopyTo(span[BextFixedBytes..]);
        return body;
    }

    private static byte[] InfoList(IReadOnlyList<(string Id, string Text)> info)
    {
        var size = 4;
        var texts = new byte[info.Count][];
        for (var i = 0; i < info.Count; i++)
        {
            texts[i] = Encoding.UTF8.GetBytes(info[i].Text + "\0");
            size += 8 + texts[i].Length + (texts[i].Length & 1);
        }

        var list = new byte[size];
        var span = list.AsSpan();
        "INFO"u8.CopyTo(span);
        var position = 4;
        for (var i = 0; i < info.Count; i++)
        {
            Encoding.ASCII.GetBytes(info[i].Id, span.Slice(position, 4));
            BinaryPrimitives.WriteUInt32LittleEndian(span[(position + 4)..], (uint)texts[i].Length);
            texts[i].CopyTo(span[(position + 8)..]);
            position += 8 + texts[i].Length + (texts[i].Length & 1);
        }

        return list;
    }

    private static void PutText(Span<byte> field, string text) => Encoding.UTF8.GetBytes(FitUtf8(text, field.Length), field);

    private static void EncodeSamples(ReadOnlySpan<float> samples, WavEncoding encoding, Span<byte> target)
    {
        switch (encoding)
        {
            case WavEncoding.Pcm16:
                for (var i = 0; i < samples.Length; i++)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(target[(2 * i)..], (short)Quantise(samples[i], 32_767f));
                }

                break;
            case WavEncoding.Pcm24:
                for (int i = 0, b = 0; i < samples.Length; i++, b += 3)
                {
                    var value = Quantise(samples[i], 8_388_607f);
                    target[b] = (byte)value;
                    target[b + 1] = (byte)(value >> 8);
                    target[b + 2] = (byte)(value >> 16);
                }

                break;
            default:
                for (var i = 0; i < samples.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(target[(4 * i)..], Math.Clamp(samples[i], -1f, 1f));
                }

                break;
        }
    }

    /// <summary>Rounds to the nearest step (halves away from zero), saturating at full scale as an ADC does.</summary>
    private static int Quantise(float sample, float fullScale)
    {
        var scaled = Math.Clamp(sample, -1f, 1f) * fullScale;
        return (int)(scaled >= 0 ? scaled + 0.5f : scaled - 0.5f);
    }
}
