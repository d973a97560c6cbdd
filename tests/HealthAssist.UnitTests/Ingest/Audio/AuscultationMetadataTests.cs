using Hl7.Fhir.Model;
using HealthAssist.Ingest.Audio;

namespace HealthAssist.UnitTests.Ingest.Audio;

public sealed class AuscultationMetadataTests
{
    [Fact]
    public void Media_WithHeartSoundsModality_IsAHeartRecordingAtItsBodySite()
    {
        var media = new Media
        {
            Status = EventStatus.Completed,
            Modality = new CodeableConcept("http://snomed.info/sct", "88610006", "Heart sounds"),
            BodySite = new CodeableConcept("http://snomed.info/sct", "59011009", "Aortic area", "aortic area"),
            Content = new Attachment { ContentType = "audio/wav", Url = "audio/c00001-heart.wav" },
        };

        var metadata = AuscultationMetadata.FromMedia(media);

        Assert.Equal(new AuscultationMetadata(SoundType.Heart, "aortic area", "audio/c00001-heart.wav"), metadata);
    }

    [Fact]
    public void Media_WithLungAuscultationAndALobe_IsALungRecording()
    {
        var media = new Media { Status = EventStatus.Completed, Modality = new CodeableConcept("http://snomed.info/sct", "37931006"), BodySite = new CodeableConcept("http://snomed.info/sct", "266005", "Right lower lobe of lung") };

        Assert.Equal(SoundType.Lung, AuscultationMetadata.FromMedia(media)?.SoundType);
    }

    [Fact]
    public void Media_ThatSaysNeither_IsNotGuessed()
    {
        Assert.Null(AuscultationMetadata.FromMedia(new Media { Status = EventStatus.Completed, Content = new Attachment { ContentType = "audio/wav" } }));
    }
}
