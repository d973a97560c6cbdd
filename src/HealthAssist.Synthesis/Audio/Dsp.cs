using System.Runtime.Intrinsics;

namespace HealthAssist.Synthesis.Audio;

/// <summary>
/// A second-order IIR section (transposed direct form II, double-precision state) with the coefficient formulas of
/// R. Bristow-Johnson's "Audio EQ Cookbook".
/// </summary>
internal struct Biquad
{
    /// <summary>Q of the two sections of a 4th-order Butterworth filter.</summary>
    public const double ButterworthQ1 = 0.541196100146197;
    public const double ButterworthQ2 = 1.306562964876377;
    public const double ButterworthQ = 0.7071067811865476;

    private readonly double _b0;
    private readonly double _b1;
    private readonly double _b2;
    private readonly double _a1;
    private readonly double _a2;
    private double _z1;
    private double _z2;

    private Biquad(double b0, double b1, double b2, double a0, double a1, double a2)
    {
        _b0 = b0 / a0;
        _b1 = b1 / a0;
        _b2 = b2 / a0;
        _a1 = a1 / a0;
        _a2 = a2 / a0;
    }

    public static Biquad LowPass(double rate, double frequency, double q = ButterworthQ)
    {
        var (cos, alpha) = Prewarp(rate, frequency, q);
        return new Biquad((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    public static Biquad HighPass(double rate, double frequency, double q = ButterworthQ)
    {
        var (cos, alpha) = Prewarp(rate, frequency, q);
        return new Biquad((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /// <summary>Band-pass with 0 dB peak gain at <paramref name="frequency"/>.</summary>
    public static Biquad BandPass(double rate, double frequency, double q)
    {
        var (cos, alpha) = Prewarp(rate, frequency, q);
        return new Biquad(alpha, 0, -alpha, 1 + alpha, -2 * cos, 1 - alpha);
    }

    public void Process(Span<float> signal)
    {
        double b0 = _b0, b1 = _b1, b2 = _b2, a1 = _a1, a2 = _a2, z1 = _z1, z2 = _z2;
        for (var i = 0; i < signal.Length; i++)
        {
            double x = signal[i];
            var y = (b0 * x) + z1;
            z1 = (b1 * x) - (a1 * y) + z2;
            z2 = (b2 * x) - (a2 * y);
            signal[i] = (float)y;
        }

        (_z1, _z2) = (z1, z2);
    }

    /// <summary>
    /// target[i] += a(first[i]) + c(b(second[i])): three filters in one pass, their recursions independent so that they
    /// overlap in the pipeline (a filter's recursion, not arithmetic, bounds its speed). State lives in locals: a struct
    /// with this many fields would stay in memory.
    /// </summary>
    public static void AddParallel(Span<float> target, ReadOnlySpan<float> first, Biquad a, ReadOnlySpan<float> second, Biquad b, Biquad c)
    {
        double ab0 = a._b0, ab1 = a._b1, ab2 = a._b2, aa1 = a._a1, aa2 = a._a2, az1 = 0, az2 = 0;
        double bb0 = b._b0, bb1 = b._b1, bb2 = b._b2, ba1 = b._a1, ba2 = b._a2, bz1 = 0, bz2 = 0;
        double cb0 = c._b0, cb1 = c._b1, cb2 = c._b2, ca1 = c._a1, ca2 = c._a2, cz1 = 0, cz2 = 0;
        for (var i = 0; i < target.Length; i++)
        {
            double x = first[i];
            var ya = (ab0 * x) + az1;
            az1 = (ab1 * x) - (aa1 * ya) + az2;
            az2 = (ab2 * x) - (aa2 * ya);

            x = second[i];
            var yb = (bb0 * x) + bz1;
            bz1 = (bb1 * x) - (ba1 * yb) + bz2;
            bz2 = (bb2 * x) - (ba2 * yb);

            var yc = (cb0 * yb) + cz1;
            cz1 = (cb1 * yb) - (ca1 * yc) + cz2;
            cz2 = (cb2 * yb) - (ca2 * yc);

            target[i] += (float)(ya + yc);
        }
    }

    /// <summary>signal = b(a(signal)) in one pass, from rest.</summary>
    public static void Cascade(Span<float> signal, Biquad a, Biquad b)
    {
        double ab0 = a._b0, ab1 = a._b1, ab2 = a._b2, aa1 = a._a1, aa2 = a._a2, az1 = 0, az2 = 0;
        double bb0 = b._b0, bb1 = b._b1, bb2 = b._b2, ba1 = b._a1, ba2 = b._a2, bz1 = 0, bz2 = 0;
        for (var i = 0; i < signal.Length; i++)
        {
            double x = signal[i];
            var ya = (ab0 * x) + az1;
            az1 = (ab1 * x) - (aa1 * ya) + az2;
            az2 = (ab2 * x) - (aa2 * ya);
            var yb = (bb0 * ya) + bz1;
            bz1 = (bb1 * ya) - (ba1 * yb) + bz2;
            bz2 = (bb2 * ya) - (ba2 * yb);
            signal[i] = (float)yb;
        }
    }

    /// <summary>Applies a 4th-order Butterworth band-pass (high-pass then low-pass, each of two sections) in place.</summary>
    public static void ButterworthBand(Span<float> signal, double rate, double low, double high)
    {
        Cascade(signal, HighPass(rate, low, ButterworthQ1), HighPass(rate, low, ButterworthQ2));
        Cascade(signal, LowPass(rate, Math.Min(high, 0.45 * rate), ButterworthQ1), LowPass(rate, Math.Min(high, 0.45 * rate), ButterworthQ2));
    }

    private static (double Cos, double Alpha) Prewarp(double rate, double frequency, double q)
    {
        var w = 2 * Math.PI * Math.Min(frequency, 0.49 * rate) / rate;
        return (Math.Cos(w), Math.Sin(w) / (2 * q));
    }
}

/// <summary>Short deterministic waveforms added into a signal at a given time.</summary>
internal static class Waveforms
{
    /// <summary>
    /// Adds a damped sinusoid amp·g(t)·sin(2πft + φ) starting at <paramref name="start"/> seconds. With
    /// <paramref name="smoothOnset"/> the envelope is the gamma shape g(t) = (t/τ)² e^{2(1 − t/τ)}, which rises to 1 at
    /// t = τ (a heart sound); otherwise g(t) = e^{−t/τ}, an explosive onset (a crackle, a knock on the chest piece).
    /// Computed with a complex recurrence, so no transcendental function is called per sample.
    /// </summary>
    public static void AddDampedTone(Span<float> signal, int rate, double start, double amplitude, double frequency, double tau, double phase, bool smoothOnset)
    {
        var length = 8 * tau; // the gamma envelope is down 86 dB by then, the exponential 69 dB
        var first = Math.Max(0, (int)Math.Ceiling(start * rate));
        var last = Math.Min(signal.Length, (int)Math.Ceiling((start + length) * rate));
        if (first >= last)
        {
            return;
        }

        var decayRate = smoothOnset ? 2 / tau : 1 / tau;
        var t0 = ((double)first / rate) - start;
        var magnitude = Math.Exp(-decayRate * t0);
        var angle = (2 * Math.PI * frequency * t0) + phase;
        var re = magnitude * Math.Cos(angle);
        var im = magnitude * Math.Sin(angle);
        var decay = Math.Exp(-decayRate / rate);
        var stepRe = decay * Math.Cos(2 * Math.PI * frequency / rate);
        var stepIm = decay * Math.Sin(2 * Math.PI * frequency / rate);
        var scale = smoothOnset ? amplitude * Math.E * Math.E : amplitude;
        var dt = 1.0 / (rate * tau);
        var u = t0 / tau;
        for (var i = first; i < last; i++)
        {
            var envelope = smoothOnset ? u * u : 1.0;
            signal[i] += (float)(scale * envelope * im);
            var nextRe = (re * stepRe) - (im * stepIm);
            im = (re * stepIm) + (im * stepRe);
            re = nextRe;
            u += dt;
        }
    }
    /// <summary>
    /// Adds a sinusoid whose frequency moves linearly from <paramref name="startFrequency"/> to
    /// <paramref name="endFrequency"/> over [<paramref name="first"/>, <paramref name="last"/>), with linear fade-in and
    /// fade-out of <paramref name="fade"/> samples, and its second harmonic at <paramref name="harmonic"/> of the amplitude.
    /// A complex oscillator is rotated per sample; its step is recomputed (and its magnitude renormalised) every 32
    /// samples, so the glide is piecewise constant in frequency but continuous in phase.
    /// </summary>
    public static void AddGlide(
        Span<float> signal, int rate, int first, int last, double amplitude, double startFrequency, double endFrequency, double phase, int fade, double harmonic)
    {
        first = Math.Max(0, first);
        last = Math.Min(signal.Length, last);
        var count = last - first;
        if (count <= 0)
        {
            return;
        }

        fade = Math.Max(1, Math.Min(fade, count / 2));
        var perFade = 1.0 / fade;
        var re = Math.Cos(phase);
        var im = Math.Sin(phase);
        for (var block = 0; block < count; block += 32)
        {
            var frequency = startFrequency + ((endFrequency - startFrequency) * block / count);
            var w = 2 * Math.PI * frequency / rate;
            var stepRe = Math.Cos(w);
            var stepIm = Math.Sin(w);
            var magnitude = Math.Sqrt((re * re) + (im * im));
            re /= magnitude;
            im /= magnitude;
            var end = Math.Min(count, block + 32);
            for (var k = block; k < end; k++)
            {
                var ramp = Math.Min(1.0, Math.Min(k + 1, count - k) * perFade);
                var second = 2 * re * im; // sin(2θ)
                signal[first + k] += (float)(amplitude * ramp * (im + (harmonic * second)));
                var nextRe = (re * stepRe) - (im * stepIm);
                im = (re * stepIm) + (im * stepRe);
                re = nextRe;
            }
        }
    }

    /// <summary>
    /// Adds a steady sinusoid amp·sin(2πf·n/rate + φ) over the whole signal (mains hum). Four interleaved second-order
    /// recurrences y[n] = 2cos(4ω)·y[n−4] − y[n−8], so that no sine is evaluated per sample and the four chains overlap.
    /// </summary>
    public static void AddSinusoid(Span<float> signal, int rate, double amplitude, double frequency, double phase)
    {
        var w = 2 * Math.PI * frequency / rate;
        var head = Math.Min(8, signal.Length);
        for (var n = 0; n < head; n++)
        {
            signal[n] += (float)(amplitude * Math.Sin((w * n) + phase));
        }

        if (signal.Length <= 8)
        {
            return;
        }

        var k = 2 * Math.Cos(4 * w);
        double a0 = amplitude * Math.Sin(phase), a1 = amplitude * Math.Sin(w + phase), a2 = amplitude * Math.Sin((2 * w) + phase), a3 = amplitude * Math.Sin((3 * w) + phase);
        double b0 = amplitude * Math.Sin((4 * w) + phase), b1 = amplitude * Math.Sin((5 * w) + phase), b2 = amplitude * Math.Sin((6 * w) + phase), b3 = amplitude * Math.Sin((7 * w) + phase);
        var i = 8;
        for (; i + 3 < signal.Length; i += 4)
        {
            var c0 = (k * b0) - a0;
            var c1 = (k * b1) - a1;
            var c2 = (k * b2) - a2;
            var c3 = (k * b3) - a3;
            signal[i] += (float)c0;
            signal[i + 1] += (float)c1;
            signal[i + 2] += (float)c2;
            signal[i + 3] += (float)c3;
            (a0, a1, a2, a3, b0, b1, b2, b3) = (b0, b1, b2, b3, c0, c1, c2, c3);
        }

        for (; i < signal.Length; i++)
        {
            signal[i] += (float)(amplitude * Math.Sin((w * i) + phase));
        }
    }
}

/// <summary>
/// Integer-factor decimation with a linear-phase Kaiser-windowed sinc low-pass (≈70 dB stop band), centred so that it
/// adds no delay: output sample m is the filtered input around sample m·factor.
/// </summary>
internal static class Decimator
{
    private const double KaiserBeta = 7.0;

    /// <summary>Stop-band attenuation of a Kaiser window with β = 7, in dB (β = 0.1102·(A − 8.7)).</summary>
    private const double AttenuationDb = (KaiserBeta / 0.1102) + 8.7;

    public static float[] Decimate(ReadOnlySpan<float> input, int factor, int outputLength)
    {
        var output = new float[outputLength];
        if (factor == 1)
        {
            input[..Math.Min(outputLength, input.Length)].CopyTo(output);
            return output;
        }

        var design = Design(factor);
        var taps = new float[design.Length];
        for (var j = 0; j < taps.Length; j++)
        {
            taps[j] = (float)design[j];
        }

        var half = taps.Length / 2;
        for (var m = 0; m < outputLength; m++)
        {
            var centre = m * factor;
            var offset = centre - half;
            var from = Math.Max(0, -offset);
            var to = Math.Min(taps.Length, input.Length - offset);
            output[m] = from == 0 && to == taps.Length
                ? Dot(taps, input.Slice(offset, taps.Length))
                : Dot(taps.AsSpan(from, to - from), input.Slice(offset + from, to - from));
        }

        return output;
    }

    /// <summary>
    /// Σ a[j]·b[j] with two 4-lane partial sums added in a fixed order: the same bits on every machine (Vector128 has the
    /// same width everywhere and no fused multiply-add is used).
    /// </summary>
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var s0 = Vector128<float>.Zero;
        var s1 = Vector128<float>.Zero;
        var j = 0;
        for (; j + 8 <= a.Length; j += 8)
        {
            s0 += Vector128.Create(a.Slice(j, 4)) * Vector128.Create(b.Slice(j, 4));
            s1 += Vector128.Create(a.Slice(j + 4, 4)) * Vector128.Create(b.Slice(j + 4, 4));
        }

        var s = s0 + s1;
        var sum = (s.GetElement(0) + s.GetElement(1)) + (s.GetElement(2) + s.GetElement(3));
        for (; j < a.Length; j++)
        {
            sum += a[j] * b[j];
        }

        return sum;
    }

    /// <summary>
    /// 32·factor + 1 taps; the transition band (≈0.135 of the output rate wide) ends at the output Nyquist frequency, so
    /// nothing folds back into the band below it by more than the stop-band level.
    /// </summary>
    internal static double[] Design(int factor)
    {
        var count = (32 * factor) + 1;
        var half = count / 2;
        var transition = (AttenuationDb - 8) / (2.285 * 2 * Math.PI * (count - 1)); // as a fraction of the input rate
        var cutoff = (0.5 / factor) - (transition * 1.05 / 2);
        var taps = new double[count];
        var norm = BesselI0(KaiserBeta);
        double sum = 0;
        for (var j = 0; j < count; j++)
        {
            var n = j - half;
            var sinc = n == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * n) / (Math.PI * n);
            var r = (double)n / half;
            var window = BesselI0(KaiserBeta * Math.Sqrt(Math.Max(0, 1 - (r * r)))) / norm;
            taps[j] = sinc * window;
            sum += taps[j];
        }

        for (var j = 0; j < count; j++)
        {
            taps[j] /= sum;
        }

        return taps;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1;
        for (var k = 1; k < 50; k++)
        {
            term *= x / (2 * k) * (x / (2 * k));
            sum += term;
            if (term < 1e-17 * sum)
            {
                break;
            }
        }

        return sum;
    }
}
