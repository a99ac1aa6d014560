//! The post-pass over epub-builder's output: fixes what EPUBCheck rejects
//! (duplicate ids, missing metadata) and re-packs the zip with the
//! mimetype first and stored, and fixed timestamps, for identical rebuilds.

use crate::xhtml::esc;
use briefkit_model::Document;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// A file name for an image path (`images/map.png` → `map.png`), kept to
/// characters EPUB allows in resource names.
pub fn resource_name(src: &str) -> String {
    let base = src.rsplit('/').next().unwrap_or(src);
    base.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The media type of an image by extension.
pub fn media_type(src: &str) -> &'static str {
    let lower = src.to_ascii_lowercase();
    if lower.ends_with(".png") {
        "image/png"
    } else if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        "image/jpeg"
    } else if lower.ends_with(".gif") {
        "image/gif"
    } else if lower.ends_with(".svg") {
        "image/svg+xml"
    } else if lower.ends_with(".webp") {
        "image/webp"
    } else {
        "application/octet-stream"
    }
}

/// Fixes the OPF and nav, then re-packs deterministically.
pub fn mend_and_repack(raw: &[u8], doc: &Document) -> std::io::Result<Vec<u8>> {
    let mut archive = ZipArchive::new(Cursor::new(raw)).map_err(std::io::Error::other)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).map_err(std::io::Error::other)?;
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)?;
        files.push((f.name().to_string(), bytes));
    }
    for (name, bytes) in &mut files {
        if name.ends_with("content.opf") {
            *bytes = mend_opf(&String::from_utf8_lossy(bytes), doc).into_bytes();
        } else if name.ends_with("nav.xhtml") {
            *bytes = mend_nav(&String::from_utf8_lossy(bytes), &doc.metadata.language).into_bytes();
        }
    }
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let stamp = DateTime::default();
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(stamp);
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(stamp);
    out.start_file("mimetype", stored)
        .map_err(std::io::Error::other)?;
    out.write_all(b"application/epub+zip")?;
    for (name, bytes) in files.iter().filter(|(n, _)| n != "mimetype") {
        out.start_file(name.as_str(), deflated)
            .map_err(std::io::Error::other)?;
        out.write_all(bytes)?;
    }
    Ok(out.finish().map_err(std::io::Error::other)?.into_inner())
}

fn mend_opf(opf: &str, doc: &Document) -> String {
    let meta = &doc.metadata;
    let mut out = String::new();
    for line in opf.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        // epub-builder gives dc:language the creator's id (RSC-005 duplicate id).
        if trimmed.starts_with("<dc:language id=") {
            if let Some(start) = line.find('>') {
                out.push_str(&format!("    <dc:language{}\n", &line[start..]));
                continue;
            }
        }
        if trimmed.starts_with("</metadata>") {
            if let Some(org) = &meta.organization {
                out.push_str(&format!("    <dc:publisher>{}</dc:publisher>\n", esc(org)));
            }
            out.push_str(&accessibility_metadata(doc));
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// EPUB Accessibility 1.1 metadata: only what this build guarantees.
fn accessibility_metadata(doc: &Document) -> String {
    let has_images = doc.blocks.iter().any(|b| {
        matches!(
            b,
            briefkit_model::Block::Image(_) | briefkit_model::Block::Chart(_)
        )
    });
    let mut m = String::new();
    m.push_str("    <meta property=\"schema:accessMode\">textual</meta>\n");
    if has_images {
        m.push_str("    <meta property=\"schema:accessMode\">visual</meta>\n");
    }
    m.push_str("    <meta property=\"schema:accessModeSufficient\">textual</meta>\n");
    for feature in [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "alternativeText",
        "displayTransformability",
    ] {
        m.push_str(&format!(
            "    <meta property=\"schema:accessibilityFeature\">{feature}</meta>\n"
        ));
    }
    m.push_str("    <meta property=\"schema:accessibilityHazard\">none</meta>\n");
    m.push_str("    <meta property=\"schema:accessibilitySummary\">Text with headings in reading order, a navigable table of contents, and text alternatives for every image; the chart's figures are also given as a table.</meta>\n");
    m
}

fn mend_nav(nav: &str, lang: &str) -> String {
    let with_lang = format!(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{0}\" xml:lang=\"{0}\">",
        esc(lang)
    );
    nav.replace(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">",
        &with_lang,
    )
}
