//! Stage 4: the generated parts (masthead, key figures, chart, statistics
//! table, sources, contact) placed by the brief template around the
//! article; then footnotes numbered and heading ids made unique.

use super::provenance::Selection;
use super::settings::Settings;
use super::ComposeOptions;
use crate::config;
use crate::markdown::{self, Converted};
use briefkit_model::diagnostic::{Diagnostic, SourceText, Span};
use briefkit_model::document::*;
use handlebars::Handlebars;
use rustc_hash::FxHashSet;
use serde_json::json;

/// The document's blocks, where each comes from, and its footnotes.
pub(super) type Assembled = (Vec<Block>, Vec<Option<Span>>, Vec<Footnote>);

/// The document's blocks and footnotes, laid out by the brief template.
/// `None` (with the errors in the sink) when the template fails.
pub(super) fn assemble(
    source: &Settings,
    metadata: &Metadata,
    selection: &Selection,
    article: Converted,
    charts: &[Chart],
    options: &ComposeOptions<'_>,
    sink: &mut Vec<Diagnostic>,
) -> Option<Assembled> {
    let Settings { config, places, .. } = source;
    let stats = &selection.stats;
    let labels = &metadata.labels;
    let key_figures: Vec<KeyFigure> = config
        .brief
        .key_figures
        .iter()
        .filter_map(|id| stats.iter().find(|s| &s.id == id))
        .map(|s| KeyFigure {
            id: s.id.clone(),
            value: s.display.clone(),
            unit: s.unit.clone().filter(|u| u.trim() != "%"),
            label: s.label.clone(),
            source: s.source.clone(),
            source_number: s.source_number,
            period: s.period.clone(),
        })
        .collect();
    let context = json!({
        "brief": {
            "title": metadata.title,
            "subtitle": metadata.subtitle,
            "organization": metadata.organization,
            "authors": metadata.authors,
            "date": metadata.date.iso(),
            "date_display": metadata.date_display,
            "language": metadata.language,
            "summary": metadata.summary,
        },
        "labels": labels,
        "has": {
            "key_figures": !key_figures.is_empty(),
            "chart": !charts.is_empty(),
            "contact": config.contact.as_ref().is_some_and(|c| !c.lines().is_empty()),
            "statistics": !stats.is_empty(),
            "statistics_table": stats.iter().any(|s| selection.cited.contains(&s.id)),
        },
    });
    let name = options.brief_template_name;
    let template = SourceText::new(name, options.brief_template.into());
    let mut reg = Handlebars::new();
    reg.set_strict_mode(true);
    if let Err(e) = reg.register_template_string(name, options.brief_template) {
        let loc = e
            .pos()
            .map_or(template.whole(), |(l, c)| template.at_line_col(l, c));
        sink.push(Diagnostic::error(
            Some(loc),
            format!("invalid brief template: {}", e.reason()),
        ));
        return None;
    }
    let layout = match reg.render(name, &context) {
        Ok(t) => t,
        Err(e) => {
            let loc = match (e.line_no, e.column_no) {
                (Some(l), Some(c)) => template.at_line_col(l, c),
                _ => template.whole(),
            };
            sink.push(Diagnostic::error(
                Some(loc),
                format!("brief template failed: {}", e.reason()),
            ));
            return None;
        }
    };
    let cover = Cover {
        organization: metadata.organization.clone(),
        title: metadata.title.clone(),
        subtitle: metadata.subtitle.clone(),
        date: metadata.date_display.clone(),
    };
    let Converted {
        blocks: article_blocks,
        block_at: article_at,
        footnote_defs,
        footnote_refs,
        ..
    } = article;
    let mut article_blocks = Some(
        article_blocks
            .into_iter()
            .zip(article_at)
            .collect::<Vec<_>>(),
    );
    let contact = config.contact.clone().unwrap_or_default();
    // Each generated part is placed where the settings that make it are.
    let setting = |path: &[&str]| places.value(path);
    let (cover_at, cards_at, contact_at) = (
        setting(&["brief", "title"]),
        setting(&["brief", "key_figures"]),
        setting(&["contact"]),
    );
    let statistics_at = match &config.brief.statistics {
        config::StatisticsSetting::File(path) => Some(Span::file(path)),
        config::StatisticsSetting::Inline(_) => setting(&["statistics"]),
    };
    let mut resolve =
        |directive: &markdown::Directive<'_>| -> Result<Vec<(Block, Option<Span>)>, String> {
            Ok(match directive.name {
            "cover" => vec![(Block::Cover(cover.clone()), cover_at.clone())],
            "article" => article_blocks.take().ok_or("the article is placed twice")?,
            "key-figures" => vec![(Block::KeyFigures { figures: key_figures.clone() }, cards_at.clone())],
            "chart" => charts
                .iter()
                .enumerate()
                .map(|(i, c)| (Block::Chart(c.clone()), places.value(&config.chart.path(i, &[]))))
                .collect(),
            "statistics-table" => vec![(Block::StatisticsTable { rows: statistic_rows(stats, &selection.cited) }, statistics_at.clone())],
            "sources" => vec![(Block::Sources { sources: selection.sources.clone() }, statistics_at.clone())],
            "contact" => vec![(Block::Contact(contact.clone()), contact_at.clone())],
            other => {
                return Err(format!(
                    "unknown directive `<bk-{other}>`; known: cover, key-figures, article, chart, statistics-table, sources, contact"
                ))
            }
        })
        };
    let noop = |_: &str| None;
    let layout = template.derived(layout.into());
    let converted = markdown::convert(&layout, "", &noop, &mut resolve);
    sink.extend(converted.diagnostics);
    if article_blocks.is_some() {
        sink.push(
            Diagnostic::error(
                Some(Span::file(name)),
                "the brief template never places the article",
            )
            .with_hint("add a line <bk-article/> to the template"),
        );
    }
    let mut blocks = converted.blocks;
    let footnotes = markdown::number_footnotes(&mut blocks, footnote_defs, &footnote_refs, sink);
    assign_heading_ids(&mut blocks);
    Some((blocks, converted.block_at, footnotes))
}

/// The rows of the statistics table: the statistics `cited` (in the
/// article, as key figures); those only a chart draws are in its table.
fn statistic_rows(stats: &[Statistic], cited: &FxHashSet<String>) -> Vec<StatisticRow> {
    stats
        .iter()
        .filter(|s| cited.contains(&s.id))
        .map(|s| StatisticRow {
            id: s.id.clone(),
            value: match s.unit.as_deref().map(str::trim) {
                Some(u) if u != "%" && !u.is_empty() => format!("{} {u}", s.display),
                _ => s.display.clone(),
            },
            label: s.label.clone(),
            period: s.period.clone().unwrap_or_default(),
            source: s.source.clone(),
            source_number: s.source_number,
        })
        .collect()
}

/// Gives every heading a unique id (its explicit `{#id}` or a slug).
fn assign_heading_ids(blocks: &mut [Block]) {
    let mut used: FxHashSet<String> = FxHashSet::default();
    for block in blocks {
        if let Block::Heading { id, content, .. } = block {
            let base = if id.is_empty() {
                slug(&plain_text(content))
            } else {
                id.clone()
            };
            let mut candidate = base.clone();
            let mut n = 2;
            while used.contains(&candidate) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            used.insert(candidate.clone());
            *id = candidate;
        }
    }
}

/// An ASCII anchor from heading text.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("section-{out}").trim_end_matches('-').to_string()
    } else {
        out
    }
}
