#!/usr/bin/env python3
"""Checks that every CID font in a PDF declares in /W (or /DW) the width its
embedded program gives each glyph: for CFF (CIDFontType0C) the width the
Type 2 charstring sets (fontTools runs it, subroutines included), for
TrueType (FontFile2, CIDToGIDMap /Identity) the hmtx advance. Prints what
differs and exits 1 on any difference or when there is no font to check.
The tests use it beside page-validation, whose width rule misreads
CID-keyed CFF charstrings (it fails Typst's own PDF/A output with Noto CJK
the same way)."""
import base64, io, json, subprocess, sys

from fontTools.cffLib import CFFFontSet
from fontTools.pens.basePen import NullPen
from fontTools.ttLib import TTFont

pdf = sys.argv[1]
doc = json.loads(subprocess.run(
    ["qpdf", "--json=2", "--json-stream-data=inline", "--decode-level=generalized", pdf],
    check=True, capture_output=True).stdout)
objects = doc["qpdf"][1]

def get(ref):
    return objects.get("obj:" + ref) if isinstance(ref, str) else None

def value(ref):
    o = get(ref)
    if o is None:
        return ref
    return o.get("value", o.get("stream", {}).get("dict"))

def widths(w):
    out, i = {}, 0
    while i < len(w):
        first = w[i]
        if isinstance(w[i + 1], list):
            for k, v in enumerate(w[i + 1]):
                out[first + k] = v
            i += 2
        else:
            for c in range(first, w[i + 1] + 1):
                out[c] = w[i + 2]
            i += 3
    return out

def cid_fonts():
    """Every CIDFontType0 dictionary, direct or referenced."""
    for key, obj in objects.items():
        d = obj.get("value")
        if not isinstance(d, dict):
            continue
        kinds = ("/CIDFontType0", "/CIDFontType2")
        if d.get("/Subtype") in kinds:
            yield key, d
        for desc in d.get("/DescendantFonts", []) if d.get("/Subtype") == "/Type0" else []:
            desc = value(desc)
            if isinstance(desc, dict) and desc.get("/Subtype") in kinds:
                yield key, desc

def truetype_widths(d, desc):
    """CID → advance (thousandths of an em) of a FontFile2 font."""
    stream = get(desc["/FontFile2"])["stream"]
    font = TTFont(io.BytesIO(base64.b64decode(stream["data"])))
    scale = 1000 / font["head"].unitsPerEm
    order = font.getGlyphOrder()
    assert d.get("/CIDToGIDMap", "/Identity") == "/Identity"
    return {gid: font["hmtx"][name][0] * scale for gid, name in enumerate(order)}

fonts = checked = bad = 0
seen = set()
for key, d in cid_fonts():
    if d.get("/BaseFont") in seen:
        continue
    seen.add(d.get("/BaseFont"))
    desc = value(d["/FontDescriptor"])
    declared = widths(value(d.get("/W", [])))
    default = d.get("/DW", 1000)
    if "/FontFile2" in desc:
        fonts += 1
        drawn = truetype_widths(d, desc)
        for cid, want in declared.items():
            checked += 1
            if abs(drawn.get(cid, 0) - want) > 1:
                bad += 1
                print(f"{key} {d.get('/BaseFont')}: glyph {cid} is {drawn.get(cid)} wide, /W says {want}")
        continue
    ff3 = desc.get("/FontFile3")
    stream = get(ff3)["stream"]
    if stream["dict"].get("/Subtype") != "/CIDFontType0C":
        continue
    data = base64.b64decode(stream["data"])
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), None)
    top = cff[cff.fontNames[0]]
    by_cid = {}
    for name in top.charset:
        cid = 0 if name == ".notdef" else int(name[3:])
        by_cid[cid] = name
    fonts += 1
    for cid, name in by_cid.items():
        charstring, _ = top.CharStrings.getItemAndSelector(name)
        charstring.draw(NullPen())
        want = declared.get(cid, default)
        checked += 1
        if abs(charstring.width - want) > 1:
            bad += 1
            print(f"{key} {d.get('/BaseFont')}: CID {cid} draws {charstring.width} wide, /W says {want}")
print(f"{fonts} fonts, {checked} glyphs checked, {bad} widths differ")
sys.exit(1 if bad or not fonts else 0)
