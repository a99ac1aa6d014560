//! Hostile packs: a pack may come from anyone, so none may read outside its
//! folder, crash the build, or take longer than its size warrants.
//!
//! `tests/fixtures/hostile/CASE/` holds a `pack/` and an `expect.toml`
//! saying what the case tries (`about`), the exit code, text stderr must
//! hold, text no output may hold (`absent`) and a time limit. Symbolic
//! links, which point at places on the machine running the test, are made
//! here instead.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;
use serde::Deserialize;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    about: String,
    exit: i32,
    stderr: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    max_seconds: Option<u64>,
}

/// Builds `pack` into a fresh `out` and returns (exit code, stderr, time).
fn build_into(pack: &Path, out: &Path) -> (i32, String, Duration) {
    let started = Instant::now();
    let o = briefkit(&["build", pack.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (o.status.code().unwrap_or(-1), stderr, took)
}

/// Every text an output carries where a reader's software would act on
/// it: the EPUB's and DOCX's parts unzipped, the PDF with its objects
/// written out uncompressed by qpdf.
fn output_texts(out: &Path) -> Vec<(PathBuf, String)> {
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(out).unwrap() {
        let path = entry.unwrap().path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("epub" | "docx") => {
                let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
                for i in 0..zip.len() {
                    let mut part = zip.by_index(i).unwrap();
                    let mut bytes = Vec::new();
                    part.read_to_end(&mut bytes).unwrap();
                    let name = path.join(part.name());
                    texts.push((name, String::from_utf8_lossy(&bytes).into_owned()));
                }
            }
            Some("pdf") if have("qpdf", &["--version"]) => {
                let plain = out.join("plain.qdf");
                let (ok, text) = run(
                    "qpdf",
                    &[
                        "--qdf",
                        "--object-streams=disable",
                        path.to_str().unwrap(),
                        plain.to_str().unwrap(),
                    ],
                );
                assert!(ok, "{text}");
                let bytes = std::fs::read(&plain).unwrap();
                std::fs::remove_file(&plain).unwrap();
                texts.push((path.clone(), String::from_utf8_lossy(&bytes).into_owned()));
            }
            _ => {}
        }
    }
    texts
}

/// The outputs of a build that succeeded pass the validators.
fn assert_outputs_valid(out: &Path, name: &str) {
    assert_qpdf_clean(&out.join(format!("{name}.pdf")));
    assert_epubcheck_clean(&out.join(format!("{name}.epub")));
    assert_openxml_audit_clean(&out.join(format!("{name}.docx")));
}

#[test]
fn every_hostile_case_gets_its_expected_outcome() {
    let corpus = root().join("tests/fixtures/hostile");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 20,
        "the hostile corpus lost cases: {cases:?}"
    );
    for case in cases {
        let name = case.file_name().unwrap().to_str().unwrap().to_string();
        let expect: Expect =
            toml::from_str(&std::fs::read_to_string(case.join("expect.toml")).unwrap())
                .unwrap_or_else(|e| panic!("{name}/expect.toml: {e}"));
        let out = scratch(&format!("hostile-{name}"));
        std::fs::remove_dir(&out).unwrap();
        let (code, stderr, took) = build_into(&case.join("pack"), &out);
        let what = format!("case `{name}` ({})", expect.about);
        assert_eq!(code, expect.exit, "{what}: exit code; stderr:\n{stderr}");
        for needle in &expect.stderr {
            assert!(
                stderr.contains(needle.as_str()),
                "{what}: stderr lacks `{needle}`:\n{stderr}"
            );
        }
        if let Some(limit) = expect.max_seconds {
            assert!(
                took < Duration::from_secs(limit),
                "{what}: took {took:?}, limit {limit} s"
            );
        }
        if expect.exit == 0 {
            for (part, text) in output_texts(&out) {
                for needle in &expect.absent {
                    assert!(
                        !text.contains(needle.as_str()),
                        "{what}: {} carries `{needle}`",
                        part.display()
                    );
                }
            }
            assert_outputs_valid(&out, "pack");
        } else {
            assert!(
                !out.exists(),
                "{what}: a failed build wrote {}",
                out.display()
            );
        }
    }
}

/// A copy of the example pack, with `secret` (a file outside the pack, as
/// a system file would be) beside it.
fn pack_beside_a_secret(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    let secret = dir.join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-CONTENT\n").unwrap();
    (pack, secret)
}

/// Builds `pack` and asserts it is refused with `needle` in the message,
/// writes nothing and never shows the secret.
fn assert_refused(pack: &Path, needle: &str) {
    let (code, stderr, _) = build_into(pack, &pack.join("out"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
    assert!(!stderr.contains("TOP-SECRET"), "{stderr}");
    assert!(!pack.join("out").exists(), "a refused pack wrote outputs");
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_pack_are_refused_and_inside_it_followed() {
    use std::os::unix::fs::symlink;
    // An image, the article and the statistics as links to a file outside.
    let (pack, secret) = pack_beside_a_secret("hostile-symlinks");
    symlink(&secret, pack.join("leak.png")).unwrap();
    append_to_article(&pack, "![a link out](leak.png)");
    assert_refused(&pack, "image `leak.png` is outside the pack");

    for (key, file) in [("article", "article.md"), ("statistics", "stats.csv")] {
        let (pack, secret) = pack_beside_a_secret(&format!("hostile-symlink-{key}"));
        std::fs::remove_file(pack.join(file)).unwrap();
        symlink(&secret, pack.join(file)).unwrap();
        assert_refused(&pack, &format!("`{file}` is outside the pack"));
    }

    // A directory link climbing out, used through a path that looks inside.
    let (pack, secret) = pack_beside_a_secret("hostile-symlink-dir");
    symlink(secret.parent().unwrap(), pack.join("shared")).unwrap();
    append_to_article(&pack, "![map](shared/secret.txt)");
    assert_refused(&pack, "image `shared/secret.txt` is outside the pack");

    // A link that stays inside the pack is followed.
    let dir = scratch("hostile-symlink-inside");
    let pack = dir.join("pack");
    copy_pack(&root().join("tests/fixtures/packs/yaml-image"), &pack);
    let md = std::fs::read_to_string(pack.join("article.md")).unwrap();
    assert!(md.contains("](images/map.png"), "the fixture's image moved");
    symlink(pack.join("images/map.png"), pack.join("same-image.png")).unwrap();
    append_to_article(&pack, "![the same map again](same-image.png)");
    let (code, stderr, _) = build_into(&pack, &dir.join("out"));
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_single_markdown_file_pack_is_confined_to_its_directory() {
    let dir = scratch("hostile-single-file");
    let inner = dir.join("inner");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(dir.join("stats.csv"), "id,value,label,source\nx,1,a,b\n").unwrap();
    let file = inner.join("brief.md");
    std::fs::write(
        &file,
        "---\ntitle: One file\ndate: 2026-11-28\nstatistics: ../stats.csv\n---\n\nText {{stat \"x\"}}.\n",
    )
    .unwrap();
    let o = briefkit(&["check", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the statistics file `../stats.csv` is outside the pack"),
        "{stderr}"
    );
    assert!(stderr.contains("brief.md:4:"), "{stderr}");
}

#[test]
fn a_forbidden_link_stops_every_format() {
    let dir = scratch("hostile-link-formats");
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    append_to_article(&pack, "[click](javascript:alert(1))");
    for format in ["pdf", "epub", "docx"] {
        let out = dir.join(format);
        let o = briefkit(&[
            "build",
            pack.to_str().unwrap(),
            "-f",
            format,
            "-o",
            out.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{format}: {stderr}");
        assert!(
            stderr.contains("uses the `javascript:` scheme"),
            "{format}: {stderr}"
        );
        assert!(!out.exists(), "{format}: written despite the error");
    }
    // The allowed kinds of link reach all three formats (the example's
    // article again, without the forbidden link).
    let md = std::fs::read_to_string(example().join("article.md")).unwrap();
    std::fs::write(
        pack.join("article.md"),
        format!("{md}\n\nWrite to [the office](mailto:office@example.org), call [us](tel:+525512345678), read [the site](https://example.org/report) or [the sources](#sources).\n"),
    )
    .unwrap();
    let out = dir.join("allowed");
    let (code, stderr, _) = build_into(&pack, &out);
    assert_eq!(code, 0, "{stderr}");
    let texts = output_texts(&out);
    for target in [
        "mailto:office@example.org",
        "tel:+525512345678",
        "https://example.org/report",
    ] {
        for ext in ["pdf", "epub", "docx"] {
            assert!(
                texts
                    .iter()
                    .any(|(p, t)| p.to_str().unwrap().contains(&format!(".{ext}"))
                        && t.contains(target)),
                "the {ext} lacks the link to {target}"
            );
        }
    }
}

#[test]
fn a_statistics_dataset_puts_only_what_the_brief_uses_in_the_outputs() {
    let dir = scratch("hostile-dataset");
    let pack = dir.join("pack");
    let (ok, text) = run(
        "python3",
        &[
            root().join("scripts/dataset_pack.py").to_str().unwrap(),
            pack.to_str().unwrap(),
            "--rows",
            "20000",
        ],
    );
    assert!(ok, "{text}");
    let ast = ast(&pack, &[]);
    assert_eq!(
        ast["statistics"].as_array().unwrap().len(),
        10,
        "only the ten cited statistics"
    );
    let sources = ast["sources"].as_array().unwrap();
    assert!(
        sources.len() <= 10,
        "sources of unused statistics are listed: {}",
        sources.len()
    );
    // One summary line naming the first five, in a build and a check;
    // `--verbose` and JSON list each.
    let (code, stderr, _) = build_into(&pack, &dir.join("out"));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("19990 statistics are never cited, so no output shows them: `indicator-0000001`, `indicator-0000002`, `indicator-0000003`, `indicator-0000004`, `indicator-0000005`, …"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("never cited").count(), 1, "{stderr}");
    let o = briefkit(&["check", pack.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(stderr.matches("never cited").count(), 1, "{stderr}");
    let o = briefkit(&["check", pack.to_str().unwrap(), "--verbose"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(stderr.matches("is never cited").count(), 19990);
    let o = briefkit(&["check", pack.to_str().unwrap(), "--format", "json"]);
    let json = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        json.lines()
            .filter(|l| l.contains("\"uncited-statistic\""))
            .count(),
        19990
    );
}

#[test]
fn thousands_of_warnings_print_ten_of_a_kind_and_a_count() {
    let dir = scratch("hostile-many-warnings");
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    let md = std::fs::read_to_string(pack.join("article.md")).unwrap();
    let extra: String = (0..1000)
        .map(|i| {
            format!(
                "In district {i} the team counted {} households.\n\n",
                5000 + i
            )
        })
        .collect();
    std::fs::write(pack.join("article.md"), format!("{md}\n\n{extra}")).unwrap();
    let o = briefkit(&["check", pack.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        stderr.matches("does not come from a statistic").count(),
        10,
        "{stderr}"
    );
    assert!(
        stderr.contains("1990 more `stray-number` warnings are not shown"),
        "{stderr}"
    );
    let o = briefkit(&["check", pack.to_str().unwrap(), "--verbose"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        stderr.matches("does not come from a statistic").count(),
        2000
    );
    let o = briefkit(&["check", pack.to_str().unwrap(), "--format", "json"]);
    let json = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        json.lines()
            .filter(|l| l.contains("\"stray-number\""))
            .count(),
        2000
    );
}
