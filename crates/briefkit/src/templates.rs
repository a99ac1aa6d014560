//! The templates compiled into the binary (the brief layout and each
//! format's own), and the `--templates` directory that overrides them by
//! name.

use std::collections::BTreeMap;
use std::path::Path;

/// The brief layout template (composition's); each format embeds its own
/// (see [`briefkit_model::Backend::templates`]).
const BRIEF: (&str, &str) = ("brief.hbs", include_str!("../../../templates/brief.hbs"));

/// Every embedded template, by the name a user's override file must have.
fn embedded() -> impl Iterator<Item = (&'static str, &'static str)> {
    std::iter::once(BRIEF).chain(
        crate::formats::FORMATS
            .iter()
            .flat_map(|f| f.templates.iter().copied()),
    )
}

/// The templates in force: embedded defaults with overrides applied.
pub struct TemplateSet {
    templates: BTreeMap<String, String>,
    /// Where each template came from, for diagnostics.
    origins: BTreeMap<String, String>,
}

impl TemplateSet {
    /// Embedded templates, each replaced by `DIR/NAME` where that file exists.
    pub fn load(dir: Option<&Path>) -> Result<Self, String> {
        let mut templates = BTreeMap::new();
        let mut origins = BTreeMap::new();
        for (name, text) in embedded() {
            let mut text = (*text).to_string();
            let mut origin = format!("templates/{name} (embedded)");
            if let Some(dir) = dir {
                if !dir.is_dir() {
                    return Err(format!("--templates {}: not a directory", dir.display()));
                }
                let path = dir.join(name);
                if path.is_file() {
                    text = std::fs::read_to_string(&path)
                        .map_err(|e| format!("cannot read template {}: {e}", path.display()))?;
                    origin = path.display().to_string();
                }
            }
            templates.insert((*name).to_string(), text);
            origins.insert((*name).to_string(), origin);
        }
        Ok(Self { templates, origins })
    }

    /// The brief layout template.
    pub fn brief(&self) -> &str {
        self.templates.get("brief.hbs").map_or("", String::as_str)
    }

    /// Where the brief template came from.
    pub fn brief_name(&self) -> &str {
        self.origins
            .get("brief.hbs")
            .map_or("brief.hbs", String::as_str)
    }

    /// All templates by name.
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.templates
    }

    /// The templates of a format, by name.
    pub fn of(&self, format: &briefkit_model::Backend) -> BTreeMap<String, String> {
        format
            .templates
            .iter()
            .filter_map(|(name, _)| {
                self.templates
                    .get(*name)
                    .map(|text| ((*name).to_string(), text.clone()))
            })
            .collect()
    }
}
