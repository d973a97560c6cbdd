using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;

namespace HealthAssist.Ingest.Audio;

/// <summary>
/// Power spectra |X[k]|², k = 0 … n/2, with X[k] = Σ_j x[j] e^{−2πi jk/n} (unscaled), of <see cref="Width"/> real frames at
/// once in float32: lane l of every vector belongs to frame l (structure of arrays), so each lane runs exactly the scalar
/// float32 computation and the result does not depend on the SIMD width. A power-of-two n uses a radix-2 complex FFT of
/// n/2 points on the even/odd-packed frame; any other n uses the direct DFT (what a conv1d with fixed cos/sin kernels
/// computes). Not thread-safe: it holds scratch buffers; create one per computation.
/// </summary>
internal sealed class PowerSpectrumBatch
{
    private static readonly ConcurrentDictionary<int, Plan> Plans = new();

    private readonly Plan _plan;
    private readonly int _size;
    private readonly int _half;
    private readonly Vector<float>[] _re;
    private readonly Vector<float>[] _im;
    private readonly float[] _frames;

    public PowerSpectrumBatch(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 4);
        _size = size;
        _half = size / 2;
        _plan = Plans.TryGetValue(size, out var plan) ? plan : Plans.Count < 16 ? Plans.GetOrAdd(size, n => new Plan(n)) : new Plan(size);
        _re = new Vector<float>[_half];
        _im = new Vector<float>[_half];
        _frames = new float[size * Width];
    }

    /// <summary>Frames per batch: the SIMD width in floats.</summary>
    public static int Width => Vector<float>.Count;

    public int Size => _size;

    /// <summary>Number of bins: n/2 + 1.</summary>
    public int Bins => _half + 1;

    /// <summary>
    /// Windows up to <see cref="Width"/> frames of <paramref name="signal"/> starting at <paramref name="first"/> · hop
    /// (frame l at (first + l) · hop) and writes their power spectra: <paramref name="power"/>[k], lane l. Lanes beyond
    /// <paramref name="count"/> hold zeros.
    /// </summary>
    public void Compute(ReadOnlySpan<float> signal, int first, int count, int hop, ReadOnlySpan<float> window, Span<Vector<float>> power)
    {
        var width = Width;
        var frames = _frames.AsSpan();
        if (count < width)
        {
            frames.Clear();
        }

        for (var lane = 0; lane < count; lane++)
        {
            var segment = signal.Slice((first + lane) * hop, _size);
            for (var j = 0; j < segment.Length; j++)
            {
                frames[(j * width) + lane] = segment[j] * window[j];
            }
        }

        var x = MemoryMarshal.Cast<float, Vector<float>>(frames);
        if (_plan.Radix2)
        {
            Fft(x, power);
        }
        else
        {
            Dft(x, power);
        }
    }

    private void Fft(ReadOnlySpan<Vector<float>> x, Span<Vector<float>> power)
    {
        var zr = _re;
        var zi = _im;
        for (var m = 0; m < _half; m++)
        {
            var target = _plan.BitReverse[m];
            zr[target] = x[2 * m];
            zi[target] = x[(2 * m) + 1];
        }

        for (var span = 2; span <= _half; span <<= 1)
        {
            var halfSpan = span >> 1;
            var step = _half / span;
            for (var start = 0; start < _half; start += span)
            {
                for (int k = 0, w = 0; k < halfSpan; k++, w += step)
                {
                    var a = start + k;
                    var b = a + halfSpan;
                    var wr = _plan.TwiddleRe[w];
                    var wi = _plan.TwiddleIm[w];
                    var tr = (zr[b] * wr) - (zi[b] * wi);
                    var ti = (zr[b] * wi) + (zi[b] * wr);
                    zr[b] = zr[a] - tr;
                    zi[b] = zi[a] - ti;
                    zr[a] += tr;
                    zi[a] += ti;
                }
            }
        }

        // Split: E[k] = (Z[k] + conj Z[h−k]) / 2, O[k] = (Z[k] − conj Z[h−k]) / 2i, X[k] = E[k] + W^k O[k].
        var halfVector = new Vector<float>(0.5f);
        for (var k = 0; k <= _half; k++)
        {
            var a = k == _half ? 0 : k;
            var b = k == 0 ? 0 : _half - k;
            var er = halfVector * (zr[a] + zr[b]);
            var ei = halfVector * (zi[a] - zi[b]);
            var or = halfVector * (zi[a] + zi[b]);
            var oi = halfVector * (zr[b] - zr[a]);
            var xr = er + ((_plan.SplitRe[k] * or) - (_plan.SplitIm[k] * oi));
            var xi = ei + ((_plan.SplitRe[k] * oi) + (_plan.SplitIm[k] * or));
            power[k] = (xr * xr) + (xi * xi);
        }
    }

    private void Dft(ReadOnlySpan<Vector<float>> x, Span<Vector<float>> power)
    {
        for (var k = 0; k <= _half; k++)
        {
            var cos = _plan.DftCos.AsSpan(k * _size, _size);
            var sin = _plan.DftSin.AsSpan(k * _size, _size);
            var re = Vector<float>.Zero;
            var im = Vector<float>.Zero;
            for (var j = 0; j < _size; j++)
            {
                re += x[j] * new Vector<float>(cos[j]);
                im += x[j] * new Vector<float>(sin[j]);
            }

            power[k] = (re * re) + (im * im);
        }
    }

    /// <summary>The immutable tables for one size, shared across instances and threads.</summary>
    private sealed class Plan
    {
        public Plan(int size)
        {
            var half = size / 2;
            Radix2 = (size & (size - 1)) == 0;
            if (Radix2)
            {
                var bits = BitOperations.Log2((uint)half);
                BitReverse = new int[half];
                for (var i = 0; i < half; i++)
                {
                    var reversed = 0;
                    for (var b = 0; b < bits; b++)
                    {
                        reversed |= ((i >> b) & 1) << (bits - 1 - b);
                    }

                    BitReverse[i] = reversed;
                }

                TwiddleRe = new Vector<float>[Math.Max(1, half / 2)];
                TwiddleIm = new Vector<float>[Math.Max(1, half / 2)];
                for (var k = 0; k < half / 2; k++)
                {
                    TwiddleRe[k] = new Vector<float>((float)Math.Cos(2 * Math.PI * k / half));
                    TwiddleIm[k] = new Vector<float>((float)-Math.Sin(2 * Math.PI * k / half));
                }

                SplitRe = new Vector<float>[half + 1];
                SplitIm = new Vector<float>[half + 1];
                for (var k = 0; k <= half; k++)
                {
                    SplitRe[k] = new Vector<float>((float)Math.Cos(2 * Math.PI * k / size));
                    SplitIm[k] = new Vector<float>((float)-Math.Sin(2 * Math.PI * k / size));
                }
            }
            else
            {
                DftCos = new float[(half + 1) * size];
                DftSin = new float[(half + 1) * size];
                for (var k = 0; k <= half; k++)
                {
                    for (var j = 0; j < size; j++)
                    {
                        var angle = 2 * Math.PI * ((long)j * k % size) / size;
                        DftCos[(k * size) + j] = (float)Math.Cos(angle);
                        DftSin[(k * size) + j] = (float)-Math.Sin(angle);
                    }
                }
            }
        }

        public bool Radix2 { get; }

        public int[] BitReverse { get; } = [];

        public Vector<float>[] TwiddleRe { get; } = [];

        public Vector<float>[] TwiddleIm { get; } = [];

        public Vector<float>[] SplitRe { get; } = [];

        public Vector<float>[] SplitIm { get; } = [];

        public float[] DftCos { get; } = [];

        public float[] DftSin { get; } = [];
    }
}
