//! Inline content to lines: styled spans, shaped words, line breaking.
//!
//! Breaks happen at spaces, and inside a word only when the word alone is
//! wider than the measure (long URLs), so no line ever overflows.

use super::frame::{Item, LinkTarget, Rgb};
use crate::fonts::{FaceId, FontBook, Glyph};
use briefkit_model::Inline;

/// The look of a run of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// Face.
    pub face: FaceId,
    /// Size in points.
    pub size: f32,
    /// Colour.
    pub color: Rgb,
    /// Raise above the baseline (superscript), in points.
    pub rise: f32,
}

/// A run of text with one style and link.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Characters.
    pub text: String,
    /// Look.
    pub style: Style,
    /// Link, if any.
    pub link: Option<LinkTarget>,
    /// Footnote referenced here, if this span is a reference mark.
    pub footnote: Option<usize>,
}

/// Flattens inline content into spans.
pub fn spans(inlines: &[Inline], base: &Style, out: &mut Vec<Span>) {
    spans_with(inlines, base, None, out);
}

fn spans_with(inlines: &[Inline], style: &Style, link: Option<&LinkTarget>, out: &mut Vec<Span>) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => out.push(Span {
                text: text.clone(),
                style: style.clone(),
                link: link.cloned(),
                footnote: None,
            }),
            Inline::Emphasis { content } => {
                let s = Style {
                    face: style
                        .face
                        .with(style.face.is_bold(), !style.face.is_italic()),
                    ..style.clone()
                };
                spans_with(content, &s, link, out);
            }
            Inline::Strong { content } => {
                let s = Style {
                    face: style.face.with(true, style.face.is_italic()),
                    ..style.clone()
                };
                spans_with(content, &s, link, out);
            }
            Inline::Code { text } => {
                let s = Style {
                    face: FaceId::Sans,
                    size: style.size * 0.92,
                    ..style.clone()
                };
                out.push(Span {
                    text: text.clone(),
                    style: s,
                    link: link.cloned(),
                    footnote: None,
                });
            }
            Inline::Link { url, content } => {
                let target = match url.strip_prefix('#') {
                    Some(a) => LinkTarget::Anchor(a.to_string()),
                    None => LinkTarget::Uri(url.clone()),
                };
                let s = Style {
                    color: Rgb::ACCENT,
                    ..style.clone()
                };
                spans_with(content, &s, Some(&target), out);
            }
            Inline::Stat {
                text,
                source,
                citation,
                ..
            } => {
                let s = Style {
                    face: style.face.with(true, style.face.is_italic()),
                    color: Rgb::ACCENT,
                    ..style.clone()
                };
                let link = Some(LinkTarget::Anchor(format!("source-{source}")));
                out.push(Span {
                    text: text.clone(),
                    style: s,
                    link: link.clone(),
                    footnote: None,
                });
                if let Some(c) = citation {
                    // A no-break space keeps the marker with its figure.
                    let s = Style {
                        size: style.size * 0.82,
                        color: Rgb::MUTED,
                        ..style.clone()
                    };
                    out.push(Span {
                        text: format!("\u{a0}{c}"),
                        style: s,
                        link,
                        footnote: None,
                    });
                }
            }
            Inline::FootnoteRef { number } => {
                let s = Style {
                    size: style.size * 0.65,
                    rise: style.size * 0.35,
                    color: Rgb::ACCENT,
                    ..style.clone()
                };
                out.push(Span {
                    text: number.to_string(),
                    style: s,
                    link: Some(LinkTarget::Anchor(format!("fn-{number}"))),
                    footnote: Some(*number),
                });
            }
            Inline::LineBreak => out.push(Span {
                text: "\n".into(),
                style: style.clone(),
                link: None,
                footnote: None,
            }),
        }
    }
}

/// A shaped piece of a word in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    /// Glyphs.
    pub glyphs: Vec<Glyph>,
    /// Width.
    pub width: f32,
    /// Look.
    pub style: Style,
    /// Link.
    pub link: Option<LinkTarget>,
}

/// An unbreakable unit: one or more fragments, and the space after it.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    fragments: Vec<Fragment>,
    width: f32,
    /// Width of the space that follows (0 if none).
    space: f32,
    /// The gap after this word is a real space that may stretch.
    stretch: bool,
    /// A forced line break follows.
    hard_break: bool,
    footnotes: Vec<usize>,
}

/// A laid-out line: fragments placed at x offsets from the line's left.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// (x, fragment).
    pub fragments: Vec<(f32, Fragment)>,
    /// Natural width.
    pub width: f32,
    /// Footnotes referenced on this line.
    pub footnotes: Vec<usize>,
}

/// How lines are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alignment {
    /// Ragged right.
    Left,
    /// Flush both sides except the last line.
    Justify,
    /// Flush right.
    Right,
}

/// Characters the fonts lack, with the text they were in.
pub type Missing = Vec<(char, String)>;

/// Breaks spans into lines of at most `width`.
pub fn break_lines(
    fonts: &FontBook<'_>,
    spans: &[Span],
    width: f32,
    align: Alignment,
    missing: &mut Missing,
) -> Vec<Line> {
    let words = words(fonts, spans, width, missing);
    let mut lines = Vec::new();
    let mut current: Vec<&Word> = Vec::new();
    let mut current_width = 0.0;
    for word in &words {
        let needed = if current.is_empty() {
            word.width
        } else {
            current_width + current.last().map_or(0.0, |w| w.space) + word.width
        };
        if !current.is_empty() && needed > width + 0.01 {
            lines.push(set_line(&current, width, align, false));
            current.clear();
            current_width = 0.0;
        }
        current_width = if current.is_empty() {
            word.width
        } else {
            current_width + current.last().map_or(0.0, |w| w.space) + word.width
        };
        current.push(word);
        if word.hard_break {
            lines.push(set_line(&current, width, align, true));
            current.clear();
            current_width = 0.0;
        }
    }
    if !current.is_empty() {
        lines.push(set_line(&current, width, align, true));
    }
    lines
}

fn set_line(words: &[&Word], width: f32, align: Alignment, last: bool) -> Line {
    let natural: f32 = words.iter().map(|w| w.width).sum::<f32>()
        + words
            .iter()
            .take(words.len().saturating_sub(1))
            .map(|w| w.space)
            .sum::<f32>();
    let gaps = words
        .iter()
        .take(words.len().saturating_sub(1))
        .filter(|w| w.stretch)
        .count();
    let space = words.iter().map(|w| w.space).fold(0.0_f32, f32::max);
    let spread = if gaps > 0 {
        (width - natural).max(0.0) / gaps as f32
    } else {
        0.0
    };
    // A line that would need spaces over three times their width is set
    // ragged instead: better a short line than a river.
    let justify = align == Alignment::Justify && !last && gaps > 0 && spread <= space * 2.0;
    let (mut x, extra) = match align {
        _ if justify => (0.0, spread),
        Alignment::Right => ((width - natural).max(0.0), 0.0),
        _ => (0.0, 0.0),
    };
    let mut fragments = Vec::new();
    let mut footnotes = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let mut fx = x;
        for f in &w.fragments {
            fragments.push((fx, f.clone()));
            fx += f.width;
        }
        footnotes.extend(w.footnotes.iter().copied());
        x += w.width;
        if i + 1 < words.len() {
            x += w.space + if w.stretch { extra } else { 0.0 };
        }
    }
    Line {
        fragments,
        width: natural,
        footnotes,
    }
}

fn words(fonts: &FontBook<'_>, spans: &[Span], width: f32, missing: &mut Missing) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut open = false;
    for span in spans {
        if span.text == "\n" {
            if let Some(w) = words.last_mut() {
                w.hard_break = true;
            }
            open = false;
            continue;
        }
        let mut first = true;
        for part in span.text.split(' ') {
            if !first {
                // A space ends the current word.
                if let Some(w) = words.last_mut() {
                    if open {
                        w.space = fonts.measure(span.style.face, " ", span.style.size);
                        w.stretch = true;
                    }
                }
                open = false;
            }
            first = false;
            if part.is_empty() {
                continue;
            }
            // Long paths and URLs may break after a slash (no hyphen added).
            let pieces: Vec<&str> = if part.len() > 24 && part.contains('/') {
                part.split_inclusive('/').collect()
            } else {
                vec![part]
            };
            for (k, piece) in pieces.iter().enumerate() {
                let (glyphs, lacking) = fonts.shape(span.style.face, piece, span.style.size);
                for c in lacking {
                    missing.push((c, span.text.clone()));
                }
                let w: f32 = glyphs.iter().map(|g| g.advance).sum();
                let frag = Fragment {
                    glyphs,
                    width: w,
                    style: span.style.clone(),
                    link: span.link.clone(),
                };
                if open && k == 0 {
                    if let Some(last) = words.last_mut() {
                        last.width += w;
                        last.fragments.push(frag);
                        last.footnotes.extend(span.footnote);
                        continue;
                    }
                }
                words.push(Word {
                    fragments: vec![frag],
                    width: w,
                    space: 0.0,
                    stretch: false,
                    hard_break: false,
                    footnotes: span.footnote.into_iter().collect(),
                });
                open = true;
            }
        }
    }
    let words = keep_numbers_with_units(fonts, words);
    // Split words wider than the measure at glyph boundaries.
    let mut out = Vec::new();
    for word in words {
        if word.width <= width {
            out.push(word);
        } else {
            out.extend(split_word(word, width));
        }
    }
    out
}

/// Units a number must not be parted from at a line end ("12 km", "5 %").
const UNITS: &[&str] = &[
    "%", "‰", "km", "m", "cm", "mm", "km²", "m²", "ha", "kg", "g", "t", "l", "L", "°C", "h", "min",
    "USD", "EUR", "MXN", "GBP", "US$", "$", "€", "£", "percent",
];

fn word_text(word: &Word) -> String {
    word.fragments
        .iter()
        .flat_map(|f| f.glyphs.iter().map(|g| g.text.as_str()))
        .collect()
}

/// Glues a number to the unit after it: the space between them does not
/// break (and does not stretch).
fn keep_numbers_with_units(fonts: &FontBook<'_>, words: Vec<Word>) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::with_capacity(words.len());
    for word in words {
        if let Some(prev) = out.last_mut() {
            let number = word_text(prev);
            let is_number = number.chars().any(|c| c.is_ascii_digit())
                && number
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == '.');
            let unit = word_text(&word);
            let unit = unit.trim_end_matches(['.', ',', ';', ':', ')']);
            if is_number && prev.stretch && !prev.hard_break && UNITS.contains(&unit) {
                if let Some(style) = prev.fragments.last().map(|f| f.style.clone()) {
                    let (glyphs, _) = fonts.shape(style.face, " ", style.size);
                    let space: f32 = glyphs.iter().map(|g| g.advance).sum();
                    prev.fragments.push(Fragment {
                        glyphs,
                        width: space,
                        style,
                        link: None,
                    });
                    prev.width += space + word.width;
                    prev.fragments.extend(word.fragments);
                    prev.footnotes.extend(word.footnotes);
                    prev.space = word.space;
                    prev.stretch = word.stretch;
                    prev.hard_break = word.hard_break;
                    continue;
                }
            }
        }
        out.push(word);
    }
    out
}

fn split_word(word: Word, width: f32) -> Vec<Word> {
    let mut pieces: Vec<Word> = Vec::new();
    let mut cur = Word {
        fragments: Vec::new(),
        width: 0.0,
        space: 0.0,
        stretch: false,
        hard_break: false,
        footnotes: word.footnotes.clone(),
    };
    for frag in word.fragments {
        let mut part = Fragment {
            glyphs: Vec::new(),
            width: 0.0,
            style: frag.style.clone(),
            link: frag.link.clone(),
        };
        for g in frag.glyphs {
            if cur.width + part.width + g.advance > width && (cur.width + part.width) > 0.0 {
                if !part.glyphs.is_empty() {
                    cur.width += part.width;
                    cur.fragments.push(std::mem::replace(
                        &mut part,
                        Fragment {
                            glyphs: Vec::new(),
                            width: 0.0,
                            style: frag.style.clone(),
                            link: frag.link.clone(),
                        },
                    ));
                }
                pieces.push(std::mem::replace(
                    &mut cur,
                    Word {
                        fragments: Vec::new(),
                        width: 0.0,
                        space: 0.0,
                        stretch: false,
                        hard_break: false,
                        footnotes: Vec::new(),
                    },
                ));
            }
            part.width += g.advance;
            part.glyphs.push(g);
        }
        if !part.glyphs.is_empty() {
            cur.width += part.width;
            cur.fragments.push(part);
        }
    }
    cur.space = word.space;
    cur.stretch = word.stretch;
    cur.hard_break = word.hard_break;
    pieces.push(cur);
    pieces
}

/// Turns a line into page items with the baseline at `y` and left at `x`.
pub fn line_items(line: &Line, x: f32, y: f32, out: &mut Vec<Item>) {
    for (fx, frag) in &line.fragments {
        if frag.glyphs.is_empty() {
            continue;
        }
        let baseline = y - frag.style.rise;
        out.push(Item::Glyphs {
            x: x + fx,
            y: baseline,
            face: frag.style.face,
            size: frag.style.size,
            color: frag.style.color,
            glyphs: frag.glyphs.clone(),
        });
        if let Some(target) = &frag.link {
            out.push(Item::Link {
                x: x + fx,
                y: baseline - frag.style.size * 0.85,
                w: frag.width,
                h: frag.style.size * 1.1,
                target: target.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use briefkit_model::{Assets, FontFaces};
    use std::collections::BTreeMap;

    fn with_fonts(test: impl FnOnce(&FontBook<'_>)) {
        let read = |name: &str| {
            std::fs::read(format!("{}/../../fonts/{name}", env!("CARGO_MANIFEST_DIR")))
                .unwrap_or_default()
        };
        let files: Vec<Vec<u8>> = [
            "NotoSerif-Regular",
            "NotoSerif-Bold",
            "NotoSerif-Italic",
            "NotoSerif-BoldItalic",
            "NotoSans-Regular",
            "NotoSans-Bold",
            "NotoSans-Italic",
            "NotoSans-BoldItalic",
        ]
        .iter()
        .map(|n| read(&format!("{n}.ttf")))
        .collect();
        let faces = |o: usize, family: &'static str| FontFaces {
            family,
            regular: &files[o],
            bold: &files[o + 1],
            italic: &files[o + 2],
            bold_italic: &files[o + 3],
        };
        let (images, templates) = (BTreeMap::new(), BTreeMap::new());
        let assets = Assets {
            serif: faces(0, "Noto Serif"),
            sans: faces(4, "Noto Sans"),
            images: &images,
            templates: &templates,
            reference_docx: None,
        };
        match FontBook::new(&assets) {
            Ok(book) => test(&book),
            Err(e) => panic!("fonts: {e}"),
        }
    }

    fn span(text: &str) -> Span {
        Span {
            text: text.into(),
            style: Style {
                face: FaceId::Serif,
                size: 10.0,
                color: Rgb::INK,
                rise: 0.0,
            },
            link: None,
            footnote: None,
        }
    }

    #[test]
    fn a_number_never_ends_a_line_without_its_unit() {
        with_fonts(|fonts| {
            let mut missing = Vec::new();
            let text = "The road runs for 12 km and then 45 % of it floods, which leaves 3 000 people cut off.";
            // Every measure from very narrow to wide: "12" and "km" stay on one line.
            for width in (60..400).step_by(7) {
                let lines = break_lines(
                    fonts,
                    &[span(text)],
                    width as f32,
                    Alignment::Justify,
                    &mut missing,
                );
                for line in &lines {
                    let t: String = line
                        .fragments
                        .iter()
                        .flat_map(|(_, f)| f.glyphs.iter().map(|g| g.text.clone()))
                        .collect();
                    assert!(
                        !t.trim_end().ends_with("12") && !t.trim_end().ends_with("45"),
                        "width {width}: `{t}` ends with a number"
                    );
                }
            }
        });
    }
}
