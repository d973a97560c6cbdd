using System.Buffers;

namespace HealthAssist.Synthesis.Audio;

/// <summary>One cardiac cycle of a synthetic recording, in seconds from the start of the recording.</summary>
/// <param name="S1">Onset of S1 (mitral closure): the start of systole.</param>
/// <param name="S2">Onset of S2 (aortic closure): the end of systole.</param>
/// <param name="Next">Onset of the next S1: the end of diastole.</param>
internal readonly record struct HeartCycle(double S1, double S2, double Next);

/// <summary>
/// Phonocardiogram model. Each cycle has:
/// <list type="bullet">
/// <item>S1: mitral (M1) then tricuspid (T1) closure 20–40 ms apart, damped 40–90 Hz tones with a smooth gamma envelope
/// (τ 14–22 ms, ≈100 ms audible);</item>
/// <item>S2: aortic (A2), with a pulmonary (P2) component 16–52 ms later in half of the recordings (physiological split,
/// varying with respiration); 55–95 Hz, shorter and softer than S1, and softer still as aortic stenosis worsens;</item>
/// <item>S3 (scaled by <see cref="HeartSoundFindings.S3Gallop"/>): a 25–45 Hz thud 120–180 ms after S2, in early rapid filling;</item>
/// <item>the ejection murmur of aortic stenosis (scaled by <see cref="HeartSoundFindings.SystolicMurmur"/>): band-limited
/// noise ≈100–400 Hz from just after S1 to just before S2 with a crescendo–decrescendo (diamond) envelope whose peak moves
/// later in systole as the stenosis worsens;</item>
/// <item>in about a third of the recordings, whatever the findings, a soft innocent or sclerotic murmur: lower pitched
/// (≈70–300 Hz), early-peaking and ending in mid-systole — so that "a systolic murmur" alone does not mean stenosis.</item>
/// </list>
/// Beat-to-beat variability: respiratory sinus arrhythmia (0.5–2.5 % of the RR interval at 0.18–0.33 Hz, as in older
/// adults) plus 0.8 % random jitter; systole follows Weissler's rate dependence (≈0.42 − 0.0014·HR s). Body habitus
/// attenuates all cardiac sounds alike (log-normal), the auscultation area weights each (<see cref="AuscultationSite"/>),
/// and murmur loudness varies between patients with the same severity (log-normal, σ 0.6), as murmur grade does.
/// Background (<see cref="AmbientNoise"/>) is added before the heart sounds.
/// </summary>
internal static class HeartSoundModel
{
    /// <summary>The beats of a recording: a function of the heart rate, the duration and the seed only.</summary>
    public static IReadOnlyList<HeartCycle> PlanCycles(double heartRateBpm, double seconds, int seed)
    {
        var random = new SynthRandom(seed, SynthStream.HeartCycles);
        var rr = 60 / heartRateBpm;
        var arrhythmia = random.Uniform(0.005, 0.025);
        var breathingHz = random.Uniform(0.18, 0.33);
        var breathingPhase = random.Uniform(0, 2 * Math.PI);
        var systole = Math.Clamp(0.42 - (0.0014 * heartRateBpm), 0.18, 0.45);
        var cycles = new List<HeartCycle>((int)(seconds / rr) + 3);
        var t = -random.Uniform(0, rr);
        while (t < seconds)
        {
            var variation = (arrhythmia * Math.Sin((2 * Math.PI * breathingHz * t) + breathingPhase)) + (0.008 * random.Gaussian());
            var length = rr * Math.Clamp(1 + variation, 0.85, 1.15);
            var s2 = t + Math.Min(systole * (1 + (0.02 * random.Gaussian())), 0.55 * length);
            cycles.Add(new HeartCycle(t, s2, t + length));
            t += length;
        }

        return cycles;
    }

    public static void Render(Span<float> signal, int rate, HeartSoundFindings findings, double noiseLevel, string bodySite, int seed)
    {
        var seconds = (double)signal.Length / rate;
        var cycles = PlanCycles(findings.HeartRateBpm, seconds, seed);
        var area = AuscultationSite.Classify(bodySite);

        AmbientNoise.Add(signal, rate, noiseLevel, AmbientProfile.Heart, new SynthRandom(seed, SynthStream.HeartAmbient));

        var voice = new SynthRandom(seed, SynthStream.HeartVoice);
        var habitus = voice.LogNormal(0.35);
        var s1Frequency = voice.Uniform(40, 65);
        var s1Tau = voice.Uniform(0.014, 0.022);
        var t1Delay = voice.Uniform(0.02, 0.04);
        var t1Frequency = s1Frequency * voice.Uniform(1.1, 1.4);
        var t1Amplitude = voice.Uniform(0.35, 0.6);
        var s2Frequency = voice.Uniform(55, 95);
        var s2Tau = voice.Uniform(0.010, 0.016);
        var s2Amplitude = voice.Uniform(0.45, 0.7) * AuscultationSite.S2Gain(area) * (1 - (0.5 * findings.SystolicMurmur)); // A2 softens in severe stenosis
        var split = voice.Chance(0.5) ? voice.Uniform(0.02, 0.04) : 0.0;
        var p2Amplitude = s2Amplitude * voice.Uniform(0.4, 0.7);
        foreach (var cycle in cycles)
        {
            var beat = habitus * voice.Uniform(0.9, 1.1);
            Waveforms.AddDampedTone(signal, rate, cycle.S1, beat, s1Frequency, s1Tau, voice.Uniform(0, 2 * Math.PI), smoothOnset: true);
            Waveforms.AddDampedTone(signal, rate, cycle.S1 + t1Delay, beat * t1Amplitude, t1Frequency, s1Tau * 0.8, voice.Uniform(0, 2 * Math.PI), smoothOnset: true);
            Waveforms.AddDampedTone(signal, rate, cycle.S2, beat * s2Amplitude, s2Frequency, s2Tau, voice.Uniform(0, 2 * Math.PI), smoothOnset: true);
            if (split > 0)
            {
                var widening = split * voice.Uniform(0.8, 1.3);
                Waveforms.AddDampedTone(signal, rate, cycle.S2 + widening, beat * p2Amplitude, s2Frequency * 0.9, s2Tau, voice.Uniform(0, 2 * Math.PI), smoothOnset: true);
            }
        }

        if (findings.S3Gallop > 0)
        {
            AddGallop(signal, rate, cycles, findings.S3Gallop * AuscultationSite.GallopGain(area) * habitus, new SynthRandom(seed, SynthStream.Gallop));
        }

        if (findings.SystolicMurmur > 0)
        {
            var murmur = new SynthRandom(seed, SynthStream.Murmur);
            var shape = new MurmurShape(
                Rms: 0.05 * findings.SystolicMurmur * AuscultationSite.MurmurGain(area) * habitus * murmur.LogNormal(0.6),
                Low: murmur.Uniform(90, 130),
                High: murmur.Uniform(350, 450),
                PeakAt: 0.3 + (0.3 * findings.SystolicMurmur), // late-peaking murmurs mean severe stenosis
                EndAt: 1.0);
            AddMurmur(signal, rate, cycles, shape, murmur);
        }

        // An innocent flow murmur or the murmur of aortic sclerosis (common in older adults, without stenosis): soft,
        // lower-pitched, early-peaking and over before the end of systole. Present regardless of the findings, so that a
        // systolic murmur alone does not mean aortic stenosis.
        var innocent = new SynthRandom(seed, SynthStream.InnocentMurmur);
        if (innocent.Chance(0.35))
        {
            var shape = new MurmurShape(
                Rms: innocent.Uniform(0.006, 0.03) * AuscultationSite.MurmurGain(area) * habitus,
                Low: innocent.Uniform(70, 100),
                High: innocent.Uniform(200, 300),
                PeakAt: innocent.Uniform(0.15, 0.3),
                EndAt: innocent.Uniform(0.55, 0.8));
            AddMurmur(signal, rate, cycles, shape, innocent);
        }
    }

    /// <summary>A systolic ejection murmur: RMS at the peak, pass band, and peak and end as fractions of the S1→S2 window.</summary>
    private sealed record MurmurShape(double Rms, double Low, double High, double PeakAt, double EndAt);

    private static void AddGallop(Span<float> signal, int rate, IReadOnlyList<HeartCycle> cycles, double severity, SynthRandom random)
    {
        var delay = random.Uniform(0.12, 0.18);
        var frequency = random.Uniform(25, 45);
        var tau = random.Uniform(0.014, 0.02);
        var amplitude = 0.45 * severity * random.LogNormal(0.3);
        foreach (var cycle in cycles)
        {
            var at = cycle.S2 + Math.Min(delay + random.Uniform(-0.01, 0.01), 0.6 * (cycle.Next - cycle.S2));
            Waveforms.AddDampedTone(signal, rate, at, amplitude * random.Uniform(0.8, 1.2), frequency, tau, random.Uniform(0, 2 * Math.PI), smoothOnset: true);
        }
    }

    private static void AddMurmur(Span<float> signal, int rate, IReadOnlyList<HeartCycle> cycles, MurmurShape shape, SynthRandom random)
    {
        var preroll = rate / 50;
        var scratch = ArrayPool<float>.Shared.Rent((rate / 2) + preroll);
        try
        {
            foreach (var cycle in cycles)
            {
                var start = cycle.S1 + random.Uniform(0.04, 0.06);
                var end = start + ((cycle.S2 - random.Uniform(0.02, 0.035) - start) * shape.EndAt);
                var first = (int)Math.Ceiling(start * rate);
                var count = Math.Min((int)((end - start) * rate), rate / 2);
                if (count < 8)
                {
                    continue;
                }

                // White noise scaled so that the band-pass output has about the wanted RMS at the envelope peak.
                var noise = scratch.AsSpan(0, count + preroll);
                noise.Clear();
                random.AddWhite(noise, AmbientNoise.WhiteRms(shape.Rms, rate, shape.High - shape.Low));
                Biquad.ButterworthBand(noise, rate, shape.Low, shape.High);
                var peak = Math.Max(1, (int)(shape.PeakAt * count));
                for (var k = 0; k < count; k++)
                {
                    var i = first + k;
                    if ((uint)i < (uint)signal.Length)
                    {
                        var diamond = k < peak ? (double)k / peak : (double)(count - k) / (count - peak);
                        signal[i] += (float)(diamond * noise[preroll + k]);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }
}
