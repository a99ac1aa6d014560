//! Finding figures typed into the prose instead of cited from statistics.
//!
//! A number in running text is a claim; if it does not come from
//! `{{stat}}` it has no source. Years, dates, ordinals, list numbers,
//! phone numbers and numbers inside words (G20, COVID-19) are not figures.

/// Month-name spellings besides those of [`briefkit_model::locale::month_names`].
/// `月` is the month in Chinese and Japanese dates (`11月28日`, `1月至8月`).
const MONTH_VARIANTS: &[&str] = &["setiembre", "sept", "月"];

/// A number found in the prose: its text and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrayNumber {
    /// The number as written (`3,000`, `12.5%`).
    pub text: String,
    /// Its byte offset in the article.
    pub offset: usize,
}

/// Blanks out what is not prose (template expressions, code, link targets,
/// URLs, e-mail addresses, footnote labels, heading ids, list markers),
/// keeping byte offsets.
fn prose_only(text: &str) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    let blank = |from: usize, to: usize, bytes: &mut Vec<u8>| {
        for b in &mut bytes[from..to.min(text.len())] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    let pairs: [(&str, &str); 6] = [
        ("{{", "}}"),
        ("```", "```"),
        ("`", "`"),
        ("](", ")"),
        ("[^", "]"),
        ("{#", "}"),
    ];
    for (open, close) in pairs {
        let mut from = 0;
        while let Some(i) = text[from..].find(open) {
            let start = from + i;
            let Some(j) = text[start + open.len()..].find(close) else {
                break;
            };
            let end = start + open.len() + j + close.len();
            blank(start, end, &mut bytes);
            from = end;
        }
    }
    // URLs and e-mail addresses: whole words containing :// or @.
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_whitespace() || c == '<' || c == '>' {
            if let Some(s) = start.take() {
                let word = &text[s..i];
                if word.contains("://") || word.contains('@') || word.starts_with("www.") {
                    blank(s, i, &mut bytes);
                }
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    // List markers and table separator rows at line starts.
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && matches!(trimmed.as_bytes().get(digits), Some(b'.') | Some(b')')) {
            blank(offset + lead, offset + lead + digits + 1, &mut bytes);
        }
        offset += line.len();
    }
    bytes
}

/// Numbers in the prose that are not years, dates, ordinals, phone numbers,
/// parts of words, or listed in `allow`.
pub fn stray_numbers(text: &str, allow: &[String]) -> Vec<StrayNumber> {
    let prose = prose_only(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < prose.len() {
        if !prose[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // The number: digits with single separators between digits.
        let start = i;
        let mut end = i;
        while end < prose.len()
            && (prose[end].is_ascii_digit()
                || (matches!(prose[end], b',' | b'.')
                    && prose.get(end + 1).is_some_and(u8::is_ascii_digit)))
        {
            end += 1;
        }
        i = end;
        let number = &text[start..end];
        // The surrounding word, for context.
        let word_start = text[..start]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(p, c)| p + c.len_utf8());
        let word_end = text[end..]
            .find(|c: char| c.is_whitespace())
            .map_or(text.len(), |p| end + p);
        let word = text[word_start..word_end].trim_matches(|c: char| {
            matches!(
                c,
                ',' | ';' | ':' | '.' | '(' | ')' | '"' | '“' | '”' | '*' | '_'
            )
        });
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        // A letter next to the number makes it part of a word (G20, COVID-19),
        // but not a Chinese or Japanese character: those are written
        // without spaces around numbers (超过150人).
        let letter = |c: char| c.is_alphabetic() && !briefkit_model::text::is_wide(c);
        let in_word = before.is_some_and(|c| letter(c) || c == '-')
            || after.is_some_and(|c| letter(c) && !word_is_ordinal(&text[end..]) || c == '-');
        // 2005年, 8月, 23日: a year, a month, a day.
        let cjk_date = after.is_some_and(|c| matches!(c, '年' | '月' | '日'));
        let year = number.len() == 4
            && number.bytes().all(|b| b.is_ascii_digit())
            && (1800..=2100).contains(&number.parse::<u32>().unwrap_or(0));
        let ordinal = word_is_ordinal(&text[end..]);
        let date = number.len() <= 2 && near_month(text, start, end) || cjk_date;
        let phone = phone_like(text, start, end);
        let allowed = allow.iter().any(|a| a == number || a == word);
        // A character reference (`&#8211;`) names a character, not a figure.
        let reference = after == Some(';') && text[..start].ends_with("&#");
        if !(in_word || year || ordinal || date || phone || allowed || reference) {
            let shown = if after == Some('%') {
                format!("{number}%")
            } else {
                number.to_string()
            };
            out.push(StrayNumber {
                text: shown,
                offset: start,
            });
        }
    }
    out
}

fn word_is_ordinal(rest: &str) -> bool {
    let lower: String = rest.chars().take(3).collect::<String>().to_lowercase();
    ["st", "nd", "rd", "th", "º", "ª", "er", "e ", "o ", "a "]
        .iter()
        .any(|s| {
            lower.starts_with(s)
                && !lower
                    .chars()
                    .nth(s.chars().count())
                    .is_some_and(char::is_alphabetic)
        })
}

fn near_month(text: &str, start: usize, end: usize) -> bool {
    let window = |from: usize, to: usize| text.get(from..to).unwrap_or("").to_lowercase();
    let before = window(
        text[..start]
            .char_indices()
            .rev()
            .nth(14)
            .map_or(0, |(i, _)| i),
        start,
    );
    let after = window(
        end,
        text[end..]
            .char_indices()
            .nth(16)
            .map_or(text.len(), |(i, _)| end + i),
    );
    briefkit_model::locale::month_names()
        .chain(MONTH_VARIANTS.iter().copied())
        .any(|m| {
            let m = m.to_lowercase();
            let m = m.as_str();
            after
                .trim_start()
                .trim_start_matches("de ")
                .trim_start_matches(". ")
                .starts_with(m)
                || before.trim_end().ends_with(m)
        })
}

fn phone_like(text: &str, start: usize, end: usize) -> bool {
    let is_phone_char =
        |c: char| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')' | '+' | '/');
    // A telephone number is at most some 25 characters: looking further
    // would make a long run of digits and dots quadratic.
    const REACH: usize = 32;
    let from = text[..start]
        .char_indices()
        .rev()
        .take(REACH)
        .take_while(|(_, c)| is_phone_char(*c))
        .last()
        .map_or(start, |(i, _)| i);
    let to = text[end..]
        .char_indices()
        .take(REACH)
        .take_while(|(_, c)| is_phone_char(*c))
        .last()
        .map_or(end, |(i, c)| end + i + c.len_utf8());
    let span = &text[from..to];
    span.chars().filter(char::is_ascii_digit).count() >= 8
        && (span.contains('+') || span.matches(['.', ' ', '-']).count() >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        stray_numbers(text, &[])
            .into_iter()
            .map(|n| n.text)
            .collect()
    }

    #[test]
    fn a_number_after_a_no_break_space_does_not_split_a_character() {
        // Found by the property tests: the word before a number ended on a
        // two-byte space and was cut inside it.
        assert_eq!(found("tienen\u{a0}1,336 casos"), ["1,336"]);
    }

    #[test]
    fn figures_are_found_with_their_position() {
        let n = stray_numbers("Some text.\nIt helped 3,000 people and 12.5% of them.", &[]);
        assert_eq!(
            n.iter().map(|n| n.text.as_str()).collect::<Vec<_>>(),
            ["3,000", "12.5%"]
        );
        assert_eq!(n[0].offset, "Some text.\nIt helped ".len());
    }

    #[test]
    fn years_dates_ordinals_lists_phones_and_words_are_not_figures() {
        let text = "In 2005, on 15 March and March 3, the 2nd meeting of the G20 on COVID-19 met.\n\
                    1. first point\n2) second\nCall +52 55 5536 3922 or 55.36.39.22.40. El 4 de mayo.";
        assert_eq!(found(text), Vec::<String>::new());
    }

    #[test]
    fn template_code_links_and_urls_are_not_prose() {
        let text = "Cited {{stat \"a-1\"}} here, `code 42`, [link](https://x.org/7), https://y.org/88 and a@b9.org.[^n1]";
        assert_eq!(found(text), Vec::<String>::new());
    }

    #[test]
    fn allow_list_exempts_numbers_and_words() {
        let text = "Open 24/7 for 150 people.";
        assert_eq!(found(text), ["24", "7", "150"]);
        let allow = vec!["24/7".to_string(), "150".to_string()];
        assert!(stray_numbers(text, &allow).is_empty());
    }

    #[test]
    fn numbers_inside_chinese_text_are_figures_and_its_dates_are_not() {
        let text = "会议召集了超过150人。2005年1月至8月，共有1,336起案件。";
        assert_eq!(found(text), ["150", "1,336"]);
    }
}
