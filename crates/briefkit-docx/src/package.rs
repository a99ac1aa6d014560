//! Finishing the package: core properties (which docx-rs cannot set),
//! relationships in a stable order, and a re-packed zip with fixed
//! timestamps, so the same document always gives the same bytes.

use briefkit_model::Document;
use docx_rs::XMLDocx;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The core properties part with title, creator, subject, keywords,
/// language and dates from the document.
pub fn core_xml(doc: &Document) -> String {
    let m = &doc.metadata;
    let creator = if m.authors.is_empty() {
        m.organization.clone().unwrap_or_default()
    } else {
        m.authors.join("; ")
    };
    let stamp = format!("{}T00:00:00Z", m.date);
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" ",
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" ",
            "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
            "<dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>{creator}</dc:creator>",
            "<cp:keywords>{keywords}</cp:keywords><dc:description>{description}</dc:description>",
            "<dc:language>{lang}</dc:language><cp:lastModifiedBy>{creator}</cp:lastModifiedBy><cp:revision>1</cp:revision>",
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:created>",
            "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:modified>",
            "</cp:coreProperties>"
        ),
        title = esc(&m.title),
        subject = esc(m.subtitle.as_deref().unwrap_or("")),
        creator = esc(&creator),
        keywords = esc(&m.keywords.join(", ")),
        description = esc(m.summary.as_deref().unwrap_or("")),
        lang = esc(&m.language),
        stamp = stamp,
    )
}

/// Sorts `<Relationship …/>` elements by their Id (docx-rs emits hyperlink
/// relationships in HashMap order).
fn sort_relationships(xml: &str) -> String {
    let Some(start) = xml.find("<Relationship ") else {
        return xml.to_string();
    };
    let Some(end_tag) = xml.rfind("</Relationships>") else {
        return xml.to_string();
    };
    let mut rels: Vec<String> = xml[start..end_tag]
        .split("/>")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("{s}/>"))
        .collect();
    let key = |r: &String| {
        let id = r
            .split("Id=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("")
            .to_string();
        let digits: String = id.chars().filter(char::is_ascii_digit).collect();
        (
            id.trim_end_matches(|c: char| c.is_ascii_digit())
                .to_string(),
            digits.parse::<u64>().unwrap_or(0),
            id,
        )
    };
    rels.sort_by_key(key);
    format!("{}{}{}", &xml[..start], rels.concat(), &xml[end_tag..])
}

/// Gives every drawing its own id, a name and its alternative text
/// (`wp:docPr descr`), in document order.
fn describe_pictures(document: &str, alts: &[String]) -> String {
    let mut out = String::with_capacity(document.len());
    let mut rest = document;
    let mut n = 0;
    while let Some(i) = rest.find("<wp:docPr ") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find("/>").map_or(rest.len(), |e| i + e + 2);
        let alt = alts.get(n).map_or("", String::as_str);
        n += 1;
        out.push_str(&format!(
            "<wp:docPr id=\"{n}\" name=\"Picture {n}\" descr=\"{}\"/>",
            esc(alt)
        ));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Packs the built parts and rewrites them into a deterministic zip.
pub fn finish(
    mut xml: XMLDocx,
    doc: &Document,
    picture_alts: &[String],
) -> std::io::Result<Vec<u8>> {
    xml.doc_props.core = core_xml(doc).into_bytes();
    xml.document =
        describe_pictures(&String::from_utf8_lossy(&xml.document), picture_alts).into_bytes();
    let mut packed = Cursor::new(Vec::new());
    xml.pack(&mut packed).map_err(std::io::Error::other)?;
    let raw = packed.into_inner();
    let mut archive = ZipArchive::new(Cursor::new(raw)).map_err(std::io::Error::other)?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).map_err(std::io::Error::other)?;
        let name = f.name().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)?;
        if name.ends_with(".rels") {
            bytes = sort_relationships(&String::from_utf8_lossy(&bytes)).into_bytes();
        }
        out.start_file(name, options)
            .map_err(std::io::Error::other)?;
        out.write_all(&bytes)?;
    }
    Ok(out.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationships_sort_numerically() {
        let xml = "<Relationships><Relationship Id=\"rId10\" T=\"a\"/><Relationship Id=\"rId2\" T=\"b\"/></Relationships>";
        let sorted = sort_relationships(xml);
        assert!(
            sorted.find("rId2").unwrap_or(0) < sorted.find("rId10").unwrap_or(0),
            "{sorted}"
        );
    }
}
