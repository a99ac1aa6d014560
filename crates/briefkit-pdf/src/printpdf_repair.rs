//! Where briefkit finishes printpdf's output (printpdf 0.12.8, pinned), each
//! repair with what it repairs and why. The tests below fail if printpdf
//! changes underneath them.
//!
//! - **Fonts by use**: printpdf embeds a font only as far as a page shows
//!   it, and builds the font's widths and ToUnicode map from the text shown
//!   with each glyph. briefkit writes the content streams itself
//!   (`content.rs`), so one more page, [`usage_page`], shows every glyph
//!   each font showed, with its text; [`put_contents`] removes it again.
//! - **Content streams**: printpdf writes one content stream a page from its
//!   own operations; [`put_contents`] puts briefkit's in their place (its
//!   operation list costs an allocation an operator, and most of the time of
//!   a long document).
//! - **Compression**: the streams printpdf leaves unfiltered are deflated in
//!   parallel at zlib's default level ([`compress_streams`]).
//! - **Default widths**: printpdf gives every CID font `/DW 1000`, the
//!   width of a glyph `/W` does not list (`.notdef`, never shown). A font
//!   whose `.notdef` is another width (a wide face's: see `wide`) gets its
//!   own ([`set_default_widths`]), so that `/DW` agrees with the font
//!   program as PDF/A asks of every width.
//! - **The file ID**: a placeholder of zeros ([`placeholder_id`]) replaced by
//!   the first 16 bytes of the file's SHA-256 ([`set_id`]): the same input
//!   gives the same bytes, other content another ID.

use crate::content::GlyphUse;
use lopdf::Object;
use printpdf::{Codepoint, FontId, Mm, Op, PdfFontHandle, PdfPage, Pt, TextItem};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The page that shows printpdf every glyph each font showed, with the text
/// it stands for (removed again by [`put_contents`]).
pub fn usage_page(glyph_use: &GlyphUse, width: f32, height: f32) -> PdfPage {
    let mut usage_ops = vec![Op::StartTextSection];
    for (name, glyphs) in &glyph_use.fonts {
        let mut glyphs: Vec<(&u16, &Option<String>)> = glyphs.iter().collect();
        glyphs.sort_unstable();
        usage_ops.push(Op::SetFont {
            font: PdfFontHandle::External(FontId(name.clone())),
            size: Pt(10.0),
        });
        usage_ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(
                glyphs
                    .into_iter()
                    .map(|(gid, text)| Codepoint {
                        gid: *gid,
                        offset: 0.0,
                        cid: text.clone(),
                    })
                    .collect(),
            )],
        });
    }
    usage_ops.push(Op::EndTextSection);
    PdfPage::new(Mm::from(Pt(width)), Mm::from(Pt(height)), usage_ops)
}

/// Puts each page's content stream in place of printpdf's, and removes the
/// last page (the one that showed printpdf the glyphs in use).
pub fn put_contents(lo: &mut lopdf::Document, contents: Vec<PageContent>) {
    let pages: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
    for (page, content) in pages.iter().zip(contents) {
        let Ok(stream_id) = lo
            .get_dictionary(*page)
            .and_then(|d| d.get(b"Contents"))
            .and_then(Object::as_reference)
        else {
            continue;
        };
        if let Ok(Object::Stream(stream)) = lo.get_object_mut(stream_id) {
            stream.dict.remove(b"Filter");
            stream.set_content(content.bytes);
            if content.deflated {
                stream.dict.set("Filter", "FlateDecode");
            }
        }
    }
    let Some(&usage) = pages.last() else {
        return;
    };
    let (parent, contents, resources) = match lo.get_dictionary(usage) {
        Ok(d) => (
            d.get(b"Parent").and_then(Object::as_reference).ok(),
            d.get(b"Contents").and_then(Object::as_reference).ok(),
            d.get(b"Resources").and_then(Object::as_reference).ok(),
        ),
        Err(_) => return,
    };
    if let Some(Ok(Object::Dictionary(tree))) = parent.map(|p| lo.get_object_mut(p)) {
        if let Ok(Object::Array(kids)) = tree.get_mut(b"Kids") {
            kids.retain(|k| k.as_reference().ok() != Some(usage));
            let count = kids.len() as i64;
            tree.set("Count", Object::Integer(count));
        }
    }
    for id in [Some(usage), contents, resources].into_iter().flatten() {
        lo.objects.remove(&id);
    }
}

/// Deflates every stream printpdf left uncompressed, in parallel and at
/// zlib's default level (lopdf's own pass uses the slowest level, for a
/// file a few per cent smaller).
pub fn compress_streams(lo: &mut lopdf::Document) {
    use rayon::prelude::*;
    let mut streams: Vec<&mut lopdf::Stream> = lo
        .objects
        .values_mut()
        .filter_map(|o| o.as_stream_mut().ok())
        .filter(|s| s.allows_compression && s.dict.get(b"Filter").is_err() && s.content.len() > 64)
        .collect();
    streams.par_iter_mut().for_each(|stream| {
        if let Some(packed) = deflated(&stream.content) {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    });
}

/// `bytes` deflated at zlib's default level, where that is worth its
/// `/Filter` (19 bytes): [`compress_streams`]'s rule, which the page
/// contents deflated early follow too.
pub fn deflated(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.len() <= 64 {
        return None;
    }
    crate::deflate(bytes, flate2::Compression::default())
        .filter(|packed| packed.len() + 19 < bytes.len())
}

/// A page's content stream: its bytes, and whether they are deflated.
#[derive(Debug)]
pub struct PageContent {
    pub bytes: Vec<u8>,
    pub deflated: bool,
}

impl PageContent {
    /// Plain bytes.
    pub fn plain(bytes: Vec<u8>) -> PageContent {
        PageContent {
            bytes,
            deflated: false,
        }
    }

    /// Deflates `contents`, side by side, where [`deflated`]'s rule says
    /// it is worth it (those it is not worth stay plain, as
    /// [`compress_streams`] would leave them).
    pub fn deflate_all(contents: &mut [PageContent]) {
        use rayon::prelude::*;
        contents.par_iter_mut().for_each(|c| {
            if c.deflated {
                return;
            }
            if let Some(packed) = deflated(&c.bytes) {
                c.bytes = packed;
                c.deflated = true;
            } else {
                c.bytes.shrink_to_fit();
            }
        });
    }
}

/// Sets `/DW` of each CID font whose `/BaseFont` is a key of `widths` to
/// its value (thousandths of an em).
pub fn set_default_widths(lo: &mut lopdf::Document, widths: &BTreeMap<String, i64>) {
    fn set(dict: &mut lopdf::Dictionary, widths: &BTreeMap<String, i64>) {
        let cid_font = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|s| s == b"CIDFontType0" || s == b"CIDFontType2");
        let width = dict
            .get(b"BaseFont")
            .and_then(Object::as_name)
            .ok()
            .and_then(|name| widths.get(String::from_utf8_lossy(name).as_ref()));
        if let (true, Some(&width)) = (cid_font, width) {
            dict.set("DW", Object::Integer(width));
        }
    }
    if widths.is_empty() {
        return;
    }
    for object in lo.objects.values_mut() {
        let Ok(dict) = object.as_dict_mut() else {
            continue;
        };
        set(dict, widths);
        // printpdf writes a Type 0 font's CIDFont inside it.
        if let Ok(Object::Array(descendants)) = dict.get_mut(b"DescendantFonts") {
            for descendant in descendants {
                if let Ok(d) = descendant.as_dict_mut() {
                    set(d, widths);
                }
            }
        }
    }
}

/// Sets the trailer's /ID to a placeholder of zeros, for [`set_id`].
pub fn placeholder_id(lo: &mut lopdf::Document) {
    let placeholder = Object::String(vec![0; 16], lopdf::StringFormat::Hexadecimal);
    lo.trailer
        .set("ID", Object::Array(vec![placeholder.clone(), placeholder]));
}

/// Replaces the all-zero /ID placeholder in the trailer with the first 16
/// bytes of the SHA-256 of the file.
pub fn set_id(bytes: &mut [u8]) {
    const ZEROS: &[u8] = b"<00000000000000000000000000000000>";
    let digest = Sha256::digest(&*bytes);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    // The trailer (or the cross-reference stream's dictionary, which holds
    // it) starts where `startxref` points.
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    let xref_start = String::from_utf8_lossy(tail)
        .rsplit("startxref")
        .next()
        .and_then(|rest| rest.split_whitespace().next().map(str::to_string))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n < bytes.len())
        .unwrap_or_else(|| bytes.len().saturating_sub(2048));
    let mut at = xref_start.min(bytes.len().saturating_sub(2048));
    while let Some(pos) = bytes[at..]
        .windows(ZEROS.len())
        .position(|w| w == ZEROS)
        .map(|p| p + at)
    {
        bytes[pos + 1..pos + 33].copy_from_slice(hex.as_bytes());
        at = pos + ZEROS.len();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use printpdf::{ParsedFont, PdfDocument, PdfSaveOptions};

    fn save_options() -> PdfSaveOptions {
        PdfSaveOptions {
            optimize: true,
            subset_fonts: true,
            secure: true,
            image_optimization: None,
        }
    }

    /// A document of `pages` blank pages and the usage page of a font that
    /// showed `glyphs` (glyph id and text), as lopdf reads printpdf's output.
    fn printed(pages: usize, glyphs: &[(u16, &str)]) -> lopdf::Document {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fonts/NotoSans-Regular.ttf"
        ))
        .unwrap();
        let font = ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()).unwrap();
        let mut pdf = PdfDocument::new("repair");
        pdf.resources
            .fonts
            .map
            .insert(FontId("BKFNAA".into()), printpdf::PdfFont::new(font));
        let mut all: Vec<PdfPage> = (0..pages)
            .map(|_| PdfPage::new(Mm(210.0), Mm(297.0), Vec::new()))
            .collect();
        let mut used = GlyphUse::default();
        let shown: Vec<crate::content::Shown<'_>> = glyphs
            .iter()
            .map(|(gid, text)| crate::content::Shown {
                gid: *gid,
                offset: 0.0,
                text,
            })
            .collect();
        used.record("BKFNAA", &shown);
        all.push(usage_page(&used, 595.0, 842.0));
        pdf.with_pages(all);
        pdf.to_lopdf_document(&save_options(), &mut Vec::new())
    }

    #[test]
    fn printpdf_writes_one_content_stream_a_page_in_page_order() {
        // put_contents relies on it: each page's /Contents is one stream,
        // and the usage page is the last page.
        let mut lo = printed(2, &[(36, "A")]);
        let pages: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
        assert_eq!(pages.len(), 3);
        for page in &pages {
            let contents = lo
                .get_dictionary(*page)
                .and_then(|d| d.get(b"Contents"))
                .and_then(Object::as_reference)
                .expect("a page's /Contents is a reference");
            assert!(lo.get_object(contents).is_ok_and(|o| o.as_stream().is_ok()));
        }
        put_contents(
            &mut lo,
            vec![
                PageContent::plain(b"% one".to_vec()),
                PageContent::plain(b"% two".to_vec()),
            ],
        );
        let left: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
        assert_eq!(left.len(), 2, "the usage page is removed");
        assert!(lo.get_object(pages[2]).is_err());
        for (page, want) in left.iter().zip([b"% one".as_slice(), b"% two"]) {
            let id = lo
                .get_dictionary(*page)
                .and_then(|d| d.get(b"Contents"))
                .and_then(Object::as_reference)
                .unwrap();
            let stream = lo.get_object(id).and_then(Object::as_stream).unwrap();
            assert_eq!(stream.content, want);
        }
    }

    #[test]
    fn printpdf_embeds_a_font_with_the_widths_and_text_of_the_glyphs_shown() {
        // The usage page is how the fonts get their widths and ToUnicode
        // map: printpdf must still take them from the glyphs a page shows.
        let lo = printed(1, &[(36, "A"), (37, "B")]);
        let fonts: Vec<&lopdf::Dictionary> = lo
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter(|d| d.get(b"Type").and_then(Object::as_name).ok() == Some(b"Font".as_slice()))
            .filter(|d| {
                d.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0".as_slice())
            })
            .collect();
        assert_eq!(fonts.len(), 1, "one embedded font");
        let to_unicode = fonts[0]
            .get(b"ToUnicode")
            .and_then(Object::as_reference)
            .and_then(|id| lo.get_object(id))
            .and_then(Object::as_stream)
            .expect("a ToUnicode map");
        let map = to_unicode
            .decompressed_content()
            .unwrap_or_else(|_| to_unicode.content.clone());
        let map = String::from_utf8_lossy(&map);
        assert!(map.contains("<0041>") && map.contains("<0042>"), "{map}");
        let descendant = fonts[0]
            .get(b"DescendantFonts")
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| a.first())
            .and_then(|o| match o {
                Object::Reference(id) => lo.get_dictionary(*id).ok(),
                Object::Dictionary(d) => Some(d),
                _ => None,
            })
            .expect("a descendant font");
        let widths = descendant.get(b"W").and_then(Object::as_array).expect("/W");
        assert!(!widths.is_empty(), "widths for the glyphs shown");
    }

    #[test]
    fn printpdf_gives_every_cid_font_dw_1000_and_the_repair_sets_the_fonts_own() {
        // printpdf's /DW is 1000 whatever the font; set_default_widths
        // finds the CIDFont (inside its Type 0 font) by its BaseFont.
        let mut lo = printed(1, &[(36, "A")]);
        let descendant = |lo: &lopdf::Document| -> (Vec<u8>, i64) {
            let font = lo
                .objects
                .values()
                .filter_map(|o| o.as_dict().ok())
                .find(|d| {
                    d.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0".as_slice())
                })
                .expect("a Type 0 font");
            let d = match font.get(b"DescendantFonts").and_then(Object::as_array) {
                Ok(a) => match &a[0] {
                    Object::Reference(id) => lo.get_dictionary(*id).unwrap().clone(),
                    Object::Dictionary(d) => d.clone(),
                    _ => panic!("a descendant font"),
                },
                Err(_) => panic!("DescendantFonts"),
            };
            (
                d.get(b"BaseFont")
                    .and_then(Object::as_name)
                    .unwrap()
                    .to_vec(),
                d.get(b"DW").and_then(Object::as_i64).unwrap(),
            )
        };
        let (name, dw) = descendant(&lo);
        assert_eq!(dw, 1000);
        let name = String::from_utf8(name).unwrap();
        set_default_widths(&mut lo, &BTreeMap::from([("Other".to_string(), 1)]));
        assert_eq!(descendant(&lo).1, 1000, "another font's width is not set");
        set_default_widths(&mut lo, &BTreeMap::from([(name, 1250)]));
        assert_eq!(descendant(&lo).1, 1250);
    }

    #[test]
    fn the_id_is_the_files_hash_and_follows_its_content() {
        let save = |lo: &mut lopdf::Document| {
            placeholder_id(lo);
            let mut bytes = Vec::new();
            lo.save_to(&mut bytes).unwrap();
            set_id(&mut bytes);
            bytes
        };
        let (a, b) = (save(&mut printed(1, &[])), save(&mut printed(1, &[])));
        assert_eq!(a, b, "the same input, the same bytes");
        let c = save(&mut printed(2, &[]));
        let id = |bytes: &[u8]| {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let at = text.rfind("/ID").unwrap();
            text[at..at + 40].to_string()
        };
        assert!(
            !id(&a).contains("00000000000000000000000000000000"),
            "{}",
            id(&a)
        );
        assert_ne!(id(&a), id(&c), "other content, another ID");
    }
}
