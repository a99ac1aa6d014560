//! Statistics files: CSV, YAML or JSON records with provenance, validated
//! into [`Statistic`]s and numbered [`Source`]s.

use crate::numbers::NumberFormat;
use briefkit_model::diagnostic::{Diagnostic, SourceText, Span};
use briefkit_model::document::{Source, Statistic};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

/// One statistic as written by the user, before validation.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatisticRecord {
    /// Stable id.
    #[serde(default, deserialize_with = "lenient_text")]
    pub id: Option<String>,
    /// The number (a YAML/JSON number or a string).
    #[serde(default)]
    pub value: Option<RecordValue>,
    /// Unit the value counts (`people`, `%`), as written.
    #[serde(default, deserialize_with = "lenient_text")]
    pub unit: Option<String>,
    /// What is counted.
    #[serde(default, deserialize_with = "lenient_text")]
    pub label: Option<String>,
    /// Period covered.
    #[serde(default, deserialize_with = "lenient_text")]
    pub period: Option<String>,
    /// Publishing organisation.
    #[serde(default, deserialize_with = "lenient_text")]
    pub source: Option<String>,
    /// Where it was published.
    #[serde(default, deserialize_with = "lenient_text")]
    pub source_url: Option<String>,
    /// A remark.
    #[serde(default, deserialize_with = "lenient_text")]
    pub note: Option<String>,
    /// The series it belongs to (a chart draws a series over its periods).
    #[serde(default, deserialize_with = "lenient_text")]
    pub series: Option<String>,
}

/// Text that YAML or JSON may have written as a number (`period: 2025`).
fn lenient_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<RecordValue>::deserialize(d)?.map(|v| v.as_text()))
}

/// A value as YAML/JSON may carry it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum RecordValue {
    /// A number literal.
    Number(serde_json::Number),
    /// A string (validated as a number later).
    Text(String),
}

impl RecordValue {
    fn as_text(&self) -> String {
        match self {
            RecordValue::Number(n) => n.to_string(),
            RecordValue::Text(t) => t.clone(),
        }
    }
}

/// A record with the place it was written, for diagnostics.
#[derive(Debug, Clone)]
pub struct LocatedRecord {
    /// The record.
    pub record: StatisticRecord,
    /// Where it starts.
    pub location: Span,
}

/// A batch brief's share of a long-format statistics file: the records
/// whose `column` holds `value`, and those where it is blank (shared).
#[derive(Debug, Clone, Copy)]
pub struct KeyFilter<'a> {
    /// The batch's key column.
    pub column: &'a str,
    /// The row's key.
    pub value: &'a str,
}

/// Which syntax a statistics file uses, by its extension. With a key
/// filter, the file may have the batch's key column, and only the row's
/// records (and the shared ones) are kept.
pub fn parse_statistics_file(
    source: &SourceText,
    key: Option<KeyFilter<'_>>,
) -> Result<Vec<LocatedRecord>, Diagnostic> {
    match key {
        Some(key) => KeyedRecords::parse(source, key.column)?.for_key(key.value),
        None => parse_unkeyed(source),
    }
}

/// A long-format statistics file read once for every brief of a batch:
/// each record with the value of its key column, indexed by key, so a
/// row's share is found without reading the file again.
#[derive(Debug)]
pub struct KeyedRecords {
    /// Every record in file order (a YAML/JSON record that is not a valid
    /// record is its finding: it fails only the briefs that keep it).
    records: Vec<Result<LocatedRecord, Diagnostic>>,
    /// The records of each key, in file order.
    by_key: FxHashMap<String, Vec<usize>>,
    /// The records whose key is blank: every brief's.
    shared: Vec<usize>,
}

impl KeyedRecords {
    /// Reads every record of a statistics file that may have the key
    /// `column`.
    pub fn parse(source: &SourceText, column: &str) -> Result<Self, Diagnostic> {
        let (text, file) = (source.text(), source.path());
        let lower = file.to_ascii_lowercase();
        let (records, keys): (Vec<Result<LocatedRecord, Diagnostic>>, Vec<Option<String>>) =
            if lower.ends_with(".csv") {
                let (records, keys) = parse_csv(source, Some(column))?;
                (records.into_iter().map(Ok).collect(), keys)
            } else if lower.ends_with(".yaml")
                || lower.ends_with(".yml")
                || lower.ends_with(".json")
            {
                let values: Vec<serde_json::Map<String, serde_json::Value>> =
                    if lower.ends_with(".json") {
                        serde_json::from_str(text).map_err(|e| {
                            Diagnostic::error(
                                Some(source.at_line_col(e.line(), e.column())),
                                format!("invalid statistics JSON: {e}"),
                            )
                        })?
                    } else {
                        crate::yaml::parse(source, "statistics YAML")?
                    };
                let mut keys = Vec::with_capacity(values.len());
                let mut read = Vec::with_capacity(values.len());
                for mut v in values {
                    keys.push(v.remove(column).map(|k| match k {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    }));
                    read.push(serde_json::from_value::<StatisticRecord>(
                        serde_json::Value::Object(v),
                    ));
                }
                // Placed in one pass over the text, every record in order
                // (a bad one keeps its turn with an empty record).
                let placed = locate_records(
                    read.iter()
                        .map(|r| {
                            r.as_ref()
                                .map_or_else(|_| StatisticRecord::default(), Clone::clone)
                        })
                        .collect(),
                    source,
                );
                let records = read
                    .into_iter()
                    .zip(placed)
                    .map(|(r, placed)| {
                        r.map(|_| placed).map_err(|e| {
                            Diagnostic::error(
                                Some(source.whole()),
                                format!("invalid statistics: {e}"),
                            )
                            .with_hint("write records with id, value, label and source")
                        })
                    })
                    .collect();
                (records, keys)
            } else {
                return Err(unknown_file_type(file));
            };
        let mut by_key: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let mut shared = Vec::new();
        for (i, key) in keys.into_iter().enumerate() {
            match key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
                Some(k) => by_key.entry(k.to_string()).or_default().push(i),
                None => shared.push(i),
            }
        }
        Ok(Self {
            records,
            by_key,
            shared,
        })
    }

    /// The records of the row whose key is `value`, and the shared ones,
    /// in file order.
    pub fn for_key(&self, value: &str) -> Result<Vec<LocatedRecord>, Diagnostic> {
        let own = self.by_key.get(value.trim()).map_or(&[][..], Vec::as_slice);
        let mut picked: Vec<usize> = own.iter().chain(&self.shared).copied().collect();
        picked.sort_unstable();
        picked
            .into_iter()
            .map(|i| self.records[i].clone())
            .collect()
    }
}

/// Statistics files read for the briefs of a batch, kept so that each
/// brief of a 1,000-row batch does not clean and read the whole dataset
/// again. A file is read again when its text differs from what was read
/// (it is looked up by name, key column and text: the same shared copy is
/// known by its address, another copy by its characters).
#[derive(Debug, Default)]
pub struct StatisticsCache {
    files: std::sync::Mutex<Vec<CachedFile>>,
}

#[derive(Debug)]
struct CachedFile {
    file: String,
    column: String,
    text: std::sync::Arc<str>,
    read: std::sync::Arc<KeyedFile>,
}

/// A statistics file read once for a batch: its records by key, or why
/// they could not be read, and the warnings of its cleaning.
#[derive(Debug)]
pub struct KeyedFile {
    /// The records by key.
    pub records: Result<KeyedRecords, Diagnostic>,
    /// Characters removed from the file (a warning each).
    pub cleaned: Vec<Diagnostic>,
}

/// How many statistics files the cache keeps (the most recently read).
const CACHED_FILES: usize = 8;

impl StatisticsCache {
    /// The records of `text` (the statistics file `file`, as read) by the
    /// key `column`: cleaned and read once, then shared.
    pub fn keyed(
        &self,
        text: &std::sync::Arc<str>,
        file: &str,
        column: &str,
    ) -> std::sync::Arc<KeyedFile> {
        let mut files = self
            .files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(i) = files.iter().position(|c| {
            c.file == file
                && c.column == column
                && (std::sync::Arc::ptr_eq(&c.text, text) || *c.text == **text)
        }) {
            let hit = files.remove(i);
            let read = hit.read.clone();
            files.push(hit);
            return read;
        }
        let mut cleaned = Vec::new();
        let clean =
            briefkit_model::characters::clean(SourceText::new(file, text.clone()), &mut cleaned);
        let read = std::sync::Arc::new(KeyedFile {
            records: KeyedRecords::parse(&clean, column),
            cleaned,
        });
        if files.len() >= CACHED_FILES {
            files.remove(0);
        }
        files.push(CachedFile {
            file: file.to_string(),
            column: column.to_string(),
            text: text.clone(),
            read: read.clone(),
        });
        read
    }
}

/// A statistics file of one brief: every record.
fn parse_unkeyed(source: &SourceText) -> Result<Vec<LocatedRecord>, Diagnostic> {
    let lower = source.path().to_ascii_lowercase();
    if lower.ends_with(".csv") {
        Ok(parse_csv(source, None)?.0)
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        let records: Vec<StatisticRecord> = crate::yaml::parse(source, "statistics YAML")
            .map_err(|d| d.with_hint("write a list of records with id, value, label and source"))?;
        Ok(locate_records(records, source))
    } else if lower.ends_with(".json") {
        let records: Vec<StatisticRecord> = serde_json::from_str(source.text()).map_err(|e| {
            Diagnostic::error(
                Some(source.at_line_col(e.line(), e.column())),
                format!("invalid statistics JSON: {e}"),
            )
            .with_hint("write an array of objects with id, value, label and source")
        })?;
        Ok(locate_records(records, source))
    } else {
        Err(unknown_file_type(source.path()))
    }
}

fn unknown_file_type(file: &str) -> Diagnostic {
    Diagnostic::error(Some(Span::file(file)), "unknown statistics file type")
        .with_hint("use a .csv, .yaml, .yml or .json file")
}

/// Places YAML/JSON records where their id is written (the parser's
/// spans; the record itself when it has no id). `records` are every record
/// of the file, in its order.
fn locate_records(records: Vec<StatisticRecord>, source: &SourceText) -> Vec<LocatedRecord> {
    let places = crate::places::Places::of_yaml(source);
    records
        .into_iter()
        .enumerate()
        .map(|(i, record)| {
            let i = i.to_string();
            let location = places
                .value(&[i.as_str(), "id"])
                .unwrap_or_else(|| places.at(&[i.as_str()]));
            LocatedRecord { record, location }
        })
        .collect()
}

/// The columns of a statistics file, in their usual order.
pub const COLUMNS: [&str; 9] = [
    "id",
    "value",
    "unit",
    "label",
    "period",
    "source",
    "source_url",
    "note",
    "series",
];

/// A CSV statistics file's records, and each one's value of the key
/// column (when there is one).
fn parse_csv(
    source: &SourceText,
    key_column: Option<&str>,
) -> Result<(Vec<LocatedRecord>, Vec<Option<String>>), Diagnostic> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(source.text().as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(&e, source))?.clone();
    for (i, h) in headers.iter().enumerate() {
        if !COLUMNS.contains(&h) && Some(h) != key_column {
            return Err(Diagnostic::error(
                Some(source.at(header_field_start(source.text(), i))),
                format!("unknown column `{h}`"),
            )
            .with_hint(format!("columns are: {}", COLUMNS.join(", "))));
        }
    }
    for required in ["id", "value", "label", "source"] {
        if !headers.iter().any(|h| h == required) {
            return Err(Diagnostic::error(
                Some(source.at(0)),
                format!("missing column `{required}`"),
            )
            .with_hint("the header row needs at least: id, value, label, source"));
        }
    }
    let mut out = Vec::new();
    let mut keys = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| csv_error(&e, source))?;
        let start = row.position().map_or(0, record_start);
        let get = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| row.get(i))
                .map(str::to_string)
                .filter(|v| !v.is_empty())
        };
        keys.push(key_column.and_then(get));
        let record = StatisticRecord {
            id: get("id"),
            value: get("value").map(RecordValue::Text),
            unit: get("unit"),
            label: get("label"),
            period: get("period"),
            source: get("source"),
            source_url: get("source_url"),
            note: get("note"),
            series: get("series"),
        };
        out.push(LocatedRecord {
            record,
            location: source.at(start),
        });
    }
    Ok((out, keys))
}

/// Where the header's field `field` starts (in bytes).
fn header_field_start(text: &str, field: usize) -> usize {
    let header = text.lines().next().unwrap_or("");
    header.split(',').take(field).map(|f| f.len() + 1).sum()
}

/// Where a CSV record starts in its text (the reader's byte position).
pub fn record_start(position: &csv::Position) -> usize {
    usize::try_from(position.byte()).unwrap_or(usize::MAX)
}

fn csv_error(e: &csv::Error, source: &SourceText) -> Diagnostic {
    let span = e
        .position()
        .map_or(source.whole(), |p| source.at(record_start(p)));
    Diagnostic::error(Some(span), format!("invalid CSV: {e}"))
        .with_hint("every row needs as many fields as the header; quote fields that contain commas")
}

/// Whether a source is a placeholder still to be filled in: it starts
/// with `TODO` (any case), as `briefkit import` writes it.
pub fn is_placeholder_source(source: &str) -> bool {
    source
        .trim_start()
        .get(..4)
        .is_some_and(|w| w.eq_ignore_ascii_case("todo"))
}

/// Whether `text` is a plain decimal number as the statistics format wants it.
pub fn is_plain_number(text: &str) -> bool {
    let t = text.strip_prefix('-').unwrap_or(text);
    let mut parts = t.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// Validates records into statistics, each with where it was written.
/// Their `display` is still empty (see [`format_values`]) and their
/// `source_number` 0 (see [`number_sources`]): both are done only for the
/// statistics a brief uses. Every problem is reported, not only the first.
/// The work is linear in the number of records and the records' text moves
/// into the statistics, so a dataset of a million rows is checked about as
/// fast as it is read and is never held twice.
pub fn validate(records: Vec<LocatedRecord>) -> Result<Vec<(Statistic, Span)>, Vec<Diagnostic>> {
    let errors = problems(&records);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(records
        .into_iter()
        .map(|LocatedRecord { record, location }| {
            let value_text = record
                .value
                .as_ref()
                .map(RecordValue::as_text)
                .unwrap_or_default()
                .trim()
                .to_string();
            let stat = Statistic {
                id: record.id.unwrap_or_default(),
                value: value_text.parse().unwrap_or(0.0),
                value_text,
                display: String::new(),
                compact: String::new(),
                unit: record.unit,
                label: record.label.unwrap_or_default(),
                period: record.period,
                source: record.source.unwrap_or_default(),
                source_url: record.source_url,
                note: record.note,
                series: record.series.filter(|s| !s.trim().is_empty()),
                source_number: 0,
            };
            (stat, location)
        })
        .collect())
}

/// Every problem of the records: ids missing, malformed or repeated;
/// values missing or not plain numbers; labels and sources missing;
/// malformed addresses.
///
/// A source starting `TODO` (as `briefkit import` writes for a figure
/// whose release names no source) is a placeholder: accepted, so the
/// brief can be previewed, with a warning at every check and build.
fn problems(records: &[LocatedRecord]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut seen: FxHashSet<&str> =
        FxHashSet::with_capacity_and_hasher(records.len(), Default::default());
    for LocatedRecord { record, location } in records {
        let at = || Some(location.clone());
        let Some(id) = record.id.as_deref().filter(|s| !s.trim().is_empty()) else {
            errors.push(
                Diagnostic::error(at(), "statistic without an id")
                    .with_hint("give every row a short id such as `unicef-children`"),
            );
            continue;
        };
        if !id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            errors.push(Diagnostic::error(
                at(),
                format!(
                    "statistic id `{id}` has characters other than letters, digits, `-` and `_`"
                ),
            ));
        }
        if !seen.insert(id) {
            errors.push(
                Diagnostic::error(at(), format!("duplicate statistic id `{id}`"))
                    .with_hint("ids must be unique"),
            );
            continue;
        }
        let value_text = record
            .value
            .as_ref()
            .map(RecordValue::as_text)
            .unwrap_or_default();
        let value_text = value_text.trim();
        if value_text.is_empty() {
            errors.push(
                Diagnostic::error(at(), format!("statistic `{id}` has no value"))
                    .with_hint("write the number in the value column"),
            );
        } else if !is_plain_number(value_text) {
            errors.push(
                Diagnostic::error(at(), format!("statistic `{id}` has a non-numeric value `{value_text}`"))
                    .with_hint("write a plain number such as 3000 or 12.5, without separators or units; put the unit in the unit column"),
            );
        }
        if record.label.as_deref().is_none_or(|s| s.trim().is_empty()) {
            errors.push(
                Diagnostic::error(at(), format!("statistic `{id}` has no label"))
                    .with_hint("say what the number counts"),
            );
            continue;
        }
        if record.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
            errors.push(
                Diagnostic::error(at(), format!("statistic `{id}` has no source")).with_hint(
                    "name the organisation that published the figure in the source column",
                ),
            );
            continue;
        }
        if let Some(url) = &record.source_url {
            if !(url.starts_with("https://") || url.starts_with("http://"))
                || url.contains(char::is_whitespace)
            {
                errors.push(
                    Diagnostic::error(
                        at(),
                        format!("statistic `{id}` has a malformed source_url `{url}`"),
                    )
                    .with_hint("write a full http:// or https:// address"),
                );
            }
        }
    }
    errors
}

/// Writes each statistic's value as the pack's language writes numbers
/// (`display`), with `%` where the unit is one.
pub fn format_values(stats: &mut [Statistic], language: &str) {
    let numbers = NumberFormat::new(language);
    for stat in stats {
        stat.display = numbers
            .format_with_unit(&stat.value_text, stat.unit.as_deref())
            .unwrap_or_else(|| stat.value_text.clone());
        stat.compact = numbers
            .format_compact(&stat.value_text, stat.unit.as_deref())
            .unwrap_or_else(|| stat.display.clone());
    }
}

/// Numbers the sources of `stats` in order of first use (one entry per
/// organisation and address) and sets each statistic's `source_number`.
pub fn number_sources(stats: &mut [Statistic]) -> Vec<Source> {
    let mut sources: Vec<Source> = Vec::new();
    let mut index: FxHashMap<(String, Option<String>), usize> = FxHashMap::default();
    for stat in stats {
        let key = (stat.source.clone(), stat.source_url.clone());
        let i = *index.entry(key).or_insert_with(|| {
            let number = sources.len() + 1;
            sources.push(Source {
                number,
                anchor: format!("source-{number}"),
                name: stat.source.clone(),
                url: stat.source_url.clone(),
                statistics: Vec::new(),
            });
            number - 1
        });
        sources[i].statistics.push(stat.id.clone());
        stat.source_number = sources[i].number;
    }
    sources
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn source(file: &str, text: &str) -> SourceText {
        SourceText::new(file, text.into())
    }

    fn csv(text: &str) -> Result<(Vec<Statistic>, Vec<Source>), Vec<Diagnostic>> {
        let records =
            parse_statistics_file(&source("stats.csv", text), None).map_err(|d| vec![d])?;
        let mut stats: Vec<Statistic> = validate(records)?.into_iter().map(|(s, _)| s).collect();
        format_values(&mut stats, "en");
        let sources = number_sources(&mut stats);
        Ok((stats, sources))
    }

    #[test]
    fn rows_become_statistics_with_numbered_sources() {
        let text = "id,value,unit,label,period,source\na,3000,,women,,ECLAC\nb,99,%,girls,,INEGI\nc,5,,x,,ECLAC\n";
        let (stats, sources) = csv(text).unwrap_or_default();
        assert_eq!(stats.len(), 3);
        assert_eq!(stats[0].display, "3,000");
        assert_eq!(stats[1].display, "99%");
        assert_eq!(sources.len(), 2);
        assert_eq!(stats[2].source_number, 1);
    }

    #[test]
    fn row_without_source_names_its_line() {
        let text = "id,value,label,source\na,1,x,S\nb,2,y,\n";
        let errs = csv(text).err().unwrap_or_default();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].span.as_ref().and_then(Span::line), Some(3));
        assert!(errs[0].message.contains("no source"));
    }

    #[test]
    fn yaml_and_json_records_are_placed_at_their_own_ids() {
        // `b` is first written as the label of `a`: the record `b` is
        // placed at its own id, not there.
        let yaml = "- id: a\n  value: 1\n  label: b\n  source: S\n- id: b\n  value: 2\n  label: c\n  source: S\n";
        let json = r#"[{"id": "a", "value": 1, "label": "b", "source": "S"},
 {"label": "c", "id": "b", "value": 2, "source": "S"}]"#;
        for (text, file, want) in [(yaml, "s.yaml", (5, 7)), (json, "s.json", (2, 23))] {
            let records = parse_statistics_file(&source(file, text), None).unwrap_or_default();
            let at = records.get(1).map(|r| {
                let l = r.location.resolve();
                (l.line, l.column)
            });
            assert_eq!(at, Some((Some(want.0), Some(want.1))), "{file}");
        }
    }

    #[test]
    fn non_numeric_value_is_an_error() {
        let errs = csv("id,value,label,source\na,\"3,000\",x,S\n")
            .err()
            .unwrap_or_default();
        assert!(
            errs[0].message.contains("non-numeric"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn plain_numbers() {
        for ok in ["0", "3000", "12.5", "-4"] {
            assert!(is_plain_number(ok), "{ok}");
        }
        for bad in ["", "3,000", "1.", ".5", "12%", "1e5", "abc"] {
            assert!(!is_plain_number(bad), "{bad}");
        }
    }

    fn ids(records: &[LocatedRecord]) -> Vec<(String, usize)> {
        records
            .iter()
            .map(|r| {
                (
                    r.record.id.clone().unwrap_or_default(),
                    r.location.line().unwrap_or(0),
                )
            })
            .collect()
    }

    #[test]
    fn a_rows_share_is_its_key_and_the_blank_keys_in_file_order() {
        let text =
            "iso3,id,value,label,source\nMEX,a,1,x,S\n,shared,2,y,S\nGTM,a,3,x,S\n MEX ,b,4,z,S\n";
        let keyed = KeyedRecords::parse(&source("s.csv", text), "iso3").unwrap();
        let mex = keyed.for_key("MEX").unwrap();
        assert_eq!(
            ids(&mex),
            [("a".into(), 2), ("shared".into(), 3), ("b".into(), 5)]
        );
        assert_eq!(
            ids(&keyed.for_key("GTM").unwrap()),
            [("shared".into(), 3), ("a".into(), 4)]
        );
        assert_eq!(ids(&keyed.for_key("HND").unwrap()), [("shared".into(), 3)]);
        // The same as reading the file for that key alone.
        let filter = KeyFilter {
            column: "iso3",
            value: "MEX",
        };
        assert_eq!(
            ids(&parse_statistics_file(&source("s.csv", text), Some(filter)).unwrap()),
            ids(&mex)
        );
    }

    #[test]
    fn a_bad_json_record_fails_only_the_briefs_that_keep_it() {
        let text = r#"[{"iso3": "MEX", "id": "a", "value": 1, "label": "x", "source": "S"},
{"iso3": "GTM", "id": "b", "value": 2, "label": "y", "source": "S", "colour": "red"}]"#;
        let keyed = KeyedRecords::parse(&source("s.json", text), "iso3").unwrap();
        assert_eq!(ids(&keyed.for_key("MEX").unwrap()), [("a".into(), 1)]);
        let bad = keyed.for_key("GTM").unwrap_err();
        assert!(bad.message.contains("colour"), "{}", bad.message);
    }

    #[test]
    fn the_cache_reads_a_file_once_and_again_when_it_changes() {
        use std::sync::Arc;
        let cache = StatisticsCache::default();
        let text: Arc<str> = Arc::from("iso3,id,value,label,source\nMEX,a,1,x,S\n");
        let first = cache.keyed(&text, "s.csv", "iso3");
        let again = cache.keyed(&text, "s.csv", "iso3");
        assert!(Arc::ptr_eq(&first, &again));
        // Another copy of the same text is the same file.
        let copy: Arc<str> = Arc::from(text.to_string());
        assert!(Arc::ptr_eq(&first, &cache.keyed(&copy, "s.csv", "iso3")));
        let changed = cache.keyed(
            &Arc::from("iso3,id,value,label,source\nMEX,a,2,x,S\n"),
            "s.csv",
            "iso3",
        );
        assert!(!Arc::ptr_eq(&first, &changed));
        let value = |r: &Arc<KeyedFile>| {
            let records = r.records.as_ref().unwrap().for_key("MEX").unwrap();
            records[0].record.value.as_ref().map(RecordValue::as_text)
        };
        assert_eq!(value(&changed).as_deref(), Some("2"));
        assert_eq!(value(&first).as_deref(), Some("1"));
        // A removed character is said for every brief that reads the file.
        let dirty = cache.keyed(
            &Arc::from("iso3,id,value,label,source\nMEX,a,3,x\u{1},S\n"),
            "s.csv",
            "iso3",
        );
        assert_eq!(dirty.cleaned.len(), 1);
        assert_eq!(value(&dirty).as_deref(), Some("3"));
    }
}
