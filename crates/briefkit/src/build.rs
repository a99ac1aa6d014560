//! `briefkit build`: packs (a batch pack is a brief per row) to files, many
//! briefs at once in one process, reported as text or as JSON messages.

use crate::{
    chosen_rows, compose_pack, embedded, fonts, for_row, formats, fresh, report, write, Failure,
};
use briefkit::formats::OutputFormat;
use briefkit::world::DiskWorld;
use briefkit_model::batch::Row;
use briefkit_model::{Diagnostic, PdfStandards};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
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
    pub fn diagnostics(self, disk: &DiskWorld, found: &[Diagnostic], row: Option<&Row>) {
        match self {
            Messages::Text { verbose } => report::diagnostics(disk, found, verbose),
            Messages::Json => {
                let lines = found
                    .iter()
                    .map(|d| diagnostic_json(disk, d, row).to_string());
                let _ = write::stdout_lines(lines);
            }
        }
    }
}

/// A finding as a JSON message (`check --format json` prints the same
/// fields, without `type`, `pack` and `row`).
pub fn diagnostic_json(disk: &DiskWorld, d: &Diagnostic, row: Option<&Row>) -> serde_json::Value {
    serde_json::json!({
        "type": "diagnostic",
        "pack": disk.root_display(),
        "row": row.map(|r| r.key.as_str()),
        "severity": d.severity,
        "file": d.location.as_ref().map(|l| disk.display_path(&l.file)),
        "line": d.location.as_ref().and_then(|l| l.line),
        "column": d.location.as_ref().and_then(|l| l.column),
        "message": d.message,
        "hints": d.hints,
        "kind": d.kind,
    })
}

/// What `build` was asked for besides the packs.
pub struct BuildArgs<'a> {
    /// `-f`.
    pub formats: &'a [&'static OutputFormat],
    /// `-o`.
    pub out: Option<&'a Path>,
    /// `--templates`.
    pub templates_dir: Option<&'a Path>,
    /// `--reference-docx`.
    pub reference_docx: Option<&'a Path>,
    /// `--pdf-standard`.
    pub pdf_standards: Option<PdfStandards>,
    /// `--font-path`, `--ignore-system-fonts`.
    pub fonts: fonts::FontFinder,
    /// `--row` keys.
    pub rows: &'a [String],
    /// `-j`.
    pub jobs: usize,
    /// `--shard K/N`: this machine's share of the briefs.
    pub shard: Option<(usize, usize)>,
    /// Text or JSON.
    pub messages: Messages,
    /// `--force`: build even briefs that are fresh.
    pub force: bool,
    /// `--quiet`: no progress bar, file list or summary (findings only).
    pub quiet: bool,
}

/// One brief to build: a pack, and a row of it for a batch.
struct Job {
    pack: usize,
    row: Option<usize>,
}

/// A pack opened for building.
struct Pack {
    disk: DiskWorld,
    rows: Option<briefkit_model::batch::Rows>,
    /// The hash of its files (for fresh briefs).
    hash: String,
}

/// Where a pack's briefs are written.
fn out_dir(args: &BuildArgs<'_>, disk: &DiskWorld) -> PathBuf {
    args.out
        .map_or_else(|| disk.default_out_dir(), Path::to_path_buf)
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
pub fn build(paths: &[PathBuf], args: &BuildArgs<'_>) -> Result<(), Failure> {
    let started = std::time::Instant::now();
    let verbose = args.messages.verbose();
    let templates = embedded::TemplateSet::load(args.templates_dir).map_err(Failure::Io)?;
    let mut packs = Vec::new();
    let mut jobs = Vec::new();
    // Packs whose rows file could not be read (reported; the others go on).
    let mut unreadable = 0;
    for path in expand(paths)? {
        let disk = DiskWorld::open(&path, crate::fallback_date()?).map_err(Failure::Io)?;
        let rows = match chosen_rows(&disk, args.rows, verbose) {
            Ok(r) => r,
            Err(Failure::Content) => {
                unreadable += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        let pack = packs.len();
        match &rows {
            None => jobs.push((String::new(), Job { pack, row: None })),
            Some((all, picked)) => jobs.extend(
                picked
                    .iter()
                    .map(|&i| (all.rows[i].key.clone(), Job { pack, row: Some(i) })),
            ),
        }
        let hash = fresh::pack_hash(disk.root_dir(), &out_dir(args, &disk));
        packs.push(Pack {
            disk,
            rows: rows.map(|(r, _)| r),
            hash,
        });
    }
    // A deterministic share: the briefs in pack and key order, every N-th.
    jobs.sort_by(|a, b| (a.1.pack, &a.0).cmp(&(b.1.pack, &b.0)));
    let jobs: Vec<Job> = jobs
        .into_iter()
        .enumerate()
        .filter(|(i, _)| args.shard.is_none_or(|(k, n)| i % n == k - 1))
        .map(|(_, (_, job))| job)
        .collect();
    let many = jobs.len() > 1 || packs.iter().any(|p| p.rows.is_some());
    let ledger = fresh::Ledger::new(args.shard);
    // The date a pack without one is dated is an input too.
    let options = format!(
        "{} {}",
        options_hash(args, &templates),
        crate::fallback_date()?.iso()
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
    let next = AtomicUsize::new(0);
    let outcomes = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..args.jobs.clamp(1, jobs.len().max(1)) {
            s.spawn(|| loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(n) else { break };
                let pack = &packs[job.pack];
                let row = job.row.and_then(|i| pack.rows.as_ref().map(|r| &r.rows[i]));
                let inputs = {
                    let mut h = fresh::Inputs::new();
                    h.add("pack", pack.hash.as_bytes());
                    h.add("options", options.as_bytes());
                    if let Some(row) = row {
                        h.add(
                            "row",
                            serde_json::to_string(row).unwrap_or_default().as_bytes(),
                        );
                    }
                    h.finish()
                };
                let outcome = build_brief(
                    &pack.disk,
                    &templates,
                    row,
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
        }
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

/// Builds one brief (a row's, for a batch) and writes its files; every
/// finding is reported as it is found.
fn build_brief(
    disk: &DiskWorld,
    templates: &embedded::TemplateSet,
    row: Option<&Row>,
    args: &BuildArgs<'_>,
    announce: bool,
    (ledger, inputs): (&fresh::Ledger, &str),
    bar: Option<&indicatif::ProgressBar>,
) -> Outcome {
    // Findings print above the progress bar.
    let show = |found: &[Diagnostic]| match bar {
        Some(bar) => bar.suspend(|| args.messages.diagnostics(disk, found, row)),
        None => args.messages.diagnostics(disk, found, row),
    };
    let announce = announce && !args.quiet;
    let messages = args.messages;
    let verbose = messages.verbose();
    let mut outcome = Outcome::default();
    // A batch brief is named after its row: NAME-KEY.pdf.
    let name = match row {
        Some(row) => format!("{}-{}", disk.name(), row.file_key()),
        None => disk.name().to_string(),
    };
    let out_dir = out_dir(args, disk);
    if !args.force {
        if let Some(files) = ledger.fresh(&out_dir, &name, inputs) {
            outcome.fresh = true;
            outcome.files = files.len();
            for f in &files {
                let path = out_dir.join(&f.name);
                match messages {
                    Messages::Json => artifact_message(disk, row, &f.format, &path, f, true),
                    Messages::Text { .. } if announce => report::fresh(&path),
                    Messages::Text { .. } => {}
                }
            }
            return outcome;
        }
    }
    let composed = match compose_pack(disk, templates, verbose, args.pdf_standards, row) {
        Err(Failure::Io(e)) => {
            outcome.io = Some(e);
            return outcome;
        }
        Err(Failure::Content) => {
            outcome.errors = 1;
            return outcome;
        }
        Ok(Err(mut found)) => {
            for_row(&mut found, row);
            show(&found);
            outcome.errors = found.iter().filter(|d| d.is_error()).count().max(1);
            outcome.warnings = found.len() - outcome.errors.min(found.len());
            return outcome;
        }
        Ok(Ok(mut composed)) => {
            for_row(&mut composed.warnings, row);
            show(&composed.warnings);
            outcome.warnings = composed.warnings.len();
            composed
        }
    };
    let mut chosen: Vec<&'static OutputFormat> = if !args.formats.is_empty() {
        args.formats.to_vec()
    } else {
        match &composed.config.output.formats {
            // Checked while composing: every name is known.
            Some(names) => names.iter().filter_map(|n| formats::by_name(n)).collect(),
            None => formats::FORMATS.iter().collect(),
        }
    };
    let mut seen = Vec::new();
    chosen.retain(|f| {
        let new = !seen.contains(&f.name);
        seen.push(f.name);
        new
    });
    // The pack's own files came through the world (inside the pack);
    // `--reference-docx` is the user's own choice and is read as given.
    let given = match args.reference_docx {
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                outcome.io = Some(format!(
                    "cannot read --reference-docx {}: {e}",
                    path.display()
                ));
                return outcome;
            }
        },
        None => None,
    };
    let extra = args
        .fonts
        .select(&composed.document, &composed.config.brief.fonts, disk);
    if verbose && announce && !extra.families().is_empty() && messages != Messages::Json {
        eprintln!(
            "fonts beside Noto Serif and Noto Sans: {}",
            extra.families().join(", ")
        );
    }
    // Render everything first (the formats side by side, on their own
    // threads): a failure in one backend writes nothing. The fonts found on
    // the system are mapped into memory while the outputs are rendered.
    let results = extra.with_faces(|extra| {
        let assets = briefkit_model::Assets {
            serif: embedded::SERIF,
            sans: embedded::SANS,
            images: &composed.images,
            templates: templates.all(),
            extra,
            reference_docx: given.as_deref().or(composed.reference_docx.as_deref()),
        };
        render_all(
            &chosen,
            &composed.document,
            &assets,
            &composed.render_options(),
        )
    });
    let Some(results) = results else {
        outcome.io = Some("a font file could not be opened".into());
        return outcome;
    };
    let mut files = Vec::new();
    for (format, rendered) in chosen.iter().zip(results) {
        let rendered = match rendered {
            Ok(r) => r,
            Err(e) => {
                outcome.io = Some(format!("{} backend: {e}", format.name));
                return outcome;
            }
        };
        let mut warnings = rendered.warnings;
        for w in warnings.iter_mut().filter(|w| w.location.is_none()) {
            if let Some(c) = w.about {
                w.location = disk.locate(c.encode_utf8(&mut [0; 4]));
            }
        }
        for_row(&mut warnings, row);
        show(&warnings);
        outcome.warnings += warnings.len();
        files.push((
            *format,
            out_dir.join(format!("{name}.{}", format.extension)),
            rendered.bytes,
            rendered.pages,
        ));
    }
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        outcome.io = Some(format!("cannot create {}: {e}", out_dir.display()));
        return outcome;
    }
    let mut records = Vec::new();
    for (format, path, bytes, pages) in &files {
        if let Err(e) = write::atomic(path, bytes) {
            outcome.io = Some(e);
            return outcome;
        }
        outcome.files += 1;
        let record = fresh::FileRecord {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            format: format.name.to_string(),
            bytes: bytes.len() as u64,
            modified: std::fs::metadata(path)
                .ok()
                .and_then(|m| fresh::modified(&m))
                .unwrap_or(0),
            sha256: Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            pages: *pages,
        };
        match messages {
            Messages::Json => artifact_message(disk, row, format.name, path, &record, false),
            Messages::Text { .. } if announce => report::wrote(path, bytes.len()),
            Messages::Text { .. } => {}
        }
        records.push(record);
    }
    ledger.record(
        &out_dir,
        &name,
        fresh::BriefRecord {
            inputs: inputs.to_string(),
            files: records,
        },
    );
    outcome
}

/// An `artifact` JSON message.
fn artifact_message(
    disk: &DiskWorld,
    row: Option<&Row>,
    format: &str,
    path: &Path,
    record: &fresh::FileRecord,
    fresh: bool,
) {
    let _ = write::stdout_lines([serde_json::json!({
        "type": "artifact",
        "pack": disk.root_display(),
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

/// What of the options changes the outputs, as text for the input hash.
fn options_hash(args: &BuildArgs<'_>, templates: &embedded::TemplateSet) -> String {
    let mut h = fresh::Inputs::new();
    let formats: Vec<&str> = args.formats.iter().map(|f| f.name).collect();
    h.add("formats", formats.join(",").as_bytes());
    h.add("pdf", format!("{:?}", args.pdf_standards).as_bytes());
    h.add("fonts", args.fonts.describe().as_bytes());
    if let Some(path) = args.reference_docx {
        h.add("reference", &std::fs::read(path).unwrap_or_default());
    }
    for (name, text) in templates.all() {
        h.add(name, text.as_bytes());
    }
    h.finish()
}

/// Renders each format on its own thread, side by side.
fn render_all(
    chosen: &[&'static OutputFormat],
    document: &briefkit_model::Document,
    assets: &briefkit_model::Assets<'_>,
    options: &briefkit_model::RenderOptions,
) -> Vec<Result<briefkit_model::Rendered, String>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = chosen
            .iter()
            .map(|format| {
                // Nesting is bounded before rendering, so recursion depth is
                // too; a roomy stack keeps every build far from its end.
                std::thread::Builder::new()
                    .stack_size(RENDER_STACK)
                    .spawn_scoped(s, move || {
                        (format.render)(document, assets, options).map_err(|e| error_chain(&*e))
                    })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|_| Err("the renderer stopped unexpectedly".to_string())),
                Err(e) => Err(format!("cannot start a render thread: {e}")),
            })
            .collect()
    })
}

/// Stack for each render thread (the default is 2 MiB).
const RENDER_STACK: usize = 64 << 20;

/// An error and its causes, `: `-separated (the cause is never lost).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
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
