#!/usr/bin/env python3
"""Writes a pack whose statistics file is a dataset: ROWS statistics of
which the brief cites CITED (in the article, as key figures and in the
chart). The benchmark and the tests use it to show that briefkit's work
grows with what the brief uses, not with the size of the dataset.

    scripts/dataset_pack.py DIR --rows 100000 [--cited 10] [--format csv|yaml|json]
"""
import argparse
import json
import os


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--cited", type=int, default=10)
    ap.add_argument("--format", choices=["csv", "yaml", "json"], default="csv")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    step = max(1, args.rows // args.cited)
    cited = [f"indicator-{i:07d}" for i in range(0, args.rows, step)][: args.cited]
    stats_name = f"stats.{args.format}"
    rows = []
    for i in range(args.rows):
        rows.append(
            {
                "id": f"indicator-{i:07d}",
                "value": str(1000 + (i * 7919) % 900_000),
                "unit": "people",
                "label": f"people counted by indicator {i}",
                "period": str(2000 + i % 25),
                "source": f"Statistics Office {i % 40}",
            }
        )
    path = os.path.join(args.dir, stats_name)
    with open(path, "w", encoding="utf-8") as f:
        if args.format == "csv":
            f.write("id,value,unit,label,period,source\n")
            for r in rows:
                f.write(",".join(r[k] for k in ["id", "value", "unit", "label", "period", "source"]) + "\n")
        elif args.format == "json":
            json.dump(rows, f)
        else:
            for r in rows:
                f.write(f"- id: {r['id']}\n  value: {r['value']}\n  unit: {r['unit']}\n")
                f.write(f"  label: {r['label']}\n  period: \"{r['period']}\"\n  source: {r['source']}\n")
    with open(os.path.join(args.dir, "brief.toml"), "w", encoding="utf-8") as f:
        f.write('[brief]\ntitle = "Ten indicators from a large dataset"\n')
        f.write('date = "2026-11-28"\nlanguage = "en"\n')
        f.write(f'statistics = "{stats_name}"\n')
        f.write(f"key_figures = {json.dumps(cited[:2])}\n")
        f.write(f'\n[chart]\ntitle = "Three indicators"\nstatistics = {json.dumps(cited[2:5])}\n')
    with open(os.path.join(args.dir, "article.md"), "w", encoding="utf-8") as f:
        f.write("## What the dataset shows\n\n")
        for sid in cited:
            f.write(f'The office reports {{{{stat "{sid}"}}}} for this indicator.\n\n')


if __name__ == "__main__":
    main()
