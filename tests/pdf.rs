//! The PDF backend end to end on the 200-page synthetic report: the CLI's
//! file passes qpdf, its text reads in the model's order, every heading is
//! a bookmark and every page has a label.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

#[test]
fn synthetic_200_page_report_passes_qpdf_and_reads_in_order() {
    let dir = scratch("pdf-report");
    let pack = dir.join("report");
    long_report(&pack, 180);
    let out = dir.join("out");
    let o = briefkit(&[
        "build",
        pack.to_str().unwrap(),
        "-f",
        "pdf",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = out.join("report.pdf");
    let doc = compose_pack(&pack);
    if have("qpdf", &["--version"]) {
        let (ok, text) = run("qpdf", &["--check", pdf.to_str().unwrap()]);
        assert!(
            ok && text.contains("No syntax or stream encoding errors"),
            "qpdf --check:\n{text}"
        );
        let (ok, json) = run(
            "qpdf",
            &[
                "--json",
                "--json-key=outlines",
                "--json-key=pagelabels",
                "--json-key=pages",
                pdf.to_str().unwrap(),
            ],
        );
        assert!(ok, "{json}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let pages = v["pages"].as_array().unwrap().len();
        assert!(pages >= 200, "only {pages} pages");
        // Every heading is a bookmark (counted through the nesting).
        fn count(items: &[serde_json::Value]) -> usize {
            items
                .iter()
                .map(|o| 1 + count(o["kids"].as_array().map_or(&[][..], |k| k)))
                .sum()
        }
        let bookmarks = count(v["outlines"].as_array().unwrap());
        assert_eq!(bookmarks, doc.headings().len());
        assert!(!v["pagelabels"].as_array().unwrap().is_empty());
    }
    assert_pdf_text_in_reading_order(&pdf, &doc);
}
