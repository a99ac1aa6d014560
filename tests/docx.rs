//! The DOCX as Word, LibreOffice, pandoc and validators see it:
//! openxml-audit with no findings, pandoc keeping the structure, repeated
//! table header rows, and identical bytes when several documents are
//! rendered in one process.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;

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
    let md = pandoc(&out.join("mexico-trafficking.docx"), "docx", "markdown");
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
fn data_tables_repeat_their_header_row_and_no_row_splits() {
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
        // No row breaks across pages (a figure stays with its unit).
        assert_eq!(
            t.matches("<w:tr>").count(),
            t.matches("<w:cantSplit/>").count(),
            "a row may split across pages: {}",
            &t[..t.len().min(300)]
        );
    }
}

#[test]
fn several_documents_in_one_process_render_identically() {
    // Font ids, hyperlink and bookmark ids, the trailer /ID: everything
    // must depend on the document only.
    assert_renders_identically_in_one_process(|doc, assets| {
        briefkit_docx::BACKEND
            .render_default(doc, assets, &Default::default())
            .unwrap()
            .bytes
    });
}

/// A copy of the example pack with `toc = true` (and more in `extra`).
fn example_with(name: &str, extra: &str) -> std::path::PathBuf {
    let pack = scratch(name).join("pack");
    copy_pack(&example(), &pack);
    let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
    std::fs::write(
        pack.join("brief.toml"),
        toml.replace("paper = \"a4\"", &format!("paper = \"a4\"\n{extra}")),
    )
    .unwrap();
    pack
}

#[test]
fn table_of_contents_is_a_field_with_the_headings_and_updates_on_open() {
    let pack = example_with("docx-toc", "toc = true");
    build(&pack, &pack.join("out"));
    let docx = pack.join("out/pack.docx");
    let (_, document) = run(
        "unzip",
        &["-p", docx.to_str().unwrap(), "word/document.xml"],
    );
    let (_, settings) = run(
        "unzip",
        &["-p", docx.to_str().unwrap(), "word/settings.xml"],
    );
    assert!(
        document.contains("TOC \\o &quot;1-3&quot;") || document.contains("TOC \\o \"1-3\""),
        "no TOC field instruction"
    );
    assert!(
        document.contains("w:anchor=\"who-took-part\""),
        "TOC entries link to the heading bookmarks"
    );
    assert!(settings.contains("<w:updateFields w:val=\"true\"/>"));
    assert_openxml_audit_clean(&docx);
    if have("soffice", &["--version"]) && have("pdftotext", &["-v"]) {
        let pdf = libreoffice_pdf(&docx, "docx-toc-lo");
        let (_, text) = run("pdftotext", &["-l", "1", pdf.to_str().unwrap(), "-"]);
        let contents = text.find("Contents").expect("the TOC heading renders");
        assert!(
            text[contents..].contains("Who took part"),
            "LibreOffice shows the TOC entries:\n{text}"
        );
    }
}

#[test]
fn a_reference_docx_rebrands_the_styles_and_keeps_ours() {
    if !have("python3", &["--version"]) {
        return;
    }
    // A "house style": our own DOCX with red level-2 headings and another theme name.
    let plain = scratch("docx-reference");
    build(&example(), &plain);
    let reference = plain.join("house.docx");
    let script = "import sys, zipfile\nsrc, dst = sys.argv[1], sys.argv[2]\nwith zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, 'w') as b:\n    for i in a.infolist():\n        data = a.read(i.filename)\n        if i.filename == 'word/styles.xml':\n            data = data.replace(b'w:val=\"0B5C8C\"', b'w:val=\"C00000\"')\n        if i.filename == 'word/theme/theme1.xml':\n            data = data.replace(b'name=\"briefkit\"', b'name=\"House\"', 1)\n        b.writestr(i, data)\n";
    let (ok, text) = run(
        "python3",
        &[
            "-c",
            script,
            plain.join("mexico-trafficking.docx").to_str().unwrap(),
            reference.to_str().unwrap(),
        ],
    );
    assert!(ok, "{text}");

    let out = scratch("docx-reference-out");
    let o = briefkit(&[
        "build",
        example().to_str().unwrap(),
        "-f",
        "docx",
        "-o",
        out.to_str().unwrap(),
        "--reference-docx",
        reference.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let docx = out.join("mexico-trafficking.docx");
    let (_, styles) = run("unzip", &["-p", docx.to_str().unwrap(), "word/styles.xml"]);
    let (_, theme) = run(
        "unzip",
        &["-p", docx.to_str().unwrap(), "word/theme/theme1.xml"],
    );
    let heading2 = styles
        .split("w:styleId=\"Heading2\"")
        .nth(1)
        .unwrap()
        .split("</w:style>")
        .next()
        .unwrap();
    assert!(
        heading2.contains("C00000"),
        "Heading 2 takes the reference's colour: {heading2}"
    );
    assert!(
        styles.contains("w:styleId=\"KeyFigureValue\""),
        "briefkit's own styles stay"
    );
    assert!(
        theme.contains("name=\"House\""),
        "the theme comes from the reference"
    );
    assert_openxml_audit_clean(&docx);

    // A file that is not a DOCX is a clear error, exit 2, nothing written.
    let bad = plain.join("not-a-docx.docx");
    std::fs::write(&bad, b"hello").unwrap();
    let out2 = scratch("docx-reference-bad");
    let o = briefkit(&[
        "build",
        example().to_str().unwrap(),
        "-o",
        out2.to_str().unwrap(),
        "--reference-docx",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("reference DOCX"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        std::fs::read_dir(&out2).unwrap().next().is_none(),
        "nothing is written when a backend fails"
    );
}

#[test]
fn libreoffice_shows_every_paragraph_figure_and_source() {
    if !have("soffice", &["--version"]) || !have("pdftotext", &["-v"]) {
        return;
    }
    let out = scratch("docx-every-text");
    build(&example(), &out);
    let pdf = libreoffice_pdf(&out.join("mexico-trafficking.docx"), "docx-every-text-lo");
    let (_, text) = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let text = squash(&text);
    let doc = compose_pack(&example());
    // A piece shows whole, or (a table cell whose lines pdftotext reads
    // across the row, beside the next cell's) word by word, in order, each
    // word close after the one before.
    let shows = |piece: &str| {
        if text.contains(&squash(piece)) {
            return true;
        }
        let words: Vec<&str> = piece.split_whitespace().collect();
        let Some((first, rest)) = words.split_first() else {
            return true;
        };
        text.match_indices(first).any(|(start, _)| {
            let mut at = start + first.len();
            rest.iter().all(|word| {
                let mut end = (at + 160).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                match text[at..end].find(word) {
                    Some(i) => {
                        at += i + word.len();
                        true
                    }
                    None => false,
                }
            })
        })
    };
    for piece in briefkit_model::text::reading_order(&doc) {
        assert!(
            shows(&piece),
            "LibreOffice's rendering of the DOCX lacks `{piece}`"
        );
    }
}

#[test]
fn every_xml_part_is_compressed() {
    // docx-rs stores its parts uncompressed; the package pass deflates them
    // (a regression once made the example's DOCX five times larger).
    let out = scratch("docx-compressed");
    build(&example(), &out);
    let (ok, listing) = run(
        "unzip",
        &["-v", out.join("mexico-trafficking.docx").to_str().unwrap()],
    );
    assert!(ok);
    for line in listing.lines().filter(|l| l.trim_end().ends_with(".xml")) {
        assert!(line.contains("Defl"), "stored uncompressed: {line}");
    }
}
