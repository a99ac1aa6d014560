//! Stage 3: the article. Its text is a handlebars template (the `{{stat}}`
//! helpers), rendered expression by expression, then Markdown converted to
//! blocks with every cited figure linked to its source.

use super::settings::Settings;
use crate::config;
use crate::markdown::{self, Converted};
use crate::numbers;
use briefkit_model::diagnostic::{Diagnostic, Piece, SourceText, Span};
use briefkit_model::document::*;
use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use rustc_hash::FxHashMap;
use serde_json::json;

/// Renders the article's template and converts the result to blocks.
/// `None` (with the error in the sink) when the template fails.
pub(super) fn convert(
    source: &Settings,
    metadata: &Metadata,
    stats: &[Statistic],
    charts: &[Chart],
    placed: &mut Vec<String>,
    sink: &mut Vec<Diagnostic>,
) -> Option<Converted> {
    // The figures the helper writes carry a seal the author cannot know (a
    // fresh random one every time): a `<bk-stat>` typed into the article is
    // then raw HTML, not a cited statistic. It never reaches an output.
    let seal = {
        use std::hash::BuildHasher;
        format!(
            "{:016x}",
            std::collections::hash_map::RandomState::new().hash_one(stats.len())
        )
    };
    let rendered = render_article(source, &seal, metadata, stats, charts)
        .map_err(|d| sink.push(d))
        .ok()?;
    let style = source.config.output.citations;
    let citation = |s: &Statistic| match style {
        config::CitationStyle::Numbered => Some(format!("[{}]", s.source_number)),
        config::CitationStyle::Names => Some(format!("({})", short_source_name(&s.source))),
        config::CitationStyle::None => None,
    };
    let by_id: FxHashMap<&str, &Statistic> = stats.iter().map(|s| (s.id.as_str(), s)).collect();
    let lookup = |id: &str| by_id.get(id).map(|s| (s.source_number, citation(s)));
    // `{{chart "id"}}` wrote a sealed `<bk-chart ref="id">`: the chart
    // goes there. Any other directive is the brief template's.
    let mut directives =
        |d: &markdown::Directive<'_>| -> Result<Vec<(Block, Option<Span>)>, String> {
            let chart = (d.name == "chart" && d.attribute("seal") == Some(seal.as_str()))
                .then(|| d.attribute("ref"))
                .flatten()
                .and_then(|id| charts.iter().find(|c| c.id == id));
            match chart {
                Some(chart) => {
                    placed.push(chart.id.clone());
                    Ok(vec![(Block::Chart(chart.clone()), None)])
                }
                None => Err(format!(
                    "`<bk-{}>` is reserved for the brief template",
                    d.name
                )),
            }
        };
    let mut converted = markdown::convert(&rendered, &seal, &lookup, &mut directives);
    sink.append(&mut converted.diagnostics);
    Some(converted)
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
        let what = if h.name() == "chart" {
            "a chart"
        } else {
            "a statistic"
        };
        RenderErrorReason::Other(format!("`{}` takes {what} id in quotes", h.name()))
    })
}

/// The article's template rendered: a text whose places resolve to where
/// the article's text or expressions are written.
fn render_article(
    source: &Settings,
    seal: &str,
    meta: &Metadata,
    stats: &[Statistic],
    charts: &[Chart],
) -> Result<SourceText, Diagnostic> {
    let (article, row) = (&source.article, source.row.as_ref());
    let text = article.text();
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
    let language = meta.formatting_tag.clone();
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
                                numbers::NumberFormat::new(&language).format_compact(text, unit).unwrap_or(value)
                            }
                            Some(other) => {
                                return Err(RenderErrorReason::Other(format!(
                                    "unknown format `{other}` (use format=\"full\" or format=\"compact\")"
                                ))
                                .into())
                            }
                        };
                        out.write(&format!("<bk-stat ref=\"{id}\" seal=\"{seal}\">{value}</bk-stat>"))?;
                    } else {
                        out.write(&value)?;
                    }
                    Ok(())
                },
            ),
        );
    }
    // `{{chart "id"}}`: the chart on its own, as a block of the article.
    let ids: Vec<String> = charts
        .iter()
        .map(|c| c.id.clone())
        .filter(|id| !id.is_empty())
        .collect();
    let chart_seal = seal.to_string();
    reg.register_helper(
        "chart",
        Box::new(
            move |h: &Helper<'_>,
                  _: &Handlebars<'_>,
                  _: &Context,
                  _: &mut RenderContext<'_, '_>,
                  out: &mut dyn Output|
                  -> HelperResult {
                let id = stat_param(h)?;
                if !ids.iter().any(|c| c == id) {
                    let known = if ids.is_empty() {
                        "the pack has no [[chart]] with an id".to_string()
                    } else {
                        format!("the charts are: {}", ids.join(", "))
                    };
                    return Err(RenderErrorReason::Other(format!(
                        "unknown chart `{id}` ({known})"
                    ))
                    .into());
                }
                out.write(&format!(
                    "\n\n<bk-chart ref=\"{id}\" seal=\"{chart_seal}\"/>\n\n"
                ))?;
                Ok(())
            },
        ),
    );
    let context = match row {
        Some(row) => json!({ "brief": meta, "stats": table, "row": row.values() }),
        None => json!({ "brief": meta, "stats": table }),
    };
    let ctx = Context::wraps(&context)
        .map_err(|e| Diagnostic::error(Some(article.whole()), e.to_string()))?;
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
        // Block helpers may repeat or drop lines: places are found line for
        // line.
        let out = render_chunk(&reg, article, &ctx)?;
        return Ok(article.derived(out.into()));
    }
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut pieces = Vec::new();
    let mut rest = 0;
    while let Some(found) = text[rest..].find("{{") {
        let start = rest + found;
        let end = match text[start..].find("}}") {
            Some(j) => start + j + 2,
            // Unclosed: handlebars reports it, at the right place.
            None => text.len(),
        };
        pieces.push(Piece {
            at: out.len(),
            from: rest,
            copied: true,
        });
        out.push_str(&text[rest..start]);
        pieces.push(Piece {
            at: out.len(),
            from: start,
            copied: false,
        });
        out.push_str(&render_chunk(&reg, &article.window(start..end), &ctx)?);
        rest = end;
    }
    pieces.push(Piece {
        at: out.len(),
        from: rest,
        copied: true,
    });
    out.push_str(&text[rest..]);
    Ok(article.assembled(out.into(), pieces))
}

/// Renders one piece of the article (a window of it).
fn render_chunk(
    reg: &Handlebars<'_>,
    chunk: &SourceText,
    ctx: &Context,
) -> Result<String, Diagnostic> {
    let place = |pos: Option<(usize, usize)>| match pos {
        Some((l, c)) => chunk.at_line_col(l, c),
        None => chunk.whole(),
    };
    let text = chunk.text();
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
        .map_err(|e| Diagnostic::error(Some(chunk.whole()), e.to_string()))
}
