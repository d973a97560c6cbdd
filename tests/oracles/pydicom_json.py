#!/usr/bin/python3
"""Independent oracle for the DICOM tests: prints, one JSON line per file, pydicom's DICOM JSON model of the dataset
(file meta excluded, binary values inline) or the error pydicom raised. Usage: pydicom_json.py FILE...
Runs with Debian's python3-pydicom (installed by scripts/test.sh)."""
import base64
import json
import sys
import warnings

import pydicom

warnings.simplefilter("ignore")


def main(paths):
    for path in paths:
        try:
            ds = pydicom.dcmread(path, force=True)
            model = ds.to_json_dict(bulk_data_threshold=1 << 40, suppress_invalid_tags=True)
            meta = getattr(ds, "file_meta", None)
            syntax = str(meta.TransferSyntaxUID) if meta is not None and "TransferSyntaxUID" in meta else None
            print(json.dumps({"file": path, "ok": True, "transferSyntax": syntax, "json": model}))
        except Exception as error:  # the oracle reports every failure; the C# side decides what it means
            print(json.dumps({"file": path, "ok": False, "error": f"{type(error).__name__}: {error}"[:300]}))
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
