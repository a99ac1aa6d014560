//! Spec-style Markdown tests, as pulldown-cmark keeps them: each
//! `tests/markdown/NAME.md` is converted to the model and compared with
//! `NAME.json` (blocks, footnotes, images and findings). A change in what
//! the converter produces shows up as a diff to review; run with
//! `BRIEFKIT_BLESS=1` to write the new expectations, then read them.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_compose::markdown::convert;
use serde_json::{json, Value};
use std::path::Path;

fn converted(text: &str) -> Value {
    let stats = |id: &str| (id == "victims").then(|| (1, Some("[1]".to_string())));
    let mut directives = |d: &briefkit_compose::markdown::Directive<'_>| {
        Err(format!("no directive `{}` here", d.name))
    };
    let source = briefkit_model::SourceText::new("article.md", text.into());
    let c = convert(&source, "SEAL", &stats, &mut directives);
    let place = |span: &briefkit_model::Span| {
        let l = span.resolve();
        format!("{}:{}", l.line.unwrap_or(0), l.column.unwrap_or(0))
    };
    json!({
        "blocks": c.blocks,
        "footnote_definitions": c.footnote_defs.iter().map(|(label, blocks, at)| json!({
            "label": label, "blocks": blocks, "at": place(at),
        })).collect::<Vec<_>>(),
        "footnote_references": c.footnote_refs.iter().map(|(label, at)| json!([label, place(at)])).collect::<Vec<_>>(),
        "images": c.images.iter().map(|(image, at)| json!({"image": image, "at": place(at)})).collect::<Vec<_>>(),
        "findings": c.diagnostics.iter().map(|d| json!({
            "severity": d.severity,
            "at": d.span.as_ref().map(place),
            "message": d.message,
        })).collect::<Vec<_>>(),
    })
}

#[test]
fn markdown_converts_as_the_expectations_say() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/markdown");
    let bless = std::env::var("BRIEFKIT_BLESS").is_ok_and(|v| v == "1");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 10,
        "cases went missing from {}",
        dir.display()
    );
    let mut failures = Vec::new();
    for md in cases {
        let got = converted(&std::fs::read_to_string(&md).unwrap());
        let expected_path = md.with_extension("json");
        let pretty = serde_json::to_string_pretty(&got).unwrap() + "\n";
        if bless {
            std::fs::write(&expected_path, &pretty).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
            panic!(
                "{} is missing (BRIEFKIT_BLESS=1 writes it)",
                expected_path.display()
            )
        });
        if expected != pretty {
            failures.push(format!(
                "{}:\n--- expected\n{expected}\n--- got\n{pretty}",
                md.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
