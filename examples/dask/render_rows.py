#!/usr/bin/env python3
"""One brief per row of a DataFrame, rendered on a Dask cluster.

The country example's rows (countries.csv) and long-format statistics
(stats.csv) are read into pandas DataFrames; `briefkit.Pack.from_data` makes
one batch pack of them (one brief per country), and each brief is one Dask
task: `client.map(render_row, keys)`. Each task renders its brief in the
worker with briefkit (no process spawned) and returns the files' bytes to
the client, which writes them into OUT. With --on-workers, the workers write
the files themselves into OUT, which must then be storage every worker sees
(a shared file system), and send back only what they wrote.

    python3 examples/dask/render_rows.py out                   # 2 local worker processes
    python3 examples/dask/render_rows.py out --workers 4
    python3 examples/dask/render_rows.py out --scheduler tcp://scheduler:8786
    python3 examples/dask/render_rows.py out --single          # no Dask: one process

On a multi-machine cluster, install the same briefkit wheel (and pandas) on
every worker; the pack travels to the workers as bytes, so they need no
copy of the data. The figures are illustrative, as the example's.
"""

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

import briefkit

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "country-briefs"

# brief.toml of examples/country-briefs, as a dict.
SETTINGS = {
    "brief": {
        "title": "{{row.name}}: assistance to returning migrants",
        "subtitle": "An example brief with illustrative figures (not real data)",
        "organization": "briefkit example",
        "authors": ["briefkit"],
        "date": "2026-11-29",
        "language": "en",
        "summary": "How many people returned to {{row.name}} last year, how many were"
                   " helped, and what help reached them. The figures are illustrative:"
                   " they were invented to show how one template and one dataset make"
                   " a brief per country.",
        "keywords": ["migration", "return", "{{row.name}}", "illustrative data"],
        "key_figures": ["returnees", "assisted", "shelter-places"],
    },
    "chart": [
        {
            "id": "trend",
            "kind": "lines",
            "title": "People who returned to {{row.name}} and people assisted,"
                     " 2016–2025 (illustrative)",
            "series": ["Returned", "Assisted"],
        },
        {
            "id": "referrals",
            "kind": "stacked",
            "title": "Where assisted returnees in {{row.name}} were referred,"
                     " 2021–2025 (illustrative)",
            "series": ["Health services", "Job training"],
        },
        {
            "id": "help",
            "title": "People helped in {{row.name}}, 2025 (illustrative)",
            "statistics": ["assisted", "referred-health", "referred-work"],
        },
    ],
    "contact": {
        "name": "Example desk, {{row.capital}}",
        "organization": "briefkit example",
        "email": "briefs@example.org",
        "url": "https://example.org",
    },
}


def make_pack(rows: pd.DataFrame, stats: pd.DataFrame) -> briefkit.Pack:
    """The batch pack: one brief per row of `rows`, keyed by iso3."""
    article = (EXAMPLE / "article.md").read_text(encoding="utf-8")
    return briefkit.Pack.from_data(SETTINGS, article, stats, rows=rows, key="iso3",
                                   name="country-briefs")


def render_row(files: dict, key: str) -> dict:
    """A task: the brief of one row, as {file name: bytes}."""
    pack = briefkit.Pack.from_files(files, name="country-briefs")
    rendered = briefkit.render(pack, row=key)
    return {rendered.names[fmt]: data for fmt, data in rendered.items()}


def write_row(files: dict, key: str, out: str) -> list:
    """A task that writes its brief itself (OUT on shared storage): the
    paths and SHA-256 of what it wrote."""
    pack = briefkit.Pack.from_files(files, name="country-briefs")
    return [(os.fspath(a.path), a.sha256) for a in briefkit.build(pack, out, rows=[key])]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="folder for the briefs")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    parser.add_argument("--single", action="store_true", help="no Dask: render in this process")
    parser.add_argument("--on-workers", action="store_true",
                        help="the workers write the files into OUT (shared storage)")
    args = parser.parse_args(argv)

    rows = pd.read_csv(EXAMPLE / "countries.csv")
    stats = pd.read_csv(EXAMPLE / "stats.csv")
    pack = make_pack(rows, stats)
    files, keys = pack.files, pack.keys
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    if args.single:
        results = [render_row(files, key) for key in keys]
    else:
        from dask.distributed import Client, LocalCluster

        if args.scheduler:
            client = Client(args.scheduler)
            cluster = None
        else:
            # Worker processes (not threads in this one), one thread each.
            cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        try:
            shared = client.scatter(files, broadcast=True)
            if args.on_workers:
                futures = client.map(write_row, [shared] * len(keys), keys,
                                     [os.fspath(out.resolve())] * len(keys))
                for written in client.gather(futures):
                    for path, sha in written:
                        print(f"{path} {sha[:12]}")
                return 0
            futures = client.map(render_row, [shared] * len(keys), keys)
            results = client.gather(futures)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    for files_of_row in results:
        for name, data in sorted(files_of_row.items()):
            (out / name).write_bytes(data)
            print(f"{out / name} {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
