//! The chart's bars as a PNG (tiny-skia), from the shared chart geometry.
//! The labels and values follow the image as a table in the document, so
//! the picture never carries information alone.

use briefkit_model::chart;
use briefkit_model::Chart;
use tiny_skia::{Color, Paint, PathBuilder, Pixmap, Rect, Stroke, Transform};

/// Pixels per chart unit: the chart is laid out 600 units wide and drawn at
/// 2× for a sharp print.
const SCALE: f32 = 2.0;

/// The PNG bytes and pixel size, or `None` if drawing failed.
pub fn render(c: &Chart) -> Option<(Vec<u8>, u32, u32)> {
    let g = chart::layout(c, 600.0, 16.0, &chart::approximate_measure);
    // Only bars and axis: the text is in the table that follows.
    let top = g.bars.first().map_or(0.0, |b| b.y) - 8.0;
    let bottom = g.bars.last().map_or(0.0, |b| b.y + b.h) + 8.0;
    let w = (g.width * SCALE).ceil() as u32;
    let h = ((bottom - top).max(1.0) * SCALE).ceil() as u32;
    let mut pix = Pixmap::new(w, h)?;
    pix.fill(Color::WHITE);
    let mut paint = Paint::default();
    paint.set_color_rgba8(0x0b, 0x5c, 0x8c, 0xff);
    paint.anti_alias = true;
    for b in &g.bars {
        let rect = Rect::from_xywh(
            b.x * SCALE + 2.0,
            (b.y - top) * SCALE,
            b.w * SCALE,
            b.h * SCALE,
        )?;
        pix.fill_rect(rect, &paint, Transform::identity(), None);
    }
    let mut pb = PathBuilder::new();
    pb.move_to(1.0, 0.0);
    pb.line_to(1.0, h as f32);
    let path = pb.finish()?;
    paint.set_color_rgba8(0x1d, 0x2b, 0x36, 0xff);
    pix.stroke_path(
        &path,
        &paint,
        &Stroke {
            width: 2.0,
            ..Stroke::default()
        },
        Transform::identity(),
        None,
    );
    let png = pix.encode_png().ok()?;
    Some((png, w, h))
}
