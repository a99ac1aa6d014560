//! The DOCX as Word, LibreOffice, pandoc and validators see it:
//! openxml-audit with no findings, pandoc keeping the structure, repeated
//! table header rows, and identical bytes when several documents are
//! rendered in one process.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

mod common;

use briefkit_model::Assets;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

fn assert_openxml_audit_clean(docx: &Path) {
    if !have("openxml-audit", &["--help"]) {
        return;
    }
    let (ok, text) = run("openxml-audit", &["-m", "0", docx.to_str().unwrap()]);
    assert!(
        ok && text.contains("Errors: 0"),
        "openxml-audit on {}:\n{text}",
        docx.display()
    );
}

#[test]
fn openxml_audit_finds_nothing_in_any_pack() {
    let out = scratch("docx-audit");
    build(&example(), &out);
    assert_openxml_audit_clean(&out.join("mexico-trafficking.docx"));
    for fixture in ["yaml-image", "json-spanish"] {
        build(&root().join("tests/fixtures/packs").join(fixture), &out);
        assert_openxml_audit_clean(&out.join(format!("{fixture}.docx")));
    }
    let pack = scratch("docx-audit-long").join("pack");
    long_report(&pack, 12);
    build(&pack, &pack.join("out"));
    assert_openxml_audit_clean(&pack.join("out/pack.docx"));
}

#[test]
fn pandoc_keeps_headings_lists_tables_links_and_footnotes() {
    if !have("pandoc", &["--version"]) {
        return;
    }
    let out = scratch("docx-pandoc");
    build(&example(), &out);
    let (ok, md) = run(
        "pandoc",
        &[
            "-f",
            "docx",
            "-t",
            "markdown",
            "--wrap=none",
            out.join("mexico-trafficking.docx").to_str().unwrap(),
        ],
    );
    assert!(ok, "{md}");
    for want in [
        "Who took part\n",
        "-   officials of the federal, state and municipal governments;",
        "1.  justice and judicial affairs;",
        "Reported to the authorities",
        "[www.iom.int](https://www.iom.int)",
        "[^1]",
        "[^1]: The workshop was organised by IOM",
    ] {
        assert!(md.contains(want), "pandoc's Markdown lacks `{want}`:\n{md}");
    }
    // Headings keep their level (pandoc writes setext or ATX headings).
    assert!(
        md.contains("## Who took part") || md.contains("Who took part\n-------------"),
        "{md}"
    );
}

#[test]
fn data_tables_repeat_their_header_row_and_cards_do_not() {
    let out = scratch("docx-header-rows");
    build(&example(), &out);
    let (ok, xml) = run(
        "unzip",
        &[
            "-p",
            out.join("mexico-trafficking.docx").to_str().unwrap(),
            "word/document.xml",
        ],
    );
    assert!(ok);
    let tables: Vec<&str> = xml.split("<w:tbl>").skip(1).collect();
    assert!(tables.len() >= 4);
    for t in &tables {
        let data = t.contains("w:tblStyle w:val=\"StatisticsTable\"");
        let header = t
            .split("</w:tr>")
            .next()
            .unwrap_or("")
            .contains("<w:tblHeader/>");
        assert_eq!(
            data,
            header,
            "header row marking wrong in table: {}",
            &t[..t.len().min(300)]
        );
        assert_eq!(
            t.matches("<w:tblHeader/>").count(),
            usize::from(data),
            "only the first row is a header"
        );
    }
}

#[test]
fn several_documents_in_one_process_render_identically() {
    let (serif, sans) = assets();
    let templates = BTreeMap::new();
    let images = BTreeMap::new();
    let a = Assets {
        serif,
        sans,
        images: &images,
        templates: &templates,
    };
    let example_doc = compose_pack(&example());
    let other = compose_pack(&root().join("tests/fixtures/packs/json-spanish"));
    let first = briefkit_docx::render(&example_doc, &a).unwrap().bytes;
    let _ = briefkit_docx::render(&other, &a).unwrap();
    let second = briefkit_docx::render(&example_doc, &a).unwrap().bytes;
    assert!(
        first == second,
        "the second rendering of the same document differs"
    );
}
