//! The data a brief carries: the statistics it uses (those its table
//! lists and those its charts draw) as CSV and as JSON, and a provenance record — briefkit's
//! version, the pack, the row of a batch, and the SHA-256 of every pack
//! input and of the two data files. Every format embeds these files.

use crate::hash::sha256_hex;
use crate::inputs::Input;
use briefkit_model::{Attachment, Document, Statistic};
use serde_json::{json, Value};

/// The data file of the statistics as CSV.
pub const CSV: &str = "statistics.csv";
/// The data file of the statistics as JSON.
pub const JSON: &str = "statistics.json";
/// The provenance record.
pub const PROVENANCE: &str = "provenance.json";

/// A field as CSV writes it: quoted when it holds a comma, a quote or a
/// line break (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The statistics as the statistics file's columns (a `series` column when
/// any statistic is in a series); the value as the file wrote it.
pub fn csv(doc: &Document) -> String {
    csv_of(&doc.statistics)
}

/// [`csv`] of a list of statistics.
pub fn csv_of(statistics: &[Statistic]) -> String {
    use briefkit_compose::statistics::COLUMNS;
    let series = statistics.iter().any(|s| s.series.is_some());
    // The columns in the file's usual order; `series` last, when used.
    let columns = if series {
        &COLUMNS[..]
    } else {
        &COLUMNS[..COLUMNS.len() - 1]
    };
    let mut out = columns.join(",");
    out.push('\n');
    for s in statistics {
        let opt = |o: &Option<String>| field(o.as_deref().unwrap_or(""));
        let mut row = [
            field(&s.id),
            field(&s.value_text),
            opt(&s.unit),
            field(&s.label),
            opt(&s.period),
            field(&s.source),
            opt(&s.source_url),
            opt(&s.note),
        ]
        .join(",");
        if series {
            row.push(',');
            row.push_str(&opt(&s.series));
        }
        out.push_str(&row);
        out.push('\n');
    }
    out
}

/// The statistics typed: the value a number, absent fields `null`,
/// `printed`, the value as the brief prints it in its language, and
/// `printed_compact`, its compact form (`20K`).
pub fn json(doc: &Document) -> String {
    json_of(
        &doc.statistics,
        &doc.metadata.language,
        &doc.metadata.formatting_tag,
    )
}

/// [`json`] of a list of statistics, in `language`, their numbers
/// written by `numbers` (a BCP 47 tag).
pub fn json_of(statistics: &[Statistic], language: &str, numbers: &str) -> String {
    let statistics: Vec<Value> = statistics
        .iter()
        .map(|s| {
            let mut record = json!({
                "id": s.id,
                // As the file wrote it (3000, not 3000.0), when JSON can.
                "value": serde_json::from_str::<serde_json::Number>(s.value_text.trim())
                    .map_or_else(|_| json!(s.value), Value::Number),
                "unit": s.unit,
                "label": s.label,
                "period": s.period,
                "source": s.source,
                "source_url": s.source_url,
                "note": s.note,
                "printed": s.display,
                "printed_compact": s.compact,
            });
            if let (Some(series), Some(map)) = (&s.series, record.as_object_mut()) {
                map.insert("series".into(), json!(series));
            }
            record
        })
        .collect();
    let data = json!({
        "language": language,
        // The tag `printed` was written by (the language, with a numbering
        // system when the pack sets one): `briefkit verify` formats by it.
        "numbers": numbers,
        "statistics": statistics,
    });
    let mut text = serde_json::to_string_pretty(&data).unwrap_or_default();
    text.push('\n');
    text
}

/// The provenance record of `csv` and `json`, made from `pack` (its
/// name), `row` (the key of a batch's row) and what the brief read.
pub fn provenance(
    pack: &str,
    row: Option<&str>,
    inputs: &[Input],
    csv: &str,
    json: &str,
) -> String {
    let inputs: Vec<Value> = inputs
        .iter()
        .map(|i| json!({"path": i.path, "sha256": i.sha256}))
        .collect();
    let record = json!({
        "generator": format!("briefkit {}", env!("CARGO_PKG_VERSION")),
        "pack": pack,
        "row": row,
        "inputs": inputs,
        "data": {
            CSV: sha256_hex(csv.as_bytes()),
            JSON: sha256_hex(json.as_bytes()),
        },
    });
    let mut text = serde_json::to_string_pretty(&record).unwrap_or_default();
    text.push('\n');
    text
}

/// The three files a brief carries.
pub fn attachments(
    doc: &Document,
    pack: &str,
    row: Option<&str>,
    inputs: &[Input],
) -> Vec<Attachment> {
    let csv = csv(doc);
    let json = json(doc);
    let provenance = provenance(pack, row, inputs, &csv, &json);
    vec![
        Attachment {
            name: CSV.into(),
            mime: "text/csv".into(),
            description: doc.metadata.labels.data_csv.clone(),
            bytes: csv.into_bytes(),
        },
        Attachment {
            name: JSON.into(),
            mime: "application/json".into(),
            description: doc.metadata.labels.data_json.clone(),
            bytes: json.into_bytes(),
        },
        Attachment {
            name: PROVENANCE.into(),
            mime: "application/json".into(),
            description: doc.metadata.labels.data_provenance.clone(),
            bytes: provenance.into_bytes(),
        },
    ]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_where_they_must_be() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"3,000\""), "\"say \"\"3,000\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }
}
