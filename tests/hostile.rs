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
    assert_pdf_profiles(&out.join(format!("{name}.pdf")), &["ua1", "pdfa-3a"]);
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

/// A pack (the example) in a scratch folder with `elsewhere/` beside it,
/// where links planted in the pack point.
fn pack_beside_elsewhere(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = scratch(name);
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    let elsewhere = dir.join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("keep.txt"), "someone else's file\n").unwrap();
    (dir, pack, elsewhere)
}

/// `briefkit build PACK` (into its own `out`), returning the exit code
/// and stderr.
fn build_plain(pack: &Path) -> (i32, String) {
    let o = briefkit(&["build", pack.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (o.status.code().unwrap_or(-1), stderr)
}

#[cfg(unix)]
#[test]
fn an_output_folder_manifest_folder_or_output_that_is_a_link_is_refused() {
    use std::os::unix::fs::symlink;
    // (case, how the pack ships the link, what the refusal says)
    type Plant<'a> = &'a dyn Fn(&Path, &Path);
    let cases: [(&str, Plant<'_>, &str); 4] = [
        (
            "out-link",
            &|pack, elsewhere| symlink(elsewhere, pack.join("out")).unwrap(),
            "error: the output folder `",
        ),
        (
            "manifest-link",
            &|pack, elsewhere| {
                std::fs::create_dir(pack.join("out")).unwrap();
                symlink(elsewhere, pack.join("out/.briefkit")).unwrap();
            },
            "error: the manifest folder `",
        ),
        (
            "pdf-link",
            &|pack, elsewhere| {
                std::fs::create_dir(pack.join("out")).unwrap();
                symlink(elsewhere.join("keep.txt"), pack.join("out/pack.pdf")).unwrap();
            },
            "error: the output file `",
        ),
        (
            "pdf-dangling-link",
            &|pack, elsewhere| {
                std::fs::create_dir(pack.join("out")).unwrap();
                symlink(elsewhere.join("new.pdf"), pack.join("out/pack.pdf")).unwrap();
            },
            "error: the output file `",
        ),
    ];
    for (name, plant, says) in cases {
        let (dir, pack, elsewhere) = pack_beside_elsewhere(&format!("hostile-{name}"));
        plant(&pack, &elsewhere);
        let before = tree(&dir, &dir.join("nothing"));
        let (code, stderr) = build_plain(&pack);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(stderr.contains(says), "{name}: {stderr}");
        assert!(stderr.contains("is a symbolic link"), "{name}: {stderr}");
        assert_eq!(
            tree(&dir, &dir.join("nothing")),
            before,
            "{name}: the build wrote, changed or removed something"
        );
    }
    // The folder a user names with -o may be a link: their choice.
    let (dir, pack, elsewhere) = pack_beside_elsewhere("hostile-o-link");
    symlink(&elsewhere, dir.join("mine")).unwrap();
    build(&pack, &dir.join("mine"));
    assert!(elsewhere.join("pack.pdf").is_file());
}

#[cfg(unix)]
#[test]
fn links_planted_under_temporary_names_do_not_catch_the_outputs() {
    use std::os::unix::fs::symlink;
    let (dir, pack, elsewhere) = pack_beside_elsewhere("hostile-tmp-names");
    let out = pack.join("out");
    std::fs::create_dir(&out).unwrap();
    // The names the old writer used (any process id), and other guesses.
    for ext in ["pdf", "epub", "docx"] {
        for pid in (1..400).chain([std::process::id()]) {
            symlink(
                elsewhere.join(format!("caught-{ext}-{pid}")),
                out.join(format!(".pack.{ext}.{pid}.tmp")),
            )
            .unwrap();
        }
        symlink(
            elsewhere.join("caught"),
            out.join(format!(".pack.{ext}.tmp")),
        )
        .unwrap();
    }
    let before = tree(&dir, &out);
    let (code, stderr) = build_plain(&pack);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        tree(&dir, &out),
        before,
        "something was written outside out/"
    );
    for ext in ["pdf", "epub", "docx"] {
        let meta = std::fs::symlink_metadata(out.join(format!("pack.{ext}"))).unwrap();
        assert!(meta.is_file(), "pack.{ext} is not a regular file");
    }
    assert_outputs_valid(&out, "pack");
}

/// A build of `pack` into its `out` as the user `who` (a cache folder of
/// their own, so a key of their own): the list of files written, and of
/// files found fresh.
fn build_as(pack: &Path, who: &Path, extra: &[&str]) -> (Vec<String>, Vec<String>) {
    let mut args = vec!["build", pack.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = briefkit_with(&args, &[("BRIEFKIT_CACHE_DIR", who)]);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{stderr}");
    let names = |word: &str| -> Vec<String> {
        stderr
            .lines()
            .filter(|l| l.starts_with(word))
            .map(|l| l.split_whitespace().nth(1).unwrap().to_string())
            .collect()
    };
    (names("wrote "), names("fresh "))
}

#[test]
fn a_shipped_output_folder_is_never_kept_as_fresh() {
    let dir = scratch("hostile-shipped-out");
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    let (attacker, victim) = (dir.join("attacker-cache"), dir.join("victim-cache"));
    // The pack's author builds it, then swaps in a PDF of their own and
    // makes the manifest match it: size, time, hash, and a seal with their
    // own key.
    let (wrote, _) = build_as(&pack, &attacker, &[]);
    assert_eq!(wrote.len(), 3);
    let foreign = b"%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n";
    let pdf = pack.join("out/pack.pdf");
    std::fs::write(&pdf, foreign).unwrap();
    let manifest = pack.join("out/.briefkit/manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    let files = m["briefs"]["pack"]["files"].as_array_mut().unwrap();
    for f in files.iter_mut().filter(|f| f["name"] == "pack.pdf") {
        use sha2::Digest;
        f["bytes"] = foreign.len().into();
        f["sha256"] = format!("{:x}", sha2::Sha256::digest(foreign)).into();
    }
    std::fs::write(&manifest, serde_json::to_string(&m).unwrap()).unwrap();
    // On the author's machine the seal no longer matches: rebuilt.
    let (wrote, fresh) = build_as(&pack, &attacker, &[]);
    assert_eq!((wrote.len(), fresh.len()), (3, 0), "{wrote:?} {fresh:?}");
    // Even a manifest sealed right by its author is not the victim's.
    std::fs::write(&pdf, foreign).unwrap();
    let (wrote, fresh) = build_as(&pack, &victim, &[]);
    assert_eq!((wrote.len(), fresh.len()), (3, 0), "{wrote:?} {fresh:?}");
    assert_ne!(std::fs::read(&pdf).unwrap(), foreign.to_vec());
    assert_qpdf_clean(&pdf);
    // A manifest that does not parse is ignored, never trusted.
    std::fs::write(&manifest, "{ not json").unwrap();
    let (wrote, _) = build_as(&pack, &victim, &[]);
    assert_eq!(wrote.len(), 3);
    // The victim's own build is fresh next time; an output edited by hand
    // makes its brief be built again.
    let (wrote, fresh) = build_as(&pack, &victim, &[]);
    assert_eq!((wrote.len(), fresh.len()), (0, 3));
    let mut bytes = std::fs::read(&pdf).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 1;
    std::fs::write(&pdf, &bytes).unwrap();
    let (wrote, fresh) = build_as(&pack, &victim, &[]);
    assert_eq!((wrote.len(), fresh.len()), (3, 0));
    assert_ne!(std::fs::read(&pdf).unwrap(), bytes);
}

#[test]
fn an_edited_input_anywhere_the_brief_reads_is_seen() {
    let user = scratch("hostile-edits-cache");
    for (name, article, own_folder) in [
        ("dot-folder", ".src/article.md", false),
        ("seven-deep", "a/b/c/d/e/f/g/article.md", false),
        ("own-output-folder", "article.md", true),
    ] {
        let dir = scratch(&format!("hostile-edits-{name}"));
        let pack = dir.join("pack");
        copy_pack(&example(), &pack);
        let path = pack.join(article);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::rename(pack.join("article.md"), &path).unwrap();
        let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
        std::fs::write(
            pack.join("brief.toml"),
            toml.replacen(
                "[brief]\n",
                &format!("[brief]\narticle = \"{article}\"\n"),
                1,
            ),
        )
        .unwrap();
        let extra: &[&str] = if own_folder {
            &["-o", pack.to_str().unwrap()]
        } else {
            &[]
        };
        let (wrote, _) = build_as(&pack, &user, extra);
        assert_eq!(wrote.len(), 3, "{name}");
        let (wrote, fresh) = build_as(&pack, &user, extra);
        assert_eq!((wrote.len(), fresh.len()), (0, 3), "{name}: not fresh");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("\nOne more sentence.\n");
        std::fs::write(&path, text).unwrap();
        let (wrote, fresh) = build_as(&pack, &user, extra);
        assert_eq!(
            (wrote.len(), fresh.len()),
            (3, 0),
            "{name}: the edit was missed"
        );
        let (wrote, fresh) = build_as(&pack, &user, extra);
        assert_eq!((wrote.len(), fresh.len()), (0, 3), "{name}");
    }
}

#[cfg(unix)]
#[test]
fn files_the_brief_never_reads_are_never_touched() {
    use std::os::unix::fs::symlink;
    let dir = scratch("hostile-never-read");
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    let user = dir.join("cache");
    // A FIFO (reading it blocks for ever), ten links to the pack itself
    // (a walk would visit 10^6 folders) and a link to an endless device.
    let (ok, text) = run("mkfifo", &[pack.join("fifo").to_str().unwrap()]);
    assert!(ok, "{text}");
    for i in 0..10 {
        symlink(".", pack.join(format!("loop{i}"))).unwrap();
    }
    symlink("/dev/zero", pack.join("zero")).unwrap();
    for round in 0..2 {
        let started = Instant::now();
        let (wrote, fresh) = build_as(&pack, &user, &[]);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "round {round} took {:?}",
            started.elapsed()
        );
        assert_eq!((wrote.len(), fresh.len()), [(3, 0), (0, 3)][round]);
    }
}

#[test]
fn a_lying_font_on_the_font_path_is_skipped_quickly() {
    let dir = scratch("hostile-font-path");
    let fonts = dir.join("fonts");
    std::fs::create_dir(&fonts).unwrap();
    std::fs::write(
        fonts.join("bomb.ttc"),
        b"ttcf\x00\x01\x00\x00\xff\xff\xff\xff",
    )
    .unwrap();
    let pack = root().join("tests/fixtures/hostile/font-collection-bomb/pack");
    let out = dir.join("out");
    let started = Instant::now();
    let o = briefkit_build(
        &pack,
        &out,
        &["-f", "pdf", "--font-path", fonts.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let named = format!(
        "the font file `{}` is skipped: it claims 4294967295 faces",
        fonts.join("bomb.ttc").display()
    );
    assert!(stderr.contains(&named), "{stderr}");
}

#[test]
fn two_packs_whose_files_share_a_name_in_one_folder_are_refused() {
    let dir = scratch("hostile-same-name");
    for parent in ["a", "b"] {
        copy_pack(&example(), &dir.join(parent).join("brief"));
    }
    let out = dir.join("out");
    let o = briefkit(&[
        "build",
        dir.join("a/brief").to_str().unwrap(),
        dir.join("b/brief").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("would write the same files `brief.*`"),
        "{stderr}"
    );
    assert!(!out.exists(), "written despite the clash");
}
