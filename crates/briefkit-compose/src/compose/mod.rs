//! Composition: pack files → [`Document`].
//!
//! The article goes through handlebars (strict mode, `{{stat}}` helpers),
//! then pulldown-cmark; the brief template (also handlebars) lays out the
//! pack's parts with `<bk-…>` directives that become first-class blocks.
//! Files are read through the [`World`], so only the caller touches disk.
//! The stages live in their own modules: `settings`, `provenance` (the
//! statistics), `article`, `images` and `parts` (the generated parts).

mod article;
mod charts;
mod images;
mod outputs;
mod parts;
mod provenance;
mod settings;

pub use article::scan_stat_uses;
pub use outputs::{GivenSetting, Output};
pub use parts::slug;

use crate::config::BriefConfig;
use briefkit_model::diagnostic::Diagnostic;
use briefkit_model::document::*;
use briefkit_model::locale;
use briefkit_model::world::World;
use std::collections::BTreeMap;

/// What the user pointed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackEntry<'a> {
    /// A directory with `brief.toml`.
    Directory,
    /// A single Markdown file with front matter (its name in the pack root).
    MarkdownFile(&'a str),
}

/// Inputs to composition that are not pack files.
#[derive(Debug, Clone)]
pub struct ComposeOptions<'a> {
    /// The brief layout template (handlebars producing Markdown + directives).
    pub brief_template: &'a str,
    /// How diagnostics name the template (its path, or that it is embedded).
    pub brief_template_name: &'a str,
    /// Every output format the caller can write: `[output] formats` may
    /// name only these, and each one's settings are checked.
    pub backends: &'a [&'static briefkit_model::Backend],
    /// The formats to build (empty: the pack's `[output] formats`, else
    /// every one of `backends`).
    pub formats: &'a [&'static briefkit_model::Backend],
    /// Settings the caller gives over the pack's (the command line's).
    pub settings: &'a [GivenSetting],
    /// Report every statistic the brief does not use (`--verbose`, JSON);
    /// otherwise more than [`UNCITED_LISTED`] of them are summed up in one
    /// warning (a statistics file may be a whole dataset).
    pub each_uncited: bool,
    /// For a `[batch]` pack, the row to compose the brief of (see
    /// [`batch_rows`]).
    pub row: Option<&'a crate::batch::Row>,
    /// Statistics files already read by other briefs of the batch (see
    /// [`crate::statistics::StatisticsCache`]); `None` reads the file anew.
    pub statistics: Option<&'a crate::statistics::StatisticsCache>,
    /// Whether the outputs carry the brief's data, over the pack's
    /// `[output] embed_data` (`--no-embed-data`); `None` keeps the pack's.
    pub embed_data: Option<bool>,
}

/// Up to this many unused statistics are each reported; more are summed up
/// in one warning unless [`ComposeOptions::each_uncited`] is set.
pub const UNCITED_LISTED: usize = 5;

/// A composed pack.
#[derive(Debug, Clone)]
pub struct Composed {
    /// The settings, for the caller's output choices.
    pub config: BriefConfig,
    /// The document every backend renders.
    pub document: Document,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
    /// The bytes of every image the document shows, by the path the article
    /// gives, each checked to be a whole PNG or JPEG.
    pub images: BTreeMap<String, Vec<u8>>,
    /// The formats to build, each with its settings and files.
    pub outputs: Vec<Output>,
}

impl Composed {
    /// The choices the pack's settings make (`[output] paper`, `toc`,
    /// `embed_data`).
    pub fn render_options(&self) -> briefkit_model::RenderOptions {
        self.config.output.render_options()
    }
}

/// Why a pack could not be composed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ComposeError {
    /// The pack has errors (the list also holds its warnings).
    #[error("the pack has {} error(s)", .diagnostics.iter().filter(|d| d.is_error()).count())]
    Content {
        /// Every finding, errors and warnings.
        diagnostics: Vec<Diagnostic>,
    },
}

/// Reads, checks and composes a pack: a short pipeline of stages, each in
/// its own module, with one sink for every finding. A stage that cannot go
/// on returns `None`; the findings so far are then the error.
pub fn compose(
    world: &dyn World,
    entry: PackEntry<'_>,
    options: &ComposeOptions<'_>,
) -> Result<Composed, ComposeError> {
    let mut sink: Vec<Diagnostic> = Vec::new();
    let fail = |diagnostics| ComposeError::Content { diagnostics };

    // 1. Settings and the article's text.
    let mut source = settings::read(world, entry).map_err(|d| fail(vec![d]))?;
    sink.append(&mut source.warnings);
    match (&source.config.batch, options.row) {
        (Some(_), None) => {
            return Err(fail(vec![Diagnostic::error(
                Some(source.places.at(&["batch", "rows"])),
                "this pack is a batch: each row of its rows file is a brief",
            )
            .with_hint("compose it row by row (see batch_rows)")]))
        }
        (None, Some(row)) => {
            return Err(fail(vec![Diagnostic::error(
                Some(row.location.clone()),
                "a row was given, but the pack has no [batch] section",
            )]))
        }
        _ => source.row = options.row.cloned(),
    }
    settings::apply_row(&mut source, &mut sink);
    if let Some(embed) = options.embed_data {
        source.config.output.embed_data = embed;
    }
    settings::check(&source, options, &mut sink);
    settings::font_folders(&source, world, &mut sink);
    let outputs = outputs::settings(&source, world, options, &mut sink);

    // 2. Statistics: ids named, records valid, the used ones kept.
    let records = provenance::read_records(world, &source, options.statistics, &mut sink)
        .map_err(|d| fail(vec![d]))?;
    let uses = scan_stat_uses(source.article.text());
    let selection = provenance::select(records, &source, &uses, &mut sink);
    let (Some(selection), false) = (selection, sink.iter().any(Diagnostic::is_error)) else {
        return Err(fail(sink));
    };
    let Some(date) = settings::date(&source, world, &mut sink) else {
        return Err(fail(sink));
    };
    let metadata = metadata(&source, date, &selection.stats);

    // 3. The charts; the article, which may place them, and the images it
    // shows.
    let charts = charts::build(
        &source,
        &selection.stats,
        &metadata.labels,
        &metadata.formatting_tag,
        &mut sink,
    );
    let mut placed = Vec::new();
    let Some(article) = article::convert(
        &source,
        &metadata,
        &selection.stats,
        &charts,
        &mut placed,
        &mut sink,
    ) else {
        return Err(fail(sink));
    };
    // The charts the article does not place are drawn after it.
    let unplaced: Vec<Chart> = charts
        .into_iter()
        .filter(|c| c.id.is_empty() || !placed.contains(&c.id))
        .collect();
    let images = images::read_images(world, &article.images, &mut sink);

    // 4. The generated parts around the article, placed by the template.
    let Some((blocks, block_at, footnotes)) = parts::assemble(
        &source, &metadata, &selection, article, &unplaced, options, &mut sink,
    ) else {
        return Err(fail(sink));
    };
    provenance::stray_number_warnings(&source, &mut sink);
    provenance::provenance_warnings(&selection, options.each_uncited, &mut sink);
    let Some(outputs) = outputs else {
        return Err(fail(sink));
    };
    if sink.iter().any(Diagnostic::is_error) {
        return Err(fail(sink));
    }
    let provenance::Selection { stats, sources, .. } = selection;
    let document = Document {
        metadata,
        blocks,
        block_at,
        footnotes,
        statistics: stats,
        sources,
    };
    let document = escaped_characters(document, &mut sink);
    outputs::check(
        &document,
        &outputs,
        &source.config.output.render_options(),
        &mut sink,
    );
    if sink.iter().any(Diagnostic::is_error) {
        return Err(fail(sink));
    }
    Ok(Composed {
        config: source.config,
        document,
        warnings: sink,
        images,
        outputs,
    })
}

/// Characters no output carries that reached the document through an
/// escape (the files' own were removed as they were read): a warning for
/// each field that holds one, naming it, and the document without them.
fn escaped_characters(document: Document, sink: &mut Vec<Diagnostic>) -> Document {
    let mut found = briefkit_model::characters::fields_not_carried(&document);
    if found.is_empty() {
        return document;
    }
    // A value shows in several places (the title on the cover and in the
    // metadata, a unit in the table and the chart): one warning for it,
    // named where it is set.
    let rank = |path: &str| match path.split('/').next() {
        Some("metadata") => 0,
        Some("statistics") => 1,
        Some("sources") => 2,
        Some("footnotes") => 3,
        _ => 4,
    };
    found.sort_by_key(|(path, _, _)| rank(path));
    let mut seen = std::collections::HashSet::new();
    for (path, value, c) in found {
        if !seen.insert(value) {
            continue;
        }
        let parts: Vec<&str> = path.split('/').collect();
        let what = match parts.as_slice() {
            ["statistics", i, field, ..] => {
                let id = i
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| document.statistics.get(i))
                    .map_or("?", |s| s.id.as_str());
                format!("the {field} of statistic `{id}`")
            }
            ["metadata", field, ..] => format!("the brief's {field}"),
            ["sources", ..] => "a source's name or address".into(),
            ["footnotes", ..] => "a footnote".into(),
            _ => format!("the text of the brief (`{path}` in `briefkit ast`)"),
        };
        briefkit_model::characters::check_field(&c.to_string(), &what, None, sink);
    }
    // The copy through JSON keeps the text, not the places.
    let places = document.places();
    briefkit_model::characters::without_uncarried(document).with_places(places)
}

/// The rows of a `[batch]` pack (`None` for a pack that is one brief),
/// read through the world; an unreadable or malformed rows file is an
/// error placed where it is named or written.
pub fn batch_rows(
    world: &dyn World,
    entry: PackEntry<'_>,
) -> Result<Option<crate::batch::Rows>, Diagnostic> {
    let source = settings::read(world, entry)?;
    let Some(batch) = &source.config.batch else {
        return Ok(None);
    };
    let text = world.read_text(&batch.rows).map_err(|e| {
        let at = source.places.named(&["batch", "rows"], &batch.rows);
        settings::file_error("rows file", &batch.rows, &e, at)
    })?;
    let source = briefkit_model::SourceText::new(&batch.rows, text);
    crate::batch::parse_rows(&source, &batch.key).map(Some)
}

/// The document's metadata from the settings, the date and the used
/// statistics (which the content-derived identifier covers).
fn metadata(source: &settings::Settings, date: locale::Date, stats: &[Statistic]) -> Metadata {
    let brief = &source.config.brief;
    Metadata {
        title: brief.title.clone(),
        subtitle: brief.subtitle.clone(),
        organization: brief.organization.clone(),
        authors: brief.authors.clone(),
        date,
        date_display: crate::numbers::display_date(&date, &brief.formatting_tag()),
        direction: brief.direction(),
        formatting_tag: brief.formatting_tag(),
        language: brief.language.clone(),
        summary: brief.summary.clone(),
        keywords: brief.keywords.clone(),
        labels: crate::words::labels(&brief.language),
        identifier: provenance::identifier(
            source.config_text.text(),
            source.article.text(),
            source.row.as_ref(),
            stats,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_finds_ids_and_offsets() {
        let text = "a {{stat \"x-1\"}} b {{ stat_label 'y' }} {{other}}";
        let uses = scan_stat_uses(text);
        assert_eq!(uses.len(), 2);
        assert_eq!(uses[0].0, "x-1");
        assert_eq!(&text[uses[0].1..uses[0].1 + 3], "x-1");
        assert_eq!(uses[1].0, "y");
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("Niños y niñas: 2005"), "ninos-y-ninas-2005");
        assert_eq!(slug("2030"), "section-2030");
    }
}
