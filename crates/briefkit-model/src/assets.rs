//! What backends need besides the document: font files, image bytes and
//! templates, handed over by the caller (backends never read files).

use crate::diagnostic::Diagnostic;
use crate::document::Paper;
use std::collections::BTreeMap;

/// The four faces of a type family, as font-file bytes.
#[derive(Debug, Clone, Copy)]
pub struct FontFaces<'a> {
    /// Family name as it should appear in outputs.
    pub family: &'a str,
    /// Regular face.
    pub regular: &'a [u8],
    /// Bold face.
    pub bold: &'a [u8],
    /// Italic face.
    pub italic: &'a [u8],
    /// Bold italic face.
    pub bold_italic: &'a [u8],
}

/// Everything a backend may draw on.
#[derive(Debug, Clone, Copy)]
pub struct Assets<'a> {
    /// Body text family.
    pub serif: FontFaces<'a>,
    /// Headings, labels and figures family.
    pub sans: FontFaces<'a>,
    /// Image bytes by the path the article uses.
    pub images: &'a BTreeMap<String, Vec<u8>>,
    /// Templates by name (`epub/chapter.xhtml.hbs`, ...): embedded defaults
    /// with the user's overrides applied.
    pub templates: &'a BTreeMap<String, String>,
    /// A user's DOCX whose styles and theme the DOCX takes (`--reference-docx`).
    pub reference_docx: Option<&'a [u8]>,
}

/// Choices for one render of a document (the same document can be
/// rendered on A4 and on Letter, with and without contents).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Paper size (PDF and DOCX).
    pub paper: Paper,
    /// A table of contents after the masthead and key figures (PDF and
    /// DOCX; the EPUB always has its navigation document).
    pub toc: bool,
}

/// A rendered file and what the backend noticed while making it.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Warnings (a glyph the font lacks, an image that could not be decoded, ...).
    pub warnings: Vec<Diagnostic>,
}
