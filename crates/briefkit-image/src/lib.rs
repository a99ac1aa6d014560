//! Page images: the PDF's pages as SVG and as PNG, drawn from the same
//! layout (the same fonts, glyphs and positions) without a PDF in between.
//!
//! Two formats, one file a page: `NAME-PAGE.svg` and `NAME-PAGE.png`
//! (`NAME-KEY-PAGE` in a batch). The SVG draws each glyph as a path from
//! its font's outline (the same shapes in every viewer) and carries the
//! text as an invisible layer, so that it can be selected and searched; the
//! PNG is that SVG rasterised by `resvg`. Settings, in `[output.svg]` and
//! `[output.png]` (and `--pages`, `--ppi` on the command line): `pages`
//! (`1`, `"1-3"`, `"2,4-"`; default every page) and, for the PNG, `ppi`
//! (pixels per inch, default 144).

mod pages;
mod svg;

pub use pages::PageSelection;

use briefkit_model::backend::{SettingError, Settings};
use briefkit_model::{Backend, Diagnostic, Job, RenderedFile, RenderedPart};

/// The SVG pages.
pub static SVG: Backend = Backend {
    name: "svg",
    extension: "svg",
    default: false,
    templates: &[],
    aliases: &[],
    files: &[],
    settings: |s| ImageOptions::from_settings(s, false).map(|_| ()),
    check: briefkit_model::backend::no_check,
    render: |job| Ok(render(job, Kind::Svg)?),
};

/// The PNG pages.
pub static PNG: Backend = Backend {
    name: "png",
    extension: "png",
    default: false,
    templates: &[],
    aliases: &[],
    files: &[],
    settings: |s| ImageOptions::from_settings(s, true).map(|_| ()),
    check: briefkit_model::backend::no_check,
    render: |job| Ok(render(job, Kind::Png)?),
};

/// Pixels per inch when none is given (twice a screen's 72: sharp on
/// high-density screens, a 1191 × 1684 A4 page).
pub const DEFAULT_PPI: f32 = 144.0;
/// The most pixels per inch: an A4 page at 600 is 4961 × 7016 pixels
/// (139 MB of pixels while it is drawn), print quality and no more.
pub const MOST_PPI: f32 = 600.0;
/// The fewest.
pub const LEAST_PPI: f32 = 1.0;

/// Why page images could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    /// Laying the pages out failed (a font that cannot be read).
    #[error(transparent)]
    Layout(#[from] briefkit_pdf::PdfError),
    /// Its settings cannot be used (the caller checks them first).
    #[error("page image settings: {0}")]
    Settings(String),
    /// The page selection names no page of the brief.
    #[error("the brief has {pages} page{s}; pages = \"{selection}\" selects none of them", s = if *pages == 1 { "" } else { "s" })]
    NoPage {
        /// The brief's pages.
        pages: usize,
        /// The selection as given.
        selection: String,
    },
    /// Rasterising a page failed.
    #[error("page {page} could not be drawn as PNG: {why}")]
    Raster {
        /// The page, from 1.
        page: usize,
        /// What went wrong.
        why: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Svg,
    Png,
}

/// The settings of the two formats.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageOptions {
    /// Which pages (all by default).
    pub pages: PageSelection,
    /// Pixels per inch (PNG).
    pub ppi: f32,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    pages: Option<serde_json::Value>,
    ppi: Option<f64>,
}

impl ImageOptions {
    /// Reads and checks the settings (`ppi` only where `png`).
    pub fn from_settings(settings: &Settings, png: bool) -> Result<Self, Vec<SettingError>> {
        let keys: &[&str] = if png { &["pages", "ppi"] } else { &["pages"] };
        let raw: Raw = serde_json::from_value(serde_json::Value::Object(settings.clone()))
            .map_err(|e| vec![SettingError::from_serde(&e, keys)])?;
        let mut errors = Vec::new();
        let pages = match &raw.pages {
            None => PageSelection::all(),
            Some(value) => {
                let text = match value {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Number(n) => n.to_string(),
                    _ => String::new(),
                };
                PageSelection::parse(&text).unwrap_or_else(|why| {
                    errors.push(
                        SettingError::new("pages", format!("pages = {value}: {why}")).with_hint(
                            "pages are numbers from 1 and ranges, comma-separated: 1, \"1-3\", \"2,5-\"",
                        ),
                    );
                    PageSelection::all()
                })
            }
        };
        let ppi = match raw.ppi {
            None => DEFAULT_PPI,
            Some(_) if !png => {
                errors.push(
                    SettingError::new("ppi", "unknown setting `ppi`: an SVG has no pixels")
                        .with_hint("set ppi under [output.png]"),
                );
                DEFAULT_PPI
            }
            Some(ppi) if (f64::from(LEAST_PPI)..=f64::from(MOST_PPI)).contains(&ppi) => ppi as f32,
            Some(ppi) => {
                errors.push(
                    SettingError::new(
                        "ppi",
                        format!("ppi = {ppi} is outside {LEAST_PPI}–{MOST_PPI} pixels per inch"),
                    )
                    .with_hint("144 (the default) for screens, 300 for print"),
                );
                DEFAULT_PPI
            }
        };
        if errors.is_empty() {
            Ok(Self { pages, ppi })
        } else {
            Err(errors)
        }
    }
}

fn render(job: &Job<'_>, kind: Kind) -> Result<RenderedFile, ImageError> {
    let options = ImageOptions::from_settings(job.settings, kind == Kind::Png)
        .map_err(|e| ImageError::Settings(briefkit_model::SettingError::joined(&e)))?;
    let (book, layout, warnings) = briefkit_pdf::pages(job.document, job.assets, job.options)?;
    let total = layout.pages.len();
    let chosen: Vec<usize> = (1..=total).filter(|p| options.pages.contains(*p)).collect();
    if chosen.is_empty() {
        return Err(ImageError::NoPage {
            pages: total,
            selection: options.pages.to_string(),
        });
    }
    let drawer = svg::Drawer::new(&book, &layout, job.document, job.assets.images);
    let parts = drawer_parts(&drawer, &chosen, kind, options.ppi)?;
    Ok(RenderedFile {
        bytes: Vec::new(),
        warnings: image_warnings(warnings),
        pages: Some(total),
        parts,
    })
}

/// Each chosen page as a file, side by side.
fn drawer_parts(
    drawer: &svg::Drawer<'_, '_>,
    chosen: &[usize],
    kind: Kind,
    ppi: f32,
) -> Result<Vec<RenderedPart>, ImageError> {
    use rayon::prelude::*;
    chosen
        .par_iter()
        .with_max_len(1)
        .map(|&page| {
            let text = drawer.page(page - 1, kind == Kind::Svg);
            let bytes = match kind {
                Kind::Svg => text.into_bytes(),
                Kind::Png => {
                    svg::rasterise(&text, ppi).map_err(|why| ImageError::Raster { page, why })?
                }
            };
            Ok(RenderedPart {
                suffix: page.to_string(),
                bytes,
            })
        })
        .collect()
}

/// The layout's warnings, said of the page images where they speak of the
/// PDF: the same words for SVG and PNG, so that a build of both says each
/// once.
fn image_warnings(warnings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    warnings
        .into_iter()
        .map(|mut d| {
            d.message = d.message.replace("the PDF", "the page images");
            d
        })
        .collect()
}
