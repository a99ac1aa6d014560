//! A statistic's period read as time where it is one — a year `2019`, a
//! quarter `2019-Q2`, a month `2019-03`, a day `2019-03-15` — so that a
//! chart orders its periods in time. Anything else (`January–August
//! 2005`) is a label, kept in the order it is written.

/// A period that is a point or span of time, ordered in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time {
    /// How precise it is: periods of one chart must share it.
    pub grain: Grain,
    /// (year, month or quarter, day) for ordering.
    pub key: (i32, u32, u32),
}

/// How precise a [`Time`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grain {
    /// `2019`.
    Year,
    /// `2019-Q2`.
    Quarter,
    /// `2019-03`.
    Month,
    /// `2019-03-15`.
    Day,
}

impl Grain {
    /// What a period of this grain looks like, for messages.
    pub fn example(self) -> &'static str {
        match self {
            Grain::Year => "a year (2019)",
            Grain::Quarter => "a quarter (2019-Q2)",
            Grain::Month => "a month (2019-03)",
            Grain::Day => "a day (2019-03-15)",
        }
    }
}

/// The period as time, or `None` for a label.
pub fn time(period: &str) -> Option<Time> {
    let p = period.trim();
    let year = |t: &str| -> Option<i32> {
        (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let number = |t: &str, len: usize, max: u32| -> Option<u32> {
        (t.len() == len && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
            .filter(|n| (1..=max).contains(n))
    };
    let parts: Vec<&str> = p.split('-').collect();
    let time = |grain, key| Some(Time { grain, key });
    match parts.as_slice() {
        [y] => time(Grain::Year, (year(y)?, 0, 0)),
        [y, q] if q.len() == 2 && (q.starts_with('Q') || q.starts_with('q')) => {
            time(Grain::Quarter, (year(y)?, number(&q[1..], 1, 4)?, 0))
        }
        [y, m] => time(Grain::Month, (year(y)?, number(m, 2, 12)?, 0)),
        [y, m, d] => {
            let date = briefkit_model::Date::parse_iso(p)?;
            let _ = (number(m, 2, 12)?, number(d, 2, 31)?);
            time(Grain::Day, (year(y)?, date.month, date.day))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_quarters_months_and_days_are_time_the_rest_labels() {
        let key = |p: &str| time(p).map(|t| (t.grain, t.key));
        assert_eq!(key("2019"), Some((Grain::Year, (2019, 0, 0))));
        assert_eq!(key(" 2019-Q2 "), Some((Grain::Quarter, (2019, 2, 0))));
        assert_eq!(key("2019-03"), Some((Grain::Month, (2019, 3, 0))));
        assert_eq!(key("2019-03-15"), Some((Grain::Day, (2019, 3, 15))));
        for label in [
            "January–August 2005",
            "2019-Q5",
            "2019-13",
            "2019-02-30",
            "19",
            "FY2019",
            "",
        ] {
            assert_eq!(key(label), None, "{label}");
        }
        assert!(time("2019-Q4") < time("2020-Q1"));
        assert!(time("2019-12") < time("2020-01"));
    }
}
