namespace HealthAssist.Synthesis.Imaging;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a small, fast generator whose sequence is fixed by this code alone (not by a
/// runtime's <see cref="Random"/> implementation). Only integer arithmetic and one multiply per float, so the same seed
/// gives the same numbers on every machine.
/// </summary>
internal sealed class RadiographRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public RadiographRandom(long seed)
    {
        var x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>A child generator for one purpose, so adding draws in one place does not shift the others.</summary>
    public RadiographRandom Fork(int stream) => new(unchecked((long)(NextUInt64() ^ ((ulong)stream * 0x9E3779B97F4A7C15UL))));

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

    /// <summary>
    /// Approximately standard normal: the Irwin–Hall sum of four uniforms, rescaled to unit variance (tails cut at ±3.46).
    /// No logarithm or cosine, so results do not depend on a platform's maths library.
    /// </summary>
    public double NextGaussian()
    {
        var sum = NextDouble() + NextDouble() + NextDouble() + NextDouble();
        return (sum - 2.0) * 1.7320508075688772; // sqrt(12 / 4)
    }

    public double Gaussian(double mean, double sd) => mean + (sd * NextGaussian());

    public bool Chance(double probability) => NextDouble() < probability;

    public int Next(int exclusiveMax) => (int)((NextUInt64() >> 33) % (ulong)exclusiveMax);

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
