"""Independent float32 log-mel front end for LogMelSpectrogramOracleTests.

Reads a conditioned waveform (raw little-endian float32) and the C# features and filterbank, recomputes the features the
way a PyTorch conv1d front end does (fixed windowed DFT kernels, stride hop, no padding, power, Slaney mel filterbank,
natural log of mel + offset) in float32 with numpy, and prints one JSON line with the differences.

usage: logmel_oracle.py WAVE LOGMEL FILTERBANK SR N_FFT WIN HOP N_MELS FMIN FMAX OFFSET
"""
import json
import sys

import numpy as np


def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    return np.where(f >= 1000.0, 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0), f / (200.0 / 3.0))


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    return np.where(m >= 15.0, 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0)), m * (200.0 / 3.0))


def slaney_filterbank(sr, n_fft, n_mels, fmin, fmax):
    edges = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    bank = np.zeros((n_mels, freqs.size))
    for m in range(n_mels):
        rise = (freqs - edges[m]) / (edges[m + 1] - edges[m])
        fall = (edges[m + 2] - freqs) / (edges[m + 2] - edges[m + 1])
        bank[m] = np.maximum(0.0, np.minimum(rise, fall)) * 2.0 / (edges[m + 2] - edges[m])
    return bank.astype(np.float32)


def main():
    wave_path, logmel_path, fb_path = sys.argv[1:4]
    sr, n_fft, win, hop, n_mels = (int(v) for v in sys.argv[4:9])
    fmin, fmax, offset = (float(v) for v in sys.argv[9:12])
    x = np.fromfile(wave_path, dtype="<f4")
    expected = np.fromfile(logmel_path, dtype="<f4").reshape(n_mels, -1)
    fb_cs = np.fromfile(fb_path, dtype="<f4").reshape(n_mels, n_fft // 2 + 1)

    window = np.zeros(n_fft)
    start = (n_fft - win) // 2
    window[start:start + win] = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(win) / win)
    j = np.arange(n_fft)
    k = np.arange(n_fft // 2 + 1)
    angle = 2.0 * np.pi * np.outer(k, j) / n_fft
    kernel_cos = (window * np.cos(angle)).astype(np.float32)   # conv1d weight [n_freqs, 1, n_fft]
    kernel_sin = (-window * np.sin(angle)).astype(np.float32)

    frames = 1 + (x.size - n_fft) // hop
    strided = np.lib.stride_tricks.as_strided(x, shape=(frames, n_fft), strides=(hop * 4, 4))
    re = strided @ kernel_cos.T
    im = strided @ kernel_sin.T
    fb = slaney_filterbank(sr, n_fft, n_mels, fmin, fmax)
    actual = np.log((re * re + im * im) @ fb.T + np.float32(offset)).T.astype(np.float32)

    difference = np.abs(actual - expected)
    print(json.dumps({
        "shape": list(actual.shape),
        "max": float(difference.max()),
        "mean": float(difference.mean()),
        "filterbank_max": float(np.abs(fb - fb_cs).max()),
    }))


if __name__ == "__main__":
    main()
