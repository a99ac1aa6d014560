//! YAML (front matter, statistics files) through serde-saphyr: maintained,
//! pure Rust, panic-free, and with alias expansion limited so that a
//! "billion laughs" file is refused with an error instead of filling memory.

use briefkit_model::diagnostic::{Diagnostic, SourceText, Span};
use serde::de::DeserializeOwned;

/// How many events aliases may replay in one file: far more than any pack
/// needs, far fewer than an alias bomb expands to.
const MAX_REPLAYED_EVENTS: usize = 10_000;

/// Parses the YAML `source` (a file, or the front matter window of one).
/// The error is placed where the parser says.
pub fn parse<T: DeserializeOwned>(source: &SourceText, what: &str) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! {
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED_EVENTS,
            max_replay_stack_depth: 16,
        },
    };
    serde_saphyr::from_str_with_options(source.text(), options).map_err(|e| {
        let span = e
            .location()
            .filter(|l| l.line() > 0)
            .map_or(source.whole(), |l| span(source, &l));
        let message = e.without_snippet().to_string();
        let message = message.lines().next().unwrap_or("").trim().to_string();
        let mut d = Diagnostic::error(Some(span), format!("invalid {what}: {message}"));
        if message.contains("alias") || message.contains("budget") {
            d = d.with_hint(
                "the file expands aliases far beyond any real pack: write the values out",
            );
        }
        d
    })
}

/// Where a parser's location is in `source`: its byte offset (the parser
/// has one for text it was given whole), else its line and column.
pub fn span(source: &SourceText, at: &serde_saphyr::Location) -> Span {
    match at
        .span()
        .byte_offset()
        .and_then(|o| usize::try_from(o).ok())
    {
        Some(offset) => source.at(offset),
        None => source.at_line_col(
            usize::try_from(at.line()).unwrap_or(1),
            usize::try_from(at.column()).unwrap_or(1).max(1),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_bomb_is_refused_with_an_error() {
        let mut bomb =
            String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let started = std::time::Instant::now();
        let source = SourceText::new("stats.yaml", bomb.into());
        let result: Result<serde_json::Value, _> = parse(&source, "statistics YAML");
        assert!(result.is_err(), "an alias bomb must be refused");
        assert!(
            started.elapsed().as_secs() < 2,
            "refusing it took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn errors_name_their_line_in_the_whole_file() {
        // The YAML is a window that starts on line 3 of its file.
        let text = "---\n---\n- a: 1\n- b: [\n";
        let source = SourceText::new("x.md", text.into()).window(8..text.len());
        let r: Result<Vec<serde_json::Value>, _> = parse(&source, "YAML");
        let line = r.err().and_then(|d| d.span).and_then(|s| s.line());
        assert!(matches!(line, Some(l) if l >= 4), "{line:?}");
    }
}
