//! The output formats briefkit writes: one table. A format is a backend
//! crate that describes itself with a [`Backend`] value (name, extension,
//! templates, settings, checks, renderer), plus one row here — nothing
//! else in briefkit lists the formats.

pub use briefkit_model::backend::RenderError;
use briefkit_model::Backend;

/// One output format.
pub type OutputFormat = Backend;

/// Every format, in build order. Add a row for a new format.
pub static FORMATS: [&OutputFormat; 5] = [
    &briefkit_pdf::BACKEND,
    &briefkit_epub::BACKEND,
    &briefkit_docx::BACKEND,
    &briefkit_image::SVG,
    &briefkit_image::PNG,
];

/// The format of that name (case-insensitive).
pub fn by_name(name: &str) -> Option<&'static OutputFormat> {
    let name = name.trim();
    FORMATS
        .iter()
        .copied()
        .find(|f| f.name.eq_ignore_ascii_case(name))
}

/// The names of every format.
pub fn names() -> Vec<&'static str> {
    FORMATS.iter().map(|f| f.name).collect()
}
