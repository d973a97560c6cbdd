using System.Buffers.Binary;
using System.Globalization;
using HealthAssist.Ingest.Audio;
using HealthAssist.Synthesis.Audio;
using NAudio.Wave;

namespace HealthAssist.Synthesis.Tests.Audio;

public sealed class WavFormatTests
{
    public static TheoryData<WavEncoding, int, int> Formats()
    {
        var data = new TheoryData<WavEncoding, int, int>();
        foreach (var encoding in Enum.GetValues<WavEncoding>())
        {
            foreach (var channels in new[] { 1, 2 })
            {
                foreach (var rate in new[] { 4_000, 11_025, 44_100 })
                {
                    data.Add(encoding, channels, rate);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryEncodingAndLayout_IsReadBackByTheProjectReaderAndNAudio(WavEncoding encoding, int channels, int rate)
    {
        var bits = encoding switch { WavEncoding.Pcm16 => 16, WavEncoding.Pcm24 => 24, _ => 32 };
        for (var seed = 0; seed < 4; seed++)
        {
            var style = Recordings.Style(rate, encoding, channels, seconds: 3.3);
            var wav = seed % 2 == 0
                ? AuscultationSynthesizer.CreateHeart(Recordings.Heart(murmur: 0.5), style, Recordings.Identity, "aortic", seed).Wav
                : AuscultationSynthesizer.CreateLung(Recordings.Lung(crackles: 0.5), style, Recordings.Identity, "base", seed).Wav;
            Riff.Chunks(wav); // strict walk: sizes, pad bytes, RIFF size

            var recording = WavReader.Read(wav);
            Assert.Equal(rate, recording.SampleRate);
            Assert.Equal(channels, recording.Channels);
            Assert.Equal(bits, recording.Format.BitsPerSample);
            Assert.Equal(encoding == WavEncoding.IeeeFloat32 ? SampleEncoding.IeeeFloat : SampleEncoding.Pcm, recording.Format.Encoding);
            Assert.Equal((int)Math.Round(3.3 * rate), recording.FrameCount);
            var peak = 0f;
            foreach (var sample in recording.Samples)
            {
                peak = Math.Max(peak, Math.Abs(sample));
            }

            Assert.InRange(peak, 0.25f, 0.85f); // a device gain, never clipping unless asked to

            using var reader = new WaveFileReader(new MemoryStream(wav));
            Assert.Equal(rate, reader.WaveFormat.SampleRate);
            Assert.Equal(channels, reader.WaveFormat.Channels);
            Assert.Equal(bits, reader.WaveFormat.BitsPerSample);
            Assert.Equal(recording.FrameCount, reader.SampleCount);
            var viaNAudio = new float[recording.Samples.Length];
            var provider = reader.ToSampleProvider();
            var filled = 0;
            int read;
            while ((read = provider.Read(viaNAudio.AsSpan(filled))) > 0)
            {
                filled += read;
            }

            Assert.Equal(viaNAudio.Length, filled);
            var samples = recording.Samples;
            for (var i = 0; i < samples.Length; i++)
            {
                Assert.Equal(samples[i], viaNAudio[i], 1e-6f);
            }
        }
    }

    [Fact]
    public void Encodings_OfTheSameRecording_DecodeToTheSameSignalWithinQuantisation()
    {
        float[] Decode(WavEncoding encoding) =>
            WavReader.Read(AuscultationSynthesizer.CreateHeart(Recordings.Heart(gallop: 0.6), Recordings.Style(encoding: encoding, seconds: 4), Recordings.Identity, "apex", 11).Wav)
                .Samples.ToArray();

        var reference = Decode(WavEncoding.IeeeFloat32);
        var pcm24 = Decode(WavEncoding.Pcm24);
        var pcm16 = Decode(WavEncoding.Pcm16);

        Assert.Equal(reference.Length, pcm16.Length);
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.Equal(reference[i], pcm24[i], 1.5f / 8_388_608);
            Assert.Equal(reference[i], pcm16[i], 1.5f / 32_768);
        }
    }

    [Fact]
    public void Layouts_VaryWithTheSeed_ListBeforeAndAfterData_JunkOfOddSize_Extensible()
    {
        var listBefore = 0;
        var listAfter = 0;
        var oddJunk = 0;
        var extensible = 0;
        var bextFirst = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var wav = AuscultationSynthesizer.CreateLung(Recordings.Lung(), Recordings.Style(encoding: WavEncoding.Pcm24, seconds: 1), Recordings.Identity, "base", seed).Wav;
            var chunks = Riff.Chunks(wav);
            var order = chunks.Select(c => c.Id).ToList();
            var data = order.IndexOf("data");
            Assert.Equal(1, order.Count(id => id == "LIST"));
            Assert.Equal(1, order.Count(id => id == "bext"));
            Assert.True(order.IndexOf("fmt ") < data);
            listBefore += order.IndexOf("LIST") < data ? 1 : 0;
            listAfter += order.IndexOf("LIST") > data ? 1 : 0;
            oddJunk += chunks.Any(c => c.Id == "JUNK" && c.Size % 2 == 1) ? 1 : 0;
            bextFirst += order[0] is "bext" || (order[0] == "JUNK" && order[1] == "bext") ? 1 : 0;
            var fmt = chunks.Single(c => c.Id == "fmt ");
            extensible += BinaryPrimitives.ReadUInt16LittleEndian(wav.AsSpan(fmt.BodyOffset)) == 0xFFFE ? 1 : 0;
        }

        Assert.InRange(listBefore, 5, 35);
        Assert.InRange(listAfter, 5, 35);
        Assert.InRange(oddJunk, 5, 35);
        Assert.InRange(extensible, 5, 35);
        Assert.InRange(bextFirst, 5, 35);
    }

    [Fact]
    public void FloatFiles_CarryAFactChunkWithTheFrameCount()
    {
        var wav = AuscultationSynthesizer.CreateHeart(Recordings.Heart(), Recordings.Style(encoding: WavEncoding.IeeeFloat32, channels: 2, seconds: 1.25), Recordings.Identity, "apex", 4).Wav;

        var fact = Riff.Single(wav, "fact");

        Assert.Equal(5_000, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(fact.BodyOffset)));
    }

    [Fact]
    public void EveryEncodingAndLayout_IsReadBySox_WithTheSameSamples()
    {
        var folder = Directory.CreateTempSubdirectory("ha-auscultation-");
        try
        {
            var seed = 0;
            foreach (var encoding in Enum.GetValues<WavEncoding>())
            {
                foreach (var (rate, channels) in new[] { (4_000, 1), (8_000, 2), (22_050, 1), (44_100, 2) })
                {
                    for (var layout = 0; layout < 3; layout++, seed++)
                    {
                        var style = Recordings.Style(rate, encoding, channels, seconds: 1.5, clipped: layout == 2);
                        var wav = AuscultationSynthesizer.CreateLung(Recordings.Lung(wheezes: 0.7), style, Recordings.Identity, "base", seed).Wav;
                        var path = Path.Combine(folder.FullName, $"{seed}.wav");
                        File.WriteAllBytes(path, wav);

                        // soxi: rate, channels, sample count, bits; then sox decodes every sample to raw float.
                        Assert.Equal(rate.ToString(CultureInfo.InvariantCulture), Sox.Run("soxi", "-r", path));
                        Assert.Equal(channels.ToString(CultureInfo.InvariantCulture), Sox.Run("soxi", "-c", path));
                        Assert.Equal(((int)Math.Round(1.5 * rate)).ToString(CultureInfo.InvariantCulture), Sox.Run("soxi", "-s", path));
                        Assert.Equal(encoding switch { WavEncoding.Pcm16 => "16", WavEncoding.Pcm24 => "24", _ => "32" }, Sox.Run("soxi", "-b", path));
                        Assert.Contains(encoding == WavEncoding.IeeeFloat32 ? "Floating Point" : "Signed Integer PCM", Sox.Run("sox", "--i", path), StringComparison.Ordinal);

                        var raw = Path.Combine(folder.FullName, $"{seed}.f32");
                        Sox.Run("sox", "-V1", path, "-t", "raw", "-e", "floating-point", "-b", "32", "-L", raw);
                        var bytes = File.ReadAllBytes(raw);
                        var expected = WavReader.Read(wav).Samples;
                        Assert.Equal(expected.Length * 4, bytes.Length);
                        for (var i = 0; i < expected.Length; i++)
                        {
                            Assert.Equal(expected[i], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i)), 1e-6f);
                        }
                    }
                }
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
