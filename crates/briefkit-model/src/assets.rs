//! What every backend needs besides the document: font files and image
//! bytes, handed over by the caller (backends never read files), and the
//! pack's page choices. What one backend alone needs (its settings,
//! templates, files) comes in its [`crate::backend::Job`].

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

/// A face beside the two families, for the scripts they lack (Arabic,
/// Chinese, ...): bundled, or found among the system's fonts, the pack's
/// `[brief] fonts` folders or `--font-path`.
#[derive(Debug, Clone, Copy)]
pub struct ExtraFace<'a> {
    /// Family name (`Noto Naskh Arabic`, `Noto Serif CJK SC`).
    pub family: &'a str,
    /// The font file (a collection, for `.ttc`).
    pub bytes: &'a [u8],
    /// The face's index in a collection (0 in a single font).
    pub index: u32,
    /// Whether the face is bold.
    pub bold: bool,
    /// Whether the face is italic.
    pub italic: bool,
    /// Whether it stands beside the sans family (else the serif).
    pub sans: bool,
}

/// The fonts and images every backend may draw on.
#[derive(Debug, Clone, Copy)]
pub struct Assets<'a> {
    /// Body text family.
    pub serif: FontFaces<'a>,
    /// Headings, labels and figures family.
    pub sans: FontFaces<'a>,
    /// Faces for the scripts the two families lack, in order of
    /// preference: a character the families lack is set in the first of
    /// these that has it (bold and sans matched first).
    pub extra: &'a [ExtraFace<'a>],
    /// Image bytes by the path the article uses.
    pub images: &'a BTreeMap<String, Vec<u8>>,
}

/// A file an output carries beside the brief: its data (the statistics as
/// CSV and JSON) and their provenance. Each format embeds the list it is
/// given (the PDF as associated files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file's name (`statistics.csv`).
    pub name: String,
    /// Its media type (`text/csv`).
    pub mime: String,
    /// What it holds, in a sentence.
    pub description: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
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
    /// The outputs carry the brief's data ([`crate::Job::attachments`]):
    /// the PDF then claims PDF/A-3 rather than PDF/A-2.
    pub embed_data: bool,
}

/// A rendered file and what the backend noticed while making it.
#[derive(Debug, Clone)]
pub struct RenderedFile {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Warnings (a glyph the font lacks, an image that could not be decoded, ...).
    pub warnings: Vec<Diagnostic>,
    /// The number of pages, for a format that has pages (PDF).
    pub pages: Option<usize>,
    /// The files of a format that writes several (a page image a page),
    /// each named `NAME-SUFFIX.EXT`; `bytes` is then unused. Empty for a
    /// format that writes one file.
    pub parts: Vec<RenderedPart>,
}

/// One of the files of a format that writes several.
#[derive(Debug, Clone)]
pub struct RenderedPart {
    /// What tells it from the others in its name (a page's number).
    pub suffix: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}
