//! Characters no output can carry: the control characters of C0 (but tab,
//! line feed and carriage return), DEL and C1, and the noncharacters
//! U+FFFE and U+FFFF. XML 1.0 forbids most of them outright — one NUL
//! makes an EPUB page or a DOCX part unreadable — and the rest are
//! "discouraged" and mean nothing in a brief.
//!
//! Composition removes them from every file it reads, with a warning at
//! each one's line and column; the backends' XML escaping removes any that
//! arrive by an escape (`\u0001` in TOML or JSON, `&#1;` in Markdown), and
//! composition warns about those too, naming the field.

use crate::diagnostic::{Diagnostic, Kind, SourceText, Span};

/// Whether every output can carry `c`.
pub fn is_carried(c: char) -> bool {
    !matches!(c,
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}'
        | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Whether every character of `text` can be carried. Statistics files can
/// be whole datasets, read once per brief, so the bytes are looked at a
/// block at a time first (a test the compiler vectorises), and only a
/// block with a byte that may start such a character is looked at closely.
pub fn all_carried(text: &str) -> bool {
    const BLOCK: usize = 64;
    let bytes = text.as_bytes();
    // Control bytes but tab, line feed and carriage return; DEL; the lead
    // bytes of C1 (C2 80-9F) and of U+F000-U+FFFF (EF ..).
    let suspect = |b: u8| {
        (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')
            | (b == 0x7F)
            | (b == 0xC2)
            | (b == 0xEF)
    };
    for (n, block) in bytes.chunks(BLOCK).enumerate() {
        if !block.iter().fold(false, |any, &b| any | suspect(b)) {
            continue;
        }
        for (i, &b) in block.iter().enumerate() {
            // A suspect byte is ASCII or a lead byte: a character starts there.
            if suspect(b) {
                let at = n * BLOCK + i;
                if text[at..].chars().next().is_some_and(|c| !is_carried(c)) {
                    return false;
                }
            }
        }
    }
    true
}

/// How a reader is told about a character: `U+0001 (a control character)`.
pub fn describe(c: char) -> String {
    let what = match c {
        '\u{0}' => "NUL",
        '\u{7}' => "BEL, a control character",
        '\u{1B}' => "ESC, a control character",
        '\u{FFFE}' | '\u{FFFF}' => "a noncharacter",
        _ => "a control character",
    };
    format!("U+{:04X} ({what})", c as u32)
}

/// `source` without the characters no output can carry (the same source
/// when it has none; else the cleaned text, under the same path); a
/// warning at each one removed.
pub fn clean(source: SourceText, sink: &mut Vec<Diagnostic>) -> SourceText {
    let text = source.text();
    if all_carried(text) {
        return source;
    }
    for (at, c) in text.char_indices().filter(|(_, c)| !is_carried(*c)) {
        sink.push(
            Diagnostic::warning(
                Some(source.at(at)),
                format!("{} is removed: no output can carry it", describe(c)),
            )
            .with_hint("the file holds a control character, often pasted from another program or a binary file; delete it")
            .kind(Kind::ControlCharacter),
        );
    }
    let cleaned: String = text.chars().filter(|c| is_carried(*c)).collect();
    SourceText::new(source.path(), cleaned.into())
}

/// Finds characters no output can carry in `value` (the field `what` of
/// the pack, which has no place of its own: they came in through an
/// escape); a warning at `at` if there are any. The backends remove them.
pub fn check_field(value: &str, what: &str, at: Option<Span>, sink: &mut Vec<Diagnostic>) {
    if let Some(c) = value.chars().find(|c| !is_carried(*c)) {
        sink.push(
            Diagnostic::warning(
                at,
                format!(
                    "{what} holds {}, which no output can carry: it is removed",
                    describe(c)
                ),
            )
            .with_hint("delete it from the file; it may be written as an escape, such as \\u0001, \\x01 or &#1;")
            .kind(Kind::ControlCharacter),
        );
    }
}

/// Every field of `doc` holding a character no output can carry, with its
/// value and the first such character: its path (`statistics/3/unit`) in the document as
/// `briefkit ast` prints it. Composition has removed the ones written as
/// such; what is left came in through an escape. Serialises the document
/// once into a scanner (no copy is kept), and only when it finds one walks
/// a copy to name the fields.
pub fn fields_not_carried(doc: &impl serde::Serialize) -> Vec<(String, String, char)> {
    let mut scan = Scan::default();
    if serde_json::to_writer(&mut scan, doc).is_err() || !scan.found {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::to_value(doc) {
        walk(&value, String::new(), &mut out);
    }
    out
}

/// `value` with every character no output can carry removed from every
/// string in it (after [`fields_not_carried`] found some: a copy of it is
/// cleaned and read back). `value` as it is if it cannot be read back.
pub fn without_uncarried<T: serde::Serialize + serde::de::DeserializeOwned>(value: T) -> T {
    fn clean(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => s.retain(is_carried),
            serde_json::Value::Array(items) => items.iter_mut().for_each(clean),
            serde_json::Value::Object(map) => map.values_mut().for_each(clean),
            _ => {}
        }
    }
    let Ok(mut copy) = serde_json::to_value(&value) else {
        return value;
    };
    clean(&mut copy);
    serde_json::from_value(copy).unwrap_or(value)
}

fn walk(value: &serde_json::Value, path: String, out: &mut Vec<(String, String, char)>) {
    match value {
        serde_json::Value::String(s) => {
            if let Some(c) = s.chars().find(|c| !is_carried(*c)) {
                out.push((path, s.clone(), c));
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, join(&path, &i.to_string()), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                walk(item, join(&path, key), out);
            }
        }
        _ => {}
    }
}

fn join(path: &str, part: &str) -> String {
    if path.is_empty() {
        part.to_string()
    } else {
        format!("{path}/{part}")
    }
}

/// Looks through JSON as serde_json writes it for a character no output
/// carries: `\b`, `\f` and `\u00XX` escapes of C0 controls, raw DEL and
/// C1 (`C2 80`–`C2 9F`), U+FFFE and U+FFFF (`EF BF BE`/`BF`).
#[derive(Default)]
struct Scan {
    state: ScanState,
    found: bool,
}

#[derive(Default, Clone, Copy)]
enum ScanState {
    #[default]
    Plain,
    Backslash,
    /// Inside `\u`: hex digits read so far and their value.
    Unicode(u8, u32),
    C2,
    Ef,
    EfBf,
}

impl std::io::Write for Scan {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use ScanState::*;
        for &b in buf {
            self.state = match (self.state, b) {
                (Plain, b'\\') => Backslash,
                (Plain, 0x7F) => {
                    self.found = true;
                    Plain
                }
                (Plain, 0xC2) => C2,
                (Plain, 0xEF) => Ef,
                (Backslash, b'b' | b'f') => {
                    self.found = true;
                    Plain
                }
                (Backslash, b'u') => Unicode(0, 0),
                (Unicode(n, v), _) => {
                    let v = v * 16 + char::from(b).to_digit(16).unwrap_or(0);
                    if n == 3 {
                        self.found |= v < 0x20 && !matches!(v, 0x9 | 0xA | 0xD);
                        Plain
                    } else {
                        Unicode(n + 1, v)
                    }
                }
                (C2, 0x80..=0x9F) => {
                    self.found = true;
                    Plain
                }
                (Ef, 0xBF) => EfBf,
                (EfBf, 0xBE | 0xBF) => {
                    self.found = true;
                    Plain
                }
                (C2 | Ef | EfBf, b'\\') => Backslash,
                (C2 | Ef | EfBf, 0xC2) => C2,
                (C2 | Ef | EfBf, 0xEF) => Ef,
                _ => Plain,
            };
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_removed_each_with_its_place() {
        let mut sink = Vec::new();
        let text = "id,unit\na,\u{1b}[31mpeople\u{7}\nb,\u{0}x\t\n";
        let cleaned = clean(SourceText::new("stats.csv", text.into()), &mut sink);
        assert_eq!(cleaned.text(), "id,unit\na,[31mpeople\nb,x\t\n");
        assert_eq!(cleaned.path(), "stats.csv");
        let places: Vec<String> = sink
            .iter()
            .map(|d| d.span.as_ref().unwrap().to_string())
            .collect();
        assert_eq!(places, ["stats.csv:2:3", "stats.csv:2:14", "stats.csv:3:3"]);
        assert!(
            sink[0].message.starts_with("U+001B (ESC"),
            "{}",
            sink[0].message
        );
        // A file that is clean is given back as it is, with no warning.
        let mut none = Vec::new();
        let text = "a\tb\r\nc ü 中";
        assert_eq!(
            clean(SourceText::new("x", text.into()), &mut none).text(),
            text
        );
        assert!(none.is_empty());
    }

    #[test]
    fn fields_holding_what_no_output_carries_are_named() {
        #[derive(serde::Serialize)]
        struct Stat {
            id: &'static str,
            unit: String,
        }
        let clean = vec![Stat {
            id: "a",
            unit: "people \\b \\u0001 \u{a0} é 中 \t\n".into(),
        }];
        assert!(fields_not_carried(&clean).is_empty());
        for bad in [
            '\u{0}', '\u{1}', '\u{8}', '\u{c}', '\u{1f}', '\u{7f}', '\u{85}', '\u{9f}', '\u{fffe}',
            '\u{ffff}',
        ] {
            let doc = vec![
                Stat {
                    id: "a",
                    unit: "fine".into(),
                },
                Stat {
                    id: "b",
                    unit: format!("x{bad}y"),
                },
            ];
            assert_eq!(
                fields_not_carried(&doc),
                [("1/unit".to_string(), format!("x{bad}y"), bad)],
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_copy_without_them_is_made() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Stat {
            id: String,
            unit: Option<String>,
            value: f64,
        }
        let doc = vec![Stat {
            id: "a\u{1}".into(),
            unit: Some("x\u{0}y\u{ffff}".into()),
            value: 0.1,
        }];
        let clean = without_uncarried(doc);
        assert_eq!(
            clean,
            [Stat {
                id: "a".into(),
                unit: Some("xy".into()),
                value: 0.1
            }]
        );
        assert!(fields_not_carried(&clean).is_empty());
    }

    #[test]
    fn the_quick_look_finds_what_the_close_one_does() {
        let fine = "Año 2024 — 99 % ¿qué? 中文，标点 ﬁ ﹏ \u{a0}°\t\r\n".repeat(20);
        assert!(all_carried(&fine));
        for bad in [
            '\u{0}', '\u{1b}', '\u{7f}', '\u{80}', '\u{9f}', '\u{fffe}', '\u{ffff}',
        ] {
            for at in [0, 1, 63, 64, 65, fine.len()] {
                let mut text = fine.clone();
                let at = (0..=at.min(text.len()))
                    .rev()
                    .find(|i| text.is_char_boundary(*i))
                    .unwrap();
                text.insert(at, bad);
                assert!(!all_carried(&text), "{bad:?} at {at}");
            }
        }
    }

    #[test]
    fn every_character_xml_cannot_carry_is_not_carried() {
        for c in (0u32..0x20).filter_map(char::from_u32) {
            assert_eq!(is_carried(c), matches!(c, '\t' | '\n' | '\r'), "{c:?}");
        }
        assert!(!is_carried('\u{FFFE}') && !is_carried('\u{FFFF}'));
        assert!(is_carried('\u{FFFD}') && is_carried('\u{10000}') && is_carried(' '));
    }
}
