//! Font subsetting shared by the PDF and EPUB backends.

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
