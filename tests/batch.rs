//! Data-driven packs: `[batch]` makes one brief per row of a rows file,
//! each citing its own statistics from a long-format statistics file.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;
use std::path::{Path, PathBuf};

fn countries() -> PathBuf {
    root().join("examples/country-briefs")
}

fn run_briefkit(args: &[&str]) -> (i32, String) {
    let o = briefkit(args);
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Builds `pack` into `out` with more options: exit code and what was printed.
fn build_into(pack: &Path, out: &Path, options: &[&str]) -> (i32, String) {
    let mut args = vec!["build", pack.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(options);
    run_briefkit(&args)
}

fn pdf_text(pdf: &Path) -> String {
    if !have("pdftotext", &["-v"]) {
        return String::new();
    }
    let (ok, text) = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(ok, "{text}");
    squash(&text)
}

#[test]
fn the_country_example_builds_one_brief_per_row_citing_its_own_figures() {
    let dir = scratch("batch-countries");
    let out = dir.join("out");
    let (code, err) = build_into(&countries(), &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("built 5 briefs, 15 files in"), "{err}");
    // (country, its returnees as written, another country's)
    let cases = [
        ("MEX", "Mexico", "48,000", "61,000"),
        ("GTM", "Guatemala", "61,000", "48,000"),
        ("HND", "Honduras", "52,000", "18,000"),
        ("SLV", "El Salvador", "18,000", "9,000"),
        ("NIC", "Nicaragua", "9,000", "52,000"),
    ];
    let mut identifiers = Vec::new();
    for (key, name, own, other) in cases {
        for ext in ["pdf", "epub", "docx"] {
            let file = out.join(format!("country-briefs-{key}.{ext}"));
            assert!(file.is_file(), "{} missing", file.display());
        }
        let text = pdf_text(&out.join(format!("country-briefs-{key}.pdf")));
        if !text.is_empty() {
            assert!(
                text.contains(&squash(&format!("{name}: assistance"))),
                "{key}: title"
            );
            assert!(text.contains(own), "{key}: its own figure {own}");
            assert!(
                !text.contains(other),
                "{key}: another country's figure {other}"
            );
            // The shared, regional figure is in every brief.
            assert!(text.contains("188,000"), "{key}: the shared figure");
            assert!(text.contains("illustrative"), "{key}: the data is marked");
        }
        let opf = {
            let file = std::fs::File::open(out.join(format!("country-briefs-{key}.epub"))).unwrap();
            let mut zip = zip::ZipArchive::new(file).unwrap();
            let mut s = String::new();
            std::io::Read::read_to_string(&mut zip.by_name("OEBPS/content.opf").unwrap(), &mut s)
                .unwrap();
            s
        };
        let id = opf
            .split("urn:uuid:")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .unwrap()
            .to_string();
        identifiers.push(id);
    }
    // A row's brief is as valid as any brief.
    assert_qpdf_clean(&out.join("country-briefs-GTM.pdf"));
    assert_pdf_profiles(&out.join("country-briefs-GTM.pdf"), &["ua1", "pdfa-3a"]);
    assert_epubcheck_clean(&out.join("country-briefs-GTM.epub"));
    assert_openxml_audit_clean(&out.join("country-briefs-GTM.docx"));
    identifiers.sort();
    identifiers.dedup();
    assert_eq!(identifiers.len(), 5, "every brief has its own identifier");

    // Built again (in parallel, in another order): the same bytes.
    let again = dir.join("again");
    let (code, err) = build_into(&countries(), &again, &["-j", "1"]);
    assert_eq!(code, 0, "{err}");
    for (key, ..) in cases {
        for ext in ["pdf", "epub", "docx"] {
            let name = format!("country-briefs-{key}.{ext}");
            assert!(
                std::fs::read(out.join(&name)).unwrap()
                    == std::fs::read(again.join(&name)).unwrap(),
                "{name} differs between a parallel and a serial build"
            );
        }
    }
}

#[test]
fn row_picks_briefs_and_an_unknown_key_is_a_usage_error() {
    let dir = scratch("batch-row");
    let out = dir.join("out");
    let (code, err) = build_into(
        &countries(),
        &out,
        &["-f", "pdf", "--row", "GTM", "--row", "NIC"],
    );
    assert_eq!(code, 0, "{err}");
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    written.sort();
    assert_eq!(
        written,
        ["country-briefs-GTM.pdf", "country-briefs-NIC.pdf"]
    );
    let (code, err) = run_briefkit(&["build", countries().to_str().unwrap(), "--row", "XXX"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--row XXX") && err.contains("MEX, GTM"),
        "{err}"
    );
}

#[test]
fn a_bad_row_is_located_and_does_not_stop_the_others() {
    let dir = scratch("batch-bad-row");
    let pack = dir.join("pack");
    copy_pack(&countries(), &pack);
    // Honduras gets a second `assisted`: a duplicate within one key.
    let stats = std::fs::read_to_string(pack.join("stats.csv")).unwrap();
    let line = stats
        .lines()
        .find(|l| l.starts_with("HND,assisted,"))
        .unwrap()
        .to_string();
    std::fs::write(pack.join("stats.csv"), format!("{stats}{line}\n")).unwrap();
    let (code, err) = run_briefkit(&["check", pack.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("duplicate statistic id `assisted`"), "{err}");
    assert!(
        err.contains("in the brief of row `HND` (countries.csv:4)"),
        "{err}"
    );
    assert_eq!(
        err.matches("duplicate statistic id").count(),
        1,
        "only HND: {err}"
    );
    // Build: the four good briefs are written, the exit says one failed.
    let out = dir.join("out");
    let (code, err) = build_into(&pack, &out, &["-f", "pdf"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("built 4 briefs, 4 files in") && err.contains("— 1 error"),
        "{err}"
    );
    assert!(out.join("pack-MEX.pdf").is_file());
    assert!(!out.join("pack-HND.pdf").exists());

    // A column the rows file lacks: located in the article, naming the row.
    let pack2 = dir.join("pack2");
    copy_pack(&countries(), &pack2);
    append_to_article(&pack2, "Its president is {{row.president}}.");
    let (code, err) = run_briefkit(&["check", pack2.to_str().unwrap(), "--row", "MEX"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("article.md:"), "{err}");
    assert!(err.contains("row `MEX` (countries.csv:2)"), "{err}");
}

#[test]
fn rows_files_and_keys_are_checked() {
    let dir = scratch("batch-rows-file");
    let pack = dir.join("pack");
    copy_pack(&countries(), &pack);
    let rows = std::fs::read_to_string(pack.join("countries.csv")).unwrap();
    std::fs::write(pack.join("countries.csv"), format!("{rows}GTM,Again,X,Y\n")).unwrap();
    let (code, err) = run_briefkit(&["check", pack.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("duplicate key `GTM` (first at line 3)"),
        "{err}"
    );
    assert!(err.contains("countries.csv:7"), "{err}");
    // A rows file outside the pack is refused like any pack file.
    let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
    std::fs::write(
        pack.join("brief.toml"),
        toml.replace("rows = \"countries.csv\"", "rows = \"../countries.csv\""),
    )
    .unwrap();
    let (code, err) = run_briefkit(&["check", pack.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("is outside the pack"), "{err}");
}

/// Every file under `dir`, by name, with its bytes.
fn files_of(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn four_shards_make_the_whole_batch_byte_for_byte() {
    let dir = scratch("batch-shards");
    let whole = dir.join("whole");
    let (code, err) = build_into(&countries(), &whole, &[]);
    assert_eq!(code, 0, "{err}");
    let shared = dir.join("shared");
    let mut counts = Vec::new();
    for k in 1..=4 {
        let (code, err) = build_into(&countries(), &shared, &["--shard", &format!("{k}/4")]);
        assert_eq!(code, 0, "{err}");
        counts.push(
            err.split("built ")
                .nth(1)
                .unwrap_or("")
                .split(' ')
                .next()
                .unwrap_or("")
                .to_string(),
        );
    }
    // Five briefs over four shards: 2, 1, 1, 1.
    assert_eq!(counts, ["2", "1", "1", "1"], "briefs per shard");
    assert_eq!(
        files_of(&whole),
        files_of(&shared),
        "the shards' union is the whole"
    );
    let (code, err) = build_into(&countries(), &shared, &["--shard", "5/4"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a shard"), "{err}");
}

#[test]
fn several_packs_and_a_folder_of_packs_build_in_one_run() {
    let dir = scratch("batch-packs");
    let folder = dir.join("packs");
    copy_pack(&example(), &folder.join("english"));
    copy_pack(&countries(), &folder.join("countries"));
    std::fs::create_dir_all(folder.join("not-a-pack")).unwrap();
    let out = dir.join("out");
    let (code, err) = build_into(&folder, &out, &["-f", "pdf"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("built 6 briefs, 6 files in"), "{err}");
    assert!(out.join("english.pdf").is_file() && out.join("countries-MEX.pdf").is_file());
    // Two packs named on the command line; one of them broken: the other
    // is still written, and the exit is 1.
    let broken = dir.join("broken");
    copy_pack(&example(), &broken);
    append_to_article(&broken, "{{stat \"no-such-id\"}}");
    let out2 = dir.join("out2");
    let o = briefkit(&[
        "build",
        broken.to_str().unwrap(),
        folder.join("english").to_str().unwrap(),
        "-o",
        out2.to_str().unwrap(),
        "-f",
        "pdf",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown statistic id `no-such-id`"), "{err}");
    assert!(out2.join("english.pdf").is_file() && !out2.join("broken.pdf").exists());
}

#[test]
fn json_messages_describe_findings_files_and_the_whole() {
    let dir = scratch("batch-json");
    let out = dir.join("out");
    let o = briefkit(&[
        "build",
        countries().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--message-format",
        "json",
        "--row",
        "MEX",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let messages: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let artifacts: Vec<&serde_json::Value> = messages
        .iter()
        .filter(|m| m["type"] == "artifact")
        .collect();
    assert_eq!(artifacts.len(), 3);
    for a in &artifacts {
        let path = PathBuf::from(a["path"].as_str().unwrap());
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(a["bytes"].as_u64().unwrap() as usize, bytes.len());
        assert_eq!(a["row"], "MEX");
        assert_eq!(a["fresh"], false);
        use sha2::Digest;
        let sha: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(a["sha256"], sha.as_str());
        let pages = &a["pages"];
        assert_eq!(pages.is_u64(), a["format"] == "pdf", "{a}");
    }
    let summary = messages.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["briefs"], 1);
    assert_eq!(summary["files"], 3);
    // check: the same diagnostic messages; --format json is an alias.
    for flag in ["--message-format", "--format"] {
        let o = briefkit(&["check", example().to_str().unwrap(), flag, "json"]);
        let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(lines
            .iter()
            .any(|l| l["type"] == "diagnostic" && l["line"].is_u64()));
        // The older --format json prints the findings only (no summary
        // line), as scripts written for it expect.
        let last_is_summary = lines.last().unwrap()["type"] == "summary";
        assert_eq!(last_is_summary, flag == "--message-format", "{flag}");
    }
}

#[test]
fn unchanged_briefs_are_fresh_and_not_built_again() {
    let dir = scratch("batch-fresh");
    let pack = dir.join("pack");
    copy_pack(&countries(), &pack);
    let out = dir.join("out");
    let (code, err) = build_into(&pack, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("fresh"), "{err}");
    let before = files_of(&out);
    // Again: every brief fresh, nothing written.
    let o = briefkit(&[
        "build",
        pack.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--message-format",
        "json",
    ]);
    let messages: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(messages
        .iter()
        .filter(|m| m["type"] == "artifact")
        .all(|m| m["fresh"] == true));
    assert_eq!(messages.last().unwrap()["fresh"], 5);
    assert_eq!(files_of(&out), before);
    // An output changed by hand is built again; so is every brief when the
    // data changes, and with --force.
    std::fs::write(out.join("pack-GTM.pdf"), b"edited").unwrap();
    let (_, err) = build_into(&pack, &out, &[]);
    assert!(err.contains("(4 fresh"), "{err}");
    assert_eq!(
        files_of(&out),
        before,
        "the edited file is rebuilt as it was"
    );
    let stats = std::fs::read_to_string(pack.join("stats.csv")).unwrap();
    std::fs::write(
        pack.join("stats.csv"),
        stats.replace("MEX,returnees,48000", "MEX,returnees,48500"),
    )
    .unwrap();
    let (_, err) = build_into(&pack, &out, &[]);
    assert!(
        !err.contains("fresh"),
        "a data change rebuilds every brief: {err}"
    );
    let (_, err) = build_into(&pack, &out, &["--force"]);
    assert!(!err.contains("fresh"), "{err}");
    // Shards keep their own manifests in a shared folder.
    let shared = dir.join("shared");
    for k in 1..=2 {
        build_into(&pack, &shared, &["--shard", &format!("{k}/2")]);
    }
    let (_, err) = build_into(&pack, &shared, &[]);
    assert!(err.contains("(5 fresh"), "{err}");
    assert!(shared.join(".briefkit/manifest-1-of-2.json").is_file());
}

#[test]
fn completions_and_the_manual_come_from_the_same_definitions() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = briefkit(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&o.stdout);
        for word in ["briefkit", "message-format", "shard", "font-path"] {
            assert!(script.contains(word), "{shell}: no `{word}`");
        }
    }
    let o = briefkit(&["man"]);
    assert!(o.status.success());
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(page.contains(".TH briefkit 1"), "{page}");
    assert!(
        page.contains("completions") && page.contains("build"),
        "{page}"
    );
}

#[test]
fn watch_rebuilds_on_save_and_keeps_the_last_good_outputs() {
    let dir = scratch("batch-watch");
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    let out = dir.join("out");
    let pdf = out.join("pack.pdf");
    let mut child = std::process::Command::new(briefkit_bin())
        .args([
            "watch",
            pack.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-f",
            "pdf",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let wait_for = |what: &dyn Fn() -> bool, seconds: u64| {
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_secs(seconds) {
            if what() {
                return Some(start.elapsed());
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        None
    };
    let first = wait_for(&|| pdf.is_file(), 60);
    let before = std::fs::read(&pdf).unwrap_or_default();
    // A save: the PDF is built again.
    std::thread::sleep(std::time::Duration::from_millis(200));
    append_to_article(&pack, "A sentence added while watching.");
    let rebuilt = wait_for(
        &|| std::fs::read(&pdf).is_ok_and(|now| now != before && !now.is_empty()),
        30,
    );
    let after = std::fs::read(&pdf).unwrap_or_default();
    // A save with an error: nothing is written, the last good PDF stays.
    append_to_article(&pack, "{{stat \"no-such-statistic\"}}");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let kept = std::fs::read(&pdf).unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.is_some(), "watch never built the pack");
    let latency = rebuilt.expect("watch did not rebuild after a save");
    eprintln!("watch rebuilt {} ms after the save", latency.as_millis());
    assert!(latency < std::time::Duration::from_secs(10), "{latency:?}");
    assert_eq!(kept, after, "a save with errors replaced the last good PDF");
}

#[test]
fn the_library_builds_what_the_command_line_builds_from_disk_and_from_memory() {
    use briefkit::{Briefkit, Date, Options, Pack};
    let dir = scratch("batch-library");
    let (code, err) = build_into(&countries(), &dir.join("cli"), &[]);
    assert_eq!(code, 0, "{err}");
    let cli = files_of(&dir.join("cli"));
    assert_eq!(cli.len(), 15);

    let kit = Briefkit::new(Options::default()).unwrap();
    // From the folder: rendered to bytes, and written.
    let pack = Pack::open(&countries(), Date::from_unix(0)).unwrap();
    let briefs = pack.briefs();
    assert_eq!(
        briefs.iter().map(|b| b.key().unwrap()).collect::<Vec<_>>(),
        ["MEX", "GTM", "HND", "SLV", "NIC"]
    );
    let mut from_disk = std::collections::BTreeMap::new();
    for brief in &briefs {
        let rendered = kit.render(&pack, brief).unwrap();
        assert!(rendered.warnings.iter().all(|w| !w.is_error()));
        let written = rendered.write_to(&dir.join("lib")).unwrap();
        assert_eq!(written.len(), 3);
        for (file, w) in rendered.files.iter().zip(&written) {
            assert_eq!(w.sha256, file.sha256());
            assert_eq!(w.bytes, file.bytes.len() as u64);
            assert_eq!(file.pages.is_some(), file.format.name == "pdf");
            from_disk.insert(file.name.clone(), file.bytes.clone());
        }
    }
    assert!(
        cli == from_disk,
        "the library's bytes differ from the CLI's"
    );
    assert!(files_of(&dir.join("lib")) == cli);

    // The same files held in memory: the same bytes.
    let files: Vec<(String, Vec<u8>)> = ["brief.toml", "article.md", "stats.csv", "countries.csv"]
        .iter()
        .map(|n| (n.to_string(), std::fs::read(countries().join(n)).unwrap()))
        .collect();
    let memory = Pack::from_files("country-briefs", files.clone(), Date::from_unix(0)).unwrap();
    let brief = memory.brief("HND").unwrap();
    assert_eq!(brief.file_stem(), "country-briefs-HND");
    let rendered = kit.render(&memory, &brief).unwrap();
    for file in &rendered.files {
        assert!(cli[&file.name] == file.bytes, "{} differs", file.name);
    }
    // An unknown key names the keys.
    let why = memory.brief("XXX").unwrap_err();
    assert!(why.contains("keys: MEX, GTM"), "{why}");

    // A pack with an error: the findings as values, located, and as text.
    let mut broken = files;
    broken[1].1 = String::from_utf8(broken[1].1.clone())
        .unwrap()
        .replacen("{{stat \"returnees\"}}", "{{stat \"returnes\"}}", 1)
        .into_bytes();
    let memory = Pack::from_files("country-briefs", broken, Date::from_unix(0)).unwrap();
    let brief = memory.brief("MEX").unwrap();
    let Err(briefkit::Error::Pack(e)) = kit.render(&memory, &brief) else {
        panic!("the unknown id is not an error")
    };
    let error = e.errors().next().unwrap();
    assert!(error.message.contains("unknown statistic id `returnes`"));
    let at = error.span.as_ref().unwrap().resolve();
    assert_eq!(at.file, "article.md");
    assert!(at.line.is_some() && at.column.is_some());
    let text = e.to_string();
    assert!(
        text.contains("error: unknown statistic id `returnes`"),
        "{text}"
    );
    assert!(text.contains("article.md:"), "{text}");
    assert!(
        text.contains("in the brief of row `MEX` (countries.csv:2)"),
        "{text}"
    );
    assert_eq!(
        kit.check(&memory, &brief)
            .unwrap()
            .iter()
            .filter(|d| d.is_error())
            .count(),
        1
    );
}

#[test]
fn on_a_terminal_a_progress_bar_counts_the_briefs() {
    // `script` (util-linux) runs the command on a pseudo-terminal.
    if !have("script", &["--version"]) {
        assert!(!in_ci(), "`script` (util-linux) is needed in CI");
        return;
    }
    let dir = scratch("batch-progress");
    let bin = briefkit_bin();
    let on_terminal = |extra: &str| {
        let command = format!(
            "{} build {} -o {} {extra}",
            bin.display(),
            countries().display(),
            dir.join("out").display()
        );
        let o = std::process::Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .output()
            .unwrap();
        assert!(o.status.success());
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let shown = on_terminal("--force");
    // The bar's count, rate and time left, then the summary.
    assert!(shown.contains("5/5 briefs"), "{shown}");
    assert!(shown.contains("briefs/s"), "{shown}");
    assert!(shown.contains("left"), "{shown}");
    assert!(shown.contains("built 5 briefs, 15 files in"), "{shown}");
    // --quiet: neither.
    let quiet = on_terminal("--force -q");
    assert!(!quiet.contains("briefs/s"), "{quiet}");
    assert!(!quiet.contains("built 5 briefs"), "{quiet}");
    // Not a terminal: the summary, no bar.
    let (code, err) = build_into(&countries(), &dir.join("out"), &["--force"]);
    assert_eq!(code, 0);
    assert!(err.contains("built 5 briefs, 15 files in"), "{err}");
    assert!(!err.contains("briefs/s"), "{err}");
}

#[test]
fn one_brief_of_a_million_row_batch_is_read_in_linear_time() {
    let dir = scratch("batch-million");
    let pack = dir.join("pack");
    copy_pack(&countries(), &pack);
    // The five rows, then a million more with their own keys.
    let rows = std::fs::read_to_string(pack.join("countries.csv")).unwrap();
    let mut text = rows.clone();
    let template = rows.lines().nth(1).unwrap().split_once(',').unwrap().1;
    for i in 0..1_000_000 {
        text.push_str(&format!("X{i:07},{template}\n"));
    }
    std::fs::write(pack.join("countries.csv"), text).unwrap();
    // The processor time the command takes (user and system, as bash's
    // `time` reports it), the best of three runs: the tests beside it
    // share the two cores, which stretches the wall time, not the work.
    let script = format!(
        "TIMEFORMAT='%3U %3S'; time '{}' build '{}' -o '{}' --row HND -f pdf --force -q",
        briefkit_bin().display(),
        pack.display(),
        dir.join("out").display()
    );
    let mut best = f64::MAX;
    for _ in 0..3 {
        let o = std::process::Command::new("bash")
            .args(["-c", &script])
            .env("BRIEFKIT_CACHE_DIR", root().join("target/test-cache"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        let cpu: f64 = err
            .lines()
            .last()
            .unwrap()
            .split_whitespace()
            .map(|t| t.parse::<f64>().unwrap())
            .sum();
        best = best.min(cpu);
    }
    assert!(dir.join("out/pack-HND.pdf").is_file());
    // A quadratic duplicate check took 41-67 s for 200,000 rows.
    assert!(
        best < 2.0,
        "--row on a million rows took {best} s of processor time"
    );
    // A key repeated at the very end is still found.
    let mut text = std::fs::read_to_string(pack.join("countries.csv")).unwrap();
    text.push_str(&format!("X0999999,{template}\n"));
    std::fs::write(pack.join("countries.csv"), text).unwrap();
    let (code, err) = build_into(&pack, &dir.join("out"), &["--row", "HND"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("duplicate key `X0999999` (first at line"),
        "{err}"
    );
}
