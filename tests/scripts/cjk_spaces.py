"""Counts, for each PDF reader, the spaces it reads between a CJK character
and a digit or Latin letter that the brief's text does not have (the text
is the EPUB's brief.xhtml, tags dropped). Readers: pdftotext, pdfinfo
-struct-text, mutool, PDFium (pypdfium2), pdf.js (when READERS_DIR holds
pdfjs-dist, as scripts/test installs it in target/readers) and, when
installed, PyMuPDF.
Usage: READERS_DIR=target/readers python3 cjk_spaces.py BRIEF.pdf BRIEF.epub"""
import html
import json
import os
import re
import subprocess
import sys
import zipfile

pdf, epub = sys.argv[1], sys.argv[2]
text = html.unescape(re.sub("<[^>]+>", "", zipfile.ZipFile(epub).read("OEBPS/brief.xhtml").decode()))


def command(*args):
    return subprocess.run(args, capture_output=True, text=True).stdout


reads = {
    "pdftotext": command("pdftotext", pdf, "-"),
    "pdfinfo -struct-text": command("pdfinfo", "-struct-text", pdf),
    "mutool": command("mutool", "draw", "-F", "txt", "-o", "-", pdf),
}
try:
    import pypdfium2

    reads["PDFium"] = "\n".join(p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(pdf))
except ImportError:
    pass
if os.environ.get("READERS_DIR"):
    dump = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pdfjs_dump.mjs")
    pages = json.loads(command("node", dump, pdf))["pages"]
    reads["pdf.js"] = "\n".join(line for page in pages for line in page["lines"])
try:
    import pymupdf

    reads[f"mupdf {pymupdf.mupdf_version}"] = "".join(p.get_text() for p in pymupdf.open(pdf))
except ImportError:
    pass
CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
pair = re.compile(rf"({CJK})[ \u00a0]([0-9A-Za-z\[])|([0-9A-Za-z\]%])[ \u00a0]({CJK})")
for reader, read in reads.items():
    extra = []
    for m in pair.finditer(read):
        a, b = m.group(1) or m.group(3), m.group(2) or m.group(4)
        if a + b in text and f"{a} {b}" not in text:
            extra.append(m.group(0))
    print(f"{reader}: {len(extra)} {extra[:12]}")
