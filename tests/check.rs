//! `briefkit check`: one case per finding, each a copy of the example pack
//! with one mistake, checked through the JSON output (file, line, message).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;

/// (case, file to edit, from, to, severity, message part, file:line of the finding)
const CASES: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    ("unknown-id", "article.md", "{{stat \"unicef-children-exploited\"}}", "{{stat \"unicef-children\"}}", "error", "unknown statistic id `unicef-children`", "article.md:40"),
    ("no-source", "stats.csv", ",per year,UNICEF,,", ",per year,,,", "error", "statistic `unicef-children-exploited` has no source", "stats.csv:3"),
    ("non-numeric", "stats.csv", "eclac-women-japan,3000,", "eclac-women-japan,about 3000,", "error", "non-numeric value `about 3000`", "stats.csv:2"),
    ("empty-value", "stats.csv", "inegi-domestic-workers,99,", "inegi-domestic-workers,,", "error", "statistic `inegi-domestic-workers` has no value", "stats.csv:4"),
    ("duplicate-id", "stats.csv", "cases-trial-2005,531,", "cases-reported-2005,531,", "error", "duplicate statistic id `cases-reported-2005`", "stats.csv:7"),
    ("key-figure", "brief.toml", "\"inegi-domestic-workers\"]", "\"inegi-domestic\"]", "error", "key figure `inegi-domestic` names no statistic", "brief.toml:12"),
    ("chart-entry", "brief.toml", "\"cases-trial-2005\"]", "\"cases-trial\"]", "error", "chart entry `cases-trial` names no statistic", "brief.toml:16"),
    ("chart-units", "brief.toml", "\"cases-trial-2005\"]", "\"cases-trial-2005\", \"inegi-domestic-workers\"]", "error", "the chart mixes units", "brief.toml:16"),
    ("source-url", "stats.csv", "IOM Mexico,https://www.iom.int,\"The release says", "IOM Mexico,www.iom.int,\"The release says", "error", "malformed source_url `www.iom.int`", "stats.csv:8"),
    ("missing-image", "article.md", "## What comes next", "## What comes next\n\n![A map](images/none.png)", "error", "image `images/none.png` does not exist", "article.md:62"),
    ("stray-number", "article.md", "nobody can count every", "nobody can count all 4500", "warning", "the number `4500` in the prose does not come from a statistic", "article.md:33"),
    ("unused", "article.md", "In 2005 the Family Welfare Office (DIF) assisted\n{{stat \"dif-child-victims-2005\"}} child victims", "In 2005 the Family Welfare Office (DIF) assisted\nchild victims", "warning", "statistic `dif-child-victims-2005` is never cited", "stats.csv:5"),
    ("no-period", "stats.csv", "", "", "warning", "statistic `eclac-women-japan` has no period", "stats.csv:2"),
    ("no-alt", "article.md", "## What comes next", "## What comes next\n\n![](images/map.png)", "warning", "image `images/map.png` has no alt text", "article.md:62"),
    // A value written twice: the finding is where the setting is, not where
    // the same text first appears (the parser's spans, not a text search).
    ("language-twice", "brief.toml", "authors = [\"IOM Mexico\"]\ndate = \"2026-11-28\"\nlanguage = \"en\"", "authors = [\"en_GB\"]\ndate = \"2026-11-28\"\nlanguage = \"en_GB\"", "error", "`en_GB` is not a BCP 47 language tag", "brief.toml:9"),
    ("date-twice", "brief.toml", "authors = [\"IOM Mexico\"]\ndate = \"2026-11-28\"", "authors = [\"2026-13-01\"]\ndate = \"2026-13-01\"", "error", "`2026-13-01` is not an ISO 8601 date", "brief.toml:8"),
    ("formats-twice", "brief.toml", "email = \"jartola@iom.int\"\nurl = \"https://www.iom.int\"\n\n[output]\npaper = \"a4\"", "email = \"odt\"\nurl = \"https://www.iom.int\"\n\n[output]\npaper = \"a4\"\nformats = [\"pdf\", \"odt\"]", "error", "unknown output format `odt`", "brief.toml:27"),
    ("key-figure-twice", "brief.toml", "keywords = [\"human trafficking\", \"Mexico\", \"migration\", \"sexual exploitation\", \"child protection\"]\nkey_figures = [\"unicef-children-exploited\", \"eclac-women-japan\", \"inegi-domestic-workers\"]", "keywords = [\"inegi-domestic\", \"Mexico\"]\nkey_figures = [\"unicef-children-exploited\", \"eclac-women-japan\", \"inegi-domestic\"]", "error", "key figure `inegi-domestic` names no statistic", "brief.toml:12"),
    // Each format's settings, `[output.NAME]`, are checked by its backend
    // and placed where they are written; the older names too.
    ("output-unknown", "brief.toml", "paper = \"a4\"", "paper = \"a4\"\npdf_standrd = [\"ua-1\"]", "error", "unknown setting `pdf_standrd` in [output]", "brief.toml:27"),
    ("pdf-standard-old-name", "brief.toml", "paper = \"a4\"", "paper = \"a4\"\npdf_standard = [\"a-2a\", \"a-2b\"]", "error", "`pdf_standard`: a PDF conforms to one part and level of PDF/A", "brief.toml:27"),
    ("pdf-standard", "brief.toml", "paper = \"a4\"", "paper = \"a4\"\n\n[output.pdf]\nstrict = false\nstandard = [\"a-2a\", \"a-2b\"]", "error", "`[output.pdf] standard`: a PDF conforms to one part and level of PDF/A", "brief.toml:30"),
    ("pdf-setting-unknown", "brief.toml", "paper = \"a4\"", "paper = \"a4\"\n\n[output.pdf]\nstandards = [\"ua-1\"]", "error", "unknown field `standards`", "brief.toml:29"),
    ("docx-reference", "brief.toml", "paper = \"a4\"", "paper = \"a4\"\n\n[output.docx]\nreference = \"house.docx\"", "error", "the reference DOCX `house.docx` does not exist", "brief.toml:29"),
    ("epub-setting", "brief.toml", "paper = \"a4\"", "paper = \"a4\"\n\n[output.epub]\ncover = false", "error", "this format has no settings", "brief.toml:29"),
    ("remote-image", "article.md", "## What comes next", "## What comes next\n\n![A map](https://example.org/map.png)", "warning", "image `https://example.org/map.png` is on the web", "article.md:62"),
];

#[test]
fn every_finding_is_reported_with_its_file_and_line() {
    for (case, file, from, to, severity, message, place) in CASES {
        let pack = scratch(&format!("check-{case}")).join("pack");
        copy_pack(&example(), &pack);
        std::fs::create_dir_all(pack.join("images")).unwrap();
        std::fs::copy(
            root().join("tests/fixtures/packs/yaml-image/images/map.png"),
            pack.join("images/map.png"),
        )
        .unwrap();
        let path = pack.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains(from),
            "{case}: the example no longer contains `{from}`"
        );
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let (code, records) = check_findings(&pack);
        let hit = records
            .iter()
            .find(|r| r["message"].as_str().unwrap_or("").contains(message));
        let Some(hit) = hit else {
            panic!("{case}: no finding `{message}` in {records:#?}")
        };
        assert_eq!(hit["severity"], *severity, "{case}");
        let (want_file, want_line) = place.split_once(':').unwrap();
        assert!(
            hit["file"].as_str().unwrap().ends_with(want_file),
            "{case}: {hit}"
        );
        assert_eq!(
            hit["line"].as_u64(),
            Some(want_line.parse().unwrap()),
            "{case}: {hit}"
        );
        assert!(
            !hit["hints"].as_array().unwrap().is_empty(),
            "{case}: a finding comes with a hint"
        );
        let expected_code = if *severity == "error" { 1 } else { 0 };
        assert_eq!(code, Some(expected_code), "{case}: exit code");
    }
}

#[test]
fn the_example_has_no_errors_and_build_refuses_packs_with_errors() {
    let (code, records) = check_findings(&example());
    assert_eq!(code, Some(0));
    assert!(
        records.iter().all(|r| r["severity"] == "warning"),
        "{records:#?}"
    );
    // Text output ends with a count.
    let o = briefkit(&["check", example().to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stderr)
        .trim_end()
        .ends_with("0 errors, 3 warnings"));
    // build runs the same checks first and writes nothing on errors.
    let pack = scratch("check-build").join("pack");
    copy_pack(&example(), &pack);
    let stats = pack.join("stats.csv");
    let text = std::fs::read_to_string(&stats).unwrap();
    std::fs::write(&stats, text.replace(",per year,UNICEF,,", ",per year,,,")).unwrap();
    let o = briefkit(&["build", pack.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!pack.join("out").exists());
}

#[test]
fn check_allow_exempts_listed_numbers() {
    let pack = scratch("check-allow").join("pack");
    copy_pack(&example(), &pack);
    let article = pack.join("article.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(
        &article,
        text.replacen("nobody can count every", "nobody can count all 4500", 1),
    )
    .unwrap();
    let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
    std::fs::write(
        pack.join("brief.toml"),
        format!("{toml}\n[check]\nallow = [\"4500\"]\n"),
    )
    .unwrap();
    let (_, records) = check_findings(&pack);
    assert!(
        !records
            .iter()
            .any(|r| r["message"].as_str().unwrap().contains("4500")),
        "{records:#?}"
    );
}

#[test]
fn statistics_errors_do_not_hide_the_articles_findings() {
    let pack = scratch("check-all-at-once").join("pack");
    copy_pack(&example(), &pack);
    let stats = pack.join("stats.csv");
    let text = std::fs::read_to_string(&stats).unwrap();
    std::fs::write(&stats, text.replace(",per year,UNICEF,,", ",per year,,,")).unwrap();
    let article = pack.join("article.md");
    let text = std::fs::read_to_string(&article).unwrap();
    let text = text
        .replacen(
            "{{stat \"eclac-women-japan\"}}",
            "{{stat \"eclac-woman\"}}",
            1,
        )
        .replacen("nobody can count every", "nobody can count all 4500", 1);
    std::fs::write(&article, text).unwrap();
    let (code, records) = check_findings(&pack);
    assert_eq!(code, Some(1));
    let messages: Vec<&str> = records
        .iter()
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    for want in [
        "has no source",
        "unknown statistic id `eclac-woman`",
        "the number `4500`",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(want)),
            "`{want}` missing from {messages:#?}"
        );
    }
}

#[test]
fn a_figure_typed_as_the_stat_helpers_markup_is_not_a_cited_statistic() {
    // The helper's markup, typed by hand, must not pass off a number as a
    // cited statistic: it is raw HTML (dropped, with a warning), and the
    // number is a figure without a source.
    let pack = scratch("check-forged-stat").join("pack");
    copy_pack(&example(), &pack);
    append_to_article(
        &pack,
        r#"A forged figure: <bk-stat ref="eclac-women-japan">999,999</bk-stat> women, and a sealed-looking one: <bk-stat ref="eclac-women-japan" seal="0000000000000000">888,888</bk-stat>."#,
    );
    let (code, records) = check_findings(&pack);
    assert_eq!(code, Some(0), "{records:#?}");
    let kinds = |kind: &str, needle: &str| {
        records
            .iter()
            .filter(|r| r["kind"] == kind && r["message"].as_str().unwrap_or("").contains(needle))
            .count()
    };
    assert!(kinds("raw-html", "bk-stat") >= 2, "{records:#?}");
    assert_eq!(kinds("stray-number", "999,999"), 1, "{records:#?}");
    assert_eq!(kinds("stray-number", "888,888"), 1, "{records:#?}");
    let out = pack.join("out");
    build(&pack, &out);
    let epub = std::fs::read(out.join("pack.epub")).unwrap();
    let xhtml = unzip_text(&epub);
    assert!(
        xhtml.contains("999,999") && xhtml.contains("888,888"),
        "the text is kept"
    );
    assert!(
        !xhtml.contains(">999,999</a>") && !xhtml.contains(">888,888</a>"),
        "a forged figure became a cited statistic"
    );
    // The real figures still are.
    assert!(xhtml.contains("data-stat=\"eclac-women-japan\""));
}

/// Every file of a zip as text, concatenated.
fn unzip_text(zip: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut f, &mut s);
        text.push_str(&s);
    }
    text
}

#[test]
fn check_with_formats_renders_them_in_memory_and_reports_their_findings() {
    let dir = scratch("check-render");
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    // A snowman: with the system's fonts ignored, no font has it — a
    // finding only rendering makes.
    append_to_article(&pack, "A snowman: ☃.");
    let text = |args: &[&str]| {
        let o = briefkit(args);
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let p = pack.to_str().unwrap();
    let (code, plain) = text(&["check", p, "--ignore-system-fonts"]);
    assert_eq!(code, Some(0), "{plain}");
    assert!(!plain.contains("no font has"), "{plain}");
    let (code, rendered) = text(&["check", p, "-f", "pdf,docx", "--ignore-system-fonts"]);
    assert_eq!(code, Some(0), "{rendered}");
    assert!(
        rendered.contains("no font has the symbol characters of this brief (`☃`"),
        "{rendered}"
    );
    assert!(rendered.contains("article.md:"), "{rendered}");
    // Nothing written.
    assert!(!pack.join("out").exists());
    // `--format json` is still the older name of --message-format (the
    // findings, no summary), and mixes with output formats.
    let o = briefkit(&["check", p, "--format", "json,pdf", "--ignore-system-fonts"]);
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.iter().any(|l| l["message"]
        .as_str()
        .unwrap_or("")
        .contains("no font has the symbol")));
    assert!(lines.iter().all(|l| l["type"] == "diagnostic"));
    // An unknown format is a usage error naming the choices.
    let (code, err) = text(&["check", p, "-f", "odt"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown format `odt`"), "{err}");
}

/// `check -f pdf` without the system's fonts: the findings about symbols
/// no font has.
fn glyph_findings(pack: &std::path::Path) -> Vec<serde_json::Value> {
    let o = briefkit(&[
        "check",
        pack.to_str().unwrap(),
        "-f",
        "pdf",
        "--ignore-system-fonts",
        "--message-format",
        "json",
    ]);
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|v: &serde_json::Value| {
            v["message"]
                .as_str()
                .unwrap_or("")
                .contains("no font has the symbol")
        })
        .collect()
}

#[test]
fn a_missing_glyph_is_reported_at_the_block_that_lacks_it() {
    // The snowman first stands in a comment no output shows, then in a
    // paragraph: the finding names the paragraph's line (the block the
    // PDF was setting), not the first place the character occurs in the
    // pack's files, as a text search would.
    let pack = scratch("check-glyph-place").join("pack");
    copy_pack(&example(), &pack);
    let article = pack.join("article.md");
    let text = std::fs::read_to_string(&article).unwrap();
    let text =
        format!("<!-- a note for editors: ☃ -->\n\n{text}\nThe snowman ☃ is in this paragraph.\n");
    std::fs::write(&article, &text).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("The snowman"))
        .unwrap()
        + 1;
    let found = glyph_findings(&pack);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]["file"].as_str().unwrap().ends_with("article.md"),
        "{found:?}"
    );
    assert_eq!(found[0]["line"].as_u64(), Some(line as u64), "{found:?}");

    // In the title only, it is placed at the title's setting.
    copy_pack(&example(), &pack);
    let settings = pack.join("brief.toml");
    let toml = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, toml.replacen("title = \"", "title = \"☃ ", 1)).unwrap();
    let title_line = toml
        .lines()
        .position(|l| l.starts_with("title = "))
        .unwrap()
        + 1;
    let found = glyph_findings(&pack);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]["file"].as_str().unwrap().ends_with("brief.toml"),
        "{found:?}"
    );
    assert_eq!(
        found[0]["line"].as_u64(),
        Some(title_line as u64),
        "{found:?}"
    );
}

/// Front matter, batch rows and YAML statistics are placed by their
/// parser's spans too: a value written twice is reported where the setting
/// or record is, not where the same text first appears.
#[test]
fn a_value_written_twice_in_front_matter_rows_or_records_is_placed_by_its_setting() {
    let dir = scratch("check-twice-yaml");
    let note = dir.join("note.md");
    std::fs::write(
        &note,
        "---\ntitle: A note\nkeywords: [en_GB, zz]\nlanguage: en_GB\nstatistics:\n  - id: a\n    value: 1\n    label: zz\n    source: S\nkey_figures: [a, zz]\n---\n\nIn 2025, {{stat \"a\"}} were helped.\n",
    )
    .unwrap();
    let (code, records) = check_findings(&note);
    assert_eq!(code, Some(1));
    let line_of = |message: &str| {
        records
            .iter()
            .find(|r| r["message"].as_str().unwrap_or("").contains(message))
            .and_then(|r| r["line"].as_u64())
    };
    assert_eq!(
        line_of("`en_GB` is not a BCP 47 language tag"),
        Some(4),
        "{records:#?}"
    );
    assert_eq!(
        line_of("key figure `zz` names no statistic"),
        Some(10),
        "{records:#?}"
    );

    // A batch whose YAML rows name one key as another row's value, with
    // YAML statistics whose id `b` is first written as a label.
    let pack = dir.join("batch");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(
        pack.join("brief.toml"),
        "[brief]\ntitle = \"Brief for {{row.name}}\"\nsubtitle = \"{{row.nothing}}\"\nstatistics = \"stats.yaml\"\nkey_figures = [\"b\", \"c\"]\n\n[batch]\nrows = \"rows.yaml\"\nkey = \"iso3\"\n",
    )
    .unwrap();
    std::fs::write(pack.join("article.md"), "Helped: {{stat \"a\"}}.\n").unwrap();
    std::fs::write(
        pack.join("stats.yaml"),
        "- id: a\n  value: 1\n  label: b\n  source: S\n- id: b\n  value: lots\n  label: c\n  source: S\n",
    )
    .unwrap();
    std::fs::write(
        pack.join("rows.yaml"),
        "- iso3: GTM\n  name: MEX\n- iso3: MEX\n  name: GTM\n",
    )
    .unwrap();
    let (_, records) = check_findings(&pack);
    let place = |message: &str, key: &str| {
        records
            .iter()
            .find(|r| {
                r["message"].as_str().unwrap_or("").contains(message)
                    && r["row"].as_str() == Some(key)
            })
            .map(|r| {
                (
                    r["file"].as_str().unwrap_or("").to_string(),
                    r["line"].as_u64(),
                )
            })
    };
    // The fill error is at the subtitle, once per row.
    assert_eq!(
        place("cannot fill `{{row.nothing}}`", "MEX").map(|p| p.1),
        Some(Some(3)),
        "{records:#?}"
    );
    // `c` is no statistic: at the key figure, not at the label `c`.
    let c = place("key figure `c` names no statistic", "MEX");
    assert!(
        c.as_ref()
            .is_some_and(|(file, line)| file.ends_with("brief.toml") && *line == Some(5)),
        "{records:#?}"
    );
    // The record `b` is at its own id (line 5), not at the label `b`.
    let b = records
        .iter()
        .find(|r| r["file"].as_str().unwrap_or("").ends_with("stats.yaml"))
        .map(|r| (r["line"].as_u64(), r["message"].clone()));
    assert_eq!(b.as_ref().map(|b| b.0), Some(Some(5)), "{records:#?}");
    // The row `MEX` is at its own key (line 3), not at the name `MEX`.
    let hints = records
        .iter()
        .filter(|r| r["row"].as_str() == Some("MEX"))
        .flat_map(|r| r["hints"].as_array().cloned().unwrap_or_default())
        .filter_map(|h| h.as_str().map(str::to_string))
        .collect::<Vec<_>>();
    assert!(
        hints.iter().any(|h| h.contains("(rows.yaml:3)")),
        "{hints:?}"
    );
    assert!(
        !hints.iter().any(|h| h.contains("(rows.yaml:2)")),
        "{hints:?}"
    );
}

/// Findings in the article's Markdown are placed in the file as written,
/// not in the text its `{{stat}}` expressions expand to: a link after a
/// cited figure on the same line keeps its column, below the front
/// matter, and the text report quotes that line of the file.
#[test]
fn a_finding_after_an_expression_keeps_the_files_line_and_column() {
    let dir = scratch("check-after-expression");
    let note = dir.join("note.md");
    let line = "In 2025, {{stat \"a\"}} people were helped; see [the notes](notes.pdf).";
    std::fs::write(
        &note,
        format!("---\ntitle: A note\nstatistics:\n  - id: a\n    value: 1200\n    label: people\n    source: S\n    period: \"2025\"\n---\n\n{line}\n"),
    )
    .unwrap();
    let (_, records) = check_findings(&note);
    let link = records
        .iter()
        .find(|r| {
            r["message"]
                .as_str()
                .unwrap_or("")
                .contains("points at a file")
        })
        .unwrap_or_else(|| panic!("{records:#?}"));
    let column = line[..line.find("[the notes]").unwrap()].chars().count() + 1;
    assert_eq!(
        (link["line"].as_u64(), link["column"].as_u64()),
        (Some(11), Some(column as u64)),
        "{records:#?}"
    );
    let o = briefkit(&["check", note.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("note.md:11:{column}")), "{err}");
    assert!(err.contains(line), "{err}");
}
