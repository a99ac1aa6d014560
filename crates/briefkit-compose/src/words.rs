//! The fixed words briefkit writes ("Summary", "Page 1 of 3", ...), one
//! table per language in `locales/LANG.toml`.

use briefkit_model::document::Labels;
use briefkit_model::locale::primary_language;
use std::collections::BTreeMap;

/// Every language with a table: primary subtag and the table's text.
pub const TABLES: [(&str, &str); 8] = [
    ("en", include_str!("../locales/en.toml")),
    ("ar", include_str!("../locales/ar.toml")),
    ("zh", include_str!("../locales/zh.toml")),
    ("fr", include_str!("../locales/fr.toml")),
    ("ru", include_str!("../locales/ru.toml")),
    ("es", include_str!("../locales/es.toml")),
    ("pt", include_str!("../locales/pt.toml")),
    ("de", include_str!("../locales/de.toml")),
];

/// The table of a language, parsed (`None` for a table that is not a
/// table of strings: a test keeps them all well-formed).
fn parse(text: &str) -> Option<BTreeMap<String, String>> {
    toml::from_str(text).ok()
}

/// Whether briefkit has fixed words for the language of a BCP 47 tag.
pub fn has_table(language: &str) -> bool {
    let primary = primary_language(language);
    TABLES.iter().any(|(l, _)| *l == primary)
}

/// The fixed words for a language; English for a language without a table
/// (the caller warns, see [`has_table`]), and English for any word a
/// table lacks.
pub fn labels(language: &str) -> Labels {
    let primary = primary_language(language);
    let english = parse(TABLES[0].1).unwrap_or_default();
    let own = TABLES
        .iter()
        .find(|(l, _)| *l == primary)
        .and_then(|(_, text)| parse(text))
        .unwrap_or_default();
    let word = |key: &str| -> String {
        own.get(key)
            .or_else(|| english.get(key))
            .cloned()
            .unwrap_or_default()
    };
    Labels {
        summary: word("summary"),
        key_figures: word("key_figures"),
        statistics: word("statistics"),
        sources: word("sources"),
        contact: word("contact"),
        notes: word("notes"),
        contents: word("contents"),
        cover: word("cover"),
        value: word("value"),
        counts: word("counts"),
        period: word("period"),
        source: word("source"),
        source_line: word("source_line"),
        sources_line: word("sources_line"),
        list_separator: word("list_separator"),
        comma: word("comma"),
        page_of: word("page_of"),
        bar_chart: word("bar_chart"),
        chart_titled: word("chart_titled"),
        column_chart: word("column_chart"),
        line_chart: word("line_chart"),
        stacked_chart: word("stacked_chart"),
        dot_plot: word("dot_plot"),
        titled: word("titled"),
        span: word("span"),
        change: word("change"),
        label_value: word("label_value"),
        sentence_end: word("sentence_end"),
        source_n: word("source_n"),
        note_n: word("note_n"),
        data_csv: word("data_csv"),
        data_json: word("data_json"),
        data_provenance: word("data_provenance"),
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    fn chart() -> briefkit_model::Chart {
        use briefkit_model::{ChartKind, ChartPoint, ChartSeries};
        let point = |id: &str, value: f64, display: &str| {
            Some(ChartPoint {
                id: id.into(),
                value,
                display: display.into(),
            })
        };
        briefkit_model::Chart {
            id: String::new(),
            kind: ChartKind::Bars,
            title: "Cases".into(),
            unit: None,
            categories: vec!["Reported to the authorities".into(), "Went to trial".into()],
            series: vec![ChartSeries {
                name: String::new(),
                points: vec![point("a", 1336.0, "1,336"), point("b", 531.0, "531")],
            }],
            ticks: Vec::new(),
            source_line: "Source: X".into(),
            note: None,
            alt: String::new(),
        }
    }

    /// A chart's description is written with the brief's words and
    /// punctuation (the model's `alt_text` with these tables).
    #[test]
    fn the_description_is_in_the_briefs_words() {
        let zh = labels("zh");
        assert_eq!(
            briefkit_model::chart::alt_text(&chart(), &zh),
            "条形图：Cases。Reported to the authorities：1,336；Went to trial：531。Source: X"
        );
        let en = labels("en");
        assert_eq!(
            briefkit_model::chart::alt_text(&chart(), &en),
            "Bar chart: Cases. Reported to the authorities: 1,336; Went to trial: 531. Source: X"
        );
    }

    #[test]
    fn every_table_has_every_word_and_placeholder() {
        let english = parse(TABLES[0].1).expect("en.toml parses");
        assert!(english.len() >= 23, "{english:?}");
        for (lang, text) in TABLES {
            let table = parse(text).unwrap_or_else(|| panic!("{lang}.toml parses"));
            let keys: Vec<_> = table.keys().collect();
            let want: Vec<_> = english.keys().collect();
            assert_eq!(keys, want, "{lang}.toml has the keys en.toml has");
            for (key, value) in &table {
                assert!(!value.is_empty(), "{lang}.{key} is empty");
                for placeholder in [
                    "{page}", "{pages}", "{names}", "{title}", "{label}", "{value}", "{n}",
                ] {
                    assert_eq!(
                        english[key].contains(placeholder),
                        value.contains(placeholder),
                        "{lang}.{key} keeps {placeholder}"
                    );
                }
            }
        }
    }

    #[test]
    fn words_follow_the_language() {
        assert_eq!(labels("ar").sources, "المصادر");
        assert_eq!(labels("zh-Hans").contents, "目录");
        assert_eq!(labels("ru").page_of("2", "5"), "Страница 2 из 5");
        assert_eq!(labels("zh").page_of("2", "5"), "第2页，共5页");
        assert_eq!(
            labels("fr-CA").source_line(&["A", "B"]),
            "Sources\u{202f}: A\u{202f}; B"
        );
        assert_eq!(labels("de").page_of_parts(), ("Seite ", " von ", ""));
        assert_eq!(labels("sw").summary, "Summary");
        assert!(has_table("pt-BR") && !has_table("sw"));
    }
}
