"""The pack of every kind of chart, for scripts/contact_sheet.py and
scripts/chart_bench.py (tests/charts.rs builds the first five in Rust): ten years
(2015-2024) of three series of illustrative figures, the third with no 2019
(a gap), and up to six charts — a line of each series, grouped columns, one
series' line, stacked columns, a dot plot of the first and last year, and
bars of the last year.
"""
import os

ENGLISH = ["Women", "Men", "Children", "People assisted"]


def charts(words):
    """The six charts' settings (TOML), in order."""
    women, men, children, title = words
    all3 = f'["{women}", "{men}", "{children}"]'
    return [
        f'kind = "lines"\ntitle = "{title} 2015–2024"\nseries = {all3}',
        f'kind = "columns"\ntitle = "{title}"\nseries = ["{women}", "{men}"]',
        f'kind = "lines"\ntitle = "{women}"\nseries = ["{women}"]',
        f'kind = "stacked"\ntitle = "{title}"\nseries = {all3}',
        f'kind = "dots"\ntitle = "{title}"\nseries = {all3}',
        f'kind = "bars"\ntitle = "{title} 2024"\n'
        f'statistics = ["{women}-2024", "{men}-2024", "{children}-2024"]',
    ]


def write(dest, language="en", words=ENGLISH, count=6):
    """Writes the pack with the first `count` charts into `dest`."""
    women, men, children, title = words
    os.makedirs(dest)
    rows = ["id,value,unit,label,period,source,series"]
    for series, base, step in [(women, 1200, 150), (men, 800, 70), (children, 300, 25)]:
        for i, year in enumerate(range(2015, 2025)):
            if series == children and year == 2019:
                continue
            rows.append(f"{series}-{year},{base + step * i},people,{series},{year},"
                        f"Example data (illustrative),{series}")
    rows.append("total,3400,people,People assisted in 2024,2024,Example data (illustrative),")
    with open(os.path.join(dest, "stats.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    with open(os.path.join(dest, "brief.toml"), "w", encoding="utf-8") as f:
        f.write(f'[brief]\ntitle = "{title}"\nlanguage = "{language}"\ndate = "2026-12-01"\n'
                'statistics = "stats.csv"\n')
        for chart in charts(words)[:count]:
            f.write(f"\n[[chart]]\n{chart}\n")
    with open(os.path.join(dest, "article.md"), "w", encoding="utf-8") as f:
        f.write('## 2024\n\n{{stat "total"}}.\n')
