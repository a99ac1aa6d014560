//! Line breaking: break opportunities per UAX #14, hyphenation points from
//! the pack language's patterns, Knuth–Plass total-fit breaking for
//! justified text and first-fit for ragged text.
//!
//! A paragraph becomes a list of [`Chunk`]s, the unbreakable stretches of
//! glyphs between two break opportunities, each followed by a [`Break`]
//! saying what happens there: a space that stretches and shrinks, a place
//! after a dash or slash, a hyphenation point that adds a hyphen, a forced
//! break, or the paragraph's end. Chunks wider than the measure are split
//! between glyphs, so no line ever overflows.

mod chunks;

use super::text::{Alignment, Fragment, Line, Missing, Span};
use crate::typefaces::FontBook;
pub(crate) use chunks::autospace;
use chunks::chunks;

/// Demerits added to every line (TeX's \linepenalty): fewer lines win.
const LINE_PENALTY: f64 = 10.0;
/// Cost of breaking at a hyphenation point (TeX's \hyphenpenalty).
const HYPHEN_PENALTY: f64 = 50.0;
/// Cost of breaking after a dash or slash inside a word.
const NOSPACE_PENALTY: f64 = 30.0;
/// Two hyphenated lines in a row (TeX's \doublehyphendemerits).
const DOUBLE_HYPHEN_DEMERITS: f64 = 10_000.0;
/// A hyphen ending the last line but one (TeX's \finalhyphendemerits).
const FINAL_HYPHEN_DEMERITS: f64 = 5_000.0;
/// A very loose line next to a tight one (TeX's \adjdemerits).
const ADJACENT_DEMERITS: f64 = 3_000.0;
/// Spaces stretch by half and shrink by a third of their width.
const STRETCH: f32 = 0.5;
const SHRINK: f32 = 1.0 / 3.0;
/// A justified line whose spaces would grow past this many times their
/// width is set ragged instead: a short line rather than a river.
const MAX_SPREAD: f32 = 3.0;

/// What may happen after a chunk.
#[derive(Debug, Clone, PartialEq)]
enum BreakKind {
    /// A space or a break opportunity after a dash, slash, ...
    Allowed,
    /// A hyphenation point: breaking adds a hyphen.
    Hyphen(Fragment),
    /// A forced line break.
    Mandatory,
    /// The paragraph ends.
    End,
}

#[derive(Debug, Clone, PartialEq)]
struct Break {
    kind: BreakKind,
    /// Width of the space after the chunk when the line goes on.
    space: f32,
    /// Whether that space stretches and shrinks.
    flexible: bool,
    /// Stretch with no width of its own: the room between two Chinese or
    /// Japanese characters, which a justified line spreads (CJK text has no
    /// spaces to stretch).
    glue: f32,
    /// Cost of breaking here.
    penalty: f64,
    /// A line ending here ends with a hyphen (explicit or added).
    flagged: bool,
    /// The bidi level of the space here (where the line goes on).
    level: u8,
    /// The room here is a space of the text (shown as a space to readers),
    /// not spacing the layout adds (the quarter em between Chinese and a
    /// Latin word, a justified Chinese line's spread).
    word_space: bool,
}

impl Break {
    fn stretch(&self) -> f32 {
        if self.flexible {
            self.space * STRETCH + self.glue
        } else {
            self.glue
        }
    }

    fn shrink(&self) -> f32 {
        if self.flexible {
            self.space * SHRINK
        } else {
            0.0
        }
    }

    fn hyphen_width(&self) -> f32 {
        match &self.kind {
            BreakKind::Hyphen(f) => f.width,
            _ => 0.0,
        }
    }

    fn forced(&self) -> bool {
        matches!(self.kind, BreakKind::Mandatory | BreakKind::End)
    }
}

/// Glyphs between two break opportunities.
#[derive(Debug, Clone, PartialEq)]
struct Chunk {
    fragments: Vec<Fragment>,
    width: f32,
    footnotes: Vec<usize>,
    brk: Break,
}

impl Chunk {
    /// Appends `next` to this chunk: no break between them any more.
    fn absorb(&mut self, next: Chunk) {
        self.width += next.width;
        self.fragments.extend(next.fragments);
        self.footnotes.extend(next.footnotes);
        self.brk = next.brk;
    }
}

/// Breaks spans into lines of at most `width`. Justified text is broken
/// by total fit with hyphenation; ragged text first-fit without.
pub fn break_lines(
    fonts: &FontBook<'_>,
    spans: &[Span],
    width: f32,
    align: Alignment,
    missing: &mut Missing,
) -> Vec<Line> {
    let justify = align == Alignment::Justify;
    if spans.iter().all(|s| s.text.is_empty()) {
        return Vec::new();
    }
    if align == Alignment::Balanced {
        return balanced(fonts, spans, width, missing);
    }
    let chunks = chunks(fonts, spans, width, justify, missing);
    if chunks.is_empty() {
        return Vec::new();
    }
    let ends = if justify {
        let metrics = Metrics::new(&chunks);
        // TeX's passes: first without hyphenation and a strict tolerance,
        // then with hyphenation, then anything that fits; a pass that
        // could only ladder hyphens gives way to the next, but the last.
        let passes = [(false, 1.0), (true, 2.0), (true, f32::INFINITY)];
        passes
            .iter()
            .enumerate()
            .find_map(|(k, &(hyphens, tolerance))| {
                total_fit(&chunks, &metrics, width, hyphens, tolerance)
                    .filter(|(_, total)| *total < LADDER_DEMERITS || k + 1 == passes.len())
                    .map(|(ends, _)| ends)
            })
            .unwrap_or_else(|| first_fit(&chunks, width))
    } else {
        first_fit(&chunks, width)
    };
    let mut lines = Vec::with_capacity(ends.len());
    let mut start = 0;
    for end in ends {
        lines.push(set_line(&chunks[start..=end], width, align, fonts.rtl()));
        start = end + 1;
    }
    lines
}

/// Ragged lines as even as the text allows: the narrowest measure (found
/// by bisection) that still gives as many lines as the full one. Only for
/// short texts (titles, headings) of two to four lines.
fn balanced(fonts: &FontBook<'_>, spans: &[Span], width: f32, missing: &mut Missing) -> Vec<Line> {
    let full = break_lines(fonts, spans, width, Alignment::Left, missing);
    if !(2..=4).contains(&full.len()) {
        return full;
    }
    let count = full.len();
    let (mut lo, mut hi) = (width * 0.4, width);
    let mut best = full;
    for _ in 0..10 {
        let mid = (lo + hi) / 2.0;
        let lines = break_lines(fonts, spans, mid, Alignment::Left, &mut Missing::default());
        if lines.len() == count && lines.iter().all(|l| l.width <= mid + 0.01) {
            hi = mid;
            best = lines;
        } else {
            lo = mid;
        }
    }
    best
}

/// Prefix sums of widths, stretch and shrink over the chunks and the
/// spaces after them.
struct Metrics {
    width: Vec<f32>,
    stretch: Vec<f32>,
    shrink: Vec<f32>,
}

impl Metrics {
    fn new(chunks: &[Chunk]) -> Self {
        let mut m = Metrics {
            width: vec![0.0],
            stretch: vec![0.0],
            shrink: vec![0.0],
        };
        let (mut w, mut y, mut z) = (0.0, 0.0, 0.0);
        for c in chunks {
            w += c.width + c.brk.space;
            y += c.brk.stretch();
            z += c.brk.shrink();
            m.width.push(w);
            m.stretch.push(y);
            m.shrink.push(z);
        }
        m
    }

    /// Natural width, stretch and shrink of a line of chunks `from..=to`.
    fn line(&self, chunks: &[Chunk], from: usize, to: usize) -> (f32, f32, f32) {
        let b = &chunks[to].brk;
        (
            self.width[to + 1] - self.width[from] - b.space + b.hyphen_width(),
            self.stretch[to + 1] - self.stretch[from] - b.stretch(),
            self.shrink[to + 1] - self.shrink[from] - b.shrink(),
        )
    }
}

/// How far a line must stretch (positive) or shrink (negative), as a
/// fraction of what its spaces can give.
fn ratio(natural: f32, stretch: f32, shrink: f32, width: f32, forced: bool) -> f32 {
    if natural <= width {
        if forced {
            // The last line is filled with white, not stretched.
            0.0
        } else if stretch > 0.0 {
            (width - natural) / stretch
        } else if width - natural < 0.01 {
            0.0
        } else {
            1000.0
        }
    } else if shrink > 0.0 {
        (width - natural) / shrink
    } else {
        f32::NEG_INFINITY
    }
}

fn fitness(r: f32) -> usize {
    if r < -0.5 {
        0
    } else if r <= 0.5 {
        1
    } else if r <= 1.0 {
        2
    } else {
        3
    }
}

struct Node {
    /// Index of the first chunk of the next line.
    pos: usize,
    fitness: usize,
    total: f64,
    flagged: bool,
    /// How many lines in a row end with a hyphen, this one included.
    hyphens: u8,
    prev: Option<usize>,
}

/// The most lines in a row that may end with a hyphen: a third costs so
/// much that any other set of breaks is taken (a word longer than the
/// measure, hyphenated down a column, still has its only layout).
const HYPHEN_LADDER: u8 = 2;
const LADDER_DEMERITS: f64 = 1e12;

/// Knuth–Plass: the breaks that minimise the paragraph's total demerits
/// (and those demerits), with every line's adjustment ratio in
/// `-1..=tolerance`. `None` when no such set of breaks exists.
fn total_fit(
    chunks: &[Chunk],
    m: &Metrics,
    width: f32,
    hyphens: bool,
    tolerance: f32,
) -> Option<(Vec<usize>, f64)> {
    let mut nodes = vec![Node {
        pos: 0,
        fitness: 1,
        total: 0.0,
        flagged: false,
        hyphens: 0,
        prev: None,
    }];
    let mut active: Vec<usize> = vec![0];
    for (b, chunk) in chunks.iter().enumerate() {
        let brk = &chunk.brk;
        if !hyphens && matches!(brk.kind, BreakKind::Hyphen(_)) {
            continue;
        }
        let mut best: [Option<(f64, usize)>; 4] = [None; 4];
        active.retain(|&a| {
            let node = &nodes[a];
            let (natural, stretch, shrink) = m.line(chunks, node.pos, b);
            let r = ratio(natural, stretch, shrink, width, brk.forced());
            if r < -1.0 {
                // Too long now, and longer with every further chunk.
                return false;
            }
            if r <= tolerance {
                // Not capped (TeX caps at 10 000): with a cap, the last
                // pass would pile all the looseness into one or two lines.
                let badness = 100.0 * f64::from(r.abs()).powi(3);
                let mut d = (LINE_PENALTY + badness).powi(2);
                if brk.penalty > 0.0 {
                    d += brk.penalty.powi(2);
                }
                if brk.flagged && node.flagged {
                    d += DOUBLE_HYPHEN_DEMERITS;
                }
                if brk.flagged && node.hyphens >= HYPHEN_LADDER {
                    d += LADDER_DEMERITS;
                }
                if brk.kind == BreakKind::End && node.flagged {
                    d += FINAL_HYPHEN_DEMERITS;
                }
                let fc = fitness(r);
                if fc.abs_diff(node.fitness) > 1 {
                    d += ADJACENT_DEMERITS;
                }
                let total = node.total + d;
                if best[fc].is_none_or(|(t, _)| total < t) {
                    best[fc] = Some((total, a));
                }
            }
            // A forced break ends every line that reaches it.
            !brk.forced()
        });
        for (fc, candidate) in best.iter().enumerate() {
            if let Some((total, a)) = candidate {
                let hyphens = if brk.flagged {
                    nodes[*a].hyphens + 1
                } else {
                    0
                };
                nodes.push(Node {
                    pos: b + 1,
                    fitness: fc,
                    total: *total,
                    flagged: brk.flagged,
                    hyphens,
                    prev: Some(*a),
                });
                active.push(nodes.len() - 1);
            }
        }
        if active.is_empty() {
            return None;
        }
    }
    let last = active
        .iter()
        .copied()
        .filter(|&a| nodes[a].pos == chunks.len())
        .min_by(|&a, &b| nodes[a].total.total_cmp(&nodes[b].total))?;
    let total = nodes[last].total;
    let mut ends = Vec::new();
    let mut at = Some(last);
    while let Some(i) = at {
        if nodes[i].pos > 0 {
            ends.push(nodes[i].pos - 1);
        }
        at = nodes[i].prev;
    }
    ends.reverse();
    Some((ends, total))
}

/// First fit: as many chunks on each line as fit (never at a hyphenation
/// point; ragged text is not hyphenated).
fn first_fit(chunks: &[Chunk], width: f32) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut start = 0;
    let mut natural = 0.0;
    let mut last_ok: Option<usize> = None;
    let mut i = 0;
    while i < chunks.len() {
        let c = &chunks[i];
        let before = if i > start {
            chunks[i - 1].brk.space
        } else {
            0.0
        };
        let w = natural + before + c.width;
        if w > width + 0.01 && i > start {
            // Back up to the last break that is not a hyphenation point.
            let end = last_ok.unwrap_or(i - 1);
            ends.push(end);
            start = end + 1;
            natural = 0.0;
            last_ok = None;
            i = start;
            continue;
        }
        natural = w;
        match c.brk.kind {
            BreakKind::Mandatory | BreakKind::End => {
                ends.push(i);
                start = i + 1;
                natural = 0.0;
                last_ok = None;
            }
            BreakKind::Allowed => last_ok = Some(i),
            BreakKind::Hyphen(_) => {}
        }
        i += 1;
    }
    ends
}

/// Places the chunks of one line.
fn set_line(chunks: &[Chunk], width: f32, align: Alignment, rtl: bool) -> Line {
    let last = &chunks[chunks.len() - 1].brk;
    let mut natural = last.hyphen_width();
    let (mut stretch, mut shrink, mut gaps) = (0.0, 0.0, 0usize);
    let mut space = 0.0_f32;
    for (i, c) in chunks.iter().enumerate() {
        natural += c.width;
        if i + 1 < chunks.len() {
            natural += c.brk.space;
            stretch += c.brk.stretch();
            shrink += c.brk.shrink();
            if c.brk.flexible {
                gaps += 1;
                space = space.max(c.brk.space);
            } else if c.brk.glue > 0.0 {
                gaps += 1;
                space = space.max(c.brk.glue * 2.0);
            }
        }
    }
    let r = ratio(natural, stretch, shrink, width, last.forced());
    let r = if r < 0.0 {
        // Shrinking is always right: the line must fit.
        r.max(-1.0)
    } else if align == Alignment::Justify
        && gaps > 0
        && (width - natural) / gaps as f32 <= space * MAX_SPREAD
    {
        r
    } else {
        0.0
    };
    let set_width = if r >= 0.0 {
        natural + r * stretch
    } else {
        natural + r * shrink
    };
    let start = match align {
        Alignment::Right => (width - set_width).max(0.0),
        _ => 0.0,
    };
    // The line in logical order: fragments and the room between chunks,
    // each with its bidi level.
    let mut fragments: Vec<(f32, Fragment)> = Vec::new();
    let mut footnotes = Vec::new();
    // (width, level, the fragment it is, if one; whether it is a space
    // of the text)
    let mut room: Vec<(f32, u8, Option<usize>, bool)> = Vec::new();
    for (i, c) in chunks.iter().enumerate() {
        for f in &c.fragments {
            room.push((f.width, f.level, Some(fragments.len()), false));
            fragments.push((0.0, f.clone()));
        }
        footnotes.extend(c.footnotes.iter().copied());
        if i + 1 < chunks.len() {
            let adjust = if r >= 0.0 {
                r * c.brk.stretch()
            } else {
                r * c.brk.shrink()
            };
            room.push((c.brk.space + adjust, c.brk.level, None, c.brk.word_space));
        }
    }
    if let BreakKind::Hyphen(f) = &last.kind {
        room.push((f.width, f.level, Some(fragments.len()), false));
        fragments.push((0.0, f.clone()));
    }
    // A line broken at a space keeps the space for readers: a glyph of no
    // width that the PDF shows as the face's space (see `LINE_END_SPACE`).
    let at_space = matches!(last.kind, BreakKind::Allowed) && last.word_space
        || matches!(last.kind, BreakKind::Mandatory);
    if let Some((_, f)) = fragments.last().filter(|_| at_space) {
        let space = Fragment {
            glyphs: vec![crate::typefaces::Glyph {
                gid: crate::typefaces::LINE_END_SPACE,
                advance: 0.0,
                default_advance: 0.0,
                text: " ".into(),
                font: f
                    .glyphs
                    .last()
                    .map_or(f.style.face.index() as u8, |g| g.font),
                tight: false,
            }],
            width: 0.0,
            style: f.style.clone(),
            link: f.link.clone(),
            level: u8::from(rtl),
            spaced: false,
        };
        room.push((0.0, space.level, Some(fragments.len()), false));
        fragments.push((0.0, space));
    }
    // Placed in display order (UAX #9's rule L2: runs of higher levels
    // reversed), which a right-to-left document takes from the right: its
    // page is mirrored once laid out, so the line is placed mirrored here.
    let mut order: Vec<usize> = (0..room.len()).collect();
    if rtl || room.iter().any(|r| r.1 > 0) {
        let levels: Vec<u8> = room.iter().map(|r| r.1).collect();
        order = crate::typefaces::display_order(&levels);
        if rtl {
            order.reverse();
        }
    }
    let mut x = start;
    // Whether a space of the text stands before the next fragment, on the
    // line as it is shown.
    let mut spaced = false;
    for k in order {
        let (w, _, frag, word_space) = room[k];
        if let Some(f) = frag {
            fragments[f].0 = x;
            fragments[f].1.spaced = spaced;
            spaced = false;
        } else {
            spaced |= word_space && w > 0.0;
        }
        x += w;
    }
    Line {
        fragments,
        width: set_width,
        footnotes,
        rtl,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::text::Style;
    use crate::layout::Rgb;
    use crate::typefaces::FaceId;
    use briefkit_model::{Assets, FontFaces};
    use std::collections::BTreeMap;

    fn with_fonts(test: impl FnOnce(&FontBook<'_>)) {
        with_language("en", test);
    }

    fn with_language(language: &str, test: impl FnOnce(&FontBook<'_>)) {
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
        let images = BTreeMap::new();
        let assets = Assets {
            serif: faces(0, "Noto Serif"),
            sans: faces(4, "Noto Sans"),
            images: &images,
            extra: &[],
        };
        match FontBook::new(&assets) {
            Ok(book) => test(&book.with_hyphenation(language)),
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
                lang: None,
                statistic: None,
            },
            link: None,
            footnote: None,
        }
    }

    #[test]
    fn a_number_never_ends_a_line_without_its_unit() {
        with_fonts(|fonts| {
            let mut missing = Missing::default();
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
                        .flat_map(|(_, f)| f.glyphs.iter().map(|g| g.text.as_str()))
                        .collect();
                    assert!(
                        !t.trim_end().ends_with("12") && !t.trim_end().ends_with("45"),
                        "width {width}: `{t}` ends with a number"
                    );
                }
            }
        });
    }

    /// A line's text as it shows: an added hyphen as `-`, without the
    /// line-end space.
    fn text_of(line: &Line) -> String {
        let text: String = line
            .fragments
            .iter()
            .flat_map(|(_, f)| f.glyphs.iter().map(|g| g.text.as_str()))
            .collect();
        text.replace('\u{ad}', "-").trim_end().to_string()
    }

    /// The right edge of a line's last glyph.
    fn extent(line: &Line) -> f32 {
        line.fragments.last().map_or(0.0, |(x, f)| x + f.width)
    }

    const ENGLISH: &str = "Mexico is at once a country of origin, transit and destination for victims of trafficking, which makes the phenomenon extraordinarily difficult to measure; the institutions that collect figures each count different things, yet their conclusions point unmistakably in the same direction, towards a problem that is large, mostly hidden and only rarely brought before a court.";

    #[test]
    fn justified_lines_fill_the_measure_and_never_overflow() {
        with_fonts(|fonts| {
            let mut missing = Missing::default();
            for width in [140.0, 200.0, 260.0, 330.0, 420.0] {
                let lines = break_lines(
                    fonts,
                    &[span(ENGLISH)],
                    width,
                    Alignment::Justify,
                    &mut missing,
                );
                assert!(lines.len() > 1);
                for (i, line) in lines.iter().enumerate() {
                    let right = extent(line);
                    assert!(
                        right <= width + 0.01,
                        "width {width}: line {i} ends at {right}"
                    );
                    if i + 1 < lines.len() {
                        // Flush right, unless set ragged to avoid a river.
                        let gaps = text_of(line).matches(' ').count();
                        assert!(
                            (right - width).abs() < 0.05 || width - line.width > 0.0 && gaps < 3,
                            "width {width}: line {i} `{}` ends at {right}",
                            text_of(line)
                        );
                    }
                }
                // Nothing lost or reordered: the lines hold the text (hyphens aside).
                let joined: String = lines.iter().map(text_of).collect::<Vec<_>>().join(" ");
                let squash = |s: &str| s.replace(['-', ' '], "");
                assert_eq!(squash(&joined), squash(ENGLISH));
            }
        });
    }

    const CHINESE: &str = "墨西哥既是人口贩运的来源国、过境国和目的国，因此谁也无法统计出全部受害者。现有数据出自不同机构，衡量的对象也各不相同，但指向的是同一个方向：问题规模庞大，大多隐而不见（少有案件诉诸法庭），“真正走上法庭的案件寥寥无几”。";

    #[test]
    fn chinese_breaks_between_characters_by_its_rules_and_fills_the_measure() {
        // (No CJK face here: the characters are set at the .notdef width,
        // which is all the breaking needs.)
        with_fonts(|fonts| {
            let mut missing = Missing::default();
            for width in [90.0, 120.0, 150.0, 210.0] {
                let lines = break_lines(
                    fonts,
                    &[span(CHINESE)],
                    width,
                    Alignment::Justify,
                    &mut missing,
                );
                assert!(lines.len() > 2, "width {width}");
                for (i, line) in lines.iter().enumerate() {
                    let text = text_of(line);
                    assert!(
                        !text.starts_with(['。', '、', '，', '：', '）', '」', '”']),
                        "width {width}: line {i} starts with closing punctuation: {text}"
                    );
                    assert!(
                        !text.ends_with(['（', '「', '“']),
                        "width {width}: line {i} ends with opening punctuation: {text}"
                    );
                    assert!(
                        extent(line) <= width + 0.01,
                        "width {width}: line {i} overflows"
                    );
                    if i + 1 < lines.len() {
                        // No spaces to stretch: the characters are spread.
                        assert!(
                            (extent(line) - width).abs() < 0.5,
                            "width {width}: line {i} `{text}` ends at {}",
                            extent(line)
                        );
                    }
                }
                let joined: String = lines.iter().map(text_of).collect();
                assert_eq!(joined, CHINESE, "width {width}");
            }
        });
    }

    #[test]
    fn a_line_shaped_whole_gets_the_quarter_em_where_chinese_meets_a_digit_or_latin_letter() {
        // A chart's title is shaped as one line, not broken into
        // paragraph lines: `autospace` gives it the paragraphs' spacing.
        with_fonts(|fonts| {
            let size = 10.0;
            let (mut glyphs, _) = fonts.shape(FaceId::Sans, "报告的2005年1月 IOM 机构", size);
            let before: Vec<f32> = glyphs.iter().map(|g| g.advance).collect();
            super::autospace(&mut glyphs, size);
            let widened: Vec<&str> = glyphs
                .iter()
                .zip(&before)
                .filter(|(g, b)| g.advance > **b)
                .map(|(g, b)| {
                    assert!((g.advance - b - size * 0.25).abs() < 0.001);
                    assert!(g.tight, "spacing, not a space of the text");
                    g.text.as_str()
                })
                .collect();
            // Before a digit or after one, beside a Chinese letter; not at
            // a space of the text (`IOM 机构`).
            assert_eq!(widened, ["的", "5", "年", "1"]);
        });
    }

    #[test]
    fn the_quarter_em_beside_chinese_is_spacing_and_a_word_space_is_a_space() {
        with_fonts(|fonts| {
            let mut missing = Missing::default();
            let text = "报告的2005年案件 and the office counted them";
            let lines = break_lines(fonts, &[span(text)], 1000.0, Alignment::Left, &mut missing);
            let line = &lines[0];
            let spaced = |word: &str| {
                line.fragments
                    .iter()
                    .find(|(_, f)| {
                        f.glyphs.iter().map(|g| g.text.as_str()).collect::<String>() == word
                    })
                    .map(|(_, f)| f.spaced)
            };
            // Set off by a quarter em, which is no space of the text.
            assert_eq!(spaced("2005"), Some(false));
            assert_eq!(spaced("年"), Some(false));
            // After a space of the text.
            assert_eq!(spaced("office"), Some(true));
            assert_eq!(spaced("counted"), Some(true));
            // The quarter em is there all the same.
            let x = |word: &str| {
                line.fragments
                    .iter()
                    .find(|(_, f)| {
                        f.glyphs.iter().map(|g| g.text.as_str()).collect::<String>() == word
                    })
                    .map_or((f32::NAN, f32::NAN), |(x, f)| (*x, f.width))
            };
            let (digits, width) = x("2005");
            let (year, _) = x("年");
            assert!(
                (year - digits - width - 10.0 * 0.25).abs() < 0.01,
                "{}",
                year - digits - width
            );
            // A line broken at the quarter em ends with no space.
            let narrow = break_lines(
                fonts,
                &[span("报告的报告的报告的报告的2005年")],
                40.0,
                Alignment::Left,
                &mut missing,
            );
            for l in &narrow {
                assert!(
                    !l.fragments.iter().any(|(_, f)| f
                        .glyphs
                        .iter()
                        .any(|g| g.gid == crate::typefaces::LINE_END_SPACE)),
                    "a space at the end of `{}`",
                    text_of(l)
                );
            }
        });
    }

    #[test]
    fn total_fit_beats_first_fit() {
        // Knuth–Plass minimises the squared slack of the lines; first fit
        // only fills each line greedily. On real text total fit is never
        // worse, and usually better.
        with_fonts(|fonts| {
            let mut missing = Missing::default();
            let mut better = 0;
            for width in (150..400).step_by(25) {
                let width = width as f32;
                let chunks = chunks(fonts, &[span(ENGLISH)], width, false, &mut missing);
                let m = Metrics::new(&chunks);
                let cost = |ends: &[usize]| -> f32 {
                    let mut start = 0;
                    let mut total = 0.0;
                    for (k, &end) in ends.iter().enumerate() {
                        let (natural, _, _) = m.line(&chunks, start, end);
                        if k + 1 < ends.len() {
                            total += (width - natural).powi(2);
                        }
                        start = end + 1;
                    }
                    total
                };
                let optimal = total_fit(&chunks, &m, width, false, f32::INFINITY)
                    .map(|(ends, _)| ends)
                    .unwrap_or_default();
                let greedy = first_fit(&chunks, width);
                assert!(optimal.len() <= greedy.len() + 1);
                if cost(&optimal) < cost(&greedy) - 1.0 {
                    better += 1;
                }
                assert!(
                    cost(&optimal) <= cost(&greedy) * 1.05 + 1.0,
                    "width {width}: total fit {} vs first fit {}",
                    cost(&optimal),
                    cost(&greedy)
                );
            }
            assert!(better >= 3, "total fit was better at only {better} widths");
        });
    }

    #[test]
    fn narrow_justified_text_is_hyphenated_in_the_pack_language() {
        let cases = [
            ("en", ENGLISH),
            ("es", "La Comisión Económica para América Latina calcula que aproximadamente tres mil mujeres mexicanas han sido trasladadas internacionalmente para explotación sexual, una realidad extraordinariamente preocupante."),
            ("fr", "La Commission économique pour l’Amérique latine estime qu’environ trois mille Mexicaines ont été transportées internationalement pour exploitation sexuelle, une réalité extraordinairement préoccupante."),
            ("de", "Die Wirtschaftskommission für Lateinamerika schätzt, dass ungefähr dreitausend mexikanische Frauen international zur sexuellen Ausbeutung verschleppt wurden, eine außerordentlich besorgniserregende Wirklichkeit."),
            ("pt", "A Comissão Económica para a América Latina estima que aproximadamente três mil mulheres mexicanas foram transportadas internacionalmente para exploração sexual, uma realidade extraordinariamente preocupante."),
        ];
        for (lang, text) in cases {
            with_language(lang, |fonts| {
                let mut missing = Missing::default();
                let lines = break_lines(
                    fonts,
                    &[span(text)],
                    150.0,
                    Alignment::Justify,
                    &mut missing,
                );
                let hyphenated: Vec<String> = lines
                    .iter()
                    .map(text_of)
                    .filter(|t| t.ends_with('-'))
                    .collect();
                assert!(!hyphenated.is_empty(), "{lang}: no line hyphenated");
                // Every hyphen splits a word at a point the patterns allow.
                for t in &hyphenated {
                    let stem = t
                        .trim_end_matches('-')
                        .rsplit(' ')
                        .next()
                        .unwrap_or_default();
                    assert!(stem.chars().count() >= 2, "{lang}: `{t}`");
                }
                for line in &lines {
                    assert!(
                        extent(line) <= 150.01,
                        "{lang}: `{}` overflows",
                        text_of(line)
                    );
                }
            });
        }
    }

    #[test]
    fn ragged_text_is_not_hyphenated_and_urls_break_after_slashes() {
        with_fonts(|fonts| {
            let mut missing = Missing::default();
            let lines = break_lines(
                fonts,
                &[span(ENGLISH)],
                150.0,
                Alignment::Left,
                &mut missing,
            );
            assert!(lines.iter().all(|l| !text_of(l).ends_with('-')));
            let url = "See https://www.iom.int/news/practical-approaches-combating-human-trafficking-mexico/annex/report for the report.";
            let lines = break_lines(fonts, &[span(url)], 120.0, Alignment::Justify, &mut missing);
            for line in &lines {
                assert!(extent(line) <= 120.01, "`{}` overflows", text_of(line));
            }
            // The address breaks at its slashes and is not hyphenated.
            assert!(
                lines.iter().any(|l| text_of(l).ends_with('/')),
                "{:?}",
                lines.iter().map(text_of).collect::<Vec<_>>()
            );
            let joined: String = lines.iter().map(text_of).collect();
            assert!(joined.contains("https://www.iom.int/news/practical-approaches-combating-human-trafficking-mexico/annex/report"), "{joined}");
        });
    }

    #[test]
    fn balanced_titles_leave_no_lone_word() {
        with_fonts(|fonts| {
            let mut missing = Missing::default();
            let title =
                "What a two-day workshop in Tapachula brought together, and the figures behind it";
            for width in (300..520).step_by(20) {
                let width = width as f32;
                let ragged =
                    break_lines(fonts, &[span(title)], width, Alignment::Left, &mut missing);
                let even = break_lines(
                    fonts,
                    &[span(title)],
                    width,
                    Alignment::Balanced,
                    &mut missing,
                );
                assert_eq!(
                    ragged.len(),
                    even.len(),
                    "width {width}: balancing changed the line count"
                );
                for line in &even {
                    assert!(extent(line) <= width + 0.01);
                }
                if even.len() > 1 {
                    let last = even.last().unwrap_or(&even[0]);
                    assert!(
                        last.fragments.len() > 1,
                        "width {width}: lone word `{}`",
                        text_of(last)
                    );
                    // The lines differ in length less than first fit's do.
                    let spread = |ls: &[Line]| {
                        let w: Vec<f32> = ls.iter().map(|l| l.width).collect();
                        w.iter().cloned().fold(0.0, f32::max)
                            - w.iter().cloned().fold(f32::MAX, f32::min)
                    };
                    assert!(spread(&even) <= spread(&ragged) + 0.01);
                }
            }
        });
    }

    #[test]
    fn odd_text_never_panics_or_overflows() {
        let odd = [
            "",
            " ",
            "\n\n",
            "e\u{301}le\u{300}ve cafe\u{301} na\u{303}o",
            "مرحبا بالعالم هذا نص عربي طويل",
            "👩‍👩‍👧‍👦 family 🇲🇽 flag",
            "tab\tseparated\tcolumns",
            "no\u{a0}break\u{a0}spaces\u{a0}everywhere\u{a0}in\u{a0}this\u{a0}line",
            "soft\u{ad}hyphen in\u{ad}side",
            "line\r\nbreaks\rhere",
            "Supercalifragilisticexpialidociousantidisestablishmentarianism",
            "x",
            "— – ‘ ’ “ ” … ‰ €",
        ];
        with_fonts(|fonts| {
            for text in odd {
                for width in [30.0, 61.0, 150.0, 400.0] {
                    for align in [
                        Alignment::Justify,
                        Alignment::Left,
                        Alignment::Right,
                        Alignment::Balanced,
                    ] {
                        let mut missing = Missing::default();
                        let lines = break_lines(fonts, &[span(text)], width, align, &mut missing);
                        for line in &lines {
                            assert!(
                                extent(line) <= width + 0.01,
                                "`{text}` at {width} ({align:?}): `{}` overflows",
                                text_of(line)
                            );
                        }
                    }
                }
            }
        });
    }
}
