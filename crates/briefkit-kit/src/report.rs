//! Findings as text like rustc (file:line:col, the source line, hints) or
//! as JSON. Nothing here prints: the command line does (`briefkit-cli`).

use briefkit_model::diagnostic::Kind;
use briefkit_model::{Diagnostic, Severity, Span};
use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::Buffer};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::Arc;

/// How to name a pack file to a user (the command line: as a path from
/// where it runs), given its path in the pack.
pub type ShowPath<'a> = &'a dyn Fn(&str) -> String;

/// How many findings of one kind are printed before the rest are counted.
pub const FIRST_OF_A_KIND: usize = 10;

/// Renders diagnostics like rustc, quoting the line each points at (in
/// ANSI colour when `colour`), and hands the text to `out` in pieces of
/// some 64 KiB: a million findings never sit in memory at once. Unless
/// `verbose`, only the first [`FIRST_OF_A_KIND`] warnings of a kind are
/// rendered, then one line counting the rest. The library prints nothing:
/// the command line passes its stderr.
pub fn render(
    show_path: ShowPath<'_>,
    diags: &[Diagnostic],
    verbose: bool,
    colour: bool,
    out: &mut dyn FnMut(&[u8]),
) {
    let buffer = if colour {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let mut printer = Printer::new(show_path, buffer);
    let mut totals: HashMap<Kind, usize> = HashMap::new();
    for d in diags {
        if let (Severity::Warning, Some(kind)) = (d.severity, d.kind) {
            *totals.entry(kind).or_default() += 1;
        }
    }
    let mut shown: HashMap<Kind, usize> = HashMap::new();
    for d in diags {
        let kind = d
            .kind
            .filter(|_| !verbose && d.severity == Severity::Warning);
        match kind {
            Some(kind) => {
                let n = shown.entry(kind).or_default();
                *n += 1;
                if *n <= FIRST_OF_A_KIND {
                    printer.emit(d);
                }
                let total = totals.get(&kind).copied().unwrap_or(0);
                if *n == FIRST_OF_A_KIND && total > FIRST_OF_A_KIND {
                    let more = total - FIRST_OF_A_KIND;
                    let _ = writeln!(
                        printer.buffer,
                        "note: {more} more `{}` warning{} not shown (`--verbose` shows every finding; `--format json` lists them all)\n",
                        kind.as_str(),
                        if more == 1 { " is" } else { "s are" }
                    );
                }
            }
            None => printer.emit(d),
        }
        if printer.buffer.len() > 64 * 1024 {
            out(printer.buffer.as_slice());
            printer.buffer.clear();
        }
    }
    out(printer.buffer.as_slice());
}

/// Every finding as plain text (no colour, none summed up), as the
/// command line prints it: for the engine's `PackError` `Display`.
pub fn to_text(show_path: ShowPath<'_>, diags: &[Diagnostic]) -> String {
    let mut printer = Printer::new(show_path, Buffer::no_color());
    for d in diags {
        printer.emit(d);
    }
    String::from_utf8_lossy(printer.buffer.as_slice()).into_owned()
}

/// Renders diagnostics into a buffer, adding each quoted file once.
struct Printer<'a> {
    show_path: ShowPath<'a>,
    files: SimpleFiles<String, Arc<str>>,
    /// File id and line starts of each file text added (by path and the
    /// text's address: a file read again after a change is another text).
    ids: BTreeMap<(String, usize), (usize, Vec<usize>)>,
    config: term::Config,
    buffer: Buffer,
}

impl<'a> Printer<'a> {
    fn new(show_path: ShowPath<'a>, buffer: Buffer) -> Self {
        Self {
            show_path,
            files: SimpleFiles::new(),
            ids: BTreeMap::new(),
            config: term::Config::default(),
            buffer,
        }
    }

    fn emit(&mut self, d: &Diagnostic) {
        let mut report = match d.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        }
        .with_message(&d.message)
        .with_notes(d.hints.iter().map(|h| format!("hint: {h}")).collect());
        if let Some(span) = &d.span {
            let loc = span.resolve();
            match self.label(span, loc.line, loc.column) {
                Some(label) => report = report.with_labels(vec![label]),
                None => {
                    let mut where_ = (self.show_path)(&loc.file);
                    if let Some(line) = loc.line {
                        where_.push_str(&format!(":{line}"));
                        if let Some(col) = loc.column {
                            where_.push_str(&format!(":{col}"));
                        }
                    }
                    report = report.with_message(format!("{}\n  --> {where_}", d.message));
                }
            }
        }
        if term::emit_to_write_style(&mut self.buffer, &self.config, &self.files, &report).is_err()
        {
            let _ = writeln!(self.buffer, "{d}");
        }
    }

    /// A label from the span's line and column to the end of that line,
    /// when the span has a place in a text.
    fn label(
        &mut self,
        span: &Span,
        line: Option<usize>,
        column: Option<usize>,
    ) -> Option<Label<usize>> {
        let line = line?;
        let quoted = span.text()?;
        let key = (span.path().to_string(), quoted.as_ptr() as usize);
        if !self.ids.contains_key(&key) {
            let starts = std::iter::once(0)
                .chain(quoted.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            let id = self
                .files
                .add((self.show_path)(span.path()), Arc::from(quoted));
            self.ids.insert(key.clone(), (id, starts));
        }
        let (id, starts) = self.ids.get(&key)?;
        let text = self.files.get(*id).ok()?.source().clone();
        let line_start = *starts.get(line.checked_sub(1)?)?;
        let line_text = &text[line_start..];
        let line_end = line_start + line_text.find('\n').unwrap_or(line_text.len());
        let col: usize = text[line_start..line_end]
            .chars()
            .take(column.unwrap_or(1).saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        let start = line_start + col;
        let end = if line_end > start {
            line_end
        } else {
            (start + 1).min(text.len())
        };
        Some(Label::primary(*id, start..end.max(start)))
    }
}

/// A finding as JSON, as `--message-format json` writes it (its
/// `diagnostic` message without `type` and `pack`): `row`, `severity`,
/// `file` (named as the user sees it, when the pack's files are at hand),
/// `line`, `column`, `message`, `hints`, `kind`.
pub fn diagnostic_json(
    show_path: Option<ShowPath<'_>>,
    d: &Diagnostic,
    row: Option<&str>,
) -> serde_json::Map<String, serde_json::Value> {
    let place = d.span.as_ref().map(Span::resolve);
    let file = place.as_ref().map(|l| match show_path {
        Some(show) => show(&l.file),
        None => l.file.clone(),
    });
    let value = serde_json::json!({
        "row": row,
        "severity": d.severity,
        "file": file,
        "line": place.as_ref().and_then(|l| l.line),
        "column": place.as_ref().and_then(|l| l.column),
        "message": d.message,
        "hints": d.hints,
        "kind": d.kind,
    });
    match value {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}
