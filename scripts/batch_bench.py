#!/usr/bin/env python3
"""Batch benchmark: the country example scaled to N rows (illustrative data,
as the example's), built as one batch against N separate `briefkit build
--row KEY` processes run one after another, then built again (every brief
fresh); peak memory at 10 and N rows; briefs per second for the PDF alone
and for all three formats. Prints medians of RUNS runs where it repeats.

Usage: scripts/batch_bench.py [ROWS] [RUNS]   (default 1000 rows, 3 runs)
Needs target/release/briefkit (cargo build --release).
"""
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target/release/briefkit")
ROWS = int(sys.argv[1]) if __name__ == "__main__" and len(sys.argv) > 1 else 1000
RUNS = int(sys.argv[2]) if __name__ == "__main__" and len(sys.argv) > 2 else 3


def scaled_pack(dest, rows):
    """The country example with `rows` synthetic countries."""
    src = os.path.join(ROOT, "examples/country-briefs")
    os.makedirs(dest)
    for name in ["brief.toml", "article.md"]:
        shutil.copy(os.path.join(src, name), dest)
    source = "briefkit example data (illustrative, not real)"
    with open(os.path.join(dest, "countries.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["iso3", "name", "capital", "border"])
        for i in range(rows):
            w.writerow([f"C{i:04d}", f"Country {i}", f"Capital {i}", f"Country {i + 1}"])
    with open(os.path.join(dest, "stats.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["iso3", "id", "value", "unit", "label", "period", "source", "source_url", "note", "series"])
        for i in range(rows):
            key = f"C{i:04d}"
            returnees = 5000 + 37 * i
            assisted = returnees // 4
            # Ten years of returns and assistance (the line chart), five of
            # referrals (the stacked chart), the latest under the ids the
            # article cites.
            figures = [
                ("returnees", returnees, "people", "People who returned to the country", "Returned", 2016),
                ("assisted", assisted, "people", "Returnees who received assistance", "Assisted", 2016),
                ("referred-health", assisted // 3, "people", "Returnees referred to health services", "Health services", 2021),
                ("referred-work", assisted // 5, "people", "Returnees referred to job training", "Job training", 2021),
            ]
            for sid, value, unit, label, series, first in figures:
                for year in range(first, 2025):
                    earlier = value * (60 + 4 * (year - 2016) + (i + year) % 7) // 100
                    w.writerow([key, f"{sid}-{year}", earlier, unit, label, str(year), source, "", "Illustrative.", series])
                w.writerow([key, sid, value, unit, label, "2025", source, "", "Illustrative.", series])
            w.writerow([key, "shelter-places", 100 + i % 200, "places", "Places in reception shelters", "2025", source, "", "Illustrative.", ""])
        w.writerow(["", "region-returnees", 5000 * rows, "people", "People who returned, all countries", "2025", source, "", "Illustrative.", ""])


def timed(args):
    """Wall time and peak RSS (MiB) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed: {' '.join(args)}")
    return took, usage.ru_maxrss / 1024


def main():
    if not os.path.exists(BIN):
        sys.exit("build it first: cargo build --release")
    tmp = tempfile.mkdtemp(prefix="briefkit-batch-")
    pack = os.path.join(tmp, "countries")
    scaled_pack(pack, ROWS)
    small = os.path.join(tmp, "small")
    scaled_pack(small, 10)
    print(f"{ROWS} rows; {RUNS} runs where repeated; medians")
    for fmt in ["pdf", "pdf,epub,docx"]:
        runs = []
        for r in range(RUNS):
            out = os.path.join(tmp, f"out-{fmt}-{r}")
            runs.append(timed([BIN, "build", pack, "-f", fmt, "-o", out, "-q"]))
        took = statistics.median(t for t, _ in runs)
        peak = max(m for _, m in runs)
        print(f"batch {fmt:<14} {took:7.2f} s  {ROWS / took:6.1f} briefs/s  peak {peak:.0f} MiB")
        if fmt == "pdf,epub,docx":
            batch_all = took
            peak_big = peak
            fresh = statistics.median(
                timed([BIN, "build", pack, "-f", fmt, "-o", os.path.join(tmp, "out-pdf,epub,docx-0"), "-q"])[0]
                for _ in range(RUNS)
            )
            print(f"again, all fresh      {fresh:7.2f} s  ({fresh / took:.3f} of the first)")
    _, peak_small = timed([BIN, "build", small, "-o", os.path.join(tmp, "out-small"), "-q"])
    print(f"peak memory: {peak_small:.0f} MiB at 10 rows, {peak_big:.0f} MiB at {ROWS} ({peak_big / peak_small:.2f}x)")
    # N processes, one row each, one after another.
    keys = [f"C{i:04d}" for i in range(ROWS)]
    start = time.perf_counter()
    for key in keys:
        timed([BIN, "build", pack, "--row", key, "-o", os.path.join(tmp, "out-processes"), "-q", "--force"])
    separate = time.perf_counter() - start
    print(f"{ROWS} separate processes  {separate:7.2f} s  (the batch takes {batch_all / separate:.2f} of it)")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
