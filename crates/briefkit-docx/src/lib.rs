//! DOCX backend: an editable Word document with named styles, real
//! numbering, footnotes, hyperlinks, header and footer fields.
//!
//! docx-rs builds the parts; [`package`] writes the core properties docx-rs
//! has no API for, sorts relationships and re-packs the zip with fixed
//! timestamps so rebuilds are byte-identical.

mod body;
mod canonical;
mod chart_part;
mod data_part;
/// The namespace of the data part's XML (`customXml/item1.xml`), which
/// `briefkit verify` looks for.
pub use data_part::NAMESPACE as DATA_NAMESPACE;
mod measure;
mod package;
mod reference;
mod styles;

use briefkit_model::backend::{SettingError, Settings};
use briefkit_model::{Backend, Document, Job, Paper, RenderedFile};
use docx_rs::{
    AbstractNumbering, Docx, FieldCharType, Footer, Header, InstrNUMPAGES, InstrPAGE, InstrText,
    Level, LevelJc, LevelOverride, LevelText, NumberFormat, Numbering, PageMargin, Paragraph, Run,
    Start,
};

/// Why a DOCX could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocxError {
    /// docx-rs failed to write the package.
    #[error("writing the DOCX package failed")]
    Pack(#[source] std::io::Error),
    /// The reference DOCX cannot be used.
    #[error("reference DOCX: {0}")]
    Reference(String),
}

/// Page size in twentieths of a point: (width, height).
fn page_twips(paper: Paper) -> (u32, u32) {
    match paper {
        Paper::A4 => (11906, 16838),
        Paper::Letter => (12240, 15840),
    }
}

/// The theme part's template: the colours and fonts Word's theme gives.
const THEME: &str = "docx/theme.xml";

/// The DOCX format: `[output.docx] reference` (a DOCX in the pack whose
/// styles and theme it takes; also `[output] reference_docx`), one
/// template (its theme part).
pub static BACKEND: Backend = Backend {
    name: "docx",
    extension: "docx",
    default: true,
    templates: &[(THEME, include_str!("../../../templates/docx/theme.xml"))],
    aliases: &[("reference_docx", "reference")],
    files: &[("reference", "reference DOCX")],
    settings: check_settings,
    check: briefkit_model::backend::no_check,
    render: |job| Ok(render(job)?),
};

/// `[output.docx]` has one key, `reference`: a path (the caller reads it).
fn check_settings(settings: &Settings) -> Result<(), Vec<SettingError>> {
    let mut errors = Vec::new();
    for (key, value) in settings {
        match key.as_str() {
            "reference" if value.is_string() => {}
            "reference" => errors.push(
                SettingError::new(key.clone(), "`reference` is the path of a DOCX in the pack")
                    .with_hint("for example reference = \"house-style.docx\""),
            ),
            _ => errors.push(
                SettingError::new(key.clone(), format!("unknown setting `{key}`"))
                    .with_hint("the setting of this format is `reference`"),
            ),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Renders the document as a DOCX file.
pub fn render(job: &Job<'_>) -> Result<RenderedFile, DocxError> {
    let (doc, assets, options) = (job.document, job.assets, job.options);
    let meta = &doc.metadata;
    let (w, h) = page_twips(options.paper);
    // The theme's margins, as the PDF's.
    let page = briefkit_model::theme::LOOK.page;
    let margin = |points: f32| styles::twips(points) as i32;
    let text_width = w.saturating_sub(styles::twips(page.left) + styles::twips(page.right));
    let mut docx = Docx::new()
        .page_size(w, h)
        .page_margin(
            PageMargin::new()
                .top(margin(page.top))
                .bottom(margin(page.bottom))
                .left(margin(page.left))
                .right(margin(page.right))
                .header(567)
                .footer(567),
        )
        .created_at(&format!("{}T00:00:00Z", meta.date.iso()))
        .updated_at(&format!("{}T00:00:00Z", meta.date.iso()));
    docx = styles::add_styles(
        docx,
        briefkit_model::theme::LOOK.quote_italic(&doc.metadata.language),
        doc.metadata.direction.is_rtl(),
    );
    docx = add_numbering_definitions(docx);
    // Page 1 carries the masthead, so its header stays empty (as in the PDF).
    docx = docx
        .header(
            Header::new().add_paragraph(
                Paragraph::new()
                    .style(styles::id::HEADER)
                    .add_run(Run::new().add_text(&meta.title)),
            ),
        )
        .first_header(Header::new())
        .first_footer(footer(doc))
        .title_pg();
    docx = docx.footer(footer(doc));

    let reference = job
        .files
        .get("reference")
        .map(|bytes| reference::read(bytes))
        .transpose()
        .map_err(DocxError::Reference)?;
    let mut writer = body::DocxBody::new(doc, options.toc, text_width, assets);
    docx = writer.write(docx);
    for list in &writer.numbered_lists {
        let start = usize::try_from(list.start).unwrap_or(1);
        docx = docx.add_numbering(
            Numbering::new(list.num, body::NUMBER_ABSTRACT)
                .add_override(LevelOverride::new(list.level).start(start)),
        );
    }
    let xml = docx.build();
    let fonts = package::ScriptFonts::of(assets);
    let text = chart_part::ChartText {
        language: &meta.language,
        rtl: meta.direction.is_rtl(),
        latin: "Noto Sans",
        east_asian: &fonts.sans_ea,
        complex: &fonts.sans_cs,
        date: (
            u16::try_from(meta.date.year).unwrap_or(2000),
            u8::try_from(meta.date.month).unwrap_or(1),
            u8::try_from(meta.date.day).unwrap_or(1),
        ),
    };
    let charts = writer
        .charts
        .iter()
        .enumerate()
        .map(|(i, (c, cx, cy))| {
            let (heads, _) = c.table(&meta.labels);
            let grid = chart_part::Grid::of(c, &heads);
            Ok(package::ChartParts {
                xml: chart_part::chart_xml(c, &grid, &text),
                rels: chart_part::chart_rels(i + 1),
                workbook: chart_part::workbook(c, &grid, &text)
                    .map_err(|e| DocxError::Pack(std::io::Error::other(e)))?,
                size: (*cx, *cy),
            })
        })
        .collect::<Result<Vec<_>, DocxError>>()?;
    let bytes = package::finish(
        xml,
        doc,
        options.toc,
        &writer.picture_alts,
        &charts,
        data_part::data_part(doc, job.attachments).as_ref(),
        reference.as_ref(),
        &fonts,
        job.template(THEME),
    )
    .map_err(DocxError::Pack)?;
    Ok(RenderedFile {
        bytes,
        warnings: writer.warnings,
        pages: None,
        parts: Vec::new(),
    })
}

/// "Organisation · Page X of Y" with PAGE and NUMPAGES fields.
fn footer(doc: &Document) -> Footer {
    let labels = &doc.metadata.labels;
    let mut p = Paragraph::new().style(styles::id::FOOTER);
    if let Some(org) = &doc.metadata.organization {
        p = p.add_run(Run::new().add_text(format!("{org} · ")));
    }
    let (before, between, after) = labels.page_of_parts();
    if !before.is_empty() {
        p = p.add_run(Run::new().add_text(before));
    }
    p = p.add_run(field(InstrText::PAGE(InstrPAGE::new()), "1"));
    p = p.add_run(Run::new().add_text(between));
    p = p.add_run(field(InstrText::NUMPAGES(InstrNUMPAGES::new()), "1"));
    if !after.is_empty() {
        p = p.add_run(Run::new().add_text(after));
    }
    Footer::new().add_paragraph(p)
}

fn field(instr: InstrText, placeholder: &str) -> Run {
    Run::new()
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(instr)
        .add_field_char(FieldCharType::Separate, false)
        .add_text(placeholder)
        .add_field_char(FieldCharType::End, false)
}

/// Bullet and decimal abstract numberings with nine indented levels.
fn add_numbering_definitions(docx: Docx) -> Docx {
    let bullets = ["•", "◦", "▪"];
    let mut bullet = AbstractNumbering::new(body::BULLET_ABSTRACT);
    let mut number = AbstractNumbering::new(body::NUMBER_ABSTRACT);
    for level in 0..9usize {
        // The theme's list indent a level; the marker hangs in it.
        let step = styles::twips(briefkit_model::theme::LOOK.list.indent) as i32;
        let indent = step * (level as i32 + 1);
        bullet = bullet.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new(bullets[level % 3]),
                LevelJc::new("left"),
            )
            .indent(
                Some(indent),
                Some(docx_rs::SpecialIndentType::Hanging(step)),
                None,
                None,
            ),
        );
        number = number.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new(if level % 2 == 0 {
                    "decimal"
                } else {
                    "lowerLetter"
                }),
                LevelText::new(format!("%{}.", level + 1)),
                LevelJc::new("left"),
            )
            .indent(
                Some(indent),
                Some(docx_rs::SpecialIndentType::Hanging(step)),
                None,
                None,
            ),
        );
    }
    docx.add_abstract_numbering(bullet)
        .add_abstract_numbering(number)
        .add_numbering(Numbering::new(body::BULLET_NUM, body::BULLET_ABSTRACT))
}
