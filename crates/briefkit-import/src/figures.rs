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

/// Words that open a clause or a name but are never part of an
/// organisation's name: articles, connectors, "according to".
const LEADING: &[&str] = &[
    "the",
    "la",
    "el",
    "los",
    "las",
    "que",
    "and",
    "y",
    "but",
    "pero",
    "however",
    "sin",
    "embargo",
    "según",
    "according",
    "to",
    "in",
    "en",
    "durante",
    "during",
    "also",
    "también",
    "while",
    "mientras",
    "whereas",
    "of",
    "de",
    "a",
    "an",
    "un",
    "una",
    "this",
    "este",
    "esta",
    "said",
    "dijo",
];

/// Words that make a run of capitalised words an organisation.
pub(crate) const HEAD_WORDS: &[&str] = &[
    "ministry",
    "ministerio",
    "secretaría",
    "secretariat",
    "office",
    "oficina",
    "institute",
    "instituto",
    "agency",
    "agencia",
    "network",
    "red",
    "fund",
    "fondo",
    "commission",
    "comisión",
    "council",
    "consejo",
    "department",
    "departamento",
    "service",
    "servicio",
    "organization",
    "organisation",
    "organización",
    "programme",
    "program",
    "programa",
    "cross",
    "cruz",
    "bank",
    "banco",
    "authority",
    "autoridad",
    "bureau",
    "centre",
    "center",
    "centro",
    "union",
    "unión",
    "federation",
    "federación",
    "foundation",
    "fundación",
    "association",
    "asociación",
    "committee",
    "comité",
    "government",
    "gobierno",
    "police",
    "policía",
    "registry",
    "registro",
    "university",
    "universidad",
    "observatory",
    "observatorio",
    "alliance",
    "alianza",
    "coalition",
    "coalición",
    "society",
    "sociedad",
    "procuraduría",
    "defensoría",
    "system",
    "sistema",
];

/// Lower-case words that may stand inside a name ("Ministry of Health",
/// "Red de Albergues del Sur").
pub(crate) const JOINERS: &[&str] = &[
    "of", "for", "and", "the", "on", "de", "del", "la", "las", "los", "para", "y", "e", "a",
];

/// A source's name as a reader writes it: no leading "the", "que el",
/// "la", no trailing punctuation, one space between words.
pub(crate) fn clean_source(name: &str) -> String {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    while words
        .first()
        .is_some_and(|w| LEADING.contains(&w.trim_matches(',').to_lowercase().as_str()))
    {
        words.remove(0);
    }
    words
        .join(" ")
        .trim_end_matches([',', ';', ':', '.'])
        .to_string()
}

/// An acronym: "IOM", "UNICEF", "MoSA" (two or more capitals, no spaces).
pub(crate) fn is_acronym(word: &str) -> bool {
    let capitals = word.chars().filter(|c| c.is_uppercase()).count();
    (2..=12).contains(&word.chars().count())
        && capitals >= 2
        && word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().all(|c| c.is_alphanumeric() || c == '&')
}

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// The organisations `text` names as the subject of a verb: a run of
/// capitalised words holding a head word ("Ministry of Social Affairs"),
/// or followed by its acronym ("... (MoSA)"), or an acronym alone
/// ("UNICEF"), and then a lower-case word. Each with where it starts.
pub(crate) fn organisations_acting(text: &str) -> Vec<(usize, String)> {
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (at, first) = words[i];
        if !capitalised(first) || first.ends_with([',', '.', ';', ':']) && !is_acronym(first) {
            i += 1;
            continue;
        }
        // The run: capitalised words and joiners, ending on a capitalised word.
        let mut end = i + 1;
        let mut last_cap = i;
        while end < words.len() {
            let w = words[end].1;
            if capitalised(w) && !w.starts_with('(') {
                last_cap = end;
                if w.ends_with([',', '.', ';', ':']) {
                    break;
                }
            } else if !JOINERS.contains(&w) {
                break;
            }
            end += 1;
        }
        let run = &words[i..=last_cap];
        let mut next = last_cap + 1;
        let mut name_end = run[run.len() - 1].0 + run[run.len() - 1].1.len();
        let mut acronym = None;
        if let Some((a_at, a)) = words.get(next) {
            if let Some(inner) = a.strip_prefix('(').and_then(|a| a.strip_suffix(')')) {
                if is_acronym(inner) {
                    acronym = Some(inner);
                    name_end = a_at + a.len();
                    next += 1;
                }
            }
        }
        let names_organisation = acronym.is_some()
            || run.iter().any(|(_, w)| {
                HEAD_WORDS.contains(&w.trim_end_matches([',', '.']).to_lowercase().as_str())
            })
            || run.len() == 1 && is_acronym(first);
        let verb_follows = words.get(next).is_some_and(|(_, w)| {
            w.chars().next().is_some_and(char::is_lowercase)
                && !run[run.len() - 1].1.ends_with([',', '.', ';', ':'])
        });
        if names_organisation && verb_follows {
            let name = clean_source(&text[at..name_end]);
            if !name.is_empty() {
                found.push((at, name));
            }
        }
        i = next.max(i + 1);
    }
    found
}

/// The source a sentence attributes its figure to, looking only before
/// the figure: "according to X", "X reports that", or an organisation
/// acting in the sentence ("the Ministry of Social Affairs (MoSA)
/// referred"), whichever is nearest the figure.
pub(crate) fn attribution(before: &str, lang: &Language) -> Option<String> {
    let lower = before.to_lowercase();
    let mut best: Option<(usize, String)> = None;
    let mut consider = |at: usize, name: String| {
        if !name.is_empty() && best.as_ref().is_none_or(|(b, _)| at >= *b) {
            best = Some((at, name));
        }
    };
    for a in lang.according {
        if let Some(i) = lower.rfind(a) {
            let rest = &before[i + a.len()..];
            let end = rest.find(',').unwrap_or(rest.len());
            consider(i, clean_source(&rest[..end]));
        }
    }
    for v in lang.verbs {
        if let Some(i) = lower.rfind(v) {
            // The subject of the verb: what follows the last clause break.
            let subject = last_clause(&before[..i]);
            let subject = subject
                .trim()
                .trim_end_matches(" also")
                .trim_end_matches(" también");
            let at = i - subject.len().min(i);
            consider(at, clean_source(subject));
        }
    }
    // An organisation acting in the figure's own clause: not across
    // "while" or a semicolon, where another subject takes over.
    let clause_start = [" while ", " whereas ", " mientras ", ";", " but ", " pero "]
        .iter()
        .filter_map(|b| lower.rfind(b).map(|p| p + b.len()))
        .max()
        .unwrap_or(0);
    for (at, name) in organisations_acting(&before[clause_start..]) {
        consider(clause_start + at, name);
    }
    best.map(|(_, name)| name)
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
    capitalise(&words.join(" "))
}

/// Units of time: a number before one is an age or a duration, not a
/// statistic ("12 weeks", "15 años", "3 días").
const TIME_UNITS: &[&str] = &[
    "year", "years", "yr", "yrs", "day", "days", "hour", "hours", "week", "weeks", "month",
    "months", "minute", "minutes", "a.m.", "p.m.", "am", "pm", "año", "años", "día", "días",
    "hora", "horas", "semana", "semanas", "mes", "meses", "minuto", "minutos", "h",
];

/// Words before a number that make it an age ("aged 18", "children under
/// 5", "menores de 12").
const AGE_WORDS: &[&str] = &[
    "aged",
    "ages",
    "age of",
    "age",
    "children under",
    "girls under",
    "boys under",
    "under the age of",
    "menores de",
    "mayores de",
    "edad de",
];

/// Hyphen, non-breaking hyphen, figure, en and em dash, horizontal bar,
/// minus sign.
const DASHES: [char; 8] = [
    '-', '\u{2010}', '\u{2011}', '\u{2012}', '–', '—', '\u{2015}', '−',
];

/// Whether the number at `start..end` of `paragraph` stays in the prose:
/// an age, a duration, a time of day, a range of those, or words quoted
/// from someone (a quotation is not edited).
pub(crate) fn not_a_statistic(paragraph: &str, start: usize, end: usize) -> bool {
    let before = &paragraph[..start];
    let after = &paragraph[end..];
    // One end of a range written with a dash (any dash: the page's
    // `&ndash;` is one): "held on 3–4 May", "2019-2020", "10 – 15".
    let dash_then_digit = |text: &str| {
        text.trim_start_matches(' ')
            .strip_prefix(DASHES)
            .is_some_and(|rest| {
                rest.trim_start_matches(' ')
                    .starts_with(|c: char| c.is_ascii_digit())
            })
    };
    let digit_then_dash = |text: &str| {
        text.trim_end_matches(' ')
            .strip_suffix(DASHES)
            .is_some_and(|rest| {
                rest.trim_end_matches(' ')
                    .ends_with(|c: char| c.is_ascii_digit())
            })
    };
    if dash_then_digit(after) || digit_then_dash(before) {
        return true;
    }
    // Inside a quotation: more opening than closing marks before it.
    let opened = before.matches('“').count();
    let closed = before.matches('”').count();
    if opened > closed || before.matches('"').count() % 2 == 1 {
        return true;
    }
    // A time of day: "8:30", "15:00".
    if after.starts_with(':') && after[1..].starts_with(|c: char| c.is_ascii_digit())
        || before.ends_with(':')
            && before[..before.len() - 1].ends_with(|c: char| c.is_ascii_digit())
    {
        return true;
    }
    let unit_follows = |rest: &str| {
        let word: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphabetic() || *c == '.')
            .collect::<String>()
            .to_lowercase();
        let word = word.trim_end_matches('.');
        TIME_UNITS.contains(&word) || TIME_UNITS.contains(&format!("{word}.").as_str())
    };
    if unit_follows(after) {
        return true;
    }
    // The first of a range of ages or durations: "18 to 35", "12 y 17 años".
    let lower_after = after.to_lowercase();
    for joiner in [" to ", " and ", " y ", " a ", "–", "-"] {
        if let Some(rest) = lower_after.strip_prefix(joiner) {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 && unit_follows(&rest[digits..]) {
                return true;
            }
        }
    }
    let lower_before = before.to_lowercase();
    let lower_before = lower_before.trim_end();
    let age_before = |text: &str| {
        AGE_WORDS
            .iter()
            .any(|w| text.ends_with(&format!(" {w}")) || text == *w)
    };
    if age_before(lower_before) {
        return true;
    }
    // The second of a range that opened with an age word: "aged 18 to 35".
    for joiner in [" to", " and", " y", " a", "–", "-"] {
        if let Some(rest) = lower_before.strip_suffix(joiner) {
            let digits = rest.chars().rev().take_while(char::is_ascii_digit).count();
            if digits > 0 {
                let rest = rest[..rest.len() - digits].trim_end();
                if age_before(rest) || rest.ends_with(" entre") || rest.ends_with(" between") {
                    return true;
                }
            }
        }
    }
    false
}

/// Auxiliaries that open a label whose subject is the figure before
/// ("900 were referred", "900 fueron canalizadas").
const AUXILIARIES: &[&str] = &[
    "were ",
    "was ",
    "have been ",
    "had been ",
    "fueron ",
    "fue ",
    "han sido ",
];

/// Words that, opening the label of a figure drawn from the one before
/// ("Of these, 60 now run on solar power"), stand where its noun was.
const ELIDED_SUBJECT: &[&str] = &[
    "now ", "still ", "also ", "are ", "is ", "have ", "had ", "son ", "están ", "ya ", "went ",
];

/// Nouns too general to name a figure's id by ("people referred to
/// vocational training" is about the training).
const GENERIC_NOUNS: &[&str] = &["people", "persons", "individuals", "personas", "gente"];

/// Words that end the noun a label opens with.
const NOUN_ENDS: &[&str] = &[
    "se", "are", "is", "were", "was", "have", "has", "had", "son", "fueron", "fue", "no", "not",
    "que", "who", "which", "now", "will", "can", "could", "did", "lost", "went", "run", "got",
];

/// Pronouns standing for what the figure before counted ("62 per cent of
/// them found work").
const PRONOUNS: &[&str] = &["them ", "ellos ", "ellas "];

/// Prepositions after which a past participle reads naturally before them
/// ("people referred to vocational training").
const PARTICIPLE_PREPOSITIONS: &[&str] = &["to", "into", "in", "for", "from", "with", "at", "on"];

/// A label and how it was made.
pub(crate) struct Label {
    /// What the figure counts, as a reader reads it.
    pub(crate) text: String,
    /// The words the counted thing is named by ("people", "returning migrants").
    pub(crate) noun: String,
    /// Words that say best what the figure is about, for its id, when they
    /// are not the label's first words ("vocational training").
    pub(crate) topic: Option<String>,
}

/// What a figure counts, from the words after it, the verb before it
/// (`verb`, the word before the figure, in English only) and the noun of
/// the figure before (`previous`) for "were referred" and "of them".
pub(crate) fn label_for(
    after: &str,
    verb: Option<&str>,
    previous: Option<&str>,
    inherits: bool,
    lang: &Language,
) -> Label {
    let raw = label_after(after, lang);
    let mut text = cut_place_and_time(&raw);
    let lower = text.to_lowercase();
    if let Some(prev) = previous {
        if let Some(aux) = AUXILIARIES.iter().find(|a| lower.starts_with(*a)) {
            text = format!("{prev} {}", &text[aux.len()..]);
        } else if let Some(p) = PRONOUNS.iter().find(|p| lower.starts_with(*p)) {
            text = format!("{prev} {}", &text[p.len()..]);
        } else if inherits && ELIDED_SUBJECT.iter().any(|w| lower.starts_with(w)) {
            text = format!("{prev} {lower}");
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let prep = words
        .iter()
        .position(|w| PARTICIPLE_PREPOSITIONS.contains(w) || JOINERS.contains(w) && *w != "and");
    // The noun the label opens with: up to a preposition or a verb.
    let noun_words: Vec<&str> = words[..prep.unwrap_or(words.len())]
        .iter()
        .take_while(|w| {
            let w = w.to_lowercase();
            !(NOUN_ENDS.contains(&w.as_str()) || lang.code == "en" && w.ends_with("ed"))
        })
        .take(3)
        .copied()
        .collect();
    let noun = noun_words.join(" ").to_lowercase();
    let mut topic = None;
    if let (Some(verb), Some(p), "en") = (verb, prep, lang.code) {
        let participle = verb.ends_with("ed") && verb.chars().all(char::is_lowercase);
        if p > 0
            && p == noun_words.len()
            && participle
            && PARTICIPLE_PREPOSITIONS.contains(&words[p])
        {
            // "referred 830 people to vocational training": what is counted
            // is the people referred.
            let generic = GENERIC_NOUNS.contains(&noun.as_str());
            topic = Some(if generic {
                words[p + 1..].join(" ")
            } else {
                noun.clone()
            });
            text = format!("{} {verb} {}", words[..p].join(" "), words[p..].join(" "));
        }
    }
    Label {
        text: capitalise(&text),
        noun,
        topic,
    }
}

/// A label without the place or time that follows what is counted ("in
/// Phnom Penh", "in 2023", "entre enero y junio"): the period has its own
/// column and the place is in the prose.
fn cut_place_and_time(label: &str) -> String {
    let months: Vec<String> = briefkit_model::locale::month_names()
        .map(str::to_lowercase)
        .collect();
    let words: Vec<&str> = label.split_whitespace().collect();
    for (i, w) in words.iter().enumerate().skip(1) {
        let lw = w.to_lowercase();
        if [
            "in", "en", "during", "durante", "between", "entre", "since", "desde",
        ]
        .contains(&lw.as_str())
        {
            if let Some(next) = words.get(i + 1) {
                let year = next.len() == 4 && next.chars().all(|c| c.is_ascii_digit());
                let place = next.starts_with(char::is_uppercase)
                    && !["between", "entre"].contains(&lw.as_str());
                if year || place || months.contains(&next.to_lowercase()) {
                    let mut kept = &words[..i];
                    while kept.last().is_some_and(|w| JOINERS.contains(w)) {
                        kept = &kept[..kept.len() - 1];
                    }
                    return kept.join(" ");
                }
            }
        }
    }
    label.to_string()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::{EN, ES};

    #[test]
    fn an_organisation_acting_is_the_source_whatever_the_verb() {
        for (before, lang, source) in [
            (
                "In 2024, the Ministry of Social Affairs (MoSA) referred ",
                &EN,
                "Ministry of Social Affairs (MoSA)",
            ),
            (
                "Durante 2024, la Secretaría de Bienestar Social (SBS) brindó apoyo a ",
                &ES,
                "Secretaría de Bienestar Social (SBS)",
            ),
            (
                "La SEP explicó que el Instituto Nacional de Migración (INM) registró ",
                &ES,
                "Instituto Nacional de Migración (INM)",
            ),
            ("The Red Cross handed out ", &EN, "Red Cross"),
            ("UNICEF vaccinated ", &EN, "UNICEF"),
            (
                "According to the Ministry of Health (MOH), some ",
                &EN,
                "Ministry of Health (MOH)",
            ),
            (
                "Según la Comisión Mexicana de Ayuda a Refugiados (COMAR), el ",
                &ES,
                "Comisión Mexicana de Ayuda a Refugiados (COMAR)",
            ),
        ] {
            assert_eq!(
                attribution(before, lang).as_deref(),
                Some(source),
                "{before}"
            );
        }
    }

    #[test]
    fn no_organisation_no_source() {
        for before in [
            "Provincial authorities provided ",
            "In 2005, the Family Office (DIF) assisted many while between January and August, ",
            "More than ",
            "Between January and August of that year, ",
        ] {
            assert_eq!(attribution(before, &EN), None, "{before}");
        }
    }

    #[test]
    fn ranges_written_with_any_dash_stay_in_the_prose() {
        for dash in ["–", "-", " – ", "—", "\u{2010}"] {
            let text = format!("The workshop was held on 3{dash}4 May in Tapachula.");
            let first = text.find('3').unwrap_or_default();
            let second = text.rfind('4').unwrap_or_default();
            assert!(not_a_statistic(&text, first, first + 1), "3 in {text:?}");
            assert!(not_a_statistic(&text, second, second + 1), "4 in {text:?}");
        }
        // A figure with no dash beside it is still a figure.
        let text = "In 2005, 1336 cases were reported.";
        let start = text.find("1336").unwrap_or_default();
        assert!(!not_a_statistic(text, start, start + 4));
    }

    #[test]
    fn ages_durations_times_and_quotations_are_not_statistics() {
        let not = |text: &str, number: &str| {
            let start = text.find(number).unwrap_or(0);
            not_a_statistic(text, start, start + number.len())
        };
        for (text, number) in [
            ("Courses last 12 weeks.", "12"),
            ("trainees aged 18 to 35 attend", "18"),
            ("trainees aged 18 to 35 attend", "35"),
            ("open from 8:30 to 15:00", "8"),
            ("open from 8:30 to 15:00", "30"),
            ("children under 5 can stay", "5"),
            ("niños menores de 12 años", "12"),
            ("de entre 12 y 17 años", "12"),
            ("“Now I fix 20 motorbikes a week,” he said.", "20"),
            ("pasó 3 días en la calle", "3"),
        ] {
            assert!(not(text, number), "`{number}` in `{text}`");
        }
        for (text, number) in [
            ("the ministry referred 830 people", "830"),
            ("under 5,000 people crossed", "5,000"),
            ("brindó apoyo a los 300 niños", "300"),
            ("“It works,” she said, and 40 people agreed.", "40"),
        ] {
            assert!(!not(text, number), "`{number}` in `{text}`");
        }
    }

    #[test]
    fn labels_read_as_what_is_counted() {
        let label = label_for(
            " people to vocational training in Phnom Penh.",
            Some("referred"),
            None,
            false,
            &EN,
        );
        assert_eq!(label.text, "People referred to vocational training");
        assert_eq!(label.topic.as_deref(), Some("vocational training"));
        let label = label_for(
            " fueron canalizadas a escuelas cercanas.",
            None,
            Some("familias"),
            true,
            &ES,
        );
        assert_eq!(label.text, "Familias canalizadas a escuelas cercanas");
        let label = label_for(
            " of them found work.",
            None,
            Some("returning migrants"),
            true,
            &EN,
        );
        assert_eq!(label.text, "Returning migrants found work");
        assert_eq!(
            clean_source("que el Instituto Nacional de Migración"),
            "Instituto Nacional de Migración"
        );
        assert_eq!(clean_source("the Red Cross,"), "Red Cross");
    }
}
