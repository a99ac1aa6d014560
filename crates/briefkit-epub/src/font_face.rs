//! The bundled fonts, subset to the characters the book uses, with the
//! `@font-face` rules that load them.

use briefkit_model::{Assets, Diagnostic};
use rayon::prelude::*;
use std::collections::BTreeSet;

/// A font file for the EPUB.
pub struct EmbeddedFont {
    /// Path inside the book (`fonts/NotoSerif-Regular.ttf`).
    pub path: String,
    /// The subset font's bytes.
    pub bytes: Vec<u8>,
    /// The CSS rule that declares it.
    pub css: String,
    /// `font/ttf` or `font/otf`.
    pub media_type: &'static str,
}

/// The extra families the book embeds (Arabic, CJK), serif and sans: the
/// CSS puts them after the Latin family.
#[derive(Default)]
pub struct ExtraFamilies {
    /// Families beside the serif.
    pub serif: Vec<String>,
    /// Families beside the sans.
    pub sans: Vec<String>,
}

/// Subsets body and heading faces to the characters of `text`. A face that
/// cannot be subset is left out with a warning (readers fall back to their
/// own fonts).
pub fn embed(
    assets: &Assets<'_>,
    text: &str,
) -> (Vec<EmbeddedFont>, ExtraFamilies, Vec<Diagnostic>) {
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
                css: font_face(family, weight, style, &file),
                path: file,
                bytes,
                media_type: "font/ttf",
            }),
            Err(e) => warnings.push(Diagnostic::warning(
                None,
                format!("the EPUB leaves out {family} {face_name}: it could not be subset ({e})"),
            )),
        }
    }
    let extra = extra_faces(assets, &chars, &mut fonts, &mut warnings);
    (fonts, extra, warnings)
}

fn font_face(family: &str, weight: u16, style: &str, file: &str) -> String {
    format!(
        "@font-face {{ font-family: \"{family}\"; font-weight: {weight}; font-style: {style}; src: url(\"{file}\"); }}\n"
    )
}

/// The extra faces (Arabic, CJK) whose characters the book uses and the
/// Latin families lack. A face whose script needs its shaping tables
/// (Arabic joins its letters) goes in whole, as the subsetter would drop
/// them; a large face (CJK, 15–20 MB) is subset to the characters used.
fn extra_faces(
    assets: &Assets<'_>,
    chars: &BTreeSet<char>,
    fonts: &mut Vec<EmbeddedFont>,
    warnings: &mut Vec<Diagnostic>,
) -> ExtraFamilies {
    let mut families = ExtraFamilies::default();
    let latin = ttf_parser::Face::parse(assets.serif.regular, 0).ok();
    let lacking: BTreeSet<char> = chars
        .iter()
        .copied()
        .filter(|c| !c.is_whitespace())
        .filter(|c| latin.as_ref().is_none_or(|f| f.glyph_index(*c).is_none()))
        .collect();
    // What to embed: each face with the glyphs the book uses from it.
    struct Job<'f> {
        extra: &'f briefkit_model::ExtraFace<'f>,
        used: Vec<u16>,
        cff: bool,
        whole: bool,
        file: String,
    }
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for extra in assets.extra.iter().filter(|e| !e.italic) {
        let Ok(face) = ttf_parser::Face::parse(extra.bytes, extra.index) else {
            continue;
        };
        let used: Vec<u16> = lacking
            .iter()
            .filter_map(|c| face.glyph_index(*c))
            .map(|g| g.0)
            .collect();
        if used.is_empty() {
            continue;
        }
        let cff = face.tables().cff.is_some();
        let whole = !cff && extra.index == 0 && extra.bytes.len() < 2_000_000;
        // A subset CJK face is large and slow to make: the regular weights
        // go in, and reading systems embolden them for bold text (as they
        // do for most Chinese e-books).
        if !whole && extra.bold {
            continue;
        }
        let name = extra.family.replace(' ', "");
        let face_name = if extra.bold { "Bold" } else { "Regular" };
        let ext = if cff { "otf" } else { "ttf" };
        let file = format!("fonts/{name}-{face_name}.{ext}");
        if fonts.iter().any(|f| f.path == file) || jobs.iter().any(|j| j.file == file) {
            continue;
        }
        jobs.push(Job {
            extra,
            used,
            cff,
            whole,
            file,
        });
    }
    // Subset side by side.
    let made: Vec<Result<Vec<u8>, String>> = jobs
        .par_iter()
        .map(|job| {
            if job.whole {
                Ok(job.extra.bytes.to_vec())
            } else {
                briefkit_model::fonts::subset_glyphs(job.extra.bytes, job.extra.index, &job.used)
                    .map(|s| s.0)
            }
        })
        .collect();
    for (job, bytes) in jobs.into_iter().zip(made) {
        let extra = job.extra;
        match bytes {
            Ok(bytes) => {
                let weight = if extra.bold { 700 } else { 400 };
                fonts.push(EmbeddedFont {
                    css: font_face(extra.family, weight, "normal", &job.file),
                    path: job.file,
                    bytes,
                    media_type: if job.cff { "font/otf" } else { "font/ttf" },
                });
                let list = if extra.sans {
                    &mut families.sans
                } else {
                    &mut families.serif
                };
                if !list.iter().any(|f| f == extra.family) {
                    list.push(extra.family.to_string());
                }
            }
            Err(e) => warnings.push(Diagnostic::warning(
                None,
                format!(
                    "the EPUB leaves out {} ({}): it could not be subset ({e})",
                    extra.family, job.file
                ),
            )),
        }
    }
    families
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
