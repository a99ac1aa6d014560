//! Inline content to lines: styled spans, shaped fragments, lines (the
//! breaking itself is in [`super::linebreak`]).

use super::frame::{Item, Link, LinkTarget, Rgb};
use super::tags::{Artifact, Mark, Marker};
use crate::typefaces::{FaceId, Glyph};
use briefkit_model::{Inline, Labels};

/// The look of a run of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// The face it is set in (glyphs it lacks come from a fallback).
    pub face: FaceId,
    /// Size in points.
    pub size: f32,
    /// Fill colour.
    pub color: Rgb,
    /// Raise above the baseline (superscript), in points.
    pub rise: f32,
    /// The language of a passage not in the document's language.
    pub lang: Option<smol_str::SmolStr>,
    /// The statistic this text prints (a cited figure, a key figure, a
    /// value of the statistics table): its marked content says so, for
    /// `briefkit verify`.
    pub statistic: Option<smol_str::SmolStr>,
}

/// A run of text with one style and link.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The text, as in the model.
    pub text: String,
    /// How it is set.
    pub style: Style,
    /// Link, if any.
    pub link: Option<Link>,
    /// Footnote referenced here, if this span is a reference mark.
    pub footnote: Option<usize>,
}

/// Flattens inline content into spans; links are named in the words of
/// `labels` ("Source 3", "Note 1").
pub fn spans(inlines: &[Inline], base: &Style, labels: &Labels, out: &mut Vec<Span>) {
    spans_with(inlines, base, None, labels, out);
}

fn spans_with(
    inlines: &[Inline],
    style: &Style,
    link: Option<&Link>,
    labels: &Labels,
    out: &mut Vec<Span>,
) {
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
                spans_with(content, &s, link, labels, out);
            }
            Inline::Strong { content } => {
                let s = Style {
                    face: style.face.with(true, style.face.is_italic()),
                    ..style.clone()
                };
                spans_with(content, &s, link, labels, out);
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
                // Named by its words; a link with none by its address.
                let words = briefkit_model::plain_text(content);
                let alt = if words.trim().is_empty() { url } else { &words };
                spans_with(content, &s, Some(&Link::new(target, alt)), labels, out);
            }
            Inline::Stat {
                id,
                text,
                source,
                citation,
            } => {
                let s = Style {
                    face: style.face.with(true, style.face.is_italic()),
                    color: Rgb::ACCENT,
                    statistic: Some(id.as_str().into()),
                    ..style.clone()
                };
                let anchor = format!("source-{source}");
                out.push(Span {
                    text: text.clone(),
                    style: s,
                    link: Some(Link::anchor(anchor.clone(), text)),
                    footnote: None,
                });
                if let Some(c) = citation {
                    // A no-break space keeps the marker with its figure.
                    let s = Style {
                        size: style.size * briefkit_model::theme::TYPE.citation,
                        color: Rgb::MUTED,
                        ..style.clone()
                    };
                    // The marker ("[3]") is announced as "Source 3".
                    let number = c.trim_matches(|ch: char| !ch.is_alphanumeric());
                    out.push(Span {
                        text: format!("\u{a0}{c}"),
                        style: s,
                        link: Some(Link::anchor(anchor, &labels.source_n(number))),
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
                    link: Some(Link::anchor(
                        format!("fn-{number}"),
                        &labels.note_n(&number.to_string()),
                    )),
                    footnote: Some(*number),
                });
            }
            Inline::Span { lang, content } => {
                let s = Style {
                    lang: Some(lang.as_str().into()),
                    ..style.clone()
                };
                spans_with(content, &s, link, labels, out);
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
    /// Shaped glyphs, in display order.
    pub glyphs: Vec<Glyph>,
    /// Advance width in points.
    pub width: f32,
    /// How it is set.
    pub style: Style,
    /// The link it is part of, if any.
    pub link: Option<Link>,
    /// Bidi embedding level (odd: right to left; 0 in a left-to-right
    /// paragraph with no right-to-left text).
    pub level: u8,
    /// A space of the text stands before it on its line as shown (set
    /// when the line is set): the room before it is shown as a space, any
    /// other room as spacing only.
    pub spaced: bool,
}

pub use super::linebreak::break_lines;

/// A laid-out line: fragments placed at x offsets from the line's left.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// (x, fragment).
    pub fragments: Vec<(f32, Fragment)>,
    /// Natural width.
    pub width: f32,
    /// Footnotes referenced on this line.
    pub footnotes: Vec<usize>,
    /// The document runs right to left: the page is mirrored once laid
    /// out, and the line's fragments are placed for the mirror (see
    /// `layout::mirror`).
    pub rtl: bool,
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
    /// Ragged right with lines of even length: no lone word on the last
    /// line of a title or heading (CSS's `text-wrap: balance`).
    Balanced,
}

/// Characters the fonts lack, with the text they were in.
#[derive(Debug, Default)]
pub struct Missing {
    /// Where the block being set comes from (set by the layout loop).
    pub at: Option<briefkit_model::Span>,
    /// Each character no face has: the text it is in, and that text's
    /// block's place.
    pub found: Vec<(char, String, Option<briefkit_model::Span>)>,
}

impl Missing {
    /// A character no face has, in `context`, in the current block.
    pub fn push(&mut self, c: char, context: String) {
        self.found.push((c, context, self.at.clone()));
    }
}

/// Turns a line into page items with the baseline at `y` and left at `x`,
/// each marked by `marker` (the element's content, a Link inside it, or an
/// artifact).
/// A glyph run gathered from a line's fragments, its glyphs held in no
/// more room than they take (a long document keeps every page's runs until
/// the PDF is written; gathering by appending leaves a quarter spare).
fn finished(mut item: Item) -> Item {
    if let Item::Glyphs { glyphs, .. } = &mut item {
        glyphs.shrink_to_fit();
    }
    item
}

pub fn line_items(line: &Line, x: f32, y: f32, marker: &mut Marker<'_>, out: &mut Vec<Item>) {
    // Fragments in the same face, size, colour and element become one
    // glyph run; the gap before a fragment widens the previous glyph's
    // advance (a TJ kern in the PDF). Fewer, longer runs make a smaller,
    // faster PDF.
    let mut links: Vec<LinePieces> = Vec::new();
    // The run being gathered: its left and right ends, baseline, item, and
    // the places (left to right on the line) of its outermost fragments.
    struct Run {
        left: f32,
        right: f32,
        baseline: f32,
        item: Item,
        first: usize,
        last: usize,
        /// Whether a space of the text stands before its leftmost fragment.
        lead_spaced: bool,
        /// Whether it runs right to left: a run is of one direction, so
        /// that readers that reorder a right-to-left run (pdf.js, mupdf)
        /// are given it alone, and the runs go in reading order.
        rtl: bool,
    }
    let mut run: Option<Run> = None;
    // A fragment joins the run only if it is the run's neighbour on the
    // line (in a line with right-to-left text the next fragment in reading
    // order may sit further along, or before the run).
    let mut by_x: Vec<usize> = (0..line.fragments.len())
        .filter(|&i| !line.fragments[i].1.glyphs.is_empty())
        .collect();
    by_x.sort_by(|&a, &b| line.fragments[a].0.total_cmp(&line.fragments[b].0));
    let mut place = vec![usize::MAX; line.fragments.len()];
    for (rank, &i) in by_x.iter().enumerate() {
        place[i] = rank;
    }
    for (index, (fx, frag)) in line.fragments.iter().enumerate() {
        let baseline = y - frag.style.rise;
        let start = x + fx;
        // A hyphen the line breaker added is not part of the word: an
        // artifact, so a reader reads "practical", not "prac-tical".
        let added_hyphen =
            !frag.glyphs.is_empty() && frag.glyphs.iter().all(|g| g.text == "\u{ad}");
        let (frag_mark, link_node) = if added_hyphen {
            (Mark::Artifact(Artifact::Layout), None)
        } else {
            marker.mark(
                frag.link.as_ref(),
                frag.style.lang.as_ref(),
                frag.style.statistic.as_ref(),
            )
        };
        // A link's pieces on this line, gathered: one annotation a line.
        // A piece of no width (the space a line ends with) is none.
        if let Some(link) = frag
            .link
            .as_ref()
            .filter(|_| !added_hyphen && frag.width > 0.01)
        {
            let (top, bottom) = (
                baseline - frag.style.size * 0.85,
                baseline + frag.style.size * 0.25,
            );
            match links
                .iter_mut()
                .find(|l| l.node == link_node && l.target == link.target)
            {
                Some(l) => {
                    l.top = l.top.min(top);
                    l.bottom = l.bottom.max(bottom);
                    l.pieces.push((start, frag.width));
                }
                None => links.push(LinePieces {
                    node: link_node,
                    target: link.target.clone(),
                    top,
                    bottom,
                    gap: frag.style.size * 0.5,
                    pieces: vec![(start, frag.width)],
                }),
            }
        }
        if frag.glyphs.is_empty() {
            continue;
        }
        if let Some(Run {
            left,
            right,
            baseline: run_baseline,
            item:
                Item::Glyphs {
                    x: run_x,
                    face,
                    size,
                    color,
                    glyphs,
                    mark,
                    ..
                },
            first,
            last,
            lead_spaced,
            rtl,
        }) = &mut run
        {
            let same = *face == frag.style.face
                && *rtl == (frag.level % 2 == 1)
                && *size == frag.style.size
                && *color == frag.style.color
                && *mark == frag_mark
                && *run_baseline == baseline;
            let here = place[index];
            if same && here == *last + 1 && start >= *right {
                // The right-hand neighbour.
                let gap = start - *right;
                // The room a glyph is given beyond its advance: a space of
                // the text only where one stands before the fragment.
                let widen = |g: &mut crate::typefaces::Glyph| {
                    g.advance += gap;
                    g.tight = gap > 0.0 && !frag.spaced;
                };
                if line.rtl {
                    // Placed for the mirror (see `Line::rtl`): once the run's
                    // box is mirrored, this fragment is on its left.
                    let mut before = frag.glyphs.clone();
                    if let Some(g) = before.last_mut() {
                        widen(g);
                    }
                    before.append(glyphs);
                    *glyphs = before;
                } else {
                    if let Some(g) = glyphs.last_mut() {
                        widen(g);
                    }
                    glyphs.extend(frag.glyphs.iter().cloned());
                }
                *right = start + frag.width;
                *last = here;
                continue;
            }
            if same && line.rtl && here + 1 == *first && start + frag.width <= *left {
                // The left-hand neighbour (a left-to-right passage in a
                // right-to-left line, read on): once mirrored, on the right.
                let gap = *left - (start + frag.width);
                if let Some(g) = glyphs.last_mut() {
                    g.advance += gap;
                    g.tight = gap > 0.0 && !*lead_spaced;
                }
                glyphs.extend(frag.glyphs.iter().cloned());
                *left = start;
                *run_x = start;
                *first = here;
                *lead_spaced = frag.spaced;
                continue;
            }
        }
        // Spacing the layout put between the run and this fragment where
        // the text has no space (the quarter em between Chinese and a
        // linked figure: `约有 3,000`) is taken by the run's last glyph, as
        // a gap inside a run is, so that the PDF can draw that glyph wide
        // (see `emit`) and readers see no space there.
        if let Some(Run {
            right,
            baseline: run_baseline,
            last,
            rtl: false,
            item: Item::Glyphs { glyphs, .. },
            ..
        }) = &mut run
        {
            let gap = start - *right;
            if !line.rtl
                && frag.level % 2 == 0
                && !frag.spaced
                && gap > 0.0
                && *run_baseline == baseline
                && place[index] == *last + 1
            {
                if let Some(g) = glyphs.last_mut() {
                    g.advance += gap;
                    g.tight = true;
                    *right = start;
                }
            }
        }
        if let Some(r) = run.take() {
            out.push(finished(r.item));
        }
        run = Some(Run {
            left: start,
            right: start + frag.width,
            baseline,
            first: place[index],
            last: place[index],
            lead_spaced: frag.spaced,
            rtl: frag.level % 2 == 1,
            item: Item::Glyphs {
                x: start,
                y: baseline,
                face: frag.style.face,
                size: frag.style.size,
                color: frag.style.color,
                glyphs: frag.glyphs.clone(),
                mark: frag_mark,
            },
        });
    }
    if let Some(r) = run {
        out.push(finished(r.item));
    }
    out.extend(links.into_iter().map(LinePieces::into_item));
}

/// The pieces of one link on one line.
struct LinePieces {
    node: Option<super::tags::NodeId>,
    target: LinkTarget,
    top: f32,
    bottom: f32,
    /// Pieces closer than this (a word space) are one.
    gap: f32,
    pieces: Vec<(f32, f32)>,
}

impl LinePieces {
    /// The link's annotation for the line: its pieces left to right, those
    /// no further apart than a word space joined.
    fn into_item(mut self) -> Item {
        self.pieces.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut joined: Vec<(f32, f32)> = Vec::with_capacity(self.pieces.len());
        for (x, w) in self.pieces {
            match joined.last_mut() {
                Some((px, pw)) if x <= *px + *pw + self.gap => {
                    *pw = (x + w).max(*px + *pw) - *px;
                }
                _ => joined.push((x, w)),
            }
        }
        let left = joined.first().map_or(0.0, |p| p.0);
        let right = joined.iter().map(|(x, w)| x + w).fold(left, f32::max);
        Item::Link {
            x: left,
            y: self.top,
            w: right - left,
            h: self.bottom - self.top,
            target: self.target,
            node: self.node,
            pieces: joined,
        }
    }
}
