//! Numbers and dates as a reader of the brief's language writes them, by
//! CLDR's data (ICU4X): grouping, decimal marks, percent patterns, compact
//! forms, numbering systems and long dates.

use briefkit_model::locale::Date;
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

/// Whether a language tag is well-formed BCP 47.
pub fn is_valid_language_tag(tag: &str) -> bool {
    Locale::from_str(tag).is_ok()
}

/// A date as a reader of `language` writes it, by CLDR's long date
/// pattern for the language (Gregorian calendar; digits as the tag's
/// numbering system says, see [`formatting_tag`]).
pub fn display_date(date: &Date, language: &str) -> String {
    use icu_datetime::fieldsets::YMD;
    use icu_datetime::FixedCalendarDateTimeFormatter;
    let locale = Locale::from_str(language).unwrap_or(Locale::UNKNOWN);
    let gregorian = u8::try_from(date.month)
        .ok()
        .zip(u8::try_from(date.day).ok())
        .and_then(|(m, d)| icu_calendar::Date::try_new_gregorian(date.year, m, d).ok());
    let formatter = FixedCalendarDateTimeFormatter::<icu_calendar::Gregorian, _>::try_new(
        (&locale).into(),
        YMD::long(),
    );
    match (gregorian, formatter) {
        (Some(day), Ok(f)) => f.format(&day).to_string(),
        _ => date.iso(),
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
    fn numbering_follows_the_tag() {
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
    }

    #[test]
    fn dates_follow_the_language() {
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
            assert_eq!(display_date(&d, tag), want, "{tag}");
        }
    }
}
