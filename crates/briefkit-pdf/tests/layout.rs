//! Layout invariants of the PDF backend, checked on the laid-out pages
//! (no PDF bytes): nothing outside the text area but the running header
//! and footer, no line wider than its measure, no overlapping text, every
//! link target present, every heading in the outline.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_compose::Composed;
use briefkit_model::{Assets, Document};
use briefkit_pdf::layout::{Item, Layout, LinkTarget};
use briefkit_test_support::*;

/// Lays out a composed pack with its images and render options; asserts
/// there are no warnings.
fn lay_out(composed: &Composed) -> Layout {
    let assets = Assets {
        images: &composed.images,
        ..test_assets()
    };
    let (layout, warnings) =
        briefkit_pdf::layout_document(&composed.document, &assets, &composed.render_options())
            .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    layout
}

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
    // No widow, no orphan: a paragraph split across pages leaves at least
    // two of its lines on each page.
    for (p, page) in layout.pages.iter().enumerate() {
        let mut counts: Vec<(usize, usize, usize)> = Vec::new(); // (paragraph, lines here, lines)
        for m in &page.lines {
            match counts.last_mut() {
                Some(c) if c.0 == m.paragraph => c.1 += 1,
                _ => counts.push((m.paragraph, 1, m.lines)),
            }
        }
        for (para, here, total) in counts {
            assert!(
                here == total || here >= 2,
                "page {}: paragraph {para} has {here} of its {total} lines here (a widow or an orphan)",
                p + 1
            );
        }
    }
    // Every page carries "Page X of N" (in the pack's language) in its footer.
    let total = layout.pages.len();
    for (p, page) in layout.pages.iter().enumerate() {
        let labels = &doc.metadata.labels;
        let label = labels.page_of(&(p + 1).to_string(), &total.to_string());
        // Spaces aside (CJK sets numbers off by a quarter em); right to
        // left, a run's text is in display order: compare the characters.
        let letters = |t: &str| {
            let mut c: Vec<char> = t.chars().filter(|c| !c.is_whitespace()).collect();
            c.sort_unstable();
            c
        };
        let rtl = doc.metadata.direction.is_rtl();
        // Right to left, a line is shown a direction at a time (the
        // number is a run of its own): the runs on one baseline together.
        let mut lines: Vec<(i32, String)> = Vec::new();
        for item in &page.items {
            if let (Item::Glyphs { y, .. }, Some(t)) = (item, item.text()) {
                let at = (*y * 10.0).round() as i32;
                match lines.iter_mut().find(|l| l.0 == at) {
                    Some(l) => l.1.push_str(&t),
                    None => lines.push((at, t)),
                }
            }
        }
        assert!(
            page.items
                .iter()
                .filter_map(Item::text)
                .any(|t| squash(&t) == squash(&label))
                || rtl
                    && lines.iter().any(|(_, t)| {
                        // Every letter of the label, as often, on the line.
                        let mut have = letters(t);
                        letters(&label).into_iter().all(|c| {
                            have.iter()
                                .position(|h| *h == c)
                                .map(|i| have.swap_remove(i))
                                .is_some()
                        })
                    }),
            "page {} lacks `{label}`",
            p + 1
        );
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
    let composed = compose_pack_fully(&example());
    let doc = &composed.document;
    let layout = lay_out(&composed);
    assert!(layout.pages.len() >= 2);
    check_invariants(&layout, doc);
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
fn arabic_and_chinese_layouts_keep_every_invariant_and_arabic_is_mirrored() {
    let mut names = vec!["mexico-trafficking-ar"];
    if have_cjk_fonts() {
        names.push("mexico-trafficking-zh");
    }
    for name in names {
        let composed = compose_pack_fully(&root().join("examples").join(name));
        let doc = &composed.document;
        let assets = Assets {
            images: &composed.images,
            extra: extra_faces(),
            ..test_assets()
        };
        let (layout, warnings) =
            briefkit_pdf::layout_document(doc, &assets, &composed.render_options()).unwrap();
        assert!(warnings.is_empty(), "{name}: {warnings:?}");
        check_invariants(&layout, doc);
        if name.ends_with("-ar") {
            let (left, _, right, _) = layout.text_area;
            let find = |text: &str| {
                layout.pages[0]
                    .items
                    .iter()
                    .find(|i| {
                        // Display order: an Arabic word's letters reversed.
                        let reversed: String = text.chars().rev().collect();
                        i.text()
                            .is_some_and(|t| t.contains(text) || t.contains(&reversed))
                    })
                    .map(Item::bounds)
                    .unwrap_or_else(|| panic!("`{text}` is not on page 1"))
            };
            // The masthead starts at the right margin; the first key figure
            // is the rightmost card; the page number is on the left.
            let title = find("المكسيك");
            assert!(
                (title.0 + title.2 - right).abs() < 1.0,
                "{title:?} vs {right}"
            );
            let (first, last) = (find("20,000"), find("99%"));
            assert!(
                first.0 > last.0,
                "cards are not mirrored: {first:?} {last:?}"
            );
            let footer = find("صفحة");
            assert!(footer.0 < (left + right) / 2.0, "{footer:?}");
        }
    }
}

#[test]
fn fixture_packs_keep_every_invariant() {
    // US Letter with an image (yaml-image), Spanish with hyphenation and
    // nested headings (json-spanish).
    for name in ["yaml-image", "json-spanish"] {
        let dir = root().join("tests/fixtures/packs").join(name);
        let composed = compose_pack_fully(&dir);
        let doc = &composed.document;
        let assets = briefkit_model::Assets {
            images: &composed.images,
            ..test_assets()
        };
        let (layout, warnings) =
            briefkit_pdf::layout_document(doc, &assets, &composed.render_options()).unwrap();
        assert!(warnings.is_empty(), "{name}: {warnings:?}");
        check_invariants(&layout, doc);
        if name == "yaml-image" {
            assert!(
                layout
                    .pages
                    .iter()
                    .flat_map(|p| &p.items)
                    .any(|i| matches!(i, Item::Image { alt, .. } if !alt.is_empty())),
                "{name}: the image (with its alt text) is missing"
            );
        }
    }
}

#[test]
fn synthetic_200_page_report_keeps_every_invariant() {
    let dir = scratch("layout-long").join("pack");
    long_report(&dir, 180);
    let composed = compose_pack_fully(&dir);
    let doc = &composed.document;
    let layout = lay_out(&composed);
    assert!(
        layout.pages.len() >= 200,
        "only {} pages",
        layout.pages.len()
    );
    check_invariants(&layout, doc);
    // Every page holding table rows ("District AB" in the first column)
    // also holds the header row ("Remark").
    let mut pages_with_rows = 0;
    for (p, page) in layout.pages.iter().enumerate() {
        let texts: Vec<String> = page.items.iter().filter_map(Item::text).collect();
        let body_row = |t: &String| {
            t.strip_prefix("District ")
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
        };
        if texts.iter().any(body_row) {
            pages_with_rows += 1;
            assert!(
                texts.iter().any(|t| t.trim() == "Remark"),
                "page {} has table rows without the header row",
                p + 1
            );
        }
    }
    assert!(
        pages_with_rows >= 60,
        "the tables should span many pages, found {pages_with_rows}"
    );
    // Justified paragraphs are hyphenated (the prose has no hyphens of its
    // own), and still stay within the measure (checked above).
    let hyphenated = layout
        .pages
        .iter()
        .flat_map(|p| p.items.iter().filter_map(Item::text))
        .filter(|t| t.trim_end().ends_with('-'))
        .count();
    assert!(hyphenated > 20, "only {hyphenated} hyphenated lines");
    // Every footnote lands on the page of its reference.
    let mut notes = 0;
    for (p, page) in layout.pages.iter().enumerate() {
        for a in layout
            .anchors
            .iter()
            .filter(|a| a.name.starts_with("fn-") && a.page == p)
        {
            notes += 1;
            let n = &a.name[3..];
            let has_ref = page.items.iter().any(|i| matches!(i, Item::Link { target: LinkTarget::Anchor(t), .. } if t == &format!("fn-{n}")));
            assert!(
                has_ref,
                "footnote {n} is on page {} without its reference",
                p + 1
            );
        }
    }
    assert_eq!(notes, doc.footnotes.len());
    // Laid out on one thread, the report is the same to the last glyph.
    let (book_assets, sizes) = (test_assets(), std::collections::BTreeMap::new());
    let book = briefkit_pdf::typefaces::FontBook::new(&book_assets)
        .unwrap()
        .with_hyphenation(&doc.metadata.language);
    let (single, _) = briefkit_pdf::layout::layout_with_threads(
        doc,
        &composed.render_options(),
        &book,
        &sizes,
        1,
    );
    assert!(
        single == layout,
        "two layout threads give a different layout"
    );
}

/// The table of contents (`[output] toc = true`): one entry per heading,
/// each linked to its heading and showing the page the heading is on.
fn check_contents(layout: &Layout, doc: &Document) {
    let (_, _, right, _) = layout.text_area;
    let headings = doc.headings();
    let mut found = 0;
    for page in &layout.pages {
        for item in &page.items {
            let Item::Link {
                y,
                h,
                w,
                target: LinkTarget::Anchor(anchor),
                ..
            } = item
            else {
                continue;
            };
            // TOC entry links span to the right margin.
            let Some(entry) = headings.iter().find(|h| &h.1 == anchor) else {
                continue;
            };
            if *w < 200.0 {
                continue;
            }
            let target = layout.anchors.iter().find(|a| &a.name == anchor).unwrap();
            let number = page
                .items
                .iter()
                .filter(|i| matches!(i, Item::Glyphs { y: b, .. } if *b > *y && *b < y + h))
                .filter(|i| (i.bounds().0 + i.bounds().2 - right).abs() < 0.5)
                .filter_map(Item::text)
                .next_back()
                .unwrap_or_default();
            assert_eq!(
                number,
                (target.page + 1).to_string(),
                "the contents give the wrong page for `{}`",
                entry.2
            );
            found += 1;
        }
    }
    assert_eq!(
        found,
        headings.len(),
        "not every heading is in the contents"
    );
}

#[test]
fn table_of_contents_gives_every_heading_its_page() {
    let dir = scratch("layout-contents");
    let pack = dir.join("example");
    copy_pack(&example(), &pack);
    let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
    std::fs::write(
        pack.join("brief.toml"),
        toml.replace("[output]\n", "[output]\ntoc = true\n"),
    )
    .unwrap();
    let composed = compose_pack_fully(&pack);
    let doc = &composed.document;
    assert!(composed.render_options().toc);
    let layout = lay_out(&composed);
    check_invariants(&layout, doc);
    check_contents(&layout, doc);
    // A long report: the contents run over more than one page.
    let report = dir.join("report");
    long_report_with(&report, 60, true);
    let composed = compose_pack_fully(&report);
    let doc = &composed.document;
    let layout = lay_out(&composed);
    check_invariants(&layout, doc);
    check_contents(&layout, doc);
}

/// The page (0-based) each of `texts` is first drawn on.
fn pages_of(layout: &Layout, texts: &[&str]) -> Vec<Option<usize>> {
    texts
        .iter()
        .map(|t| {
            layout.pages.iter().position(|p| {
                let page: String = p
                    .items
                    .iter()
                    .filter_map(Item::text)
                    .collect::<Vec<_>>()
                    .join(" ");
                squash(&page).contains(&squash(t))
            })
        })
        .collect()
}

#[test]
fn lists_and_tables_never_leave_one_item_or_row_at_a_page_break() {
    // Filler paragraphs push a four-item list, then a four-row table, down
    // the page, so a page break falls at every place inside them.
    let filler = "The officials met for two days in the border town to compare what works against trafficking, case by case, and what does not.";
    for n in 0..40 {
        let mut article = String::new();
        for _ in 0..n {
            article.push_str(filler);
            article.push_str("\n\n");
        }
        article.push_str("- Alpha item of the list\n- Bravo item of the list\n- Charlie item of the list\n- Delta item of the list\n\n");
        for _ in 0..12 {
            article.push_str(filler);
            article.push_str("\n\n");
        }
        article.push_str("| Echo head | Value |\n|---|--:|\n| Foxtrot row | 1 |\n| Golf row | 2 |\n| Hotel row | 3 |\n| India row | 4 |\n");
        let world = briefkit_model::MemoryWorld::new(briefkit_model::Date::from_unix(0))
            .with_file(
                "brief.toml",
                "[brief]\ntitle = \"Breaks\"\ndate = \"2026-11-28\"\nlanguage = \"en\"\nstatistics = []\n",
            )
            .with_file("article.md", article.as_str());
        let template = std::fs::read_to_string(root().join("templates/brief.hbs")).unwrap();
        let composed = briefkit_compose::compose(
            &world,
            briefkit_compose::PackEntry::Directory,
            &briefkit_compose::ComposeOptions {
                brief_template: &template,
                brief_template_name: "brief.hbs",
                backends: &[&briefkit_pdf::BACKEND],
                formats: &[],
                settings: &[],
                each_uncited: false,
                row: None,
                statistics: None,
                embed_data: None,
            },
        )
        .unwrap();
        let layout = lay_out(&composed);
        let list = pages_of(
            &layout,
            &["Alpha item", "Bravo item", "Charlie item", "Delta item"],
        );
        assert_eq!(
            list[0], list[1],
            "{n}: the list's first item alone: {list:?}"
        );
        assert_eq!(
            list[2], list[3],
            "{n}: the list's last item alone: {list:?}"
        );
        let table = pages_of(
            &layout,
            &[
                "Echo head",
                "Foxtrot row",
                "Golf row",
                "Hotel row",
                "India row",
            ],
        );
        assert_eq!(
            table[0], table[2],
            "{n}: the header with one row: {table:?}"
        );
        assert_eq!(
            table[3], table[4],
            "{n}: the table's last row alone: {table:?}"
        );
    }
}

#[test]
fn no_more_than_two_lines_in_a_row_end_with_a_hyphen() {
    let dir = scratch("layout-hyphens").join("pack");
    long_report(&dir, 60);
    let composed = compose_pack_fully(&dir);
    let layout = lay_out(&composed);
    for (p, page) in layout.pages.iter().enumerate() {
        // The baselines of the page's lines of running text, and of the
        // hyphens the line breaker added.
        let mut lines: Vec<f32> = Vec::new();
        let mut hyphens: Vec<f32> = Vec::new();
        for item in &page.items {
            if let Item::Glyphs {
                y, glyphs, size, ..
            } = item
            {
                if (*size - briefkit_model::theme::TYPE.body).abs() > 0.01 {
                    continue;
                }
                if glyphs.iter().all(|g| g.text == "\u{ad}") {
                    hyphens.push(*y);
                } else if !lines.iter().any(|l| (l - y).abs() < 0.5) {
                    lines.push(*y);
                }
            }
        }
        lines.sort_by(f32::total_cmp);
        let mut run = 0;
        for l in &lines {
            if hyphens.iter().any(|h| (h - l).abs() < 0.5) {
                run += 1;
                if run > 2 {
                    let texts: Vec<String> = page
                        .items
                        .iter()
                        .filter(|i| matches!(i, Item::Glyphs { y, .. } if (y - l).abs() < 40.0))
                        .filter_map(Item::text)
                        .collect();
                    panic!(
                        "page {}: three lines in a row end with a hyphen: {texts:?}",
                        p + 1
                    );
                }
            } else {
                run = 0;
            }
        }
    }
    // The report does hyphenate (so the check has something to check).
    assert!(
        layout.pages.iter().flat_map(|p| &p.items).any(
            |i| matches!(i, Item::Glyphs { glyphs, .. } if glyphs.iter().all(|g| g.text == "\u{ad}"))
        ),
        "no hyphen at all"
    );
}
