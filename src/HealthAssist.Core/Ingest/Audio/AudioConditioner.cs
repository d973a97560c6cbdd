using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HealthAssist.Ingest.Audio;

/// <summary>How a recording is conditioned for the audio model.</summary>
public sealed record AudioConditioningOptions
{
    public static AudioConditioningOptions Default { get; } = new();

    /// <summary>The model rate (Hz); the log-mel parameters' sample rate.</summary>
    public int TargetSampleRate { get; init; } = 4_000;

    /// <summary>RMS the conditioned signal is scaled to (default 0.1, −20 dBFS).</summary>
    public double TargetRms { get; init; } = 0.1;

    /// <summary>Most gain applied, so that near-silence is not blown up into full-scale noise (default 60 dB).</summary>
    public double MaxGainDb { get; init; } = 60;
}

/// <summary>
/// A recording conditioned for the model: mono, DC-free, at the model rate, RMS-normalised; with the statistics of the
/// original that the quality checks need.
/// </summary>
public sealed class ConditionedAudio
{
    private readonly float[] _samples;

    internal ConditionedAudio(float[] samples, int sampleRate, AudioSourceFormat source, long sourceFrames, double sourceRms, double bandRms, double gain, long clippedSamples)
    {
        _samples = samples;
        SampleRate = sampleRate;
        Source = source;
        SourceFrames = sourceFrames;
        SourceRms = sourceRms;
        BandRms = bandRms;
        Gain = gain;
        ClippedSamples = clippedSamples;
    }

    /// <summary>Mono samples at <see cref="SampleRate"/>, scaled by <see cref="Gain"/> (not clipped to [-1, 1]).</summary>
    public ReadOnlySpan<float> Samples => _samples;

    /// <summary>The same samples as memory, to keep beyond a call.</summary>
    public ReadOnlyMemory<float> Waveform => _samples;

    public int SampleRate { get; }

    public AudioSourceFormat Source { get; }

    /// <summary>Frames in the original recording.</summary>
    public long SourceFrames { get; }

    /// <summary>Duration of the original recording.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)SourceFrames / Source.SampleRate);

    /// <summary>RMS of the original mono mix (DC removed), full band, before any gain; 1.0 is a full-scale square wave.</summary>
    public double SourceRms { get; }

    /// <summary>RMS after resampling to the model band, before gain.</summary>
    public double BandRms { get; }

    /// <summary>Linear gain applied by the RMS normalisation.</summary>
    public double Gain { get; }

    /// <summary>Samples of the original (any channel) at or beyond <see cref="AudioSourceFormat.ClipLevel"/>.</summary>
    public long ClippedSamples { get; }

    /// <summary>Share of the original samples (all channels) that are clipped.</summary>
    public double ClippingRatio => (double)ClippedSamples / Math.Max(1, SourceFrames * Source.Channels);

    /// <summary>Share of the original power that lies in the model band (below half the model rate); 1 for silence.</summary>
    public double InBandPowerRatio => SourceRms <= 0 ? 1 : Math.Min(1, BandRms * BandRms / (SourceRms * SourceRms));
}

/// <summary>
/// Mix-down, DC removal, band-limited resampling to the model rate and RMS normalisation.
/// </summary>
/// <remarks>
/// <para>Mix-down is the mean of the channels (a stereo stethoscope export usually carries the same chest piece twice,
/// and the mean keeps the level of a single channel). The mean of the mono mix is then subtracted: a DC offset is an
/// artefact of the recording chain, not sound, and would otherwise dominate the lowest mel band and the RMS.</para>
/// <para><b>Normalisation is RMS, not peak.</b> Stethoscopes, gain settings and encodings differ in level by tens of
/// decibels; scaling to a fixed RMS (<see cref="AudioConditioningOptions.TargetRms"/>) makes the log-mel features
/// level-invariant (a gain g only adds 2 ln g to every value before the offset, and normalisation removes even that).
/// Peak normalisation was rejected because a single transient — the chest piece touching skin, a cough, a clipped click —
/// would set the scale of the whole recording. The RMS is measured after resampling, i.e. on what the model sees, and the
/// gain is capped (<see cref="AudioConditioningOptions.MaxGainDb"/>) so silence stays quiet (the silence check reports it).</para>
/// </remarks>
public static class AudioConditioner
{
    /// <summary>Frames mixed down per block: the interleaved block stays in cache, and both entry points share the arithmetic.</summary>
    private const int BlockFrames = 4096;

    public static ConditionedAudio Condition(AudioRecording recording, AudioConditioningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var samples = recording.Samples;
        var channels = recording.Channels;
        var frames = recording.FrameCount;
        var mono = ArrayPool<float>.Shared.Rent(frames);
        try
        {
            long clipped = 0;
            var sum = 0.0;
            for (var start = 0; start < frames; start += BlockFrames)
            {
                var count = Math.Min(BlockFrames, frames - start);
                var block = samples.Slice(start * channels, count * channels);
                clipped += CountClipped(block, recording.Format.ClipLevel);
                sum += MixDown(block, channels, mono.AsSpan(start, count));
            }

            return Finish(mono.AsSpan(0, frames), recording.Format, clipped, sum, options ?? AudioConditioningOptions.Default);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(mono);
        }
    }

    /// <summary>
    /// Validates a WAV file and conditions its samples straight from the bytes, block by block, without materialising the
    /// interleaved recording; the result is bit-identical to <see cref="Condition(AudioRecording, AudioConditioningOptions?)"/>
    /// on <see cref="WavReader.Read(ReadOnlySpan{byte}, WavReaderLimits?)"/>. Refusals are those of <see cref="WavReader"/>.
    /// </summary>
    public static ConditionedAudio Condition(ReadOnlySpan<byte> wav, WavReaderLimits? limits = null, AudioConditioningOptions? options = null) =>
        Condition(wav, WavReader.ReadLayout(wav, limits), options ?? AudioConditioningOptions.Default);

    private static ConditionedAudio Condition(ReadOnlySpan<byte> wav, WavLayout layout, AudioConditioningOptions options)
    {
        var format = layout.Format;
        var channels = format.Channels;
        var frames = layout.FrameCount;
        var mono = ArrayPool<float>.Shared.Rent(frames);
        var scratch = ArrayPool<float>.Shared.Rent(BlockFrames * channels);
        try
        {
            long clipped = 0;
            var sum = 0.0;
            for (var start = 0; start < frames; start += BlockFrames)
            {
                var count = Math.Min(BlockFrames, frames - start);
                var offset = layout.DataOffset + (start * format.BlockAlign);
                var block = scratch.AsSpan(0, count * channels);
                WavReader.Decode(wav.Slice(offset, count * format.BlockAlign), format, offset, block);
                clipped += CountClipped(block, format.ClipLevel);
                sum += MixDown(block, channels, mono.AsSpan(start, count));
            }

            return Finish(mono.AsSpan(0, frames), format, clipped, sum, options);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
            ArrayPool<float>.Shared.Return(mono);
        }
    }

    private static ConditionedAudio Finish(ReadOnlySpan<float> mono, AudioSourceFormat format, long clipped, double sum, AudioConditioningOptions options)
    {
        var frames = Math.Max(1, mono.Length);
        var mean = (float)(sum / frames);
        var resampled = AudioResampler.Create(format.SampleRate, options.TargetSampleRate).Process(mono, mean, out var sourceEnergy);
        var bandRms = Math.Sqrt(SumOfSquares(resampled) / Math.Max(1, resampled.Length));
        var maxGain = Math.Pow(10, options.MaxGainDb / 20);
        var gain = bandRms > 0 ? Math.Min(options.TargetRms / bandRms, maxGain) : 1.0;
        var factor = new Vector<float>((float)gain);
        var i = 0;
        for (; i <= resampled.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            (new Vector<float>(resampled.AsSpan(i)) * factor).CopyTo(resampled.AsSpan(i));
        }

        for (; i < resampled.Length; i++)
        {
            resampled[i] *= (float)gain;
        }

        return new ConditionedAudio(resampled, options.TargetSampleRate, format, mono.Length, Math.Sqrt(sourceEnergy / frames), bandRms, gain, clipped);
    }

    /// <summary>Writes the mean of the channels of each frame and returns the sum of what it wrote.</summary>
    private static double MixDown(ReadOnlySpan<float> interleaved, int channels, Span<float> mono)
    {
        var frames = mono.Length;
        var sums = Vector256<float>.Zero;
        var i = 0;
        if (channels == 1)
        {
            interleaved[..frames].CopyTo(mono);
            for (; i <= frames - 8; i += 8)
            {
                sums += Vector256.Create(mono.Slice(i, 8));
            }
        }
        else if (channels == 2)
        {
            if (Avx2.IsSupported)
            {
                var half = Vector256.Create(0.5f);
                ref var source = ref MemoryMarshal.GetReference(interleaved);
                ref var target = ref MemoryMarshal.GetReference(mono);
                for (; i <= frames - 8; i += 8)
                {
                    // hadd gives (a0+a1, a2+a3, b0+b1, b2+b3 | a4+a5, a6+a7, b4+b5, b6+b7); reorder the 64-bit pairs 0, 2, 1, 3.
                    var pairs = Avx.HorizontalAdd(Vector256.LoadUnsafe(ref source, (nuint)(2 * i)), Vector256.LoadUnsafe(ref source, (nuint)((2 * i) + 8)));
                    var means = Avx2.Permute4x64(pairs.AsDouble(), 0b11_01_10_00).AsSingle() * half;
                    means.StoreUnsafe(ref target, (nuint)i);
                    sums += means;
                }
            }

            for (var j = i; j < frames; j++)
            {
                mono[j] = (interleaved[2 * j] + interleaved[(2 * j) + 1]) * 0.5f;
            }

            for (; i <= frames - 8; i += 8)
            {
                sums += Vector256.Create(mono.Slice(i, 8));
            }
        }
        else
        {
            var scale = 1f / channels;
            for (int f = 0, j = 0; f < frames; f++)
            {
                var sum = 0f;
                for (var c = 0; c < channels; c++, j++)
                {
                    sum += interleaved[j];
                }

                mono[f] = sum * scale;
            }

            for (; i <= frames - 8; i += 8)
            {
                sums += Vector256.Create(mono.Slice(i, 8));
            }
        }

        double total = Vector256.Sum(sums);
        for (; i < frames; i++)
        {
            total += mono[i];
        }

        return total;
    }

    private static long CountClipped(ReadOnlySpan<float> samples, float level)
    {
        var threshold = new Vector<float>(level);
        var counts = Vector<int>.Zero;
        var i = 0;
        for (; i <= samples.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            counts -= Vector.GreaterThanOrEqual(Vector.Abs(new Vector<float>(samples[i..])), threshold);
        }

        long count = Vector.Sum(counts);
        for (; i < samples.Length; i++)
        {
            count += Math.Abs(samples[i]) >= level ? 1 : 0;
        }

        return count;
    }

    private static double SumOfSquares(ReadOnlySpan<float> values)
    {
        var total = 0.0;
        var i = 0;
        while (i <= values.Length - Vector<float>.Count)
        {
            var squares = Vector<float>.Zero;
            var end = Math.Min(values.Length - Vector<float>.Count, i + 4096);
            for (; i <= end; i += Vector<float>.Count)
            {
                var v = new Vector<float>(values[i..]);
                squares += v * v;
            }

            total += Vector.Sum(squares);
        }

        for (; i < values.Length; i++)
        {
            total += values[i] * values[i];
        }

        return total;
    }
}
