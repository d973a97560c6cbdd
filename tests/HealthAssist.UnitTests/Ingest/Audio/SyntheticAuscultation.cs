namespace HealthAssist.UnitTests.Ingest.Audio;

/// <summary>
/// Deterministic test signals defined in continuous time, so that the same sound can be sampled at any rate: heart-sound-like
/// S1/S2 bursts plus a band-limited noise bed made of many sinusoids (only those below 0.49 × the sampling rate are
/// included, so no encoding aliases).
/// </summary>
internal static class SyntheticAuscultation
{
    /// <summary>
    /// S1 (60 + 110 Hz, σ 20 ms, peak 0.5) at the start of each cycle and S2 (90 + 180 Hz, σ 15 ms, peak 0.35) one systole
    /// later, plus a noise bed of 160 tones (one per 12 Hz) from 25 Hz to 1,950 Hz with total RMS <paramref name="noiseRms"/>.
    /// </summary>
    public static double[] HeartSound(double seconds, int rate, double bpm = 72, double noiseRms = 0.02, double gain = 1, int seed = 7)
    {
        var n = (int)Math.Round(seconds * rate);
        var x = NoiseBed(n, rate, noiseRms, seed);
        var period = 60 / bpm;
        var systole = Math.Min(0.3, 0.4 * period);
        for (var beat = 0.1; beat < seconds + 0.2; beat += period)
        {
            AddBurst(x, rate, beat, 0.020, 0.5, 60, 110);
            AddBurst(x, rate, beat + systole, 0.015, 0.35, 90, 180);
        }

        for (var i = 0; i < n; i++)
        {
            x[i] *= gain;
        }

        return x;
    }

    /// <summary>Sum of sinusoids: amplitude and frequency pairs.</summary>
    public static double[] Tones(double seconds, int rate, params (double Amplitude, double Frequency)[] tones)
    {
        var n = (int)Math.Round(seconds * rate);
        var x = new double[n];
        foreach (var (amplitude, frequency) in tones)
        {
            for (var i = 0; i < n; i++)
            {
                x[i] += amplitude * Math.Sin(2 * Math.PI * frequency * i / rate);
            }
        }

        return x;
    }

    /// <summary>Gaussian white noise of the given RMS (full band at the sampling rate).</summary>
    public static double[] WhiteNoise(double seconds, int rate, double rms, int seed = 11)
    {
        var random = new Random(seed);
        var x = new double[(int)Math.Round(seconds * rate)];
        for (var i = 0; i < x.Length; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            x[i] = rms * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        return x;
    }

    public static double[] Add(double[] a, double[] b) => a.Zip(b, (p, q) => p + q).ToArray();

    public static double Rms(ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        foreach (var v in x)
        {
            sum += v * v;
        }

        return Math.Sqrt(sum / Math.Max(1, x.Length));
    }

    private static double[] NoiseBed(int n, int rate, double rms, int seed)
    {
        const int count = 160;
        var x = new double[n];
        if (rms == 0)
        {
            return x;
        }

        // Frequencies spread over 25–1,950 Hz (one per 12 Hz, with a little jitter); phases random but fixed by the seed.
        var random = new Random(seed);
        var tones = new List<(double StepRe, double StepIm, double Re, double Im)>();
        for (var k = 0; k < count; k++)
        {
            var frequency = 25 + ((1950 - 25) * (k + random.NextDouble()) / count);
            var phase = 2 * Math.PI * random.NextDouble();
            if (frequency < 0.49 * rate)
            {
                tones.Add((Math.Cos(2 * Math.PI * frequency / rate), Math.Sin(2 * Math.PI * frequency / rate), Math.Cos(phase), Math.Sin(phase)));
            }
        }

        // Phasor recurrences z ← z · e^{iω}, far cheaper than Math.Sin per sample and accurate to ~1e-10 here.
        var stepRe = tones.Select(t => t.StepRe).ToArray();
        var stepIm = tones.Select(t => t.StepIm).ToArray();
        var re = tones.Select(t => t.Re).ToArray();
        var im = tones.Select(t => t.Im).ToArray();
        var amplitude = rms * Math.Sqrt(2.0 / count);
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            for (var k = 0; k < re.Length; k++)
            {
                var (r, j) = (re[k], im[k]);
                sum += j;
                re[k] = (r * stepRe[k]) - (j * stepIm[k]);
                im[k] = (r * stepIm[k]) + (j * stepRe[k]);
            }

            x[i] = amplitude * sum;
        }

        return x;
    }

    private static void AddBurst(double[] x, int rate, double centre, double sigma, double peak, double f1, double f2)
    {
        var from = Math.Max(0, (int)Math.Floor((centre - (5 * sigma)) * rate));
        var to = Math.Min(x.Length - 1, (int)Math.Ceiling((centre + (5 * sigma)) * rate));
        for (var i = from; i <= to; i++)
        {
            var tau = ((double)i / rate) - centre;
            var envelope = Math.Exp(-0.5 * (tau / sigma) * (tau / sigma));
            x[i] += peak * envelope * ((0.6 * Math.Sin(2 * Math.PI * f1 * tau)) + (0.4 * Math.Sin(2 * Math.PI * f2 * tau)));
        }
    }
}
