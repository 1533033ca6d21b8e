#!/usr/bin/env python3
"""PDQ end to end (read + decode + hash), single-threaded: Tutela against the C++ reference
(PyPI `pdqhash`, fed by Pillow, as python-threatexchange and HMA do) on the same JPEG files of
about 0.3, 1.6 and 12 megapixels, in one run. Prints images/s and the ratios.

    bench/.venv/bin/python bench/pdq_bench.py            # full run (about a minute)
    bench/.venv/bin/python bench/pdq_bench.py --quick    # CI setting
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import pdqhash
from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(REPO, "..", "shared", "vectors", "pdq", "images", "bridge-mods", "aaa-orig.jpg")
SIZES = {"0.3MP": (640, 480), "1.6MP": (1600, 1004), "12MP": (4000, 3000)}


def make_inputs(out_dir):
    """Baseline 4:2:0 JPEGs (Pillow's default) resized from a public test photo."""
    os.makedirs(out_dir, exist_ok=True)
    src = Image.open(SOURCE).convert("RGB")
    files = {}
    for name, size in SIZES.items():
        path = os.path.join(out_dir, f"bench-{name}.jpg")
        if not os.path.exists(path):
            src.resize(size, Image.LANCZOS).save(path, quality=90)
        files[name] = path
    return files


def reference(path, seconds):
    def once():
        with Image.open(path) as im:
            arr = np.asarray(im.convert("RGB"))
        return pdqhash.compute(arr)

    runs, start = 0, time.perf_counter()
    while runs < 3 or time.perf_counter() - start < seconds:
        bits, quality = once()
        runs += 1
    rate = runs / (time.perf_counter() - start)
    return rate, "%064x" % int("".join(str(int(b)) for b in bits), 2), int(quality)


def tutela(binary, mode, files, seconds):
    out = subprocess.run([binary, "--mode", mode, "--seconds", str(seconds), *files],
                         check=True, capture_output=True, text=True).stdout
    return {r["file"]: r for r in map(json.loads, out.splitlines())}


def distance(a, b):
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="short timing budget (CI)")
    ap.add_argument("--seconds", type=float, default=None, help="time budget per file and implementation")
    args = ap.parse_args()
    seconds = args.seconds or (0.3 if args.quick else 3.0)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "tutela-image", "--example", "pdq_bench"],
                   cwd=REPO, check=True)
    binary = os.path.join(REPO, "target", "release", "examples", "pdq_bench")
    files = make_inputs(os.path.join(REPO, "bench", "out"))
    paths = list(files.values())
    exact = tutela(binary, "exact", paths, seconds)
    fast = tutela(binary, "fast", paths, seconds)
    print(f"PDQ, read+decode+hash, 1 thread, {seconds}s per cell")
    print(f"{'image':>6} {'reference img/s':>16} {'exact img/s':>12} {'ratio':>6} {'fast img/s':>11} {'ratio':>6}"
          f" {'exact-ref bits':>15} {'fast-exact bits':>16}")
    rows = []
    for name, path in files.items():
        ref_rate, ref_hash, _ = reference(path, seconds)
        e, f = exact[path], fast[path]
        row = {
            "image": name, "reference": ref_rate, "exact": e["images_per_second"], "fast": f["images_per_second"],
            "exact_ratio": e["images_per_second"] / ref_rate, "fast_ratio": f["images_per_second"] / ref_rate,
            "exact_vs_reference_bits": distance(e["pdq"], ref_hash), "fast_vs_exact_bits": distance(f["pdq"], e["pdq"]),
        }
        rows.append(row)
        print(f"{name:>6} {ref_rate:16.1f} {row['exact']:12.1f} {row['exact_ratio']:5.1f}x {row['fast']:11.1f}"
              f" {row['fast_ratio']:5.1f}x {row['exact_vs_reference_bits']:15d} {row['fast_vs_exact_bits']:16d}")
    with open(os.path.join(REPO, "bench", "out", "pdq_bench.json"), "w") as fh:
        json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    sys.exit(main())
