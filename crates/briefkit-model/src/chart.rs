//! Format-neutral chart geometry, computed once and drawn by every backend
//! (PDF vectors, EPUB SVG, DOCX PNG), so the three agree: shapes (bars,
//! rules, lines, dots) coloured by series, and text.
//!
//! Coordinates are top-down (y grows downwards) in the caller's unit; text
//! positions are baselines. The caller supplies a text measure so labels
//! wrap correctly for its font.

use crate::document::{Chart, ChartKind, Labels};

/// Measures the advance width of `text` at `size`.
pub type Measure<'a> = dyn Fn(&str, f32) -> f32 + 'a;

/// A piece of text in the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartText {
    /// Left edge, right edge or centre, as [`Anchor`] says.
    pub x: f32,
    /// Baseline, from the top of the chart.
    pub y: f32,
    /// Font size.
    pub size: f32,
    /// Bold face.
    pub bold: bool,
    /// Secondary text (the source line, tick labels), set in the palette's
    /// muted colour.
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
    /// `x` is the centre.
    Middle,
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

/// A thing drawn: each is coloured by the series it shows (the theme's
/// [`crate::theme::SERIES`]), or as an axis or grid rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A bar or column, filled.
    Bar {
        /// Its rectangle in the chart's box.
        rect: ChartRect,
        /// Index of its series.
        series: usize,
    },
    /// An axis (`grid: false`) or a grid line (light).
    Rule {
        /// One end, (x, y) in the chart's box (y down).
        from: (f32, f32),
        /// The other end.
        to: (f32, f32),
        /// A grid line rather than an axis.
        grid: bool,
    },
    /// A series' line through consecutive values (a gap ends one).
    Path {
        /// The points, left to right.
        points: Vec<(f32, f32)>,
        /// Index of its series.
        series: usize,
    },
    /// A point marker on a line.
    Dot {
        /// Its centre, (x, y) in the chart's box (y down).
        at: (f32, f32),
        /// Its radius, in the units of the chart's width.
        r: f32,
        /// Index of its series.
        series: usize,
    },
}

/// Everything to draw for a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartGeometry {
    /// Total width (as asked).
    pub width: f32,
    /// Total height.
    pub height: f32,
    /// The shapes, in drawing order.
    pub shapes: Vec<Shape>,
    /// The area the values are drawn in (bars and their axis; the plot
    /// with its ticks), for a picture of the shapes alone.
    pub plot: ChartRect,
    /// Title, labels, values, ticks, source line and note.
    pub texts: Vec<ChartText>,
}

impl ChartGeometry {
    /// The same chart mirrored left to right (a right-to-left brief):
    /// shapes and text change sides, text keeps its own direction.
    pub fn mirrored(mut self) -> Self {
        let w = self.width;
        let flip = |x: f32| w - x;
        for shape in &mut self.shapes {
            match shape {
                Shape::Bar { rect, .. } => rect.x = w - rect.x - rect.w,
                Shape::Rule { from, to, .. } => {
                    from.0 = flip(from.0);
                    to.0 = flip(to.0);
                }
                Shape::Path { points, .. } => {
                    for p in points.iter_mut() {
                        p.0 = flip(p.0);
                    }
                }
                Shape::Dot { at, .. } => at.0 = flip(at.0),
            }
        }
        self.plot.x = w - self.plot.x - self.plot.w;
        for t in &mut self.texts {
            t.x = flip(t.x);
            t.anchor = match t.anchor {
                Anchor::Start => Anchor::End,
                Anchor::End => Anchor::Start,
                Anchor::Middle => Anchor::Middle,
            };
        }
        self
    }
}

/// Sizes used by [`layout`], scaled by the caller's base size.
const TITLE: f32 = 1.1;
const LABEL: f32 = 0.9;
const SOURCE: f32 = 0.8;
const BAR: f32 = 1.5;
/// A plot's height as a share of its width (columns and lines).
const ASPECT: f32 = 0.5;

/// Lays a chart out in a box `width` wide; `base` is the body font size.
pub fn layout(chart: &Chart, width: f32, base: f32, measure: &Measure<'_>) -> ChartGeometry {
    match chart.kind {
        ChartKind::Bars => bars(chart, width, base, measure),
        ChartKind::Columns | ChartKind::Lines | ChartKind::Stacked => {
            plot(chart, width, base, measure)
        }
        ChartKind::Dots => dots(chart, width, base, measure),
    }
}

/// The title's lines from the top; returns where the chart goes on.
fn title(
    chart: &Chart,
    width: f32,
    base: f32,
    measure: &Measure<'_>,
    texts: &mut Vec<ChartText>,
) -> f32 {
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
    y
}

/// The source line and the note under the chart, from `y`; returns the
/// chart's height.
fn foot(
    chart: &Chart,
    width: f32,
    base: f32,
    measure: &Measure<'_>,
    mut y: f32,
    texts: &mut Vec<ChartText>,
) -> f32 {
    y += base * 0.4;
    let note = chart.note.as_deref().unwrap_or("");
    for text in [chart.source_line.as_str(), note] {
        for line in wrap(text, width, base * SOURCE, measure) {
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
    }
    y + base * 0.4
}

/// Horizontal bars: each category's label above its bar, the value at the
/// bar's end.
fn bars(chart: &Chart, width: f32, base: f32, measure: &Measure<'_>) -> ChartGeometry {
    let mut texts = Vec::new();
    let mut y = title(chart, width, base, measure, &mut texts);
    let values: Vec<(&str, Option<&crate::document::ChartPoint>)> = chart
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let point = chart
                .series
                .first()
                .and_then(|s| s.points.get(i))
                .and_then(Option::as_ref);
            (c.as_str(), point)
        })
        .collect();
    let value_room = values
        .iter()
        .filter_map(|(_, p)| p.map(|p| measure(&p.display, base * LABEL)))
        .fold(0.0_f32, f32::max)
        + base * 0.8;
    let max = values
        .iter()
        .filter_map(|(_, p)| p.map(|p| p.value))
        .fold(0.0_f64, f64::max);
    let bar_room = (width - value_room).max(width * 0.3);
    let axis_top = y + base * 0.2;
    let mut shapes = Vec::new();
    // Category labels stand above their bar, clear of the axis line.
    let indent = base * 0.5;
    for (label, point) in &values {
        for line in wrap(label, width - indent, base * LABEL, measure) {
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
        let value = point.map_or(0.0, |p| p.value);
        let len = if max > 0.0 {
            (value.max(0.0) / max) as f32 * bar_room
        } else {
            0.0
        };
        let h = base * BAR;
        if point.is_some() {
            shapes.push(Shape::Bar {
                rect: ChartRect {
                    x: 0.0,
                    y,
                    w: len.max(0.5),
                    h,
                },
                series: 0,
            });
        }
        texts.push(ChartText {
            x: len + base * 0.4,
            y: y + h * 0.5 + base * LABEL * 0.35,
            size: base * LABEL,
            muted: false,
            bold: true,
            text: point.map_or_else(String::new, |p| p.display.clone()),
            anchor: Anchor::Start,
        });
        y += h + base * 0.5;
    }
    shapes.push(Shape::Rule {
        from: (0.0, axis_top),
        to: (0.0, y),
        grid: false,
    });
    // The bars' extent (their labels are above each).
    let (first, last) = shapes
        .iter()
        .fold((f32::MAX, f32::MIN), |(a, b), s| match s {
            Shape::Bar { rect, .. } => (a.min(rect.y), b.max(rect.y + rect.h)),
            _ => (a, b),
        });
    let plot = if first <= last {
        ChartRect {
            x: 0.0,
            y: first,
            w: width,
            h: last - first,
        }
    } else {
        ChartRect {
            x: 0.0,
            y: axis_top,
            w: width,
            h: y - axis_top,
        }
    };
    let height = foot(chart, width, base, measure, y, &mut texts);
    ChartGeometry {
        width,
        height,
        shapes,
        plot,
        texts,
    }
}

/// The value range the ticks span (the values' own, from zero, when there
/// are no ticks).
fn domain(chart: &Chart) -> (f64, f64) {
    let (lo, hi) = match (chart.ticks.first(), chart.ticks.last()) {
        (Some(a), Some(b)) if b.value > a.value => (a.value, b.value),
        _ => {
            let values = chart.values().map(|(_, _, p)| p.value);
            let (lo, hi) = values.fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
            (lo, hi)
        }
    };
    if hi > lo {
        (lo, hi)
    } else {
        (lo, lo + 1.0)
    }
}

/// Columns and lines: a value axis with ticks and grid lines, the
/// categories along the bottom (every one that fits), series told apart by
/// colour — named at the ends of lines, or in a legend above columns.
fn plot(chart: &Chart, width: f32, base: f32, measure: &Measure<'_>) -> ChartGeometry {
    let mut texts = Vec::new();
    let mut shapes = Vec::new();
    let mut y = title(chart, width, base, measure, &mut texts);
    let label = base * LABEL;
    let lines = chart.kind == ChartKind::Lines;
    let named = chart.has_series_names() && chart.series.len() > 1;
    // A legend above columns of several series: a swatch and each name.
    if named && !lines {
        let swatch = label * 0.8;
        let mut x = 0.0;
        y += label * 1.2;
        for (i, s) in chart.series.iter().enumerate() {
            let w = swatch + base * 0.3 + measure(&s.name, label) + base * 1.5;
            if x > 0.0 && x + w > width {
                x = 0.0;
                y += label * 1.4;
            }
            shapes.push(Shape::Bar {
                rect: ChartRect {
                    x,
                    y: y - swatch,
                    w: swatch,
                    h: swatch,
                },
                series: i,
            });
            texts.push(ChartText {
                x: x + swatch + base * 0.3,
                y,
                size: label,
                muted: false,
                bold: false,
                text: s.name.clone(),
                anchor: Anchor::Start,
            });
            x += w;
        }
        y += label * 0.8;
    }
    let (lo, hi) = domain(chart);
    let tick_room = chart
        .ticks
        .iter()
        .map(|t| measure(&t.label, label))
        .fold(0.0_f32, f32::max)
        + base * 0.5;
    // Room at the right for the series' names at the ends of lines.
    let end_room = if lines && named {
        chart
            .series
            .iter()
            .map(|s| measure(&s.name, label))
            .fold(0.0_f32, f32::max)
            .min(width * 0.3)
            + base * 0.6
    } else {
        base * 0.5
    };
    let x0 = tick_room;
    let x1 = (width - end_room).max(x0 + width * 0.3);
    let top = y + label;
    let h = (x1 - x0) * ASPECT;
    let bottom = top + h;
    let y_of = |v: f64| bottom - ((v - lo) / (hi - lo)) as f32 * h;
    for t in &chart.ticks {
        let ty = y_of(t.value);
        shapes.push(Shape::Rule {
            from: (x0, ty),
            to: (x1, ty),
            grid: true,
        });
        texts.push(ChartText {
            x: x0 - base * 0.3,
            y: ty + label * 0.35,
            size: label,
            muted: true,
            bold: false,
            text: t.label.clone(),
            anchor: Anchor::End,
        });
    }
    // The baseline: zero when the range spans it, else the bottom.
    let base_y = if lo <= 0.0 && hi >= 0.0 {
        y_of(0.0)
    } else {
        bottom
    };
    shapes.push(Shape::Rule {
        from: (x0, base_y),
        to: (x1, base_y),
        grid: false,
    });
    let n = chart.categories.len().max(1);
    let band = (x1 - x0) / n as f32;
    let centre = |i: usize| x0 + band * (i as f32 + 0.5);
    if lines {
        let r = base * 0.2;
        let mut ends = Vec::new();
        for (j, s) in chart.series.iter().enumerate() {
            let mut run: Vec<(f32, f32)> = Vec::new();
            let mut last = None;
            for (i, p) in s.points.iter().enumerate() {
                match p {
                    Some(p) => {
                        let at = (centre(i), y_of(p.value));
                        run.push(at);
                        last = Some((at, p));
                    }
                    None => flush(&mut run, j, &mut shapes),
                }
            }
            flush(&mut run, j, &mut shapes);
            for (i, p) in s.points.iter().enumerate() {
                if let Some(p) = p {
                    shapes.push(Shape::Dot {
                        at: (centre(i), y_of(p.value)),
                        r,
                        series: j,
                    });
                }
            }
            if let Some((at, p)) = last {
                ends.push((at, j, p));
            }
        }
        if named {
            // Each series' name beside its last value, nudged apart.
            ends.sort_by(|a, b| a.0 .1.total_cmp(&b.0 .1));
            let mut floor = f32::MIN;
            for (at, j, _) in ends {
                let ly = (at.1 + label * 0.35).max(floor);
                floor = ly + label * 1.15;
                texts.push(ChartText {
                    x: at.0 + base * 0.5,
                    y: ly,
                    size: label,
                    muted: false,
                    bold: true,
                    text: chart.series[j].name.clone(),
                    anchor: Anchor::Start,
                });
            }
        } else if let Some(s) = chart.series.first() {
            // One series: its first and last values, above their points.
            let first = s.points.iter().position(Option::is_some);
            let last = s.points.iter().rposition(Option::is_some);
            for i in [first, last]
                .into_iter()
                .flatten()
                .collect::<std::collections::BTreeSet<_>>()
            {
                if let Some(p) = &s.points[i] {
                    texts.push(ChartText {
                        x: centre(i),
                        y: y_of(p.value) - r - base * 0.35,
                        size: label,
                        muted: false,
                        bold: true,
                        text: p.display.clone(),
                        anchor: Anchor::Middle,
                    });
                }
            }
        }
    } else if chart.kind == ChartKind::Stacked {
        // Each category's series on one another, from the baseline up.
        let inner = band * 0.6;
        for i in 0..chart.categories.len() {
            let mut sum = 0.0;
            for (j, s) in chart.series.iter().enumerate() {
                let Some(p) = s.points.get(i).and_then(Option::as_ref) else {
                    continue;
                };
                let (a, b) = (y_of(sum + p.value.max(0.0)), y_of(sum));
                sum += p.value.max(0.0);
                shapes.push(Shape::Bar {
                    rect: ChartRect {
                        x: x0 + band * i as f32 + (band - inner) / 2.0,
                        y: a,
                        w: inner,
                        h: (b - a).max(0.0),
                    },
                    series: j,
                });
            }
        }
    } else {
        let count = chart.series.len().max(1);
        let inner = band * 0.72;
        let w = inner / count as f32;
        for (i, _) in chart.categories.iter().enumerate() {
            for (j, s) in chart.series.iter().enumerate() {
                let Some(p) = s.points.get(i).and_then(Option::as_ref) else {
                    continue;
                };
                let (a, b) = (y_of(p.value), base_y);
                let x = x0 + band * i as f32 + (band - inner) / 2.0 + w * j as f32;
                shapes.push(Shape::Bar {
                    rect: ChartRect {
                        x,
                        y: a.min(b),
                        w,
                        h: (a - b).abs().max(0.5),
                    },
                    series: j,
                });
                // A value above its column where it fits.
                if count == 1 && measure(&p.display, label) <= band * 0.95 {
                    texts.push(ChartText {
                        x: x + w / 2.0,
                        y: a.min(b) - base * 0.3,
                        size: label,
                        muted: false,
                        bold: true,
                        text: p.display.clone(),
                        anchor: Anchor::Middle,
                    });
                }
            }
        }
    }
    // The categories under the plot: every k-th, so that none overlaps.
    let widest = chart
        .categories
        .iter()
        .map(|c| measure(c, label))
        .fold(0.0_f32, f32::max);
    // A label that cannot break to fit its column (a year, a code) thins
    // the labels out; one that can (words, Chinese) wraps (UAX #14).
    let room = band * 0.95;
    let unbreakable = chart.categories.iter().any(|c| {
        wrap(c, room, label, measure)
            .iter()
            .any(|line| measure(line, label) > room)
    });
    let step = if unbreakable {
        ((widest + base * 0.5) / band).ceil().max(1.0) as usize
    } else {
        1
    };
    let mut deepest = bottom;
    for (i, c) in chart.categories.iter().enumerate() {
        if i % step != 0 {
            continue;
        }
        let mut ly = bottom + base * 0.2;
        let room = if step > 1 {
            band * step as f32
        } else {
            band * 0.95
        };
        for line in wrap(c, room, label, measure) {
            ly += label * 1.2;
            texts.push(ChartText {
                x: centre(i),
                y: ly,
                size: label,
                muted: false,
                bold: false,
                text: line,
                anchor: Anchor::Middle,
            });
        }
        deepest = deepest.max(ly);
    }
    let plot = ChartRect {
        x: 0.0,
        y: top - label,
        w: width,
        h: deepest - (top - label) + base * 0.3,
    };
    let height = foot(chart, width, base, measure, deepest, &mut texts);
    ChartGeometry {
        width,
        height,
        shapes,
        plot,
        texts,
    }
}

/// A dot plot: a row a series, its values at the chart's first and last
/// period as two dots joined by a line, on a value axis along the bottom;
/// the two periods in a legend above, the later value written beside its
/// dot.
fn dots(chart: &Chart, width: f32, base: f32, measure: &Measure<'_>) -> ChartGeometry {
    let mut texts = Vec::new();
    let mut shapes = Vec::new();
    let mut y = title(chart, width, base, measure, &mut texts);
    let label = base * LABEL;
    let r = base * 0.35;
    let last_i = chart.categories.len().saturating_sub(1);
    // The legend: the first period's colour, then the last's.
    y += label * 1.2;
    let mut x = 0.0;
    for (colour, i) in [(1, 0), (0, last_i)] {
        let Some(period) = chart.categories.get(i) else {
            continue;
        };
        shapes.push(Shape::Dot {
            at: (x + r, y - label * 0.35),
            r,
            series: colour,
        });
        texts.push(ChartText {
            x: x + 2.0 * r + base * 0.3,
            y,
            size: label,
            muted: false,
            bold: false,
            text: period.clone(),
            anchor: Anchor::Start,
        });
        x += 2.0 * r + base * 0.3 + measure(period, label) + base * 1.5;
    }
    y += label * 0.8;
    let names = chart
        .series
        .iter()
        .map(|s| measure(&s.name, label))
        .fold(0.0_f32, f32::max)
        .min(width * 0.35);
    let values = chart
        .series
        .iter()
        .filter_map(|s| s.points.get(last_i).and_then(Option::as_ref))
        .map(|p| measure(&p.display, label))
        .fold(0.0_f32, f32::max);
    let x0 = names + base * 0.8;
    let x1 = (width - values - base * 0.8).max(x0 + width * 0.3);
    let (lo, hi) = domain(chart);
    let x_of = |v: f64| x0 + ((v - lo) / (hi - lo)) as f32 * (x1 - x0);
    let top = y + base * 0.4;
    let row = label * 2.0;
    let bottom = top + row * chart.series.len() as f32;
    for t in &chart.ticks {
        let tx = x_of(t.value);
        shapes.push(Shape::Rule {
            from: (tx, top),
            to: (tx, bottom),
            grid: true,
        });
        texts.push(ChartText {
            x: tx,
            y: bottom + label * 1.3,
            size: label,
            muted: true,
            bold: false,
            text: t.label.clone(),
            anchor: Anchor::Middle,
        });
    }
    shapes.push(Shape::Rule {
        from: (x0, bottom),
        to: (x1, bottom),
        grid: false,
    });
    for (j, s) in chart.series.iter().enumerate() {
        let cy = top + row * (j as f32 + 0.5);
        let for_label = wrap(&s.name, names, label, measure);
        let first_line = cy + label * 0.35 - (for_label.len() as f32 - 1.0) * label * 0.6;
        for (k, line) in for_label.into_iter().enumerate() {
            texts.push(ChartText {
                x: 0.0,
                y: first_line + k as f32 * label * 1.2,
                size: label,
                muted: false,
                bold: false,
                text: line,
                anchor: Anchor::Start,
            });
        }
        let point = |i: usize| s.points.get(i).and_then(Option::as_ref);
        let (a, b) = (point(0), point(last_i));
        if let (Some(a), Some(b)) = (a, b) {
            shapes.push(Shape::Rule {
                from: (x_of(a.value), cy),
                to: (x_of(b.value), cy),
                grid: true,
            });
        }
        if let Some(a) = a {
            shapes.push(Shape::Dot {
                at: (x_of(a.value), cy),
                r,
                series: 1,
            });
        }
        if let Some(b) = b {
            let bx = x_of(b.value);
            shapes.push(Shape::Dot {
                at: (bx, cy),
                r,
                series: 0,
            });
            // The later value on the outer side of its dot.
            let rising = a.is_none_or(|a| b.value >= a.value);
            texts.push(ChartText {
                x: if rising {
                    bx + r + base * 0.3
                } else {
                    bx - r - base * 0.3
                },
                y: cy + label * 0.35,
                size: label,
                muted: false,
                bold: true,
                text: b.display.clone(),
                anchor: if rising { Anchor::Start } else { Anchor::End },
            });
        }
    }
    let deepest = bottom + label * 1.6;
    let plot = ChartRect {
        x: 0.0,
        y: top,
        w: width,
        h: deepest - top,
    };
    let height = foot(chart, width, base, measure, deepest, &mut texts);
    ChartGeometry {
        width,
        height,
        shapes,
        plot,
        texts,
    }
}

/// Ends a line's run of values: a path when it joins two or more.
fn flush(run: &mut Vec<(f32, f32)>, series: usize, shapes: &mut Vec<Shape>) {
    if run.len() > 1 {
        shapes.push(Shape::Path {
            points: run.clone(),
            series,
        });
    }
    run.clear();
}

/// Tick values for a range: about five, at 1, 2, 2.5 or 5 times a power of
/// ten, from at most the lowest value (zero when `from_zero` and all are
/// positive) to at least the highest.
pub fn nice_ticks(lo: f64, hi: f64, from_zero: bool) -> Vec<f64> {
    let lo = if from_zero { lo.min(0.0) } else { lo };
    let hi = hi.max(lo);
    if !(lo.is_finite() && hi.is_finite()) {
        return Vec::new();
    }
    if hi == lo {
        return vec![lo, lo + 1.0];
    }
    let raw = (hi - lo) / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let first = (lo / step).floor() * step;
    let mut ticks = Vec::new();
    let mut k = 0.0;
    loop {
        let v = first + k * step;
        // Round away float noise (0.30000000000000004): to the step's
        // decimals, and one more for a step of 2.5.
        let digits = (1 - step.log10().floor() as i32).max(0) as usize;
        let v: f64 = format!("{v:.digits$}").parse().unwrap_or(v);
        ticks.push(if v == 0.0 { 0.0 } else { v });
        if v >= hi - step * 1e-9 || ticks.len() > 12 {
            break;
        }
        k += 1.0;
    }
    ticks
}

/// The chart's alternative text in the brief's language, from its data:
/// its kind and title; for bars and columns every category's value; for
/// lines the span of periods and each series' first and last values; then
/// its source line.
pub fn alt_text(chart: &Chart, labels: &Labels) -> String {
    let end = &labels.sentence_end;
    let pair = |label: &str, value: &str| {
        labels
            .label_value
            .replace("{label}", label)
            .replace("{value}", value)
    };
    if chart.kind == ChartKind::Bars {
        let bars: Vec<String> = chart
            .values()
            .map(|(category, _, p)| pair(category, &p.display))
            .collect();
        let title = if chart.title.is_empty() {
            labels.bar_chart.clone()
        } else {
            labels.chart_titled.replace("{title}", &chart.title)
        };
        return format!(
            "{title}{end}{}{end}{}",
            bars.join(&labels.list_separator),
            chart.source_line
        );
    }
    let kind = match chart.kind {
        ChartKind::Lines => &labels.line_chart,
        ChartKind::Stacked => &labels.stacked_chart,
        ChartKind::Dots => &labels.dot_plot,
        _ => &labels.column_chart,
    };
    let mut parts = vec![if chart.title.is_empty() {
        kind.clone()
    } else {
        labels
            .titled
            .replace("{kind}", kind)
            .replace("{title}", &chart.title)
    }];
    let named = chart.has_series_names();
    if matches!(chart.kind, ChartKind::Lines | ChartKind::Dots) {
        if let (Some(first), Some(last)) = (chart.categories.first(), chart.categories.last()) {
            parts.push(
                labels
                    .span
                    .replace("{first}", first)
                    .replace("{last}", last),
            );
        }
        let changes: Vec<String> = chart
            .series
            .iter()
            .filter_map(|s| {
                let first = s.points.iter().position(Option::is_some)?;
                let last = s.points.iter().rposition(Option::is_some)?;
                let (a, b) = (s.points[first].as_ref()?, s.points[last].as_ref()?);
                let change = labels
                    .change
                    .replace("{from}", &a.display)
                    .replace("{first}", &chart.categories[first])
                    .replace("{to}", &b.display)
                    .replace("{last}", &chart.categories[last]);
                Some(if named {
                    pair(&s.name, &change)
                } else {
                    change
                })
            })
            .collect();
        parts.push(changes.join(&labels.list_separator));
    } else {
        for s in &chart.series {
            let values: Vec<String> = s
                .points
                .iter()
                .zip(&chart.categories)
                .filter_map(|(p, c)| p.as_ref().map(|p| pair(c, &p.display)))
                .collect();
            let list = values.join(&labels.list_separator);
            parts.push(if named { pair(&s.name, &list) } else { list });
        }
    }
    parts.push(chart.source_line.clone());
    parts.retain(|p| !p.is_empty());
    parts.join(end)
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
    use crate::document::{ChartPoint, ChartSeries, ChartTick};

    fn point(id: &str, value: f64, display: &str) -> Option<ChartPoint> {
        Some(ChartPoint {
            id: id.into(),
            value,
            display: display.into(),
        })
    }

    fn chart() -> Chart {
        Chart {
            id: String::new(),
            kind: ChartKind::Bars,
            title: "Cases".into(),
            unit: None,
            categories: vec!["Reported to the authorities".into(), "Went to trial".into()],
            series: vec![ChartSeries {
                name: String::new(),
                points: vec![point("a", 1336.0, "1,336"), point("b", 531.0, "531")],
            }],
            ticks: Vec::new(),
            source_line: "Source: X".into(),
            note: None,
            alt: String::new(),
        }
    }

    /// The value axis' baseline (its one rule that is not a grid line).
    fn baseline(g: &ChartGeometry) -> f32 {
        g.shapes
            .iter()
            .find_map(|s| match s {
                Shape::Rule {
                    from, grid: false, ..
                } => Some(from.1),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// Round ticks over a range, labelled with their plain values.
    fn ticks(lo: f64, hi: f64, from_zero: bool) -> Vec<ChartTick> {
        nice_ticks(lo, hi, from_zero)
            .into_iter()
            .map(|value| ChartTick {
                value,
                label: format!("{value}"),
            })
            .collect()
    }

    fn bars(g: &ChartGeometry) -> Vec<ChartRect> {
        g.shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Bar { rect, .. } => Some(*rect),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn bars_scale_to_the_largest_and_fit() {
        let g = layout(&chart(), 300.0, 10.0, &approximate_measure);
        let bars = bars(&g);
        assert_eq!(bars.len(), 2);
        let ratio = bars[1].w / bars[0].w;
        assert!((ratio - 531.0 / 1336.0).abs() < 1e-3);
        for t in &g.texts {
            assert!(
                t.x + approximate_measure(&t.text, t.size) <= 300.0 + 0.01,
                "{t:?}"
            );
        }
        assert!(bars.windows(2).all(|w| w[0].y + w[0].h <= w[1].y));
    }

    /// Ten years of two series, one with a gap.
    fn lines() -> Chart {
        let years: Vec<String> = (2015..2025).map(|y| y.to_string()).collect();
        let series = |name: &str, skip: Option<usize>, scale: f64| ChartSeries {
            name: name.into(),
            points: (0..10)
                .map(|i| {
                    (Some(i) != skip).then(|| ChartPoint {
                        id: format!("{name}-{i}"),
                        value: scale * (i as f64 + 1.0),
                        display: format!("{}", scale * (i as f64 + 1.0)),
                    })
                })
                .collect(),
        };
        Chart {
            kind: ChartKind::Lines,
            categories: years,
            series: vec![series("Women", Some(4), 100.0), series("Men", None, 50.0)],
            ticks: ticks(50.0, 1000.0, false),
            ..chart()
        }
    }

    #[test]
    fn a_line_breaks_at_a_missing_period_and_stays_in_its_plot() {
        let g = layout(&lines(), 400.0, 10.0, &approximate_measure);
        let paths: Vec<(usize, usize)> = g
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Path { points, series } => Some((*series, points.len())),
                _ => None,
            })
            .collect();
        // Women: 2015–2018 and 2020–2024 (no 2019); men: all ten years.
        assert_eq!(paths, vec![(0, 4), (0, 5), (1, 10)]);
        let dots = g
            .shapes
            .iter()
            .filter(|s| matches!(s, Shape::Dot { .. }))
            .count();
        assert_eq!(dots, 19);
        // Every point is inside the plot, higher values higher up.
        let ys: Vec<f32> = g
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Dot { at, series: 1, .. } => Some(at.1),
                _ => None,
            })
            .collect();
        assert!(ys.windows(2).all(|w| w[1] < w[0]), "{ys:?}");
        for s in &g.shapes {
            if let Shape::Dot { at, .. } = s {
                assert!(
                    at.0 > 0.0 && at.0 < 400.0 && at.1 > g.plot.y && at.1 < g.plot.y + g.plot.h
                );
            }
        }
        // The series are named at their ends; nothing runs off the right.
        assert!(g.texts.iter().any(|t| t.text == "Women" && t.bold));
        for t in &g.texts {
            let right = match t.anchor {
                Anchor::Start => t.x + approximate_measure(&t.text, t.size),
                Anchor::Middle => t.x + approximate_measure(&t.text, t.size) / 2.0,
                Anchor::End => t.x,
            };
            assert!(right <= 400.0 + 0.01, "{t:?}");
        }
    }

    #[test]
    fn columns_stand_on_zero_side_by_side_with_a_legend() {
        let c = Chart {
            kind: ChartKind::Columns,
            ..lines()
        };
        let g = layout(&c, 400.0, 10.0, &approximate_measure);
        let cols = bars(&g);
        // Two legend swatches, then 9 + 10 columns.
        assert_eq!(cols.len(), 2 + 19);
        let zero = baseline(&g);
        for r in &cols[2..] {
            assert!((r.y + r.h - zero).abs() < 0.01, "{r:?} {zero}");
        }
        assert!(g.texts.iter().any(|t| t.text == "Men" && !t.bold));
    }

    #[test]
    fn a_stacked_columns_parts_sit_on_one_another_and_a_gap_adds_nothing() {
        let mut c = Chart {
            kind: ChartKind::Stacked,
            ..lines()
        };
        c.ticks = ticks(0.0, 2300.0, true);
        let g = layout(&c, 400.0, 10.0, &approximate_measure);
        // Two legend swatches, then 9 + 10 parts.
        let parts = &bars(&g)[2..];
        assert_eq!(parts.len(), 19);
        // 2019 (the fifth category): only the men's part, on the baseline.
        let zero = baseline(&g);
        let mut by_x: std::collections::BTreeMap<i64, Vec<ChartRect>> = Default::default();
        for r in parts {
            by_x.entry((r.x * 100.0) as i64).or_default().push(*r);
        }
        assert_eq!(by_x.len(), 10);
        for (i, stack) in by_x.values().enumerate() {
            // From the baseline up, each part on the one below.
            assert!((stack[0].y + stack[0].h - zero).abs() < 0.01, "{stack:?}");
            for w in stack.windows(2) {
                assert!((w[1].y + w[1].h - w[0].y).abs() < 0.01, "{stack:?}");
            }
            assert_eq!(stack.len(), if i == 4 { 1 } else { 2 }, "{i}");
        }
    }

    #[test]
    fn a_dot_plot_puts_each_series_first_and_last_values_on_its_row() {
        let c = Chart {
            kind: ChartKind::Dots,
            ..lines()
        };
        let g = layout(&c, 400.0, 10.0, &approximate_measure);
        let dots: Vec<((f32, f32), usize)> = g
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Dot { at, series, .. } => Some((*at, *series)),
                _ => None,
            })
            .collect();
        // Two in the legend, two a row.
        assert_eq!(dots.len(), 2 + 4);
        for row in dots[2..].chunks(2) {
            // On one row, the later value (colour 0) right of the earlier
            // (colour 1): these series rise.
            assert_eq!((row[0].1, row[1].1), (1, 0));
            assert!((row[0].0 .1 - row[1].0 .1).abs() < 0.01);
            assert!(row[1].0 .0 > row[0].0 .0, "{row:?}");
        }
        // The rows' labels, the periods in the legend, the later values.
        for text in ["Women", "Men", "2015", "2024", "1000", "500"] {
            assert!(g.texts.iter().any(|t| t.text == text), "{text}");
        }
    }

    #[test]
    fn long_chinese_categories_break_between_characters_within_their_column() {
        let names = [
            "向主管部门报告的人口贩运案件",
            "进入审判程序的人口贩运案件",
            "获得援助的受害者",
        ];
        let c = Chart {
            kind: ChartKind::Columns,
            categories: names.iter().map(|n| n.to_string()).collect(),
            series: vec![ChartSeries {
                name: String::new(),
                points: vec![
                    point("a", 1336.0, "1,336"),
                    point("b", 531.0, "531"),
                    point("c", 270.0, "270"),
                ],
            }],
            ticks: ticks(0.0, 1336.0, true),
            ..chart()
        };
        let (width, base) = (300.0, 10.0);
        let g = layout(&c, width, base, &approximate_measure);
        // Under the plot, each name in lines no wider than its column,
        // together the whole name (no character lost, none added).
        let band = (width
            - g.texts
                .iter()
                .filter(|t| t.muted && t.anchor == Anchor::End)
                .map(|t| approximate_measure(&t.text, t.size))
                .fold(0.0_f32, f32::max))
            / 3.0;
        let mut columns: std::collections::BTreeMap<i64, Vec<&ChartText>> = Default::default();
        for t in g
            .texts
            .iter()
            .filter(|t| !t.bold && !t.muted && t.anchor == Anchor::Middle)
        {
            columns.entry((t.x * 100.0) as i64).or_default().push(t);
        }
        assert_eq!(columns.len(), 3, "{columns:?}");
        for (name, lines) in names.iter().zip(columns.values()) {
            // A name wider than its column is broken, between characters.
            let wide = approximate_measure(name, base * LABEL) > band;
            assert_eq!(lines.len() > 1, wide, "{name}: {lines:?}");
            assert_eq!(
                lines.iter().map(|t| t.text.as_str()).collect::<String>(),
                *name
            );
            for t in lines {
                assert!(approximate_measure(&t.text, t.size) <= band, "{t:?} {band}");
            }
        }
    }

    #[test]
    fn ticks_are_round_and_cover_the_values() {
        assert_eq!(
            nice_ticks(0.0, 3400.0, true),
            vec![0.0, 1000.0, 2000.0, 3000.0, 4000.0]
        );
        assert_eq!(
            nice_ticks(1200.0, 3400.0, false),
            vec![1000.0, 1500.0, 2000.0, 2500.0, 3000.0, 3500.0]
        );
        assert_eq!(nice_ticks(0.0, 0.7, true), vec![0.0, 0.2, 0.4, 0.6, 0.8]);
        assert_eq!(
            nice_ticks(-5.0, 12.0, true),
            vec![-5.0, 0.0, 5.0, 10.0, 15.0]
        );
        assert_eq!(nice_ticks(5.0, 5.0, false), vec![5.0, 6.0]);
    }

    #[test]
    fn a_mirrored_chart_keeps_its_shapes_inside() {
        let g = layout(&lines(), 400.0, 10.0, &approximate_measure);
        let m = g.clone().mirrored();
        assert_eq!(m.shapes.len(), g.shapes.len());
        if let (Some(Shape::Dot { at: a, .. }), Some(Shape::Dot { at: b, .. })) = (
            g.shapes.iter().find(|s| matches!(s, Shape::Dot { .. })),
            m.shapes.iter().find(|s| matches!(s, Shape::Dot { .. })),
        ) {
            assert!((a.0 + b.0 - 400.0).abs() < 0.01);
        }
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
