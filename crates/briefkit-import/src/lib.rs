//! `briefkit import`: a news release saved from the web (plain text or
//! HTML) to a pack: the navigation dropped, hard-wrapped lines rejoined,
//! the headline, body, links and contact found, and every cited figure
//! moved into a statistics file with what it counts, its source and its
//! period, replaced in the article by `{{stat "id"}}`.
//!
//! Heuristic by nature: what it is unsure of it says, as warnings for a
//! human to confirm, and it never drops text it could not place.

use briefkit_model::compose::slug;
use briefkit_model::prose::stray_numbers;

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

struct Language {
    code: &'static str,
    contact: &'static [&'static str],
    according: &'static [&'static str],
    verbs: &'static [&'static str],
    percent: &'static [&'static str],
    yearly: &'static [&'static str],
    stop: &'static [&'static str],
    total: &'static [&'static str],
}

const EN: Language = Language {
    code: "en",
    contact: &[
        "for more information, please contact",
        "for more information contact",
        "media contact",
        "for further information",
    ],
    according: &["according to "],
    verbs: &[
        "reports that",
        "confirms that",
        "estimates that",
        "says that",
        "states that",
        "found that",
        "finds that",
        "shows that",
        "indicates that",
    ],
    percent: &[" per cent", " percent", "%"],
    yearly: &["each year", "every year", "a year", "per year", "annually"],
    stop: &[" while ", " whereas ", ",", ";", ".", " but "],
    total: &["of this total", "of these", "of them", "of those"],
};

const ES: Language = Language {
    code: "es",
    contact: &[
        "para más información",
        "para mayor información",
        "contacto de prensa",
    ],
    according: &["según ", "de acuerdo con "],
    verbs: &[
        "informa que",
        "confirma que",
        "estima que",
        "señala que",
        "indica que",
        "reporta que",
        "afirma que",
    ],
    percent: &[" por ciento", "%"],
    yearly: &["cada año", "al año", "por año", "anualmente"],
    stop: &[" mientras ", ",", ";", ".", " pero "],
    total: &["de este total", "de ellos", "de estos", "de ellas"],
};

fn detect_language(text: &str) -> &'static Language {
    let lower = text.to_lowercase();
    let score = |words: &[&str]| {
        words
            .iter()
            .map(|w| lower.matches(w).count())
            .sum::<usize>()
    };
    let es = score(&[
        " el ",
        " los ",
        " las ",
        " de ",
        " que ",
        " según ",
        " por ciento",
    ]);
    let en = score(&[
        " the ",
        " of ",
        " and ",
        " that ",
        " according ",
        " per cent",
    ]);
    if es > en {
        &ES
    } else {
        &EN
    }
}

/// Turns HTML into text lines with a real HTML parser (html5ever, through
/// scraper), reading the page as a browser does: scripts, styles,
/// templates, navigation, headers, footers and forms are left out, block
/// elements end lines (the page's `<title>` too: it often names the site),
/// `<br>` breaks one, entities are decoded, and a link
/// to the web keeps its address before its text (rebuilt into a Markdown
/// link later).
pub fn html_to_text(html: &str) -> String {
    use ego_tree::iter::Edge;
    use scraper::Node;
    const SKIPPED: &[&str] = &[
        "script", "style", "noscript", "template", "nav", "header", "footer", "form", "svg",
        "iframe", "button", "select",
    ];
    const BLOCKS: &[&str] = &[
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "tr",
        "section",
        "article",
        "title",
        "blockquote",
        "ul",
        "ol",
        "table",
        "main",
        "aside",
        "figure",
        "figcaption",
        "dd",
        "dt",
    ];
    let page = scraper::Html::parse_document(html);
    let mut out = String::new();
    // Depth inside skipped elements (they can nest: a form in a footer).
    let mut skipping = 0usize;
    for edge in page.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if skipping > 0 || SKIPPED.contains(&name) || is_banner(e) {
                        skipping += 1;
                        continue;
                    }
                    if BLOCKS.contains(&name) {
                        out.push_str("\n\n");
                    } else if name == "br" {
                        out.push('\n');
                    } else if name == "a" {
                        if let Some(href) = e.attr("href").filter(|h| h.starts_with("http")) {
                            out.push_str(href);
                            out.push(' ');
                        }
                    }
                }
                Node::Text(t) if skipping == 0 => out.push_str(t),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if skipping > 0 {
                        skipping -= 1;
                    } else if BLOCKS.contains(&e.name()) {
                        out.push_str("\n\n");
                    }
                }
            }
        }
    }
    out.replace('\u{a0}', " ")
}

/// A cookie banner or consent dialog, by its id, class or role.
fn is_banner(e: &scraper::node::Element) -> bool {
    let marks = [
        e.id().unwrap_or(""),
        e.attr("class").unwrap_or(""),
        e.attr("role").unwrap_or(""),
    ];
    marks.iter().any(|m| {
        let m = m.to_ascii_lowercase();
        m.contains("cookie")
            || m.contains("consent")
            || m.contains("gdpr")
            || m == "dialog"
            || m == "banner"
    })
}

/// A line like "Our WorkOur Work..." (a heading printed twice) or a short
/// menu entry.
fn is_navigation(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t == "-" || t == "–" {
        return true;
    }
    let chars: Vec<char> = t.chars().collect();
    for k in 3..=chars.len() / 2 {
        if chars[..k] == chars[k..2 * k] {
            return true;
        }
    }
    (t.starts_with("- ") || t.starts_with("– ")) && t.len() < 40
}

/// Rescues e-mail addresses and URLs from attribute debris such as
/// `"mailto:a@b.org" target="_blank" title=` / `"">a@b.org`.
fn clean_debris(line: &str) -> String {
    let mut t = line.to_string();
    // `"">visible text`: keep what follows the tag's end.
    if let Some(i) = t.find("\">") {
        t = t[i + 2..].to_string();
    }
    for junk in [
        "target=\"_blank\"",
        "target=",
        "title=\"\"",
        "title=",
        "\"paragraph-link-underlined\"",
        "href=",
    ] {
        t = t.replace(junk, " ");
    }
    let t = t.replace('"', " ");
    let words: Vec<&str> = t
        .split_whitespace()
        .filter(|w| !w.starts_with("mailto:") && *w != "_blank")
        .collect();
    words.join(" ")
}

fn number_value(text: &str, lang: &Language) -> String {
    // A separator followed by exactly three digits groups thousands; any
    // other separator is the decimal mark.
    let groups: Vec<&str> = text.split([',', '.']).collect();
    if groups.len() > 1
        && groups[1..].iter().all(|g| g.len() == 3)
        && !(lang.code == "en" && text.contains('.') && !text.contains(','))
    {
        groups.concat()
    } else {
        text.replace(',', ".")
    }
}

fn sentence_bounds(text: &str, at: usize) -> (usize, usize) {
    let start = text[..at].rfind(['.', '!', '?']).map_or(0, |i| i + 1);
    let end = text[at..]
        .find(". ")
        .or_else(|| text[at..].rfind('.'))
        .map_or(text.len(), |i| at + i + 1);
    (start, end)
}

/// The source's acronym, or its first two words without an article.
fn id_name(source: &str) -> String {
    let acronym = short_name(source);
    if source.contains(&format!("({acronym})")) {
        return acronym;
    }
    let words: Vec<&str> = source
        .split_whitespace()
        .filter(|w| !["The", "the", "La", "El", "Los", "Las"].contains(w))
        .take(2)
        .collect();
    words.join(" ")
}

fn short_name(source: &str) -> String {
    source
        .trim_end()
        .strip_suffix(')')
        .and_then(|s| s.rsplit_once('('))
        .map(|(_, a)| a.trim().to_string())
        .filter(|a| !a.contains(' '))
        .unwrap_or_else(|| {
            source
                .split_whitespace()
                .last()
                .unwrap_or("source")
                .to_string()
        })
}

/// What follows the last clause break (a comma, a semicolon, "while") in
/// `text`: the clause a figure or a verb stands in.
fn last_clause(text: &str) -> &str {
    let start = [",", ";", " while ", " whereas ", " mientras "]
        .iter()
        .filter_map(|b| text.rfind(b).map(|p| p + b.len()))
        .max()
        .unwrap_or(0);
    &text[start..]
}

/// The source a sentence attributes its figure to, looking only before the figure.
fn attribution(before: &str, lang: &Language) -> Option<String> {
    let lower = before.to_lowercase();
    // The attribution nearest the figure wins ("UNICEF reports that ... while
    // INEGI confirms that 99 per cent").
    let according = lang
        .according
        .iter()
        .filter_map(|a| lower.rfind(a).map(|i| (i, a.len(), true)));
    let verbs = lang
        .verbs
        .iter()
        .filter_map(|v| lower.rfind(v).map(|i| (i, v.len(), false)));
    if let Some((i, len, is_according)) = according.chain(verbs).max_by_key(|(i, _, _)| *i) {
        if is_according {
            let rest = &before[i + len..];
            let end = rest.find(',').unwrap_or(rest.len());
            let name = rest[..end]
                .trim()
                .trim_start_matches("the ")
                .trim_start_matches("la ")
                .trim_start_matches("el ");
            return Some(name.trim().to_string());
        }
        // The subject of the verb: what follows the last clause break.
        let s = last_clause(&before[..i]).trim();
        let s = s
            .trim_end_matches(" also")
            .trim_end_matches(" también")
            .trim();
        let s = s
            .trim_start_matches("However")
            .trim_start_matches("Sin embargo")
            .trim_start_matches(',')
            .trim();
        if !s.is_empty() {
            return Some(s.to_string());
        }
    }
    // "Mexico’s Family Welfare Office (DIF) assisted 270": an organisation
    // with an acronym as the subject.
    if let Some(close) = before.rfind(')') {
        let open = before[..close].rfind('(')?;
        let acronym = &before[open + 1..close];
        let tail = before[close + 1..].trim();
        if acronym.chars().all(|c| c.is_uppercase()) && tail.split_whitespace().count() <= 2 {
            let start = before[..open].rfind(',').map_or(0, |p| p + 1);
            return Some(before[start..=close].trim().to_string());
        }
    }
    None
}

fn period_of(
    sentence_before: &str,
    after: &str,
    lang: &Language,
    last_year: Option<&str>,
) -> String {
    let lower_before = sentence_before.to_lowercase();
    let lower_after = after.to_lowercase();
    let months: Vec<String> = briefkit_model::locale::month_names()
        .map(str::to_lowercase)
        .collect();
    let is_month = |w: &str| {
        months
            .iter()
            .any(|m| m == &w.trim_matches(',').to_lowercase())
    };
    // "between January and August of that year" / "entre enero y agosto"
    for (i, w) in lower_before.split_whitespace().enumerate() {
        if w == "between" || w == "entre" {
            let words: Vec<&str> = sentence_before
                .split_whitespace()
                .skip(i + 1)
                .take(3)
                .collect();
            if words.len() == 3 && is_month(words[0]) && is_month(words[2]) {
                let year = last_year.unwrap_or("");
                return format!("{}–{} {year}", words[0], words[2].trim_matches(','))
                    .trim()
                    .to_string();
            }
        }
    }
    // "each year" counts only in the figure's own clause.
    let clause = last_clause(&lower_before);
    let own_clause_before = lower_before.rfind(',').map_or("", |p| &lower_before[..p]);
    let before_clause = own_clause_before.rsplit([',', ';']).next().unwrap_or("");
    if lang.yearly.iter().any(|y| {
        clause.contains(y)
            || before_clause.trim_end().ends_with(y)
            || lower_after
                .split(['.', ','])
                .next()
                .unwrap_or("")
                .contains(y)
    }) {
        return if lang.code == "es" {
            "por año".into()
        } else {
            "per year".into()
        };
    }
    if let Some(y) = years(sentence_before).last() {
        return y.clone();
    }
    String::new()
}

fn years(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))
        .map(str::to_string)
        .collect()
}

fn label_after(after: &str, lang: &Language) -> String {
    let mut end = after.len();
    for s in lang.stop {
        if let Some(i) = after.find(s) {
            end = end.min(i);
        }
    }
    let label = after[..end].trim();
    let label = label.trim_start_matches("of ").trim_start_matches("de ");
    let mut words: Vec<&str> = label.split_whitespace().collect();
    words.truncate(14);
    // A label cut short does not end on a joining word.
    while words.last().is_some_and(|w| {
        [
            "and", "or", "to", "of", "the", "in", "y", "o", "de", "en", "la", "el",
        ]
        .contains(w)
    }) {
        words.pop();
    }
    let mut label = words.join(" ");
    if let Some(first) = label.chars().next() {
        label = first.to_uppercase().collect::<String>() + &label[first.len_utf8()..];
    }
    label
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

    // Lines, with duplicates and menu debris dropped.
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
    // Body paragraphs up to the contact block; the contact block after.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut contact_lines: Vec<String> = Vec::new();
    let mut tail: Vec<String> = Vec::new();
    let mut in_contact = false;
    for line in &lines[body_start..] {
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

    // Without a publisher on the page, the contact's organisation speaks for it.
    let publisher = publisher.or_else(|| contact.organization.clone());
    // Statistics: numbers in the prose that are not years, dates, phones...
    let mut stats: Vec<FoundStatistic> = Vec::new();
    let mut article = String::new();
    let mut last_year: Option<String> = None;
    for paragraph in &paragraphs {
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
                        .clone()
                        .unwrap_or_else(|| "the publisher of the release".to_string());
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

    let stats_csv = write_statistics(&stats);
    let brief = write_settings(&title, lang.code, publisher.as_deref(), &stats, &contact);
    ImportedPack {
        brief_toml: brief,
        article_md: article.trim_end().to_string() + "\n",
        stats_csv,
        warnings,
    }
}

/// `brief.toml` as the toml writer writes it, so it parses back by
/// construction: the headline, language, publisher, the first three
/// figures as key figures, and the contact.
fn write_settings(
    title: &str,
    language: &str,
    publisher: Option<&str>,
    stats: &[FoundStatistic],
    contact: &briefkit_model::Contact,
) -> String {
    #[derive(serde::Serialize)]
    struct Settings<'a> {
        brief: Brief<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        contact: Option<&'a briefkit_model::Contact>,
    }
    #[derive(serde::Serialize)]
    struct Brief<'a> {
        title: &'a str,
        language: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        organization: Option<&'a str>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        key_figures: Vec<&'a str>,
    }
    let settings = Settings {
        brief: Brief {
            title,
            language,
            organization: publisher,
            key_figures: stats.iter().take(3).map(|s| s.id.as_str()).collect(),
        },
        contact: (!contact.lines().is_empty()).then_some(contact),
    };
    toml::to_string(&settings).unwrap_or_default()
}

/// `stats.csv` as the csv writer writes it (quoted where needed).
fn write_statistics(stats: &[FoundStatistic]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "value",
        "unit",
        "label",
        "period",
        "source",
        "source_url",
        "note",
    ];
    let mut rows = vec![header.map(str::to_string)];
    for s in stats {
        rows.push([
            s.id.clone(),
            s.value.clone(),
            s.unit.clone(),
            s.label.clone(),
            s.period.clone(),
            s.source.clone(),
            String::new(),
            String::new(),
        ]);
    }
    for row in &rows {
        // Writing to a vector cannot fail.
        let _ = w.write_record(row);
    }
    w.into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
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
