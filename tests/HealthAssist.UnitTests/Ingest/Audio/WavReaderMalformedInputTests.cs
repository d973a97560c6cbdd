using System.Buffers.Binary;
using System.Diagnostics;
using HealthAssist.Ingest.Audio;

namespace HealthAssist.UnitTests.Ingest.Audio;

public sealed class WavReaderMalformedInputTests
{
    private static readonly double[] Signal = SyntheticAuscultation.HeartSound(0.05, 8_000);

    private static readonly Dictionary<string, (Func<byte[]> Build, string Fragment, int Status)> Cases = new()
    {
        ["data size larger than the file"] = (() => Valid().DataSize(100_000).Build(), "WAV data chunk declares 100000 bytes but only 800 remain; the file is truncated or its header is wrong (offset 36)", 400),
        ["zero channels"] = (() => Valid().RawFmt(Fmt(1, 0, 8_000, 2, 16)).Build(), "WAV fmt chunk declares 0 channels (offset 22)", 400),
        ["0 Hz"] = (() => Valid().RawFmt(Fmt(1, 1, 0, 2, 16)).Build(), "WAV fmt chunk declares a sample rate of 0 Hz (offset 24)", 400),
        ["block align mismatch"] = (() => Valid().RawFmt(Fmt(1, 2, 8_000, 2, 16)).Build(), "declares block align 2, but 2 channels × 2 bytes per sample = 4 (offset 32)", 400),
        ["truncated fmt"] = (() => Valid().Build()[..30], "WAV fmt chunk declares 16 bytes but only 10 remain; the file is truncated (offset 12)", 400),
        ["fmt chunk too small"] = (() => Valid().RawFmt(Fmt(1, 1, 8_000, 2, 16)[..12]).Build(), "WAV fmt chunk is 12 bytes; at least 16 are needed (offset 12)", 400),
        ["not RIFF"] = (() => "This is a text file, not audio."u8.ToArray(), "not a WAV file: expected 'RIFF' but found 'This' (offset 0)", 415),
        ["RIFF but AVI"] = (() => Replace(Valid().Build(), 8, "AVI "u8), "RIFF file of form 'AVI ' is not WAV", 415),
        ["RIFF with an MP3 payload"] = (() => Valid().RawFmt(Mp3Fmt()).Build(), "format 0x0055 (MpegLayer3), which is not supported", 415),
        ["RIFF with a FLAC payload"] = (() => Valid().RawFmt(Fmt(0xF1AC, 1, 44_100, 0, 16)).Build(), "format 0xF1AC", 415),
        ["extensible with an MP3 sub-format"] = (() => Valid().RawFmt(ExtensibleFmt(0x0055)).Build(), "WAVE_FORMAT_EXTENSIBLE sub-format 0x0055 (MpegLayer3) is not supported", 415),
        ["FLAC file"] = (() => [.. "fLaC"u8, 0, 0, 0, 34, .. new byte[40]], "FLAC audio is not supported; send WAV (PCM or IEEE float)", 415),
        ["MP3 file with ID3 tag"] = (() => [.. "ID3"u8, 4, 0, 0, .. new byte[40]], "MPEG audio (MP3/AAC) is not supported", 415),
        ["MP3 frame"] = (() => [0xFF, 0xFB, 0x90, 0x64, .. new byte[40]], "MPEG audio (MP3/AAC) is not supported", 415),
        ["Ogg file"] = (() => [.. "OggS"u8, .. new byte[40]], "Ogg audio", 415),
        ["empty"] = (() => [], "not a WAV file: 0 bytes is too short for a RIFF header (offset 0)", 400),
        ["no data chunk"] = (() => Valid().Build()[..36], "WAV file has no data chunk", 400),
        ["no fmt chunk"] = (() => Remove(Valid().Build(), 12, 24), "WAV file has no fmt chunk", 400),
        ["second fmt chunk"] = (() => Valid().ChunkBefore("fmt ", Fmt(1, 2, 8_000, 4, 16)).Build(), "WAV file has a second fmt chunk", 400),
        ["12-bit PCM"] = (() => Valid().RawFmt(Fmt(1, 2, 8_000, 4, 12)).Build(), "PCM with 12 bits per sample; 8, 16, 24 or 32 are supported (offset 34)", 415),
        ["1 kHz sample rate"] = (() => Valid().RawFmt(Fmt(1, 2, 1_000, 4, 16)).Build(), "sample rate of 1000 Hz; 2000–192000 Hz are supported", 415),
        ["9 channels"] = (() => Valid().RawFmt(Fmt(1, 9, 8_000, 18, 16)).Build(), "declares 9 channels; at most 8 are supported", 415),
        ["empty data chunk"] = (() => Valid().DataSize(0).Build(), "WAV data chunk holds no complete sample frame (0 bytes, 4 per frame)", 400),
        ["NaN float sample"] = (() => WavBuilder.Float(32).Rate(8_000).Samples([0.1, double.NaN]).Build(), "WAV IEEE float sample 1 is not a finite number (offset 50)", 400),
        ["metadata chunk past the end before the data"] = (() => Valid().ChunkBefore("JUNK", new byte[100]).Build()[..40], "WAV chunk 'JUNK' declares 100 bytes but only 20 remain; the file is truncated (offset 12)", 400),
        ["short extensible fmt"] = (() => Valid().RawFmt(ExtensibleFmt(0x0001)[..30]).Build(), "WAVE_FORMAT_EXTENSIBLE fmt chunk is 30 bytes; 40 are needed", 400),
        ["more valid bits than the container"] = (() => Valid().RawFmt(ExtensibleFmt(0x0001, validBits: 20)).Build(), "declares 20 valid bits in a 16-bit container", 400),
        ["binary chunk id"] = (() => Valid().ChunkBefore("\u0001\u0002\u0003\u0004", new byte[100]).Build()[..40], "WAV chunk 0x01020304 declares", 400),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Read_MalformedOrUnsupportedInput_ThrowsInvalidInputExceptionSayingWhatAndWhere(string name)
    {
        var (build, fragment, status) = Cases[name];

        var error = AssertRefused(build());

        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal(status, error.StatusCode);
        Assert.NotNull(error.Location);
    }

    [Fact]
    public void Read_FileLargerThanTheLimit_IsRefusedWith413()
    {
        var error = Assert.Throws<InvalidInputException>(() => WavReader.Read(Valid().Build(), new WavReaderLimits { MaxFileBytes = 100 }));

        Assert.Equal(413, error.StatusCode);
        Assert.StartsWith("WAV file is 0.0 MiB; the limit is 0 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_StreamLargerThanTheLimit_IsRefusedWithoutReadingItAll()
    {
        var error = Assert.Throws<InvalidInputException>(() => WavReader.Read(new MemoryStream(new byte[10_000]), new WavReaderLimits { MaxFileBytes = 1_000 }));

        Assert.Equal(413, error.StatusCode);
    }

    [Fact]
    public void Read_RecordingLongerThanTheLimit_IsRefusedWith413()
    {
        var wav = WavBuilder.Pcm(16).Rate(8_000).Samples(new double[8_000 * 3]).Build();

        var error = Assert.Throws<InvalidInputException>(() => WavReader.Read(wav, new WavReaderLimits { MaxDuration = TimeSpan.FromMinutes(0.04) }));

        Assert.Equal(413, error.StatusCode);
        Assert.Contains("WAV recording lasts 0.1 min; the limit is 0 min", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_TruncatedAtEveryLength_EitherDecodesOrThrowsInvalidInputException(bool extensible)
    {
        var wav = Structured(extensible);
        var lengths = Enumerable.Range(0, 160).Concat(Enumerable.Range(160, wav.Length - 159).Where(n => n % 7 == 0 || n == wav.Length));

        RunBounded(() =>
        {
            foreach (var length in lengths)
            {
                AssertDecodesOrRefuses(wav[..length], $"truncated to {length} bytes");
            }
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_EveryHeaderByteFlippedOrOverwritten_EitherDecodesOrThrowsInvalidInputException(bool extensible)
    {
        var wav = Structured(extensible);
        var header = wav.AsSpan().IndexOf("data"u8) + 8;
        RunBounded(() =>
        {
            for (var position = 0; position < header; position++)
            {
                foreach (var mutate in new Func<byte, byte>[] { b => (byte)(b ^ 0xFF), b => (byte)(b ^ 0x80), b => (byte)(b ^ 0x01), _ => 0x00, _ => 0xFF, b => (byte)(b + 1) })
                {
                    var copy = (byte[])wav.Clone();
                    copy[position] = mutate(copy[position]);
                    AssertDecodesOrRefuses(copy, $"byte {position} changed to 0x{copy[position]:X2}");
                }
            }
        });
    }

    [Fact]
    public void Read_RandomHeaderMutations_EitherDecodeOrThrowInvalidInputException()
    {
        var random = new Random(20260101);
        RunBounded(() =>
        {
            for (var round = 0; round < 3_000; round++)
            {
                var wav = Structured(extensible: round % 2 == 0);
                var header = wav.AsSpan().IndexOf("data"u8) + 8;
                for (var edits = random.Next(1, 5); edits > 0; edits--)
                {
                    wav[random.Next(header)] = (byte)random.Next(256);
                }

                var length = random.Next(4) == 0 ? random.Next(wav.Length + 1) : wav.Length;
                AssertDecodesOrRefuses(wav[..length], $"round {round}");
            }
        });
    }

    private static WavBuilder Valid() => WavBuilder.Pcm(16).Rate(8_000).Samples(Signal[..200], Signal[..200]);

    /// <summary>A file with several chunks around fmt and data, so mutations hit chunk sizes, ids and pad bytes.</summary>
    private static byte[] Structured(bool extensible)
    {
        var builder = (extensible ? WavBuilder.Pcm(24).Extensible() : WavBuilder.Pcm(16)).Rate(8_000).Samples(Signal[..101], Signal[..101])
            .ChunkBefore("LIST", WavBuilder.ListInfo("Auscultation"))
            .ChunkBefore("iXML", new byte[7])
            .ChunkAfter("id3 ", new byte[11]);
        return builder.Build();
    }

    private static InvalidInputException AssertRefused(byte[] wav)
    {
        var exception = Xunit.Record.Exception(() => WavReader.Read(wav));
        var error = Assert.IsType<InvalidInputException>(exception);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
        return error;
    }

    private static void AssertDecodesOrRefuses(byte[] wav, string what)
    {
        try
        {
            var recording = WavReader.Read(wav);
            Assert.True(recording.FrameCount > 0, what);
            foreach (var sample in recording.Samples)
            {
                Assert.True(sample is >= -1f and <= 1f, $"{what}: sample {sample} outside [-1, 1]");
            }
        }
        catch (InvalidInputException error)
        {
            Assert.True(error.StatusCode is 400 or 413 or 415, $"{what}: status {error.StatusCode}");
            Assert.DoesNotContain('\n', error.Message);
            Assert.Contains("(offset ", error.Message, StringComparison.Ordinal);
        }
        catch (Exception other)
        {
            Assert.Fail($"{what}: {other.GetType().Name}: {other.Message}");
        }
    }

    /// <summary>Runs a mutation loop with a time limit, so a hang fails the test instead of stalling the run.</summary>
    private static void RunBounded(Action loop)
    {
        var watch = Stopwatch.StartNew();
        var task = Task.Run(loop);
        Assert.True(task.Wait(TimeSpan.FromSeconds(60)), $"mutation loop still running after {watch.Elapsed.TotalSeconds:F0} s (a hang?)");
    }

    private static byte[] Fmt(ushort tag, ushort channels, uint rate, ushort blockAlign, ushort bits)
    {
        var body = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(body, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), channels);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), rate);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), rate * blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(12), blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(14), bits);
        return body;
    }

    /// <summary>MPEGLAYER3WAVEFORMAT, as in MP3-in-WAV files.</summary>
    private static byte[] Mp3Fmt()
    {
        var body = new byte[30];
        Fmt(0x0055, 1, 44_100, 1, 0).CopyTo(body, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(16), 12);
        return body;
    }

    /// <summary>WAVE_FORMAT_EXTENSIBLE, stereo 16-bit at 8 kHz, with the sub-format derived from <paramref name="subFormatTag"/>.</summary>
    private static byte[] ExtensibleFmt(ushort subFormatTag, ushort validBits = 16)
    {
        var body = new byte[40];
        Fmt(0xFFFE, 2, 8_000, 4, 16).CopyTo(body, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(18), validBits);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(20), 3);
        new Guid(subFormatTag, 0x0000, 0x0010, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71).TryWriteBytes(body.AsSpan(24));
        return body;
    }

    private static byte[] Replace(byte[] wav, int offset, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(wav.AsSpan(offset));
        return wav;
    }

    private static byte[] Remove(byte[] wav, int offset, int count) => [.. wav[..offset], .. wav[(offset + count)..]];
}
