//! SVG images: the chart (from the shared chart geometry) and the cover.

use crate::xhtml::esc;
use briefkit_model::chart::{self, Anchor, Shape};
use briefkit_model::{Chart, Metadata};
use std::fmt::Write;

use briefkit_model::theme::{series_colour, LOOK, PALETTE};

/// The chart as a standalone SVG document, 600 units wide; mirrored for a
/// right-to-left brief (labels and bars start on the right), as the PDF's.
pub fn chart_svg(c: &Chart, lang: &str, rtl: bool) -> String {
    let (ink, muted) = (PALETTE.ink.css(), PALETTE.muted.css());
    // Title and source line are real text in the figure around the image.
    let bars_only = Chart {
        title: String::new(),
        source_line: String::new(),
        note: None,
        ..c.clone()
    };
    let g = chart::layout(&bars_only, 600.0, 16.0, &chart::approximate_measure);
    let mut s = String::new();
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" xml:lang=\"{lang}\" viewBox=\"-2 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\">\n",
        lang = esc(lang),
        w = g.width + 4.0,
        h = g.height.ceil()
    );
    let _ = writeln!(s, "<title>{}</title>", esc(&c.alt));
    let width = g.width;
    let flip = |x: f32, w: f32| if rtl { width - x - w } else { x };
    let colour = |i: usize| series_colour(i).css();
    for shape in &g.shapes {
        match shape {
            Shape::Bar { rect: r, series } => {
                let _ = writeln!(
                    s,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
                    flip(r.x, r.w),
                    r.y,
                    r.w,
                    r.h,
                    colour(*series)
                );
            }
            Shape::Rule { from, to, grid } => {
                let (stroke, width) = if *grid {
                    (LOOK.figure.grid.1.css(), 0.75)
                } else {
                    (ink.clone(), 1.0)
                };
                let _ = writeln!(
                    s,
                    "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{stroke}\" stroke-width=\"{width}\"/>",
                    flip(from.0, 0.0),
                    from.1,
                    flip(to.0, 0.0),
                    to.1
                );
            }
            Shape::Path { points, series } => {
                let list: Vec<String> = points
                    .iter()
                    .map(|(x, y)| format!("{:.1},{:.1}", flip(*x, 0.0), y))
                    .collect();
                let _ = writeln!(
                    s,
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>",
                    list.join(" "),
                    colour(*series)
                );
            }
            Shape::Dot { at, r, series } => {
                let _ = writeln!(
                    s,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\" fill=\"{}\"/>",
                    flip(at.0, 0.0),
                    at.1,
                    r,
                    colour(*series)
                );
            }
        }
    }
    for t in &g.texts {
        // With `direction="rtl"` an anchor's start is the text's right end:
        // the names stay, the sides mirror.
        let anchor = match t.anchor {
            Anchor::Start => "start",
            Anchor::End => "end",
            Anchor::Middle => "middle",
        };
        let direction = if rtl { " direction=\"rtl\"" } else { "" };
        let weight = if t.bold { " font-weight=\"bold\"" } else { "" };
        let fill = if t.muted { &muted } else { &ink };
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-family=\"Noto Sans, sans-serif\" font-size=\"{:.1}\" text-anchor=\"{anchor}\"{direction} fill=\"{fill}\"{weight}>{}</text>",
            flip(t.x, 0.0), t.y, t.size, esc(&t.text)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// How wide text is set in the cover's faces: `(text, size, serif, bold)`
/// to user units.
pub type CoverMeasure<'a> = dyn Fn(&str, f32, bool, bool) -> f32 + 'a;

/// The cover's text box: 120 units in from each side.
const COVER_TEXT_WIDTH: f32 = 1600.0 - 240.0;

/// A 1600 × 2560 cover: organisation, title, subtitle, date. Lines break
/// at UAX #14's opportunities (so Chinese breaks between characters) and
/// are measured in the faces the EPUB carries; a line that still does not
/// fit — a long word — is drawn to the box's width (`textLength`), and so
/// is any line near it, whose width a reader's own font may change: the
/// cover is shown through `<img>`, with the reader's fonts. Nothing is
/// clipped.
pub fn cover_svg(meta: &Metadata, measure: &CoverMeasure<'_>) -> String {
    // Right to left, the lines start at the right margin.
    let rtl = meta.direction.is_rtl();
    let at = if rtl {
        "x=\"1480\" direction=\"rtl\""
    } else {
        "x=\"120\""
    };
    let (ink, accent, muted, paper) = (
        PALETTE.ink.css(),
        PALETTE.accent.css(),
        PALETTE.muted.css(),
        PALETTE.paper.css(),
    );
    let mut s = String::new();
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" xml:lang=\"{}\" viewBox=\"0 0 1600 2560\" width=\"1600\" height=\"2560\" role=\"img\">\n<title>{}</title>\n",
        esc(&meta.language),
        esc(&meta.title)
    );
    let _ = writeln!(
        s,
        "<rect x=\"0\" y=\"0\" width=\"1600\" height=\"2560\" fill=\"{paper}\"/>"
    );
    let _ = writeln!(
        s,
        "<rect x=\"0\" y=\"0\" width=\"1600\" height=\"760\" fill=\"{accent}\"/>"
    );
    // The lines of a block of text: (text, size, serif, bold, fill, first
    // baseline, line step) to its elements and the next baseline.
    let block = |text: &str, size: f32, serif: bool, bold: bool, fill: &str, y: f32, step: f32| {
        let mut out = String::new();
        let fit = |t: &str, size: f32| measure(t, size, serif, bold);
        let family = if serif {
            "Noto Serif, serif"
        } else {
            "Noto Sans, sans-serif"
        };
        let weight = if bold { " font-weight=\"bold\"" } else { "" };
        let mut y = y;
        for line in chart::wrap_balanced(text, COVER_TEXT_WIDTH, size, &fit) {
            let width = fit(&line, size);
            let length = if width > COVER_TEXT_WIDTH * 0.8 {
                format!(
                    " textLength=\"{:.0}\" lengthAdjust=\"spacingAndGlyphs\"",
                    width.min(COVER_TEXT_WIDTH)
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "<text {at} y=\"{y}\" font-family=\"{family}\" font-size=\"{size}\"{weight} fill=\"{fill}\"{length}>{}</text>",
                esc(&line)
            );
            y += step;
        }
        (out, y)
    };
    if let Some(org) = &meta.organization {
        s.push_str(&block(org, 56.0, false, false, &paper, 300.0, 72.0).0);
    }
    let (title, y) = block(&meta.title, 104.0, false, true, &ink, 980.0, 128.0);
    s.push_str(&title);
    if let Some(sub) = &meta.subtitle {
        s.push_str(&block(sub, 60.0, true, false, &muted, y + 40.0, 80.0).0);
    }
    let _ = writeln!(
        s,
        "<rect x=\"{}\" y=\"2300\" width=\"200\" height=\"12\" fill=\"{accent}\"/>",
        if rtl { 1280 } else { 120 }
    );
    s.push_str(&block(&meta.date_display, 56.0, false, false, &ink, 2400.0, 72.0).0);
    s.push_str("</svg>\n");
    s
}
