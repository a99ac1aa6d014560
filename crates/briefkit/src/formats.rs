//! The output formats briefkit writes: one table. A new format is a new
//! backend crate with a `render(&Document, &Assets, &RenderOptions)`
//! function, plus one row
//! here — nothing else in briefkit lists the formats.

use briefkit_model::{Assets, Document, RenderOptions, RenderedFile};

/// A backend's failure, with its cause kept (each backend's own typed error).
pub type RenderError = Box<dyn std::error::Error + Send + Sync>;

/// One output format.
pub struct OutputFormat {
    /// The name users write (`-f pdf`, `[output] formats = ["pdf"]`).
    pub name: &'static str,
    /// The output file's extension.
    pub extension: &'static str,
    /// Renders a composed document to the file's bytes and warnings.
    pub render: fn(&Document, &Assets<'_>, &RenderOptions) -> Result<RenderedFile, RenderError>,
}

impl std::fmt::Debug for OutputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Every format, in build order. Add a row for a new format.
pub static FORMATS: [OutputFormat; 3] = [
    OutputFormat {
        name: "pdf",
        extension: "pdf",
        render: |doc, assets, options| Ok(briefkit_pdf::render(doc, assets, options)?),
    },
    OutputFormat {
        name: "epub",
        extension: "epub",
        render: |doc, assets, options| Ok(briefkit_epub::render(doc, assets, options)?),
    },
    OutputFormat {
        name: "docx",
        extension: "docx",
        render: |doc, assets, options| Ok(briefkit_docx::render(doc, assets, options)?),
    },
];

/// The format of that name (case-insensitive).
pub fn by_name(name: &str) -> Option<&'static OutputFormat> {
    let name = name.trim();
    FORMATS.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// The names of every format, for checking `[output] formats`.
pub fn names() -> Vec<&'static str> {
    FORMATS.iter().map(|f| f.name).collect()
}
