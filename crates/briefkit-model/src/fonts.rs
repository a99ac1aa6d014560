//! What the backends share of fonts: subsetting (PDF and EPUB) and
//! measuring text in the faces the outputs name (the DOCX's table columns,
//! the EPUB's cover), where a backend has no layout of its own.

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};

/// A TrueType/OpenType font (face `index` of a collection) cut down to
/// `glyphs` (glyph ids of the full
/// font). In the result, glyph `i` is the `i`-th entry of the list the
/// function used: `.notdef` (glyph 0) first, then `glyphs` sorted, without
/// duplicates; that list is returned with the bytes, so callers can map
/// old glyph ids to new ones. The cmap keeps the characters of the kept
/// glyphs.
pub fn subset_glyphs(
    bytes: &[u8],
    index: u32,
    glyphs: &[u16],
) -> Result<(Vec<u8>, Vec<u16>), String> {
    let mut kept: Vec<u16> = glyphs.iter().copied().filter(|g| *g != 0).collect();
    kept.sort_unstable();
    kept.dedup();
    kept.insert(0, 0);
    let scope = ReadScope::new(bytes);
    let data = scope.read::<FontData<'_>>().map_err(|e| e.to_string())?;
    let index = usize::try_from(index).map_err(|e| e.to_string())?;
    let provider = data.table_provider(index).map_err(|e| e.to_string())?;
    let out = subset(
        &provider,
        &kept,
        &SubsetProfile::Minimal,
        CmapTarget::Unicode,
    )
    .map_err(|e| e.to_string())?;
    Ok((out, kept))
}

/// Measures text in a family's faces (and the faces for other scripts),
/// each parsed once: how wide a reader's software sets it when it has the
/// faces the output names.
pub struct TextMeasure<'a> {
    regular: Option<ttf_parser::Face<'a>>,
    bold: Option<ttf_parser::Face<'a>>,
    extra: Vec<(ttf_parser::Face<'a>, bool)>,
}

impl<'a> TextMeasure<'a> {
    /// The regular and bold faces of `family`, and the assets' faces for
    /// the scripts it lacks.
    pub fn new(family: &crate::FontFaces<'a>, extra: &[crate::ExtraFace<'a>]) -> Self {
        Self {
            regular: ttf_parser::Face::parse(family.regular, 0).ok(),
            bold: ttf_parser::Face::parse(family.bold, 0).ok(),
            extra: extra
                .iter()
                .filter_map(|f| Some((ttf_parser::Face::parse(f.bytes, f.index).ok()?, f.bold)))
                .collect(),
        }
    }

    /// The width of `text` in ems: each character's advance in the first
    /// face that has it (of the weight asked for first); a character no
    /// face has counts one em if it is wide (CJK), else half an em.
    pub fn ems(&self, text: &str, bold: bool) -> f32 {
        let own = if bold { &self.bold } else { &self.regular };
        let faces: Vec<&ttf_parser::Face<'_>> = own
            .iter()
            .chain(
                self.extra
                    .iter()
                    .filter(|(_, b)| *b == bold)
                    .map(|(f, _)| f),
            )
            .chain(self.extra.iter().map(|(f, _)| f))
            .collect();
        text.chars()
            .map(|c| {
                faces
                    .iter()
                    .find_map(|f| {
                        let gid = f.glyph_index(c)?;
                        Some(f32::from(f.glyph_hor_advance(gid)?) / f32::from(f.units_per_em()))
                    })
                    .unwrap_or(if crate::text::is_wide(c) { 1.0 } else { 0.5 })
            })
            .sum()
    }
}
