//! Emission: laid-out pages to content streams (written by `content`, each
//! item inside its marked-content sequence), printpdf for the fonts, then a
//! lopdf pass for what printpdf lacks (the
//! structure tree in `tagging`, the archival parts in `archive`) and what
//! briefkit finishes of printpdf's output (`printpdf_repair`).

use crate::content::{Content, GlyphUse, Shown};
use crate::layout::tags::{Artifact, Mark};
use crate::layout::{Item, Layout, LinkTarget, Rgb};
use crate::printpdf_repair::PageContent;
use crate::typefaces::FontBook;
use briefkit_model::{Diagnostic, Document};
use printpdf::{
    FontId, ImageOptimizationOptions, Mm, ParsedFont, PdfDocument, PdfPage, PdfSaveOptions, Pt,
    RawImage, Rect, XObjectId,
};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Pages whose content streams are deflated together, side by side.
const DEFLATE_BATCH: usize = 32;

/// Inside a text section: the font (a face, plain or wide) and size, and
/// the fill colour set.
type TextState = (Option<(FaceKey, f32)>, Option<Rgb>);

/// A colour's components as content operators write them.
fn rgb(c: Rgb) -> (f32, f32, f32) {
    (c.0, c.1, c.2)
}

/// A face, and whether it is its wide form (every glyph a quarter em
/// wider: see `wide`).
type FaceKey = (u8, bool);

/// A face cut down to the glyphs the document uses, as printpdf reads it,
/// with the new id of each old glyph id.
struct SubsetFace {
    font: ParsedFont,
    new_ids: FxHashMap<u16, u16>,
    /// For a CID-keyed CFF font (Noto CJK), each new glyph id's CID: the
    /// codes the content stream must show (see printpdf's
    /// `cff_charset_gid_to_cid_map`).
    cids: Option<BTreeMap<u16, u16>>,
    /// For a wide face, its `.notdef`'s width in thousandths of an em (its
    /// `/DW`: see `printpdf_repair::set_default_widths`).
    notdef_width: Option<i64>,
}

/// A font in the PDF: its resource name, the subset's glyph id for each
/// of the full font's, and the CIDs of a CID-keyed CFF font.
struct EmbeddedFont {
    id: FontId,
    new_ids: FxHashMap<u16, u16>,
    cids: Option<BTreeMap<u16, u16>>,
}

/// Subsets the faces the layout uses (in parallel). printpdf then embeds
/// the small fonts whole: parsing and writing a 20 KB subset is much
/// faster than having printpdf parse the full font to subset it itself.
fn subset_faces(
    layout: &Layout,
    fonts: &FontBook<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> BTreeMap<FaceKey, SubsetFace> {
    use rayon::prelude::*;
    // Each face's glyphs in use, as a set of bits (a long document shows
    // millions of glyphs, of a few hundred kinds).
    fn see(seen: &mut BTreeMap<FaceKey, Vec<u64>>, key: FaceKey, gid: u16) {
        let bits = seen.entry(key).or_insert_with(|| vec![0; 1024]);
        bits[usize::from(gid / 64)] |= 1 << (gid % 64);
    }
    let mut seen: BTreeMap<FaceKey, Vec<u64>> = BTreeMap::new();
    for page in &layout.pages {
        for item in &page.items {
            if let Item::Glyphs { glyphs, size, .. } = item {
                // Asked only of a run with a glyph to draw wide (most
                // runs have none).
                let mut rtl = None;
                for g in glyphs {
                    if g.gid != crate::typefaces::LINE_END_SPACE {
                        // A glyph drawn wide is in the face's plain subset
                        // too: if the wide one cannot be made, it is drawn
                        // from the plain one (spaced by positioning).
                        see(&mut seen, (g.font, false), g.gid);
                        if is_wide(g, *size, fonts)
                            && !*rtl.get_or_insert_with(|| is_rtl_run(glyphs))
                        {
                            see(&mut seen, (g.font, true), g.gid);
                        }
                    }
                }
            }
        }
    }
    // The space glyph too: word gaps are shown as real spaces.
    let faces: Vec<u8> = seen.keys().map(|k| k.0).collect();
    for font in faces {
        if let Some(space) = fonts.space(font) {
            see(&mut seen, (font, false), space);
        }
    }
    let used: BTreeMap<FaceKey, Vec<u16>> = seen
        .into_iter()
        .map(|(font, bits)| {
            // Word by word: most words are empty.
            let gids = bits
                .iter()
                .enumerate()
                .filter(|(_, word)| **word != 0)
                .flat_map(|(w, word)| {
                    (0..64)
                        .filter(move |b| word & (1 << b) != 0)
                        .filter_map(move |b| u16::try_from(w * 64 + b).ok())
                })
                .collect();
            (font, gids)
        })
        .collect();
    // (face, its font file and index, the glyphs it shows)
    type Job<'f> = (FaceKey, (&'f [u8], u32), Vec<u16>);
    let jobs: Vec<Job<'_>> = used
        .into_iter()
        .map(|(key, gids)| (key, fonts.bytes(key.0), gids))
        .collect();
    let done: Vec<(FaceKey, Result<SubsetFace, String>)> = jobs
        .into_par_iter()
        .map(|((font, wide), (bytes, index), gids)| {
            let made = subset_for_pdf(bytes, index, &gids).and_then(|(sub, kept)| {
                let (sub, notdef_width) = if wide {
                    let (sub, notdef) = crate::wide::quarter_wider(&sub)?;
                    (sub, Some(notdef))
                } else {
                    (sub, None)
                };
                let cids = printpdf::cff_charset_gid_to_cid_map(&sub, 0);
                let font = ParsedFont::from_bytes(&sub, 0, &mut Vec::new())
                    .ok_or("printpdf cannot read the subset")?;
                let new_ids = kept
                    .iter()
                    .enumerate()
                    .map(|(i, g)| (*g, i as u16))
                    .collect();
                Ok(SubsetFace {
                    font,
                    new_ids,
                    cids,
                    notdef_width,
                })
            });
            ((font, wide), made)
        })
        .collect();
    let mut out = BTreeMap::new();
    for (key, made) in done {
        match made {
            Ok(f) => {
                out.insert(key, f);
            }
            // Its glyphs are drawn from the plain subset.
            Err(_) if key.1 => {}
            Err(e) => warnings.push(Diagnostic::warning(
                None,
                format!(
                    "the font {} could not be embedded ({e}); its text is left out",
                    fonts.postscript_name(key.0).unwrap_or_default()
                ),
            )),
        }
    }
    out
}

/// A face cut down to `gids` for the PDF, with the old glyph id of each new
/// one. TrueType faces go through allsorts (as for the EPUB); CFF faces
/// (Noto CJK) through `subsetter`, which inlines their subroutines and
/// makes them CID-keyed with CID = glyph id: the charstrings then carry
/// their widths plainly, as PDF/A validators read them.
fn subset_for_pdf(bytes: &[u8], index: u32, gids: &[u16]) -> Result<(Vec<u8>, Vec<u16>), String> {
    let cff = rustybuzz::ttf_parser::Face::parse(bytes, index)
        .map(|f| f.tables().cff.is_some())
        .unwrap_or(false);
    if !cff {
        return briefkit_model::fonts::subset_glyphs(bytes, index, gids);
    }
    let mapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(gids);
    let sub = subsetter::subset(bytes, index, &mapper).map_err(|e| e.to_string())?;
    Ok((sub, mapper.remapped_gids().collect()))
}

/// An image ready for the PDF, with its size in pixels.
pub struct PreparedImage {
    xobject: printpdf::XObject,
    width: usize,
    height: usize,
}

/// The pack's images as the PDF will hold them: only these get room in
/// the layout.
#[derive(Default)]
pub struct Images {
    images: BTreeMap<String, PreparedImage>,
}

impl Images {
    /// Prepares every image: a whole JPEG goes in as it is (DCTDecode: no
    /// decoding, no re-encoding, not a byte of quality lost), anything else
    /// is decoded (and later stored losslessly). An image that cannot be
    /// read is a warning and is left out.
    pub fn prepare(images: &BTreeMap<String, Vec<u8>>, warnings: &mut Vec<Diagnostic>) -> Self {
        let mut out = BTreeMap::new();
        for (src, bytes) in images {
            let prepared = match jpeg_kind(bytes) {
                Jpeg::AsIs(w, h, c) => Ok(PreparedImage {
                    xobject: printpdf::XObject::External(jpeg_xobject(bytes, (w, h, c))),
                    width: usize::from(w),
                    height: usize::from(h),
                }),
                Jpeg::Cut => Err(Diagnostic::warning(
                    Some(briefkit_model::Span::file(src)),
                    format!("image `{src}` is cut short (the JPEG stops before its end); it is left out of the PDF"),
                )
                .with_hint("copy or download the image again")),
                Jpeg::Other => match RawImage::decode_from_bytes(bytes, &mut Vec::new()) {
                    Ok(img) => Ok(PreparedImage {
                        width: img.width,
                        height: img.height,
                        xobject: printpdf::XObject::Image(img),
                    }),
                    Err(e) => Err(Diagnostic::warning(
                        Some(briefkit_model::Span::file(src)),
                        format!("image `{src}` could not be decoded ({e}); it is left out of the PDF"),
                    )),
                },
            };
            match prepared {
                Ok(image) => {
                    out.insert(src.clone(), image);
                }
                Err(w) => warnings.push(w),
            }
        }
        Self { images: out }
    }

    /// Pixel sizes, for the layout.
    pub fn sizes(&self) -> BTreeMap<String, (u32, u32)> {
        self.images
            .iter()
            .map(|(src, i)| {
                let px = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                (src.clone(), (px(i.width), px(i.height)))
            })
            .collect()
    }
}

/// Writes the layout as PDF bytes.
pub fn emit(
    mut layout: Layout,
    doc: &Document,
    fonts: &FontBook<'_>,
    images: Images,
    standards: crate::PdfStandards,
    attachments: &[briefkit_model::Attachment],
) -> Result<(Vec<u8>, Vec<Diagnostic>), crate::PdfError> {
    let mut warnings = Vec::new();
    let meta = &doc.metadata;
    let mut pdf = PdfDocument::new(&meta.title);
    // Dates come from the pack (or SOURCE_DATE_EPOCH via the CLI), never the clock.
    if let Ok(stamp) = printpdf::OffsetDateTime::from_unix_timestamp(meta.date.unix_seconds()) {
        pdf.metadata.info.creation_date = stamp;
        pdf.metadata.info.modification_date = stamp;
        pdf.metadata.info.metadata_date = stamp;
    }
    pdf.metadata.info.author = if meta.authors.is_empty() {
        meta.organization.clone().unwrap_or_default()
    } else {
        meta.authors.join("; ")
    };
    pdf.metadata.info.subject = meta.summary.clone().unwrap_or_default();
    pdf.metadata.info.keywords = meta.keywords.clone();
    pdf.metadata.info.creator = "briefkit".into();
    pdf.metadata.info.producer = "briefkit (printpdf)".into();
    pdf.metadata.info.identifier = meta.identifier.clone();

    // Fonts with our own ids (printpdf's are random), subset by us.
    let subsets = subset_faces(&layout, fonts, &mut warnings);
    let mut font_ids: BTreeMap<FaceKey, EmbeddedFont> = BTreeMap::new();
    let mut default_widths: BTreeMap<String, i64> = BTreeMap::new();
    for ((face, wide), mut sub) in subsets {
        // Six capital letters: with the `+` and the face's name they make
        // the BaseFont of a subset font (ISO 32000-1, 9.6.4).
        let letters = [b'A' + face / 26 % 26, b'A' + face % 26];
        let id = FontId(format!(
            "BKF{}{}{}",
            if wide { 'W' } else { 'N' },
            letters[0] as char,
            letters[1] as char
        ));
        let name = fonts
            .postscript_name(face)
            .unwrap_or_else(|| format!("Face{face}"));
        sub.font.font_name = Some(format!("{}+{name}", id.0));
        if let Some(width) = sub.notdef_width {
            default_widths.insert(format!("{}+{name}", id.0), width);
        }
        pdf.resources
            .fonts
            .map
            .insert(id.clone(), printpdf::PdfFont::new(sub.font));
        font_ids.insert(
            (face, wide),
            EmbeddedFont {
                id,
                new_ids: sub.new_ids,
                cids: sub.cids,
            },
        );
    }

    // Images with our own ids.
    let mut image_ids: BTreeMap<String, (XObjectId, usize, usize)> = BTreeMap::new();
    for (n, (src, image)) in images.images.into_iter().enumerate() {
        let id = XObjectId(format!("Im{}", n + 1));
        image_ids.insert(src, (id.clone(), image.width, image.height));
        pdf.resources.xobjects.map.insert(id, image.xobject);
    }

    let anchors: BTreeMap<&str, (usize, f32)> = layout
        .anchors
        .iter()
        .map(|a| (a.name.as_str(), (a.page, a.y)))
        .collect();
    let h = layout.height;
    let mut pages = Vec::new();
    // Each face's space glyph at each size, for the spaces between words.
    let mut spaces: Spaces = FxHashMap::default();
    // For the structure tree: each page's marked-content ids (the element
    // of each MCID) and its link annotations' elements, in order.
    let mut tagged_pages: Vec<crate::tagging::TaggedPage> = Vec::new();
    // Each page's content stream, and the glyphs each font shows.
    let mut contents: Vec<PageContent> = Vec::new();
    // Pages whose contents are deflated already: a long document's are
    // deflated as it goes, a batch at a time side by side, rather than
    // all held plain until the end.
    let mut deflated_upto = 0;
    let mut glyph_use = GlyphUse::default();
    let (width, height) = (layout.width, layout.height);
    for page in &mut layout.pages {
        // Each page's items are freed once converted: peak memory stays low.
        let items = std::mem::take(&mut page.items);
        let mut content = Content::default();
        // One text section for consecutive glyph runs, font and colour set
        // only when they change: printpdf then merges the runs of a line
        // into one TJ, and the content stream is a fraction of the size.
        let mut text: Option<TextState> = None;
        let mut tagged = crate::tagging::TaggedPage::default();
        // The marked-content sequence open now, and whether it was opened
        // inside the text section (sequences and text sections nest: a
        // sequence opened inside BT closes before ET, one opened outside
        // closes after it). Glyph runs open theirs inside, so a change of
        // element within a line does not end the text section.
        let mut open: Option<Mark> = None;
        let mut open_in_text = false;
        for item in &items {
            let empty = matches!(item, Item::Glyphs { glyphs, .. } if glyphs.is_empty());
            // A glyph run as it will be shown: each face's part, where it
            // starts and the glyphs the PDF shows for it.
            let shown_parts = match item {
                Item::Glyphs {
                    x, size, glyphs, ..
                } => shown_parts(glyphs, *x, *size, fonts, &font_ids, &mut spaces),
                _ => Vec::new(),
            };
            // A run spaced by positioning alone gets its own sequence with
            // the text of what it shows (see `spaced`).
            let spaced = match item {
                Item::Glyphs { glyphs, size, .. } if spaced(glyphs, &shown_parts, *size) => Some(
                    shown_parts
                        .iter()
                        .flat_map(|p| p.shown.iter().map(|g| g.text))
                        .collect::<String>(),
                ),
                _ => None,
            };
            // An artifact's (a running footer's) goes on a Span inside it.
            let (actual, artifact_actual) = match item.mark() {
                Some(Mark::Artifact(_)) => (None, spaced),
                _ => (spaced, None),
            };
            if let Some(mark) = item.mark().filter(|_| !empty) {
                if matches!(item, Item::Glyphs { .. }) {
                    if open != Some(mark) || actual.is_some() {
                        if open.is_some() {
                            if !open_in_text && text.take().is_some() {
                                content.end_text();
                            }
                            content.end_marked();
                        }
                        if text.is_none() {
                            content.begin_text();
                            text = Some((None, None));
                        }
                        begin_marked(
                            &mut content,
                            mark,
                            &layout.structure,
                            &mut tagged,
                            actual.as_deref(),
                        );
                        open = Some(mark);
                        open_in_text = true;
                    }
                } else {
                    if text.is_some() {
                        if open.is_some() && open_in_text {
                            content.end_marked();
                            open = None;
                        }
                        text = None;
                        content.end_text();
                    }
                    if open != Some(mark) {
                        if open.is_some() {
                            content.end_marked();
                        }
                        begin_marked(&mut content, mark, &layout.structure, &mut tagged, None);
                        open = Some(mark);
                        open_in_text = false;
                    }
                }
            }
            match item {
                Item::Glyphs {
                    y, size, color: c, ..
                } => {
                    if let Some(text) = &artifact_actual {
                        content.begin_actual_text(text);
                    }
                    // Where the last part shown of this run ended (the text
                    // position the PDF is at), and whether it was wide.
                    let mut cursor: Option<(f32, bool)> = None;
                    for ShownPart {
                        x: start_x,
                        face,
                        glyphs: part_glyphs,
                        lead,
                        mut shown,
                        ..
                    } in shown_parts
                    {
                        let Some(embedded) = font_ids.get(&face) else {
                            cursor = None;
                            continue;
                        };
                        if text.is_none() {
                            cursor = None;
                        }
                        let (font, fill) = text.get_or_insert_with(|| {
                            content.begin_text();
                            (None, None)
                        });
                        if *font != Some((face, *size)) {
                            content.font(&embedded.id.0, *size);
                            *font = Some((face, *size));
                        }
                        if *fill != Some(*c) {
                            content.fill(rgb(*c));
                            *fill = Some(*c);
                        }
                        glyph_use.record(&embedded.id.0, &shown);
                        if let Some(cids) = &embedded.cids {
                            for g in &mut shown {
                                g.gid = cids.get(&g.gid).copied().unwrap_or(0);
                            }
                        }
                        // A wide part, or the part after one, goes on from
                        // where the last ended, with no new text position:
                        // readers that end a word at one (briefkit verify)
                        // read `2026` drawn as `202` and a wide `6` as one
                        // word.
                        let at = start_x + lead;
                        let goes_on = cursor.is_some_and(|(end, wide)| {
                            (wide || face.1) && (end - at).abs() < 0.005
                        });
                        if !goes_on {
                            content.text_at(at, h - y);
                        }
                        content.show(&shown);
                        let end = start_x + part_glyphs.iter().map(|g| g.advance).sum::<f32>();
                        cursor = Some((end, face.1));
                    }
                }
                Item::Rect {
                    x,
                    y,
                    w,
                    h: rh,
                    fill,
                    ..
                } => {
                    content.fill(rgb(*fill));
                    content.rect(*x, h - y - rh, *w, *rh);
                }
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    color: c,
                    ..
                } => {
                    content.stroke(rgb(*c));
                    content.line(*width, (*x1, h - y1), (*x2, h - y2));
                }
                Item::Polyline {
                    points,
                    width,
                    color: c,
                    ..
                } => {
                    content.stroke(rgb(*c));
                    let flipped: Vec<(f32, f32)> =
                        points.iter().map(|(x, y)| (*x, h - y)).collect();
                    content.polyline(*width, &flipped);
                }
                Item::Dot {
                    x, y, r, color: c, ..
                } => {
                    content.fill(rgb(*c));
                    content.disc(*x, h - y, *r);
                }
                Item::Image {
                    x,
                    y,
                    w,
                    h: ih,
                    src,
                    ..
                } => {
                    let Some((id, _, _)) = image_ids.get(src) else {
                        continue;
                    };
                    content.image(&id.0, *x, h - y - ih, *w, *ih);
                }
                Item::Link {
                    x,
                    y,
                    w,
                    h: lh,
                    target,
                    node,
                    pieces,
                } => {
                    let action = match target {
                        LinkTarget::Uri(u) => crate::tagging::LinkAction::Uri(u.clone()),
                        LinkTarget::Anchor(a) => match anchors.get(a.as_str()) {
                            Some((p, ay)) => crate::tagging::LinkAction::GoTo {
                                page: *p,
                                top: h - ay + 12.0,
                            },
                            None => continue,
                        },
                    };
                    // Each piece's corners: upper left, upper right, lower
                    // left, lower right (as Acrobat and pdf.js read them).
                    let (top, bottom) = (h - y, h - y - lh);
                    let quads = pieces
                        .iter()
                        .flat_map(|(px, pw)| [*px, top, px + pw, top, *px, bottom, px + pw, bottom])
                        .collect();
                    tagged.links.push(crate::tagging::PageLink {
                        node: *node,
                        rect: [*x, bottom, x + w, bottom + lh],
                        action,
                        quads,
                    });
                }
            }
            if actual.is_some() && open.is_some() {
                content.end_marked();
                open = None;
            }
            if artifact_actual.is_some() {
                content.end_marked();
            }
        }
        if open.is_some() && open_in_text {
            content.end_marked();
            open = None;
        }
        if text.is_some() {
            content.end_text();
        }
        if open.is_some() {
            content.end_marked();
        }
        tagged_pages.push(tagged);
        contents.push(PageContent::plain(content.bytes));
        if contents.len() - deflated_upto >= DEFLATE_BATCH {
            PageContent::deflate_all(&mut contents[deflated_upto..]);
            deflated_upto = contents.len();
        }
        // printpdf's page holds nothing: the content stream is ours
        // (replaced below), the link annotations are written with the
        // structure tree (see `tagging`).
        let mut page = PdfPage::new(Mm::from(Pt(width)), Mm::from(Pt(height)), Vec::new());
        // Exact point sizes: the millimetre round trip gives 792.001 for Letter.
        let exact = Rect::from_xywh(Pt(0.0), Pt(0.0), Pt(width), Pt(height));
        page.media_box = exact.clone();
        page.trim_box = exact.clone();
        page.crop_box = exact;
        pages.push(page);
    }
    // Each subset holds its face's space (for word gaps) even where no
    // gap showed it: it needs its width in /W all the same (PDF/A).
    for ((face, _), embedded) in font_ids.iter().filter(|(k, _)| !k.1) {
        let space = fonts.space(*face).and_then(|g| embedded.new_ids.get(&g));
        if let Some(&gid) = space {
            glyph_use.record(
                &embedded.id.0,
                &[Shown {
                    gid,
                    offset: 0.0,
                    text: " ",
                }],
            );
        }
    }
    // One more page, removed again below: see `printpdf_repair`.
    pages.push(crate::printpdf_repair::usage_page(
        &glyph_use, width, height,
    ));
    pdf.with_pages(pages);

    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        // Never downscale, never re-encode lossily: maps and photos keep every pixel.
        image_optimization: Some(ImageOptimizationOptions {
            max_image_size: None,
            auto_optimize: Some(false),
            format: Some(printpdf::ImageCompression::Flate),
            ..ImageOptimizationOptions::default()
        }),
    };
    let mut pw = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut pw);
    // Freeing printpdf's copy of every page takes a while: do it beside
    // the compression below.
    let dropper = std::thread::spawn(move || drop(pdf));
    for w in pw {
        if w.severity == printpdf::PdfParseErrorSeverity::Error {
            warnings.push(Diagnostic::warning(
                None,
                format!("PDF writer, page {}: {}", w.page, w.msg),
            ));
        }
    }
    PageContent::deflate_all(&mut contents[deflated_upto..]);
    crate::printpdf_repair::put_contents(&mut lo, contents);
    crate::printpdf_repair::set_default_widths(&mut lo, &default_widths);
    crate::outline::add(&mut lo, &layout);
    let mut written = crate::compact::Written::default();
    crate::tagging::write_structure(&mut lo, &mut written, &layout.structure, &tagged_pages);
    // PDF/UA-1 and PDF/A-2a need every figure described; composition has
    // warned (with the image's place) when one is not.
    let described = layout.structure.nodes.iter().all(|n| {
        n.role != crate::layout::tags::Role::Figure
            || n.alt.as_deref().is_some_and(|a| !a.trim().is_empty())
    });
    let met = standards
        .carrying(!attachments.is_empty())
        .met_by(described);
    let part = met.part;
    crate::archive::make_archival(
        &mut lo,
        doc,
        crate::archive::Claims {
            pdfa: met.pdfa.map(|level| match level {
                crate::PdfA::A2a => (part, 'A'),
                crate::PdfA::A2b => (part, 'B'),
            }),
            ua1: met.ua1,
        },
    );
    crate::archive::attach(&mut lo, doc, attachments);
    crate::printpdf_repair::compress_streams(&mut lo);
    crate::archive::no_stream_ends_in_cr(&mut lo);
    crate::printpdf_repair::placeholder_id(&mut lo);
    // Object streams and a cross-reference stream (see `compact`).
    let mut bytes = crate::compact::save(&lo, written);
    let _ = dropper.join();
    crate::printpdf_repair::set_id(&mut bytes);
    Ok((bytes, warnings))
}

/// A glyph run as the PDF shows it: a word gap (a glyph whose shaped
/// advance exceeds its own by more than a tenth of the size) becomes a real
/// space glyph taking the gap, and a line ending at a space ends with one
/// that takes no room, so text extraction and screen readers see the
/// spaces. TJ adjustments are in thousandths of an em to a hundredth:
/// float noise (-0.00047) is no adjustment and is not written.
fn text_run<'a>(
    glyphs: &'a [crate::typefaces::Glyph],
    size: f32,
    space: Option<&crate::typefaces::Glyph>,
    new_ids: &FxHashMap<u16, u16>,
    wider: f32,
) -> Vec<Shown<'a>> {
    let gid = |g: u16| new_ids.get(&g).copied().unwrap_or(0);
    let tj = |v: f32| {
        let r = (v * 100.0).round() / 100.0;
        if r.abs() < 0.05 {
            0.0
        } else {
            r
        }
    };
    let mut run: Vec<Shown<'a>> = Vec::with_capacity(glyphs.len() + 8);
    for g in glyphs {
        if g.gid == 0 {
            // Not shown; the next glyph moves on by its width.
            if let Some(last) = run.last_mut() {
                last.offset = tj(last.offset - g.advance / size * 1000.0);
            }
            continue;
        }
        if g.gid == crate::typefaces::LINE_END_SPACE {
            // The face's space, moved back by its own width: it takes only
            // the room it was given (none at a line's end; the gap before
            // the next fragment when a mirrored line put one after it).
            if let Some(sp) = space {
                run.push(Shown {
                    gid: gid(sp.gid),
                    offset: tj((sp.default_advance - g.advance) / size * 1000.0),
                    text: " ",
                });
            }
            continue;
        }
        let text = shown_text(g);
        match (space, crate::typefaces::word_gap(g, size)) {
            (Some(sp), Some(gap)) => {
                run.push(Shown {
                    gid: gid(g.gid),
                    offset: 0.0,
                    text,
                });
                // The space's adjustment: its font advance minus the
                // advance wanted.
                run.push(Shown {
                    gid: gid(sp.gid),
                    offset: tj((sp.default_advance - gap) / size * 1000.0),
                    text: " ",
                });
            }
            _ => run.push(Shown {
                gid: gid(g.gid),
                offset: tj((g.default_advance + wider - g.advance) / size * 1000.0),
                text,
            }),
        }
    }
    run
}

/// The text a glyph shows: an added hyphen shows as a hyphen (it is an
/// artifact).
fn shown_text(g: &crate::typefaces::Glyph) -> &str {
    if g.text == "\u{ad}" {
        "-"
    } else {
        g.text.as_str()
    }
}

/// Whether a left-to-right run is still spaced by positioning where its
/// text has no space once its wide glyphs take their quarter ems (a
/// justified CJK line's spread; a quarter em whose wide face could not be
/// made): readers that take a gap for a space (pdftotext, PDFium, mupdf)
/// would read `2005 年` there, so the run's marked content says what it
/// stands for (`/ActualText`). False for a run without such a gap, and for
/// right-to-left text (which those readers reorder, `/ActualText`
/// included).
fn spaced(glyphs: &[crate::typefaces::Glyph], parts: &[ShownPart<'_>], size: f32) -> bool {
    parts.iter().any(|p| {
        p.glyphs
            .iter()
            .any(|g| g.tight && g.advance - g.default_advance - p.wider > size * 0.08)
    }) && !is_rtl_run(glyphs)
}

/// Whether a run of glyphs holds right-to-left text.
fn is_rtl_run(glyphs: &[crate::typefaces::Glyph]) -> bool {
    glyphs
        .iter()
        .any(|g| crate::typefaces::is_rtl_text(&g.text))
}

/// The room a face's wide form adds to each glyph at `size`, in points: a
/// quarter em, as `wide::widen` makes it (whole font units).
fn quarter_em(fonts: &FontBook<'_>, face: u8, size: f32) -> f32 {
    let units = fonts.units_per_em(face);
    if units == 0 {
        return 0.0;
    }
    f32::from(units / 4) / f32::from(units) * size
}

/// Whether a glyph of a left-to-right run is drawn from its face's wide
/// form (see `wide`): the layout put about a quarter em or more after it
/// where the text has no space (a gap of 0.15 em or more: readers take
/// one of a tenth of an em for a space).
fn is_wide(g: &crate::typefaces::Glyph, size: f32, fonts: &FontBook<'_>) -> bool {
    g.tight
        && g.gid != 0
        && g.gid != crate::typefaces::LINE_END_SPACE
        && g.advance - g.default_advance >= size * 0.15
        && quarter_em(fonts, g.font, size) > 0.0
}

/// Each face's space glyph at each size (`None`: the face has none).
type Spaces = FxHashMap<(u8, u32), Option<crate::typefaces::Glyph>>;

/// One face's part of a glyph run, as the PDF shows it.
struct ShownPart<'a> {
    /// Where the part starts.
    x: f32,
    /// Its face, plain or wide.
    face: FaceKey,
    /// The glyphs it stands for.
    glyphs: &'a [crate::typefaces::Glyph],
    /// The room its face adds to each glyph's own advance (a quarter em
    /// for a wide face, else none).
    wider: f32,
    /// The room of the glyphs no face has at its start (not shown).
    lead: f32,
    /// The glyphs shown (never empty).
    shown: Vec<Shown<'a>>,
}

/// A glyph run's parts in its faces as the PDF shows them: a run may hold
/// glyphs of several faces (a Chinese word in an English line), one show
/// each; a right-to-left run's parts go from its right end, in reading
/// order (see `text::line_items`). Parts in a face that is not embedded,
/// and parts that show nothing, are left out. `spaces` keeps each face's
/// space glyph at each size.
fn shown_parts<'a>(
    glyphs: &'a [crate::typefaces::Glyph],
    x: f32,
    size: f32,
    fonts: &FontBook<'_>,
    font_ids: &BTreeMap<FaceKey, EmbeddedFont>,
    spaces: &mut Spaces,
) -> Vec<ShownPart<'a>> {
    // A glyph drawn wide is a part of its own face's wide form, when the
    // PDF has that face (never in a right-to-left run, which is asked only
    // when the run has such a glyph: most have none).
    let wide_here = glyphs.iter().any(|g| is_wide(g, size, fonts)) && !is_rtl_run(glyphs);
    let key = |g: &crate::typefaces::Glyph| {
        let wide = wide_here && is_wide(g, size, fonts) && font_ids.contains_key(&(g.font, true));
        (g.font, wide)
    };
    let mut parts = crate::typefaces::parts_by(glyphs, x, key);
    if parts.len() > 1 && !wide_here && is_rtl_run(glyphs) {
        parts.reverse();
    }
    parts
        .into_iter()
        .filter_map(|(start, part)| {
            let face = key(&part[0]);
            let wider = if face.1 {
                quarter_em(fonts, face.0, size)
            } else {
                0.0
            };
            // A glyph no face has (.notdef) is not shown: its room stays,
            // blank (PDF/A forbids showing .notdef, and a box is not the
            // text). The layout warned.
            let lead: f32 = part
                .iter()
                .take_while(|g| g.gid == 0)
                .map(|g| g.advance)
                .sum();
            let embedded = font_ids.get(&face)?;
            let space = spaces
                .entry((face.0, size.to_bits()))
                .or_insert_with(|| fonts.space_glyph(face.0, size))
                .clone();
            let shown = text_run(part, size, space.as_ref(), &embedded.new_ids, wider);
            (!shown.is_empty()).then_some(ShownPart {
                x: start,
                face,
                glyphs: part,
                wider,
                lead,
                shown,
            })
        })
        .collect()
}

/// Opens the marked-content sequence of `mark`: an element's content gets
/// the page's next MCID (recorded in `tagged`), an artifact says what kind.
fn begin_marked(
    content: &mut Content,
    mark: Mark,
    structure: &crate::layout::tags::Structure,
    tagged: &mut crate::tagging::TaggedPage,
    actual: Option<&str>,
) {
    match mark {
        Mark::Content(node) => {
            let mcid = tagged.mcids.len();
            tagged.mcids.push(node);
            // The tag is the element's, except with /ActualText: poppler
            // reads that on a Span only.
            let tag = match actual {
                Some(_) => "Span",
                None => structure.nodes.get(node).map_or("Span", |n| n.role.name()),
            };
            // A figure's pieces are numbered by their element.
            let figure = structure.nodes.get(node).and_then(|n| {
                n.statistic
                    .as_deref()
                    .map(|statistic| crate::content::Figure {
                        statistic,
                        number: node,
                    })
            });
            content.begin_tagged(tag, mcid, actual, figure);
        }
        Mark::Artifact(kind) => content.begin_artifact(match kind {
            Artifact::Layout => "<</Type /Layout>>",
            Artifact::Header => "<</Type /Pagination /Subtype /Header>>",
            Artifact::Footer => "<</Type /Pagination /Subtype /Footer>>",
        }),
    }
}

/// What a JPEG file is to the PDF.
#[derive(Debug, PartialEq)]
enum Jpeg {
    /// Whole, baseline or progressive, 8 bits, grey or RGB: PDF readers
    /// take it as it is (width, height, components).
    AsIs(u16, u16, u8),
    /// It stops before its end marker (a download cut short).
    Cut,
    /// Not a JPEG, or one to decode (CMYK, whose colours Adobe files store
    /// inverted; arithmetic coding; 12 bits).
    Other,
}

fn jpeg_kind(bytes: &[u8]) -> Jpeg {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Jpeg::Other;
    }
    let be16 = |i: usize| -> Option<u16> {
        Some(u16::from_be_bytes([*bytes.get(i)?, *bytes.get(i + 1)?]))
    };
    let mut frame = None;
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return Jpeg::Other;
        }
        let marker = bytes[i + 1];
        let next = match marker {
            0xFF => Some(i + 1),
            0x01 | 0xD0..=0xD8 => Some(i + 2),
            0xC0..=0xC2 => {
                let header = (|| {
                    Some((
                        *bytes.get(i + 4)?,
                        be16(i + 5)?,
                        be16(i + 7)?,
                        *bytes.get(i + 9)?,
                    ))
                })();
                match header {
                    Some((8, height, width, components @ (1 | 3))) if width > 0 && height > 0 => {
                        frame = Some((width, height, components));
                    }
                    Some(_) => return Jpeg::Other,
                    None => return Jpeg::Cut,
                }
                be16(i + 2).map(|len| i + 2 + usize::from(len))
            }
            0xDA => {
                // Scan data cannot hold FF D9 (an FF in it is followed by
                // 00 or a restart marker): the first one is the end.
                let ends = bytes[i..].windows(2).any(|w| w == [0xFF, 0xD9]);
                return match (ends, frame) {
                    (false, _) => Jpeg::Cut,
                    (true, Some((w, h, c))) => Jpeg::AsIs(w, h, c),
                    (true, None) => Jpeg::Other,
                };
            }
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF | 0xD9 => return Jpeg::Other,
            _ => be16(i + 2).map(|len| i + 2 + usize::from(len)),
        };
        match next {
            Some(n) => i = n,
            None => return Jpeg::Cut,
        }
    }
    Jpeg::Cut
}

/// The JPEG as an image XObject with its bytes untouched.
fn jpeg_xobject(
    bytes: &[u8],
    (width, height, components): (u16, u16, u8),
) -> printpdf::ExternalXObject {
    use printpdf::{DictItem, ExternalStream, Px};
    let name = |n: &str| DictItem::Name(n.as_bytes().to_vec());
    let dict = BTreeMap::from([
        ("Type".to_string(), name("XObject")),
        ("Subtype".to_string(), name("Image")),
        ("Width".to_string(), DictItem::Int(i64::from(width))),
        ("Height".to_string(), DictItem::Int(i64::from(height))),
        (
            "ColorSpace".to_string(),
            name(if components == 1 {
                "DeviceGray"
            } else {
                "DeviceRGB"
            }),
        ),
        ("BitsPerComponent".to_string(), DictItem::Int(8)),
        ("Filter".to_string(), name("DCTDecode")),
    ]);
    printpdf::ExternalXObject {
        stream: ExternalStream {
            dict,
            content: bytes.to_vec(),
            compress: false,
        },
        width: Some(Px(usize::from(width))),
        height: Some(Px(usize::from(height))),
        dpi: Some(72.0),
    }
}
