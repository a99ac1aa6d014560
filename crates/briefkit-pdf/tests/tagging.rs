//! The tagged PDF, read back with lopdf: what a validator passing does not
//! prove. Every marked-content id is referenced by exactly one element and
//! the parent tree agrees; nothing is painted outside a tagged or artifact
//! sequence; every link annotation sits in a Link element with a text
//! alternative; headings never skip a level; header cells have a scope;
//! figures have alternative text.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_compose::Composed;
use briefkit_model::Assets;
use briefkit_test_support::*;
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::BTreeMap;

fn render(composed: &Composed) -> Vec<u8> {
    let assets = Assets {
        images: &composed.images,
        ..test_assets()
    };
    briefkit_pdf::BACKEND
        .render_default(&composed.document, &assets, &composed.render_options())
        .unwrap()
        .bytes
}

/// What the walk of the structure tree found.
#[derive(Default)]
struct Tree {
    /// (page, MCID) → how many elements reference it, and the element.
    mcids: BTreeMap<(ObjectId, i64), (usize, ObjectId)>,
    /// Annotations referenced by OBJR, with the type of their element.
    objrs: BTreeMap<ObjectId, String>,
    /// Element types in reading order.
    roles: Vec<String>,
    /// Heading levels in reading order.
    headings: Vec<u8>,
}

fn dict<'a>(doc: &'a Document, object: &'a Object) -> &'a Dictionary {
    match object {
        Object::Reference(id) => doc.get_dictionary(*id).unwrap(),
        Object::Dictionary(d) => d,
        other => panic!("not a dictionary: {other:?}"),
    }
}

fn name(d: &Dictionary, key: &[u8]) -> String {
    String::from_utf8_lossy(d.get(key).and_then(Object::as_name).unwrap_or(b"")).into_owned()
}

fn text_of(object: &Object) -> String {
    match object {
        Object::String(bytes, _) if bytes.starts_with(&[0xFE, 0xFF]) => {
            let units: Vec<u16> = bytes[2..]
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        Object::String(bytes, _) => String::from_utf8_lossy(bytes).into_owned(),
        _ => String::new(),
    }
}

fn walk(doc: &Document, id: ObjectId, inherited_page: Option<ObjectId>, tree: &mut Tree) {
    let elem = doc.get_dictionary(id).unwrap();
    assert!(
        matches!(name(elem, b"Type").as_str(), "StructElem" | ""),
        "{id:?}"
    );
    let role = name(elem, b"S");
    let page = elem
        .get(b"Pg")
        .and_then(Object::as_reference)
        .ok()
        .or(inherited_page);
    match role.as_str() {
        "Figure" => {
            let alt = elem.get(b"Alt").map(text_of).unwrap_or_default();
            assert!(!alt.trim().is_empty(), "a Figure without /Alt");
        }
        "TH" => {
            let a = elem.get(b"A").map(|a| dict(doc, a)).expect("TH without /A");
            let scope = name(a, b"Scope");
            assert!(scope == "Column" || scope == "Row", "TH scope `{scope}`");
        }
        h if h.len() == 2 && h.starts_with('H') => {
            tree.headings.push(h[1..].parse().unwrap());
        }
        _ => {}
    }
    tree.roles.push(role.clone());
    let kids = match elem.get(b"K") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => Vec::new(),
    };
    for kid in kids {
        match &kid {
            Object::Integer(mcid) => {
                let page = page.expect("an MCID kid without a page");
                tree.mcids.entry((page, *mcid)).or_insert((0, id)).0 += 1;
            }
            Object::Reference(child) => walk(doc, *child, page, tree),
            Object::Dictionary(d) => match name(d, b"Type").as_str() {
                "MCR" => {
                    let pg = d.get(b"Pg").and_then(Object::as_reference).ok().or(page);
                    let mcid = d.get(b"MCID").and_then(Object::as_i64).unwrap();
                    tree.mcids
                        .entry((pg.expect("MCR without a page"), mcid))
                        .or_insert((0, id))
                        .0 += 1;
                }
                "OBJR" => {
                    let obj = d.get(b"Obj").and_then(Object::as_reference).unwrap();
                    tree.objrs.insert(obj, role.clone());
                }
                other => panic!("unexpected kid type `{other}`"),
            },
            other => panic!("unexpected kid {other:?}"),
        }
    }
}

/// Operators that put marks on the page.
const PAINTING: &[&str] = &[
    "Tj", "TJ", "'", "\"", "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "BI",
];

fn check_tagged(bytes: &[u8]) -> Tree {
    let doc = Document::load_mem(bytes).unwrap();
    let catalog = doc.catalog().unwrap();
    let mark_info = dict(&doc, catalog.get(b"MarkInfo").unwrap());
    assert_eq!(mark_info.get(b"Marked").unwrap(), &Object::Boolean(true));
    let prefs = dict(&doc, catalog.get(b"ViewerPreferences").unwrap());
    assert_eq!(
        prefs.get(b"DisplayDocTitle").unwrap(),
        &Object::Boolean(true)
    );
    assert!(catalog.get(b"Lang").is_ok());
    let root = dict(&doc, catalog.get(b"StructTreeRoot").unwrap());
    let mut tree = Tree::default();
    let top = root.get(b"K").and_then(Object::as_reference).unwrap();
    walk(&doc, top, None, &mut tree);
    assert_eq!(tree.roles.first().map(String::as_str), Some("Document"));

    // Every MCID on every page: inside a sequence, referenced exactly once,
    // and the parent tree names the element that references it.
    let parent_tree = dict(&doc, root.get(b"ParentTree").unwrap());
    let nums = parent_tree.get(b"Nums").and_then(Object::as_array).unwrap();
    let parents: BTreeMap<i64, &Object> = nums
        .chunks(2)
        .map(|p| (p[0].as_i64().unwrap(), &p[1]))
        .collect();
    let mut seen = 0;
    for (n, page_id) in doc.get_pages() {
        let page = doc.get_dictionary(page_id).unwrap();
        assert_eq!(name(page, b"Tabs"), "S", "page {n}");
        let key = page.get(b"StructParents").and_then(Object::as_i64).unwrap();
        let page_parents = parents[&key].as_array().unwrap();
        let content = Content::decode(&doc.get_page_content(page_id)).unwrap();
        let mut stack: Vec<String> = Vec::new();
        for op in &content.operations {
            match op.operator.as_str() {
                "BDC" | "BMC" => {
                    let tag = op.operands[0]
                        .as_name()
                        .map(|n| String::from_utf8_lossy(n).into_owned());
                    let tag = tag.unwrap();
                    if op.operator == "BDC"
                        && tag != "Artifact"
                        && stack.iter().all(|t| t == "Span")
                    {
                        let props = dict(&doc, &op.operands[1]);
                        if let Ok(mcid) = props.get(b"MCID").and_then(Object::as_i64) {
                            let (count, element) = tree
                                .mcids
                                .get(&(page_id, mcid))
                                .copied()
                                .unwrap_or_else(|| {
                                    panic!("page {n}: MCID {mcid} is in no element")
                                });
                            assert_eq!(count, 1, "page {n}: MCID {mcid} referenced {count} times");
                            let parent = page_parents[usize::try_from(mcid).unwrap()]
                                .as_reference()
                                .unwrap();
                            assert_eq!(parent, element, "page {n}: parent tree of MCID {mcid}");
                            seen += 1;
                        }
                    }
                    stack.push(tag);
                }
                "EMC" => {
                    assert!(stack.pop().is_some(), "page {n}: EMC without BDC");
                }
                op_name if PAINTING.contains(&op_name) => {
                    assert!(
                        !stack.is_empty(),
                        "page {n}: `{op_name}` painted outside any tagged or artifact sequence"
                    );
                }
                _ => {}
            }
        }
        assert!(stack.is_empty(), "page {n}: unclosed marked content");
        // Every link annotation: in a Link element, described, printable.
        if let Ok(annots) = page.get(b"Annots").and_then(Object::as_array) {
            for a in annots {
                let id = a.as_reference().expect("annotations are indirect objects");
                let annot = doc.get_dictionary(id).unwrap();
                assert_eq!(
                    tree.objrs.get(&id).map(String::as_str),
                    Some("Link"),
                    "page {n}: an annotation outside a Link element"
                );
                let key = annot.get(b"StructParent").and_then(Object::as_i64).unwrap();
                assert!(parents.contains_key(&key));
                assert!(!text_of(annot.get(b"Contents").unwrap()).trim().is_empty());
                assert_eq!(annot.get(b"F").unwrap(), &Object::Integer(4));
            }
        }
    }
    assert_eq!(
        seen,
        tree.mcids.len(),
        "elements reference MCIDs no page has"
    );
    // Headings never skip a level going down.
    let mut last = 0;
    for h in &tree.headings {
        assert!(*h <= last + 1, "heading levels skip: {:?}", tree.headings);
        last = *h;
    }
    tree
}

#[test]
fn the_example_is_tagged_throughout() {
    let tree = check_tagged(&render(&compose_pack_fully(&example())));
    for role in [
        "H1",
        "H2",
        "P",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "BlockQuote",
        "Table",
        "THead",
        "TBody",
        "TR",
        "TH",
        "TD",
        "Figure",
        "Note",
        "Link",
        "Sect",
        "Div",
    ] {
        assert!(tree.roles.iter().any(|r| r == role), "no `{role}` element");
    }
    // The key figures come before the article, the sources after it.
    let first = |r: &str| tree.roles.iter().position(|x| x == r).unwrap();
    assert!(first("H1") < first("Sect") && first("Sect") < first("H2"));
}

#[test]
fn a_long_report_with_contents_and_long_tables_is_tagged_throughout() {
    let pack = scratch("tagging-long").join("pack");
    long_report_with(&pack, 60, true);
    let tree = check_tagged(&render(&compose_pack_fully(&pack)));
    for role in ["TOC", "TOCI", "Table", "TH", "Note"] {
        assert!(tree.roles.iter().any(|r| r == role), "no `{role}` element");
    }
}

#[test]
fn every_fixture_pack_is_tagged_throughout() {
    for name in ["yaml-image", "json-spanish"] {
        check_tagged(&render(&compose_pack_fully(
            &root().join("tests/fixtures/packs").join(name),
        )));
    }
}
