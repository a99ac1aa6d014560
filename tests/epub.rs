//! The EPUB as readers and checkers see it: EPUBCheck 4 and 5 on a long
//! report, every model text in spine order, pandoc's reading of it, DAISY
//! Ace's accessibility report, and no sideways scrolling at phone width.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;
use std::path::{Path, PathBuf};

/// Unpacks an EPUB into a scratch directory.
fn unpack(epub: &Path, name: &str) -> PathBuf {
    let dir = scratch(name);
    let (ok, text) = run(
        "unzip",
        &[
            "-q",
            "-o",
            epub.to_str().unwrap(),
            "-d",
            dir.to_str().unwrap(),
        ],
    );
    assert!(ok, "unzip: {text}");
    dir
}

/// The XHTML files of the spine, in reading order.
fn spine(dir: &Path) -> Vec<PathBuf> {
    let opf = std::fs::read_to_string(dir.join("OEBPS/content.opf")).unwrap();
    let mut hrefs = std::collections::BTreeMap::new();
    for item in opf.split("<item ").skip(1) {
        let attr = |name: &str| {
            item.split(&format!("{name}=\""))
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or("")
                .to_string()
        };
        hrefs.insert(attr("id"), attr("href"));
    }
    opf.split("<itemref idref=\"")
        .skip(1)
        .map(|s| dir.join("OEBPS").join(&hrefs[s.split('"').next().unwrap()]))
        .collect()
}

#[test]
fn spine_text_holds_every_paragraph_figure_and_source_in_order() {
    let out = scratch("epub-spine");
    build(&example(), &out);
    let dir = unpack(&out.join("mexico-trafficking.epub"), "epub-spine-unpacked");
    let text: String = spine(&dir)
        .iter()
        .map(|p| xhtml_text(&std::fs::read_to_string(p).unwrap()))
        .collect::<Vec<_>>()
        .join(" ");
    let doc = compose_pack(&example());
    // Compared without white space: markup boundaries (a linked figure, a
    // note mark) add spaces when tags are stripped.
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let text = squash(&text);
    let mut from = 0;
    for original in briefkit_model::text::reading_order(&doc) {
        let piece = squash(&original);
        match text[from..].find(&piece) {
            Some(i) => from += i,
            None => panic!("`{original}` is missing from the EPUB's spine text, or out of order"),
        }
    }
}

#[test]
fn long_report_passes_epubcheck_4_and_5() {
    let pack = scratch("epub-long").join("pack");
    long_report(&pack, 30);
    let out = pack.join("out");
    build(&pack, &out);
    assert_epubcheck_clean(&out.join("pack.epub"));
}

#[test]
fn pandoc_reads_headings_lists_tables_and_notes() {
    if !have("pandoc", &["--version"]) {
        return;
    }
    let out = scratch("epub-pandoc");
    build(&example(), &out);
    let md = pandoc(&out.join("mexico-trafficking.epub"), "epub", "markdown");
    for want in [
        "## Who took part",
        "## What the figures say",
        "## Sources",
        "-   officials of the federal, state and municipal governments;",
        "1.  justice and judicial affairs;",
        "Reported to the authorities",
        "[^1]",
        "jartola@iom.int",
    ] {
        assert!(md.contains(want), "pandoc's Markdown lacks `{want}`:\n{md}");
    }
}

/// Ace and the width check need Node packages and Chromium: scripts/test
/// installs them under target/ace and sets ACE_DIR.
pub(crate) fn ace_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ACE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/ace"));
    if dir.join("node_modules/.bin/ace-puppeteer").is_file()
        && Path::new("/usr/bin/chromium").is_file()
    {
        Some(dir)
    } else {
        assert!(
            may_skip_validators(),
            "DAISY Ace is not installed under {} (scripts/test installs it)",
            dir.display()
        );
        eprintln!("SKIPPED: DAISY Ace or Chromium is not installed; run scripts/test");
        None
    }
}

/// Runs DAISY Ace on `epub` (its report into `report`) and asserts it
/// finds no violation.
pub(crate) fn assert_ace_clean(ace: &Path, epub: &Path, report: &Path) {
    let turn = chromium_turn();
    let o = std::process::Command::new(ace.join("node_modules/.bin/ace-puppeteer"))
        .args(["-o", report.to_str().unwrap(), epub.to_str().unwrap()])
        .env("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")
        .output()
        .unwrap();
    drop(turn);
    assert!(
        o.status.success(),
        "Ace failed: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report.join("report.json")).unwrap())
            .unwrap();
    let mut violations = Vec::new();
    for doc in json["assertions"].as_array().unwrap() {
        for a in doc["assertions"].as_array().into_iter().flatten() {
            violations.push(format!(
                "{}: {} ({})",
                doc["earl:testSubject"]["url"],
                a["earl:test"]["dct:title"],
                a["earl:test"]["earl:impact"]
            ));
        }
    }
    assert!(
        violations.is_empty(),
        "Ace violations in {}:\n{}",
        epub.display(),
        violations.join("\n")
    );
    assert_eq!(json["earl:result"]["earl:outcome"], "pass");
}

#[test]
fn daisy_ace_reports_no_accessibility_violations() {
    let Some(ace) = ace_dir() else { return };
    let out = scratch("epub-ace");
    build(&example(), &out);
    assert_ace_clean(&ace, &out.join("mexico-trafficking.epub"), &out.join("ace"));
}

#[test]
fn the_brief_never_scrolls_sideways_on_a_phone_or_tablet() {
    let Some(ace) = ace_dir() else { return };
    let out = scratch("epub-width");
    build(&example(), &out);
    let dir = unpack(&out.join("mexico-trafficking.epub"), "epub-width-unpacked");
    let page = dir.join("OEBPS/brief.xhtml").to_str().unwrap().to_string();
    let widths = ["360", "400", "768"].map(String::from);
    let args: Vec<String> = std::iter::once(page).chain(widths).collect();
    let results = chromium_script(&ace, "reading_width.js", &args);
    for r in results.as_array().unwrap() {
        assert!(
            r["wide"].as_array().unwrap().is_empty() && r["scrollWidth"] == r["clientWidth"],
            "too wide at {}px: {r}",
            r["width"]
        );
    }
}

#[test]
fn fonts_are_embedded_subset_and_declared() {
    let out = scratch("epub-fonts");
    build(&example(), &out);
    let dir = unpack(&out.join("mexico-trafficking.epub"), "epub-fonts-unpacked");
    let css = std::fs::read_to_string(dir.join("OEBPS/stylesheet.css")).unwrap();
    let opf = std::fs::read_to_string(dir.join("OEBPS/content.opf")).unwrap();
    for face in [
        "NotoSerif-Regular",
        "NotoSerif-Bold",
        "NotoSerif-Italic",
        "NotoSans-Regular",
        "NotoSans-Bold",
    ] {
        let file = dir.join(format!("OEBPS/fonts/{face}.ttf"));
        let len = std::fs::metadata(&file).unwrap().len();
        let full = std::fs::metadata(root().join(format!("fonts/{face}.ttf")))
            .unwrap()
            .len();
        assert!(
            len * 5 < full,
            "{face} is not subset: {len} of {full} bytes"
        );
        assert!(
            css.contains(&format!("url(\"fonts/{face}.ttf\")")),
            "no @font-face for {face}"
        );
        assert!(
            opf.contains(&format!(
                "href=\"fonts/{face}.ttf\" media-type=\"font/ttf\""
            )) || opf.contains(&format!(
                "media-type=\"font/ttf\" id=\"id_fonts_{face}.ttf\" href=\"fonts/{face}.ttf\""
            )) || opf.contains(&format!("href=\"fonts/{face}.ttf\"")),
            "{face} not in the manifest"
        );
    }
    if have("fc-scan", &["--version"]) {
        let (_, chars) = run(
            "fc-scan",
            &[
                "--format",
                "%{charset}",
                dir.join("OEBPS/fonts/NotoSerif-Regular.ttf")
                    .to_str()
                    .unwrap(),
            ],
        );
        // ’ (2019) and – (2013) are in the text, so they are in the subset's cmap.
        assert!(chars.contains("2013") && chars.contains("2019"), "{chars}");
    }
}

#[test]
fn accessibility_claims_drop_when_an_image_lacks_alt_text() {
    let pack = scratch("epub-no-alt").join("pack");
    copy_pack(&root().join("tests/fixtures/packs/yaml-image"), &pack);
    let opf_of = |pack: &Path, name: &str| {
        let out = pack.join(name);
        build(pack, &out);
        let dir = unpack(&out.join("pack.epub"), &format!("epub-no-alt-{name}"));
        std::fs::read_to_string(dir.join("OEBPS/content.opf")).unwrap()
    };
    let described = opf_of(&pack, "out-a");
    assert!(
        described.contains("dcterms:conformsTo") && described.contains(">alternativeText<"),
        "{described}"
    );
    let pack = pack_without_alt_text("epub-no-alt-bare");
    let bare = opf_of(&pack, "out-b");
    assert!(
        !bare.contains("dcterms:conformsTo"),
        "conformance claimed with an undescribed image"
    );
    assert!(
        !bare.contains(">alternativeText<"),
        "alternativeText claimed with an undescribed image"
    );
}

#[test]
fn navigation_nests_subsections_under_their_sections() {
    let out = scratch("epub-nav");
    build(&root().join("tests/fixtures/packs/json-spanish"), &out);
    let dir = unpack(&out.join("json-spanish.epub"), "epub-nav-unpacked");
    let nav = std::fs::read_to_string(dir.join("OEBPS/nav.xhtml")).unwrap();
    let section = nav
        .find("Lo que dicen las cifras")
        .expect("section in the TOC");
    let sub = nav
        .find("Por qué pocos casos llegan a juicio")
        .expect("subsection in the TOC");
    let between = &nav[section..sub];
    assert!(
        between.contains("<ol>"),
        "the subsection is not nested under its section:\n{nav}"
    );
    assert!(
        nav.contains("lang=\"es\""),
        "the nav page carries the book's language"
    );
    assert!(
        nav.contains("epub:type=\"bibliography\" href=\"brief.xhtml#sec-fuentes\""),
        "{nav}"
    );
}

#[test]
fn the_cover_wraps_every_script_and_clips_nothing() {
    let Some(ace) = ace_dir() else { return };
    let dir = scratch("epub-cover");
    // Titles of about 10, 30 and 60 characters in English, Arabic and
    // Chinese, and a word longer than the cover is wide.
    let cases: &[(&str, &str, &str)] = &[
        ("en", "mexico-trafficking", "Hope rises"),
        ("en", "mexico-trafficking", "A workshop on the southern edge"),
        ("en", "mexico-trafficking", "Practical approaches to combating human trafficking in Mexico"),
        ("en", "mexico-trafficking", "Antidisestablishmentarianism-and-counter-trafficking-cooperation"),
        ("ar", "mexico-trafficking-ar", "الأمل يرتفع"),
        ("ar", "mexico-trafficking-ar", "ورشة عمل على الحدود الجنوبية للمكسيك"),
        ("ar", "mexico-trafficking-ar", "مقاربات عملية لمكافحة الاتجار بالبشر في المكسيك وأمريكا الوسطى اليوم"),
        ("zh", "mexico-trafficking-zh", "墨西哥人口贩运问题"),
        ("zh", "mexico-trafficking-zh", "在墨西哥南部边境举办的一次关于打击人口贩运务实做法的研讨会"),
        ("zh", "mexico-trafficking-zh", "墨西哥打击人口贩运的务实做法：塔帕丘拉为期两天的研讨会汇聚了哪些力量，又以哪些数据为依据，今后又将走向何方"),
    ];
    let mut svgs = Vec::new();
    for (n, (lang, example, title)) in cases.iter().enumerate() {
        let pack = dir.join(format!("pack-{n}"));
        copy_pack(&root().join("examples").join(example), &pack);
        let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
        let start = toml.find("\ntitle = \"").unwrap() + 1;
        let end = start + toml[start..].find('\n').unwrap();
        let toml = format!("{}title = \"{title}\"{}", &toml[..start], &toml[end..]);
        std::fs::write(pack.join("brief.toml"), toml).unwrap();
        let out = dir.join(format!("out-{n}"));
        let o = briefkit_build(&pack, &out, &["-f", "epub"]);
        assert!(
            o.status.success(),
            "{lang} {title}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let unpacked = unpack(
            &out.join(format!("pack-{n}.epub")),
            &format!("epub-cover-{n}"),
        );
        svgs.push((lang, title, unpacked.join("OEBPS/cover.svg")));
    }
    let args: Vec<String> = svgs
        .iter()
        .map(|(_, _, p)| p.to_str().unwrap().to_string())
        .collect();
    let results = chromium_script(&ace, "svg_text_boxes.js", &args);
    for (r, (lang, title, _)) in results.as_array().unwrap().iter().zip(&svgs) {
        let width = r["viewBox"][2].as_f64().unwrap();
        let mut title_lines = 0;
        for t in r["texts"].as_array().unwrap() {
            let (x, w) = (t["x"].as_f64().unwrap(), t["width"].as_f64().unwrap());
            // Inside the cover, with its margin (the text box is 120 in).
            assert!(
                x >= 100.0 && x + w <= width - 100.0,
                "{lang} `{title}`: `{}` drawn from {x:.0} to {:.0} of {width}",
                t["text"],
                x + w
            );
            if title.contains(t["text"].as_str().unwrap()) {
                title_lines += 1;
            }
        }
        // Every line of the title is its text: nothing dropped.
        assert!(title_lines >= 1, "{lang} `{title}`: no title line");
    }
}
