//! The `briefkit` command line: reads packs from disk, takes the date from
//! the pack or `SOURCE_DATE_EPOCH`, runs the backends and writes their
//! files atomically. The only crate that touches files, environment and clock.

mod build;
mod fresh;
mod report;
mod serve;
mod starter;
mod verify;
mod watch;

use briefkit::formats::{self, OutputFormat};
use briefkit::PdfStandard;
use briefkit::{Brief, Briefkit, Pack, PackError};
use briefkit_kit::write;
use briefkit_model::Date;

/// Layout and PDF writing make and free millions of small objects:
/// mimalloc does that markedly faster than the system allocator. (The
/// feature `system-allocator` leaves it out, for heap profilers such as
/// heaptrack, which see only the system's allocator.)
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use clap::{Parser, Subcommand};
use std::io::Write as _;
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
        /// overrides [output.docx] reference.
        #[arg(long, value_name = "FILE")]
        reference_docx: Option<PathBuf>,
        /// Standards the PDF claims, comma-separated: ua-1, a-2a, a-2b, a-3a,
        /// a-3b, none (default: [output.pdf] standard, or ua-1,a-2a; PDF/A-2
        /// becomes PDF/A-3 when the PDF carries the brief's data). Given here, a
        /// claim the pack cannot meet is an error (as [output.pdf] strict).
        #[arg(long, value_delimiter = ',', value_parser = parse_standard, value_name = "STANDARDS")]
        pdf_standard: Vec<PdfStandard>,
        /// Leave the brief's data (its statistics as CSV and JSON, and their
        /// provenance) out of the outputs, over [output] embed_data; the PDF
        /// then claims PDF/A-2 rather than PDF/A-3.
        #[arg(long)]
        no_embed_data: bool,
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
        /// Formats to render in memory as well, comma-separated (nothing is
        /// written): their findings too, such as a glyph no font has.
        /// (`json` or `text` here is the older name of --message-format.)
        #[arg(short, long, value_delimiter = ',', value_parser = parse_check_format, value_name = "FORMATS")]
        format: Vec<CheckFormat>,
        /// Directory of templates overriding the embedded ones by name.
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Standards the PDF is to claim, checked as `build` would.
        #[arg(long, value_delimiter = ',', value_parser = parse_standard, value_name = "STANDARDS")]
        pdf_standard: Vec<PdfStandard>,
        /// As for `build`.
        #[arg(long)]
        no_embed_data: bool,
        /// For a pack with [batch]: check only this row; repeatable.
        #[arg(long, value_name = "KEY")]
        row: Vec<String>,
        /// As for `build`, for the formats rendered with -f.
        #[arg(long, value_name = "DIR")]
        font_path: Vec<PathBuf>,
        /// As for `build`, for the formats rendered with -f.
        #[arg(long)]
        ignore_system_fonts: bool,
    },
    /// Check published briefs (PDF, EPUB, DOCX) against the data they
    /// carry: every figure prints its statistic, the data matches its
    /// checksums; numbers of the text that are not figures are listed.
    /// Exit 0 when every file verifies, 1 when one does not.
    Verify {
        /// The files: PDF, EPUB or DOCX made by briefkit.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// `text` (findings on stderr) or `json` (one JSON object a line on
        /// stdout: a `finding` per finding, a `report` per file).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        message_format: String,
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
    /// Preview the brief live in the browser: an HTTP server on 127.0.0.1
    /// shows its pages, its e-book and its findings, updated on every save
    /// of a pack file (nothing is written).
    Serve {
        /// Pack directories or Markdown files (the same brief in several
        /// languages, say: the page picks one).
        #[arg(default_value = ".")]
        packs: Vec<PathBuf>,
        /// The port (0: any free port; the address is printed).
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// The address to listen on. Anything but a loopback address lets
        /// other machines read the brief (a warning says so).
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// Open the page in the desktop's browser.
        #[arg(long)]
        open: bool,
        /// Directory of templates overriding the embedded ones by name.
        #[arg(long)]
        templates: Option<PathBuf>,
        /// As for `build`.
        #[arg(long, value_name = "DIR")]
        font_path: Vec<PathBuf>,
        /// As for `build`.
        #[arg(long)]
        ignore_system_fonts: bool,
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
        /// For a pack with [batch]: the document of this row (its key);
        /// the first row's without it.
        #[arg(long, value_name = "KEY")]
        row: Option<String>,
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
    /// Page images (-f png,svg): which pages, `1`, `1-3`, `2,5-` (default:
    /// [output.png] / [output.svg] pages, or every page).
    #[arg(long, value_name = "PAGES")]
    pages: Option<String>,
    /// PNG pages: pixels per inch, 1 to 600 (default: [output.png] ppi, or 144).
    #[arg(long, value_name = "PPI")]
    ppi: Option<f64>,
}

impl OutputArgs {
    /// The page images' settings given on the command line.
    fn page_settings(pages: Option<String>, ppi: Option<f64>, options: &mut briefkit::Options) {
        if let Some(pages) = pages {
            for format in ["png", "svg"] {
                options.set(format, "pages", pages.clone().into(), "--pages");
            }
        }
        if let Some(ppi) = ppi {
            options.set("png", "ppi", ppi.into(), "--ppi");
        }
    }
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

/// A value of `check --format`: an output format, or (the option's
/// older meaning) a message format.
#[derive(Debug, Clone)]
enum CheckFormat {
    Output(&'static OutputFormat),
    Messages(String),
}

fn parse_check_format(s: &str) -> Result<CheckFormat, String> {
    match s.trim() {
        m @ ("json" | "text") => Ok(CheckFormat::Messages(m.to_string())),
        other => parse_format(other).map(CheckFormat::Output),
    }
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

/// Exit codes: 0 success, 1 the document has errors, 2 usage or I/O errors.
enum Failure {
    Content,
    Io(String),
}

fn main() -> ExitCode {
    // No transparent huge pages: mimalloc asks for them, and each 2 MiB
    // page a thread touches stays resident, which took a three-page brief
    // from 26 to 40 MiB; long documents are no slower without them now
    // that they allocate little (README, Speed). Where the call fails
    // (another kernel), nothing changes.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
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
                    pages,
                    ppi,
                },
            reference_docx,
            pdf_standard,
            no_embed_data,
            font_path,
            ignore_system_fonts,
            row,
            jobs,
            shard,
            message_format,
            force,
            quiet,
        } => (|| {
            let mut options = briefkit::Options {
                formats: format,
                templates,
                font_paths: font_path,
                system_fonts: !ignore_system_fonts,
                every_finding: verbose || message_format == "json",
                threads: jobs.unwrap_or(0),
                embed_data: no_embed_data.then_some(false),
                ..briefkit::Options::default()
            };
            options.pdf_standards(&pdf_standard, "--pdf-standard");
            OutputArgs::page_settings(pages, ppi, &mut options);
            if let Some(path) = reference_docx {
                let bytes = std::fs::read(&path).map_err(|e| {
                    Failure::Io(format!(
                        "cannot read --reference-docx {}: {e}",
                        path.display()
                    ))
                })?;
                options.set_file("docx", "reference", bytes, "--reference-docx");
            }
            let kit = Briefkit::new(options).map_err(|e| Failure::Io(e.to_string()))?;
            build::build(
                &packs,
                &kit,
                &build::BuildArgs {
                    out: out.as_deref(),
                    rows: &row,
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
        })(),
        Command::Check {
            pack,
            message_format,
            format,
            templates,
            pdf_standard,
            no_embed_data,
            row,
            font_path,
            ignore_system_fonts,
        } => {
            // The older `--format json` prints the findings only (no summary
            // line), as scripts written for it expect.
            let mut messages = message_format;
            let mut render = Vec::new();
            for f in format {
                match f {
                    CheckFormat::Output(f) => render.push(f),
                    CheckFormat::Messages(m) if m == "json" => messages = "findings-json".into(),
                    CheckFormat::Messages(m) => messages = m,
                }
            }
            let mut options = briefkit::Options {
                formats: render,
                templates,
                font_paths: font_path,
                system_fonts: !ignore_system_fonts,
                embed_data: no_embed_data.then_some(false),
                ..briefkit::Options::default()
            };
            options.pdf_standards(&pdf_standard, "--pdf-standard");
            check(verbose, &pack, &messages, options, &row)
        }

        Command::Verify {
            files,
            message_format,
        } => verify::run(&files, message_format == "json"),
        Command::Import { file, out } => import(&file, out.as_deref()),
        Command::New { dir } => starter::create(&dir).map_err(Failure::Io),
        Command::Watch {
            pack,
            output:
                OutputArgs {
                    format,
                    out,
                    templates,
                    pages,
                    ppi,
                },
        } => Briefkit::new({
            let mut options = briefkit::Options {
                formats: format,
                templates,
                every_finding: verbose,
                ..briefkit::Options::default()
            };
            OutputArgs::page_settings(pages, ppi, &mut options);
            options
        })
        .map_err(|e| Failure::Io(e.to_string()))
        .and_then(|kit| {
            watch::watch(
                &pack,
                &kit,
                &build::BuildArgs {
                    out: out.as_deref(),
                    rows: &[],
                    shard: None,
                    messages: build::Messages::Text { verbose },
                    force: false,
                    quiet: false,
                },
            )
        }),
        Command::Serve {
            packs,
            port,
            host,
            open,
            templates,
            font_path,
            ignore_system_fonts,
        } => {
            let mut options = briefkit::Options {
                formats: ["pdf", "epub", "docx", "svg"]
                    .iter()
                    .filter_map(|f| formats::by_name(f))
                    .collect(),
                templates,
                font_paths: font_path,
                system_fonts: !ignore_system_fonts,
                every_finding: verbose,
                ..briefkit::Options::default()
            };
            // Every page, whatever the pack's [output.svg] pages say.
            options.set("svg", "pages", "1-".into(), "serve");
            Briefkit::new(options)
                .map_err(|e| Failure::Io(e.to_string()))
                .and_then(|kit| {
                    serve::serve(
                        &serve::ServeArgs {
                            packs,
                            host,
                            port,
                            open,
                        },
                        kit,
                    )
                })
        }
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
        Command::Ast {
            pack,
            templates,
            row,
        } => ast(verbose, &pack, templates, row.as_deref()),
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

/// Opens a pack; a broken rows file is printed and is a content failure.
fn open_pack(pack_path: &Path) -> Result<Pack, Failure> {
    match Pack::open(pack_path, fallback_date()?) {
        Ok(pack) => Ok(pack),
        Err(briefkit::Error::Pack(e)) => {
            print_pack_error(&e);
            Err(Failure::Content)
        }
        Err(
            e @ (briefkit::Error::Io(_)
            | briefkit::Error::Invalid(_)
            | briefkit::Error::Backend { .. }),
        ) => Err(Failure::Io(e.to_string())),
    }
}

/// Opens a pack for `check`: as [`open_pack`], but with `--format json`
/// the findings that stop it opening (a broken `brief.toml` or rows file)
/// are JSON lines on stdout too, as every other finding of `check` is.
fn open_pack_to_check(pack_path: &Path, format: &str) -> Result<Pack, Failure> {
    if !format.ends_with("json") {
        return open_pack(pack_path);
    }
    match Pack::open(pack_path, fallback_date()?) {
        Err(briefkit::Error::Pack(e)) => {
            // Names a pack file by the pack's path.
            let show = |rel: &str| {
                let dir = if pack_path.is_dir() {
                    pack_path
                } else {
                    pack_path.parent().unwrap_or(pack_path)
                };
                dir.join(rel).display().to_string()
            };
            let errors = e.errors().count();
            let lines = e
                .diagnostics
                .iter()
                .map(|d| {
                    let map = briefkit_kit::report::diagnostic_json(Some(&show), d, None);
                    serde_json::Value::Object(map).to_string()
                })
                .chain((format == "json").then(|| {
                    serde_json::json!({
                        "type": "summary",
                        "briefs": 0,
                        "errors": errors,
                        "warnings": e.diagnostics.len() - errors,
                    })
                    .to_string()
                }));
            write::stdout_lines(lines).map_err(Failure::Io)?;
            Err(Failure::Content)
        }
        Ok(pack) => Ok(pack),
        Err(e) => Err(Failure::Io(e.to_string())),
    }
}

/// Prints findings found before a pack could be opened.
fn print_pack_error(e: &PackError) {
    let _ = writeln!(std::io::stderr(), "{e}\n");
}

/// The briefs of a pack to work on: all, or the rows `--row` names (an
/// unknown key is an error listing the keys).
fn chosen_briefs<'p>(pack: &'p Pack, asked: &[String]) -> Result<Vec<Brief<'p>>, Failure> {
    if asked.is_empty() {
        return Ok(pack.briefs());
    }
    asked
        .iter()
        .map(|key| {
            pack.brief(key)
                .map_err(|why| Failure::Io(format!("--row {key}: {why}")))
        })
        .collect()
}

/// Writes the pack that `briefkit_model::import` makes of a saved release.
fn import(file: &Path, out: Option<&Path>) -> Result<(), Failure> {
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::Io(format!("cannot read {}: {e}", file.display())))?;
    let text = String::from_utf8_lossy(&bytes);
    let name = file.file_name().map_or_else(
        || "release".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let format = briefkit_import::Format::guess(&name, &text);
    let pack = briefkit_import::import(&text, format, &name);
    let dir = match out {
        Some(d) => d.to_path_buf(),
        None => {
            let title = pack
                .brief_toml
                .lines()
                .find_map(|l| l.strip_prefix("title = "))
                .unwrap_or("release");
            PathBuf::from(briefkit_compose::compose::slug(title.trim_matches('"')))
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
    // A doubt about a figure is placed in the pack's files; the others at
    // the release.
    let show = |p: &str| {
        if p == name {
            file.display().to_string()
        } else {
            dir.join(p).display().to_string()
        }
    };
    report::diagnostics(&show, &pack.warnings, false);
    eprintln!(
        "imported {} into {}: check it with `briefkit check {}`",
        file.display(),
        dir.display(),
        dir.display()
    );
    Ok(())
}

/// Composes the pack (and renders the `-f` formats in memory) and reports
/// every finding; exit 1 when there are errors.
fn check(
    verbose: bool,
    pack_path: &Path,
    format: &str,
    options: briefkit::Options,
    rows: &[String],
) -> Result<(), Failure> {
    let kit = Briefkit::new(briefkit::Options {
        // JSON and --verbose list every unused statistic; text sums them up.
        every_finding: verbose || format.ends_with("json"),
        ..options
    })
    .map_err(|e| Failure::Io(e.to_string()))?;
    let pack = open_pack_to_check(pack_path, format)?;
    let briefs = chosen_briefs(&pack, rows)?;
    let count = briefs.len();
    let mut diagnostics = Vec::new();
    for brief in &briefs {
        let found = kit
            .check(&pack, brief)
            .map_err(|e| Failure::Io(e.to_string()))?;
        diagnostics.extend(found.into_iter().map(|d| (d, brief.row())));
    }
    let errors = diagnostics.iter().filter(|(d, _)| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if format.ends_with("json") {
        let summary = format == "json";
        let lines = diagnostics
            .iter()
            .map(|(d, row)| build::diagnostic_json(&pack, d, *row).to_string())
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
        report::diagnostics(&|p| pack.display_path(p), &all, verbose);
        report::summary(errors, warnings);
    }
    if errors > 0 {
        Err(Failure::Content)
    } else {
        Ok(())
    }
}

fn ast(
    verbose: bool,
    pack_path: &Path,
    templates: Option<PathBuf>,
    row: Option<&str>,
) -> Result<(), Failure> {
    let kit = Briefkit::new(briefkit::Options {
        templates,
        every_finding: verbose,
        ..briefkit::Options::default()
    })
    .map_err(|e| Failure::Io(e.to_string()))?;
    let pack = open_pack(pack_path)?;
    // A batch pack: the document of the row asked for, else of its first.
    let asked: Vec<String> = row.map(str::to_string).into_iter().collect();
    let Some(brief) = chosen_briefs(&pack, &asked)?.into_iter().next() else {
        return Err(Failure::Io("the pack's rows file has no rows".into()));
    };
    let composed = match kit.compose(&pack, &brief) {
        Ok(composed) => {
            report::diagnostics(&|p| pack.display_path(p), &composed.warnings, verbose);
            composed
        }
        Err(e) => {
            report::diagnostics(&|p| pack.display_path(p), &e.diagnostics, verbose);
            return Err(Failure::Content);
        }
    };
    let json =
        serde_json::to_string_pretty(&composed.document).map_err(|e| Failure::Io(e.to_string()))?;
    write::stdout_lines([json]).map_err(Failure::Io)
}
