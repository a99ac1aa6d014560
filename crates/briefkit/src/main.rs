//! The `briefkit` command line: reads packs from disk, takes the date from
//! the pack or `SOURCE_DATE_EPOCH`, runs the backends and writes their
//! files atomically. The only crate that touches files, environment and clock.

mod build;
mod embedded;
mod fonts;
mod fresh;
mod report;
mod starter;
mod watch;
mod write;

use briefkit::formats::{self, OutputFormat};
use briefkit::world::DiskWorld;
use briefkit_model::{Composed, Date, PdfStandard, PdfStandards, World};

/// Layout and PDF writing make and free millions of small objects:
/// mimalloc does that markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Turn an article and the statistics it cites into a briefing pack:
/// a printable PDF, an EPUB 3 e-book and an editable DOCX.
#[derive(Debug, Parser)]
#[command(name = "briefkit", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print every finding (by default, after ten warnings of one kind the
    /// rest are counted, and many unused statistics are summed up).
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the pack's outputs (PDF, EPUB, DOCX).
    Build {
        /// Packs: a directory with brief.toml, a Markdown file with front
        /// matter, or a directory whose folders are packs.
        #[arg(default_value = ".")]
        packs: Vec<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
        /// A DOCX whose styles and theme the DOCX output takes (house style);
        /// overrides [output] reference_docx.
        #[arg(long, value_name = "FILE")]
        reference_docx: Option<PathBuf>,
        /// Standards the PDF claims, comma-separated: ua-1, a-2a, a-2b, none
        /// (default: [output] pdf_standard, or ua-1,a-2a). Given here, a
        /// claim the pack cannot meet is an error.
        #[arg(long, value_delimiter = ',', value_parser = parse_standard, value_name = "STANDARDS")]
        pdf_standard: Vec<PdfStandard>,
        /// A folder of fonts for scripts the bundled fonts lack (Chinese,
        /// Japanese, ...), searched before the system's; repeatable.
        #[arg(long, value_name = "DIR")]
        font_path: Vec<PathBuf>,
        /// Use only the bundled fonts, the pack's and --font-path's, not the
        /// system's (builds that must not depend on the machine).
        #[arg(long)]
        ignore_system_fonts: bool,
        /// For a pack with [batch]: build only the brief of this row (its
        /// key); repeatable.
        #[arg(long, value_name = "KEY")]
        row: Vec<String>,
        /// Briefs built at once (default: the number of cores).
        #[arg(short, long, value_name = "N")]
        jobs: Option<usize>,
        /// Build only share K of N of the briefs (in pack and key order):
        /// one machine's part of a job split over N (`--shard 2/4`).
        #[arg(long, value_name = "K/N", value_parser = build::parse_shard)]
        shard: Option<(usize, usize)>,
        /// `text` (findings on stderr) or `json` (one JSON object a line on
        /// stdout: diagnostic, artifact and summary messages).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        message_format: String,
        /// Build every brief, even those whose inputs have not changed since
        /// the last build into the output folder.
        #[arg(long)]
        force: bool,
        /// Print findings only: no progress bar, file list or summary.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Check the pack without building: every figure sourced, every id
    /// known, no number typed into the prose.
    Check {
        /// Pack directory or Markdown file.
        #[arg(default_value = ".")]
        pack: PathBuf,
        /// `text` (like a compiler) or `json` (one JSON object a line on
        /// stdout: diagnostic messages and a summary, as `build` prints).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        message_format: String,
        /// The same as --message-format (kept for scripts written before it).
        #[arg(long, value_parser = ["text", "json"], hide = true)]
        format: Option<String>,
        /// Directory of templates overriding the embedded ones by name.
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Standards the PDF is to claim, checked as `build` would.
        #[arg(long, value_delimiter = ',', value_parser = parse_standard, value_name = "STANDARDS")]
        pdf_standard: Vec<PdfStandard>,
        /// For a pack with [batch]: check only this row; repeatable.
        #[arg(long, value_name = "KEY")]
        row: Vec<String>,
    },
    /// Turn a news release saved from the web (text or HTML) into a pack.
    Import {
        /// The saved release (`.txt`, `.html`/`.htm`).
        file: PathBuf,
        /// Directory to write the pack to (default: named after the headline).
        #[arg(short, long)]
        out: Option<PathBuf>,
    },
    /// Create a working starter pack in DIR.
    New {
        /// Directory to create (must not exist or be empty).
        dir: PathBuf,
    },
    /// Build the pack, then build it again whenever one of its files
    /// changes (until interrupted); a save with errors keeps the last good
    /// outputs.
    Watch {
        /// Pack directory or Markdown file.
        #[arg(default_value = ".")]
        pack: PathBuf,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Print a completion script for a shell (bash, zsh, fish, powershell,
    /// elvish): `briefkit completions bash > /etc/bash_completion.d/briefkit`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `briefkit man > briefkit.1`.
    Man,
    /// Print the composed document model as JSON.
    Ast {
        /// Pack directory or Markdown file.
        #[arg(default_value = ".")]
        pack: PathBuf,
        /// Directory of templates overriding the embedded ones by name.
        #[arg(long)]
        templates: Option<PathBuf>,
    },
}

/// What to write and where, for `build` and `watch`.
#[derive(Debug, clap::Args)]
struct OutputArgs {
    /// Formats to build, comma-separated (default: [output] formats, or all).
    #[arg(short, long, value_delimiter = ',', value_parser = parse_format)]
    format: Vec<&'static OutputFormat>,
    /// Output directory (default: PACK/out/).
    #[arg(short, long)]
    out: Option<PathBuf>,
    /// Directory of templates overriding the embedded ones by name.
    #[arg(long)]
    templates: Option<PathBuf>,
}

fn parse_format(s: &str) -> Result<&'static OutputFormat, String> {
    formats::by_name(s).ok_or_else(|| {
        format!(
            "unknown format `{}` (choose {})",
            s.trim(),
            formats::names().join(", ")
        )
    })
}

fn parse_standard(s: &str) -> Result<PdfStandard, String> {
    PdfStandard::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = PdfStandard::ALL.iter().map(|(n, _)| *n).collect();
        format!(
            "unknown PDF standard `{}` (choose {})",
            s.trim(),
            names.join(", ")
        )
    })
}

/// The standards the command line asks for, if it names any.
fn asked_standards(list: &[PdfStandard]) -> Result<Option<PdfStandards>, Failure> {
    if list.is_empty() {
        return Ok(None);
    }
    let mut standards = PdfStandards::from_list(list)
        .map_err(|why| Failure::Io(format!("--pdf-standard: {why}")))?;
    standards.strict = true;
    Ok(Some(standards))
}

/// Exit codes: 0 success, 1 the document has errors, 2 usage or I/O errors.
enum Failure {
    Content,
    Io(String),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let verbose = cli.verbose;
    let result = match cli.command {
        Command::Build {
            packs,
            output:
                OutputArgs {
                    format,
                    out,
                    templates,
                },
            reference_docx,
            pdf_standard,
            font_path,
            ignore_system_fonts,
            row,
            jobs,
            shard,
            message_format,
            force,
            quiet,
        } => asked_standards(&pdf_standard).and_then(|pdf| {
            build::build(
                &packs,
                &build::BuildArgs {
                    formats: &format,
                    out: out.as_deref(),
                    templates_dir: templates.as_deref(),
                    reference_docx: reference_docx.as_deref(),
                    pdf_standards: pdf,
                    fonts: fonts::FontFinder::new(font_path, !ignore_system_fonts),
                    rows: &row,
                    jobs: jobs.unwrap_or_else(default_jobs).max(1),
                    shard,
                    messages: if message_format == "json" {
                        build::Messages::Json
                    } else {
                        build::Messages::Text { verbose }
                    },
                    force,
                    quiet,
                },
            )
        }),
        Command::Check {
            pack,
            message_format,
            format,
            templates,
            pdf_standard,
            row,
        } => asked_standards(&pdf_standard).and_then(|pdf| {
            // The older `--format json` prints the findings only (no summary
            // line), as scripts written for it expect.
            let format = match format {
                Some(f) if f == "json" => "findings-json".to_string(),
                Some(f) => f,
                None => message_format,
            };
            check(verbose, &pack, &format, templates.as_deref(), pdf, &row)
        }),
        Command::Import { file, out } => import(&file, out.as_deref()),
        Command::New { dir } => starter::create(&dir).map_err(Failure::Io),
        Command::Watch {
            pack,
            output:
                OutputArgs {
                    format,
                    out,
                    templates,
                },
        } => watch::watch(
            &pack,
            &build::BuildArgs {
                formats: &format,
                out: out.as_deref(),
                templates_dir: templates.as_deref(),
                reference_docx: None,
                pdf_standards: None,
                fonts: fonts::FontFinder::new(Vec::new(), true),
                rows: &[],
                jobs: default_jobs(),
                shard: None,
                messages: build::Messages::Text { verbose },
                force: false,
                quiet: false,
            },
        ),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "briefkit", &mut std::io::stdout());
            Ok(())
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            let mut page = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .and_then(|()| std::io::Write::write_all(&mut std::io::stdout(), &page))
                .map_err(|e| Failure::Io(e.to_string()))
        }
        Command::Ast { pack, templates } => ast(verbose, &pack, templates.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Content) => ExitCode::from(1),
        Err(Failure::Io(msg)) => {
            // (Empty: already reported, brief by brief.)
            if !msg.is_empty() {
                report::io_error(&msg);
            }
            ExitCode::from(2)
        }
    }
}

/// The date used when a pack has none: `SOURCE_DATE_EPOCH`, else today (UTC).
fn fallback_date() -> Result<Date, Failure> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse::<i64>().map(Date::from_unix).map_err(|_| {
            Failure::Io(format!(
                "SOURCE_DATE_EPOCH=`{v}` is not a whole number of seconds"
            ))
        }),
        Err(_) => {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64);
            Ok(Date::from_unix(secs))
        }
    }
}

/// The number of cores, for `-j`.
fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Opens a pack and its templates.
fn open_pack(
    pack_path: &Path,
    templates_dir: Option<&Path>,
) -> Result<(DiskWorld, embedded::TemplateSet), Failure> {
    let disk = DiskWorld::open(pack_path, fallback_date()?).map_err(Failure::Io)?;
    let templates = embedded::TemplateSet::load(templates_dir).map_err(Failure::Io)?;
    Ok((disk, templates))
}

/// Composes a pack (the brief of `row`, for a batch): the composed
/// document, or every finding that stopped it.
fn compose_pack(
    disk: &DiskWorld,
    templates: &embedded::TemplateSet,
    each_uncited: bool,
    pdf_standards: Option<PdfStandards>,
    row: Option<&briefkit_model::batch::Row>,
) -> Result<Result<Composed, Vec<briefkit_model::Diagnostic>>, Failure> {
    let options = briefkit_model::ComposeOptions {
        brief_template: templates.brief(),
        brief_template_name: templates.brief_name(),
        formats: &formats::names(),
        each_uncited,
        pdf_standards,
        row,
    };
    match briefkit_model::compose(disk, disk.entry(), &options) {
        Ok(composed) => Ok(Ok(composed)),
        Err(briefkit_model::ComposeError::Content { diagnostics }) => Ok(Err(diagnostics)),
        Err(e) => Err(Failure::Io(e.to_string())),
    }
}

/// The rows of a batch pack to work on: all, or those `--row` names (an
/// unknown key is an error listing the keys). `Ok(None)` for a pack that
/// is one brief; a broken rows file is printed and is a content failure.
fn chosen_rows(
    disk: &DiskWorld,
    asked: &[String],
    verbose: bool,
) -> Result<Option<(briefkit_model::batch::Rows, Vec<usize>)>, Failure> {
    let rows = match briefkit_model::compose::batch_rows(disk, disk.entry()) {
        Ok(Some(rows)) => rows,
        Ok(None) if asked.is_empty() => return Ok(None),
        Ok(None) => {
            return Err(Failure::Io(
                "--row: the pack has no [batch] section (it is one brief)".into(),
            ))
        }
        Err(d) => {
            report::diagnostics(disk, &[d], verbose);
            return Err(Failure::Content);
        }
    };
    let mut picked = Vec::new();
    for key in asked {
        match rows.rows.iter().position(|r| &r.key == key) {
            Some(i) => picked.push(i),
            None => {
                let keys: Vec<&str> = rows.rows.iter().take(8).map(|r| r.key.as_str()).collect();
                return Err(Failure::Io(format!(
                    "--row {key}: no row of {} has that `{}` (keys: {}{})",
                    rows.file,
                    rows.key,
                    keys.join(", "),
                    if rows.rows.len() > 8 { ", ..." } else { "" }
                )));
            }
        }
    }
    if asked.is_empty() {
        picked = (0..rows.rows.len()).collect();
    }
    Ok(Some((rows, picked)))
}

/// A batch row's findings say which row they are about.
fn for_row(
    diagnostics: &mut [briefkit_model::Diagnostic],
    row: Option<&briefkit_model::batch::Row>,
) {
    if let Some(row) = row {
        let place = format!("{}:{}", row.location.file, row.location.line.unwrap_or(1));
        for d in diagnostics {
            d.hints
                .push(format!("in the brief of row `{}` ({place})", row.key));
        }
    }
}

/// Composes a pack for `build` and `ast`, printing its findings.
fn load(
    verbose: bool,
    disk: &DiskWorld,
    templates: &embedded::TemplateSet,
    pdf_standards: Option<PdfStandards>,
    row: Option<&briefkit_model::batch::Row>,
) -> Result<Composed, Failure> {
    match compose_pack(disk, templates, verbose, pdf_standards, row)? {
        Ok(mut composed) => {
            for_row(&mut composed.warnings, row);
            report::diagnostics(disk, &composed.warnings, verbose);
            Ok(composed)
        }
        Err(mut diagnostics) => {
            for_row(&mut diagnostics, row);
            report::diagnostics(disk, &diagnostics, verbose);
            Err(Failure::Content)
        }
    }
}

/// Writes the pack that `briefkit_model::import` makes of a saved release.
fn import(file: &Path, out: Option<&Path>) -> Result<(), Failure> {
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::Io(format!("cannot read {}: {e}", file.display())))?;
    let text = String::from_utf8_lossy(&bytes);
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let html = ext == "html" || ext == "htm" || text.trim_start().starts_with('<');
    let name = file.file_name().map_or_else(
        || "release".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let pack = briefkit_import::import(&text, html, &name);
    let dir = match out {
        Some(d) => d.to_path_buf(),
        None => {
            let title = pack
                .brief_toml
                .lines()
                .find_map(|l| l.strip_prefix("title = "))
                .unwrap_or("release");
            PathBuf::from(briefkit_model::compose::slug(title.trim_matches('"')))
        }
    };
    if dir.exists()
        && std::fs::read_dir(&dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Failure::Io(format!(
            "{} exists and is not empty; choose another directory with -o",
            dir.display()
        )));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::Io(format!("cannot create {}: {e}", dir.display())))?;
    for (name, text) in [
        ("brief.toml", &pack.brief_toml),
        ("article.md", &pack.article_md),
        ("stats.csv", &pack.stats_csv),
    ] {
        write::atomic(&dir.join(name), text.as_bytes()).map_err(Failure::Io)?;
    }
    if !pack.warnings.is_empty() {
        match DiskWorld::open(file, Date::from_unix(0)) {
            Ok(world) => {
                // Read through the world so the findings quote their lines.
                let _ = world.read_text(&name);
                report::diagnostics(&world, &pack.warnings, false);
            }
            Err(_) => pack
                .warnings
                .iter()
                .for_each(|w| report::io_warning(&w.message)),
        }
    }
    eprintln!(
        "imported {} into {}: check it with `briefkit check {}`",
        file.display(),
        dir.display(),
        dir.display()
    );
    Ok(())
}

/// Composes the pack and reports every finding; exit 1 when there are errors.
fn check(
    verbose: bool,
    pack_path: &Path,
    format: &str,
    templates_dir: Option<&Path>,
    pdf_standards: Option<PdfStandards>,
    rows: &[String],
) -> Result<(), Failure> {
    let (disk, templates) = open_pack(pack_path, templates_dir)?;
    let batch = chosen_rows(&disk, rows, verbose)?;
    let briefs: Vec<Option<&briefkit_model::batch::Row>> = match &batch {
        None => vec![None],
        Some((rows, picked)) => picked.iter().map(|&i| Some(&rows.rows[i])).collect(),
    };
    // JSON and --verbose list every unused statistic; text sums them up.
    let mut diagnostics = Vec::new();
    let count = briefs.len();
    for row in briefs {
        let result = compose_pack(
            &disk,
            &templates,
            verbose || format.ends_with("json"),
            pdf_standards,
            row,
        )?;
        let mut found = result.map_or_else(|d| d, |composed| composed.warnings);
        for_row(&mut found, row);
        diagnostics.extend(found.into_iter().map(|d| (d, row)));
    }
    let errors = diagnostics.iter().filter(|(d, _)| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if format.ends_with("json") {
        let summary = format == "json";
        let lines = diagnostics
            .iter()
            .map(|(d, row)| build::diagnostic_json(&disk, d, *row).to_string())
            .chain(summary.then(|| {
                serde_json::json!({
                    "type": "summary",
                    "briefs": count,
                    "errors": errors,
                    "warnings": warnings,
                })
                .to_string()
            }));
        write::stdout_lines(lines).map_err(Failure::Io)?;
    } else {
        let all: Vec<briefkit_model::Diagnostic> =
            diagnostics.into_iter().map(|(d, _)| d).collect();
        report::diagnostics(&disk, &all, verbose);
        report::summary(errors, warnings);
    }
    if errors > 0 {
        Err(Failure::Content)
    } else {
        Ok(())
    }
}

fn ast(verbose: bool, pack_path: &Path, templates_dir: Option<&Path>) -> Result<(), Failure> {
    let (disk, templates) = open_pack(pack_path, templates_dir)?;
    // A batch pack: the document of its first row.
    let batch = chosen_rows(&disk, &[], verbose)?;
    let row = batch.as_ref().map(|(rows, _)| &rows.rows[0]);
    let composed = load(verbose, &disk, &templates, None, row)?;
    let json =
        serde_json::to_string_pretty(&composed.document).map_err(|e| Failure::Io(e.to_string()))?;
    write::stdout_lines([json]).map_err(Failure::Io)
}
