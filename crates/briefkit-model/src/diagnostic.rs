//! Diagnostics: what went wrong in a pack, where, and what to do about it.
//!
//! Content problems travel as values (never printed from a library) so the
//! CLI can render them like rustc and tests can assert on them.

use serde::Serialize;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The document is still produced.
    Warning,
    /// No output is written.
    Error,
}

/// A pack file's text as the [`World`](crate::World) handed it out, under
/// the path it was read by — or a window of it (front matter, a Markdown
/// body): what a [`Span`] points into. Parsers take a `SourceText` rather than
/// a text and a name, so every place they report is a byte range of the
/// file, resolved to a line and column only when a finding is printed.
#[derive(Clone)]
pub struct SourceText {
    file: Arc<SourceFile>,
    window: Range<usize>,
}

struct SourceFile {
    path: Arc<str>,
    text: Arc<str>,
    /// Where each line starts, computed the first time a span in the file
    /// is resolved (a file nothing is found in never pays for it).
    lines: OnceLock<Vec<usize>>,
    /// For a text made from a window of a file (see
    /// [`SourceText::derived`], [`SourceText::assembled`]): how its places
    /// map to the file's.
    origin: Option<Origin>,
}

enum Origin {
    /// Made line for line from the window starting at this byte.
    Lines(Arc<SourceFile>, usize),
    /// Made of pieces, in order (see [`Piece`]).
    Pieces(Arc<SourceFile>, Vec<Piece>),
}

/// A piece of a text assembled from a file: from byte `at` of the made
/// text on, either bytes copied from byte `from` of the file on, or what an
/// expression written at byte `from` turned into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// Where the piece starts in the made text.
    pub at: usize,
    /// Where it comes from in the source (relative to the source's window).
    pub from: usize,
    /// Whether it is the source's bytes copied (else an expansion).
    pub copied: bool,
}

impl SourceFile {
    /// 1-based line and column (in characters) of byte `offset` of the
    /// text, in the file it is or was made from.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let lines = || self.lines.get_or_init(|| line_starts(&self.text));
        match &self.origin {
            None => line_col_in(&self.text, lines(), offset),
            Some(Origin::Lines(file, start)) => {
                let (line, column) = line_col_in(&self.text, lines(), offset);
                let (first, first_column) = file.line_col(*start);
                match line {
                    1 => (first, first_column + column - 1),
                    _ => (first + line - 1, column),
                }
            }
            Some(Origin::Pieces(file, pieces)) => {
                let from = match pieces.partition_point(|p| p.at <= offset) {
                    0 => pieces.first().map_or(0, |p| p.from),
                    i => {
                        let p = pieces[i - 1];
                        if p.copied {
                            p.from + (offset - p.at)
                        } else {
                            p.from
                        }
                    }
                };
                file.line_col(from)
            }
        }
    }

    /// The text of the file itself (for quoting its lines).
    fn file_text(&self) -> &str {
        match &self.origin {
            Some(Origin::Lines(file, _) | Origin::Pieces(file, _)) => file.file_text(),
            None => &self.text,
        }
    }
}

impl fmt::Debug for SourceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SourceText({}, {:?})", self.file.path, self.window)
    }
}

impl SourceText {
    /// The whole text of the file `path`.
    pub fn new(path: &str, text: Arc<str>) -> Self {
        let window = 0..text.len();
        Self {
            file: Arc::new(SourceFile {
                path: Arc::from(path),
                text,
                lines: OnceLock::new(),
                origin: None,
            }),
            window,
        }
    }

    /// A text made from this window line for line — a template's output,
    /// with the window's line breaks and values written inside its lines:
    /// a place in it resolves to the window's line (and, on its first
    /// line, column), and quotes the file.
    pub fn derived(&self, text: Arc<str>) -> SourceText {
        let window = 0..text.len();
        SourceText {
            file: Arc::new(SourceFile {
                path: self.file.path.clone(),
                text,
                lines: OnceLock::new(),
                origin: Some(Origin::Lines(self.file.clone(), self.window.start)),
            }),
            window,
        }
    }

    /// A text assembled from this window in `pieces` (in order of `at`;
    /// see [`Piece`]): each place in it resolves to the byte of the window
    /// it was copied from, or to the expression it came from.
    pub fn assembled(&self, text: Arc<str>, pieces: Vec<Piece>) -> SourceText {
        let window = 0..text.len();
        let pieces = pieces
            .into_iter()
            .map(|p| Piece {
                from: self.window.start + p.from.min(self.window.len()),
                ..p
            })
            .collect();
        SourceText {
            file: Arc::new(SourceFile {
                path: self.file.path.clone(),
                text,
                lines: OnceLock::new(),
                origin: Some(Origin::Pieces(self.file.clone(), pieces)),
            }),
            window,
        }
    }

    /// The path the file was read by.
    pub fn path(&self) -> &str {
        &self.file.path
    }

    /// The text of this window of the file.
    pub fn text(&self) -> &str {
        &self.file.text[self.window.clone()]
    }

    /// A window of this window (`range` in bytes of [`SourceText::text`]).
    pub fn window(&self, range: Range<usize>) -> SourceText {
        let range = self.absolute(range);
        SourceText {
            file: self.file.clone(),
            window: range,
        }
    }

    /// The bytes `range` of [`SourceText::text`].
    pub fn span(&self, range: Range<usize>) -> Span {
        let range = self.absolute(range);
        Span {
            path: self.file.path.clone(),
            at: Some((self.file.clone(), range)),
        }
    }

    /// The place at byte `offset` of [`SourceText::text`].
    pub fn at(&self, offset: usize) -> Span {
        self.span(offset..offset)
    }

    /// The place at a 1-based line and column (in characters) of
    /// [`SourceText::text`], for parsers that report only those.
    pub fn at_line_col(&self, line: usize, column: usize) -> Span {
        let text = self.text();
        let mut start = 0;
        for _ in 1..line.max(1) {
            match text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return self.at(text.len()),
            }
        }
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let offset = text[start..end]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(end, |(i, _)| start + i);
        self.at(offset)
    }

    /// The whole file, no place in it.
    pub fn whole(&self) -> Span {
        Span::file(&self.file.path)
    }

    fn absolute(&self, range: Range<usize>) -> Range<usize> {
        let len = self.window.len();
        let start = floor_char_boundary(self.text(), range.start.min(len));
        let end = floor_char_boundary(self.text(), range.end.clamp(start, len));
        self.window.start + start..self.window.start + end
    }
}

/// Where a finding is: a pack file and, when known, a byte range of the
/// text it was read as. Resolved to a line and column ([`Span::resolve`])
/// only when the finding is printed.
#[derive(Clone)]
pub struct Span {
    path: Arc<str>,
    at: Option<(Arc<SourceFile>, Range<usize>)>,
}

impl Span {
    /// A whole file (one not read as text, or with no place in it).
    pub fn file(path: &str) -> Self {
        Self {
            path: Arc::from(path),
            at: None,
        }
    }

    /// The path of the file, as the pack names it.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The byte range in the file's text, when the span has one.
    pub fn range(&self) -> Option<Range<usize>> {
        self.at.as_ref().map(|(_, range)| range.clone())
    }

    /// The text of the file the span is in, for quoting the line it
    /// resolves to (for a [derived](SourceText::derived) text, the file it was
    /// made from).
    pub fn text(&self) -> Option<&str> {
        self.at.as_ref().map(|(file, _)| file.file_text())
    }

    /// The span's file, line and column (1-based; the column in
    /// characters).
    pub fn resolve(&self) -> Location {
        match &self.at {
            Some((file, range)) => {
                let (line, column) = file.line_col(range.start);
                Location {
                    file: self.path.to_string(),
                    line: Some(line),
                    column: Some(column),
                }
            }
            None => Location {
                file: self.path.to_string(),
                line: None,
                column: None,
            },
        }
    }

    /// The span's line, resolved.
    pub fn line(&self) -> Option<usize> {
        self.resolve().line
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.range() {
            Some(range) => write!(f, "{}@{range:?}", self.path),
            None => write!(f, "{}", self.path),
        }
    }
}

/// Spans are equal when they name the same bytes of the same file.
impl PartialEq for Span {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && self.range() == other.range()
    }
}

impl Eq for Span {}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.resolve().fmt(f)
    }
}

/// A span is written as the place it resolves to.
impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.resolve().serialize(serializer)
    }
}

/// A resolved [`Span`]: file, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Path of the file as the user named it (relative to the pack).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
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
    pub span: Option<Span>,
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
    pub fn error(span: Option<Span>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            span,
            message: message.into(),
            hints: Vec::new(),
            kind: None,
        }
    }

    /// A warning at a location.
    pub fn warning(span: Option<Span>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            span,
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
        if let Some(span) = &self.span {
            write!(f, "{span}: ")?;
        }
        write!(f, "{sev}: {}", self.message)?;
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// 1-based line and column (in characters) of byte `offset` of `text`,
/// whose line starts are `starts`.
fn line_col_in(text: &str, starts: &[usize], offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let line = starts.partition_point(|&s| s <= offset);
    let start = starts[line.saturating_sub(1)];
    (line, text[start..offset].chars().count() + 1)
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
    fn spans_resolve_to_lines_and_columns_in_characters() {
        let source = SourceText::new("a.md", Arc::from("ab\nñé{{x}}\nlast"));
        let off = source.text().find("{{").unwrap_or(0);
        let at = |span: Span| {
            let l = span.resolve();
            (l.line, l.column)
        };
        assert_eq!(at(source.at(off)), (Some(2), Some(3)));
        assert_eq!(at(source.at(0)), (Some(1), Some(1)));
        // Past the end, or inside a character: the nearest place before.
        assert_eq!(at(source.at(999)), (Some(3), Some(5)));
        assert_eq!(at(source.at(4)), (Some(2), Some(1)));
        assert_eq!(at(source.at_line_col(2, 3)), (Some(2), Some(3)));
        assert_eq!(source.at_line_col(2, 3), source.at(off));
        assert_eq!(at(source.at_line_col(9, 1)), (Some(3), Some(5)));
        assert_eq!(source.whole().resolve().line, None);
        assert_eq!(source.at(off).to_string(), "a.md:2:3");
    }

    #[test]
    fn a_window_places_its_spans_in_the_whole_file() {
        let text = "---\ntitle: x\n---\nbody with {{y}}\n";
        let source = SourceText::new("one.md", Arc::from(text));
        let body_start = text.find("body").unwrap_or(0);
        let body = source.window(body_start..text.len());
        assert_eq!(body.text(), "body with {{y}}\n");
        let span = body.at(body.text().find("{{").unwrap_or(0));
        assert_eq!(span.resolve().to_string(), "one.md:4:11");
        assert_eq!(span.range(), Some(body_start + 10..body_start + 10));
        assert_eq!(body.at_line_col(1, 11), span);
        // The body rendered from a template: longer lines, the same breaks.
        let rendered = body.derived("body with 1,234 and {{\n".into());
        let at = rendered.at(rendered.text().find("and").unwrap_or(0));
        assert_eq!(at.resolve().to_string(), "one.md:4:17");
        assert_eq!(at.text(), Some(text));
        // Assembled: "body with " copied, "{{y}}" expanded to "1,234".
        let made = body.assembled(
            "body with 1,234\n".into(),
            vec![
                Piece {
                    at: 0,
                    from: 0,
                    copied: true,
                },
                Piece {
                    at: 10,
                    from: 10,
                    copied: false,
                },
                Piece {
                    at: 15,
                    from: 15,
                    copied: true,
                },
            ],
        );
        let place = |i: usize| made.at(i).resolve().to_string();
        assert_eq!(place(5), "one.md:4:6");
        assert_eq!(place(12), "one.md:4:11");
        assert_eq!(place(15), "one.md:4:16");
        let inner = body.window(5..9);
        assert_eq!(inner.text(), "with");
        assert_eq!(inner.at(0).resolve().to_string(), "one.md:4:6");
    }

    #[test]
    fn nearest_ids_rank_by_distance() {
        let known = ["eclac-women", "unicef-children", "dif-children"];
        assert_eq!(nearest("eclac-womn", known)[0], "eclac-women");
        assert!(nearest("zzzzzzzzzzzzzzzzzzz", known).is_empty());
    }
}
