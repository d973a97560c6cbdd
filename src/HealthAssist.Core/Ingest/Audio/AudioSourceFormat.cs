using System.Globalization;
using System.Text.Json.Serialization;

namespace HealthAssist.Ingest.Audio;

/// <summary>How the samples of a recording were stored: integer PCM or IEEE floating point.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SampleEncoding>))]
public enum SampleEncoding
{
    /// <summary>Linear PCM: unsigned 8-bit, or signed little-endian 16, 24 or 32-bit integers.</summary>
    Pcm,

    /// <summary>IEEE 754 floating point, 32 or 64-bit, nominally in [-1, 1].</summary>
    IeeeFloat,
}

/// <summary>
/// The stored format of a decoded recording, as declared by its WAV <c>fmt </c> chunk (after validation).
/// </summary>
/// <param name="Encoding">PCM or IEEE float (for WAVE_FORMAT_EXTENSIBLE: its sub-format).</param>
/// <param name="BitsPerSample">Container size of one sample: 8, 16, 24 or 32 for PCM; 32 or 64 for float.</param>
/// <param name="ValidBitsPerSample">Bits that carry signal (WAVE_FORMAT_EXTENSIBLE may declare fewer than the container).</param>
/// <param name="SampleRate">Frames per second, 2,000–192,000.</param>
/// <param name="Channels">Interleaved channels per frame, 1–8.</param>
/// <param name="Extensible">Whether the fmt chunk was WAVE_FORMAT_EXTENSIBLE (0xFFFE).</param>
/// <param name="ChannelMask">Speaker positions declared by WAVE_FORMAT_EXTENSIBLE; 0 when absent.</param>
public sealed record AudioSourceFormat(
    SampleEncoding Encoding, int BitsPerSample, int ValidBitsPerSample, int SampleRate, int Channels, bool Extensible = false, uint ChannelMask = 0)
{
    /// <summary>A 32-bit float format, for recordings built in memory rather than read from a file.</summary>
    public static AudioSourceFormat InMemory(int sampleRate, int channels) => new(SampleEncoding.IeeeFloat, 32, 32, sampleRate, channels);

    /// <summary>Bytes per frame: channels × bytes per sample.</summary>
    public int BlockAlign => Channels * (BitsPerSample / 8);

    /// <summary>
    /// The level at or above which a decoded sample counts as clipped: 0.999, or the largest positive value the encoding
    /// can represent when that is lower (unsigned 8-bit PCM tops out at 127/128 = 0.9921875, so its full-scale codes count).
    /// </summary>
    public float ClipLevel => Encoding == SampleEncoding.Pcm && BitsPerSample == 8 ? 127f / 128f : 0.999f;

    /// <summary>A one-line description for reports, e.g. "WAV PCM 16-bit, 44100 Hz, 2 channels".</summary>
    public string Description
    {
        get
        {
            var encoding = Encoding == SampleEncoding.Pcm ? "PCM" : "IEEE float";
            var bits = ValidBitsPerSample != BitsPerSample
                ? string.Create(CultureInfo.InvariantCulture, $"{ValidBitsPerSample}-bit in {BitsPerSample}-bit container")
                : string.Create(CultureInfo.InvariantCulture, $"{BitsPerSample}-bit");
            var extensible = Extensible ? " (WAVE_FORMAT_EXTENSIBLE)" : string.Empty;
            var channels = Channels == 1 ? "1 channel" : string.Create(CultureInfo.InvariantCulture, $"{Channels} channels");
            return string.Create(CultureInfo.InvariantCulture, $"WAV {encoding} {bits}{extensible}, {SampleRate} Hz, {channels}");
        }
    }

    public override string ToString() => Description;
}
