using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HealthAssist.Deidentify.Audio;
using HealthAssist.Deidentify.Dicom;
using HealthAssist.Deidentify.Fhir;
using HealthAssist.Dicom;
using HealthAssist.Dicom.IO;
using HealthAssist.Ingest.Audio;
using HealthAssist.Security;

namespace HealthAssist.Deidentify;

/// <summary>One radiograph of a case, as received. <paramref name="Label"/> names it in results ("image 1"), never a file name.</summary>
public sealed record CaseImage(string Label, ReadOnlyMemory<byte> Dicom);

/// <summary>One auscultation recording of a case, as received, with what it is a recording of.</summary>
public sealed record CaseRecording(string Label, ReadOnlyMemory<byte> Wav, SoundType SoundType, string BodySite);

/// <summary>A case as it arrives: the FHIR record of one patient, the images and recordings, and when it is assessed.</summary>
public sealed record CaseInputs(string FhirJson, IReadOnlyList<CaseImage> Images, IReadOnlyList<CaseRecording> Recordings, DateTimeOffset IndexTime);

/// <summary>An input the case goes on without, and why (the reason never repeats input values).</summary>
public sealed record RejectedInput(string Modality, string Label, string Reason);

/// <summary>What each input was before and after de-identification, by hash, for the audit entry.</summary>
public sealed record InputDigest(string Modality, string Label, string MediaType, string OriginalSha256, string? DeidentifiedSha256);

public sealed record DeidentifiedImage(string Label, DicomFile File);

public sealed record DeidentifiedRecording(string Label, byte[] Wav, SoundType SoundType, string BodySite);

/// <summary>
/// A case after de-identification: everything downstream (encoders, blob store, logs) sees only this. Dates in it,
/// including <see cref="IndexTime"/>, are shifted by the patient's offset, so intervals are those of the real case.
/// </summary>
public sealed record DeidentifiedCase(
    PatientKeys Keys,
    string FhirJson,
    DateTimeOffset IndexTime,
    IReadOnlyList<DeidentifiedImage> Images,
    IReadOnlyList<DeidentifiedRecording> Recordings,
    IReadOnlyList<RejectedInput> Rejected,
    IReadOnlyList<InputDigest> Inputs,
    string FhirProfileVersion)
{
    public PatientPseudonym Pseudonym => Keys.Pseudonym;
}

/// <summary>
/// De-identifies every input of a case with one set of patient keys — the FHIR record's, so the FHIR, DICOM and WAV
/// dates shift together and the same patient gets the same pseudonym in every modality. The record must hold exactly
/// one Patient (else the case is refused: the keys would be ambiguous). An image or a recording that cannot be
/// de-identified (malformed, or burned-in text that cannot be cleaned) is rejected with a reason and the case goes on
/// without it: never passed through.
/// </summary>
public sealed class CaseDeidentifier(FhirDeidentificationProfile profile, DeploymentSecret secret, DicomDeidentificationOptions? dicomOptions = null)
{
    private readonly FhirDeidentifier _fhir = new(profile, secret);
    private readonly DicomDeidentifier _dicom = new(secret, dicomOptions);

    public string FhirProfileVersion => profile.Version;

    public DeidentifiedCase Deidentify(CaseInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var keys = KeysOf(inputs.FhirJson);
        var (json, _) = _fhir.Deidentify(inputs.FhirJson);
        var digests = new List<InputDigest> { new("record", "record", "application/fhir+json", Sha256(Encoding.UTF8.GetBytes(inputs.FhirJson)), Sha256(Encoding.UTF8.GetBytes(json))) };
        var rejected = new List<RejectedInput>();

        var images = new List<DeidentifiedImage>();
        foreach (var image in inputs.Images)
        {
            var original = Sha256(image.Dicom.Span);
            try
            {
                var result = _dicom.Deidentify(DicomReader.Read(image.Dicom), keys);
                if (result.File is null)
                {
                    rejected.Add(new RejectedInput("image", image.Label, result.QuarantineReason ?? "quarantined"));
                    digests.Add(new InputDigest("image", image.Label, "application/dicom", original, null));
                    continue;
                }

                images.Add(new DeidentifiedImage(image.Label, result.File));
                digests.Add(new InputDigest("image", image.Label, "application/dicom", original, Sha256(DicomWriter.Write(result.File))));
            }
            catch (DicomFormatException ex)
            {
                rejected.Add(new RejectedInput("image", image.Label, "not readable DICOM: " + ex.Message));
                digests.Add(new InputDigest("image", image.Label, "application/dicom", original, null));
            }
        }

        var recordings = new List<DeidentifiedRecording>();
        foreach (var recording in inputs.Recordings)
        {
            var modality = recording.SoundType == SoundType.Heart ? "heart-sound" : "lung-sound";
            var original = Sha256(recording.Wav.Span);
            try
            {
                var (wav, _) = AudioDeidentifier.Deidentify(recording.Wav.Span);
                recordings.Add(new DeidentifiedRecording(recording.Label, wav, recording.SoundType, recording.BodySite));
                digests.Add(new InputDigest(modality, recording.Label, "audio/wav", original, Sha256(wav)));
            }
            catch (InvalidInputException ex)
            {
                rejected.Add(new RejectedInput(modality, recording.Label, "not a readable WAV recording: " + ex.Message));
                digests.Add(new InputDigest(modality, recording.Label, "audio/wav", original, null));
            }
        }

        return new DeidentifiedCase(keys, json, keys.Shift(inputs.IndexTime), images, recordings, rejected, digests, profile.Version);
    }

    /// <summary>The keys of the record's one Patient.</summary>
    public PatientKeys KeysOf(string fhirJson)
    {
        ArgumentNullException.ThrowIfNull(fhirJson);
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(fhirJson.TrimStart('\uFEFF')) as JsonObject;
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new InvalidInputException($"Not valid JSON (line {ex.LineNumber}, byte {ex.BytePositionInLine})", "$");
        }

        if (root is null)
        {
            throw new InvalidInputException("FHIR JSON must be an object", "$");
        }

        var resources = root["resourceType"]?.GetValue<string>() == "Bundle"
            ? root["entry"]?.AsArray().Select(e => e?["resource"]).OfType<JsonObject>().ToList() ?? []
            : [root];
        var patients = _fhir.KeysByPatient(resources);
        return patients.Count switch
        {
            1 => patients.Values.Single(),
            0 => throw new InvalidInputException("The record has no Patient resource: a case needs exactly one", "Bundle.entry"),
            _ => throw new InvalidInputException($"The record has {patients.Count} Patient resources: a case needs exactly one", "Bundle.entry"),
        };
    }

    private static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
