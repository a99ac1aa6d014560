//! Tagged PDF (ISO 32000-1, 14.7–14.8; PDF/UA-1): the structure tree the
//! layout built, written as StructElem objects under a StructTreeRoot,
//! with the parent tree that maps each page's marked-content ids and each
//! link annotation back to its element.
//!
//! An element's kids are in reading order: the order its content and its
//! child elements first appear on the pages, which is the order the
//! layout placed them in.

use crate::archive::text_string;
use crate::compact::Written;
use crate::layout::tags::{NodeId, Role, Scope, Structure, DOCUMENT};
use lopdf::{Dictionary, Object, ObjectId};

/// What the emitter records of one page for the structure tree.
#[derive(Debug, Default)]
pub struct TaggedPage {
    /// The element of each marked-content id (the index is the MCID).
    pub mcids: Vec<NodeId>,
    /// The link annotations, in /Annots order.
    pub links: Vec<PageLink>,
}

/// A link annotation of a page: one line of a link.
#[derive(Debug)]
pub struct PageLink {
    /// Its Link element.
    pub node: Option<NodeId>,
    /// `/Rect`: left, bottom, right, top, in points from the page's
    /// lower left corner.
    pub rect: [f32; 4],
    /// Where it goes.
    pub action: LinkAction,
    /// `/QuadPoints`: four corners a piece of the line it covers.
    pub quads: Vec<f32>,
}

/// Where a link annotation goes.
#[derive(Debug)]
pub enum LinkAction {
    /// An address.
    Uri(String),
    /// A place in the document: a page (from 0) and the height of the
    /// view's top edge on it.
    GoTo { page: usize, top: f32 },
}

/// A link annotation's dictionary as printpdf wrote it (which wrote them
/// until a 20 MB article's 160,000 links as printpdf's and lopdf's objects
/// took half a gigabyte): `/Type`, `/Subtype`, `/Rect`, the action, no
/// border, printpdf's colour and highlighting, in that order, so the files
/// stay what they were.
fn annotation(link: &PageLink, page_ids: &[ObjectId]) -> Dictionary {
    let action = match &link.action {
        LinkAction::Uri(uri) => Dictionary::from_iter([
            ("S", Object::Name(b"URI".to_vec())),
            (
                "URI",
                Object::String(uri.clone().into_bytes(), lopdf::StringFormat::Literal),
            ),
        ]),
        LinkAction::GoTo { page, top } => Dictionary::from_iter([
            ("S", Object::Name(b"GoTo".to_vec())),
            (
                "D",
                Object::Array(vec![
                    page_ids
                        .get(*page)
                        .copied()
                        .map_or(Object::Null, Object::Reference),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Real(0.0),
                    Object::Real(*top),
                    Object::Null,
                ]),
            ),
        ]),
    };
    Dictionary::from_iter([
        ("Type", Object::Name(b"Annot".to_vec())),
        ("Subtype", Object::Name(b"Link".to_vec())),
        (
            "Rect",
            Object::Array(link.rect.iter().copied().map(Object::Real).collect()),
        ),
        ("A", Object::Dictionary(action)),
        ("Border", Object::Array(vec![Object::Real(0.0); 3])),
        (
            "C",
            Object::Array([0.0, 1.0, 1.0].into_iter().map(Object::Real).collect()),
        ),
        ("H", Object::Name(b"I".to_vec())),
    ])
}

/// A kid of an element, before objects have ids.
enum Kid {
    /// Marked content on a page: (page index, MCID).
    Content(usize, usize),
    /// A child element.
    Element(NodeId),
    /// An annotation: (its object, page index).
    Annotation(ObjectId, usize),
}

/// The elements an element holds, built in reading order.
struct Kids {
    /// The cells of each table row (an empty cell is still a cell).
    cells: Vec<Vec<NodeId>>,
    kids: Vec<Vec<Kid>>,
    attached: Vec<bool>,
    /// The page of an element's first marked content.
    page: Vec<Option<usize>>,
    /// Notes met, in order: they end the document.
    notes: Vec<NodeId>,
}

impl Kids {
    fn new(tree: &Structure) -> Kids {
        let n = tree.nodes.len();
        let mut attached = vec![false; n];
        attached[DOCUMENT] = true;
        let mut cells: Vec<Vec<NodeId>> = vec![Vec::new(); n];
        for (id, node) in tree.nodes.iter().enumerate() {
            if let (Role::TH(_) | Role::TD, Some(row)) = (node.role, node.parent) {
                cells[row].push(id);
            }
        }
        Kids {
            cells,
            kids: (0..n).map(|_| Vec::new()).collect(),
            attached,
            page: vec![None; n],
            notes: Vec::new(),
        }
    }

    /// Makes `node` and its ancestors part of the tree, each appended to
    /// its parent's kids the first time it is met.
    fn attach(&mut self, tree: &Structure, node: NodeId) {
        let mut chain = Vec::new();
        let mut at = node;
        while !self.attached[at] {
            chain.push(at);
            match tree.nodes[at].parent {
                Some(parent) => at = parent,
                None => break,
            }
        }
        for n in chain.into_iter().rev() {
            if self.attached[n] {
                continue;
            }
            self.attached[n] = true;
            if tree.nodes[n].role == Role::Note {
                // Notes are read after the document, as the e-book's
                // endnotes are, not wherever a page ends.
                self.notes.push(n);
            } else if let Some(parent) = tree.nodes[n].parent {
                self.kids[parent].push(Kid::Element(n));
            }
            // A row brings all its cells, in column order, empty or not.
            for cell in std::mem::take(&mut self.cells[n]) {
                self.attached[cell] = true;
                self.kids[n].push(Kid::Element(cell));
            }
        }
    }

    fn push(&mut self, tree: &Structure, node: NodeId, kid: Kid) {
        if node >= self.kids.len() {
            return;
        }
        self.attach(tree, node);
        if let Kid::Content(page, _) = kid {
            self.page[node].get_or_insert(page);
        }
        self.kids[node].push(kid);
    }
}

/// An annotation's `/QuadPoints`: each corner inside its `/Rect` as
/// written (readers such as pdf.js drop quads that stray outside by any
/// rounding).
fn quad_points(quads: &[f32], annotation: &Dictionary) -> Object {
    let rect: Vec<f32> = annotation
        .get(b"Rect")
        .and_then(Object::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_float().ok()).collect())
        .unwrap_or_default();
    let clamp = |v: f32, lo: Option<&f32>, hi: Option<&f32>| match (lo, hi) {
        (Some(lo), Some(hi)) if lo <= hi => v.clamp(*lo, *hi),
        _ => v,
    };
    Object::Array(
        quads
            .chunks(2)
            .flat_map(|p| {
                [
                    clamp(p[0], rect.first(), rect.get(2)),
                    clamp(p[1], rect.get(1), rect.get(3)),
                ]
            })
            .map(Object::Real)
            .collect(),
    )
}

/// Writes the structure tree, the parent tree, the pages' /StructParents
/// and /Tabs, the link annotations' /StructParent and /Contents, and the
/// catalog's /StructTreeRoot and /MarkInfo. The elements, the tagged link
/// annotations and the parent tree go to `written` as they are made (a
/// long document has hundreds of thousands).
pub fn write_structure(
    lo: &mut lopdf::Document,
    written: &mut Written,
    tree: &Structure,
    pages: &[TaggedPage],
) {
    let page_ids: Vec<ObjectId> = lo.get_pages().into_values().collect();
    let mut kids = Kids::new(tree);
    for (p, page) in pages.iter().enumerate() {
        for (mcid, node) in page.mcids.iter().enumerate() {
            kids.push(tree, *node, Kid::Content(p, mcid));
        }
    }
    // Link annotations: indirect objects with a /StructParent, a text
    // alternative, and a place in their Link element.
    let mut next_key = pages.len();
    let mut annotation_parents: Vec<(usize, NodeId)> = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        let Some(&page_id) = page_ids.get(p) else {
            continue;
        };
        // printpdf's empty /Annots goes (one is set below where the page
        // has links).
        if let Ok(Object::Dictionary(d)) = lo.get_object_mut(page_id) {
            d.remove(b"Annots");
        }
        let mut new_annots = Vec::with_capacity(page.links.len());
        for link in &page.links {
            let mut dict = annotation(link, &page_ids);
            let Some(node) = link.node else {
                new_annots.push(Object::Dictionary(dict));
                continue;
            };
            let contents = tree.nodes[node]
                .alt
                .clone()
                .filter(|t| !t.trim().is_empty())
                .or_else(|| match &link.action {
                    LinkAction::Uri(uri) => Some(uri.clone()),
                    LinkAction::GoTo { .. } => None,
                })
                .unwrap_or_else(|| "link".into());
            dict.set("Contents", text_string(contents.trim()));
            dict.set("StructParent", Object::Integer(next_key as i64));
            // Printed: PDF/A forbids hidden or non-printing annotations.
            dict.set("F", Object::Integer(4));
            if !link.quads.is_empty() {
                dict.set("QuadPoints", quad_points(&link.quads, &dict));
            }
            let id = lo.new_object_id();
            written.push(id, &Object::Dictionary(dict));
            new_annots.push(Object::Reference(id));
            kids.push(tree, node, Kid::Annotation(id, p));
            annotation_parents.push((next_key, node));
            next_key += 1;
        }
        if let Ok(Object::Dictionary(d)) = lo.get_object_mut(page_id) {
            if !new_annots.is_empty() {
                d.set("Annots", Object::Array(new_annots));
            }
            d.set("StructParents", Object::Integer(p as i64));
            d.set("Tabs", Object::Name(b"S".to_vec()));
        }
    }

    let mut notes = std::mem::take(&mut kids.notes);
    notes.sort_unstable();
    for note in notes {
        if let Some(parent) = tree.nodes[note].parent {
            kids.kids[parent].push(Kid::Element(note));
        }
    }
    // Object ids for the elements in the tree, in document order.
    let root_id = lo.new_object_id();
    let mut ids: Vec<Option<ObjectId>> = vec![None; tree.nodes.len()];
    for (n, attached) in kids.attached.iter().enumerate() {
        let cell = matches!(tree.nodes[n].role, Role::TH(_) | Role::TD);
        if *attached && (n == DOCUMENT || cell || !kids.kids[n].is_empty()) {
            ids[n] = Some(lo.new_object_id());
        }
    }
    let mut note_ids: Vec<(String, ObjectId)> = Vec::new();
    for (n, node) in tree.nodes.iter().enumerate() {
        let Some(id) = ids[n] else {
            continue;
        };
        let pg = kids.page[n].and_then(|p| page_ids.get(p).copied());
        let mut k = Vec::new();
        for kid in &kids.kids[n] {
            match kid {
                Kid::Content(p, mcid) => {
                    let page = page_ids.get(*p).copied();
                    if page == pg {
                        k.push(Object::Integer(*mcid as i64));
                    } else if let Some(page) = page {
                        k.push(Object::Dictionary(Dictionary::from_iter([
                            ("Type", Object::Name(b"MCR".to_vec())),
                            ("Pg", Object::Reference(page)),
                            ("MCID", Object::Integer(*mcid as i64)),
                        ])));
                    }
                }
                Kid::Element(child) => {
                    if let Some(child) = ids[*child] {
                        k.push(Object::Reference(child));
                    }
                }
                Kid::Annotation(annot, p) => {
                    let mut objr = Dictionary::from_iter([
                        ("Type", Object::Name(b"OBJR".to_vec())),
                        ("Obj", Object::Reference(*annot)),
                    ]);
                    if let Some(page) = page_ids.get(*p) {
                        objr.set("Pg", Object::Reference(*page));
                    }
                    k.push(Object::Dictionary(objr));
                }
            }
        }
        let parent = node.parent.and_then(|p| ids[p]).unwrap_or(root_id);
        // (/Type /StructElem is optional: left out, as every byte of the
        // thousands of elements counts.)
        let mut elem = Dictionary::from_iter([
            ("S", Object::Name(node.role.name().as_bytes().to_vec())),
            ("P", Object::Reference(parent)),
            ("K", Object::Array(k)),
        ]);
        // The page, for the MCIDs written as bare integers.
        let bare_mcids = kids.kids[n]
            .iter()
            .any(|k| matches!(k, Kid::Content(p, _) if page_ids.get(*p).copied() == pg));
        if let (Some(pg), true) = (pg, bare_mcids) {
            elem.set("Pg", Object::Reference(pg));
        }
        if node.role == Role::Figure {
            let alt = node.alt.clone().unwrap_or_default();
            elem.set("Alt", text_string(&alt));
        }
        if let Some(lang) = &node.lang {
            elem.set("Lang", text_string(lang));
        }
        if let Role::TH(scope) = node.role {
            let scope: &[u8] = match scope {
                Scope::Column => b"Column",
                Scope::Row => b"Row",
            };
            elem.set(
                "A",
                Dictionary::from_iter([
                    ("O", Object::Name(b"Table".to_vec())),
                    ("Scope", Object::Name(scope.to_vec())),
                ]),
            );
        }
        if let Some(note_id) = &node.id {
            elem.set(
                "ID",
                Object::String(note_id.as_bytes().to_vec(), lopdf::StringFormat::Literal),
            );
            note_ids.push((note_id.clone(), id));
        }
        written.push(id, &Object::Dictionary(elem));
    }

    // The parent tree: page i's MCIDs under key i, annotations after.
    let element = |node: &NodeId| {
        ids.get(*node)
            .copied()
            .flatten()
            .map_or(Object::Null, Object::Reference)
    };
    let per_page = pages.iter().enumerate().flat_map(|(p, page)| {
        [
            Object::Integer(p as i64),
            Object::Array(page.mcids.iter().map(element).collect()),
        ]
    });
    let per_annotation = annotation_parents.iter().flat_map(|(key, node)| {
        ids[*node]
            .map(|id| [Object::Integer(*key as i64), Object::Reference(id)])
            .into_iter()
            .flatten()
    });
    let parent_tree = lo.new_object_id();
    written.push_array_dictionary(parent_tree, b"Nums", per_page.chain(per_annotation));
    let mut root = Dictionary::from_iter([
        ("Type", Object::Name(b"StructTreeRoot".to_vec())),
        ("ParentTree", Object::Reference(parent_tree)),
        ("ParentTreeNextKey", Object::Integer(next_key as i64)),
    ]);
    if let Some(document) = ids[DOCUMENT] {
        root.set("K", Object::Reference(document));
    }
    if !note_ids.is_empty() {
        note_ids.sort();
        let names = note_ids
            .into_iter()
            .flat_map(|(name, id)| {
                [
                    Object::String(name.into_bytes(), lopdf::StringFormat::Literal),
                    Object::Reference(id),
                ]
            })
            .collect();
        root.set(
            "IDTree",
            Dictionary::from_iter([("Names", Object::Array(names))]),
        );
    }
    lo.objects.insert(root_id, Object::Dictionary(root));
    if let Ok(catalog_id) = lo.trailer.get(b"Root").and_then(Object::as_reference) {
        if let Ok(Object::Dictionary(catalog)) = lo.get_object_mut(catalog_id) {
            catalog.set("StructTreeRoot", Object::Reference(root_id));
            catalog.set(
                "MarkInfo",
                Dictionary::from_iter([("Marked", Object::Boolean(true))]),
            );
        }
    }
}
