using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using NAudio.Wave;

namespace HealthAssist.Ingest.Audio;

/// <summary>Size and length limits for WAV input; a file beyond them is refused with status 413.</summary>
public sealed record WavReaderLimits
{
    public static WavReaderLimits Default { get; } = new();

    /// <summary>Largest file accepted, in bytes (default 256 MiB; at most <see cref="Array.MaxLength"/>).</summary>
    public long MaxFileBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Longest recording accepted (default 10 minutes; an auscultation lasts seconds to a minute).</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>Where the samples of a validated WAV file are and how they are stored.</summary>
/// <param name="Format">The validated stored format.</param>
/// <param name="DataOffset">Byte offset of the first sample frame.</param>
/// <param name="FrameCount">Whole sample frames in the data chunk (a trailing partial frame is ignored).</param>
/// <param name="StreamingDataSize">Whether the data chunk size was the streaming placeholder 0xFFFFFFFF, so the data ran to the end of the file.</param>
public sealed record WavLayout(AudioSourceFormat Format, int DataOffset, int FrameCount, bool StreamingDataSize)
{
    /// <summary>Bytes of whole frames from <see cref="DataOffset"/>.</summary>
    public int DataLength => FrameCount * Format.BlockAlign;

    public TimeSpan Duration => TimeSpan.FromSeconds((double)FrameCount / Format.SampleRate);
}

/// <summary>
/// Reads RIFF/WAVE files: PCM 8 (unsigned), 16, 24 and 32-bit, IEEE float 32 and 64-bit, WAVE_FORMAT_EXTENSIBLE with a
/// PCM or float sub-format; 1–8 channels; 2–192 kHz. Every field is validated on the raw bytes before a sample is decoded,
/// and every refusal is an <see cref="InvalidInputException"/> that says what is wrong and at which byte offset: 400 for
/// a malformed or truncated file, 413 beyond <see cref="WavReaderLimits"/>, 415 for other formats (FLAC, MP3, Ogg,
/// AIFF, compressed WAV such as MP3-in-RIFF or ADPCM).
/// </summary>
/// <remarks>
/// <para>Chunks may come in any order; the fmt and data chunks must each appear once and every other chunk (LIST, bext,
/// iXML, id3, cue, fact, JUNK, PAD …) is skipped. A chunk of odd size is followed by a pad byte, which may be missing at
/// the very end of the file.</para>
/// <para>The RIFF size field is not trusted: streaming writers leave 0 or 0xFFFFFFFF there and some editors never
/// update it, so chunks are walked to the end of the bytes instead. Truncation is judged by the data chunk's own size.</para>
/// <para>Data chunk size policy: a declared size larger than the bytes that remain is an error (400, "the file is truncated
/// or its header is wrong"): decoding a prefix would silently hand the model a shorter or misaligned recording. The one
/// exception is 0xFFFFFFFF, the placeholder streaming writers (e.g. ffmpeg to a pipe) leave when they cannot seek back:
/// then the data runs to the end of the file. A size that is not a multiple of the block align loses its trailing
/// partial frame. A chunk other than fmt/data that runs past the end of the file is tolerated only after the data
/// chunk (a truncated trailing metadata chunk does not affect the audio). The byte rate field is not used and not checked.</para>
/// <para>Samples are scaled to [-1, 1]: unsigned 8-bit as (b − 128)/128, signed n-bit integers as v/2^(n−1); float samples
/// outside [-1, 1] are clamped, and non-finite float samples (NaN, ±∞) are refused.</para>
/// </remarks>
public static class WavReader
{
    public const int MinSampleRate = 2_000;
    public const int MaxSampleRate = 192_000;
    public const int MaxChannels = 8;

    /// <summary>The data chunk size streaming writers leave when they cannot seek back to patch it.</summary>
    private const uint StreamingSize = 0xFFFFFFFF;
    private const ushort TagPcm = 0x0001;
    private const ushort TagIeeeFloat = 0x0003;
    private const ushort TagExtensible = 0xFFFE;

    /// <summary>Validates and decodes a WAV file held in memory.</summary>
    public static AudioRecording Read(ReadOnlySpan<byte> wav, WavReaderLimits? limits = null)
    {
        var layout = ReadLayout(wav, limits);
        var samples = new float[layout.FrameCount * layout.Format.Channels];
        Decode(wav.Slice(layout.DataOffset, layout.DataLength), layout.Format, layout.DataOffset, samples);
        return new AudioRecording(samples, layout.Format, validate: false);
    }

    /// <summary>Reads a stream to its end (refusing more than <see cref="WavReaderLimits.MaxFileBytes"/>) and decodes it.</summary>
    public static AudioRecording Read(Stream stream, WavReaderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= WavReaderLimits.Default;
        var max = Math.Min(limits.MaxFileBytes, Array.MaxLength);
        if (stream.CanSeek && stream.Length - stream.Position > max)
        {
            throw TooLarge(stream.Length - stream.Position, max);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw TooLarge(buffer.Length + read, max);
            }

            buffer.Write(chunk, 0, read);
        }

        return Read(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), limits);
    }

    /// <summary>Validates a WAV file's headers and says where its samples are, without decoding them.</summary>
    public static WavLayout ReadLayout(ReadOnlySpan<byte> wav, WavReaderLimits? limits = null)
    {
        limits ??= WavReaderLimits.Default;
        var max = Math.Min(limits.MaxFileBytes, Array.MaxLength);
        if (wav.Length > max)
        {
            throw TooLarge(wav.Length, max);
        }

        if (OtherFormat(wav) is { } other)
        {
            throw Unsupported($"{other} is not supported; send WAV (PCM or IEEE float)", 0);
        }

        if (wav.Length < 12 || !wav[..4].SequenceEqual("RIFF"u8))
        {
            throw wav.Length < 12
                ? Malformed($"not a WAV file: {wav.Length} bytes is too short for a RIFF header", 0)
                : Unsupported($"not a WAV file: expected 'RIFF' but found {FourCc(wav[..4])}", 0);
        }

        if (!wav.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw Unsupported($"RIFF file of form {FourCc(wav.Slice(8, 4))} is not WAV (expected 'WAVE')", 8);
        }

        int fmtHeader = -1, fmtSize = 0, dataHeader = -1, dataSize = 0;
        var streaming = false;
        var position = 12;
        while (wav.Length - position >= 8)
        {
            var id = wav.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(wav.Slice(position + 4, 4));
            var body = position + 8;
            long remaining = wav.Length - body;
            if (id.SequenceEqual("fmt "u8))
            {
                if (fmtHeader >= 0)
                {
                    throw Malformed($"WAV file has a second fmt chunk (the first is at offset {fmtHeader})", position);
                }

                if (size > remaining)
                {
                    throw Malformed($"WAV fmt chunk declares {size} bytes but only {remaining} remain; the file is truncated", position);
                }

                (fmtHeader, fmtSize) = (position, (int)size);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (dataHeader >= 0)
                {
                    throw Malformed($"WAV file has a second data chunk (the first is at offset {dataHeader})", position);
                }

                if (size == StreamingSize)
                {
                    // Streaming placeholder: the samples run to the end of the file (see the class remarks).
                    (dataHeader, dataSize, streaming) = (position, (int)remaining, true);
                    break;
                }

                if (size > remaining)
                {
                    throw Malformed($"WAV data chunk declares {size} bytes but only {remaining} remain; the file is truncated or its header is wrong", position);
                }

                (dataHeader, dataSize) = (position, (int)size);
            }
            else if (size > remaining)
            {
                if (dataHeader >= 0)
                {
                    break; // a truncated metadata chunk after the audio: the audio is complete
                }

                throw Malformed($"WAV chunk {FourCc(id)} declares {size} bytes but only {remaining} remain; the file is truncated", position);
            }

            var next = body + (long)size + (size & 1);
            if (next >= wav.Length)
            {
                break;
            }

            position = (int)next;
        }

        if (fmtHeader < 0)
        {
            throw Malformed($"WAV file has no fmt chunk", 12);
        }

        if (dataHeader < 0)
        {
            throw Malformed($"WAV file has no data chunk", 12);
        }

        var format = ParseFormat(wav.Slice(fmtHeader + 8, fmtSize), fmtHeader);
        var frames = dataSize / format.BlockAlign;
        if (frames == 0)
        {
            throw Malformed($"WAV data chunk holds no complete sample frame ({dataSize} bytes, {format.BlockAlign} per frame)", dataHeader);
        }

        var seconds = (double)frames / format.SampleRate;
        if (seconds > limits.MaxDuration.TotalSeconds)
        {
            throw new InvalidInputException(
                Invariant($"WAV recording lasts {seconds / 60:F1} min; the limit is {limits.MaxDuration.TotalMinutes:F0} min (data chunk at offset {dataHeader})"),
                Invariant($"byte {dataHeader}"))
            { StatusCode = 413 };
        }

        return new WavLayout(format, dataHeader + 8, frames, streaming);
    }

    private static AudioSourceFormat ParseFormat(ReadOnlySpan<byte> fmt, int header)
    {
        var at = header + 8; // offset of the fmt chunk body, for messages
        if (fmt.Length < 16)
        {
            throw Malformed($"WAV fmt chunk is {fmt.Length} bytes; at least 16 are needed", header);
        }

        var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var channels = (int)BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        var blockAlign = (int)BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        var bits = (int)BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        var validBits = bits;
        uint channelMask = 0;
        SampleEncoding encoding;
        switch (tag)
        {
            case TagPcm:
                encoding = SampleEncoding.Pcm;
                break;
            case TagIeeeFloat:
                encoding = SampleEncoding.IeeeFloat;
                break;
            case TagExtensible:
                if (fmt.Length < 40)
                {
                    throw Malformed($"WAVE_FORMAT_EXTENSIBLE fmt chunk is {fmt.Length} bytes; 40 are needed", header);
                }

                var extraSize = BinaryPrimitives.ReadUInt16LittleEndian(fmt[16..]);
                if (extraSize < 22)
                {
                    throw Malformed($"WAVE_FORMAT_EXTENSIBLE fmt chunk declares {extraSize} extra bytes; 22 are needed", at + 16);
                }

                validBits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[18..]);
                channelMask = BinaryPrimitives.ReadUInt32LittleEndian(fmt[20..]);
                var subFormat = new Guid(fmt.Slice(24, 16));
                if (subFormat == AudioMediaSubtypes.MEDIASUBTYPE_PCM)
                {
                    encoding = SampleEncoding.Pcm;
                }
                else if (subFormat == AudioMediaSubtypes.MEDIASUBTYPE_IEEE_FLOAT)
                {
                    encoding = SampleEncoding.IeeeFloat;
                }
                else
                {
                    throw Unsupported($"WAVE_FORMAT_EXTENSIBLE sub-format {DescribeSubFormat(subFormat)} is not supported; only PCM and IEEE float are", at + 24);
                }

                break;
            default:
                throw Unsupported($"WAV fmt chunk declares format 0x{tag:X4} ({(WaveFormatEncoding)tag}), which is not supported; only PCM (1), IEEE float (3) and WAVE_FORMAT_EXTENSIBLE are", at);
        }

        if (channels == 0)
        {
            throw Malformed($"WAV fmt chunk declares 0 channels", at + 2);
        }

        if (channels > MaxChannels)
        {
            throw Unsupported($"WAV fmt chunk declares {channels} channels; at most {MaxChannels} are supported", at + 2);
        }

        if (rate == 0)
        {
            throw Malformed($"WAV fmt chunk declares a sample rate of 0 Hz", at + 4);
        }

        if (rate is < MinSampleRate or > MaxSampleRate)
        {
            throw Unsupported($"WAV fmt chunk declares a sample rate of {rate} Hz; {MinSampleRate}–{MaxSampleRate} Hz are supported", at + 4);
        }

        var supportedBits = encoding == SampleEncoding.Pcm ? bits is 8 or 16 or 24 or 32 : bits is 32 or 64;
        if (!supportedBits)
        {
            var kind = encoding == SampleEncoding.Pcm ? "PCM" : "IEEE float";
            var allowed = encoding == SampleEncoding.Pcm ? "8, 16, 24 or 32" : "32 or 64";
            throw Unsupported($"WAV fmt chunk declares {kind} with {bits} bits per sample; {allowed} are supported", at + 14);
        }

        if (blockAlign != channels * (bits / 8))
        {
            throw Malformed($"WAV fmt chunk declares block align {blockAlign}, but {channels} channels × {bits / 8} bytes per sample = {channels * (bits / 8)}", at + 12);
        }

        if (validBits == 0)
        {
            validBits = bits; // WAVE_FORMAT_EXTENSIBLE allows 0 for "same as the container"
        }
        else if (validBits > bits)
        {
            throw Malformed($"WAVE_FORMAT_EXTENSIBLE declares {validBits} valid bits in a {bits}-bit container", at + 18);
        }

        return new AudioSourceFormat(encoding, bits, validBits, (int)rate, channels, tag == TagExtensible, channelMask);
    }

    /// <summary>Decodes whole frames of <paramref name="data"/> into interleaved floats in [-1, 1].</summary>
    internal static void Decode(ReadOnlySpan<byte> data, AudioSourceFormat format, int dataOffset, Span<float> output)
    {
        switch (format.Encoding, format.BitsPerSample)
        {
            case (SampleEncoding.Pcm, 8):
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] = (data[i] - 128) * (1f / 128);
                }

                break;
            case (SampleEncoding.Pcm, 16):
                DecodePcm16(data, output);
                break;
            case (SampleEncoding.Pcm, 24):
                for (int i = 0, b = 0; i < output.Length; i++, b += 3)
                {
                    var value = data[b] | (data[b + 1] << 8) | ((sbyte)data[b + 2] << 16);
                    output[i] = value * (1f / 8_388_608);
                }

                break;
            case (SampleEncoding.Pcm, 32):
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] = BinaryPrimitives.ReadInt32LittleEndian(data[(i * 4)..]) * (1f / 2_147_483_648);
                }

                break;
            case (SampleEncoding.IeeeFloat, 32):
                for (var i = 0; i < output.Length; i++)
                {
                    var value = BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
                    if (!float.IsFinite(value))
                    {
                        throw NotFinite(i, dataOffset + (i * 4));
                    }

                    output[i] = Math.Clamp(value, -1f, 1f);
                }

                break;
            case (SampleEncoding.IeeeFloat, 64):
                for (var i = 0; i < output.Length; i++)
                {
                    var value = BinaryPrimitives.ReadDoubleLittleEndian(data[(i * 8)..]);
                    if (!double.IsFinite(value))
                    {
                        throw NotFinite(i, dataOffset + (i * 8));
                    }

                    output[i] = (float)Math.Clamp(value, -1.0, 1.0);
                }

                break;
            default:
                throw new InvalidOperationException($"Unvalidated format {format}.");
        }
    }

    private static void DecodePcm16(ReadOnlySpan<byte> data, Span<float> output)
    {
        const float scale = 1f / 32_768;
        var i = 0;
        if (BitConverter.IsLittleEndian && Vector.IsHardwareAccelerated)
        {
            var source = MemoryMarshal.Cast<byte, short>(data[..(output.Length * 2)]);
            var factor = new Vector<float>(scale);
            for (; i <= source.Length - Vector<short>.Count; i += Vector<short>.Count)
            {
                Vector.Widen(new Vector<short>(source[i..]), out var low, out var high);
                (Vector.ConvertToSingle(low) * factor).CopyTo(output[i..]);
                (Vector.ConvertToSingle(high) * factor).CopyTo(output[(i + Vector<int>.Count)..]);
            }
        }

        for (; i < output.Length; i++)
        {
            output[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(i * 2)..]) * scale;
        }
    }

    /// <summary>Recognises other audio containers by their first bytes, to name them in the refusal.</summary>
    private static string? OtherFormat(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("fLaC"u8))
        {
            return "FLAC audio";
        }

        if (head.StartsWith("ID3"u8) || (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0))
        {
            return "MPEG audio (MP3/AAC)";
        }

        if (head.StartsWith("OggS"u8))
        {
            return "Ogg audio (Vorbis/Opus/FLAC)";
        }

        if (head.StartsWith("FORM"u8))
        {
            return "AIFF audio";
        }

        if (head.StartsWith("RIFX"u8))
        {
            return "Big-endian RIFF (RIFX)";
        }

        if (head.StartsWith("RF64"u8) || head.StartsWith("BW64"u8))
        {
            return "RF64/BW64 (64-bit WAV)";
        }

        if (head.Length >= 8 && head.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return "MP4/M4A audio";
        }

        return null;
    }

    private static string DescribeSubFormat(Guid subFormat)
    {
        // Sub-formats derived from a format tag share the KSDATAFORMAT base GUID {xxxxxxxx-0000-0010-8000-00AA00389B71}.
        Span<byte> bytes = stackalloc byte[16];
        subFormat.TryWriteBytes(bytes);
        Span<byte> pcm = stackalloc byte[16];
        AudioMediaSubtypes.MEDIASUBTYPE_PCM.TryWriteBytes(pcm);
        if (bytes[4..].SequenceEqual(pcm[4..]) && bytes[2] == 0 && bytes[3] == 0)
        {
            var tag = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
            return Invariant($"0x{tag:X4} ({(WaveFormatEncoding)tag})");
        }

        return subFormat.ToString("B", CultureInfo.InvariantCulture);
    }

    private static string FourCc(ReadOnlySpan<byte> id)
    {
        foreach (var b in id)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return "0x" + Convert.ToHexString(id);
            }
        }

        return "'" + System.Text.Encoding.ASCII.GetString(id) + "'";
    }

    private static InvalidInputException Malformed(FormattableString message, long offset) =>
        new(Invariant($"{message.ToString(CultureInfo.InvariantCulture)} (offset {offset})"), Invariant($"byte {offset}")) { StatusCode = 400 };

    private static InvalidInputException Unsupported(FormattableString message, long offset) =>
        new(Invariant($"{message.ToString(CultureInfo.InvariantCulture)} (offset {offset})"), Invariant($"byte {offset}")) { StatusCode = 415 };

    private static InvalidInputException NotFinite(int sample, long offset) =>
        Malformed($"WAV IEEE float sample {sample} is not a finite number", offset);

    private static InvalidInputException TooLarge(long bytes, long max) =>
        new(Invariant($"WAV file is {bytes / 1048576.0:F1} MiB; the limit is {max / 1048576.0:F0} MiB"), "file") { StatusCode = 413 };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
