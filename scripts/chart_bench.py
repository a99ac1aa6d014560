#!/usr/bin/env python3
"""Chart benchmark: one brief with six charts against the same brief with
one (the pack of scripts/chart_pack.py), each format alone
and all three; prints medians of RUNS runs and the ratio six / one (the
goal of issue 22: at most 1.5).

Usage: scripts/chart_bench.py [RUNS]   (default 15)
Needs target/release/briefkit (cargo build --release).
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chart_pack  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target/release/briefkit")
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 15


def median(args):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, _ = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        if status != 0:
            sys.exit(f"failed: {' '.join(args)}")
    return statistics.median(times)


def main():
    if not os.path.exists(BIN):
        sys.exit("build it first: cargo build --release")
    tmp = tempfile.mkdtemp(prefix="briefkit-charts-")
    try:
        one, six = os.path.join(tmp, "one"), os.path.join(tmp, "six")
        chart_pack.write(one, count=1)
        chart_pack.write(six, count=6)
        out = os.path.join(tmp, "out")
        print(f"charts: one against six ({RUNS} runs each; medians)")
        for fmt in ["pdf", "epub", "docx", "pdf,epub,docx"]:
            a = median([BIN, "build", one, "-f", fmt, "-o", out, "--force"])
            b = median([BIN, "build", six, "-f", fmt, "-o", out, "--force"])
            print(f"  {fmt:<14} one {a * 1000:6.1f} ms  six {b * 1000:6.1f} ms  ratio {b / a:4.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
