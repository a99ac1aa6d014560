//! Composition: pack files → [`Document`].
//!
//! The article goes through handlebars (strict mode, `{{stat}}` helpers),
//! then pulldown-cmark; the brief template (also handlebars) lays out the
//! pack's parts with `<bk-…>` directives that become first-class blocks.
//! Files are read through the [`World`], so only the caller touches disk.

use crate::config::{self, BriefConfig, StatisticsSetting};
use crate::diagnostic::LineIndex;
use crate::diagnostic::{nearest, Diagnostic, Kind, Location};
use crate::document::*;
use crate::link::{self, LinkTarget};
use crate::locale::{self, Date};
use crate::markdown::{self, Converted};
use crate::picture;
use crate::statistics::{self, LocatedRecord};
use crate::world::{FileError, World};
use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::json;
use sha2::{Digest, Sha256};
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
    /// The names of the output formats the caller can write:
    /// `[output] formats` may name only these.
    pub formats: &'a [&'a str],
    /// Report every statistic the brief does not use (`--verbose`, JSON);
    /// otherwise more than [`UNCITED_LISTED`] of them are summed up in one
    /// warning (a statistics file may be a whole dataset).
    pub each_uncited: bool,
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
    /// The `[output] reference_docx` file's bytes, if the pack names one.
    pub reference_docx: Option<Vec<u8>>,
}

impl Composed {
    /// The render choices the pack's settings make (`[output] paper`, `toc`).
    pub fn render_options(&self) -> crate::RenderOptions {
        crate::RenderOptions {
            paper: self.config.output.paper,
            toc: self.config.output.toc,
        }
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

const BRIEF_TOML: &str = "brief.toml";

fn fail(diagnostics: Vec<Diagnostic>) -> ComposeError {
    ComposeError::Content { diagnostics }
}

/// A diagnostic for a pack file that could not be read, placed where the
/// pack names it.
fn file_error(what: &str, path: &str, e: &FileError, at: Location) -> Diagnostic {
    Diagnostic::error(Some(at), format!("the {what} `{path}` {e}")).with_hint(e.hint())
}

/// Where a path is named in the settings, or the path itself when the
/// settings do not name it (a default such as `article.md`).
fn named_at(config_text: &str, config_file: &str, path: &str) -> Location {
    // Quoted (TOML, YAML) or plain after a YAML key (`statistics: x.csv`).
    [('"', '"'), ('\'', '\''), (' ', '\n')]
        .iter()
        .filter_map(|(open, close)| {
            config_text
                .find(&format!("{open}{path}{close}"))
                .map(|at| at + open.len_utf8())
        })
        .min()
        .map_or_else(
            || Location::file(path),
            |at| {
                let (line, column) = crate::diagnostic::line_col(config_text, at);
                Location::at(config_file, line, column)
            },
        )
}

/// Reads, checks and composes a pack.
pub fn compose(
    world: &dyn World,
    entry: PackEntry<'_>,
    options: &ComposeOptions<'_>,
) -> Result<Composed, ComposeError> {
    let mut diags: Vec<Diagnostic> = Vec::new();

    // 1. Settings, and the article text with the line it starts on.
    let (config, config_text, config_file, article_text, article_line_offset) = match entry {
        PackEntry::Directory => {
            let text = world.read_text(BRIEF_TOML).map_err(|e| {
                let mut d = file_error("pack settings", BRIEF_TOML, &e, Location::file(BRIEF_TOML));
                if e == FileError::NotFound {
                    d = d.with_hint(
                        "a pack directory needs a brief.toml; `briefkit new DIR` makes one",
                    );
                }
                fail(vec![d])
            })?;
            let config = config::parse_brief_toml(&text, BRIEF_TOML).map_err(|d| fail(vec![d]))?;
            let article = world.read_text(&config.brief.article).map_err(|e| {
                let at = named_at(&text, BRIEF_TOML, &config.brief.article);
                fail(vec![file_error("article", &config.brief.article, &e, at)])
            })?;
            (config, text, BRIEF_TOML.to_string(), article, 0)
        }
        PackEntry::MarkdownFile(name) => {
            let text = world.read_text(name).map_err(|e| {
                fail(vec![file_error(
                    "Markdown file",
                    name,
                    &e,
                    Location::file(name),
                )])
            })?;
            let Some((yaml, body, body_line)) = config::split_front_matter(&text) else {
                return Err(fail(vec![Diagnostic::error(
                    Some(Location::at(name, 1, 1)),
                    "a single-file pack needs YAML front matter",
                )
                .with_hint("start the file with ---, a title: line, and ---")]));
            };
            let config = config::parse_front_matter(yaml, name).map_err(|d| fail(vec![d]))?;
            (
                config,
                text.clone(),
                name.to_string(),
                body.to_string(),
                body_line - 1,
            )
        }
    };
    for name in config.output.formats.iter().flatten() {
        if !options
            .formats
            .iter()
            .any(|f| f.eq_ignore_ascii_case(name.trim()))
        {
            diags.push(
                Diagnostic::error(
                    Some(named_at(&config_text, &config_file, name)),
                    format!("unknown output format `{name}`"),
                )
                .with_hint(format!("the formats are: {}", options.formats.join(", "))),
            );
        }
    }
    let article_file = config.brief.article.clone();
    let language = config.brief.language.clone();
    if !locale::is_valid_language_tag(&language) {
        diags.push(
            Diagnostic::error(
                Some(config::locate_quoted(&config_text, &config_file, &language)),
                format!("`{language}` is not a BCP 47 language tag"),
            )
            .with_hint("write a tag such as en, es, fr-CA or pt-BR"),
        );
    }

    // 2. Statistics.
    let records: Vec<LocatedRecord> = match &config.brief.statistics {
        StatisticsSetting::File(path) => {
            let text = world.read_text(path).map_err(|e| {
                let at = named_at(&config_text, &config_file, path);
                fail(vec![file_error("statistics file", path, &e, at)])
            })?;
            statistics::parse_statistics_file(&text, path).map_err(|d| fail(vec![d]))?
        }
        StatisticsSetting::Inline(list) => list
            .iter()
            .map(|r| LocatedRecord {
                record: r.clone(),
                location: r.id.as_deref().map_or(Location::file(&config_file), |id| {
                    config::locate_quoted(&config_text, &config_file, id)
                }),
            })
            .collect(),
    };
    // 3. Every {{stat "id"}} in the article, key figure and chart entry
    // must name a statistic (any row with that id, even one with errors of
    // its own).
    let article_uses = scan_stat_uses(&article_text);
    let mut id_findings = Vec::new();
    {
        let ids: FxHashSet<&str> = records
            .iter()
            .filter_map(|r| r.record.id.as_deref())
            .collect();
        for (id, offset) in &article_uses {
            if !ids.contains(id.as_str()) {
                let (line, col) = crate::diagnostic::line_col(&article_text, *offset);
                let mut d = Diagnostic::error(
                    Some(Location::at(&article_file, line + article_line_offset, col)),
                    format!("unknown statistic id `{id}`"),
                );
                let near = nearest(id, ids.iter().copied());
                d = if near.is_empty() {
                    d.with_hint("add a row with this id to the statistics file")
                } else {
                    d.with_hint(format!(
                        "did you mean {}?",
                        near.iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ))
                };
                id_findings.push(d);
            }
        }
        check_ids(
            &config.brief.key_figures,
            "key figure",
            &ids,
            &config_text,
            &config_file,
            &mut id_findings,
        );
        if let Some(chart) = &config.chart {
            check_ids(
                &chart.statistics,
                "chart entry",
                &ids,
                &config_text,
                &config_file,
                &mut id_findings,
            );
        }
    }
    // Problems in the statistics do not stop the checks of the article and
    // settings: a user fixing a pack wants every finding at once. The
    // records move into the statistics (a dataset is not held twice).
    let all_stats = match statistics::validate(records) {
        Ok(v) => v,
        Err(errs) => {
            diags.extend(errs);
            Vec::new()
        }
    };
    let statistics_failed = diags.iter().any(Diagnostic::is_error);
    diags.extend(id_findings);
    if diags.iter().any(Diagnostic::is_error) {
        if statistics_failed {
            stray_number_warnings(
                &article_text,
                &article_file,
                article_line_offset,
                &config,
                &mut diags,
            );
        }
        return Err(fail(diags));
    }

    // Only the statistics the brief uses go into it (cited in the article,
    // shown as key figures or in the chart): a statistics file may be a
    // whole dataset. Sources are numbered among those.
    let used: FxHashSet<&str> = article_uses
        .iter()
        .map(|(id, _)| id.as_str())
        .chain(config.brief.key_figures.iter().map(String::as_str))
        .chain(
            config
                .chart
                .iter()
                .flat_map(|c| c.statistics.iter().map(String::as_str)),
        )
        .collect();
    let mut stats = Vec::with_capacity(used.len());
    let mut used_at = Vec::with_capacity(used.len());
    let mut unused = Vec::new();
    for (stat, location) in all_stats {
        if used.contains(stat.id.as_str()) {
            stats.push(stat);
            used_at.push(location);
        } else {
            unused.push((stat.id, location));
        }
    }
    statistics::format_values(&mut stats, &language);
    let sources = statistics::number_sources(&mut stats);

    // 4. Date and metadata.
    let date = match &config.brief.date {
        Some(text) => match Date::parse_iso(text) {
            Some(d) => d,
            None => {
                diags.push(
                    Diagnostic::error(
                        Some(config::locate_quoted(&config_text, &config_file, text)),
                        format!("`{text}` is not an ISO 8601 date"),
                    )
                    .with_hint("write the date as YYYY-MM-DD"),
                );
                return Err(fail(diags));
            }
        },
        None => world.today(),
    };
    let labels = locale::labels(&language);
    let metadata = Metadata {
        title: config.brief.title.clone(),
        subtitle: config.brief.subtitle.clone(),
        organization: config.brief.organization.clone(),
        authors: config.brief.authors.clone(),
        date,
        date_display: date.display(&language),
        language: language.clone(),
        summary: config.brief.summary.clone(),
        keywords: config.brief.keywords.clone(),
        labels: labels.clone(),
        identifier: identifier(&config_text, &article_text, &stats),
    };

    // 5. Article: handlebars, then Markdown.
    let rendered = render_article(
        &article_text,
        &article_file,
        article_line_offset,
        &metadata,
        &stats,
    )
    .map_err(|d| {
        diags.push(d);
        fail(diags.clone())
    })?;
    let citation = |s: &Statistic| match config.output.citations {
        config::CitationStyle::Numbered => Some(format!("[{}]", s.source_number)),
        config::CitationStyle::Names => Some(format!("({})", short_source_name(&s.source))),
        config::CitationStyle::None => None,
    };
    let by_id: FxHashMap<&str, &Statistic> = stats.iter().map(|s| (s.id.as_str(), s)).collect();
    let lookup = |id: &str| by_id.get(id).map(|s| (s.source_number, citation(s)));
    let mut no_directives = |name: &str| -> Result<Vec<Block>, String> {
        Err(format!("`<bk-{name}>` is reserved for the brief template"))
    };
    let Converted {
        blocks: article_blocks,
        footnote_defs,
        footnote_refs,
        images,
        diagnostics,
    } = markdown::convert(
        &rendered,
        &article_file,
        article_line_offset,
        &lookup,
        &mut no_directives,
    );
    diags.extend(diagnostics);
    let image_bytes = read_images(world, &images, &mut diags);
    // The contact's web address is a link in every format: the same rule
    // as the article's links (no scheme means https://).
    if let Some(url) = config.contact.as_ref().and_then(|c| c.url.as_deref()) {
        if let LinkTarget::Forbidden(scheme) = link::classify(url) {
            diags.push(
                Diagnostic::error(
                    Some(named_at(&config_text, &config_file, url)),
                    format!("the contact address `{}` uses the `{scheme}:` scheme, which briefkit never writes", link::shorten(url)),
                )
                .with_hint("give an http:// or https:// address"),
            );
        }
    }

    // 6. The brief template lays out the parts.
    let key_figures: Vec<KeyFigure> = config
        .brief
        .key_figures
        .iter()
        .filter_map(|id| by_id.get(id.as_str()))
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
    let chart = match &config.chart {
        Some(c) => match build_chart(c, &stats, &labels) {
            Ok(chart) => Some(chart),
            Err(msg) => {
                let loc = config::locate_quoted(
                    &config_text,
                    &config_file,
                    c.statistics.first().map_or("chart", String::as_str),
                );
                diags.push(
                    Diagnostic::error(Some(loc), msg)
                        .with_hint("draw only statistics that share one unit in a chart"),
                );
                None
            }
        },
        None => None,
    };
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
            "chart": chart.is_some(),
            "contact": config.contact.as_ref().is_some_and(|c| !c.lines().is_empty()),
            "statistics": !stats.is_empty(),
        },
    });
    let mut reg = Handlebars::new();
    reg.set_strict_mode(true);
    if let Err(e) =
        reg.register_template_string(options.brief_template_name, options.brief_template)
    {
        let loc = e
            .pos()
            .map_or(Location::file(options.brief_template_name), |(l, c)| {
                Location::at(options.brief_template_name, l, c)
            });
        diags.push(Diagnostic::error(
            Some(loc),
            format!("invalid brief template: {}", e.reason()),
        ));
        return Err(fail(diags));
    }
    let layout = match reg.render(options.brief_template_name, &context) {
        Ok(t) => t,
        Err(e) => {
            let loc = match (e.line_no, e.column_no) {
                (Some(l), Some(c)) => Location::at(options.brief_template_name, l, c),
                _ => Location::file(options.brief_template_name),
            };
            diags.push(Diagnostic::error(
                Some(loc),
                format!("brief template failed: {}", e.reason()),
            ));
            return Err(fail(diags));
        }
    };
    let cover = Cover {
        organization: metadata.organization.clone(),
        title: metadata.title.clone(),
        subtitle: metadata.subtitle.clone(),
        date: metadata.date_display.clone(),
    };
    let mut article_blocks = Some(article_blocks);
    let contact = config.contact.clone().unwrap_or_default();
    let mut resolve = |name: &str| -> Result<Vec<Block>, String> {
        Ok(match name {
            "cover" => vec![Block::Cover(cover.clone())],
            "article" => article_blocks.take().ok_or("the article is placed twice")?,
            "key-figures" => vec![Block::KeyFigures { figures: key_figures.clone() }],
            "chart" => chart.clone().map(Block::Chart).into_iter().collect(),
            "statistics-table" => vec![Block::StatisticsTable { rows: statistic_rows(&stats) }],
            "sources" => vec![Block::Sources { sources: sources.clone() }],
            "contact" => vec![Block::Contact(contact.clone())],
            other => {
                return Err(format!(
                    "unknown directive `<bk-{other}>`; known: cover, key-figures, article, chart, statistics-table, sources, contact"
                ))
            }
        })
    };
    let noop = |_: &str| None;
    let converted = markdown::convert(&layout, options.brief_template_name, 0, &noop, &mut resolve);
    diags.extend(converted.diagnostics);
    if article_blocks.is_some() {
        diags.push(
            Diagnostic::error(
                Some(Location::file(options.brief_template_name)),
                "the brief template never places the article",
            )
            .with_hint("add a line <bk-article/> to the template"),
        );
    }
    let mut blocks = converted.blocks;
    let footnotes =
        markdown::number_footnotes(&mut blocks, footnote_defs, &footnote_refs, &mut diags);
    assign_heading_ids(&mut blocks);
    stray_number_warnings(
        &article_text,
        &article_file,
        article_line_offset,
        &config,
        &mut diags,
    );
    provenance_warnings(&stats, &used_at, &unused, options.each_uncited, &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(fail(diags));
    }
    let document = Document {
        metadata,
        blocks,
        footnotes,
        statistics: stats,
        sources,
    };
    let reference_docx = match &config.output.reference_docx {
        Some(path) => match world.read(path) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                let at = named_at(&config_text, &config_file, path);
                return Err(fail(vec![file_error("reference DOCX", path, &e, at)]));
            }
        },
        None => None,
    };
    Ok(Composed {
        config,
        document,
        warnings: diags,
        images: image_bytes,
        reference_docx,
    })
}

/// Reads and checks every image the article shows, through the world (so
/// never from outside the pack): a missing, unreadable or undecodable
/// image is an error at the place the article names it.
fn read_images(
    world: &dyn World,
    images: &[(Image, Location)],
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for (image, location) in images {
        if image.alt.trim().is_empty() {
            diags.push(
                Diagnostic::warning(
                    Some(location.clone()),
                    format!("image `{}` has no alt text", image.src),
                )
                .with_hint("describe the image between the brackets: ![what it shows](path)"),
            );
        }
        match link::classify(&image.src) {
            LinkTarget::Web => {
                diags.push(
                    Diagnostic::warning(
                        Some(location.clone()),
                        format!("image `{}` is on the web: briefkit does not fetch images, so no output will show it", image.src),
                    )
                    .with_hint("download it into the pack (for example images/) and link to that file"),
                );
                continue;
            }
            LinkTarget::File(_) => {}
            _ => {
                diags.push(
                    Diagnostic::error(
                        Some(location.clone()),
                        format!("image `{}` is not a file in the pack", link::shorten(&image.src)),
                    )
                    .with_hint("save the image into the pack (for example images/) and give its relative path"),
                );
                continue;
            }
        }
        if out.contains_key(&image.src) {
            continue;
        }
        let checked = world
            .read(&image.src)
            .map_err(|e| {
                Diagnostic::error(Some(location.clone()), format!("image `{}` {e}", image.src))
                    .with_hint(e.hint())
            })
            .and_then(|bytes| match picture::inspect(&bytes) {
                Ok(_) => Ok(bytes),
                Err(why) => Err(Diagnostic::error(
                    Some(location.clone()),
                    format!("image `{}` {why}", image.src),
                )
                .with_hint("briefkit embeds PNG and JPEG images: convert or download it again")),
            });
        match checked {
            Ok(bytes) => {
                out.insert(image.src.clone(), bytes);
            }
            Err(d) => diags.push(d),
        }
    }
    out
}

/// Warnings about provenance: statistics without a period, statistics
/// never used (each its own finding, of kind `uncited-statistic`: the
/// command line sums up a dataset's many unused rows in one line).
fn provenance_warnings(
    stats: &[Statistic],
    used_at: &[Location],
    unused: &[(String, Location)],
    each_uncited: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let hint = "cite it in the article with {{stat \"id\"}}, show it as a key figure or in the chart, or remove it";
    if each_uncited || unused.len() <= UNCITED_LISTED {
        for (id, location) in unused {
            diags.push(
                Diagnostic::warning(
                    Some(location.clone()),
                    format!("statistic `{id}` is never cited, so no output shows it"),
                )
                .with_hint(hint)
                .kind(Kind::UncitedStatistic),
            );
        }
    } else if let Some((_, first)) = unused.first() {
        let named: Vec<String> = unused
            .iter()
            .take(UNCITED_LISTED)
            .map(|(id, _)| format!("`{id}`"))
            .collect();
        diags.push(
            Diagnostic::warning(
                Some(Location::file(first.file.clone())),
                format!(
                    "{} statistics are never cited, so no output shows them: {}, …",
                    unused.len(),
                    named.join(", ")
                ),
            )
            .with_hint("only the statistics the brief cites, shows as key figures or charts go into its outputs; `--verbose` lists each")
            .kind(Kind::UncitedStatistic),
        );
    }
    for (stat, location) in stats.iter().zip(used_at) {
        if stat.period.as_deref().is_none_or(|p| p.trim().is_empty()) {
            diags.push(
                Diagnostic::warning(
                    Some(location.clone()),
                    format!("statistic `{}` has no period", stat.id),
                )
                .with_hint("say which year or range the figure covers in the period column")
                .kind(Kind::StatisticWithoutPeriod),
            );
        }
    }
}

/// Warnings for numbers typed into the prose instead of cited.
fn stray_number_warnings(
    article: &str,
    file: &str,
    line_offset: usize,
    config: &BriefConfig,
    diags: &mut Vec<Diagnostic>,
) {
    for n in crate::prose::stray_numbers(article, &config.check.allow) {
        diags.push(
            Diagnostic::warning(
                Some(Location::at(file, n.line + line_offset, n.column)),
                format!("the number `{}` in the prose does not come from a statistic", n.text),
            )
            .with_hint("cite it with {{stat \"id\"}} from a row of the statistics file, or list it under [check] allow in brief.toml")
            .kind(Kind::StrayNumber),
        );
    }
}

/// The acronym a source name ends with, `(ECLAC)`, or the whole name.
fn short_source_name(name: &str) -> &str {
    name.trim_end()
        .strip_suffix(')')
        .and_then(|n| n.rsplit_once('('))
        .map(|(_, acronym)| acronym.trim())
        .filter(|a| !a.is_empty() && !a.contains(' '))
        .unwrap_or(name)
}

fn check_ids(
    list: &[String],
    what: &str,
    ids: &FxHashSet<&str>,
    text: &str,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for id in list {
        if !ids.contains(id.as_str()) {
            let near = nearest(id, ids.iter().copied());
            let mut d = Diagnostic::error(
                Some(config::locate_quoted(text, file, id)),
                format!("{what} `{id}` names no statistic"),
            );
            d = match near.first() {
                Some(n) => d.with_hint(format!("did you mean `{n}`?")),
                None => d.with_hint("name the id of a row of the statistics file"),
            };
            diags.push(d);
        }
    }
}

fn statistic_rows(stats: &[Statistic]) -> Vec<StatisticRow> {
    stats
        .iter()
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

fn build_chart(
    section: &config::ChartSection,
    stats: &[Statistic],
    labels: &Labels,
) -> Result<Chart, String> {
    let chosen: Vec<&Statistic> = section
        .statistics
        .iter()
        .filter_map(|id| stats.iter().find(|s| &s.id == id))
        .collect();
    let unit = chosen.first().and_then(|s| s.unit.clone());
    if let Some(other) = chosen.iter().find(|s| s.unit != unit) {
        return Err(format!(
            "the chart mixes units: `{}` is in {} but `{}` is in {}",
            chosen.first().map_or("", |s| s.id.as_str()),
            unit.as_deref().unwrap_or("no unit"),
            other.id,
            other.unit.as_deref().unwrap_or("no unit"),
        ));
    }
    let mut names: Vec<&str> = Vec::new();
    for s in &chosen {
        if !names.contains(&s.source.as_str()) {
            names.push(&s.source);
        }
    }
    let source_word = if names.len() > 1 {
        &labels.sources
    } else {
        &labels.source
    };
    Ok(Chart {
        title: section.title.clone().unwrap_or_default(),
        unit,
        bars: chosen
            .iter()
            .map(|s| ChartBar {
                id: s.id.clone(),
                label: s.label.clone(),
                value: s.value,
                display: s.display.clone(),
            })
            .collect(),
        source_line: format!("{source_word}: {}", names.join("; ")),
    })
}

/// A stable UUID-shaped identifier from the pack's content.
fn identifier(config: &str, article: &str, stats: &[Statistic]) -> String {
    let mut h = Sha256::new();
    h.update(config.as_bytes());
    h.update([0]);
    h.update(article.as_bytes());
    for s in stats {
        h.update([0]);
        h.update(s.id.as_bytes());
        h.update(s.value_text.as_bytes());
    }
    let d = h.finalize();
    let hex: String = d.iter().take(16).map(|b| format!("{b:02x}")).collect();
    // Shaped as a name-based (version 5, RFC 4122 variant) UUID.
    format!(
        "{}-{}-5{}-{}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        ["8", "9", "a", "b"][usize::from(d[8] & 3)],
        &hex[17..20],
        &hex[20..32]
    )
}

/// Finds `{{stat "id"}}` (and the other `stat_*` helpers) with the byte
/// offset of the id, for precise diagnostics before rendering.
pub fn scan_stat_uses(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find("{{") {
        let start = from + pos + 2;
        from = start;
        let rest = &text[start..];
        let trimmed = rest.trim_start_matches(['~', ' ', '\t']);
        let name_len = trimmed
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(trimmed.len());
        let name = &trimmed[..name_len];
        if name != "stat" && !name.starts_with("stat_") {
            continue;
        }
        let after = &trimmed[name_len..];
        let args = after.trim_start();
        let Some(quote) = args.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let id_start_in_args = 1;
        let Some(id_len) = args[id_start_in_args..].find(quote) else {
            continue;
        };
        let id = &args[id_start_in_args..id_start_in_args + id_len];
        let offset = text.len() - args.len() + id_start_in_args;
        out.push((id.to_string(), offset));
    }
    out
}

fn stat_param<'a>(h: &'a Helper<'_>) -> Result<&'a str, RenderErrorReason> {
    h.param(0).and_then(|p| p.value().as_str()).ok_or_else(|| {
        RenderErrorReason::Other(format!("`{}` takes a statistic id in quotes", h.name()))
    })
}

fn render_article(
    text: &str,
    file: &str,
    line_offset: usize,
    meta: &Metadata,
    stats: &[Statistic],
) -> Result<String, Diagnostic> {
    let mut reg = Handlebars::new();
    reg.set_strict_mode(true);
    // The article is Markdown, not HTML: helpers write exactly what they mean.
    reg.register_escape_fn(handlebars::no_escape);
    let table: serde_json::Map<String, serde_json::Value> = stats
        .iter()
        .map(|s| (s.id.clone(), serde_json::to_value(s).unwrap_or_default()))
        .collect();
    let by_id = table.clone();
    let lookup = move |h: &Helper<'_>| -> Result<serde_json::Value, RenderErrorReason> {
        let id = stat_param(h)?;
        by_id
            .get(id)
            .cloned()
            .ok_or_else(|| RenderErrorReason::Other(format!("unknown statistic id `{id}`")))
    };
    let lookup = std::sync::Arc::new(lookup);
    let language = meta.language.clone();
    for (name, field) in [
        ("stat", "display"),
        ("stat_label", "label"),
        ("stat_source", "source"),
        ("stat_period", "period"),
        ("stat_unit", "unit"),
    ] {
        let lookup = lookup.clone();
        let language = language.clone();
        reg.register_helper(
            name,
            Box::new(
                move |h: &Helper<'_>,
                      _: &Handlebars<'_>,
                      _: &Context,
                      _: &mut RenderContext<'_, '_>,
                      out: &mut dyn Output|
                      -> HelperResult {
                    let stat = lookup(h)?;
                    let value = stat
                        .get(field)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string();
                    if field == "display" {
                        let id = stat.get("id").and_then(|v| v.as_str()).unwrap_or_default();
                        let value = match h.hash_get("format").and_then(|f| f.value().as_str()) {
                            None | Some("full") => value,
                            Some("compact") => {
                                let text = stat.get("value_text").and_then(|v| v.as_str()).unwrap_or_default();
                                let unit = stat.get("unit").and_then(|v| v.as_str());
                                locale::NumberFormat::new(&language).format_compact(text, unit).unwrap_or(value)
                            }
                            Some(other) => {
                                return Err(RenderErrorReason::Other(format!(
                                    "unknown format `{other}` (use format=\"full\" or format=\"compact\")"
                                ))
                                .into())
                            }
                        };
                        out.write(&format!("<bk-stat ref=\"{id}\">{value}</bk-stat>"))?;
                    } else {
                        out.write(&value)?;
                    }
                    Ok(())
                },
            ),
        );
    }
    let context = json!({ "brief": meta, "stats": table });
    let ctx = Context::wraps(&context)
        .map_err(|e| Diagnostic::error(Some(Location::file(file)), e.to_string()))?;
    // handlebars computes a line and column for every expression by scanning
    // from the start of the template, which is quadratic in the article's
    // length, and parsing all of a long article's prose is slow too. Without
    // block helpers, comments, raw blocks or escaped braces, each `{{...}}`
    // is independent: render the expressions one by one and copy the text
    // between them (same output, same error positions).
    let simple = ![
        "{{#", "{{~#", "{{/", "{{~/", "{{else", "{{~else", "{{>", "{{~>", "{{!", "{{~!", "{{{",
        "\\{{",
    ]
    .iter()
    .any(|m| text.contains(m));
    if !simple {
        return render_chunk(&reg, text, file, (line_offset, 0), &ctx);
    }
    let index = LineIndex::new(text);
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut rest = 0;
    while let Some(found) = text[rest..].find("{{") {
        let start = rest + found;
        let (line, column) = index.line_col(start);
        let end = match text[start..].find("}}") {
            Some(j) => start + j + 2,
            // Unclosed: handlebars reports it, at the right place.
            None => text.len(),
        };
        out.push_str(&text[rest..start]);
        out.push_str(&render_chunk(
            &reg,
            &text[start..end],
            file,
            (line_offset + line - 1, column - 1),
            &ctx,
        )?);
        rest = end;
    }
    out.push_str(&text[rest..]);
    Ok(out)
}

/// Renders one piece of the article that starts at `offset` (lines, and
/// columns on its first line) into `file`.
fn render_chunk(
    reg: &Handlebars<'_>,
    text: &str,
    file: &str,
    offset: (usize, usize),
    ctx: &Context,
) -> Result<String, Diagnostic> {
    let place = |pos: Option<(usize, usize)>| match pos {
        Some((l, c)) => Location::at(file, l + offset.0, if l == 1 { c + offset.1 } else { c }),
        None => Location::file(file),
    };
    let template = handlebars::Template::compile(text).map_err(|e| {
        Diagnostic::error(
            Some(place(e.pos())),
            format!("template syntax error: {}", e.reason()),
        )
        .with_hint("`{{` starts a template expression; write `\\{{` for literal braces")
    })?;
    let mut rc = RenderContext::new(None);
    let mut out = handlebars::StringOutput::new();
    handlebars::Renderable::render(&template, reg, ctx, &mut rc, &mut out).map_err(|e| {
        let pos = e.line_no.zip(e.column_no);
        Diagnostic::error(Some(place(pos)), format!("template error: {}", e.reason()))
            .with_hint("available: {{stat \"id\"}}, {{stat_label \"id\"}}, {{stat_source \"id\"}}, {{stat_period \"id\"}}, {{stat_unit \"id\"}}, {{brief.title}}")
    })?;
    out.into_string()
        .map_err(|e| Diagnostic::error(Some(Location::file(file)), e.to_string()))
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
