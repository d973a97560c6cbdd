using HealthAssist.Deidentify;
using HealthAssist.Dicom;
using HealthAssist.Dicom.Imaging;
using HealthAssist.Ingest.Audio;
using HealthAssist.Ingest.Fhir;

namespace HealthAssist.Encode.Inputs;

/// <summary>
/// Builds the encoders' input tensors from a de-identified case. The serving pipeline and <c>features export</c>
/// (the training data) both call this, so a model sees at inference exactly what it was trained on. Thread-safe.
/// </summary>
public sealed class ModelInputBuilder
{
    /// <summary>Image problems that make the tensor meaningless: the image is rejected.</summary>
    private const ImageQualityIssues Unusable = ImageQualityIssues.UnsupportedPhotometricInterpretation | ImageQualityIssues.TinyImage | ImageQualityIssues.MissingPixelData;

    private readonly FeatureExtractor _features;
    private readonly AuscultationPipeline _audio;
    private readonly NoteHasher _notes;
    private readonly PreprocessingOptions _image;
    private readonly GdcmDecoder? _gdcm;

    public ModelInputBuilder(FeatureSpecification features, InputSpecification? specification = null, GdcmDecoder? gdcm = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        Specification = (specification ?? new InputSpecification()) with { FeatureSpecification = features.Version };
        _features = new FeatureExtractor(features);
        _audio = new AuscultationPipeline(Specification.Audio.LogMel);
        _notes = new NoteHasher(Specification.Note);
        _image = Specification.Image.ToPreprocessing();
        _gdcm = gdcm;
        if (Specification.Audio.Frames < 16)
        {
            throw new InvalidOperationException("audio.frames must be at least 16");
        }
    }

    public InputSpecification Specification { get; }

    public ModelInputs Build(DeidentifiedCase deidentified)
    {
        ArgumentNullException.ThrowIfNull(deidentified);
        return Build(deidentified.FhirJson, deidentified.IndexTime, deidentified.Images, deidentified.Recordings, deidentified.Rejected);
    }

    /// <summary>
    /// The same from the parts of a de-identified case — also what a replay has: the stored de-identified inputs and the
    /// (shifted) index time from the audit entry.
    /// </summary>
    public ModelInputs Build(
        string deidentifiedFhirJson, DateTimeOffset deidentifiedIndexTime, IReadOnlyList<DeidentifiedImage> images, IReadOnlyList<DeidentifiedRecording> recordings,
        IReadOnlyList<RejectedInput> alreadyRejected)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(recordings);
        var record = FhirRecordReader.ReadJson(deidentifiedFhirJson, "record");
        var view = CaseViewBuilder.Build(record, deidentifiedIndexTime);
        var tabular = _features.Extract(view);
        var rejected = new List<RejectedInput>(alreadyRejected);

        ImageInput? image = null;
        foreach (var candidate in images)
        {
            var (input, reason) = PrepareImage(candidate);
            if (input is null)
            {
                rejected.Add(new RejectedInput("image", candidate.Label, reason!));
            }
            else if (image is null)
            {
                image = input;
            }
        }

        RecordingInput? heart = null, lung = null;
        foreach (var recording in recordings)
        {
            var modality = recording.SoundType == SoundType.Heart ? "heart-sound" : "lung-sound";
            var (input, reason) = PrepareRecording(recording);
            if (input is null)
            {
                rejected.Add(new RejectedInput(modality, recording.Label, reason!));
            }
            else if (recording.SoundType == SoundType.Heart)
            {
                heart ??= input;
            }
            else
            {
                lung ??= input;
            }
        }

        var note = _notes.Hash(view.Notes.Select(n => n.Text));
        return new ModelInputs(Specification, tabular, image, heart, lung, note, rejected, view);
    }

    private (ImageInput? Input, string? Reason) PrepareImage(DeidentifiedImage candidate)
    {
        try
        {
            var pixels = new PixelData(candidate.File, _gdcm);
            var processed = ImagePreprocessor.Process(pixels, 0, _image, candidate.File.Dataset);
            if ((processed.Issues & Unusable) != 0)
            {
                return (null, "image not usable: " + (processed.Issues & Unusable));
            }

            return (new ImageInput(candidate.Label, processed.Tensor, processed.Issues, processed.WindowSource, processed.PreviewPng), null);
        }
        catch (DicomFormatException ex)
        {
            return (null, "pixel data not usable: " + ex.Message);
        }
        catch (InvalidInputException ex)
        {
            return (null, "pixel data not usable: " + ex.Message);
        }
    }

    private (RecordingInput? Input, string? Reason) PrepareRecording(DeidentifiedRecording recording)
    {
        try
        {
            var features = _audio.Process(recording.Wav, recording.SoundType, recording.BodySite);
            if (!features.Quality.Acceptable)
            {
                return (null, features.Quality.RejectionReason ?? "recording failed the quality checks");
            }

            var tensor = FixFrames(features.LogMel, Specification.Audio.Frames);
            return (new RecordingInput(recording.Label, recording.SoundType, recording.BodySite, tensor, features.Quality, features.Duration), null);
        }
        catch (InvalidInputException ex)
        {
            return (null, "recording not usable: " + ex.Message);
        }
    }

    /// <summary>[bands, frames] → [bands, <paramref name="frames"/>]: the centre of a longer spectrogram, a shorter one tiled.</summary>
    internal static float[] FixFrames(LogMelFeatures logMel, int frames)
    {
        var bands = logMel.MelBands;
        var available = logMel.Frames;
        var values = logMel.Values;
        var output = new float[bands * frames];
        if (available == 0)
        {
            throw new InvalidInputException("The recording is too short for a single analysis frame");
        }

        var start = available > frames ? (available - frames) / 2 : 0;
        for (var b = 0; b < bands; b++)
        {
            var row = values.Slice(b * available, available);
            var target = output.AsSpan(b * frames, frames);
            if (available >= frames)
            {
                row.Slice(start, frames).CopyTo(target);
                continue;
            }

            for (var filled = 0; filled < frames; filled += available)
            {
                row[..Math.Min(available, frames - filled)].CopyTo(target[filled..]);
            }
        }

        return output;
    }
}
