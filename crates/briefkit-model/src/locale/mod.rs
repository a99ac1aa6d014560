//! Language-dependent text: number formatting (ICU4X), dates, fixed labels.

use fixed_decimal::Decimal;
use icu_decimal::{CompactDecimalFormatter, DecimalFormatter};
use icu_experimental::dimension::percent::formatter::PercentFormatter;
use icu_locale_core::Locale;
use std::str::FromStr;
use writeable::Writeable;

mod words;
pub use words::{has_table, labels, TABLES};

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
        Some(without_marks(match &self.formatter {
            Some(f) => f.format(&d).write_to_string().into_owned(),
            None => d.write_to_string().into_owned(),
        }))
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
        Some(without_marks(text))
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
            Ok(f) => Some(without_marks(f.format(&d).write_to_string().into_owned())),
            Err(_) => Some(format!("{number}%")),
        }
    }
}

/// A formatted figure without the invisible direction marks CLDR puts in
/// some languages' patterns (U+200E in Arabic's "99‎%‎"): a reader who
/// searches for "99%" must find it. The outputs keep a figure's direction
/// with markup instead (an isolate in the EPUB; the PDF lays it out).
fn without_marks(mut text: String) -> String {
    text.retain(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}'));
    text
}

/// The primary language subtag, lower-cased (`es` of `es-MX`).
pub fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase()
}

/// The numbering systems `[brief] numbering` may name (CLDR ids).
pub const NUMBERING_SYSTEMS: [&str; 8] = [
    "latn", "arab", "arabext", "deva", "beng", "thai", "hanidec", "fullwide",
];

/// The tag numbers and dates are formatted with: the language, with the
/// numbering system (`latn` for 0–9, `arab` for ٠–٩) when one is asked for
/// (`ar` + `latn` → `ar-u-nu-latn`). Without one, CLDR's default for the
/// locale applies.
pub fn formatting_tag(language: &str, numbering: Option<&str>) -> String {
    let Some(nu) = numbering.filter(|n| NUMBERING_SYSTEMS.contains(n)) else {
        return language.to_string();
    };
    let Ok(mut locale) = Locale::from_str(language) else {
        return language.to_string();
    };
    if let Ok(value) = icu_locale_core::extensions::unicode::Value::try_from_str(nu) {
        locale
            .extensions
            .unicode
            .keywords
            .set(icu_locale_core::extensions::unicode::key!("nu"), value);
    }
    locale.to_string()
}

/// Which way a language's text runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right.
    #[default]
    Ltr,
    /// Right to left (Arabic, Hebrew, Persian, Urdu, ...).
    Rtl,
}

impl Direction {
    /// The direction of a BCP 47 tag's script: right to left for Arabic,
    /// Hebrew, Persian, Urdu and the other languages written in a
    /// right-to-left script (or a tag naming such a script, `az-Arab`).
    pub fn of_language(tag: &str) -> Direction {
        const RTL_LANGUAGES: [&str; 11] = [
            "ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "syr",
        ];
        const RTL_SCRIPTS: [&str; 6] = ["arab", "hebr", "thaa", "syrc", "nkoo", "adlm"];
        let lower = tag.to_ascii_lowercase();
        let mut parts = lower.split(['-', '_']);
        let primary = parts.next().unwrap_or_default();
        match parts.find(|p| p.len() == 4) {
            Some(script) if RTL_SCRIPTS.contains(&script) => Direction::Rtl,
            Some(_) => Direction::Ltr,
            None if RTL_LANGUAGES.contains(&primary) => Direction::Rtl,
            None => Direction::Ltr,
        }
    }

    /// `ltr` or `rtl`, as HTML's `dir` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }

    /// Whether this is right to left.
    pub fn is_rtl(self) -> bool {
        self == Direction::Rtl
    }
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
    /// Year of the common era.
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

    /// The date as a reader of `language` writes it, by CLDR's long date
    /// pattern for the language (Gregorian calendar; digits as the tag's
    /// numbering system says, see [`formatting_tag`]).
    pub fn display(&self, language: &str) -> String {
        use icu_datetime::fieldsets::YMD;
        use icu_datetime::FixedCalendarDateTimeFormatter;
        let locale = Locale::from_str(language).unwrap_or(Locale::UNKNOWN);
        let date = u8::try_from(self.month)
            .ok()
            .zip(u8::try_from(self.day).ok())
            .and_then(|(m, d)| icu_calendar::Date::try_new_gregorian(self.year, m, d).ok());
        let formatter = FixedCalendarDateTimeFormatter::<icu_calendar::Gregorian, _>::try_new(
            (&locale).into(),
            YMD::long(),
        );
        match (date, formatter) {
            (Some(date), Ok(f)) => f.format(&date).to_string(),
            _ => self.iso(),
        }
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse_iso(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a YYYY-MM-DD date")))
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
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
    fn numbering_and_direction_follow_the_tag() {
        assert_eq!(formatting_tag("ar", Some("latn")), "ar-u-nu-latn");
        assert_eq!(formatting_tag("ar", None), "ar");
        // CLDR's default for Arabic is 0–9, for Egyptian Arabic ٠–٩.
        let ar = NumberFormat::new("ar").format_text("20000");
        assert_eq!(ar.as_deref(), Some("20,000"));
        let eg = NumberFormat::new("ar-EG").format_text("20000");
        assert_eq!(eg.as_deref(), Some("٢٠٬٠٠٠"));
        let arab = NumberFormat::new(&formatting_tag("ar", Some("arab"))).format_text("20000");
        assert_eq!(arab.as_deref(), Some("٢٠٬٠٠٠"));
        let latn = NumberFormat::new(&formatting_tag("ar-EG", Some("latn"))).format_text("20000");
        assert_eq!(latn.as_deref(), Some("20,000"));
        assert_eq!(
            NumberFormat::new("zh").format_text("20000").as_deref(),
            Some("20,000")
        );
        let ru = NumberFormat::new("ru").format_text("20000");
        assert_eq!(ru.as_deref(), Some("20\u{a0}000"));
        assert_eq!(Direction::of_language("ar-EG"), Direction::Rtl);
        assert_eq!(Direction::of_language("ur"), Direction::Rtl);
        assert_eq!(Direction::of_language("zh-Hans"), Direction::Ltr);
        assert_eq!(Direction::of_language("az-Arab"), Direction::Rtl);
    }

    #[test]
    fn dates_from_epoch_and_display() {
        assert_eq!(Date::from_unix(0).iso(), "1970-01-01");
        assert_eq!(Date::from_unix(1_795_824_000).iso(), "2026-11-28");
        let d = Date::parse_iso("2005-09-23").expect("a date");
        let cases = [
            ("en", "September 23, 2005"),
            ("en-GB", "23 September 2005"),
            ("es", "23 de septiembre de 2005"),
            ("fr", "23 septembre 2005"),
            ("ru", "23 сентября 2005\u{202f}г."),
            ("zh", "2005年9月23日"),
            ("ar", "23 سبتمبر 2005"),
            ("ar-EG", "٢٣ سبتمبر ٢٠٠٥"),
            ("ar-EG-u-nu-latn", "23 سبتمبر 2005"),
        ];
        for (tag, want) in cases {
            assert_eq!(d.display(tag), want, "{tag}");
        }
        assert!(Date::parse_iso("2005-02-30").is_none());
        for secs in [0, 951_782_400, 1_795_824_000, -86_400 * 400] {
            assert_eq!(Date::from_unix(secs).unix_seconds(), secs, "{secs}");
        }
    }
}
