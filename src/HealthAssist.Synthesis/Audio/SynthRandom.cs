namespace HealthAssist.Synthesis.Audio;

/// <summary>
/// A small, fast, portable pseudo-random generator (xoshiro256**, seeded through SplitMix64) whose sequence depends only
/// on the seed and the stream number, never on the runtime version or the machine: <see cref="Random"/>'s algorithm is an
/// implementation detail, and the cohort must be byte-identical for a given seed.
/// </summary>
/// <remarks>
/// Each part of a recording draws from its own stream (<see cref="SynthStream"/>), so changing one finding changes only
/// that part of the sound: the same seed with and without a murmur gives the same beats, noise and gain.
/// </remarks>
internal sealed class SynthRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double? _spareGaussian;

    public SynthRandom(int seed, SynthStream stream)
    {
        var x = ((ulong)(uint)seed << 32) ^ ((ulong)stream * 0x9E3779B97F4A7C15UL) ^ 0xD1B54A32D192ED03UL;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    public double Uniform(double low, double high) => low + ((high - low) * NextDouble());

    /// <summary>Uniform integer in [low, high).</summary>
    public int Next(int low, int high) => low + (int)((NextUInt64() >> 33) % (ulong)(high - low));

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Standard normal (Box–Muller, the second value of each pair kept for the next call).</summary>
    public double Gaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }

        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2 * Math.Log(u1));
        _spareGaussian = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Log-normal factor with median 1: exp(σ·N(0,1)).</summary>
    public double LogNormal(double sigma) => Math.Exp(sigma * Gaussian());

    /// <summary>Poisson count (Knuth's product method; the means used here are small).</summary>
    public int Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 60)
        {
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * Gaussian())));
        }

        var limit = Math.Exp(-mean);
        var product = NextDouble();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= NextDouble();
        }

        return count;
    }

    /// <summary>
    /// Adds uniform white noise of RMS <paramref name="rms"/> to <paramref name="target"/> (uniform rather than Gaussian
    /// for speed: every use is filtered afterwards, which makes it Gaussian-like anyway).
    /// </summary>
    public void AddWhite(Span<float> target, double rms)
    {
        // A uniform variable on [-a, a) has RMS a/√3; 24 random bits per sample.
        var scale = (float)(rms * Math.Sqrt(3) / (1 << 23));
        ulong s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        for (var i = 0; i < target.Length; i++)
        {
            var result = RotateLeft(s1 * 5, 7) * 9;
            var t = s1 << 17;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= t;
            s3 = RotateLeft(s3, 45);
            target[i] += ((int)(result >> 40) - (1 << 23)) * scale;
        }

        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    private static ulong RotateLeft(ulong value, int bits) => (value << bits) | (value >> (64 - bits));

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The independent random streams of one recording.</summary>
internal enum SynthStream : ulong
{
    HeartCycles = 1,
    HeartVoice = 2,
    Murmur = 3,
    Gallop = 4,
    HeartAmbient = 5,
    HeartGain = 6,
    HeartLayout = 7,
    BreathCycles = 11,
    BreathVoice = 12,
    Crackles = 13,
    Wheezes = 14,
    LungAmbient = 15,
    BackgroundHeart = 16,
    LungGain = 17,
    LungLayout = 18,
    InnocentMurmur = 19,
    LungDevice = 20,
}
