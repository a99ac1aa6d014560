//! The brief's data in the DOCX: a custom XML part (`customXml/item1.xml`,
//! ISO/IEC 29500-1 §15.2.4) holding the statistics the brief uses — each
//! with its value as written, unit, label, period, source, address, note,
//! series and the text as printed — and the provenance record, with its
//! properties part naming the data store (`itemProps1.xml`). Word keeps
//! such a part through editing; content controls can bind to it.

use briefkit_model::{Attachment, Document};
use briefkit_package::escape as esc;

/// The namespace of the data's XML.
pub const NAMESPACE: &str = "urn:briefkit:data:1";

/// The three parts: the data, its properties, its relationships.
pub struct DataPart {
    /// `customXml/item1.xml`.
    pub item: String,
    /// `customXml/itemProps1.xml`.
    pub props: String,
    /// `customXml/_rels/item1.xml.rels`.
    pub rels: String,
    /// The data store's id (`ds:itemID`), which content controls bind to.
    pub store: String,
}

/// The data store's id: the document's identifier (derived from the
/// pack's content) as Word writes a GUID.
fn store_id(doc: &Document) -> String {
    let hex: String = doc
        .metadata
        .identifier
        .chars()
        .filter(char::is_ascii_hexdigit)
        .chain(std::iter::repeat('0'))
        .take(32)
        .collect::<String>()
        .to_ascii_uppercase();
    format!(
        "{{{}-{}-{}-{}-{}}}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The data part of `doc`, when the brief carries its data
/// (`attachments` not empty).
pub fn data_part(doc: &Document, attachments: &[Attachment]) -> Option<DataPart> {
    if attachments.is_empty() {
        return None;
    }
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<briefkit xmlns=\"{NAMESPACE}\" language=\"{}\" numbers=\"{}\"><statistics>",
        esc(&doc.metadata.language),
        esc(&doc.metadata.formatting_tag)
    );
    for s in &doc.statistics {
        x.push_str(&format!("<statistic id=\"{}\">", esc(&s.id)));
        let fields = [
            ("value", Some(s.value_text.as_str())),
            ("unit", s.unit.as_deref()),
            ("label", Some(s.label.as_str())),
            ("period", s.period.as_deref()),
            ("source", Some(s.source.as_str())),
            ("source_url", s.source_url.as_deref()),
            ("note", s.note.as_deref()),
            ("series", s.series.as_deref()),
            ("printed", Some(s.display.as_str())),
            ("compact", Some(s.compact.as_str())),
        ];
        for (name, value) in fields {
            if let Some(value) = value {
                x.push_str(&format!("<{name}>{}</{name}>", esc(value)));
            }
        }
        x.push_str("</statistic>");
    }
    x.push_str("</statistics>");
    for a in attachments
        .iter()
        .filter(|a| a.name.ends_with("provenance.json"))
    {
        x.push_str(&format!(
            "<provenance media-type=\"{}\">{}</provenance>",
            esc(&a.mime),
            esc(&String::from_utf8_lossy(&a.bytes))
        ));
    }
    x.push_str("</briefkit>");
    let props = format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<ds:datastoreItem ds:itemID=\"{}\" xmlns:ds=\"http://schemas.openxmlformats.org/officeDocument/2006/customXml\">",
            "<ds:schemaRefs><ds:schemaRef ds:uri=\"{}\"/></ds:schemaRefs></ds:datastoreItem>"
        ),
        store_id(doc),
        NAMESPACE
    );
    let rels = concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps\" Target=\"itemProps1.xml\"/>",
        "</Relationships>"
    )
    .to_string();
    Some(DataPart {
        item: x,
        props,
        rels,
        store: store_id(doc),
    })
}
