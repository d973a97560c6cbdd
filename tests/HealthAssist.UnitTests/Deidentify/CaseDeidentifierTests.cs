using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthAssist.Deidentify;
using HealthAssist.Deidentify.Fhir;
using HealthAssist.Dicom;
using HealthAssist.Dicom.IO;
using HealthAssist.Ingest.Audio;
using HealthAssist.UnitTests.Deidentify.Dicom;
using HealthAssist.UnitTests.Ingest.Audio;
using HealthAssist.UnitTests.Ingest.Fhir;

namespace HealthAssist.UnitTests.Deidentify;

public sealed class CaseDeidentifierTests
{
    private const string Canary = "Zaphod CANARY Beeblebrox";
    private static readonly CaseDeidentifier Deidentifier = new(Profile(), TestSecrets.A);

    internal static FhirDeidentificationProfile Profile() =>
        FhirDeidentificationProfile.Load(Path.Combine(RepositoryPaths.Root, "models", "deid", "fhir-profile.v1.json"));

    private static string Json(Bundle bundle) => FhirSerializationEngineFactory.Strict(ModelInfo.ModelInspector).SerializeToJson(bundle);

    private static byte[] Wav() =>
        WavBuilder.Pcm(16).Rate(4000).Samples(SyntheticAuscultation.HeartSound(6, 4000)).ChunkBefore("LIST", WavBuilder.ListInfo(Canary)).Build();

    [Fact]
    public void Deidentify_UsesTheRecordsKeysForEveryModality_SoDatesShiftTogether()
    {
        var inputs = new CaseInputs(
            Json(new PatientRecordBuilder().Note("Seen by Dr Canary.", TimeSpan.FromHours(1)).Bundle()),
            [new CaseImage("image 1", DicomWriter.Write(CanaryInstance.File()))],
            [new CaseRecording("heart recording", Wav(), SoundType.Heart, "mitral")],
            PatientRecordBuilder.IndexTime);

        var result = Deidentifier.Deidentify(inputs);

        var keys = Deidentifier.KeysOf(inputs.FhirJson);
        Assert.Equal(keys.Pseudonym, result.Pseudonym);
        Assert.Equal(PatientRecordBuilder.IndexTime.AddDays(keys.DateOffsetDays), result.IndexTime);
        var image = Assert.Single(result.Images).File.Dataset;
        Assert.Equal(keys.Pseudonym.Value, image.GetString(new DicomTag(0x0010, 0x0020)));
        var studyDate = DateOnly.ParseExact("20230105", "yyyyMMdd", CultureInfo.InvariantCulture).AddDays(keys.DateOffsetDays);
        Assert.Equal(studyDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture), image.GetString(new DicomTag(0x0008, 0x0020)));
        Assert.DoesNotContain("CANARY", Encoding.Latin1.GetString(Assert.Single(result.Recordings).Wav), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Canary", result.FhirJson, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(result.Rejected);
        Assert.All(result.Inputs, d => Assert.NotEqual(d.OriginalSha256, d.DeidentifiedSha256));
        Assert.Equal(3, result.Inputs.Count);
    }

    [Fact]
    public void Deidentify_RejectsAnUnreadableImage_WithAReason_AndGoesOnWithoutIt()
    {
        var garbage = Encoding.ASCII.GetBytes("DICM " + Canary + new string('x', 200));
        var inputs = new CaseInputs(Json(new PatientRecordBuilder().Bundle()), [new CaseImage("image 1", garbage)], [], PatientRecordBuilder.IndexTime);

        var result = Deidentifier.Deidentify(inputs);

        var rejected = Assert.Single(result.Rejected);
        Assert.Equal("image", rejected.Modality);
        Assert.DoesNotContain("CANARY", rejected.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(result.Images);
        Assert.Null(result.Inputs.Single(i => i.Modality == "image").DeidentifiedSha256);
    }

    [Fact]
    public void Deidentify_RejectsATruncatedRecording_AndKeepsTheRest()
    {
        var wav = Wav()[..30];
        var inputs = new CaseInputs(Json(new PatientRecordBuilder().Bundle()), [], [new CaseRecording("lung recording", wav, SoundType.Lung, "chest")], PatientRecordBuilder.IndexTime);

        var result = Deidentifier.Deidentify(inputs);

        Assert.Equal("lung-sound", Assert.Single(result.Rejected).Modality);
        Assert.Empty(result.Recordings);
    }

    [Fact]
    public void Deidentify_RefusesARecordWithoutExactlyOnePatient()
    {
        var none = new Bundle { Type = Bundle.BundleType.Collection };
        var two = new Bundle { Type = Bundle.BundleType.Collection };
        two.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:1", Resource = new Patient { Id = "a" } });
        two.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:2", Resource = new Patient { Id = "b" } });

        Assert.Throws<InvalidInputException>(() => Deidentifier.Deidentify(new CaseInputs(Json(none), [], [], PatientRecordBuilder.IndexTime)));
        Assert.Throws<InvalidInputException>(() => Deidentifier.Deidentify(new CaseInputs(Json(two), [], [], PatientRecordBuilder.IndexTime)));
        Assert.Throws<InvalidInputException>(() => Deidentifier.Deidentify(new CaseInputs("{not json", [], [], PatientRecordBuilder.IndexTime)));
    }

    [Fact]
    public void Deidentify_IsByteIdenticalOnARerun()
    {
        var inputs = new CaseInputs(Json(new PatientRecordBuilder().Bundle()), [new CaseImage("image 1", DicomWriter.Write(CanaryInstance.File()))], [], PatientRecordBuilder.IndexTime);

        var first = Deidentifier.Deidentify(inputs);
        var second = Deidentifier.Deidentify(inputs);

        Assert.Equal(first.FhirJson, second.FhirJson);
        Assert.Equal(first.Inputs, second.Inputs);
    }
}
