//! The body's paragraphs and the contact block after them: name,
//! organisation, phone, e-mail, and the prose that follows it.

use crate::language;
use crate::page::clean_debris;

/// The body's paragraphs up to the contact block, and the contact (prose
/// after the contact lines goes back into the article, with its link).
pub(crate) fn body_and_contact(
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
            let phone = l
                .split_once(':')
                .map_or(l.as_str(), |(_, p)| p)
                .trim()
                .trim_end_matches('.');
            // A scrape can lose the opening parenthesis: "52.55) 55.36.39.22".
            contact.phone = Some(if phone.contains(')') && !phone.contains('(') {
                format!("({phone}")
            } else {
                phone.to_string()
            });
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
