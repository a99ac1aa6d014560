//! Charts from the statistics: `[[chart]]` tables of every kind, placed by
//! `{{chart "id"}}`, drawing series over ordered periods, in English,
//! Arabic and Chinese, through every validator; and their located errors.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;
use std::path::{Path, PathBuf};

/// Ten years of three series (one with no 2019), a figure without a
/// series, and five charts: lines, grouped columns, one series' line,
/// stacked columns, a dot plot.
fn trend_pack(name: &str, language: &str, words: [&str; 4]) -> PathBuf {
    let [women, men, children, title] = words;
    let dir = scratch(&format!("charts-{name}")).join("pack");
    std::fs::create_dir_all(&dir).unwrap();
    let mut stats = String::from("id,value,unit,label,period,source,series\n");
    for (series, base, step) in [(women, 1200, 150), (men, 800, 70), (children, 300, 25)] {
        for (i, year) in (2015..2025).enumerate() {
            if series == children && year == 2019 {
                continue;
            }
            let value = base + step * i;
            stats.push_str(&format!(
                "{series}-{year},{value},people,{series},{year},Example data (illustrative),{series}\n"
            ));
        }
    }
    stats.push_str("total,3400,people,People assisted in 2024,2024,Example data (illustrative),\n");
    std::fs::write(dir.join("stats.csv"), stats).unwrap();
    std::fs::write(
        dir.join("brief.toml"),
        format!(
            "[brief]\ntitle = \"{title}\"\nlanguage = \"{language}\"\ndate = \"2026-12-01\"\nstatistics = \"stats.csv\"\n\n\
             [[chart]]\nid = \"trend\"\nkind = \"lines\"\ntitle = \"{title} 2015–2024\"\nseries = [\"{women}\", \"{men}\", \"{children}\"]\nnote = \"2019: —\"\n\n\
             [[chart]]\nid = \"groups\"\nkind = \"columns\"\ntitle = \"{title}\"\nseries = [\"{women}\", \"{men}\"]\n\n\
             [[chart]]\nkind = \"lines\"\ntitle = \"{women}\"\nseries = [\"{women}\"]\n\n\
             [[chart]]\nkind = \"stacked\"\ntitle = \"{title}\"\nseries = [\"{women}\", \"{men}\", \"{children}\"]\n\n\
             [[chart]]\nkind = \"dots\"\ntitle = \"{title}\"\nseries = [\"{women}\", \"{men}\", \"{children}\"]\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("article.md"),
        "## 2024\n\n{{stat \"total\"}}.\n\n{{chart \"trend\"}}\n\n{{chart \"groups\"}}\n",
    )
    .unwrap();
    dir
}

fn languages() -> [(&'static str, &'static str, [&'static str; 4], &'static str); 3] {
    [
        (
            "en",
            "en",
            ["Women", "Men", "Children", "People assisted"],
            "Line chart",
        ),
        (
            "ar",
            "ar",
            ["النساء", "الرجال", "الأطفال", "المساعدة"],
            "مخطط خطي",
        ),
        ("zh", "zh", ["妇女", "男子", "儿童", "受助人数"], "折线图"),
    ]
}

fn built(pack: &Path, name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let out = pack.with_file_name("out");
    let o = briefkit(&[
        "build",
        pack.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let _ = name;
    (
        out.join("pack.pdf"),
        out.join("pack.epub"),
        out.join("pack.docx"),
    )
}

#[test]
fn every_kind_of_chart_passes_every_validator_in_three_languages() {
    for (name, language, words, line_chart) in languages() {
        let pack = trend_pack(name, language, words);
        let (pdf, epub, docx) = built(&pack, name);
        assert_qpdf_clean(&pdf);
        assert_pdf_profiles(&pdf, &["ua1", "pdfa-3a"]);
        assert_epubcheck_clean(&epub);
        if let Some(ace) = crate::epub::ace_dir() {
            crate::epub::assert_ace_clean(&ace, &epub, &epub.with_file_name("ace"));
        }
        assert_openxml_audit_clean(&docx);

        // Each chart is a Figure whose /Alt says, in the brief's language,
        // what it shows: the kind, the periods' span, each series' first
        // and last values.
        let alts = pdf_struct_entries(&pdf, "Figure", "Alt");
        assert_eq!(alts.len(), 5, "{name}: {alts:?}");
        let trend = &alts[0];
        assert!(trend.starts_with(line_chart), "{name}: {trend}");
        for needle in ["2015", "2024", words[0], words[2], "1,200", "2,550"] {
            assert!(trend.contains(needle), "{name}: `{needle}` in {trend}");
        }

        // The numbers follow each chart as a real table (three chart
        // tables and the statistics table), 2019's values among them.
        assert_eq!(pdf_struct_entries(&pdf, "Table", "S").len(), 6, "{name}");
        let (ok, text) = run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
        assert!(
            ok && text.contains("1,800") && text.contains("1,080"),
            "{name}: {text}"
        );

        // The EPUB: one SVG a chart, titled with the same description, and
        // the numbers as a table (the gap an empty cell).
        let files = zip_texts(&epub);
        for (n, file) in [
            "chart.svg",
            "chart-2.svg",
            "chart-3.svg",
            "chart-4.svg",
            "chart-5.svg",
        ]
        .iter()
        .enumerate()
        {
            let svg = files
                .iter()
                .find(|(f, _)| f.ends_with(file))
                .map(|(_, t)| t.as_str())
                .unwrap_or_else(|| panic!("{name}: no {file}"));
            assert!(
                svg.contains(&format!("<title>{}</title>", xml(&alts[n]))),
                "{name}: {file}"
            );
        }
        let page = &files
            .iter()
            .find(|(f, _)| f.ends_with("brief.xhtml"))
            .unwrap()
            .1;
        assert_eq!(
            page.matches("<table class=\"chart-data\">").count(),
            5,
            "{name}"
        );
        assert!(page.contains("<tr><th scope=\"row\">2019</th><td class=\"num\">1,800</td><td class=\"num\">1,080</td><td class=\"num\"></td></tr>"), "{name}");

        // The DOCX: a native Word chart a chart, described as a picture is,
        // its values cached in its part and written in its workbook; its
        // numbers in a table after it; no picture of it.
        let files = zip_files(&docx);
        let text = |part: &str| zip_text(&files, part);
        let document = text("word/document.xml");
        assert!(
            document.contains(&format!("descr=\"{}\"", xml(trend))),
            "{name}"
        );
        assert!(document.contains(">2,550<"), "{name}");
        assert_eq!(document.matches("<c:chart ").count(), 5, "{name}");
        assert!(
            !files.iter().any(|(f, _)| f.starts_with("word/media/")),
            "{name}: a chart drawn as a picture"
        );
        let rels = text("word/_rels/document.xml.rels");
        let types = text("[Content_Types].xml");
        for n in 1..=5 {
            assert!(
                rels.contains(&format!("Target=\"charts/chart{n}.xml\"")),
                "{name}"
            );
            assert!(types.contains(&format!("/word/charts/chart{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"")), "{name}");
            assert!(
                text(&format!("word/charts/_rels/chart{n}.xml.rels"))
                    .contains(&format!("../embeddings/Microsoft_Excel_Worksheet{n}.xlsx")),
                "{name}"
            );
        }
        let kinds: Vec<String> = (1..=5)
            .map(|n| text(&format!("word/charts/chart{n}.xml")))
            .collect();
        assert!(kinds[0].contains("<c:lineChart>"), "{name}");
        assert!(
            kinds[1].contains("<c:barDir val=\"col\"/><c:grouping val=\"clustered\"/>"),
            "{name}"
        );
        assert!(kinds[3].contains("<c:grouping val=\"stacked\"/>"), "{name}");
        assert!(kinds[4].contains("<c:hiLowLines>"), "{name}");
        // Right to left, time runs from the right (as in the PDF).
        let order = if name == "ar" { "maxMin" } else { "minMax" };
        assert!(
            kinds[0].contains(&format!(
                "<c:catAx><c:axId val=\"50010\"/><c:scaling><c:orientation val=\"{order}\"/>"
            )),
            "{name}"
        );
        // The cached values: the children's series has ten places and no
        // value for 2019 (a gap, never a zero).
        let children = kinds[0].split("<c:ser>").nth(3).unwrap();
        let cache = children.split("<c:numCache>").nth(1).unwrap();
        assert!(cache.contains("<c:ptCount val=\"10\"/>"), "{name}");
        assert!(!cache.contains("<c:pt idx=\"4\">"), "{name}: {cache}");
        assert!(cache.contains("<c:pt idx=\"5\"><c:v>425</c:v>"), "{name}");
        assert!(kinds[0].contains("<c:dispBlanksAs val=\"gap\"/>"), "{name}");
        // Each line is named at its end (the last point with a value: 2024,
        // place 9), on the right, or the left right to left; no legend.
        // Columns of two series keep one.
        let side = if name == "ar" { "l" } else { "r" };
        for line in kinds[0].split("<c:ser>").skip(1) {
            let label = line.split("<c:dLbls>").nth(1).expect("an end label");
            assert!(
                label.starts_with("<c:dLbl><c:idx val=\"9\"/>"),
                "{name}: {label}"
            );
            assert!(
                label.contains(&format!("<c:dLblPos val=\"{side}\"/>"))
                    && label.contains("<c:showSerName val=\"1\"/>"),
                "{name}: {label}"
            );
        }
        assert!(!kinds[0].contains("<c:legend>"), "{name}");
        assert!(kinds[1].contains("<c:legend>"), "{name}");
        // The workbook holds the statistics: a year a row, a series a
        // column, 2019's children an empty cell.
        let book = workbook_cells(
            &files
                .iter()
                .find(|(f, _)| f == "word/embeddings/Microsoft_Excel_Worksheet1.xlsx")
                .unwrap()
                .1,
        );
        for (cell, value) in [
            ("A1", "\u{0}"),
            ("B1", words[0]),
            ("D1", words[2]),
            ("A2", "2015"),
            ("B2", "1200"),
            ("C2", "800"),
            ("D2", "300"),
            ("A11", "2024"),
            ("B11", "2550"),
            ("C11", "1430"),
            ("D7", "425"),
        ] {
            if value != "\u{0}" {
                assert_eq!(
                    book.get(cell).map(String::as_str),
                    Some(value),
                    "{name}: {cell} {book:?}"
                );
            }
        }
        assert_eq!(book.get("D6"), None, "{name}: 2019's children");
        assert_eq!(book.len(), 4 + 10 + 3 * 10 - 1, "{name}: {book:?}");

        // LibreOffice draws the charts from their cached values: their
        // axes' labels (3,000 and 5,000 are ticks, in no table) and
        // legends are in its PDF; right to left, `2015` stays `2015`.
        // (Not the children's name: pdftotext splits Arabic's lam-alef
        // ligature as LibreOffice writes it.)
        let converted = libreoffice_pdf(&docx, &format!("charts-{name}-lo"));
        let (ok, drawn) = run("pdftotext", &[converted.to_str().unwrap(), "-"]);
        assert!(ok, "{name}");
        for needle in [
            "3,000", "2,500", "5,000", "2015", "2024", words[0], words[1],
        ] {
            assert!(drawn.contains(needle), "{name}: `{needle}` in {drawn}");
        }
        for reversed in ["5102", "000,3", "000,5"] {
            assert!(!drawn.contains(reversed), "{name}: `{reversed}` in {drawn}");
        }
    }
}

/// The cells of a workbook's first sheet, by reference, strings looked up.
fn workbook_cells(xlsx: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    let sheet = read("xl/worksheets/sheet1.xml");
    let strings: Vec<String> = read("xl/sharedStrings.xml")
        .split("<si>")
        .skip(1)
        .map(|si| {
            let t = si.split_once("<t").unwrap().1;
            let t = &t[t.find('>').unwrap() + 1..];
            t[..t.find("</t>").unwrap()].to_string()
        })
        .collect();
    let mut cells = std::collections::BTreeMap::new();
    for c in sheet.split("<c r=\"").skip(1) {
        let reference = c[..c.find('"').unwrap()].to_string();
        let head = &c[..c.find('>').unwrap()];
        let Some(v) = c.split("<v>").nth(1).map(|v| &v[..v.find("</v>").unwrap()]) else {
            continue;
        };
        let value = if head.contains("t=\"s\"") {
            strings[v.parse::<usize>().unwrap()].clone()
        } else {
            v.to_string()
        };
        cells.insert(reference, value);
    }
    cells
}

#[test]
fn a_chart_placed_by_id_stands_where_the_article_puts_it_and_a_gap_stays_a_gap() {
    let pack = trend_pack("ast", "en", ["Women", "Men", "Children", "People"]);
    let model = ast(&pack, &[]);
    let types = block_types(&model);
    let charts: Vec<usize> = types
        .iter()
        .enumerate()
        .filter(|(_, t)| *t == "chart")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(charts.len(), 5, "{types:?}");
    let blocks = model["blocks"].as_array().unwrap();
    // `trend` and `groups` follow the article's paragraph; the third,
    // placed nowhere, comes after the article.
    assert_eq!(blocks[charts[0]]["id"], "trend");
    assert_eq!(blocks[charts[1]]["id"], "groups");
    assert_eq!(blocks[charts[0] - 1]["type"], "paragraph");
    assert_eq!(charts[1], charts[0] + 1);
    let trend = &blocks[charts[0]];
    assert_eq!(trend["categories"][4], "2019");
    assert!(
        trend["series"][2]["points"][4].is_null(),
        "{}",
        trend["series"][2]
    );
    assert_eq!(trend["series"][2]["points"][5]["value"], 425.0);
    assert_eq!(trend["ticks"][1]["label"], "500");
}

/// Writes `brief.toml` and `stats.csv` into a fresh pack and returns the
/// first error's (line, message, hints).
fn first_error(name: &str, toml: &str, stats: &str, article: &str) -> (u64, String, String) {
    let dir = scratch(&format!("chart-error-{name}")).join("pack");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("brief.toml"), toml).unwrap();
    std::fs::write(dir.join("stats.csv"), stats).unwrap();
    std::fs::write(dir.join("article.md"), article).unwrap();
    let (code, records) = check_findings(&dir);
    assert_eq!(code, Some(1), "{name}: {records:#?}");
    let first = records
        .iter()
        .find(|r| r["severity"] == "error")
        .unwrap_or_else(|| panic!("{name}: no error"));
    (
        first["line"].as_u64().unwrap_or(0),
        first["message"].as_str().unwrap_or("").to_string(),
        first["hints"].to_string(),
    )
}

#[test]
fn chart_mistakes_are_errors_at_the_setting_that_makes_them() {
    let head = "[brief]\ntitle = \"T\"\nstatistics = \"stats.csv\"\n\n[[chart]]\nid = \"c\"\n";
    let stats = "id,value,unit,label,period,source,series\n\
                 a1,1,people,A,2019,S,A\na2,2,people,A,2020,S,A\n\
                 b1,3,%,B,2019,S,B\nq1,4,people,Q,2019-Q1,S,Q\nl1,5,people,L,Spring 2019,S,L\n\
                 d1,6,people,D,2019,S,D\nd2,7,people,D,2019,S,D\nn1,-8,people,N,2019,S,N\n";
    let article = "Text.\n";
    let cases = [
        (
            "units",
            "kind = \"columns\"\nseries = [\"A\", \"B\"]\n",
            8,
            "the chart mixes units",
            "",
        ),
        (
            "unknown-series",
            "kind = \"lines\"\nseries = [\"A\", \"Bb\"]\n",
            8,
            "no statistic is in the series `Bb`",
            "did you mean `B`?",
        ),
        (
            "grains",
            "kind = \"lines\"\nseries = [\"A\", \"Q\"]\n",
            8,
            "mix years, quarters",
            "a year (2019)",
        ),
        (
            "unordered",
            "kind = \"lines\"\nseries = [\"A\", \"L\"]\n",
            8,
            "the period `Spring 2019` cannot be ordered",
            "a year (2019)",
        ),
        (
            "twice",
            "kind = \"lines\"\nseries = [\"D\"]\n",
            8,
            "`d1` and `d2` are both `D` in 2019",
            "",
        ),
        (
            "both",
            "statistics = [\"a1\"]\nseries = [\"A\"]\n",
            8,
            "either `statistics` or `series`",
            "",
        ),
        (
            "negative",
            "kind = \"stacked\"\nseries = [\"N\"]\n",
            8,
            "`n1` is negative",
            "columns or lines",
        ),
        (
            "dots-of-statistics",
            "kind = \"dots\"\nstatistics = [\"a1\"]\n",
            8,
            "a dot plot compares each series' first and last periods",
            "series",
        ),
        (
            "neither",
            "kind = \"columns\"\n",
            5,
            "needs `statistics` (ids) or `series`",
            "",
        ),
        (
            "kind",
            "kind = \"pie\"\nseries = [\"A\"]\n",
            7,
            "unknown variant `pie`",
            "",
        ),
    ];
    for (name, chart, line, message, hint) in cases {
        let (at, got, hints) = first_error(name, &format!("{head}{chart}"), stats, article);
        assert!(got.contains(message), "{name}: {got}");
        assert!(hints.contains(hint), "{name}: {hints}");
        assert_eq!(at, line, "{name}: {got}");
    }
    // An unknown chart in the article: at its helper.
    let (at, got, hints) = first_error(
        "unknown-chart",
        &format!("{head}kind = \"lines\"\nseries = [\"A\"]\n"),
        stats,
        "Text.\n\n{{chart \"x\"}}\n",
    );
    assert!(
        got.contains("unknown chart `x`") || hints.contains("unknown chart `x`"),
        "{got} {hints}"
    );
    assert_eq!(at, 3, "{got}");
}

#[test]
fn each_brief_of_a_batch_draws_its_own_rows_series() {
    let dir = scratch("charts-batch").join("pack");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("brief.toml"),
        "[brief]\ntitle = \"{{row.name}}\"\nstatistics = \"stats.csv\"\n\n[batch]\nrows = \"rows.csv\"\nkey = \"iso3\"\n\n[[chart]]\nkind = \"lines\"\ntitle = \"Returns to {{row.name}}\"\nseries = [\"{{row.iso3}}\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("rows.csv"),
        "iso3,name\nMEX,Mexico\nGTM,Guatemala\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("stats.csv"),
        "iso3,id,value,unit,label,period,source,series\n\
         MEX,m1,10,people,Returns,2020,S,MEX\nMEX,m2,20,people,Returns,2021,S,MEX\n\
         GTM,g1,30,people,Returns,2020,S,GTM\nGTM,g2,5,people,Returns,2021,S,GTM\n",
    )
    .unwrap();
    std::fs::write(dir.join("article.md"), "Returns.\n").unwrap();
    for (key, first, last) in [("MEX", 10.0, 20.0), ("GTM", 30.0, 5.0)] {
        let doc = compose_row(&dir, Some(key));
        let charts = doc.charts();
        assert_eq!(charts.len(), 1, "{key}");
        let chart = charts[0];
        assert_eq!(chart.series[0].name, key);
        let values: Vec<f64> = chart.series[0]
            .points
            .iter()
            .flatten()
            .map(|p| p.value)
            .collect();
        assert_eq!(values, vec![first, last], "{key}");
        assert!(chart.title.starts_with("Returns to "), "{}", chart.title);
        assert!(!chart.title.contains("{{"), "{}", chart.title);
        // `briefkit ast --row KEY` prints that row's document.
        let model = ast(&dir, &["--row", key]);
        assert_eq!(
            model["metadata"]["title"],
            if key == "MEX" { "Mexico" } else { "Guatemala" }
        );
    }
    // An unknown row is a usage error naming the keys.
    let o = briefkit(&["ast", dir.to_str().unwrap(), "--row", "XXX"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--row XXX"));
}

/// Every text file of a zip, by name.
fn zip_texts(path: &Path) -> Vec<(String, String)> {
    zip_files(path)
        .into_iter()
        .filter_map(|(name, bytes)| String::from_utf8(bytes).ok().map(|t| (name, t)))
        .collect()
}

/// Text as XML writes it in an attribute or element.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[test]
fn statistics_only_a_chart_draws_are_in_its_table_not_in_the_statistics_table() {
    let pack = scratch("charts-only-chart").join("pack");
    std::fs::create_dir_all(&pack).unwrap();
    let write = |name: &str, text: &str| std::fs::write(pack.join(name), text).unwrap();
    write(
        "brief.toml",
        "[brief]\ntitle = \"Only a chart\"\ndate = \"2026-12-01\"\nstatistics = \"stats.csv\"\n\n[[chart]]\nid = \"c\"\ntitle = \"Cases\"\nstatistics = [\"a\", \"b\"]\n",
    );
    write(
        "article.md",
        "Some words; {{stat \"b\"}} cited.\n\n{{chart \"c\"}}\n",
    );
    write(
        "stats.csv",
        "id,value,unit,label,period,source\na,10,cases,Cases of kind A,2025,IOM\nb,20,cases,Cases of kind B,2025,IOM\n",
    );
    let out = scratch("charts-only-chart-out");
    let (pdf, _) = build_pdf(&pack, &out, &[]);
    let (ok, text) = run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    assert!(ok, "{text}");
    // `b` is cited: its row; `a` only drawn: in the chart's table once.
    let table = text.split("Statistics cited").nth(1).expect("the table");
    assert!(
        table.contains("Cases of kind B") && !table.contains("Cases of kind A"),
        "{text}"
    );
    assert_eq!(
        text.matches("Cases of kind A").count(),
        2,
        "bar label and chart table: {text}"
    );
    // With nothing cited, no table and no heading; the sources stay.
    write("article.md", "Some words.\n\n{{chart \"c\"}}\n");
    let out = scratch("charts-only-chart-out-2");
    let (pdf, _) = build_pdf(&pack, &out, &[]);
    let (ok, text) = run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    assert!(ok, "{text}");
    assert!(
        !text.contains("Statistics cited") && text.contains("Sources"),
        "{text}"
    );
    // The data carries both: the chart draws them.
    let o = briefkit(&["verify", pdf.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success() && err.contains("no figure of the text is marked (2 statistics)"),
        "{err}"
    );
}
