#!/usr/bin/env python3
"""Chart benchmark: one brief with six charts against the same brief with
one (ten years of three series; illustrative figures), each format alone
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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target/release/briefkit")
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 15

CHARTS = [
    'kind = "lines"\ntitle = "People assisted each year"\nseries = ["Women", "Men", "Children"]',
    'kind = "columns"\ntitle = "Women and men"\nseries = ["Women", "Men"]',
    'kind = "lines"\ntitle = "Women"\nseries = ["Women"]',
    'kind = "stacked"\ntitle = "Everyone"\nseries = ["Women", "Men", "Children"]',
    'kind = "dots"\ntitle = "2015 and 2024"\nseries = ["Women", "Men", "Children"]',
    'kind = "bars"\ntitle = "2024"\nstatistics = ["Women-2024", "Men-2024", "Children-2024"]',
]


def write_pack(dest, charts):
    os.makedirs(dest)
    rows = ["id,value,unit,label,period,source,series"]
    for series, base, step in [("Women", 1200, 150), ("Men", 800, 70), ("Children", 300, 25)]:
        for i, year in enumerate(range(2015, 2025)):
            rows.append(f"{series}-{year},{base + step * i},people,{series},{year},Example data (illustrative),{series}")
    with open(os.path.join(dest, "stats.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    with open(os.path.join(dest, "brief.toml"), "w") as f:
        f.write('[brief]\ntitle = "Charts"\nlanguage = "en"\ndate = "2026-12-01"\nstatistics = "stats.csv"\n')
        for chart in CHARTS[:charts]:
            f.write(f"\n[[chart]]\n{chart}\n")
    with open(os.path.join(dest, "article.md"), "w") as f:
        f.write("## Ten years\n\n"
                "The programme assisted {{stat \"Women-2024\"}} women in 2024.\n")


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
        write_pack(one, 1)
        write_pack(six, 6)
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
