//! Bad input never panics: a clear error with file, line and a hint, exit
//! code 1 for document errors and 2 for usage or I/O, and earlier outputs
//! left untouched.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;
use std::path::PathBuf;

/// A copy of the example pack with one file rewritten.
fn broken_pack(name: &str, file: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let pack = scratch(&format!("bad-{name}")).join("pack");
    copy_pack(&example(), &pack);
    let path = pack.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
    pack
}

fn fails_with(pack: &std::path::Path, code: i32, needles: &[&str]) -> String {
    let o = briefkit(&["build", pack.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(code), "exit code; stderr:\n{stderr}");
    for n in needles {
        assert!(stderr.contains(n), "stderr lacks `{n}`:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !pack.join("out").exists(),
        "no output may be written when the pack has errors"
    );
    stderr
}

#[test]
fn malformed_toml_names_the_file_and_line() {
    let pack = broken_pack("toml", "brief.toml", |t| {
        t.replace("language = \"en\"", "language = \"en")
    });
    fails_with(&pack, 1, &["brief.toml:", "invalid brief.toml"]);
}

#[test]
fn unknown_key_in_brief_toml_is_an_error_with_its_line() {
    let pack = broken_pack("key", "brief.toml", |t| {
        t.replace("subtitle =", "subtitel =")
    });
    let err = fails_with(&pack, 1, &["brief.toml:5:1", "subtitel"]);
    assert!(err.contains("hint"), "{err}");
}

#[test]
fn statistic_without_a_source_names_its_row() {
    let pack = broken_pack("source", "stats.csv", |t| {
        t.replace(",per year,UNICEF,,", ",per year,,,")
    });
    fails_with(&pack, 1, &["stats.csv:3", "has no source", "hint"]);
}

#[test]
fn non_numeric_value_names_its_row() {
    let pack = broken_pack("value", "stats.csv", |t| {
        t.replace("eclac-women-japan,3000,", "eclac-women-japan,\"3,000\",")
    });
    fails_with(
        &pack,
        1,
        &["stats.csv:2", "non-numeric value `3,000`", "plain number"],
    );
}

#[test]
fn unknown_stat_id_names_line_column_and_nearest_ids() {
    let pack = broken_pack("id", "article.md", |t| {
        t.replace(
            "{{stat \"eclac-women-japan\"}}",
            "{{stat \"eclac-woman-japan\"}}",
        )
    });
    fails_with(
        &pack,
        1,
        &[
            "article.md:38:33",
            "unknown statistic id `eclac-woman-japan`",
            "did you mean `eclac-women-japan`",
        ],
    );
}

#[test]
fn missing_article_file_is_reported() {
    let pack = scratch("bad-article").join("pack");
    copy_pack(&example(), &pack);
    std::fs::remove_file(pack.join("article.md")).unwrap();
    let err = fails_with(&pack, 1, &["the article `article.md` does not exist"]);
    // Named nowhere in brief.toml (it is the default): the message must not
    // point at a comment that happens to mention the name.
    assert!(!err.contains("brief.toml:"), "{err}");
}

#[test]
fn key_figure_naming_no_statistic_is_an_error() {
    let pack = broken_pack("key-figure", "brief.toml", |t| {
        t.replace("\"inegi-domestic-workers\"]", "\"inegi-domestic\"]")
    });
    fails_with(
        &pack,
        1,
        &[
            "brief.toml:12:",
            "key figure `inegi-domestic` names no statistic",
        ],
    );
}

#[test]
fn template_syntax_error_in_the_article_is_located() {
    let pack = broken_pack("template", "article.md", |t| {
        t.replacen("## Who took part", "## Who took part {{#if}}", 1)
    });
    fails_with(&pack, 1, &["article.md:", "template"]);
}

#[test]
fn template_errors_inside_a_line_point_at_the_expression() {
    // An expression in the middle of a line, after another one: the error
    // names its own line and column (the article renders expression by
    // expression; positions must survive that).
    let pack = broken_pack("template-column", "article.md", |t| {
        t.replacen(
            "every year {{stat",
            "every year {{stat \"unicef-children-exploited\"}} or {{stat \"unicef-children-exploited\" format=\"odd\"}} {{stat",
            1,
        )
    });
    let text = std::fs::read_to_string(pack.join("article.md")).unwrap();
    let (n, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("format=\"odd\""))
        .unwrap();
    let column = line
        .find("{{stat \"unicef-children-exploited\" format")
        .unwrap()
        + 1;
    fails_with(
        &pack,
        1,
        &[
            &format!("article.md:{}:{column}", n + 1),
            "unknown format `odd`",
        ],
    );
    // And one with an unclosed expression.
    let pack = broken_pack("template-unclosed", "article.md", |t| {
        t.replacen("every year {{stat", "every year {{stat \"x\" {{stat", 1)
    });
    fails_with(&pack, 1, &["article.md:", "template"]);
}

#[test]
fn missing_pack_is_an_io_error_with_exit_2() {
    let o = briefkit(&["build", "/nonexistent/pack"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot open pack"));
}

#[test]
fn unknown_format_is_a_usage_error_with_exit_2() {
    let o = briefkit(&["build", example().to_str().unwrap(), "-f", "odt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown format `odt`"));
}

#[test]
fn a_failed_build_leaves_earlier_outputs_untouched() {
    let pack = scratch("bad-untouched").join("pack");
    copy_pack(&example(), &pack);
    let out = pack.join("out");
    build(&pack, &out);
    let before: Vec<Vec<u8>> = ["pdf", "epub", "docx"]
        .iter()
        .map(|e| std::fs::read(out.join(format!("pack.{e}"))).unwrap())
        .collect();
    let stats = pack.join("stats.csv");
    let text = std::fs::read_to_string(&stats).unwrap();
    std::fs::write(&stats, text.replace(",UNICEF,", ",,")).unwrap();
    let o = briefkit(&["build", pack.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    for (i, e) in ["pdf", "epub", "docx"].iter().enumerate() {
        let after = std::fs::read(out.join(format!("pack.{e}"))).unwrap();
        assert!(after == before[i], "pack.{e} changed after a failed build");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn garbage_files_never_panic() {
    // Arbitrary bytes in every pack file: errors, never a panic.
    let seeds: [&[u8]; 4] = [
        b"\xff\xfe\x00garbage",
        b"[brief]\ntitle = 1\n",
        b"id,value\n\"unterminated",
        b"{{#each}}{{/if}}",
    ];
    for (i, seed) in seeds.iter().enumerate() {
        for file in ["brief.toml", "stats.csv", "article.md"] {
            let pack = scratch(&format!("bad-garbage-{i}-{}", file.replace('.', "-"))).join("pack");
            copy_pack(&example(), &pack);
            std::fs::write(pack.join(file), seed).unwrap();
            let o = briefkit(&["build", pack.to_str().unwrap()]);
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert!(!stderr.contains("panicked"), "{file} <- {seed:?}: {stderr}");
            // Any text is a valid article, but not a valid brief.toml or stats.csv.
            let allowed: &[i32] = if file == "article.md" {
                &[0, 1, 2]
            } else {
                &[1, 2]
            };
            let code = o.status.code().unwrap_or(-1);
            assert!(
                allowed.contains(&code),
                "{file} <- {seed:?}: exit {code} {stderr}"
            );
        }
    }
}

#[test]
fn unknown_output_format_in_brief_toml_names_its_line() {
    let pack = broken_pack("format-name", "brief.toml", |t| {
        t.replace(
            "paper = \"a4\"",
            "paper = \"a4\"\nformats = [\"pdf\", \"odt\"]",
        )
    });
    let err = fails_with(
        &pack,
        1,
        &[
            "unknown output format `odt`",
            "the formats are: pdf, epub, docx",
        ],
    );
    assert!(err.contains("brief.toml:"), "{err}");
}
