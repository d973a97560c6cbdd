#!/usr/bin/python3
"""Builds a complete, independently made model set (five encoders and a fusion model) with onnx.helper, as a
hospital bringing its own models would, to test that the serving code honours the manifest contract and nothing else.

Usage: byom_models.py OUT_DIR INPUT_SPECIFICATION_JSON FEATURE_COUNT

Every model is deliberately simple, so the test can compute the expected answer by hand:
  encoders: a summary of the input (mean, count) times a fixed vector → a 16-d embedding;
  fusion:   diagnosis_logits = present @ WD + BD, outcome_logits = present @ WO (it ignores the embeddings' values),
            attention = present / sum(present).
The weights are written into weights.json beside the models for the test to read.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

EMBEDDING = 16
VERSION = "0.1.0"


def tensor_spec(name, row):
    return {"name": name, "shape": ["batch"] + list(row), "dtype": "float32"}


def save(out, name, graph, manifest):
    folder = os.path.join(out, name, VERSION)
    os.makedirs(folder, exist_ok=True)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="byom-test")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(folder, "model.onnx"))
    with open(os.path.join(folder, "card.md"), "w") as f:
        f.write(f"# {name}@{VERSION}\n\nA test model built by tests/oracles/byom_models.py; it predicts nothing real.\n")
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)


def encoder(out, name, modality, inputs, summary_nodes, summary_width, spec, extra=()):
    """inputs: [(name, row_shape)]; summary_nodes produce 'summary' [batch, summary_width]."""
    projection = numpy_helper.from_array(np.linspace(0.1, 1.6, summary_width * EMBEDDING, dtype=np.float32).reshape(summary_width, EMBEDDING), "projection")
    nodes = summary_nodes + [helper.make_node("MatMul", ["summary", "projection"], ["embedding"])]
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["batch"] + list(r)) for n, r in inputs],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", EMBEDDING])],
        initializer=[projection] + list(extra))
    save(out, name, graph, {
        "schema": "healthassist.model/1", "name": name, "version": VERSION, "kind": "encoder", "modality": modality,
        "description": "test encoder (input summary times a fixed vector)",
        "inputs": [tensor_spec(n, r) for n, r in inputs], "outputs": [tensor_spec("embedding", [EMBEDDING])],
        "preprocessing": spec, "notice": "Test model; not for clinical use.",
    })


def main():
    out, spec_path, feature_count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    spec = json.load(open(spec_path))
    image = [1, spec["image"]["height"], spec["image"]["width"]]
    audio = [spec["audio"]["log_mel"]["n_mels"], spec["audio"]["frames"]]
    note = [spec["note"]["dimension"]]
    axes1 = numpy_helper.from_array(np.array([1], dtype=np.int64), "axes1")

    tabular = [helper.make_node("ReduceSum", ["mask", "axes1"], ["summary"], keepdims=1)]
    encoder(out, "byom-tabular", "tabular", [("features", [feature_count]), ("mask", [feature_count])], tabular, 1, spec, [axes1])
    encoder(out, "byom-image", "image", [("pixels", image)],
            [helper.make_node("ReduceMean", ["pixels"], ["summary"], axes=[2, 3], keepdims=0)], 1, spec)
    for sound in ("heart", "lung"):
        encoder(out, f"byom-{sound}", sound, [("spectrogram", audio)],
                [helper.make_node("ReduceMean", ["spectrogram"], ["summary"], axes=[2], keepdims=0)], audio[0], spec)
    note_nodes = [helper.make_node("ReduceSum", ["counts", "axes1"], ["summary"], keepdims=1)]
    encoder(out, "byom-note", "note", [("counts", note)], note_nodes, 1, spec, [axes1])

    rng = np.random.default_rng(5)
    wd = rng.normal(0, 1, (5, 5)).astype(np.float32)
    bd = rng.normal(0, 0.5, (5,)).astype(np.float32)
    wo = rng.normal(0, 1, (5, 3)).astype(np.float32)
    modalities = ["tabular", "image", "heart", "lung", "note"]
    nodes = [
        helper.make_node("MatMul", ["present", "WD"], ["d0"]),
        helper.make_node("Add", ["d0", "BD"], ["diagnosis_logits"]),
        helper.make_node("MatMul", ["present", "WO"], ["outcome_logits"]),
        helper.make_node("ReduceSum", ["present", "axes1"], ["count"], keepdims=1),
        helper.make_node("Div", ["present", "count"], ["attention"]),
    ]
    graph = helper.make_graph(
        nodes, "byom-fusion",
        [helper.make_tensor_value_info(m, TensorProto.FLOAT, ["batch", EMBEDDING]) for m in modalities]
        + [helper.make_tensor_value_info("present", TensorProto.FLOAT, ["batch", 5])],
        [helper.make_tensor_value_info("diagnosis_logits", TensorProto.FLOAT, ["batch", 5]),
         helper.make_tensor_value_info("outcome_logits", TensorProto.FLOAT, ["batch", 3]),
         helper.make_tensor_value_info("attention", TensorProto.FLOAT, ["batch", 5])],
        initializer=[numpy_helper.from_array(wd, "WD"), numpy_helper.from_array(bd, "BD"), numpy_helper.from_array(wo, "WO"), axes1])
    diagnoses = [("pneumonia", "Pneumonia", "233604007", "J18.9"), ("heart_failure", "Heart failure", "84114007", "I50.9"),
                 ("copd_exacerbation", "COPD exacerbation", "195951007", "J44.1"), ("aortic_stenosis", "Aortic valve stenosis", "60573004", "I35.0"),
                 ("pleural_effusion", "Pleural effusion", "60046008", "J90")]
    labels = [{"key": k, "display": d, "kind": "diagnosis", "snomed": s, "icd10": i, "calibration": {"temperature": 1.0, "bias": 0.0}, "threshold": 0.5}
              for k, d, s, i in diagnoses]
    labels += [{"key": k, "display": d, "kind": "outcome", "horizon": h, "calibration": {"temperature": 2.0, "bias": 0.0}}
               for k, d, h in [("death_30d", "Death within 30 days", "P30D"), ("icu_48h", "ICU admission within 48 hours", "PT48H"),
                               ("readmission_30d", "Readmission within 30 days", "P30D")]]
    save(out, "byom-fusion", graph, {
        "schema": "healthassist.model/1", "name": "byom-fusion", "version": VERSION, "kind": "fusion",
        "inputs": [tensor_spec(m, [EMBEDDING]) for m in modalities] + [tensor_spec("present", [5])],
        "outputs": [tensor_spec("diagnosis_logits", [5]), tensor_spec("outcome_logits", [3]), tensor_spec("attention", [5])],
        "preprocessing": spec, "encoders": {m: f"byom-{m}@{VERSION}" for m in modalities}, "labels": labels,
        "notice": "Test model; not for clinical use.",
    })
    json.dump({"WD": wd.tolist(), "BD": bd.tolist(), "WO": wo.tolist()}, open(os.path.join(out, "weights.json"), "w"))


if __name__ == "__main__":
    main()
