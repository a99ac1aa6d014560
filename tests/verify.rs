//! `briefkit verify`: a published brief — only its PDF, EPUB or DOCX — is
//! checked against the data it carries. Every example verifies in every
//! format and language; a digit changed in the DOCX's text, in an EPUB
//! page or in a PDF content stream is named (figure, statistic, what is
//! printed, what the data says, the source, the place); a changed data file
//! is a checksum finding; a file from another tool, or no brief at all, is
//! a clear error, never a crash.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Builds `pack` (its `row`, for a batch) in every format into a scratch
/// folder; the paths of the PDF, EPUB and DOCX.
fn built(pack: &Path, name: &str, row: Option<&str>) -> [PathBuf; 3] {
    let out = scratch(&format!("verify-{name}"));
    let mut extra = vec!["-q"];
    if let Some(row) = row {
        extra.extend(["--row", row]);
    }
    let o = briefkit_build(pack, &out, &extra);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let find = |ext: &str| {
        std::fs::read_dir(&out)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .unwrap_or_else(|| panic!("no .{ext} in {}", out.display()))
    };
    [find("pdf"), find("epub"), find("docx")]
}

/// `briefkit verify FILE` with extra arguments: exit code, stdout, stderr.
fn verify(file: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let mut args = vec!["verify", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = briefkit(&args);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The JSON messages of `briefkit verify --message-format json FILE`.
fn verify_json(file: &Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let (code, out, _) = verify(file, &["--message-format", "json"]);
    let lines = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (code, lines)
}

/// A copy of the ZIP `from` at `to` with entry `name` rewritten by `edit`
/// (the entries' order and the EPUB's stored `mimetype` kept).
fn rezip(from: &Path, to: &Path, name: &str, edit: impl Fn(&str) -> String) {
    let entries = zip_files(from);
    assert!(
        entries.iter().any(|(n, _)| n == name),
        "no {name} in {}",
        from.display()
    );
    let mut writer = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for (n, bytes) in entries {
        let options =
            zip::write::SimpleFileOptions::default().compression_method(if n == "mimetype" {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            });
        writer.start_file(n.as_str(), options).unwrap();
        if n == name {
            let text = String::from_utf8(bytes).unwrap();
            let edited = edit(&text);
            assert_ne!(edited, text, "the edit of {name} changed nothing");
            writer.write_all(edited.as_bytes()).unwrap();
        } else {
            writer.write_all(&bytes).unwrap();
        }
    }
    writer.finish().unwrap();
}

/// The findings of kind `kind` in `messages`.
fn findings<'a>(messages: &'a [serde_json::Value], kind: &str) -> Vec<&'a serde_json::Value> {
    messages
        .iter()
        .filter(|m| m["type"] == "finding" && m["kind"] == kind)
        .collect()
}

/// The one report of `messages`.
fn report(messages: &[serde_json::Value]) -> &serde_json::Value {
    let reports: Vec<_> = messages.iter().filter(|m| m["type"] == "report").collect();
    assert_eq!(reports.len(), 1, "{messages:?}");
    reports[0]
}

#[test]
fn every_example_verifies_in_every_format_and_language() {
    let examples = root().join("examples");
    for (pack, name, row, figures) in [
        (
            examples.join("mexico-trafficking"),
            "mexico-trafficking",
            None,
            21,
        ),
        (
            examples.join("mexico-trafficking-ar"),
            "mexico-trafficking-ar",
            None,
            21,
        ),
        (
            examples.join("mexico-trafficking-zh"),
            "mexico-trafficking-zh",
            None,
            21,
        ),
        (
            examples.join("country-briefs"),
            "country-briefs",
            Some("MEX"),
            15,
        ),
        // Spanish, its statistics a JSON file.
        (
            root().join("tests/fixtures/packs/json-spanish"),
            "json-spanish",
            None,
            7,
        ),
    ] {
        for file in built(&pack, name, row) {
            let (code, messages) = verify_json(&file);
            let r = report(&messages);
            assert_eq!(code, Some(0), "{}: {messages:#?}", file.display());
            assert_eq!(r["ok"], true);
            // Every figure found, and each as the data says.
            assert_eq!(r["figures"], figures, "{}: {r}", file.display());
            assert_eq!(r["figures_verified"], figures, "{}: {r}", file.display());
            assert_eq!(r["pack"], name);
            assert_eq!(r["row"], row.map_or(serde_json::Value::Null, Into::into));
            assert!(r["generator"].as_str().unwrap().starts_with("briefkit "));
            // No number of the text is taken for an untagged one: dates,
            // citations ("[3]"), notes' numbers, Chinese dates (11月28日) and
            // Arabic ones (28 نوفمبر) are none.
            assert!(
                findings(&messages, "untagged-number").is_empty(),
                "{}: {messages:#?}",
                file.display()
            );
            // The text form says so too.
            let (code, _, err) = verify(&file, &[]);
            assert_eq!(code, Some(0));
            assert!(
                err.contains(&format!(
                    "verified {}: {figures} of {figures} figures",
                    file.display()
                )),
                "{err}"
            );
        }
    }
}

/// The tampered figure: ECLAC's estimate of women trafficked to Japan.
const FIGURE: &str = "eclac-women-japan";

/// Asserts that `messages` name the tampered figure, printing `printed`.
fn assert_names_the_figure(messages: &[serde_json::Value], printed: &str) -> serde_json::Value {
    let found = findings(messages, "figure");
    assert_eq!(found.len(), 1, "{messages:#?}");
    let f = found[0];
    assert_eq!(f["level"], "error");
    assert_eq!(f["statistic"], FIGURE);
    assert_eq!(f["printed"], printed);
    assert_eq!(f["expected"], "3,000");
    assert!(f["source"].as_str().unwrap().contains("ECLAC"), "{f}");
    assert_eq!(report(messages)["ok"], false);
    f.clone()
}

#[test]
fn a_digit_changed_in_the_docx_text_is_named_with_its_statistic_and_place() {
    let [_, _, docx] = built(&example(), "tamper-docx", None);
    let tampered = docx.with_file_name("tampered.docx");
    // The figure's content control: change its text.
    let control = format!("<w:tag w:val=\"{FIGURE}\"/>");
    rezip(&docx, &tampered, "word/document.xml", |xml| {
        let at = xml.find(&control).expect("the figure's control");
        let value = at + xml[at..].find(">3,000<").unwrap();
        format!(
            "{}>3,001<{}",
            &xml[..value],
            &xml[value + ">3,000<".len()..]
        )
    });
    let (code, messages) = verify_json(&tampered);
    assert_eq!(code, Some(1));
    let f = assert_names_the_figure(&messages, "3,001");
    assert_eq!(f["place"]["part"], "word/document.xml");
    assert!(f["place"]["paragraph"].as_u64().unwrap() > 0);
    // The text form names all of it on one line.
    let (code, _, err) = verify(&tampered, &[]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("word/document.xml, paragraph ")
            && err.contains(&format!(
                "figure `{FIGURE}` prints `3,001`, but the data says `3,000`"
            )),
        "{err}"
    );
    // The untouched file still verifies.
    assert_eq!(verify(&docx, &[]).0, Some(0));
}

#[test]
fn a_digit_changed_in_an_epub_page_is_named_with_its_statistic_and_place() {
    let [_, epub, _] = built(&example(), "tamper-epub", None);
    let tampered = epub.with_file_name("tampered.epub");
    let figure = format!("data-stat=\"{FIGURE}\">3,000<");
    rezip(&epub, &tampered, "OEBPS/brief.xhtml", |xhtml| {
        xhtml.replacen(&figure, &format!("data-stat=\"{FIGURE}\">3,800<"), 1)
    });
    let (code, messages) = verify_json(&tampered);
    assert_eq!(code, Some(1));
    let f = assert_names_the_figure(&messages, "3,800");
    assert_eq!(f["place"]["part"], "OEBPS/brief.xhtml");
    assert!(f["place"]["paragraph"].as_u64().unwrap() > 0);
}

#[test]
fn a_digit_changed_in_a_pdf_content_stream_is_named_with_its_statistic_and_page() {
    if !have("qpdf", &["--version"]) || !have("fix-qdf", &["--version"]) {
        assert!(may_skip_validators(), "qpdf and fix-qdf are needed");
        return;
    }
    let [pdf, _, _] = built(&example(), "tamper-pdf", None);
    let dir = pdf.parent().unwrap();
    let qdf = dir.join("qdf.pdf");
    let (ok, text) = run(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            pdf.to_str().unwrap(),
            qdf.to_str().unwrap(),
        ],
    );
    assert!(ok, "{text}");
    let bytes = std::fs::read(&qdf).unwrap();
    // The figure's marked content names its statistic in UTF-16; its first
    // glyph (the `3` of 3,000) becomes its last (a `0`): the page then
    // shows 0,000 there.
    let id: String = FIGURE.encode_utf16().map(|u| format!("{u:04x}")).collect();
    let text: String = bytes.iter().map(|&b| char::from(b)).collect();
    let at = text
        .find(&format!("/BriefkitStatistic <feff{id}>"))
        .expect("the figure's marked content");
    let tj = at + text[at..].find("[<").unwrap() + 2;
    let end = tj + text[tj..].find('>').unwrap();
    let glyphs = &text[tj..end];
    assert_eq!(glyphs.len(), 5 * 4, "3,000 is five glyphs: {glyphs}");
    let changed = format!("{}{}", &glyphs[16..20], &glyphs[4..]);
    let edited = format!("{}{changed}{}", &text[..tj], &text[end..]);
    let edited_path = dir.join("edited.pdf");
    std::fs::write(
        &edited_path,
        edited.chars().map(|c| c as u8).collect::<Vec<u8>>(),
    )
    .unwrap();
    let tampered = dir.join("tampered.pdf");
    let o = std::process::Command::new("fix-qdf")
        .arg(&edited_path)
        .output()
        .unwrap();
    assert!(o.status.success());
    std::fs::write(&tampered, o.stdout).unwrap();
    assert_qpdf_clean(&tampered);
    // A reader sees the change.
    let (ok, shown) = run("pdftotext", &[tampered.to_str().unwrap(), "-"]);
    assert!(ok && shown.contains("0,000"), "{shown}");
    let (code, messages) = verify_json(&tampered);
    assert_eq!(code, Some(1));
    let f = assert_names_the_figure(&messages, "0,000");
    assert!(f["place"]["page"].as_u64().unwrap() >= 1, "{f}");
}

#[test]
fn a_changed_data_file_is_a_checksum_finding() {
    let [_, epub, _] = built(&example(), "tamper-data", None);
    // The EPUB's CSV: ECLAC's 3000 becomes 3500.
    let tampered = epub.with_file_name("tampered.epub");
    let csv = zip_files(&epub)
        .into_iter()
        .map(|(n, _)| n)
        .find(|n| n.ends_with("statistics.csv"))
        .unwrap();
    rezip(&epub, &tampered, &csv, |text| {
        text.replacen(&format!("{FIGURE},3000,"), &format!("{FIGURE},3500,"), 1)
    });
    let (code, messages) = verify_json(&tampered);
    assert_eq!(code, Some(1), "{messages:#?}");
    let sums = findings(&messages, "checksum");
    assert_eq!(sums.len(), 1, "{messages:#?}");
    assert!(sums[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("statistics.csv does not match its checksum"));
    // The figures themselves still print what statistics.json says.
    assert!(findings(&messages, "figure").is_empty(), "{messages:#?}");
}

#[test]
fn a_changed_value_in_the_docx_data_part_is_a_checksum_finding() {
    let [_, _, docx] = built(&example(), "tamper-docx-data", None);
    let tampered = docx.with_file_name("tampered.docx");
    rezip(&docx, &tampered, "customXml/item1.xml", |xml| {
        xml.replacen("<value>3000</value>", "<value>3500</value>", 1)
    });
    let (code, messages) = verify_json(&tampered);
    assert_eq!(code, Some(1));
    let sums = findings(&messages, "checksum");
    assert_eq!(sums.len(), 2, "the CSV and the JSON: {messages:#?}");
    assert_eq!(sums[0]["place"]["part"], "customXml/item1.xml");
    // The figure prints 3,000, which is no longer the value's form.
    let f = findings(&messages, "figure");
    assert_eq!(
        f.len(),
        3,
        "the figure, its key-figure card, its table row: {messages:#?}"
    );
    assert_eq!(f[0]["expected"], "3,500");
}

#[test]
fn a_brief_built_without_its_data_or_a_file_from_another_tool_is_a_clear_error() {
    let dir = scratch("verify-foreign");
    // A PDF of another tool: qpdf's empty PDF.
    let empty = dir.join("empty.pdf");
    if have("qpdf", &["--version"]) {
        let (ok, text) = run("qpdf", &["--empty", empty.to_str().unwrap()]);
        assert!(ok, "{text}");
        let (code, _, err) = verify(&empty, &[]);
        assert_eq!(code, Some(1), "{err}");
        assert!(err.contains("carries no briefkit data"), "{err}");
    } else {
        assert!(may_skip_validators(), "qpdf is needed");
    }
    // Not a brief at all, a broken PDF, a damaged ZIP.
    for (name, bytes, says) in [
        ("notes.txt", &b"3,000 women"[..], "not a PDF, EPUB or DOCX"),
        (
            "cut.pdf",
            &b"%PDF-1.7\n1 0 obj <<"[..],
            "not a readable PDF",
        ),
        (
            "broken.docx",
            &b"PK\x03\x04 not really"[..],
            "not a readable ZIP",
        ),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let (code, _, err) = verify(&path, &[]);
        assert_eq!(code, Some(1), "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // A brief built with embed_data = false: says how to fix it.
    let out = scratch("verify-no-data");
    let o = briefkit_build(
        &example(),
        &out,
        &["-q", "--no-embed-data", "-f", "pdf,docx"],
    );
    assert!(o.status.success());
    for ext in ["pdf", "docx"] {
        let file = out.join(format!("mexico-trafficking.{ext}"));
        let (code, out, err) = verify(&file, &["--message-format", "json"]);
        assert_eq!(code, Some(1), "{err}");
        let m: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(m["type"], "error");
        assert!(
            m["message"]
                .as_str()
                .unwrap()
                .contains("embed_data = false"),
            "{m}"
        );
        assert!(
            m["hint"].as_str().unwrap().contains("--no-embed-data"),
            "{m}"
        );
    }
}

#[cfg(unix)]
#[test]
fn verify_reads_only_regular_files() {
    let dir = scratch("verify-hostile");
    // A FIFO would block a reader for ever; a folder, a missing file.
    let fifo = dir.join("brief.pdf");
    let (ok, text) = run("mkfifo", &[fifo.to_str().unwrap()]);
    assert!(ok, "{text}");
    for path in [
        fifo,
        dir.clone(),
        dir.join("missing.pdf"),
        PathBuf::from("/dev/zero"),
    ] {
        let (code, _, err) = verify(&path, &[]);
        assert_eq!(code, Some(2), "{}: {err}", path.display());
        assert!(err.contains("cannot read"), "{err}");
    }
}

#[test]
fn what_a_file_says_reaches_the_terminal_without_its_control_characters() {
    let [_, epub, _] = built(&example(), "control-characters", None);
    let tampered = epub.with_file_name("tampered.epub");
    // A statistic id with an escape sequence and a line break (as XML
    // character references), and a forged line in the figure's text.
    let figure = format!("data-stat=\"{FIGURE}\">3,000<");
    rezip(&epub, &tampered, "OEBPS/brief.xhtml", |xhtml| {
        xhtml.replacen(
            &figure,
            "data-stat=\"x&#x1b;[31mred&#10;verified everything\">3,000&#10;ok<",
            1,
        )
    });
    let (code, _, err) = verify(&tampered, &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(
        err.contains("x\\u{1b}[31mred\\u{a}verified everything"),
        "{err}"
    );
    assert!(
        !err.lines()
            .any(|l| l.starts_with("verified everything") || l == "ok"),
        "{err}"
    );
    // JSON escapes them as JSON does.
    let (_, messages) = verify_json(&tampered);
    let unknown = findings(&messages, "unknown-statistic");
    assert_eq!(
        unknown[0]["statistic"],
        "x\u{1b}[31mred\nverified everything"
    );
}
