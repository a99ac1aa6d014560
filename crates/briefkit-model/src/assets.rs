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

/// Everything a backend may draw on.
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
    /// The standards the PDF claims (it is tagged whatever they are).
    pub pdf_standards: PdfStandards,
}

/// A standard a PDF can claim, as `[output] pdf_standard` and
/// `--pdf-standard` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub enum PdfStandard {
    /// PDF/UA-1 (ISO 14289-1), universal accessibility.
    #[serde(rename = "ua-1")]
    Ua1,
    /// PDF/A-2a (ISO 19005-2, level A: archival and tagged).
    #[serde(rename = "a-2a")]
    A2a,
    /// PDF/A-2b (ISO 19005-2, level B: archival, appearance only).
    #[serde(rename = "a-2b")]
    A2b,
    /// No claim (the PDF is still tagged).
    #[serde(rename = "none")]
    None,
}

impl PdfStandard {
    /// Every standard with its name.
    pub const ALL: [(&'static str, PdfStandard); 4] = [
        ("ua-1", PdfStandard::Ua1),
        ("a-2a", PdfStandard::A2a),
        ("a-2b", PdfStandard::A2b),
        ("none", PdfStandard::None),
    ];

    /// The standard a name stands for.
    pub fn from_name(name: &str) -> Option<PdfStandard> {
        Self::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, s)| *s)
    }
}

/// The PDF/A level a PDF claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfA {
    /// PDF/A-2a.
    A2a,
    /// PDF/A-2b.
    A2b,
}

/// The standards one PDF claims. By default PDF/UA-1 and PDF/A-2a.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfStandards {
    /// PDF/UA-1.
    pub ua1: bool,
    /// PDF/A-2, at level A or B.
    pub pdfa: Option<PdfA>,
    /// Asked for on the command line: a claim that cannot be met is an
    /// error, not a warning.
    pub strict: bool,
}

impl Default for PdfStandards {
    fn default() -> Self {
        PdfStandards {
            ua1: true,
            pdfa: Some(PdfA::A2a),
            strict: false,
        }
    }
}

impl PdfStandards {
    /// The claims a list names; an error says why the list does not make sense.
    pub fn from_list(list: &[PdfStandard]) -> Result<PdfStandards, String> {
        let has = |s: PdfStandard| list.contains(&s);
        if has(PdfStandard::None) && list.len() > 1 {
            return Err("`none` cannot stand with other standards".into());
        }
        if has(PdfStandard::A2a) && has(PdfStandard::A2b) {
            return Err("a PDF conforms to one level of PDF/A-2: choose `a-2a` or `a-2b`".into());
        }
        Ok(PdfStandards {
            ua1: has(PdfStandard::Ua1),
            pdfa: if has(PdfStandard::A2a) {
                Some(PdfA::A2a)
            } else if has(PdfStandard::A2b) {
                Some(PdfA::A2b)
            } else {
                None
            },
            strict: false,
        })
    }

    /// The claims a document can make: PDF/UA-1 and PDF/A-2a need every
    /// image described, so without that they fall back to PDF/A-2b.
    pub fn met_by(self, every_image_described: bool) -> PdfStandards {
        if every_image_described {
            return self;
        }
        PdfStandards {
            ua1: false,
            pdfa: self.pdfa.map(|_| PdfA::A2b),
            strict: self.strict,
        }
    }

    /// Whether a claim needs every image described.
    pub fn needs_alt_text(self) -> bool {
        self.ua1 || self.pdfa == Some(PdfA::A2a)
    }

    /// The claims' names, for messages (`PDF/UA-1 and PDF/A-2a`).
    pub fn names(self) -> String {
        let mut names = Vec::new();
        if self.ua1 {
            names.push("PDF/UA-1");
        }
        match self.pdfa {
            Some(PdfA::A2a) => names.push("PDF/A-2a"),
            Some(PdfA::A2b) => names.push("PDF/A-2b"),
            None => {}
        }
        if names.is_empty() {
            "no standard".into()
        } else {
            names.join(" and ")
        }
    }
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
}
