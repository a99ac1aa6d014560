//! The bundled fonts, subset to the characters the book uses, with the
//! `@font-face` rules that load them.

use briefkit_model::{Assets, Diagnostic};
use std::collections::BTreeSet;

/// A font file for the EPUB.
pub struct EmbeddedFont {
    /// Path inside the book (`fonts/NotoSerif-Regular.ttf`).
    pub path: String,
    /// The subset font's bytes.
    pub bytes: Vec<u8>,
    /// The CSS rule that declares it.
    pub css: String,
}

/// Subsets body and heading faces to the characters of `text`. A face that
/// cannot be subset is left out with a warning (readers fall back to their
/// own fonts).
pub fn embed(assets: &Assets<'_>, text: &str) -> (Vec<EmbeddedFont>, Vec<Diagnostic>) {
    let chars: BTreeSet<char> = text.chars().filter(|c| !c.is_control()).collect();
    let faces = [
        (
            assets.serif.family,
            assets.serif.regular,
            400,
            "normal",
            "Regular",
        ),
        (
            assets.serif.family,
            assets.serif.bold,
            700,
            "normal",
            "Bold",
        ),
        (
            assets.serif.family,
            assets.serif.italic,
            400,
            "italic",
            "Italic",
        ),
        (
            assets.sans.family,
            assets.sans.regular,
            400,
            "normal",
            "Regular",
        ),
        (assets.sans.family, assets.sans.bold, 700, "normal", "Bold"),
    ];
    let mut fonts = Vec::new();
    let mut warnings = Vec::new();
    for (family, bytes, weight, style, face_name) in faces {
        let file = format!("fonts/{}-{face_name}.ttf", family.replace(' ', ""));
        match subset_face(bytes, &chars) {
            Ok(bytes) => fonts.push(EmbeddedFont {
                css: format!(
                    "@font-face {{ font-family: \"{family}\"; font-weight: {weight}; font-style: {style}; src: url(\"{file}\"); }}\n"
                ),
                path: file,
                bytes,
            }),
            Err(e) => warnings.push(Diagnostic::warning(None, format!("the EPUB leaves out {family} {face_name}: it could not be subset ({e})"))),
        }
    }
    (fonts, warnings)
}

fn subset_face(bytes: &[u8], chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
    let face = ttf_parser::Face::parse(bytes, 0).map_err(|e| e.to_string())?;
    let gids: Vec<u16> = chars
        .iter()
        .filter_map(|c| face.glyph_index(*c))
        .map(|g| g.0)
        .collect();
    Ok(briefkit_model::fonts::subset_glyphs(bytes, 0, &gids)?.0)
}
