#!/usr/bin/python3
"""Pixel oracle: for each FILE, pydicom's pixel_array (numpy; RLE by numpy; JPEG family through python3-gdcm) written as
little-endian float64 samples to OUTDIR/<index>.f64, in C order (frame, row, column, sample), and one JSON line per
file with the shape or the error. Usage: pydicom_pixels.py OUTDIR FILE..."""
import json
import os
import sys
import warnings

import numpy
import pydicom

warnings.simplefilter("ignore")


def main(out, paths):
    for index, path in enumerate(paths):
        try:
            ds = pydicom.dcmread(path, force=True)
            if "PixelData" not in ds:
                print(json.dumps({"file": path, "ok": False, "error": "no pixel data"}))
                continue
            array = ds.pixel_array
            target = os.path.join(out, f"{index}.f64")
            array.astype("<f8").tofile(target)
            print(json.dumps({"file": path, "ok": True, "shape": list(array.shape), "dtype": str(array.dtype), "raw": target}))
        except Exception as error:
            print(json.dumps({"file": path, "ok": False, "error": f"{type(error).__name__}: {error}"[:300]}))
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
