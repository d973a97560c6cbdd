using System.Text.Json.Serialization;

namespace HealthAssist.Ingest.Audio;

/// <summary>
/// What the stethoscope was listening to. It selects the auscultation band the quality checks expect (heart 20–400 Hz,
/// lung 100–2,000 Hz) and whether a heart rate is estimated. It comes from the FHIR <c>Media</c>/<c>DocumentReference</c>
/// metadata or from the request, never from the audio itself.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SoundType>))]
public enum SoundType
{
    Heart,
    Lung,
}
