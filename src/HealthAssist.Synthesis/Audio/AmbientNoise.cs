using System.Buffers;

namespace HealthAssist.Synthesis.Audio;

/// <summary>
/// Levels of the sounds that are not the patient's heart or lungs, in the units of the recording (heart: S1 peak ≈ 1;
/// lung: breath-noise RMS at peak inspiration ≈ 0.25). Each level is a floor plus a part that grows with the noise level.
/// </summary>
internal sealed record AmbientProfile(
    double BodyFloor,
    double BodyPerNoise,
    double RoomFloor,
    double RoomPerNoise,
    double HissFloor,
    double HissPerNoise,
    double HumPerNoise,
    double HandlingAmplitude,
    double ClickAmplitude,
    double VoiceAmplitude)
{
    public static AmbientProfile Heart { get; } = new(
        BodyFloor: 0.006, BodyPerNoise: 0.05, RoomFloor: 0.003, RoomPerNoise: 0.05, HissFloor: 0.0008, HissPerNoise: 0.01,
        HumPerNoise: 0.02, HandlingAmplitude: 0.6, ClickAmplitude: 0.15, VoiceAmplitude: 0.04);

    public static AmbientProfile Lung { get; } = new(
        BodyFloor: 0.004, BodyPerNoise: 0.04, RoomFloor: 0.003, RoomPerNoise: 0.05, HissFloor: 0.0008, HissPerNoise: 0.01,
        HumPerNoise: 0.015, HandlingAmplitude: 0.4, ClickAmplitude: 0.5, VoiceAmplitude: 0.04);
}

/// <summary>
/// Everything else a chest piece picks up: body noise (muscle, gut, the patient's movement; below ≈150 Hz), room noise
/// (ventilation, equipment; ≈60–1,500 Hz), electronic hiss (white), mains hum with odd harmonics on some devices,
/// handling noise (knocks on the chest piece, friction of skin, hair or clothing) and voices in the room. All but the
/// floors of body, room and hiss grow with the style's noise level.
/// </summary>
internal static class AmbientNoise
{
    public static void Add(Span<float> signal, int rate, double noiseLevel, AmbientProfile profile, SynthRandom random)
    {
        var seconds = (double)signal.Length / rate;
        // Body noise (low-pass white noise) and room noise (band-limited, its level varying a lot from room to room),
        // filtered side by side in one pass; then white electronic hiss, its level given for the band below 2 kHz so that
        // it is the same noise density at every rate.
        var bodyRms = profile.BodyFloor + (profile.BodyPerNoise * noiseLevel * random.Uniform(0.5, 1.5));
        var bodyCutoff = random.Uniform(80, 160);
        var roomRms = profile.RoomFloor + (profile.RoomPerNoise * noiseLevel * random.LogNormal(0.5));
        var roomCutoff = random.Uniform(500, 1_500);
        var bodyScratch = ArrayPool<float>.Shared.Rent(signal.Length);
        var roomScratch = ArrayPool<float>.Shared.Rent(signal.Length);
        try
        {
            var bodyWhite = bodyScratch.AsSpan(0, signal.Length);
            var roomWhite = roomScratch.AsSpan(0, signal.Length);
            bodyWhite.Clear();
            roomWhite.Clear();
            random.AddWhite(bodyWhite, WhiteRms(bodyRms, rate, 1.11 * bodyCutoff));
            random.AddWhite(roomWhite, WhiteRms(roomRms, rate, (1.11 * roomCutoff) - 60));
            Biquad.AddParallel(signal, bodyWhite, Biquad.LowPass(rate, bodyCutoff), roomWhite, Biquad.HighPass(rate, 60), Biquad.LowPass(rate, roomCutoff));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(bodyScratch);
            ArrayPool<float>.Shared.Return(roomScratch);
        }

        random.AddWhite(signal, WhiteRms(profile.HissFloor + (profile.HissPerNoise * noiseLevel), rate, 2_000));

        // Mains hum (50 or 60 Hz with odd harmonics) on a quarter of the devices, more often in noisy settings.
        if (random.Chance(0.2 + (0.3 * noiseLevel)))
        {
            var mains = random.Chance(0.5) ? 50.0 : 60.0;
            var hum = (0.002 + (profile.HumPerNoise * noiseLevel)) * random.LogNormal(0.5);
            Waveforms.AddSinusoid(signal, rate, hum, mains, random.Uniform(0, 2 * Math.PI));
            Waveforms.AddSinusoid(signal, rate, hum * random.Uniform(0.3, 0.8), 3 * mains, random.Uniform(0, 2 * Math.PI));
            Waveforms.AddSinusoid(signal, rate, hum * random.Uniform(0.1, 0.4), 5 * mains, random.Uniform(0, 2 * Math.PI));
        }

        // Handling: knocks (an explosive low-frequency transient) and rubs (a short burst of friction noise).
        var events = random.Poisson(seconds * (0.02 + (0.5 * noiseLevel * noiseLevel)));
        for (var e = 0; e < events; e++)
        {
            var at = random.Uniform(0, seconds);
            var strength = profile.HandlingAmplitude * (0.3 + noiseLevel) * random.Uniform(0.3, 1.0);
            if (random.Chance(0.4))
            {
                Waveforms.AddDampedTone(signal, rate, at, strength, random.Uniform(8, 30), random.Uniform(0.015, 0.04), random.Uniform(0, 2 * Math.PI), smoothOnset: false);
            }
            else
            {
                AddNoiseBurst(signal, rate, at, random.Uniform(0.05, 0.25), 0.25 * strength, 100, random.Uniform(600, 2_000), random);
            }
        }

        // Contact clicks: the diaphragm, skin and hair crackling under a chest piece that moves a little ("pseudo-crackles").
        var clicks = random.Poisson(seconds * (0.03 + (0.6 * noiseLevel)));
        for (var c = 0; c < clicks; c++)
        {
            var strength = profile.ClickAmplitude * (0.5 + noiseLevel) * random.Uniform(0.2, 1.0) * (random.Chance(0.5) ? 1 : -1);
            Waveforms.AddDampedTone(signal, rate, random.Uniform(0, seconds), strength, random.Uniform(300, 1_200), random.Uniform(0.0003, 0.001), random.Uniform(-0.3, 0.3), smoothOnset: false);
        }

        // Voices in the room: a few utterances of syllable-modulated, speech-band noise.
        if (random.Chance(0.1 + (0.5 * noiseLevel)))
        {
            var utterances = random.Next(1, 4);
            for (var u = 0; u < utterances; u++)
            {
                var length = random.Uniform(0.6, 2.5);
                var at = random.Uniform(-0.5, seconds);
                var level = profile.VoiceAmplitude * (0.3 + noiseLevel) * random.LogNormal(0.4);
                AddVoice(signal, rate, at, length, level, random);
            }
        }
    }

    /// <summary>Adds band-pass noise with a Hann envelope of peak RMS <paramref name="rms"/>.</summary>
    public static void AddNoiseBurst(Span<float> signal, int rate, double start, double length, double rms, double low, double high, SynthRandom random)
    {
        var first = (int)Math.Round(start * rate);
        var count = (int)Math.Round(length * rate);
        var preroll = rate / 50;
        var buffer = ArrayPool<float>.Shared.Rent(count + preroll);
        try
        {
            var burst = buffer.AsSpan(0, count + preroll);
            burst.Clear();
            random.AddWhite(burst, WhiteRms(rms, rate, high - low));
            Biquad.ButterworthBand(burst, rate, low, high);
            var hann = 0.0;
            for (var k = 0; k < count; k++)
            {
                if ((k & 15) == 0)
                {
                    hann = 0.5 - (0.5 * Math.Cos(2 * Math.PI * (k + 8) / count)); // held over 16 samples
                }

                var i = first + k;
                if ((uint)i < (uint)signal.Length)
                {
                    signal[i] += (float)(hann * burst[preroll + k]);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private static void AddVoice(Span<float> signal, int rate, double start, double length, double rms, SynthRandom random)
    {
        var first = (int)Math.Round(start * rate);
        var count = (int)Math.Round(length * rate);
        var preroll = rate / 50;
        var buffer = ArrayPool<float>.Shared.Rent(count + preroll);
        try
        {
            var voice = buffer.AsSpan(0, count + preroll);
            voice.Clear();
            var low = random.Uniform(120, 200);
            var high = random.Uniform(700, 1_100);
            random.AddWhite(voice, WhiteRms(rms, rate, high - low));
            Biquad.ButterworthBand(voice, rate, low, high);
            var syllableHz = random.Uniform(3.5, 5.5);
            var phase = random.Uniform(0, 2 * Math.PI);
            var envelope = 0.0;
            for (var k = 0; k < count; k++)
            {
                if ((k & 15) == 0)
                {
                    // Utterance outline times syllable modulation, held over 16 samples (≤ 1 ms).
                    var t = (double)(k + 8) / count;
                    var outline = Math.Min(1, Math.Min(t, 1 - t) * 8);
                    var syllable = 0.5 + (0.5 * Math.Sin((2 * Math.PI * syllableHz * (k + 8) / rate) + phase));
                    envelope = outline * syllable * syllable;
                }

                var i = first + k;
                if ((uint)i < (uint)signal.Length)
                {
                    signal[i] += (float)(envelope * voice[preroll + k]);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The RMS of white noise at <paramref name="rate"/> that leaves <paramref name="rms"/> in a band of
    /// <paramref name="bandwidth"/> Hz (its equivalent noise bandwidth): levels then do not depend on the sampling rate.
    /// </summary>
    public static double WhiteRms(double rms, int rate, double bandwidth) => rms * Math.Sqrt(0.5 * rate / Math.Min(bandwidth, 0.5 * rate));

    private static void Accumulate(Span<float> target, ReadOnlySpan<float> source)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += source[i];
        }
    }
}
