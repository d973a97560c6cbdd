#!/usr/bin/python3
"""Baseline for `healthassist bench dicom`: pydicom parsing the same corpus, the same number of rounds.
Prints one JSON object: seconds for dcmread alone (pixel data read, values left raw as pydicom does) and for dcmread
plus to_json_dict (every value decoded). Usage: pydicom_parse.py ROUNDS FILE..."""
import json
import sys
import time
import warnings

import pydicom

warnings.simplefilter("ignore")


def main(rounds, paths):
    data = []
    for path in paths:
        with open(path, "rb") as f:
            data.append(f.read())
    import io

    readable = []
    for blob in data:
        try:
            pydicom.dcmread(io.BytesIO(blob), force=True).to_json_dict(bulk_data_threshold=1 << 40, suppress_invalid_tags=True)
            readable.append(blob)
        except Exception:
            pass
    start = time.perf_counter()
    for _ in range(rounds):
        for blob in readable:
            pydicom.dcmread(io.BytesIO(blob), force=True)
    parse = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(rounds):
        for blob in readable:
            pydicom.dcmread(io.BytesIO(blob), force=True).to_json_dict(bulk_data_threshold=1 << 40, suppress_invalid_tags=True)
    full = time.perf_counter() - start
    print(json.dumps({"files": len(readable), "bytes": sum(len(b) for b in readable), "parse": parse, "full": full}))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
