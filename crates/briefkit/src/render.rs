//! Building briefs: [`Briefkit`] holds what every brief shares (templates,
//! the font search, statistics files already read) and turns a brief of a
//! [`Pack`] into files' bytes, or into files in a folder.

use crate::formats::{self, OutputFormat};
use crate::pack::{for_row, Brief, Pack};
use crate::templates::TemplateSet;
use briefkit_compose::compose::GivenSetting;
use briefkit_compose::statistics::StatisticsCache;
use briefkit_compose::Composed;
use briefkit_kit::{bundled, font_search, report, write};
use briefkit_model::Diagnostic;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What every brief is built with. `Options::default()` builds the
/// formats each pack asks for (all three if it does not say), with the
/// embedded templates, the bundled fonts and the system's.
#[derive(Debug, Clone)]
pub struct Options {
    /// The formats to build (empty: `[output] formats` of each pack, or all).
    pub formats: Vec<&'static OutputFormat>,
    /// A folder of templates overriding the embedded ones by name.
    pub templates: Option<PathBuf>,
    /// Formats' settings over the packs' `[output.NAME]` (see
    /// [`Options::set`] and [`Options::set_file`]).
    pub settings: Vec<GivenSetting>,
    /// Folders of fonts for scripts the bundled fonts lack, searched
    /// before the system's.
    pub font_paths: Vec<PathBuf>,
    /// Whether the system's fonts are searched.
    pub system_fonts: bool,
    /// Report every finding (every unused statistic, not a sum of them).
    pub every_finding: bool,
    /// Threads rendering briefs and their formats (0: one per core). The
    /// outputs do not depend on it.
    pub threads: usize,
    /// Whether the outputs carry the brief's data, over each pack's
    /// `[output] embed_data` (`Some(false)`: `--no-embed-data`).
    pub embed_data: Option<bool>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            formats: Vec::new(),
            templates: None,
            settings: Vec::new(),
            font_paths: Vec::new(),
            system_fonts: true,
            every_finding: false,
            threads: 0,
            embed_data: None,
        }
    }
}

impl Options {
    /// Gives a format's setting over the packs' (`set("pdf", "standard",
    /// json!(["ua-1"]), "--pdf-standard")`); `origin` names it in messages.
    pub fn set(
        &mut self,
        format: &str,
        key: &str,
        value: serde_json::Value,
        origin: &str,
    ) -> &mut Self {
        self.settings.push(GivenSetting {
            format: format.into(),
            key: key.into(),
            value,
            file: None,
            origin: origin.into(),
        });
        self
    }

    /// Asks for PDF standards as a caller's choice: `[output.pdf] standard`
    /// and `strict` (a claim the pack cannot meet is then an error), named
    /// `origin` in messages. An empty list asks for nothing.
    pub fn pdf_standards(&mut self, list: &[briefkit_pdf::PdfStandard], origin: &str) -> &mut Self {
        if list.is_empty() {
            return self;
        }
        let names: Vec<serde_json::Value> = list
            .iter()
            .filter_map(|s| serde_json::to_value(s).ok())
            .collect();
        self.set("pdf", "standard", names.into(), origin)
            .set("pdf", "strict", true.into(), origin)
    }

    /// Gives a format's setting that names a file, as the file's bytes
    /// (`set_file("docx", "reference", bytes, "--reference-docx")`).
    pub fn set_file(&mut self, format: &str, key: &str, bytes: Vec<u8>, origin: &str) -> &mut Self {
        self.settings.push(GivenSetting {
            format: format.into(),
            key: key.into(),
            value: serde_json::Value::String(origin.into()),
            file: Some(bytes),
            origin: origin.into(),
        });
        self
    }
}

/// Why a brief was not built.
#[derive(Debug)]
pub enum Error {
    /// The pack has errors: its findings.
    Pack(PackError),
    /// The host failed: a file that cannot be read or written, a font
    /// file that cannot be opened, a thread that cannot be started.
    Io(String),
    /// What the caller gave cannot be used: an unknown format or a setting
    /// a format does not take, files in memory that do not make a pack.
    Invalid(String),
    /// A backend could not make its file from a valid document (a bundled
    /// font it cannot use, a file it cannot finish): a defect to report,
    /// not the pack's fault.
    Backend {
        /// The format's name (`pdf`, `epub`, `docx`).
        format: &'static str,
        /// What the backend said.
        message: String,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Pack(e) => e.fmt(f),
            Error::Io(msg) | Error::Invalid(msg) => f.write_str(msg),
            Error::Backend { format, message } => write!(f, "{format} backend: {message}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<PackError> for Error {
    fn from(e: PackError) -> Self {
        Error::Pack(e)
    }
}

/// A pack's errors (and its warnings), as values and as the text the
/// command line prints (`file:line:column`, the line quoted, hints).
#[derive(Debug, Clone)]
pub struct PackError {
    /// Every finding, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    text: String,
}

impl PackError {
    /// The findings, with their text rendered (each file named by
    /// `show_path`).
    pub fn new(diagnostics: Vec<Diagnostic>, show_path: report::ShowPath<'_>) -> Self {
        let text = report::to_text(show_path, &diagnostics);
        Self { diagnostics, text }
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text.trim_end())
    }
}

impl std::error::Error for PackError {}

/// One output file's bytes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Its format.
    pub format: &'static OutputFormat,
    /// Its file name (`NAME.pdf`, `NAME-KEY.pdf` for a batch row).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its number of pages, for a format that has pages (PDF).
    pub pages: Option<usize>,
    /// Which of its format's files it is, for a format that writes several
    /// (the page's number, for a page image): `NAME-PART.png`.
    pub part: Option<String>,
}

impl OutputFile {
    /// The SHA-256 of the bytes, in hexadecimal.
    pub fn sha256(&self) -> String {
        crate::hash::sha256_hex(&self.bytes)
    }
}

/// A brief built: its files' bytes and every warning.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The files, in the order of the formats.
    pub files: Vec<OutputFile>,
    /// Warnings of composition and of the backends (errors stop a build).
    pub warnings: Vec<Diagnostic>,
    /// The font families used beside the bundled Noto Serif and Sans.
    pub fonts: Vec<String>,
    /// Every pack file (and folder listing) the brief read, with the hash
    /// of what it read: its inputs, for incremental builds.
    pub inputs: Vec<crate::inputs::Input>,
    /// The brief's title, language, fixed words and the rest of its
    /// metadata, as composed.
    pub metadata: briefkit_model::Metadata,
    /// Its paper.
    pub paper: briefkit_model::Paper,
}

/// The data files a brief carries, unless its pack says
/// `[output] embed_data = false`.
fn attachments(
    pack: &Pack,
    brief: &Brief<'_>,
    composed: &Composed,
    inputs: &[crate::inputs::Input],
) -> Vec<briefkit_model::Attachment> {
    if composed.config.output.embed_data {
        crate::data::attachments(&composed.document, pack.name(), brief.key(), inputs)
    } else {
        Vec::new()
    }
}

/// A file written.
#[derive(Debug, Clone)]
pub struct Written {
    /// Where it was written.
    pub path: PathBuf,
    /// Its format's name.
    pub format: &'static str,
    /// Its size.
    pub bytes: u64,
    /// The SHA-256 of its bytes, in hexadecimal.
    pub sha256: String,
    /// Its number of pages, for a format that has pages.
    pub pages: Option<usize>,
}

impl Rendered {
    /// The bytes of the file of a format (`"pdf"`, `"epub"`, `"docx"`).
    pub fn file(&self, format: &str) -> Option<&OutputFile> {
        self.files.iter().find(|f| f.format.name == format)
    }

    /// Writes every file into `dir` (created if needed), each atomically:
    /// a reader never sees a half-written file, and a failure leaves the
    /// file there was before. `dir` may be a link to a folder (the
    /// caller's choice); a symbolic link (or anything but a regular file)
    /// where a file goes is refused, never written through, and then no
    /// file is written.
    pub fn write_to(&self, dir: &Path) -> Result<Vec<Written>, Error> {
        write::make_folder(dir, true).map_err(Error::Io)?;
        // A link or anything but a regular file where one of them goes
        // (a page image's name is known only now): nothing is written.
        for file in &self.files {
            let path = dir.join(&file.name);
            if let Some(why) = write::refuse_file(&path) {
                return Err(Error::Io(format!(
                    "cannot write {}: it {why}",
                    path.display()
                )));
            }
        }
        let mut written = Vec::new();
        for file in &self.files {
            let path = dir.join(&file.name);
            write::atomic(&path, &file.bytes).map_err(Error::Io)?;
            written.push(Written {
                path,
                format: file.format.name,
                bytes: file.bytes.len() as u64,
                sha256: file.sha256(),
                pages: file.pages,
            });
        }
        Ok(written)
    }
}

/// What every brief shares: the templates, the font search (system fonts
/// scanned once), statistics files already read. Make one and build every
/// brief with it; it can be shared by threads.
pub struct Briefkit {
    options: Options,
    /// Every brief and format renders as a task of this pool: briefs
    /// rendered side by side and the formats of each share the cores
    /// without oversubscribing them.
    pool: rayon::ThreadPool,
    templates: TemplateSet,
    /// Each format's templates, by format.
    format_templates: BTreeMap<&'static str, BTreeMap<String, String>>,
    fonts: font_search::FontFinder,
    statistics: StatisticsCache,
    /// The hashes of large inputs, shared by the briefs of a batch.
    hashes: crate::inputs::Hashes,
}

impl Briefkit {
    /// Loads the templates (the embedded ones, with `options.templates`'
    /// overrides) and checks the settings the options give (an unknown
    /// format or key, a value the format cannot use is an error naming
    /// where the setting came from).
    pub fn new(options: Options) -> Result<Self, Error> {
        let templates = TemplateSet::load(options.templates.as_deref()).map_err(Error::Io)?;
        check_given(&options.settings)?;
        let format_templates = formats::FORMATS
            .iter()
            .map(|f| (f.name, templates.of(f)))
            .collect();
        let fonts = font_search::FontFinder::new(options.font_paths.clone(), options.system_fonts);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(options.threads)
            .stack_size(RENDER_STACK)
            .thread_name(|i| format!("briefkit-{i}"))
            .build()
            .map_err(|e| Error::Io(format!("cannot start the render threads: {e}")))?;
        Ok(Self {
            options,
            pool,
            templates,
            format_templates,
            fonts,
            statistics: StatisticsCache::default(),
            hashes: crate::inputs::Hashes::default(),
        })
    }

    /// The options it builds with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Calls `f` for `0..count` on the render threads, as many at once as
    /// there are threads: for building many briefs (each `render` inside
    /// shares the same threads).
    pub fn for_each_index(&self, count: usize, f: impl Fn(usize) + Sync + Send) {
        use rayon::prelude::*;
        self.pool
            .install(|| (0..count).into_par_iter().with_max_len(1).for_each(f));
    }

    /// What of the options changes the outputs, hashed: an input of every
    /// brief for incremental builds (`every_finding` changes only the
    /// findings, and is left out).
    pub fn fingerprint(&self) -> String {
        let mut h = crate::hash::Inputs::new();
        let formats: Vec<&str> = self.options.formats.iter().map(|f| f.name).collect();
        h.add("formats", formats.join(",").as_bytes());
        for given in &self.options.settings {
            h.add(
                &format!("{}.{}", given.format, given.key),
                given.value.to_string().as_bytes(),
            );
            if let Some(bytes) = &given.file {
                h.add("file", bytes);
            }
        }
        h.add("fonts", self.fonts.describe().as_bytes());
        if let Some(embed) = self.options.embed_data {
            h.add("embed_data", if embed { b"true" } else { b"false" });
        }
        for (name, text) in self.templates.all() {
            h.add(name, text.as_bytes());
        }
        h.finish()
    }

    /// Composes a brief: the document every backend renders, with its
    /// warnings; or the pack's findings when it has errors. A batch row's
    /// findings carry a hint naming the row.
    pub fn compose(&self, pack: &Pack, brief: &Brief<'_>) -> Result<Composed, PackError> {
        self.compose_from(pack.world(), pack, brief)
    }

    /// Composes a brief reading its files through `world` (the pack's, or
    /// a recorder of it).
    fn compose_from(
        &self,
        world: &dyn briefkit_model::World,
        pack: &Pack,
        brief: &Brief<'_>,
    ) -> Result<Composed, PackError> {
        let options = briefkit_compose::ComposeOptions {
            brief_template: self.templates.brief(),
            brief_template_name: self.templates.brief_name(),
            backends: &formats::FORMATS,
            formats: &self.options.formats,
            settings: &self.options.settings,
            each_uncited: self.options.every_finding,
            row: brief.row,
            statistics: Some(&self.statistics),
            embed_data: self.options.embed_data,
        };
        match briefkit_compose::compose(world, pack.entry(), &options) {
            Ok(mut composed) => {
                for_row(&mut composed.warnings, brief.row);
                Ok(composed)
            }
            Err(briefkit_compose::ComposeError::Content { mut diagnostics }) => {
                for_row(&mut diagnostics, brief.row);
                Err(PackError::new(diagnostics, &|p| pack.display_path(p)))
            }
            Err(other) => Err(PackError::new(
                vec![Diagnostic::error(None, other.to_string())],
                &|p| pack.display_path(p),
            )),
        }
    }

    /// Checks a brief, writing nothing: every finding, errors and warnings.
    /// With formats in the options, those are rendered in memory too, for
    /// what only rendering finds (a character no font has); an error here
    /// is then a failure of the host or a backend, not of the pack.
    pub fn check(&self, pack: &Pack, brief: &Brief<'_>) -> Result<Vec<Diagnostic>, Error> {
        if self.options.formats.is_empty() {
            return Ok(match self.compose(pack, brief) {
                Ok(composed) => composed.warnings,
                Err(e) => e.diagnostics,
            });
        }
        match self.render(pack, brief) {
            Ok(rendered) => Ok(rendered.warnings),
            Err(Error::Pack(e)) => Ok(e.diagnostics),
            Err(e) => Err(e),
        }
    }

    /// The formats a composed brief is built in: the options', else the
    /// pack's `[output] formats`, else all; each once.
    pub fn formats_of(&self, composed: &Composed) -> Vec<&'static OutputFormat> {
        composed.outputs.iter().map(|o| o.backend).collect()
    }

    /// Builds a brief into its files' bytes (nothing is written). The
    /// formats render side by side, each on its own thread; a failure in
    /// one returns an error and no files.
    pub fn render(&self, pack: &Pack, brief: &Brief<'_>) -> Result<Rendered, Error> {
        self.pool.install(|| {
            let recorder = crate::inputs::Recorder::new(pack.world(), &self.hashes);
            let composed = self.compose_from(&recorder, pack, brief)?;
            let extra =
                self.fonts
                    .select(&composed.document, &composed.config.brief.fonts, &recorder);
            let inputs = recorder.into_inputs();
            let attachments = attachments(pack, brief, &composed, &inputs);
            let mut rendered = self.render_with(brief, composed, &extra, &attachments)?;
            rendered.inputs = inputs;
            Ok(rendered)
        })
    }

    /// Renders a brief composed by [`Briefkit::compose`] (its provenance
    /// record lists no inputs: composition was not watched).
    pub fn render_composed(
        &self,
        pack: &Pack,
        brief: &Brief<'_>,
        composed: Composed,
    ) -> Result<Rendered, Error> {
        let extra = self.fonts.select(
            &composed.document,
            &composed.config.brief.fonts,
            pack.world(),
        );
        let attachments = attachments(pack, brief, &composed, &[]);
        self.render_with(brief, composed, &extra, &attachments)
    }

    /// Renders a composed brief with the fonts chosen for it.
    fn render_with(
        &self,
        brief: &Brief<'_>,
        composed: Composed,
        extra: &font_search::Extra,
        attachments: &[briefkit_model::Attachment],
    ) -> Result<Rendered, Error> {
        let chosen = self.formats_of(&composed);
        let results = extra.with_faces(|faces| {
            let assets = briefkit_model::Assets {
                serif: bundled::SERIF,
                sans: bundled::SANS,
                images: &composed.images,
                extra: faces,
            };
            let options = composed.render_options();
            let none = BTreeMap::new();
            let jobs: Vec<_> = composed
                .outputs
                .iter()
                .map(|output| briefkit_model::Job {
                    document: &composed.document,
                    assets: &assets,
                    options: &options,
                    settings: &output.settings,
                    templates: self
                        .format_templates
                        .get(output.backend.name)
                        .unwrap_or(&none),
                    files: &output.files,
                    attachments,
                })
                .collect();
            self.pool.install(|| render_all(&chosen, &jobs))
        });
        let results = results.ok_or_else(|| Error::Io("a font file could not be opened".into()))?;
        // The font search's and the backends' findings, which name the
        // brief's row as composition's already do.
        let mut found = extra.warnings.clone();
        let stem = brief.file_stem();
        let mut files = Vec::new();
        let mut said: std::collections::HashSet<String> = found
            .iter()
            .map(|w| serde_json::to_string(w).unwrap_or_default())
            .collect();
        for (format, rendered) in chosen.iter().zip(results) {
            let rendered = rendered.map_err(|e| Error::Backend {
                format: format.name,
                message: e.to_string(),
            })?;
            // Two formats drawing the same pages find the same things
            // (a glyph no font has): each said once (by its JSON, in a set:
            // a pack with thousands of findings stays linear).
            for warning in rendered.warnings {
                if said.insert(serde_json::to_string(&warning).unwrap_or_default()) {
                    found.push(warning);
                }
            }
            if rendered.parts.is_empty() {
                files.push(OutputFile {
                    format,
                    name: format!("{stem}.{}", format.extension),
                    bytes: rendered.bytes,
                    pages: rendered.pages,
                    part: None,
                });
            } else {
                // One file a part (a page image a page): NAME-PAGE.png.
                for part in rendered.parts {
                    files.push(OutputFile {
                        format,
                        name: format!("{stem}-{}.{}", part.suffix, format.extension),
                        bytes: part.bytes,
                        pages: None,
                        part: Some(part.suffix),
                    });
                }
            }
        }
        for_row(&mut found, brief.row);
        let paper = composed.render_options().paper;
        let mut warnings = composed.warnings;
        warnings.extend(found);
        Ok(Rendered {
            files,
            warnings,
            fonts: extra.families().iter().map(|s| (*s).to_string()).collect(),
            inputs: Vec::new(),
            metadata: composed.document.metadata,
            paper,
        })
    }
}

/// Checks the settings given over the packs': a known format and key, a
/// value the format can use.
fn check_given(given: &[GivenSetting]) -> Result<(), Error> {
    for format in given.iter().map(|g| g.format.as_str()) {
        if formats::by_name(format).is_none() {
            return Err(Error::Invalid(format!(
                "unknown output format `{format}` (the formats are: {})",
                formats::names().join(", ")
            )));
        }
    }
    for format in formats::FORMATS {
        let settings: briefkit_model::Settings = given
            .iter()
            .filter(|g| g.format == format.name)
            .map(|g| (g.key.clone(), g.value.clone()))
            .collect();
        if let Err(errors) = (format.settings)(&settings) {
            let text: Vec<String> = errors
                .iter()
                .map(|e| {
                    let origin = given
                        .iter()
                        .find(|g| g.format == format.name && g.key == e.key)
                        .map_or(e.key.as_str(), |g| g.origin.as_str());
                    format!("{origin}: {}", e.message)
                })
                .collect();
            return Err(Error::Invalid(text.join("\n")));
        }
    }
    Ok(())
}

/// Renders the formats side by side, as tasks of the current pool.
fn render_all(
    chosen: &[&'static OutputFormat],
    jobs: &[briefkit_model::Job<'_>],
) -> Vec<Result<briefkit_model::RenderedFile, String>> {
    use rayon::prelude::*;
    chosen
        .par_iter()
        .zip(jobs.par_iter())
        .with_max_len(1)
        .map(|(format, job)| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                (format.render)(job).map_err(|e| error_chain(&*e))
            }))
            .unwrap_or_else(|_| Err("the renderer stopped unexpectedly".to_string()))
        })
        .collect()
}

/// Stack for each thread of the pool (the default is 2 MiB): nesting is
/// bounded before rendering, so recursion depth is too, and a roomy stack
/// keeps every build far from its end.
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
