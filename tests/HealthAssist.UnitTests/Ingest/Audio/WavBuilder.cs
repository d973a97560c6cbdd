using System.Buffers.Binary;
using System.Text;
using NAudio.Wave;

namespace HealthAssist.UnitTests.Ingest.Audio;

/// <summary>
/// Writes WAV files in every encoding the reader supports, with extra chunks in any order, from channel signals in
/// [-1, 1]. The fmt chunk is serialised by NAudio (an independent writer) unless a raw one is given for malformed cases.
/// </summary>
internal sealed class WavBuilder
{
    private readonly List<(string Id, byte[] Body)> _before = [];
    private readonly List<(string Id, byte[] Body)> _after = [];
    private double[][] _channels = [[]];
    private int _sampleRate = 8_000;
    private int _bits = 16;
    private bool _float;
    private bool _extensible;
    private int _validBits;
    private bool _dataBeforeFmt;
    private byte[]? _rawFmt;
    private uint? _dataSizeOverride;
    private uint? _riffSizeOverride;

    public static WavBuilder Pcm(int bits) => new() { _bits = bits };

    public static WavBuilder Float(int bits) => new() { _bits = bits, _float = true };

    public WavBuilder Extensible(int validBits = 0)
    {
        _extensible = true;
        _validBits = validBits;
        return this;
    }

    public WavBuilder Rate(int sampleRate)
    {
        _sampleRate = sampleRate;
        return this;
    }

    /// <summary>One signal per channel, all the same length.</summary>
    public WavBuilder Samples(params double[][] channels)
    {
        _channels = channels;
        return this;
    }

    /// <summary>Adds a chunk before the fmt chunk (or before data when data comes first).</summary>
    public WavBuilder ChunkBefore(string id, byte[] body)
    {
        _before.Add((id, body));
        return this;
    }

    /// <summary>Adds a chunk after the data chunk.</summary>
    public WavBuilder ChunkAfter(string id, byte[] body)
    {
        _after.Add((id, body));
        return this;
    }

    public WavBuilder DataBeforeFmt()
    {
        _dataBeforeFmt = true;
        return this;
    }

    /// <summary>Writes this body as the fmt chunk instead of NAudio's.</summary>
    public WavBuilder RawFmt(byte[] body)
    {
        _rawFmt = body;
        return this;
    }

    public WavBuilder DataSize(uint size)
    {
        _dataSizeOverride = size;
        return this;
    }

    public WavBuilder RiffSize(uint size)
    {
        _riffSizeOverride = size;
        return this;
    }

    /// <summary>The NAudio format this builder describes.</summary>
    public WaveFormat Format()
    {
        var channels = _channels.Length;
        if (_extensible)
        {
            return new WaveFormatExtensible(_sampleRate, _bits, channels, _float, _validBits == 0 ? _bits : _validBits, 0);
        }

        return _float
            ? WaveFormat.CreateCustomFormat(WaveFormatEncoding.IeeeFloat, _sampleRate, channels, _sampleRate * channels * _bits / 8, channels * _bits / 8, _bits)
            : new WaveFormat(_sampleRate, _bits, channels);
    }

    public byte[] Build()
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(0u);
        writer.Write("WAVE"u8);
        foreach (var (id, body) in _before)
        {
            WriteChunk(writer, id, body);
        }

        if (_dataBeforeFmt)
        {
            WriteData(writer);
            WriteFmt(writer);
        }
        else
        {
            WriteFmt(writer);
            WriteData(writer);
        }

        foreach (var (id, body) in _after)
        {
            WriteChunk(writer, id, body);
        }

        writer.Flush();
        var bytes = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), _riffSizeOverride ?? (uint)(bytes.Length - 8));
        return bytes;
    }

    /// <summary>Encodes the samples as the data chunk body.</summary>
    public byte[] EncodeSamples()
    {
        var frames = _channels[0].Length;
        var bytesPerSample = _bits / 8;
        var data = new byte[frames * _channels.Length * bytesPerSample];
        var at = 0;
        for (var i = 0; i < frames; i++)
        {
            foreach (var channel in _channels)
            {
                var v = Math.Clamp(channel[i], -1.0, 1.0);
                var span = data.AsSpan(at, bytesPerSample);
                switch (_float, _bits)
                {
                    case (true, 32):
                        BinaryPrimitives.WriteSingleLittleEndian(span, (float)channel[i]);
                        break;
                    case (true, 64):
                        BinaryPrimitives.WriteDoubleLittleEndian(span, channel[i]);
                        break;
                    case (false, 8):
                        span[0] = (byte)Math.Clamp(Math.Round(v * 128) + 128, 0, 255);
                        break;
                    case (false, 16):
                        BinaryPrimitives.WriteInt16LittleEndian(span, (short)Math.Clamp(Math.Round(v * 32768), short.MinValue, short.MaxValue));
                        break;
                    case (false, 24):
                        var s24 = (int)Math.Clamp(Math.Round(v * 8388608), -8388608, 8388607);
                        if (_validBits is > 0 and < 24)
                        {
                            s24 &= ~((1 << (24 - _validBits)) - 1);
                        }

                        span[0] = (byte)s24;
                        span[1] = (byte)(s24 >> 8);
                        span[2] = (byte)(s24 >> 16);
                        break;
                    case (false, 32):
                        var s32 = (int)Math.Clamp(Math.Round(v * 2147483648.0), int.MinValue, int.MaxValue);
                        if (_validBits is > 0 and < 32)
                        {
                            s32 &= ~((1 << (32 - _validBits)) - 1);
                        }

                        BinaryPrimitives.WriteInt32LittleEndian(span, s32);
                        break;
                    default:
                        throw new InvalidOperationException($"no {_bits}-bit {(_float ? "float" : "PCM")} encoder");
                }

                at += bytesPerSample;
            }
        }

        return data;
    }

    private void WriteFmt(BinaryWriter writer)
    {
        if (_rawFmt is not null)
        {
            WriteChunk(writer, "fmt ", _rawFmt);
            return;
        }

        writer.Write("fmt "u8);
        Format().Serialize(writer); // NAudio writes the chunk length and the WAVEFORMATEX(TENSIBLE)
    }

    private void WriteData(BinaryWriter writer)
    {
        var data = EncodeSamples();
        writer.Write("data"u8);
        writer.Write(_dataSizeOverride ?? (uint)data.Length);
        writer.Write(data);
        if ((data.Length & 1) == 1)
        {
            writer.Write((byte)0);
        }
    }

    private static void WriteChunk(BinaryWriter writer, string id, byte[] body)
    {
        writer.Write(Encoding.ASCII.GetBytes(id));
        writer.Write((uint)body.Length);
        writer.Write(body);
        if ((body.Length & 1) == 1)
        {
            writer.Write((byte)0); // pad byte
        }
    }

    /// <summary>A LIST/INFO chunk with a title, as editors write it.</summary>
    public static byte[] ListInfo(string title)
    {
        var text = Encoding.ASCII.GetBytes(title + "\0");
        var body = new List<byte>();
        body.AddRange("INFO"u8.ToArray());
        body.AddRange("INAM"u8.ToArray());
        body.AddRange(BitConverter.GetBytes(text.Length));
        body.AddRange(text);
        if ((text.Length & 1) == 1)
        {
            body.Add(0);
        }

        return [.. body];
    }

    /// <summary>A broadcast-wave (bext) chunk: 602 bytes, description and originator fields filled.</summary>
    public static byte[] Bext()
    {
        var body = new byte[602];
        Encoding.ASCII.GetBytes("Auscultation, left sternal border").CopyTo(body, 0);
        Encoding.ASCII.GetBytes("Stethoscope app").CopyTo(body, 256);
        return body;
    }
}
