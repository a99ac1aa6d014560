//! Data-driven packs: `[batch] rows = "countries.csv"`, `key = "iso3"`.
//! Each row of the rows file is one brief: its columns are `{{row.COLUMN}}`
//! in the article and in `brief.toml`'s strings, and the statistics whose
//! key column holds the row's key (or nothing: shared) are its statistics.

use crate::places::Places;
use briefkit_model::diagnostic::{Diagnostic, SourceText, Span};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One row of a rows file. Its cells are kept in one string (a rows file
/// may have a million rows, and `--row` reads them all to check the keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The value of the key column: names the brief (`NAME-KEY.pdf`).
    pub key: String,
    /// The column names (shared by the rows of a CSV file).
    columns: Arc<[String]>,
    /// The cells' text, one after the other.
    cells: Box<str>,
    /// Where each cell ends in `cells`.
    ends: Box<[u32]>,
    /// Where the row is written.
    pub location: Span,
}

impl serde::Serialize for Row {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut row = s.serialize_struct("Row", 3)?;
        row.serialize_field("key", &self.key)?;
        row.serialize_field("values", &self.values())?;
        row.serialize_field("location", &self.location)?;
        row.end()
    }
}

impl Row {
    /// A row of `columns` and their `values` (in the same order).
    pub fn new(
        key: String,
        columns: Arc<[String]>,
        values: impl IntoIterator<Item = impl AsRef<str>>,
        location: Span,
    ) -> Self {
        let mut cells = String::new();
        let mut ends = Vec::with_capacity(columns.len());
        for value in values {
            cells.push_str(value.as_ref());
            ends.push(u32::try_from(cells.len()).unwrap_or(u32::MAX));
        }
        Self {
            key,
            columns,
            cells: cells.into_boxed_str(),
            ends: ends.into_boxed_slice(),
            location,
        }
    }

    /// The value of a column.
    pub fn get(&self, column: &str) -> Option<&str> {
        let i = self.columns.iter().position(|c| c == column)?;
        self.cell(i)
    }

    fn cell(&self, i: usize) -> Option<&str> {
        let start = if i == 0 {
            0
        } else {
            *self.ends.get(i - 1)? as usize
        };
        self.cells.get(start..*self.ends.get(i)? as usize)
    }

    /// Every column's value, as text, by column name.
    pub fn values(&self) -> BTreeMap<&str, &str> {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((c.as_str(), self.cell(i)?)))
            .collect()
    }

    /// The row with each value passed through `f` (given the column).
    #[must_use]
    pub fn map_values(&self, mut f: impl FnMut(&str, &str) -> String) -> Self {
        let values: Vec<String> = (0..self.columns.len())
            .map(|i| f(&self.columns[i], self.cell(i).unwrap_or_default()))
            .collect();
        Self::new(
            self.key.clone(),
            self.columns.clone(),
            values,
            self.location.clone(),
        )
    }

    /// The key made safe for a file name: letters, digits, `.`, `_` and
    /// `-` kept, characters that are invisible by definition (zero-width
    /// spaces and joiners, direction marks, variation selectors: Unicode's
    /// default-ignorable code points) dropped, anything else `_`.
    pub fn file_key(&self) -> String {
        self.file_key_chars().collect()
    }

    /// The characters of [`Row::file_key`], made as they are read.
    fn file_key_chars(&self) -> impl Iterator<Item = char> + '_ {
        let mut safe = self
            .key
            .chars()
            .filter(|c| !is_default_ignorable(*c))
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .skip_while(|c| *c == '.')
            .peekable();
        let empty = safe.peek().is_none();
        empty.then_some('_').into_iter().chain(safe)
    }
}

/// Unicode's Default_Ignorable_Code_Point: characters with no visible
/// form, which two keys may differ by without a reader seeing it.
fn is_default_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
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

/// Takes a row's columns, values (in the same order) and where it is
/// written.
type Push<'a> = dyn FnMut(Arc<[String]>, &[&str], Span) -> Result<(), Diagnostic> + 'a;

/// Reads a rows file: CSV with a header row, or a YAML or JSON list of
/// records (flat: each value text, a number or a boolean). Every row needs
/// a non-empty, unique `key`.
pub fn parse_rows(source: &SourceText, key: &str) -> Result<Rows, Diagnostic> {
    let (text, file) = (source.text(), source.path());
    let lower = file.to_ascii_lowercase();
    // About a row a line: room made once, not by doubling a vector that
    // may hold a million rows.
    let lines = text.bytes().filter(|b| *b == b'\n').count();
    let mut rows: Vec<Row> = Vec::with_capacity(lines + 1);
    let mut push = |columns: Arc<[String]>, values: &[&str], location: Span| {
        let Some(k) = columns
            .iter()
            .position(|c| c == key)
            .and_then(|i| values.get(i))
            .map(|k| k.trim().to_string())
        else {
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
        rows.push(Row::new(k, columns, values, location));
        Ok(())
    };
    if lower.ends_with(".csv") {
        parse_csv(source, &mut push)?;
    } else if lower.ends_with(".json") || lower.ends_with(".yaml") || lower.ends_with(".yml") {
        let values: Vec<BTreeMap<String, serde_json::Value>> = if lower.ends_with(".json") {
            serde_json::from_str(text).map_err(|e| {
                Diagnostic::error(
                    Some(source.at_line_col(e.line(), e.column())),
                    format!("invalid rows JSON: {e}"),
                )
                .with_hint("write an array of flat objects, one per brief")
            })?
        } else {
            crate::yaml::parse(source, "rows YAML")
                .map_err(|d| d.with_hint("write a list of flat records, one per brief"))?
        };
        locate(values, source, key, &mut push)?;
    } else {
        return Err(
            Diagnostic::error(Some(source.whole()), "unknown rows file type")
                .with_hint("use a .csv, .yaml, .yml or .json file"),
        );
    }
    if rows.is_empty() {
        return Err(
            Diagnostic::error(Some(source.whole()), "the rows file has no rows")
                .with_hint("add one row per brief"),
        );
    }
    one_brief_a_name(&rows)?;
    Ok(Rows {
        file: file.to_string(),
        key: key.to_string(),
        rows,
    })
}

/// Each key once, and each file name a key becomes once (ignoring case,
/// for file systems that do): the first row (in file order) that repeats
/// one is an error naming the row before it. Linear in rows: the tables
/// hold row numbers, not copies of the keys.
fn one_brief_a_name(rows: &[Row]) -> Result<(), Diagnostic> {
    use std::hash::{BuildHasher, Hash, Hasher};
    let state = rustc_hash::FxBuildHasher;
    let key_hash = |r: &Row| state.hash_one(&r.key);
    let name_hash = |r: &Row| {
        let mut h = state.build_hasher();
        r.file_key_chars()
            .flat_map(char::to_lowercase)
            .for_each(|c| c.hash(&mut h));
        h.finish()
    };
    let same_name = |a: &Row, b: &Row| {
        a.file_key_chars()
            .flat_map(char::to_lowercase)
            .eq(b.file_key_chars().flat_map(char::to_lowercase))
    };
    let mut keys = hashbrown::HashTable::<usize>::with_capacity(rows.len());
    let mut names = hashbrown::HashTable::<usize>::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let hash = key_hash(row);
        if let Some(&first) = keys.find(hash, |&j| rows[j].key == row.key) {
            return Err(Diagnostic::error(
                Some(row.location.clone()),
                format!(
                    "duplicate key `{}` (first at line {})",
                    row.key,
                    rows[first].location.line().unwrap_or(0)
                ),
            )
            .with_hint("each row is one brief: its key must be unique"));
        }
        keys.insert_unique(hash, i, |&j| key_hash(&rows[j]));
        let hash = name_hash(row);
        if let Some(&first) = names.find(hash, |&j| same_name(&rows[j], row)) {
            let first = &rows[first];
            return Err(Diagnostic::error(
                Some(row.location.clone()),
                format!(
                    "the keys `{}` (line {}) and `{}` name the same files: both briefs would be written as `…-{}.*`",
                    first.key.escape_debug(),
                    first.location.line().unwrap_or(0),
                    row.key.escape_debug(),
                    first.file_key()
                ),
            )
            .with_hint("keys are made into file names (letters, digits, `.`, `_` and `-` kept, anything else `_`, invisible characters dropped, case ignored): make them differ in letters or digits"));
        }
        names.insert_unique(hash, i, |&j| name_hash(&rows[j]));
    }
    Ok(())
}

/// Passes each row of a CSV file to `push`.
fn parse_csv(source: &SourceText, push: &mut Push<'_>) -> Result<(), Diagnostic> {
    let error = |e: csv::Error| {
        let start = e.position().map_or(0, crate::statistics::record_start);
        Diagnostic::error(Some(source.at(start)), format!("invalid rows CSV: {e}"))
            .with_hint("every row needs as many fields as the header")
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(source.text().as_bytes());
    let headers: Arc<[String]> = reader
        .headers()
        .map_err(error)?
        .iter()
        .map(str::to_string)
        .collect();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(error)? {
        let start = record.position().map_or(0, crate::statistics::record_start);
        let values: Vec<&str> = record.iter().collect();
        push(headers.clone(), &values, source.at(start))?;
    }
    Ok(())
}

/// YAML/JSON records as text values, each placed where its key value is
/// written (the parser's spans; the record itself when it has no key).
fn locate(
    records: Vec<BTreeMap<String, serde_json::Value>>,
    source: &SourceText,
    key: &str,
    push: &mut Push<'_>,
) -> Result<(), Diagnostic> {
    let places = Places::of_yaml(source);
    for (n, record) in records.into_iter().enumerate() {
        let n_text = n.to_string();
        let row_at = places.at(&[n_text.as_str()]);
        let mut columns = Vec::with_capacity(record.len());
        let mut values = Vec::with_capacity(record.len());
        for (column, value) in record {
            let text_value = match value {
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Null => String::new(),
                _ => {
                    return Err(Diagnostic::error(
                        Some(
                            places
                                .value(&[n_text.as_str(), column.as_str()])
                                .unwrap_or(row_at),
                        ),
                        format!("row {} has a list or table in `{column}`", n + 1),
                    )
                    .with_hint("rows are flat: each column holds text or a number"))
                }
            };
            columns.push(column);
            values.push(text_value);
        }
        let location = places.value(&[n_text.as_str(), key]).unwrap_or(row_at);
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        push(columns.into(), &values, location)?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(text: &str, file: &str, key: &str) -> Result<Rows, Diagnostic> {
        parse_rows(&SourceText::new(file, text.into()), key)
    }

    fn at(span: &Span) -> (Option<usize>, Option<usize>) {
        let l = span.resolve();
        (l.line, l.column)
    }

    #[test]
    fn csv_yaml_and_json_rows_are_read_and_placed() {
        let csv = "iso3,name,population\nMEX,Mexico,128\nGTM,Guatemala,18\n";
        let rows = parse(csv, "countries.csv", "iso3").unwrap();
        assert_eq!(rows.rows.len(), 2);
        assert_eq!(rows.rows[1].key, "GTM");
        assert_eq!(rows.rows[1].get("name").unwrap(), "Guatemala");
        assert_eq!(rows.rows[1].location.line(), Some(3));
        let yaml =
            "- iso3: MEX\n  name: Mexico\n- iso3: GTM\n  name: Guatemala\n  population: 18\n";
        let rows = parse(yaml, "c.yaml", "iso3").unwrap();
        assert_eq!(rows.rows[1].get("population").unwrap(), "18");
        assert_eq!(rows.rows[1].location.line(), Some(3));
        let json = r#"[{"iso3": "MEX"}, {"iso3": "GTM", "n": 1.5}]"#;
        let rows = parse(json, "c.json", "iso3").unwrap();
        assert_eq!(rows.rows[1].get("n").unwrap(), "1.5");
        assert_eq!(at(&rows.rows[1].location), (Some(1), Some(28)));
        // A key that is also another row's value is placed at its own row.
        let yaml = "- iso3: GTM\n  name: MEX\n- iso3: MEX\n";
        let rows = parse(yaml, "c.yaml", "iso3").unwrap();
        assert_eq!(at(&rows.rows[1].location), (Some(3), Some(9)));
    }

    #[test]
    fn a_row_without_a_key_or_with_a_repeated_one_is_a_located_error() {
        let e = parse("iso3,name\nMEX,Mexico\n,Nowhere\n", "c.csv", "iso3").unwrap_err();
        assert!(e.message.contains("empty"), "{}", e.message);
        assert_eq!(e.span.unwrap().line(), Some(3));
        let e = parse("iso3,name\nMEX,a\nMEX,b\n", "c.csv", "iso3").unwrap_err();
        assert!(e.message.contains("duplicate key `MEX` (first at line 2)"));
        let e = parse("code,name\nMEX,a\n", "c.csv", "iso3").unwrap_err();
        assert!(e.message.contains("no `iso3`"));
    }

    #[test]
    fn keys_become_safe_file_names() {
        let row = |k: &str| Row::new(k.into(), Arc::from([]), [""; 0], Span::file("x"));
        assert_eq!(row("MEX").file_key(), "MEX");
        assert_eq!(row("../etc/passwd").file_key(), "_etc_passwd");
        assert_eq!(row("São Paulo").file_key(), "São_Paulo");
        assert_eq!(row("2026-05").file_key(), "2026-05");
        assert_eq!(row("MEX\u{200b}").file_key(), "MEX");
    }

    #[test]
    fn keys_that_become_one_file_name_are_a_located_error_naming_both_rows() {
        for (a, b) in [
            ("A/B", "A_B"),
            ("mex", "MEX"),
            ("MEX", "M\u{200b}EX\u{200d}"),
        ] {
            let text = format!("iso3,name\n{a},x\nGTM,y\n{b},z\n");
            let e = parse(&text, "c.csv", "iso3").unwrap_err();
            assert_eq!(e.span.as_ref().unwrap().line(), Some(4), "{a} {b}");
            assert!(e.message.contains("(line 2)"), "{}", e.message);
            assert!(e.message.contains("name the same files"), "{}", e.message);
        }
    }

    #[test]
    fn many_rows_are_read_in_linear_time() {
        let mut text = String::from("iso3,name\n");
        for i in 0..200_000 {
            text.push_str(&format!("K{i},n\n"));
        }
        let started = std::time::Instant::now();
        let rows = parse(&text, "c.csv", "iso3").unwrap();
        assert_eq!(rows.rows.len(), 200_000);
        // Quadratic checks took tens of seconds here.
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }
}
