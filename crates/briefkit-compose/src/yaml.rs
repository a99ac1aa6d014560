//! YAML (front matter, statistics files) through serde-saphyr: maintained,
//! pure Rust, panic-free, and with alias expansion limited so that a
//! "billion laughs" file is refused with an error instead of filling memory.

use briefkit_model::diagnostic::{Diagnostic, Location};
use serde::de::DeserializeOwned;

/// How many events aliases may replay in one file: far more than any pack
/// needs, far fewer than an alias bomb expands to.
const MAX_REPLAYED_EVENTS: usize = 10_000;

/// Parses `text` (the YAML of `file`, which starts on line `first_line`).
/// The error is placed at the line and column the parser names.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &str,
    first_line: usize,
    what: &str,
) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! {
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED_EVENTS,
            max_replay_stack_depth: 16,
        },
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let location = e
            .location()
            .filter(|l| l.line() > 0)
            .map_or(Location::file(file), |l| {
                Location::at(
                    file,
                    usize::try_from(l.line()).unwrap_or(1) + first_line - 1,
                    usize::try_from(l.column()).unwrap_or(1).max(1),
                )
            });
        let message = e.without_snippet().to_string();
        let message = message.lines().next().unwrap_or("").trim().to_string();
        let mut d = Diagnostic::error(Some(location), format!("invalid {what}: {message}"));
        if message.contains("alias") || message.contains("budget") {
            d = d.with_hint(
                "the file expands aliases far beyond any real pack: write the values out",
            );
        }
        d
    })
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
        let result: Result<serde_json::Value, _> = parse(&bomb, "stats.yaml", 1, "statistics YAML");
        assert!(result.is_err(), "an alias bomb must be refused");
        assert!(
            started.elapsed().as_secs() < 2,
            "refusing it took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn errors_name_their_line() {
        let r: Result<Vec<serde_json::Value>, _> = parse("- a: 1\n- b: [\n", "x.yaml", 3, "YAML");
        let d = r.err().map(|d| d.location);
        assert!(
            matches!(d, Some(Some(Location { line: Some(l), .. })) if l >= 4),
            "{d:?}"
        );
    }
}
