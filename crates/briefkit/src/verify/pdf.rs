//! The PDF's data (its embedded files) and figures (the marked-content
//! sequences naming a statistic, their glyphs read back through the fonts'
//! `/ToUnicode` maps — what a reader copies, not what the tags say).

use super::{
    from_files, Carried, Extracted, Figure, Finding, FindingKind, Paragraph, Place, VerifyError,
    MAX_PART,
};
use crate::data::{CSV, JSON, PROVENANCE};
use briefkit_pdf::{FIGURE_KEY, STATISTIC_KEY};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::sync::Arc;

/// Name trees, number trees and parent chains deeper than this are not a
/// brief's (and a loop in one must not hang the check).
const MAX_DEPTH: usize = 64;

pub(super) fn extract(bytes: &[u8]) -> Result<Extracted, VerifyError> {
    let doc = Document::load_mem(bytes)
        .map_err(|e| VerifyError::new(format!("not a readable PDF: {e}")))?;
    if doc.is_encrypted() {
        return Err(VerifyError::new(
            "the PDF is encrypted: its data cannot be read",
        ));
    }
    let catalog = doc
        .catalog()
        .map_err(|e| VerifyError::new(format!("the PDF has no catalog: {e}")))?;
    let mut carried = Carried {
        place: Place::part("attachments"),
        ..Carried::default()
    };
    let mut md5_findings = Vec::new();
    let mut files = Vec::new();
    if let Some(tree) = catalog
        .get(b"Names")
        .ok()
        .and_then(|n| deref(&doc, n).as_dict().ok())
        .and_then(|n| n.get(b"EmbeddedFiles").ok())
    {
        // The (name, file specification) pairs of the name tree.
        tree_pairs(&doc, tree, b"Names", 0, &mut |name, spec| {
            if let Ok(name) = name.as_str() {
                files.push((text_string(name), spec));
            }
        });
    }
    for (name, spec) in files {
        let slot = match name.as_str() {
            CSV => &mut carried.csv,
            JSON => &mut carried.json,
            PROVENANCE => &mut carried.provenance,
            _ => continue,
        };
        let Some((content, params)) = file_stream(&doc, spec) else {
            continue;
        };
        if let Some(sum) = params
            .and_then(|p| p.get(b"CheckSum").ok())
            .and_then(|c| c.as_str().ok())
        {
            use md5::Digest as _;
            let actual = md5::Md5::digest(&content);
            if actual.as_slice() != sum {
                md5_findings.push(Finding::data_error(
                    FindingKind::Checksum,
                    Place::part(&name),
                    format!(
                        "the attached {name} does not match the MD5 checksum of its /Params: the file was changed after the PDF was written"
                    ),
                ));
            }
        }
        *slot = Some(content);
    }
    let mut x = from_files(carried, "PDF")?;
    x.findings.extend(md5_findings);
    let parents = ParentTree::of(&doc, catalog);
    let mut cmaps: HashMap<ObjectId, Arc<CMap>> = HashMap::new();
    // Figures by their number, in the order first met.
    let mut figures = Figures::default();
    for (page_number, page_id) in doc.get_pages() {
        let page = page_number as usize;
        let Ok(content) = doc.get_page_content_with_limit(page_id, MAX_PART as usize) else {
            continue;
        };
        let Ok(content) = lopdf::content::Content::decode(&content) else {
            continue;
        };
        let fonts = page_fonts(&doc, page_id, &mut cmaps);
        let struct_parents = doc
            .get_dictionary(page_id)
            .ok()
            .and_then(|p| p.get(b"StructParents").ok())
            .and_then(|k| k.as_i64().ok());
        let mut font: Option<Arc<CMap>> = None;
        // Open marked content: its paragraph (an index into `paragraphs`)
        // and figure (statistic, number).
        let mut marks: Vec<Mark> = Vec::new();
        // The page's paragraphs, in the order first met.
        let mut paragraphs: Vec<PageParagraph> = Vec::new();
        for op in &content.operations {
            match op.operator.as_str() {
                "BDC" | "BMC" => {
                    let props = op.operands.get(1).and_then(|p| p.as_dict().ok());
                    let mcid = props
                        .and_then(|p| p.get(b"MCID").ok())
                        .and_then(|m| m.as_i64().ok());
                    let figure = props.and_then(|p| {
                        let statistic = p.get(&STATISTIC_KEY.as_bytes()[1..]).ok()?;
                        let number = p.get(&FIGURE_KEY.as_bytes()[1..]).ok()?.as_i64().ok()?;
                        Some((text_string(statistic.as_str().ok()?), number))
                    });
                    if let Some((statistic, number)) = &figure {
                        if !figures.index.contains_key(number) {
                            figures.index.insert(*number, figures.list.len());
                            figures.list.push(Figure {
                                statistic: statistic.clone(),
                                text: String::new(),
                                place: Place::page(page),
                            });
                        }
                    }
                    // The paragraph it is in (a figure is left out of
                    // its text).
                    let block = mcid
                        .zip(struct_parents)
                        .and_then(|(m, k)| parents.block(&doc, k, m))
                        .map(|found| {
                            match paragraphs.iter().position(|p| p.element == found.element) {
                                Some(at) => at,
                                None => {
                                    paragraphs.push(found);
                                    paragraphs.len() - 1
                                }
                            }
                        });
                    if let (Some(at), Some(_)) = (block, &figure) {
                        paragraphs[at].text.push(' ');
                    }
                    // A link's words that are not a figure (a citation's
                    // "[3]", a note's number, a contents entry) are not
                    // the prose's numbers.
                    let link = op.operands.first().and_then(|t| t.as_name().ok()) == Some(b"Link");
                    let block = if link && figure.is_none() {
                        None
                    } else {
                        block
                    };
                    marks.push((block, figure));
                }
                "EMC" => {
                    marks.pop();
                }
                "Tf" => {
                    font = op
                        .operands
                        .first()
                        .and_then(|n| n.as_name().ok())
                        .and_then(|n| fonts.get(n).cloned());
                }
                "Td" | "TD" | "Tm" | "T*" | "BT" => {
                    push_text(&marks, &mut figures, &mut paragraphs, " ");
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    let Some(cmap) = &font else { continue };
                    let mut text = String::new();
                    for operand in &op.operands {
                        match operand {
                            Object::String(bytes, _) => cmap.decode(bytes, &mut text),
                            Object::Array(items) => {
                                for item in items {
                                    match item {
                                        Object::String(bytes, _) => cmap.decode(bytes, &mut text),
                                        // A wide gap is a space.
                                        Object::Integer(n) if *n < -200 => text.push(' '),
                                        Object::Real(n) if *n < -200.0 => text.push(' '),
                                        _ => {}
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    push_text(&marks, &mut figures, &mut paragraphs, &text);
                }
                _ => {}
            }
        }
        let mut count = 0;
        for PageParagraph {
            mut text,
            prose,
            note,
            ..
        } in paragraphs
        {
            count += 1;
            // A note starts with its number, which is not the prose's.
            if note {
                text = text
                    .trim_start()
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .to_string();
            }
            if prose {
                x.paragraphs.push(Paragraph {
                    text: logical_words(&text),
                    place: Place {
                        paragraph: Some(count),
                        ..Place::page(page)
                    },
                });
            }
        }
    }
    x.figures = figures.list;
    Ok(x)
}

/// The figures met, in order, and where each number's is in the list.
#[derive(Default)]
struct Figures {
    list: Vec<Figure>,
    index: HashMap<i64, usize>,
}

/// A paragraph of a page: its structure element, its text so far (a
/// figure left out), whether it is prose, whether it is in a note.
struct PageParagraph {
    element: ObjectId,
    text: String,
    prose: bool,
    note: bool,
}

/// An open marked-content sequence: its paragraph (an index into the
/// page's paragraphs) and the figure it prints (statistic, number).
type Mark = (Option<usize>, Option<(String, i64)>);

/// Adds `text` to the open figure, or to the paragraph of the open
/// marked content.
fn push_text(marks: &[Mark], figures: &mut Figures, paragraphs: &mut [PageParagraph], text: &str) {
    if let Some((_, number)) = marks.iter().rev().find_map(|(_, f)| f.as_ref()) {
        if let Some(f) = figures
            .index
            .get(number)
            .and_then(|&i| figures.list.get_mut(i))
        {
            f.text.push_str(text);
        }
        return;
    }
    if let Some(at) = marks.iter().rev().find_map(|(b, _)| *b) {
        if let Some(p) = paragraphs.get_mut(at) {
            p.text.push_str(text);
        }
    }
}

/// Right-to-left words in the order they are read: a PDF shows their
/// glyphs from left to right (`نوفمبر` comes out `ربمفون`), so each run of
/// Hebrew or Arabic letters is turned around — enough for a number's
/// neighbours (a month's name) to be recognised.
fn logical_words(text: &str) -> String {
    let rtl = |c: char| matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}');
    let mut out = String::with_capacity(text.len());
    let mut run = Vec::new();
    for c in text.chars() {
        if rtl(c) {
            run.push(c);
        } else {
            out.extend(run.drain(..).rev());
            out.push(c);
        }
    }
    out.extend(run.drain(..).rev());
    out
}

/// Follows a reference (a few times at most).
fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).map_or(object, |(_, o)| o)
}

/// A PDF text string: UTF-16 after a byte-order mark, else bytes as Latin-1
/// (PDFDocEncoding's ASCII range).
fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(rest) => {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Each (key, value) pair of a name tree (`leaves` = `Names`) or a number
/// tree (`Nums`), ISO 32000-1 7.9.6 and 7.9.7: the leaves' arrays of
/// pairs, the `/Kids` followed to [`MAX_DEPTH`].
fn tree_pairs<'a>(
    doc: &'a Document,
    node: &'a Object,
    leaves: &[u8],
    depth: usize,
    visit: &mut impl FnMut(&'a Object, &'a Object),
) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(node) = deref(doc, node).as_dict() else {
        return;
    };
    if let Ok(pairs) = node.get(leaves).and_then(Object::as_array) {
        for pair in pairs.chunks_exact(2) {
            visit(&pair[0], &pair[1]);
        }
    }
    if let Ok(kids) = node.get(b"Kids").and_then(Object::as_array) {
        for kid in kids {
            tree_pairs(doc, kid, leaves, depth + 1, visit);
        }
    }
}

/// The content of a file specification's embedded file, and its `/Params`.
fn file_stream<'a>(
    doc: &'a Document,
    spec: &'a Object,
) -> Option<(Vec<u8>, Option<&'a Dictionary>)> {
    let spec = deref(doc, spec).as_dict().ok()?;
    let ef = deref(doc, spec.get(b"EF").ok()?).as_dict().ok()?;
    let stream = deref(doc, ef.get(b"F").or_else(|_| ef.get(b"UF")).ok()?)
        .as_stream()
        .ok()?;
    let content = if stream.dict.get(b"Filter").is_ok() {
        stream
            .decompressed_content_with_limit(MAX_PART as usize)
            .ok()?
    } else {
        stream.content.clone()
    };
    let params = stream
        .dict
        .get(b"Params")
        .ok()
        .and_then(|p| deref(doc, p).as_dict().ok());
    Some((content, params))
}

/// A font's `/ToUnicode` map: codes of `width` bytes to text.
#[derive(Debug, Default)]
struct CMap {
    width: usize,
    map: HashMap<u32, String>,
}

impl CMap {
    /// Reads a ToUnicode CMap's code space and `bfchar`/`bfrange` entries.
    fn parse(text: &str) -> CMap {
        let mut cmap = CMap {
            width: 2,
            map: HashMap::new(),
        };
        let hex = |t: &str| -> Option<Vec<u8>> {
            let t = t.trim().trim_start_matches('<').trim_end_matches('>');
            (0..t.len() / 2)
                .map(|i| u8::from_str_radix(t.get(2 * i..2 * i + 2)?, 16).ok())
                .collect()
        };
        let code = |b: &[u8]| b.iter().fold(0u32, |a, &x| (a << 8) | u32::from(x));
        let utf16 = |b: &[u8]| {
            let units: Vec<u16> = b
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        };
        let tokens: Vec<&str> = text
            .split(|c: char| c.is_whitespace())
            .filter(|t| !t.is_empty())
            .collect();
        let mut i = 0;
        while i < tokens.len() {
            match tokens[i] {
                "begincodespacerange" => {
                    if let Some(lo) = tokens.get(i + 1).and_then(|t| hex(t)) {
                        cmap.width = lo.len().clamp(1, 4);
                    }
                    i += 1;
                }
                "beginbfchar" => {
                    i += 1;
                    while i + 1 < tokens.len() && tokens[i] != "endbfchar" {
                        if let (Some(src), Some(dst)) = (hex(tokens[i]), hex(tokens[i + 1])) {
                            cmap.map.insert(code(&src), utf16(&dst));
                        }
                        i += 2;
                    }
                }
                "beginbfrange" => {
                    i += 1;
                    while i + 2 < tokens.len() && tokens[i] != "endbfrange" {
                        let (Some(lo), Some(hi)) = (hex(tokens[i]), hex(tokens[i + 1])) else {
                            i += 1;
                            continue;
                        };
                        let (lo, hi) = (code(&lo), code(&hi).min(code(&lo) + 0xFFFF));
                        if tokens[i + 2].starts_with('[') {
                            // A list of targets, one a code.
                            let mut j = i + 2;
                            let mut c = lo;
                            loop {
                                let t = tokens[j].trim_start_matches('[');
                                let end = t.ends_with(']');
                                if let Some(dst) = hex(t.trim_end_matches(']')) {
                                    if c <= hi {
                                        cmap.map.insert(c, utf16(&dst));
                                    }
                                    c += 1;
                                }
                                j += 1;
                                if end || j >= tokens.len() {
                                    break;
                                }
                            }
                            i = j;
                        } else {
                            if let Some(dst) = hex(tokens[i + 2]) {
                                let text = utf16(&dst);
                                let mut units: Vec<u16> = text.encode_utf16().collect();
                                for c in lo..=hi {
                                    cmap.map.insert(c, String::from_utf16_lossy(&units));
                                    if let Some(last) = units.last_mut() {
                                        *last = last.wrapping_add(1);
                                    }
                                }
                            }
                            i += 3;
                        }
                    }
                }
                _ => i += 1,
            }
        }
        cmap
    }

    /// Appends the text of the codes in `bytes`.
    fn decode(&self, bytes: &[u8], out: &mut String) {
        for chunk in bytes.chunks(self.width.max(1)) {
            let code = chunk.iter().fold(0u32, |a, &x| (a << 8) | u32::from(x));
            match self.map.get(&code) {
                Some(t) => out.push_str(t),
                None => out.push('\u{fffd}'),
            }
        }
    }
}

/// The page's fonts by resource name, with their ToUnicode maps (read once
/// a document).
fn page_fonts(
    doc: &Document,
    page: ObjectId,
    cache: &mut HashMap<ObjectId, Arc<CMap>>,
) -> HashMap<Vec<u8>, Arc<CMap>> {
    let mut out = HashMap::new();
    let Ok(fonts) = doc.get_page_fonts(page) else {
        return out;
    };
    for (name, font) in fonts {
        let Ok(to_unicode) = font.get(b"ToUnicode").and_then(Object::as_reference) else {
            continue;
        };
        let cmap = cache
            .entry(to_unicode)
            .or_insert_with(|| {
                let text = doc
                    .get_object(to_unicode)
                    .and_then(Object::as_stream)
                    .ok()
                    .and_then(|s| {
                        if s.dict.get(b"Filter").is_ok() {
                            s.decompressed_content_with_limit(MAX_PART as usize).ok()
                        } else {
                            Some(s.content.clone())
                        }
                    })
                    .unwrap_or_default();
                Arc::new(CMap::parse(&String::from_utf8_lossy(&text)))
            })
            .clone();
        out.insert(name, cmap);
    }
    out
}

/// The structure tree's parent tree: which element each marked-content
/// sequence of a page belongs to.
struct ParentTree {
    /// Key (a page's `/StructParents`) to the array of elements by MCID.
    entries: HashMap<i64, Vec<Object>>,
}

/// Elements a paragraph is: the nearest of these above a sequence.
const BLOCKS: &[&[u8]] = &[
    b"P",
    b"H",
    b"H1",
    b"H2",
    b"H3",
    b"H4",
    b"H5",
    b"H6",
    b"LBody",
    b"LI",
    b"Lbl",
    b"Note",
    b"BlockQuote",
    b"Caption",
    b"TD",
    b"TH",
    b"TOCI",
];

/// Elements whose numbers are not the prose's.
const NOT_PROSE: &[&[u8]] = &[b"Table", b"TOC", b"TOCI", b"Figure", b"Caption", b"Lbl"];

impl ParentTree {
    fn of(doc: &Document, catalog: &Dictionary) -> ParentTree {
        let mut entries = HashMap::new();
        let tree = catalog
            .get(b"StructTreeRoot")
            .ok()
            .and_then(|r| deref(doc, r).as_dict().ok())
            .and_then(|r| r.get(b"ParentTree").ok());
        if let Some(tree) = tree {
            tree_pairs(doc, tree, b"Nums", 0, &mut |key, list| {
                if let (Ok(key), Ok(list)) = (key.as_i64(), deref(doc, list).as_array()) {
                    entries.insert(key, list.clone());
                }
            });
        }
        ParentTree { entries }
    }

    /// The paragraph element of sequence `mcid` on the page with
    /// `/StructParents` `key` (its text empty), whether it is prose, and
    /// whether it is in a note: one walk up the tree.
    fn block(&self, doc: &Document, key: i64, mcid: i64) -> Option<PageParagraph> {
        let element = self.entries.get(&key)?.get(usize::try_from(mcid).ok()?)?;
        let mut id = element.as_reference().ok()?;
        let mut block = None;
        let mut prose = true;
        let mut note = false;
        for _ in 0..MAX_DEPTH {
            let Ok(dict) = doc.get_dictionary(id) else {
                break;
            };
            let role = dict.get(b"S").and_then(Object::as_name).unwrap_or_default();
            if role == b"StructTreeRoot" || dict.get(b"S").is_err() {
                break;
            }
            if block.is_none() && BLOCKS.contains(&role) {
                block = Some(id);
            }
            if NOT_PROSE.contains(&role) {
                prose = false;
            }
            // (At or above the paragraph: a note is a block itself.)
            note |= block.is_some() && role == b"Note";
            let Ok(parent) = dict.get(b"P").and_then(Object::as_reference) else {
                break;
            };
            id = parent;
        }
        Some(PageParagraph {
            element: block?,
            text: String::new(),
            prose,
            note,
        })
    }
}
