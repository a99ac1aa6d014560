//! Stage 1: the pack's settings (`brief.toml` or front matter) and the
//! article's text, read through the world, and the checks of the settings
//! themselves (formats, language, date, contact address).

use super::ComposeOptions;
use crate::config::{self, BriefConfig, Charts};
use crate::link::{self, LinkTarget};
use crate::numbers;
use crate::places::Places;
use briefkit_model::characters::clean;
use briefkit_model::diagnostic::{Diagnostic, SourceText, Span};
use briefkit_model::locale::Date;
use briefkit_model::world::{FileError, World};

const BRIEF_TOML: &str = "brief.toml";

/// What the settings and article files said.
pub(super) struct Settings {
    /// The typed settings.
    pub config: BriefConfig,
    /// The settings file's text, cleaned (`brief.toml`; for a pack that is
    /// one Markdown file, the whole file), which the identifier covers.
    pub config_text: SourceText,
    /// Where each setting is written (its parser's spans).
    pub places: Places,
    /// The article's text (a single file's body after its front matter).
    pub article: SourceText,
    /// The batch row this brief is for (`[batch]`).
    pub row: Option<crate::batch::Row>,
    /// What reading found (characters no output carries, removed).
    pub warnings: Vec<Diagnostic>,
}

impl Settings {
    /// What was read, for no batch row yet.
    fn new(
        config: BriefConfig,
        config_text: SourceText,
        places: Places,
        article: SourceText,
        warnings: Vec<Diagnostic>,
    ) -> Self {
        Settings {
            config,
            config_text,
            places,
            article,
            row: None,
            warnings,
        }
    }
}

/// A diagnostic for a pack file that could not be read, placed where the
/// pack names it.
pub(super) fn file_error(what: &str, path: &str, e: &FileError, at: Span) -> Diagnostic {
    Diagnostic::error(Some(at), format!("the {what} `{path}` {e}")).with_hint(e.hint())
}

/// Reads the settings and the article; the first problem stops here.
pub(super) fn read(world: &dyn World, entry: super::PackEntry<'_>) -> Result<Settings, Diagnostic> {
    match entry {
        super::PackEntry::Directory => {
            let text = world.read_text(BRIEF_TOML).map_err(|e| {
                let d = file_error("pack settings", BRIEF_TOML, &e, Span::file(BRIEF_TOML));
                if e == FileError::NotFound {
                    d.with_hint("a pack directory needs a brief.toml; `briefkit new DIR` makes one")
                } else {
                    d
                }
            })?;
            let mut warnings = Vec::new();
            let text = clean(SourceText::new(BRIEF_TOML, text), &mut warnings);
            let config = config::parse_brief_toml(&text)?;
            let places = Places::of_toml(&text);
            let article_text = world.read_text(&config.brief.article).map_err(|e| {
                let at = places.named(&["brief", "article"], &config.brief.article);
                file_error("article", &config.brief.article, &e, at)
            })?;
            let article = clean(
                SourceText::new(&config.brief.article, article_text),
                &mut warnings,
            );
            Ok(Settings::new(config, text, places, article, warnings))
        }
        super::PackEntry::MarkdownFile(name) => {
            let text = world
                .read_text(name)
                .map_err(|e| file_error("Markdown file", name, &e, Span::file(name)))?;
            let mut warnings = Vec::new();
            let text = clean(SourceText::new(name, text), &mut warnings);
            let Some((yaml, body)) = config::split_front_matter(&text) else {
                return Err(Diagnostic::error(
                    Some(text.at(0)),
                    "a single-file pack needs YAML front matter",
                )
                .with_hint("start the file with ---, a title: line, and ---"));
            };
            let config = config::parse_front_matter(&yaml)?;
            let places = Places::of_front_matter(&yaml);
            Ok(Settings::new(config, text, places, body, warnings))
        }
    }
}

/// Fills `{{row.COLUMN}}` in the settings' strings (title, subtitle,
/// organisation, summary, keywords, chart title, contact) with the row's
/// values; an unknown column is an error where the string is written.
pub(super) fn apply_row(source: &mut Settings, sink: &mut Vec<Diagnostic>) {
    let Some(row) = source.row.clone() else {
        return;
    };
    // The rows file is read once for the whole batch: each brief cleans
    // (and reports) its own row's values.
    let row = row.map_values(|column, value| {
        if briefkit_model::characters::all_carried(value) {
            return value.to_string();
        }
        briefkit_model::characters::check_field(
            value,
            &format!("the `{column}` of row `{}`", row.key),
            Some(row.location.clone()),
            sink,
        );
        value
            .chars()
            .filter(|c| briefkit_model::characters::is_carried(*c))
            .collect()
    });
    source.row = Some(row.clone());
    let mut reg = handlebars::Handlebars::new();
    reg.set_strict_mode(true);
    reg.register_escape_fn(handlebars::no_escape);
    let context = serde_json::json!({ "row": row.values() });
    let places = &source.places;
    let mut fill = |value: &mut String, path: &[&str]| {
        if !value.contains("{{") {
            return;
        }
        match reg.render_template(value, &context) {
            Ok(filled) => *value = filled,
            Err(e) => sink.push(
                Diagnostic::error(
                    Some(places.at(path)),
                    format!(
                        "cannot fill `{value}` for row `{}`: {}",
                        row.key,
                        e.reason()
                    ),
                )
                .with_hint(format!(
                    "the row's columns are: {}",
                    row.values().into_keys().collect::<Vec<_>>().join(", ")
                )),
            ),
        }
    };
    let config = &mut source.config;
    let brief = &mut config.brief;
    fill(&mut brief.title, &["brief", "title"]);
    for (value, key) in [
        (&mut brief.subtitle, "subtitle"),
        (&mut brief.organization, "organization"),
        (&mut brief.summary, "summary"),
    ] {
        if let Some(value) = value {
            fill(value, &["brief", key]);
        }
    }
    for (i, keyword) in brief.keywords.iter_mut().enumerate() {
        fill(keyword, &["brief", "keywords", &i.to_string()]);
    }
    // Each chart's words and what it draws: a batch's brief draws its
    // own row's series (`series = ["{{row.iso3}}"]`).
    let list = config.chart.is_list();
    for (i, chart) in config.chart.iter_mut().enumerate() {
        let mut fill_at = |value: &mut String, rest: &[&str]| {
            let path = Charts::path_in(list, i, rest);
            fill(value, &path.iter().map(String::as_str).collect::<Vec<_>>());
        };
        for (value, key) in [(&mut chart.title, "title"), (&mut chart.note, "note")] {
            if let Some(value) = value {
                fill_at(value, &[key]);
            }
        }
        for (key, list) in [
            ("statistics", &mut chart.statistics),
            ("series", &mut chart.series),
        ] {
            for (j, value) in list.iter_mut().enumerate() {
                fill_at(value, &[key, &j.to_string()]);
            }
        }
    }
    if let Some(contact) = config.contact.as_mut() {
        for (value, key) in [
            (&mut contact.name, "name"),
            (&mut contact.organization, "organization"),
            (&mut contact.phone, "phone"),
            (&mut contact.email, "email"),
            (&mut contact.url, "url"),
        ] {
            if let Some(value) = value {
                fill(value, &["contact", key]);
            }
        }
    }
}

/// Checks what the settings name that is not a file: output formats, the
/// language tag and the contact's web address.
pub(super) fn check(source: &Settings, options: &ComposeOptions<'_>, sink: &mut Vec<Diagnostic>) {
    let Settings { config, places, .. } = source;
    for (i, name) in config.output.formats.iter().flatten().enumerate() {
        if !options
            .backends
            .iter()
            .any(|b| b.name.eq_ignore_ascii_case(name.trim()))
        {
            let names: Vec<&str> = options.backends.iter().map(|b| b.name).collect();
            sink.push(
                Diagnostic::error(
                    Some(places.named(&["output", "formats", &i.to_string()], name)),
                    format!("unknown output format `{name}`"),
                )
                .with_hint(format!("the formats are: {}", names.join(", "))),
            );
        }
    }
    let language = &config.brief.language;
    if !numbers::is_valid_language_tag(language) {
        sink.push(
            Diagnostic::error(
                Some(places.at(&["brief", "language"])),
                format!("`{language}` is not a BCP 47 language tag"),
            )
            .with_hint("write a tag such as en, es, fr-CA or pt-BR"),
        );
    }
    if let Some(nu) = &config.brief.numbering {
        if !numbers::NUMBERING_SYSTEMS.contains(&nu.as_str()) {
            sink.push(
                Diagnostic::error(
                    Some(places.at(&["brief", "numbering"])),
                    format!("`{nu}` is not a numbering system briefkit writes"),
                )
                .with_hint(format!(
                    "write one of {} (latn is 0–9, arab is ٠–٩)",
                    numbers::NUMBERING_SYSTEMS.join(", ")
                )),
            );
        }
    }
    if !numbers::is_valid_language_tag(language) {
    } else if !crate::words::has_table(language) {
        let known: Vec<&str> = crate::words::TABLES.iter().map(|(l, _)| *l).collect();
        sink.push(
            Diagnostic::warning(
                Some(places.at(&["brief", "language"])),
                format!(
                    "briefkit has no words for `{language}`: headings such as “Sources” and “Page 1 of 2” stay in English"
                ),
            )
            .with_hint(format!(
                "languages with words: {}; a new one is a table in crates/briefkit-model/locales/",
                known.join(", ")
            )),
        );
    }
    // The contact's web address is a link in every format: the same rule
    // as the article's links (no scheme means https://).
    if let Some(url) = config.contact.as_ref().and_then(|c| c.url.as_deref()) {
        if let LinkTarget::Forbidden(scheme) = link::classify(url) {
            sink.push(
                Diagnostic::error(
                    Some(places.named(&["contact", "url"], url)),
                    format!("the contact address `{}` uses the `{scheme}:` scheme, which briefkit never writes", link::shorten(url)),
                )
                .with_hint("give an http:// or https:// address"),
            );
        }
    }
}

/// The brief's date: the settings' own, else the world's today. `None`
/// (with an error in the sink) when the settings' date is not a date.
pub(super) fn date(
    source: &Settings,
    world: &dyn World,
    sink: &mut Vec<Diagnostic>,
) -> Option<Date> {
    let Some(text) = &source.config.brief.date else {
        return Some(world.today());
    };
    let date = Date::parse_iso(text);
    if date.is_none() {
        sink.push(
            Diagnostic::error(
                Some(source.places.at(&["brief", "date"])),
                format!("`{text}` is not an ISO 8601 date"),
            )
            .with_hint("write the date as YYYY-MM-DD"),
        );
    }
    date
}

/// Checks each `[brief] fonts` folder: inside the pack and there, like any
/// file the pack names (the fonts in it are read when rendering).
pub(super) fn font_folders(source: &Settings, world: &dyn World, sink: &mut Vec<Diagnostic>) {
    for (i, dir) in source.config.brief.fonts.iter().enumerate() {
        if let Err(e) = world.list(dir) {
            let at = source
                .places
                .named(&["brief", "fonts", &i.to_string()], dir);
            sink.push(
                Diagnostic::error(Some(at), format!("the fonts folder `{dir}` {e}"))
                    .with_hint(e.hint()),
            );
        }
    }
}
