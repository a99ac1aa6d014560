//! `briefkit verify`: checks a published brief — a PDF, EPUB or DOCX made
//! by briefkit, without its pack — against the data it carries. It reads
//! the embedded statistics and their provenance, and every figure the
//! brief marks as printing a statistic (the PDF's marked content, the
//! EPUB's `data-stat`, the DOCX's content controls), then checks:
//!
//! - the data files match the checksums of the provenance record (and, in
//!   a PDF, of their `/Params`);
//! - every figure prints its statistic as the brief's language writes it
//!   (formatted again here from the value, not copied from the data);
//! - the numbers of the text that are not figures are listed, as `check`
//!   lists them in a pack.
//!
//! Every finding has a place: the page (PDF) or the part and paragraph
//! (EPUB, DOCX).

mod docx;
mod epub;
mod pdf;

use crate::data::{CSV, JSON, PROVENANCE};
use crate::hash::sha256_hex;
use briefkit_compose::statistics::{format_values, parse_statistics_file, validate};
use briefkit_model::Statistic;
use serde::Serialize;
use std::fmt;

/// Parts of a file read are capped: a file that says it is bigger is not
/// a brief (and is not allowed to fill the memory).
const MAX_PART: u64 = 256 * 1024 * 1024;

/// Why a file cannot be verified at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyError {
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl VerifyError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
        }
    }

    fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The file carries no briefkit data.
    fn no_data(format: &str) -> Self {
        Self::new(format!(
            "this {format} carries no briefkit data (no {JSON}): it was not made by briefkit, or was made with embed_data = false"
        ))
        .with_hint("verify checks files briefkit built with their data embedded (the default); build the pack again without --no-embed-data")
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  = hint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for VerifyError {}

/// Where in the file a finding is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Place {
    /// The page (PDF), from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    /// The part (EPUB, DOCX): `OEBPS/brief.xhtml`, `word/document.xml`,
    /// or a data file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// The paragraph in the page or part, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<usize>,
}

impl Place {
    /// A part of the file (a data file, an attachment).
    pub(crate) fn part(part: &str) -> Self {
        Place {
            part: Some(part.to_string()),
            ..Place::default()
        }
    }

    /// Paragraph `paragraph` of `part`.
    pub(crate) fn paragraph(part: &str, paragraph: usize) -> Self {
        Place {
            paragraph: Some(paragraph),
            ..Place::part(part)
        }
    }

    /// Page `page`.
    pub(crate) fn page(page: usize) -> Self {
        Place {
            page: Some(page),
            ..Place::default()
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(p) = self.page {
            parts.push(format!("page {p}"));
        }
        if let Some(p) = &self.part {
            parts.push(p.clone());
        }
        if let Some(p) = self.paragraph {
            parts.push(format!("paragraph {p}"));
        }
        f.write_str(&parts.join(", "))
    }
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A figure prints something else than its statistic.
    Figure,
    /// A figure names a statistic the data does not have.
    UnknownStatistic,
    /// A data file does not match its checksum.
    Checksum,
    /// The data is missing a file or cannot be read.
    Data,
    /// A number of the text that is not a figure.
    UntaggedNumber,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Listed; the file still verifies.
    Warning,
    /// The file does not verify.
    Error,
}

/// One finding about a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub level: Level,
    /// What sort of finding.
    pub kind: FindingKind,
    /// Where in the file: the page, or the part and paragraph.
    pub place: Place,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The statistic concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statistic: Option<String>,
    /// What the file prints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub printed: Option<String>,
    /// What the data says it should print.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// The statistic's source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Finding {
    /// An error about the data (no statistic, nothing printed).
    pub(crate) fn data_error(kind: FindingKind, place: Place, message: String) -> Self {
        Finding {
            level: Level::Error,
            kind,
            place,
            message,
            statistic: None,
            printed: None,
            expected: None,
            source: None,
        }
    }
}

/// What `verify` found in one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// `pdf`, `epub` or `docx`.
    pub format: &'static str,
    /// What made the file, from its provenance record (`briefkit 0.x`).
    pub generator: Option<String>,
    /// The pack it was built from.
    pub pack: Option<String>,
    /// The row of a batch.
    pub row: Option<String>,
    /// Statistics in the data.
    pub statistics: usize,
    /// Figures found in the text.
    pub figures: usize,
    /// Figures that print their statistic as the data says.
    pub figures_verified: usize,
    /// Everything found.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Whether the file verifies: no finding is an error.
    pub fn is_ok(&self) -> bool {
        self.findings.iter().all(|f| f.level != Level::Error)
    }
}

/// A figure found in a file: the statistic it names and the text it prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Figure {
    pub statistic: String,
    pub text: String,
    pub place: Place,
}

/// A paragraph of the text with its figures left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Paragraph {
    pub text: String,
    pub place: Place,
}

/// The data a file carries, as its files.
#[derive(Debug, Default)]
pub(crate) struct Carried {
    pub csv: Option<Vec<u8>>,
    pub json: Option<Vec<u8>>,
    pub provenance: Option<Vec<u8>>,
    /// Where the data sits in the file, for its findings.
    pub place: Place,
}

/// What a format's reader extracts.
pub(crate) struct Extracted {
    /// The statistics, value as written, `display`/`compact` as the data
    /// says they print.
    pub statistics: Vec<Statistic>,
    /// The tag the numbers are written by.
    pub numbers: String,
    pub figures: Vec<Figure>,
    pub paragraphs: Vec<Paragraph>,
    pub provenance: Option<serde_json::Value>,
    pub findings: Vec<Finding>,
}

/// Verifies the file `bytes`: a PDF, an EPUB or a DOCX, told apart by
/// their content.
pub fn verify(bytes: &[u8]) -> Result<Report, VerifyError> {
    let (format, extracted) = if bytes.starts_with(b"%PDF-") {
        ("pdf", guarded(|| pdf::extract(bytes))?)
    } else if bytes.starts_with(b"PK\x03\x04") {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| VerifyError::new(format!("not a readable ZIP container: {e}")))?;
        if archive.by_name("mimetype").is_ok() && archive.by_name("META-INF/container.xml").is_ok()
        {
            ("epub", guarded(|| epub::extract(&mut archive))?)
        } else if archive.by_name("word/document.xml").is_ok() {
            ("docx", guarded(|| docx::extract(&mut archive))?)
        } else {
            return Err(VerifyError::new(
                "a ZIP container that is neither an EPUB nor a DOCX",
            ));
        }
    } else {
        return Err(VerifyError::new("not a PDF, EPUB or DOCX")
            .with_hint("verify reads the PDF, EPUB and DOCX files `briefkit build` writes"));
    };
    Ok(check(format, extracted))
}

/// The pages of an EPUB in reading order: its spine's XHTML documents, as
/// paths in the ZIP (`OEBPS/brief.xhtml`), read from the package document
/// its container names, as [`verify`] reads them.
pub fn epub_reading_order(bytes: &[u8]) -> Result<Vec<String>, VerifyError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| VerifyError::new(format!("not a readable ZIP container: {e}")))?;
    guarded(|| Ok(epub::package(&mut archive)?.documents()))
}

/// Runs a reader, turning a panic in a parser (a hostile file) into an
/// error rather than a crash.
fn guarded<T>(f: impl FnOnce() -> Result<T, VerifyError>) -> Result<T, VerifyError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(VerifyError::new(
            "the file is damaged: its structure could not be read",
        ))
    })
}

/// An EPUB or DOCX being read.
pub(crate) type Archive<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

/// Reads a ZIP entry whole, within [`MAX_PART`].
pub(crate) fn zip_entry(archive: &mut Archive<'_>, name: &str) -> Option<Vec<u8>> {
    use std::io::Read as _;
    let entry = archive.by_name(name).ok()?;
    let mut out = Vec::new();
    entry.take(MAX_PART).read_to_end(&mut out).ok()?;
    Some(out)
}

/// The statistics of the carried CSV, checked against the provenance
/// record's checksums (findings into `findings`), with `display` and
/// `compact` from the JSON (what the data says the brief prints).
pub(crate) fn from_files(carried: Carried, format: &str) -> Result<Extracted, VerifyError> {
    let Carried {
        csv,
        json,
        provenance,
        place,
    } = carried;
    let json = json.ok_or_else(|| VerifyError::no_data(format))?;
    let mut findings = Vec::new();
    let data_finding = |kind, message: String| Finding::data_error(kind, place.clone(), message);
    let provenance: Option<serde_json::Value> = match &provenance {
        Some(bytes) => match serde_json::from_slice(bytes) {
            Ok(v) => Some(v),
            Err(e) => {
                findings.push(data_finding(
                    FindingKind::Data,
                    format!("{PROVENANCE} is not valid JSON: {e}"),
                ));
                None
            }
        },
        None => {
            findings.push(data_finding(
                FindingKind::Data,
                format!("the data has no {PROVENANCE}: nothing says what it was made from"),
            ));
            None
        }
    };
    let mut csv_trusted = false;
    for (name, bytes) in [(CSV, csv.as_deref()), (JSON, Some(&json[..]))] {
        let Some(bytes) = bytes else {
            findings.push(data_finding(
                FindingKind::Data,
                format!("the data has no {name}"),
            ));
            continue;
        };
        let finding = checksum_finding(provenance.as_ref(), name, bytes, &place);
        csv_trusted |= name == CSV && finding.is_none();
        findings.extend(finding);
    }
    let data: serde_json::Value = serde_json::from_slice(&json)
        .map_err(|e| VerifyError::new(format!("{JSON} is not valid JSON: {e}")))?;
    let language = data
        .get("language")
        .and_then(|v| v.as_str())
        .unwrap_or("en");
    let numbers = data
        .get("numbers")
        .and_then(|v| v.as_str())
        .unwrap_or(language)
        .to_string();
    // The values as written: the CSV's (JSON numbers lose trailing zeros),
    // unless it was changed.
    let mut statistics = match csv
        .as_deref()
        .filter(|_| csv_trusted)
        .map(String::from_utf8_lossy)
    {
        Some(text) => {
            parse_statistics_file(&briefkit_model::SourceText::new(CSV, text.into()), None)
                .ok()
                .and_then(|records| validate(records).ok())
                .map(|v| v.into_iter().map(|(s, _)| s).collect::<Vec<_>>())
                .unwrap_or_default()
        }
        None => Vec::new(),
    };
    let records = data
        .get("statistics")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default();
    if statistics.is_empty() {
        // No CSV (or none readable): the JSON's values.
        statistics = records.iter().filter_map(statistic_of_json).collect();
    }
    for s in &mut statistics {
        let record = records
            .iter()
            .find(|r| r.get("id").and_then(|v| v.as_str()) == Some(&s.id));
        let field = |name: &str| {
            record
                .and_then(|r| r.get(name))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        s.display = field("printed").unwrap_or_default();
        s.compact = field("printed_compact").unwrap_or_default();
    }
    Ok(Extracted {
        statistics,
        numbers,
        figures: Vec::new(),
        paragraphs: Vec::new(),
        provenance,
        findings,
    })
}

/// A statistic of `statistics.json`'s list.
fn statistic_of_json(r: &serde_json::Value) -> Option<Statistic> {
    let text = |name: &str| r.get(name).and_then(|v| v.as_str()).map(str::to_string);
    let value_text = match r.get("value")? {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.clone(),
        _ => return None,
    };
    Some(Statistic {
        id: text("id")?,
        value: value_text.parse().unwrap_or(0.0),
        value_text,
        unit: text("unit"),
        label: text("label").unwrap_or_default(),
        period: text("period"),
        source: text("source").unwrap_or_default(),
        source_url: text("source_url"),
        note: text("note"),
        series: text("series"),
        // What it prints comes from the record's `printed` (the caller).
        ..Statistic::default()
    })
}

/// A finding when `bytes`, the data file `name`, does not have the SHA-256
/// the provenance record gives it.
pub(crate) fn checksum_finding(
    provenance: Option<&serde_json::Value>,
    name: &str,
    bytes: &[u8],
    place: &Place,
) -> Option<Finding> {
    let recorded = provenance?
        .get("data")
        .and_then(|d| d.get(name))
        .and_then(|v| v.as_str());
    let actual = sha256_hex(bytes);
    let message = match recorded {
        Some(r) if r.eq_ignore_ascii_case(&actual) => return None,
        Some(r) => format!(
            "{name} does not match its checksum: the provenance record says SHA-256 {r}, the file's is {actual}: the data was changed after the brief was built"
        ),
        None => format!("the provenance record gives no checksum for {name}"),
    };
    Some(Finding::data_error(
        FindingKind::Checksum,
        place.clone(),
        message,
    ))
}

/// Letters and digits only: spacing (a no-break space, a gap the PDF
/// leaves for a space) is not what a figure's check is about.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The checks common to every format.
fn check(format: &'static str, mut x: Extracted) -> Report {
    let mut expected = x.statistics.clone();
    format_values(&mut expected, &x.numbers);
    let mut findings = std::mem::take(&mut x.findings);
    // The data says what it prints: is that its value, formatted?
    for (s, e) in x.statistics.iter().zip(&expected) {
        if !s.display.is_empty() && s.display != e.display {
            findings.push(Finding {
                level: Level::Error,
                kind: FindingKind::Data,
                place: Place::part(JSON),
                message: format!(
                    "the data says statistic `{}` prints `{}`, but its value {} is written `{}`",
                    s.id, s.display, s.value_text, e.display
                ),
                statistic: Some(s.id.clone()),
                printed: Some(s.display.clone()),
                expected: Some(e.display.clone()),
                source: Some(s.source.clone()),
            });
        }
    }
    let mut verified = 0;
    for f in &x.figures {
        let Some(e) = expected.iter().find(|s| s.id == f.statistic) else {
            findings.push(Finding {
                level: Level::Error,
                kind: FindingKind::UnknownStatistic,
                place: f.place.clone(),
                message: format!(
                    "a figure printing `{}` names statistic `{}`, which the data does not have",
                    f.text.trim(),
                    f.statistic
                ),
                statistic: Some(f.statistic.clone()),
                printed: Some(f.text.trim().to_string()),
                expected: None,
                source: None,
            });
            continue;
        };
        // The full form, the compact form, or (the statistics table) the
        // full form and its unit.
        let mut forms = vec![e.display.clone(), e.compact.clone()];
        if let Some(u) = e.unit.as_deref().map(str::trim).filter(|u| *u != "%") {
            forms.push(format!("{} {u}", e.display));
        }
        let printed = squeeze(&f.text);
        if forms.iter().any(|form| squeeze(form) == printed) {
            verified += 1;
            continue;
        }
        findings.push(Finding {
            level: Level::Error,
            kind: FindingKind::Figure,
            place: f.place.clone(),
            message: format!(
                "figure `{}` prints `{}`, but the data says `{}` ({}, {})",
                e.id,
                f.text.trim(),
                e.display,
                e.label,
                e.source
            ),
            statistic: Some(e.id.clone()),
            printed: Some(f.text.trim().to_string()),
            expected: Some(e.display.clone()),
            source: Some(e.source.clone()),
        });
    }
    for p in &x.paragraphs {
        for n in briefkit_compose::prose::stray_numbers(&p.text, &[]) {
            findings.push(Finding {
                level: Level::Warning,
                kind: FindingKind::UntaggedNumber,
                place: p.place.clone(),
                message: format!(
                    "`{}` is a number in the text that is not a figure: no statistic backs it",
                    n.text
                ),
                statistic: None,
                printed: Some(n.text),
                expected: None,
                source: None,
            });
        }
    }
    let field = |name: &str| {
        x.provenance
            .as_ref()
            .and_then(|p| p.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    Report {
        format,
        generator: field("generator"),
        pack: field("pack"),
        row: field("row"),
        statistics: x.statistics.len(),
        figures: x.figures.len(),
        figures_verified: verified,
        findings,
    }
}

/// An XML document as a flat list of starts, ends and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    /// An element opens: its name (with prefix) and attributes.
    Start(String, Vec<(String, String)>),
    /// An element closes.
    End(String),
    /// Text, its references resolved.
    Text(String),
}

/// Reads `xml` into [`Node`]s (an empty element is a start and an end).
pub(crate) fn nodes(xml: &str, part: &str) -> Result<Vec<Node>, VerifyError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut out = Vec::new();
    let broken =
        |e: &dyn fmt::Display| VerifyError::new(format!("{part} is not well-formed XML: {e}"));
    let name = |q: quick_xml::name::QName<'_>| String::from_utf8_lossy(q.as_ref()).into_owned();
    loop {
        match reader.read_event().map_err(|e| broken(&e))? {
            Event::Start(e) => {
                let mut attrs = Vec::new();
                for a in e.attributes().flatten() {
                    let value = a
                        .decoded_and_normalized_value(
                            quick_xml::XmlVersion::Implicit1_0,
                            reader.decoder(),
                        )
                        .map(|v| v.into_owned())
                        .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
                    attrs.push((name(a.key), value));
                }
                out.push(Node::Start(name(e.name()), attrs));
            }
            Event::End(e) => out.push(Node::End(name(e.name()))),
            Event::Text(t) => out.push(Node::Text(
                t.decode().map(|t| t.into_owned()).unwrap_or_default(),
            )),
            Event::CData(t) => out.push(Node::Text(String::from_utf8_lossy(&t).into_owned())),
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => {
                        let entity = String::from_utf8_lossy(&r).into_owned();
                        quick_xml::escape::resolve_predefined_entity(&entity)
                            .map_or_else(|| format!("&{entity};"), str::to_string)
                    }
                };
                out.push(Node::Text(text));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// The value of attribute `key` in `attrs`.
pub(crate) fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}
