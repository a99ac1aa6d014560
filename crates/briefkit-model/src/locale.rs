//! Language-dependent facts the backends need: direction, dates and month
//! names (the numbers and dates formatted by CLDR are
//! composition's: `briefkit_compose::numbers`, and so are the tables of
//! fixed words, `briefkit_compose::words`).

/// The primary language subtag, lower-cased (`es` of `es-MX`).
pub fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase()
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

const MONTHS: [(&str, [&str; 12]); 6] = [
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
    (
        "ar",
        [
            "يناير",
            "فبراير",
            "مارس",
            "أبريل",
            "مايو",
            "يونيو",
            "يوليو",
            "أغسطس",
            "سبتمبر",
            "أكتوبر",
            "نوفمبر",
            "ديسمبر",
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
    fn direction_follows_the_tag() {
        assert_eq!(Direction::of_language("ar-EG"), Direction::Rtl);
        assert_eq!(Direction::of_language("ur"), Direction::Rtl);
        assert_eq!(Direction::of_language("zh-Hans"), Direction::Ltr);
        assert_eq!(Direction::of_language("az-Arab"), Direction::Rtl);
    }

    #[test]
    fn dates_from_epoch() {
        assert_eq!(Date::from_unix(0).iso(), "1970-01-01");
        assert_eq!(Date::from_unix(1_795_824_000).iso(), "2026-11-28");
        assert!(Date::parse_iso("2005-02-30").is_none());
        for secs in [0, 951_782_400, 1_795_824_000, -86_400 * 400] {
            assert_eq!(Date::from_unix(secs).unix_seconds(), secs, "{secs}");
        }
    }
}
