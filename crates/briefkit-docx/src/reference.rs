//! House style from a reference DOCX (as Pandoc's `--reference-doc`): its
//! styles and theme replace briefkit's, and briefkit's own styles that the
//! reference lacks (key figures, sources, contact, ...) are kept.

use std::io::{Cursor, Read};
use zip::ZipArchive;

/// What a reference DOCX lends.
pub struct Reference {
    /// `word/styles.xml`.
    pub styles: String,
    /// `word/theme/theme1.xml`, if it has one.
    pub theme: Option<String>,
}

/// Reads the parts of a reference DOCX.
pub fn read(bytes: &[u8]) -> Result<Reference, String> {
    let mut zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("the reference DOCX is not a zip file ({e})"))?;
    let mut part = |name: &str| -> Option<String> {
        let mut f = zip.by_name(name).ok()?;
        let mut s = String::new();
        f.read_to_string(&mut s).ok()?;
        Some(s)
    };
    let styles = part("word/styles.xml").ok_or("the reference DOCX has no word/styles.xml")?;
    let theme = part("word/theme/theme1.xml");
    Ok(Reference { styles, theme })
}

/// The `w:styleId` of every `w:style` element, with the element's text.
fn styles_of(xml: &str) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<w:style ") {
        let end = rest[i..]
            .find("</w:style>")
            .map_or(rest.len(), |e| i + e + "</w:style>".len());
        let element = &rest[i..end];
        let id = element
            .split("w:styleId=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("")
            .to_string();
        out.push((id, element));
        rest = &rest[end..];
    }
    out
}

/// The reference's styles, plus ours that it does not define.
pub fn merge_styles(reference: &str, ours: &str) -> String {
    let theirs: Vec<String> = styles_of(reference).into_iter().map(|(id, _)| id).collect();
    let missing: String = styles_of(ours)
        .into_iter()
        .filter(|(id, _)| !theirs.contains(id))
        .map(|(_, e)| e)
        .collect();
    match reference.rfind("</w:styles>") {
        Some(i) => format!("{}{missing}{}", &reference[..i], &reference[i..]),
        None => ours.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_styles_win_and_ours_fill_the_gaps() {
        let reference = r#"<w:styles><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:rPr><w:color w:val="FF0000"/></w:rPr></w:style></w:styles>"#;
        let ours = r#"<w:styles><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="Heading 1"/></w:style><w:style w:type="paragraph" w:styleId="KeyFigureValue"><w:name w:val="Key Figure Value"/></w:style></w:styles>"#;
        let merged = merge_styles(reference, ours);
        assert!(merged.contains("FF0000"));
        assert_eq!(merged.matches("w:styleId=\"Heading1\"").count(), 1);
        assert!(merged.contains("KeyFigureValue"));
    }
}
