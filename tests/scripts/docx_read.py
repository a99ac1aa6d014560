"""Reads a DOCX with python-docx and prints what the tests check, as JSON:
core properties, paragraphs with their style names, tables, footnote count
and images with their alt text."""
import json
import sys
import zipfile

import docx

path = sys.argv[1]
d = docx.Document(path)
cp = d.core_properties
out = {
    "title": cp.title,
    "creator": cp.author,
    "subject": cp.subject,
    "keywords": cp.keywords,
    "language": cp.language,
    "created": cp.created.isoformat() if cp.created else None,
    "paragraphs": [{"style": p.style.name if p.style is not None else None, "text": p.text} for p in d.paragraphs],
    "keep_with_next": {s.name: s.paragraph_format.keep_with_next for s in d.styles if s.name.startswith("Heading")},
    "tables": [[[c.text for c in r.cells] for r in t.rows] for t in d.tables],
}
with zipfile.ZipFile(path) as z:
    names = z.namelist()
    notes = z.read("word/footnotes.xml").decode() if "word/footnotes.xml" in names else ""
    out["footnotes"] = notes.count("<w:footnote ") - notes.count('w:type="separator"') - notes.count('w:type="continuationSeparator"')
    body = z.read("word/document.xml").decode()
    out["images_descr"] = [s.split('"')[0] for s in body.split('descr="')[1:]]
print(json.dumps(out, ensure_ascii=False))
