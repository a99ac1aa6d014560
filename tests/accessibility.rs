//! Accessible, archival PDF: every pack's PDF passes PDF/UA-1 and
//! PDF/A-3a in page-validation with 0 failed rules, its structure reads in
//! the e-book's order with no page furniture in it, and the claims follow
//! `[output] pdf_standard`, `--pdf-standard` and the images' alt text.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;
use std::path::{Path, PathBuf};

/// Builds `pack` with `extra` arguments into a scratch directory: the
/// command's output and the directory.
fn build_with(pack: &Path, name: &str, extra: &[&str]) -> (std::process::Output, PathBuf) {
    let out = scratch(&format!("a11y-{name}"));
    let mut args = vec!["build", pack.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    (briefkit(&args), out)
}

/// Builds the PDF of `pack` and returns its path.
fn pdf_of(pack: &Path, name: &str, extra: &[&str]) -> PathBuf {
    build_pdf(pack, &scratch(&format!("a11y-{name}")), extra).0
}

fn xmp(pdf: &Path) -> String {
    let bytes = std::fs::read(pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let start = text.find("<x:xmpmeta").expect("an XMP packet");
    let end = text[start..].find("</x:xmpmeta>").unwrap() + start;
    text[start..end].to_string()
}

#[test]
fn every_pack_passes_pdf_ua1_and_pdf_a3a() {
    let long = scratch("a11y-long-pack").join("pack");
    // About two hundred pages, with a table of contents and tables that
    // run over pages.
    long_report_with(&long, 180, true);
    for (pack, name) in [
        (example(), "example"),
        (
            root().join("tests/fixtures/packs/yaml-image"),
            "letter-image",
        ),
        (root().join("tests/fixtures/packs/json-spanish"), "spanish"),
        (long, "long"),
    ] {
        let pdf = pdf_of(&pack, name, &[]);
        if have("pdfinfo", &["-v"]) {
            let (_, info) = run("pdfinfo", &[pdf.to_str().unwrap()]);
            assert!(info.contains("Tagged:          yes"), "{name}: {info}");
            assert!(info.contains("PDF version:     1.7"), "{name}: {info}");
        }
        let meta = xmp(&pdf);
        assert!(
            meta.contains("<pdfuaid:part>1</pdfuaid:part>")
                && meta.contains("<pdfaid:part>3</pdfaid:part>")
                && meta.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
            "{name}: {meta}"
        );
        assert_pdf_profiles(&pdf, &["ua1", "pdfa-3a"]);
        assert_qpdf_clean(&pdf);
    }
}

#[test]
fn the_structure_reads_in_the_ebooks_order_without_page_furniture() {
    for (pack, name) in [
        (example(), "order-example"),
        (
            root().join("tests/fixtures/packs/json-spanish"),
            "order-spanish",
        ),
    ] {
        let pdf = pdf_of(&pack, name, &[]);
        let Some(text) = struct_text(&pdf) else {
            return;
        };
        let doc = compose_pack(&pack);
        let flat = squash(&text);
        let mut at = 0;
        for piece in briefkit_model::text::reading_order(&doc) {
            let p = squash(&piece);
            match flat[at..].find(&p) {
                Some(i) => at += i + p.len(),
                None => panic!(
                    "{name}: `{piece}` is missing from the structure or out of order; after the last match: {}",
                    flat[at..].chars().take(200).collect::<String>()
                ),
            }
        }
        // No running header, footer or page number: the title is read once
        // (its heading), the organisation as often as the pieces hold it.
        let labels = &doc.metadata.labels;
        let page_one = squash(&labels.page_of("1", ""));
        assert!(
            !flat.contains(&page_one),
            "{name}: a page number is content"
        );
        let title = squash(&doc.metadata.title);
        assert_eq!(
            flat.matches(&title).count(),
            1,
            "{name}: the running title is content"
        );
        // Words are apart: the text keeps its spaces.
        assert!(text.contains(&doc.metadata.title), "{name}: {text}");
    }
}

#[test]
fn an_image_without_alt_text_drops_the_claims_and_fails_a_strict_build() {
    let pack = pack_without_alt_text("a11y-no-alt");
    // A warning at the image says what the PDF claims instead (only the
    // formats built say what they claim).
    let (o, out) = build_with(&pack, "no-alt-out", &["-f", "pdf"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning: the PDF claims PDF/A-3b instead of PDF/UA-1 and PDF/A-3a: image `images/map.png` has no alt text")
            && err.contains("warning: image `images/map.png` has no alt text: a reader who cannot see it")
            && err.matches("article.md:6:1").count() == 2
            && !err.contains("EPUB"),
        "{err}"
    );
    let (o, _) = build_with(&pack, "no-alt-epub", &["-f", "epub"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success()
            && err.contains("warning: the EPUB claims no accessibility conformance: image `images/map.png` has no alt text")
            && err.matches("article.md:6:1").count() == 2
            && !err.contains("PDF/A-3b"),
        "{err}"
    );
    let pdf = out.join("pack.pdf");
    let meta = xmp(&pdf);
    assert!(
        !meta.contains("pdfuaid") && meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{meta}"
    );
    // Still tagged, and a valid PDF/A-3b (it carries the brief's data).
    assert_pdf_profiles(&pdf, &["pdfa-3b"]);
    // Asked for on the command line, the claim that cannot be met is an
    // error, and nothing is written.
    let (o, strict_out) = build_with(&pack, "no-alt-strict", &["--pdf-standard", "ua-1"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: image `images/map.png` has no alt text, which PDF/UA-1 requires")
            && err.contains("article.md:6:1"),
        "{err}"
    );
    assert!(!strict_out.join("pack.pdf").exists());
    // `[output.pdf] strict` in the pack does the same.
    let settings = pack.join("brief.toml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, format!("{text}\n[output.pdf]\nstrict = true\n")).unwrap();
    let (o, strict_out) = build_with(&pack, "no-alt-strict-pack", &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "error: image `images/map.png` has no alt text, which PDF/UA-1 and PDF/A-3a require"
        ),
        "{err}"
    );
    assert!(!strict_out.join("pack.pdf").exists());
}

#[test]
fn pdf_standard_chooses_the_claims() {
    let pack = scratch("a11y-standard").join("pack");
    copy_pack(&example(), &pack);
    let settings = pack.join("brief.toml");
    let original = std::fs::read_to_string(&settings).unwrap();
    let with = |list: &str| {
        let text = if original.contains("[output]") {
            original.replace("[output]", &format!("[output]\npdf_standard = {list}"))
        } else {
            format!("{original}\n[output]\npdf_standard = {list}\n")
        };
        std::fs::write(&settings, text).unwrap();
    };
    with(r#"["a-2b"]"#);
    let pdf = pdf_of(&pack, "standard-a2b", &[]);
    let meta = xmp(&pdf);
    assert!(
        !meta.contains("pdfuaid") && meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{meta}"
    );
    // Level B of PDF/A-3: the PDF carries the brief's data.
    assert_pdf_profiles(&pdf, &["pdfa-3b"]);
    assert!(meta.contains("<pdfaid:part>3</pdfaid:part>"), "{meta}");
    // Tagging stays on whatever is claimed.
    let doc = lopdf::Document::load(&pdf).unwrap();
    assert!(doc.catalog().unwrap().get(b"StructTreeRoot").is_ok());

    with(r#"["none"]"#);
    let meta = xmp(&pdf_of(&pack, "standard-none", &[]));
    assert!(
        !meta.contains("pdfaid") && !meta.contains("pdfuaid"),
        "{meta}"
    );

    // The command line overrides the settings.
    let meta = xmp(&pdf_of(
        &pack,
        "standard-cli",
        &["--pdf-standard", "ua-1,a-2a"],
    ));
    assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "{meta}");

    // An impossible list is an error where the settings give it.
    with(r#"["a-2a", "a-2b"]"#);
    let o = briefkit(&["check", pack.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("`pdf_standard`: a PDF conforms to one part and level of PDF/A")
            && err.contains("brief.toml:"),
        "{err}"
    );
    // An unknown name on the command line is a usage error.
    let o = briefkit(&["check", pack.to_str().unwrap(), "--pdf-standard", "x-1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown PDF standard `x-1`"));
}
