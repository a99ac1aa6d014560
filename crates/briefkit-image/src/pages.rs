//! Which pages to draw: `1`, `1-3`, `2,4-` (from 4 to the end), `-2`.

use std::fmt;

/// A page selection: ranges of pages from 1, inclusive; an open end runs
/// to the last page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSelection {
    ranges: Vec<(usize, Option<usize>)>,
}

/// The most ranges a selection may list (a selection is typed by a person).
const MOST_RANGES: usize = 1000;

impl PageSelection {
    /// Every page.
    pub fn all() -> Self {
        Self {
            ranges: vec![(1, None)],
        }
    }

    /// Reads `1`, `1-3`, `2,4-`, `-2`: numbers from 1 and ranges,
    /// comma-separated; white space is ignored.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if text.is_empty() {
            return Err("no page given".into());
        }
        let number = |s: &str| -> Result<usize, String> {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("`{s}` is not a page number"));
            }
            match s.parse::<usize>() {
                Ok(0) => Err("pages are numbered from 1".into()),
                Ok(n) => Ok(n),
                Err(_) => Err(format!("page `{s}` is past any brief's end")),
            }
        };
        let mut ranges = Vec::new();
        for part in text.split(',') {
            if ranges.len() == MOST_RANGES {
                return Err(format!("more than {MOST_RANGES} ranges"));
            }
            let range = match part.split_once('-') {
                None => {
                    let n = number(part)?;
                    (n, Some(n))
                }
                Some((from, to)) => {
                    let from = if from.is_empty() { 1 } else { number(from)? };
                    let to = if to.is_empty() {
                        None
                    } else {
                        Some(number(to)?)
                    };
                    if let Some(to) = to {
                        if to < from {
                            return Err(format!("the range `{part}` runs backwards"));
                        }
                    }
                    if from == 1 && to.is_none() && part == "-" {
                        return Err("`-` names no page".into());
                    }
                    (from, to)
                }
            };
            ranges.push(range);
        }
        Ok(Self { ranges })
    }

    /// Whether page `page` (from 1) is selected.
    pub fn contains(&self, page: usize) -> bool {
        self.ranges
            .iter()
            .any(|&(from, to)| page >= from && to.is_none_or(|to| page <= to))
    }
}

impl fmt::Display for PageSelection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (from, to)) in self.ranges.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            match to {
                Some(to) if to == from => write!(f, "{from}")?,
                Some(to) => write!(f, "{from}-{to}")?,
                None => write!(f, "{from}-")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn pages(text: &str, last: usize) -> Vec<usize> {
        let s = PageSelection::parse(text).unwrap();
        (1..=last).filter(|p| s.contains(*p)).collect()
    }

    #[test]
    fn numbers_ranges_and_open_ends() {
        assert_eq!(pages("1", 5), [1]);
        assert_eq!(pages("1-3", 5), [1, 2, 3]);
        assert_eq!(pages("2, 4-", 6), [2, 4, 5, 6]);
        assert_eq!(pages("-2", 6), [1, 2]);
        assert_eq!(pages("5,1", 6), [1, 5]);
        assert_eq!(pages("9", 3), Vec::<usize>::new());
        assert_eq!(PageSelection::parse("2, 4-").unwrap().to_string(), "2,4-");
        assert_eq!(PageSelection::all().to_string(), "1-");
    }

    #[test]
    fn what_is_not_a_selection_is_an_error_saying_why() {
        for (text, why) in [
            ("", "no page"),
            ("0", "from 1"),
            ("3-1", "backwards"),
            ("a", "not a page number"),
            ("1-2-3", "not a page number"),
            ("-", "names no page"),
            ("1,,2", "not a page number"),
            ("+1", "not a page number"),
            ("99999999999999999999999", "past any brief's end"),
        ] {
            let e = PageSelection::parse(text).unwrap_err();
            assert!(e.contains(why), "{text:?}: {e}");
        }
        let many = vec!["1"; MOST_RANGES + 1].join(",");
        assert!(PageSelection::parse(&many).unwrap_err().contains("ranges"));
    }
}
