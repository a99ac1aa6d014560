#!/usr/bin/env python3
"""Python against the command line: ROWS briefs of the country example
scaled to ROWS rows (illustrative data, as scripts/batch_bench.py makes
it), all three formats, built (1) by `briefkit build PACK` (the release
binary, one batch) and (2) from Python in one process
(`briefkit.build(PACK, OUT)` with the installed wheel), each as a whole
process from start to exit, RUNS times, alternating. Prints the medians and
the ratio; the bytes of both are compared.

Usage: PYTHON=venv/bin/python scripts/python_bench.py [ROWS] [RUNS]
       (default 200 rows, 5 runs; PYTHON must have a release build of the
       briefkit wheel installed, e.g. `pip install ./crates/briefkit-python`)
"""
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target/release/briefkit")
PYTHON = os.environ.get("PYTHON", sys.executable)
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5


def batch_bench():
    spec = importlib.util.spec_from_file_location(
        "batch_bench", os.path.join(ROOT, "scripts/batch_bench.py"))
    module = importlib.util.module_from_spec(spec)
    saved = sys.argv
    sys.argv = [saved[0]]
    try:
        spec.loader.exec_module(module)
    finally:
        sys.argv = saved
    return module


def timed(args):
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def files_of(folder):
    return {n: open(os.path.join(folder, n), "rb").read()
            for n in sorted(os.listdir(folder)) if not n.startswith(".")}


def main():
    if not os.path.exists(BIN):
        sys.exit("build it first: cargo build --release -p briefkit-cli")
    tmp = tempfile.mkdtemp(prefix="briefkit-pybench-")
    pack = os.path.join(tmp, "countries")
    batch_bench().scaled_pack(pack, ROWS)
    code = ("import briefkit, sys; "
            "briefkit.build(sys.argv[1], sys.argv[2])")
    cli_times, py_times = [], []
    for r in range(RUNS):
        cli_out = os.path.join(tmp, f"cli-{r}")
        py_out = os.path.join(tmp, f"py-{r}")
        cli_times.append(timed([BIN, "build", pack, "-o", cli_out, "-q"]))
        py_times.append(timed([PYTHON, "-c", code, pack, py_out]))
    same = files_of(os.path.join(tmp, "cli-0")) == files_of(os.path.join(tmp, "py-0"))
    cli, py = statistics.median(cli_times), statistics.median(py_times)
    print(f"{ROWS} briefs, all three formats, {RUNS} runs each (alternating), medians:")
    print(f"  briefkit build (CLI batch)      {cli:6.2f} s  {ROWS / cli:6.1f} briefs/s")
    print(f"  briefkit.build from Python      {py:6.2f} s  {ROWS / py:6.1f} briefs/s")
    print(f"  Python / CLI                    {py / cli:6.3f}")
    print(f"  same bytes: {same}")


if __name__ == "__main__":
    main()
