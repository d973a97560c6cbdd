using System.Numerics;
using System.Text.Json.Nodes;
using HealthAssist.Dicom.IO;
using HealthAssist.Synthesis.Audio;
using HealthAssist.Synthesis.Fhir;
using HealthAssist.Synthesis.Imaging;
using HealthAssist.Synthesis.World;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace HealthAssist.IntegrationTests.Ehr;

/// <summary>
/// One synthetic patient as an EHR holds it: the generator's FHIR record (src/HealthAssist.Synthesis, the same
/// <see cref="PatientFhir"/> that <c>healthassist synth</c> writes) with a planted name canary, its heart and lung WAVs
/// as Binary resources, and the UIDs of a DX radiograph its ImagingStudy points to. Build one with
/// <see cref="Create"/> and adjust it with the <c>With…</c> methods before serving it.
/// </summary>
public sealed class EhrTestPatient
{
    public const string CanaryName = "Zaphod-CANARY-Beeblebrox";
    public const string HeartBinaryId = "heart-wav";
    public const string LungBinaryId = "lung-wav";

    private static readonly FhirJsonSerializer Serializer = new();
    private readonly List<JsonObject> _resources;

    private EhrTestPatient(string patientId, List<JsonObject> resources, RadiographUids radiograph, byte[] heartWav, byte[] lungWav)
    {
        PatientId = patientId;
        _resources = resources;
        Radiograph = radiograph;
        HeartWav = heartWav;
        LungWav = lungWav;
        Binaries[HeartBinaryId] = new TestBinary("audio/wav", heartWav);
        Binaries[LungBinaryId] = new TestBinary("audio/wav", lungWav);
    }

    /// <summary>The Patient's logical id on the EHR (distinctive, so that a leak would be found).</summary>
    public string PatientId { get; }

    public RadiographUids Radiograph { get; }

    public byte[] HeartWav { get; }

    public byte[] LungWav { get; }

    /// <summary>Every resource, the Patient first; each call gets fresh copies.</summary>
    public IReadOnlyList<JsonObject> Resources => [.. _resources.Select(r => (JsonObject)r.DeepClone())];

    /// <summary>Binary resources by id.</summary>
    public Dictionary<string, TestBinary> Binaries { get; } = new(StringComparer.Ordinal);

    public static EhrTestPatient Create(int seed = 4711)
    {
        var simulated = CohortSimulator.Simulate(seed, 0);
        var patient = simulated with
        {
            CaseId = $"EHRPULL{seed}",
            Identity = simulated.Identity with { Family = CanaryName },
        };
        var radiograph = RadiographUids.New();
        var files = new CaseFiles(
            "chest.dcm", $"Binary/{HeartBinaryId}", $"Binary/{LungBinaryId}", radiograph.Study, radiograph.Series, radiograph.Sop, "aortic area", "right lower zone");
        var (resources, _) = PatientFhir.Build(patient, files);
        var json = resources.Select(r => (JsonObject)JsonNode.Parse(Serializer.SerializeToString(r))!).ToList();

        var identity = new RecordingIdentity(CanaryName, patient.Identity.Mrn, patient.ArrivalAt, "Test Hospital", "Dr Test");
        var style = new RecordingStyle(4_000, WavEncoding.Pcm16, 1, 4, 0.05, false);
        var heart = AuscultationSynthesizer.CreateHeart(new HeartSoundFindings(72, 0, 0.5), style, identity, "aortic area", seed).Wav;
        var lung = AuscultationSynthesizer.CreateLung(new LungSoundFindings(16, 0.5, 0, 0), style, identity, "right lower zone", seed).Wav;
        return new EhrTestPatient("pt-" + patient.CaseId, json, radiograph, heart, lung);
    }

    public int Count(string resourceType) => _resources.Count(r => Type(r) == resourceType);

    public int ResourceCount => _resources.Count;

    /// <summary>Adds a resource (a Media, an ImagingStudy…) for this patient.</summary>
    public EhrTestPatient With(Resource resource)
    {
        _resources.Add((JsonObject)JsonNode.Parse(Serializer.SerializeToString(resource))!);
        return this;
    }

    /// <summary>Adds <paramref name="count"/> more Observations, to make a record page or overflow.</summary>
    public EhrTestPatient WithExtraObservations(int count)
    {
        for (var i = 0; i < count; i++)
        {
            With(new Observation
            {
                Id = $"extra-obs-{i}",
                Status = ObservationStatus.Final,
                Code = new CodeableConcept("http://loinc.org", "8867-4", "Heart rate"),
                Subject = new ResourceReference($"Patient/{PatientId}"),
                Value = new Quantity(70 + (i % 30), "/min"),
            });
        }

        return this;
    }

    /// <summary>An ImagingStudy of another modality (not a radiograph).</summary>
    public EhrTestPatient WithCtStudy() => With(new ImagingStudy
    {
        Id = "ct-study",
        Status = ImagingStudy.ImagingStudyStatus.Available,
        Identifier = [new Identifier("urn:dicom:uid", "urn:oid:" + RadiographUids.New().Study)],
        Subject = new ResourceReference($"Patient/{PatientId}"),
        Series =
        [
            new ImagingStudy.SeriesComponent
            {
                Uid = RadiographUids.New().Series,
                Modality = new Coding("http://dicom.nema.org/resources/ontology/DCM", "CT"),
                Instance = [new ImagingStudy.InstanceComponent { Uid = RadiographUids.New().Sop, SopClass = new Coding("urn:ietf:rfc:3986", "urn:oid:1.2.840.10008.5.1.4.1.1.2") }],
            },
        ],
    });

    /// <summary>A heart recording Media with its data inline (no Binary).</summary>
    public EhrTestPatient WithInlineHeartRecording(byte[] wav) => With(new Media
    {
        Id = "inline-heart",
        Status = EventStatus.Completed,
        Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/media-type", "audio", "Audio"),
        Modality = new CodeableConcept("http://snomed.info/sct", "88610006", "Heart sounds"),
        Subject = new ResourceReference($"Patient/{PatientId}"),
        BodySite = new CodeableConcept("http://snomed.info/sct", "38266002", "Cardiac apex", "mitral area"),
        Content = new Attachment { ContentType = "audio/wav", Data = wav },
    });

    /// <summary>A lung recording Media whose attachment URL is <paramref name="url"/>.</summary>
    public EhrTestPatient WithLungRecordingAt(string id, string url) => With(new Media
    {
        Id = id,
        Status = EventStatus.Completed,
        Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/media-type", "audio", "Audio"),
        Modality = new CodeableConcept("http://snomed.info/sct", "37931006", "Auscultation of lungs"),
        Subject = new ResourceReference($"Patient/{PatientId}"),
        BodySite = new CodeableConcept("http://snomed.info/sct", "41224006", "Left lower lobe of lung", "left lower zone"),
        Content = new Attachment { ContentType = "audio/wav", Url = url },
    });

    /// <summary>Strips the series from the ImagingStudy, leaving only its Study Instance UID (the PACS must be asked).</summary>
    public EhrTestPatient WithImagingStudyListingNoSeries()
    {
        foreach (var study in _resources.Where(r => Type(r) == "ImagingStudy"))
        {
            study.Remove("series");
            study.Remove("numberOfSeries");
            study.Remove("numberOfInstances");
        }

        return this;
    }

    /// <summary>An audio Media that says what it is only in free text: its body site text and a note.</summary>
    public EhrTestPatient WithAudioDescribedInANote(string id, string binaryId, string bodySite, string note)
    {
        Binaries[binaryId] = new TestBinary("audio/x-wav", HeartWav);
        return With(new Media
        {
            Id = id,
            Status = EventStatus.Completed,
            Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/media-type", "audio", "Audio"),
            Subject = new ResourceReference($"Patient/{PatientId}"),
            BodySite = new CodeableConcept { Text = bodySite },
            Note = [new Annotation { Text = note }],
            Content = new Attachment { ContentType = "audio/x-wav", Url = $"Binary/{binaryId}" },
        });
    }

    /// <summary>Serves the Binary as FHIR JSON (base64 data) whatever the Accept header asks for.</summary>
    public EhrTestPatient WithBinaryAsFhirJson(string binaryId)
    {
        Binaries[binaryId] = Binaries[binaryId] with { AsFhirJson = true };
        return this;
    }

    public EhrTestPatient WithoutBinary(string binaryId)
    {
        Binaries.Remove(binaryId);
        return this;
    }

    internal static string? Type(JsonObject resource) => resource["resourceType"]?.GetValue<string>();

    /// <summary>The synthetic DX radiograph the ImagingStudy names, as a Part 10 file.</summary>
    public byte[] RadiographFile()
    {
        var identity = new RadiographIdentity(
            "Beeblebrox^Zaphod-CANARY", "MRN-CANARY-0042", "19500101", "M", "ACC4711", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            "Test Hospital", "Doctor^Test", "Operator^Test", Radiograph.Study, Radiograph.Series, Radiograph.Sop);
        var findings = new RadiographFindings(0.3, 0, null, 0, EffusionSide.None, 0, 0);
        var style = new RadiographStyle("DX", 1024, 1024, 12, false, 1, false, null);
        return DicomWriter.Write(RadiographSynthesizer.Create(new RadiographRequest(findings, identity, style), 4711).File);
    }
}

/// <summary>A Binary the test EHR serves: raw with its content type, or as FHIR JSON.</summary>
public sealed record TestBinary(string ContentType, byte[] Data, bool AsFhirJson = false);

/// <summary>Fresh UIDs under the 2.25 (UUID) root, so runs never collide in the PACS.</summary>
public sealed record RadiographUids(string Study, string Series, string Sop)
{
    public static RadiographUids New() => new(Uid(), Uid(), Uid());

    private static string Uid() => "2.25." + new BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
