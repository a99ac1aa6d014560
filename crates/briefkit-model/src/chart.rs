//! Format-neutral bar-chart geometry, computed once and drawn by every
//! backend (PDF vectors, EPUB SVG, DOCX PNG), so the three agree.
//!
//! Coordinates are top-down (y grows downwards) in the caller's unit; text
//! positions are baselines. The caller supplies a text measure so labels
//! wrap correctly for its font.

use crate::document::{Chart, Labels};

/// Measures the advance width of `text` at `size`.
pub type Measure<'a> = dyn Fn(&str, f32) -> f32 + 'a;

/// A piece of text in the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartText {
    /// Left edge (or right edge for [`Anchor::End`]).
    pub x: f32,
    /// Baseline, from the top of the chart.
    pub y: f32,
    /// Font size.
    pub size: f32,
    /// Bold face.
    pub bold: bool,
    /// Secondary text (the source line), set in the palette's muted colour.
    pub muted: bool,
    /// The characters.
    pub text: String,
    /// Which edge `x` is.
    pub anchor: Anchor,
}

/// Horizontal anchoring of chart text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// `x` is the left edge.
    Start,
    /// `x` is the right edge.
    End,
}

/// A rectangle, top-down coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartRect {
    /// Left edge, from the chart's left.
    pub x: f32,
    /// Top edge, from the chart's top.
    pub y: f32,
    /// Width, in the units of the chart's width.
    pub w: f32,
    /// Height, in the same units.
    pub h: f32,
}

/// Everything to draw for a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartGeometry {
    /// Total width (as asked).
    pub width: f32,
    /// Total height.
    pub height: f32,
    /// One bar a statistic, in the order of the labels.
    pub bars: Vec<ChartRect>,
    /// Value axis line (x, y0, y1): the bars' common origin.
    pub axis: (f32, f32, f32),
    /// Title, category labels, value labels and source line.
    pub texts: Vec<ChartText>,
}

/// Sizes used by [`layout`], scaled by the caller's base size.
const TITLE: f32 = 1.1;
const LABEL: f32 = 0.9;
const SOURCE: f32 = 0.8;
const BAR: f32 = 1.5;

/// Lays a chart out in a box `width` wide; `base` is the body font size.
pub fn layout(chart: &Chart, width: f32, base: f32, measure: &Measure<'_>) -> ChartGeometry {
    let mut texts = Vec::new();
    let mut y = 0.0;
    if !chart.title.is_empty() {
        for line in wrap(&chart.title, width, base * TITLE, measure) {
            y += base * TITLE * 1.25;
            texts.push(ChartText {
                x: 0.0,
                y,
                size: base * TITLE,
                muted: false,
                bold: true,
                text: line,
                anchor: Anchor::Start,
            });
        }
        y += base * 0.6;
    }
    let value_room = chart
        .bars
        .iter()
        .map(|b| measure(&b.display, base * LABEL))
        .fold(0.0_f32, f32::max)
        + base * 0.8;
    let max = chart.bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let bar_room = (width - value_room).max(width * 0.3);
    let axis_top = y + base * 0.2;
    let mut bars = Vec::new();
    // Category labels stand above their bar, clear of the axis line.
    let indent = base * 0.5;
    for bar in &chart.bars {
        for line in wrap(&bar.label, width - indent, base * LABEL, measure) {
            y += base * LABEL * 1.3;
            texts.push(ChartText {
                x: indent,
                y,
                size: base * LABEL,
                muted: false,
                bold: false,
                text: line,
                anchor: Anchor::Start,
            });
        }
        y += base * 0.55;
        let len = if max > 0.0 {
            (bar.value.max(0.0) / max) as f32 * bar_room
        } else {
            0.0
        };
        let h = base * BAR;
        bars.push(ChartRect {
            x: 0.0,
            y,
            w: len.max(0.5),
            h,
        });
        texts.push(ChartText {
            x: len + base * 0.4,
            y: y + h * 0.5 + base * LABEL * 0.35,
            size: base * LABEL,
            muted: false,
            bold: true,
            text: bar.display.clone(),
            anchor: Anchor::Start,
        });
        y += h + base * 0.5;
    }
    let axis = (0.0, axis_top, y);
    y += base * 0.4;
    for line in wrap(&chart.source_line, width, base * SOURCE, measure) {
        y += base * SOURCE * 1.3;
        texts.push(ChartText {
            x: 0.0,
            y,
            size: base * SOURCE,
            muted: true,
            bold: false,
            text: line,
            anchor: Anchor::Start,
        });
    }
    y += base * 0.4;
    ChartGeometry {
        width,
        height: y,
        bars,
        axis,
        texts,
    }
}

/// The chart's alternative text in the brief's language: its kind and
/// title, every bar's label and value, its source line.
pub fn alt_text(chart: &Chart, labels: &Labels) -> String {
    let bars: Vec<String> = chart
        .bars
        .iter()
        .map(|b| {
            labels
                .label_value
                .replace("{label}", &b.label)
                .replace("{value}", &b.display)
        })
        .collect();
    let title = if chart.title.is_empty() {
        labels.bar_chart.clone()
    } else {
        labels.chart_titled.replace("{title}", &chart.title)
    };
    let end = &labels.sentence_end;
    format!(
        "{title}{end}{}{end}{}",
        bars.join(&labels.list_separator),
        chart.source_line
    )
}

/// Greedy wrap to `width` at the line-break opportunities of UAX #14:
/// between words, and between Chinese or Japanese characters (which have
/// no spaces), never before a closing mark. A piece longer than the width
/// stands alone on its line (the caller shrinks it to fit).
pub fn wrap(text: &str, width: f32, size: f32, measure: &Measure<'_>) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut start = 0;
    for (end, opportunity) in unicode_linebreak::linebreaks(text) {
        let piece = &text[start..end];
        start = end;
        let candidate = format!("{line}{piece}");
        if line.trim().is_empty() || measure(candidate.trim_end(), size) <= width {
            line = candidate;
        } else {
            lines.push(line.trim_end().to_string());
            line = piece.trim_start().to_string();
        }
        if opportunity == unicode_linebreak::BreakOpportunity::Mandatory && end < text.len() {
            lines.push(std::mem::take(&mut line).trim_end().to_string());
        }
    }
    let last = line.trim_end();
    if !last.is_empty() {
        lines.push(last.to_string());
    }
    lines.retain(|l| !l.is_empty());
    lines
}

/// [`wrap`] into as few lines, of even length: the narrowest width that
/// still takes no more lines (no lone word or character on a title's last
/// line; CSS's `text-wrap: balance`).
pub fn wrap_balanced(text: &str, width: f32, size: f32, measure: &Measure<'_>) -> Vec<String> {
    let lines = wrap(text, width, size, measure);
    if lines.len() < 2 {
        return lines;
    }
    let (mut lo, mut hi) = (0.0_f32, width);
    for _ in 0..16 {
        let mid = (lo + hi) / 2.0;
        if wrap(text, mid, size, measure).len() <= lines.len() {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    wrap(text, hi, size, measure)
}

/// A rough measure for backends without font metrics: 0.55 em a
/// character, one em for a wide (CJK) one.
pub fn approximate_measure(text: &str, size: f32) -> f32 {
    text.chars()
        .map(|c| if crate::text::is_wide(c) { 1.0 } else { 0.55 })
        .sum::<f32>()
        * size
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::ChartBar;

    fn chart() -> Chart {
        Chart {
            title: "Cases".into(),
            unit: None,
            bars: vec![
                ChartBar {
                    id: "a".into(),
                    label: "Reported to the authorities".into(),
                    value: 1336.0,
                    display: "1,336".into(),
                },
                ChartBar {
                    id: "b".into(),
                    label: "Went to trial".into(),
                    value: 531.0,
                    display: "531".into(),
                },
            ],
            source_line: "Source: X".into(),
            alt: String::new(),
        }
    }

    #[test]
    fn bars_scale_to_the_largest_and_fit() {
        let g = layout(&chart(), 300.0, 10.0, &approximate_measure);
        assert_eq!(g.bars.len(), 2);
        let ratio = g.bars[1].w / g.bars[0].w;
        assert!((ratio - 531.0 / 1336.0).abs() < 1e-3);
        for t in &g.texts {
            assert!(
                t.x + approximate_measure(&t.text, t.size) <= 300.0 + 0.01,
                "{t:?}"
            );
        }
        assert!(g.bars.windows(2).all(|w| w[0].y + w[0].h <= w[1].y));
    }

    #[test]
    fn long_labels_wrap() {
        let lines = wrap(
            "one two three four five six",
            40.0,
            10.0,
            &approximate_measure,
        );
        assert!(lines.len() > 1);
        assert!(lines
            .iter()
            .all(|l| approximate_measure(l, 10.0) <= 40.0 || !l.contains(' ')));
    }
}
