//! The lopdf pass's navigation: a nested outline (printpdf writes only a
//! flat list) opened on display, and page labels.

use crate::archive::text_string;
use crate::layout::Layout;
use lopdf::{Dictionary, Object, ObjectId};

struct Node {
    title: String,
    dest: Option<(usize, f32)>,
    level: u8,
    children: Vec<Node>,
}

/// Builds the heading tree: each heading nests under the nearest earlier
/// heading of a smaller level.
fn tree(layout: &Layout) -> Vec<Node> {
    let mut roots: Vec<Node> = Vec::new();
    for entry in &layout.outline {
        let dest = layout
            .anchors
            .iter()
            .find(|a| a.name == entry.anchor)
            .map(|a| (a.page, a.y));
        let node = Node {
            title: entry.title.clone(),
            dest,
            level: entry.level,
            children: Vec::new(),
        };
        insert(&mut roots, node);
    }
    roots
}

fn insert(siblings: &mut Vec<Node>, node: Node) {
    match siblings.last_mut() {
        Some(last) if last.level < node.level => insert(&mut last.children, node),
        _ => siblings.push(node),
    }
}

/// Writes `nodes` as outline items under `parent`; returns (first, last,
/// count of all descendants).
fn write(
    lo: &mut lopdf::Document,
    nodes: &[Node],
    parent: ObjectId,
    pages: &[ObjectId],
    height: f32,
) -> Option<(ObjectId, ObjectId, i64)> {
    let ids: Vec<ObjectId> = nodes.iter().map(|_| lo.new_object_id()).collect();
    let mut total = 0;
    for (i, node) in nodes.iter().enumerate() {
        let mut item = Dictionary::new();
        item.set("Title", text_string(&node.title));
        item.set("Parent", Object::Reference(parent));
        if i > 0 {
            item.set("Prev", Object::Reference(ids[i - 1]));
        }
        if let Some(next) = ids.get(i + 1) {
            item.set("Next", Object::Reference(*next));
        }
        if let Some((page, y)) = node.dest {
            if let Some(page_id) = pages.get(page) {
                item.set(
                    "Dest",
                    Object::Array(vec![
                        Object::Reference(*page_id),
                        Object::Name(b"XYZ".to_vec()),
                        Object::Integer(0),
                        Object::Real(height - y + 12.0),
                        Object::Null,
                    ]),
                );
            }
        }
        if let Some((first, last, count)) = write(lo, &node.children, ids[i], pages, height) {
            item.set("First", Object::Reference(first));
            item.set("Last", Object::Reference(last));
            // Positive: the section is shown open.
            item.set("Count", Object::Integer(count));
            total += count;
        }
        total += 1;
        lo.objects.insert(ids[i], Object::Dictionary(item));
    }
    Some((*ids.first()?, *ids.last()?, total))
}

/// Adds the nested outline (opened on display) and decimal page labels.
pub fn add(lo: &mut lopdf::Document, layout: &Layout) {
    let pages: Vec<ObjectId> = lo.get_pages().into_values().collect();
    let Ok(root) = lo.trailer.get(b"Root").and_then(Object::as_reference) else {
        return;
    };
    let outlines_id = lo.new_object_id();
    let nodes = tree(layout);
    let written = write(lo, &nodes, outlines_id, &pages, layout.height);
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    if let Some((first, last, count)) = written {
        outlines.set("First", Object::Reference(first));
        outlines.set("Last", Object::Reference(last));
        outlines.set("Count", Object::Integer(count));
    }
    lo.objects.insert(outlines_id, Object::Dictionary(outlines));
    let mut labels = Dictionary::new();
    let mut style = Dictionary::new();
    style.set("S", Object::Name(b"D".to_vec()));
    labels.set(
        "Nums",
        Object::Array(vec![Object::Integer(0), Object::Dictionary(style)]),
    );
    if let Ok(Object::Dictionary(catalog)) = lo.get_object_mut(root) {
        if written.is_some() {
            catalog.set("Outlines", Object::Reference(outlines_id));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        catalog.set("PageLabels", Object::Dictionary(labels));
    }
}
