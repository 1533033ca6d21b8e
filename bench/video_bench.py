#!/usr/bin/env python3
"""Tutela's vPDQ video hashing beside Meta's `vpdq` (PyPI, the C++ reference binding) in one
run, and video-match latency against a bank of 1M indexed frame hashes.

Hashing: the same videos hashed by Tutela (`crates/tutela-video/examples/video_bench.rs`:
ffmpeg child process -> RGB24 pipe -> Tutela's PDQ) and by `vpdq.computeHash` (libav* in
process -> swscale RGB24 -> the C++ PDQ), at one frame a second and at every frame, best of
REPEATS runs each; throughput is seconds of video hashed per second. `ffmpeg -f null` (decode
only, no conversion, no hashing) is printed as the floor both sit on. The first frame's hash of
each is compared.

PyPI `vpdq` builds from source against the system's FFmpeg libraries: on Debian it needs
`pkg-config` and the `libav*-dev` packages. If it cannot be imported, the table shows Tutela
against decode-only ffmpeg and says so.

Matching: a bank of FRAMES synthetic frame hashes (1,000-frame videos), queried with 60-frame
videos that are re-encoded copies of an entry and unknown videos; median/p95 per query video,
checked against the brute-force pytx definition.

    bench/.venv/bin/python bench/video_bench.py            # 1M frames, 20 s videos
    bench/.venv/bin/python bench/video_bench.py --quick    # CI: 100k frames, 4 s video

Videos are generated with ffmpeg (lavfi testsrc2, H.264) into bench/out/ (gitignored), plus the
vector videos in ../shared/vectors/vpdq/videos when present.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VECTORS = ROOT.parent / "shared" / "vectors" / "vpdq" / "videos"


def make_video(name, size, seconds, rate=30):
    path = OUT / name
    if not path.exists():
        subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
             f"testsrc2=size={size}:rate={rate}:duration={seconds}",
             "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "fast", str(path)],
            check=True)
    return path


def video_seconds(path):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
         "stream=nb_frames,avg_frame_rate", "-of", "json", str(path)],
        check=True, capture_output=True, text=True).stdout
    s = json.loads(out)["streams"][0]
    num, den = s["avg_frame_rate"].split("/")
    return int(s["nb_frames"]) / (int(num) / int(den))


def load_vpdq():
    """The reference, installed on first use: it is not in requirements.txt because it builds
    only where FFmpeg's development files are installed, and the test command must not fail
    without them."""
    try:
        import vpdq
        return vpdq, "vpdq (PyPI, C++ reference binding)"
    except ImportError:
        pass
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "vpdq==0.2.5"], capture_output=True, text=True)
    try:
        import vpdq
        return vpdq, "vpdq (PyPI, C++ reference binding, installed now)"
    except ImportError:
        why = "pip install vpdq failed"
        if "libavcodec" in r.stdout + r.stderr:
            why += " (FFmpeg development files missing: apt-get install pkg-config libavcodec-dev " \
                   "libavformat-dev libavdevice-dev libavfilter-dev libswscale-dev libswresample-dev)"
        return None, why + "; comparing with ffmpeg decode-only throughput instead"


def best_of(repeats, fn):
    best, result = float("inf"), None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="CI setting: small video, 100k frames")
    ap.add_argument("--repeats", type=int, default=None)
    ap.add_argument("--frames", type=int, default=None, help="frame hashes in the bank")
    ap.add_argument("--queries", type=int, default=None)
    args = ap.parse_args()
    repeats = args.repeats or (1 if args.quick else 3)
    frames = args.frames or (100_000 if args.quick else 1_000_000)
    queries = args.queries or (20 if args.quick else 100)
    OUT.mkdir(parents=True, exist_ok=True)

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "tutela-video", "--example", "video_bench"],
                   cwd=ROOT, check=True)
    import os
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    binary = target / "release" / "examples" / "video_bench"

    if args.quick:
        videos = [make_video("bench-360p-4s.mp4", "640x360", 4)]
    else:
        videos = [make_video("bench-720p-20s.mp4", "1280x720", 20),
                  make_video("bench-360p-20s.mp4", "640x360", 20)]
        videos += sorted(VECTORS.glob("*.mp4"))[:2]

    vpdq, reference = load_vpdq()
    print(f"reference: {reference}")

    header = ("video", "s/hash", "video s", "vpdq video-s/s", "Tutela video-s/s", "ratio",
              "ffmpeg decode-only video-s/s", "first hash distance")
    print(" | ".join(header))
    for path in videos:
        seconds = video_seconds(path)
        decode, _ = best_of(repeats, lambda: subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-map", "0:v:0", "-f", "null", "-"],
            check=True))
        for sph in (1, 0):
            out = subprocess.run([str(binary), "hash", str(sph), str(repeats), str(path)],
                                 check=True, capture_output=True, text=True).stdout
            ours = json.loads(out.splitlines()[0])
            tutela_rate = seconds / ours["wall_seconds"]
            if vpdq is not None:
                ref_time, ref = best_of(repeats, lambda: vpdq.computeHash(str(path), seconds_per_hash=sph))
                ref_rate = seconds / ref_time
                dist = bin(int(ref[0].hex, 16) ^ int(ours["first_hash"], 16)).count("1")
                assert len(ref) == ours["frames"], (len(ref), ours["frames"])
                row = (path.name, sph, f"{seconds:.1f}", f"{ref_rate:.1f}", f"{tutela_rate:.1f}",
                       f"{tutela_rate / ref_rate:.2f}x", f"{seconds / decode:.1f}", dist)
            else:
                row = (path.name, sph, f"{seconds:.1f}", "-", f"{tutela_rate:.1f}", "-",
                       f"{seconds / decode:.1f}", "-")
            print(" | ".join(str(c) for c in row), flush=True)

    out = subprocess.run([str(binary), "match", str(frames), str(queries)],
                         check=True, capture_output=True, text=True).stdout
    m = json.loads(out)
    print(f"video match, {m['frames']:,} frame hashes in {m['videos']:,} videos "
          f"(import {m['import_seconds']} s, load {m['load_seconds']} s), {m['query_frames']}-frame queries:")
    print(f"  known (re-encoded) videos: median {m['known_median_ms']} ms, p95 {m['known_p95_ms']} ms, "
          f"matched {m['known_matched']}")
    print(f"  unknown videos: median {m['unknown_median_ms']} ms, p95 {m['unknown_p95_ms']} ms, "
          f"matched {m['unknown_matched']}")
    print(f"  brute force (pytx definition over every video, Rust): {m['brute_force_ms']} ms per query; "
          f"decisions identical")


if __name__ == "__main__":
    sys.exit(main())
