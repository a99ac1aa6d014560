//! The top of the page and who speaks for it: the headline, the dateline's
//! date, the organisation the page names, and the publisher a figure with
//! no source falls back to.

use crate::figures;

/// Where the body starts, the headline above it and the publisher the
/// page names (an "Organization (ACRONYM)", else the site in the title).
pub(crate) fn masthead(lines: &[String]) -> Masthead {
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
    // A dateline ("Phnom Penh, 12 March 2025") dates the release; it is
    // not the headline.
    let date = lines[..body_start].iter().find_map(|l| dateline(l));
    let headline_at = (0..body_start).rev().find(|&i| {
        let l = &lines[i];
        !l.is_empty()
            && l.chars().count() <= 140
            && !l.ends_with('.')
            && !l.contains("http")
            && dateline(l).is_none()
    });
    let title = headline_at.map(|i| {
        lines[i]
            .split(" | ")
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
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

    Masthead {
        title,
        body_start,
        organisation: publisher.or(site),
        date,
    }
}

/// What the top of the page says.
pub(crate) struct Masthead {
    /// The headline, if one was found.
    pub(crate) title: Option<String>,
    /// The line the body starts at.
    pub(crate) body_start: usize,
    /// The organisation the page names ("Organization (ACRONYM)", the site).
    pub(crate) organisation: Option<String>,
    /// The dateline's date, `YYYY-MM-DD`.
    pub(crate) date: Option<String>,
}

/// The date of a dateline — a short line with a day, a month's name and a
/// year: "Phnom Penh, 12 March 2025", "Tijuana, 3 de febrero de 2025",
/// "March 12, 2025".
fn dateline(line: &str) -> Option<String> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() > 9 {
        return None;
    }
    let month = words
        .iter()
        .find_map(|w| briefkit_model::locale::month_number(w))?;
    let number = |len: std::ops::RangeInclusive<usize>| {
        words.iter().find_map(|w| {
            (len.contains(&w.len()) && w.chars().all(|c| c.is_ascii_digit()))
                .then(|| w.parse::<u32>().ok())
                .flatten()
        })
    };
    let year = number(4..=4)?;
    let day = number(1..=2).filter(|d| (1..=31).contains(d))?;
    let date = format!("{year:04}-{month:02}-{day:02}");
    briefkit_model::Date::parse_iso(&date).map(|_| date)
}

/// Who published the release: the organisation the page names in its
/// masthead or title, else the one its contact's e-mail domain stands for,
/// else the contact's organisation when it is one (not an office line such
/// as "Office in Phnom Penh") — in the full form the body gives it
/// ("Example Agency (EXA)").
pub(crate) fn publisher(
    masthead: Option<String>,
    contact: &briefkit_model::Contact,
    body: &str,
) -> Option<String> {
    let from_domain = || {
        let email = contact.email.as_deref()?;
        let domain = email.rsplit_once('@')?.1;
        let labels: Vec<&str> = domain.split('.').collect();
        let name = labels.get(labels.len().checked_sub(2)?)?;
        if [
            "example", "gmail", "outlook", "yahoo", "hotmail", "proton", "icloud",
        ]
        .contains(name)
        {
            return None;
        }
        named_with_acronym(body, name).or_else(|| (name.len() <= 6).then(|| name.to_uppercase()))
    };
    let from_contact = || {
        let org = contact.organization.as_deref()?;
        let lower = org.to_lowercase();
        let office = [
            "office",
            "oficina",
            "coordinación",
            "press",
            "prensa",
            "media",
            "communications",
            "comunicación",
        ]
        .iter()
        .any(|w| lower.starts_with(w))
            || lower.contains(" in ")
            || lower.contains(" en ");
        let organisation = org.split_whitespace().any(|w| {
            figures::is_acronym(w) || figures::HEAD_WORDS.contains(&w.to_lowercase().as_str())
        });
        (!office && organisation).then(|| org.to_string())
    };
    let name = masthead.or_else(from_domain).or_else(from_contact)?;
    if name.ends_with(')') {
        return Some(name);
    }
    // The full form the body gives: "Example Agency (EXA)".
    let full = format!("{name} (");
    Some(
        body.find(&full)
            .and_then(|at| {
                let close = body[at..].find(')')?;
                let acronym = &body[at + full.len()..at + close];
                figures::is_acronym(acronym).then(|| body[at..=at + close].to_string())
            })
            .unwrap_or(name),
    )
}

/// The organisation `text` names with `acronym` (any case): "Khmer Aid
/// Network (KAN)" for `kan`.
fn named_with_acronym(text: &str, acronym: &str) -> Option<String> {
    let mut search = 0;
    while let Some(open) = text[search..].find('(').map(|i| search + i) {
        let close = text[open..].find(')').map(|i| open + i)?;
        let inner = &text[open + 1..close];
        if inner.eq_ignore_ascii_case(acronym) && figures::is_acronym(inner) {
            let words: Vec<&str> = text[..open].split_whitespace().collect();
            let mut first = words.len();
            while first > 0 {
                let w = words[first - 1];
                let cap = w.chars().next().is_some_and(char::is_uppercase);
                if w.ends_with([',', '.', ';', ':']) || !cap && !figures::JOINERS.contains(&w) {
                    break;
                }
                first -= 1;
            }
            let name = figures::clean_source(&words[first..].join(" "));
            if !name.is_empty() {
                return Some(format!("{name} ({inner})"));
            }
        }
        search = close;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{import, Format};

    #[test]
    fn a_dateline_dates_the_release_and_is_not_its_headline() {
        assert_eq!(
            dateline("Phnom Penh, 12 March 2025").as_deref(),
            Some("2025-03-12")
        );
        assert_eq!(
            dateline("Tijuana, 3 de febrero de 2025").as_deref(),
            Some("2025-02-03")
        );
        assert_eq!(dateline("March 12, 2025").as_deref(), Some("2025-03-12"));
        assert_eq!(dateline("Border Shelters Stretched as Arrivals Rise"), None);
        assert_eq!(dateline("Tijuana, 31 de febrero de 2025"), None);
        let release = "News\nVocational Training Opens Doors\nPhnom Penh, 12 March 2025\nA programme that teaches trades to people who come home from work\nabroad has placed most of its first graduates in paid jobs, partners\nsaid at a ceremony in the capital on 10 March this year, officials said.\n";
        let pack = import(release, Format::Text, "release.txt");
        assert!(
            pack.brief_toml
                .contains("title = \"Vocational Training Opens Doors\"\ndate = \"2025-03-12\""),
            "{}",
            pack.brief_toml
        );
    }

    #[test]
    fn the_publisher_is_the_organisation_not_an_office_line() {
        let contact = |org: &str, email: &str| briefkit_model::Contact {
            organization: Some(org.to_string()),
            email: Some(email.to_string()),
            ..Default::default()
        };
        let body = "The Khmer Aid Network (KAN) trained many people.";
        assert_eq!(
            publisher(
                None,
                &contact("Office in Phnom Penh", "a@kan.example"),
                body
            )
            .as_deref(),
            Some("Khmer Aid Network (KAN)")
        );
        assert_eq!(
            publisher(
                None,
                &contact("Office in Phnom Penh", "a@example.org"),
                body
            ),
            None
        );
        assert_eq!(
            publisher(
                None,
                &contact("Shelter Network", "a@example.org"),
                "The Shelter Network (RAS) counted"
            )
            .as_deref(),
            Some("Shelter Network (RAS)")
        );
        assert_eq!(
            publisher(
                Some("Example Agency".into()),
                &contact("Press", "a@x.org"),
                "the Example Agency (EXA) said"
            )
            .as_deref(),
            Some("Example Agency (EXA)")
        );
    }
}
