#!/usr/bin/python3
"""Compares the two image backbones issue 7 names, on the same patients and the same split as train.py:

  ours      the small CNN image encoder trained from scratch (its image-only test AUROCs, recorded by train.py's
            unimodal pretraining in OUT/image-encoder/VERSION/training.json)
  resnet18  the ImageNet ResNet18 featurizer of Microsoft.ML.DnnImageFeaturizer.ResNet18 (512 features per image,
            written by `healthassist features resnet18`), with an L2 logistic-regression head per diagnosis whose
            penalty is chosen on the validation split

Usage: compare_image_backbones.py --features DIR --models OUT [--version 2.0.0] [--seed 20261126] [--out FILE]
Prints the table and writes it as JSON.
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train  # noqa: E402  (the same split and metrics as training)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--features", required=True)
    parser.add_argument("--models", required=True)
    parser.add_argument("--version", default="2.0.0")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--out")
    args = parser.parse_args()

    diagnoses, outcomes = train.load_labels()
    keys = [d["key"] for d in diagnoses]
    data = train.FeaturesExport(args.features, keys + [o["key"] for o in outcomes])
    split, _ = train.split_by_patient(data.patients, args.seed, (0.6, 0.2, 0.2))  # the split its recorded result used
    features = np.load(os.path.join(args.features, "image_resnet18.npy"))
    has_image = data.present_all[:, 1] > 0
    rows = {s: split[s][has_image[split[s]]] for s in split}

    # Standardise with training statistics, then pick the L2 penalty per diagnosis on validation AUROC.
    mean = features[rows["train"]].mean(0)
    sd = features[rows["train"]].std(0) + 1e-6
    X = {s: np.c_[np.ones(len(r)), (features[r] - mean) / sd] for s, r in rows.items()}
    resnet = {}
    table = {"cases": {s: int(len(r)) for s, r in rows.items()}, "diagnoses": {}}
    for j, key in enumerate(keys):
        y = {s: data.labels[r, j] for s, r in rows.items()}
        best = None
        for ridge in (1e-3, 1e-2, 1e-1, 1.0):
            beta = train.fit_logistic(X["train"], y["train"], ridge=ridge, iterations=50)
            score = train.auroc(y["validation"], X["validation"] @ beta)
            if best is None or score > best[0]:
                best = (score, ridge, beta)
        resnet[key] = {"validation": best[0], "test": train.auroc(y["test"], X["test"] @ best[2]), "ridge": best[1]}

    # Ours: the image encoder's own head from unimodal pretraining when recorded, else the fusion model limited to the
    # image (the ablation row train.py records on the same test split).
    summary = json.load(open(os.path.join(args.models, "image-encoder", args.version, "training.json")))
    ours = (summary.get("pretraining") or {}).get("test") or {}
    source = "image encoder's pretraining head"
    if not ours:
        fusion = json.load(open(os.path.join(args.models, "fusion", args.version, "training.json")))
        ours = next(r["auroc"] for r in fusion["ablation"]["test"] if r["modalities"] == ["image"])
        source = "fusion limited to the image"
    table["oursSource"] = source
    print(f"image-only test AUROC ({len(rows['test'])} test cases with an image)")
    print(f"{'diagnosis':20} {'our CNN':>8} {'ResNet18':>9}")
    for key in keys:
        mine = ours.get(key)
        table["diagnoses"][key] = {"ours": mine, "resnet18": resnet[key]}
        print(f"{key:20} {mine if mine is None else round(mine, 3):>8} {round(resnet[key]['test'], 3):>9}")
    mean_ours = np.mean([v for v in (ours.get(k) for k in keys) if v is not None]) if ours else None
    mean_resnet = float(np.mean([resnet[k]["test"] for k in keys]))
    table["mean"] = {"ours": mean_ours, "resnet18": mean_resnet}
    print(f"{'mean':20} {mean_ours if mean_ours is None else round(float(mean_ours), 3):>8} {round(mean_resnet, 3):>9}")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(train.clean(table), f, indent=2)


if __name__ == "__main__":
    main()
