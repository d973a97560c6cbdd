namespace HealthAssist.Synthesis.Audio;

/// <summary>How the samples are stored in the WAV file.</summary>
public enum WavEncoding
{
    /// <summary>Signed 16-bit PCM.</summary>
    Pcm16,

    /// <summary>Signed 24-bit PCM (sometimes as WAVE_FORMAT_EXTENSIBLE).</summary>
    Pcm24,

    /// <summary>32-bit IEEE float in [-1, 1], with a fact chunk (sometimes as WAVE_FORMAT_EXTENSIBLE).</summary>
    IeeeFloat32,
}

/// <summary>What a heart recording should contain; severities 0 (absent) to 1.</summary>
/// <param name="HeartRateBpm">Mean heart rate, 20–250 bpm (beats vary slightly around it).</param>
/// <param name="S3Gallop">Loudness of an S3 (early diastolic) gallop, as in decompensated heart failure.</param>
/// <param name="SystolicMurmur">Severity of a crescendo–decrescendo ejection murmur, as in aortic stenosis.</param>
public sealed record HeartSoundFindings(double HeartRateBpm, double S3Gallop, double SystolicMurmur);

/// <summary>What a lung recording should contain; severities 0 (absent) to 1.</summary>
/// <param name="RespiratoryRate">Breaths per minute, 4–60.</param>
/// <param name="Crackles">How many crackles per breath (mostly late-inspiratory), as in pneumonia or pulmonary oedema.</param>
/// <param name="Wheezes">How often and how loud wheezes are (mostly expiratory), as in a COPD exacerbation.</param>
/// <param name="ReducedBreathSounds">How much quieter the breath sounds are, as over a pleural effusion.</param>
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

/// <summary>A synthesized WAV file and the identifiers written into its metadata.</summary>
/// <param name="Wav">The complete RIFF/WAVE file.</param>
/// <param name="PlantedPhi">Every identity value written, with where ("LIST/INAM", "bext/Description"…; no file name).</param>
public sealed record SynthesizedRecording(byte[] Wav, IReadOnlyList<PlantedPhi> PlantedPhi);
