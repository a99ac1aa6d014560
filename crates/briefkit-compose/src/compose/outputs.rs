//! The outputs a brief is built in, each with the settings its backend
//! owns: `[output.NAME]` in the pack (and the older `[output]` names the
//! backend declares), the caller's settings on top, each checked by its
//! backend and any error placed where it is written; the pack files those
//! settings name, read through the world; and what each backend finds in
//! the document before drawing it.

use super::settings::{file_error, Settings as Source};
use super::ComposeOptions;

use briefkit_model::backend::{Backend, Settings};
use briefkit_model::diagnostic::{nearest, Diagnostic, Span};
use briefkit_model::document::Document;
use briefkit_model::world::World;
use std::collections::BTreeMap;

/// A setting the caller gives, over the pack's (the command line's
/// `--pdf-standard`, a Python keyword).
#[derive(Debug, Clone, PartialEq)]
pub struct GivenSetting {
    /// The format (`pdf`).
    pub format: String,
    /// The key in its table (`standard`).
    pub key: String,
    /// The value; for a key naming a file, its bytes are given in
    /// [`GivenSetting::file`] and the value is only what messages show.
    pub value: serde_json::Value,
    /// The file's bytes, for a setting naming a file (`--reference-docx`).
    pub file: Option<Vec<u8>>,
    /// How messages name where it came from (`--pdf-standard`).
    pub origin: String,
}

/// One output of a brief: its backend, its settings and the bytes of the
/// files they name.
#[derive(Debug, Clone)]
pub struct Output {
    /// The format.
    pub backend: &'static Backend,
    /// Its settings, checked.
    pub settings: Settings,
    /// The pack files its settings name, by key.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Where a setting was written, for its findings.
enum Written {
    /// In the pack's settings, at this path (`["output", "pdf", "standard"]`).
    Pack(Vec<String>),
    /// By the caller.
    Given(String),
}

/// Every backend's settings, checked (for every known format, so that a
/// mistake is found whichever formats this build writes); the outputs of
/// the chosen formats, with their files read. `None` after an error.
pub(super) fn settings(
    source: &Source,
    world: &dyn World,
    options: &ComposeOptions<'_>,
    sink: &mut Vec<Diagnostic>,
) -> Option<Vec<Output>> {
    let output = &source.config.output.formats_settings;
    let before = sink.iter().filter(|d| d.is_error()).count();
    // Keys of `[output]` that are no format's table and no older name.
    for (key, value) in output {
        let is_table = options.backends.iter().any(|b| b.name == key);
        let is_alias = options
            .backends
            .iter()
            .any(|b| b.aliases.iter().any(|(a, _)| a == key));
        if is_table && !value.is_object() {
            sink.push(
                Diagnostic::error(
                    Some(at(source, &["output", key])),
                    format!("`[output] {key}` is a table of the {key} format's settings"),
                )
                .with_hint(format!("write them under a line [output.{key}]")),
            );
        } else if !is_table && !is_alias {
            let known = ["formats", "paper", "citations", "toc"].into_iter().chain(
                options
                    .backends
                    .iter()
                    .flat_map(|b| std::iter::once(b.name).chain(b.aliases.iter().map(|(a, _)| *a))),
            );
            let mut d = Diagnostic::error(
                Some(at(source, &["output", key])),
                format!("unknown setting `{key}` in [output]"),
            );
            if let Some(near) = nearest(key, known).first() {
                d = d.with_hint(format!("did you mean `{near}`?"));
            }
            sink.push(d);
        }
    }
    let mut all = Vec::new();
    for backend in options.backends {
        let mut settings = Settings::new();
        let mut written: BTreeMap<String, Written> = BTreeMap::new();
        for (alias, key) in backend.aliases {
            if let Some(value) = output.get(*alias) {
                settings.insert((*key).to_string(), value.clone());
                written.insert(
                    (*key).to_string(),
                    Written::Pack(vec!["output".into(), (*alias).to_string()]),
                );
            }
        }
        if let Some(serde_json::Value::Object(table)) = output.get(backend.name) {
            for (key, value) in table {
                settings.insert(key.clone(), value.clone());
                written.insert(
                    key.clone(),
                    Written::Pack(vec!["output".into(), backend.name.into(), key.clone()]),
                );
            }
        }
        let mut given_files = BTreeMap::new();
        for given in options.settings.iter().filter(|g| g.format == backend.name) {
            settings.insert(given.key.clone(), given.value.clone());
            written.insert(given.key.clone(), Written::Given(given.origin.clone()));
            if let Some(bytes) = &given.file {
                given_files.insert(given.key.clone(), bytes.clone());
            }
        }
        if let Err(errors) = (backend.settings)(&settings) {
            for e in errors {
                let (location, name) = match written.get(&e.key) {
                    Some(Written::Given(origin)) => (None, origin.clone()),
                    Some(Written::Pack(path)) => {
                        let path: Vec<&str> = path.iter().map(String::as_str).collect();
                        let name = match path.as_slice() {
                            [_, alias] => (*alias).to_string(),
                            _ => format!("[output.{}] {}", backend.name, e.key),
                        };
                        (Some(at(source, &path)), name)
                    }
                    None => (
                        Some(at(source, &["output", backend.name])),
                        format!("[output.{}]", backend.name),
                    ),
                };
                let mut d = Diagnostic::error(location, format!("`{name}`: {}", e.message));
                if let Some(hint) = e.hint {
                    d = d.with_hint(hint);
                }
                sink.push(d);
            }
            continue;
        }
        all.push((backend, settings, written, given_files));
    }
    if sink.iter().filter(|d| d.is_error()).count() > before {
        return None;
    }
    let chosen = chosen(source, options);
    let mut outputs = Vec::new();
    for (backend, settings, written, mut files) in all {
        if !chosen.iter().any(|c| c.name == backend.name) {
            continue;
        }
        for (key, what) in backend.files {
            if files.contains_key(*key) {
                continue;
            }
            let Some(path) = settings.get(*key).and_then(|v| v.as_str()) else {
                continue;
            };
            match world.read(path) {
                Ok(bytes) => {
                    files.insert((*key).to_string(), bytes);
                }
                Err(e) => {
                    let written_at: Vec<&str> = match written.get(*key) {
                        Some(Written::Pack(p)) => p.iter().map(String::as_str).collect(),
                        _ => Vec::new(),
                    };
                    let location = source.places.named(&written_at, path);
                    sink.push(file_error(what, path, &e, location));
                }
            }
        }
        outputs.push(Output {
            backend,
            settings,
            files,
        });
    }
    Some(outputs)
}

/// What each output's backend finds in the document before drawing it.
pub(super) fn check(
    document: &Document,
    outputs: &[Output],
    options: &briefkit_model::RenderOptions,
    sink: &mut Vec<Diagnostic>,
) {
    for output in outputs {
        sink.extend((output.backend.check)(document, &output.settings, options));
    }
}

/// The formats to build: the caller's, else `[output] formats`, else the
/// default ones (PDF, EPUB, DOCX);
/// each once, in the order given.
fn chosen(source: &Source, options: &ComposeOptions<'_>) -> Vec<&'static Backend> {
    let mut chosen: Vec<&'static Backend> = if !options.formats.is_empty() {
        options.formats.to_vec()
    } else {
        match &source.config.output.formats {
            Some(names) => names
                .iter()
                .filter_map(|n| {
                    options
                        .backends
                        .iter()
                        .copied()
                        .find(|b| b.name.eq_ignore_ascii_case(n.trim()))
                })
                .collect(),
            None => options
                .backends
                .iter()
                .copied()
                .filter(|b| b.default)
                .collect(),
        }
    };
    let mut seen = Vec::new();
    chosen.retain(|b| {
        let new = !seen.contains(&b.name);
        seen.push(b.name);
        new
    });
    chosen
}

/// Where a key or value of the settings is (the TOML parser's spans; in
/// front matter, where the key's line starts).
fn at(source: &Source, path: &[&str]) -> Span {
    let places = &source.places;
    places
        .value(path)
        .or_else(|| places.key(path))
        .unwrap_or_else(|| places.at::<&str>(&[]))
}
