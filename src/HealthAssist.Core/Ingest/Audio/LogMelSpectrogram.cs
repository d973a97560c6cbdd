using System.Numerics;

namespace HealthAssist.Ingest.Audio;

/// <summary>
/// Computes the log-mel spectrogram of a conditioned mono signal, with conventions chosen so that a PyTorch front end
/// built from fixed DFT kernels in <c>conv1d</c> (which <c>torch.onnx.export</c> can export, unlike <c>torch.stft</c>)
/// reproduces it.
/// </summary>
/// <remarks>
/// The input is the conditioned waveform of <see cref="AudioConditioner"/> (mono, DC removed, band-limited to 0.9 × the
/// model Nyquist frequency, RMS 0.1); a front end that starts from that same waveform reproduces the features.
/// With x[0 … N−1] the signal at <see cref="LogMelParameters.SampleRate"/> sr, n = n_fft, W = win_length, h = hop_length:
/// <list type="number">
/// <item><b>Frames, no centre padding:</b> T = 1 + ⌊(N − n) / h⌋ when N ≥ n, else 0; frame t covers x[t·h … t·h + n − 1].</item>
/// <item><b>Window:</b> periodic Hann w[j] = 0.5 − 0.5 cos(2πj / W), j = 0 … W−1, placed at offset ⌊(n − W)/2⌋ in an
/// n-point frame, zero elsewhere (torch.stft's convention; <c>torch.hann_window(W)</c> is periodic by default).</item>
/// <item><b>Power spectrum:</b> P[t, k] = |Σ_j w[j] x[t·h + j] e^{−2πi jk/n}|² for k = 0 … n/2, unscaled. As conv1d:
/// weight_cos[k, 0, j] = w[j] cos(2πjk/n), weight_sin[k, 0, j] = −w[j] sin(2πjk/n), stride h, no padding;
/// P = conv(x, cos)² + conv(x, sin)².</item>
/// <item><b>Mel filterbank (Slaney):</b> mel(f) = f / (200/3) below 1 kHz, 15 + ln(f/1000) / (ln 6.4 / 27) above; band
/// edges f_0 … f_{M+1} = mel⁻¹(linspace(mel(f_min), mel(f_max), M + 2)); bin frequencies f_k = k · sr / n;
/// F[m, k] = max(0, min((f_k − f_m)/(f_{m+1} − f_m), (f_{m+2} − f_k)/(f_{m+2} − f_{m+1}))) · 2 / (f_{m+2} − f_m)
/// (Slaney area normalisation). This is <c>librosa.filters.mel(sr=sr, n_fft=n, n_mels=M, fmin, fmax, htk=False,
/// norm='slaney')</c> and <c>torchaudio.functional.melscale_fbanks(n/2+1, fmin, fmax, M, sr, norm='slaney',
/// mel_scale='slaney')</c> transposed.</item>
/// <item><b>Log:</b> S[m, t] = ln(Σ_k F[m, k] P[t, k] + log_offset), natural logarithm.</item>
/// </list>
/// Output: float32 [n_mels, T], row-major (mel band major, frame minor). The window and filterbank are computed in double
/// and rounded to float32 once; the spectra, mel sums and logarithm are float32, like the PyTorch front end, with plain
/// multiplies and adds (no fused multiply-add) and each frame in its own SIMD lane, so the result does not depend on the
/// vector width. Differences from another float32 implementation come from summation order and the logarithm's last
/// bit; they matter only where the mel power approaches float32 round-off of the frame energy, far below the offset
/// for a normalised signal. Instances are immutable and thread-safe.
/// </remarks>
public sealed class LogMelSpectrogram
{
    private readonly float[] _window;
    private readonly int[] _bandStart;
    private readonly Vector<float>[][] _bandWeights;

    public LogMelSpectrogram(LogMelParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        var n = parameters.FftSize;
        _window = new float[n];
        var offset = (n - parameters.WindowLength) / 2;
        for (var j = 0; j < parameters.WindowLength; j++)
        {
            _window[offset + j] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * j / parameters.WindowLength)));
        }

        var dense = FilterbankMatrix();
        var bins = (n / 2) + 1;
        _bandStart = new int[parameters.MelBands];
        _bandWeights = new Vector<float>[parameters.MelBands][];
        for (var m = 0; m < parameters.MelBands; m++)
        {
            var row = dense.AsSpan(m * bins, bins);
            var first = row.IndexOfAnyExcept(0f);
            var last = row.LastIndexOfAnyExcept(0f);
            _bandStart[m] = first < 0 ? 0 : first;
            _bandWeights[m] = first < 0 ? [] : row[first..(last + 1)].ToArray().Select(w => new Vector<float>(w)).ToArray();
        }
    }

    public LogMelParameters Parameters { get; }

    /// <summary>Frames produced for a signal of <paramref name="sampleCount"/> samples: 1 + ⌊(N − n_fft)/hop⌋, or 0.</summary>
    public int FrameCount(int sampleCount) =>
        sampleCount < Parameters.FftSize ? 0 : 1 + ((sampleCount - Parameters.FftSize) / Parameters.HopLength);

    /// <summary>The n_mels + 2 band edges f_0 … f_{M+1} in Hz: band m rises from f_m, peaks at f_{m+1} and ends at f_{m+2}.</summary>
    public double[] BandEdgesHz() => BandEdges(Parameters);

    /// <summary>The n_fft-point analysis window (periodic Hann, centred, zero-padded), float32, for building conv1d kernels.</summary>
    public float[] AnalysisWindow() => (float[])_window.Clone();

    /// <summary>The mel filterbank F as float32 [n_mels, n_fft/2 + 1], row-major (computed in double, rounded once).</summary>
    public float[] FilterbankMatrix() => Array.ConvertAll(SlaneyFilterbank(Parameters), w => (float)w);

    /// <summary>Computes the log-mel spectrogram of a mono signal at <see cref="LogMelParameters.SampleRate"/>.</summary>
    public LogMelFeatures Compute(ReadOnlySpan<float> signal)
    {
        var p = Parameters;
        var frames = FrameCount(signal.Length);
        var values = new float[p.MelBands * frames];
        var batch = new PowerSpectrumBatch(p.FftSize);
        var width = PowerSpectrumBatch.Width;
        var power = new Vector<float>[batch.Bins];
        var logOffset = new Vector<float>((float)p.LogOffset);
        Span<float> lanes = stackalloc float[width];
        for (var first = 0; first < frames; first += width)
        {
            var count = Math.Min(width, frames - first);
            batch.Compute(signal, first, count, p.HopLength, _window, power);
            for (var m = 0; m < _bandWeights.Length; m++)
            {
                var weights = _bandWeights[m];
                var bins = power.AsSpan(_bandStart[m], weights.Length);
                var sum = Vector<float>.Zero;
                for (var k = 0; k < weights.Length; k++)
                {
                    sum += weights[k] * bins[k];
                }

                var logMel = Vector.Log(sum + logOffset);
                var row = values.AsSpan((m * frames) + first, count);
                if (count == width)
                {
                    logMel.CopyTo(row);
                }
                else
                {
                    logMel.CopyTo(lanes);
                    lanes[..count].CopyTo(row);
                }
            }
        }

        return new LogMelFeatures(p, frames, values);
    }

    /// <summary>Slaney mel scale (linear below 1 kHz, logarithmic above), as librosa with htk=False.</summary>
    public static double HzToMel(double hz) => hz < 1000 ? hz * 3 / 200 : 15 + (Math.Log(hz / 1000) / (Math.Log(6.4) / 27));

    public static double MelToHz(double mel) => mel < 15 ? mel * 200 / 3 : 1000 * Math.Exp(Math.Log(6.4) / 27 * (mel - 15));

    private static double[] BandEdges(LogMelParameters p)
    {
        var low = HzToMel(p.MinFrequency);
        var high = HzToMel(p.MaxFrequency);
        var edges = new double[p.MelBands + 2];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = MelToHz(low + ((high - low) * i / (p.MelBands + 1)));
        }

        return edges;
    }

    private static double[] SlaneyFilterbank(LogMelParameters p)
    {
        var bins = (p.FftSize / 2) + 1;
        var bands = p.MelBands;
        var edges = BandEdges(p);
        var weights = new double[bands * bins];
        for (var m = 0; m < bands; m++)
        {
            var norm = 2 / (edges[m + 2] - edges[m]);
            for (var k = 0; k < bins; k++)
            {
                var f = (double)k * p.SampleRate / p.FftSize;
                var lower = (f - edges[m]) / (edges[m + 1] - edges[m]);
                var upper = (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]);
                weights[(m * bins) + k] = Math.Max(0, Math.Min(lower, upper)) * norm;
            }
        }

        return weights;
    }
}

/// <summary>A log-mel spectrogram: float32 [<see cref="MelBands"/>, <see cref="Frames"/>], row-major.</summary>
public sealed class LogMelFeatures
{
    private readonly float[] _values;

    internal LogMelFeatures(LogMelParameters parameters, int frames, float[] values)
    {
        Parameters = parameters;
        Frames = frames;
        _values = values;
    }

    public LogMelParameters Parameters { get; }

    public int MelBands => Parameters.MelBands;

    public int Frames { get; }

    /// <summary>The tensor's shape, [n_mels, frames].</summary>
    public IReadOnlyList<int> Shape => [MelBands, Frames];

    /// <summary>All values, row-major: band m, frame t at m · Frames + t.</summary>
    public ReadOnlySpan<float> Values => _values;

    public float this[int band, int frame]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)band, (uint)MelBands, nameof(band));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)frame, (uint)Frames, nameof(frame));
            return _values[(band * Frames) + frame];
        }
    }

    /// <summary>A copy of the values, for writing a tensor file.</summary>
    public float[] ToArray() => (float[])_values.Clone();
}
