//! `brief.toml` and Markdown front matter: the typed settings of a pack.
//!
//! Unknown keys are errors with their line (mdBook's lesson: a typo must not
//! become a silent default).

use crate::statistics::StatisticRecord;
use briefkit_model::diagnostic::{Diagnostic, SourceText};
use briefkit_model::document::{Contact, Paper};
use serde::{Deserialize, Serialize};

/// The whole of `brief.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BriefConfig {
    /// `[brief]`.
    pub brief: BriefSection,
    /// `[chart]`, or any number of `[[chart]]`.
    #[serde(default)]
    pub chart: Charts,
    /// `[contact]`.
    #[serde(default)]
    pub contact: Option<Contact>,
    /// `[output]`.
    #[serde(default)]
    pub output: OutputSection,
    /// `[check]`.
    #[serde(default)]
    pub check: CheckSection,
    /// `[batch]`: one brief per row of a data file.
    #[serde(default)]
    pub batch: Option<BatchSection>,
}

/// `[batch]`: the pack is a template for many briefs, one per row.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BatchSection {
    /// The rows file: CSV, or YAML/JSON records (relative to the pack).
    pub rows: String,
    /// The column that names each row's brief (and, in the statistics
    /// file, says whose statistic a row is).
    pub key: String,
}

/// `[check]`: how strictly the prose is checked.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CheckSection {
    /// Numbers (or words holding numbers, like `G20` or `24/7`) that may
    /// stand in the prose without coming from a statistic.
    #[serde(default)]
    pub allow: Vec<String>,
}

fn default_language() -> String {
    "en".into()
}
fn default_article() -> String {
    "article.md".into()
}
fn default_statistics() -> StatisticsSetting {
    StatisticsSetting::File("stats.csv".into())
}

/// `[brief]`: what the brief is.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BriefSection {
    /// Headline (required).
    pub title: String,
    /// Second masthead line.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Publishing organisation.
    #[serde(default)]
    pub organization: Option<String>,
    /// The people credited as authors (the PDF's and EPUB's creators).
    #[serde(default)]
    pub authors: Vec<String>,
    /// ISO 8601 date.
    #[serde(default)]
    pub date: Option<String>,
    /// BCP 47 language tag.
    #[serde(default = "default_language")]
    pub language: String,
    /// Summary paragraph.
    #[serde(default)]
    pub summary: Option<String>,
    /// Keywords for document properties.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Article file, relative to the pack.
    #[serde(default = "default_article")]
    pub article: String,
    /// Statistics file (or, in front matter, an inline list).
    #[serde(default = "default_statistics")]
    pub statistics: StatisticsSetting,
    /// Ids of statistics shown as key-figure cards.
    #[serde(default)]
    pub key_figures: Vec<String>,
    /// `"rtl"` or `"ltr"`; by default the language's (right to left for
    /// Arabic, Hebrew, Persian, Urdu, ...).
    #[serde(default)]
    pub direction: Option<briefkit_model::locale::Direction>,
    /// The digits numbers and dates are written in, a CLDR numbering
    /// system (`latn` for 0–9, `arab` for ٠–٩); by default the language's.
    #[serde(default)]
    pub numbering: Option<String>,
    /// Folders inside the pack whose fonts are used before the system's
    /// (for scripts the bundled fonts lack).
    #[serde(default)]
    pub fonts: Vec<String>,
}

impl BriefSection {
    /// The tag numbers and dates are formatted with (the language with its
    /// numbering system, if one is set).
    pub fn formatting_tag(&self) -> String {
        crate::numbers::formatting_tag(&self.language, self.numbering.as_deref())
    }

    /// The direction the text runs in.
    pub fn direction(&self) -> briefkit_model::locale::Direction {
        self.direction
            .unwrap_or_else(|| briefkit_model::locale::Direction::of_language(&self.language))
    }
}

/// Where the statistics come from.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum StatisticsSetting {
    /// A `.csv`, `.yaml`/`.yml` or `.json` file relative to the pack.
    File(String),
    /// Statistics written inline (front matter).
    Inline(Vec<StatisticRecord>),
}

/// A chart: `[chart]` (one) or each `[[chart]]` (any number).
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ChartSection {
    /// The id `{{chart "id"}}` places it by (a chart not placed in the
    /// article is drawn after it).
    #[serde(default)]
    pub id: Option<String>,
    /// What it draws: `bars` (the default), `columns` or `lines`.
    #[serde(default)]
    pub kind: briefkit_model::ChartKind,
    /// Chart title.
    #[serde(default)]
    pub title: Option<String>,
    /// Ids of the statistics drawn, one a bar, column or point.
    #[serde(default)]
    pub statistics: Vec<String>,
    /// Names of the series drawn: every statistic of each, placed at its
    /// period.
    #[serde(default)]
    pub series: Vec<String>,
    /// A note under the chart's source line.
    #[serde(default)]
    pub note: Option<String>,
}

/// The charts of the settings: none, the one `[chart]` table, or the
/// `[[chart]]` tables.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct Charts {
    charts: Vec<ChartSection>,
    #[serde(skip)]
    list: bool,
}

impl Charts {
    /// Whether they were written as `[[chart]]` tables (each placed at
    /// `chart.N` in the settings) rather than one `[chart]`.
    pub fn is_list(&self) -> bool {
        self.list
    }

    /// Where the `index`-th chart's setting `rest` is written: below
    /// `chart` for a `[chart]` table, below `chart.N` for the N-th
    /// `[[chart]]` (`rest` empty: the chart's table itself).
    pub fn path(&self, index: usize, rest: &[&str]) -> Vec<String> {
        Self::path_in(self.list, index, rest)
    }

    /// [`Charts::path`] for charts written as a list (`[[chart]]`) or not.
    pub fn path_in(list: bool, index: usize, rest: &[&str]) -> Vec<String> {
        let index = list.then(|| index.to_string());
        std::iter::once("chart")
            .chain(index.as_deref())
            .chain(rest.iter().copied())
            .map(str::to_string)
            .collect()
    }

    /// Each chart, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, ChartSection> {
        self.charts.iter()
    }

    /// Each chart, to change (a batch row's values filled in).
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, ChartSection> {
        self.charts.iter_mut()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.charts.is_empty()
    }
}

impl<'de> Deserialize<'de> for Charts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Charts;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a [chart] table or [[chart]] tables")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Charts, A::Error> {
                let one =
                    ChartSection::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Charts {
                    charts: vec![one],
                    list: false,
                })
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Charts, A::Error> {
                let charts = Vec::<ChartSection>::deserialize(
                    serde::de::value::SeqAccessDeserializer::new(seq),
                )?;
                Ok(Charts { charts, list: true })
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Charts, E> {
                Ok(Charts::default())
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Charts, E> {
                Ok(Charts::default())
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// `[output]`: what to write.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct OutputSection {
    /// Names of the formats to build (default: all). The model does not
    /// know the formats: the caller checks the names (see
    /// [`crate::ComposeOptions::backends`]).
    #[serde(default)]
    pub formats: Option<Vec<String>>,
    /// Paper size.
    #[serde(default)]
    pub paper: Paper,
    /// How figures in the prose cite their source.
    #[serde(default)]
    pub citations: CitationStyle,
    /// Put a table of contents after the masthead (PDF and DOCX; the EPUB
    /// always has its navigation document).
    #[serde(default)]
    pub toc: bool,
    /// Carry the statistics the brief uses (CSV and JSON) and their
    /// provenance inside every output (default); `false` leaves them out
    /// (and the PDF claims PDF/A-2 rather than PDF/A-3).
    #[serde(default = "yes")]
    pub embed_data: bool,
    /// Every other key: a format's own table (`[output.pdf]`), or an older
    /// `[output]` name of one of its settings (`pdf_standard`). Composition
    /// checks them against the backends (an unknown key is an error).
    #[serde(flatten)]
    pub formats_settings: std::collections::BTreeMap<String, serde_json::Value>,
}

fn yes() -> bool {
    true
}

impl OutputSection {
    /// The choices for rendering these settings make (`paper`, `toc`,
    /// `embed_data`).
    pub fn render_options(&self) -> briefkit_model::RenderOptions {
        briefkit_model::RenderOptions {
            paper: self.paper,
            toc: self.toc,
            embed_data: self.embed_data,
        }
    }
}

impl Default for OutputSection {
    fn default() -> Self {
        Self {
            formats: None,
            paper: Paper::default(),
            citations: CitationStyle::default(),
            toc: false,
            embed_data: true,
            formats_settings: std::collections::BTreeMap::new(),
        }
    }
}

/// How a figure in the prose points at its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CitationStyle {
    /// A bracketed number after the figure, `3,000 [1]`, linking to the
    /// Sources list.
    #[default]
    Numbered,
    /// The source's name (its acronym when it has one) in parentheses,
    /// `3,000 (ECLAC)`.
    Names,
    /// No marker: the figure itself links to its source.
    None,
}

/// Front matter of a single-file pack: the `[brief]` keys at top level plus
/// the `chart`, `contact` and `output` tables.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    #[serde(default)]
    subtitle: Option<String>,
    #[serde(default)]
    organization: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default = "default_statistics")]
    statistics: StatisticsSetting,
    #[serde(default)]
    key_figures: Vec<String>,
    #[serde(default)]
    direction: Option<briefkit_model::locale::Direction>,
    #[serde(default)]
    numbering: Option<String>,
    #[serde(default)]
    fonts: Vec<String>,
    #[serde(default)]
    chart: Charts,
    #[serde(default)]
    contact: Option<Contact>,
    #[serde(default)]
    output: OutputSection,
    #[serde(default)]
    check: CheckSection,
}

/// Parses `brief.toml`; an error carries its line and column.
pub fn parse_brief_toml(source: &SourceText) -> Result<BriefConfig, Diagnostic> {
    toml::from_str::<BriefConfig>(source.text()).map_err(|e| {
        let span = match e.span() {
            Some(span) => source.at(span.start),
            None => source.whole(),
        };
        Diagnostic::error(Some(span), format!("invalid brief.toml: {}", e.message()))
            .with_hint("see the pack format in the README: [brief], [chart], [contact], [output]")
    })
}

/// Splits a Markdown file into its front matter YAML and its body, as
/// windows of the file. `None` when the file has no front matter.
pub fn split_front_matter(file: &SourceText) -> Option<(SourceText, SourceText)> {
    let text = file.text();
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let start = text.len() - rest.len();
    let mut offset = start;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = file.window(start..offset);
            let body = file.window(offset + line.len()..text.len());
            return Some((yaml, body));
        }
        offset += line.len();
    }
    None
}

/// Parses YAML front matter into the same configuration `brief.toml` gives.
/// `article` is set to the Markdown file itself.
pub fn parse_front_matter(yaml: &SourceText) -> Result<BriefConfig, Diagnostic> {
    let fm: FrontMatter = crate::yaml::parse(yaml, "front matter").map_err(|d| {
        d.with_hint(
            "front matter takes the [brief] keys at top level, plus chart:, contact: and output:",
        )
    })?;
    Ok(BriefConfig {
        brief: BriefSection {
            title: fm.title,
            subtitle: fm.subtitle,
            organization: fm.organization,
            authors: fm.authors,
            date: fm.date,
            language: fm.language,
            summary: fm.summary,
            keywords: fm.keywords,
            article: yaml.path().to_string(),
            statistics: fm.statistics,
            key_figures: fm.key_figures,
            direction: fm.direction,
            numbering: fm.numbering,
            fonts: fm.fonts,
        },
        chart: fm.chart,
        contact: fm.contact,
        output: fm.output,
        check: fm.check,
        batch: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let text = "[brief]\ntitle = \"x\"\ntitel = \"y\"\n";
        let d = parse_brief_toml(&SourceText::new("brief.toml", text.into())).err();
        let d = d.map(|d| (d.span.and_then(|s| s.line()), d.message));
        let (line, msg) = d.unwrap_or_default();
        assert_eq!(line, Some(3));
        assert!(msg.contains("titel"), "{msg}");
    }

    #[test]
    fn front_matter_is_split_into_windows_of_the_file() {
        let text = "---\ntitle: A\n---\n# Body\n";
        let split = split_front_matter(&SourceText::new("a.md", text.into()));
        let (yaml, body) = split.unwrap_or_else(|| panic!("no front matter"));
        assert_eq!(yaml.text(), "title: A\n");
        assert_eq!(body.text(), "# Body\n");
        assert_eq!(body.at(0).to_string(), "a.md:4:1");
        assert_eq!(yaml.at(0).to_string(), "a.md:2:1");
    }
}
