#!/usr/bin/env python3
"""Videos and live streams in `tutela serve`, on loopback, in one run:

* scan latency of a short video over HTTP (`POST /v1/scan`, raw body, the vector's 18.8 s
  chair-19-sd-bar.mp4, blocked: case + sealed evidence), next to `tutela video hash` of the
  same file (the hashing alone, a fresh process each time), so the service's overhead shows;
* live-stream frame throughput of one stream (`POST /v1/streams/{id}/frames`): frames as PDQ
  hashes (batches of 30) and as 320x240 PNG images (batches of 10), frames per second;

against a video bank of N synthetic frame hashes (default 1,000,000: 1,000 videos of 1,000
random frames, vPDQ files imported with `tutela bank import`) plus the known video's hashes.

    python3 bench/serve_video_bench.py --tutela target/release/tutela            # 1M frames
    python3 bench/serve_video_bench.py --tutela target/release/tutela --quick    # 100k frames

Standard library only (PNG frames are written by ffmpeg from a synthetic source).
"""
import argparse
import base64
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT.parent / "shared" / "vectors" / "vpdq"
VIDEO = VECTORS / "videos" / "chair-19-sd-bar.mp4"


def run(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def start(tutela, data):
    proc = subprocess.Popen([tutela, "serve", "--data", data, "--listen", "127.0.0.1:0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "TUTELA_LOG": "warn"})
    password = base = None
    for line in proc.stderr:
        if "Password: " in line:
            password = line.split("Password: ")[1].split()[0]
        if "listening on " in line:
            base = line.split("listening on ")[1].split()[0]
            break
    host, port = urllib.parse.urlparse(base).netloc.split(":")
    for _ in range(600):
        c = http.client.HTTPConnection(host, int(port))
        c.request("GET", "/readyz")
        if c.getresponse().status == 200:
            break
        time.sleep(0.1)
    return proc, host, int(port), password


def api_key(host, port, password):
    c = http.client.HTTPConnection(host, port)
    c.request("POST", "/console/login", f"username=admin&password={password}",
              {"content-type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    r.read()
    cookie = r.getheader("set-cookie").split(";")[0]
    c.request("GET", "/console/search", headers={"cookie": cookie})
    page = c.getresponse().read().decode()
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    c.request("POST", "/v1/api-keys", json.dumps({"name": "bench", "scopes": ["scan"]}),
              {"cookie": cookie, "x-csrf-token": csrf, "content-type": "application/json"})
    return json.loads(c.getresponse().read())["secret"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tutela", default=str(ROOT / "target" / "release" / "tutela"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--frames", type=int, default=None)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=10.0, help="per stream measurement")
    args = ap.parse_args()
    frames = args.frames or (100_000 if args.quick else 1_000_000)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = str(tmp / "data")
        run(args.tutela, "bank", "create", "known", "--hash-kind", "vpdq", "--label", "csam",
            "--data", data)
        files = [str(VECTORS / "vpdq-hashes" / "chair-19-sd-bar.txt")]
        per_video = 1000
        for v in range(frames // per_video):
            p = tmp / f"synthetic-{v:05}.txt"
            with open(p, "w") as f:
                for i in range(per_video):
                    f.write(f"{i},100,{rng.getrandbits(256):064x},{i / 30:.3f}\n")
            files.append(str(p))
        t0 = time.perf_counter()
        for i in range(0, len(files), 200):
            run(args.tutela, "bank", "import", "known", *files[i:i + 200], "--data", data)
        print(f"bank: {frames + 0:,} synthetic frame hashes in {frames // per_video:,} videos "
              f"+ chair-19 ({time.perf_counter() - t0:.1f} s to import)")

        proc, host, port, password = start(args.tutela, data)
        try:
            key = api_key(host, port, password)
            auth = {"authorization": f"Bearer {key}"}
            body = VIDEO.read_bytes()
            # Scan latency over HTTP, each a new content id (scans are idempotent).
            lat = []
            for i in range(args.repeats):
                c = http.client.HTTPConnection(host, port, timeout=300)
                t = time.perf_counter()
                c.request("POST", f"/v1/scan?content_id=bench-video-{i}", body,
                          {**auth, "content-type": "application/octet-stream"})
                r = c.getresponse()
                answer = json.loads(r.read())
                lat.append(time.perf_counter() - t)
                assert r.status == 200 and answer["verdict"] == "block", answer
            hash_only = []
            for _ in range(args.repeats):
                t = time.perf_counter()
                run(args.tutela, "video", "hash", str(VIDEO))
                hash_only.append(time.perf_counter() - t)
            print(f"scan of {VIDEO.name} (18.8 s, {len(body) / 1e6:.1f} MB, 1 frame/s) over HTTP: "
                  f"median {statistics.median(lat) * 1000:.0f} ms (min {min(lat) * 1000:.0f}, "
                  f"max {max(lat) * 1000:.0f}); `tutela video hash` of the same file: median "
                  f"{statistics.median(hash_only) * 1000:.0f} ms")

            # Live stream: PDQ hashes, 30 a request.
            def stream(name, make_batch, per_request):
                c = http.client.HTTPConnection(host, port, timeout=60)
                sent, t, n = 0, time.perf_counter(), 0
                while time.perf_counter() - t < args.seconds:
                    c.request("POST", f"/v1/streams/{name}/frames",
                              json.dumps({"frames": make_batch(sent)}),
                              {**auth, "content-type": "application/json"})
                    r = c.getresponse()
                    answer = json.loads(r.read())
                    assert r.status == 200, answer
                    sent += per_request
                    n += 1
                elapsed = time.perf_counter() - t
                return sent / elapsed, elapsed / n * 1000

            def pdq_batch(start):
                return [{"t": (start + i) / 30, "pdq": f"{rng.getrandbits(256):064x}", "quality": 100}
                        for i in range(30)]

            rate, per_req = stream("bench-pdq", pdq_batch, 30)
            print(f"live stream, PDQ hashes (30 a request): {rate:,.0f} frames/s "
                  f"({per_req:.1f} ms a request)")
            png_dir = tmp / "png"
            png_dir.mkdir()
            run("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "testsrc2=size=320x240:rate=10:duration=6", str(png_dir / "f%03d.png"))
            pngs = [base64.b64encode(p.read_bytes()).decode() for p in sorted(png_dir.iterdir())]

            def png_batch(start):
                return [{"t": (start + i) / 10, "image_base64": pngs[(start + i) % len(pngs)]}
                        for i in range(10)]

            rate, per_req = stream("bench-png", png_batch, 10)
            print(f"live stream, 320x240 PNG frames (10 a request): {rate:,.0f} frames/s "
                  f"({per_req:.1f} ms a request)")
        finally:
            proc.terminate()
            proc.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
