//! `briefkit import`: releases saved from the web become packs that build.
//! Each fixture's statistics file is compared exactly with the one
//! reviewed by hand (`tests/fixtures/import/NAME.stats.csv`).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;

/// A release and what import must make of it: (file, headline, contact
/// e-mail, words that must be gone, hedges kept).
type Release = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

const RELEASES: &[Release] = &[
    (
        "seed-iom-mexico.txt",
        "Practical Approaches to Combating Human Trafficking",
        "jartola@iom.int",
        &[
            "Our Work",
            "Take Action",
            "WHO WE ARE",
            "target=",
            "Get involved",
        ],
        &[
            "some {{stat \"eclac-mexican-women\"}}",
            "More than {{stat \"iom-persons-gathered\"}}",
        ],
    ),
    (
        "shelters-en.txt",
        "Border Shelters Stretched as Arrivals Rise",
        "mlopez@example.org",
        &["HomeHome", "Press room", "mailto"],
        &["about {{stat", "more than {{stat"],
    ),
    (
        "water-en.html",
        "Clean Water Reaches Flooded Villages",
        "asilva@example.org",
        &["<p>", "Home", "color: red", "©"],
        &["some {{stat"],
    ),
    (
        "escuelas-es.txt",
        "Más Niñas y Niños Vuelven a la Escuela en la Frontera Sur",
        "lgomez@ras.example",
        &["InicioInicio", "Sala de prensa"],
        &["unos {{stat"],
    ),
    (
        "training-en.txt",
        "Vocational Training Opens Doors for Returning Migrants",
        "schan@kan.example",
        &[
            "Skip to main content",
            "Press releases",
            "Office in Phnom Penh",
        ],
        &[
            "referred {{stat \"mosa-vocational-training\"}} people",
            // Ages, durations, times, ordinals, dates and quotations stay.
            "last 12 weeks",
            "aged 18 to 35",
            "from 8:30 to 15:00",
            "The 3rd intake starts on 2 June",
            "children under 5",
            "when I was 19",
            "Now I fix 20 motorbikes",
        ],
    ),
    (
        "apoyo-es.html",
        "Jóvenes Migrantes Reciben Apoyo en Tijuana",
        "aruiz@rfa.example",
        &[
            "Usamos cookies",
            "Aceptar",
            "Inicio",
            "visitas",
            "position: fixed",
            "Aviso de privacidad",
        ],
        &[
            "brindó apoyo a {{stat \"sbs-adolescentes-acompanados\"}} adolescentes",
            "de entre 12 y 17 años",
            "a los 15 años",
            "pasó 3 días",
            "de 9:00 a 13:00",
            "el 2.º ciclo comienza el 1 de marzo",
            "menores de 12 años",
        ],
    ),
];

/// Where a release is: the seed is read from the shared folder beside the
/// checkout (it is the original web scrape, not ours to redistribute).
fn release(file: &str) -> std::path::PathBuf {
    let path = if file.starts_with("seed-") {
        root().join("../shared/seed/iom-mexico-trafficking.txt")
    } else {
        root().join("tests/fixtures/import").join(file)
    };
    // A missing input fails the test: it must never pass by reading nothing.
    assert!(path.is_file(), "{} is missing", path.display());
    path
}

#[test]
fn releases_become_packs_with_the_reviewed_statistics() {
    for (file, headline, email, gone, hedges) in RELEASES {
        let input = release(file);
        let pack = scratch(&format!("import-{file}")).join("pack");
        let o = briefkit(&[
            "import",
            input.to_str().unwrap(),
            "-o",
            pack.to_str().unwrap(),
        ]);
        assert!(
            o.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let stem = file.rsplit_once('.').unwrap().0;
        let expected =
            std::fs::read_to_string(root().join(format!("tests/fixtures/import/{stem}.stats.csv")))
                .unwrap();
        let got = std::fs::read_to_string(pack.join("stats.csv")).unwrap();
        assert_eq!(
            got, expected,
            "{file}: stats.csv differs from the reviewed one"
        );
        let brief = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
        assert!(
            brief.contains(&format!("title = \"{headline}\"")),
            "{file}: {brief}"
        );
        assert!(
            brief.contains(&format!("email = \"{email}\"")),
            "{file}: {brief}"
        );
        let article = std::fs::read_to_string(pack.join("article.md")).unwrap();
        for g in *gone {
            assert!(
                !article.contains(g),
                "{file}: `{g}` survived into the article:\n{article}"
            );
        }
        for h in *hedges {
            assert!(article.contains(h), "{file}: hedge `{h}` lost:\n{article}");
        }
        // The imported pack passes check with no errors and builds.
        let (code, records) = {
            let o = briefkit(&["check", pack.to_str().unwrap(), "--format", "json"]);
            let records: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            (o.status.code(), records)
        };
        assert_eq!(code, Some(0), "{file}: {records:#?}");
        // What import kept in the prose is not reported as an uncited figure.
        let stray: Vec<&serde_json::Value> = records
            .iter()
            .filter(|r| r["kind"] == "stray-number")
            .collect();
        assert!(stray.is_empty(), "{file}: {stray:#?}");
        build(&pack, &pack.join("out"));
    }
}

#[test]
fn unsourced_figures_are_flagged_for_a_human() {
    let input = release("seed-iom-mexico.txt");
    let pack = scratch("import-warnings").join("pack");
    let o = briefkit(&[
        "import",
        input.to_str().unwrap(),
        "-o",
        pack.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning: `1,336`") && err.contains("names no source"),
        "{err}"
    );
    // Placed where the pack has the figure: the record of stats.csv it
    // became (found by its value), quoted.
    let stats = std::fs::read_to_string(pack.join("stats.csv")).unwrap();
    let (line, row) = stats
        .lines()
        .enumerate()
        .find(|(_, l)| l.split(',').nth(1) == Some("1336"))
        .unwrap_or_else(|| panic!("no record of 1,336:\n{stats}"));
    let place = format!("{}:{}:1", pack.join("stats.csv").display(), line + 1);
    assert!(err.contains(&place), "{place}\n{err}");
    assert!(err.contains(row), "{err}");
    // A second import into the same directory is refused.
    let again = briefkit(&[
        "import",
        input.to_str().unwrap(),
        "-o",
        pack.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn a_date_range_stays_prose_and_an_unsourced_figure_is_left_for_the_author() {
    let dir = scratch("import-range-and-todo");
    let release = dir.join("release.html");
    std::fs::write(
        &release,
        "<html><head><title>Workshop on Safe Water | Example Agency</title></head><body>\
         <h1>Workshop on Safe Water</h1>\
         <p>The workshop was held on 3&ndash;4 May 2025 in Tapachula, the Example Agency (EXA) said.</p>\
         <p>According to the Ministry of Health (MOH), some 18,000 households lost access to piped water in 2023.</p>\
         <p>Engineers repaired 75 pumping stations.</p>\
         <p>For more information, please contact:</p><p>Ana Silva</p><p>Example Agency</p>\
         <p>E-mail: <a href=\"mailto:asilva@example.org\">asilva@example.org</a></p></body></html>",
    )
    .unwrap();
    let pack = dir.join("pack");
    let o = briefkit(&[
        "import",
        release.to_str().unwrap(),
        "-o",
        pack.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let stats = std::fs::read_to_string(pack.join("stats.csv")).unwrap();
    // "3–4 May" is a date, not two statistics.
    for line in stats.lines().skip(1) {
        let value = line.split(',').nth(1).unwrap();
        assert!(
            !["3", "4"].contains(&value),
            "a date became a statistic: {line}"
        );
    }
    let article = std::fs::read_to_string(pack.join("article.md")).unwrap();
    assert!(article.contains("3–4 May 2025"), "{article}");
    // The repaired stations name no source: a placeholder, never a
    // publisher standing in for one.
    let stations = stats.lines().find(|l| l.contains(",75,")).unwrap();
    assert!(
        stations.contains("TODO: the release names no source"),
        "{stations}"
    );
    assert!(!stats.contains("the publisher of the release"), "{stats}");
    assert!(err.contains("the release names no source"), "{err}");
    // check and build both say so, until the author fills it in.
    for command in ["check", "build"] {
        let o = briefkit(&[command, pack.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{command}: {err}");
        assert!(err.contains("has no confirmed source"), "{command}: {err}");
    }
    let filled = stats.replace("TODO: the release names no source", "Example Agency (EXA)");
    std::fs::write(pack.join("stats.csv"), filled).unwrap();
    let o = briefkit(&["check", pack.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("has no confirmed source"));
}
