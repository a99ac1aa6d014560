#!/usr/bin/env python3
"""Times two briefkit binaries on one pack, runs interleaved so that the
machine's drift hits both alike: medians and minima of wall and CPU time
of `briefkit build PACK -f pdf --force`, and the PDF's size.

Usage: scripts/bench_compare.py BEFORE_BIN AFTER_BIN PACK [RUNS]
(build BEFORE_BIN from an older commit, e.g. in a git worktree with its
own CARGO_TARGET_DIR, `cargo build --release -p briefkit-cli`; `-p briefkit` for
commits before the command line had its own crate)
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    before, after, pack = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 15
    results = {"before": ([], [], 0), "after": ([], [], 0)}
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            for label, binary in (("before", before), ("after", after)):
                target = os.path.join(out, label)
                start = time.perf_counter()
                # --force: every run builds (without it, runs after the
                # first find the output fresh and build nothing).
                proc = subprocess.Popen([binary, "build", pack, "-f", "pdf", "-o", target, "--force"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                _, status, usage = os.wait4(proc.pid, 0)
                wall = (time.perf_counter() - start) * 1000
                if status != 0:
                    sys.exit(f"{binary} failed on {pack}")
                walls, cpus, _ = results[label]
                walls.append(wall)
                cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
                size = sum(os.path.getsize(os.path.join(target, f))
                           for f in os.listdir(target) if f.endswith(".pdf"))
                results[label] = (walls, cpus, size)
    print(f"{pack}: {runs} interleaved runs")
    for label, (walls, cpus, size) in results.items():
        print(f"{label:7} wall median {statistics.median(walls):7.1f} ms (min {min(walls):6.1f})"
              f"  cpu median {statistics.median(cpus):7.1f} ms  pdf {size:,} bytes")
    b, a = (statistics.median(results[k][0]) for k in ("before", "after"))
    print(f"after/before: {a / b:.2f}")


if __name__ == "__main__":
    main()
