//! A paragraph to chunks: shaped runs cut at the break opportunities of
//! UAX #14 and the language's hyphenation points, numbers kept with their
//! units, and chunks wider than the measure split between glyphs.

use super::{Break, BreakKind, Chunk, HYPHEN_PENALTY, NOSPACE_PENALTY};
use crate::layout::text::{Fragment, Missing, Span};
use crate::typefaces::{runs, FontBook};
use unicode_linebreak::BreakOpportunity;

/// The paragraph as chunks, with break opportunities per UAX #14.
pub(super) fn chunks(
    fonts: &FontBook<'_>,
    spans: &[Span],
    width: f32,
    hyphenate: bool,
    missing: &mut Missing,
) -> Vec<Chunk> {
    // The paragraph's text, and which span each byte comes from.
    let mut text = String::new();
    let mut owner: Vec<(usize, usize)> = Vec::new();
    for (i, span) in spans.iter().enumerate() {
        owner.push((text.len(), i));
        text.push_str(&span.text);
    }
    let span_at = |pos: usize| -> usize {
        let k = owner.partition_point(|&(start, _)| start <= pos);
        owner[k.saturating_sub(1)].1
    };
    // Addresses, e-mails and paths are never hyphenated, even in the
    // pieces UAX #14 cuts them into at slashes and hyphens.
    let protected: Vec<(usize, usize)> = if hyphenate {
        runs(&text, |c| !c.is_whitespace())
            .into_iter()
            .filter(|&(a, b)| text[a..b].contains(['/', '@', ':', '_', '\\']))
            .collect()
    } else {
        Vec::new()
    };
    // Bidi levels by byte, when the paragraph has right-to-left text or
    // the document runs right to left.
    let levels = fonts.bidi_levels(&text);
    let base = u8::from(fonts.rtl());
    let mut out: Vec<Chunk> = Vec::new();
    let mut start = 0;
    for (end, opportunity) in unicode_linebreak::linebreaks(&text) {
        let segment = &text[start..end];
        let content = segment.trim_end_matches([' ', '\n', '\r', '\t']);
        let content_end = start + content.len();
        let trailing = &segment[content.len()..];
        let hyphenate_here =
            hyphenate && !protected.iter().any(|&(a, b)| a < content_end && start < b);
        let mut chunk_list = shape_content(
            fonts,
            spans,
            &owner,
            (start, content_end),
            &text,
            levels.as_deref(),
            hyphenate_here,
            missing,
        );
        let space_span = &spans[span_at(content_end.min(text.len().saturating_sub(1)))];
        let has_space = trailing.contains([' ', '\t']);
        let kind = if end == text.len() {
            BreakKind::End
        } else if opportunity == BreakOpportunity::Mandatory {
            BreakKind::Mandatory
        } else {
            BreakKind::Allowed
        };
        // Between Chinese or Japanese characters a line may break at no
        // cost, and a justified line spreads the characters; a Latin word
        // or number beside them is set off by a quarter em (CJK
        // typography's spacing, CSS's text-autospace).
        let before = content.chars().next_back();
        let after = text[end..].chars().next();
        let em = space_span.style.size;
        let cjk = !has_space && (before.is_some_and(is_cjk) || after.is_some_and(is_cjk));
        let autospace =
            !has_space && matches!((before, after), (Some(b), Some(a)) if sets_off(b, a));
        let brk = Break {
            kind,
            space: if has_space {
                fonts.measure(space_span.style.face, " ", space_span.style.size)
            } else if autospace {
                em * SET_OFF
            } else {
                0.0
            },
            flexible: has_space || autospace,
            glue: if cjk { em * CJK_STRETCH } else { 0.0 },
            penalty: if has_space || cjk {
                0.0
            } else {
                NOSPACE_PENALTY
            },
            flagged: !has_space && content.ends_with(['-', '\u{2010}']),
            level: levels
                .as_deref()
                .and_then(|l| l.get(content_end).copied())
                .unwrap_or(base),
            word_space: has_space,
        };
        match chunk_list.last_mut() {
            Some(last) => last.brk = brk,
            None => {
                // Only white space (a line of its own, or a leading space):
                // keep the break, drop the space.
                if brk.forced() {
                    if let Some(prev) = out.last_mut() {
                        if !prev.brk.forced() {
                            prev.brk = Break { space: 0.0, ..brk };
                        }
                    }
                }
            }
        }
        out.append(&mut chunk_list);
        start = end;
    }
    if let Some(last) = out.last_mut() {
        last.brk.kind = BreakKind::End;
        last.brk.space = 0.0;
        last.brk.flexible = false;
    }
    let out = keep_numbers_with_units(fonts, drop_tight_hyphens(out, width));
    let mut fitted = Vec::with_capacity(out.len());
    for chunk in out {
        if chunk.width <= width {
            fitted.push(chunk);
        } else {
            fitted.extend(split_chunk(chunk, width));
        }
    }
    fitted
}

/// How much the room between two CJK characters may stretch, in ems.
const CJK_STRETCH: f32 = 0.12;

/// Chinese, Japanese and Korean characters and their punctuation (East
/// Asian wide): lines break between them without a space.
fn is_cjk(c: char) -> bool {
    briefkit_model::text::is_wide(c)
}

/// A CJK letter (not punctuation): a Latin word or number beside one is
/// set off by a quarter em.
fn is_cjk_letter(c: char) -> bool {
    is_cjk(c) && c.is_alphanumeric()
}

/// A Latin letter or a digit (set off from CJK text by a quarter em).
fn is_latin_or_digit(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '\u{00c0}'..='\u{024f}')
}

/// The room between a CJK letter and a Latin letter or digit, in ems.
const SET_OFF: f32 = 0.25;

/// Whether a quarter em goes between `before` and `after` when the text
/// has no space there: a CJK letter beside a Latin letter or a digit.
fn sets_off(before: char, after: char) -> bool {
    (is_cjk_letter(before) && is_latin_or_digit(after))
        || (is_latin_or_digit(before) && is_cjk_letter(after))
}

/// Glyphs of a line shaped whole (a chart's title, label or value), spaced
/// as a paragraph's lines are: a quarter em after a glyph where a CJK
/// letter meets a Latin letter or a digit. It is spacing, not a space of
/// the text (`tight`): the PDF draws the glyph before it wide.
pub fn autospace(glyphs: &mut [crate::typefaces::Glyph], size: f32) {
    for i in 1..glyphs.len() {
        let (before, after) = glyphs.split_at_mut(i);
        let (a, b) = (&mut before[i - 1], &after[0]);
        let (Some(x), Some(y)) = (a.text.chars().next_back(), b.text.chars().next()) else {
            continue;
        };
        if sets_off(x, y) {
            a.advance += size * SET_OFF;
            a.tight = true;
        }
    }
}

/// Shapes `text[from..to]` span by span; hyphenation points inside words
/// split it into several chunks joined by hyphen breaks.
#[allow(clippy::too_many_arguments)]
fn shape_content(
    fonts: &FontBook<'_>,
    spans: &[Span],
    owner: &[(usize, usize)],
    (from, to): (usize, usize),
    text: &str,
    levels: Option<&[u8]>,
    hyphenate: bool,
    missing: &mut Missing,
) -> Vec<Chunk> {
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut open = false;
    // The pieces to shape: each span's part of the chunk, cut where the
    // bidi level changes (each piece is shaped in its own direction).
    let mut pieces: Vec<(usize, usize, usize, u8)> = Vec::new();
    for (k, &(span_start, i)) in owner.iter().enumerate() {
        let span_end = owner.get(k + 1).map_or(text.len(), |n| n.0);
        let (a, b) = (span_start.max(from), span_end.min(to));
        if a >= b {
            continue;
        }
        match levels {
            None => pieces.push((a, b, i, 0)),
            Some(levels) => {
                let mut run = a;
                for (offset, _) in text[a..b].char_indices().skip(1) {
                    let pos = a + offset;
                    if levels[pos] != levels[run] {
                        pieces.push((run, pos, i, levels[run]));
                        run = pos;
                    }
                }
                pieces.push((run, b, i, levels[run]));
            }
        }
    }
    let single = pieces.len() <= 1;
    for (a, b, i, level) in pieces {
        let span = &spans[i];
        let piece = &text[a..b];
        let (glyphs, lacking) = match levels {
            None => fonts.shape(span.style.face, piece, span.style.size),
            Some(_) => fonts.shape_directed(
                span.style.face,
                piece,
                span.style.size,
                Some(level % 2 == 1),
            ),
        };
        for c in lacking {
            missing.push(c, span.text.clone());
        }
        // Only a word set in one style is hyphenated (not half of a word
        // that changes face in the middle).
        let points = if hyphenate && a == from && b == to && single && level % 2 == 0 {
            fonts.hyphenation_points(piece)
        } else {
            Vec::new()
        };
        // Split the glyphs at the points that fall between glyphs.
        let mut parts: Vec<Vec<crate::typefaces::Glyph>> = vec![Vec::new()];
        let mut offset = 0;
        let mut next = points.iter().peekable();
        for g in glyphs {
            while next.peek().is_some_and(|&&p| p < offset) {
                next.next();
            }
            if next.peek() == Some(&&offset) && offset > 0 && !g.text.is_empty() {
                parts.push(Vec::new());
                next.next();
            }
            offset += g.text.len();
            if let Some(p) = parts.last_mut() {
                p.push(g);
            }
        }
        let hyphen = if parts.len() > 1 {
            let (mut glyphs, _) = fonts.shape(span.style.face, "-", span.style.size);
            // A hyphen the breaker adds stands for a soft hyphen: the PDF
            // shows it and a reader reads the word whole.
            for g in &mut glyphs {
                g.text = "\u{ad}".into();
            }
            let width = glyphs.iter().map(|g| g.advance).sum();
            Some(Fragment {
                glyphs,
                width,
                style: span.style.clone(),
                link: span.link.clone(),
                level,
                spaced: false,
            })
        } else {
            None
        };
        let count = parts.len();
        for (n, glyphs) in parts.into_iter().enumerate() {
            let w: f32 = glyphs.iter().map(|g| g.advance).sum();
            let frag = Fragment {
                glyphs,
                width: w,
                style: span.style.clone(),
                link: span.link.clone(),
                level,
                spaced: false,
            };
            let footnotes: Vec<usize> = span.footnote.into_iter().collect();
            if open && n == 0 {
                if let Some(last) = chunks.last_mut() {
                    last.width += w;
                    last.fragments.push(frag);
                    last.footnotes.extend(footnotes);
                    continue;
                }
            }
            chunks.push(Chunk {
                fragments: vec![frag],
                width: w,
                footnotes,
                brk: Break {
                    kind: BreakKind::Allowed,
                    space: 0.0,
                    flexible: false,
                    glue: 0.0,
                    penalty: 0.0,
                    flagged: false,
                    level,
                    word_space: false,
                },
            });
            if n + 1 < count {
                if let (Some(last), Some(h)) = (chunks.last_mut(), &hyphen) {
                    last.brk = Break {
                        kind: BreakKind::Hyphen(h.clone()),
                        space: 0.0,
                        flexible: false,
                        glue: 0.0,
                        penalty: HYPHEN_PENALTY,
                        flagged: true,
                        level,
                        word_space: false,
                    };
                }
            }
            open = true;
        }
    }
    chunks
}

/// Drops hyphenation points where the piece and its hyphen would not fit
/// the measure together (the piece then joins the next one, and a chunk
/// still too wide is split between glyphs).
fn drop_tight_hyphens(chunks: Vec<Chunk>, width: f32) -> Vec<Chunk> {
    let mut out: Vec<Chunk> = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        if let Some(prev) = out.last_mut() {
            if matches!(prev.brk.kind, BreakKind::Hyphen(_))
                && prev.width + prev.brk.hyphen_width() > width
            {
                prev.absorb(chunk);
                continue;
            }
        }
        out.push(chunk);
    }
    out
}

/// Units a number must not be parted from at a line end ("12 km", "5 %").
const UNITS: &[&str] = &[
    "%", "‰", "km", "m", "cm", "mm", "km²", "m²", "ha", "kg", "g", "t", "l", "L", "°C", "h", "min",
    "USD", "EUR", "MXN", "GBP", "US$", "$", "€", "£", "percent",
];

fn chunk_text(chunk: &Chunk) -> String {
    chunk
        .fragments
        .iter()
        .flat_map(|f| f.glyphs.iter().map(|g| g.text.as_str()))
        .collect()
}

/// Glues a number to the unit after it: the space between them does not
/// break (and does not stretch).
fn keep_numbers_with_units(fonts: &FontBook<'_>, chunks: Vec<Chunk>) -> Vec<Chunk> {
    let mut out: Vec<Chunk> = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        if let Some(prev) = out.last_mut() {
            let number = chunk_text(prev);
            let is_number = number.chars().any(|c| c.is_ascii_digit())
                && number
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == '.');
            let unit = chunk_text(&chunk);
            let unit = unit.trim_end_matches(['.', ',', ';', ':', ')']);
            if is_number
                && prev.brk.flexible
                && prev.brk.kind == BreakKind::Allowed
                && UNITS.contains(&unit)
            {
                if let Some(style) = prev.fragments.last().map(|f| f.style.clone()) {
                    let (glyphs, _) = fonts.shape(style.face, " ", style.size);
                    let space: f32 = glyphs.iter().map(|g| g.advance).sum();
                    let level = prev.fragments.last().map_or(0, |f| f.level);
                    prev.fragments.push(Fragment {
                        glyphs,
                        width: space,
                        style,
                        link: None,
                        level,
                        spaced: false,
                    });
                    prev.width += space;
                    prev.absorb(chunk);
                    continue;
                }
            }
        }
        out.push(chunk);
    }
    out
}

/// Splits a chunk wider than the measure between glyphs (no hyphen: it is
/// an address or a code, not a word).
fn split_chunk(chunk: Chunk, width: f32) -> Vec<Chunk> {
    let glue = Break {
        kind: BreakKind::Allowed,
        space: 0.0,
        flexible: false,
        glue: 0.0,
        penalty: NOSPACE_PENALTY,
        flagged: false,
        level: chunk.fragments.first().map_or(0, |f| f.level),
        word_space: false,
    };
    let empty = |footnotes: Vec<usize>| Chunk {
        fragments: Vec::new(),
        width: 0.0,
        footnotes,
        brk: glue.clone(),
    };
    let mut pieces: Vec<Chunk> = Vec::new();
    let mut cur = empty(chunk.footnotes.clone());
    for frag in chunk.fragments {
        let blank = || Fragment {
            glyphs: Vec::new(),
            width: 0.0,
            style: frag.style.clone(),
            link: frag.link.clone(),
            level: frag.level,
            spaced: false,
        };
        let mut part = blank();
        for g in frag.glyphs {
            if cur.width + part.width + g.advance > width && (cur.width + part.width) > 0.0 {
                if !part.glyphs.is_empty() {
                    cur.width += part.width;
                    cur.fragments.push(std::mem::replace(&mut part, blank()));
                }
                pieces.push(std::mem::replace(&mut cur, empty(Vec::new())));
            }
            part.width += g.advance;
            part.glyphs.push(g);
        }
        if !part.glyphs.is_empty() {
            cur.width += part.width;
            cur.fragments.push(part);
        }
    }
    cur.brk = chunk.brk;
    pieces.push(cur);
    pieces
}
