#!/usr/bin/env python3
"""Issue 26's table: small briefs side by side with Typst, and a long
article's memory.

For the example brief (three pages) and the same brief fifty times over
(the article repeated, its footnotes renamed), measures briefkit's release
binary: the PDF alone and all three formats (wall time of the whole
command, process start to exit; peak memory, max RSS), and the PDF's bytes
with the standards Typst is asked for (PDF/UA-1 and PDF/A-2a, so without
the brief's embedded data, which makes a PDF/A-3) and with the defaults.
Where Typst is installed, the same content (scripts/compare_typst.py
writes the model as Typst markup with the same fonts) is compiled by it:
the `typst` command when one is on PATH (or named by $TYPST), run as
`typst compile --ignore-system-fonts --font-path fonts --pdf-standard
ua-1,a-2a`, else the `typst` Python package, in a fresh process per run
(its memory then includes Python's, which is printed). Then the 20 MB
article (the synthetic report's article repeated): its PDF's wall time and
peak memory. Prints each goal of the issue and whether it is met.

Usage: scripts/small_briefs.py [RUNS] [--no-article]
(needs target/release/briefkit; pdfinfo for page counts)
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import json

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import compare_typst  # noqa: E402
import synthetic_report  # noqa: E402

BIN = os.path.join(ROOT, "target/release/briefkit")
FONTS = os.path.join(ROOT, "fonts")
STANDARDS = ["--pdf-standard", "ua-1,a-2a", "--no-embed-data"]


def run(args, runs):
    """Median wall time (s) and median peak RSS (MiB) of `args`."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        if status != 0:
            sys.exit(f"failed: {' '.join(args)}")
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(times), statistics.median(peaks)


def times_fifty(dest):
    """The example with its article fifty times over."""
    shutil.copytree(os.path.join(ROOT, "examples/mexico-trafficking"), dest,
                    ignore=shutil.ignore_patterns("out"))
    path = os.path.join(dest, "article.md")
    article = open(path, encoding="utf-8").read()
    parts = [re.sub(r"\[\^([^\]]+)\]", lambda m, i=i: f"[^{m.group(1)}-{i}]", article)
             for i in range(50)]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n".join(parts))


def typst_runner():
    """How to compile with Typst here: (name, function(src, pdf) -> args),
    or None."""
    cli = os.environ.get("TYPST") or shutil.which("typst")
    if cli:
        version = subprocess.run([cli, "--version"], capture_output=True, text=True).stdout.strip()
        return version + " (command line)", lambda src, pdf: [
            cli, "compile", "--ignore-system-fonts", "--font-path", FONTS,
            "--pdf-standard", "ua-1,a-2a", "--root", "/", src, pdf]
    try:
        import typst  # noqa: F401
    except ImportError:
        return None
    version = getattr(sys.modules["typst"], "__version__", "?")
    return f"typst {version} (Python package, fresh process)", lambda src, pdf: [
        sys.executable, "-c",
        f"import typst; typst.compile({src!r}, output={pdf!r}, font_paths=[{FONTS!r}], "
        f"root='/', pdf_standards=['ua-1', 'a-2a'])"]


def pages(pdf):
    return compare_typst.pages(pdf) if shutil.which("pdfinfo") else "?"


def main():
    runs = int(next((a for a in sys.argv[1:] if a.isdigit()), "21"))
    article = "--no-article" not in sys.argv
    if not os.path.exists(BIN):
        subprocess.run(["cargo", "build", "--release", "-p", "briefkit-cli"], cwd=ROOT, check=True)
    tmp = tempfile.mkdtemp(prefix="briefkit-small-")
    fifty = os.path.join(tmp, "brief50")
    times_fifty(fifty)
    packs = [("example", os.path.join(ROOT, "examples/mexico-trafficking")), ("50x", fifty)]
    typst = typst_runner()
    python_base = None
    if typst and "Python" in typst[0]:
        python_base = run([sys.executable, "-c", "import typst"], runs)
    rows = {}
    for name, pack in packs:
        out = os.path.join(tmp, "out-" + name)
        stem = os.path.basename(pack)
        pdf_alone = run([BIN, "build", pack, "-f", "pdf", "-o", out, "--force", *STANDARDS], runs)
        pdf = os.path.join(out, stem + ".pdf")
        size = os.path.getsize(pdf)
        n_pages = pages(pdf)
        defaults = os.path.join(tmp, "defaults-" + name)
        run([BIN, "build", pack, "-f", "pdf", "-o", defaults, "--force"], 1)
        size_default = os.path.getsize(os.path.join(defaults, stem + ".pdf"))
        three = run([BIN, "build", pack, "-f", "pdf,epub,docx", "-o", out, "--force", *STANDARDS], runs)
        row = {"pdf": pdf_alone, "three": three, "bytes": size, "bytes_default": size_default,
               "pages": n_pages}
        if typst:
            ast = subprocess.run([BIN, "ast", pack], capture_output=True, text=True, check=True).stdout
            src = os.path.join(tmp, name + ".typ")
            with open(src, "w", encoding="utf-8") as f:
                f.write(compare_typst.to_typst(json.loads(ast)))
            typst_pdf = os.path.join(tmp, name + "-typst.pdf")
            wall, peak = run(typst[1](src, typst_pdf), runs)
            if python_base:
                wall -= python_base[0]
            row["typst"] = (wall, peak)
            row["typst_bytes"] = os.path.getsize(typst_pdf)
            row["typst_pages"] = pages(typst_pdf)
        rows[name] = row

    print(f"Small briefs (medians of {runs} runs; wall time of the whole command; "
          f"PDF/UA-1 + PDF/A-2a, no embedded data):")
    if typst:
        print(f"Typst: {typst[0]}" + (
            f"; Python's own start ({python_base[0] * 1000:.1f} ms) taken off its times, "
            f"its memory includes Python's {python_base[1]:.1f} MiB" if python_base else ""))
    else:
        print("Typst: not installed (a `typst` command on PATH, or pip install typst)")
    head = f"{'':34} {'briefkit':>14}"
    if typst:
        head += f" {'Typst':>14} {'ratio':>7}"
    print(head)
    goals = []

    def line(label, ours, theirs=None, unit="ms", goal=None):
        fmt = (lambda v: f"{v * 1000:.1f} ms") if unit == "ms" else (
            (lambda v: f"{v:.1f} MiB") if unit == "MiB" else (lambda v: f"{v:,} B"))
        text = f"{label:34} {fmt(ours):>14}"
        if theirs is not None:
            ratio = ours / theirs
            text += f" {fmt(theirs):>14} {ratio:>7.2f}"
            if goal is not None:
                met = ratio <= goal
                goals.append((label, goal, ratio, met))
                text += f"   goal <= {goal}: {'met' if met else 'NOT met'}"
        print(text)

    for name in ["example", "50x"]:
        r = rows[name]
        t = r.get("typst")
        tb = r.get("typst_bytes")
        print(f"{name} ({r['pages']} pages" + (f"; Typst {r['typst_pages']}" if t else "") + ")")
        if name == "example":
            line("  PDF alone, wall", r["pdf"][0], t and t[0], goal=0.5)
            line("  PDF + EPUB + DOCX, wall", r["three"][0], t and t[0], goal=0.75)
            line("  peak memory, PDF alone", r["pdf"][1], t and t[1], unit="MiB", goal=1.0)
            line("  peak memory, all three", r["three"][1], t and t[1], unit="MiB", goal=1.2)
            line("  PDF bytes", r["bytes"], tb, unit="B", goal=1.5)
        else:
            line("  PDF alone, wall", r["pdf"][0], t and t[0])
            line("  PDF bytes", r["bytes"], tb, unit="B", goal=1.0)
        line("  PDF bytes with the brief's data", r["bytes_default"], unit="B")

    if article:
        report = os.path.join(tmp, "report")
        synthetic_report.write(report, 180, False)
        text = open(os.path.join(report, "article.md"), encoding="utf-8").read()
        pack = os.path.join(tmp, "article20mb")
        shutil.copytree(report, pack)
        times = max(1, round(20_000_000 / len(text.encode())))
        with open(os.path.join(pack, "article.md"), "w", encoding="utf-8") as f:
            f.write("\n\n".join([text] * times))
        mb = os.path.getsize(os.path.join(pack, "article.md")) / 1e6
        wall, peak = run([BIN, "build", pack, "-f", "pdf", "-o", os.path.join(tmp, "out-20"), "--force"], 1)
        met = peak <= 1024
        goals.append(("article of 20 MB, peak memory", 1024, peak, met))
        print(f"article of {mb:.1f} MB ({pages(os.path.join(tmp, 'out-20', 'article20mb.pdf'))} pages): "
              f"PDF {wall:.2f} s, peak {peak:.0f} MiB   goal <= 1024 MiB: {'met' if met else 'NOT met'}")
    shutil.rmtree(tmp, ignore_errors=True)
    if goals:
        print(f"goals met: {sum(1 for g in goals if g[3])} of {len(goals)}")


if __name__ == "__main__":
    main()
