//! Diagnostics: what went wrong in a pack, where, and what to do about it.
//!
//! Content problems travel as values (never printed from a library) so the
//! CLI can render them like rustc and tests can assert on them.

use serde::Serialize;
use std::fmt;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The document is still produced.
    Warning,
    /// No output is written.
    Error,
}

/// A position in a pack file: 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Path of the file as the user named it (relative to the pack).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

impl Location {
    /// A whole file, no position inside it.
    pub fn file(file: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    /// A line and column in a file.
    pub fn at(file: impl Into<String>, line: usize, column: usize) -> Self {
        Self {
            file: file.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// One finding about a pack: severity, place, message and hints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where, if the finding has a place.
    pub location: Option<Location>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub hints: Vec<String>,
    /// What sort of finding this is, for findings that can come by the
    /// thousand: the command line prints the first few of a kind and counts
    /// the rest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
}

/// The sorts of finding a pack can have many of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Kind {
    /// A number typed into the prose instead of cited.
    StrayNumber,
    /// A statistic no part of the brief uses.
    UncitedStatistic,
    /// A used statistic without a period.
    StatisticWithoutPeriod,
    /// HTML in the article, which no output carries.
    RawHtml,
    /// A control character, which no output carries.
    ControlCharacter,
}

impl Kind {
    /// The kind's name as JSON and messages write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::StrayNumber => "stray-number",
            Kind::UncitedStatistic => "uncited-statistic",
            Kind::StatisticWithoutPeriod => "statistic-without-period",
            Kind::RawHtml => "raw-html",
            Kind::ControlCharacter => "control-character",
        }
    }
}

impl Diagnostic {
    /// An error at a location.
    pub fn error(location: Option<Location>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            location,
            message: message.into(),
            hints: Vec::new(),
            kind: None,
        }
    }

    /// A warning at a location.
    pub fn warning(location: Option<Location>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            location,
            message: message.into(),
            hints: Vec::new(),
            kind: None,
        }
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Names the finding's kind (see [`Diagnostic::kind`]).
    #[must_use]
    pub fn kind(mut self, kind: Kind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Whether this finding stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        write!(f, "{sev}: {}", self.message)?;
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Converts a byte offset in `text` to a 1-based (line, column), counting
/// columns in characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Line starts of a text, for many [`line_col`] lookups in one file
/// without rescanning it from the top each time.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { text, starts }
    }

    /// Same as [`line_col`]: 1-based line and column (in characters).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line.saturating_sub(1)];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The ids in `known` closest to `wanted` by edit distance (at most three),
/// for "did you mean" hints.
pub fn nearest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let limit = (wanted.chars().count() / 2).max(3);
    let mut scored: Vec<(usize, &str)> = known
        .into_iter()
        .map(|k| {
            // A truncated or extended id is near whatever its length.
            let prefix = k.starts_with(wanted) || wanted.starts_with(k);
            (if prefix { 1 } else { edit_distance(wanted, k) }, k)
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .filter(|(d, _)| *d <= limit)
        .take(3)
        .map(|(_, k)| k.to_string())
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\nñé{{x}}";
        let off = text.find("{{").unwrap_or(0);
        assert_eq!(line_col(text, off), (2, 3));
        assert_eq!(line_col(text, 0), (1, 1));
        let index = LineIndex::new(text);
        for i in 0..=text.len() + 2 {
            assert_eq!(index.line_col(i), line_col(text, i), "offset {i}");
        }
    }

    #[test]
    fn nearest_ids_rank_by_distance() {
        let known = ["eclac-women", "unicef-children", "dif-children"];
        assert_eq!(nearest("eclac-womn", known)[0], "eclac-women");
        assert!(nearest("zzzzzzzzzzzzzzzzzzz", known).is_empty());
    }
}
