//! Layout invariants of the PDF backend, checked on the laid-out pages
//! (no PDF bytes): nothing outside the text area but the running header
//! and footer, no line wider than its measure, no overlapping text, every
//! link target present, every heading in the outline.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

mod common;

use briefkit_model::Document;
use briefkit_pdf::layout::{Item, Layout, LinkTarget};
use common::*;

fn check_invariants(layout: &Layout, doc: &Document) {
    let (left, top, right, bottom) = layout.text_area;
    let eps = 0.5;
    for (p, page) in layout.pages.iter().enumerate() {
        let mut runs = Vec::new();
        for item in &page.items {
            let (x, y, w, h) = item.bounds();
            assert!(
                x >= -eps
                    && y >= -eps
                    && x + w <= layout.width + eps
                    && y + h <= layout.height + eps,
                "page {}: outside the page: {item:?}",
                p + 1
            );
            if let Item::Glyphs {
                y: baseline, size, ..
            } = item
            {
                let text = item.text().unwrap_or_default();
                // No line wider than its measure.
                assert!(
                    x >= left - eps && x + w <= right + eps,
                    "page {}: `{text}` overflows the measure ({x} + {w} > {right})",
                    p + 1
                );
                let running = *size <= 7.6 && (*baseline < top || *baseline > bottom);
                assert!(
                    running || (*baseline >= top - eps && y + h <= bottom + eps),
                    "page {}: `{text}` outside the text area",
                    p + 1
                );
                runs.push((x, y, w, h, text));
            }
        }
        // No two glyph runs overlap (allowing a hair for kerning at run joins).
        for i in 0..runs.len() {
            for j in i + 1..runs.len() {
                let (a, b) = (&runs[i], &runs[j]);
                let ox = (a.0 + a.2).min(b.0 + b.2) - a.0.max(b.0);
                let oy = (a.1 + a.3).min(b.1 + b.3) - a.1.max(b.1);
                assert!(
                    !(ox > 1.0 && oy > 2.0),
                    "page {}: `{}` overlaps `{}`",
                    p + 1,
                    a.4,
                    b.4
                );
            }
        }
    }
    let anchors: Vec<&str> = layout.anchors.iter().map(|a| a.name.as_str()).collect();
    for page in &layout.pages {
        for item in &page.items {
            if let Item::Link {
                target: LinkTarget::Anchor(a),
                ..
            } = item
            {
                assert!(
                    anchors.contains(&a.as_str()),
                    "link to missing anchor `{a}`"
                );
            }
        }
    }
    let outline: Vec<&str> = layout.outline.iter().map(|o| o.anchor.as_str()).collect();
    for (_, id, text) in doc.headings() {
        assert!(
            outline.contains(&id.as_str()),
            "heading `{text}` is not in the outline"
        );
    }
}

#[test]
fn example_layout_keeps_every_invariant() {
    let doc = compose_pack(&example());
    let layout = lay_out(&doc);
    assert!(layout.pages.len() >= 2);
    check_invariants(&layout, &doc);
    // The masthead and key figures are on page 1.
    let first: String = layout.pages[0]
        .items
        .iter()
        .filter_map(Item::text)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        first.contains("Practical Approaches") && first.contains("20,000"),
        "{first}"
    );
}

#[test]
fn long_report_layout_keeps_every_invariant_and_repeats_table_headers() {
    let dir = scratch("layout-long").join("pack");
    long_report(&dir, 30);
    let doc = compose_pack(&dir);
    let layout = lay_out(&doc);
    assert!(
        layout.pages.len() >= 20,
        "only {} pages",
        layout.pages.len()
    );
    check_invariants(&layout, &doc);
    // Every page holding table rows (the word "wraps" appears only in the
    // Remark cells) also holds the header row ("Remark").
    let mut pages_with_rows = 0;
    for (p, page) in layout.pages.iter().enumerate() {
        let texts: Vec<String> = page.items.iter().filter_map(Item::text).collect();
        if texts.iter().any(|t| t == "wraps") {
            pages_with_rows += 1;
            assert!(
                texts.iter().any(|t| t == "Remark"),
                "page {} has table rows without the header row",
                p + 1
            );
        }
    }
    assert!(
        pages_with_rows >= 10,
        "the tables should span many pages, found {pages_with_rows}"
    );
    // Every footnote lands on the page of its reference.
    for (p, page) in layout.pages.iter().enumerate() {
        for a in layout
            .anchors
            .iter()
            .filter(|a| a.name.starts_with("fn-") && a.page == p)
        {
            let n = &a.name[3..];
            let has_ref = page.items.iter().any(|i| matches!(i, Item::Link { target: LinkTarget::Anchor(t), .. } if t == &format!("fn-{n}")));
            assert!(
                has_ref,
                "footnote {n} is on page {} without its reference",
                p + 1
            );
        }
    }
}
