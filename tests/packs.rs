//! Other packs: statistics in YAML and JSON, an image with alt text and
//! caption, US Letter paper, a Spanish pack, and template overrides.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;

fn fixture(name: &str) -> std::path::PathBuf {
    root().join("tests/fixtures/packs").join(name)
}

#[test]
fn yaml_statistics_and_an_image_build_in_every_format() {
    let pack = fixture("yaml-image");
    let v = ast(&pack, &[]);
    assert_eq!(v["statistics"][1]["display"], "12.5%");
    let image = v["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "image")
        .expect("image block");
    assert_eq!(
        image["alt"],
        "Map of the three towns with the shelters marked"
    );
    assert_eq!(image["title"], "Where the shelters are");

    let out = scratch("packs-yaml-image");
    build(&pack, &out);
    let pdf = out.join("yaml-image.pdf");
    if have("pdfinfo", &["-v"]) {
        let (_, info) = run("pdfinfo", &[pdf.to_str().unwrap()]);
        assert!(info.contains("612 x 792 pts (letter)"), "{info}");
    }
    if have("pdfimages", &["-v"]) {
        let (_, list) = run("pdfimages", &["-list", pdf.to_str().unwrap()]);
        // The image is embedded at its own pixel size: not downscaled.
        assert!(
            list.lines()
                .any(|l| l.contains(" 240 ") && l.contains(" 120 ")),
            "{list}"
        );
    }
    assert_epubcheck_clean(&out.join("yaml-image.epub"));
    if have("python3", &["-c", "import docx"]) {
        let script = root().join("tests/scripts/docx_read.py");
        let (ok, text) = run(
            "python3",
            &[
                script.to_str().unwrap(),
                out.join("yaml-image.docx").to_str().unwrap(),
            ],
        );
        assert!(ok, "{text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let descr = v["images_descr"].as_array().unwrap();
        assert_eq!(descr.len(), 1, "one picture: {descr:?}");
        assert_eq!(descr[0], "Map of the three towns with the shelters marked");
    }
}

#[test]
fn json_statistics_in_a_spanish_pack_use_spanish_numbers_and_words() {
    let pack = fixture("json-spanish");
    let v = ast(&pack, &[]);
    let display = displays(&v);
    // CLDR: Spanish groups from five digits on.
    assert_eq!(display, ["1336", "531", "20.000"]);
    assert_eq!(v["metadata"]["date_display"], "15 de marzo de 2026");
    let out = scratch("packs-json-spanish");
    build(&pack, &out);
    if have("pdftotext", &["-v"]) {
        let (_, text) = run(
            "pdftotext",
            &[out.join("json-spanish.pdf").to_str().unwrap(), "-"],
        );
        for want in [
            "Fuentes",
            "Estadísticas citadas",
            "Contacto",
            "20.000",
            "Página 1 de 1",
            "Ana Pérez",
        ] {
            assert!(text.contains(want), "Spanish PDF lacks `{want}`:\n{text}");
        }
    }
}

#[test]
fn a_template_directory_overrides_the_embedded_brief_template() {
    let templates = scratch("packs-templates");
    std::fs::write(
        templates.join("brief.hbs"),
        "<bk-cover/>\n\n## Only the article\n\n<bk-article/>\n",
    )
    .unwrap();
    let v = ast(
        &fixture("json-spanish"),
        &["--templates", templates.to_str().unwrap()],
    );
    let types = block_types(&v);
    assert!(
        !types.iter().any(|t| t == "sources"),
        "the override drops the sources: {types:?}"
    );
    assert_eq!(types[0], "cover");

    // An override with an unknown directive is an error naming the template file.
    std::fs::write(
        templates.join("brief.hbs"),
        "<bk-cover/>\n\n<bk-sidebar/>\n\n<bk-article/>\n",
    )
    .unwrap();
    let o = briefkit(&[
        "build",
        fixture("json-spanish").to_str().unwrap(),
        "--templates",
        templates.to_str().unwrap(),
        "-o",
        templates.join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("brief.hbs") && err.contains("unknown directive `<bk-sidebar>`"),
        "{err}"
    );
}

#[test]
fn a_formats_own_templates_are_overridden_by_name_too() {
    // `docx/theme.xml` is the DOCX backend's template (embedded by its
    // crate): an override of that name reaches the DOCX's theme part, and
    // the EPUB's stylesheet its CSS; the PDF, which has no template, is the
    // same bytes as without the folder.
    let templates = scratch("packs-format-templates");
    std::fs::create_dir_all(templates.join("docx")).unwrap();
    std::fs::create_dir_all(templates.join("epub")).unwrap();
    let theme = std::fs::read_to_string(root().join("templates/docx/theme.xml")).unwrap();
    let marked = theme.replacen("<a:clrScheme name=\"", "<a:clrScheme name=\"Overridden ", 1);
    assert_ne!(theme, marked, "the theme has a colour scheme name");
    std::fs::write(templates.join("docx/theme.xml"), &marked).unwrap();
    let css = std::fs::read_to_string(root().join("templates/epub/style.css")).unwrap();
    std::fs::write(
        templates.join("epub/style.css"),
        format!("{css}\n/* overridden */\n"),
    )
    .unwrap();
    let plain = templates.join("plain");
    let over = templates.join("over");
    for (out, extra) in [
        (&plain, vec![]),
        (&over, vec!["--templates", templates.to_str().unwrap()]),
    ] {
        let pack = fixture("json-spanish");
        let mut args = vec!["build", pack.to_str().unwrap()];
        args.extend(extra);
        args.extend(["-o", out.to_str().unwrap()]);
        let o = briefkit(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let part = |dir: &std::path::Path, ext: &str, name: &str| -> String {
        let file = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .unwrap();
        let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    assert!(!part(&plain, "docx", "word/theme/theme1.xml").contains("Overridden "));
    assert!(part(&over, "docx", "word/theme/theme1.xml").contains("Overridden "));
    let css_of = |dir: &std::path::Path| {
        let file = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "epub"))
            .unwrap();
        let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
        let name = (0..zip.len())
            .map(|i| zip.by_index(i).unwrap().name().to_string())
            .find(|n| n.ends_with(".css") && !n.contains("font"))
            .unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(&name).unwrap(), &mut text).unwrap();
        text
    };
    assert!(!css_of(&plain).contains("/* overridden */"));
    assert!(css_of(&over).contains("/* overridden */"));
    let pdf = |dir: &std::path::Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "pdf"))
            .map(|p| std::fs::read(p).unwrap())
            .unwrap()
    };
    assert_eq!(pdf(&plain), pdf(&over));
}

#[test]
fn missing_image_is_an_error_and_missing_alt_text_a_warning() {
    let pack = scratch("packs-image-errors").join("pack");
    copy_pack(&fixture("yaml-image"), &pack);
    let article = pack.join("article.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(
        &article,
        text.replace(
            "![Map of the three towns with the shelters marked](images/map.png",
            "![](images/map.png",
        ),
    )
    .unwrap();
    let o = briefkit(&["build", pack.to_str().unwrap()]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning: image `images/map.png` has no alt text")
            && err.contains("article.md:6:1"),
        "{err}"
    );

    std::fs::write(
        &article,
        text.replace("images/map.png", "images/missing.png"),
    )
    .unwrap();
    let o = briefkit(&[
        "build",
        pack.to_str().unwrap(),
        "-o",
        pack.join("out2").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("image `images/missing.png` does not exist") && err.contains("article.md:6:1"),
        "{err}"
    );
}

#[test]
fn citation_style_drives_pdf_epub_and_docx_alike() {
    for (style, marker) in [
        ("numbered", Some("[1]")),
        ("names", Some("(ECLAC)")),
        ("none", None),
    ] {
        let pack = scratch(&format!("packs-citations-{style}")).join("pack");
        copy_pack(&example(), &pack);
        let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
        std::fs::write(
            pack.join("brief.toml"),
            toml.replace(
                "paper = \"a4\"",
                &format!("paper = \"a4\"\ncitations = \"{style}\""),
            ),
        )
        .unwrap();
        build(&pack, &pack.join("out"));
        let expect = |text: &str, format: &str| {
            let text = text.replace('\u{a0}', " ");
            match marker {
                Some(m) => assert!(
                    text.contains(&format!("3,000 {m}")),
                    "{style}: the {format} lacks `3,000 {m}`"
                ),
                None => assert!(
                    !text.contains("3,000 [1]") && !text.contains("3,000 (ECLAC)"),
                    "{style}: the {format} has a marker"
                ),
            }
        };
        if have("pdftotext", &["-v"]) {
            let (_, text) = run(
                "pdftotext",
                &[pack.join("out/pack.pdf").to_str().unwrap(), "-"],
            );
            expect(&text, "PDF");
        }
        let (_, xhtml) = run(
            "unzip",
            &[
                "-p",
                pack.join("out/pack.epub").to_str().unwrap(),
                "OEBPS/brief.xhtml",
            ],
        );
        expect(&xhtml_text(&xhtml), "EPUB");
        if have("pandoc", &["--version"]) {
            let text = pandoc(&pack.join("out/pack.docx"), "docx", "plain");
            expect(&text, "DOCX");
        }
    }
}

#[test]
fn compact_format_follows_the_language_and_bad_formats_are_errors() {
    let dir = scratch("packs-compact");
    for (lang, want) in [("en", "20K"), ("fr", "20\u{a0}k"), ("es", "20\u{a0}mil")] {
        let md = dir.join(format!("{lang}.md"));
        std::fs::write(&md, format!("---\ntitle: T\nlanguage: {lang}\ndate: 2026-01-01\nstatistics:\n  - id: people\n    value: 20000\n    label: People\n    period: 2025\n    source: Agency\n---\n\nSome {{{{stat \"people\" format=\"compact\"}}}} people.\n")).unwrap();
        let v = ast(&md, &[]);
        let text = serde_json::to_string(&v["blocks"]).unwrap();
        assert!(
            text.contains(&format!("\"text\":\"{want}\"")),
            "{lang}: {text}"
        );
    }
    let md = dir.join("bad.md");
    std::fs::write(&md, "---\ntitle: T\nstatistics:\n  - id: people\n    value: 20000\n    label: People\n    source: Agency\n---\n\nSome {{stat \"people\" format=\"tiny\"}} people.\n").unwrap();
    let o = briefkit(&["check", md.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("unknown format `tiny`"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
