//! EPUB 3 backend: the brief as an e-book.
//!
//! XHTML pages come from handlebars templates (`epub/page.xhtml.hbs`, with
//! the body written from the model), the chart and cover are SVG images,
//! epub-builder assembles the book, and [`package`] mends its known
//! EPUBCheck failures and re-packs the zip so rebuilds are byte-identical.

mod font_face;
mod package;
mod svg;
mod xhtml;

use briefkit_model::backend::{no_settings, Settings};
use briefkit_model::{Backend, Block, Diagnostic, Document, Job, RenderedFile};
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, TocElement, ZipLibrary};
use handlebars::Handlebars;
use serde_json::json;

/// Why an EPUB could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EpubError {
    /// epub-builder failed.
    #[error("assembling the EPUB failed")]
    Builder(#[source] epub_builder::Error),
    /// A template is missing or broken.
    #[error("EPUB template `{name}`")]
    Template {
        /// Template name.
        name: String,
        /// The handlebars error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Re-packing the zip failed.
    #[error("re-packing the EPUB failed")]
    Package(#[source] std::io::Error),
}

const PAGE: &str = "epub/page.xhtml.hbs";
const STYLE: &str = "epub/style.css";

/// The EPUB format: two templates (every XHTML page, the stylesheet), no
/// settings (it has no paper, and its navigation document is always its
/// table of contents).
pub static BACKEND: Backend = Backend {
    name: "epub",
    extension: "epub",
    default: true,
    templates: &[
        (PAGE, include_str!("../../../templates/epub/page.xhtml.hbs")),
        (STYLE, include_str!("../../../templates/epub/style.css")),
    ],
    aliases: &[],
    files: &[],
    settings: no_settings,
    check,
    render: |job| Ok(render(job)?),
};

/// What the EPUB can claim of a document: with an image undescribed it
/// claims no accessibility conformance (a warning at the first).
pub fn check(doc: &Document, _: &Settings, _: &briefkit_model::RenderOptions) -> Vec<Diagnostic> {
    let Some((undescribed, count)) = doc.undescribed_images() else {
        return Vec::new();
    };
    vec![Diagnostic::warning(
        undescribed[0].at.clone(),
        format!("the EPUB claims no accessibility conformance: {count} no alt text"),
    )
    .with_hint("describe the image between the brackets: ![what it shows](path)")]
}

/// The file of the document's `n`-th chart (0-based): `chart.svg`, then
/// `chart-2.svg`, ...
fn chart_file(n: usize) -> String {
    if n == 0 {
        "chart.svg".to_string()
    } else {
        format!("chart-{}.svg", n + 1)
    }
}

/// Renders the document as an EPUB 3 file.
pub fn render(job: &Job<'_>) -> Result<RenderedFile, EpubError> {
    let (doc, assets) = (job.document, job.assets);
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let meta = &doc.metadata;
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    // XML escaping that also drops what XML cannot carry.
    hb.register_escape_fn(briefkit_package::escape);
    let page_src = job.template(PAGE);
    hb.register_template_string("page", page_src)
        .map_err(|e| EpubError::Template {
            name: PAGE.into(),
            source: Box::new(e),
        })?;
    // The brief's data (see briefkit::data), in the container and linked
    // from the page that shows the statistics: resources an HTML `link`
    // references need no fallback (EPUB 3.3 §3.4).
    let data_name = |name: &str| format!("data/{}", package::resource_name(name));
    let data_links: String = job
        .attachments
        .iter()
        .map(|a| {
            format!(
                "<link rel=\"alternate\" type=\"{}\" href=\"{}\" title=\"{}\"/>",
                xhtml::esc(&a.mime),
                xhtml::esc(&data_name(&a.name)),
                xhtml::esc(&a.description)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let page = |title: &str, class: &str, body: &str, links: &str| -> Result<String, EpubError> {
        hb.render(
            "page",
            &json!({
                "lang": meta.language,
                "dir": meta.direction.as_str(),
                "title": title,
                "body_class": if briefkit_model::theme::has_italic(&meta.language) {
                    class.to_string()
                } else {
                    format!("{class} upright").trim().to_string()
                },
                "body": body,
                "links": links,
            }),
        )
        .map_err(|e| EpubError::Template {
            name: PAGE.into(),
            source: Box::new(e),
        })
    };

    let zip = ZipLibrary::new().map_err(EpubError::Builder)?;
    let mut book = EpubBuilder::new(zip).map_err(EpubError::Builder)?;
    book.epub_version(EpubVersion::V30);
    book.set_title(meta.title.clone());
    book.set_authors(if meta.authors.is_empty() {
        meta.organization.iter().cloned().collect()
    } else {
        meta.authors.clone()
    });
    book.add_language(meta.language.clone());
    if let Some(summary) = &meta.summary {
        book.add_description(summary.clone());
    }
    for k in &meta.keywords {
        book.add_subject(k.clone());
    }
    book.set_generator("briefkit");
    book.set_toc_name(meta.labels.contents.clone());
    if let Ok(uuid) = uuid::Uuid::parse_str(&meta.identifier) {
        book.set_uuid(uuid);
    }
    let stamp = date_time(meta.date);
    book.set_publication_date(stamp);
    book.set_modified_date(stamp);

    // Cover image and page.
    let (serif, sans) = (
        briefkit_model::fonts::TextMeasure::new(&assets.serif, assets.extra),
        briefkit_model::fonts::TextMeasure::new(&assets.sans, assets.extra),
    );
    let cover = svg::cover_svg(meta, &|text, size, is_serif, bold| {
        let faces = if is_serif { &serif } else { &sans };
        faces.ems(text, bold) * size
    });
    book.add_cover_image("cover.svg", cover.as_bytes(), "image/svg+xml")
        .map_err(EpubError::Builder)?;
    let cover_body = format!(
        "<section epub:type=\"cover\"><img src=\"cover.svg\" alt=\"{}\"/></section>",
        xhtml::esc(&meta.title)
    );
    let cover_page = page(&meta.title, "cover", &cover_body, "")?;
    book.add_content(
        EpubContent::new("cover.xhtml", cover_page.as_bytes()).reftype(ReferenceType::Cover),
    )
    .map_err(EpubError::Builder)?;

    // Chart and article images.
    let charts = doc.charts();
    let chart_names: Vec<String> = (0..charts.len()).map(chart_file).collect();
    for (c, name) in charts.iter().zip(&chart_names) {
        book.add_resource(
            name,
            svg::chart_svg(c, &meta.language, meta.direction.is_rtl()).as_bytes(),
            "image/svg+xml",
        )
        .map_err(EpubError::Builder)?;
    }
    let image_name = |src: &str| -> String { format!("images/{}", package::resource_name(src)) };
    for (src, bytes) in assets.images {
        let name = image_name(src);
        book.add_resource(&name, bytes.as_slice(), package::media_type(src))
            .map_err(EpubError::Builder)?;
    }

    // The brief itself, with a nested table of contents from its headings.
    let body = xhtml::XhtmlBody::new(doc, &chart_names, &image_name).finish();
    let brief_page = page(&meta.title, "brief", &body, &data_links)?;
    for a in job.attachments {
        book.add_resource(data_name(&a.name), a.bytes.as_slice(), a.mime.as_str())
            .map_err(EpubError::Builder)?;
    }
    let mut content = EpubContent::new("brief.xhtml", brief_page.as_bytes())
        .title(meta.title.clone())
        .reftype(ReferenceType::Text);
    for toc in toc_elements(doc) {
        content = content.child(toc);
    }
    book.add_content(content).map_err(EpubError::Builder)?;

    // Fonts subset to what the book shows, declared ahead of the stylesheet.
    let (fonts, extra, font_warnings) = font_face::embed(assets, &format!("{body}{}", meta.title));
    warnings.extend(font_warnings);
    let mut css = String::new();
    for f in &fonts {
        css.push_str(&f.css);
        book.add_resource(&f.path, f.bytes.as_slice(), f.media_type)
            .map_err(EpubError::Builder)?;
    }
    // How each block looks, from the theme; then the stylesheet template,
    // whose rules come later and so win.
    css.push_str(&briefkit_model::theme::LOOK.css());
    css.push_str(job.template(STYLE));
    // The embedded Arabic or CJK families follow the Latin ones.
    let quoted = |list: &[String]| -> String {
        list.iter()
            .map(|f| format!("\"{f}\", "))
            .collect::<String>()
    };
    if !extra.serif.is_empty() || !extra.sans.is_empty() {
        let (serif, sans) = (quoted(&extra.serif), quoted(&extra.sans));
        css.push_str(&format!(
            "\n/* Scripts the Latin families lack. */\nbody {{ font-family: \"{}\", {serif}{sans}serif; }}\nh1, h2, h3, h4, .organization, .key-figures, table, figcaption, .chart-source, .contact {{ font-family: \"{}\", {sans}{serif}sans-serif; }}\n",
            assets.serif.family, assets.sans.family
        ));
    }
    book.stylesheet(css.as_bytes())
        .map_err(EpubError::Builder)?;

    let mut raw = Vec::new();
    book.generate(&mut raw).map_err(EpubError::Builder)?;
    let bytes = package::mend_and_repack(&raw, doc).map_err(EpubError::Package)?;
    Ok(RenderedFile {
        bytes,
        warnings,
        pages: None,
        parts: Vec::new(),
    })
}

/// Level-2 headings with their level-3 children.
fn toc_elements(doc: &Document) -> Vec<TocElement> {
    let mut out: Vec<TocElement> = Vec::new();
    let mut pending: Option<TocElement> = None;
    for block in &doc.blocks {
        if let Block::Heading { level, id, content } = block {
            let el = TocElement::new(format!("brief.xhtml#{id}"), xhtml::heading_text(content));
            match level {
                0..=2 => {
                    if let Some(p) = pending.take() {
                        out.push(p);
                    }
                    pending = Some(el.level(2));
                }
                _ => match pending.take() {
                    Some(p) => pending = Some(p.child(el.level(3))),
                    None => out.push(el.level(2)),
                },
            }
        }
    }
    out.extend(pending);
    out
}

fn date_time(date: briefkit_model::Date) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(date.unix_seconds(), 0).unwrap_or_default()
}
