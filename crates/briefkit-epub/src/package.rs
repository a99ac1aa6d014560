//! The post-pass over epub-builder's output: fixes what EPUBCheck rejects
//! (duplicate ids, missing metadata) and re-packs the zip with the
//! mimetype first and stored, and fixed timestamps, for identical rebuilds.

use crate::xhtml::esc;
use briefkit_model::Document;
use briefkit_package::Action;

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

/// Fixes the OPF and nav, then re-packs deterministically, the mimetype
/// first and stored.
pub fn mend_and_repack(raw: &[u8], doc: &Document) -> std::io::Result<Vec<u8>> {
    briefkit_package::repack(
        raw,
        &[("mimetype", b"application/epub+zip")],
        |name, _| {
            if name == "mimetype" {
                Action::Drop
            } else if name.ends_with("content.opf")
                || name.ends_with("nav.xhtml")
                || name.ends_with("toc.ncx")
            {
                // epub-builder writes the title as it is given.
                Action::Rewrite
            } else {
                Action::Keep
            }
        },
        |name, bytes| {
            let text = briefkit_package::carried(String::from_utf8_lossy(&bytes).into_owned());
            if name.ends_with("content.opf") {
                mend_opf(&text, doc).into_bytes()
            } else if name.ends_with("nav.xhtml") {
                mend_nav(&text, doc).into_bytes()
            } else {
                text.into_bytes()
            }
        },
        &[],
    )
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
        // The package's language, for assistive technology (Ace: epub-lang).
        if trimmed.starts_with("<package ") && !trimmed.contains("xml:lang") {
            out.push_str(&line.replacen(
                "<package ",
                &format!("<package xml:lang=\"{}\" ", esc(&meta.language)),
                1,
            ));
            out.push('\n');
            continue;
        }
        // Pages turn right to left in a right-to-left book.
        if trimmed.starts_with("<spine ") && meta.direction.is_rtl() {
            out.push_str(&line.replace(
                "page-progression-direction=\"ltr\"",
                "page-progression-direction=\"rtl\"",
            ));
            out.push('\n');
            continue;
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
    let images = doc.images();
    let has_chart = !doc.charts().is_empty();
    // Every image has a text alternative (the chart always does; article
    // images only when the author wrote one: the build warns otherwise).
    let all_described = images.iter().all(|i| !i.alt.trim().is_empty());
    let mut m = String::new();
    m.push_str("    <meta property=\"schema:accessMode\">textual</meta>\n");
    if has_chart || !images.is_empty() {
        m.push_str("    <meta property=\"schema:accessMode\">visual</meta>\n");
    }
    if all_described {
        m.push_str("    <meta property=\"schema:accessModeSufficient\">textual</meta>\n");
    }
    let mut features = vec![
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ];
    if all_described && (has_chart || !images.is_empty()) {
        features.push("alternativeText");
    }
    for feature in features {
        m.push_str(&format!(
            "    <meta property=\"schema:accessibilityFeature\">{feature}</meta>\n"
        ));
    }
    m.push_str("    <meta property=\"schema:accessibilityHazard\">none</meta>\n");
    let summary = if all_described {
        "Headings and sections in reading order, a navigable table of contents and landmarks, text alternatives for every image, and the chart's figures also given as a table. Checked automatically with EPUBCheck and DAISY Ace."
    } else {
        "Headings and sections in reading order and a navigable table of contents; some article images lack a text alternative."
    };
    m.push_str(&format!(
        "    <meta property=\"schema:accessibilitySummary\">{summary}</meta>\n"
    ));
    if all_described {
        m.push_str("    <meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>\n");
    }
    m
}

/// Adds the language to the navigation page and writes its landmarks:
/// cover, start of content, sources (the nav page is not in the spine,
/// so it cannot be a landmark).
fn mend_nav(nav: &str, doc: &Document) -> String {
    let lang = &doc.metadata.language;
    let labels = &doc.metadata.labels;
    let with_lang = format!(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{0}\" xml:lang=\"{0}\" dir=\"{1}\">",
        esc(lang),
        doc.metadata.direction.as_str()
    );
    let nav = nav
        .replace("<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">", &with_lang)
        .replace("<nav epub:type = \"toc\" id=\"toc\">", "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\">");
    let mut marks =
        String::from("  <nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"\">\n    <ol>\n");
    marks.push_str(&format!(
        "      <li><a epub:type=\"cover\" href=\"cover.xhtml\">{}</a></li>\n",
        esc(&labels.cover)
    ));
    marks.push_str(&format!(
        "      <li><a epub:type=\"bodymatter\" href=\"brief.xhtml#title\">{}</a></li>\n",
        esc(&doc.metadata.title)
    ));
    if let Some(fragment) = crate::xhtml::sources_fragment(doc) {
        marks.push_str(&format!(
            "      <li><a epub:type=\"bibliography\" href=\"brief.xhtml#{fragment}\">{}</a></li>\n",
            esc(&labels.sources)
        ));
    }
    marks.push_str("    </ol>\n  </nav>\n");
    match (
        nav.find("  <nav epub:type = \"landmarks\">"),
        nav.rfind("</nav>"),
    ) {
        (Some(start), Some(end)) if end > start => format!(
            "{}{}{}",
            &nav[..start],
            marks,
            &nav[end + "</nav>".len() + 1..]
        ),
        _ => nav,
    }
}
