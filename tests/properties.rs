//! Property tests: random and mutated Markdown, CSV, TOML and YAML front
//! matter go through composition and all three backends. Whatever the
//! input, nothing panics or hangs, and every output is well formed (the PDF
//! parses, every XML part of the EPUB and DOCX parses). A handful of random
//! packs also go through the real validators.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_compose::{compose, ComposeOptions, PackEntry};
use briefkit_model::{Assets, Date, MemoryWorld};
use briefkit_test_support::*;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use std::io::Read;
use std::time::{Duration, Instant};

const BRIEF: &str = "[brief]\ntitle = \"A random brief\"\ndate = \"2026-11-28\"\nlanguage = \"es\"\nkey_figures = [\"victims\"]\n\n[chart]\nstatistics = [\"victims\", \"share\"]\n";
const STATS: &str = "id,value,unit,label,period,source,source_url\nvictims,1336,people,victims reported,2024,Fiscalía,https://example.org/a\nshare,25,people,cases in the capital,2024,INEGI,\n";
const ARTICLE: &str = "## Lo que se encontró\n\nLa fiscalía registró {{stat \"victims\"}} víctimas y {{stat \"share\"}} casos.\n\n- uno\n- dos\n\n> Una cita.\n\n| a | b |\n|---|--:|\n| x | 1 |\n";

/// Pieces of Markdown that exercise the parser and the converter: block
/// starts, inline marks, links, images, footnotes, template braces, HTML,
/// scripts from right to left and emoji.
const PIECES: &[&str] = &[
    "# ",
    "## ",
    "###### ",
    "- ",
    "* ",
    "1. ",
    "3) ",
    "> ",
    "    ",
    "\t",
    "\n",
    "\n\n",
    "*",
    "**",
    "_",
    "~~",
    "`",
    "```\n",
    "[",
    "]",
    "(",
    ")",
    "](",
    "![",
    "](#sources)",
    "](https://example.org/x)",
    "](mailto:a@example.org)",
    "](javascript:alert(1))",
    "](images/none.png)",
    "[^1]",
    "[^1]: ",
    "[^n]",
    "{{stat \"victims\"}}",
    "{{stat \"share\" format=\"compact\"}}",
    "{{stat_label \"victims\"}}",
    "{{",
    "}}",
    "\\{{",
    "<b>",
    "</b>",
    "<script>",
    "<bk-stat ref=\"victims\">",
    "</bk-stat>",
    "<bk-chart/>",
    "|",
    "|---|",
    "---",
    "***",
    "&amp;",
    "&#x09;",
    "1,336",
    "2024",
    "45 %",
    "http://example.org/a/b",
    "a@example.org",
    "niños",
    "Ünïcödé",
    "مرحبا بالعالم",
    "中文文本",
    "🙂‍👩‍👩‍👧",
    "\u{300}",
    "\u{ad}",
    "\u{a0}",
    "\r\n",
    "\u{feff}",
    "word ",
    "longwordwithoutanyspacesatalltobreakanywhereinthemeasure ",
];

fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => proptest::sample::select(PIECES).prop_map(str::to_string),
        2 => "[a-zA-Z0-9 .,;:!?'()\\-]{1,12}",
        1 => any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

/// A valid text with a few of its characters replaced, removed or doubled.
fn mutated(base: &'static str) -> impl Strategy<Value = String> {
    let edit = (any::<prop::sample::Index>(), 0u8..4, any::<char>());
    proptest::collection::vec(edit, 0..8).prop_map(move |edits| {
        let mut chars: Vec<char> = base.chars().collect();
        for (at, op, c) in edits {
            if chars.is_empty() {
                chars.push(c);
                continue;
            }
            let i = at.index(chars.len());
            match op {
                0 => chars[i] = c,
                1 => {
                    chars.remove(i);
                }
                2 => chars.insert(i, c),
                _ => {
                    let ch = chars[i];
                    chars.insert(i, ch);
                }
            }
        }
        chars.into_iter().collect()
    })
}

fn assets() -> Assets<'static> {
    test_assets()
}

/// The brief layout template (each format embeds its own).
fn brief_template() -> &'static str {
    static TEMPLATE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| std::fs::read_to_string(root().join("templates/brief.hbs")).unwrap())
}

/// Composes and, when that succeeds, renders all three formats and checks
/// each is well formed. Returns the three outputs.
fn run_pack(
    world: &MemoryWorld,
    entry: PackEntry<'_>,
    assets: &Assets<'_>,
) -> Option<[Vec<u8>; 3]> {
    let composed = compose_row(world, entry, assets, None).ok()?;
    Some(render_checked(&composed, assets))
}

/// Composes a pack (the brief of `row`, for a batch) with the embedded
/// brief template.
fn compose_row(
    world: &MemoryWorld,
    entry: PackEntry<'_>,
    _assets: &Assets<'_>,
    row: Option<&briefkit_compose::batch::Row>,
) -> Result<briefkit_compose::Composed, briefkit_compose::ComposeError> {
    let options = ComposeOptions {
        brief_template: brief_template(),
        brief_template_name: "brief.hbs",
        backends: &briefkit::formats::FORMATS,
        formats: &[],
        settings: &[],
        each_uncited: false,
        row,
        statistics: None,
        embed_data: None,
    };
    compose(world, entry, &options)
}

/// Renders all three formats and checks each is well formed.
fn render_checked(composed: &briefkit_compose::Composed, assets: &Assets<'_>) -> [Vec<u8>; 3] {
    let assets = Assets {
        images: &composed.images,
        ..*assets
    };
    let options = composed.render_options();
    let pdf = briefkit_pdf::BACKEND
        .render_default(&composed.document, &assets, &options)
        .unwrap()
        .bytes;
    let epub = briefkit_epub::BACKEND
        .render_default(&composed.document, &assets, &options)
        .unwrap()
        .bytes;
    let docx = briefkit_docx::BACKEND
        .render_default(&composed.document, &assets, &options)
        .unwrap()
        .bytes;
    let parsed = lopdf::Document::load_mem(&pdf).unwrap();
    assert!(!parsed.get_pages().is_empty(), "a PDF without pages");
    for zipped in [&epub, &docx] {
        assert_xml_parts_parse(zipped);
    }
    [pdf, epub, docx]
}

fn assert_xml_parts_parse(zipped: &[u8]) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zipped)).unwrap();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().to_string();
        if ![".xml", ".xhtml", ".opf", ".rels", ".ncx", ".svg"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            continue;
        }
        let mut text = String::new();
        part.read_to_string(&mut text).unwrap();
        // quick-xml does not check characters: XML 1.0's Char production.
        if let Some(c) = text.chars().find(|c| {
            !matches!(*c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        }) {
            panic!("{name} holds U+{:04X}, which XML cannot carry", c as u32);
        }
        let mut reader = quick_xml::Reader::from_str(&text);
        reader.config_mut().check_end_names = true;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name} is not well formed: {e}\n{text}"),
            }
        }
    }
}

fn world(brief: &str, article: &str, stats: &str) -> MemoryWorld {
    MemoryWorld::new(Date::from_unix(0))
        .with_file("brief.toml", brief)
        .with_file("article.md", article)
        .with_file("stats.csv", stats)
}

/// A runner with a fixed seed, so that a CI failure can be reproduced.
fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = proptest::test_runner::TestRng::deterministic_rng(config.rng_algorithm);
    TestRunner::new_with_rng(config, rng)
}

/// Runs a property test on a thread with a 64 MiB stack, as the command
/// line renders: composition and the backends recurse over nesting that is
/// bounded (lists 9, quotes 8, inline marks 16 levels), but unoptimised
/// frames are large, and a random case once overflowed libtest's 2 MiB.
fn on_big_stack(test: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(test)
        .unwrap()
        .join()
        .unwrap();
}

/// Runs `cases` cases of `strategy`, each within `limit`.
fn check<S: Strategy>(cases: u32, strategy: S, limit: Duration, test: impl Fn(S::Value))
where
    S::Value: std::fmt::Debug,
{
    runner(cases)
        .run(&strategy, |value| {
            let started = Instant::now();
            test(value);
            prop_assert!(
                started.elapsed() < limit,
                "one case took {:?}",
                started.elapsed()
            );
            Ok(())
        })
        .unwrap();
}

#[test]
fn random_markdown_never_breaks_any_format() {
    on_big_stack(|| {
        let assets = assets();
        check(600, markdown(), Duration::from_secs(10), |md| {
            let article = format!("{ARTICLE}\n{md}");
            run_pack(
                &world(BRIEF, &article, STATS),
                PackEntry::Directory,
                &assets,
            );
        });
    });
}

#[test]
fn mutated_articles_never_break_any_format() {
    on_big_stack(|| {
        let assets = assets();
        check(400, mutated(ARTICLE), Duration::from_secs(10), |article| {
            run_pack(
                &world(BRIEF, &article, STATS),
                PackEntry::Directory,
                &assets,
            );
        });
    });
}

#[test]
fn mutated_statistics_and_settings_never_panic() {
    on_big_stack(|| {
        let assets = assets();
        check(
            800,
            (mutated(STATS), mutated(BRIEF)),
            Duration::from_secs(10),
            |(stats, brief)| {
                run_pack(
                    &world(&brief, ARTICLE, &stats),
                    PackEntry::Directory,
                    &assets,
                );
            },
        );
        // The same statistics as YAML and JSON.
        const YAML: &str = "- id: victims\n  value: 1336\n  unit: people\n  label: victims reported\n  period: 2024\n  source: Fiscalía\n- id: share\n  value: \"25\"\n  label: cases\n  source: INEGI\n";
        const JSON: &str = "[{\"id\": \"victims\", \"value\": 1336, \"label\": \"victims reported\", \"period\": 2024, \"source\": \"Fiscalía\"}, {\"id\": \"share\", \"value\": \"25\", \"label\": \"cases\", \"source\": \"INEGI\"}]";
        for (name, base) in [("stats.yaml", YAML), ("stats.json", JSON)] {
            let brief = BRIEF.replace(
                "language = \"es\"",
                &format!("language = \"es\"\nstatistics = \"{name}\""),
            );
            check(300, mutated(base), Duration::from_secs(10), |text| {
                let w = world(&brief, ARTICLE, "").with_file(name, text.as_str());
                run_pack(&w, PackEntry::Directory, &assets);
            });
        }
    });
}

#[test]
fn mutated_front_matter_never_panics() {
    on_big_stack(|| {
        const FILE: &str = "---\ntitle: Un informe\ndate: 2026-11-28\nlanguage: fr\nkey_figures: [people]\nstatistics:\n  - id: people\n    value: 20000\n    label: Personnes aidées\n    source: Agence\n    period: \"2025\"\noutput:\n  citations: names\n---\n\nL’agence a aidé {{stat \"people\"}} personnes.\n";
        let assets = assets();
        check(500, mutated(FILE), Duration::from_secs(10), |text| {
            let w = MemoryWorld::new(Date::from_unix(0)).with_file("brief.md", text.as_str());
            run_pack(&w, PackEntry::MarkdownFile("brief.md"), &assets);
        });
    });
}

/// Some random packs, written out and checked by the real validators
/// (qpdf, EPUBCheck, openxml-audit): well formed is not yet valid.
#[test]
fn random_packs_pass_the_validators() {
    on_big_stack(|| {
        let assets = assets();
        let mut runner = TestRunner::deterministic();
        let dir = scratch("properties-validators");
        let mut written = 0;
        while written < 4 {
            let md = markdown().new_tree(&mut runner).unwrap().current();
            let article = format!("{ARTICLE}\n{md}");
            let Some([pdf, epub, docx]) = run_pack(
                &world(BRIEF, &article, STATS),
                PackEntry::Directory,
                &assets,
            ) else {
                continue;
            };
            let stem = dir.join(format!("random-{written}"));
            for (ext, bytes) in [("pdf", &pdf), ("epub", &epub), ("docx", &docx)] {
                std::fs::write(stem.with_extension(ext), bytes).unwrap();
            }
            std::fs::write(stem.with_extension("md"), &article).unwrap();
            assert_qpdf_clean(&stem.with_extension("pdf"));
            assert_epubcheck_clean(&stem.with_extension("epub"));
            assert_openxml_audit_clean(&stem.with_extension("docx"));
            written += 1;
        }
    });
}

/// Text full of what no output can carry: every C0 control, DEL, C1 and
/// the noncharacters U+FFFE and U+FFFF, among letters and spaces. Without
/// line breaks when it goes into a TOML string raw.
fn hostile_text(line_breaks: bool) -> impl Strategy<Value = String> {
    let control = (0u32..0x20)
        .prop_filter("a line break", move |c| {
            line_breaks || !matches!(c, 0xA | 0xD)
        })
        .prop_map(|c| char::from_u32(c).unwrap());
    let c = prop_oneof![
        4 => control,
        1 => (0x7Fu32..0xA0).prop_map(|c| char::from_u32(c).unwrap()),
        1 => proptest::sample::select(vec!['\u{FFFE}', '\u{FFFF}']),
        6 => proptest::sample::select("abcxyz ABC éü中ع".chars().collect::<Vec<_>>()),
    ];
    // A letter first: a field of controls alone is empty once they go
    // (and an empty label or source is an error of its own).
    proptest::collection::vec(c, 1..16).prop_map(|v| format!("a{}", String::from_iter(v)))
}

/// `text` as a TOML basic string: raw, or with every control written as
/// an escape (`\u0001`), which only parsing turns into the character.
fn toml_string(text: &str, escaped: bool) -> String {
    let body: String = text
        .chars()
        .map(|c| {
            if escaped && (c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}')) {
                format!("\\u{:04X}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect();
    format!("\"{body}\"")
}

#[test]
fn control_characters_in_every_text_field_never_reach_an_output() {
    on_big_stack(|| {
        let assets = assets();
        let fields = proptest::collection::vec(hostile_text(false), 9);
        let cells = proptest::collection::vec(hostile_text(true), 6);
        let dir = scratch("properties-controls");
        let checked = std::sync::atomic::AtomicUsize::new(0);
        check(
            160,
            (fields, cells, hostile_text(true), any::<bool>()),
            Duration::from_secs(20),
            |(f, c, prose, escaped)| {
                let t = |i: usize| toml_string(&f[i], escaped);
                let brief = format!(
                    "[brief]\ntitle = {}\nsubtitle = {}\norganization = {}\nsummary = {}\nkeywords = [{}]\ndate = \"2026-11-28\"\nlanguage = \"en\"\nkey_figures = [\"victims\"]\n\n[batch]\nrows = \"rows.csv\"\nkey = \"code\"\n\n[chart]\ntitle = {}\nstatistics = [\"victims\"]\n\n[contact]\nname = {}\norganization = {}\nemail = \"desk@example.org\"\n",
                    t(0), t(1), t(2), t(3), t(4), t(5), t(6), t(7)
                );
                let q = |i: usize| format!("\"{}\"", c[i]);
                let stats = format!(
                    "id,value,unit,label,period,source,note\nvictims,1336,{},{},2024,{},{}\nshare,25,%,{},{},INEGI,\n",
                    q(0), q(1), q(2), q(3), q(4), q(5)
                );
                let rows = format!("code,name\nMEX,\"{}\"\n", f[8].replace('"', ""));
                let article = format!(
                    "## {{{{row.name}}}}\n\nIn {{{{row.name}}}} the office recorded {{{{stat \"victims\"}}}} victims, {{{{stat \"share\"}}}} of the cases.\n\n{prose}\n"
                );
                let world = MemoryWorld::new(Date::from_unix(0))
                    .with_file("brief.toml", brief.as_str())
                    .with_file("article.md", article.as_str())
                    .with_file("stats.csv", stats.as_str())
                    .with_file("rows.csv", rows.as_str());
                let batch = briefkit_compose::compose::batch_rows(&world, PackEntry::Directory)
                    .unwrap_or_else(|d| panic!("{d}\n{rows}"))
                    .unwrap();
                let composed =
                    compose_row(&world, PackEntry::Directory, &assets, Some(&batch.rows[0]))
                        .unwrap_or_else(|e| {
                            let briefkit_compose::ComposeError::Content { diagnostics } = e else {
                                panic!("{e}")
                            };
                            let errors: Vec<String> = diagnostics
                                .iter()
                                .filter(|d| d.is_error())
                                .map(ToString::to_string)
                                .collect();
                            panic!("{errors:#?}\n{brief}\n{stats}\n{article}")
                        });
                assert!(
                    composed
                        .warnings
                        .iter()
                        .any(|w| w.kind.is_some_and(|k| k.as_str() == "control-character")),
                    "no warning about the controls"
                );
                let [pdf, ..] = render_checked(&composed, &assets);
                // A few of them through qpdf too.
                let n = checked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n < 4 {
                    let path = dir.join(format!("controls-{n}.pdf"));
                    std::fs::write(&path, &pdf).unwrap();
                    assert_qpdf_clean(&path);
                    let (ok, text) = run("pdftotext", &[path.to_str().unwrap(), "-"]);
                    assert!(ok, "{text}");
                    let bad = text.chars().find(|c| {
                        !matches!(*c, '\n' | '\u{c}')
                            && (c.is_control() || matches!(*c, '\u{FFFE}' | '\u{FFFF}'))
                    });
                    assert_eq!(bad, None, "the PDF's text holds a control:\n{text}");
                }
            },
        );
    });
}
