//! The text a glyph stands for, in four bytes.
//!
//! A long document's layout is mostly glyphs (a 20 MB article is some 30
//! million), and each keeps the text it stands for, for the PDF's
//! ToUnicode map and for readers. As a string that was 24 of a glyph's 40
//! bytes. Almost every glyph stands for one character, whose UTF-8 (at
//! most four bytes) is kept in place; a glyph of no text (the second glyph
//! of a decomposed cluster) is a marker byte; a glyph of several
//! characters (a ligature, an Arabic letter with its marks) keeps the
//! number of its text in a table of the process, in which each distinct
//! text is kept once, for the process's life: a document holds a few
//! hundred distinct clusters, and all the texts ever typeset hold few more.

use std::collections::HashMap;
use std::sync::{LazyLock, PoisonError, RwLock};

/// What a glyph stands for: one character's UTF-8, nothing, or the
/// number of a text of several characters (see the module's comment).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlyphText([u8; 4]);

/// First byte of no text (never a byte of UTF-8).
const NOTHING: u8 = 0xFF;
/// First byte of a text of several characters, the other three its number
/// (never a byte of UTF-8).
const SEVERAL: u8 = 0xFE;
/// Texts of several characters the table can number (three bytes).
const CAPACITY: usize = 1 << 24;

/// The texts of several characters, each once, by number.
#[derive(Default)]
struct Texts {
    numbers: HashMap<&'static str, u32>,
    all: Vec<&'static str>,
}

static TEXTS: LazyLock<RwLock<Texts>> = LazyLock::new(RwLock::default);

impl GlyphText {
    /// Nothing: the text of a glyph that stands for no character.
    pub const NOTHING: GlyphText = GlyphText([NOTHING, 0, 0, 0]);

    /// `text` as a glyph keeps it.
    pub fn new(text: &str) -> GlyphText {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (None, _) => GlyphText::NOTHING,
            (Some(c), None) => {
                let mut bytes = [0; 4];
                c.encode_utf8(&mut bytes);
                GlyphText(bytes)
            }
            _ => GlyphText::several(text),
        }
    }

    fn several(text: &str) -> GlyphText {
        let known = TEXTS
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .numbers
            .get(text)
            .copied();
        let number = known.unwrap_or_else(|| {
            let mut texts = TEXTS.write().unwrap_or_else(PoisonError::into_inner);
            if let Some(&number) = texts.numbers.get(text) {
                return number;
            }
            // Past 16.7 million distinct texts (none has been seen near
            // it), a text takes the number of the first: wrong text for
            // extraction, never a crash.
            let number = match u32::try_from(texts.all.len()) {
                Ok(n) if texts.all.len() < CAPACITY => n,
                _ => return 0,
            };
            let kept: &'static str = Box::leak(text.into());
            texts.all.push(kept);
            texts.numbers.insert(kept, number);
            number
        });
        let [_, a, b, c] = number.to_be_bytes();
        GlyphText([SEVERAL, a, b, c])
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match self.0 {
            [NOTHING, ..] => "",
            [SEVERAL, a, b, c] => {
                let number = u32::from_be_bytes([0, a, b, c]) as usize;
                TEXTS
                    .read()
                    .unwrap_or_else(PoisonError::into_inner)
                    .all
                    .get(number)
                    .copied()
                    .unwrap_or("")
            }
            [first, ..] => {
                let len = match first {
                    0..0x80 => 1,
                    0xC0..0xE0 => 2,
                    0xE0..0xF0 => 3,
                    _ => 4,
                };
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
                            .map(|i| GlyphText::new(&format!("t{i}")))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for other in &made[1..] {
            assert_eq!(&made[0], other);
        }
        assert_eq!(made[0][499].as_str(), "t499");
    }

    #[test]
    fn a_glyph_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<crate::typefaces::Glyph>(), 16);
    }
}
