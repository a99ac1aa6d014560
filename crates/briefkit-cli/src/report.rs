//! What the command line prints on stderr: findings (rendered by
//! [`briefkit_kit::report`], in colour on a terminal unless `NO_COLOR`), the
//! files written, and the closing lines. stdout stays free for data.

use briefkit::Diagnostic;
use briefkit_kit::report::ShowPath;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Prints findings like rustc (see [`briefkit_kit::report::render`]).
pub fn diagnostics(show_path: ShowPath<'_>, diags: &[Diagnostic], verbose: bool) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut err = std::io::stderr().lock();
    briefkit_kit::report::render(show_path, diags, verbose, colour, &mut |text| {
        let _ = err.write_all(text);
    });
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

/// A file an earlier build wrote that this one removed (a page the brief
/// no longer has).
pub fn removed(path: &Path) {
    let _ = writeln!(
        std::io::stderr(),
        "removed {} (a page the brief no longer has)",
        path.display()
    );
}

/// The closing line of a build of many briefs.
pub fn build_summary(
    built: usize,
    files: usize,
    errors: usize,
    warnings: usize,
    fresh: usize,
    seconds: f64,
) {
    let plural = |n: usize, word: &str| counted(&group(n), n, word);
    let _ = writeln!(
        std::io::stderr(),
        "built {}, {} in {seconds:.1} s — {}, {}{}",
        plural(built, "brief"),
        plural(files, "file"),
        plural(errors, "error"),
        plural(warnings, "warning"),
        if fresh > 0 {
            format!(" ({} fresh: unchanged, not built again)", group(fresh))
        } else {
            String::new()
        }
    );
}

/// "1 brief", "12 briefs": the number as written, and the word.
fn counted(number: &str, n: usize, word: &str) -> String {
    if n == 1 {
        format!("{number} {word}")
    } else {
        format!("{number} {word}s")
    }
}

/// 1,000 for 1000.
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A file left as it was: its brief's inputs have not changed.
pub fn fresh(path: &Path) {
    let _ = writeln!(std::io::stderr(), "fresh {} (unchanged)", path.display());
}

/// The closing line of `briefkit check`.
pub fn summary(errors: usize, warnings: usize) {
    let plural = |n: usize, word: &str| counted(&n.to_string(), n, word);
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
