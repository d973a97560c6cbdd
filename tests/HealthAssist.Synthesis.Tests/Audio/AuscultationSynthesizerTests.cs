using System.Text;
using HealthAssist.Synthesis.Audio;

namespace HealthAssist.Synthesis.Tests.Audio;

public sealed class AuscultationSynthesizerTests
{
    [Fact]
    public void CreateHeart_WithTheSameInputs_GivesIdenticalBytes()
    {
        var style = Recordings.Style(rate: 22_050, encoding: WavEncoding.Pcm24, channels: 2, noise: 0.4);

        var first = AuscultationSynthesizer.CreateHeart(Recordings.Heart(88, 0.5, 0.7), style, Recordings.Identity, "aortic area", 42);
        var second = AuscultationSynthesizer.CreateHeart(Recordings.Heart(88, 0.5, 0.7), style, Recordings.Identity, "aortic area", 42);

        Assert.Equal(first.Wav, second.Wav);
        Assert.Equal(first.PlantedPhi, second.PlantedPhi);
    }

    [Fact]
    public void CreateLung_WithTheSameInputs_GivesIdenticalBytes()
    {
        var style = Recordings.Style(rate: 8_000, encoding: WavEncoding.IeeeFloat32, noise: 0.8, clipped: true);

        var first = AuscultationSynthesizer.CreateLung(Recordings.Lung(24, 0.8, 0.6, 0.3), style, Recordings.Identity, "right lower lobe", 7);
        var second = AuscultationSynthesizer.CreateLung(Recordings.Lung(24, 0.8, 0.6, 0.3), style, Recordings.Identity, "right lower lobe", 7);

        Assert.Equal(first.Wav, second.Wav);
    }

    [Fact]
    public void Create_WithDifferentSeeds_GivesDifferentSounds()
    {
        var style = Recordings.Style();

        var a = AuscultationSynthesizer.CreateHeart(Recordings.Heart(), style, Recordings.Identity, "mitral", 1);
        var b = AuscultationSynthesizer.CreateHeart(Recordings.Heart(), style, Recordings.Identity, "mitral", 2);
        var c = AuscultationSynthesizer.CreateLung(Recordings.Lung(), style, Recordings.Identity, "mitral", 1);

        Assert.NotEqual(DataChunk(a.Wav), DataChunk(b.Wav));
        Assert.NotEqual(DataChunk(a.Wav), DataChunk(c.Wav));
    }

    [Fact]
    public void Create_WithAnotherIdentity_ChangesTheMetadataButNotTheSound()
    {
        var style = Recordings.Style(rate: 44_100, encoding: WavEncoding.IeeeFloat32);
        var other = new RecordingIdentity("Al Bo", "7", new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero), "X", "Y");

        var mine = AuscultationSynthesizer.CreateLung(Recordings.Lung(crackles: 0.5), style, Recordings.Identity, "left base", 5);
        var theirs = AuscultationSynthesizer.CreateLung(Recordings.Lung(crackles: 0.5), style, other, "left base", 5);

        Assert.NotEqual(mine.Wav.Length, theirs.Wav.Length);
        Assert.Equal(DataChunk(mine.Wav), DataChunk(theirs.Wav));
    }

    [Fact]
    public void PlantedPhi_ListsEveryIdentityValueWhereItIsWritten()
    {
        var recording = AuscultationSynthesizer.CreateHeart(Recordings.Heart(), Recordings.Style(), Recordings.Identity, "pulmonic area", 3);
        var identity = Recordings.Identity;
        var info = Riff.Info(recording.Wav);

        var planted = recording.PlantedPhi.Select(p => (p.Type, p.Value, p.Where)).ToHashSet();
        Assert.Contains(("name", identity.PatientName, "LIST/INAM"), planted);
        Assert.Contains(("mrn", identity.PatientId, "LIST/ICMT"), planted);
        Assert.Contains(("clinician", identity.Clinician, "LIST/ICMT"), planted);
        Assert.Contains(("date", "2024-03-05", "LIST/ICRD"), planted);
        Assert.Contains(("name", identity.PatientName, "bext/Description"), planted);
        Assert.Contains(("institution", "Saint Bartholomew's Regional Med", "bext/Originator"), planted); // 32 bytes: the prefix written
        Assert.Contains(("date", "2024-03-05", "bext/OriginationDate"), planted);
        Assert.Contains(("date", "14:23:05", "bext/OriginationTime"), planted);
        Assert.Equal(8, recording.PlantedPhi.Count);

        Assert.Equal(identity.PatientName, info["INAM"]);
        Assert.Contains(identity.PatientId, info["ICMT"], StringComparison.Ordinal);
        Assert.Contains(identity.Clinician, info["ICMT"], StringComparison.Ordinal);
        Assert.Equal("2024-03-05", info["ICRD"]);
        Assert.Contains(identity.PatientName, Riff.BextField(recording.Wav, 0, 256), StringComparison.Ordinal);
        Assert.Equal("Saint Bartholomew's Regional Med", Riff.BextField(recording.Wav, 256, 32));
        Assert.Equal("2024-03-05", Riff.BextField(recording.Wav, 320, 10));
        Assert.Equal("14:23:05", Riff.BextField(recording.Wav, 330, 8));
    }

    [Theory]
    [InlineData(WavEncoding.Pcm16, 1)]
    [InlineData(WavEncoding.Pcm24, 2)]
    [InlineData(WavEncoding.IeeeFloat32, 1)]
    public void PlantedPhi_EveryValueIsFoundInTheFileBytes(WavEncoding encoding, int channels)
    {
        for (var seed = 0; seed < 6; seed++)
        {
            var style = Recordings.Style(encoding: encoding, channels: channels, seconds: 3);
            var recordings = new[]
            {
                AuscultationSynthesizer.CreateHeart(Recordings.Heart(), style, Recordings.Identity, "apex", seed),
                AuscultationSynthesizer.CreateLung(Recordings.Lung(), style, Recordings.Identity, "left upper lobe", seed),
            };
            foreach (var recording in recordings)
            {
                Assert.NotEmpty(recording.PlantedPhi);
                foreach (var phi in recording.PlantedPhi)
                {
                    Assert.True(recording.Wav.AsSpan().IndexOf(Encoding.UTF8.GetBytes(phi.Value)) >= 0, $"{phi.Type} '{phi.Value}' ({phi.Where}) is not in the file");
                }
            }
        }
    }

    [Fact]
    public void PlantedPhi_WhenAnIdentityValueIsEmpty_IsNotListed()
    {
        var identity = Recordings.Identity with { Clinician = string.Empty };

        var recording = AuscultationSynthesizer.CreateHeart(Recordings.Heart(), Recordings.Style(seconds: 2), identity, "apex", 1);

        Assert.DoesNotContain(recording.PlantedPhi, p => p.Type == "clinician");
        Assert.All(recording.PlantedPhi, p => Assert.NotEmpty(p.Value));
    }

    [Fact]
    public void Create_WritesTheRequestedDurationAtTheRequestedRate()
    {
        foreach (var rate in new[] { 4_000, 8_000, 11_025, 22_050, 44_100 })
        {
            var recording = AuscultationSynthesizer.CreateHeart(Recordings.Heart(), Recordings.Style(rate: rate, seconds: 2.5), Recordings.Identity, "apex", rate);

            var decoded = HealthAssist.Ingest.Audio.WavReader.Read(recording.Wav);
            Assert.Equal(rate, decoded.SampleRate);
            Assert.Equal((int)Math.Round(2.5 * rate), decoded.FrameCount);
        }
    }

    [Fact]
    public void Create_WithOutOfRangeArguments_Throws()
    {
        var identity = Recordings.Identity;
        Assert.Throws<ArgumentOutOfRangeException>(() => AuscultationSynthesizer.CreateHeart(Recordings.Heart(), Recordings.Style(rate: 3_999), identity, "apex", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuscultationSynthesizer.CreateHeart(Recordings.Heart(), Recordings.Style(rate: 48_000), identity, "apex", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuscultationSynthesizer.CreateHeart(Recordings.Heart(), Recordings.Style(channels: 3), identity, "apex", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuscultationSynthesizer.CreateHeart(Recordings.Heart(), Recordings.Style(seconds: 0), identity, "apex", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuscultationSynthesizer.CreateHeart(Recordings.Heart(), Recordings.Style(noise: 1.5), identity, "apex", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuscultationSynthesizer.CreateHeart(Recordings.Heart(murmur: double.NaN), Recordings.Style(), identity, "apex", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuscultationSynthesizer.CreateHeart(Recordings.Heart(bpm: 5), Recordings.Style(), identity, "apex", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuscultationSynthesizer.CreateLung(Recordings.Lung(crackles: -0.1), Recordings.Style(), identity, "base", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuscultationSynthesizer.CreateLung(Recordings.Lung(rate: 0), Recordings.Style(), identity, "base", 1));
        Assert.Throws<ArgumentException>(() => AuscultationSynthesizer.CreateLung(Recordings.Lung(), Recordings.Style(), identity, " ", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuscultationSynthesizer.CreateLung(Recordings.Lung(), Recordings.Style() with { Encoding = (WavEncoding)9 }, identity, "base", 1));
    }

    private static byte[] DataChunk(byte[] wav)
    {
        var data = Riff.Single(wav, "data");
        return wav.AsSpan(data.BodyOffset, data.Size).ToArray();
    }
}
