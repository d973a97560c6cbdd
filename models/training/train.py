#!/usr/bin/python3
"""Train HealthAssist's demonstration models on a features export and write them as ONNX.

    /usr/bin/python3 models/training/train.py --features DIR --out MODELS_DIR \
        [--seed 20261126] [--epochs 20] [--version 1.0.0]

Reads only the folder written by `healthassist features export` (export.json, cases.csv, *.npy), so the
tensors trained on are exactly those the C# serving pipeline builds. Training has two stages: each encoder is
first trained alone with its own linear head (stage 1, unimodal pretraining), then the fusion model is trained on
the pretrained encoders, frozen at first, then fine-tuned together (stage 2). Writes, for each of the seven models,
OUT/<name>/<version>/model.onnx and training.json, then OUT/training-summary.json, and prints a table of
test AUROCs. See README.md in this folder for the design and for what the C# side must know.
"""
import argparse
import copy
import csv
import datetime
import hashlib
import itertools
import json
import math
import os
import platform
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

MODALITIES = ("tabular", "image", "heart", "lung", "note")
ENCODER_NAMES = {
    "tabular": "tabular-encoder",
    "image": "image-encoder",
    "heart": "heart-sound-encoder",
    "lung": "lung-sound-encoder",
    "note": "note-encoder",
}
FUSION_NAME = "fusion"
BASELINE_NAME = "fusion-baseline"
EMBEDDING = 64
OPSET = 17
STD_FLOOR = 1e-3
Z_CLAMP = 8.0
MASKED_SCORE = -1e4
HERE = os.path.dirname(os.path.abspath(__file__))


class InputError(Exception):
    """The features folder or the arguments are unusable (exit code 2, one line on stderr)."""


def log(message):
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------------

def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_labels():
    with open(os.path.join(HERE, "labels.json")) as f:
        labels = json.load(f)
    return labels["diagnoses"], labels["outcomes"]


class FeaturesExport:
    """The features folder: export.json, cases.csv and memory-mapped arrays, checked against each other."""

    ARRAYS = ("tabular", "tabular_mask", "image", "heart", "lung", "note", "present")

    def __init__(self, folder, label_keys):
        self.folder = folder
        path = os.path.join(folder, "export.json")
        if not os.path.isfile(path):
            raise InputError(f"{path}: not found (is this a `healthassist features export` folder?)")
        with open(path) as f:
            self.export = json.load(f)
        if "featureNames" not in self.export:
            raise InputError(f"{path}: no featureNames")
        if tuple(self.export.get("modalities", MODALITIES)) != MODALITIES:
            raise InputError(f"{path}: modalities {self.export.get('modalities')} are not {list(MODALITIES)}")
        self.feature_names = list(self.export["featureNames"])

        path = os.path.join(folder, "cases.csv")
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in ("case_id", "patient", *label_keys) if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{path}: missing columns {missing}")
            self.rows = list(reader)
        self.n = len(self.rows)
        self.case_ids = [r["case_id"] for r in self.rows]
        self.patients = [r["patient"] for r in self.rows]
        if len(set(self.case_ids)) != self.n:
            raise InputError(f"{path}: case_id values are not unique")
        labels = np.zeros((self.n, len(label_keys)), np.float32)
        for i, row in enumerate(self.rows):
            for j, key in enumerate(label_keys):
                value = (row[key] or "").strip()
                if value not in ("0", "1", "0.0", "1.0"):
                    raise InputError(f"{path}: row {i + 2}, column {key}: expected 0 or 1, found {value!r}")
                labels[i, j] = float(value)
        self.labels = labels

        for name in self.ARRAYS:
            path = os.path.join(folder, f"{name}.npy")
            if not os.path.isfile(path):
                raise InputError(f"{path}: not found")
            array = np.load(path, mmap_mode="r")
            if array.dtype != np.float32:
                raise InputError(f"{path}: dtype {array.dtype}, expected float32")
            if array.shape[0] != self.n:
                raise InputError(f"{path}: {array.shape[0]} rows but cases.csv has {self.n}")
            setattr(self, name, array)
        try:
            f_count, d = len(self.feature_names), int(self.export["note"]["dimension"])
            expected = {
                "tabular": (f_count,), "tabular_mask": (f_count,), "image": tuple(self.export["image"]["shape"]),
                "heart": tuple(self.export["audio"]["shape"]), "lung": tuple(self.export["audio"]["shape"]),
                "note": (d,), "present": (len(MODALITIES),),
            }
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(f"export.json: missing or malformed {error}") from None
        for name, shape in expected.items():
            if getattr(self, name).shape[1:] != shape:
                raise InputError(f"{name}.npy: shape {getattr(self, name).shape[1:]} per case, expected {shape}")
        self.present_all = np.asarray(self.present, np.float32)
        if not np.isin(self.present_all, (0.0, 1.0)).all():
            raise InputError("present.npy: values other than 0 and 1")
        if (self.present_all.sum(1) == 0).any():
            log(f"warning: {(self.present_all.sum(1) == 0).sum()} cases have no modality; they are not scored")

    def file_hashes(self):
        names = ["export.json", "cases.csv"] + [f"{a}.npy" for a in self.ARRAYS]
        return {name: sha256_file(os.path.join(self.folder, name)) for name in names}

    def inputs(self, modality, rows):
        """The model inputs of one modality for the given (sorted) rows, as float32 tensors."""
        def take(array):
            return torch.from_numpy(np.ascontiguousarray(array[rows]))
        if modality == "tabular":
            return (take(self.tabular), take(self.tabular_mask))
        return (take(getattr(self, modality)),)


DEFAULT_SPLIT = (0.45, 0.40, 0.15)


def parse_split(text):
    parts = tuple(float(x) for x in text.split(","))
    if len(parts) != 3 or min(parts) <= 0 or abs(sum(parts) - 1) > 1e-6:
        raise argparse.ArgumentTypeError("--split takes three positive fractions adding up to 1, e.g. 0.45,0.40,0.15")
    return parts


def split_label(fractions):
    return "/".join(f"{round(100 * f):d}" for f in fractions)


def split_by_patient(patients, seed, fractions=DEFAULT_SPLIT):
    """Assign whole patients to train / validation / test, deterministically from the seed."""
    unique = sorted(set(patients))
    order = np.random.default_rng(seed).permutation(len(unique))
    n_train = int(round(fractions[0] * len(unique)))
    n_val = int(round(fractions[1] * len(unique)))
    part_of = {}
    for rank, k in enumerate(order):
        part_of[unique[k]] = "train" if rank < n_train else "validation" if rank < n_train + n_val else "test"
    split = {s: np.array([i for i, p in enumerate(patients) if part_of[p] == s], dtype=np.int64)
             for s in ("train", "validation", "test")}
    patient_counts = {s: int(sum(1 for p in unique if part_of[p] == s)) for s in split}
    return split, patient_counts


def tabular_statistics(data, rows):
    """Per-feature mean and std over the present values of the training rows."""
    x = np.asarray(data.tabular[rows], np.float64)
    m = np.asarray(data.tabular_mask[rows], np.float64) > 0.5
    count = m.sum(0)
    mean = np.where(count > 0, (x * m).sum(0) / np.maximum(count, 1), 0.0)
    var = np.where(count > 0, (((x - mean) ** 2) * m).sum(0) / np.maximum(count, 1), 1.0)
    return mean.astype(np.float32), np.maximum(np.sqrt(var), STD_FLOOR).astype(np.float32), count


def logmel_statistics(array, rows, chunk=256):
    """Per-mel-band mean and std over time of the training recordings that are present."""
    total = np.zeros(array.shape[1])
    total_sq = np.zeros(array.shape[1])
    count = 0
    for start in range(0, len(rows), chunk):
        x = np.asarray(array[rows[start:start + chunk]], np.float64)
        total += x.sum(axis=(0, 2))
        total_sq += (x ** 2).sum(axis=(0, 2))
        count += x.shape[0] * x.shape[2]
    if count == 0:
        return np.zeros(array.shape[1], np.float32), np.ones(array.shape[1], np.float32)
    mean = total / count
    std = np.sqrt(np.maximum(total_sq / count - mean ** 2, 0.0))
    return mean.astype(np.float32), np.maximum(std, STD_FLOOR).astype(np.float32)


# --------------------------------------------------------------------------------------------------
# Models. Everything a served model needs (standardisation constants included) lives in its graph.
# --------------------------------------------------------------------------------------------------

class TabularEncoder(nn.Module):
    def __init__(self, mean, std, hidden=128, dropout=0.2):
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32))
        self.mlp = nn.Sequential(
            nn.Linear(2 * len(mean), hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, EMBEDDING))

    def forward(self, features, mask):
        present = mask > 0.5
        z = ((features - self.mean) / self.std).clamp(-Z_CLAMP, Z_CLAMP)
        # where() rather than z*mask: a NaN sent for a missing value must not leak through 0*NaN.
        z = torch.where(present, z, torch.zeros_like(z))
        return self.mlp(torch.cat([z, present.to(z.dtype)], dim=1))

    def forward_cached(self, features, mask):
        return self(features, mask)


class ImageEncoder(nn.Module):
    """2x2 average pool in the graph (224 -> 112), then 5 x (3x3 conv, BatchNorm, ReLU) with strides 2,2,2,2,1.

    Global mean and max pooling are concatenated: the mean sees diffuse findings (haze, heart size), the
    max keeps a small focal one (a consolidation in one zone) from being averaged away."""
    CHANNELS = (1, 16, 32, 64, 96, 128)
    STRIDES = (2, 2, 2, 2, 1)
    POOL = 2

    def __init__(self, dropout=0.2):
        super().__init__()
        layers = []
        for c_in, c_out, stride in zip(self.CHANNELS[:-1], self.CHANNELS[1:], self.STRIDES):
            layers += [nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(c_out),
                       nn.ReLU(inplace=True)]
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(2 * self.CHANNELS[-1], EMBEDDING))

    @staticmethod
    def reduce(image):
        """The in-graph resolution reduction; training applies it once to the cached images."""
        return F.avg_pool2d(image, ImageEncoder.POOL)

    def embed(self, reduced):
        h = self.features(reduced)
        return self.head(torch.cat([h.mean(dim=(2, 3)), h.amax(dim=(2, 3))], dim=1))

    def forward(self, image):
        return self.embed(self.reduce(image))

    def forward_cached(self, reduced):
        return self.embed(reduced)


class SoundEncoder(nn.Module):
    """Per-band standardisation, a small 2-D front end over (mel band, time), then a temporal convolution.

    The 2-D convolutions are shift-invariant in frequency, so a tonal wheeze or a murmur is detected
    whatever its pitch; the last convolution spans all remaining bands (it is a Conv1d over time with
    bands x channels as input channels, written as a Conv2d so the graph needs no Reshape)."""
    CHANNELS_2D = (16, 32, 64)
    STRIDES_2D = ((2, 2), (2, 2), (2, 1))
    CHANNELS_TIME = 128

    def __init__(self, mean, std, dropout=0.2):
        super().__init__()
        bands = len(mean)
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32).reshape(1, 1, bands, 1))
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32).reshape(1, 1, bands, 1))
        layers, c_in, height = [], 1, bands
        for c_out, stride in zip(self.CHANNELS_2D, self.STRIDES_2D):
            layers += [nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(c_out),
                       nn.ReLU(inplace=True)]
            c_in, height = c_out, (height - 1) // stride[0] + 1
        layers += [nn.Conv2d(c_in, self.CHANNELS_TIME, (height, 5), stride=(1, 2), padding=(0, 2), bias=False),
                   nn.BatchNorm2d(self.CHANNELS_TIME), nn.ReLU(inplace=True)]
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(2 * self.CHANNELS_TIME, EMBEDDING))

    def forward(self, logmel):
        h = self.features((logmel.unsqueeze(1) - self.mean) / self.std)  # [B, 128, 1, T/4]
        # Mean pooling summarises the recording; max pooling keeps brief events (clicks, an S3).
        return self.head(torch.cat([h.mean(dim=(2, 3)), h.amax(dim=(2, 3))], dim=1))

    def forward_cached(self, logmel):
        return self(logmel)


class NoteEncoder(nn.Module):
    def __init__(self, dimension, dropout=0.2):
        super().__init__()
        self.mlp = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(dimension, EMBEDDING), nn.GELU(), nn.Linear(EMBEDDING, EMBEDDING))

    def forward(self, counts):
        return self.mlp(torch.log1p(counts.clamp(min=0.0)))

    def forward_cached(self, counts):
        return self(counts)


def zero_absent(embeddings, present_flags):
    """Embeddings of absent modalities become exactly zero, whatever the caller sent (NaN included)."""
    return [torch.where(present_flags[:, m:m + 1], e, torch.zeros_like(e)) for m, e in enumerate(embeddings)]


class Fusion(nn.Module):
    """Masked attention pooling over one token per modality, then an MLP and two heads."""

    def __init__(self, n_diagnoses, n_outcomes, heads=4, hidden=128, dropout=0.2):
        super().__init__()
        if EMBEDDING % heads:
            raise InputError(f"--attention-heads must divide {EMBEDDING}")
        self.heads = heads
        self.project = nn.ModuleList(
            nn.Sequential(nn.Linear(EMBEDDING, EMBEDDING), nn.LayerNorm(EMBEDDING)) for _ in MODALITIES)
        self.modality_type = nn.Parameter(0.02 * torch.randn(len(MODALITIES), EMBEDDING))
        self.key = nn.Linear(EMBEDDING, EMBEDDING)
        self.value = nn.Linear(EMBEDDING, EMBEDDING)
        self.query = nn.Parameter(0.02 * torch.randn(heads, EMBEDDING // heads))
        # The pooled vector is a weighted average, so it cannot say which modalities were there;
        # the present mask goes to the MLP beside it.
        self.mlp = nn.Sequential(nn.Linear(EMBEDDING + len(MODALITIES), hidden), nn.GELU(), nn.Dropout(dropout))
        self.diagnosis = nn.Linear(hidden, n_diagnoses)
        self.outcome = nn.Linear(hidden, n_outcomes)

    def forward(self, tabular, image, heart, lung, note, present):
        flags = present > 0.5
        embeddings = zero_absent([tabular, image, heart, lung, note], flags)
        tokens = torch.stack(
            [self.project[m](e) + self.modality_type[m] for m, e in enumerate(embeddings)], dim=1)  # [B,5,64]
        head_dim = EMBEDDING // self.heads
        keys = self.key(tokens).reshape(-1, len(MODALITIES), self.heads, head_dim)
        scores = (keys * self.query).sum(dim=-1) / math.sqrt(head_dim)  # [B,5,heads]
        # A large finite negative, not -inf: softmax stays defined (uniform) even with nothing present.
        scores = scores.masked_fill(~flags.unsqueeze(-1), MASKED_SCORE)
        weights = torch.softmax(scores, dim=1)
        values = self.value(tokens).reshape(-1, len(MODALITIES), self.heads, head_dim)
        pooled = (weights.unsqueeze(-1) * values).sum(dim=1).reshape(-1, EMBEDDING)
        h = self.mlp(torch.cat([pooled, flags.to(pooled.dtype)], dim=1))
        return self.diagnosis(h), self.outcome(h), weights.mean(dim=-1)


class BaselineFusion(nn.Module):
    """The comparator: one linear layer over [five embeddings, zero where absent; present mask]."""

    def __init__(self, n_diagnoses, n_outcomes):
        super().__init__()
        self.n_diagnoses = n_diagnoses
        self.linear = nn.Linear(len(MODALITIES) * EMBEDDING + len(MODALITIES), n_diagnoses + n_outcomes)

    def forward(self, tabular, image, heart, lung, note, present):
        flags = present > 0.5
        embeddings = zero_absent([tabular, image, heart, lung, note], flags)
        logits = self.linear(torch.cat(embeddings + [flags.to(tabular.dtype)], dim=1))
        return logits[:, :self.n_diagnoses], logits[:, self.n_diagnoses:]


# --------------------------------------------------------------------------------------------------
# Metrics (pure numpy)
# --------------------------------------------------------------------------------------------------

def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, np.float64)))


def logit(p, eps=1e-7):
    p = np.clip(np.asarray(p, np.float64), eps, 1 - eps)
    return np.log(p) - np.log1p(-p)


def nll(y, eta):
    """Mean binary cross-entropy of outcomes y for log-odds eta, computed stably."""
    return float(np.mean(np.logaddexp(0.0, eta) - y * eta))


def auroc(y, score):
    """Mann-Whitney AUROC with tied scores given their average rank; None if a class is absent."""
    y = np.asarray(y) > 0.5
    n1 = int(y.sum())
    n0 = len(y) - n1
    if n1 == 0 or n0 == 0:
        return None
    _, inverse, counts = np.unique(np.asarray(score, np.float64), return_inverse=True, return_counts=True)
    average_rank = np.cumsum(counts) - (counts - 1) / 2.0
    ranks = average_rank[inverse]
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))


def auprc(y, score):
    """Average precision: sum over distinct thresholds of (recall gain) x precision."""
    y = np.asarray(y) > 0.5
    n1 = int(y.sum())
    if n1 == 0:
        return None
    s = np.asarray(score, np.float64)
    order = np.argsort(-s, kind="mergesort")
    s, ys = s[order], y[order]
    tp, fp = np.cumsum(ys), np.cumsum(~ys)
    last_of_tie = np.r_[s[1:] != s[:-1], True]  # a threshold admits all tied scores at once
    tp, fp = tp[last_of_tie], fp[last_of_tie]
    precision, recall = tp / (tp + fp), tp / n1
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def fit_logistic(X, y, offset=None, ridge=1e-8, iterations=100):
    """Newton-Raphson logistic regression (with step halving); returns the coefficients of X."""
    X = np.asarray(X, np.float64)
    y = np.asarray(y, np.float64)
    offset = np.zeros(len(y)) if offset is None else np.asarray(offset, np.float64)
    beta = np.zeros(X.shape[1])

    def objective(b):
        return nll(y, offset + X @ b) + 0.5 * ridge * float(b @ b)

    current = objective(beta)
    for _ in range(iterations):
        p = sigmoid(offset + X @ beta)
        gradient = X.T @ (p - y) / len(y) + ridge * beta
        hessian = (X.T * (p * (1 - p))) @ X / len(y) + ridge * np.eye(len(beta))
        try:
            step = np.linalg.solve(hessian, gradient)
        except np.linalg.LinAlgError:
            break
        t = 1.0
        while t > 1e-6 and objective(beta - t * step) > current:
            t /= 2
        beta = beta - t * step
        previous, current = current, objective(beta)
        if abs(previous - current) < 1e-12:
            break
    return beta


def calibration_intercept_slope(y, p):
    """Calibration-in-the-large (intercept with logit(p) as offset) and the logistic recalibration slope."""
    if y.min() == y.max():
        return None, None
    lp = logit(p)
    intercept = fit_logistic(np.ones((len(y), 1)), y, offset=lp)[0]
    slope = fit_logistic(np.stack([np.ones(len(y)), lp], axis=1), y)[1]
    return float(intercept), float(slope)


def integrated_calibration_index(y, p, chunk=2048):
    """ICI, E50 and E90 (Austin & Steyerberg 2019) with a Nadaraya-Watson smoother instead of loess.

    The observed risk at each case is a Gaussian-kernel weighted mean of the outcomes of all cases,
    on the logit(p) scale, with Silverman's rule-of-thumb bandwidth (at least 0.05)."""
    x = logit(p)
    n = len(x)
    bandwidth = max(1.06 * float(np.std(x)) * n ** -0.2, 0.05)
    observed = np.empty(n)
    for start in range(0, n, chunk):
        k = np.exp(-0.5 * ((x[start:start + chunk, None] - x[None, :]) / bandwidth) ** 2)
        observed[start:start + chunk] = k @ y / k.sum(axis=1)
    error = np.abs(observed - p)
    return float(error.mean()), float(np.median(error)), float(np.quantile(error, 0.9))


def head_metrics(y, eta):
    """Discrimination and calibration of one head, from its (calibrated or raw) log-odds."""
    y = np.asarray(y, np.float64)
    eta = np.asarray(eta, np.float64)
    p = sigmoid(eta)
    out = {"n": int(len(y)), "positives": int(y.sum()), "auroc": auroc(y, eta), "auprc": auprc(y, eta),
           "brier": float(np.mean((p - y) ** 2)), "logLoss": nll(y, eta)}
    intercept, slope = calibration_intercept_slope(y, p)
    out["calibrationIntercept"], out["calibrationSlope"] = intercept, slope
    if y.min() != y.max():
        out["ici"], out["e50"], out["e90"] = integrated_calibration_index(y, p)
    else:
        out["ici"] = out["e50"] = out["e90"] = None
    return out


# --------------------------------------------------------------------------------------------------
# Calibration and operating thresholds
# --------------------------------------------------------------------------------------------------

def fit_temperature(y, z):
    """Temperature T > 0 minimising NLL of sigmoid(z / T); golden-section search on log T.

    NLL is convex in 1/T, hence unimodal in log T on the searched interval."""
    lo, hi = math.log(0.02), math.log(50.0)
    ratio = (math.sqrt(5) - 1) / 2
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = nll(y, z / math.exp(a)), nll(y, z / math.exp(b))
    for _ in range(100):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - ratio * (hi - lo)
            fa = nll(y, z / math.exp(a))
        else:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = nll(y, z / math.exp(b))
    return math.exp((lo + hi) / 2)


def fit_temperature_and_bias(y, z):
    """Platt-style p = sigmoid(a z + b) with T = 1/a; None when the fitted slope a is not positive."""
    a, b = fit_logistic(np.stack([z, np.ones(len(z))], axis=1), y)
    return (1.0 / a, float(b)) if a > 1e-6 else None


def calibrate_head(y, z, groups, folds=5):
    """Logistic recalibration on validation: p = sigmoid(z / T + b) (Platt scaling), temperature alone as the fallback.

    A temperature alone cannot fix the spread of a head whose mean log-odds is far from 0 (every head here:
    prevalence 5-30 %): dividing z by T moves the mean too, so the NLL-optimal T is a compromise between spread and
    location and leaves the calibration slope off 1 (fusion@3.1.0 chose temperature alone for readmission, whose slope
    was then 0.78 on validation itself and 0.76 on a fresh cohort). The temperature-only fit and the patient-grouped
    5-fold cross-validated NLL of both are kept for comparison."""
    y = np.asarray(y, np.float64)
    z = np.asarray(z, np.float64)
    result = {"method": "temperature", "temperature": 1.0, "bias": 0.0}
    if y.min() == y.max():
        result["note"] = "single class in validation: identity calibration"
        return result
    t_only = fit_temperature(y, z)
    both = fit_temperature_and_bias(y, z)
    result["temperatureOnly"] = {"temperature": t_only, "validationNll": nll(y, z / t_only)}
    result["temperatureAndBias"] = None if both is None else {
        "temperature": both[0], "bias": both[1], "validationNll": nll(y, z / both[0] + both[1])}
    held_out = {"temperatureOnly": 0.0, "temperatureAndBias": 0.0}
    usable = both is not None
    for k in range(folds):
        test = groups % folds == k
        train = ~test
        if not test.any() or y[train].min() == y[train].max():
            continue
        t = fit_temperature(y[train], z[train])
        held_out["temperatureOnly"] += nll(y[test], z[test] / t) * test.sum()
        fold_both = fit_temperature_and_bias(y[train], z[train])
        if fold_both is None:
            usable = False
            break
        held_out["temperatureAndBias"] += nll(y[test], z[test] / fold_both[0] + fold_both[1]) * test.sum()
    result["crossValidatedNll"] = {key: value / len(y) for key, value in held_out.items()} if usable else None
    if both is not None:
        result.update(method="temperature+bias", temperature=both[0], bias=both[1])
    else:
        # The scores do not rank the classes on validation (slope <= 0): keep the ordering, fit the scale only.
        result.update(temperature=t_only, bias=0.0, note="no positive logistic slope on validation: temperature only")
    return result


def apply_calibration(z, calibration):
    return np.asarray(z, np.float64) / calibration["temperature"] + calibration["bias"]


def operating_threshold(y, p, target=0.90):
    """The highest threshold t with sensitivity (p >= t) >= target: the ceil(target*n+)-th highest positive."""
    y = np.asarray(y) > 0.5
    positives = np.sort(np.asarray(p, np.float64)[y])[::-1]
    if len(positives) == 0 or y.all():
        return None
    k = max(1, math.ceil(target * len(positives) - 1e-9))
    return float(positives[k - 1])


def sensitivity_specificity(y, p, threshold):
    y = np.asarray(y) > 0.5
    flagged = np.asarray(p, np.float64) >= threshold
    return {"sensitivity": float(flagged[y].mean()) if y.any() else None,
            "specificity": float((~flagged[~y]).mean()) if (~y).any() else None,
            "flagged": float(flagged.mean()), "n": int(len(y)), "positives": int(y.sum())}


# --------------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------------

def modality_dropout(present, probability, rng, single=0.0):
    """Zero each present flag with the given probability, keeping at least one present modality.

    With probability `single` a case instead keeps only one of its modalities, drawn uniformly: practice
    for the cases that arrive with a single input (and for the per-modality results)."""
    kept = present * (rng.random(present.shape) >= probability)
    for i in np.nonzero((kept.sum(1) == 0) & (present.sum(1) > 0))[0]:
        kept[i, rng.choice(np.nonzero(present[i])[0])] = 1
    if single > 0:
        for i in np.nonzero((rng.random(len(present)) < single) & (present.sum(1) > 1))[0]:
            kept[i] = 0
            kept[i, rng.choice(np.nonzero(present[i])[0])] = 1
    return kept.astype(np.float32)


def augment(modality, inputs, generator):
    """Light, label-preserving augmentation on the cached inputs; training only, never in the exported graphs."""
    if modality == "image":
        # The cached images are already reduced (112 x 112): +/-4 pixels here are +/-8 at full size.
        (x,) = inputs
        shift = 8 // ImageEncoder.POOL
        padded = F.pad(x, (shift,) * 4, mode="replicate")
        offsets = torch.randint(0, 2 * shift + 1, (x.shape[0], 2), generator=generator)
        x = torch.stack([padded[i, :, dy:dy + x.shape[2], dx:dx + x.shape[3]]
                         for i, (dy, dx) in enumerate(offsets.tolist())])
        gain = 1 + 0.1 * torch.randn(x.shape[0], 1, 1, 1, generator=generator)
        return (x * gain + 0.1 * torch.randn(x.shape[0], 1, 1, 1, generator=generator),)
    if modality in ("heart", "lung"):
        # Where a recording starts is arbitrary: shift it circularly in time.
        (x,) = inputs
        shifts = torch.randint(0, x.shape[2], (x.shape[0],), generator=generator).tolist()
        return (torch.stack([torch.roll(x[i], s, dims=1) for i, s in enumerate(shifts)]),)
    if modality == "tabular":
        # Hide a tenth of the recorded values: missingness varies from case to case in practice.
        features, mask = inputs
        keep = (torch.rand(mask.shape, generator=generator) >= 0.1).to(mask.dtype)
        return (features * keep, mask * keep)
    return inputs


class ModalityCache:
    """Each modality's inputs for the cases that have it, held in memory in the form the encoders train on.

    Images are stored after the image encoder's in-graph 2 x 2 average pool (a quarter of the memory and
    of the first layer's work); training calls `forward_cached`, which skips that step. Epochs then never
    touch the memory-mapped arrays. The final embeddings (baseline, metrics, test predictions) are computed
    through the exported forward path from the original arrays instead."""
    cached = True

    def __init__(self, data, chunk=256):
        self.position, self.tensors, self.rows = {}, {}, {}
        for m, modality in enumerate(MODALITIES):
            rows = np.nonzero(data.present_all[:, m] > 0.5)[0]
            position = np.full(data.n, -1, np.int64)
            position[rows] = np.arange(len(rows))
            self.position[modality], self.rows[modality] = position, rows
            if modality == "image":
                shape = data.image.shape[1:]
                parts = [ImageEncoder.reduce(torch.zeros((0, *shape)))]
                for start in range(0, len(rows), chunk):
                    parts.append(ImageEncoder.reduce(
                        torch.from_numpy(np.ascontiguousarray(data.image[rows[start:start + chunk]]))))
                self.tensors[modality] = (torch.cat(parts),)
            else:
                self.tensors[modality] = data.inputs(modality, rows)

    def inputs(self, modality, rows):
        index = self.position[modality][rows]
        if (index < 0).any():
            raise RuntimeError(f"{modality}: asked for rows where it is absent")
        index = torch.from_numpy(index)
        return tuple(t.index_select(0, index) for t in self.tensors[modality])

    def bytes(self):
        return sum(t.numel() * t.element_size() for ts in self.tensors.values() for t in ts)


def encode(encoders, source, rows, flags, generator=None):
    """Embeddings [B,64] per modality, computed only for the rows whose flag is set (zeros elsewhere).

    Running an encoder only on present rows keeps all-zero placeholders out of its BatchNorm statistics
    and saves the work for modalities that modality dropout has just removed. `source` is the
    FeaturesExport (exported forward path) or a ModalityCache (training path)."""
    out = []
    cached = getattr(source, "cached", False)
    for m, modality in enumerate(MODALITIES):
        selected = np.nonzero(flags[:, m] > 0.5)[0]
        embedding = torch.zeros(len(rows), EMBEDDING)
        if len(selected):
            inputs = source.inputs(modality, rows[selected])
            if generator is not None:
                inputs = augment(modality, inputs, generator)
            encoder = encoders[modality]
            embedding = embedding.index_copy(
                0, torch.from_numpy(selected), encoder.forward_cached(*inputs) if cached else encoder(*inputs))
        out.append(embedding)
    return out


@torch.no_grad()
def encode_split(encoders, source, rows, present, chunk=128):
    """Eval-mode embeddings [n,5,64] of the given rows with their recorded modalities."""
    encoders.eval()
    parts = []
    for start in range(0, len(rows), chunk):
        batch = rows[start:start + chunk]
        parts.append(torch.stack(encode(encoders, source, batch, present[batch]), dim=1).numpy())
    return np.concatenate(parts) if parts else np.zeros((0, len(MODALITIES), EMBEDDING), np.float32)


@torch.no_grad()
def fuse(model, embeddings, present):
    """Logits [n,8] (and attention [n,5] for the fusion model) from cached embeddings."""
    model.eval()
    e = torch.from_numpy(np.ascontiguousarray(embeddings, dtype=np.float32))
    out = model(*[e[:, m] for m in range(len(MODALITIES))], torch.from_numpy(np.asarray(present, np.float32)))
    logits = torch.cat([out[0], out[1]], dim=1).numpy().astype(np.float64)
    return logits, (out[2].numpy() if len(out) > 2 else None)


def mean_auroc(y, logits):
    values = [auroc(y[:, j], logits[:, j]) for j in range(y.shape[1])]
    values = [v for v in values if v is not None]
    return float(np.mean(values)) if values else float("nan"), values


def warmup_cosine(optimiser, steps_per_epoch, epochs):
    """Linear warm-up (one epoch, at most 100 steps), then cosine decay to 2 % of the peak."""
    total_steps = max(1, epochs * steps_per_epoch)
    warmup = max(1, min(steps_per_epoch, 100))

    def factor(step):
        return min(1.0, (step + 1) / warmup) * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * step / total_steps)))

    return torch.optim.lr_scheduler.LambdaLR(optimiser, factor)


def positive_weight(data, rows, enabled):
    if not enabled:
        return None
    prevalence = data.labels[rows].mean(0).clip(1e-3, 1)
    return torch.from_numpy(((1 - prevalence) / prevalence).clip(1, 10).astype(np.float32))


def pretrain_encoder(modality, encoder, cache, data, split, label_keys, n_diagnoses, args, max_epochs, seed):
    """Stage 1: one encoder alone, with its own linear head on all labels, on the cases that have its modality.

    Early stopping on the mean validation AUROC of the diagnoses (the labels a modality is meant to show);
    outcomes are trained too, with a lower weight. Returns the head (reused as the auxiliary head of stage 2)
    and a record of the run."""
    started = time.perf_counter()
    m = MODALITIES.index(modality)
    rows = {s: r[data.present_all[r, m] > 0.5] for s, r in split.items()}
    record = {"modality": modality, "cases": {s: int(len(r)) for s, r in rows.items()}, "maxEpochs": max_epochs,
              "batchSize": args.pretrain_batch_size, "learningRate": args.pretrain_lr,
              "weightDecay": args.weight_decay, "patience": args.pretrain_patience,
              "outcomeLossWeight": args.pretrain_outcome_weight, "augment": bool(args.augment),
              "criterion": "validation mean AUROC over the diagnoses (cases with this modality)"}
    torch.manual_seed(seed)
    head = nn.Linear(EMBEDDING, len(label_keys))
    if len(rows["train"]) == 0 or max_epochs <= 0:
        record.update(skipped="no training case has this modality" if len(rows["train"]) == 0 else "0 epochs",
                      history=[], bestEpoch=0, seconds=time.perf_counter() - started)
        return head, record
    rng = np.random.default_rng(seed)
    generator = torch.Generator().manual_seed(seed)
    parameters = list(encoder.parameters()) + list(head.parameters())
    optimiser = torch.optim.AdamW(parameters, lr=args.pretrain_lr, weight_decay=args.weight_decay)
    steps_per_epoch = math.ceil(len(rows["train"]) / args.pretrain_batch_size)
    scheduler = warmup_cosine(optimiser, steps_per_epoch, max_epochs)
    weights = torch.tensor([1.0] * n_diagnoses + [args.pretrain_outcome_weight] * (len(label_keys) - n_diagnoses))
    pos_weight = positive_weight(data, rows["train"], args.pos_weight)
    labels = torch.from_numpy(data.labels)

    @torch.no_grad()
    def predict(split_rows):
        encoder.eval()
        head.eval()
        parts = [head(encoder.forward_cached(*cache.inputs(modality, split_rows[i:i + 256])))
                 for i in range(0, len(split_rows), 256)]
        return torch.cat(parts).numpy().astype(np.float64) if parts else np.zeros((0, len(label_keys)))

    def aurocs(split_name):
        logits = predict(rows[split_name])
        return {k: auroc(data.labels[rows[split_name], j], logits[:, j]) for j, k in enumerate(label_keys)}

    def diagnosis_mean(values):
        defined = [values[k] for k in label_keys[:n_diagnoses] if values[k] is not None]
        return float(np.mean(defined)) if defined else float("nan")

    history, best, best_score, stale = [], None, -math.inf, 0
    for epoch in range(1, max_epochs + 1):
        epoch_started = time.perf_counter()
        encoder.train()
        head.train()
        order = rng.permutation(rows["train"])
        total_loss, batches = 0.0, 0
        for start in range(0, len(order), args.pretrain_batch_size):
            batch = np.sort(order[start:start + args.pretrain_batch_size])
            inputs = cache.inputs(modality, batch)
            if args.augment:
                inputs = augment(modality, inputs, generator)
            losses = F.binary_cross_entropy_with_logits(
                head(encoder.forward_cached(*inputs)), labels[batch], pos_weight=pos_weight, reduction="none")
            loss = (losses.mean(0) * weights).sum() / weights.sum()
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(parameters, 5.0)
            optimiser.step()
            scheduler.step()
            total_loss += float(loss)
            batches += 1
        values = aurocs("validation")
        score = diagnosis_mean(values)
        seconds = time.perf_counter() - epoch_started
        history.append({"epoch": epoch, "trainLoss": total_loss / max(batches, 1),
                        "validationDiagnosisMeanAuroc": score, "seconds": seconds})
        log(f"  {modality} epoch {epoch:3d}  train loss {total_loss / max(batches, 1):.4f}  "
            f"val diagnosis mean AUROC {score:.4f}  ({seconds:.1f} s)")
        if best is None or score > best_score + 1e-4:
            best_score, stale = (score if math.isfinite(score) else -math.inf), 0
            best = (copy.deepcopy(encoder.state_dict()), copy.deepcopy(head.state_dict()), epoch)
        else:
            stale += 1
            if stale >= args.pretrain_patience and epoch < max_epochs:
                log(f"  {modality}: early stop, no validation improvement for {args.pretrain_patience} epochs")
                break
    encoder.load_state_dict(best[0])
    head.load_state_dict(best[1])
    encoder.eval()
    validation, test = aurocs("validation"), aurocs("test")
    record.update(history=history, epochsRun=len(history), bestEpoch=best[2],
                  validationDiagnosisMeanAuroc=diagnosis_mean(validation), validationAuroc=validation,
                  testDiagnosisMeanAuroc=diagnosis_mean(test), testAuroc=test,
                  seconds=time.perf_counter() - started)

    def fmt(values):
        return "  ".join(f"{k} {values[k]:.3f}" if values[k] is not None else f"{k} n/a"
                         for k in label_keys[:n_diagnoses])

    log(f"stage 1 {modality}: best epoch {best[2]} of {len(history)}, {record['seconds']:.0f} s; "
        f"validation AUROC {fmt(validation)}")
    return head, record


def fusion_step(fusion, embeddings, flags, target, pos_weight):
    diagnosis, outcome, _ = fusion(*embeddings, torch.from_numpy(flags))
    return F.binary_cross_entropy_with_logits(torch.cat([diagnosis, outcome], dim=1), target, pos_weight=pos_weight)


def train_fusion(encoders, fusion, aux_heads, cache, data, split, args, rng, generator, freeze_epochs,
                 encoder_lr_scale):
    """Stage 2. First the fusion model alone on the frozen encoders' embeddings (computed once), for its whole
    learning-rate schedule, then everything jointly, the encoders at a lower learning rate, with early stopping.
    The weights kept are those of the best epoch of either phase on validation mean AUROC, so fine-tuning is
    kept only where it helps on validation."""
    train_rows, val_rows = split["train"], split["validation"]
    y_all = torch.from_numpy(data.labels)
    y_val = data.labels[val_rows]
    present_val = data.present_all[val_rows]
    pos_weight = positive_weight(data, train_rows, args.pos_weight)
    steps_per_epoch = math.ceil(len(train_rows) / args.batch_size)
    history, state = [], {"best": None, "score": -math.inf, "stale": 0}

    def consider(epoch, phase, train_loss, e_val, started):
        logits, _ = fuse(fusion, e_val, present_val)
        score, _ = mean_auroc(y_val, logits)
        val_loss = float(np.mean(np.logaddexp(0, logits) - y_val * logits))
        seconds = time.perf_counter() - started
        history.append({"epoch": epoch, "phase": phase, "trainLoss": train_loss, "validationLoss": val_loss,
                        "validationMeanAuroc": score, "seconds": seconds})
        log(f"epoch {epoch:3d} ({phase})  train loss {train_loss:.4f}  val loss {val_loss:.4f}  "
            f"val mean AUROC {score:.4f}  ({seconds:.1f} s)")
        if state["best"] is None or score > state["score"] + 1e-4:
            state.update(score=score, stale=0, best=(copy.deepcopy(encoders.state_dict()),
                                                     copy.deepcopy(fusion.state_dict()), epoch, phase))
            return False
        state["stale"] += 1
        return state["stale"] >= args.patience

    epoch = 0
    if freeze_epochs > 0:
        e_train = encode_split(encoders, cache, train_rows, data.present_all)
        e_val = encode_split(encoders, cache, val_rows, data.present_all)
        position = np.full(data.n, -1, np.int64)
        position[train_rows] = np.arange(len(train_rows))
        optimiser = torch.optim.AdamW(fusion.parameters(), lr=args.lr, weight_decay=args.weight_decay)
        scheduler = warmup_cosine(optimiser, steps_per_epoch, freeze_epochs)
        for _ in range(freeze_epochs):
            epoch += 1
            started = time.perf_counter()
            fusion.train()
            order = rng.permutation(train_rows)
            total_loss, batches = 0.0, 0
            for start in range(0, len(order), args.batch_size):
                rows = np.sort(order[start:start + args.batch_size])
                flags = modality_dropout(data.present_all[rows], args.modality_dropout, rng, args.single_modality)
                keep = flags.sum(1) > 0
                rows, flags = rows[keep], flags[keep]
                if len(rows) == 0:
                    continue
                e = torch.from_numpy(e_train[position[rows]])
                loss = fusion_step(fusion, [e[:, m] for m in range(len(MODALITIES))], flags, y_all[rows], pos_weight)
                optimiser.zero_grad(set_to_none=True)
                loss.backward()
                nn.utils.clip_grad_norm_(fusion.parameters(), 5.0)
                optimiser.step()
                scheduler.step()
                total_loss += float(loss)
                batches += 1
            # No early stop here: an epoch costs a fraction of a second, and stopping on the noisy validation AUROC
            # while the learning rate is still high kept an under-trained fusion (a 4.0.0 trial: best epoch 9 of 30,
            # pneumonia 0.89 against 0.91 for the linear baseline). The best epoch of the whole schedule is kept.
            consider(epoch, "frozen encoders", total_loss / max(batches, 1), e_val, started)
        fusion.load_state_dict(state["best"][1])
        state["stale"] = 0

    if args.epochs > 0:
        groups = [{"params": list(encoders.parameters()), "lr": args.lr * encoder_lr_scale},
                  {"params": list(fusion.parameters()) + list(aux_heads.parameters()), "lr": args.lr}]
        parameters = [p for g in groups for p in g["params"]]
        optimiser = torch.optim.AdamW(groups, lr=args.lr, weight_decay=args.weight_decay)
        scheduler = warmup_cosine(optimiser, steps_per_epoch, args.epochs)
        for _ in range(args.epochs):
            epoch += 1
            started = time.perf_counter()
            encoders.train()
            fusion.train()
            aux_heads.train()
            order = rng.permutation(train_rows)
            total_loss, batches = 0.0, 0
            for start in range(0, len(order), args.batch_size):
                rows = np.sort(order[start:start + args.batch_size])
                flags = modality_dropout(data.present_all[rows], args.modality_dropout, rng, args.single_modality)
                keep = flags.sum(1) > 0
                rows, flags = rows[keep], flags[keep]
                if len(rows) == 0:
                    continue
                embeddings = encode(encoders, cache, rows, flags, generator if args.augment else None)
                target = y_all[rows]
                loss = fusion_step(fusion, embeddings, flags, target, pos_weight)
                if args.aux_weight > 0:
                    # Deep supervision of each encoder on its own (the stage-1 heads), so that a strong
                    # modality cannot make the others forget what they learnt alone.
                    aux = []
                    for m in range(len(MODALITIES)):
                        sel = torch.from_numpy(np.nonzero(flags[:, m])[0])
                        if len(sel):
                            aux.append(F.binary_cross_entropy_with_logits(
                                aux_heads[m](embeddings[m][sel]), target[sel], pos_weight=pos_weight))
                    loss = loss + args.aux_weight * torch.stack(aux).mean()
                optimiser.zero_grad(set_to_none=True)
                loss.backward()
                nn.utils.clip_grad_norm_(parameters, 5.0)
                optimiser.step()
                scheduler.step()
                total_loss += float(loss)
                batches += 1
            e_val = encode_split(encoders, cache, val_rows, data.present_all)
            if consider(epoch, "fine-tuning", total_loss / max(batches, 1), e_val, started):
                log(f"early stop: no validation improvement for {args.patience} epochs")
                break
    if state["best"] is None or not math.isfinite(state["score"]):
        raise InputError("validation mean AUROC was never defined: does the validation split have both classes?")
    encoders.load_state_dict(state["best"][0])
    fusion.load_state_dict(state["best"][1])
    encoders.eval()
    fusion.eval()
    return history, state["best"][2], state["score"], state["best"][3]


def fit_baseline(e_train, p_train, y_train, e_val, p_val, y_val, n_diagnoses, n_outcomes, seed, steps):
    """L2 logistic regression on frozen embeddings; the L2 weight is picked on validation mean AUROC.

    Columns are standardised for fitting (so one penalty suits all modalities) and the standardisation
    is then folded into the single Linear layer that is exported."""
    def design(e, p):
        flags = p > 0.5
        return np.concatenate([(e * flags[:, :, None]).reshape(len(e), -1), flags.astype(np.float32)], axis=1)

    x_train, x_val = design(e_train, p_train), design(e_val, p_val)
    mean = x_train.mean(0)
    std = np.maximum(x_train.std(0), STD_FLOOR)
    xt = torch.from_numpy(((x_train - mean) / std).astype(np.float32))
    yt = torch.from_numpy(y_train)
    candidates = []
    for l2 in (1e-4, 1e-3, 1e-2, 1e-1, 1.0):
        torch.manual_seed(seed)
        linear = nn.Linear(xt.shape[1], yt.shape[1])
        optimiser = torch.optim.LBFGS(linear.parameters(), lr=1.0, max_iter=steps, history_size=20,
                                      line_search_fn="strong_wolfe", tolerance_grad=1e-9, tolerance_change=1e-12)

        def closure():
            optimiser.zero_grad()
            loss = F.binary_cross_entropy_with_logits(linear(xt), yt) + l2 * linear.weight.pow(2).sum()
            loss.backward()
            return loss

        optimiser.step(closure)
        weight = linear.weight.detach().numpy().astype(np.float64) / std
        bias = linear.bias.detach().numpy().astype(np.float64) - weight @ mean
        score, _ = mean_auroc(y_val, x_val.astype(np.float64) @ weight.T + bias)
        candidates.append((score, l2, weight, bias))
        log(f"baseline L2 {l2:g}: validation mean AUROC {score:.4f}")
    score, l2, weight, bias = max(candidates, key=lambda c: (c[0], -c[1]))
    model = BaselineFusion(n_diagnoses, n_outcomes)
    with torch.no_grad():
        model.linear.weight.copy_(torch.from_numpy(weight.astype(np.float32)))
        model.linear.bias.copy_(torch.from_numpy(bias.astype(np.float32)))
    return model.eval(), {"l2": l2, "validationMeanAuroc": score, "lbfgsMaxIterations": steps,
                          "l2Grid": [c[1] for c in candidates]}


# --------------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------------

def evaluate_fusion_like(name, model, embeddings, present, labels, label_keys, diagnosis_keys, groups):
    """Calibration, thresholds and metrics (before/after calibration) on validation and test."""
    logits = {s: fuse(model, embeddings[s], present[s])[0] for s in ("validation", "test")}
    calibration, thresholds, metrics = {}, {}, {"validation": {}, "test": {}}
    for j, key in enumerate(label_keys):
        y_val = labels["validation"][:, j]
        calibration[key] = calibrate_head(y_val, logits["validation"][:, j], groups)
        for s in ("validation", "test"):
            z, y = logits[s][:, j], labels[s][:, j]
            chosen = calibration[key]
            metrics[s][key] = {"uncalibrated": head_metrics(y, z),
                               "calibrated": {"method": chosen["method"],
                                              **head_metrics(y, apply_calibration(z, chosen))}}
            # The calibration not chosen, for comparison (temperature+bias may be unavailable).
            other = ("temperatureAndBias" if chosen["method"] == "temperature" else "temperatureOnly")
            fit = chosen.get(other)
            if fit:
                metrics[s][key]["alternativeCalibration"] = {
                    "method": "temperature+bias" if other == "temperatureAndBias" else "temperature",
                    **head_metrics(y, z / fit["temperature"] + fit.get("bias", 0.0))}
        if key in diagnosis_keys:
            p_val = sigmoid(apply_calibration(logits["validation"][:, j], calibration[key]))
            t = operating_threshold(y_val, p_val)
            if t is None:
                thresholds[key] = {"threshold": None, "note": "no positive (or no negative) case in validation"}
            else:
                p_test = sigmoid(apply_calibration(logits["test"][:, j], calibration[key]))
                thresholds[key] = {
                    "threshold": t, "targetSensitivity": 0.90, "rule": "positive when calibrated p >= threshold",
                    "validation": sensitivity_specificity(y_val, p_val, t),
                    "test": sensitivity_specificity(labels["test"][:, j], p_test, t)}
    log(f"{name}: calibrated and thresholded")
    return logits, calibration, thresholds, metrics


def ablation(model, embeddings, present, labels, label_keys):
    """AUROC per head for every non-empty subset of modalities, by zeroing present flags."""
    results = []
    for size in range(1, len(MODALITIES) + 1):
        for subset in itertools.combinations(range(len(MODALITIES)), size):
            keep = np.zeros(len(MODALITIES), np.float32)
            keep[list(subset)] = 1
            flags = present * keep
            used = flags.sum(1) > 0  # cases with none of the subset's modalities are skipped
            entry = {"modalities": [MODALITIES[m] for m in subset], "n": int(used.sum()), "auroc": {},
                     "positives": {}}
            if used.any():
                logits, _ = fuse(model, embeddings[used], flags[used])
                for j, key in enumerate(label_keys):
                    entry["auroc"][key] = auroc(labels[used, j], logits[:, j])
                    entry["positives"][key] = int(labels[used, j].sum())
            results.append(entry)
    return results


def check_no_nan(fusion, baseline):
    """Single-modality and empty-modality inputs must give finite outputs, even with NaN in absent slots."""
    g = torch.Generator().manual_seed(0)
    checks = []
    for m in range(len(MODALITIES)):
        present = torch.zeros(4, len(MODALITIES))
        present[:, m] = 1
        embeddings = [torch.randn(4, EMBEDDING, generator=g) if k == m else torch.full((4, EMBEDDING), float("nan"))
                      for k in range(len(MODALITIES))]
        for model in (fusion, baseline):
            with torch.no_grad():
                out = model(*embeddings, present)
            finite = all(bool(torch.isfinite(o).all()) for o in out)
            if not finite:
                raise RuntimeError(f"{type(model).__name__}: non-finite output with only {MODALITIES[m]} present")
            if len(out) > 2 and not torch.allclose(out[2][:, m], torch.ones(4)):
                raise RuntimeError(f"fusion: attention is not all on the only present modality {MODALITIES[m]}")
        checks.append(MODALITIES[m])
    with torch.no_grad():
        out = fusion(*[torch.zeros(2, EMBEDDING)] * len(MODALITIES), torch.zeros(2, len(MODALITIES)))
    if not all(bool(torch.isfinite(o).all()) for o in out):
        raise RuntimeError("fusion: non-finite output with no modality present")
    return {"singleModalityFinite": checks, "noModalityFinite": True, "nanInAbsentSlotsIgnored": True}


def flops_per_input(module, example):
    """Multiply-adds x 2 of conv and linear layers for one input (batch 1), by forward hooks."""
    total = [0]

    def hook(layer, inputs, output):
        if isinstance(layer, (nn.Conv1d, nn.Conv2d)):
            kernel = int(np.prod(layer.kernel_size)) * layer.in_channels // layer.groups
            total[0] += 2 * kernel * output.numel()
        elif isinstance(layer, nn.Linear):
            total[0] += 2 * layer.in_features * output.numel()

    layers = [m for m in module.modules() if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Linear))]
    handles = [m.register_forward_hook(hook) for m in layers]
    with torch.no_grad():
        module.eval()(*example)
    for h in handles:
        h.remove()
    return total[0]


# --------------------------------------------------------------------------------------------------
# ONNX export
# --------------------------------------------------------------------------------------------------

def export_onnx(model, example, input_names, output_names, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    model.eval()
    torch.onnx.export(
        model, example, path, input_names=input_names, output_names=output_names,
        dynamic_axes={name: {0: "batch"} for name in input_names + output_names},
        opset_version=OPSET, do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL, verbose=False)
    onnx.checker.check_model(path, full_check=True)
    graph = onnx.load(path).graph
    names = [i.name for i in graph.input], [o.name for o in graph.output]
    if names != (input_names, output_names):
        raise RuntimeError(f"{path}: graph inputs/outputs {names} differ from {input_names}, {output_names}")
    for value in list(graph.input) + list(graph.output):
        if value.type.tensor_type.shape.dim[0].dim_param != "batch":
            raise RuntimeError(f"{path}: {value.name} has no dynamic 'batch' first dimension")
    return compare_with_onnxruntime(model, example, path, output_names)


def compare_with_onnxruntime(model, example, path, output_names):
    try:
        import onnxruntime
    except ImportError:
        return {"onnxChecker": "passed", "onnxRuntimeComparison": "skipped: onnxruntime is not importable"}
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    feeds = {i.name: t.numpy() for i, t in zip(session.get_inputs(), example)}
    with torch.no_grad():
        expected = model(*example)
    expected = expected if isinstance(expected, tuple) else (expected,)
    worst = 0.0
    for name, want, got in zip(output_names, expected, session.run(output_names, feeds)):
        worst = max(worst, float(np.abs(want.numpy() - got).max()))
    if worst > 1e-3:
        raise RuntimeError(f"{path}: ONNX Runtime differs from PyTorch by {worst}")
    return {"onnxChecker": "passed", "onnxRuntimeComparison": f"max abs difference {worst:.2e}"}


def tensor_spec(name, shape):
    return {"name": name, "shape": ["batch", *shape], "dtype": "float32"}


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------

def clean(value):
    """JSON-safe: numpy scalars to Python, non-finite floats to null."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return clean(value.tolist())
    if isinstance(value, (np.floating, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(clean(value), f, indent=2, allow_nan=False)
        f.write("\n")


DEFAULT_PRETRAIN_EPOCHS = "tabular=30,image=48,heart=24,lung=24,note=30"


def parse_epochs(text):
    """'24' (every modality) or 'image=32,heart=24' (the others keep their defaults)."""
    text = str(text).strip()
    if "=" not in text:
        try:
            return {m: int(text) for m in MODALITIES}
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number of epochs: {text!r}") from None
    epochs = parse_epochs(DEFAULT_PRETRAIN_EPOCHS) if text != DEFAULT_PRETRAIN_EPOCHS else {}
    for part in text.split(","):
        key, _, value = part.partition("=")
        if key.strip() not in MODALITIES or not value.strip().lstrip("-").isdigit():
            raise argparse.ArgumentTypeError(f"expected modality=epochs with a modality of {MODALITIES}: {part!r}")
        epochs[key.strip()] = int(value)
    return epochs


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--features", required=True, help="folder written by `healthassist features export`")
    parser.add_argument("--out", required=True, help="models folder; writes OUT/<name>/<version>/")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--split", type=parse_split, default=DEFAULT_SPLIT,
                        help="train,validation,test fractions of patients (default 0.45,0.40,0.15: a validation split "
                             "large enough to calibrate the rare outcome heads, about 170 deaths in 3,800 cases)")
    parser.add_argument("--epochs", type=int, default=20,
                        help="stage 2: upper bound on the joint fine-tuning epochs (early stopping usually "
                             "ends sooner)")
    parser.add_argument("--version", default="1.0.0")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--weight-decay", type=float, default=1e-2)
    parser.add_argument("--patience", type=int, default=6, help="fine-tuning epochs without validation gain before stopping")
    parser.add_argument("--modality-dropout", type=float, default=0.3)
    parser.add_argument("--aux-weight", type=float, default=0.25,
                        help="weight of the per-encoder auxiliary losses (0 disables; training only)")
    parser.add_argument("--attention-heads", type=int, default=4)
    parser.add_argument("--pos-weight", action="store_true", help="weight positives by (1-prevalence)/prevalence")
    parser.add_argument("--no-augment", dest="augment", action="store_false")
    parser.add_argument("--baseline-steps", type=int, default=300)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pretrain-epochs", type=parse_epochs, default=parse_epochs(DEFAULT_PRETRAIN_EPOCHS),
                        help="stage 1: upper bound on the epochs per encoder, one number for all or "
                             f"'modality=n,...' (default {DEFAULT_PRETRAIN_EPOCHS})")
    parser.add_argument("--pretrain-lr", type=float, default=3e-3, help="stage 1 peak learning rate")
    parser.add_argument("--pretrain-batch-size", type=int, default=32)
    parser.add_argument("--pretrain-patience", type=int, default=10,
                        help="stage 1: epochs without validation gain before an encoder stops")
    parser.add_argument("--pretrain-outcome-weight", type=float, default=0.5,
                        help="stage 1: loss weight of the three outcomes (diagnoses weigh 1)")
    parser.add_argument("--no-pretrain", dest="pretrain", action="store_false",
                        help="skip stage 1 and train everything jointly from scratch (the former method)")
    parser.add_argument("--freeze-epochs", type=int, default=30,
                        help="stage 2: upper bound on the epochs of fusion alone on frozen encoders (0 skips)")
    parser.add_argument("--encoder-lr-scale", type=float, default=0.1,
                        help="stage 2: encoders' learning rate as a fraction of --lr during joint fine-tuning")
    parser.add_argument("--single-modality", type=float, default=0.2,
                        help="stage 2: probability that a training case keeps only one of its modalities")
    parser.add_argument("--overwrite", action="store_true", help="replace existing model versions in OUT")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    wall_started = time.perf_counter()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(args.seed)
    generator = torch.Generator().manual_seed(args.seed)

    diagnoses, outcomes = load_labels()
    diagnosis_keys = [d["key"] for d in diagnoses]
    label_keys = diagnosis_keys + [o["key"] for o in outcomes]
    all_names = [ENCODER_NAMES[m] for m in MODALITIES] + [FUSION_NAME, BASELINE_NAME]
    if not args.overwrite:
        existing = [n for n in all_names if os.path.exists(os.path.join(args.out, n, args.version))]
        if existing:
            raise InputError(f"{args.out}: version {args.version} of {', '.join(existing)} exists (use --overwrite)")

    data = FeaturesExport(args.features, label_keys)
    log(f"{data.n} cases, {len(data.feature_names)} tabular features, note dimension {data.note.shape[1]}")
    hashes = data.file_hashes()
    split, patient_counts = split_by_patient(data.patients, args.seed, args.split)
    counts = {s: {"cases": int(len(rows)), "patients": patient_counts[s],
                  "positives": {k: int(data.labels[rows, j].sum()) for j, k in enumerate(label_keys)},
                  "present": {m: int(data.present_all[rows, i].sum()) for i, m in enumerate(MODALITIES)}}
              for s, rows in split.items()}
    log("split (cases/patients): " + ", ".join(f"{s} {c['cases']}/{c['patients']}" for s, c in counts.items()))
    if min(len(rows) for rows in split.values()) == 0:
        raise InputError(f"too few patients for a {split_label(args.split)} split")

    train_rows = split["train"]
    tab_mean, tab_std, tab_count = tabular_statistics(data, train_rows)
    sound_stats = {m: logmel_statistics(getattr(data, m), train_rows[data.present_all[train_rows, i] > 0])
                   for i, m in enumerate(MODALITIES) if m in ("heart", "lung")}
    encoders = nn.ModuleDict({
        "tabular": TabularEncoder(tab_mean, tab_std),
        "image": ImageEncoder(),
        "heart": SoundEncoder(*sound_stats["heart"]),
        "lung": SoundEncoder(*sound_stats["lung"]),
        "note": NoteEncoder(data.note.shape[1]),
    })
    fusion = Fusion(len(diagnoses), len(outcomes), heads=args.attention_heads)
    aux_heads = nn.ModuleList(nn.Linear(EMBEDDING, len(label_keys)) for _ in MODALITIES)

    cache_started = time.perf_counter()
    cache = ModalityCache(data)
    log(f"inputs cached in memory: {cache.bytes() / 2 ** 20:.0f} MiB, {time.perf_counter() - cache_started:.0f} s")

    # Stage 1: each encoder alone with its own head (the heads become stage 2's auxiliary heads).
    train_started = time.perf_counter()
    pretraining = {}
    if args.pretrain:
        for m, modality in enumerate(MODALITIES):
            aux_heads[m], pretraining[modality] = pretrain_encoder(
                modality, encoders[modality], cache, data, split, label_keys, len(diagnoses), args,
                args.pretrain_epochs[modality], args.seed + 1 + m)
    pretrain_seconds = time.perf_counter() - train_started
    if args.pretrain:
        log(f"stage 1 (unimodal pretraining): {pretrain_seconds:.0f} s")

    # Stage 2: fusion on frozen encoders, then joint fine-tuning with the encoders at a lower rate.
    torch.manual_seed(args.seed)
    fusion_started = time.perf_counter()
    history, best_epoch, best_val, best_phase = train_fusion(
        encoders, fusion, aux_heads, cache, data, split, args, rng, generator,
        freeze_epochs=args.freeze_epochs if args.pretrain else 0,
        encoder_lr_scale=args.encoder_lr_scale if args.pretrain else 1.0)
    fusion_seconds = time.perf_counter() - fusion_started
    train_seconds = time.perf_counter() - train_started
    del cache
    log(f"stage 2 (fusion): {fusion_seconds:.0f} s, best epoch {best_epoch} ({best_phase}; validation mean AUROC "
        f"{best_val:.4f}); training {train_seconds:.0f} s in all")

    embeddings = {s: encode_split(encoders, data, rows, data.present_all) for s, rows in split.items()}
    present = {s: data.present_all[rows] for s, rows in split.items()}
    labels = {s: data.labels[rows] for s, rows in split.items()}
    baseline_started = time.perf_counter()
    baseline, baseline_fit = fit_baseline(
        embeddings["train"], present["train"], labels["train"], embeddings["validation"], present["validation"],
        labels["validation"], len(diagnoses), len(outcomes), args.seed, args.baseline_steps)
    baseline_fit["seconds"] = time.perf_counter() - baseline_started

    # Patient-grouped folds for the calibration cross-validation inside the validation split.
    val_patients = [data.patients[i] for i in split["validation"]]
    fold_of = {p: k for k, p in enumerate(sorted(set(val_patients)))}
    groups = np.array([fold_of[p] for p in val_patients])
    evaluation = {}
    for name, model in ((FUSION_NAME, fusion), (BASELINE_NAME, baseline)):
        logits, calibration, thresholds, metrics = evaluate_fusion_like(
            name, model, embeddings, present, labels, label_keys, diagnosis_keys, groups)
        evaluation[name] = {"logits": logits, "calibration": calibration, "thresholds": thresholds,
                            "metrics": metrics,
                            "ablation": {s: ablation(model, embeddings[s], present[s], labels[s], label_keys)
                                         for s in ("validation", "test")}}
    nan_checks = check_no_nan(fusion, baseline)

    # Export. Examples are real validation rows where possible (batch of 2).
    example_rows = np.sort(split["validation"][:2])
    feature_count, note_dim = len(data.feature_names), data.note.shape[1]
    image_shape, audio_shape = tuple(data.export["image"]["shape"]), tuple(data.export["audio"]["shape"])
    specs = {
        "tabular": ([tensor_spec("features", [feature_count]), tensor_spec("mask", [feature_count])],
                    data.inputs("tabular", example_rows)),
        "image": ([tensor_spec("image", list(image_shape))], data.inputs("image", example_rows)),
        "heart": ([tensor_spec("logmel", list(audio_shape))], data.inputs("heart", example_rows)),
        "lung": ([tensor_spec("logmel", list(audio_shape))], data.inputs("lung", example_rows)),
        "note": ([tensor_spec("counts", [note_dim])], data.inputs("note", example_rows)),
    }
    fusion_inputs = [tensor_spec(m, [EMBEDDING]) for m in MODALITIES] + [tensor_spec("present", [len(MODALITIES)])]
    fusion_example = tuple(torch.from_numpy(embeddings["validation"][:2, m].copy()) for m in range(len(MODALITIES))) + (
        torch.from_numpy(present["validation"][:2].copy()),)
    exports = {}
    for m in MODALITIES:
        inputs, example = specs[m]
        outputs = [tensor_spec("embedding", [EMBEDDING])]
        path = os.path.join(args.out, ENCODER_NAMES[m], args.version, "model.onnx")
        exports[ENCODER_NAMES[m]] = (inputs, outputs, export_onnx(
            encoders[m], example, [i["name"] for i in inputs], ["embedding"], path), path)
    fusion_outputs = [tensor_spec("diagnosis_logits", [len(diagnoses)]), tensor_spec("outcome_logits", [len(outcomes)])]
    for name, model, outputs in (
            (FUSION_NAME, fusion, fusion_outputs + [tensor_spec("attention", [len(MODALITIES)])]),
            (BASELINE_NAME, baseline, fusion_outputs)):
        path = os.path.join(args.out, name, args.version, "model.onnx")
        exports[name] = (fusion_inputs, outputs, export_onnx(
            model, fusion_example, [i["name"] for i in fusion_inputs], [o["name"] for o in outputs], path), path)
    log("exported " + ", ".join(exports) + " (onnx.checker passed)")

    # Records.
    wall_seconds = time.perf_counter() - wall_started
    run_id = hashlib.sha256(json.dumps([hashes, args.seed, sys.argv, torch.__version__]).encode()).hexdigest()[:16]
    label_records = [{"key": d["key"], "display": d["display"], "kind": "diagnosis", "snomed": d["snomed"],
                      "icd10": d["icd10"]} for d in diagnoses] + [
        {"key": o["key"], "display": o["display"], "kind": "outcome", "snomed": o.get("snomed"),
         "snomedDisplay": o.get("snomedDisplay"), "horizon": o["horizon"]} for o in outcomes]
    hyper = {k: v for k, v in vars(args).items() if k not in ("features", "out", "overwrite")}
    common = {
        "version": args.version, "seed": args.seed, "trainingRun": run_id,
        "split": {"method": f"by patient (column `patient`), {split_label(args.split)}, numpy default_rng(seed) "
                            "permutation of the sorted pseudonyms",
                  "fractions": {"train": args.split[0], "validation": args.split[1], "test": args.split[2]},
                  "counts": counts},
        "data": data.export, "dataSha256": hashes,
        "command": [sys.executable] + sys.argv,
        "torchVersion": torch.__version__, "onnxVersion": onnx.__version__, "numpyVersion": np.__version__,
        "python": platform.python_version(), "opset": OPSET,
        "trainingWallTimeSeconds": round(train_seconds, 1), "totalWallTimeSeconds": round(wall_seconds, 1),
        "pretrainingWallTimeSeconds": round(pretrain_seconds, 1),
        "fusionTrainingWallTimeSeconds": round(fusion_seconds, 1),
        "trainedAtUtc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "hyperparameters": hyper,
    }
    requires = [{"input": m, "model": ENCODER_NAMES[m], "version": args.version, "output": "embedding"}
                for m in MODALITIES]
    single = {m: next(e for e in evaluation[FUSION_NAME]["ablation"]["test"] if e["modalities"] == [m])
              for m in MODALITIES}
    single_val = {m: next(e for e in evaluation[FUSION_NAME]["ablation"]["validation"] if e["modalities"] == [m])
                  for m in MODALITIES}
    preprocessing = {
        "tabular": {"inGraph": "z = (features - mean) / std (train-split statistics over present values, std "
                               f"floor {STD_FLOOR}), clamped to +/-{Z_CLAMP}, 0 where mask == 0; MLP input [z, mask]",
                    "expects": "canonical units as in tabular.npy, 0 where missing; mask 1 present / 0 missing",
                    "featureNames": data.feature_names, "featureSpecification": data.export.get("featureSpecification"),
                    "trainPresentCounts": tab_count.astype(int).tolist()},
        "image": {"inGraph": f"{ImageEncoder.POOL}x{ImageEncoder.POOL} average pool (224 -> 112) before the first "
                             "convolution", "expects": "image.npy tensor as exported (already normalised)"},
        "heart": {"inGraph": "per-mel-band (x - mean) / std, train-split statistics of present recordings",
                  "expects": "log-mel [64 bands, 500 frames] as in heart.npy"},
        "lung": {"inGraph": "per-mel-band (x - mean) / std, train-split statistics of present recordings",
                 "expects": "log-mel [64 bands, 500 frames] as in lung.npy"},
        "note": {"inGraph": "log1p(max(counts, 0))", "expects": "hashed n-gram counts as in note.npy"},
    }
    architectures = {
        "tabular": "[z*mask, mask] -> Linear(2F,128) -> GELU -> Dropout(0.2) -> Linear(128,64)",
        "image": "AvgPool 2x2 (224 -> 112), 5 x [Conv2d 3x3, BatchNorm, ReLU] 1->16->32->64->96->128 with strides "
                 "2,2,2,2,1 (7 x 7 map), [global mean, global max] (256), Dropout(0.2), Linear(256,64)",
        "heart": "per-band standardisation, 3 x [Conv2d 3x3 over (band, time), BatchNorm, ReLU] 1->16->32->64 with "
                 "strides (2,2),(2,2),(2,1) (64 bands -> 8, 500 frames -> 125), Conv2d (8 bands x 5 frames, time "
                 "stride 2) 64->128 + BatchNorm + ReLU (a temporal convolution over all bands), [mean, max] over "
                 "time (256), Dropout(0.2), Linear(256,64)",
        "note": "log1p -> Dropout(0.2) -> Linear(D,64) -> GELU -> Linear(64,64)",
    }
    architectures["lung"] = architectures["heart"]
    if not args.pretrain:
        encoder_origin = "trained jointly with fusion from scratch"
    elif best_phase == "fine-tuning":
        encoder_origin = "pretrained alone (stage 1), then fine-tuned jointly with fusion (stage 2)"
    else:
        encoder_origin = "pretrained alone (stage 1) and kept frozen while fusion was trained (stage 2)"
    model_records = {}
    for m in MODALITIES:
        name = ENCODER_NAMES[m]
        inputs, outputs, verification, path = exports[name]
        example = tuple(t[:1] for t in specs[m][1])
        model_records[name] = {
            "name": name, "version": args.version, "kind": "encoder", "modality": m,
            "inputs": inputs, "outputs": outputs, "embeddingDimension": EMBEDDING,
            "architecture": architectures[m], "parameters": sum(p.numel() for p in encoders[m].parameters()),
            "flopsPerInput": flops_per_input(encoders[m], example),
            "preprocessing": preprocessing[m],
            "usedBy": [{"model": FUSION_NAME, "version": args.version, "input": m},
                       {"model": BASELINE_NAME, "version": args.version, "input": m}],
            "note": encoder_origin + "; use only with fusion/fusion-baseline of the same trainingRun. "
                    "Run it only for cases where the modality is present; send zeros to fusion otherwise.",
            "metrics": {"description": "AUROC of the fusion model given only this modality (cases that have it)",
                        "validation": single_val[m], "test": single[m]},
            "pretraining": pretraining.get(m, {"skipped": "--no-pretrain"}),
        }
    for name, model in ((FUSION_NAME, fusion), (BASELINE_NAME, baseline)):
        inputs, outputs, verification, path = exports[name]
        ev = evaluation[name]
        model_records[name] = {
            "name": name, "version": args.version, "kind": "fusion",
            "inputs": inputs, "outputs": outputs, "embeddingDimension": EMBEDDING,
            "architecture": (
                f"per-modality Linear(64,64)+LayerNorm + modality-type embedding; attention pooling with "
                f"{args.attention_heads} learned queries over the 5 tokens (scores {MASKED_SCORE:g} where present "
                f"== 0); [pooled, present] -> Linear(69,128) -> GELU -> Dropout(0.2) -> Linear heads"
                if name == FUSION_NAME else
                "single Linear over [5 embeddings (zeros where absent), present] (325 -> 8), L2 logistic regression "
                "on frozen encoders' train embeddings"),
            "parameters": sum(p.numel() for p in model.parameters()),
            "requires": requires,
            "labels": label_records,
            "outputOrder": {"diagnosis_logits": diagnosis_keys, "outcome_logits": [o["key"] for o in outcomes],
                            **({"attention": list(MODALITIES)} if name == FUSION_NAME else {})},
            "calibration": {k: {"temperature": c["temperature"], "bias": c["bias"], "method": c["method"],
                                "formula": "p = sigmoid(logit / temperature + bias)",
                                "fit": {x: c.get(x) for x in ("temperatureOnly", "temperatureAndBias",
                                                              "crossValidatedNll", "note") if x in c}}
                            for k, c in ev["calibration"].items()},
            "thresholds": ev["thresholds"],
            "metrics": ev["metrics"],
            "ablation": {"description": "AUROC per head on raw logits with present flags limited to each subset; "
                                        "cases with none of the subset's modalities are skipped (n = cases used)",
                         "test": ev["ablation"]["test"], "validation": ev["ablation"]["validation"]},
            **({"training": {"history": history, "bestEpoch": best_epoch, "validationMeanAuroc": best_val,
                             "bestPhase": best_phase, "modalityDropout": args.modality_dropout,
                             "singleModality": args.single_modality, "auxiliaryLossWeight": args.aux_weight,
                             "encoderLearningRateScale": args.encoder_lr_scale if args.pretrain else 1.0,
                             "encodersPretrained": bool(args.pretrain)}}
               if name == FUSION_NAME else {"training": {"fit": baseline_fit}}),
            "checks": nan_checks,
        }
    for name, record in model_records.items():
        inputs, outputs, verification, path = exports[name]
        record.update(common)
        record["onnx"] = {"file": "model.onnx", "sha256": sha256_file(path), "bytes": os.path.getsize(path),
                          **verification}
        if record["onnx"]["bytes"] > 50 * 1024 * 1024:
            log(f"warning: {path} is over 50 MB")
        write_json(os.path.join(os.path.dirname(path), "training.json"), record)

    table = test_auroc_table(evaluation, label_keys)
    summary = {
        "data": data.export, "dataSha256": hashes, "trainingRun": run_id, "seed": args.seed,
        "command": common["command"], "versions": {k: common[k] for k in ("torchVersion", "onnxVersion",
                                                                           "numpyVersion", "python", "opset")},
        "hyperparameters": hyper, "trainingWallTimeSeconds": common["trainingWallTimeSeconds"],
        "totalWallTimeSeconds": round(time.perf_counter() - wall_started, 1), "trainedAtUtc": common["trainedAtUtc"],
        "split": common["split"],
        "caseIds": {s: [data.case_ids[i] for i in rows] for s, rows in split.items()},
        "testCaseIds": [data.case_ids[i] for i in split["test"]],
        "models": {name: {"path": os.path.relpath(exports[name][3], args.out), "kind": r["kind"],
                          "sha256": r["onnx"]["sha256"], "bytes": r["onnx"]["bytes"], "parameters": r["parameters"]}
                   for name, r in model_records.items()},
        "labels": label_records,
        "calibration": {n: model_records[n]["calibration"] for n in (FUSION_NAME, BASELINE_NAME)},
        "thresholds": {n: model_records[n]["thresholds"] for n in (FUSION_NAME, BASELINE_NAME)},
        "metrics": {n: model_records[n]["metrics"] for n in (FUSION_NAME, BASELINE_NAME)},
        "ablation": {n: model_records[n]["ablation"] for n in (FUSION_NAME, BASELINE_NAME)},
        "training": {"history": history, "bestEpoch": best_epoch, "bestPhase": best_phase, "baseline": baseline_fit},
        "pretraining": pretraining,
        "pretrainingWallTimeSeconds": common["pretrainingWallTimeSeconds"],
        "fusionTrainingWallTimeSeconds": common["fusionTrainingWallTimeSeconds"],
        "singleModalityTestAuroc": single_modality_table(evaluation, pretraining, label_keys)["rows"],
        "checks": nan_checks,
        "testAurocTable": table["rows"],
        # Raw test logits from PyTorch, for a parity check of the C# ONNX Runtime pipeline.
        "testPredictions": {
            "caseIds": [data.case_ids[i] for i in split["test"]],
            "columns": label_keys,
            **{n: np.round(evaluation[n]["logits"]["test"], 6).tolist() for n in (FUSION_NAME, BASELINE_NAME)}},
    }
    os.makedirs(args.out, exist_ok=True)
    write_json(os.path.join(args.out, "training-summary.json"), summary)
    print(table["text"])
    print(single_modality_table(evaluation, pretraining, label_keys)["text"])
    print(f"stage 1 {pretrain_seconds:.0f} s, stage 2 {fusion_seconds:.0f} s, training {train_seconds:.0f} s, "
          f"total {time.perf_counter() - wall_started:.0f} s; "
          f"models in {args.out} (version {args.version}, run {run_id})")


def test_auroc_table(evaluation, label_keys):
    fused = evaluation[FUSION_NAME]["metrics"]["test"]
    base = evaluation[BASELINE_NAME]["metrics"]["test"]
    singles = [e for e in evaluation[FUSION_NAME]["ablation"]["test"] if len(e["modalities"]) == 1]
    rows, lines = [], [f"{'test AUROC':<20} {'fusion':>7} {'baseline':>9}   best single modality (n)"]

    def fmt(v):
        return f"{v:.3f}" if v is not None else "  n/a"

    for key in label_keys:
        candidates = [(e["auroc"].get(key), e["modalities"][0], e["n"]) for e in singles
                      if e["auroc"].get(key) is not None]
        best = max(candidates) if candidates else (None, None, 0)
        row = {"label": key, "fusion": fused[key]["uncalibrated"]["auroc"],
               "baseline": base[key]["uncalibrated"]["auroc"], "bestSingle": best[0],
               "bestSingleModality": best[1], "bestSingleN": best[2]}
        rows.append(row)
        lines.append(f"{key:<20} {fmt(row['fusion']):>7} {fmt(row['baseline']):>9}   "
                     f"{fmt(row['bestSingle'])} {best[1] or ''} ({best[2]})")
    means = [np.mean([r[c] for r in rows if r[c] is not None] or [np.nan]) for c in ("fusion", "baseline")]
    lines.append(f"{'mean':<20} {means[0]:>7.3f} {means[1]:>9.3f}")
    return {"rows": rows, "text": "\n".join(lines)}


def single_modality_table(evaluation, pretraining, label_keys):
    """Test AUROC of fusion given one modality only, and of the stage-1 encoder with its own head."""
    rows, lines = [], [f"{'test AUROC, one modality':<26}" + "".join(f"{k[:10]:>11}" for k in label_keys)]

    def fmt(v):
        return f"{v:11.3f}" if v is not None else "        n/a"

    for m in MODALITIES:
        entry = next(e for e in evaluation[FUSION_NAME]["ablation"]["test"] if e["modalities"] == [m])
        row = {"modality": m, "n": entry["n"], "fusion": {k: entry["auroc"].get(k) for k in label_keys},
               "stage1": pretraining.get(m, {}).get("testAuroc")}
        rows.append(row)
        label = f"fusion, {m} ({entry['n']})"
        lines.append(f"{label:<26}" + "".join(fmt(row["fusion"][k]) for k in label_keys))
        if row["stage1"]:
            lines.append(f"{'  stage-1 encoder + head':<26}" + "".join(fmt(row["stage1"].get(k)) for k in label_keys))
    return {"rows": rows, "text": "\n".join(lines)}


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except InputError as error:
        print(f"train.py: {error}", file=sys.stderr)
        sys.exit(2)
