#!/usr/bin/python3
"""Write a small, fake features folder in the layout of `healthassist features export`.

It exists to test train.py before (and independently of) the C# exporter: the files, shapes, dtypes,
column names and missing-modality conventions match the export contract, and a weak signal is
planted in every modality so that learning is visible. Nothing here resembles the real cohort's
physiology beyond the direction of each effect; the numbers mean nothing.

    /usr/bin/python3 models/training/make_fake_features.py --out /tmp/features-fake [--cases 300]
"""
import argparse
import csv
import json
import os

import numpy as np

MODALITIES = ["tabular", "image", "heart", "lung", "note"]
DIAGNOSES = ["pneumonia", "heart_failure", "copd_exacerbation", "aortic_stenosis", "pleural_effusion"]
OUTCOMES = ["death_30d", "icu_48h", "readmission_30d"]

# (name, typical canonical value, spread); the fake record's features.
TABULAR = [
    ("age", 67, 15), ("sex_female", 0.5, 0.5), ("heart_rate_latest", 85, 12), ("heart_rate_max", 95, 14),
    ("respiratory_rate_latest", 18, 3), ("respiratory_rate_max", 21, 4), ("spo2_latest", 95, 2),
    ("spo2_min", 93, 2.5), ("temperature_latest", 36.9, 0.4), ("temperature_max", 37.1, 0.5),
    ("systolic_bp_latest", 130, 18), ("systolic_bp_min", 120, 18), ("diastolic_bp_latest", 78, 10),
    ("weight_latest", 80, 16), ("weight_trend", 0, 0.8), ("wbc_latest", 8, 2.5), ("crp_latest", 12, 10),
    ("procalcitonin_latest", 0.1, 0.1), ("bnp_latest", 120, 80), ("troponin_latest", 0.01, 0.01),
    ("creatinine_latest", 90, 25), ("lactate_latest", 1.4, 0.5), ("haemoglobin_latest", 135, 15),
    ("history_copd", 0.15, 0.35), ("history_heart_failure", 0.15, 0.35), ("history_ckd", 0.1, 0.3),
    ("history_diabetes", 0.2, 0.4), ("medication_diuretic", 0.2, 0.4),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--note-dimension", type=int, default=1024)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    n = args.cases
    os.makedirs(args.out, exist_ok=True)

    # About one patient in six has two cases, so that the split by patient matters.
    patient_of_case = []
    while len(patient_of_case) < n:
        p = f"pat-{rng.integers(16**10):010x}"
        patient_of_case += [p] * (2 if rng.random() < 1 / 6 else 1)
    patient_of_case = patient_of_case[:n]

    age = np.clip(rng.normal(67, 15, n), 18, 98).round()
    copd_hist = rng.random(n) < 0.15 + 0.1 * (age >= 60)
    hf_hist = rng.random(n) < 0.08 + 0.15 * (age >= 65)
    sev = rng.uniform(0.2, 1.0, (n, 5))
    dx = np.zeros((n, 5))
    dx[:, 3] = rng.random(n) < 0.04 + 0.1 * (age >= 75)
    dx[:, 0] = rng.random(n) < 0.3 + 0.08 * copd_hist
    dx[:, 1] = rng.random(n) < 0.08 + 0.4 * hf_hist + 0.05 * dx[:, 3]
    dx[:, 2] = copd_hist & (rng.random(n) < 0.55)
    dx[:, 4] = rng.random(n) < 0.06 + 0.3 * dx[:, 1] + 0.12 * dx[:, 0]
    s = dx * sev  # severity, 0 where absent

    def bern(logit):
        return (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)

    death = bern(-3.5 + 0.05 * (age - 65) + 1.8 * s[:, 0] + 1.6 * s[:, 1] + 1.0 * s[:, 2] + 1.0 * s[:, 3])
    icu = bern(-2.5 + 1.8 * s[:, 0] + 1.5 * s[:, 1] + 1.8 * s[:, 2] + 0.3 * s[:, 4])
    readmit = bern(-2.0 + 0.6 * hf_hist + 0.5 * copd_hist + 0.8 * dx[:, 1] + 0.01 * (age - 65))

    present = np.stack([
        rng.random(n) < 0.98, rng.random(n) < 0.85, rng.random(n) < 0.80, rng.random(n) < 0.80,
        rng.random(n) < 0.90], axis=1).astype(np.float32)
    present[present.sum(1) == 0, 0] = 1  # every case has at least one modality

    # Tabular: noise around typical values, shifted by the planted conditions.
    names = [t[0] for t in TABULAR]
    col = {name: i for i, name in enumerate(names)}
    tab = np.stack([rng.normal(mu, sd, n) for _, mu, sd in TABULAR], axis=1)
    tab[:, col["age"]] = age
    tab[:, col["sex_female"]] = rng.random(n) < 0.5
    tab[:, col["history_copd"]] = copd_hist
    tab[:, col["history_heart_failure"]] = hf_hist
    tab[:, col["temperature_max"]] += (rng.random(n) < 0.7) * (0.4 + 1.6 * s[:, 0])
    tab[:, col["temperature_latest"]] += 0.8 * s[:, 0]
    tab[:, col["wbc_latest"]] += 6 * s[:, 0]
    tab[:, col["crp_latest"]] += 80 * s[:, 0] * rng.lognormal(0, 0.5, n)
    tab[:, col["bnp_latest"]] += 900 * s[:, 1] * rng.lognormal(0, 0.5, n) + 150 * s[:, 3]
    tab[:, col["weight_trend"]] += 2.5 * s[:, 1]
    tab[:, col["spo2_min"]] -= 7 * s[:, 2] + 2 * s[:, 4]
    tab[:, col["spo2_latest"]] -= 6 * s[:, 2] + 2 * s[:, 4]
    tab[:, col["respiratory_rate_max"]] += 6 * s[:, 2] + 3 * s[:, 0]
    tab_mask = (rng.random(tab.shape) < 0.8).astype(np.float32)
    for always in ("age", "sex_female", "history_copd", "history_heart_failure"):
        tab_mask[:, col[always]] = 1
    tab_mask *= present[:, [0]]
    tab = (tab * tab_mask).astype(np.float32)

    # Image: smooth noise plus a "heart" ellipse; pneumonia adds a blob in one lower zone, heart
    # failure enlarges the heart, effusion brightens the bases, COPD darkens the lung fields.
    yy, xx = np.mgrid[0:224, 0:224].astype(np.float32) / 224
    image = np.lib.format.open_memmap(os.path.join(args.out, "image.npy"), "w+", np.float32, (n, 1, 224, 224))
    for i in range(n):
        if not present[i, 1]:
            image[i] = 0
            continue
        img = np.kron(rng.normal(0, 0.4, (28, 28)), np.ones((8, 8))).astype(np.float32)
        w = 0.13 * (1 + 0.5 * s[i, 1] + 0.2 * s[i, 3])
        img += 1.5 * (((xx - 0.52) / w) ** 2 + ((yy - 0.6) / 0.12) ** 2 < 1)
        if dx[i, 0]:
            cx, cy = rng.choice([0.3, 0.7]), rng.uniform(0.55, 0.75)
            img += 1.2 * s[i, 0] * np.exp(-(((xx - cx) ** 2 + (yy - cy) ** 2) / 0.006))
        img += 1.5 * s[i, 4] * (yy > 0.85)
        img -= 0.6 * s[i, 2]
        image[i, 0] = (img - img.mean()) / (img.std() + 1e-6)
    image.flush()
    del image

    # Sounds: log-mel of noise; a murmur (mid bands, periodic) for aortic stenosis, a low S3 for heart
    # failure, crackles (broadband clicks) for pneumonia, a wheeze (one band) for COPD, and quieter
    # breath sounds with effusion.
    def noise_logmel():
        return np.log(rng.exponential(1.0, (64, 500)) * np.linspace(2, 0.2, 64)[:, None] + 1e-6)

    heart = np.lib.format.open_memmap(os.path.join(args.out, "heart.npy"), "w+", np.float32, (n, 64, 500))
    lung = np.lib.format.open_memmap(os.path.join(args.out, "lung.npy"), "w+", np.float32, (n, 64, 500))
    beats = (np.arange(500) % 50) < 25
    for i in range(n):
        if present[i, 2]:
            h = noise_logmel()
            h[12:30, beats] += 2.0 * s[i, 3]
            if rng.random() < 0.65:
                h[2:8, (np.arange(500) % 50) == 30] += 3.0 * s[i, 1]
            heart[i] = h
        else:
            heart[i] = 0
        if present[i, 3]:
            l = noise_logmel() - 1.5 * s[i, 4]
            clicks = rng.random(500) < 0.05 * (s[i, 0] + 0.7 * s[i, 1])
            l[:, clicks] += 2.5
            l[35:38] += 2.5 * s[i, 2]
            lung[i] = l
        else:
            lung[i] = 0
    heart.flush()
    lung.flush()
    del heart, lung

    # Note: hashed n-gram counts; each condition has its own handful of buckets, mentioned 60 % of the time.
    d = args.note_dimension
    note = rng.poisson(0.05, (n, d)).astype(np.float32)
    buckets = rng.choice(d, (5, 6), replace=False)
    for k in range(5):
        hit = (dx[:, k] > 0) & (rng.random(n) < 0.6)
        note[np.ix_(hit, buckets[k])] += rng.poisson(1.5, (hit.sum(), 6))
    note *= present[:, [4]]

    np.save(os.path.join(args.out, "tabular.npy"), tab)
    np.save(os.path.join(args.out, "tabular_mask.npy"), tab_mask)
    np.save(os.path.join(args.out, "note.npy"), note)
    np.save(os.path.join(args.out, "present.npy"), present)

    races = ["White", "Black or African American", "Asian", "Other Race", "Unknown, declined"]
    race = rng.choice(races, n, p=[0.6, 0.15, 0.06, 0.15, 0.04])
    reasons = {1: "DICOM transfer syntax not supported", 2: "audio shorter than 3 s", 3: "audio clipped", 4: ""}
    with open(os.path.join(args.out, "cases.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["case_id", "patient", *DIAGNOSES, *OUTCOMES, "age", "sex", "race", "spo2_measurement_shift",
                    "tabular_rejection", "image_rejection", "heart_rejection", "lung_rejection", "note_rejection"])
        for i in range(n):
            rej = [""] + [reasons[m] if not present[i, m] and rng.random() < 0.3 else "" for m in range(1, 5)]
            w.writerow([f"case-{i:05d}", patient_of_case[i], *dx[i].astype(int), death[i], icu[i], readmit[i],
                        int(age[i]), "female" if tab[i, col["sex_female"]] else "male", race[i],
                        int(race[i] == "Black or African American"), *rej])

    export = {
        "exporterVersion": "fake-0",
        "featureSpecification": "1.0.0",
        "featureNames": names,
        "image": {"shape": [1, 224, 224], "normalisation": "fake: per-image z-score"},
        "audio": {"shape": [64, 500], "sampleRate": 4000, "melBands": 64, "frames": 500},
        "note": {"dimension": d},
        "modalities": MODALITIES,
        "cases": n,
        "cohort": {"seed": args.seed, "generatorVersion": "fake"},
    }
    with open(os.path.join(args.out, "export.json"), "w") as f:
        json.dump(export, f, indent=2)
    print(f"wrote {n} fake cases ({len(set(patient_of_case))} patients) to {args.out}")


if __name__ == "__main__":
    main()
