//! `briefkit verify FILE...`: checks published briefs against the data
//! they carry (see [`briefkit::verify`]). Findings go to stderr (text) or
//! stdout (one JSON object a line); exit 0 when every file verifies, 1
//! when one does not (or cannot be verified), 2 when one cannot be read.

use crate::Failure;
use briefkit::verify::{verify, Level, Report};
use briefkit_kit::write;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Largest file verify reads: a brief is far smaller.
const MAX_FILE: u64 = 1 << 30;

pub fn run(files: &[PathBuf], json: bool) -> Result<(), Failure> {
    let mut failed = false;
    let mut unreadable = false;
    for path in files {
        let bytes = match read(path) {
            Ok(b) => b,
            Err(e) => {
                crate::report::io_error(&format!("cannot read {}: {e}", path.display()));
                unreadable = true;
                continue;
            }
        };
        let name = path.display().to_string();
        match verify(&bytes) {
            Ok(report) => {
                failed |= !report.is_ok();
                if json {
                    print_json(&name, &report);
                } else {
                    print_text(&name, &report);
                }
            }
            Err(e) => {
                failed = true;
                if json {
                    let _ = write::stdout_lines([serde_json::json!({
                        "type": "error",
                        "file": name,
                        "message": e.message,
                        "hint": e.hint,
                    })
                    .to_string()]);
                } else {
                    let mut err = std::io::stderr().lock();
                    let _ = writeln!(err, "error: {name}: {}", printable(&e.message));
                    if let Some(hint) = &e.hint {
                        let _ = writeln!(err, "  = hint: {}", printable(hint));
                    }
                }
            }
        }
    }
    if unreadable {
        Err(Failure::Io(String::new()))
    } else if failed {
        Err(Failure::Content)
    } else {
        Ok(())
    }
}

/// Reads a file the user named: a regular file (not a FIFO or a device,
/// which could block or never end), at most [`MAX_FILE`] bytes.
fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    briefkit_kit::disk::regular_file(path, MAX_FILE).map_err(std::io::Error::other)?;
    let mut out = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE + 1)
        .read_to_end(&mut out)?;
    if out.len() as u64 > MAX_FILE {
        return Err(std::io::Error::other(
            "the file grew past the limit while read",
        ));
    }
    Ok(out)
}

/// `text` with its control characters written as escapes: a file's
/// content (a statistic's id, a figure's text) must not reach the
/// terminal as escape sequences or forge lines of its own.
fn printable(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_unicode().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

fn print_text(name: &str, report: &Report) {
    let mut err = std::io::stderr().lock();
    for f in &report.findings {
        let level = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        let _ = writeln!(
            err,
            "{level}: {name}, {}: {}",
            printable(&f.place.to_string()),
            printable(&f.message)
        );
    }
    let errors = report
        .findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .count();
    let made = match (&report.generator, &report.pack, &report.row) {
        (Some(g), Some(p), Some(r)) => printable(&format!(" (made by {g} from pack {p}, row {r})")),
        (Some(g), Some(p), None) => printable(&format!(" (made by {g} from pack {p})")),
        _ => String::new(),
    };
    let _ = if errors == 0 && report.figures == 0 {
        // Nothing printed to check (a brief whose figures are all in its
        // charts): say so rather than "0 of 0".
        writeln!(
            err,
            "verified {name}: its data matches its checksums; no figure of the text is marked ({} statistics){made}",
            report.statistics
        )
    } else if errors == 0 {
        writeln!(
            err,
            "verified {name}: {} of {} figures print their statistic as the data says ({} statistics){made}",
            report.figures_verified, report.figures, report.statistics
        )
    } else {
        writeln!(
            err,
            "{name} does not verify: {errors} error{} ({} of {} figures as the data says){made}",
            if errors == 1 { "" } else { "s" },
            report.figures_verified,
            report.figures
        )
    };
}

fn print_json(name: &str, report: &Report) {
    let mut lines = Vec::new();
    for f in &report.findings {
        let mut v = serde_json::to_value(f).unwrap_or_default();
        if let Some(map) = v.as_object_mut() {
            map.insert("type".into(), "finding".into());
            map.insert("file".into(), name.into());
        }
        lines.push(v.to_string());
    }
    let mut v = serde_json::to_value(report).unwrap_or_default();
    if let Some(map) = v.as_object_mut() {
        map.remove("findings");
        map.insert("type".into(), "report".into());
        map.insert("file".into(), name.into());
        map.insert("ok".into(), report.is_ok().into());
    }
    lines.push(v.to_string());
    let _ = write::stdout_lines(lines);
}
