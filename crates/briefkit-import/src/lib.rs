//! `briefkit import`: a news release saved from the web (plain text or
//! HTML) to a pack: the navigation dropped, hard-wrapped lines rejoined,
//! the headline, body, links and contact found, and every cited figure
//! moved into a statistics file with what it counts, its source and its
//! period, replaced in the article by `{{stat "id"}}`.
//!
//! Heuristic by nature: what it is unsure of it says, as warnings for a
//! human to confirm, and it never drops text it could not place.

mod figures;
mod language;
mod page;
mod write;

pub use page::html_to_text;

use briefkit_model::compose::slug;
use briefkit_model::prose::stray_numbers;
use figures::*;
use language::detect_language;
use page::{clean_debris, is_navigation};
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
    /// Things a human should confirm.
    pub warnings: Vec<String>,
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

/// Imports a release. `input` is the file's text; `html` says how to read it.
pub fn import(input: &str, html: bool) -> ImportedPack {
    let text = if html {
        html_to_text(input)
    } else {
        input.replace("\r\n", "\n")
    };
    let lang = detect_language(&text);
    let mut warnings = Vec::new();
    let lines = page_lines(&text, html);
    let (title, body_start, publisher) = masthead(&lines, &mut warnings);
    let (paragraphs, contact) = body_and_contact(&lines[body_start..], lang);
    // Without a publisher on the page, the contact's organisation speaks for it.
    let publisher = publisher.or_else(|| contact.organization.clone());
    let (article, stats) = figures_in(&paragraphs, lang, publisher.as_deref(), &mut warnings);
    ImportedPack {
        brief_toml: write_settings(&title, lang.code, publisher.as_deref(), &stats, &contact),
        article_md: article.trim_end().to_string() + "\n",
        stats_csv: write_statistics(&stats),
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

/// Where the body starts, the headline above it and the publisher the
/// page names (an "Organization (ACRONYM)", else the site in the title).
fn masthead(lines: &[String], warnings: &mut Vec<String>) -> (String, usize, Option<String>) {
    // The body: the first run of three or more hard-wrapped lines.
    let is_body = |l: &str| (35..=100).contains(&l.chars().count()) && l.contains(' ');
    let body_start = (0..lines.len())
        .find(|&i| {
            let next: Vec<&String> = lines[i..]
                .iter()
                .filter(|l| !l.is_empty())
                .take(3)
                .collect();
            !lines[i].is_empty() && next.len() == 3 && next.iter().all(|l| is_body(l))
        })
        .unwrap_or(0);
    let title_like = |l: &str| {
        let words: Vec<&str> = l.split_whitespace().collect();
        let capitals = words
            .iter()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .count();
        !l.ends_with(['.', ':', ',']) && words.len() >= 3 && capitals * 2 > words.len()
    };
    let body_start = if lines.get(body_start).is_some_and(|l| title_like(l)) {
        body_start + 1
    } else {
        body_start
    };
    // A page title "Headline | Site" gives the site as a publisher hint.
    let site = lines
        .iter()
        .find_map(|l| l.split_once(" | ").map(|(_, s)| s.trim().to_string()));
    let headline_at = (0..body_start).rev().find(|&i| {
        let l = &lines[i];
        !l.is_empty() && l.chars().count() <= 140 && !l.ends_with('.') && !l.contains("http")
    });
    let title = headline_at
        .map(|i| {
            lines[i]
                .split(" | ")
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .unwrap_or_else(|| {
            warnings.push("no headline found: the title is a placeholder".to_string());
            "Untitled release".to_string()
        });
    // The publisher: an "Organization (ACRONYM)" named in the page's own text.
    let publisher = lines[..body_start].iter().find_map(|l| {
        let close = l.find(')')?;
        let open = l[..close].rfind('(')?;
        let acronym = &l[open + 1..close];
        let before = &l[..open];
        let start = before
            .rfind("The ")
            .or_else(|| before.rfind("La "))
            .map_or(0, |i| i + 4);
        (acronym.chars().all(|c| c.is_uppercase()) && acronym.len() >= 2 && before.len() > 8)
            .then(|| format!("{} ({acronym})", before[start..].trim()))
    });

    let publisher = publisher.or(site);
    (title, body_start, publisher)
}

/// The body's paragraphs up to the contact block, and the contact (prose
/// after the contact lines goes back into the article, with its link).
fn body_and_contact(
    lines: &[String],
    lang: &language::Language,
) -> (Vec<String>, briefkit_model::Contact) {
    // Body paragraphs up to the contact block; the contact block after.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut contact_lines: Vec<String> = Vec::new();
    let mut tail: Vec<String> = Vec::new();
    let mut in_contact = false;
    for line in lines {
        let lower = line.to_lowercase();
        if lang.contact.iter().any(|c| lower.starts_with(c)) {
            in_contact = true;
            continue;
        }
        if in_contact {
            contact_lines.push(clean_debris(line));
            continue;
        }
        if line.is_empty() {
            if !current.trim().is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
        let next_starts_upper = true;
        if (line.ends_with('.') || line.ends_with('”') || line.ends_with(':')) && next_starts_upper
        {
            paragraphs.push(std::mem::take(&mut current));
        }
    }
    if !current.trim().is_empty() {
        paragraphs.push(current);
    }
    // Contact: name, organisation, phone, e-mail; later prose (a pointer to
    // a report) goes back into the article, with its link.
    let mut contact = briefkit_model::Contact::default();
    let mut prose_started = false;
    for l in contact_lines.into_iter().filter(|l| !l.is_empty()) {
        let lower = l.to_lowercase();
        if prose_started || l.split_whitespace().count() > 6 {
            prose_started = true;
            tail.push(l);
            continue;
        }
        if let Some(email) = l.split_whitespace().find(|w| w.contains('@')) {
            contact.email = Some(
                email
                    .trim_matches(|c: char| {
                        !c.is_alphanumeric() && c != '@' && c != '.' && c != '-' && c != '_'
                    })
                    .to_string(),
            );
        } else if lower.starts_with("tel")
            || lower.starts_with("phone")
            || lower.starts_with("teléfono")
        {
            contact.phone = Some(
                l.split_once(':')
                    .map_or(l.as_str(), |(_, p)| p)
                    .trim()
                    .trim_end_matches('.')
                    .to_string(),
            );
        } else if lower.starts_with("e-mail")
            || lower.starts_with("email")
            || lower.starts_with("correo")
        {
            if let Some(e) = l
                .split_once(':')
                .map(|(_, e)| e.trim())
                .filter(|e| e.contains('@'))
            {
                contact.email = Some(e.to_string());
            }
        } else if contact.name.is_none() {
            contact.name = Some(l);
        } else if contact.organization.is_none() {
            contact.organization = Some(l);
        }
    }
    if !tail.is_empty() {
        // "http://x.org x.org" (a link's target, then its text) becomes one link.
        let words: Vec<String> = tail
            .join(" ")
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let mut linked: Vec<String> = Vec::new();
        let mut k = 0;
        while k < words.len() {
            let w = &words[k];
            let next = words.get(k + 1);
            if w.starts_with("http")
                && next.is_some_and(|n| w.trim_end_matches('/').ends_with(n.trim_end_matches('.')))
            {
                let text = next.map_or("", |n| n.trim_end_matches('.'));
                linked.push(format!("[{text}]({w})"));
                contact.url.get_or_insert(w.clone());
                k += 2;
            } else {
                linked.push(w.clone());
                k += 1;
            }
        }
        let mut joined = linked.join(" ");
        // A bare web address at the end becomes a link.
        if let Some(w) = joined.split_whitespace().last().map(str::to_string) {
            if w.starts_with("www.") || w.starts_with("http") {
                let url = if w.starts_with("http") {
                    w.clone()
                } else {
                    format!("https://{w}")
                };
                joined = format!(
                    "{} [{w}]({url}).",
                    joined[..joined.len() - w.len()].trim_end()
                );
                contact.url.get_or_insert(url);
            }
        }
        paragraphs.push(joined);
    }

    (paragraphs, contact)
}

/// Every figure the paragraphs cite, moved into a statistic and replaced
/// by `{{stat "id"}}`: the article and the statistics.
fn figures_in(
    paragraphs: &[String],
    lang: &language::Language,
    publisher: Option<&str>,
    warnings: &mut Vec<String>,
) -> (String, Vec<FoundStatistic>) {
    // Statistics: numbers in the prose that are not years, dates, phones...
    let mut stats: Vec<FoundStatistic> = Vec::new();
    let mut article = String::new();
    let mut last_year: Option<String> = None;
    for paragraph in paragraphs {
        let mut out = String::new();
        let mut cursor = 0;
        let numbers = stray_numbers(paragraph, &[]);
        // stray_numbers reports line/column; the paragraph is one line.
        for n in numbers {
            let start = paragraph
                .char_indices()
                .nth(n.column - 1)
                .map_or(0, |(i, _)| i);
            let digits = n.text.trim_end_matches('%');
            let end = start + digits.len();
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
            let label = label_after(after, lang);
            let source = match source {
                Some(s) => s,
                None => {
                    let publisher = publisher
                        .unwrap_or("the publisher of the release")
                        .to_string();
                    warnings.push(format!(
                        "`{}` (“{}”): the release names no source; it is attributed to {publisher}. Confirm it in stats.csv",
                        n.text,
                        label
                    ));
                    publisher
                }
            };
            if label.is_empty() {
                warnings.push(format!(
                    "`{}` is kept in the text: what it counts is unclear",
                    n.text
                ));
                continue;
            }
            let stop = [
                "the", "of", "are", "is", "were", "was", "have", "been", "has", "de", "la", "el",
                "los", "las", "que", "son", "fueron",
            ];
            let key: Vec<String> = label
                .split_whitespace()
                .map(|w| w.to_lowercase())
                .filter(|w| !stop.contains(&w.as_str()) && !w.ends_with("’s") && !w.ends_with("'s"))
                .take(2)
                .collect();
            let mut id = slug(&format!("{} {}", id_name(&source), key.join(" ")));
            let base = id.clone();
            let mut k = 2;
            while stats.iter().any(|s| s.id == id) {
                id = format!("{base}-{k}");
                k += 1;
            }
            out.push_str(&paragraph[cursor..start]);
            out.push_str(&format!("{{{{stat \"{id}\"}}}}"));
            cursor = end + percent.map_or(0, |p| p.len());
            stats.push(FoundStatistic {
                id,
                value,
                unit: if percent.is_some() {
                    "%".into()
                } else {
                    String::new()
                },
                label,
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

    (article, stats)
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
    fn what_import_writes_parses_back() {
        let release = "Shelters Stretched as Arrivals Rise\n\nThe agency reports that 4,200 people arrived at the border shelters between\nJanuary and March of 2025, according to the Ministry of the Interior,\nwhich counted \"returns\", and shelters hold places for some 1,100 people.\n\nFor more information, please contact:\nMaría López, Press Office, mlopez@example.org\n";
        let pack = import(release, false);
        let config = briefkit_model::config::parse_brief_toml(&pack.brief_toml, "brief.toml");
        assert!(config.is_ok(), "{}\n{:?}", pack.brief_toml, config.err());
        let records =
            briefkit_model::statistics::parse_statistics_file(&pack.stats_csv, "stats.csv");
        assert!(
            records.as_ref().is_ok_and(|r| !r.is_empty()),
            "{}\n{:?}",
            pack.stats_csv,
            records.err()
        );
    }
}
