#!/usr/bin/env python3
"""Load benchmark of `tutela serve` on loopback: scans/s and p50/p99 latency of POST /v1/scan for
1 MP JPEGs and for precomputed PDQ hashes, against a bank of 1,000,000 PDQ hashes, next to the
raw hashing throughput of the same JPEGs (so the service's overhead is visible), in one run.

    bench/.venv/bin/python bench/serve_bench.py            # 1M-hash bank, 4 loads of 20 s (~3 min)
    bench/.venv/bin/python bench/serve_bench.py --quick    # CI: 100k-hash bank, 4 loads of 4 s (<60 s)

What it does: generates synthetic 1 MP JPEGs (Pillow, quality 90; no real material), hashes them
with `tutela hash`, builds a `csam`-labelled block bank of random PDQ hashes plus the hashes of
one image in eight (so about 1 scan in 8 matches, is blocked, opens a case and seals evidence,
as the shipped rules do), starts `target/release/tutela serve` on a free port with a fresh data
folder, creates an API key with the first admin's login, then drives the scan API with Debian's
`wrk` (bench/serve_bench.lua: a fresh content id per request, since scans are idempotent on
content_id). Raw hashing: `tutela hash --dihedral` over the same files with 1 thread and with
every core (the service also computes the 8 dihedral hashes, MD5 and SHA-256 of each upload),
and, when built, the PDQ benchmark's decode+hash loop (target/release/examples/pdq_bench).

wrk runs on the same machine as the server: on 2 cores the load generator takes part of the CPU
the service would otherwise use, so the figures are a floor.
"""
import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import numpy as np
from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LUA = os.path.join(REPO, "bench", "serve_bench.lua")
MATCH_EVERY = 8  # one image in MATCH_EVERY has its hash in the bank


def make_jpegs(out_dir, count, seed=7):
    """Distinct synthetic ~1 MP photos: smooth shapes, gradients and sensor-like noise, so the
    JPEGs are photo-sized (a few hundred KB) and hash with good quality."""
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(seed)
    w, h = 1152, 864  # 0.995 MP, 4:3
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    paths = []
    for i in range(count):
        path = os.path.join(out_dir, f"scan-{i:03d}.jpg")
        paths.append(path)
        if os.path.exists(path):
            continue
        img = np.zeros((h, w, 3), np.float32)
        for c in range(3):
            a, b, p = rng.uniform(0.002, 0.02, 3)
            img[..., c] = 128 + 60 * np.sin(xx * a + p * 7) * np.cos(yy * b + c)
        for _ in range(24):  # discs: edges give PDQ something to see (quality 85-100)
            cx, cy, r = int(rng.uniform(0, w)), int(rng.uniform(0, h)), int(rng.uniform(30, 200))
            y0, y1, x0, x1 = max(cy - r, 0), min(cy + r, h), max(cx - r, 0), min(cx + r, w)
            box = img[y0:y1, x0:x1]
            mask = (xx[y0:y1, x0:x1] - cx) ** 2 + (yy[y0:y1, x0:x1] - cy) ** 2 < r * r
            box[mask] = box[mask] * 0.4 + rng.uniform(0, 255, 3) * 0.6
        img += rng.standard_normal(img.shape, dtype=np.float32) * 6
        Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path, quality=90)
    return paths


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def hash_files(binary, paths):
    out = run([binary, "hash", *paths])
    return [json.loads(line) for line in out.splitlines()]


def raw_hash_rate(binary, paths, threads, seconds):
    """Images/s of `tutela hash --dihedral` (read, decode, 8 PDQ hashes, MD5, SHA-256)."""
    reps = 1
    while True:
        args = [binary, "hash", "--dihedral", "--format", "csv"]
        if threads:
            args += ["--threads", str(threads)]
        start = time.perf_counter()
        subprocess.run(args + paths * reps, check=True, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds or reps >= 64:
            return len(paths) * reps / elapsed
        reps = max(reps * 2, int(reps * seconds / max(elapsed, 1e-3)) + 1)


def pdq_bench_rate(paths, seconds):
    """The PDQ benchmark's single-thread decode+hash loop (bench/pdq_bench.py builds it)."""
    binary = os.path.join(REPO, "target", "release", "examples", "pdq_bench")
    if not os.path.exists(binary):
        return None
    per_file = max(seconds / len(paths), 0.05)
    out = run([binary, "--mode", "exact", "--seconds", str(per_file), *paths])
    rates = [json.loads(line)["images_per_second"] for line in out.splitlines()]
    return len(rates) / sum(1 / r for r in rates)  # harmonic mean: images/s over the whole set


def measure_raw(binary, images, budget):
    return {"raw1": raw_hash_rate(binary, images, 1, budget),
            "raw_all": raw_hash_rate(binary, images, None, budget),
            "pdq": pdq_bench_rate(images, budget)}


def write_bank(path, n, known, seed=11):
    """n random PDQ hashes (one hex line each) followed by the known images' hashes."""
    rng = np.random.default_rng(seed)
    with open(path, "w") as f:
        chunk = 100_000
        for start in range(0, n, chunk):
            raw = rng.integers(0, 256, size=(min(chunk, n - start), 32), dtype=np.uint8)
            f.write("\n".join(bytes(r).hex() for r in raw))
            f.write("\n")
        for h in known:
            f.write(h + "\n")


class Server:
    def __init__(self, binary, data):
        env = dict(os.environ, TUTELA_LOG="warn")
        self.proc = subprocess.Popen([binary, "serve", "--data", data, "--listen", "127.0.0.1:0"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, env=env)
        self.log, self.password, self.host, self.port = [], None, None, None
        found = threading.Event()

        def read():
            for line in self.proc.stderr:
                self.log.append(line)
                m = re.search(r"Password: (\S+)", line)
                if m:
                    self.password = m.group(1)
                m = re.search(r"listening on http://([0-9.]+):(\d+)", line)
                if m:
                    self.host, self.port = m.group(1), int(m.group(2))
                    found.set()
            found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(120) or self.port is None:
            self.stop()
            sys.exit("tutela serve did not start:\n" + "".join(self.log))
        deadline = time.time() + 300  # a 1M-hash bank loads in well under a second; be generous
        while self.request("GET", "/readyz")[0] != 200:
            if time.time() > deadline or self.proc.poll() is not None:
                self.stop()
                sys.exit("tutela serve did not get ready:\n" + "".join(self.log))
            time.sleep(0.1)

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.getheaders(), r.read()
        except OSError:
            return None, [], b""
        finally:
            conn.close()

    def api_key(self, scopes=("scan",)):
        """Logs in as the first admin and creates a platform key (scope `scan` by default)."""
        form = urllib.parse.urlencode({"username": "admin", "password": self.password})
        status, headers, _ = self.request("POST", "/console/login", form,
                                          {"Content-Type": "application/x-www-form-urlencoded"})
        cookie = next((v.split(";")[0] for k, v in headers if k.lower() == "set-cookie"), None)
        if status != 303 or not cookie:
            sys.exit(f"admin login failed ({status})")
        _, _, page = self.request("GET", "/console/search", headers={"Cookie": cookie})
        csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
        status, _, body = self.request("POST", "/v1/api-keys",
                                       json.dumps({"name": "bench-" + "-".join(scopes), "scopes": list(scopes)}),
                                       {"Cookie": cookie, "x-csrf-token": csrf,
                                        "Content-Type": "application/json"})
        if status != 201:
            sys.exit(f"cannot create an API key ({status}): {body[:200]!r}")
        return json.loads(body)["secret"]

    def scan(self, key, path_or_json, content_id):
        if isinstance(path_or_json, dict):
            body = json.dumps(dict(path_or_json, content_id=content_id))
            return self.request("POST", "/v1/scan", body,
                                {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        with open(path_or_json, "rb") as f:
            return self.request("POST", f"/v1/scan?content_id={content_id}", f.read(),
                                {"Authorization": f"Bearer {key}", "Content-Type": "image/jpeg"})

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def wrk(server, key, mode, listfile, label, seconds, connections):
    out = run(["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
               "-s", LUA, server.url, "--", mode, listfile, label, key])
    line = next((l for l in out.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        sys.exit("wrk printed no result:\n" + out)
    r = json.loads(line[len("RESULT "):])
    r["rate"] = r["requests"] / (r["duration_us"] / 1e6)
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="CI setting: 100k-hash bank, 4 s per load")
    ap.add_argument("--bank-size", type=int, help="random hashes in the bank (default 1,000,000)")
    ap.add_argument("--seconds", type=float, help="duration of each load (default 20)")
    ap.add_argument("--images", type=int, help="distinct JPEGs (default 64)")
    ap.add_argument("--jpeg-connections", type=int, default=4, help="concurrent connections, JPEG load")
    ap.add_argument("--hash-connections", type=int, default=16, help="concurrent connections, hash load")
    ap.add_argument("--keep", action="store_true", help="keep the data folder (path printed)")
    args = ap.parse_args()
    bank_size = args.bank_size or (100_000 if args.quick else 1_000_000)
    seconds = args.seconds or (4 if args.quick else 20)
    n_images = args.images or (16 if args.quick else 64)

    binary = os.path.join(REPO, "target", "release", "tutela")
    if not os.path.exists(binary):
        sys.exit(f"{binary} is missing: cargo build --release -p tutela")
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")

    t0 = time.perf_counter()
    images = make_jpegs(os.path.join(REPO, "bench", "out", "serve-v1"), n_images)
    records = hash_files(binary, images)
    known = [r["pdq"] for i, r in enumerate(records) if i % MATCH_EVERY == 0]
    tmp = tempfile.mkdtemp(prefix="tutela-serve-bench-")
    data = os.path.join(tmp, "data")
    try:
        bank_file = os.path.join(tmp, "bank.txt")
        write_bank(bank_file, bank_size, known)
        run([binary, "bank", "create", "bench-csam", "--label", "csam", "--data", data])
        start = time.perf_counter()
        run([binary, "bank", "import", "bench-csam", bank_file, "--data", data])
        import_s = time.perf_counter() - start

        # Raw hashing of the same files, without the server: before the loads and again after
        # them (the mean is used), so a change in what else the machine runs shows as spread.
        budget = 1.5 if args.quick else 5
        load_before = os.getloadavg()[0]
        raw_runs = [measure_raw(binary, images, budget)]

        start = time.perf_counter()
        server = Server(binary, data)
        ready_s = time.perf_counter() - start
        try:
            key = server.api_key()
            # Correctness first: a known image is blocked, an unknown one allowed, by both paths.
            run_id = secrets.token_hex(3)
            for i, expect in ((0, "block"), (1, "allow")):
                for kind, payload in (("jpeg", images[i]),
                                      ("hashes", {"hashes": {"pdq": [records[i]["pdq"]],
                                                             "quality": records[i]["quality"]}})):
                    status, _, body = server.scan(key, payload, f"check-{run_id}-{kind}-{i}")
                    verdict = json.loads(body).get("verdict") if status == 200 else None
                    if verdict != expect:
                        sys.exit(f"{kind} scan of image {i}: {status} {verdict!r}, expected {expect}: {body[:300]!r}")

            jpeg_list = os.path.join(tmp, "jpegs.txt")
            with open(jpeg_list, "w") as f:
                f.write("\n".join(images) + "\n")
            hash_list = os.path.join(tmp, "hashes.txt")
            with open(hash_list, "w") as f:
                f.write("".join(f"{r['pdq']} {r['quality']}\n" for r in records))

            # One connection: latency without queueing. Several: throughput (and queueing).
            loads = [("1 MP JPEG (raw body)", "jpeg", jpeg_list, 1),
                     ("1 MP JPEG (raw body)", "jpeg", jpeg_list, args.jpeg_connections),
                     ("precomputed PDQ hash (JSON)", "hashes", hash_list, 1),
                     ("precomputed PDQ hash (JSON)", "hashes", hash_list, args.hash_connections)]
            results = [(name, conns, wrk(server, key, mode, listfile, f"{mode[0]}{conns}-{run_id}", seconds, conns))
                       for name, mode, listfile, conns in loads]
        finally:
            server.stop()
        failures = []
        for name, conns, r in results:
            name = f"{name}, {conns} conn"
            errs = sum(r["errors"].values()) + r["verdicts"]["other"]
            if errs:
                failures.append(f"{name}: {r['errors']} other={r['verdicts']['other']}")
            if r["verdicts"]["block"] == 0 or r["verdicts"]["allow"] == 0:
                failures.append(f"{name}: expected both blocks and allows, got {r['verdicts']}")

        raw_runs.append(measure_raw(binary, images, budget))
        load_after = os.getloadavg()[0]
    finally:
        if args.keep:
            print(f"data folder kept: {data}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    cores = os.cpu_count()
    mp = Image.open(images[0]).size
    mean_kb = sum(os.path.getsize(p) for p in images) / len(images) / 1024
    print(f"tutela serve on loopback, bank of {bank_size:,} random PDQ hashes + {len(known)} known "
          f"(import {import_s:.1f} s, start to ready {ready_s:.1f} s); {cores} cores shared with wrk")
    print(f"inputs: {len(images)} synthetic JPEGs {mp[0]}x{mp[1]} (~{mean_kb:.0f} KB), 1 in {MATCH_EVERY} "
          f"in the bank; {seconds:g} s per load, fresh content id per request; "
          f"load average {load_before:.1f} before, {load_after:.1f} after")
    print()
    print(f"{'load':<30} {'conns':>5} {'scans/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'scans':>7} {'blocked':>8}")
    for name, c, r in results:
        print(f"{name:<30} {c:>5} {r['rate']:>9.1f} {r['p50_us'] / 1000:>8.2f} {r['p99_us'] / 1000:>8.2f} "
              f"{r['requests']:>7} {r['verdicts']['block']:>8}")
    print()
    print(f"{'raw hashing, same JPEGs (mean of before and after)':<52} {'img/s':>8} {'ms/img':>8}")
    rows = [("tutela hash --dihedral --threads 1", "raw1"), (f"tutela hash --dihedral ({cores} threads)", "raw_all")]
    if raw_runs[0]["pdq"] is not None:
        rows.append(("PDQ benchmark loop (decode + 1 hash, 1 thread)", "pdq"))
    mean = {k: sum(r[k] for r in raw_runs) / len(raw_runs) for _, k in rows}
    for name, k in rows:
        print(f"{name:<52} {mean[k]:>8.1f} {1000 / mean[k]:>8.2f}   (before {raw_runs[0][k]:.1f}, after {raw_runs[1][k]:.1f})")
    raw1, raw_all = mean["raw1"], mean["raw_all"]
    print()
    jpeg1, jpeg, hash1, hashes = (r for _, _, r in results)
    print(f"JPEG scans/s ({args.jpeg_connections} conns) vs raw hashing on all cores: {jpeg['rate'] / raw_all:.2f}x; "
          f"vs 1 thread: {jpeg['rate'] / raw1:.2f}x")
    print(f"JPEG p50 latency (1 conn) vs raw 1-thread hash time: {jpeg1['p50_us'] / 1000:.1f} ms vs "
          f"{1000 / raw1:.1f} ms = {jpeg1['p50_us'] / 1000 / (1000 / raw1):.2f}x "
          f"(difference {jpeg1['p50_us'] / 1000 - 1000 / raw1:+.1f} ms a scan)")
    print(f"precomputed-hash scans/s vs JPEG scans/s: {hashes['rate'] / jpeg['rate']:.1f}x; "
          f"hash-scan p50 latency (1 conn): {hash1['p50_us'] / 1000:.2f} ms")
    print(f"total {time.perf_counter() - t0:.0f} s")
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))


if __name__ == "__main__":
    main()
