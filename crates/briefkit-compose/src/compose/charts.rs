//! The brief's charts: each `[[chart]]` (or the `[chart]` of old) drawn
//! from the statistics it names or the series it follows, checked with
//! located errors — units mixed on one axis, a series no statistic has, a
//! period that cannot be ordered, one period twice in a series — and given
//! value-axis ticks and a description in the brief's language.

use super::settings::Settings;
use crate::config::ChartSection;
use crate::numbers::NumberFormat;
use crate::period::{self, Grain};
use briefkit_model::chart::nice_ticks;
use briefkit_model::diagnostic::Diagnostic;
use briefkit_model::document::*;

/// Every chart of the settings, in order; a chart with errors is left out
/// (its findings are in the sink).
pub(super) fn build(
    source: &Settings,
    stats: &[Statistic],
    labels: &Labels,
    formatting_tag: &str,
    sink: &mut Vec<Diagnostic>,
) -> Vec<Chart> {
    let numbers = NumberFormat::new(formatting_tag);
    source
        .config
        .chart
        .iter()
        .enumerate()
        .filter_map(
            |(i, section)| match chart(section, stats, labels, &numbers) {
                Ok(chart) => Some(chart),
                Err((path, message, hint)) => {
                    let rest: Vec<&str> = path.iter().map(String::as_str).collect();
                    let at = source.places.at(&source.config.chart.path(i, &rest));
                    sink.push(Diagnostic::error(Some(at), message).with_hint(hint));
                    None
                }
            },
        )
        .collect()
}

/// A chart's error: where in its settings (below `[chart]`), the message
/// and a hint.
type Failure = (Vec<String>, String, String);

fn chart(
    section: &ChartSection,
    stats: &[Statistic],
    labels: &Labels,
    numbers: &NumberFormat,
) -> Result<Chart, Failure> {
    let kind = section.kind;
    let fail = |path: &[&str], message: String, hint: &str| -> Failure {
        (
            path.iter().map(|s| s.to_string()).collect(),
            message,
            hint.to_string(),
        )
    };
    // What it draws: statistics by id, or series (statistics by their
    // `series` column).
    let (chosen, by_series): (Vec<&Statistic>, bool) = match (
        section.statistics.is_empty(),
        section.series.is_empty(),
    ) {
        (false, true) => (
            section
                .statistics
                .iter()
                .filter_map(|id| stats.iter().find(|s| &s.id == id))
                .collect(),
            false,
        ),
        (true, false) => {
            // (Each series was checked against the whole statistics file.)
            (
                stats
                    .iter()
                    .filter(|s| s.series.as_ref().is_some_and(|n| section.series.contains(n)))
                    .collect(),
                true,
            )
        }
        (true, true) => {
            return Err(fail(
                &[],
                "a chart needs `statistics` (ids) or `series` (names) to draw".into(),
                "statistics = [\"id\", ...] draws those statistics; series = [\"name\", ...] draws every statistic of each series over its periods",
            ))
        }
        (false, false) => {
            return Err(fail(
                &["series"],
                "a chart draws either `statistics` or `series`, not both".into(),
                "keep one of them",
            ))
        }
    };
    let what = if by_series { "series" } else { "statistics" };
    if kind == ChartKind::Dots && !by_series {
        return Err(fail(
            &["statistics"],
            "a dot plot compares each series' first and last periods: it draws `series`".into(),
            "series = [\"name\", ...] with statistics at two periods or more",
        ));
    }
    let unit = chosen.first().and_then(|s| s.unit.clone());
    if let Some(other) = chosen.iter().find(|s| s.unit != unit) {
        return Err(fail(
            &[what, "0"],
            format!(
                "the chart mixes units: `{}` is in {} but `{}` is in {}",
                chosen.first().map_or("", |s| s.id.as_str()),
                unit.as_deref().unwrap_or("no unit"),
                other.id,
                other.unit.as_deref().unwrap_or("no unit"),
            ),
            "draw only statistics that share one unit in a chart",
        ));
    }
    // The categories: periods (in time order where they are time) for a
    // series or a line, the statistics' labels otherwise.
    let by_period = by_series || kind == ChartKind::Lines;
    let point = |s: &Statistic| ChartPoint {
        id: s.id.clone(),
        value: s.value,
        display: s.display.clone(),
    };
    let (categories, series) = if by_period {
        if let Some(s) = chosen
            .iter()
            .find(|s| s.period.as_deref().is_none_or(|p| p.trim().is_empty()))
        {
            return Err(fail(
                &[what, "0"],
                format!(
                    "`{}` has no period: a chart over time places each value at its period",
                    s.id
                ),
                "give every statistic of the chart a period (2019, 2019-Q2, 2019-03 or 2019-03-15)",
            ));
        }
        let periods = ordered_periods(&chosen)
            .map_err(|(message, hint)| fail(&[what, "0"], message, &hint))?;
        let names: Vec<String> = if by_series {
            section.series.clone()
        } else {
            vec![String::new()]
        };
        let mut series = Vec::with_capacity(names.len());
        for name in names {
            let mut points: Vec<Option<ChartPoint>> = vec![None; periods.len()];
            for s in chosen
                .iter()
                .filter(|s| !by_series || s.series.as_deref() == Some(name.as_str()))
            {
                let period = s.period.as_deref().unwrap_or("").trim();
                if let Some(i) = periods.iter().position(|p| p == period) {
                    if let Some(first) = &points[i] {
                        return Err(fail(
                            &[what, "0"],
                            format!(
                                "`{}` and `{}` are both {}{period}",
                                first.id,
                                s.id,
                                if name.is_empty() {
                                    String::new()
                                } else {
                                    format!("`{name}` in ")
                                }
                            ),
                            "a series has one value a period",
                        ));
                    }
                    points[i] = Some(point(s));
                }
            }
            series.push(ChartSeries { name, points });
        }
        (periods, series)
    } else {
        (
            chosen.iter().map(|s| s.label.clone()).collect(),
            vec![ChartSeries {
                name: String::new(),
                points: chosen.iter().map(|s| Some(point(s))).collect(),
            }],
        )
    };
    let mut names: Vec<&str> = Vec::new();
    for s in &chosen {
        if !names.contains(&s.source.as_str()) {
            names.push(&s.source);
        }
    }
    if kind == ChartKind::Stacked {
        if let Some(s) = chosen.iter().find(|s| s.value < 0.0) {
            return Err(fail(
                &[what, "0"],
                format!(
                    "`{}` is negative: a stacked chart shows the parts of a whole",
                    s.id
                ),
                "draw values below zero as columns or lines",
            ));
        }
    }
    let ticks = match kind {
        ChartKind::Bars => Vec::new(),
        ChartKind::Columns | ChartKind::Lines | ChartKind::Stacked | ChartKind::Dots => {
            // What the value axis spans: each value, or each category's
            // stack.
            let values: Vec<f64> = if kind == ChartKind::Stacked {
                (0..categories.len())
                    .map(|i| {
                        series
                            .iter()
                            .filter_map(|s| s.points.get(i).and_then(Option::as_ref))
                            .map(|p| p.value)
                            .sum()
                    })
                    .collect()
            } else {
                chosen.iter().map(|s| s.value).collect()
            };
            let (lo, hi) = values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(*v), hi.max(*v))
                });
            // Columns stand on zero; a line may start where its values do.
            let from_zero = !matches!(kind, ChartKind::Lines | ChartKind::Dots);
            let lo = if from_zero { lo.min(0.0) } else { lo };
            nice_ticks(lo, hi, from_zero)
                .into_iter()
                .map(|value| ChartTick {
                    value,
                    label: numbers
                        .format_with_unit(&format!("{value}"), unit.as_deref())
                        .unwrap_or_else(|| format!("{value}")),
                })
                .collect()
        }
    };
    let mut chart = Chart {
        id: section.id.clone().unwrap_or_default(),
        kind,
        title: section.title.clone().unwrap_or_default(),
        unit,
        categories,
        series,
        ticks,
        source_line: labels.source_line(&names),
        note: section.note.clone().filter(|n| !n.trim().is_empty()),
        alt: String::new(),
    };
    chart.alt = briefkit_model::chart::alt_text(&chart, labels);
    Ok(chart)
}

/// The distinct periods of the statistics: in time order when every one
/// is time of one grain, in the order first written when none is; an
/// error (message, hint) when some are and some are not, or the grains
/// differ.
fn ordered_periods(chosen: &[&Statistic]) -> Result<Vec<String>, (String, String)> {
    let mut periods: Vec<String> = Vec::new();
    for s in chosen {
        let p = s.period.as_deref().unwrap_or("").trim().to_string();
        if !periods.contains(&p) {
            periods.push(p);
        }
    }
    let times: Vec<Option<period::Time>> = periods.iter().map(|p| period::time(p)).collect();
    match (
        times.iter().position(Option::is_some),
        times.iter().position(Option::is_none),
    ) {
        (Some(t), Some(l)) => Err((
            format!(
                "the period `{}` cannot be ordered among `{}`",
                periods[l], periods[t]
            ),
            format!(
                "write every period of the chart as {}",
                times[t].map_or(Grain::Year, |t| t.grain).example()
            ),
        )),
        (Some(_), None) => {
            let grains: Vec<Grain> = times.iter().flatten().map(|t| t.grain).collect();
            if let Some(g) = grains.iter().find(|g| **g != grains[0]) {
                return Err((
                    "the chart's periods mix years, quarters, months and days".into(),
                    format!(
                        "write every period as {} (one is {})",
                        grains[0].example(),
                        g.example()
                    ),
                ));
            }
            let mut both: Vec<(period::Time, String)> =
                times.into_iter().flatten().zip(periods).collect();
            both.sort();
            Ok(both.into_iter().map(|(_, p)| p).collect())
        }
        _ => Ok(periods),
    }
}
