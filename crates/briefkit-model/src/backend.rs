//! What an output format is to the rest of briefkit: one [`Backend`] value,
//! which its crate defines and owns — its name and extension, its default
//! templates, the settings it reads from `[output.NAME]` (and checks), what
//! it can tell about a document before drawing it, and its renderer.
//!
//! The engine lists the backends once (a format is one crate plus one
//! registration); composition reads each backend's settings from the pack
//! and the command line, and hands every render a [`Job`] holding only
//! what that backend owns.

use crate::assets::{Assets, RenderOptions, RenderedFile};
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use std::collections::BTreeMap;

/// A backend's failure, with its cause kept (each backend's own typed error).
pub type RenderError = Box<dyn std::error::Error + Send + Sync>;

/// A format's settings: the pack's `[output.NAME]` table (and its older
/// names, see [`Backend::aliases`]), with the caller's settings on top.
/// Each backend reads its own typed options from it.
pub type Settings = serde_json::Map<String, serde_json::Value>;

/// A setting a backend cannot use: the key, what is wrong and what to
/// write instead. The caller places it (at the value in `brief.toml`, or
/// names the command-line option that gave it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    /// The key in the format's table (`standard`).
    pub key: String,
    /// What is wrong with its value.
    pub message: String,
    /// What to write instead.
    pub hint: Option<String>,
}

impl SettingError {
    /// An error about a key's value.
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// With a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Several errors in one line, `key: message; key: message` (for a
    /// backend handed settings its own check refuses).
    pub fn joined(errors: &[SettingError]) -> String {
        errors
            .iter()
            .map(|e| format!("{}: {}", e.key, e.message))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The error from reading a settings table with serde (`unknown field
    /// `x``, `invalid type`), for a backend whose options derive
    /// `Deserialize`: the key is the field the message names, when it
    /// names one.
    pub fn from_serde(error: &serde_json::Error, keys: &[&str]) -> Self {
        let message = error.to_string();
        let key = message
            .split('`')
            .nth(1)
            .filter(|k| !k.is_empty())
            .unwrap_or("")
            .to_string();
        let known = keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        Self {
            key,
            message,
            hint: Some(format!("the settings of this format are {known}")),
        }
    }
}

/// Everything one render of one backend gets.
#[derive(Debug, Clone, Copy)]
pub struct Job<'a> {
    /// The document.
    pub document: &'a Document,
    /// Fonts and images (shared by every backend).
    pub assets: &'a Assets<'a>,
    /// Paper and contents (the pack's `[output] paper` and `toc`).
    pub options: &'a RenderOptions,
    /// Its settings, checked by [`Backend::settings`].
    pub settings: &'a Settings,
    /// Its templates by name (the backend's defaults with the user's
    /// overrides applied).
    pub templates: &'a BTreeMap<String, String>,
    /// The bytes of the pack files its settings name, by key (see
    /// [`Backend::files`]).
    pub files: &'a BTreeMap<String, Vec<u8>>,
    /// Files to carry beside the brief (its data; none when the pack sets
    /// `[output] embed_data = false`).
    pub attachments: &'a [crate::Attachment],
}

impl Job<'_> {
    /// A template's text (empty when the caller has none of that name).
    pub fn template(&self, name: &str) -> &str {
        self.templates.get(name).map_or("", String::as_str)
    }
}

/// One output format.
pub struct Backend {
    /// The name users write (`-f pdf`, `[output] formats = ["pdf"]`,
    /// `[output.pdf]`).
    pub name: &'static str,
    /// The output file's extension.
    pub extension: &'static str,
    /// Built when neither the caller nor the pack names the formats (the
    /// PDF, EPUB and DOCX; not the page images).
    pub default: bool,
    /// Its default templates, by the name a user's override file has in
    /// the `--templates` folder (`epub/style.css`).
    pub templates: &'static [(&'static str, &'static str)],
    /// Older `[output]` keys that mean one of its settings:
    /// (`[output]` key, its own key), e.g. (`pdf_standard`, `standard`).
    pub aliases: &'static [(&'static str, &'static str)],
    /// Its settings whose value names a pack file, which the caller reads
    /// (through the pack's world) and hands over in [`Job::files`]: (key,
    /// what the file is, for messages: `reference DOCX`).
    pub files: &'static [(&'static str, &'static str)],
    /// Checks its settings (the pack's and the caller's).
    pub settings: fn(&Settings) -> Result<(), Vec<SettingError>>,
    /// What it finds in a document before drawing it: a claim it cannot
    /// make, a part it cannot show. Called with settings that passed
    /// [`Backend::settings`].
    pub check: fn(&Document, &Settings, &RenderOptions) -> Vec<Diagnostic>,
    /// Renders a document to the file's bytes and the warnings of drawing.
    pub render: fn(&Job<'_>) -> Result<RenderedFile, RenderError>,
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// No settings to check (a backend with no options).
pub fn no_settings(settings: &Settings) -> Result<(), Vec<SettingError>> {
    match settings.keys().next() {
        None => Ok(()),
        Some(key) => Err(vec![SettingError::new(
            key.clone(),
            format!("unknown setting `{key}`: this format has no settings"),
        )
        .with_hint("remove the setting")]),
    }
}

/// Nothing to check in a document.
pub fn no_check(_: &Document, _: &Settings, _: &RenderOptions) -> Vec<Diagnostic> {
    Vec::new()
}

impl Backend {
    /// Renders with no settings (its defaults), its own default templates
    /// and no files: the format as it comes, for tests and simple callers.
    pub fn render_default(
        &self,
        document: &Document,
        assets: &Assets<'_>,
        options: &RenderOptions,
    ) -> Result<RenderedFile, RenderError> {
        let templates = self
            .templates
            .iter()
            .map(|(name, text)| ((*name).to_string(), (*text).to_string()))
            .collect();
        (self.render)(&Job {
            document,
            assets,
            options,
            settings: &Settings::new(),
            templates: &templates,
            files: &BTreeMap::new(),
            attachments: &[],
        })
    }
}
