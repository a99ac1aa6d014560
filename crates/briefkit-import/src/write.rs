//! Stage 4: the pack files, written with the toml and csv writers so they
//! parse back by construction.

use crate::FoundStatistic;

/// `brief.toml` as the toml writer writes it, so it parses back by
/// construction: the headline, language, publisher, the first three
/// figures as key figures, the contact, and the numbers the prose keeps.
pub(crate) fn write_settings(
    title: &str,
    date: Option<&str>,
    language: &str,
    publisher: Option<&str>,
    stats: &[FoundStatistic],
    contact: &briefkit_model::Contact,
    kept: &[String],
) -> String {
    #[derive(serde::Serialize)]
    struct Settings<'a> {
        brief: Brief<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        contact: Option<&'a briefkit_model::Contact>,
        #[serde(skip_serializing_if = "Option::is_none")]
        check: Option<Check<'a>>,
    }
    #[derive(serde::Serialize)]
    struct Check<'a> {
        allow: &'a [String],
    }
    #[derive(serde::Serialize)]
    struct Brief<'a> {
        title: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        date: Option<&'a str>,
        language: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        organization: Option<&'a str>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        key_figures: Vec<&'a str>,
    }
    let settings = Settings {
        brief: Brief {
            title,
            date,
            language,
            organization: publisher,
            key_figures: stats.iter().take(3).map(|s| s.id.as_str()).collect(),
        },
        contact: (!contact.lines().is_empty()).then_some(contact),
        // Numbers kept in the prose (ages, durations, times, quotations)
        // are not figures to cite.
        check: (!kept.is_empty()).then_some(Check { allow: kept }),
    };
    toml::to_string(&settings).unwrap_or_default()
}

/// `stats.csv` as the csv writer writes it (quoted where needed).
pub(crate) fn write_statistics(stats: &[FoundStatistic]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // A release's figures belong to no series: that column is left out.
    let header: Vec<String> = briefkit_compose::statistics::COLUMNS
        .iter()
        .filter(|c| **c != "series")
        .map(|c| c.to_string())
        .collect();
    let mut rows = vec![header];
    for s in stats {
        rows.push(vec![
            s.id.clone(),
            s.value.clone(),
            s.unit.clone(),
            s.label.clone(),
            s.period.clone(),
            s.source.clone(),
            String::new(),
            String::new(),
        ]);
    }
    for row in &rows {
        // Writing to a vector cannot fail.
        let _ = w.write_record(row);
    }
    w.into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}
