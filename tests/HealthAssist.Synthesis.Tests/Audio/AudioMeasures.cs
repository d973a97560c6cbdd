using System.Numerics;
using HealthAssist.Ingest.Audio;
using HealthAssist.Synthesis.Audio;

namespace HealthAssist.Synthesis.Tests.Audio;

/// <summary>
/// Simple, independent measurements of decoded recordings (the generator's own filters are not reused), the kind of
/// per-modality statistic a researcher would try first: band energy in systole, transient counts, spectral peakiness.
/// </summary>
internal static class AudioMeasures
{
    /// <summary>Mean of the channels.</summary>
    public static double[] Mono(AudioRecording recording)
    {
        var mono = new double[recording.FrameCount];
        var samples = recording.Samples;
        for (var i = 0; i < mono.Length; i++)
        {
            double sum = 0;
            for (var c = 0; c < recording.Channels; c++)
            {
                sum += samples[(i * recording.Channels) + c];
            }

            mono[i] = sum / recording.Channels;
        }

        return mono;
    }

    /// <summary>
    /// Short-time band power: Hann frames of ≈<paramref name="frameSeconds"/> (a power of two in samples), hop half a
    /// frame; for each frame its centre time and the power in [<paramref name="low"/>, <paramref name="high"/>) Hz.
    /// </summary>
    public static (double[] Times, double[] Power) BandPower(double[] x, int rate, double frameSeconds, double low, double high)
    {
        var spectra = Spectrogram(x, rate, frameSeconds, out var size);
        var binHz = (double)rate / size;
        var first = (int)Math.Ceiling(low / binHz);
        var last = Math.Min(size / 2, (int)Math.Ceiling(high / binHz));
        var times = new double[spectra.Count];
        var power = new double[spectra.Count];
        for (var t = 0; t < spectra.Count; t++)
        {
            times[t] = ((t * (size / 2)) + (size / 2.0)) / rate;
            for (var k = first; k < last; k++)
            {
                power[t] += spectra[t][k];
            }
        }

        return (times, power);
    }

    /// <summary>
    /// Mean 150–400 Hz power in mid-systole (the middle of S1→S2) over mean 150–400 Hz power in mid-diastole, using the
    /// planted cycle timing as the segmentation (as an annotated phonocardiogram database would provide it).
    /// </summary>
    public static double SystolicMurmurRatio(double[] x, int rate, IReadOnlyList<HeartCycle> cycles)
    {
        var (times, power) = BandPower(x, rate, 0.032, 150, 400);
        double systole = 0, diastole = 0;
        int systoleFrames = 0, diastoleFrames = 0;
        for (var t = 0; t < times.Length; t++)
        {
            foreach (var cycle in cycles)
            {
                var systoleLength = cycle.S2 - cycle.S1;
                var diastoleLength = cycle.Next - cycle.S2;
                if (times[t] >= cycle.S1 + (0.3 * systoleLength) && times[t] <= cycle.S2 - (0.15 * systoleLength))
                {
                    systole += power[t];
                    systoleFrames++;
                }
                else if (times[t] >= cycle.S2 + (0.45 * diastoleLength) && times[t] <= cycle.Next - (0.1 * diastoleLength))
                {
                    diastole += power[t];
                    diastoleFrames++;
                }
            }
        }

        return (systole / Math.Max(1, systoleFrames)) / Math.Max(1e-30, diastole / Math.Max(1, diastoleFrames));
    }

    /// <summary>
    /// Crackle-like transients per minute: the first difference of the signal exceeding 6 robust standard deviations of
    /// its surroundings (the median of the median absolute values of the nine 10 ms blocks around, so that neither the
    /// rise and fall of each breath nor the transient itself sets the level), events at least 10 ms apart.
    /// </summary>
    public static double TransientsPerMinute(double[] x, int rate)
    {
        var d = new double[x.Length];
        for (var i = 1; i < x.Length; i++)
        {
            d[i] = Math.Abs(x[i] - x[i - 1]);
        }

        var block = Math.Max(8, rate / 100);
        var blocks = d.Length / block;
        var medians = new double[blocks];
        var scratch = new double[block];
        for (var b = 0; b < blocks; b++)
        {
            d.AsSpan(b * block, block).CopyTo(scratch);
            Array.Sort(scratch);
            medians[b] = scratch[block / 2];
        }

        var refractory = rate / 100;
        var count = 0;
        var last = -refractory;
        var around = new double[9];
        for (var b = 0; b < blocks; b++)
        {
            var from = Math.Max(0, b - 4);
            var to = Math.Min(blocks, b + 5);
            var local = around.AsSpan(0, to - from);
            medians.AsSpan(from, to - from).CopyTo(local);
            local.Sort();
            var sigma = local[local.Length / 2] / 0.6745;
            for (var i = b * block; i < (b + 1) * block; i++)
            {
                if (d[i] > 6 * sigma && i - last >= refractory)
                {
                    count++;
                    last = i;
                }
            }
        }

        return count * 60.0 * rate / x.Length;
    }

    /// <summary>
    /// Tonality: for each ≈64 ms frame, the largest bin's power over the mean bin power in 150–1,000 Hz (white noise gives
    /// about ln(bins); a steady tone many times that); the statistic is the 95th percentile over frames.
    /// </summary>
    public static double WheezeTonality(double[] x, int rate)
    {
        var spectra = Spectrogram(x, rate, 0.064, out var size);
        var binHz = (double)rate / size;
        var first = (int)Math.Ceiling(150 / binHz);
        var last = Math.Min(size / 2, (int)Math.Ceiling(1_000 / binHz));
        var peakiness = new double[spectra.Count];
        for (var t = 0; t < spectra.Count; t++)
        {
            double max = 0, sum = 0;
            for (var k = first; k < last; k++)
            {
                max = Math.Max(max, spectra[t][k]);
                sum += spectra[t][k];
            }

            peakiness[t] = sum > 0 ? max / (sum / (last - first)) : 0;
        }

        Array.Sort(peakiness);
        return peakiness.Length == 0 ? 0 : peakiness[(int)(0.95 * (peakiness.Length - 1))];
    }


    /// <summary>
    /// Heart rate from the autocorrelation of a 20–150 Hz energy envelope with 5 ms resolution: the first peak (shortest
    /// lag in 0.3–2 s) that reaches 80 % of the highest one, so that multiples of the period do not win.
    /// </summary>
    public static double HeartRateByAutocorrelation(double[] x, int rate)
    {
        var (times, power) = BandPower(x, rate, 0.02, 20, 150);
        var frameRate = 1 / (times.Length > 1 ? times[1] - times[0] : 1);
        var envelope = power.Select(Math.Sqrt).ToArray();
        var mean = envelope.Average();
        for (var i = 0; i < envelope.Length; i++)
        {
            envelope[i] -= mean;
        }

        var minLag = (int)(0.3 * frameRate);
        var maxLag = Math.Min(envelope.Length - 2, (int)(2.0 * frameRate));
        var r = new double[maxLag + 2];
        for (var lag = 0; lag < r.Length; lag++)
        {
            for (var i = 0; i + lag < envelope.Length; i++)
            {
                r[lag] += envelope[i] * envelope[i + lag];
            }
        }

        var peaks = new List<int>();
        for (var lag = minLag; lag <= maxLag; lag++)
        {
            if (r[lag] > r[lag - 1] && r[lag] >= r[lag + 1])
            {
                peaks.Add(lag);
            }
        }

        var highest = peaks.Max(p => r[p]);
        var best = peaks.First(p => r[p] >= 0.8 * highest);
        return 60 * frameRate / best;
    }

    private static List<double[]> Spectrogram(double[] x, int rate, double frameSeconds, out int size)
    {
        size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, (int)(frameSeconds * rate)));
        var hop = size / 2;
        var window = new double[size];
        for (var j = 0; j < size; j++)
        {
            window[j] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * j / size));
        }

        var spectra = new List<double[]>();
        var re = new double[size];
        var im = new double[size];
        for (var start = 0; start + size <= x.Length; start += hop)
        {
            for (var j = 0; j < size; j++)
            {
                re[j] = x[start + j] * window[j];
                im[j] = 0;
            }

            Fft(re, im);
            var power = new double[(size / 2) + 1];
            for (var k = 0; k < power.Length; k++)
            {
                power[k] = (re[k] * re[k]) + (im[k] * im[k]);
            }

            spectra.Add(power);
        }

        return spectra;
    }

    /// <summary>In-place iterative radix-2 FFT.</summary>
    private static void Fft(double[] re, double[] im)
    {
        var n = re.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        var cos = new double[n / 2];
        var sin = new double[n / 2];
        for (var k = 0; k < n / 2; k++)
        {
            cos[k] = Math.Cos(-2 * Math.PI * k / n);
            sin[k] = Math.Sin(-2 * Math.PI * k / n);
        }

        for (var length = 2; length <= n; length <<= 1)
        {
            var stride = n / length;
            for (var start = 0; start < n; start += length)
            {
                for (var k = 0; k < length / 2; k++)
                {
                    var wr = cos[k * stride];
                    var wi = sin[k * stride];
                    var a = start + k;
                    var b = a + (length / 2);
                    var xr = (re[b] * wr) - (im[b] * wi);
                    var xi = (re[b] * wi) + (im[b] * wr);
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }
}
