//! Data-driven packs: `[batch] rows = "countries.csv"`, `key = "iso3"`.
//! Each row of the rows file is one brief: its columns are `{{row.COLUMN}}`
//! in the article and in `brief.toml`'s strings, and the statistics whose
//! key column holds the row's key (or nothing: shared) are its statistics.

use crate::diagnostic::{Diagnostic, LineIndex, Location};
use std::collections::BTreeMap;

/// One row of a rows file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    /// The value of the key column: names the brief (`NAME-KEY.pdf`).
    pub key: String,
    /// Every column's value, as text.
    pub values: BTreeMap<String, String>,
    /// Where the row is written.
    pub location: Location,
}

impl Row {
    /// The key made safe for a file name: letters, digits, `.`, `_` and
    /// `-` kept, anything else `_`.
    pub fn file_key(&self) -> String {
        let safe: String = self
            .key
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let safe = safe.trim_start_matches('.').to_string();
        if safe.is_empty() {
            "_".into()
        } else {
            safe
        }
    }
}

/// The rows of a batch, in the file's order.
#[derive(Debug, Clone)]
pub struct Rows {
    /// The rows file (relative to the pack).
    pub file: String,
    /// The key column.
    pub key: String,
    /// The rows.
    pub rows: Vec<Row>,
}

/// A row's values and where it is written.
type Record = (BTreeMap<String, String>, Location);

/// Reads a rows file: CSV with a header row, or a YAML or JSON list of
/// records (flat: each value text, a number or a boolean). Every row needs
/// a non-empty, unique `key`.
pub fn parse_rows(text: &str, file: &str, key: &str) -> Result<Rows, Diagnostic> {
    let lower = file.to_ascii_lowercase();
    let records: Vec<Record> = if lower.ends_with(".csv") {
        parse_csv(text, file)?
    } else if lower.ends_with(".json") || lower.ends_with(".yaml") || lower.ends_with(".yml") {
        let values: Vec<BTreeMap<String, serde_json::Value>> = if lower.ends_with(".json") {
            serde_json::from_str(text).map_err(|e| {
                Diagnostic::error(
                    Some(Location::at(file, e.line(), e.column())),
                    format!("invalid rows JSON: {e}"),
                )
                .with_hint("write an array of flat objects, one per brief")
            })?
        } else {
            crate::yaml::parse(text, file, 1, "rows YAML")
                .map_err(|d| d.with_hint("write a list of flat records, one per brief"))?
        };
        locate(values, text, file, key)?
    } else {
        return Err(
            Diagnostic::error(Some(Location::file(file)), "unknown rows file type")
                .with_hint("use a .csv, .yaml, .yml or .json file"),
        );
    };
    let mut rows: Vec<Row> = Vec::with_capacity(records.len());
    for (values, location) in records {
        let Some(k) = values.get(key).map(|k| k.trim().to_string()) else {
            return Err(Diagnostic::error(
                Some(location),
                format!("the row has no `{key}` (the batch's key column)"),
            )
            .with_hint("every row needs a value in the key column: it names the row's brief"));
        };
        if k.is_empty() {
            return Err(
                Diagnostic::error(Some(location), format!("the row's `{key}` is empty")).with_hint(
                    "every row needs a value in the key column: it names the row's brief",
                ),
            );
        }
        if let Some(first) = rows.iter().find(|r| r.key == k) {
            return Err(Diagnostic::error(
                Some(location),
                format!(
                    "duplicate key `{k}` (first at line {})",
                    first.location.line.unwrap_or(0)
                ),
            )
            .with_hint("each row is one brief: its key must be unique"));
        }
        rows.push(Row {
            key: k,
            values,
            location,
        });
    }
    if rows.is_empty() {
        return Err(
            Diagnostic::error(Some(Location::file(file)), "the rows file has no rows")
                .with_hint("add one row per brief"),
        );
    }
    Ok(Rows {
        file: file.to_string(),
        key: key.to_string(),
        rows,
    })
}

fn parse_csv(text: &str, file: &str) -> Result<Vec<Record>, Diagnostic> {
    let error = |e: csv::Error| {
        let line = e.position().map_or(0, |p| p.line() as usize);
        Diagnostic::error(
            Some(Location::at(file, line.max(1), 1)),
            format!("invalid rows CSV: {e}"),
        )
        .with_hint("every row needs as many fields as the header")
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(error)?.clone();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(error)?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let values = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.to_string(), v.to_string()))
            .collect();
        out.push((values, Location::at(file, line, 1)));
    }
    Ok(out)
}

/// YAML/JSON records as text values, each placed at the line where its key
/// value is written (the records come in order, so each search starts
/// where the last ended).
fn locate(
    records: Vec<BTreeMap<String, serde_json::Value>>,
    text: &str,
    file: &str,
    key: &str,
) -> Result<Vec<Record>, Diagnostic> {
    let index = LineIndex::new(text);
    let mut from = 0;
    let mut out = Vec::with_capacity(records.len());
    for (n, record) in records.into_iter().enumerate() {
        let mut values = BTreeMap::new();
        for (column, value) in record {
            let text_value = match value {
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Null => String::new(),
                _ => {
                    return Err(Diagnostic::error(
                        Some(Location::file(file)),
                        format!("row {} has a list or table in `{column}`", n + 1),
                    )
                    .with_hint("rows are flat: each column holds text or a number"))
                }
            };
            values.insert(column, text_value);
        }
        let location = match values.get(key).and_then(|k| text[from..].find(k.as_str())) {
            Some(at) => {
                from += at;
                let (line, column) = index.line_col(from);
                Location::at(file, line, column)
            }
            None => Location::file(file),
        };
        out.push((values, location));
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn csv_yaml_and_json_rows_are_read_and_placed() {
        let csv = "iso3,name,population\nMEX,Mexico,128\nGTM,Guatemala,18\n";
        let rows = parse_rows(csv, "countries.csv", "iso3").unwrap();
        assert_eq!(rows.rows.len(), 2);
        assert_eq!(rows.rows[1].key, "GTM");
        assert_eq!(rows.rows[1].values["name"], "Guatemala");
        assert_eq!(rows.rows[1].location.line, Some(3));
        let yaml =
            "- iso3: MEX\n  name: Mexico\n- iso3: GTM\n  name: Guatemala\n  population: 18\n";
        let rows = parse_rows(yaml, "c.yaml", "iso3").unwrap();
        assert_eq!(rows.rows[1].values["population"], "18");
        assert_eq!(rows.rows[1].location.line, Some(3));
        let json = r#"[{"iso3": "MEX"}, {"iso3": "GTM", "n": 1.5}]"#;
        let rows = parse_rows(json, "c.json", "iso3").unwrap();
        assert_eq!(rows.rows[1].values["n"], "1.5");
    }

    #[test]
    fn a_row_without_a_key_or_with_a_repeated_one_is_a_located_error() {
        let e = parse_rows("iso3,name\nMEX,Mexico\n,Nowhere\n", "c.csv", "iso3").unwrap_err();
        assert!(e.message.contains("empty"), "{}", e.message);
        assert_eq!(e.location.unwrap().line, Some(3));
        let e = parse_rows("iso3,name\nMEX,a\nMEX,b\n", "c.csv", "iso3").unwrap_err();
        assert!(e.message.contains("duplicate key `MEX` (first at line 2)"));
        let e = parse_rows("code,name\nMEX,a\n", "c.csv", "iso3").unwrap_err();
        assert!(e.message.contains("no `iso3`"));
    }

    #[test]
    fn keys_become_safe_file_names() {
        let row = |k: &str| Row {
            key: k.into(),
            values: BTreeMap::new(),
            location: Location::file("x"),
        };
        assert_eq!(row("MEX").file_key(), "MEX");
        assert_eq!(row("../etc/passwd").file_key(), "_etc_passwd");
        assert_eq!(row("São Paulo").file_key(), "São_Paulo");
        assert_eq!(row("2026-05").file_key(), "2026-05");
    }
}
