//! The text a glyph stands for, in four bytes.
//!
//! A long document's layout is mostly glyphs (a 20 MB article is some 30
//! million), and each keeps the text it stands for, for the PDF's
//! ToUnicode map and for readers. As a string that was 24 of a glyph's 40
//! bytes. A text of at most four bytes of UTF-8 — one character, a
//! ligature's `fi` or `ffl`, an Arabic lam-alef — is kept in place; a
//! glyph of no text (the second glyph of a decomposed cluster) is a marker;
//! a longer text (a letter with several marks, an emoji sequence) keeps the
//! number of its text in a table of the process, in which each distinct
//! text is kept once, for the process's life. A document holds a few
//! hundred such clusters; a pack built to fill the table (millions of
//! distinct long clusters) stops at [`MAX_TEXTS`] texts or [`MAX_BYTES`]
//! bytes, after which a new long text keeps only its first characters (up
//! to four bytes): its extracted text is cut short, nothing else changes.

use std::collections::HashMap;
use std::sync::{LazyLock, PoisonError, RwLock};

/// What a glyph stands for: up to four bytes of UTF-8, nothing, or the
/// number of a longer text (see the module's comment).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlyphText([u8; 4]);

/// Fills the bytes after a short text, and all four of no text (never a
/// byte of UTF-8).
const PAD: u8 = 0xFF;
/// First byte of a longer text, the other three its number (never a byte
/// of UTF-8).
const LONGER: u8 = 0xFE;
/// Longer texts the process keeps at most.
pub const MAX_TEXTS: usize = 1 << 20;
/// Bytes of longer texts the process keeps at most.
pub const MAX_BYTES: usize = 32 << 20;

/// The longer texts, each once, by number.
struct Texts {
    numbers: HashMap<&'static str, u32>,
    all: Vec<&'static str>,
    bytes: usize,
    max_texts: usize,
    max_bytes: usize,
}

impl Texts {
    fn new(max_texts: usize, max_bytes: usize) -> Self {
        Texts {
            numbers: HashMap::new(),
            all: Vec::new(),
            bytes: 0,
            max_texts: max_texts.min(1 << 24),
            max_bytes,
        }
    }
}

static TEXTS: LazyLock<RwLock<Texts>> =
    LazyLock::new(|| RwLock::new(Texts::new(MAX_TEXTS, MAX_BYTES)));

/// The number of `text` in `table`, kept there if new and there is room.
fn number_in(table: &RwLock<Texts>, text: &str) -> Option<u32> {
    let known = table
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .numbers
        .get(text)
        .copied();
    if known.is_some() {
        return known;
    }
    let mut texts = table.write().unwrap_or_else(PoisonError::into_inner);
    if let Some(&number) = texts.numbers.get(text) {
        return Some(number);
    }
    if texts.all.len() >= texts.max_texts || texts.bytes + text.len() > texts.max_bytes {
        return None;
    }
    let number = u32::try_from(texts.all.len()).ok()?;
    let kept: &'static str = Box::leak(text.into());
    texts.all.push(kept);
    texts.bytes += kept.len();
    texts.numbers.insert(kept, number);
    Some(number)
}

/// The text of number `number` in `table`.
fn text_in(table: &RwLock<Texts>, number: usize) -> &'static str {
    table
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .all
        .get(number)
        .copied()
        .unwrap_or("")
}

impl GlyphText {
    /// Nothing: the text of a glyph that stands for no character.
    pub const NOTHING: GlyphText = GlyphText([PAD; 4]);

    /// `text` as a glyph keeps it.
    pub fn new(text: &str) -> GlyphText {
        GlyphText::kept_in(&TEXTS, text)
    }

    fn kept_in(table: &RwLock<Texts>, text: &str) -> GlyphText {
        if text.len() <= 4 {
            return GlyphText::short(text);
        }
        match number_in(table, text) {
            Some(number) => {
                let [_, a, b, c] = number.to_be_bytes();
                GlyphText([LONGER, a, b, c])
            }
            // The table is full: the text's first characters.
            None => {
                let mut end = 4;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                GlyphText::short(&text[..end])
            }
        }
    }

    /// A text of at most four bytes, in place.
    fn short(text: &str) -> GlyphText {
        let mut bytes = [PAD; 4];
        for (slot, b) in bytes.iter_mut().zip(text.bytes()) {
            *slot = b;
        }
        GlyphText(bytes)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        self.text_from(&TEXTS)
    }

    fn text_from(&self, table: &RwLock<Texts>) -> &str {
        match self.0 {
            [LONGER, a, b, c] => text_in(table, u32::from_be_bytes([0, a, b, c]) as usize),
            _ => {
                let len = self.0.iter().position(|b| *b == PAD).unwrap_or(4);
                std::str::from_utf8(&self.0[..len]).unwrap_or("")
            }
        }
    }
}

impl Default for GlyphText {
    fn default() -> Self {
        GlyphText::NOTHING
    }
}

impl std::ops::Deref for GlyphText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for GlyphText {
    fn from(text: &str) -> Self {
        GlyphText::new(text)
    }
}

impl PartialEq<str> for GlyphText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for GlyphText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Debug for GlyphText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for GlyphText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_text_reads_back_as_it_was_given() {
        for text in [
            "",
            "a",
            "é",
            "—",
            "中",
            "𝔸",
            "😀",
            "fi",
            "ffl",
            "لا",
            "بِ",
            "👩‍👩‍👧",
            "\u{ad}",
            " ",
        ] {
            let kept = GlyphText::new(text);
            assert_eq!(kept.as_str(), text);
            assert_eq!(kept, text);
            assert_eq!(format!("{kept}"), text);
        }
    }

    #[test]
    fn a_text_is_kept_once_and_equal_texts_are_equal() {
        let a = GlyphText::new("ffi");
        let b = GlyphText::new(&format!("ff{}", "i"));
        assert_eq!(a, b);
        assert_ne!(GlyphText::new("ffi"), GlyphText::new("ffl"));
        assert_ne!(GlyphText::new("a"), GlyphText::new("b"));
        assert_ne!(GlyphText::new(""), GlyphText::new(" "));
        assert_eq!(GlyphText::default(), GlyphText::new(""));
    }

    #[test]
    fn texts_made_on_many_threads_are_numbered_once() {
        let made: Vec<Vec<GlyphText>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        (0..500)
                            .map(|i| GlyphText::new(&format!("text {i}")))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for other in &made[1..] {
            assert_eq!(&made[0], other);
        }
        assert_eq!(made[0][499].as_str(), "text 499");
        assert_eq!(made[0][499].0[0], LONGER);
    }

    #[test]
    fn a_full_table_keeps_the_first_characters_and_nothing_more() {
        // A table of two texts or 16 bytes, as a pack built to fill the
        // process's table would find it.
        let table = RwLock::new(Texts::new(2, 16));
        let a = GlyphText::kept_in(&table, "e\u{301}\u{302}");
        let b = GlyphText::kept_in(&table, "a\u{301}\u{302}");
        assert_eq!(a.text_from(&table), "e\u{301}\u{302}");
        assert_eq!(b.text_from(&table), "a\u{301}\u{302}");
        // Known texts are still found; new ones are cut at a character.
        assert_eq!(GlyphText::kept_in(&table, "e\u{301}\u{302}"), a);
        let cut = GlyphText::kept_in(&table, "o\u{301}\u{302}");
        assert_eq!(cut.text_from(&table), "o\u{301}");
        let emoji = GlyphText::kept_in(&table, "👩\u{200d}👧");
        assert_eq!(emoji.text_from(&table), "👩");
        assert_eq!(table.read().unwrap().all.len(), 2);
        // The byte bound alone.
        let table = RwLock::new(Texts::new(100, 10));
        let first = GlyphText::kept_in(&table, "ab\u{301}\u{302}");
        assert_eq!(first.text_from(&table), "ab\u{301}\u{302}");
        assert_eq!(
            GlyphText::kept_in(&table, "cd\u{301}\u{302}").text_from(&table),
            "cd\u{301}"
        );
        assert_eq!(table.read().unwrap().bytes, 6);
    }

    #[test]
    fn short_texts_of_several_characters_stay_in_place() {
        for text in ["fi", "ffl", "لا", "ab"] {
            let kept = GlyphText::new(text);
            assert_ne!(kept.0[0], LONGER, "{text}");
            assert_eq!(kept, text);
        }
        assert!(!TEXTS.read().unwrap().numbers.contains_key("fi"));
    }

    #[test]
    fn a_glyph_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<crate::typefaces::Glyph>(), 16);
    }
}
