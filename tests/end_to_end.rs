//! End-to-end: the CLI on the example pack, checked with the real
//! validators (EPUBCheck 4 and 5, qpdf, poppler, LibreOffice, python-docx).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;

/// The values, source names and title a reader must find in every output.
fn expected_texts() -> Vec<String> {
    let mut v = vec![
        "Practical Approaches to Combating Human".to_string(),
        "3,000".into(),
        "20,000".into(),
        "99%".into(),
        "270".into(),
        "1,336".into(),
        "531".into(),
        "UNICEF".into(),
        "(ECLAC)".into(),
        "(INEGI)".into(),
        "(DIF)".into(),
        "IOM Mexico".into(),
        "jartola@iom.int".into(),
    ];
    v.push("Tapachula".into());
    v
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Builds the example into a directory of the test's own (tests run in parallel).
fn built(test: &str) -> std::path::PathBuf {
    let out = scratch(&format!("e2e-{test}"));
    build(&example(), &out);
    out
}

#[test]
fn build_writes_three_files_named_after_the_pack() {
    let out = built("build_writes_three_files_named_after_the_pack");
    for ext in ["pdf", "epub", "docx"] {
        let p = out.join(format!("mexico-trafficking.{ext}"));
        let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        assert!(
            len > 1000,
            "{} is missing or tiny ({len} bytes)",
            p.display()
        );
    }
}

#[test]
fn rebuilding_gives_identical_bytes() {
    let a = scratch("e2e-determinism-a");
    let b = scratch("e2e-determinism-b");
    build(&example(), &a);
    build(&example(), &b);
    for ext in ["pdf", "epub", "docx"] {
        let name = format!("mexico-trafficking.{ext}");
        let x = std::fs::read(a.join(&name)).unwrap();
        let y = std::fs::read(b.join(&name)).unwrap();
        assert!(x == y, "{name} differs between two builds");
    }
}

#[test]
fn source_date_epoch_sets_the_date_of_a_pack_without_one() {
    let pack = scratch("e2e-sde/pack");
    copy_pack(&example(), &pack);
    let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
    std::fs::write(
        pack.join("brief.toml"),
        toml.replace("date = \"2026-11-28\"\n", ""),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_briefkit"))
        .args(["ast", pack.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", "1136073600")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["metadata"]["date"], "2006-01-01");
}

#[test]
fn epub_passes_epubcheck_4_and_5_with_no_errors_or_warnings() {
    let out = built("epub_passes_epubcheck_4_and_5_with_no_errors_or_warnings");
    let epub = out.join("mexico-trafficking.epub");
    assert_epubcheck_clean(&epub);
}

#[test]
fn epub_is_stored_mimetype_first() {
    let out = built("epub_is_stored_mimetype_first");
    let bytes = std::fs::read(out.join("mexico-trafficking.epub")).unwrap();
    // Local file header: name at 30, compression method at 8 (0 = stored).
    assert_eq!(&bytes[30..38], b"mimetype");
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 0);
    assert_eq!(&bytes[38..58], b"application/epub+zip");
}

#[test]
fn pdf_passes_qpdf_and_pdftotext_finds_every_figure_and_source() {
    let out = built("pdf_passes_qpdf_and_pdftotext_finds_every_figure_and_source");
    let pdf = out.join("mexico-trafficking.pdf");
    if have("qpdf", &["--version"]) {
        let (ok, text) = run("qpdf", &["--check", pdf.to_str().unwrap()]);
        assert!(
            ok && text.contains("No syntax or stream encoding errors"),
            "qpdf --check:\n{text}"
        );
    }
    if have("pdftotext", &["-v"]) {
        let (ok, text) = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        assert!(ok);
        let text = normalise(&text);
        for want in expected_texts() {
            assert!(text.contains(&want), "pdftotext output lacks `{want}`");
        }
        // Characters beyond ASCII copy out exactly.
        for want in ["Mexico’s", "Yucatán", "January–August", "Comisión"] {
            assert!(text.contains(want), "pdftotext output lacks `{want}`");
        }
    }
    if have("pdffonts", &["-v"]) {
        let (_, text) = run("pdffonts", &[pdf.to_str().unwrap()]);
        assert!(text.contains("NotoSerif-Regular"), "{text}");
        for line in text.lines().skip(2) {
            assert!(line.contains(" yes "), "font not embedded: {line}");
        }
    }
}

#[test]
fn docx_converts_with_libreoffice_and_python_docx_reads_heading_styles() {
    let out = built("docx_converts_with_libreoffice_and_python_docx_reads_heading_styles");
    let docx = out.join("mexico-trafficking.docx");
    if have("python3", &["-c", "import docx"]) {
        let script = root().join("tests/scripts/docx_read.py");
        let (ok, text) = run(
            "python3",
            &[script.to_str().unwrap(), docx.to_str().unwrap()],
        );
        assert!(ok, "python-docx failed:\n{text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["title"],
            "Practical Approaches to Combating Human Trafficking in Mexico"
        );
        assert_eq!(v["language"], "en");
        let paragraphs = v["paragraphs"].as_array().unwrap();
        let heading = |t: &str| {
            paragraphs
                .iter()
                .find(|p| p["text"] == t)
                .map(|p| p["style"].as_str().unwrap_or("").to_string())
        };
        assert_eq!(heading("Who took part").as_deref(), Some("Heading 2"));
        assert_eq!(heading("Sources").as_deref(), Some("Heading 2"));
        assert_eq!(
            heading("Practical Approaches to Combating Human Trafficking in Mexico").as_deref(),
            Some("Title")
        );
        assert_eq!(v["footnotes"], 1);
        for level in 1..=3 {
            assert_eq!(
                v["keep_with_next"][format!("Heading {level}")],
                true,
                "Heading {level} must keep with next"
            );
        }
        let descr = v["images_descr"].as_array().unwrap();
        assert!(
            descr[0]
                .as_str()
                .unwrap()
                .starts_with("Bar chart: Human trafficking cases"),
            "{descr:?}"
        );
        assert!(
            v["tables"].as_array().unwrap().len() >= 3,
            "key figures, article table, chart data, statistics"
        );
    }
    if have("soffice", &["--version"]) {
        let pdf = libreoffice_pdf(&docx, "e2e-lo");
        if have("pdftotext", &["-v"]) {
            let (_, text) = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
            let text = normalise(&text);
            for want in expected_texts() {
                assert!(
                    text.contains(&want),
                    "LibreOffice's PDF of the DOCX lacks `{want}`"
                );
            }
        }
    }
}

#[test]
fn docx_line_spacing_never_clips_pictures() {
    // LibreOffice reads a `w:line` without `w:lineRule` as an exact height,
    // which clipped the chart picture to one text line.
    let out = built("docx_line_spacing_never_clips_pictures");
    let bytes = std::fs::read(out.join("mexico-trafficking.docx")).unwrap();
    let styles = String::from_utf8(unzip_entry(&bytes, "word/styles.xml")).unwrap();
    for spacing in styles.split("<w:spacing ").skip(1) {
        let spacing = spacing.split("/>").next().unwrap_or("");
        if spacing.contains("w:line=") {
            assert!(
                spacing.contains("w:lineRule=\"auto\""),
                "w:spacing {spacing} has no auto line rule"
            );
        }
    }
}

#[test]
fn epub_text_contains_every_figure_and_source() {
    let out = built("epub_text_contains_every_figure_and_source");
    let bytes = std::fs::read(out.join("mexico-trafficking.epub")).unwrap();
    let text = String::from_utf8_lossy(&unzip_entry(&bytes, "OEBPS/brief.xhtml")).into_owned();
    let stripped = normalise(&xhtml_text(&text));
    for want in expected_texts() {
        assert!(stripped.contains(&want), "brief.xhtml lacks `{want}`");
    }
}

/// Reads one entry of a zip with `unzip -p` (present wherever the tests run).
fn unzip_entry(zip: &[u8], name: &str) -> Vec<u8> {
    let dir = scratch("e2e-unzip");
    let path = dir.join("a.zip");
    std::fs::write(&path, zip).unwrap();
    let o = std::process::Command::new("unzip")
        .args(["-p", path.to_str().unwrap(), name])
        .output()
        .expect("unzip");
    assert!(o.status.success(), "unzip {name}");
    o.stdout
}

#[test]
fn ast_prints_the_model_as_json() {
    let v = ast(&example(), &[]);
    assert_eq!(v["metadata"]["language"], "en");
    assert_eq!(v["statistics"].as_array().unwrap().len(), 7);
    let types = block_types(&v);
    for t in [
        "cover",
        "key_figures",
        "heading",
        "paragraph",
        "list",
        "quote",
        "table",
        "chart",
        "statistics_table",
        "sources",
        "contact",
    ] {
        assert!(types.iter().any(|x| x == t), "no `{t}` block in the model");
    }
}

#[test]
fn every_figure_in_the_example_prose_comes_from_a_statistic() {
    // Outside {{stat}} calls the article may hold years and list numbers only.
    let article = std::fs::read_to_string(example().join("article.md")).unwrap();
    let mut prose = String::new();
    let mut rest = article.as_str();
    while let Some(i) = rest.find("{{") {
        prose.push_str(&rest[..i]);
        rest = rest[i..].split_once("}}").map_or("", |(_, r)| r);
    }
    prose.push_str(rest);
    for line in prose.lines() {
        let line = line.trim_start();
        let body = line
            .split_once(". ")
            .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
            .map_or(line, |(_, b)| b);
        let mut number = String::new();
        for c in body.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_digit() {
                number.push(c);
            } else if !number.is_empty() {
                let year =
                    number.len() == 4 && (number.starts_with("19") || number.starts_with("20"));
                assert!(
                    year,
                    "a number typed into the prose: `{number}` in `{line}`"
                );
                number.clear();
            }
        }
    }
}

#[test]
fn new_makes_a_starter_pack_that_builds() {
    let dir = scratch("e2e-new");
    let pack = dir.join("starter");
    let o = briefkit(&["new", pack.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    build(&pack, &pack.join("out"));
    assert!(pack.join("out/starter.pdf").is_file());
    // A second `new` into the same, now non-empty, directory is refused.
    let again = briefkit(&["new", pack.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn a_single_markdown_file_with_front_matter_is_a_pack() {
    let dir = scratch("e2e-single");
    let md = dir.join("note.md");
    std::fs::write(
        &md,
        "---\ntitle: A one-file brief\nlanguage: fr\ndate: 2026-03-01\nstatistics:\n  - id: people\n    value: 20000\n    label: Personnes aidées\n    source: Agence\n---\n\n## Résumé\n\nL’agence a aidé {{stat \"people\"}} personnes.\n",
    )
    .unwrap();
    let o = briefkit(&["build", md.to_str().unwrap(), "-f", "pdf,epub"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(dir.join("out/note.pdf").is_file());
    assert!(dir.join("out/note.epub").is_file());
    assert!(!dir.join("out/note.docx").exists(), "-f limits the formats");
    let ast = briefkit(&["ast", md.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&ast.stdout);
    assert!(text.contains("20\u{202f}000"), "French grouping: {text}");
}

#[test]
fn pdftotext_shows_every_paragraph_figure_and_source() {
    let out = built("pdftotext_shows_every_paragraph_figure_and_source");
    assert_pdf_text_in_reading_order(
        &out.join("mexico-trafficking.pdf"),
        &compose_pack(&example()),
    );
}

#[test]
fn pdf_outline_nests_subsections_and_pages_are_labelled() {
    if !have("qpdf", &["--version"]) {
        return;
    }
    let out = scratch("e2e-outline");
    build(&root().join("tests/fixtures/packs/json-spanish"), &out);
    let pdf = out.join("json-spanish.pdf");
    let (ok, json) = run(
        "qpdf",
        &[
            "--json",
            "--json-key=outlines",
            "--json-key=pagelabels",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(ok, "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let outlines = v["outlines"].as_array().unwrap();
    let section = outlines
        .iter()
        .find(|o| o["title"] == "Lo que dicen las cifras")
        .expect("section in the outline");
    assert_eq!(
        section["kids"][0]["title"], "Por qué pocos casos llegan a juicio",
        "{section}"
    );
    assert!(
        outlines
            .iter()
            .all(|o| o["destpageposfrom1"].as_u64().is_some()),
        "every entry has a destination"
    );
    assert_eq!(v["pagelabels"][0]["label"]["/S"], "/D");
    let (_, trailer) = run("qpdf", &["--show-object=trailer", pdf.to_str().unwrap()]);
    let root_id = trailer
        .split("/Root ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap();
    let (_, catalog) = run(
        "qpdf",
        &[&format!("--show-object={root_id}"), pdf.to_str().unwrap()],
    );
    assert!(
        catalog.contains("/PageMode /UseOutlines"),
        "the outline opens on display: {catalog}"
    );
    assert!(catalog.contains("/Lang (es)"), "{catalog}");
}

/// A numbered list written from 3 starts at 3 in every format (the DOCX
/// used to restart every list at 1).
#[test]
fn a_numbered_list_starting_at_3_starts_at_3_in_every_format() {
    let dir = scratch("list-start");
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    append_to_article(&pack, "The steps that remain:\n\n3. Trainthestaff\n4. Openthethirdshelter\n\n- Bulletpoint\n\n  7. Nestedseventh\n  8. Nestedeighth");
    let out = dir.join("out");
    build(&pack, &out);
    // EPUB: the list says where it starts.
    let epub = std::fs::read(out.join("pack.epub")).unwrap();
    let xhtml = String::from_utf8(unzip_entry(&epub, "OEBPS/brief.xhtml")).unwrap();
    assert!(xhtml.contains("<ol start=\"3\">"), "EPUB: {xhtml}");
    assert!(xhtml.contains("<ol start=\"7\">"), "EPUB: {xhtml}");
    // DOCX: each list's numbering instance restarts at its first number on
    // its own level, and LibreOffice numbers the items so.
    let docx = std::fs::read(out.join("pack.docx")).unwrap();
    let numbering = String::from_utf8(unzip_entry(&docx, "word/numbering.xml")).unwrap();
    assert!(
        numbering.contains("<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"3\" />")
            || numbering.contains("<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"3\"/>"),
        "{numbering}"
    );
    assert!(
        numbering.contains("w:ilvl=\"1\"><w:startOverride w:val=\"7\""),
        "{numbering}"
    );
    let texts = |pdf: &std::path::Path| -> String {
        let (ok, text) = run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
        assert!(ok, "{text}");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    if have("pdftotext", &["-v"]) {
        let pdf_text = texts(&out.join("pack.pdf"));
        for expected in [
            "3. Trainthestaff",
            "4. Openthethirdshelter",
            "7. Nestedseventh",
            "8. Nestedeighth",
        ] {
            assert!(
                pdf_text.contains(expected),
                "PDF lacks `{expected}`: {pdf_text}"
            );
        }
        if have("soffice", &["--version"]) {
            let lo = texts(&libreoffice_pdf(&out.join("pack.docx"), "list-start-lo"));
            for expected in ["3. Trainthestaff", "4. Openthethirdshelter"] {
                assert!(
                    lo.contains(expected),
                    "DOCX (LibreOffice) lacks `{expected}`: {lo}"
                );
            }
            // The nested list is on level 1 (letters in the house style):
            // the seventh letter is g.
            assert!(lo.contains("g. Nestedseventh"), "DOCX (LibreOffice): {lo}");
        }
    }
}
