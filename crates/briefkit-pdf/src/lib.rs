//! PDF backend: the printable brief.
//!
//! Two halves, as in typst: [`layout`] turns the model into pages of
//! positioned boxes (testable without PDF bytes) and [`emit`] writes them
//! with printpdf, finishing with a lopdf pass.

pub mod emit;
pub mod fonts;
pub mod layout;
mod outline;

use briefkit_model::{Assets, Document, Rendered};
use std::collections::BTreeMap;

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// A bundled font is unusable.
    #[error(transparent)]
    Font(#[from] fonts::FontError),
    /// The writer failed.
    #[error("writing the PDF failed: {0}")]
    Write(String),
}

/// Pixel sizes of the images that decode.
pub fn image_sizes(images: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, (u32, u32)> {
    images
        .iter()
        .filter_map(|(src, bytes)| {
            let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
                .with_guessed_format()
                .ok()?;
            let dims = reader.into_dimensions().ok()?;
            Some((src.clone(), dims))
        })
        .collect()
}

/// Lays out the document (no PDF bytes): for tests and tools.
pub fn layout_document(
    doc: &Document,
    assets: &Assets<'_>,
) -> Result<(layout::Layout, Vec<briefkit_model::Diagnostic>), PdfError> {
    let book = fonts::FontBook::new(assets)?.with_hyphenation(&doc.metadata.language);
    Ok(layout::layout(doc, &book, &image_sizes(assets.images)))
}

/// Renders the document as a PDF file.
pub fn render(doc: &Document, assets: &Assets<'_>) -> Result<Rendered, PdfError> {
    let book = fonts::FontBook::new(assets)?.with_hyphenation(&doc.metadata.language);
    let (laid, mut warnings) = layout::layout(doc, &book, &image_sizes(assets.images));
    let (bytes, emit_warnings) = emit::emit(laid, doc, &book, assets.images);
    if let Some(err) = emit_warnings.iter().find(|d| d.is_error()) {
        return Err(PdfError::Write(err.message.clone()));
    }
    warnings.extend(emit_warnings);
    Ok(Rendered { bytes, warnings })
}
