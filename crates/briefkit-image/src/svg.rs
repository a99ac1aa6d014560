//! A laid-out page as SVG, and the SVG as PNG.
//!
//! Coordinates are the layout's: points from the page's top-left corner,
//! the page `width`×`height` points (`pt`, as Typst's SVG pages). Each
//! glyph drawn is its font's outline, defined once a page (`<path>` in
//! `<defs>`, in font units) and placed with `<use>` in a group scaled to
//! the run's size: every viewer draws the same shapes, no font needed.
//! Each run's text follows as an invisible `<text>` of the same width, for
//! selecting, searching and reading aloud.

use base64::Engine as _;
use briefkit_model::Document;
use briefkit_pdf::layout::{Item, Layout, LinkTarget, Rgb};
use briefkit_pdf::typefaces::{face_parts, is_rtl_text, word_gap, FontBook, Glyph, LINE_END_SPACE};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// Draws the pages of one layout.
pub struct Drawer<'l, 'a> {
    /// Each face's font file and index in it (the book's, by face number).
    files: Vec<(&'a [u8], u32)>,
    layout: &'l Layout,
    title: &'l str,
    labels: &'l briefkit_model::Labels,
    language: &'l str,
    rtl: bool,
    images: &'l BTreeMap<String, Vec<u8>>,
    /// Each face parsed once (for its outlines), as the pages need it.
    faces: Vec<OnceLock<Option<ttf_parser::Face<'a>>>>,
}

impl<'l, 'a> Drawer<'l, 'a> {
    /// A drawer of `layout`'s pages, whose glyphs come from `book`.
    pub fn new(
        book: &'l FontBook<'a>,
        layout: &'l Layout,
        doc: &'l Document,
        images: &'l BTreeMap<String, Vec<u8>>,
    ) -> Self {
        let files: Vec<(&'a [u8], u32)> = (0..=u8::MAX)
            .map(|f| book.bytes(f))
            .take_while(|(bytes, _)| !bytes.is_empty())
            .collect();
        let faces = files.iter().map(|_| OnceLock::new()).collect();
        Self {
            files,
            layout,
            title: &doc.metadata.title,
            labels: &doc.metadata.labels,
            language: &doc.metadata.language,
            rtl: doc.metadata.direction.is_rtl(),
            images,
            faces,
        }
    }

    /// "Page 2 of 3" in the brief's language.
    fn page_of(&self, page: usize, pages: usize) -> String {
        self.labels.page_of(&page.to_string(), &pages.to_string())
    }

    fn face(&self, font: u8) -> Option<&ttf_parser::Face<'a>> {
        self.faces
            .get(usize::from(font))?
            .get_or_init(|| {
                let (bytes, index) = self.files.get(usize::from(font))?;
                ttf_parser::Face::parse(bytes, *index).ok()
            })
            .as_ref()
    }

    /// Page `index` (from 0) as an SVG document; `text` adds the invisible
    /// text layer (the PNG, drawn without text, leaves it out).
    pub fn page(&self, index: usize, text: bool) -> String {
        let layout = self.layout;
        let (w, h) = (layout.width, layout.height);
        let mut body = String::with_capacity(64 * 1024);
        let mut glyphs: BTreeMap<(u8, u16), ()> = BTreeMap::new();
        let mut layer = String::new();
        if let Some(page) = layout.pages.get(index) {
            for item in &page.items {
                self.item(item, index, &mut body, &mut glyphs);
            }
            if text {
                text_layer(&page.items, &mut layer);
            }
        }
        let mut out = String::with_capacity(body.len() + layer.len() + glyphs.len() * 400 + 1024);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" width=\"{}pt\" height=\"{}pt\" viewBox=\"0 0 {} {}\" xml:lang=\"{}\"{}>",
            num(w),
            num(h),
            num(w),
            num(h),
            escape(self.language),
            if self.rtl { " direction=\"rtl\"" } else { "" },
        );
        let _ = writeln!(
            out,
            "<title>{} — {}</title>",
            escape(self.title),
            escape(&self.page_of(index + 1, layout.pages.len()))
        );
        if !glyphs.is_empty() {
            out.push_str("<defs>\n");
            for (font, gid) in glyphs.keys() {
                let _ = write!(out, "<path id=\"p{}-{font}-{gid}\" d=\"", index + 1);
                if let Some(face) = self.face(*font) {
                    let mut path = PathData(&mut out);
                    face.outline_glyph(ttf_parser::GlyphId(*gid), &mut path);
                }
                out.push_str("\"/>\n");
            }
            out.push_str("</defs>\n");
        }
        let _ = writeln!(
            out,
            "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
            num(w),
            num(h)
        );
        out.push_str(&body);
        if !layer.is_empty() {
            // Transparent, not hidden: a viewer still lets it be selected.
            out.push_str("<g fill=\"transparent\" stroke=\"none\">\n");
            out.push_str(&layer);
            out.push_str("</g>\n");
        }
        out.push_str("</svg>\n");
        out
    }

    /// Draws one item of page `index`.
    fn item(
        &self,
        item: &Item,
        index: usize,
        out: &mut String,
        glyphs: &mut BTreeMap<(u8, u16), ()>,
    ) {
        match item {
            Item::Glyphs {
                x,
                y,
                size,
                color,
                glyphs: run,
                ..
            } => {
                for (start, part) in face_parts(run, *x) {
                    let run = Run {
                        x: start,
                        y: *y,
                        size: *size,
                        color: *color,
                        page: index + 1,
                    };
                    self.glyph_run(part, &run, out, glyphs);
                }
            }
            Item::Rect {
                x, y, w, h, fill, ..
            } => {
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
                    num(*x),
                    num(*y),
                    num(*w),
                    num(*h),
                    hex(*fill)
                );
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color,
                ..
            } => {
                let _ = writeln!(
                    out,
                    "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
                    num(*x1),
                    num(*y1),
                    num(*x2),
                    num(*y2),
                    hex(*color),
                    num(*width)
                );
            }
            Item::Polyline {
                points,
                width,
                color,
                ..
            } => {
                out.push_str("<polyline points=\"");
                for (i, (px, py)) in points.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    let _ = write!(out, "{},{}", num(*px), num(*py));
                }
                let _ = writeln!(
                    out,
                    "\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>",
                    hex(*color),
                    num(*width)
                );
            }
            Item::Dot { x, y, r, color, .. } => {
                let _ = writeln!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>",
                    num(*x),
                    num(*y),
                    num(*r),
                    hex(*color)
                );
            }
            Item::Image {
                x,
                y,
                w,
                h,
                src,
                alt,
                ..
            } => {
                let Some((bytes, mime)) = self.images.get(src).and_then(|b| Some((b, mime(b)?)))
                else {
                    return;
                };
                let _ = write!(
                    out,
                    "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" xlink:href=\"data:{mime};base64,",
                    num(*x),
                    num(*y),
                    num(*w),
                    num(*h),
                );
                base64::engine::general_purpose::STANDARD.encode_string(bytes, out);
                out.push('"');
                if !alt.is_empty() {
                    let _ = write!(out, " aria-label=\"{}\"", escape(alt));
                }
                out.push_str("/>\n");
            }
            Item::Link {
                target: LinkTarget::Uri(uri),
                y,
                h,
                pieces,
                ..
            } if safe_uri(uri) => {
                let _ = writeln!(out, "<a xlink:href=\"{}\">", escape(uri));
                for (px, pw) in pieces {
                    let _ = writeln!(
                        out,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"transparent\"/>",
                        num(*px),
                        num(*y),
                        num(*pw),
                        num(*h)
                    );
                }
                out.push_str("</a>\n");
            }
            Item::Link { .. } => {}
        }
    }

    /// One face's glyphs from `x` on the baseline `y`: a group in font
    /// units (y up), each glyph placed at its pen position.
    fn glyph_run(
        &self,
        part: &[Glyph],
        run: &Run,
        out: &mut String,
        used: &mut BTreeMap<(u8, u16), ()>,
    ) {
        let Run {
            x,
            y,
            size,
            color,
            page,
        } = *run;
        let font = part[0].font;
        let Some(face) = self.face(font) else {
            return;
        };
        let units = f32::from(face.units_per_em());
        if units <= 0.0 || size <= 0.0 {
            return;
        }
        let scale = size / units;
        let mut pen = 0.0f32;
        let mut placed = String::new();
        for g in part {
            // Not drawn: .notdef (the PDF leaves its room blank) and the
            // line end's space.
            if g.gid != 0 && g.gid != LINE_END_SPACE {
                used.insert((font, g.gid), ());
                let _ = write!(placed, "<use xlink:href=\"#p{page}-{font}-{}\"", g.gid);
                if pen != 0.0 {
                    let _ = write!(placed, " x=\"{}\"", num(pen / scale));
                }
                placed.push_str("/>");
            }
            pen += g.advance;
        }
        if placed.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "<g fill=\"{}\" transform=\"matrix({} 0 0 {} {} {})\">{placed}</g>",
            hex(color),
            num6(scale),
            num6(-scale),
            num(x),
            num(y)
        );
    }
}

/// Where a glyph run of one face goes: its pen's start on the baseline,
/// size, colour, and the page (whose number the glyphs' ids carry, so
/// that pages placed in one HTML page do not share ids).
#[derive(Clone, Copy)]
struct Run {
    x: f32,
    y: f32,
    size: f32,
    color: Rgb,
    page: usize,
}

/// A line's text, gathered from its glyph runs.
struct LineText {
    left: f32,
    right: f32,
    y: f32,
    size: f32,
    sans: bool,
    text: String,
    /// The last run's extent, to tell a gap between runs.
    last: (f32, f32),
}

/// The page's text as invisible `<text>` elements, one a line (the runs
/// that share a baseline, in reading order), each as wide as its glyphs.
/// An added hyphen is a soft hyphen: copied or searched, the word is whole.
fn text_layer(items: &[Item], out: &mut String) {
    let mut line: Option<LineText> = None;
    for item in items {
        let Item::Glyphs {
            x,
            y,
            size,
            glyphs,
            face,
            ..
        } = item
        else {
            continue;
        };
        let text = run_text(glyphs, *size);
        if text.is_empty() {
            continue;
        }
        let width: f32 = glyphs.iter().map(|g| g.advance).sum();
        let (from, to) = (*x, *x + width);
        match &mut line {
            Some(l) if (l.y - *y).abs() < 0.01 => {
                // The room between this run and the last, whichever side.
                let gap = (from - l.last.1).max(l.last.0 - to);
                if gap > l.size.min(*size) * 0.1 && !l.text.ends_with(' ') && !text.starts_with(' ')
                {
                    l.text.push(' ');
                }
                l.text.push_str(&text);
                l.left = l.left.min(from);
                l.right = l.right.max(to);
                l.last = (from, to);
            }
            _ => {
                if let Some(done) = line.take() {
                    write_line(&done, out);
                }
                line = Some(LineText {
                    left: from,
                    right: to,
                    y: *y,
                    size: *size,
                    sans: face.is_sans(),
                    text,
                    last: (from, to),
                });
            }
        }
    }
    if let Some(done) = line {
        write_line(&done, out);
    }
}

fn write_line(line: &LineText, out: &mut String) {
    let text = line.text.trim();
    if text.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" font-family=\"{}\" textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\">{}</text>",
        num(line.left),
        num(line.y),
        num(line.size),
        if line.sans { "sans-serif" } else { "serif" },
        num((line.right - line.left).max(0.01)),
        escape(text)
    );
}

/// A glyph run's text in logical order (an added hyphen as a soft hyphen).
fn run_text(glyphs: &[Glyph], size: f32) -> String {
    if glyphs.iter().any(|g| is_rtl_text(&g.text)) {
        return logical(glyphs, size);
    }
    briefkit_pdf::typefaces::run_text(glyphs, size, "\u{ad}")
}

/// The text of a run holding right-to-left glyphs, in logical order. The
/// glyphs are in visual order and so is their text (a ligature's letters
/// too, as PDF text extraction expects): read backwards, with each run of
/// left-to-right characters (digits, Latin words, their separators) turned
/// back the right way.
fn logical(glyphs: &[Glyph], size: f32) -> String {
    let mut visual: Vec<char> = Vec::new();
    for g in glyphs {
        visual.extend(g.text.chars());
        if word_gap(g, size).is_some() {
            visual.push(' ');
        }
    }
    visual.reverse();
    let mut out = String::with_capacity(visual.len() * 2);
    let mut ltr: Vec<char> = Vec::new();
    let flush = |ltr: &mut Vec<char>, out: &mut String| {
        // Spaces at the run's edges stay where they are.
        let lead = ltr.iter().take_while(|c| c.is_whitespace()).count();
        let trail = ltr[lead..]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
        out.extend(&ltr[..lead]);
        out.extend(ltr[lead..ltr.len() - trail].iter().rev());
        out.extend(&ltr[ltr.len() - trail..]);
        ltr.clear();
    };
    for c in visual {
        use unicode_bidi::BidiClass::{AN, CS, EN, ES, ET, L};
        let left_to_right = matches!(unicode_bidi::bidi_class(c), L | EN | AN | ES | ET | CS)
            || (c.is_whitespace() && !ltr.is_empty());
        if left_to_right {
            ltr.push(c);
        } else {
            flush(&mut ltr, &mut out);
            out.push(c);
        }
    }
    flush(&mut ltr, &mut out);
    out
}

/// An SVG page as PNG at `ppi` pixels per inch (white, opaque; the
/// resolution recorded in its `pHYs`).
pub fn rasterise(svg: &str, ppi: f32) -> Result<Vec<u8>, String> {
    let options = resvg::usvg::Options::default();
    let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    // The tree's size is in CSS pixels (96 an inch): the page's points
    // are 4/3 of a pixel each.
    let size = tree.size();
    let scale = ppi / 96.0;
    let width = (size.width() * scale).round().max(1.0) as u32;
    let height = (size.height() * scale).round().max(1.0) as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| format!("no room for a {width} × {height} image"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(
            width as f32 / size.width(),
            height as f32 / size.height(),
        ),
        &mut pixmap.as_mut(),
    );
    // Opaque: RGB, no alpha channel (a third smaller).
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let per_metre = (ppi / 0.0254).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    Ok(bytes)
}

/// The media type of an image SVG viewers show (PNG, JPEG), from its bytes.
fn mime(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// Links a page image may carry: to the web and to mail.
fn safe_uri(uri: &str) -> bool {
    let lower = uri.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s))
}

/// `#rrggbb`.
fn hex(Rgb(r, g, b): Rgb) -> String {
    let c = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    format!("#{:02x}{:02x}{:02x}", c(r), c(g), c(b))
}

/// A coordinate to a hundredth, without trailing zeros.
fn num(v: f32) -> String {
    trimmed(format!("{:.2}", if v.is_finite() { v } else { 0.0 }))
}

/// A scale to six places.
fn num6(v: f32) -> String {
    trimmed(format!("{:.6}", if v.is_finite() { v } else { 0.0 }))
}

fn trimmed(mut s: String) -> String {
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

/// Text for XML: markup characters escaped, and characters XML 1.0 cannot
/// hold (controls, lone surrogates cannot occur in a `str`) left out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes a glyph outline as path data (font units, y up).
struct PathData<'o>(&'o mut String);

impl ttf_parser::OutlineBuilder for PathData<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "M{} {}", num(x), num(y));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "L{} {}", num(x), num(y));
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let _ = write!(self.0, "Q{} {} {} {}", num(x1), num(y1), num(x), num(y));
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let _ = write!(
            self.0,
            "C{} {} {} {} {} {}",
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            num(x),
            num(y)
        );
    }
    fn close(&mut self) {
        self.0.push('Z');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(num(f32::NAN), "0");
        assert_eq!(num6(0.012), "0.012");
    }

    #[test]
    fn text_is_escaped_and_controls_left_out() {
        assert_eq!(
            escape("a<b>&\"c\u{1}\u{7}d\te"),
            "a&lt;b&gt;&amp;&quot;cd e"
        );
    }

    #[test]
    fn only_web_and_mail_links_are_kept() {
        assert!(safe_uri("https://www.iom.int/"));
        assert!(safe_uri("mailto:a@b.org"));
        assert!(!safe_uri("javascript:alert(1)"));
        assert!(!safe_uri("file:///etc/passwd"));
        assert!(!safe_uri("data:text/html,x"));
    }
}
