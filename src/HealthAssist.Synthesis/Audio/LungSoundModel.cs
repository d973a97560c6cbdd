using System.Buffers;

namespace HealthAssist.Synthesis.Audio;

/// <summary>One breath of a synthetic recording, in seconds from the start of the recording.</summary>
internal readonly record struct BreathCycle(double Start, double InspirationEnd, double End);

/// <summary>
/// Lung sound model:
/// <list type="bullet">
/// <item>breath sounds: noise band-limited to ≈100–1,000 Hz (vesicular spectrum), loud through inspiration (peaking at two
/// thirds of it) and soft and short in early expiration (20–40 % of the inspiratory level); I:E ≈ 1:1.2–1:1.8; breath
/// period varying 7 % from breath to breath. <see cref="LungSoundFindings.ReducedBreathSounds"/> lowers the level by up
/// to 85 % (an effusion or consolidation between the lung and the chest piece);</item>
/// <item>crackles (count scaled by <see cref="LungSoundFindings.Crackles"/>): explosive damped transients, fine (300–650 Hz,
/// τ 0.8–1.5 ms) or coarse (100–250 Hz, τ 2–4 ms) in a per-patient mix, mostly in the second half of inspiration, a few
/// coarse ones in early expiration;</item>
/// <item>wheezes (probability per breath and loudness scaled by <see cref="LungSoundFindings.Wheezes"/>): sinusoids of
/// 200–800 Hz lasting 40–85 % of the phase, gliding up to ±12 % in pitch, with a weak second harmonic; 85 % expiratory;
/// severe wheeze is often polyphonic (a second, inharmonic tone);</item>
/// <item>faint heart sounds in the background, as every chest recording has.</item>
/// </list>
/// The whole is high-passed at 70–100 Hz, as the stethoscope's diaphragm or lung mode does.
/// </summary>
internal static class LungSoundModel
{
    /// <summary>Breath-noise RMS at the peak of an unreduced inspiration, in recording units.</summary>
    private const double BreathRms = 0.25;

    public static IReadOnlyList<BreathCycle> PlanCycles(double respiratoryRate, double seconds, int seed)
    {
        var random = new SynthRandom(seed, SynthStream.BreathCycles);
        var period = 60 / respiratoryRate;
        var inspiratoryShare = random.Uniform(0.36, 0.45);
        var cycles = new List<BreathCycle>((int)(seconds / period) + 3);
        var t = -random.Uniform(0, period);
        while (t < seconds)
        {
            var length = period * Math.Clamp(1 + (0.07 * random.Gaussian()), 0.75, 1.3);
            var inspiration = length * inspiratoryShare * random.Uniform(0.92, 1.08);
            cycles.Add(new BreathCycle(t, t + inspiration, t + length));
            t += length;
        }

        return cycles;
    }

    public static void Render(Span<float> signal, int rate, LungSoundFindings findings, double noiseLevel, int seed)
    {
        var seconds = (double)signal.Length / rate;
        var cycles = PlanCycles(findings.RespiratoryRate, seconds, seed);

        AmbientNoise.Add(signal, rate, noiseLevel, AmbientProfile.Lung, new SynthRandom(seed, SynthStream.LungAmbient));
        AddBackgroundHeart(signal, rate, seconds, seed);
        AddBreathSounds(signal, rate, cycles, findings.ReducedBreathSounds, new SynthRandom(seed, SynthStream.BreathVoice));
        if (findings.Crackles > 0)
        {
            AddCrackles(signal, rate, cycles, findings.Crackles, new SynthRandom(seed, SynthStream.Crackles));
        }

        if (findings.Wheezes > 0)
        {
            AddWheezes(signal, rate, cycles, findings.Wheezes, new SynthRandom(seed, SynthStream.Wheezes));
        }

        // The diaphragm (or the device's lung mode) attenuates what lies below ≈80 Hz: heart sounds and body noise.
        Biquad.HighPass(rate, new SynthRandom(seed, SynthStream.LungDevice).Uniform(70, 100)).Process(signal);
    }

    private static void AddBreathSounds(Span<float> signal, int rate, IReadOnlyList<BreathCycle> cycles, double reduced, SynthRandom random)
    {
        var level = BreathRms * (1 - (0.85 * reduced)) * random.LogNormal(0.2);
        var expiratory = random.Uniform(0.2, 0.4);
        var low = random.Uniform(90, 130);
        var high = random.Uniform(600, 1_000);
        var scratch = ArrayPool<float>.Shared.Rent(signal.Length);
        try
        {
            var noise = scratch.AsSpan(0, signal.Length);
            noise.Clear();
            random.AddWhite(noise, AmbientNoise.WhiteRms(1.0, rate, 1.11 * (high - low)));
            Biquad.Cascade(noise, Biquad.HighPass(rate, low), Biquad.LowPass(rate, high));
            foreach (var cycle in cycles)
            {
                var loudness = level * random.Uniform(0.85, 1.15);
                AddShaped(signal, noise, rate, cycle.Start, cycle.InspirationEnd, loudness, inspiration: true);
                AddShaped(signal, noise, rate, cycle.InspirationEnd, cycle.End, loudness * expiratory, inspiration: false);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Adds <paramref name="noise"/> over [start, end) under a cubic envelope with peak 1: 27/4·x²(1 − x) for inspiration
    /// (peak at two thirds), 27/4·x(1 − x)² for expiration (peak at one third).
    /// </summary>
    private static void AddShaped(Span<float> signal, ReadOnlySpan<float> noise, int rate, double start, double end, double level, bool inspiration)
    {
        var first = Math.Max(0, (int)Math.Ceiling(start * rate));
        var last = Math.Min(signal.Length, (int)Math.Ceiling(end * rate));
        var length = (end - start) * rate;
        for (var i = first; i < last; i++)
        {
            var x = ((i - (start * rate)) / length);
            var shape = inspiration ? 6.75 * x * x * (1 - x) : 6.75 * x * (1 - x) * (1 - x);
            signal[i] += (float)(level * shape * noise[i]);
        }
    }

    private static void AddCrackles(Span<float> signal, int rate, IReadOnlyList<BreathCycle> cycles, double severity, SynthRandom random)
    {
        var perBreath = severity * random.Uniform(3, 10);
        var fineShare = random.NextDouble();
        var loudness = 0.8 * (0.5 + (0.5 * severity)) * random.LogNormal(0.4);
        foreach (var cycle in cycles)
        {
            var inspiration = cycle.InspirationEnd - cycle.Start;
            var count = random.Poisson(perBreath);
            for (var c = 0; c < count; c++)
            {
                // Late inspiratory: √u puts most of them in the second half.
                var at = cycle.Start + (inspiration * (0.35 + (0.65 * Math.Sqrt(random.NextDouble()))));
                AddCrackle(signal, rate, at, random.Chance(fineShare), loudness, random);
            }

            var expiratory = random.Poisson(perBreath * (1 - fineShare) * 0.25);
            for (var c = 0; c < expiratory; c++)
            {
                var at = cycle.InspirationEnd + ((cycle.End - cycle.InspirationEnd) * random.Uniform(0, 0.4));
                AddCrackle(signal, rate, at, fine: false, loudness, random);
            }
        }
    }

    private static void AddCrackle(Span<float> signal, int rate, double at, bool fine, double loudness, SynthRandom random)
    {
        var (frequency, tau, amplitude) = fine
            ? (random.Uniform(300, 650), random.Uniform(0.0008, 0.0015), loudness)
            : (random.Uniform(100, 250), random.Uniform(0.002, 0.004), loudness * 1.3);
        var polarity = random.Chance(0.5) ? 1.0 : -1.0;
        Waveforms.AddDampedTone(signal, rate, at, polarity * amplitude * random.Uniform(0.5, 1.5), frequency, tau, random.Uniform(-0.3, 0.3), smoothOnset: false);
    }

    private static void AddWheezes(Span<float> signal, int rate, IReadOnlyList<BreathCycle> cycles, double severity, SynthRandom random)
    {
        var pitch = random.Uniform(200, 800);
        var polyphonic = severity > 0.5 && random.Chance(severity - 0.3);
        var secondPitch = Math.Min(pitch * random.Uniform(1.2, 1.7), 950);
        var loudness = 0.05 * (0.4 + (0.6 * severity)) * random.LogNormal(0.6);
        var probability = 0.35 + (0.6 * severity);
        foreach (var cycle in cycles)
        {
            if (!random.Chance(probability))
            {
                continue;
            }

            var expiratory = random.Chance(0.85);
            var (from, to) = expiratory ? (cycle.InspirationEnd, cycle.End) : (cycle.Start, cycle.InspirationEnd);
            var phase = to - from;
            var length = Math.Max(0.15, phase * random.Uniform(0.4, 0.85));
            var start = from + ((phase - Math.Min(length, phase)) * random.Uniform(0.05, 0.5));
            AddWheeze(signal, rate, start, length, loudness * random.Uniform(0.7, 1.3), pitch * random.Uniform(0.92, 1.08), random);
            if (polyphonic)
            {
                AddWheeze(signal, rate, start + random.Uniform(0, 0.05), length * random.Uniform(0.6, 1.0), loudness * random.Uniform(0.4, 0.9), secondPitch * random.Uniform(0.95, 1.05), random);
            }
        }
    }

    private static void AddWheeze(Span<float> signal, int rate, double start, double length, double amplitude, double pitch, SynthRandom random)
    {
        var glide = random.Uniform(-0.12, 0.12);
        var first = (int)Math.Round(start * rate);
        var last = (int)Math.Round((start + length) * rate);
        Waveforms.AddGlide(signal, rate, first, last, amplitude, pitch * (1 + glide), pitch * (1 - glide), random.Uniform(0, 2 * Math.PI), (int)(0.04 * rate), 0.2);
    }

    /// <summary>S1 and S2 of the patient's heart, heard faintly through the lung.</summary>
    private static void AddBackgroundHeart(Span<float> signal, int rate, double seconds, int seed)
    {
        var random = new SynthRandom(seed, SynthStream.BackgroundHeart);
        var bpm = random.Uniform(60, 100);
        var level = random.Uniform(0.05, 0.2);
        var s1Frequency = random.Uniform(40, 65);
        var s2Frequency = random.Uniform(55, 95);
        foreach (var cycle in HeartSoundModel.PlanCycles(bpm, seconds, seed))
        {
            Waveforms.AddDampedTone(signal, rate, cycle.S1, level, s1Frequency, 0.012, random.Uniform(0, 2 * Math.PI), smoothOnset: true);
            Waveforms.AddDampedTone(signal, rate, cycle.S2, level * 0.6, s2Frequency, 0.009, random.Uniform(0, 2 * Math.PI), smoothOnset: true);
        }
    }
}
