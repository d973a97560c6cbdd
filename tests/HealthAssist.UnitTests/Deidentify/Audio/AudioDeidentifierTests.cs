using System.Text;
using HealthAssist.Deidentify.Audio;
using HealthAssist.Ingest.Audio;
using HealthAssist.UnitTests.Ingest.Audio;

namespace HealthAssist.UnitTests.Deidentify.Audio;

public sealed class AudioDeidentifierTests
{
    private const string Canary = "Zaphod CANARY Beeblebrox MRN-4711";

    private static double[] Tone(int count) => Enumerable.Range(0, count).Select(i => 0.3 * Math.Sin(i * 0.05)).ToArray();

    [Fact]
    public void Deidentify_DropsEveryMetadataChunk_AndKeepsTheSamplesExactly()
    {
        var original = WavBuilder.Pcm(16).Rate(8000).Samples(Tone(8000 * 4))
            .ChunkBefore("LIST", WavBuilder.ListInfo(Canary))
            .ChunkBefore("bext", Encoding.ASCII.GetBytes(Canary.PadRight(602, '\0')))
            .ChunkAfter("iXML", Encoding.UTF8.GetBytes($"<BWFXML><NOTE>{Canary}</NOTE></BWFXML>"))
            .ChunkAfter("JUNK", new byte[7])
            .Build();

        var (clean, report) = AudioDeidentifier.Deidentify(original);

        Assert.DoesNotContain("CANARY", Encoding.Latin1.GetString(clean), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, report.DroppedChunks.Count);
        var before = WavReader.Read(original);
        var after = WavReader.Read(clean);
        Assert.Equal(before.SampleRate, after.SampleRate);
        Assert.Equal(before.Channels, after.Channels);
        Assert.Equal(before.Samples.ToArray(), after.Samples.ToArray());
    }

    [Fact]
    public void Deidentify_IsDeterministic()
    {
        var original = WavBuilder.Float(32).Rate(4000).Samples(Tone(4000 * 4)).ChunkAfter("LIST", WavBuilder.ListInfo(Canary)).Build();

        Assert.Equal(AudioDeidentifier.Deidentify(original).Wav, AudioDeidentifier.Deidentify(original).Wav);
    }

    [Fact]
    public void Deidentify_RefusesMalformedInputWithoutEchoingIt()
    {
        var broken = Encoding.ASCII.GetBytes("RIFF\u0010\0\0\0WAVE" + Canary);

        var error = Assert.Throws<InvalidInputException>(() => AudioDeidentifier.Deidentify(broken));

        Assert.DoesNotContain("CANARY", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
