"""What PDFium (Chrome's PDF engine) reads from a PDF: each page's text, as
Chrome copies it (pypdfium2's text page). Prints JSON: {"pages": [text, ...]}.
Usage: python3 pdfium_text.py FILE.pdf"""
import json
import sys

import pypdfium2

document = pypdfium2.PdfDocument(sys.argv[1])
pages = [page.get_textpage().get_text_range() for page in document]
print(json.dumps({"pages": pages}, ensure_ascii=False))
