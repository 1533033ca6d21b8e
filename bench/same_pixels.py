#!/usr/bin/env python3
"""Writes RGB arrays and the C++ reference's PDQ hashes of them (PyPI `pdqhash`, a binding of
Meta's C++ core) for `crates/tutela-pdq/tests/same_pixels.rs`.

Output: DIR/cases.json plus one raw RGB file per case. Deterministic (seeded)."""
import argparse
import json
import os

import numpy as np
import pdqhash

SIZES = [
    (5, 5), (5, 6), (6, 5), (4, 100), (100, 4), (7, 300), (63, 65), (64, 64), (65, 64),
    (127, 129), (128, 128), (129, 257), (256, 256), (300, 41), (640, 480), (1000, 999),
    (1024, 768), (1600, 1004), (1920, 1080), (3000, 2000), (4000, 3000),
]


def to_hex(bits):
    return "%064x" % int("".join(str(int(b)) for b in bits), 2)


def structured(rng, h, w):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.empty((h, w, 3))
    for c in range(3):
        fx, fy = rng.uniform(0.5, 12, 2)
        img[..., c] = 127 + 60 * np.sin(2 * np.pi * fx * x / w + c) + 60 * np.cos(2 * np.pi * fy * y / h)
    for _ in range(6):  # rectangles, as objects in a photo
        y0, x0 = rng.integers(0, h), rng.integers(0, w)
        img[y0:y0 + max(1, h // 5), x0:x0 + max(1, w // 5)] = rng.integers(0, 256, 3)
    img += rng.normal(0, 6, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(20261129)
    cases = []
    for w, h in SIZES:
        kinds = ["random", "structured"] if w * h < 4_000_000 else ["structured"]
        if w * h < 100_000:
            kinds.append("flat")
        for kind in kinds:
            if kind == "random":
                img = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
            elif kind == "flat":
                img = np.full((h, w, 3), 77, dtype=np.uint8)
            else:
                img = structured(rng, h, w)
            img = np.ascontiguousarray(img)
            hashes, quality = pdqhash.compute_dihedral(img)
            plain, plain_quality = pdqhash.compute(img)
            assert plain_quality == quality
            name = f"{kind}-{w}x{h}.rgb"
            img.tofile(os.path.join(args.out, name))
            cases.append({
                "file": name, "width": w, "height": h, "quality": int(quality),
                "hashes": [to_hex(hv) for hv in hashes],
                "plain": to_hex(plain),
            })
    with open(os.path.join(args.out, "cases.json"), "w") as f:
        json.dump(cases, f, indent=1)
    print(f"{len(cases)} cases written to {args.out}")


if __name__ == "__main__":
    main()
