//! The brief carries its data: the statistics it uses as CSV and JSON and
//! their provenance, embedded in the PDF as associated files (PDF/A-3a),
//! listed by poppler and qpdf, equal to what the brief prints, and in the
//! EPUB's container, linked from its page, and in the DOCX's custom XML
//! part; left out with `[output] embed_data = false` (PDF/A-2a as before).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const FILES: [&str; 3] = ["provenance.json", "statistics.csv", "statistics.json"];

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Builds the PDF of `pack` (of `row`, for a batch) into a scratch folder.
fn pdf(pack: &Path, name: &str, row: Option<&str>) -> PathBuf {
    let out = scratch(&format!("data-{name}"));
    build_pdf(pack, &out, &row.map_or(vec![], |row| vec!["--row", row])).0
}

/// The files poppler extracts from `pdf`, by name.
fn detached(pdf: &Path, name: &str) -> Vec<(String, Vec<u8>)> {
    let dir = scratch(&format!("data-{name}-detached"));
    let (ok, text) = run(
        "pdfdetach",
        &[
            "-saveall",
            "-o",
            dir.to_str().unwrap(),
            pdf.to_str().unwrap(),
        ],
    );
    assert!(ok, "{text}");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// A copy of the example that says `[output] embed_data = false`.
fn example_without_data(name: &str) -> PathBuf {
    let pack = scratch(name).join("pack");
    copy_pack(&example(), &pack);
    let settings = pack.join("brief.toml");
    let text = std::fs::read_to_string(&settings).unwrap();
    assert!(text.contains("[output]"));
    std::fs::write(
        &settings,
        text.replace("[output]", "[output]\nembed_data = false"),
    )
    .unwrap();
    pack
}

#[test]
fn every_pdf_carries_the_statistics_it_prints_and_their_provenance() {
    let examples = root().join("examples");
    let packs: Vec<(PathBuf, &str, Option<&str>)> = vec![
        (examples.join("mexico-trafficking"), "en", None),
        (examples.join("mexico-trafficking-ar"), "ar", None),
        (examples.join("mexico-trafficking-zh"), "zh", None),
        (root().join("tests/fixtures/packs/json-spanish"), "es", None),
        (examples.join("country-briefs"), "gtm", Some("GTM")),
    ];
    for (pack, name, row) in packs {
        let pdf = pdf(&pack, name, row);
        assert_qpdf_clean(&pdf);
        assert_pdf_profiles(&pdf, &["ua1", "pdfa-3a"]);
        // Each file is described in the brief's language, as a PDF text
        // string (UTF-16 with its byte-order mark beyond ASCII).
        let lo = lopdf::Document::load(&pdf).unwrap();
        let descriptions: Vec<&lopdf::Object> = lo
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter(|d| {
                d.get(b"Type").and_then(lopdf::Object::as_name).ok() == Some(b"Filespec".as_slice())
            })
            .filter_map(|d| d.get(b"Desc").ok())
            .collect();
        assert_eq!(descriptions.len(), 3, "{name}");
        let words = match name {
            "ar" => "الإحصاءات",
            "zh" => "统计数据",
            "es" => "estadísticas",
            _ => "statistics",
        };
        assert!(
            descriptions
                .iter()
                .any(|d| pdf_text_string(d).contains(words)),
            "{name}: {descriptions:?}"
        );
        for d in &descriptions {
            if let lopdf::Object::String(bytes, _) = d {
                assert!(
                    bytes.is_ascii() || bytes.starts_with(&[0xFE, 0xFF]),
                    "{name}: {bytes:?}"
                );
            }
        }
        // A viewer's attachments pane lists the three files.
        let (ok, list) = run("pdfdetach", &["-list", pdf.to_str().unwrap()]);
        assert!(ok && list.starts_with("3 embedded files"), "{name}: {list}");
        let (ok, list) = run("qpdf", &["--list-attachments", pdf.to_str().unwrap()]);
        assert!(ok, "{name}: {list}");
        for file in FILES {
            assert!(list.contains(&format!("{file} -> ")), "{name}: {list}");
        }
        let files = detached(&pdf, name);
        assert_eq!(
            files.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            FILES,
            "{name}"
        );
        let file = |n: &str| files.iter().find(|(f, _)| f == n).unwrap().1.clone();

        // The data is the statistics the brief uses, as it prints them.
        let mut ast_args = vec![];
        if let Some(row) = row {
            ast_args.extend(["--row", row]);
        }
        let doc = ast(&pack, &ast_args);
        let stats = doc["statistics"].as_array().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&file("statistics.json")).unwrap();
        let records = json["statistics"].as_array().unwrap();
        assert_eq!(records.len(), stats.len(), "{name}");
        for (record, stat) in records.iter().zip(stats) {
            assert_eq!(record["id"], stat["id"], "{name}");
            assert_eq!(record["printed"], stat["display"], "{name}");
            assert_eq!(record["value"].as_f64(), stat["value"].as_f64(), "{name}");
            assert_eq!(record["source"], stat["source"], "{name}");
        }
        assert_eq!(json["language"], doc["metadata"]["language"], "{name}");
        let csv = String::from_utf8(file("statistics.csv")).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(
            &headers.iter().take(8).collect::<Vec<_>>(),
            &[
                "id",
                "value",
                "unit",
                "label",
                "period",
                "source",
                "source_url",
                "note"
            ],
            "{name}"
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), stats.len(), "{name}");
        for (row, stat) in rows.iter().zip(stats) {
            assert_eq!(
                Some(row[0].to_string()),
                stat["id"].as_str().map(String::from)
            );
            assert_eq!(row[1].parse::<f64>().ok(), stat["value"].as_f64(), "{name}");
        }

        // The provenance names the pack, the row, what was read and the
        // data's checksums.
        let provenance: serde_json::Value =
            serde_json::from_slice(&file("provenance.json")).unwrap();
        assert!(
            provenance["generator"]
                .as_str()
                .unwrap()
                .starts_with("briefkit "),
            "{name}"
        );
        assert_eq!(
            provenance["pack"].as_str(),
            pack.file_name().and_then(|n| n.to_str()),
            "{name}"
        );
        assert_eq!(provenance["row"].as_str(), row, "{name}");
        assert_eq!(
            provenance["data"]["statistics.csv"].as_str(),
            Some(sha256(csv.as_bytes()).as_str()),
            "{name}"
        );
        assert_eq!(
            provenance["data"]["statistics.json"].as_str(),
            Some(sha256(&file("statistics.json")).as_str()),
            "{name}"
        );
        let inputs = provenance["inputs"].as_array().unwrap();
        for input in inputs {
            let path = input["path"].as_str().unwrap();
            let on_disk = pack.join(path);
            if on_disk.is_file() {
                assert_eq!(
                    input["sha256"].as_str(),
                    Some(sha256(&std::fs::read(&on_disk).unwrap()).as_str()),
                    "{name}: {path}"
                );
            }
        }
        assert!(
            inputs.iter().any(|i| i["path"] == "brief.toml"),
            "{name}: {inputs:?}"
        );
    }
}

#[test]
fn a_batch_brief_carries_only_its_own_rows_statistics() {
    let pack = root().join("examples/country-briefs");
    let gtm = detached(&pdf(&pack, "batch-gtm", Some("GTM")), "batch-gtm");
    let mex = detached(&pdf(&pack, "batch-mex", Some("MEX")), "batch-mex");
    let csv = |files: &[(String, Vec<u8>)]| {
        String::from_utf8(
            files
                .iter()
                .find(|(n, _)| n == "statistics.csv")
                .unwrap()
                .1
                .clone(),
        )
        .unwrap()
    };
    // Guatemala's returns (61,000 in 2025) and none of Mexico's (48,000).
    assert!(csv(&gtm).contains("\nreturnees,61000,"), "{}", csv(&gtm));
    assert!(!csv(&gtm).contains("48000"), "{}", csv(&gtm));
    assert!(csv(&mex).contains("\nreturnees,48000,"), "{}", csv(&mex));
    // The figure every brief shares is in both.
    assert!(csv(&gtm).contains("region-returnees") && csv(&mex).contains("region-returnees"));
}

#[test]
fn embed_data_false_leaves_the_data_out_and_claims_pdf_a_2a() {
    let pack = example_without_data("data-embed-off");
    let pdf = pdf(&pack, "off", None);
    let (ok, list) = run("pdfdetach", &["-list", pdf.to_str().unwrap()]);
    assert!(ok && list.starts_with("0 embedded files"), "{list}");
    assert_pdf_profiles(&pdf, &["ua1", "pdfa-2a"]);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(String::from_utf8_lossy(&bytes).contains("<pdfaid:part>2</pdfaid:part>"));

    // `--no-embed-data` does the same for a pack that embeds; built again
    // without it, the PDF is made again (the option is an input), with its data.
    let out = scratch("data-no-embed-flag");
    let count = |pdf: &Path| {
        let (ok, list) = run("pdfdetach", &["-list", pdf.to_str().unwrap()]);
        assert!(ok, "{list}");
        list.lines().next().unwrap_or("").to_string()
    };
    let (pdf, _) = build_pdf(&example(), &out, &["--no-embed-data"]);
    assert_eq!(count(&pdf), "0 embedded files");
    let (pdf, _) = build_pdf(&example(), &out, &[]);
    assert_eq!(count(&pdf), "3 embedded files");
}

/// The three examples (English, Arabic, Chinese), each with a short name.
fn three_examples() -> [(PathBuf, &'static str); 3] {
    let examples = root().join("examples");
    [
        (examples.join("mexico-trafficking"), "en"),
        (examples.join("mexico-trafficking-ar"), "ar"),
        (examples.join("mexico-trafficking-zh"), "zh"),
    ]
}

/// Builds the PDF and `format` of `pack` into a scratch folder: the
/// format's file, and the files the PDF carries (what the other formats
/// must carry too).
fn built_beside_the_pdf(
    pack: &Path,
    format: &str,
    name: &str,
) -> (PathBuf, Vec<(String, Vec<u8>)>) {
    let out = scratch(&format!("data-{format}-{name}"));
    let o = briefkit_build(pack, &out, &["-f", &format!("pdf,{format}")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stem = pack.file_name().unwrap().to_str().unwrap();
    let carried = detached(
        &out.join(format!("{stem}.pdf")),
        &format!("{format}-{name}"),
    );
    (out.join(format!("{stem}.{format}")), carried)
}

/// The example without its data, built in `format`: the file and its
/// zip's files.
fn built_without_data(format: &str) -> (PathBuf, Vec<(String, Vec<u8>)>) {
    let pack = example_without_data(&format!("data-{format}-off-pack"));
    let out = scratch(&format!("data-{format}-off"));
    let o = briefkit_build(&pack, &out, &["-f", format]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let file = out.join(format!("pack.{format}"));
    let files = zip_files(&file);
    (file, files)
}

#[test]
fn every_epub_carries_the_same_data_linked_from_its_page() {
    for (pack, name) in three_examples() {
        let (epub, from_pdf) = built_beside_the_pdf(&pack, "epub", name);
        assert_epubcheck_clean(&epub);
        let files = zip_files(&epub);
        let text = |n: &str| zip_text(&files, n);
        // The same bytes as the PDF carries.
        for (file, bytes) in &from_pdf {
            let inside = files
                .iter()
                .find(|(f, _)| *f == format!("OEBPS/data/{file}"))
                .unwrap_or_else(|| panic!("{name}: no {file} in the EPUB"));
            assert_eq!(&inside.1, bytes, "{name}: {file}");
        }
        // Every figure on the page is marked with its statistic's id and
        // reads as the data says it is printed; every statistic is there.
        let data: serde_json::Value = serde_json::from_slice(
            &from_pdf
                .iter()
                .find(|(f, _)| f == "statistics.json")
                .unwrap()
                .1,
        )
        .unwrap();
        let printed = |id: &str| {
            data["statistics"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["id"] == id)
                .and_then(|s| s["printed"].as_str())
                .map(|p| p.replace('&', "&amp;"))
        };
        let page_text = text("OEBPS/brief.xhtml");
        let mut marked = std::collections::BTreeSet::new();
        for piece in page_text.split("data-stat=\"").skip(1) {
            let (id, rest) = piece.split_once('"').unwrap();
            let shown = &rest[rest.find('>').unwrap() + 1..];
            let shown = &shown[..shown.find('<').unwrap()];
            let want = printed(id).unwrap_or_else(|| panic!("{name}: `{id}` is not in the data"));
            assert!(
                shown.starts_with(&want),
                "{name}: `{id}` shows `{shown}`, the data `{want}`"
            );
            marked.insert(id.to_string());
        }
        assert_eq!(
            marked.len(),
            data["statistics"].as_array().unwrap().len(),
            "{name}"
        );
        // Described in the brief's language.
        let words = match name {
            "ar" => "الإحصاءات",
            "zh" => "统计数据",
            _ => "statistics",
        };
        let csv_link =
            "<link rel=\"alternate\" type=\"text/csv\" href=\"data/statistics.csv\" title=\"";
        let title = &page_text[page_text.find(csv_link).unwrap() + csv_link.len()..];
        let title = &title[..title.find('"').unwrap()];
        assert!(title.contains(words), "{name}: {title}");
        // In the manifest with their media types, linked from the page.
        let opf = text("OEBPS/content.opf");
        let page = text("OEBPS/brief.xhtml");
        let head = &page[..page.find("</head>").unwrap()];
        for (file, mime) in [
            ("statistics.csv", "text/csv"),
            ("statistics.json", "application/json"),
            ("provenance.json", "application/json"),
        ] {
            assert!(
                opf.contains(&format!("media-type=\"{mime}\""))
                    && opf.contains(&format!("href=\"data/{file}\"")),
                "{name}: {opf}"
            );
            assert!(
                head.contains(&format!(
                    "<link rel=\"alternate\" type=\"{mime}\" href=\"data/{file}\""
                )),
                "{name}: {head}"
            );
        }
    }
    // Left out when the pack says so.
    let (epub, files) = built_without_data("epub");
    assert!(!files.iter().any(|(f, _)| f.contains("data/")));
    assert_epubcheck_clean(&epub);
}

/// Text as XML writes it.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[test]
fn every_docx_carries_the_data_in_a_custom_xml_part() {
    for (pack, name) in three_examples() {
        let (docx, from_pdf) = built_beside_the_pdf(&pack, "docx", name);
        assert_openxml_audit_clean(&docx);
        let files = zip_files(&docx);
        let text = |n: &str| zip_text(&files, n);
        let item = text("customXml/item1.xml");
        assert!(
            text("word/_rels/document.xml.rels").contains("Target=\"../customXml/item1.xml\"")
                && text("[Content_Types].xml").contains("/customXml/itemProps1.xml")
                && text("customXml/_rels/item1.xml.rels").contains("Target=\"itemProps1.xml\"")
                && text("customXml/itemProps1.xml").contains("urn:briefkit:data:1"),
            "{name}"
        );
        // The statistics as the PDF carries them: each one, as printed, and
        // the same provenance record.
        let file = |n: &str| from_pdf.iter().find(|(f, _)| f == n).unwrap().1.clone();
        let data: serde_json::Value = serde_json::from_slice(&file("statistics.json")).unwrap();
        let stats = data["statistics"].as_array().unwrap();
        assert_eq!(
            item.matches("<statistic id=").count(),
            stats.len(),
            "{name}"
        );
        for s in stats {
            let id = s["id"].as_str().unwrap();
            let at = item
                .find(&format!("<statistic id=\"{}\">", xml(id)))
                .unwrap_or_else(|| panic!("{name}: no `{id}`"));
            let record = &item[at..at + item[at..].find("</statistic>").unwrap()];
            let printed = xml(s["printed"].as_str().unwrap());
            assert!(
                record.contains(&format!("<printed>{printed}</printed>")),
                "{name}: {record}"
            );
        }
        let provenance = String::from_utf8(file("provenance.json")).unwrap();
        assert!(item.contains(&xml(&provenance)), "{name}");
        // Readers still open it and read the same text.
        let converted = libreoffice_pdf(&docx, &format!("data-docx-{name}-lo"));
        assert!(converted.is_file());
        let plain = pandoc(&docx, "docx", "plain");
        assert!(
            plain.contains(stats[0]["printed"].as_str().unwrap()),
            "{name}"
        );
    }
    let (_, files) = built_without_data("docx");
    assert!(!files.iter().any(|(f, _)| f.starts_with("customXml/")));
}
