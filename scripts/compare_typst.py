#!/usr/bin/env python3
"""Typesets the same brief with Typst and with briefkit, and times both.

The document model comes from `briefkit ast PACK`; this script writes it as
Typst markup with the same fonts (fonts/), paper, justification and
hyphenation, compiles it with Typst (the `typst` package from PyPI, which
embeds the Typst compiler), and renders the first pages of both PDFs to PNG
so they can be looked at side by side.

Typst's time is measured cold (a fresh process per compile, less the time
Python takes to start and import typst) and warm (repeated compiles in one
process, where Typst reuses memoised work); briefkit's is the whole
command, process start to exit.

With --pdf-standard ua-1 (or a-2a, a-2b; repeatable) both tools are asked
for the same standards (Typst through its pdf_standards, briefkit through
its own --pdf-standard) and page-validation's verdict on each PDF is
printed side by side.

Usage: scripts/compare_typst.py PACK [OUT_DIR] [--runs N] [--pdf-standard S ...]
       (needs: pip install typst page-validation; pdftoppm for the pictures)
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target/release/briefkit")


def esc(text):
    """Typst markup escaping for plain text."""
    out = []
    for c in text:
        if c in "\\#*_`$<>@[]=-+/~\"'":
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


def inlines(items):
    out = []
    for i in items:
        t = i["type"]
        if t == "text":
            out.append(esc(i["text"]))
        elif t == "emphasis":
            out.append("#emph[" + inlines(i["content"]) + "]")
        elif t == "strong":
            out.append("#strong[" + inlines(i["content"]) + "]")
        elif t == "code":
            out.append("#raw(" + json.dumps(i["text"]) + ")")
        elif t == "link":
            out.append("#link(" + json.dumps(i["url"]) + ")[" + inlines(i["content"]) + "]")
        elif t == "stat":
            cite = i.get("citation")
            out.append("#text(weight: \"bold\", fill: accent)[" + esc(i["text"]) + "]")
            if cite:
                out.append("~#text(size: 0.82em, fill: muted)[" + esc(cite) + "]")
        elif t == "footnote_ref":
            out.append("#footnote[" + NOTES.get(i["number"], "") + "]")
        elif t == "line_break":
            out.append("\\ ")
    return "".join(out)


NOTES = {}


def blocks(items, depth=0):
    out = []
    for b in items:
        t = b["type"]
        if t == "cover":
            out.append(
                "#text(font: sans, size: 9pt, weight: \"bold\", fill: accent)[" + esc(b.get("organization") or "") + "]\n\n"
                "#text(font: sans, size: 22pt, weight: \"bold\")[" + esc(b["title"]) + "]\n\n"
                + ("#text(size: 12pt, fill: muted)[" + esc(b["subtitle"]) + "]\n\n" if b.get("subtitle") else "")
                + "#text(font: sans, size: 8pt, fill: muted)[" + esc(b["date"]) + "]\n#line(length: 100%, stroke: 1pt + accent)\n"
            )
        elif t == "key_figures":
            cells = []
            for f in b["figures"]:
                cells.append(
                    "block(fill: tint, inset: 8pt, width: 100%, stroke: (left: 3pt + accent))["
                    "#text(font: sans, size: 16pt, weight: \"bold\", fill: accent)[" + esc(f["value"]) + "] "
                    "#text(font: sans, size: 8pt, fill: accent)[" + esc(f.get("unit") or "") + "]\\ "
                    "#text(font: sans, size: 8pt)[" + esc(f["label"]) + "]\\ "
                    "#text(font: sans, size: 7pt, fill: muted)[" + esc(f["source"]) + "]]"
                )
            out.append("#grid(columns: (1fr,) * " + str(len(cells)) + ", gutter: 8pt, " + ", ".join(cells) + ")\n")
        elif t == "heading":
            out.append("=" * max(1, b["level"] - 1) + " " + inlines(b["content"]) + "\n")
        elif t == "paragraph":
            out.append(inlines(b["content"]) + "\n")
        elif t == "list":
            for n, item in enumerate(b["items"]):
                marker = f"{b['start'] + n}." if b["ordered"] else "-"
                body = blocks(item, depth + 1).strip().replace("\n", "\n" + "  " * (depth + 1))
                out.append("  " * depth + marker + " " + body + "\n")
        elif t == "quote":
            out.append("#quote(block: true)[#emph[" + blocks(b["blocks"], depth).strip() + "]]\n")
        elif t == "code":
            out.append("#raw(block: true, " + json.dumps(b["text"]) + ")\n")
        elif t == "table":
            cols = len(b["header"])
            align = ",".join("right" if a == "right" else "left" for a in b["align"])
            cells = ["[" + inlines(c) + "]" for c in b["header"]]
            for row in b["rows"]:
                cells += ["[" + inlines(c) + "]" for c in row]
            out.append(
                "#table(columns: " + str(cols) + ", align: (" + align + ",), stroke: none, "
                "fill: (_, y) => if y == 0 { head } else if calc.even(y) { tint }, "
                "table.header(" + ", ".join(cells[:cols]) + "), " + ", ".join(cells[cols:]) + ")\n"
            )
        elif t == "image":
            out.append("#figure(image(" + json.dumps(b["src"]) + "))\n")
        elif t == "chart":
            # Bars of the first series, a category each (the chart of the
            # example; other kinds are drawn as its bars too).
            points = b["series"][0]["points"] if b.get("series") else []
            bars = [dict(label=c, value=p["value"], display=p["display"])
                    for c, p in zip(b["categories"], points) if p]
            top = max((bar["value"] for bar in bars), default=1) or 1
            parts = ["#text(font: sans, weight: \"bold\")[" + esc(b["title"]) + "]\n"]
            for bar in bars:
                parts.append(
                    "#text(font: sans, size: 7.5pt, fill: muted)[" + esc(bar["label"]) + "]\\\n"
                    "#box(width: " + f"{80 * bar['value'] / top:.1f}%" + ", height: 10pt, fill: accent) "
                    "#text(font: sans, size: 8pt, weight: \"bold\")[" + esc(bar["display"]) + "]\n"
                )
            out.append("".join(parts) + "\n")
        elif t == "statistics_table":
            cells = ["[Value]", "[What it counts]", "[Period]", "[Source]"]
            for r in b["rows"]:
                cells += ["[" + esc(r[k] or "") + "]" for k in ["value", "label", "period", "source"]]
            out.append(
                "#text(font: sans, size: 8pt)[#table(columns: (auto, 2fr, 1fr, 2fr), stroke: none, align: (right, left, left, left), "
                "fill: (_, y) => if y == 0 { head } else if calc.even(y) { tint }, table.header(" + ", ".join(cells[:4]) + "), "
                + ", ".join(cells[4:]) + ")]\n"
            )
        elif t == "sources":
            for s in b["sources"]:
                out.append(f"+ {esc(s['name'])}" + (", " + esc(s["url"]) if s.get("url") else "") + "\n")
        elif t == "contact":
            parts = [b.get(k) for k in ["name", "organization", "phone", "email", "url"] if b.get(k)]
            out.append("\\\n".join(esc(p) for p in parts) + "\n")
        out.append("\n")
    return "".join(out)


def to_typst(doc):
    meta = doc["metadata"]
    for note in doc["footnotes"]:
        NOTES[note["number"]] = blocks(note["blocks"]).strip()
    paper = "us-letter" if meta.get("paper") == "letter" else "a4"
    head = f"""#let accent = rgb(11, 92, 140)
#let muted = rgb(90, 102, 112)
#let tint = rgb(238, 244, 248)
#let head = rgb(221, 230, 236)
#let sans = "Noto Sans"
#set document(title: {json.dumps(meta["title"])})
#set page(paper: "{paper}", margin: (x: 57pt, y: 62pt),
  header: context if here().page() > 1 {{ text(font: sans, size: 7.5pt, fill: muted)[{esc(meta["title"])}] }},
  footer: context text(font: sans, size: 7.5pt, fill: muted)[{esc(meta.get("organization") or "")} #h(1fr) Page #counter(page).display() of #counter(page).final().first()])
#set text(font: "Noto Serif", size: 9.5pt, lang: "{meta["language"][:2]}", hyphenate: true)
#set par(justify: true, leading: 0.55em)
#show heading: set text(font: sans, fill: accent, size: 13.5pt)
#show heading.where(level: 2): set text(size: 11.5pt, fill: black)
#set table(inset: 4pt)
#show table: set text(font: sans, size: 8.5pt)
"""
    if meta.get("toc"):
        head += "#outline()\n"
    return head + blocks(doc["blocks"])


def pages(pdf):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return next((l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")), "?")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pack")
    ap.add_argument("out", nargs="?", default=os.path.join(ROOT, "target/compare-typst"))
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--pdf-standard", action="append", default=[],
                    help="ua-1, a-2a or a-2b: asked of both tools, then validated")
    a = ap.parse_args()
    standards = a.pdf_standard
    try:
        import typst
    except ImportError:
        sys.exit("needs the Typst compiler for Python: pip install typst")
    if not os.path.exists(BIN):
        subprocess.run(["cargo", "build", "--release", "-p", "briefkit-cli"], cwd=ROOT, check=True)
    os.makedirs(a.out, exist_ok=True)
    ast = subprocess.run([BIN, "ast", a.pack], capture_output=True, text=True, check=True).stdout
    doc = json.loads(ast)
    src = os.path.join(a.out, "brief.typ")
    with open(src, "w") as f:
        f.write(to_typst(doc))
    typst_pdf = os.path.join(a.out, "typst.pdf")
    fonts = os.path.join(ROOT, "fonts")

    def median_ms(cmd):
        times = []
        for _ in range(a.runs):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    # Cold: a fresh process per compile, less the time Python takes to
    # start and import typst. Warm: repeated compiles in one process, where
    # Typst reuses its memoised work (an upper bound on its speed).
    compile_call = f"typst.compile({src!r}, output={typst_pdf!r}, font_paths=[{fonts!r}], root='/', pdf_standards={standards!r})"
    imported = median_ms([sys.executable, "-c", "import typst"])
    typst_cold = median_ms([sys.executable, "-c", "import typst; " + compile_call]) - imported
    times = []
    for _ in range(a.runs):
        start = time.perf_counter()
        typst.compile(src, output=typst_pdf, font_paths=[fonts], root="/", pdf_standards=standards)
        times.append(time.perf_counter() - start)
    typst_warm = statistics.median(times) * 1000
    times = []
    for _ in range(a.runs):
        start = time.perf_counter()
        # --force: a build into the same folder is otherwise fresh (done
        # nothing) from the second run on.
        ours_cmd = [BIN, "build", a.pack, "-f", "pdf", "-o", a.out, "--force"]
        if standards:
            # Typst embeds no data: without it briefkit's PDF/A stays
            # PDF/A-2 (with the brief's data it is PDF/A-3, see README).
            ours_cmd += ["--pdf-standard", ",".join(standards), "--no-embed-data"]
        subprocess.run(ours_cmd, check=True, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    ours_ms = statistics.median(times) * 1000
    ours_pdf = os.path.join(a.out, os.path.basename(os.path.normpath(a.pack)) + ".pdf")
    print(f"medians of {a.runs} runs")
    size = os.path.getsize
    print(f"{'':16} {'time':>10} {'pages':>6} {'bytes':>9}")
    print(f"{'typst, cold':16} {typst_cold:>8.1f}ms {pages(typst_pdf):>6} {size(typst_pdf):>9,}   (fresh process, Python start-up taken off)")
    print(f"{'typst, warm':16} {typst_warm:>8.1f}ms {'':>6} {'':>9}   (repeated compiles in one process)")
    print(f"{'briefkit':16} {ours_ms:>8.1f}ms {pages(ours_pdf):>6} {size(ours_pdf):>9,}   (whole command, process start to exit)")
    if standards:
        try:
            import page
        except ImportError:
            sys.exit("--pdf-standard needs the validator: pip install page-validation")
        profiles = {"ua-1": "ua1", "a-2a": "pdfa-2a", "a-2b": "pdfa-2b"}
        print(f"page-validation {', '.join(standards)}")
        for name, pdf in [("typst", typst_pdf), ("briefkit", ours_pdf)]:
            verdicts = []
            for s in standards:
                r = page.validate_pdf(pdf, profile=profiles[s])
                verdicts.append(f"{s}: {r.rules.passed}/{r.rules.total} rules passed, {r.rules.failed} failed")
            print(f"{name:16} " + "; ".join(verdicts))
    if shutil.which("pdftoppm"):
        for name, pdf in [("typst", typst_pdf), ("briefkit", ours_pdf)]:
            subprocess.run(["pdftoppm", "-r", "70", "-png", "-l", "3", pdf, os.path.join(a.out, name)], check=True)
        print(f"first pages as PNG in {a.out}")


if __name__ == "__main__":
    main()
