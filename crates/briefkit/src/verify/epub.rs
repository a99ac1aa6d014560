//! The EPUB's data (the data files its manifest lists) and figures (the
//! elements of its pages with `data-stat`).

use super::{
    attr, from_files, nodes, zip_entry, Archive, Carried, Extracted, Figure, Node, Paragraph,
    Place, VerifyError,
};
use crate::data::{CSV, JSON, PROVENANCE};

/// Elements whose text is a paragraph of its own.
const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "td",
    "th",
    "caption",
    "figcaption",
];

/// Elements whose numbers are not the prose's: tables (their figures are
/// checked, their other cells are periods and labels), navigation, charts.
const NOT_PROSE: &[&str] = &["table", "nav", "svg", "figure", "header", "footer"];

/// An EPUB's package document, read: its manifest's items (id, path in
/// the ZIP, media type) and its spine (the items' ids, in reading order).
pub(super) struct Package {
    items: Vec<(String, String, String)>,
    spine: Vec<String>,
}

impl Package {
    /// The spine's XHTML documents, as paths in the ZIP, in reading order.
    pub(super) fn documents(&self) -> Vec<String> {
        self.spine
            .iter()
            .filter_map(|idref| self.items.iter().find(|(id, _, _)| id == idref))
            .filter(|(_, _, media)| media == "application/xhtml+xml")
            .map(|(_, path, _)| path.clone())
            .collect()
    }
}

/// The UTF-8 text of an entry (lossy), or an error naming it.
fn text(archive: &mut Archive<'_>, name: &str) -> Result<String, VerifyError> {
    zip_entry(archive, name)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .ok_or_else(|| VerifyError::new(format!("the EPUB has no readable {name}")))
}

/// Reads the package document the container names.
pub(super) fn package(archive: &mut Archive<'_>) -> Result<Package, VerifyError> {
    let container = text(archive, "META-INF/container.xml")?;
    let opf_path = nodes(&container, "META-INF/container.xml")?
        .into_iter()
        .find_map(|n| match n {
            Node::Start(name, attrs) if name.ends_with("rootfile") => {
                attr(&attrs, "full-path").map(str::to_string)
            }
            _ => None,
        })
        .ok_or_else(|| VerifyError::new("the EPUB's container names no package document"))?;
    let base = opf_path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let resolve = |href: &str| {
        let href = href.split('#').next().unwrap_or_default();
        if base.is_empty() {
            href.to_string()
        } else {
            format!("{base}/{href}")
        }
    };
    let opf = text(archive, &opf_path)?;
    let mut items = Vec::new();
    let mut spine = Vec::new();
    for n in nodes(&opf, &opf_path)? {
        if let Node::Start(name, attrs) = n {
            let local = name.rsplit(':').next().unwrap_or(&name);
            match local {
                "item" => items.push((
                    attr(&attrs, "id").unwrap_or_default().to_string(),
                    resolve(attr(&attrs, "href").unwrap_or_default()),
                    attr(&attrs, "media-type").unwrap_or_default().to_string(),
                )),
                "itemref" => spine.push(attr(&attrs, "idref").unwrap_or_default().to_string()),
                _ => {}
            }
        }
    }
    Ok(Package { items, spine })
}

pub(super) fn extract(archive: &mut Archive<'_>) -> Result<Extracted, VerifyError> {
    let package = package(archive)?;
    // The data files, as the manifest lists them.
    let mut carried = Carried::default();
    for (_, path, _) in &package.items {
        let file = path.rsplit('/').next().unwrap_or(path);
        let slot = match file {
            CSV => &mut carried.csv,
            JSON => &mut carried.json,
            PROVENANCE => &mut carried.provenance,
            _ => continue,
        };
        *slot = zip_entry(archive, path);
        if file == JSON {
            carried.place.part = Some(path.clone());
        }
    }
    let mut x = from_files(carried, "EPUB")?;
    for part in package.documents() {
        let page = text(archive, &part)?;
        page_figures(
            &nodes(&page, &part)?,
            &part,
            &mut x.figures,
            &mut x.paragraphs,
        );
    }
    Ok(x)
}

/// The figures and prose paragraphs of one page.
fn page_figures(
    nodes: &[Node],
    part: &str,
    figures: &mut Vec<Figure>,
    paragraphs: &mut Vec<Paragraph>,
) {
    let mut depth = 0usize;
    // Open figures: their depth, statistic and text so far.
    let mut open: Vec<(usize, String, String)> = Vec::new();
    // The open block: its depth and prose text; whether it is prose.
    let mut block: Option<(usize, String, bool)> = None;
    let mut not_prose = 0usize;
    // The depth of an open citation or note reference, or 0.
    let mut skip = 0usize;
    let mut count = 0usize;
    let place = |count: usize| Place::paragraph(part, count);
    for n in nodes {
        match n {
            Node::Start(name, attrs) => {
                depth += 1;
                if NOT_PROSE.contains(&name.as_str()) {
                    not_prose += 1;
                }
                if BLOCKS.contains(&name.as_str()) {
                    if let Some((_, text, prose)) = block.take() {
                        if prose {
                            paragraphs.push(Paragraph {
                                text,
                                place: place(count),
                            });
                        }
                    }
                    count += 1;
                    block = Some((depth, String::new(), not_prose == 0));
                }
                // A citation's "[3]", a note's number: not the prose's.
                if matches!(attr(attrs, "role"), Some("doc-biblioref" | "doc-noteref")) && skip == 0
                {
                    skip = depth;
                }
                if let Some(stat) = attr(attrs, "data-stat") {
                    open.push((depth, stat.to_string(), String::new()));
                    if let Some((_, text, _)) = &mut block {
                        text.push(' ');
                    }
                }
            }
            Node::Text(t) => {
                if let Some((_, _, text)) = open.last_mut() {
                    text.push_str(t);
                } else if let Some((_, text, _)) = block.as_mut().filter(|_| skip == 0) {
                    text.push_str(t);
                }
            }
            Node::End(name) => {
                if let Some((d, _, _)) = open.last() {
                    if *d == depth {
                        if let Some((_, statistic, text)) = open.pop() {
                            figures.push(Figure {
                                statistic,
                                text,
                                place: place(count),
                            });
                        }
                    }
                }
                if block.as_ref().is_some_and(|(d, _, _)| *d == depth) {
                    if let Some((_, text, prose)) = block.take() {
                        if prose {
                            paragraphs.push(Paragraph {
                                text,
                                place: place(count),
                            });
                        }
                    }
                }
                if NOT_PROSE.contains(&name.as_str()) {
                    not_prose = not_prose.saturating_sub(1);
                }
                if skip == depth {
                    skip = 0;
                }
                depth = depth.saturating_sub(1);
            }
        }
    }
}
