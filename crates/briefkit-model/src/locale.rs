//! Language-dependent text: number formatting (ICU4X), dates, fixed labels.

use crate::document::Labels;
use fixed_decimal::Decimal;
use icu_decimal::{CompactDecimalFormatter, DecimalFormatter};
use icu_experimental::dimension::percent::formatter::PercentFormatter;
use icu_locale_core::Locale;
use std::str::FromStr;
use writeable::Writeable;

/// Formats numbers for one language with CLDR data.
pub struct NumberFormat {
    /// `None` only if ICU4X's compiled data has no root locale; digits are
    /// then written ungrouped.
    formatter: Option<DecimalFormatter>,
    locale: Locale,
}

impl NumberFormat {
    /// A formatter for a BCP 47 tag; an unknown or malformed tag falls back
    /// to the root locale (the caller validates tags separately).
    pub fn new(language: &str) -> Self {
        let locale = Locale::from_str(language).unwrap_or(Locale::UNKNOWN);
        let formatter = DecimalFormatter::try_new((&locale).into(), Default::default())
            .or_else(|_| DecimalFormatter::try_new(Default::default(), Default::default()))
            .ok();
        Self { formatter, locale }
    }

    /// Formats a decimal number written as text (`3000`, `12.5`), keeping the
    /// digits as written. `None` if the text is not a plain decimal.
    pub fn format_text(&self, value_text: &str) -> Option<String> {
        let d = Decimal::from_str(value_text.trim()).ok()?;
        Some(match &self.formatter {
            Some(f) => f.format(&d).write_to_string().into_owned(),
            None => d.write_to_string().into_owned(),
        })
    }

    /// The short compact form of a value (20K in English, 20 k in French,
    /// 20 mil in Spanish), from CLDR; percentages keep their full form.
    pub fn format_compact(&self, value_text: &str, unit: Option<&str>) -> Option<String> {
        if unit.map(str::trim) == Some("%") {
            return self.format_with_unit(value_text, unit);
        }
        let d = Decimal::from_str(value_text.trim()).ok()?;
        let f = CompactDecimalFormatter::try_new_short((&self.locale).into(), Default::default())
            .ok()?;
        let text = f.format(&d).write_to_string().into_owned();
        Some(text)
    }

    /// Formats a value with its unit where the unit is a symbol written next
    /// to the number (`%`), by CLDR's percent pattern: "99%" in English,
    /// "99 %" in French, German or Spanish.
    pub fn format_with_unit(&self, value_text: &str, unit: Option<&str>) -> Option<String> {
        let number = self.format_text(value_text)?;
        if unit.map(str::trim) != Some("%") {
            return Some(number);
        }
        // CLDR's percent pattern for the language (99% / 99 % / %99).
        let d = Decimal::from_str(value_text.trim()).ok()?;
        match PercentFormatter::try_new((&self.locale).into(), Default::default()) {
            Ok(f) => Some(f.format(&d).write_to_string().into_owned()),
            Err(_) => Some(format!("{number}%")),
        }
    }
}

/// The primary language subtag, lower-cased (`es` of `es-MX`).
pub fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase()
}

/// Whether a language tag is well-formed BCP 47.
pub fn is_valid_language_tag(tag: &str) -> bool {
    Locale::from_str(tag).is_ok()
}

const MONTHS: [(&str, [&str; 12]); 5] = [
    (
        "en",
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
    ),
    (
        "es",
        [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
    ),
    (
        "fr",
        [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
    ),
    (
        "de",
        [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
    ),
    (
        "pt",
        [
            "janeiro",
            "fevereiro",
            "março",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro",
            "novembro",
            "dezembro",
        ],
    ),
];

/// Every month name of every language with a table (for telling dates
/// from figures in prose).
pub fn month_names() -> impl Iterator<Item = &'static str> {
    MONTHS.iter().flat_map(|(_, names)| names.iter().copied())
}

/// The number (1–12) of a month named in any language with a table, in
/// any case ("March", "febrero").
pub fn month_number(name: &str) -> Option<u32> {
    MONTHS.iter().find_map(|(_, names)| {
        names
            .iter()
            .position(|m| m.eq_ignore_ascii_case(name) || m.to_lowercase() == name.to_lowercase())
            .and_then(|i| u32::try_from(i + 1).ok())
    })
}

/// A validated calendar date. In JSON (`briefkit ast`) it is `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD` (a time part after `T` is ignored).
    pub fn parse_iso(text: &str) -> Option<Date> {
        let date = text.trim().split('T').next()?;
        let mut parts = date.split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        if parts.next().is_some() || !(1..=12).contains(&month) {
            return None;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        if day == 0 || day > days[(month - 1) as usize] {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The date from seconds since the Unix epoch (UTC).
    pub fn from_unix(secs: i64) -> Date {
        // Howard Hinnant's civil-from-days algorithm.
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Seconds since the Unix epoch at the start of the day (UTC).
    pub fn unix_seconds(&self) -> i64 {
        // Howard Hinnant's days-from-civil algorithm.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        (era * 146_097 + doe - 719_468) * 86_400
    }

    /// `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The date as a reader of `language` writes it.
    pub fn display(&self, language: &str) -> String {
        let lang = primary_language(language);
        let months = MONTHS
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or(MONTHS[0].1, |(_, m)| *m);
        let month = months[(self.month - 1) as usize];
        match lang.as_str() {
            "es" | "pt" => format!("{} de {} de {}", self.day, month, self.year),
            "de" => format!("{}. {} {}", self.day, month, self.year),
            _ => format!("{} {} {}", self.day, month, self.year),
        }
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

/// Fixed words for a language (English for languages without a table).
pub fn labels(language: &str) -> Labels {
    let l = |en: &str, es: &str, fr: &str, de: &str, pt: &str| -> String {
        match primary_language(language).as_str() {
            "es" => es,
            "fr" => fr,
            "de" => de,
            "pt" => pt,
            _ => en,
        }
        .to_string()
    };
    Labels {
        summary: l("Summary", "Resumen", "Résumé", "Zusammenfassung", "Resumo"),
        key_figures: l(
            "Key figures",
            "Cifras clave",
            "Chiffres clés",
            "Kennzahlen",
            "Números-chave",
        ),
        statistics: l(
            "Statistics cited",
            "Estadísticas citadas",
            "Statistiques citées",
            "Zitierte Statistiken",
            "Estatísticas citadas",
        ),
        sources: l("Sources", "Fuentes", "Sources", "Quellen", "Fontes"),
        contact: l("Contact", "Contacto", "Contact", "Kontakt", "Contato"),
        notes: l("Notes", "Notas", "Notes", "Anmerkungen", "Notas"),
        value: l("Value", "Valor", "Valeur", "Wert", "Valor"),
        counts: l(
            "What it counts",
            "Qué mide",
            "Ce qui est compté",
            "Was gezählt wird",
            "O que mede",
        ),
        period: l("Period", "Período", "Période", "Zeitraum", "Período"),
        source: l("Source", "Fuente", "Source", "Quelle", "Fonte"),
        page: l("Page", "Página", "Page", "Seite", "Página"),
        of: l("of", "de", "sur", "von", "de"),
        contents: l("Contents", "Índice", "Sommaire", "Inhalt", "Sumário"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        let cases = [
            ("en", "20000", "20,000"),
            ("fr", "20000", "20\u{202f}000"),
            ("de", "20000", "20.000"),
            ("es", "20000", "20.000"),
            ("pt", "20000", "20.000"),
            ("en", "1336", "1,336"),
            ("es", "1336", "1336"),
            ("en", "12.5", "12.5"),
            ("de", "12.5", "12,5"),
        ];
        for (lang, input, want) in cases {
            let got = NumberFormat::new(lang).format_text(input);
            assert_eq!(got.as_deref(), Some(want), "{lang} {input}");
        }
    }

    #[test]
    fn compact_forms_follow_the_language() {
        let cases = [
            ("en", "20000", "20K"),
            ("fr", "20000", "20\u{a0}k"),
            ("es", "20000", "20\u{a0}mil"),
            ("de", "1336", "1336"),
            ("en", "99", "99"),
        ];
        for (lang, value, want) in cases {
            assert_eq!(
                NumberFormat::new(lang)
                    .format_compact(value, None)
                    .as_deref(),
                Some(want),
                "{lang}"
            );
        }
        assert_eq!(
            NumberFormat::new("en")
                .format_compact("99", Some("%"))
                .as_deref(),
            Some("99%")
        );
    }

    #[test]
    fn percent_follows_cldr_in_five_languages() {
        let cases = [
            ("en", "99%"),
            ("es", "99\u{a0}%"),
            ("fr", "99\u{a0}%"),
            ("de", "99\u{a0}%"),
            ("pt", "99%"),
            ("en", "99%"),
        ];
        for (lang, want) in cases {
            assert_eq!(
                NumberFormat::new(lang)
                    .format_with_unit("99", Some("%"))
                    .as_deref(),
                Some(want),
                "{lang}"
            );
        }
        assert_eq!(
            NumberFormat::new("de")
                .format_with_unit("12.5", Some("%"))
                .as_deref(),
            Some("12,5\u{a0}%")
        );
    }

    #[test]
    fn dates_from_epoch_and_display() {
        assert_eq!(Date::from_unix(0).iso(), "1970-01-01");
        assert_eq!(Date::from_unix(1_795_824_000).iso(), "2026-11-28");
        let d = Date::parse_iso("2005-09-23");
        assert_eq!(
            d.map(|d| d.display("es")).as_deref(),
            Some("23 de septiembre de 2005")
        );
        assert!(Date::parse_iso("2005-02-30").is_none());
        for secs in [0, 951_782_400, 1_795_824_000, -86_400 * 400] {
            assert_eq!(Date::from_unix(secs).unix_seconds(), secs, "{secs}");
        }
    }
}
