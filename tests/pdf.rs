//! The PDF backend end to end on the 200-page synthetic report: the CLI's
//! file passes qpdf, its text reads in the model's order, every heading is
//! a bookmark and every page has a label.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;

#[test]
fn synthetic_200_page_report_passes_qpdf_and_reads_in_order() {
    let dir = scratch("pdf-report");
    let pack = dir.join("report");
    long_report(&pack, 180);
    let pdf = build_pdf(&pack, &dir.join("out"), &[]).0;
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

/// A photo-like test image: smooth colour gradients with some detail.
fn photo(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        let r = (x * 255 / width) as u8;
        let g = (y * 255 / height) as u8;
        let b = (((x / 7 + y / 5) % 16) * 16) as u8;
        image::Rgb([r, g, b])
    })
}

fn jpeg(img: &image::DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut out, 85,
    ))
    .unwrap();
    out
}

#[test]
fn jpeg_images_are_embedded_as_they_are() {
    let dir = scratch("pdf-jpeg");
    let pack = dir.join("pack");
    copy_pack(&root().join("tests/fixtures/packs/yaml-image"), &pack);
    let colour = jpeg(&image::DynamicImage::ImageRgb8(photo(640, 400)));
    let grey = jpeg(&image::DynamicImage::ImageRgb8(photo(300, 200)).grayscale());
    std::fs::write(pack.join("images/photo.jpg"), &colour).unwrap();
    std::fs::write(pack.join("images/grey.jpg"), &grey).unwrap();
    // A download cut short (header and part of the scan, no end marker) is
    // an error in every format, and nothing is written.
    std::fs::write(pack.join("images/cut.jpg"), &colour[..colour.len() / 2]).unwrap();
    let md = std::fs::read_to_string(pack.join("article.md")).unwrap();
    let with_images = format!("{md}\n\n![A colour photograph of the shelter](images/photo.jpg)\n\n![The same photograph in grey](images/grey.jpg)\n");
    std::fs::write(
        pack.join("article.md"),
        format!("{with_images}\n![A photograph cut short](images/cut.jpg)\n"),
    )
    .unwrap();
    let o = briefkit(&[
        "build",
        pack.to_str().unwrap(),
        "-o",
        dir.join("out").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("image `images/cut.jpg` is cut short"), "{err}");
    assert!(!dir.join("out").exists(), "nothing may be written");
    std::fs::write(pack.join("article.md"), with_images).unwrap();
    let (pdf, _) = build_pdf(&pack, &dir.join("out"), &[]);
    let bytes = std::fs::read(&pdf).unwrap();
    // The JPEG files' bytes are in the PDF unchanged.
    for (name, data) in [("colour", &colour), ("grey", &grey)] {
        assert!(
            bytes.windows(data.len()).any(|w| w == data.as_slice()),
            "the {name} JPEG was re-encoded"
        );
    }
    if have("pdfimages", &["-v"]) {
        let (ok, list) = run("pdfimages", &["-list", pdf.to_str().unwrap()]);
        assert!(ok, "{list}");
        // page num type width height color comp bpc enc ...
        let rows: Vec<Vec<&str>> = list
            .lines()
            .skip(2)
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert!(
            rows.iter()
                .any(|r| r[3] == "640" && r[4] == "400" && r[5] == "rgb" && r[8] == "jpeg"),
            "{list}"
        );
        assert!(
            rows.iter()
                .any(|r| r[3] == "300" && r[4] == "200" && r[5] == "gray" && r[8] == "jpeg"),
            "{list}"
        );
        // The PNG map is kept lossless at full size.
        assert!(rows.iter().any(|r| r[8] == "image"), "{list}");
    }
    if have("qpdf", &["--version"]) {
        let (ok, text) = run("qpdf", &["--check", pdf.to_str().unwrap()]);
        assert!(ok && !text.contains("WARNING"), "{text}");
    }
}

#[test]
fn several_documents_in_one_process_render_identically() {
    // Font ids, hyperlink and bookmark ids, the trailer /ID: everything
    // must depend on the document only.
    assert_renders_identically_in_one_process(|doc, assets| {
        briefkit_pdf::BACKEND
            .render_default(doc, assets, &Default::default())
            .unwrap()
            .bytes
    });
}

#[test]
fn fixture_packs_read_in_order() {
    for name in ["yaml-image", "json-spanish"] {
        let dir = scratch(&format!("pdf-order-{name}"));
        let pack = dir.join(name);
        copy_pack(&root().join("tests/fixtures/packs").join(name), &pack);
        let pdf = build_pdf(&pack, &dir.join("out"), &[]).0;
        assert_pdf_text_in_reading_order(&pdf, &compose_pack(&pack));
    }
}

#[test]
fn a_script_the_fonts_lack_is_one_located_warning_and_left_out() {
    let dir = scratch("pdf-missing-glyph");
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    let md = std::fs::read_to_string(pack.join("article.md")).unwrap();
    // Four Chinese characters and a snowman; with the system's fonts
    // ignored, no font has them.
    let md = md.replacen("## What comes next", "## What comes next ☃ (人口贩运)", 1);
    std::fs::write(pack.join("article.md"), &md).unwrap();
    let n = md.lines().position(|l| l.contains('☃')).unwrap();
    let (pdf, err) = build_pdf(&pack, &dir.join("out"), &["--ignore-system-fonts"]);
    // One warning per script, not per character.
    assert_eq!(err.matches("no font has the").count(), 2, "{err}");
    assert!(
        err.contains("no font has the Han characters of this brief (`人`, `口`, `贩`, `运`"),
        "{err}"
    );
    assert!(
        err.contains("no font has the symbol characters of this brief (`☃`"),
        "{err}"
    );
    assert!(err.contains("apt install fonts-noto-cjk"), "{err}");
    // Each is placed at the block the PDF was setting: the heading's line.
    assert_eq!(
        err.matches(&format!("article.md:{}:1", n + 1)).count(),
        2,
        "the warnings do not say where the heading is:\n{err}"
    );
    // Nothing stands in for them: no .notdef box passed off as text.
    if have("pdftotext", &["-v"]) {
        let (ok, text) = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        assert!(ok);
        assert!(text.contains("What comes next"), "{text}");
        assert!(!text.contains('人') && !text.contains('☃'), "{text}");
    }
    assert_qpdf_clean(&pdf);
}

#[test]
fn a_report_with_contents_passes_qpdf_and_links_every_entry() {
    let dir = scratch("pdf-contents");
    let pack = dir.join("report");
    long_report_with(&pack, 40, true);
    let pdf = build_pdf(&pack, &dir.join("out"), &[]).0;
    let composed = compose_pack_fully(&pack);
    let doc = &composed.document;
    assert!(composed.render_options().toc);
    assert_pdf_text_in_reading_order(&pdf, doc);
    if have("qpdf", &["--version"]) {
        let (ok, text) = run("qpdf", &["--check", pdf.to_str().unwrap()]);
        assert!(ok, "{text}");
        // Every contents entry is a link annotation to a page (GoTo).
        let (ok, json) = run(
            "qpdf",
            &["--json", "--json-key=qpdf", pdf.to_str().unwrap()],
        );
        assert!(ok, "{json}");
        let goto = json.matches("/GoTo").count();
        assert!(
            goto >= doc.headings().len(),
            "{goto} internal links for {} headings",
            doc.headings().len()
        );
    }
}

/// What `briefkit build PACK` opens or lists under the system's font
/// folders, as strace sees it.
fn system_font_reads(pack: &std::path::Path, out: &std::path::Path) -> Vec<String> {
    let log = out.join("strace.txt");
    std::fs::create_dir_all(out).unwrap();
    let bin = briefkit_bin();
    let (ok, text) = run(
        "strace",
        &[
            "-f",
            "-e",
            "trace=open,openat,openat2,getdents64,stat,newfstatat,statx",
            "-o",
            log.to_str().unwrap(),
            bin.to_str().unwrap(),
            "build",
            pack.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--force",
            "-q",
        ],
    );
    assert!(ok, "briefkit under strace failed:\n{text}");
    std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .filter(|l| {
            [
                "/usr/share/fonts",
                "/usr/local/share/fonts",
                ".fonts",
                "fontconfig",
            ]
            .iter()
            .any(|dir| l.contains(dir))
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_brief_the_bundled_faces_cover_never_looks_at_the_systems_fonts() {
    // Latin and Arabic are bundled: searching the system's fonts would cost
    // a start-up scan (Typst's 44 ms without --ignore-system-fonts) and make
    // the output depend on the machine. Chinese is not bundled: that build
    // does search, which shows the check can see a search.
    if !have("strace", &["-V"]) {
        return;
    }
    let dir = scratch("pdf-no-font-scan");
    for example in ["mexico-trafficking", "mexico-trafficking-ar"] {
        let reads = system_font_reads(&root().join("examples").join(example), &dir.join(example));
        assert!(
            reads.is_empty(),
            "{example} read the system's fonts:\n{}",
            reads.join("\n")
        );
    }
    if have_cjk_fonts() {
        let zh = "mexico-trafficking-zh";
        let reads = system_font_reads(&root().join("examples").join(zh), &dir.join(zh));
        assert!(
            !reads.is_empty(),
            "the Chinese build found its faces without a search?"
        );
    }
}
