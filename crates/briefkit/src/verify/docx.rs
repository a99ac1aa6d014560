//! The DOCX's data (its custom XML part in briefkit's namespace) and
//! figures (the content controls tagged with a statistic).

use super::{
    attr, checksum_finding, nodes, zip_entry, Archive, Extracted, Figure, Finding, FindingKind,
    Node, Paragraph, Place, VerifyError,
};
use crate::data::{csv_of, json_of, CSV, JSON};
use briefkit_docx::DATA_NAMESPACE as NAMESPACE;
use briefkit_model::Statistic;

pub(super) fn extract(archive: &mut Archive<'_>) -> Result<Extracted, VerifyError> {
    // The data part: the custom XML item in briefkit's namespace.
    let names: Vec<String> = archive
        .file_names()
        .filter(|n| n.starts_with("customXml/item") && !n.contains("Props") && n.ends_with(".xml"))
        .map(str::to_string)
        .collect();
    let mut data = None;
    for name in names {
        let Some(bytes) = zip_entry(archive, &name) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if text.contains(NAMESPACE) {
            data = Some((name, text));
            break;
        }
    }
    let (part, text) = data.ok_or_else(|| VerifyError::no_data("DOCX"))?;
    let place = Place::part(&part);
    let (statistics, language, numbers, provenance) = data_part(&nodes(&text, &part)?);
    let mut findings = Vec::new();
    let provenance: Option<serde_json::Value> =
        provenance.and_then(|p| serde_json::from_str(&p).ok());
    if provenance.is_none() {
        findings.push(Finding::data_error(
            FindingKind::Data,
            place.clone(),
            "the data has no readable provenance record".into(),
        ));
    }
    // The part holds the data's fields: written again as the CSV and the
    // JSON, they must have the checksums the brief was built with.
    let csv = csv_of(&statistics);
    let json = json_of(&statistics, &language, &numbers);
    for (name, bytes) in [(CSV, csv.as_bytes()), (JSON, json.as_bytes())] {
        findings.extend(checksum_finding(provenance.as_ref(), name, bytes, &place));
    }
    let mut x = Extracted {
        statistics,
        numbers,
        figures: Vec::new(),
        paragraphs: Vec::new(),
        provenance,
        findings,
    };
    for part in ["word/document.xml", "word/footnotes.xml"] {
        let Some(bytes) = zip_entry(archive, part) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        body(
            &nodes(&text, part)?,
            part,
            &mut x.figures,
            &mut x.paragraphs,
        );
    }
    Ok(x)
}

/// The statistics, language, numbering tag and provenance of the data part.
fn data_part(nodes: &[Node]) -> (Vec<Statistic>, String, String, Option<String>) {
    let mut statistics = Vec::new();
    let (mut language, mut numbers) = (String::from("en"), None);
    let mut provenance = None;
    let mut field: Option<String> = None;
    let mut text = String::new();
    for n in nodes {
        match n {
            Node::Start(name, attrs) => {
                match name.as_str() {
                    "briefkit" => {
                        language = attr(attrs, "language").unwrap_or("en").to_string();
                        numbers = attr(attrs, "numbers").map(str::to_string);
                    }
                    "statistic" => statistics.push(Statistic {
                        id: attr(attrs, "id").unwrap_or_default().to_string(),
                        ..Statistic::default()
                    }),
                    _ => {}
                }
                field = Some(name.clone());
                text.clear();
            }
            Node::Text(t) => text.push_str(t),
            Node::End(name) => {
                if field.as_deref() == Some(name) {
                    let value = std::mem::take(&mut text);
                    if name == "provenance" {
                        provenance = Some(value);
                    } else if let Some(s) = statistics.last_mut() {
                        match name.as_str() {
                            "value" => {
                                s.value = value.trim().parse().unwrap_or(0.0);
                                s.value_text = value;
                            }
                            "unit" => s.unit = Some(value),
                            "label" => s.label = value,
                            "period" => s.period = Some(value),
                            "source" => s.source = value,
                            "source_url" => s.source_url = Some(value),
                            "note" => s.note = Some(value),
                            "series" => s.series = Some(value),
                            "printed" => s.display = value,
                            "compact" => s.compact = value,
                            _ => {}
                        }
                    }
                }
                field = None;
            }
        }
    }
    let numbers = numbers.unwrap_or_else(|| language.clone());
    (statistics, language, numbers, provenance)
}

/// The figures and prose paragraphs of a WordprocessingML part.
fn body(nodes: &[Node], part: &str, figures: &mut Vec<Figure>, paragraphs: &mut Vec<Paragraph>) {
    let mut count = 0usize;
    let mut tables = 0usize;
    // Open content controls: their tag (once read) and text.
    let mut controls: Vec<(Option<String>, String)> = Vec::new();
    // The open paragraph's text, and whether it is prose.
    let mut paragraph: Option<(String, bool)> = None;
    let mut in_text = false;
    // Whether the open run is a citation or a note reference.
    let mut skip_run = false;
    let place = |count: usize| Place::paragraph(part, count);
    for n in nodes {
        match n {
            Node::Start(name, attrs) => match name.as_str() {
                "w:p" => {
                    count += 1;
                    paragraph = Some((String::new(), tables == 0));
                }
                "w:tbl" => tables += 1,
                // A table of contents, a caption: not prose.
                "w:pStyle" => {
                    let style = attr(attrs, "w:val").unwrap_or_default();
                    if style.starts_with("TOC") || style == "Caption" {
                        if let Some((_, prose)) = &mut paragraph {
                            *prose = false;
                        }
                    }
                }
                "w:sdt" => {
                    controls.push((None, String::new()));
                    if let Some((text, _)) = &mut paragraph {
                        text.push(' ');
                    }
                }
                "w:tag" => {
                    if let Some((tag, _)) = controls.last_mut() {
                        if tag.is_none() {
                            *tag = attr(attrs, "w:val").map(str::to_string);
                        }
                    }
                }
                "w:t" => in_text = true,
                // A citation's "[3]", a note's number: not the prose's.
                "w:rStyle" => {
                    skip_run =
                        matches!(attr(attrs, "w:val"), Some("Citation" | "FootnoteReference"));
                }
                "w:tab" | "w:br" => {
                    if let Some((text, _)) = &mut paragraph {
                        text.push(' ');
                    }
                }
                _ => {}
            },
            Node::Text(t) if in_text => {
                if let Some((_, text)) = controls.last_mut() {
                    text.push_str(t);
                } else if let Some((text, _)) = paragraph.as_mut().filter(|_| !skip_run) {
                    text.push_str(t);
                }
            }
            Node::Text(_) => {}
            Node::End(name) => match name.as_str() {
                "w:t" => in_text = false,
                "w:r" => skip_run = false,
                "w:tbl" => tables = tables.saturating_sub(1),
                "w:sdt" => {
                    if let Some((Some(statistic), text)) = controls.pop() {
                        figures.push(Figure {
                            statistic,
                            text,
                            place: place(count),
                        });
                    }
                }
                "w:p" => {
                    if let Some((text, true)) = paragraph.take() {
                        paragraphs.push(Paragraph {
                            text,
                            place: place(count),
                        });
                    }
                }
                _ => {}
            },
        }
    }
}
