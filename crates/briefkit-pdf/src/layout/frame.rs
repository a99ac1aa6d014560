//! What layout produces: pages of positioned items, in points with the
//! origin at the page's top-left corner (y grows downwards).

use briefkit_model::theme::{Color, PALETTE};

pub use super::link::{Link, LinkTarget};
use super::tags::{Mark, NodeId};
use crate::typefaces::{FaceId, Glyph};

/// An RGB colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

/// The house palette (`briefkit_model::theme`) as the PDF writes it.
impl Rgb {
    /// A theme colour.
    pub const fn of(c: Color) -> Rgb {
        let (r, g, b) = c.unit();
        Rgb(r, g, b)
    }
    /// Text black.
    pub const INK: Rgb = Rgb::of(PALETTE.ink);
    /// Brand blue.
    pub const ACCENT: Rgb = Rgb::of(PALETTE.accent);
    /// Secondary text.
    pub const MUTED: Rgb = Rgb::of(PALETTE.muted);
    /// Card and zebra background.
    pub const TINT: Rgb = Rgb::of(PALETTE.tint);
    /// Table header background.
    pub const HEAD: Rgb = Rgb::of(PALETTE.head);
    /// Hairlines: table rules, the chart's axis, separators.
    pub const RULE: Rgb = Rgb::of(PALETTE.rule);
}

/// A positioned thing on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A run of shaped glyphs in one face and size; `x`/`y` is the origin
    /// of the first glyph on the baseline.
    Glyphs {
        /// Left edge.
        x: f32,
        /// Baseline, from the page's top.
        y: f32,
        /// The style's face (a glyph may come from a fallback face).
        face: FaceId,
        /// Size in points.
        size: f32,
        /// Fill colour.
        color: Rgb,
        /// The glyphs.
        glyphs: Vec<Glyph>,
        /// Whose content it is.
        mark: Mark,
    },
    /// A filled rectangle.
    Rect {
        /// Left edge, in points from the page's left.
        x: f32,
        /// Top edge, in points from the page's top.
        y: f32,
        /// Width in points.
        w: f32,
        /// Height in points.
        h: f32,
        /// Fill colour.
        fill: Rgb,
        /// Whose content it is (backgrounds are artifacts).
        mark: Mark,
    },
    /// A straight line.
    Line {
        /// Start x.
        x1: f32,
        /// Start y.
        y1: f32,
        /// End x.
        x2: f32,
        /// End y.
        y2: f32,
        /// Stroke width.
        width: f32,
        /// Stroke colour.
        color: Rgb,
        /// Whose content it is (rules are artifacts).
        mark: Mark,
    },
    /// A line through points (a chart's series), joined and capped round.
    Polyline {
        /// The points, in order.
        points: Vec<(f32, f32)>,
        /// Stroke width.
        width: f32,
        /// Stroke colour.
        color: Rgb,
        /// Whose content it is.
        mark: Mark,
    },
    /// A filled disc (a point of a chart's line).
    Dot {
        /// Centre x.
        x: f32,
        /// Centre y.
        y: f32,
        /// Its radius, in points.
        r: f32,
        /// Fill colour.
        color: Rgb,
        /// Whose content it is.
        mark: Mark,
    },
    /// A raster image scaled into a box.
    Image {
        /// Left edge, in points from the page's left.
        x: f32,
        /// Top edge, in points from the page's top.
        y: f32,
        /// Width in points.
        w: f32,
        /// Height in points.
        h: f32,
        /// Image path (key into the pack's images).
        src: String,
        /// Alternative text, kept for tagging.
        alt: String,
        /// Whose content it is (its Figure).
        mark: Mark,
    },
    /// A clickable area.
    Link {
        /// Left edge of the line's pieces, in points.
        x: f32,
        /// Top edge, in points from the page's top.
        y: f32,
        /// Width in points, over all the pieces.
        w: f32,
        /// Height in points.
        h: f32,
        /// Where it goes: a URL or a place in the brief.
        target: LinkTarget,
        /// The Link element the annotation belongs to.
        node: Option<NodeId>,
        /// The pieces of the line the link covers, each `(x, width)`
        /// (one, or several where right-to-left text splits it): the
        /// annotation's `/QuadPoints`; `x` and `w` are their union.
        pieces: Vec<(f32, f32)>,
    },
}

impl Item {
    /// Whose content a painted item is (links are not painted).
    pub fn mark(&self) -> Option<Mark> {
        match self {
            Item::Glyphs { mark, .. }
            | Item::Rect { mark, .. }
            | Item::Line { mark, .. }
            | Item::Polyline { mark, .. }
            | Item::Dot { mark, .. }
            | Item::Image { mark, .. } => Some(*mark),
            Item::Link { .. } => None,
        }
    }

    /// Makes a painted item an artifact (a table header repeated on a new
    /// page); a link in it stops being a link.
    pub fn into_artifact(mut self, artifact: super::tags::Artifact) -> Option<Item> {
        match &mut self {
            Item::Glyphs { mark, .. }
            | Item::Rect { mark, .. }
            | Item::Line { mark, .. }
            | Item::Polyline { mark, .. }
            | Item::Dot { mark, .. }
            | Item::Image { mark, .. } => {
                *mark = Mark::Artifact(artifact);
                Some(self)
            }
            Item::Link { .. } => None,
        }
    }

    /// Renumbers the elements the item belongs to.
    pub fn remap(&mut self, new_id: &impl Fn(NodeId) -> NodeId) {
        match self {
            Item::Glyphs { mark, .. }
            | Item::Rect { mark, .. }
            | Item::Line { mark, .. }
            | Item::Polyline { mark, .. }
            | Item::Dot { mark, .. }
            | Item::Image { mark, .. } => {
                if let Mark::Content(node) = mark {
                    *node = new_id(*node);
                }
            }
            Item::Link { node, .. } => *node = node.map(new_id),
        }
    }

    /// The item's bounding box (x, y, w, h); glyph runs from ascent to descent.
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        match self {
            Item::Glyphs {
                x, y, size, glyphs, ..
            } => {
                let w: f32 = glyphs.iter().map(|g| g.advance).sum();
                (*x, y - size * 0.8, w, size * 1.05)
            }
            Item::Rect { x, y, w, h, .. }
            | Item::Image { x, y, w, h, .. }
            | Item::Link { x, y, w, h, .. } => (*x, *y, *w, *h),
            Item::Line { x1, y1, x2, y2, .. } => {
                (x1.min(*x2), y1.min(*y2), (x2 - x1).abs(), (y2 - y1).abs())
            }
            Item::Polyline { points, .. } => {
                let (x0, y0, x1, y1) = points.iter().fold(
                    (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
                    |(a, b, c, d), (x, y)| (a.min(*x), b.min(*y), c.max(*x), d.max(*y)),
                );
                (x0, y0, (x1 - x0).max(0.0), (y1 - y0).max(0.0))
            }
            Item::Dot { x, y, r, .. } => (x - r, y - r, 2.0 * r, 2.0 * r),
        }
    }

    /// The text a glyph run stands for, with a space wherever a gap
    /// between words widens a glyph's advance (as PDF text extraction
    /// reads it).
    pub fn text(&self) -> Option<String> {
        match self {
            Item::Glyphs { glyphs, size, .. } => {
                let mut out = String::new();
                for g in glyphs {
                    out.push_str(&g.text);
                    if g.advance - g.default_advance > size * 0.1 {
                        out.push(' ');
                    }
                }
                Some(out)
            }
            _ => None,
        }
    }
}

/// One page of laid-out items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The items, in drawing (and reading) order.
    pub items: Vec<Item>,
    /// The lines of running text on the page, in order: which paragraph
    /// and which of its lines (for widow and orphan checks).
    pub lines: Vec<LineMark>,
}

/// A line of a paragraph, as placed on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineMark {
    /// The paragraph (numbered in layout order).
    pub paragraph: usize,
    /// Which line, from 0.
    pub line: usize,
    /// How many lines the paragraph has.
    pub lines: usize,
}

/// A named place: page index (0-based) and y.
#[derive(Debug, Clone, PartialEq)]
pub struct Anchor {
    /// Name (`source-1`, `fn-2`, a heading id).
    pub name: String,
    /// Page index.
    pub page: usize,
    /// Top of the target.
    pub y: f32,
}

/// A heading for the PDF outline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// 1–6.
    pub level: u8,
    /// Plain text.
    pub title: String,
    /// Anchor name.
    pub anchor: String,
}

/// The result of layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Page width.
    pub width: f32,
    /// Page height.
    pub height: f32,
    /// The pages.
    pub pages: Vec<Page>,
    /// Named places.
    pub anchors: Vec<Anchor>,
    /// Headings in order.
    pub outline: Vec<OutlineEntry>,
    /// The text area (left, top, right, bottom) every item must stay inside
    /// (running header and footer sit in the margins by design).
    pub text_area: (f32, f32, f32, f32),
    /// The logical structure every content item's mark points into.
    pub structure: super::tags::Structure,
}
