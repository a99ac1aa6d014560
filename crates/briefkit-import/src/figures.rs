//! Stage 3: a figure in a sentence to a statistic — its value, what it
//! counts, who published it and the period it covers.

use crate::language::Language;

pub(crate) fn number_value(text: &str, lang: &Language) -> String {
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

pub(crate) fn sentence_bounds(text: &str, at: usize) -> (usize, usize) {
    let start = text[..at].rfind(['.', '!', '?']).map_or(0, |i| i + 1);
    let end = text[at..]
        .find(". ")
        .or_else(|| text[at..].rfind('.'))
        .map_or(text.len(), |i| at + i + 1);
    (start, end)
}

/// The source's acronym, or its first two words without an article.
pub(crate) fn id_name(source: &str) -> String {
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

pub(crate) fn short_name(source: &str) -> String {
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
pub(crate) fn last_clause(text: &str) -> &str {
    let start = [",", ";", " while ", " whereas ", " mientras "]
        .iter()
        .filter_map(|b| text.rfind(b).map(|p| p + b.len()))
        .max()
        .unwrap_or(0);
    &text[start..]
}

/// The source a sentence attributes its figure to, looking only before the figure.
pub(crate) fn attribution(before: &str, lang: &Language) -> Option<String> {
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

pub(crate) fn period_of(
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

pub(crate) fn years(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))
        .map(str::to_string)
        .collect()
}

pub(crate) fn label_after(after: &str, lang: &Language) -> String {
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
