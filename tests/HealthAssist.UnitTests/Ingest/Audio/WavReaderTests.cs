using System.Buffers.Binary;
using HealthAssist.Ingest.Audio;
using NAudio.Wave;

namespace HealthAssist.UnitTests.Ingest.Audio;

public sealed class WavReaderTests
{
    private static readonly double[] Signal = SyntheticAuscultation.HeartSound(0.5, 8_000);

    public static TheoryData<string> Encodings => new() { "pcm8", "pcm16", "pcm24", "pcm32", "float32", "float64", "ext-pcm24", "ext-pcm24in32", "ext-float32" };

    internal static WavBuilder Builder(string encoding) => encoding switch
    {
        "pcm8" => WavBuilder.Pcm(8),
        "pcm16" => WavBuilder.Pcm(16),
        "pcm24" => WavBuilder.Pcm(24),
        "pcm32" => WavBuilder.Pcm(32),
        "float32" => WavBuilder.Float(32),
        "float64" => WavBuilder.Float(64),
        "ext-pcm24" => WavBuilder.Pcm(24).Extensible(),
        "ext-pcm24in32" => WavBuilder.Pcm(32).Extensible(validBits: 24),
        "ext-float32" => WavBuilder.Float(32).Extensible(),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    };

    /// <summary>Largest decoding error expected: half a quantisation step (float formats: float32 rounding).</summary>
    private static double Tolerance(string encoding) => encoding switch
    {
        "pcm8" => 0.5 / 128 + 1e-7,
        "pcm16" => 0.5 / 32768 + 1e-7,
        _ => 1e-6,
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Read_EveryEncoding_DecodesTheSignalWithinHalfAQuantisationStep(string encoding)
    {
        var wav = Builder(encoding).Rate(8_000).Samples(Signal).Build();

        var recording = WavReader.Read(wav);

        Assert.Equal(8_000, recording.SampleRate);
        Assert.Equal(1, recording.Channels);
        Assert.Equal(Signal.Length, recording.FrameCount);
        var error = Signal.Select((v, i) => Math.Abs(v - recording.Samples[i])).Max();
        Assert.True(error <= Tolerance(encoding), $"{encoding}: max error {error:G3}");
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Read_EveryEncoding_AgreesWithNAudiosWaveFileReader(string encoding)
    {
        var wav = Builder(encoding).Rate(8_000).Samples(Signal, Signal.Select(v => -v).ToArray()).Build();

        var recording = WavReader.Read(wav);
        using var reader = new WaveFileReader(new MemoryStream(wav));
        var expected = new float[recording.Samples.Length];
        var read = reader.ToSampleProvider().Read(expected);

        Assert.Equal(expected.Length, read);
        var error = expected.Select((v, i) => Math.Abs(v - recording.Samples[i])).Max();
        Assert.True(error <= 1e-6, $"{encoding}: differs from NAudio by {error:G3}");
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Read_EveryEncoding_DescribesTheStoredFormat(string encoding)
    {
        var builder = Builder(encoding);
        var format = builder.Format();

        var recording = WavReader.Read(builder.Rate(8_000).Samples(Signal).Build());

        Assert.Equal(format.BitsPerSample, recording.Format.BitsPerSample);
        Assert.Equal(encoding.StartsWith("ext", StringComparison.Ordinal), recording.Format.Extensible);
        Assert.Equal(encoding.Contains("float", StringComparison.Ordinal) ? SampleEncoding.IeeeFloat : SampleEncoding.Pcm, recording.Format.Encoding);
        Assert.StartsWith("WAV ", recording.Format.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ExtensibleWithFewerValidBits_ReportsThemInTheDescription()
    {
        var recording = WavReader.Read(WavBuilder.Pcm(32).Extensible(validBits: 24).Rate(8_000).Samples(Signal).Build());

        Assert.Equal(24, recording.Format.ValidBitsPerSample);
        Assert.Equal("WAV PCM 24-bit in 32-bit container (WAVE_FORMAT_EXTENSIBLE), 8000 Hz, 1 channel", recording.Format.Description);
    }

    [Fact]
    public void Read_StereoAt44100WithListAndBextChunks_SkipsTheMetadataAndKeepsTheChannelsApart()
    {
        var left = SyntheticAuscultation.HeartSound(0.25, 44_100);
        var right = left.Select(v => v * 0.5).ToArray();
        var wav = WavBuilder.Pcm(16).Rate(44_100).Samples(left, right)
            .ChunkBefore("bext", WavBuilder.Bext())
            .ChunkAfter("LIST", WavBuilder.ListInfo("Patient heart sound"))
            .Build();

        var recording = WavReader.Read(wav);

        Assert.Equal("WAV PCM 16-bit, 44100 Hz, 2 channels", recording.Format.Description);
        Assert.Equal(left.Length, recording.FrameCount);
        Assert.Equal(left[1000], recording.GetChannel(0)[1000], 1.0 / 32768);
        Assert.Equal(right[1000], recording.GetChannel(1)[1000], 1.0 / 32768);
    }

    [Fact]
    public void Read_ChunksInAnyOrderWithOddSizesAndPadBytes_FindsFmtAndData()
    {
        var wav = WavBuilder.Pcm(8).Rate(8_000).Samples(Signal[..3001]) // odd-sized data chunk, padded
            .ChunkBefore("JUNK", new byte[28])
            .ChunkBefore("iXML", "<BWFXML/>"u8.ToArray()) // 9 bytes: odd, padded
            .ChunkBefore("id3 ", new byte[13])
            .DataBeforeFmt()
            .ChunkAfter("cue ", new byte[4 + 24])
            .ChunkAfter("fact", BitConverter.GetBytes(3001))
            .Build();

        var recording = WavReader.Read(wav);

        Assert.Equal(3001, recording.FrameCount);
        Assert.Equal(Signal[3000], recording.Samples[3000], 1.0 / 128);
    }

    [Fact]
    public void Read_OddSizedLastChunkWithoutItsPadByte_IsAccepted()
    {
        var wav = WavBuilder.Pcm(16).Rate(8_000).Samples(Signal).ChunkAfter("LIST", new byte[5]).Build();

        var recording = WavReader.Read(wav.AsSpan(0, wav.Length - 1)); // drop the final pad byte

        Assert.Equal(Signal.Length, recording.FrameCount);
    }

    [Fact]
    public void Read_StreamingPlaceholderDataSize_ReadsToTheEndOfTheFile()
    {
        var wav = WavBuilder.Pcm(16).Rate(8_000).Samples(Signal).DataSize(0xFFFFFFFF).RiffSize(0xFFFFFFFF).Build();

        var layout = WavReader.ReadLayout(wav);

        Assert.True(layout.StreamingDataSize);
        Assert.Equal(Signal.Length, layout.FrameCount);
    }

    [Fact]
    public void Read_DataSizeNotAMultipleOfTheBlockAlign_DropsTheTrailingPartialFrame()
    {
        var wav = WavBuilder.Pcm(16).Rate(8_000).Samples(Signal, Signal).Build();
        var dataSizeAt = wav.AsSpan().IndexOf("data"u8) + 4;
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(dataSizeAt), (uint)((Signal.Length * 4) - 3));

        var recording = WavReader.Read(wav);

        Assert.Equal(Signal.Length - 1, recording.FrameCount);
    }

    [Fact]
    public void Read_RiffSizeThatDisagreesWithTheFile_IsNotTrusted()
    {
        var wav = WavBuilder.Pcm(16).Rate(8_000).Samples(Signal).RiffSize(36).Build();

        Assert.Equal(Signal.Length, WavReader.Read(wav).FrameCount);
    }

    [Theory]
    [InlineData(2_000)]
    [InlineData(192_000)]
    public void Read_TheExtremeSupportedRates_AreAccepted(int rate)
    {
        var signal = SyntheticAuscultation.HeartSound(0.1, rate);

        var recording = WavReader.Read(WavBuilder.Pcm(24).Rate(rate).Samples(signal).Build());

        Assert.Equal(rate, recording.SampleRate);
        Assert.Equal(signal.Length, recording.FrameCount);
    }

    [Fact]
    public void Read_EightChannels_AreAccepted()
    {
        var channels = Enumerable.Range(0, 8).Select(c => Signal.Select(v => v * (c + 1) / 8).ToArray()).ToArray();

        var recording = WavReader.Read(WavBuilder.Float(32).Extensible().Rate(8_000).Samples(channels).Build());

        Assert.Equal(8, recording.Channels);
        Assert.Equal(Signal[500] * 3 / 8, recording.GetChannel(2)[500], 1e-6);
    }

    [Fact]
    public void Read_FloatSamplesBeyondFullScale_AreClampedToOne()
    {
        var recording = WavReader.Read(WavBuilder.Float(32).Rate(8_000).Samples([1.5, -2.0, 0.25]).Build());

        Assert.Equal([1f, -1f, 0.25f], recording.Samples.ToArray());
    }

    [Fact]
    public void Read_FromAStream_GivesTheSameSamplesAsFromBytes()
    {
        var wav = WavBuilder.Pcm(24).Rate(8_000).Samples(Signal).Build();

        var fromStream = WavReader.Read(new MemoryStream(wav));

        Assert.Equal(WavReader.Read(wav).Samples.ToArray(), fromStream.Samples.ToArray());
    }

    [Fact]
    public void Read_UnsignedEightBitFullScaleCodes_CountAsClipped()
    {
        var format = WavReader.Read(WavBuilder.Pcm(8).Rate(8_000).Samples(Signal).Build()).Format;

        Assert.Equal(127f / 128f, format.ClipLevel);
        Assert.Equal(0.999f, WavReader.Read(WavBuilder.Pcm(16).Rate(8_000).Samples(Signal).Build()).Format.ClipLevel);
    }
}
