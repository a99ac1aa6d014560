//! The extension module `briefkit._briefkit`: the `briefkit` library
//! (`crates/briefkit`) for Python. It is small on purpose: packs and the
//! engine as two classes, results as plain bytes, tuples and JSON text,
//! which `python/briefkit/__init__.py` turns into the typed Python API.
//! Rendering runs with the interpreter released (`Python::detach`), so
//! Python threads render side by side.

use briefkit::{Briefkit, Date, Diagnostic, Pack, PdfStandard, PdfStandards};
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::path::PathBuf;

/// The same allocator as the command line: rendering makes and frees
/// millions of small objects.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

pyo3::create_exception!(
    _briefkit,
    NativePackError,
    pyo3::exceptions::PyException,
    "A pack's findings: args are (text as the command line prints it, JSON list of findings)."
);

/// A pack: a folder, a Markdown file, or files held in memory.
#[pyclass(frozen, name = "Pack", module = "briefkit._briefkit")]
struct NativePack {
    pack: Pack,
}

/// Findings as JSON text: the fields of the command line's JSON messages.
fn findings(pack: Option<&Pack>, found: &[Diagnostic], row: Option<&str>) -> String {
    let show = |path: &str| pack.map_or_else(|| path.to_string(), |p| p.display_path(path));
    serde_json::Value::Array(
        found
            .iter()
            .map(|d| {
                serde_json::Value::Object(briefkit_kit::report::diagnostic_json(
                    Some(&show),
                    d,
                    row,
                ))
            })
            .collect(),
    )
    .to_string()
}

/// A pack's errors as the exception the Python side turns into
/// `briefkit.PackError`.
fn pack_error(pack: Option<&Pack>, e: &briefkit::PackError, row: Option<&str>) -> PyErr {
    NativePackError::new_err((e.to_string(), findings(pack, &e.diagnostics, row)))
}

fn error(pack: Option<&Pack>, e: briefkit::Error, row: Option<&str>) -> PyErr {
    match e {
        briefkit::Error::Pack(e) => pack_error(pack, &e, row),
        briefkit::Error::Io(msg) => PyOSError::new_err(msg),
        briefkit::Error::Invalid(msg) => PyValueError::new_err(msg),
        e @ briefkit::Error::Backend { .. } => PyRuntimeError::new_err(e.to_string()),
    }
}

#[pymethods]
impl NativePack {
    /// Opens a pack folder or Markdown file; `today` (seconds since 1970:
    /// `SOURCE_DATE_EPOCH` or the clock, as the command line takes it)
    /// dates a pack that has no date.
    #[staticmethod]
    fn open(py: Python<'_>, path: PathBuf, today: i64) -> PyResult<Self> {
        py.detach(|| Pack::open(&path, Date::from_unix(today)))
            .map(|pack| Self { pack })
            .map_err(|e| error(None, e, None))
    }

    /// A pack of files held in memory: (path in the pack, bytes) pairs.
    #[staticmethod]
    fn from_files(name: &str, files: Vec<(String, Vec<u8>)>, today: i64) -> PyResult<Self> {
        Pack::from_files(name, files, Date::from_unix(today))
            .map(|pack| Self { pack })
            .map_err(|e| error(None, e, None))
    }

    /// The pack's name: the output files' name.
    #[getter]
    fn name(&self) -> String {
        self.pack.name().to_string()
    }

    /// The keys of a batch pack's rows, in the rows file's order (`None`
    /// for a pack that is one brief).
    #[getter]
    fn keys(&self) -> Option<Vec<String>> {
        self.pack
            .rows()
            .map(|rows| rows.rows.iter().map(|r| r.key.clone()).collect())
    }

    /// The pack as its user named it.
    fn display(&self) -> String {
        self.pack.display()
    }

    /// Where its outputs go by default: `PACK/out` (`out` for a pack in
    /// memory).
    fn default_out_dir(&self) -> PathBuf {
        self.pack.default_out_dir()
    }
}

/// The brief of `key` (the pack itself for `None`).
fn brief<'p>(pack: &'p Pack, key: Option<&str>) -> PyResult<briefkit::Brief<'p>> {
    match key {
        Some(key) => pack.brief(key).map_err(PyValueError::new_err),
        None => match pack.briefs().as_slice() {
            [one] if one.row().is_none() => Ok(*one),
            _ => Err(PyValueError::new_err(
                "the pack is a batch: name the row (its key)",
            )),
        },
    }
}

/// What every brief is built with: templates, fonts, the statistics read,
/// the render threads.
#[pyclass(frozen, name = "Kit", module = "briefkit._briefkit")]
struct Kit {
    kit: Briefkit,
}

/// A file written: (format, path, size, pages or None, sha256).
type WrittenFile = (String, PathBuf, u64, Option<usize>, String);

/// What became of one brief of `write_all`: (key, files written, warnings
/// as JSON, errors as (text, JSON)).
type BriefOutcome = (
    Option<String>,
    Option<Vec<WrittenFile>>,
    String,
    Option<(String, String)>,
);

/// One output file: (format, file name, bytes, pages or None, sha256,
/// part: the page of a page image, else None).
type File<'py> = (
    String,
    String,
    Bound<'py, PyBytes>,
    Option<usize>,
    String,
    Option<String>,
);

#[pymethods]
impl Kit {
    #[new]
    #[pyo3(signature = (formats, templates, reference_docx, pdf_standards, font_paths, system_fonts, every_finding, threads, embed_data, settings))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        formats: Vec<String>,
        templates: Option<PathBuf>,
        reference_docx: Option<Vec<u8>>,
        pdf_standards: Option<Vec<String>>,
        font_paths: Vec<PathBuf>,
        system_fonts: bool,
        every_finding: bool,
        threads: usize,
        embed_data: Option<bool>,
        settings: Vec<(String, String, String)>,
    ) -> PyResult<Self> {
        let formats = formats
            .iter()
            .map(|name| {
                briefkit::formats::by_name(name).ok_or_else(|| {
                    PyValueError::new_err(format!(
                        "unknown format `{name}` (choose {})",
                        briefkit::formats::names().join(", ")
                    ))
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        let mut options = briefkit::Options {
            formats,
            templates,
            font_paths,
            system_fonts,
            every_finding,
            threads,
            embed_data,
            ..briefkit::Options::default()
        };
        if let Some(names) = pdf_standards {
            let list = names
                .iter()
                .map(|n| {
                    PdfStandard::from_name(n)
                        .ok_or_else(|| PyValueError::new_err(format!("unknown PDF standard `{n}`")))
                })
                .collect::<PyResult<Vec<_>>>()?;
            PdfStandards::from_list(&list).map_err(PyValueError::new_err)?;
            options.pdf_standards(&list, "pdf_standards");
        }
        if let Some(bytes) = reference_docx {
            options.set_file("docx", "reference", bytes, "reference_docx");
        }
        // Each format's settings, as `[output.NAME]` holds them: (format,
        // key, the value as JSON).
        for (format, key, json) in settings {
            let value: serde_json::Value = serde_json::from_str(&json).map_err(|e| {
                PyValueError::new_err(format!("settings[{format:?}][{key:?}]: {e}"))
            })?;
            let origin = format!("settings[{format:?}][{key:?}]");
            options.set(&format, &key, value, &origin);
        }
        let kit = Briefkit::new(options).map_err(|e| error(None, e, None))?;
        Ok(Self { kit })
    }

    /// Renders the brief of `key` to bytes: (files, warnings as JSON).
    fn render<'py>(
        &self,
        py: Python<'py>,
        pack: &NativePack,
        key: Option<&str>,
    ) -> PyResult<(Vec<File<'py>>, String)> {
        let pack = &pack.pack;
        let brief = brief(pack, key)?;
        let rendered = py
            .detach(|| self.kit.render(pack, &brief))
            .map_err(|e| error(Some(pack), e, key))?;
        let files = rendered
            .files
            .iter()
            .map(|f| {
                (
                    f.format.name.to_string(),
                    f.name.clone(),
                    PyBytes::new(py, &f.bytes),
                    f.pages,
                    f.sha256(),
                    f.part.clone(),
                )
            })
            .collect();
        Ok((files, findings(Some(pack), &rendered.warnings, key)))
    }

    /// Builds the briefs of `keys` into the folder `out`, side by side on
    /// the render threads (as `briefkit build` does): for each, in order,
    /// (key, written files or None, warnings as JSON, errors as (text,
    /// JSON) or None). A host failure (a file that cannot be written)
    /// raises.
    #[allow(clippy::type_complexity)]
    fn write_all(
        &self,
        py: Python<'_>,
        pack: &NativePack,
        keys: Vec<Option<String>>,
        out: PathBuf,
    ) -> PyResult<Vec<BriefOutcome>> {
        let pack = &pack.pack;
        let briefs = keys
            .iter()
            .map(|k| brief(pack, k.as_deref()))
            .collect::<PyResult<Vec<_>>>()?;
        let results = py.detach(|| {
            let slots: Vec<std::sync::Mutex<Option<Result<_, briefkit::Error>>>> =
                briefs.iter().map(|_| std::sync::Mutex::new(None)).collect();
            self.kit.for_each_index(briefs.len(), |i| {
                let done = self.kit.render(pack, &briefs[i]).and_then(|rendered| {
                    let written = rendered.write_to(&out)?;
                    Ok((written, rendered.warnings))
                });
                if let Ok(mut slot) = slots[i].lock() {
                    *slot = Some(done);
                }
            });
            slots
                .into_iter()
                .map(|s| s.into_inner().ok().flatten())
                .collect::<Vec<_>>()
        });
        let mut outcomes = Vec::new();
        for (key, result) in keys.into_iter().zip(results) {
            let row = key.as_deref();
            match result {
                Some(Ok((written, warnings))) => {
                    let written = written
                        .into_iter()
                        .map(|w| (w.format.to_string(), w.path, w.bytes, w.pages, w.sha256))
                        .collect();
                    let warnings = findings(Some(pack), &warnings, row);
                    outcomes.push((key, Some(written), warnings, None));
                }
                Some(Err(briefkit::Error::Pack(e))) => {
                    let json = findings(Some(pack), &e.diagnostics, row);
                    outcomes.push((key, None, "[]".to_string(), Some((e.to_string(), json))));
                }
                Some(Err(e)) => return Err(error(Some(pack), e, row)),
                None => return Err(PyOSError::new_err("a brief was not built")),
            }
        }
        Ok(outcomes)
    }

    /// Checks the brief of `key` (with the options' formats rendered in
    /// memory): every finding, as JSON.
    fn check(&self, py: Python<'_>, pack: &NativePack, key: Option<&str>) -> PyResult<String> {
        let pack = &pack.pack;
        let brief = brief(pack, key)?;
        let found = py.detach(|| self.kit.check(pack, &brief));
        let found = found.map_err(|e| error(Some(pack), e, key))?;
        Ok(findings(Some(pack), &found, key))
    }
}

/// `brief.toml`'s text from settings given as JSON (tables of values):
/// the TOML writer of the `toml` crate, so strings are quoted as TOML
/// wants them.
#[pyfunction]
fn toml_from_json(json: &str) -> PyResult<String> {
    let value: toml::Value = serde_json::from_str(json)
        .map_err(|e| PyValueError::new_err(format!("settings are not a table of values: {e}")))?;
    toml::to_string(&value).map_err(|e| PyValueError::new_err(format!("settings: {e}")))
}

/// Writes `bytes` to `path` as the command line writes its outputs: to a
/// temporary file beside it, then renamed over it.
#[pyfunction]
fn write_file(py: Python<'_>, path: PathBuf, bytes: Vec<u8>) -> PyResult<()> {
    py.detach(|| briefkit_kit::write::atomic(&path, &bytes))
        .map_err(PyOSError::new_err)
}

/// Verifies a published brief (the bytes of a PDF, EPUB or DOCX made by
/// briefkit) against the data it carries: the report as JSON; a file that
/// cannot be verified raises ValueError (message, hint).
#[pyfunction]
fn verify(py: Python<'_>, bytes: Vec<u8>) -> PyResult<String> {
    match py.detach(|| briefkit::verify::verify(&bytes)) {
        Ok(report) => {
            let mut value = serde_json::to_value(&report)
                .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
            if let Some(map) = value.as_object_mut() {
                map.insert("ok".into(), report.is_ok().into());
            }
            Ok(value.to_string())
        }
        Err(e) => Err(PyValueError::new_err((e.message, e.hint))),
    }
}

/// The names of the output formats.
#[pyfunction]
fn formats() -> Vec<&'static str> {
    briefkit::formats::names()
}

/// The names of the formats built when none are named.
#[pyfunction]
fn default_formats() -> Vec<&'static str> {
    briefkit::formats::FORMATS
        .iter()
        .filter(|f| f.default)
        .map(|f| f.name)
        .collect()
}

/// The extension module.
#[pymodule]
fn _briefkit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativePack>()?;
    m.add_class::<Kit>()?;
    m.add_function(wrap_pyfunction!(toml_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(formats, m)?)?;
    m.add_function(wrap_pyfunction!(default_formats, m)?)?;
    m.add_function(wrap_pyfunction!(write_file, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add("NativePackError", m.py().get_type::<NativePackError>())?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
