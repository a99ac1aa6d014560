//! Wide faces: a subset font whose every glyph is wider by a fixed amount
//! (a quarter em), drawn for a glyph that is followed by spacing the
//! layout adds where the text has no space — the quarter em between
//! Chinese and a Latin word or a number, CJK typography's spacing.
//!
//! Why: text extractors make a space of any gap wider than about a tenth
//! of an em after a glyph's advance (pdf.js, mupdf, PDFium, poppler), and
//! pdf.js and mupdf 1.21 ignore `/ActualText`. So `2005年` shown as
//! `2005` + a quarter-em move + `年` is read `2005 年` in Firefox, and a
//! search for `2005年` fails. Drawn with the `5` of the wide face, whose
//! advance takes the quarter em, there is no gap to read as a space; the
//! page looks the same (the same outlines at the same places).
//!
//! PDF/A requires the widths of the font dictionary to agree with the
//! font program's (ISO 19005-2, 6.2.11.5), so the font program is made
//! wider too, not only `/W`: every advance of `hmtx` (which printpdf reads
//! for `/W`), and for a CFF font the charstrings' widths, through the
//! Private DICTs' `defaultWidthX` and `nominalWidthX` (a charstring's width
//! is one of them, or `nominalWidthX` plus its own number).

use std::ops::Range;

/// A font file's tables, by tag.
struct Sfnt {
    version: [u8; 4],
    tables: Vec<([u8; 4], Vec<u8>)>,
}

fn be16(b: &[u8], at: usize) -> Result<u16, String> {
    b.get(at..at + 2)
        .map(|s| u16::from_be_bytes([s[0], s[1]]))
        .ok_or_else(|| "font cut short".to_string())
}

fn be32(b: &[u8], at: usize) -> Result<u32, String> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| "font cut short".to_string())
}

fn put16(b: &mut [u8], at: usize, v: u16) -> Result<(), String> {
    b.get_mut(at..at + 2)
        .ok_or_else(|| "font cut short".to_string())?
        .copy_from_slice(&v.to_be_bytes());
    Ok(())
}

impl Sfnt {
    fn parse(font: &[u8]) -> Result<Self, String> {
        let version: [u8; 4] = font
            .get(..4)
            .and_then(|v| v.try_into().ok())
            .ok_or("not a font")?;
        let count = usize::from(be16(font, 4)?);
        let mut tables = Vec::with_capacity(count);
        for i in 0..count {
            let record = 12 + 16 * i;
            let tag: [u8; 4] = font
                .get(record..record + 4)
                .and_then(|t| t.try_into().ok())
                .ok_or("font cut short")?;
            let offset = be32(font, record + 8)? as usize;
            let length = be32(font, record + 12)? as usize;
            let data = font
                .get(offset..offset.checked_add(length).ok_or("table too long")?)
                .ok_or("a table lies outside the font")?;
            tables.push((tag, data.to_vec()));
        }
        Ok(Self { version, tables })
    }

    fn table_mut(&mut self, tag: &[u8; 4]) -> Option<&mut Vec<u8>> {
        self.tables
            .iter_mut()
            .find(|(t, _)| t == tag)
            .map(|(_, data)| data)
    }

    fn table(&self, tag: &[u8; 4]) -> Option<&[u8]> {
        self.tables
            .iter()
            .find(|(t, _)| t == tag)
            .map(|(_, data)| data.as_slice())
    }

    /// The font file: tables in tag order, each at a four-byte boundary,
    /// with their checksums and `head`'s checksum adjustment.
    fn write(mut self) -> Result<Vec<u8>, String> {
        fn checksum(data: &[u8]) -> u32 {
            data.chunks(4).fold(0u32, |sum, c| {
                let mut word = [0u8; 4];
                word[..c.len()].copy_from_slice(c);
                sum.wrapping_add(u32::from_be_bytes(word))
            })
        }
        self.tables.sort_by_key(|(tag, _)| *tag);
        if let Some(head) = self.table_mut(b"head") {
            head.get_mut(8..12)
                .ok_or("head cut short")?
                .copy_from_slice(&[0; 4]);
        }
        let count = self.tables.len();
        // A font has a few dozen tables at most; the directory's numbers
        // are 16-bit.
        if count > 4095 {
            return Err("too many tables".into());
        }
        let count32 = count as u32;
        let entry_selector = count32.checked_ilog2().unwrap_or(0);
        let search_range = (1u32 << entry_selector) * 16;
        let mut out = Vec::new();
        out.extend_from_slice(&self.version);
        for v in [
            count32,
            search_range,
            entry_selector,
            count32 * 16 - search_range,
        ] {
            out.extend_from_slice(&(v as u16).to_be_bytes());
        }
        let mut offset = 12 + 16 * count;
        let mut head_at = None;
        for (tag, data) in &self.tables {
            out.extend_from_slice(tag);
            out.extend_from_slice(&checksum(data).to_be_bytes());
            let at = u32::try_from(offset).map_err(|_| "font too long")?;
            out.extend_from_slice(&at.to_be_bytes());
            let len = u32::try_from(data.len()).map_err(|_| "table too long")?;
            out.extend_from_slice(&len.to_be_bytes());
            if tag == b"head" {
                head_at = Some(offset);
            }
            offset += data.len().next_multiple_of(4);
        }
        for (_, data) in &self.tables {
            out.extend_from_slice(data);
            out.resize(out.len().next_multiple_of(4), 0);
        }
        if let Some(at) = head_at {
            let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
            out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
        }
        Ok(out)
    }
}

/// The font's units per em (`head`).
fn units_per_em(sfnt: &Sfnt) -> Result<u16, String> {
    be16(sfnt.table(b"head").ok_or("no head table")?, 18)
}

/// `font` (a subset, one font, not a collection) with every glyph a
/// quarter em wider, and its `.notdef`'s width in
/// thousandths of an em (the PDF's `/DW` for it).
pub fn quarter_wider(font: &[u8]) -> Result<(Vec<u8>, i64), String> {
    let sfnt = Sfnt::parse(font)?;
    let units = units_per_em(&sfnt)?;
    if units == 0 {
        return Err("a font of 0 units per em".into());
    }
    let quarter = units / 4;
    let notdef = be16(sfnt.table(b"hmtx").ok_or("no hmtx table")?, 0)?;
    let width = (f64::from(notdef) + f64::from(quarter)) * 1000.0 / f64::from(units);
    Ok((widen(sfnt, quarter)?, width.round() as i64))
}

/// The font with every glyph's advance `delta` font units wider, in `hmtx`
/// and `hhea` and, for a CFF font, in its charstrings' widths. An error for
/// a font it cannot read: the caller then shows the spacing by
/// positioning, as before.
fn widen(mut sfnt: Sfnt, delta: u16) -> Result<Vec<u8>, String> {
    let metrics = be16(sfnt.table(b"hhea").ok_or("no hhea table")?, 34)?;
    let hmtx = sfnt.table_mut(b"hmtx").ok_or("no hmtx table")?;
    for i in 0..usize::from(metrics) {
        let advance = be16(hmtx, 4 * i)?;
        put16(
            hmtx,
            4 * i,
            advance.checked_add(delta).ok_or("advance too wide")?,
        )?;
    }
    let hhea = sfnt.table_mut(b"hhea").ok_or("no hhea table")?;
    let widest = be16(hhea, 10)?;
    put16(hhea, 10, widest.saturating_add(delta))?;
    if let Some(cff) = sfnt.table_mut(b"CFF ") {
        *cff = widen_cff(cff, f64::from(delta))?;
    }
    sfnt.write()
}

/// A DICT operator with its operands: each operand's bytes and value.
struct DictEntry {
    op: u16,
    operands: Vec<(Range<usize>, f64)>,
}

/// The entries of a CFF DICT (`data`), with operand places relative to it.
fn parse_dict(data: &[u8]) -> Result<Vec<DictEntry>, String> {
    let bad = || "a CFF DICT cannot be read".to_string();
    let mut entries = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let b0 = data[i];
        let start = i;
        let value = match b0 {
            0..=21 => {
                let op = if b0 == 12 {
                    i += 1;
                    0x0c00 | u16::from(*data.get(i).ok_or_else(bad)?)
                } else {
                    u16::from(b0)
                };
                i += 1;
                entries.push(DictEntry {
                    op,
                    operands: std::mem::take(&mut operands),
                });
                continue;
            }
            28 => {
                i += 3;
                f64::from(i16::from_be_bytes([
                    *data.get(start + 1).ok_or_else(bad)?,
                    *data.get(start + 2).ok_or_else(bad)?,
                ]))
            }
            29 => {
                i += 5;
                f64::from(be32(data, start + 1).map_err(|_| bad())? as i32)
            }
            30 => {
                let mut text = String::new();
                i += 1;
                'real: loop {
                    let byte = *data.get(i).ok_or_else(bad)?;
                    i += 1;
                    for nibble in [byte >> 4, byte & 0xf] {
                        match nibble {
                            0..=9 => text.push(char::from(b'0' + nibble)),
                            0xa => text.push('.'),
                            0xb => text.push('E'),
                            0xc => text.push_str("E-"),
                            0xe => text.push('-'),
                            0xf => break 'real,
                            _ => return Err(bad()),
                        }
                    }
                }
                text.parse::<f64>().map_err(|_| bad())?
            }
            32..=246 => {
                i += 1;
                f64::from(i32::from(b0) - 139)
            }
            247..=250 => {
                i += 2;
                let b1 = *data.get(start + 1).ok_or_else(bad)?;
                f64::from((i32::from(b0) - 247) * 256 + i32::from(b1) + 108)
            }
            251..=254 => {
                i += 2;
                let b1 = *data.get(start + 1).ok_or_else(bad)?;
                f64::from(-(i32::from(b0) - 251) * 256 - i32::from(b1) - 108)
            }
            _ => return Err(bad()),
        };
        operands.push((start..i, value));
    }
    Ok(entries)
}

/// A DICT number: a 32-bit integer, or a real.
fn dict_number(out: &mut Vec<u8>, v: f64) {
    if v.fract() == 0.0 && v.abs() < 1e9 {
        out.push(29);
        out.extend_from_slice(&(v as i32).to_be_bytes());
        return;
    }
    let text = format!("{v}");
    let mut nibbles: Vec<u8> = text
        .bytes()
        .map(|c| match c {
            b'0'..=b'9' => c - b'0',
            b'.' => 0xa,
            _ => 0xe,
        })
        .collect();
    nibbles.push(0xf);
    if nibbles.len() % 2 == 1 {
        nibbles.push(0xf);
    }
    out.push(30);
    out.extend(nibbles.chunks(2).map(|p| (p[0] << 4) | p[1]));
}

/// The places of an INDEX's items (absolute in `cff`), and where it ends.
fn read_index(cff: &[u8], at: usize) -> Result<(Vec<Range<usize>>, usize), String> {
    let count = usize::from(be16(cff, at)?);
    if count == 0 {
        return Ok((Vec::new(), at + 2));
    }
    let size = usize::from(*cff.get(at + 2).ok_or("CFF cut short")?);
    if !(1..=4).contains(&size) {
        return Err("a CFF INDEX cannot be read".into());
    }
    let offset = |i: usize| -> Result<usize, String> {
        let from = at + 3 + i * size;
        let bytes = cff.get(from..from + size).ok_or("CFF cut short")?;
        Ok(bytes.iter().fold(0usize, |v, b| (v << 8) | usize::from(*b)))
    };
    let base = at + 2 + (count + 1) * size;
    let mut items = Vec::with_capacity(count);
    for i in 0..count {
        let (from, to) = (base + offset(i)?, base + offset(i + 1)?);
        if from > to || to > cff.len() {
            return Err("a CFF INDEX lies outside the font".into());
        }
        items.push(from..to);
    }
    Ok((items, base + offset(count)?))
}

/// The CFF table with each Private DICT's `defaultWidthX` and
/// `nominalWidthX` `delta` greater: a new Private DICT appended, the Font
/// DICT's `Private` operands (five-byte integers, as `subsetter` writes
/// them) pointed at it in place.
fn widen_cff(cff: &[u8], delta: f64) -> Result<Vec<u8>, String> {
    const PRIVATE: u16 = 18;
    const SUBRS: u16 = 19;
    const DEFAULT_WIDTH: u16 = 20;
    const NOMINAL_WIDTH: u16 = 21;
    const FD_ARRAY: u16 = 0x0c24;
    let header = usize::from(*cff.get(2).ok_or("CFF cut short")?);
    let (_, names_end) = read_index(cff, header)?;
    let (tops, _) = read_index(cff, names_end)?;
    let top = tops.first().ok_or("CFF without a Top DICT")?.clone();
    let top_entries = parse_dict(&cff[top.clone()])?;
    // The DICTs that hold a Private operator: a CID-keyed font's Font
    // DICTs, else the Top DICT.
    let holders: Vec<Range<usize>> = match top_entries.iter().find(|e| e.op == FD_ARRAY) {
        Some(e) => {
            let at = e.operands.first().ok_or("FDArray without its offset")?.1;
            read_index(cff, at as usize)?.0
        }
        None => vec![top],
    };
    let mut out = cff.to_vec();
    for holder in holders {
        let entries = parse_dict(&cff[holder.clone()])?;
        let private = entries
            .iter()
            .find(|e| e.op == PRIVATE)
            .ok_or("a font DICT without its Private DICT")?;
        let [(size_at, size), (offset_at, offset)] = private.operands.as_slice() else {
            return Err("a Private operator without its size and offset".into());
        };
        if size_at.len() != 5 || offset_at.len() != 5 {
            return Err("a Private DICT placed by short numbers".into());
        }
        let at = *offset as usize;
        let old = at
            .checked_add(*size as usize)
            .and_then(|end| cff.get(at..end))
            .ok_or("a Private DICT lies outside the font")?;
        let mut new = Vec::with_capacity(old.len() + 12);
        let (mut default, mut nominal) = (0.0, 0.0);
        for entry in parse_dict(old)? {
            let value = entry.operands.first().map_or(0.0, |o| o.1);
            match entry.op {
                SUBRS => return Err("a Private DICT with subroutines".into()),
                DEFAULT_WIDTH => default = value,
                NOMINAL_WIDTH => nominal = value,
                op => {
                    for (range, _) in &entry.operands {
                        new.extend_from_slice(&old[range.clone()]);
                    }
                    if op > 0xff {
                        new.extend_from_slice(&[12, (op & 0xff) as u8]);
                    } else {
                        new.push(op as u8);
                    }
                }
            }
        }
        dict_number(&mut new, default + delta);
        new.push(DEFAULT_WIDTH as u8);
        dict_number(&mut new, nominal + delta);
        new.push(NOMINAL_WIDTH as u8);
        let new_at = i32::try_from(out.len()).map_err(|_| "CFF too long")?;
        let new_size = i32::try_from(new.len()).map_err(|_| "Private DICT too long")?;
        out.extend_from_slice(&new);
        for (range, value) in [(size_at, new_size), (offset_at, new_at)] {
            let at = holder.start + range.start;
            out[at] = 29;
            out[at + 1..at + 5].copy_from_slice(&value.to_be_bytes());
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn bundled(name: &str) -> Vec<u8> {
        let path = format!("{}/../../fonts/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(path).expect("a bundled font")
    }

    #[test]
    fn a_wide_truetype_face_has_every_advance_a_quarter_em_wider() {
        let font = bundled("NotoSerif-Regular.ttf");
        let face = rustybuzz::ttf_parser::Face::parse(&font, 0).expect("parses");
        let gids: Vec<u16> = "2005 Ab"
            .chars()
            .filter_map(|c| face.glyph_index(c).map(|g| g.0))
            .collect();
        let (sub, kept) = briefkit_model::fonts::subset_glyphs(&font, 0, &gids).expect("subsets");
        let (wide, notdef) = quarter_wider(&sub).expect("widens");
        let (narrow, wide) = (
            rustybuzz::ttf_parser::Face::parse(&sub, 0).expect("parses"),
            rustybuzz::ttf_parser::Face::parse(&wide, 0).expect("the wide face parses"),
        );
        let quarter = narrow.units_per_em() / 4;
        assert_eq!(narrow.number_of_glyphs(), wide.number_of_glyphs());
        let notdef_width = |face: &rustybuzz::ttf_parser::Face<'_>| {
            let advance = face.glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(0));
            (f64::from(advance.expect(".notdef")) * 1000.0 / f64::from(face.units_per_em())).round()
                as i64
        };
        assert_eq!(notdef, notdef_width(&wide));
        for new in 0..kept.len() as u16 {
            let g = rustybuzz::ttf_parser::GlyphId(new);
            assert_eq!(
                wide.glyph_hor_advance(g),
                narrow.glyph_hor_advance(g).map(|a| a + quarter),
                "glyph {new}"
            );
        }
    }

    /// Each Private DICT's (defaultWidthX, nominalWidthX) in a font's CFF.
    fn private_widths(font: &[u8]) -> Vec<(f64, f64)> {
        let sfnt = Sfnt::parse(font).expect("a font");
        let cff = sfnt.table(b"CFF ").expect("a CFF table");
        let (_, names_end) = read_index(cff, usize::from(cff[2])).expect("names");
        let (tops, _) = read_index(cff, names_end).expect("top");
        let top = parse_dict(&cff[tops[0].clone()]).expect("top DICT");
        let fd_array = top.iter().find(|e| e.op == 0x0c24).expect("CID-keyed");
        let (fonts, _) = read_index(cff, fd_array.operands[0].1 as usize).expect("FDArray");
        fonts
            .into_iter()
            .map(|f| {
                let dict = parse_dict(&cff[f]).expect("Font DICT");
                let private = dict.iter().find(|e| e.op == 18).expect("Private");
                let at = private.operands[1].1 as usize;
                let entries = parse_dict(&cff[at..at + private.operands[0].1 as usize])
                    .expect("Private DICT");
                let value = |op| {
                    entries
                        .iter()
                        .find(|e| e.op == op)
                        .map_or(0.0, |e| e.operands[0].1)
                };
                (value(20), value(21))
            })
            .collect()
    }

    #[test]
    fn a_wide_noto_cjk_subset_is_wider_in_hmtx_and_its_charstrings() {
        if !briefkit_test_support::have_cjk_fonts() {
            eprintln!("SKIPPED: Noto CJK is not installed");
            return;
        }
        let path =
            std::path::Path::new(briefkit_test_support::CJK_FONTS).join("NotoSansCJK-Regular.ttc");
        let font = std::fs::read(path).expect("Noto Sans CJK");
        // Simplified Chinese is the collection's third face.
        let face = rustybuzz::ttf_parser::Face::parse(&font, 2).expect("parses");
        let mut gids: Vec<u16> = "2005年1月至8月"
            .chars()
            .filter_map(|c| face.glyph_index(c).map(|g| g.0))
            .collect();
        gids.sort_unstable();
        gids.dedup();
        let mapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&gids);
        let sub = subsetter::subset(&font, 2, &mapper).expect("subsets");
        let (wide, notdef) = quarter_wider(&sub).expect("widens");
        let (narrow_face, wide_face) = (
            rustybuzz::ttf_parser::Face::parse(&sub, 0).expect("parses"),
            rustybuzz::ttf_parser::Face::parse(&wide, 0).expect("the wide face parses"),
        );
        let quarter = narrow_face.units_per_em() / 4;
        assert_eq!(quarter, 250);
        // Noto CJK's .notdef is an em wide.
        assert_eq!(notdef, 1250);
        for new in 0..narrow_face.number_of_glyphs() {
            let g = rustybuzz::ttf_parser::GlyphId(new);
            assert_eq!(
                wide_face.glyph_hor_advance(g),
                narrow_face.glyph_hor_advance(g).map(|a| a + quarter),
                "glyph {new}"
            );
            // The same outlines: the CFF still reads through its moved
            // Private DICTs.
            assert_eq!(
                wide_face.glyph_bounding_box(g),
                narrow_face.glyph_bounding_box(g),
                "glyph {new}"
            );
        }
        let (before, after) = (private_widths(&sub), private_widths(&wide));
        assert!(!before.is_empty());
        for ((d0, n0), (d1, n1)) in before.iter().zip(&after) {
            assert_eq!((d0 + 250.0, n0 + 250.0), (*d1, *n1));
        }
    }

    #[test]
    fn a_cut_or_garbled_font_is_an_error_never_a_panic() {
        let font = bundled("NotoSerif-Regular.ttf");
        let (sub, _) = briefkit_model::fonts::subset_glyphs(&font, 0, &[36, 37]).expect("subsets");
        let mut fonts = vec![sub.clone()];
        if briefkit_test_support::have_cjk_fonts() {
            let cjk = std::fs::read(
                std::path::Path::new(briefkit_test_support::CJK_FONTS)
                    .join("NotoSansCJK-Regular.ttc"),
            )
            .expect("Noto Sans CJK");
            let mapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&[10, 20]);
            fonts.push(subsetter::subset(&cjk, 2, &mapper).expect("subsets"));
        }
        for font in fonts {
            for cut in (0..font.len()).step_by(13) {
                let _ = quarter_wider(&font[..cut]);
            }
            // Bytes changed here and there, the same every run.
            let mut state = 0x2545_f491_u32;
            for _ in 0..400 {
                let mut bad = font.clone();
                for _ in 0..8 {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    let at = state as usize % bad.len();
                    bad[at] = (state >> 24) as u8;
                }
                let _ = quarter_wider(&bad);
            }
            assert!(quarter_wider(&font).is_ok());
        }
    }

    #[test]
    fn dict_numbers_of_every_form_read_back() {
        // As written here: a five-byte integer and a real.
        let mut dict = Vec::new();
        dict_number(&mut dict, 750.0);
        dict.push(20);
        dict_number(&mut dict, -861.5);
        dict.push(21);
        let entries = parse_dict(&dict).expect("reads");
        assert_eq!(entries[0].operands[0], (0..5, 750.0));
        assert_eq!(entries[1].operands[0].1, -861.5);
        // Short numbers of every form read back as written.
        let forms: [(&[u8], f64); 5] = [
            (&[139], 0.0),
            (&[247, 0], 108.0),
            (&[251, 0], -108.0),
            (&[28, 0x03, 0xe8], 1000.0),
            (&[30, 0xe2, 0xa2, 0x5f], -2.25),
        ];
        for (bytes, value) in forms {
            let mut dict = bytes.to_vec();
            dict.push(20);
            assert_eq!(parse_dict(&dict).expect("reads")[0].operands[0].1, value);
        }
    }
}
