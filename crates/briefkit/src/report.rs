//! Printing diagnostics like rustc: file:line:col, the source line, hints.

use crate::pack::DiskPack;
use briefkit_model::{Diagnostic, Severity};
use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{
    self,
    termcolor::{ColorChoice, StandardStream},
};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Prints diagnostics to stderr, quoting the line each points at.
pub fn diagnostics(pack: &DiskPack, diags: &[Diagnostic]) {
    let mut files = SimpleFiles::new();
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let choice = if colour {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let stderr = StandardStream::stderr(choice);
    let config = term::Config::default();
    // Each file is added once: diagnostics of a long report would otherwise
    // copy its text once per finding.
    let mut ids: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for d in diags {
        let mut report = match d.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        }
        .with_message(&d.message)
        .with_notes(d.hints.iter().map(|h| format!("hint: {h}")).collect());
        let mut placed = false;
        if let Some(loc) = &d.location {
            if let (Some(line), Some(text)) = (loc.line, pack.text_of(&loc.file)) {
                if let Some(start) = offset_of(&text, line, loc.column.unwrap_or(1)) {
                    let end = text[start..]
                        .find('\n')
                        .map_or(text.len(), |i| start + i.max(1))
                        .min(text.len());
                    let end = if end <= start {
                        (start + 1).min(text.len())
                    } else {
                        end
                    };
                    let id = *ids
                        .entry(loc.file.clone())
                        .or_insert_with(|| files.add(pack.display_path(&loc.file), text.clone()));
                    report = report.with_labels(vec![Label::primary(id, start..end)]);
                    placed = true;
                }
            }
            if !placed {
                let mut where_ = pack.display_path(&loc.file);
                if let Some(line) = loc.line {
                    where_.push_str(&format!(":{line}"));
                    if let Some(col) = loc.column {
                        where_.push_str(&format!(":{col}"));
                    }
                }
                report = report.with_message(format!("{}\n  --> {where_}", d.message));
            }
        }
        let mut lock = stderr.lock();
        if term::emit_to_write_style(&mut lock, &config, &files, &report).is_err() {
            let _ = writeln!(lock, "{d}");
        }
    }
}

fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col: usize = l
                .chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return Some(offset + col);
        }
        offset += l.len();
    }
    None
}

/// Prints an I/O or usage error.
pub fn io_error(msg: &str) {
    let _ = writeln!(std::io::stderr(), "error: {msg}");
}

/// Reports a written file on stderr (stdout stays free for data).
pub fn wrote(path: &Path, len: usize) {
    let _ = writeln!(
        std::io::stderr(),
        "wrote {} ({} bytes)",
        path.display(),
        len
    );
}

/// The closing line of `briefkit check`.
pub fn summary(errors: usize, warnings: usize) {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let _ = writeln!(
        std::io::stderr(),
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
}

/// A warning with no place in a pack file (import's doubts).
pub fn io_warning(msg: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {msg}");
}
