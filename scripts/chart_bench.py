#!/usr/bin/env python3
"""Chart benchmark: one brief with six charts against the same brief with
one (the pack of scripts/chart_pack.py), each format alone
and all three; prints medians of RUNS runs and the ratio six / one (the
goal of issue 22: at most 1.5). Then the 1,000-brief country batch
(scripts/batch_bench.py's pack) with its line chart in every brief against
the same batch with no chart (goal: at most 1.3), three runs each.

Usage: scripts/chart_bench.py [RUNS]   (default 15)
Needs target/release/briefkit (cargo build --release).
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import batch_bench  # noqa: E402
import chart_pack  # noqa: E402
import small_briefs  # noqa: E402  (one way to time a command)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target/release/briefkit")
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 15


def median(args):
    return small_briefs.run(args, RUNS)[0]


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
        batch(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def without_charts_but(pack, keep):
    """Leaves in `pack` only the charts named `keep` (settings and article)."""
    settings = os.path.join(pack, "brief.toml")
    text = open(settings, encoding="utf-8").read()
    parts = re.split(r"(?=\n\[\[chart\]\])|(?=\n\[contact\])", text)
    kept = [p for p in parts if not p.startswith("\n[[chart]]")
            or re.search(r'id = "(\w+)"', p).group(1) in keep]
    open(settings, "w", encoding="utf-8").write("".join(kept))
    article = os.path.join(pack, "article.md")
    text = open(article, encoding="utf-8").read()
    text = re.sub(r'\{\{chart "(\w+)"\}\}', lambda m: m.group(0) if m.group(1) in keep else "", text)
    open(article, "w", encoding="utf-8").write(text)


def batch(tmp, rows=1000, runs=3):
    base = os.path.join(tmp, "countries")
    batch_bench.scaled_pack(base, rows)
    packs = {}
    for name, keep in [("no chart", []), ("line chart", ["trend"])]:
        packs[name] = os.path.join(tmp, name.replace(" ", "-"))
        shutil.copytree(base, packs[name])
        without_charts_but(packs[name], keep)
    out = os.path.join(tmp, "batch-out")
    print(f"batch of {rows} briefs: a line chart in each against none ({runs} runs each; medians)")
    for fmt in ["pdf", "epub", "docx", "pdf,epub,docx"]:
        times = {name: [] for name in packs}
        for _ in range(runs):  # interleaved
            for name, pack in packs.items():
                start = time.perf_counter()
                subprocess.run([BIN, "build", pack, "-f", fmt, "-o", out, "--force", "-q"],
                               check=True, stderr=subprocess.DEVNULL)
                times[name].append(time.perf_counter() - start)
        a, b = (statistics.median(times[n]) for n in packs)
        print(f"  {fmt:<14} none {a:6.2f} s  line {b:6.2f} s  ratio {b / a:4.2f}")


if __name__ == "__main__":
    main()
