namespace HealthAssist.Ingest.Audio;

/// <summary>
/// A decoded recording: interleaved 32-bit float samples in [-1, 1] (frame-major: frame 0 channel 0, frame 0 channel 1, …),
/// with the rate, channel count and stored format it came from.
/// </summary>
public sealed class AudioRecording
{
    private readonly float[] _samples;

    /// <param name="samples">Interleaved samples, finite and within [-1, 1]; the array is kept, not copied. Its length must be a multiple of the channel count.</param>
    /// <param name="format">The stored format; its sample rate and channel count are the recording's.</param>
    public AudioRecording(float[] samples, AudioSourceFormat format)
        : this(samples, format, validate: true)
    {
    }

    /// <summary>For <see cref="WavReader"/>, whose decoding already guarantees finite samples in [-1, 1].</summary>
    internal AudioRecording(float[] samples, AudioSourceFormat format, bool validate)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentOutOfRangeException.ThrowIfLessThan(format.Channels, 1, nameof(format));
        ArgumentOutOfRangeException.ThrowIfLessThan(format.SampleRate, 1, nameof(format));
        if (samples.Length % format.Channels != 0)
        {
            throw new ArgumentException("The sample count must be a multiple of the channel count.", nameof(samples));
        }

        if (validate)
        {
            for (var i = 0; i < samples.Length; i++)
            {
                if (samples[i] is not (>= -1f and <= 1f))
                {
                    throw new ArgumentException($"Sample {i} is not a finite value within [-1, 1].", nameof(samples));
                }
            }
        }

        _samples = samples;
        Format = format;
    }

    public AudioSourceFormat Format { get; }

    public int SampleRate => Format.SampleRate;

    public int Channels => Format.Channels;

    /// <summary>Samples per channel.</summary>
    public int FrameCount => _samples.Length / Format.Channels;

    public TimeSpan Duration => TimeSpan.FromSeconds((double)FrameCount / SampleRate);

    /// <summary>All samples, interleaved.</summary>
    public ReadOnlySpan<float> Samples => _samples;

    /// <summary>A copy of one channel's samples.</summary>
    public float[] GetChannel(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, Channels);
        var result = new float[FrameCount];
        for (int i = 0, j = channel; i < result.Length; i++, j += Channels)
        {
            result[i] = _samples[j];
        }

        return result;
    }
}
