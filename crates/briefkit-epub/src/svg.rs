//! SVG images: the chart (from the shared chart geometry) and the cover.

use crate::xhtml::esc;
use briefkit_model::chart::{self, Anchor};
use briefkit_model::{Chart, Metadata};
use std::fmt::Write;

use briefkit_model::theme::PALETTE;

/// The chart as a standalone SVG document, 600 units wide; mirrored for a
/// right-to-left brief (labels and bars start on the right), as the PDF's.
pub fn chart_svg(c: &Chart, lang: &str, rtl: bool) -> String {
    let (ink, accent, muted) = (PALETTE.ink.css(), PALETTE.accent.css(), PALETTE.muted.css());
    // Title and source line are real text in the figure around the image.
    let bars_only = Chart {
        title: String::new(),
        source_line: String::new(),
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
    for r in &g.bars {
        let _ = writeln!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{accent}\"/>",
            flip(r.x, r.w),
            r.y,
            r.w,
            r.h
        );
    }
    let (x, y0, y1) = g.axis;
    let x = flip(x, 0.0);
    let _ = writeln!(s, "<line x1=\"{x:.1}\" y1=\"{y0:.1}\" x2=\"{x:.1}\" y2=\"{y1:.1}\" stroke=\"{ink}\" stroke-width=\"1\"/>");
    for t in &g.texts {
        // With `direction="rtl"` an anchor's start is the text's right end:
        // the names stay, the sides mirror.
        let anchor = match t.anchor {
            Anchor::Start => "start",
            Anchor::End => "end",
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

/// A 1600 × 2560 cover: organisation, title, subtitle, date.
pub fn cover_svg(meta: &Metadata) -> String {
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
    let width = 1600.0;
    let measure = |t: &str, size: f32| chart::approximate_measure(t, size);
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
    let mut y = 300.0;
    if let Some(org) = &meta.organization {
        for line in chart::wrap(org, width - 240.0, 56.0, &measure) {
            let _ = writeln!(s, "<text {at} y=\"{y}\" font-family=\"Noto Sans, sans-serif\" font-size=\"56\" fill=\"{paper}\">{}</text>", esc(&line));
            y += 72.0;
        }
    }
    y = 980.0;
    for line in chart::wrap(&meta.title, width - 240.0, 104.0, &measure) {
        let _ = writeln!(s, "<text {at} y=\"{y}\" font-family=\"Noto Sans, sans-serif\" font-size=\"104\" font-weight=\"bold\" fill=\"{ink}\">{}</text>", esc(&line));
        y += 128.0;
    }
    if let Some(sub) = &meta.subtitle {
        y += 40.0;
        for line in chart::wrap(sub, width - 240.0, 60.0, &measure) {
            let _ = writeln!(s, "<text {at} y=\"{y}\" font-family=\"Noto Serif, serif\" font-size=\"60\" fill=\"{muted}\">{}</text>", esc(&line));
            y += 80.0;
        }
    }
    let _ = writeln!(
        s,
        "<rect x=\"{}\" y=\"2300\" width=\"200\" height=\"12\" fill=\"{accent}\"/>",
        if rtl { 1280 } else { 120 }
    );
    let _ = writeln!(s, "<text {at} y=\"2400\" font-family=\"Noto Sans, sans-serif\" font-size=\"56\" fill=\"{ink}\">{}</text>", esc(&meta.date_display));
    s.push_str("</svg>\n");
    s
}
