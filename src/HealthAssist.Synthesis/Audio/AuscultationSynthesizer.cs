using System.Buffers;
using System.Globalization;

namespace HealthAssist.Synthesis.Audio;

/// <summary>
/// Synthetic digital-stethoscope recordings — heart sounds (phonocardiogram) and lung sounds — as WAV files with the
/// PHI-like metadata stethoscope software writes, for the <c>healthassist synth</c> cohort.
/// </summary>
/// <remarks>
/// <para><b>Deterministic</b>: the bytes depend only on the arguments (no clock, no global random state; a portable
/// generator, <see cref="SynthRandom"/>; fixed-order sums, no fused multiply-add), and are the same in debug and release
/// builds and with or without AVX. Sines, cosines and exponentials come from the platform's math library, so another
/// operating system or runtime may differ in the last bit. Each part of the sound draws from its own random stream, so the
/// same seed with different findings gives the same beats, breaths, noise and chunk layout, differing only in the findings
/// (and in the gain, which follows the loudest moment).</para>
/// <para><b>Signal path</b>: the sound is rendered at an internal rate that is the smallest integer multiple of
/// <see cref="RecordingStyle.SampleRate"/> of at least 16 kHz (16 kHz for 4 and 8 kHz files, 22.05 kHz for 11.025 kHz,
/// the file rate itself from 16 kHz up) — eight times the highest planted frequency — then decimated with a Kaiser-windowed
/// sinc low-pass (≈70 dB stop band ending at the file's Nyquist frequency), scaled by a device gain (peak 0.3–0.8 of full
/// scale; with <see cref="RecordingStyle.Clipped"/> 2.5–5 times full scale, then hard-clipped as an ADC saturates), and
/// encoded. A stereo file either duplicates the channel or carries a second, slightly different pick-up.</para>
/// <para>What is planted, and how it varies between patients: <see cref="HeartSoundModel"/>, <see cref="LungSoundModel"/>,
/// <see cref="AmbientNoise"/>.</para>
/// <para><b>Metadata</b>: a LIST/INFO chunk (INAM patient name, ICMT with the patient ID, clinician and body site, ICRD
/// recording date, ISBJ, ISFT) and a Broadcast Wave bext chunk (Description naming the patient, Originator = institution,
/// OriginationDate/Time = <see cref="RecordingIdentity.RecordedAt"/> in its own offset). Depending on the seed the LIST
/// chunk comes before or after the data, bext before or after fmt, a JUNK chunk of odd size (with its pad byte) is present
/// or not, and 24-bit and float files may use WAVE_FORMAT_EXTENSIBLE. Every identity value written is returned in
/// <see cref="SynthesizedRecording.PlantedPhi"/> with where it is ("LIST/INAM", "bext/Description"…; the caller prefixes
/// the file name); a value too long for a fixed bext field is planted as the prefix actually written.</para>
/// </remarks>
public static class AuscultationSynthesizer
{
    public const int MinSampleRate = 4_000;
    public const int MaxSampleRate = 44_100;
    public const double MaxDurationSeconds = 600;

    /// <summary>The internal rendering rate is at least this (Hz).</summary>
    internal const int MinInternalRate = 16_000;

    private const string Software = "HealthAssist synthetic stethoscope";

    public static SynthesizedRecording CreateHeart(HeartSoundFindings findings, RecordingStyle style, RecordingIdentity identity, string bodySite, int seed)
    {
        ArgumentNullException.ThrowIfNull(findings);
        CheckCommon(style, identity, bodySite);
        CheckRange(findings.HeartRateBpm, 20, 250, nameof(findings), "heart rate (bpm)");
        CheckSeverity(findings.S3Gallop, nameof(findings), "S3 gallop");
        CheckSeverity(findings.SystolicMurmur, nameof(findings), "systolic murmur");

        var samples = Render(style, (signal, rate) => HeartSoundModel.Render(signal, rate, findings, style.NoiseLevel, bodySite, seed));
        return Finish(samples, style, identity, bodySite, seed, heart: true);
    }

    public static SynthesizedRecording CreateLung(LungSoundFindings findings, RecordingStyle style, RecordingIdentity identity, string bodySite, int seed)
    {
        ArgumentNullException.ThrowIfNull(findings);
        CheckCommon(style, identity, bodySite);
        CheckRange(findings.RespiratoryRate, 4, 60, nameof(findings), "respiratory rate (/min)");
        CheckSeverity(findings.Crackles, nameof(findings), "crackles");
        CheckSeverity(findings.Wheezes, nameof(findings), "wheezes");
        CheckSeverity(findings.ReducedBreathSounds, nameof(findings), "reduced breath sounds");

        var samples = Render(style, (signal, rate) => LungSoundModel.Render(signal, rate, findings, style.NoiseLevel, seed));
        return Finish(samples, style, identity, bodySite, seed, heart: false);
    }

    /// <summary>The cardiac cycles planted in <see cref="CreateHeart"/>'s recording (ground-truth segmentation for tests).</summary>
    internal static IReadOnlyList<HeartCycle> HeartCycles(HeartSoundFindings findings, RecordingStyle style, int seed) =>
        HeartSoundModel.PlanCycles(findings.HeartRateBpm, FrameCount(style) / (double)style.SampleRate, seed);

    /// <summary>The breaths planted in <see cref="CreateLung"/>'s recording (ground-truth segmentation for tests).</summary>
    internal static IReadOnlyList<BreathCycle> BreathCycles(LungSoundFindings findings, RecordingStyle style, int seed) =>
        LungSoundModel.PlanCycles(findings.RespiratoryRate, FrameCount(style) / (double)style.SampleRate, seed);

    /// <summary>The internal rendering rate for a file rate: its smallest integer multiple of at least 16 kHz.</summary>
    internal static int InternalRate(int sampleRate) => sampleRate * Math.Max(1, (MinInternalRate + sampleRate - 1) / sampleRate);

    private static int FrameCount(RecordingStyle style) => Math.Max(1, (int)Math.Round(style.DurationSeconds * style.SampleRate));

    private delegate void Renderer(Span<float> signal, int rate);

    private static float[] Render(RecordingStyle style, Renderer render)
    {
        var frames = FrameCount(style);
        var rate = InternalRate(style.SampleRate);
        var factor = rate / style.SampleRate;
        var length = frames * factor;
        var buffer = ArrayPool<float>.Shared.Rent(length);
        try
        {
            var signal = buffer.AsSpan(0, length);
            signal.Clear();
            render(signal, rate);
            return Decimator.Decimate(signal, factor, frames);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private static SynthesizedRecording Finish(float[] mono, RecordingStyle style, RecordingIdentity identity, string bodySite, int seed, bool heart)
    {
        var gainRandom = new SynthRandom(seed, heart ? SynthStream.HeartGain : SynthStream.LungGain);
        var peak = 0f;
        foreach (var sample in mono)
        {
            peak = Math.Max(peak, Math.Abs(sample));
        }

        var target = style.Clipped ? gainRandom.Uniform(2.5, 5) : gainRandom.Uniform(0.3, 0.8);
        var gain = peak > 0 ? (float)(target / peak) : 1f;
        float[] interleaved;
        if (style.Channels == 1)
        {
            interleaved = mono;
            for (var i = 0; i < mono.Length; i++)
            {
                interleaved[i] = Math.Clamp(mono[i] * gain, -1f, 1f);
            }
        }
        else
        {
            // A stereo export duplicates the chest piece, or carries a second pick-up with its own level and hiss.
            interleaved = new float[mono.Length * 2];
            var duplicate = gainRandom.Chance(0.5);
            var second = duplicate ? 1f : (float)gainRandom.Uniform(0.8, 0.95);
            var hiss = new float[duplicate ? 0 : mono.Length];
            gainRandom.AddWhite(hiss, 0.001);
            for (var i = 0; i < mono.Length; i++)
            {
                var sample = mono[i] * gain;
                interleaved[2 * i] = Math.Clamp(sample, -1f, 1f);
                interleaved[(2 * i) + 1] = Math.Clamp((sample * second) + (duplicate ? 0f : hiss[i]), -1f, 1f);
            }
        }

        var layoutRandom = new SynthRandom(seed, heart ? SynthStream.HeartLayout : SynthStream.LungLayout);
        var layout = new WavChunkLayout(
            BextBeforeFmt: layoutRandom.Chance(0.7),
            ListBeforeData: layoutRandom.Chance(0.5),
            JunkSize: layoutRandom.Chance(0.4) ? (2 * layoutRandom.Next(4, 32)) + 1 : 0,
            JunkFirst: layoutRandom.Chance(0.5),
            Extensible: layoutRandom.Chance(style.Encoding == WavEncoding.Pcm16 ? 0.1 : 0.4));
        var (info, bext, planted) = Metadata(style, identity, bodySite.Trim(), heart, layoutRandom);
        var wav = WavFileWriter.Write(interleaved, style.Channels, style.SampleRate, style.Encoding, info, bext, layout);
        return new SynthesizedRecording(wav, planted);
    }

    private static (List<(string Id, string Text)> Info, BroadcastDescription Bext, List<PlantedPhi> Planted) Metadata(
        RecordingStyle style, RecordingIdentity identity, string site, bool heart, SynthRandom random)
    {
        var kind = heart ? "Heart" : "Lung";
        var date = identity.RecordedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var time = identity.RecordedAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var planted = new List<PlantedPhi>(8);
        void Plant(string type, string value, string where)
        {
            if (value.Length > 0)
            {
                planted.Add(new PlantedPhi(type, value, where));
            }
        }

        var comment = random.Chance(0.5)
            ? $"Patient ID {identity.PatientId}; recorded by {identity.Clinician}; {site}"
            : $"MRN: {identity.PatientId} | Clinician: {identity.Clinician} | Site: {site}";
        var info = new List<(string Id, string Text)>
        {
            ("INAM", identity.PatientName),
            ("ISBJ", $"{kind} sounds, {site}"),
            ("ICMT", comment),
            ("ICRD", date),
            ("ISFT", Software),
        };
        Plant("name", identity.PatientName, "LIST/INAM");
        Plant("mrn", identity.PatientId, "LIST/ICMT");
        Plant("clinician", identity.Clinician, "LIST/ICMT");
        Plant("date", date, "LIST/ICRD");

        var description = random.Chance(0.5)
            ? $"{kind} sounds of {identity.PatientName}, {site}"
            : $"Patient: {identity.PatientName}; {kind.ToLowerInvariant()} auscultation, {site}";
        var describedName = identity.PatientName;
        if (WavFileWriter.FitUtf8(description, WavFileWriter.BextDescriptionBytes).Length < description.Length)
        {
            description = WavFileWriter.FitUtf8(identity.PatientName, WavFileWriter.BextDescriptionBytes);
            describedName = description;
        }

        var originator = WavFileWriter.FitUtf8(identity.Institution, WavFileWriter.BextOriginatorBytes);
        Plant("name", describedName, "bext/Description");
        Plant("institution", originator, "bext/Originator");
        Plant("date", date, "bext/OriginationDate");
        Plant("date", time, "bext/OriginationTime");

        var bits = style.Encoding switch
        {
            WavEncoding.Pcm16 => 16,
            WavEncoding.Pcm24 => 24,
            _ => 32,
        };
        var history = string.Create(
            CultureInfo.InvariantCulture,
            $"A={(style.Encoding == WavEncoding.IeeeFloat32 ? "FLOAT" : "PCM")},F={style.SampleRate},W={bits},M={(style.Channels == 1 ? "mono" : "stereo")},T={Software}\r\n");
        return (info, new BroadcastDescription(description, originator, date, time, history), planted);
    }

    private static void CheckCommon(RecordingStyle style, RecordingIdentity identity, string bodySite)
    {
        ArgumentNullException.ThrowIfNull(style);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentException.ThrowIfNullOrWhiteSpace(bodySite);
        ArgumentNullException.ThrowIfNull(identity.PatientName, nameof(identity));
        ArgumentNullException.ThrowIfNull(identity.PatientId, nameof(identity));
        ArgumentNullException.ThrowIfNull(identity.Institution, nameof(identity));
        ArgumentNullException.ThrowIfNull(identity.Clinician, nameof(identity));
        if (style.SampleRate is < MinSampleRate or > MaxSampleRate)
        {
            throw new ArgumentOutOfRangeException(nameof(style), style.SampleRate, $"The sample rate must be {MinSampleRate}–{MaxSampleRate} Hz.");
        }

        if (style.Channels is < 1 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(style), style.Channels, "A stethoscope recording has 1 or 2 channels.");
        }

        if (!Enum.IsDefined(style.Encoding))
        {
            throw new ArgumentOutOfRangeException(nameof(style), style.Encoding, "Unknown WAV encoding.");
        }

        CheckRange(style.DurationSeconds, 0.01, MaxDurationSeconds, nameof(style), "duration (s)");
        CheckSeverity(style.NoiseLevel, nameof(style), "noise level");
    }

    private static void CheckSeverity(double value, string parameter, string what) => CheckRange(value, 0, 1, parameter, what);

    private static void CheckRange(double value, double minimum, double maximum, string parameter, string what)
    {
        if (!(value >= minimum && value <= maximum))
        {
            throw new ArgumentOutOfRangeException(parameter, value, string.Create(CultureInfo.InvariantCulture, $"The {what} must be {minimum}–{maximum}."));
        }
    }
}
