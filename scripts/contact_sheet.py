#!/usr/bin/env python3
"""Contact sheet of every kind of chart in every format and language.

Builds the pack of scripts/chart_pack.py (the five kinds of chart: lines,
grouped columns, one line, stacked columns, a dot plot, bars; ten years of
three series, one with no 2019) in English, Arabic and Chinese, then renders
what a reader sees:
the PDF's pages (pdftoppm), the DOCX as LibreOffice draws it (soffice ->
PDF -> pdftoppm) and the EPUB's page in Chromium (headless screenshot).
Writes docs/charts/contact-sheet-LANG.png: a row a format, its pages side
by side.

Usage: scripts/contact_sheet.py [OUT_DIR]   (default docs/charts)
Needs target/release/briefkit, pdftoppm, soffice, chromium and Pillow.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

from PIL import Image, ImageDraw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chart_pack  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target/release/briefkit")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "docs/charts")

LANGUAGES = [
    ("en", chart_pack.ENGLISH),
    ("ar", ["النساء", "الرجال", "الأطفال", "المساعدة"]),
    ("zh", ["妇女", "男子", "儿童", "受助人数"]),
]


def pages(pdf, prefix, dpi=40):
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", pdf, prefix], check=True)
    return sorted(glob.glob(prefix + "-*.png"), key=lambda p: int(p.rsplit("-", 1)[1][:-4]))


def epub_page(epub, work):
    """The EPUB's brief page as Chromium draws it, at a phone-to-tablet width."""
    unpacked = os.path.join(work, "epub")
    with zipfile.ZipFile(epub) as z:
        z.extractall(unpacked)
    page = glob.glob(os.path.join(unpacked, "**", "brief.xhtml"), recursive=True)[0]
    shot = os.path.join(work, "epub.png")
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--screenshot={shot}", "--window-size=700,12000", "file://" + page],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Cut the screenshot into page-high pieces, trimming the blank end.
    im = Image.open(shot).convert("RGB")
    bbox = Image.eval(im, lambda v: 255 - v).getbbox()
    if bbox:
        im = im.crop((0, 0, im.width, min(im.height, bbox[3] + 20)))
    step = 990
    pieces = []
    for n, top in enumerate(range(0, im.height, step)):
        path = os.path.join(work, f"epub-{n}.png")
        im.crop((0, top, im.width, min(im.height, top + step))).save(path)
        pieces.append(path)
    return pieces


def sheet(rows, out):
    """Rows of (label, images), each row's images scaled alike so that its
    tallest is one height (a short last piece stays short)."""
    height = 330
    scaled = []
    for label, files in rows:
        opened = [Image.open(f).convert("RGB") for f in files]
        tallest = max(im.height for im in opened)
        ims = [im.resize((max(1, im.width * height // tallest), max(1, im.height * height // tallest)))
               for im in opened]
        scaled.append((label, ims))
    width = max(sum(i.width + 8 for i in ims) for _, ims in scaled) + 8
    canvas = Image.new("RGB", (width, len(scaled) * (height + 28) + 8), "white")
    draw = ImageDraw.Draw(canvas)
    y = 8
    for label, ims in scaled:
        draw.text((8, y), label, fill=(29, 43, 54))
        x = 8
        for im in ims:
            canvas.paste(im, (x, y + 18))
            draw.rectangle((x, y + 18, x + im.width - 1, y + 18 + im.height - 1), outline=(201, 211, 219))
            x += im.width + 8
        y += height + 28
    canvas.quantize(colors=128).save(out, optimize=True)


def main():
    if not os.path.exists(BIN):
        sys.exit("build it first: cargo build --release")
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="briefkit-sheet-")
    try:
        for language, words in LANGUAGES:
            base = os.path.join(work, language)
            pack = os.path.join(base, "pack")
            chart_pack.write(pack, language, words)
            out = os.path.join(base, "out")
            subprocess.run([BIN, "build", pack, "-o", out, "-q"], check=True)
            pdf_pages = pages(os.path.join(out, "pack.pdf"), os.path.join(base, "pdf"))
            lo = os.path.join(base, "lo")
            subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", lo,
                            os.path.join(out, "pack.docx")],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            docx_pages = pages(os.path.join(lo, "pack.pdf"), os.path.join(base, "docx"))
            epub_pages = epub_page(os.path.join(out, "pack.epub"), base)
            target = os.path.join(OUT, f"contact-sheet-{language}.png")
            sheet([
                (f"PDF ({language}): briefkit's own layout, pdftoppm", pdf_pages),
                (f"DOCX ({language}): native Word charts as LibreOffice draws them", docx_pages),
                (f"EPUB ({language}): the page in Chromium, 700 px wide", epub_pages),
            ], target)
            print(f"wrote {os.path.relpath(target, ROOT)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
