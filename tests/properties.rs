//! Property tests: random and mutated Markdown, CSV, TOML and YAML front
//! matter go through composition and all three backends. Whatever the
//! input, nothing panics or hangs, and every output is well formed (the PDF
//! parses, every XML part of the EPUB and DOCX parses). A handful of random
//! packs also go through the real validators.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_model::{compose, Assets, ComposeOptions, Date, MemoryWorld, PackEntry};
use briefkit_test_support::*;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeMap;
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
    let mut assets = test_assets();
    let templates: BTreeMap<String, String> =
        ["brief.hbs", "epub/page.xhtml.hbs", "epub/style.css"]
            .iter()
            .map(|n| {
                (
                    n.to_string(),
                    std::fs::read_to_string(root().join("templates").join(n)).unwrap(),
                )
            })
            .collect();
    assets.templates = Box::leak(Box::new(templates));
    assets
}

/// Composes and, when that succeeds, renders all three formats and checks
/// each is well formed. Returns the three outputs.
fn run_pack(
    world: &MemoryWorld,
    entry: PackEntry<'_>,
    assets: &Assets<'_>,
) -> Option<[Vec<u8>; 3]> {
    let options = ComposeOptions {
        brief_template: &assets.templates["brief.hbs"],
        brief_template_name: "brief.hbs",
        formats: &briefkit::formats::names(),
        each_uncited: false,
        pdf_standards: None,
        row: None,
        statistics: None,
    };
    let composed = compose(world, entry, &options).ok()?;
    let assets = Assets {
        images: &composed.images,
        ..*assets
    };
    let pdf = briefkit_pdf::render(&composed.document, &assets, &composed.render_options())
        .unwrap()
        .bytes;
    let epub = briefkit_epub::render(&composed.document, &assets, &composed.render_options())
        .unwrap()
        .bytes;
    let docx = briefkit_docx::render(&composed.document, &assets, &composed.render_options())
        .unwrap()
        .bytes;
    let parsed = lopdf::Document::load_mem(&pdf).unwrap();
    assert!(!parsed.get_pages().is_empty(), "a PDF without pages");
    for zipped in [&epub, &docx] {
        assert_xml_parts_parse(zipped);
    }
    Some([pdf, epub, docx])
}

fn assert_xml_parts_parse(zipped: &[u8]) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zipped)).unwrap();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().to_string();
        if ![".xml", ".xhtml", ".opf", ".rels", ".ncx"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            continue;
        }
        let mut text = String::new();
        part.read_to_string(&mut text).unwrap();
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
