//! `briefkit build`: packs (a batch pack is a brief per row) to files, many
//! briefs at once in one process, reported as text or as JSON messages.

use crate::{chosen_briefs, fresh, open_pack, report, Failure};
use briefkit::{Briefkit, Pack};
use briefkit_compose::batch::Row;
use briefkit_kit::write;
use briefkit_model::Diagnostic;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// How findings, files and the summary are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Messages {
    /// Text on stderr, like a compiler.
    Text {
        /// Every finding (no summing up).
        verbose: bool,
    },
    /// One JSON object a line on stdout (`--message-format json`).
    Json,
}

impl Messages {
    fn verbose(self) -> bool {
        matches!(self, Messages::Text { verbose: true } | Messages::Json)
    }

    /// Prints the findings of one brief.
    pub fn diagnostics(self, pack: &Pack, found: &[Diagnostic], row: Option<&Row>) {
        match self {
            Messages::Text { verbose } => {
                report::diagnostics(&|p| pack.display_path(p), found, verbose);
            }
            Messages::Json => {
                let lines = found
                    .iter()
                    .map(|d| diagnostic_json(pack, d, row).to_string());
                let _ = write::stdout_lines(lines);
            }
        }
    }
}

/// A finding as a JSON message (`check --format json` prints the same
/// fields, without `type` and `pack`).
pub fn diagnostic_json(pack: &Pack, d: &Diagnostic, row: Option<&Row>) -> serde_json::Value {
    let show = |p: &str| pack.display_path(p);
    let mut map =
        briefkit_kit::report::diagnostic_json(Some(&show), d, row.map(|r| r.key.as_str()));
    map.insert("type".into(), "diagnostic".into());
    map.insert("pack".into(), pack.display().into());
    serde_json::Value::Object(map)
}

/// What `build` was asked for besides the packs and what the briefs are
/// built with.
pub struct BuildArgs<'a> {
    /// `-o`.
    pub out: Option<&'a Path>,
    /// `--row` keys.
    pub rows: &'a [String],
    /// `--shard K/N`: this machine's share of the briefs.
    pub shard: Option<(usize, usize)>,
    /// Text or JSON.
    pub messages: Messages,
    /// `--force`: build even briefs that are fresh.
    pub force: bool,
    /// `--quiet`: no progress bar, file list or summary (findings only).
    pub quiet: bool,
}

/// One brief to build: a pack, and a brief of it.
struct Job {
    pack: usize,
    brief: usize,
}

/// A pack opened for building.
struct Opened<'p> {
    pack: &'p Pack,
    briefs: Vec<briefkit::Brief<'p>>,
    /// Why its output folder cannot be written into, if it cannot.
    refused: Option<Diagnostic>,
}

/// Where a pack's briefs are written.
fn out_dir(args: &BuildArgs<'_>, pack: &Pack) -> PathBuf {
    args.out
        .map_or_else(|| pack.default_out_dir(), Path::to_path_buf)
}

/// What building one brief came to.
#[derive(Default)]
struct Outcome {
    files: usize,
    /// Not built: its files are still those of the same inputs.
    fresh: bool,
    errors: usize,
    warnings: usize,
    /// A failure of the host (a file that cannot be written), to report.
    io: Option<String>,
}

/// The packs the paths name: a pack directory or Markdown file as it is;
/// a directory with no `brief.toml` stands for the packs in its
/// subdirectories (in name order).
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() && !path.join("brief.toml").is_file() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| Failure::Io(format!("cannot read {}: {e}", path.display())))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.join("brief.toml").is_file())
                .collect();
            if found.is_empty() {
                return Err(Failure::Io(format!(
                    "{} has no brief.toml, and none of its folders is a pack",
                    path.display()
                )));
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

/// Builds every brief of the packs: in parallel (`-j`), each failing
/// brief reported without stopping the others. A batch or several packs
/// end with a summary line (or message).
pub fn build(paths: &[PathBuf], kit: &Briefkit, args: &BuildArgs<'_>) -> Result<(), Failure> {
    let started = std::time::Instant::now();
    let mut loaded = Vec::new();
    // Packs whose rows file could not be read (reported; the others go on).
    let mut unreadable = 0;
    for path in expand(paths)? {
        match open_pack(&path) {
            Ok(pack) => loaded.push(pack),
            Err(Failure::Content) => unreadable += 1,
            Err(e) => return Err(e),
        }
    }
    let mut packs = Vec::new();
    let mut jobs = Vec::new();
    for pack in &loaded {
        let briefs = chosen_briefs(pack, args.rows)?;
        let index = packs.len();
        jobs.extend(briefs.iter().enumerate().map(|(i, b)| {
            (
                b.key().unwrap_or_default().to_string(),
                Job {
                    pack: index,
                    brief: i,
                },
            )
        }));
        let refused = refuse_out_dir(pack, &out_dir(args, pack), args.out.is_none());
        if let Some(d) = &refused {
            args.messages
                .diagnostics(pack, std::slice::from_ref(d), None);
        }
        packs.push(Opened {
            pack,
            briefs,
            refused,
        });
    }
    same_names(&packs, &jobs, args)?;
    // A deterministic share: the briefs in pack and key order, every N-th.
    jobs.sort_by(|a, b| (a.1.pack, &a.0).cmp(&(b.1.pack, &b.0)));
    let jobs: Vec<Job> = jobs
        .into_iter()
        .enumerate()
        .filter(|(i, _)| args.shard.is_none_or(|(k, n)| i % n == k - 1))
        .map(|(_, (_, job))| job)
        .collect();
    let many = jobs.len() > 1 || packs.iter().any(|p| p.pack.rows().is_some());
    let ledger = fresh::Ledger::new(args.shard);
    // The date a pack without one is dated is an input too, and so is the
    // program itself: a briefkit rebuilt with the same version number
    // (from a checkout) may write other bytes.
    let options = format!(
        "{} {} {}",
        kit.fingerprint(),
        crate::fallback_date()?.iso(),
        program_identity()
    );
    // A progress bar on a terminal, for more than one brief.
    let bar = (many
        && !args.quiet
        && matches!(args.messages, Messages::Text { .. })
        && std::io::IsTerminal::is_terminal(&std::io::stderr()))
    .then(|| {
        let bar = indicatif::ProgressBar::new(jobs.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} briefs · {rate} · {eta} left",
        ) {
            bar.set_style(style.with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} briefs/s", state.per_sec());
                },
            ));
        }
        bar
    });
    let outcomes = Mutex::new(Vec::new());
    kit.for_each_index(jobs.len(), |n| {
        let job = &jobs[n];
        let opened = &packs[job.pack];
        let brief = &opened.briefs[job.brief];
        if opened.refused.is_some() {
            let outcome = Outcome {
                errors: 1,
                ..Outcome::default()
            };
            outcomes
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(outcome);
            return;
        }
        let inputs = {
            let mut h = briefkit::hash::Inputs::new();
            h.add("options", options.as_bytes());
            if let Some(row) = brief.row() {
                h.add(
                    "row",
                    serde_json::to_string(row).unwrap_or_default().as_bytes(),
                );
            }
            h.finish()
        };
        let outcome = build_brief(
            kit,
            opened.pack,
            brief,
            args,
            !many,
            (&ledger, &inputs),
            bar.as_ref(),
        );
        if let Some(bar) = &bar {
            bar.inc(1);
        }
        outcomes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(outcome);
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let outcomes = outcomes
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    if let Err(e) = ledger.save() {
        report::io_error(&e);
    }
    let fresh_briefs = outcomes.iter().filter(|o| o.fresh).count();
    for msg in outcomes.iter().filter_map(|o| o.io.as_deref()) {
        report::io_error(msg);
    }
    let failed = unreadable
        + outcomes
            .iter()
            .filter(|o| o.errors > 0 || o.io.is_some())
            .count();
    let errors: usize = outcomes.iter().map(|o| o.errors).sum();
    let warnings: usize = outcomes.iter().map(|o| o.warnings).sum();
    let files: usize = outcomes.iter().map(|o| o.files).sum();
    let built = outcomes.len() + unreadable - failed;
    let seconds = started.elapsed().as_secs_f64();
    match args.messages {
        Messages::Json => {
            let _ = write::stdout_lines([serde_json::json!({
                "type": "summary",
                "briefs": built,
                "failed": failed,
                "files": files,
                "errors": errors,
                "warnings": warnings,
                "fresh": fresh_briefs,
                "seconds": (seconds * 1000.0).round() / 1000.0,
            })
            .to_string()]);
        }
        Messages::Text { .. } if many && !args.quiet => {
            report::build_summary(built, files, errors, warnings, fresh_briefs, seconds);
        }
        Messages::Text { .. } => {}
    }
    if outcomes.iter().any(|o| o.io.is_some()) {
        Err(Failure::Io(String::new()))
    } else if failed > 0 {
        Err(Failure::Content)
    } else {
        Ok(())
    }
}

/// Builds one brief (a row's, for a batch) and writes its files; its
/// findings are reported.
fn build_brief(
    kit: &Briefkit,
    pack: &Pack,
    brief: &briefkit::Brief<'_>,
    args: &BuildArgs<'_>,
    announce: bool,
    (ledger, inputs): (&fresh::Ledger, &str),
    bar: Option<&indicatif::ProgressBar>,
) -> Outcome {
    let row = brief.row();
    // Findings print above the progress bar.
    let show = |found: &[Diagnostic]| match bar {
        Some(bar) => bar.suspend(|| args.messages.diagnostics(pack, found, row)),
        None => args.messages.diagnostics(pack, found, row),
    };
    let announce = announce && !args.quiet;
    let messages = args.messages;
    let mut outcome = Outcome::default();
    let name = brief.file_stem();
    let out_dir = out_dir(args, pack);
    // A link or a folder where an output goes: refused before anything is
    // built (the pack may have shipped it).
    let blocked: Vec<Diagnostic> = briefkit::formats::FORMATS
        .iter()
        .filter_map(|f| {
            let path = out_dir.join(format!("{name}.{}", f.extension));
            briefkit_kit::write::refuse_file(&path).map(|why| {
                Diagnostic::error(
                    Some(place(pack, &path)),
                    format!("the output file `{}` {why}", path.display()),
                )
                .with_hint("briefkit writes only regular files it makes itself: remove it, or build into another folder with -o")
            })
        })
        .collect();
    if !blocked.is_empty() {
        show(&blocked);
        outcome.errors = blocked.len();
        return outcome;
    }
    if !args.force {
        if let Some(files) = ledger.fresh(&out_dir, &name, inputs, (&pack.display(), pack.world()))
        {
            outcome.fresh = true;
            outcome.files = files.len();
            for f in &files {
                let path = out_dir.join(&f.name);
                match messages {
                    Messages::Json => artifact_message(pack, row, &f.format, &path, f, true),
                    Messages::Text { .. } if announce => report::fresh(&path),
                    Messages::Text { .. } => {}
                }
            }
            return outcome;
        }
    }
    let rendered = match kit.render(pack, brief) {
        Ok(rendered) => rendered,
        Err(briefkit::Error::Pack(e)) => {
            show(&e.diagnostics);
            outcome.errors = e.errors().count().max(1);
            outcome.warnings = e.diagnostics.len().saturating_sub(outcome.errors);
            return outcome;
        }
        Err(
            e @ (briefkit::Error::Io(_)
            | briefkit::Error::Invalid(_)
            | briefkit::Error::Backend { .. }),
        ) => {
            outcome.io = Some(e.to_string());
            return outcome;
        }
    };
    show(&rendered.warnings);
    outcome.warnings = rendered.warnings.len();
    if messages.verbose() && announce && !rendered.fonts.is_empty() && messages != Messages::Json {
        eprintln!(
            "fonts beside Noto Serif and Noto Sans: {}",
            rendered.fonts.join(", ")
        );
    }
    let written = match rendered.write_to(&out_dir) {
        Ok(w) => w,
        Err(e) => {
            outcome.io = Some(e.to_string());
            return outcome;
        }
    };
    let mut records = Vec::new();
    for file in written {
        outcome.files += 1;
        let record = fresh::FileRecord {
            name: file
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            format: file.format.to_string(),
            bytes: file.bytes,
            sha256: file.sha256,
            pages: file.pages,
        };
        match messages {
            Messages::Json => {
                artifact_message(pack, row, file.format, &file.path, &record, false);
            }
            Messages::Text { .. } if announce => report::wrote(&file.path, file.bytes as usize),
            Messages::Text { .. } => {}
        }
        records.push(record);
    }
    // Pages the brief no longer has, which an earlier build wrote.
    for old in ledger.stale(&out_dir, &name, &records) {
        let path = out_dir.join(&old.name);
        match std::fs::remove_file(&path) {
            Ok(()) if announce && matches!(messages, Messages::Text { .. }) => {
                report::removed(&path);
            }
            Ok(()) => {}
            Err(e) => report::io_warning(&format!("cannot remove {}: {e}", path.display())),
        }
    }
    ledger.record(
        &out_dir,
        &name,
        fresh::BriefRecord {
            inputs: inputs.to_string(),
            read: rendered.inputs,
            files: records,
        },
    );
    outcome
}

/// An `artifact` JSON message.
fn artifact_message(
    pack: &Pack,
    row: Option<&Row>,
    format: &str,
    path: &Path,
    record: &fresh::FileRecord,
    fresh: bool,
) {
    let _ = write::stdout_lines([serde_json::json!({
        "type": "artifact",
        "pack": pack.display(),
        "row": row.map(|r| r.key.as_str()),
        "format": format,
        "path": path.display().to_string(),
        "bytes": record.bytes,
        "sha256": record.sha256,
        "pages": record.pages,
        "fresh": fresh,
    })
    .to_string()]);
}

/// The running program's size and time of last change.
fn program_identity() -> String {
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
        .unwrap_or_default()
}

/// Why a pack's output folder (or its manifest folder) cannot be written
/// into: a symbolic link, or not a folder. The folder a user names with
/// `-o` may be a link (their choice); the default `PACK/out` may not, nor
/// any `.briefkit` manifest folder.
fn refuse_out_dir(pack: &Pack, out: &Path, default: bool) -> Option<Diagnostic> {
    let manifests = out.join(".briefkit");
    let (path, why) = default
        .then(|| briefkit_kit::write::refuse_folder(out).map(|why| (out, why)))
        .flatten()
        .or_else(|| {
            briefkit_kit::write::refuse_folder(&manifests).map(|why| (manifests.as_path(), why))
        })?;
    let what = if path == out { "output" } else { "manifest" };
    Some(
        Diagnostic::error(
            Some(place(pack, path)),
            format!("the {what} folder `{}` {why}", path.display()),
        )
        .with_hint("briefkit writes only into a real folder, never through a link: remove it, or name another folder with -o"),
    )
}

/// Where a path is, for a finding: relative to the pack when it is in the
/// pack (as the pack's own files are named), else absolute.
fn place(pack: &Pack, path: &Path) -> briefkit::Span {
    let root = pack
        .disk()
        .and_then(|d| d.default_out_dir().parent().map(Path::to_path_buf));
    match root.as_deref().map(|r| path.strip_prefix(r)) {
        Some(Ok(rel)) if !rel.as_os_str().is_empty() => {
            briefkit::Span::file(&rel.display().to_string())
        }
        _ => briefkit::Span::file(
            &std::path::absolute(path)
                .unwrap_or_else(|_| path.to_path_buf())
                .display()
                .to_string(),
        ),
    }
}

/// Two briefs whose files would have the same name in the same folder
/// (ignoring case, for file systems that do): an error naming both, and
/// nothing is built. (Rows of one pack are checked when it is opened.)
fn same_names(
    packs: &[Opened<'_>],
    jobs: &[(String, Job)],
    args: &BuildArgs<'_>,
) -> Result<(), Failure> {
    let mut seen: std::collections::HashMap<(PathBuf, String), &Job> =
        std::collections::HashMap::new();
    let mut clash = false;
    for (_, job) in jobs {
        let opened = &packs[job.pack];
        let brief = &opened.briefs[job.brief];
        let name = brief.file_stem();
        let key = (out_dir(args, opened.pack), name.to_lowercase());
        if let Some(first) = seen.get(&key) {
            let other = &packs[first.pack];
            let other_brief = &other.briefs[first.brief];
            let what = |p: &Pack, b: &briefkit::Brief<'_>| match b.key() {
                Some(k) => format!("row `{k}` of {}", p.display()),
                None => p.display(),
            };
            let d = Diagnostic::error(
                brief.row().map(|r| r.location.clone()),
                format!(
                    "the brief of {} and the brief of {} would write the same files `{}.*` into {}",
                    what(other.pack, other_brief),
                    what(opened.pack, brief),
                    other_brief.file_stem(),
                    key.0.display()
                ),
            )
            .with_hint("give the packs different names (or keys), or build them into different folders with -o");
            args.messages.diagnostics(opened.pack, &[d], brief.row());
            clash = true;
        } else {
            seen.insert(key, job);
        }
    }
    if clash {
        Err(Failure::Content)
    } else {
        Ok(())
    }
}

/// `--shard K/N`: `K` of `N`, both from 1.
pub fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let bad = || format!("`{s}` is not a shard: write K/N with 1 ≤ K ≤ N (e.g. 2/4)");
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}
