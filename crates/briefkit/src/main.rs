//! The `briefkit` command line: reads packs from disk, takes the date from
//! the pack or `SOURCE_DATE_EPOCH`, runs the backends and writes their
//! files atomically. The only crate that touches files, environment and clock.

mod embedded;
mod fonts;
mod report;
mod starter;
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
        /// Pack directory (with brief.toml) or a Markdown file with front matter.
        #[arg(default_value = ".")]
        pack: PathBuf,
        /// Formats to build, comma-separated (default: [output] formats, or all).
        #[arg(short, long, value_delimiter = ',', value_parser = parse_format)]
        format: Vec<&'static OutputFormat>,
        /// Output directory (default: PACK/out/).
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// Directory of templates overriding the embedded ones by name.
        #[arg(long)]
        templates: Option<PathBuf>,
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
    },
    /// Check the pack without building: every figure sourced, every id
    /// known, no number typed into the prose.
    Check {
        /// Pack directory or Markdown file.
        #[arg(default_value = ".")]
        pack: PathBuf,
        /// `text` (like a compiler) or `json` (one record per line, for CI).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// Directory of templates overriding the embedded ones by name.
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Standards the PDF is to claim, checked as `build` would.
        #[arg(long, value_delimiter = ',', value_parser = parse_standard, value_name = "STANDARDS")]
        pdf_standard: Vec<PdfStandard>,
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
            pack,
            format,
            out,
            templates,
            reference_docx,
            pdf_standard,
            font_path,
            ignore_system_fonts,
        } => asked_standards(&pdf_standard).and_then(|pdf| {
            build(
                verbose,
                &pack,
                &BuildArgs {
                    formats: &format,
                    out: out.as_deref(),
                    templates_dir: templates.as_deref(),
                    reference_docx: reference_docx.as_deref(),
                    pdf_standards: pdf,
                    fonts: fonts::FontFinder::new(font_path, !ignore_system_fonts),
                },
            )
        }),
        Command::Check {
            pack,
            format,
            templates,
            pdf_standard,
        } => asked_standards(&pdf_standard)
            .and_then(|pdf| check(verbose, &pack, &format, templates.as_deref(), pdf)),
        Command::Import { file, out } => import(&file, out.as_deref()),
        Command::New { dir } => starter::create(&dir).map_err(Failure::Io),
        Command::Ast { pack, templates } => ast(verbose, &pack, templates.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Content) => ExitCode::from(1),
        Err(Failure::Io(msg)) => {
            report::io_error(&msg);
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

/// A pack read and composed: the pack, its templates, and either the
/// composed document or every finding that stopped it.
type Loaded = (
    DiskWorld,
    embedded::TemplateSet,
    Result<Composed, Vec<briefkit_model::Diagnostic>>,
);

fn compose_pack(
    pack_path: &Path,
    templates_dir: Option<&Path>,
    each_uncited: bool,
    pdf_standards: Option<PdfStandards>,
) -> Result<Loaded, Failure> {
    let disk = DiskWorld::open(pack_path, fallback_date()?).map_err(Failure::Io)?;
    let templates = embedded::TemplateSet::load(templates_dir).map_err(Failure::Io)?;
    let options = briefkit_model::ComposeOptions {
        brief_template: templates.brief(),
        brief_template_name: templates.brief_name(),
        formats: &formats::names(),
        each_uncited,
        pdf_standards,
    };
    let result = match briefkit_model::compose(&disk, disk.entry(), &options) {
        Ok(composed) => Ok(composed),
        Err(briefkit_model::ComposeError::Content { diagnostics }) => Err(diagnostics),
        Err(e) => return Err(Failure::Io(e.to_string())),
    };
    Ok((disk, templates, result))
}

/// Composes a pack for `build` and `ast`, printing its findings.
fn load(
    verbose: bool,
    pack_path: &Path,
    templates_dir: Option<&Path>,
    pdf_standards: Option<PdfStandards>,
) -> Result<(DiskWorld, Composed, embedded::TemplateSet), Failure> {
    let (disk, templates, result) = compose_pack(pack_path, templates_dir, verbose, pdf_standards)?;
    match result {
        Ok(composed) => {
            report::diagnostics(&disk, &composed.warnings, verbose);
            Ok((disk, composed, templates))
        }
        Err(diagnostics) => {
            report::diagnostics(&disk, &diagnostics, verbose);
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
) -> Result<(), Failure> {
    // JSON and --verbose list every unused statistic; text sums them up.
    let (disk, _, result) = compose_pack(
        pack_path,
        templates_dir,
        verbose || format == "json",
        pdf_standards,
    )?;
    let diagnostics = result.map_or_else(|d| d, |composed| composed.warnings);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if format == "json" {
        let lines = diagnostics.iter().map(|d| {
            serde_json::json!({
                "severity": d.severity,
                "file": d.location.as_ref().map(|l| disk.display_path(&l.file)),
                "line": d.location.as_ref().and_then(|l| l.line),
                "column": d.location.as_ref().and_then(|l| l.column),
                "message": d.message,
                "hints": d.hints,
                "kind": d.kind,
            })
            .to_string()
        });
        write::stdout_lines(lines).map_err(Failure::Io)?;
    } else {
        report::diagnostics(&disk, &diagnostics, verbose);
        report::summary(errors, diagnostics.len() - errors);
    }
    if errors > 0 {
        Err(Failure::Content)
    } else {
        Ok(())
    }
}

fn ast(verbose: bool, pack_path: &Path, templates_dir: Option<&Path>) -> Result<(), Failure> {
    let (_, composed, _) = load(verbose, pack_path, templates_dir, None)?;
    let json =
        serde_json::to_string_pretty(&composed.document).map_err(|e| Failure::Io(e.to_string()))?;
    write::stdout_lines([json]).map_err(Failure::Io)
}

/// What `build` was asked for besides the pack.
struct BuildArgs<'a> {
    formats: &'a [&'static OutputFormat],
    out: Option<&'a Path>,
    templates_dir: Option<&'a Path>,
    reference_docx: Option<&'a Path>,
    pdf_standards: Option<PdfStandards>,
    fonts: fonts::FontFinder,
}

fn build(verbose: bool, pack_path: &Path, args: &BuildArgs<'_>) -> Result<(), Failure> {
    let BuildArgs {
        formats,
        out,
        templates_dir,
        reference_docx,
        pdf_standards,
        fonts,
    } = args;
    let (disk, composed, templates) = load(verbose, pack_path, *templates_dir, *pdf_standards)?;
    let mut chosen: Vec<&'static OutputFormat> = if !formats.is_empty() {
        formats.to_vec()
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
    let given = match reference_docx {
        Some(path) => Some(std::fs::read(path).map_err(|e| {
            Failure::Io(format!(
                "cannot read --reference-docx {}: {e}",
                path.display()
            ))
        })?),
        None => None,
    };
    let extra = fonts.select(&composed.document, &composed.config.brief.fonts, &disk);
    if verbose && !extra.families().is_empty() {
        eprintln!(
            "fonts beside Noto Serif and Noto Sans: {}",
            extra.families().join(", ")
        );
    }
    let out_dir = out.map_or_else(|| disk.default_out_dir(), Path::to_path_buf);
    // Render everything first (the formats side by side, on their own
    // threads): a failure in one backend writes nothing. The fonts found on
    // the system are mapped into memory while the outputs are rendered.
    let results = extra
        .with_faces(|extra| {
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
        })
        .ok_or_else(|| Failure::Io("a font file could not be opened".into()))?;
    let mut files = Vec::new();
    for (format, rendered) in chosen.iter().zip(results) {
        let rendered =
            rendered.map_err(|e| Failure::Io(format!("{} backend: {e}", format.name)))?;
        let mut warnings = rendered.warnings;
        for w in warnings.iter_mut().filter(|w| w.location.is_none()) {
            if let Some(c) = w.about {
                w.location = disk.locate(c.encode_utf8(&mut [0; 4]));
            }
        }
        report::diagnostics(&disk, &warnings, verbose);
        files.push((
            out_dir.join(format!("{}.{}", disk.name(), format.extension)),
            rendered.bytes,
        ));
    }
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| Failure::Io(format!("cannot create {}: {e}", out_dir.display())))?;
    for (path, bytes) in &files {
        write::atomic(path, bytes).map_err(Failure::Io)?;
        report::wrote(path, bytes.len());
    }
    Ok(())
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
