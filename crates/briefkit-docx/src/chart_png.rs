//! The chart's shapes as a PNG (tiny-skia), from the shared chart
//! geometry: bars, lines, dots and rules, in the series' colours, mirrored
//! for a right-to-left brief. The categories, series and values follow the
//! image as a table in the document, so the picture never carries
//! information alone.

use briefkit_model::chart::{self, Shape};
use briefkit_model::theme::{series_colour, Color as Rgb, LOOK, PALETTE};
use briefkit_model::Chart;
use tiny_skia::{Color, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Rect, Stroke, Transform};

/// Pixels per chart unit: the chart is laid out 600 units wide and drawn at
/// 2× for a sharp print.
const SCALE: f32 = 2.0;

fn paint(c: Rgb) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(c.0, c.1, c.2, 0xff);
    paint.anti_alias = true;
    paint
}

/// The PNG bytes and pixel size, or `None` if drawing failed.
pub fn render(c: &Chart, rtl: bool) -> Option<(Vec<u8>, u32, u32)> {
    let mut g = chart::layout(c, 600.0, 16.0, &chart::approximate_measure);
    if rtl {
        g = g.mirrored();
    }
    // Only the shapes: the text is in the table that follows.
    let top = g.plot.y - 8.0;
    let bottom = g.plot.y + g.plot.h + 8.0;
    let w = (g.width * SCALE).ceil() as u32 + 4;
    let h = ((bottom - top).max(1.0) * SCALE).ceil() as u32;
    let mut pix = Pixmap::new(w, h)?;
    pix.fill(Color::WHITE);
    let at = |x: f32, y: f32| (x * SCALE + 2.0, (y - top) * SCALE);
    let series = |i: usize| paint(series_colour(i));
    let stroke = |width: f32| Stroke {
        width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    };
    for shape in &g.shapes {
        match shape {
            Shape::Bar { rect, series: i } => {
                let (x, y) = at(rect.x, rect.y);
                let r =
                    Rect::from_xywh(x, y, (rect.w * SCALE).max(1.0), (rect.h * SCALE).max(1.0))?;
                pix.fill_rect(r, &series(*i), Transform::identity(), None);
            }
            Shape::Rule { from, to, grid } => {
                let mut pb = PathBuilder::new();
                let (x1, y1) = at(from.0, from.1);
                let (x2, y2) = at(to.0, to.1);
                pb.move_to(x1, y1);
                pb.line_to(x2, y2);
                let (colour, width) = if *grid {
                    (LOOK.figure.grid.1, 1.0)
                } else {
                    (PALETTE.ink, 2.0)
                };
                let path = pb.finish()?;
                pix.stroke_path(
                    &path,
                    &paint(colour),
                    &Stroke {
                        width,
                        ..Stroke::default()
                    },
                    Transform::identity(),
                    None,
                );
            }
            Shape::Path { points, series: i } => {
                let mut pb = PathBuilder::new();
                for (n, (x, y)) in points.iter().enumerate() {
                    let (x, y) = at(*x, *y);
                    if n == 0 {
                        pb.move_to(x, y);
                    } else {
                        pb.line_to(x, y);
                    }
                }
                let path = pb.finish()?;
                pix.stroke_path(
                    &path,
                    &series(*i),
                    &stroke(5.0),
                    Transform::identity(),
                    None,
                );
            }
            Shape::Dot {
                at: (x, y),
                r,
                series: i,
            } => {
                let (x, y) = at(*x, *y);
                let path = PathBuilder::from_circle(x, y, r * SCALE)?;
                pix.fill_path(
                    &path,
                    &series(*i),
                    tiny_skia::FillRule::Winding,
                    Transform::identity(),
                    None,
                );
            }
        }
    }
    let png = pix.encode_png().ok()?;
    Some((png, w, h))
}
