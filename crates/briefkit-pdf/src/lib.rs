//! PDF backend: the printable brief.
//!
//! Two halves, as in typst: [`layout`] turns the model into pages of
//! positioned boxes (testable without PDF bytes) and [`emit`] writes them
//! with printpdf, finishing with a lopdf pass.

mod archive;
mod compact;
mod content;
pub use content::{FIGURE_KEY, STATISTIC_KEY};
mod emit;
#[doc(hidden)]
pub mod glyph_text;
// The faces and the layout are public for the crate's own layout tests
// (`tests/layout.rs`: invariants of every page, one thread against two),
// not as API: the API is `BACKEND` (and `render`), its options
// ([`standards`]) and `PdfError`.
#[doc(hidden)]
pub mod layout;
mod outline;
mod printpdf_repair;
pub mod standards;
mod tagging;
#[doc(hidden)]
pub mod typefaces;
mod wide;

use briefkit_model::{Assets, Backend, Document, Job, RenderOptions, RenderedFile};

/// `bytes` deflated as a zlib stream (PDF's `/FlateDecode`) at `level`.
pub(crate) fn deflate(bytes: &[u8], level: flate2::Compression) -> Option<Vec<u8>> {
    use std::io::Write as _;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::with_capacity(bytes.len() / 3), level);
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}
pub use standards::{PdfA, PdfOptions, PdfStandard, PdfStandards};

/// The PDF format: `[output.pdf]` settings `standard` and `strict` (see
/// [`standards`]); no templates (its look is the theme's).
pub static BACKEND: Backend = Backend {
    name: "pdf",
    extension: "pdf",
    default: true,
    templates: &[],
    aliases: &[("pdf_standard", "standard")],
    files: &[],
    settings: standards::check_settings,
    check: standards::check,
    render: |job| Ok(render(job)?),
};

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// A bundled font is unusable.
    #[error(transparent)]
    Font(#[from] typefaces::FontError),
    /// Its settings cannot be used (the caller checks them first).
    #[error("PDF settings: {0}")]
    Settings(String),
    /// Writing the finished PDF failed.
    #[error("writing the PDF failed")]
    Save(#[source] std::io::Error),
}

/// Lays out the document (no PDF bytes): for the layout tests.
#[doc(hidden)]
pub fn layout_document(
    doc: &Document,
    assets: &Assets<'_>,
    options: &RenderOptions,
) -> Result<(layout::Layout, Vec<briefkit_model::Diagnostic>), PdfError> {
    let (_, _, laid, warnings) = lay_out(doc, assets, options)?;
    Ok((laid, warnings))
}

/// The fonts and the pages laid out as the PDF draws them, with the
/// warnings of laying out: for the page images (`briefkit-image`), which
/// draw the same pages.
#[doc(hidden)]
pub fn pages<'a>(
    doc: &Document,
    assets: &Assets<'a>,
    options: &RenderOptions,
) -> Result<
    (
        typefaces::FontBook<'a>,
        layout::Layout,
        Vec<briefkit_model::Diagnostic>,
    ),
    PdfError,
> {
    let (book, _, laid, warnings) = lay_out(doc, assets, options)?;
    Ok((book, laid, warnings))
}

/// Renders the document as a PDF file.
pub fn render(job: &Job<'_>) -> Result<RenderedFile, PdfError> {
    let doc = job.document;
    let options = PdfOptions::from_settings(job.settings)
        .map_err(|e| PdfError::Settings(briefkit_model::SettingError::joined(&e)))?;
    let (book, images, laid, mut warnings) = lay_out(doc, job.assets, job.options)?;
    let pages = Some(laid.pages.len());
    let (bytes, emit_warnings) =
        emit::emit(laid, doc, &book, images, options.standards, job.attachments)?;
    warnings.extend(emit_warnings);
    Ok(RenderedFile {
        bytes,
        warnings,
        pages,
        parts: Vec::new(),
    })
}

/// The fonts, the images as the PDF will hold them, and the layout (which
/// gives room only to those images), with their warnings.
fn lay_out<'a>(
    doc: &Document,
    assets: &Assets<'a>,
    options: &RenderOptions,
) -> Result<
    (
        typefaces::FontBook<'a>,
        emit::Images,
        layout::Layout,
        Vec<briefkit_model::Diagnostic>,
    ),
    PdfError,
> {
    let book = typefaces::FontBook::new(assets)?
        .with_hyphenation(&doc.metadata.language)
        .with_direction(doc.metadata.direction.is_rtl());
    let mut warnings = Vec::new();
    let images = emit::Images::prepare(assets.images, &mut warnings);
    let (laid, layout_warnings) = layout::layout(doc, options, &book, &images.sizes());
    warnings.extend(layout_warnings);
    Ok((book, images, laid, warnings))
}
