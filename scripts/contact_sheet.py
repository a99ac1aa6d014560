#!/usr/bin/env python3
"""Contact sheet of every kind of chart in every format and language.

Builds a pack with the five kinds of chart (lines, grouped columns, one
line, stacked columns, a dot plot; ten years of three series, one with no
2019) in English, Arabic and Chinese, then renders what a reader sees:
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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target/release/briefkit")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "docs/charts")

LANGUAGES = [
    ("en", ["Women", "Men", "Children", "People assisted"]),
    ("ar", ["النساء", "الرجال", "الأطفال", "المساعدة"]),
    ("zh", ["妇女", "男子", "儿童", "受助人数"]),
]


def write_pack(dest, language, words):
    """The pack of tests/charts.rs: every kind, illustrative figures."""
    women, men, children, title = words
    os.makedirs(dest)
    rows = ["id,value,unit,label,period,source,series"]
    for series, base, step in [(women, 1200, 150), (men, 800, 70), (children, 300, 25)]:
        for i, year in enumerate(range(2015, 2025)):
            if series == children and year == 2019:
                continue
            rows.append(f"{series}-{year},{base + step * i},people,{series},{year},Example data (illustrative),{series}")
    rows.append("total,3400,people,People assisted in 2024,2024,Example data (illustrative),")
    with open(os.path.join(dest, "stats.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    all3 = f'["{women}", "{men}", "{children}"]'
    with open(os.path.join(dest, "brief.toml"), "w") as f:
        f.write(
            f'[brief]\ntitle = "{title}"\nlanguage = "{language}"\ndate = "2026-12-01"\nstatistics = "stats.csv"\n\n'
            f'[[chart]]\nid = "trend"\nkind = "lines"\ntitle = "{title} 2015–2024"\nseries = {all3}\n\n'
            f'[[chart]]\nkind = "columns"\ntitle = "{title}"\nseries = ["{women}", "{men}"]\n\n'
            f'[[chart]]\nkind = "stacked"\ntitle = "{title}"\nseries = {all3}\n\n'
            f'[[chart]]\nkind = "dots"\ntitle = "{title}"\nseries = {all3}\n\n'
            f'[[chart]]\nkind = "bars"\ntitle = "{title} 2024"\nstatistics = ["{women}-2024", "{men}-2024", "{children}-2024"]\n'
        )
    with open(os.path.join(dest, "article.md"), "w") as f:
        f.write('## 2024\n\n{{stat "total"}}.\n')


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
         f"--screenshot={shot}", "--window-size=700,5200", "file://" + page],
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
    """Rows of (label, images), each image scaled to one height."""
    height = 330
    scaled = []
    for label, files in rows:
        ims = []
        for f in files:
            im = Image.open(f).convert("RGB")
            ims.append(im.resize((max(1, im.width * height // im.height), height)))
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
            draw.rectangle((x, y + 18, x + im.width - 1, y + 18 + height - 1), outline=(201, 211, 219))
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
            write_pack(pack, language, words)
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
