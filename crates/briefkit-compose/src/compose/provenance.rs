//! Stage 2: the statistics. Every id the brief names must exist; the
//! records are validated; only the statistics the brief uses are kept, and
//! their sources numbered; provenance warnings (numbers typed into the
//! prose, statistics unused or without a period).

use super::settings::{file_error, Settings};
use super::UNCITED_LISTED;
use crate::config::{BriefConfig, StatisticsSetting};
use crate::statistics::{self, LocatedRecord};
use briefkit_model::diagnostic::{nearest, Diagnostic, Kind, SourceText, Span};
use briefkit_model::document::*;
use briefkit_model::world::World;
use rustc_hash::FxHashSet;
use sha2::{Digest, Sha256};

/// The statistics file's records (or the front matter's inline ones).
pub(super) fn read_records(
    world: &dyn World,
    source: &Settings,
    cache: Option<&statistics::StatisticsCache>,
    sink: &mut Vec<Diagnostic>,
) -> Result<Vec<LocatedRecord>, Diagnostic> {
    let Settings { config, places, .. } = source;
    Ok(match &config.brief.statistics {
        StatisticsSetting::File(path) => {
            let text = world.read_text(path).map_err(|e| {
                let at = places.named(&["brief", "statistics"], path);
                file_error("statistics file", path, &e, at)
            })?;
            let key = source
                .row
                .as_ref()
                .zip(config.batch.as_ref())
                .map(|(row, batch)| statistics::KeyFilter {
                    column: &batch.key,
                    value: &row.key,
                });
            match (key, cache) {
                (Some(key), Some(cache)) => {
                    let read = cache.keyed(&text, path, key.column);
                    sink.extend(read.cleaned.iter().cloned());
                    match &read.records {
                        Ok(keyed) => keyed.for_key(key.value)?,
                        Err(d) => return Err(d.clone()),
                    }
                }
                _ => {
                    let text = briefkit_model::characters::clean(SourceText::new(path, text), sink);
                    statistics::parse_statistics_file(&text, key)?
                }
            }
        }
        StatisticsSetting::Inline(list) => list
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let i = i.to_string();
                let record = ["brief", "statistics", i.as_str()];
                LocatedRecord {
                    record: r.clone(),
                    location: places
                        .value(&[record[0], record[1], record[2], "id"])
                        .unwrap_or_else(|| places.at(&record)),
                }
            })
            .collect(),
    })
}

/// The statistics a brief uses, and what became of the rest.
pub(super) struct Selection {
    /// Used statistics, in file order, values formatted, sources numbered.
    pub stats: Vec<Statistic>,
    /// Their numbered sources.
    pub sources: Vec<Source>,
    /// Where each used statistic was written.
    pub used_at: Vec<Span>,
    /// Unused statistics' ids and places.
    pub unused: Vec<(String, Span)>,
    /// The ids the statistics table lists: those cited in the article or
    /// shown as key figures. A statistic only a chart draws is in the
    /// chart's own table, not listed twice.
    pub cited: FxHashSet<String>,
}

/// Checks that every id the article (`{{stat "id"}}` at `uses`), the key
/// figures and the chart name exists, validates the records, and keeps the
/// statistics the brief uses. `None` when anything is wrong (the findings
/// are in the sink): problems in the statistics do not hide those of the
/// article, a user fixing a pack wants every finding at once.
pub(super) fn select(
    records: Vec<LocatedRecord>,
    source: &Settings,
    uses: &[(String, usize)],
    sink: &mut Vec<Diagnostic>,
) -> Option<Selection> {
    let mut id_findings = Vec::new();
    {
        let ids: FxHashSet<&str> = records
            .iter()
            .filter_map(|r| r.record.id.as_deref())
            .collect();
        for (id, offset) in uses {
            if !ids.contains(id.as_str()) {
                let mut d = Diagnostic::error(
                    Some(source.article.at(*offset)),
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
        let config = &source.config;
        check_ids(
            &config.brief.key_figures,
            vec!["brief".into(), "key_figures".into()],
            "key figure",
            &ids,
            source,
            &mut id_findings,
        );
        for (i, chart) in config.chart.iter().enumerate() {
            check_ids(
                &chart.statistics,
                config.chart.path(i, &["statistics"]),
                "chart entry",
                &ids,
                source,
                &mut id_findings,
            );
        }
    }
    // The records move into the statistics (a dataset is not held twice).
    let all = match statistics::validate(records) {
        Ok(all) => all,
        Err(errors) => {
            sink.extend(errors);
            sink.extend(id_findings);
            stray_number_warnings(source, sink);
            return None;
        }
    };
    // A chart's series must be some statistics' series (in the whole file:
    // the chart's statistics are those it keeps).
    {
        let known: Vec<&str> = {
            let mut k: Vec<&str> = all
                .iter()
                .filter_map(|(s, _)| s.series.as_deref())
                .collect();
            k.sort_unstable();
            k.dedup();
            k
        };
        let charts = &source.config.chart;
        for (i, chart) in charts.iter().enumerate() {
            for (j, name) in chart.series.iter().enumerate() {
                if known.binary_search(&name.as_str()).is_ok() {
                    continue;
                }
                let path = charts.path(i, &["series", &j.to_string()]);
                let d = Diagnostic::error(
                    Some(source.places.at(&path)),
                    format!("no statistic is in the series `{name}`"),
                );
                let near = nearest(name, known.iter().copied());
                id_findings.push(match (near.first(), known.is_empty()) {
                    (Some(n), _) => d.with_hint(format!("did you mean `{n}`?")),
                    (None, true) => d.with_hint(
                        "give the statistics file a `series` column: the series each value belongs to",
                    ),
                    (None, false) => d.with_hint(format!("the series in the statistics: {}", known.join(", "))),
                });
            }
        }
    }
    if !id_findings.is_empty() {
        sink.extend(id_findings);
        return None;
    }
    // Only the statistics the brief uses go into it (cited in the article,
    // shown as key figures or in the chart): a statistics file may be a
    // whole dataset. Sources are numbered among those.
    let config = &source.config;
    let used: FxHashSet<&str> = uses
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
    // A chart of series uses every statistic of each series it draws.
    let series: FxHashSet<&str> = config
        .chart
        .iter()
        .flat_map(|c| c.series.iter().map(String::as_str))
        .collect();
    let mut stats = Vec::with_capacity(used.len());
    let mut used_at = Vec::with_capacity(used.len());
    let mut unused = Vec::new();
    for (stat, location) in all {
        if used.contains(stat.id.as_str())
            || stat.series.as_deref().is_some_and(|s| series.contains(s))
        {
            stats.push(stat);
            used_at.push(location);
        } else {
            unused.push((stat.id, location));
        }
    }
    statistics::format_values(&mut stats, &config.brief.formatting_tag());
    let sources = statistics::number_sources(&mut stats);
    let cited = uses
        .iter()
        .map(|(id, _)| id.clone())
        .chain(config.brief.key_figures.iter().cloned())
        .collect();
    Some(Selection {
        stats,
        sources,
        used_at,
        unused,
        cited,
    })
}

/// Warnings about provenance: statistics without a period, statistics
/// never used (each its own finding, of kind `uncited-statistic`: the
/// command line sums up a dataset's many unused rows in one line).
pub(super) fn provenance_warnings(
    selection: &Selection,
    each_uncited: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let Selection {
        stats,
        used_at,
        unused,
        ..
    } = selection;
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
                Some(Span::file(first.path())),
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
        if statistics::is_placeholder_source(&stat.source) {
            diags.push(
                Diagnostic::warning(
                    Some(location.clone()),
                    format!(
                        "statistic `{}` has no confirmed source: its source is the placeholder “{}”",
                        stat.id, stat.source
                    ),
                )
                .with_hint("write the organisation that published the figure in the source column; until then every output shows the placeholder"),
            );
        }
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
pub(super) fn stray_number_warnings(source: &Settings, diags: &mut Vec<Diagnostic>) {
    let article = &source.article;
    let config: &BriefConfig = &source.config;
    for n in crate::prose::stray_numbers(article.text(), &config.check.allow) {
        diags.push(
            Diagnostic::warning(
                Some(article.at(n.offset)),
                format!("the number `{}` in the prose does not come from a statistic", n.text),
            )
            .with_hint("cite it with {{stat \"id\"}} from a row of the statistics file, or list it under [check] allow in brief.toml")
            .kind(Kind::StrayNumber),
        );
    }
}

fn check_ids(
    list: &[String],
    path: Vec<String>,
    what: &str,
    ids: &FxHashSet<&str>,
    source: &Settings,
    diags: &mut Vec<Diagnostic>,
) {
    let places = &source.places;
    for (i, id) in list.iter().enumerate() {
        if !ids.contains(id.as_str()) {
            let near = nearest(id, ids.iter().copied());
            let at: Vec<String> = path.iter().cloned().chain([i.to_string()]).collect();
            let mut d = Diagnostic::error(
                Some(places.at(&at)),
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

/// A stable UUID-shaped identifier from the pack's content.
pub(super) fn identifier(
    config: &str,
    article: &str,
    row: Option<&crate::batch::Row>,
    stats: &[Statistic],
) -> String {
    let mut h = Sha256::new();
    h.update(config.as_bytes());
    h.update([0]);
    h.update(article.as_bytes());
    // Each row of a batch is its own document.
    for (column, value) in row.iter().flat_map(|r| r.values()) {
        h.update([1]);
        h.update(column.as_bytes());
        h.update([2]);
        h.update(value.as_bytes());
    }
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
