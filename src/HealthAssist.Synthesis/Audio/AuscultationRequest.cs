namespace HealthAssist.Synthesis.Audio;

public enum WavEncoding
{
    Pcm16,
    Pcm24,
    IeeeFloat32,
}

/// <summary>What a heart recording should contain; severities 0 (absent) to 1.</summary>
public sealed record HeartSoundFindings(double HeartRateBpm, double S3Gallop, double SystolicMurmur);

/// <summary>What a lung recording should contain; severities 0 (absent) to 1.</summary>
public sealed record LungSoundFindings(double RespiratoryRate, double Crackles, double Wheezes, double ReducedBreathSounds);

/// <summary>How the recording is made and encoded.</summary>
/// <param name="SampleRate">4,000–44,100 Hz.</param>
/// <param name="Encoding">Sample format.</param>
/// <param name="Channels">1 or 2 (a stereo digital stethoscope duplicates or mixes its channels).</param>
/// <param name="DurationSeconds">Usually 10–20 s; under 3 s for deliberately short ones.</param>
/// <param name="NoiseLevel">0 (clean) to 1 (very noisy: degraded input).</param>
/// <param name="Clipped">Degraded: amplitude driven into clipping.</param>
public sealed record RecordingStyle(int SampleRate, WavEncoding Encoding, int Channels, double DurationSeconds, double NoiseLevel, bool Clipped);

/// <summary>PHI-like metadata written into LIST/INFO and bext chunks, as some stethoscope software does.</summary>
public sealed record RecordingIdentity(string PatientName, string PatientId, DateTimeOffset RecordedAt, string Institution, string Clinician);

public sealed record SynthesizedRecording(byte[] Wav, IReadOnlyList<PlantedPhi> PlantedPhi);
