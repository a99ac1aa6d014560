//! The house look of a block is defined once, in the theme's style layer
//! (`briefkit_model::theme::LOOK`): a quote, a table and a key-figure card
//! are rendered in the three formats and each is checked against it — the
//! PDF's laid-out boxes, the EPUB as Chromium computes its styles, the
//! DOCX's style and table XML.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_model::theme::{Color, LOOK, TYPE};
use briefkit_model::Assets;
use briefkit_pdf::layout::{Item, Rgb};
use briefkit_test_support::*;
use std::path::Path;

fn rgb(c: Color) -> Rgb {
    Rgb::of(c)
}

fn near(a: f32, b: f32) -> bool {
    (a - b).abs() < 0.01
}

#[test]
fn a_quote_a_table_and_a_card_take_the_themes_look_in_every_format() {
    // The example has a quote, key-figure cards and two tables.
    let composed = compose_pack_fully(&example());

    // PDF: the laid-out boxes.
    let assets = Assets {
        images: &composed.images,
        ..test_assets()
    };
    let (layout, _) =
        briefkit_pdf::layout_document(&composed.document, &assets, &composed.render_options())
            .unwrap();
    let items: Vec<&Item> = layout.pages.iter().flat_map(|p| &p.items).collect();
    let (left, _, _, _) = layout.text_area;
    let q = LOOK.quote;
    let bar = items.iter().find(|i| {
        matches!(i, Item::Rect { x, w, fill, .. }
            if near(*w, q.bar) && *fill == rgb(q.bar_color) && near(*x, left))
    });
    assert!(
        bar.is_some(),
        "no quote bar of {} pt in the quote-bar colour at the column's edge",
        q.bar
    );
    let quoted = items.iter().any(|i| {
        matches!(i, Item::Glyphs { x, color, .. } if *color == rgb(q.color) && near(*x, left + q.indent))
    });
    assert!(
        quoted,
        "no quoted text in the quote colour {} pt in",
        q.indent
    );
    let t = LOOK.table;
    let line = |(width, color): (f32, Color)| {
        items.iter().any(|i| {
            matches!(i, Item::Line { width: w, color: c, .. } if near(*w, width) && *c == rgb(color))
        })
    };
    assert!(line(t.head_rule), "no header rule {:?}", t.head_rule);
    assert!(line(t.rule), "no row rule {:?}", t.rule);
    let fill = |color: Color| {
        items
            .iter()
            .any(|i| matches!(i, Item::Rect { fill, .. } if *fill == rgb(color)))
    };
    assert!(fill(t.head_fill) && fill(t.zebra), "table fills");
    let c = LOOK.card;
    let card_bars = items
        .iter()
        .filter(|i| matches!(i, Item::Rect { w, fill, .. } if near(*w, c.bar) && *fill == rgb(c.bar_color)))
        .count();
    assert_eq!(card_bars, 3, "one {} pt bar a card", c.bar);
    assert!(fill(c.fill));

    // The three formats, built.
    let out = scratch("look");
    let o = briefkit_build(&example(), &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stem = "mexico-trafficking";

    // DOCX: the Quote style, the tables' rules, fills and padding, the cards.
    let docx = out.join(format!("{stem}.docx"));
    let styles = zip_text(&docx, "word/styles.xml");
    let quote_style = styles
        .split("w:styleId=\"Quote\"")
        .nth(1)
        .and_then(|s| s.split("</w:style>").next())
        .unwrap();
    let twips = |pt: f32| (pt * 20.0).round() as u32;
    let eighths = |pt: f32| ((pt * 8.0).round() as u32).max(2);
    assert!(
        quote_style.contains(&format!("<w:ind w:left=\"{}\"", twips(q.indent)))
            && quote_style.contains(&format!(
                "<w:left w:val=\"single\" w:space=\"{}\" w:sz=\"{}\" w:color=\"{}\"/>",
                (q.indent - q.bar).round(),
                eighths(q.bar),
                q.bar_color.hex()
            ))
            && quote_style.contains(&format!("<w:color w:val=\"{}\"/>", q.color.hex())),
        "{quote_style}"
    );
    let document = zip_text(&docx, "word/document.xml");
    for needle in [
        format!(
            "w:sz=\"{}\" w:space=\"0\" w:color=\"{}\"",
            eighths(t.rule.0),
            t.rule.1.hex()
        ),
        format!(
            "w:sz=\"{}\" w:space=\"0\" w:color=\"{}\"",
            eighths(t.head_rule.0),
            t.head_rule.1.hex()
        ),
        format!("w:fill=\"{}\"", t.head_fill.hex()),
        format!("w:fill=\"{}\"", t.zebra.hex()),
        format!("<w:top w:w=\"{}\" w:type=\"dxa\"/>", twips(t.padding)),
        format!(
            "w:sz=\"{}\" w:space=\"0\" w:color=\"{}\"",
            eighths(c.bar),
            c.bar_color.hex()
        ),
        format!("w:fill=\"{}\"", c.fill.hex()),
    ] {
        assert!(document.contains(&needle), "document.xml has no `{needle}`");
    }
    // The zebra on a body row's cells (the cards share its colour).
    let zebra = format!("w:fill=\"{}\"/></w:tcPr>", t.zebra.hex());
    assert!(
        document.match_indices(&zebra).any(|(i, _)| document[i..]
            .chars()
            .take(160)
            .collect::<String>()
            .contains("TableText")),
        "no body row in the zebra fill"
    );

    // EPUB: what Chromium computes for the brief's page (lengths in CSS
    // pixels, 4/3 of a point; borders are drawn in whole pixels).
    let Some(ace) = crate::epub::ace_dir() else {
        return;
    };
    let unpacked = out.join("epub");
    let _ = std::fs::remove_dir_all(&unpacked);
    let (ok, log) = run(
        "unzip",
        &[
            "-q",
            out.join(format!("{stem}.epub")).to_str().unwrap(),
            "-d",
            unpacked.to_str().unwrap(),
        ],
    );
    assert!(ok, "{log}");
    let page = unpacked.join("OEBPS/brief.xhtml");
    let styles = chromium_script(
        &ace,
        "computed_style.js",
        &[
            page.to_str().unwrap().to_string(),
            "blockquote=border-inline-start-width,border-inline-start-color,padding-inline-start,color,margin-top,font-size".into(),
            "thead th=border-bottom-width,border-bottom-color,background-color,padding-top,font-size".into(),
            "tbody tr:nth-child(2)=background-color".into(),
            "tbody td=border-bottom-width,border-bottom-color".into(),
            ".card=border-inline-start-width,border-inline-start-color,background-color,padding-top,font-size".into(),
        ],
    );
    let get = |sel: &str, prop: &str| -> String {
        styles[sel][prop]
            .as_str()
            .unwrap_or_else(|| panic!("{sel} {prop}: {styles}"))
            .to_string()
    };
    let px =
        |sel: &str, prop: &str| -> f32 { get(sel, prop).trim_end_matches("px").parse().unwrap() };
    let css_rgb = |c: Color| format!("rgb({}, {}, {})", c.0, c.1, c.2);
    // A border of w points is w·4/3 px, drawn in whole pixels.
    let border = |sel: &str, prop: &str, pt: f32| {
        let got = px(sel, prop);
        assert!(
            (got - pt * 4.0 / 3.0).abs() < 1.0,
            "{sel} {prop}: {got}px for {pt}pt"
        );
    };
    // A length of p points is p / body size em of the element's font size.
    let length = |sel: &str, prop: &str, pt: f32, font: f32| {
        let got = px(sel, prop) / px(sel, "font-size");
        let want = TYPE.em(pt) * TYPE.body / font;
        assert!(
            (got - want).abs() < 0.02,
            "{sel} {prop}: {got}em, want {want}em"
        );
    };
    border("blockquote", "border-inline-start-width", q.bar);
    assert_eq!(
        get("blockquote", "border-inline-start-color"),
        css_rgb(q.bar_color)
    );
    assert_eq!(get("blockquote", "color"), css_rgb(q.color));
    // The bar and the gap beside it make the quote's indent.
    let indent =
        px("blockquote", "padding-inline-start") + px("blockquote", "border-inline-start-width");
    assert!(
        (indent - q.indent * 4.0 / 3.0).abs() < 1.0,
        "quote indent {indent}px"
    );
    length("blockquote", "margin-top", q.space.before, TYPE.body);
    border("thead th", "border-bottom-width", t.head_rule.0);
    assert_eq!(
        get("thead th", "border-bottom-color"),
        css_rgb(t.head_rule.1)
    );
    assert_eq!(get("thead th", "background-color"), css_rgb(t.head_fill));
    assert_eq!(
        get("tbody tr:nth-child(2)", "background-color"),
        css_rgb(t.zebra)
    );
    assert_eq!(get("tbody td", "border-bottom-color"), css_rgb(t.rule.1));
    border("tbody td", "border-bottom-width", t.rule.0);
    length("thead th", "padding-top", t.padding, TYPE.table);
    border(".card", "border-inline-start-width", c.bar);
    assert_eq!(
        get(".card", "border-inline-start-color"),
        css_rgb(c.bar_color)
    );
    assert_eq!(get(".card", "background-color"), css_rgb(c.fill));
    length(".card", "padding-top", c.padding, TYPE.body);
}

/// A part of a zip package, as text.
fn zip_text(file: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
    text
}
