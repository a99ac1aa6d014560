//! `briefkit import`: a news release saved from the web (plain text or
//! HTML) to a pack: the navigation dropped, hard-wrapped lines rejoined,
//! the headline, body, links and contact found, and every cited figure
//! moved into a statistics file with what it counts, its source and its
//! period, replaced in the article by `{{stat "id"}}`.
//!
//! Heuristic by nature: what it is unsure of it says, as warnings for a
//! human to confirm, and it never drops text it could not place.

mod contact;
mod figures;
mod language;
mod masthead;
mod page;
mod write;

pub use page::html_to_text;

use briefkit_compose::compose::slug;
use briefkit_compose::prose::stray_numbers;
use briefkit_model::{Diagnostic, SourceText, Span};
use contact::body_and_contact;
use figures::*;
use language::detect_language;
use masthead::{masthead, publisher, Masthead};
use page::is_navigation;
use write::{write_settings, write_statistics};

/// What import produced: the three pack files and its doubts.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedPack {
    /// `brief.toml`.
    pub brief_toml: String,
    /// `article.md`.
    pub article_md: String,
    /// `stats.csv`.
    pub stats_csv: String,
    /// Things a human should confirm: a doubt about a figure placed where
    /// the pack has it (the figure kept in `article.md`, or the record of
    /// `stats.csv` it became), others at the input file.
    pub warnings: Vec<Diagnostic>,
}

/// A statistic found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundStatistic {
    /// Readable id.
    pub id: String,
    /// Plain number (`3000`).
    pub value: String,
    /// `%` for percentages.
    pub unit: String,
    /// What is counted.
    pub label: String,
    /// Period, if the text gives one.
    pub period: String,
    /// Who published it.
    pub source: String,
}

/// What a release is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A web page as saved from the browser (read through html5ever).
    Html,
    /// Plain text: a copied page, one paragraph a line or more.
    Text,
}

impl Format {
    /// HTML when the file's name ends in `.html` or `.htm`, or its text
    /// starts with a tag; text otherwise.
    pub fn guess(file: &str, text: &str) -> Self {
        let lower = file.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") || text.trim_start().starts_with('<')
        {
            Format::Html
        } else {
            Format::Text
        }
    }
}

/// Imports a release. `input` is the file's text, read as `format`; `file`
/// is the name its findings are placed in.
pub fn import(input: &str, format: Format, file: &str) -> ImportedPack {
    let html = format == Format::Html;
    let text = if html {
        html_to_text(input)
    } else {
        input.replace("\r\n", "\n")
    };
    let lang = detect_language(&text);
    let mut warnings = Vec::new();
    let lines = page_lines(&text, html);
    let Masthead {
        title,
        body_start,
        organisation: masthead_org,
        date,
    } = masthead(&lines);
    if title.is_none() {
        warnings.push(
            Diagnostic::warning(
                Some(Span::file(file)),
                "no headline found: the title is a placeholder",
            )
            .with_hint("set `title` in brief.toml"),
        );
    }
    let title = title.unwrap_or_else(|| "Untitled release".to_string());
    let (paragraphs, contact) = body_and_contact(&lines[body_start..], lang);
    let body = paragraphs.join(" ");
    let publisher = publisher(masthead_org, &contact, &body);
    let mut doubts = Vec::new();
    let figures = figures_in(&paragraphs, lang, publisher.as_deref(), &mut doubts);
    let article_md = figures.article.trim_end().to_string() + "\n";
    let stats_csv = write_statistics(&figures.stats);
    // Each doubt where the pack it writes has the figure.
    let article = SourceText::new("article.md", article_md.as_str().into());
    let statistics = SourceText::new("stats.csv", stats_csv.as_str().into());
    let records: Vec<usize> = csv::Reader::from_reader(stats_csv.as_bytes())
        .records()
        .map(|r| {
            r.ok()
                .and_then(|r| r.position().map(briefkit_compose::statistics::record_start))
                .unwrap_or(0)
        })
        .collect();
    for d in doubts {
        let span = match d.at {
            DoubtAt::Article(at) => article.at(at),
            DoubtAt::Statistic(i) => records
                .get(i)
                .map_or_else(|| statistics.whole(), |&at| statistics.at(at)),
        };
        warnings.push(Diagnostic::warning(Some(span), d.message).with_hint(d.hint));
    }
    if publisher.is_none() {
        warnings.push(
            Diagnostic::warning(
                Some(Span::file(file)),
                "the release does not say who published it",
            )
            .with_hint("set `organization` in brief.toml and the sources in stats.csv"),
        );
    }
    ImportedPack {
        brief_toml: write_settings(
            &title,
            date.as_deref(),
            lang.code,
            publisher.as_deref(),
            &figures.stats,
            &contact,
            &figures.kept,
        ),
        article_md,
        stats_csv,
        warnings,
    }
}

/// The page's lines, with duplicates and menu debris dropped (in HTML a
/// blank line marks a block boundary).
fn page_lines(text: &str, html: bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.lines() {
        let line = raw.trim();
        // In HTML a blank line is a block boundary: keep one as a paragraph mark.
        if html && line.is_empty() {
            if lines.last().is_some_and(|l| !l.is_empty()) {
                lines.push(String::new());
            }
            continue;
        }
        if is_navigation(line) || lines.last().is_some_and(|l| l == line) {
            continue;
        }
        lines.push(line.to_string());
    }
    lines
}

/// What [`figures_in`] makes of the paragraphs.
struct Figures {
    /// The article, each figure replaced by `{{stat "id"}}`.
    article: String,
    /// The statistics, in the order the article cites them.
    stats: Vec<FoundStatistic>,
    /// Numbers kept in the prose (ages, durations, times, quotations), for
    /// `[check] allow`.
    kept: Vec<String>,
}

/// A doubt about one figure, and where the written pack has it.
struct Doubt {
    at: DoubtAt,
    message: String,
    hint: String,
}

/// Where a figure is in the pack import writes.
enum DoubtAt {
    /// Kept in the article's text: at this byte of `article.md`.
    Article(usize),
    /// Made a statistic: this record of `stats.csv` (the first after the
    /// header is 0).
    Statistic(usize),
}

/// Every figure the paragraphs cite, moved into a statistic and replaced
/// by `{{stat "id"}}`: the article and the statistics.
fn figures_in(
    paragraphs: &[String],
    lang: &language::Language,
    publisher: Option<&str>,
    doubts: &mut Vec<Doubt>,
) -> Figures {
    // Statistics: numbers in the prose that are not years, dates, phones...
    let mut stats: Vec<FoundStatistic> = Vec::new();
    let mut nouns: Vec<String> = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    let mut article = String::new();
    let mut last_year: Option<String> = None;
    for paragraph in paragraphs {
        let mut out = String::new();
        let mut cursor = 0;
        let numbers = stray_numbers(paragraph, &[]);
        for n in numbers {
            let start = n.offset;
            let digits = n.text.trim_end_matches('%');
            let end = start + digits.len();
            if not_a_statistic(paragraph, start, end) {
                if !kept.contains(&n.text) {
                    kept.push(n.text.clone());
                }
                continue;
            }
            let (s_start, s_end) = sentence_bounds(paragraph, start);
            let before = &paragraph[s_start..start];
            let after_full = &paragraph[end..s_end.max(end)];
            let lower_after = after_full.to_lowercase();
            let percent = lang.percent.iter().find(|p| lower_after.starts_with(*p));
            let after = percent.map_or(after_full, |p| &after_full[p.len()..]);
            if let Some(y) = years(&paragraph[..start]).last() {
                last_year = Some(y.clone());
            }
            let lower_before = before.to_lowercase();
            let inherits = lang.total.iter().any(|t| lower_before.contains(t));
            let mut source = attribution(before, lang);
            let mut period = period_of(before, after, lang, last_year.as_deref());
            if period.is_empty() {
                // "... crossed the border between January and June of 2024" /
                // "... lost access in 2023": the period after the figure.
                period = period_of(after, "", lang, last_year.as_deref());
                if !period.contains(|c: char| c.is_ascii_digit()) && period.contains('–') {
                    if let Some(y) = years(after).first() {
                        period = format!("{period} {y}");
                    }
                }
            }
            if inherits {
                if let Some(prev) = stats.last() {
                    source = source.or_else(|| Some(prev.source.clone()));
                    if period.is_empty() {
                        period = prev.period.clone();
                    }
                }
            }
            let value = number_value(digits, lang);
            let verb = before.split_whitespace().last();
            let label = label_for(
                after,
                verb,
                nouns.last().map(String::as_str),
                inherits,
                lang,
            );
            if label.text.is_empty() {
                doubts.push(Doubt {
                    at: DoubtAt::Article(article.len() + out.len() + (start - cursor)),
                    message: format!(
                        "`{}` is kept in the text: what it counts is unclear",
                        n.text
                    ),
                    hint:
                        "if it is a statistic, add it to stats.csv and cite it with {{stat \"id\"}}"
                            .into(),
                });
                if !kept.contains(&n.text) {
                    kept.push(n.text.clone());
                }
                continue;
            }
            let source = match source {
                Some(s) => s,
                None => {
                    let hint = match publisher {
                        Some(p) => format!("write its source in stats.csv (the release was published by {p}; if the figure is theirs, write that)"),
                        None => "write its source in stats.csv".into(),
                    };
                    doubts.push(Doubt {
                        at: DoubtAt::Statistic(stats.len()),
                        message: format!(
                            "`{}` (“{}”): the release names no source; stats.csv marks it `{UNSOURCED}` and every check and build says so until it is filled in",
                            n.text, label.text
                        ),
                        hint,
                    });
                    UNSOURCED.to_string()
                }
            };
            // An unsourced figure is named after the publisher, if known.
            let id_source = if source == UNSOURCED {
                publisher.unwrap_or("release")
            } else {
                source.as_str()
            };
            let id = figure_id(id_source, &label, &stats);
            out.push_str(&paragraph[cursor..start]);
            out.push_str(&format!("{{{{stat \"{id}\"}}}}"));
            cursor = end + percent.map_or(0, |p| p.len());
            nouns.push(label.noun.clone());
            stats.push(FoundStatistic {
                id,
                value,
                unit: if percent.is_some() {
                    "%".into()
                } else {
                    String::new()
                },
                label: label.text,
                period,
                source,
            });
        }
        out.push_str(&paragraph[cursor..]);
        if let Some(y) = years(paragraph).last() {
            last_year = Some(y.clone());
        }
        article.push_str(&out);
        article.push_str("\n\n");
    }
    Figures {
        article,
        stats,
        kept,
    }
}

/// The source of a figure whose release names none: a placeholder that
/// `check` and `build` report (see `statistics::is_placeholder_source`).
const UNSOURCED: &str = "TODO: the release names no source";

/// A short readable id: the source's acronym (or first words) and two
/// words of what is counted — the topic when the label has one
/// (`mosa-vocational-training`) — made unique with `-2`, `-3`.
fn figure_id(source: &str, label: &figures::Label, stats: &[FoundStatistic]) -> String {
    const STOP: &[&str] = &[
        "the", "of", "are", "is", "were", "was", "have", "been", "has", "de", "la", "el", "los",
        "las", "que", "son", "fueron", "no", "not", "a", "an", "to", "in", "en", "y", "and",
        "those", "these", "it", "them", "cada", "each", "every", "per", "now",
    ];
    let words = label.topic.as_deref().unwrap_or(&label.text);
    let key: Vec<String> = words
        .split_whitespace()
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()) && !w.ends_with("’s") && !w.ends_with("'s"))
        .take(2)
        .collect();
    let base = slug(&format!("{} {}", id_name(source), key.join(" ")));
    let mut id = base.clone();
    let mut k = 2;
    while stats.iter().any(|s| s.id == id) {
        id = format!("{base}-{k}");
        k += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_read_as_a_browser_reads_it() {
        let html = r#"<!DOCTYPE html><html><head><title>Water | Agency</title><style>p { color: red }</style></head>
<body><header><a href="/">Home</a></header><nav><ul><li>Our Work</li></ul></nav>
<div id="cookie-banner"><p>We use cookies</p><button>Accept</button></div>
<main><h1>Clean Water&nbsp;Reaches Villages</h1>
<p>Some 12,000 people &amp; their <b>families</b> got water,<br>says the <a href="https://example.org/report">report</a>.</p>
<script>var x = "<p>not text</p>";</script><p>Caf&eacute; &#8211; done</p></main>
<footer>© 2025 Agency</footer></body></html>"#;
        let text = html_to_text(html);
        for gone in [
            "color: red",
            "Home",
            "Our Work",
            "cookies",
            "Accept",
            "not text",
            "©",
        ] {
            assert!(!text.contains(gone), "`{gone}` should be gone:\n{text}");
        }
        for kept in [
            // The page title names the site: a hint for the publisher.
            "Water | Agency",
            "Clean Water Reaches Villages",
            "Some 12,000 people & their families got water,\nsays the https://example.org/report report.",
            "Café – done",
        ] {
            assert!(text.contains(kept), "`{kept}` missing:\n{text}");
        }
    }

    #[test]
    fn a_release_is_read_as_html_by_its_name_or_its_first_tag() {
        assert_eq!(Format::guess("release.HTML", "Text"), Format::Html);
        assert_eq!(Format::guess("page.htm", ""), Format::Html);
        assert_eq!(
            Format::guess("saved", "  <!doctype html><p>x"),
            Format::Html
        );
        assert_eq!(
            Format::guess("release.txt", "IOM news: 3,000 <people>"),
            Format::Text
        );
        assert_eq!(Format::guess("notes.html.txt", "plain"), Format::Text);
    }

    #[test]
    fn a_doubt_is_placed_where_the_written_pack_has_its_figure() {
        // One release keeps a figure in the text, the other makes one a
        // statistic without a source.
        let releases = [
            (
                include_str!("../../../tests/fixtures/import/apoyo-es.html"),
                Format::Html,
                "article.md",
            ),
            (
                include_str!("../../../tests/fixtures/import/shelters-en.txt"),
                Format::Text,
                "stats.csv",
            ),
        ];
        for (release, format, file) in releases {
            let pack = import(release, format, "release");
            let placed = check_placed(&pack);
            assert!(placed.contains(&file), "{placed:?} {:#?}", pack.warnings);
        }
    }

    /// Checks each doubt's place against the pack's text; the files they
    /// are placed in.
    fn check_placed(pack: &ImportedPack) -> Vec<&str> {
        let mut placed = Vec::new();
        for w in &pack.warnings {
            let Some(span) = &w.span else { continue };
            let Some(range) = span.range() else { continue };
            placed.push(span.path());
            match span.path() {
                "article.md" => {
                    let figure = w.message.split('`').nth(1).unwrap_or("?");
                    assert!(
                        pack.article_md[range.start..].starts_with(figure),
                        "{}: {:?}",
                        w.message,
                        &pack.article_md[range.start..]
                    );
                }
                "stats.csv" => {
                    let record = pack.stats_csv[range.start..].lines().next().unwrap_or("");
                    assert!(
                        range.start > 0 && pack.stats_csv[..range.start].ends_with('\n'),
                        "{record}"
                    );
                    assert!(record.contains(UNSOURCED), "{}: {record}", w.message);
                    let figure = w.message.split('`').nth(1).unwrap_or("?").replace(',', "");
                    assert_eq!(record.split(',').nth(1), Some(figure.as_str()), "{record}");
                }
                other => panic!("a doubt placed in {other}: {}", w.message),
            }
        }
        placed
    }

    #[test]
    fn what_import_writes_parses_back() {
        let release = "Shelters Stretched as Arrivals Rise\n\nThe agency reports that 4,200 people arrived at the border shelters between\nJanuary and March of 2025, according to the Ministry of the Interior,\nwhich counted \"returns\", and shelters hold places for some 1,100 people.\n\nFor more information, please contact:\nMaría López, Press Office, mlopez@example.org\n";
        let pack = import(release, Format::Text, "release.txt");
        let source = |file: &str, text: &str| briefkit_model::SourceText::new(file, text.into());
        let config =
            briefkit_compose::config::parse_brief_toml(&source("brief.toml", &pack.brief_toml));
        assert!(config.is_ok(), "{}\n{:?}", pack.brief_toml, config.err());
        let records = briefkit_compose::statistics::parse_statistics_file(
            &source("stats.csv", &pack.stats_csv),
            None,
        );
        assert!(
            records.as_ref().is_ok_and(|r| !r.is_empty()),
            "{}\n{:?}",
            pack.stats_csv,
            records.err()
        );
    }
}
