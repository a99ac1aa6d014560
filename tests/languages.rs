//! Briefs in the six UN languages: the Arabic (right to left) and Chinese
//! examples built in all three formats and checked by the validators, by
//! text extraction in logical order and by the fonts embedded; fonts from a
//! pack's folder or `--font-path`, never from outside the pack.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;
use std::path::Path;

/// Builds every format of `pack` into `out` with extra options; returns
/// what was printed (the build must succeed).
fn build_with(pack: &Path, out: &Path, options: &[&str]) -> String {
    let mut args = vec!["build", pack.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(options);
    let o = briefkit(&args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    err
}

/// The words of a text for comparing extraction with the model: the
/// bidi marks poppler adds taken out; words for alphabetic scripts, single
/// characters for Chinese (written without spaces).
fn words(text: &str, cjk: bool) -> Vec<String> {
    reading_words(text, cjk)
}

/// Asserts that the words of every paragraph and heading of the document
/// come out of `pdftotext` in logical (reading) order: each paragraph's
/// words appear in sequence (a citation mark may sit between two).
fn assert_words_in_logical_order(pdf: &Path, doc: &briefkit_model::Document, cjk: bool) {
    if !have("pdftotext", &["-v"]) {
        return;
    }
    let (ok, text) = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(ok, "{text}");
    let what = format!("{}: pdftotext's text", pdf.display());
    assert_words_in_reading_order(&words(&text, cjk), doc, cjk, &what);
}

/// `pdffonts` lists `face` embedded, subset and with a ToUnicode map.
fn assert_font_embedded(pdf: &Path, face: &str) {
    if !have("pdffonts", &["-v"]) {
        return;
    }
    let (ok, list) = run("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(ok, "{list}");
    let line = list
        .lines()
        .find(|l| l.contains(face))
        .unwrap_or_else(|| panic!("{face} is not in the PDF:\n{list}"));
    assert!(line.contains("+"), "{face} is not a subset: {line}");
    assert!(
        line.contains("yes yes yes"),
        "{face} is not embedded, subset and mapped to Unicode: {line}"
    );
}

fn entry(zip_path: &Path, name: &str) -> String {
    let file = std::fs::File::open(zip_path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
    text
}

fn check_language(name: &str, cjk: bool) {
    let dir = scratch(&format!("languages-{name}"));
    let out = dir.join("out");
    let err = build_with(&example_named(name), &out, &[]);
    assert!(!err.contains("no font has"), "{name}: {err}");
    assert!(!err.contains("no glyph"), "{name}: {err}");
    let doc = compose_pack(&example_named(name));
    let labels = &doc.metadata.labels;

    // PDF: clean, accessible and archival, fonts embedded, words in order,
    // every fixed word in the language.
    let pdf = out.join(format!("{name}.pdf"));
    assert_qpdf_clean(&pdf);
    assert_pdf_profiles(&pdf, &["ua1", "pdfa-3a"]);
    assert_words_in_logical_order(&pdf, &doc, cjk);
    if cjk {
        assert_font_embedded(&pdf, "NotoSerifCJKsc-Regular");
        assert_font_embedded(&pdf, "NotoSansCJKsc-Bold");
    } else {
        assert_font_embedded(&pdf, "NotoNaskhArabic-Regular");
        assert_font_embedded(&pdf, "NotoSansArabic-Bold");
    }
    if have("pdftotext", &["-v"]) {
        let (_, text) = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        let flat = squash(&words(&text, cjk).join(" "));
        for word in [
            &labels.sources,
            &labels.statistics,
            &labels.contact,
            &labels.summary,
        ] {
            assert!(
                flat.contains(&squash(&words(word, cjk).join(" "))),
                "{name}: the PDF lacks `{word}`"
            );
        }
        assert!(
            flat.contains(&squash(&words(&doc.metadata.date_display, cjk).join(" "))),
            "{name}: the PDF lacks the date `{}`",
            doc.metadata.date_display
        );
    }

    // EPUB: valid, its pages in the language and direction.
    let epub = out.join(format!("{name}.epub"));
    assert_epubcheck_clean(&epub);
    let page = entry(&epub, "OEBPS/brief.xhtml");
    let dir_attr = format!("dir=\"{}\"", doc.metadata.direction.as_str());
    assert!(page.contains(&dir_attr), "{name}: {dir_attr} missing");
    assert!(page.contains(&format!("lang=\"{}\"", doc.metadata.language)));
    let opf = entry(&epub, "OEBPS/content.opf");
    let progression = format!(
        "page-progression-direction=\"{}\"",
        doc.metadata.direction.as_str()
    );
    assert!(opf.contains(&progression), "{name}: {opf}");
    // The chart and cover images read from the right too.
    let chart = entry(&epub, "OEBPS/chart.svg");
    let cover = entry(&epub, "OEBPS/cover.svg");
    let rtl = doc.metadata.direction.is_rtl();
    assert_eq!(
        chart.contains("direction=\"rtl\""),
        rtl,
        "{name}: chart.svg"
    );
    assert_eq!(
        cover.contains("direction=\"rtl\""),
        rtl,
        "{name}: cover.svg"
    );
    let first_bar_x: f32 = chart
        .split("<rect x=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|x| x.parse().ok())
        .unwrap();
    // Bars grow from the axis: on the left, or on the right (the longest
    // bar then starts well inside).
    assert_eq!(
        first_bar_x > 1.0,
        rtl,
        "{name}: first bar at x = {first_bar_x}"
    );
    let css = entry(&epub, "OEBPS/stylesheet.css");
    for side in [
        "margin-left",
        "padding-left",
        "border-left",
        "text-align: left",
        "text-align: right",
    ] {
        assert!(
            !css.contains(side),
            "{name}: `{side}` in the CSS (sides must be logical)"
        );
    }

    // DOCX: valid, right to left where the language is, the scripts' fonts
    // and languages in the styles.
    let docx = out.join(format!("{name}.docx"));
    assert_openxml_audit_clean(&docx);
    let document = entry(&docx, "word/document.xml");
    let styles = entry(&docx, "word/styles.xml");
    // The script's language in its own attribute (Latin text is en-US).
    let lang = if cjk {
        "w:eastAsia=\"zh-CN\"".to_string()
    } else {
        format!("w:bidi=\"{}\"", doc.metadata.language)
    };
    assert!(styles.contains(&lang), "{name}: no {lang} in the styles");
    if doc.metadata.direction.is_rtl() {
        for mark in ["<w:bidi/>", "<w:rtl/>", "<w:bidiVisual/>"] {
            assert!(document.contains(mark), "{name}: no {mark}");
        }
        assert!(
            styles.contains("w:cs=\"Noto Naskh Arabic\""),
            "{name}: no Arabic font"
        );
    } else {
        assert!(
            !document.contains("<w:bidi/>"),
            "{name}: a left-to-right brief marked bidi"
        );
        assert!(
            styles.contains("w:eastAsia=\"Noto Serif CJK SC\""),
            "{name}: no CJK font"
        );
    }
    if have("soffice", &["--version"]) {
        // LibreOffice reads it: most of the title's words are in its PDF
        // (poppler reverses an Arabic lam-alef ligature in LibreOffice's
        // PDFs, so not every word compares).
        let converted = libreoffice_pdf(&docx, &format!("languages-{name}-lo"));
        let (_, text) = run("pdftotext", &[converted.to_str().unwrap(), "-"]);
        let found = words(&text, cjk);
        let title = words(&doc.metadata.title, cjk);
        let seen = title.iter().filter(|w| found.contains(w)).count();
        assert!(
            seen * 3 >= title.len() * 2,
            "{name}: LibreOffice's PDF has {seen} of the title's {} words",
            title.len()
        );
    }
}

#[test]
fn the_arabic_example_is_right_to_left_and_valid_in_every_format() {
    check_language("mexico-trafficking-ar", false);
}

#[test]
fn the_chinese_example_is_valid_in_every_format() {
    if !have_cjk_fonts() {
        return;
    }
    check_language("mexico-trafficking-zh", true);
}

#[test]
fn fonts_come_from_the_packs_folder_or_font_path_and_never_from_outside() {
    if !have_cjk_fonts() {
        return;
    }
    let dir = scratch("languages-fonts");
    let cjk = Path::new(CJK_FONTS).join("NotoSansCJK-Regular.ttc");

    // A pack folder with the font: used, with the system's fonts ignored.
    let pack = dir.join("own-fonts");
    copy_pack(&example_named("mexico-trafficking-zh"), &pack);
    std::fs::create_dir_all(pack.join("fonts")).unwrap();
    std::fs::copy(&cjk, pack.join("fonts/NotoSansCJK-Regular.ttc")).unwrap();
    let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
    let toml = toml.replacen("[brief]\n", "[brief]\nfonts = [\"fonts\"]\n", 1);
    std::fs::write(pack.join("brief.toml"), &toml).unwrap();
    let err = build_with(
        &pack,
        &dir.join("out1"),
        &["-f", "pdf", "--ignore-system-fonts"],
    );
    assert!(!err.contains("no font has"), "{err}");
    assert_font_embedded(&dir.join("out1/own-fonts.pdf"), "NotoSansCJKsc-Regular");

    // The same folder holding only a link to the system's font: the link
    // leaves the pack, so it is not read and the characters stay uncovered.
    let linked = dir.join("linked-fonts");
    copy_pack(&example_named("mexico-trafficking-zh"), &linked);
    std::fs::create_dir_all(linked.join("fonts")).unwrap();
    std::os::unix::fs::symlink(&cjk, linked.join("fonts/outside.ttc")).unwrap();
    std::fs::write(linked.join("brief.toml"), &toml).unwrap();
    let err = build_with(
        &linked,
        &dir.join("out2"),
        &["-f", "pdf", "--ignore-system-fonts"],
    );
    assert!(err.contains("no font has the Han characters"), "{err}");
    assert_eq!(err.matches("no font has the Han").count(), 1, "{err}");

    // --font-path: a folder the user names.
    let plain = dir.join("plain");
    copy_pack(&example_named("mexico-trafficking-zh"), &plain);
    let err = build_with(
        &plain,
        &dir.join("out3"),
        &[
            "-f",
            "pdf",
            "--ignore-system-fonts",
            "--font-path",
            CJK_FONTS,
        ],
    );
    assert!(!err.contains("no font has"), "{err}");
    assert_font_embedded(&dir.join("out3/plain.pdf"), "NotoSerifCJKsc-Regular");
}

#[test]
fn an_unknown_language_warns_once_and_keeps_english_words() {
    let dir = scratch("languages-unknown");
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
    std::fs::write(
        pack.join("brief.toml"),
        toml.replace("language = \"en\"", "language = \"sw\""),
    )
    .unwrap();
    let o = briefkit(&["check", pack.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert_eq!(
        err.matches("briefkit has no words for `sw`").count(),
        1,
        "{err}"
    );
    assert!(err.contains("brief.toml:"), "{err}");
    let doc = compose_pack(&pack);
    assert_eq!(doc.metadata.labels.sources, "Sources");
}

#[test]
fn numbering_sets_the_digits_and_direction_can_be_overridden() {
    let dir = scratch("languages-numbering");
    let pack = dir.join("pack");
    copy_pack(&example_named("mexico-trafficking-ar"), &pack);
    let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
    let toml = toml.replacen(
        "[brief]\n",
        "[brief]\nnumbering = \"arab\"\ndirection = \"ltr\"\n",
        1,
    );
    std::fs::write(pack.join("brief.toml"), &toml).unwrap();
    let doc = compose_pack(&pack);
    assert!(!doc.metadata.direction.is_rtl());
    assert!(
        doc.metadata.date_display.contains('٢'),
        "{}",
        doc.metadata.date_display
    );
    let displays: Vec<&str> = doc.statistics.iter().map(|s| s.display.as_str()).collect();
    assert!(displays.contains(&"٢٠٬٠٠٠"), "{displays:?}");
    // An unknown numbering system is a located error.
    std::fs::write(
        pack.join("brief.toml"),
        toml.replace("numbering = \"arab\"", "numbering = \"roman\""),
    )
    .unwrap();
    let o = briefkit(&["check", pack.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("`roman` is not a numbering system"), "{err}");
    assert!(err.contains("brief.toml:"), "{err}");
}

#[test]
fn a_passage_in_another_language_is_marked_in_the_pdf_and_epub() {
    // The examples mark the Spanish name of Mexico's human rights
    // commission: `<span lang="es">…</span>`.
    let dir = scratch("languages-span");
    let out = dir.join("out");
    build_with(
        &example_named("mexico-trafficking-ar"),
        &out,
        &["-f", "pdf,epub"],
    );
    let pdf = lopdf::Document::load(out.join("mexico-trafficking-ar.pdf")).unwrap();
    let spans: Vec<Vec<u8>> = pdf
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"S").and_then(lopdf::Object::as_name).ok() == Some(b"Span".as_slice()))
        .filter_map(|d| {
            d.get(b"Lang")
                .and_then(lopdf::Object::as_str)
                .ok()
                .map(<[u8]>::to_vec)
        })
        .collect();
    assert_eq!(spans, vec![b"es".to_vec()], "one Span with /Lang (es)");
    if let Some(text) = struct_text(&out.join("mexico-trafficking-ar.pdf")) {
        assert!(
            text.contains("Comisión Nacional de los Derechos Humanos"),
            "{text}"
        );
    }
    let page = entry(&out.join("mexico-trafficking-ar.epub"), "OEBPS/brief.xhtml");
    assert!(
        page.contains(
            "<span lang=\"es\" xml:lang=\"es\">Comisión Nacional de los Derechos Humanos</span>"
        ),
        "the EPUB does not mark the passage"
    );
    // A tag that is not BCP 47 keeps the text, unmarked, with a warning.
    let pack = dir.join("bad-tag");
    copy_pack(&example(), &pack);
    append_to_article(
        &pack,
        "Said in <span lang=\"not a tag\">otra lengua</span> here.",
    );
    let o = briefkit(&["check", pack.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("`not a tag` is not a BCP 47 language tag"),
        "{err}"
    );
    let doc = compose_pack(&pack);
    assert!(briefkit_model::text::reading_order(&doc)
        .iter()
        .any(|t| t.contains("Said in otra lengua here.")));
}

/// The `alt` attribute of the `<img>` showing `src` in an XHTML page.
fn img_alt(page: &str, src: &str) -> Option<String> {
    let at = page.find(&format!("src=\"{src}\""))?;
    let start = page[..at].rfind("<img")?;
    let tag = &page[start..start + page[start..].find('>')?];
    let alt = tag.split("alt=\"").nth(1)?.split('"').next()?;
    Some(
        alt.replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

#[test]
fn the_charts_description_is_in_the_briefs_language_in_every_format() {
    for name in [
        "mexico-trafficking-ar",
        "mexico-trafficking-zh",
        "mexico-trafficking",
    ] {
        let pack = example_named(name);
        let doc = compose_pack(&pack);
        let labels = &doc.metadata.labels;
        let alt = doc
            .blocks
            .iter()
            .find_map(|b| match b {
                briefkit_model::Block::Chart(c) => Some(c.alt.clone()),
                _ => None,
            })
            .expect("the example has a chart");
        let kind = labels.chart_titled.split("{title}").next().unwrap();
        assert!(alt.starts_with(kind), "{name}: {alt}");
        if name != "mexico-trafficking" {
            assert!(!alt.contains("Bar chart"), "{name}: {alt}");
        }
        if name.ends_with("-zh") {
            // Chinese full stops, colons and semicolons.
            assert!(
                !alt.contains([';', '.', ':']),
                "{name}: Latin punctuation in {alt}"
            );
        }
        let out = scratch(&format!("chart-alt-{name}"));
        build_with(&pack, &out, &[]);
        // PDF: the Figure's /Alt.
        let figures = pdf_struct_entries(&out.join(format!("{name}.pdf")), "Figure", "Alt");
        assert!(figures.contains(&alt), "{name}: {figures:?}");
        // EPUB: the image's alt and the SVG's title.
        let epub = out.join(format!("{name}.epub"));
        let page = entry(&epub, "OEBPS/brief.xhtml");
        assert_eq!(
            img_alt(&page, "chart.svg").as_deref(),
            Some(alt.as_str()),
            "{name}"
        );
        let svg = entry(&epub, "OEBPS/chart.svg");
        assert!(
            svg.contains(&format!(
                "<title>{}</title>",
                briefkit_package::escape(&alt)
            )),
            "{name}: {svg}"
        );
        // DOCX: the picture's description.
        let document = entry(&out.join(format!("{name}.docx")), "word/document.xml");
        assert!(
            document.contains(&format!("descr=\"{}\"", briefkit_package::escape(&alt))),
            "{name}: no descr {alt}"
        );
    }
}

#[test]
fn figures_carry_no_invisible_marks_and_quotes_stay_upright_where_the_script_has_no_italic() {
    for (name, italic) in [
        ("mexico-trafficking-ar", false),
        ("mexico-trafficking-zh", false),
        ("mexico-trafficking", true),
    ] {
        let out = scratch(&format!("languages-marks-{name}"));
        build_with(&example_named(name), &out, &[]);
        let epub = out.join(format!("{name}.epub"));
        let docx = out.join(format!("{name}.docx"));
        let page = entry(&epub, "OEBPS/brief.xhtml");
        let document = entry(&docx, "word/document.xml");
        // A search for "99%" finds the figure: no direction marks in it
        // (the EPUB isolates figures with dir="ltr" instead).
        for (what, text) in [("EPUB", &page), ("DOCX", &document)] {
            assert!(
                !text.contains(['\u{200E}', '\u{200F}', '\u{061C}']),
                "{name}: a direction mark in the {what}"
            );
            assert!(text.contains("99%"), "{name}: no 99% in the {what}");
        }
        assert_eq!(
            page.contains("class=\"stat\" dir=\"ltr\""),
            name.ends_with("-ar"),
            "{name}: figures isolated left to right in a right-to-left page only"
        );
        // Quotes: italic only where the script has italic, in all three.
        assert_eq!(
            page.contains("<body class=\"brief upright\">"),
            !italic,
            "{name}"
        );
        let css = entry(&epub, "OEBPS/stylesheet.css");
        assert!(css.contains(".upright blockquote { font-style: normal; }"));
        let styles = entry(&docx, "word/styles.xml");
        let quote = styles
            .split("<w:style ")
            .find(|s| s.contains("w:styleId=\"Quote\""))
            .unwrap();
        assert_eq!(quote.contains("<w:i/>"), italic, "{name}: {quote}");
        let (_, fonts) = run(
            "pdffonts",
            &[out.join(format!("{name}.pdf")).to_str().unwrap()],
        );
        assert_eq!(fonts.contains("Italic"), italic, "{name}: {fonts}");
        // The title is level 1 of the DOCX's outline, as in the PDF and EPUB.
        let title = styles
            .split("<w:style ")
            .find(|s| s.contains("w:styleId=\"Title\""))
            .unwrap();
        assert!(
            title.contains("<w:outlineLvl w:val=\"0\"/>"),
            "{name}: {title}"
        );
    }
}

/// The words of each line of `pdftotext -layout`, with the columns (in
/// characters) where each starts and ends.
fn layout_words(text: &str) -> Vec<Vec<(usize, usize, String)>> {
    text.lines()
        .map(|line| {
            let chars: Vec<char> = line.chars().collect();
            let mut words = Vec::new();
            let mut i = 0;
            while i < chars.len() {
                if chars[i].is_whitespace() {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() {
                    i += 1;
                }
                words.push((start, i, chars[start..i].iter().collect()));
            }
            words
        })
        .collect()
}

/// The pieces of `token` broken across two lines of a table in the
/// layout text: a word that is a strict start of the token, with the rest
/// of it on the next line, aligned at the same start or end column.
fn broken(lines: &[Vec<(usize, usize, String)>], token: &str) -> Option<String> {
    for pair in lines.windows(2) {
        for (start, end, word) in &pair[0] {
            let Some(rest) = token.strip_prefix(word.as_str()) else {
                continue;
            };
            if rest.is_empty() {
                continue;
            }
            let below = pair[1]
                .iter()
                .find(|(s, e, w)| w == rest && (s.abs_diff(*start) <= 1 || e.abs_diff(*end) <= 1));
            if below.is_some() {
                return Some(format!("{word} / {rest}"));
            }
        }
    }
    None
}

#[test]
fn docx_tables_break_no_number_or_word_and_name_each_scripts_language() {
    if !have("soffice", &["--version"]) || !have("pdftotext", &["-v"]) {
        return;
    }
    let dir = scratch("languages-docx-tables");
    let mut cases = vec![(
        root().join("examples/country-briefs"),
        "country-briefs-HND".to_string(),
    )];
    for name in [
        "mexico-trafficking-ar",
        "mexico-trafficking-zh",
        "mexico-trafficking",
    ] {
        cases.push((example_named(name), name.to_string()));
    }
    for (pack, name) in cases {
        let out = dir.join(&name);
        let row: &[&str] = if name.ends_with("-HND") {
            &["--row", "HND"]
        } else {
            &[]
        };
        build_with(&pack, &out, &[&["-f", "docx"][..], row].concat());
        let docx = out.join(format!("{name}.docx"));
        // Every figure, period and heading of the statistics table, in
        // LibreOffice's rendering, on one line.
        let doc = briefkit_test_support::compose_row(&pack, row.get(1).copied());
        let mut tokens: Vec<String> = Vec::new();
        let labels = &doc.metadata.labels;
        for word in [&labels.value, &labels.period, &labels.source] {
            tokens.extend(word.split_whitespace().map(str::to_string));
        }
        for block in &doc.blocks {
            if let briefkit_model::Block::StatisticsTable { rows } = block {
                for r in rows {
                    for text in [&r.value, &r.period] {
                        tokens.extend(text.split_whitespace().map(str::to_string));
                    }
                }
            }
        }
        tokens.retain(|t| t.chars().count() > 1);
        let pdf = libreoffice_pdf(&docx, &format!("languages-docx-tables-{name}-lo"));
        let (_, text) = run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
        let lines = layout_words(&text);
        for token in &tokens {
            assert_eq!(
                broken(&lines, token),
                None,
                "{name}: `{token}` broken in:\n{text}"
            );
        }
        // The styles' languages: Latin text is never tagged Chinese or
        // Arabic; East Asian text has its region.
        let styles = entry(&docx, "word/styles.xml");
        let want = match name.as_str() {
            "mexico-trafficking-zh" => {
                "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>"
            }
            "mexico-trafficking-ar" => {
                "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar\"/>"
            }
            _ => "<w:lang w:val=\"en\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>",
        };
        assert!(styles.contains(want), "{name}: no {want}");
        // The Spanish passage keeps its language (it is in a footnote).
        if !name.ends_with("-HND") {
            let notes = entry(&docx, "word/footnotes.xml");
            let at = notes
                .find("<w:lang w:val=\"es\"/>")
                .unwrap_or_else(|| panic!("{name}: no es"));
            assert!(
                notes[at..].starts_with(
                    "<w:lang w:val=\"es\"/></w:rPr><w:t xml:space=\"preserve\">Comisión"
                ),
                "{name}"
            );
            assert!(!notes.contains("cstheme"), "{name}: the carrier is left");
        }
        // Tables: no vertical or box lines; rows ruled in the rule colour.
        let document = entry(&docx, "word/document.xml");
        let black_line = document
            .split('<')
            .any(|e| e.contains("w:val=\"single\"") && e.contains("w:color=\"000000\""));
        assert!(!black_line, "{name}: a black line in a table");
        let rule = briefkit_model::theme::LOOK.table.rule;
        assert!(
            document.contains(&format!(
                "<w:insideH w:val=\"single\" w:sz=\"{}\" w:space=\"0\" w:color=\"{}\"/>",
                ((rule.0 * 8.0).round() as u32).max(2),
                rule.1.hex()
            )),
            "{name}"
        );
    }
}

/// Checks what a screen reader and a keyboard user get from the links of
/// a PDF: each link's description is its logical text (a piece of the
/// brief as written, never its glyphs in visual order, never a space
/// between two Chinese characters or inside a URL), and each link is one
/// annotation a line, with QuadPoints inside its rectangle, never of zero
/// width.
fn assert_links_right(pdf: &Path, doc: &briefkit_model::Document, what: &str) {
    let annotations = pdf_link_annotations(pdf);
    assert!(!annotations.is_empty(), "{what}: no links");
    // Every text of the brief, as the model holds it, and the words a
    // link is announced by.
    let mut corpus = serde_json::to_string(doc).unwrap();
    for n in 1..=30 {
        let n = n.to_string();
        corpus.push_str(&doc.metadata.labels.source_n(&n));
        corpus.push('\n');
        corpus.push_str(&doc.metadata.labels.note_n(&n));
        corpus.push('\n');
    }
    let cjk = |c: char| briefkit_model::text::is_wide(c);
    for a in &annotations {
        let c = &a.contents;
        assert!(
            !c.is_empty() && c.trim() == c && !c.contains("  "),
            "{what}: `{c}`"
        );
        assert!(
            corpus.contains(c.as_str()),
            "{what}: `{c}` is not the brief's text"
        );
        let chars: Vec<char> = c.chars().collect();
        for w in chars.windows(3) {
            assert!(
                !(w[1] == ' ' && cjk(w[0]) && cjk(w[2])),
                "{what}: a space between Chinese characters in `{c}`"
            );
        }
        let [left, bottom, right, top] = a.rect;
        assert!(
            right - left > 0.5 && top - bottom > 0.5,
            "{what}: `{c}` has no area"
        );
        assert!(
            !a.quads.is_empty() && a.quads.len() % 8 == 0,
            "{what}: `{c}` quads"
        );
        for q in a.quads.chunks(2) {
            assert!(
                q[0] >= left - 0.5
                    && q[0] <= right + 0.5
                    && q[1] >= bottom - 0.5
                    && q[1] <= top + 0.5,
                "{what}: `{c}`: a quad outside its rectangle"
            );
        }
    }
    // One annotation a line for each link: no two of one element on the
    // same line.
    for (i, a) in annotations.iter().enumerate() {
        for b in &annotations[i + 1..] {
            let same_line = a.page == b.page && a.rect[1] < b.rect[3] && b.rect[1] < a.rect[3];
            assert!(
                !(a.element.is_some() && a.element == b.element && same_line),
                "{what}: two annotations on one line for `{}`",
                a.contents
            );
        }
    }
}

#[test]
fn chinese_pdf_text_has_no_space_where_the_text_has_none() {
    // The quarter em between Chinese and a number is spacing, not a space
    // of the text: the glyph before it is drawn from a wide form of its
    // face whose advance takes the quarter em, so no reader sees a gap to
    // read as a space — pdf.js and mutool included, which ignore
    // /ActualText — and all read `2005年1月至8月`, not `2005 年 1 月`.
    // (At the edge of a linked figure, `约有 3,000`, the gap is between
    // two elements' runs: only the structure text has no space there; see
    // the README.)
    let name = "mexico-trafficking-zh";
    let out = scratch("languages-cjk-spacing");
    build_with(&example_named(name), &out, &["-f", "pdf"]);
    let pdf = out.join(format!("{name}.pdf"));
    let mut reads: Vec<(&str, String)> = Vec::new();
    if have("pdftotext", &["-v"]) {
        let (ok, text) = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        assert!(ok, "{text}");
        reads.push(("pdftotext", text));
    }
    if let Some(text) = struct_text(&pdf) {
        // An element a line (a linked figure is one of its own).
        reads.push(("pdfinfo -struct-text", text.replace('\n', "")));
    }
    if let Some(text) = mutool_text(&pdf) {
        reads.push(("mutool", text));
    }
    if let Some(js) = pdfjs_dump(&pdf) {
        let lines: Vec<String> = js["pages"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["lines"].as_array().unwrap().clone())
            .map(|l| l.as_str().unwrap_or_default().to_string())
            .collect();
        reads.push(("pdf.js", lines.join("\n")));
    }
    for (reader, text) in &reads {
        assert!(text.contains("2005年1月至8月"), "{reader}:\n{text}");
        assert!(!text.contains("2005 年"), "{reader}:\n{text}");
        assert!(text.contains("2026年11月28日"), "{reader}:\n{text}");
    }
    if let Some((_, text)) = reads.iter().find(|r| r.0 == "pdfinfo -struct-text") {
        assert!(text.contains("约有3,000"), "{text}");
    }
    assert!(
        reads.len() == 4 || !in_ci(),
        "poppler, mutool or pdf.js is missing"
    );
    // PDFium takes it inside a run (a figure's edge it still reads as a
    // space: see the README).
    if let Some(pages) = pdfium_text(&pdf) {
        let text = pages.concat();
        assert!(text.contains("2005年1月至8月"), "PDFium:\n{text}");
        assert!(!text.contains("2005 年"), "PDFium:\n{text}");
    }
}

/// The text mutool reads from a PDF (`mutool draw -F txt`: on stdout; it
/// warns on stderr), if mutool is installed.
fn mutool_text(pdf: &Path) -> Option<String> {
    if !have("mutool", &["-v"]) {
        return None;
    }
    let o = std::process::Command::new("mutool")
        .args(["draw", "-F", "txt", "-o", "-"])
        .arg(pdf)
        .output()
        .unwrap();
    assert!(o.status.success(), "mutool: {o:?}");
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

#[test]
fn every_reader_reads_every_brief_in_reading_order() {
    // pdf.js puts each run of glyphs shown in one direction in reading
    // order itself; a line that mixes Arabic with Latin names and digits
    // ("28 نوفمبر 2026", "(IOM)") is read right only when the PDF shows
    // the line's runs one direction at a time, in reading order. Each
    // paragraph, heading, list item and table cell of the structure tree
    // as pdf.js reads it must be text of the brief (the EPUB's, which
    // Chromium shows right), white space aside (pdf.js makes its own).
    //
    // poppler's structure text and mutool's text take the glyphs in the
    // order they are drawn: right for every language but Arabic, which
    // they read reversed (they have no bidi step; see the README).
    let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for (pack, name, extra) in [
        (
            example_named("mexico-trafficking"),
            "mexico-trafficking",
            None,
        ),
        (
            example_named("mexico-trafficking-ar"),
            "mexico-trafficking-ar",
            None,
        ),
        (
            example_named("mexico-trafficking-zh"),
            "mexico-trafficking-zh",
            None,
        ),
        (
            root().join("tests/fixtures/packs/json-spanish"),
            "json-spanish",
            None,
        ),
        (
            root().join("examples/country-briefs"),
            "country-briefs-GTM",
            Some("GTM"),
        ),
    ] {
        let out = scratch(&format!("languages-reading-order-{name}"));
        let mut options = vec!["-f", "pdf,epub"];
        if let Some(row) = extra {
            options.extend(["--row", row]);
        }
        build_with(&pack, &out, &options);
        let pdf = out.join(format!("{name}.pdf"));
        let epub = out.join(format!("{name}.epub"));
        let brief = squeeze(&xhtml_text(&entry(&epub, "OEBPS/brief.xhtml")));
        if !name.ends_with("-ar") {
            // Each element's text as poppler reads it, and each word
            // mutool reads: the brief's, in order (a twentieth may be the
            // PDF's own: "Page 1 of 3", a chart's labels, a hyphenated
            // word's first half, a note's number).
            let mut reads: Vec<(&str, Vec<String>)> = Vec::new();
            if let Some(text) = struct_text(&pdf) {
                reads.push(("pdfinfo -struct-text", text.lines().map(squeeze).collect()));
            }
            if let Some(text) = mutool_text(&pdf) {
                reads.push((
                    "mutool",
                    text.split_whitespace().map(str::to_string).collect(),
                ));
            }
            assert!(reads.len() == 2 || !in_ci(), "poppler or mutool is missing");
            for (reader, pieces) in reads {
                let pieces: Vec<String> = pieces
                    .into_iter()
                    .filter(|p| p.chars().count() >= 3)
                    .collect();
                let wrong: Vec<&String> = pieces
                    .iter()
                    .filter(|p| !brief.contains(p.as_str()))
                    .collect();
                assert!(pieces.len() > 30, "{name}: {reader} read {}", pieces.len());
                assert!(
                    wrong.len() * 20 <= pieces.len(),
                    "{name}: {reader} reads {} of {} pieces that are not the brief's: {wrong:?}",
                    wrong.len(),
                    pieces.len()
                );
            }
        }
        let Some(js) = pdfjs_dump(&pdf) else {
            return;
        };
        let mut checked = 0;
        let mut wrong = Vec::new();
        for element in js["pages"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["elements"].as_array().unwrap().clone())
        {
            let role = element["role"].as_str().unwrap_or_default();
            if !matches!(role, "P" | "H1" | "H2" | "H3" | "LBody" | "TD" | "TH") {
                continue;
            }
            let text = squeeze(element["text"].as_str().unwrap_or_default());
            if text.chars().count() < 3 {
                continue;
            }
            checked += 1;
            if !brief.contains(&text) {
                wrong.push(format!("{role}: {text}"));
            }
        }
        assert!(checked > 20, "{name}: only {checked} elements read");
        // PDFium (Chrome) puts each line in reading order itself (and
        // places brackets, bullets and list numbers by its own rules: see
        // the README): every word it reads is a word of the brief, none
        // reversed (Chinese has no words to split: its lines are checked
        // in chinese_pdf_text_has_no_space_where_the_text_has_none).
        let pdfium = if name.ends_with("-zh") {
            None
        } else {
            pdfium_text(&pdf)
        };
        if let Some(pages) = pdfium {
            // Letters (Arabic's without their marks), three or more.
            let is_mark = |c: char| matches!(c, '\u{64b}'..='\u{65f}' | '\u{670}');
            let words = |t: &str| -> Vec<String> {
                t.split(|c: char| !c.is_alphabetic() && !is_mark(c))
                    .map(|w| w.chars().filter(|c| !is_mark(*c)).collect::<String>())
                    .filter(|w| w.chars().count() >= 3)
                    .collect()
            };
            let known: std::collections::HashSet<String> =
                words(&xhtml_text(&entry(&epub, "OEBPS/brief.xhtml")))
                    .into_iter()
                    .collect();
            let read: Vec<String> = pages.iter().flat_map(|p| words(p)).collect();
            let unknown: Vec<&String> = read.iter().filter(|w| !known.contains(*w)).collect();
            assert!(read.len() > 50, "{name}: PDFium read {} words", read.len());
            // (An eighth may be the PDF's own: units of key figures, table
            // headers, the page footer; in a one-page brief that is many.)
            let reversed: Vec<&&String> = unknown
                .iter()
                .filter(|w| known.contains(&w.chars().rev().collect::<String>()))
                .collect();
            assert!(
                unknown.len() * 8 <= read.len() && reversed.is_empty(),
                "{name}: PDFium reads {} of {} words that are not the brief's ({} reversed): {unknown:?}",
                unknown.len(),
                read.len(),
                reversed.len()
            );
        }
        assert!(
            wrong.is_empty(),
            "{name}: pdf.js reads {} of {checked} elements out of order:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}

#[test]
fn every_link_is_named_by_its_logical_text_and_is_one_annotation_a_line() {
    for name in [
        "mexico-trafficking",
        "mexico-trafficking-ar",
        "mexico-trafficking-zh",
    ] {
        let pack = example_named(name);
        let out = scratch(&format!("languages-links-{name}"));
        build_with(&pack, &out, &["-f", "pdf"]);
        let doc = compose_pack(&pack);
        let pdf = out.join(format!("{name}.pdf"));
        assert_links_right(&pdf, &doc, name);
        // The figures' markers and the footnote marks are announced in
        // the brief's words.
        let contents: Vec<String> = pdf_link_annotations(&pdf)
            .into_iter()
            .map(|a| a.contents)
            .collect();
        let labels = &doc.metadata.labels;
        assert!(
            contents.contains(&labels.source_n("5")),
            "{name}: {contents:?}"
        );
        assert!(
            contents.contains(&labels.note_n("1")),
            "{name}: {contents:?}"
        );
        assert!(
            contents.contains(&"www.iom.int".to_string()),
            "{name}: {contents:?}"
        );
        // pdf.js reads the same: each annotation's description and its
        // quad points, page by page.
        if let Some(js) = pdfjs_dump(&pdf) {
            let seen: Vec<(String, bool)> = js["pages"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|p| p["annotations"].as_array().unwrap().clone())
                .map(|a| {
                    let quads = a["quadPoints"]
                        .as_array()
                        .is_some_and(|q| !q.is_empty() && q.len() % 8 == 0);
                    (
                        a["contents"].as_str().unwrap_or_default().to_string(),
                        quads,
                    )
                })
                .collect();
            let expected: Vec<(String, bool)> =
                contents.iter().map(|c| (c.clone(), true)).collect();
            assert_eq!(seen, expected, "{name}: what pdf.js reads of the links");
        }
    }
    // A brief with contents: an entry's link runs to its page number, one
    // annotation for its last line.
    let dir = scratch("languages-links-toc");
    let pack = dir.join("pack");
    copy_pack(&example_named("mexico-trafficking"), &pack);
    let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
    std::fs::write(
        pack.join("brief.toml"),
        toml.replace("[output]\n", "[output]\ntoc = true\n"),
    )
    .unwrap();
    build_with(&pack, &dir.join("out"), &["-f", "pdf"]);
    let doc = compose_pack(&pack);
    assert_links_right(&dir.join("out/pack.pdf"), &doc, "contents");
    // A batch brief, with its own figures.
    let out = scratch("languages-links-country");
    let pack = root().join("examples/country-briefs");
    build_with(&pack, &out, &["-f", "pdf", "--row", "GTM"]);
    let doc = briefkit_test_support::compose_row(&pack, Some("GTM"));
    assert_links_right(
        &out.join("country-briefs-GTM.pdf"),
        &doc,
        "country-briefs-GTM",
    );
}

/// Every node of a Pandoc JSON AST with its type (`t`), depth first.
fn pandoc_nodes<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
    match v {
        serde_json::Value::Object(map) => {
            if map.contains_key("t") {
                out.push(v);
            }
            map.values().for_each(|x| pandoc_nodes(x, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|x| pandoc_nodes(x, out)),
        _ => {}
    }
}

#[test]
fn pandoc_reads_back_the_outline_lists_notes_tables_and_languages() {
    if !have("pandoc", &["--version"]) {
        return;
    }
    for name in [
        "mexico-trafficking",
        "mexico-trafficking-ar",
        "mexico-trafficking-zh",
    ] {
        let out = scratch(&format!("languages-pandoc-{name}"));
        build_with(&example_named(name), &out, &["-f", "epub,docx"]);
        let doc = compose_pack(&example_named(name));
        let sections = doc.headings().len();
        for ext in ["docx", "epub"] {
            let file = out.join(format!("{name}.{ext}"));
            let json: serde_json::Value =
                serde_json::from_str(&pandoc(&file, ext, "json")).unwrap();
            let mut nodes = Vec::new();
            pandoc_nodes(&json["blocks"], &mut nodes);
            let of = |t: &str| {
                nodes
                    .iter()
                    .filter(|n| n["t"] == t)
                    .copied()
                    .collect::<Vec<_>>()
            };
            // The title at level 1 and the sections below it, as in the PDF.
            let levels: Vec<i64> = of("Header")
                .iter()
                .map(|h| h["c"][0].as_i64().unwrap())
                .collect();
            assert_eq!(levels.first(), Some(&1), "{name}.{ext}: {levels:?}");
            assert!(
                levels[1..].iter().all(|l| *l >= 2),
                "{name}.{ext}: {levels:?}"
            );
            assert!(levels.len() > sections, "{name}.{ext}: {levels:?}");
            // The sources are a numbered list; lists keep their numbers.
            assert!(
                of("OrderedList").len() >= 2,
                "{name}.{ext}: no numbered lists"
            );
            // The footnote is a note; tables keep their header rows.
            assert_eq!(of("Note").len(), 1, "{name}.{ext}");
            let tables = of("Table");
            let headed = tables
                .iter()
                .filter(|t| t["c"][3][1].as_array().is_some_and(|rows| !rows.is_empty()))
                .count();
            // Every data table has its header row (the DOCX's key-figure
            // cards are a table of their own, without one).
            let cards = usize::from(ext == "docx");
            assert_eq!(
                headed + cards,
                tables.len(),
                "{name}.{ext}: a table without its header row"
            );
            assert!(
                headed >= 2,
                "{name}.{ext}: {headed} tables with header rows"
            );
            // The Spanish passage keeps its language in the EPUB.
            if ext == "epub" {
                let spans = of("Span");
                assert!(
                    spans
                        .iter()
                        .any(|s| s["c"][0][2].to_string().contains("\"lang\",\"es\"")),
                    "{name}.{ext}: no lang=es span"
                );
            }
        }
    }
}

#[test]
fn a_cjk_face_without_bold_or_of_another_region_is_said_once_and_named_alike_everywhere() {
    let cjk = std::path::Path::new(CJK_FONTS).join("NotoSansCJK-Regular.ttc");
    if !have("python3", &["-c", "import fontTools"]) || !cjk.is_file() {
        assert!(
            may_skip_validators(),
            "fontTools or {} is missing",
            cjk.display()
        );
        return;
    }
    let dir = scratch("languages-cjk-shortfall");
    // One face, Simplified Chinese's, regular only (as a machine with
    // only one CJK font may have).
    let fonts = dir.join("fonts");
    std::fs::create_dir(&fonts).unwrap();
    let script = format!(
        "from fontTools.ttLib import TTCollection\nTTCollection('{}').fonts[2].save('{}')",
        cjk.display(),
        fonts.join("sc.otf").display()
    );
    let (ok, text) = run("python3", &["-c", &script]);
    assert!(ok, "{text}");
    for (language, says) in [
        (
            "zh",
            "which has no bold: headings and figures in it lose their weight",
        ),
        (
            "zh-Hant",
            "which has no bold and is not made for `zh-Hant` (TC faces are)",
        ),
    ] {
        let pack = dir.join(format!("pack-{language}"));
        copy_pack(&example_named("mexico-trafficking-zh"), &pack);
        let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
        std::fs::write(
            pack.join("brief.toml"),
            toml.replace("language = \"zh\"", &format!("language = \"{language}\"")),
        )
        .unwrap();
        let out = dir.join(format!("out-{language}"));
        let o = briefkit_build(
            &pack,
            &out,
            &[
                "-f",
                "pdf,docx",
                "--ignore-system-fonts",
                "--font-path",
                fonts.to_str().unwrap(),
            ],
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        let warning =
            format!("the Chinese, Japanese and Korean text is set in Noto Sans CJK SC, {says}");
        assert_eq!(err.matches(&warning).count(), 1, "{language}: {err}");
        // Placed at the brief's first such text: the title's setting.
        let title_line = toml
            .lines()
            .position(|l| l.starts_with("title = "))
            .unwrap()
            + 1;
        assert!(
            err.contains(&format!("brief.toml:{title_line}:")),
            "{language}: not located: {err}"
        );
        // The DOCX names the face the PDF uses, for serif and sans alike.
        let name = pack.file_name().unwrap().to_str().unwrap();
        let styles = entry(&out.join(format!("{name}.docx")), "word/styles.xml");
        assert!(
            !styles.contains("w:eastAsia=\"Noto Serif CJK"),
            "{language}: the DOCX names a face the PDF has not"
        );
        assert!(
            styles.contains("w:eastAsia=\"Noto Sans CJK SC\""),
            "{language}"
        );
    }
    // With Noto CJK whole, no word is said.
    let out = dir.join("out-whole");
    let err = build_with(
        &example_named("mexico-trafficking-zh"),
        &out,
        &["-f", "pdf"],
    );
    assert!(
        !err.contains("Chinese, Japanese and Korean text is set in"),
        "{err}"
    );
}
