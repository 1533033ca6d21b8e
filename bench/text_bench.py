#!/usr/bin/env python3
"""Text classification, one core: Tutela (`tutela text classify`, JSON lines in and out) against
PyPI `alt-profanity-check` (scikit-learn TF-IDF + linear SVM, the usual open baseline), on the
same short chat messages in one run. Prints messages/s, the ratio, and both classifiers' quality
on the developer set as a harmful-vs-benign decision (alt-profanity-check has no categories).

    bench/.venv/bin/python bench/text_bench.py            # 200,000 messages
    bench/.venv/bin/python bench/text_bench.py --quick    # 40,000 messages (CI setting)
    bench/.venv/bin/python bench/text_bench.py --tutela PATH   # a prebuilt tutela binary

Both sides parse the same JSON lines: Tutela in its CLI, the reference with `json.loads`, so the
comparison is end to end. Both are single-threaded; rates are messages per CPU second (user +
system), so other load on a shared machine does not distort them.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from profanity_check import predict_prob

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV = os.path.join(REPO, "..", "shared", "vectors", "text", "dev.jsonl")


def load_dev():
    with open(DEV, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def binary_quality(gold_harmful, predicted_harmful):
    tp = sum(1 for g, p in zip(gold_harmful, predicted_harmful) if g and p)
    fp = sum(1 for g, p in zip(gold_harmful, predicted_harmful) if not g and p)
    fn = sum(1 for g, p in zip(gold_harmful, predicted_harmful) if g and not p)
    benign = sum(1 for g in gold_harmful if not g)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, fp / benign if benign else 0.0


def tutela_binary():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "tutela"], cwd=REPO, check=True)
    return os.path.join(target, "release", "tutela")


def run_tutela(binary, path):
    """CPU seconds (user + system) of the child, and its output. CPU time, not wall time: on a
    shared machine other processes' load would otherwise count against whichever side ran
    while it was busy."""
    command = [binary, "text", "classify", "--input", path]
    if shutil.which("taskset"):
        command = ["taskset", "-c", "0"] + command
    with tempfile.TemporaryFile() as out_file:
        child = subprocess.Popen(command, stdout=out_file)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"tutela exited with {child.returncode}")
        out_file.seek(0)
        return usage.ru_utime + usage.ru_stime, out_file.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--messages", type=int, default=None)
    parser.add_argument("--tutela", help="a prebuilt tutela binary (default: cargo build --release)")
    args = parser.parse_args()
    count = args.messages or (40_000 if args.quick else 200_000)

    dev = load_dev()
    binary = args.tutela or tutela_binary()
    with tempfile.TemporaryDirectory() as tmp:
        # Quality on the developer set.
        dev_path = os.path.join(tmp, "dev.jsonl")
        with open(dev_path, "w", encoding="utf-8") as f:
            for m in dev:
                f.write(json.dumps({"id": m["id"], "text": m["text"], "lang": m["lang"]}) + "\n")
        _, out = run_tutela(binary, dev_path)
        tutela_labels = {r["id"]: r["labels"] for r in map(json.loads, out.splitlines())}
        gold = [bool(m["labels"]) for m in dev]
        tutela_pred = [bool(tutela_labels[m["id"]]) for m in dev]
        reference_pred = [p >= 0.5 for p in predict_prob([m["text"] for m in dev])]

        # Speed: the dev messages repeated to `count` lines.
        bench_path = os.path.join(tmp, "bench.jsonl")
        with open(bench_path, "w", encoding="utf-8") as f:
            for i in range(count):
                m = dev[i % len(dev)]
                f.write(json.dumps({"id": i, "text": m["text"]}) + "\n")
        run_tutela(binary, dev_path)  # warm the page cache and the binary
        tutela_seconds, out = run_tutela(binary, bench_path)
        assert len(out.splitlines()) == count

        start = time.process_time()
        with open(bench_path, encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f]
        scores = predict_prob(texts)
        reference_seconds = time.process_time() - start
        assert len(scores) == count

    tutela_rate = count / tutela_seconds
    reference_rate = count / reference_seconds
    print(f"{count} short chat messages (the {len(dev)} dev lines repeated), one core, JSON lines in")
    print(f"  tutela text classify      {tutela_rate:>12,.0f} messages/s  ({tutela_seconds:.2f} CPU s, process start included)")
    print(f"  alt-profanity-check 1.9.1 {reference_rate:>12,.0f} messages/s  ({reference_seconds:.2f} CPU s)")
    print(f"  ratio tutela / reference  {tutela_rate / reference_rate:>12.1f}x")
    print()
    print("quality on the dev set as harmful (any label) vs benign:")
    for name, pred in (("tutela", tutela_pred), ("alt-profanity-check", reference_pred)):
        p, r, f1, fpr = binary_quality(gold, pred)
        print(f"  {name:<20} precision {p:.3f} recall {r:.3f} F1 {f1:.3f} benign false-positive rate {fpr:.3f}")
    print("  (tutela's shipped model was trained with the dev set among its data, so its dev figures are")
    print("   in-sample; the cross-validated and held-out figures are in crates/tutela-text/model/training-report.txt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
