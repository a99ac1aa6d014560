//! Page content streams written directly: the operators briefkit uses,
//! in the shortest form, into one byte buffer per page. (printpdf's own
//! operation list costs an allocation per glyph and per operator, and its
//! serialiser most of the PDF's time on long documents.)
//!
//! The glyphs each font shows, with the text each stands for, are kept so
//! that printpdf can still embed the fonts with their widths and ToUnicode
//! maps (see `emit`).

use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// One shown glyph: its id in the embedded (subset) font, the TJ
/// adjustment after it in thousandths of an em, and the text it stands for.
pub struct Shown<'a> {
    /// Glyph id in the subset font.
    pub gid: u16,
    /// Adjustment after the glyph (positive moves left), 1/1000 em.
    pub offset: f32,
    /// The text the glyph stands for (empty for the second glyph of a cluster).
    pub text: &'a str,
}

/// A page's content stream being written.
#[derive(Default)]
pub struct Content {
    /// The operators.
    pub bytes: Vec<u8>,
}

/// The key of a figure's marked content naming its statistic's id.
pub const STATISTIC_KEY: &str = "/BriefkitStatistic";
/// The key of a figure's marked content numbering the figure: the
/// sequences of one figure (a figure broken over lines) share it.
pub const FIGURE_KEY: &str = "/BriefkitFigure";

/// A figure printed in the brief: the statistic it prints, and its number
/// (one for all the pieces of a figure broken over lines or pages).
#[derive(Debug, Clone, Copy)]
pub struct Figure<'a> {
    /// The statistic's id.
    pub statistic: &'a str,
    /// The figure's number in the document.
    pub number: usize,
}

/// Writes `v` with at most three decimals and no trailing zeros.
pub fn number(out: &mut Vec<u8>, v: f32) {
    let thousandths = (f64::from(v) * 1000.0).round() as i64;
    if thousandths < 0 {
        out.push(b'-');
    }
    let abs = thousandths.unsigned_abs();
    let (int, frac) = (abs / 1000, abs % 1000);
    let mut digits = itoa_buf(int);
    out.append(&mut digits);
    if frac != 0 {
        out.push(b'.');
        let mut f = format!("{frac:03}").into_bytes();
        while f.last() == Some(&b'0') {
            f.pop();
        }
        out.extend_from_slice(&f);
    }
}

fn itoa_buf(mut n: u64) -> Vec<u8> {
    if n == 0 {
        return vec![b'0'];
    }
    let mut d = Vec::with_capacity(8);
    while n > 0 {
        d.push(b'0' + (n % 10) as u8);
        n /= 10;
    }
    d.reverse();
    d
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

impl Content {
    fn numbers(&mut self, values: &[f32]) {
        for v in values {
            number(&mut self.bytes, *v);
            self.bytes.push(b' ');
        }
    }

    fn op(&mut self, op: &str) {
        self.bytes.extend_from_slice(op.as_bytes());
        self.bytes.push(b'\n');
    }

    /// `BT`.
    pub fn begin_text(&mut self) {
        self.op("BT");
    }

    /// `ET`.
    pub fn end_text(&mut self) {
        self.op("ET");
    }

    /// `/NAME size Tf`.
    pub fn font(&mut self, name: &str, size: f32) {
        self.bytes.push(b'/');
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.push(b' ');
        self.numbers(&[size]);
        self.op("Tf");
    }

    /// Fill colour, `r g b rg`.
    pub fn fill(&mut self, (r, g, b): (f32, f32, f32)) {
        self.numbers(&[r, g, b]);
        self.op("rg");
    }

    /// Stroke colour, `r g b RG`.
    pub fn stroke(&mut self, (r, g, b): (f32, f32, f32)) {
        self.numbers(&[r, g, b]);
        self.op("RG");
    }

    /// Text matrix: a translation to (x, y).
    pub fn text_at(&mut self, x: f32, y: f32) {
        self.numbers(&[1.0, 0.0, 0.0, 1.0, x, y]);
        self.op("Tm");
    }

    /// `[<glyphs> adjustment ...] TJ`: runs of glyphs without adjustment
    /// share one hex string.
    pub fn show(&mut self, glyphs: &[Shown<'_>]) {
        self.bytes.push(b'[');
        let mut open = false;
        for g in glyphs {
            if !open {
                self.bytes.push(b'<');
                open = true;
            }
            for shift in [12, 8, 4, 0] {
                self.bytes.push(HEX[usize::from((g.gid >> shift) & 0xF)]);
            }
            if g.offset != 0.0 {
                self.bytes.push(b'>');
                open = false;
                number(&mut self.bytes, g.offset);
            }
        }
        if open {
            self.bytes.push(b'>');
        }
        self.bytes.extend_from_slice(b"] TJ\n");
    }

    /// A filled rectangle.
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.numbers(&[x, y, w, h]);
        self.op("re f");
    }

    /// A straight stroked line of `width`, solid.
    pub fn line(&mut self, width: f32, (x1, y1): (f32, f32), (x2, y2): (f32, f32)) {
        self.numbers(&[width]);
        self.op("w [] 0 d");
        self.numbers(&[x1, y1]);
        self.bytes.extend_from_slice(b"m ");
        self.numbers(&[x2, y2]);
        self.op("l S");
    }

    /// A stroked line through `points`, joined and capped round.
    pub fn polyline(&mut self, width: f32, points: &[(f32, f32)]) {
        self.numbers(&[width]);
        self.op("w 1 J 1 j [] 0 d");
        for (i, (x, y)) in points.iter().enumerate() {
            self.numbers(&[*x, *y]);
            self.bytes
                .extend_from_slice(if i == 0 { b"m " } else { b"l " });
        }
        self.op("S 0 J 0 j");
    }

    /// A filled disc of radius `r` at (x, y): four Bézier quarters.
    pub fn disc(&mut self, x: f32, y: f32, r: f32) {
        // The control points' distance for a quarter circle.
        let k = r * 0.552_284_8;
        self.numbers(&[x + r, y]);
        self.bytes.extend_from_slice(b"m ");
        for [c1x, c1y, c2x, c2y, ex, ey] in [
            [x + r, y + k, x + k, y + r, x, y + r],
            [x - k, y + r, x - r, y + k, x - r, y],
            [x - r, y - k, x - k, y - r, x, y - r],
            [x + k, y - r, x + r, y - k, x + r, y],
        ] {
            self.numbers(&[c1x, c1y, c2x, c2y, ex, ey]);
            self.bytes.extend_from_slice(b"c ");
        }
        self.op("f");
    }

    /// An image XObject drawn into the box (x, y, w, h).
    pub fn image(&mut self, name: &str, x: f32, y: f32, w: f32, h: f32) {
        self.bytes.extend_from_slice(b"q ");
        self.numbers(&[w, 0.0, 0.0, h, x, y]);
        self.bytes.extend_from_slice(b"cm /");
        self.bytes.extend_from_slice(name.as_bytes());
        self.bytes.extend_from_slice(b" Do Q\n");
    }

    /// `/Span <</ActualText <FEFF...>>> BDC`: the text that the glyphs up
    /// to the matching `EMC` stand for, in an artifact.
    pub fn begin_actual_text(&mut self, text: &str) {
        self.bytes.extend_from_slice(b"/Span <<");
        self.actual_text(text);
        self.bytes.extend_from_slice(b">> BDC\n");
    }

    /// `/ActualText <FEFF...>`.
    fn actual_text(&mut self, text: &str) {
        self.text_entry(b"/ActualText", text);
    }

    /// `/KEY <FEFF...>`: a text string in UTF-16.
    fn text_entry(&mut self, key: &[u8], text: &str) {
        self.bytes.extend_from_slice(key);
        self.bytes.extend_from_slice(b" <FEFF");
        for unit in text.encode_utf16() {
            for shift in [12, 8, 4, 0] {
                self.bytes.push(HEX[usize::from((unit >> shift) & 0xF)]);
            }
        }
        self.bytes.push(b'>');
    }

    /// `/TAG <</MCID n>> BDC`, with `/ActualText` (the text the glyphs up
    /// to the matching `EMC` stand for, in UTF-16) when given, and for the
    /// glyphs of a figure ([`Figure`]) its statistic and number.
    pub fn begin_tagged(
        &mut self,
        tag: &str,
        mcid: usize,
        actual: Option<&str>,
        figure: Option<Figure<'_>>,
    ) {
        self.bytes.push(b'/');
        self.bytes.extend_from_slice(tag.as_bytes());
        self.bytes.extend_from_slice(b" <</MCID ");
        self.bytes.extend_from_slice(&itoa_buf(mcid as u64));
        if let Some(text) = actual {
            self.bytes.push(b' ');
            self.actual_text(text);
        }
        if let Some(figure) = figure {
            self.bytes.push(b' ');
            self.text_entry(STATISTIC_KEY.as_bytes(), figure.statistic);
            self.bytes.push(b' ');
            self.bytes.extend_from_slice(FIGURE_KEY.as_bytes());
            self.bytes.push(b' ');
            self.bytes
                .extend_from_slice(&itoa_buf(figure.number as u64));
        }
        self.bytes.extend_from_slice(b">> BDC\n");
    }

    /// `/Artifact <<...>> BDC` with the given property list.
    pub fn begin_artifact(&mut self, properties: &str) {
        self.bytes.extend_from_slice(b"/Artifact ");
        self.bytes.extend_from_slice(properties.as_bytes());
        self.op(" BDC");
    }

    /// `EMC`.
    pub fn end_marked(&mut self) {
        self.op("EMC");
    }
}

/// The glyphs each font showed, with their text: what printpdf needs to
/// embed a font (its widths and its ToUnicode map). Every glyph shown is
/// here — a glyph standing for no text (the second of a cluster) too, or
/// the viewer would not know its width.
#[derive(Default)]
pub struct GlyphUse {
    /// Font resource name → glyph id → the text it stands for, if any.
    pub fonts: BTreeMap<String, FxHashMap<u16, Option<String>>>,
}

impl GlyphUse {
    /// Records the glyphs of one run.
    pub fn record(&mut self, font: &str, glyphs: &[Shown<'_>]) {
        let map = match self.fonts.get_mut(font) {
            Some(m) => m,
            None => self.fonts.entry(font.to_string()).or_default(),
        };
        for g in glyphs {
            let text = map.entry(g.gid).or_insert(None);
            if text.is_none() && !g.text.is_empty() {
                *text = Some(g.text.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_exact_to_a_thousandth() {
        let mut out = Vec::new();
        for v in [0.0, 1.0, -1.5, 720.55, 0.043, 12.0004, -0.0004, 595.276] {
            number(&mut out, v);
            out.push(b' ');
        }
        assert_eq!(
            String::from_utf8_lossy(&out),
            "0 1 -1.5 720.55 0.043 12 0 595.276 "
        );
    }

    #[test]
    fn every_glyph_shown_is_recorded_with_the_first_text_it_stands_for() {
        let mut used = GlyphUse::default();
        used.record(
            "F",
            &[
                Shown {
                    gid: 5,
                    offset: 0.0,
                    text: "",
                },
                Shown {
                    gid: 6,
                    offset: 0.0,
                    text: "fi",
                },
            ],
        );
        used.record(
            "F",
            &[Shown {
                gid: 5,
                offset: 0.0,
                text: "e\u{301}",
            }],
        );
        let f = &used.fonts["F"];
        assert_eq!(f[&5].as_deref(), Some("e\u{301}"));
        assert_eq!(f[&6].as_deref(), Some("fi"));
        used.record(
            "F",
            &[Shown {
                gid: 7,
                offset: 0.0,
                text: "",
            }],
        );
        assert_eq!(
            used.fonts["F"][&7], None,
            "a glyph without text is still in use"
        );
    }

    #[test]
    fn glyphs_share_a_hex_string_until_an_adjustment() {
        let mut c = Content::default();
        c.show(&[
            Shown {
                gid: 10,
                offset: 0.0,
                text: "a",
            },
            Shown {
                gid: 17,
                offset: 70.0,
                text: "b",
            },
            Shown {
                gid: 26,
                offset: 0.0,
                text: "c",
            },
        ]);
        assert_eq!(
            String::from_utf8_lossy(&c.bytes),
            "[<000A0011>70<001A>] TJ\n"
        );
    }
}
