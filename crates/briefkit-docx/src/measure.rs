//! How wide text is in the DOCX's table faces, to size table columns from
//! their content: Word and LibreOffice break a number or a word that is
//! wider than its cell (`3,0/00`, `Peri/od`), so each column gets at least
//! its widest unbreakable piece plus the cell's margins.

use briefkit_model::theme::TYPE;
use briefkit_model::Assets;

/// The left and right margin of every cell, in twips: the theme's table
/// padding (the tables set it; see `body.rs`).
const CELL_MARGIN: f32 = briefkit_model::theme::LOOK.table.padding * 20.0;

/// How much wider than Noto Sans a face that stands in for it may set a
/// word: a DOCX names its fonts but cannot carry them, and where Noto Sans
/// is not installed LibreOffice takes DejaVu Sans (16 % wider for
/// "Period" in bold), Word another sans.
const STAND_IN: f32 = 1.2;

/// The faces table text is set in (the sans family), parsed once.
pub struct Measure<'a>(briefkit_model::fonts::TextMeasure<'a>);

impl<'a> Measure<'a> {
    /// The sans faces (table text and headings) and the faces for other
    /// scripts.
    pub fn new(assets: &Assets<'a>) -> Self {
        Self(briefkit_model::fonts::TextMeasure::new(
            &assets.sans,
            assets.extra,
        ))
    }

    /// The width of `text` in twips at `size` points.
    pub fn twips(&self, text: &str, size: f32, bold: bool) -> f32 {
        self.0.ems(text, bold) * size * 20.0
    }
}

/// The pieces of `text` a line may not break inside: words and numbers
/// between spaces; each Chinese, Japanese or Korean character alone.
fn unbreakable(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split_whitespace().flat_map(|word| {
        let mut pieces = Vec::new();
        let mut run = String::new();
        for c in word.chars() {
            if briefkit_model::text::is_wide(c) {
                if !run.is_empty() {
                    pieces.push(std::mem::take(&mut run));
                }
                pieces.push(c.to_string());
            } else {
                run.push(c);
            }
        }
        if !run.is_empty() {
            pieces.push(run);
        }
        pieces
    })
}

/// The widths of a table's columns in twips, summing to `total`: each
/// column at least its widest unbreakable piece plus the cell's margins
/// (`header_rows` rows set in bold), the room left shared in proportion
/// to how much more each column's longest text would take.
pub fn column_widths(
    texts: &[Vec<String>],
    header_rows: usize,
    total: usize,
    measure: &Measure<'_>,
) -> Vec<usize> {
    let columns = texts.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let size = TYPE.table;
    let mut least = vec![0f32; columns];
    let mut whole = vec![0f32; columns];
    for (r, row) in texts.iter().enumerate() {
        let bold = r < header_rows;
        for (c, text) in row.iter().enumerate() {
            let piece = unbreakable(text)
                .map(|p| measure.twips(&p, size, bold))
                .fold(0f32, f32::max);
            least[c] = least[c].max(piece * STAND_IN + 2.0 * CELL_MARGIN);
            whole[c] = whole[c].max(measure.twips(text, size, bold) + 2.0 * CELL_MARGIN);
        }
    }
    let total_f = total as f32;
    let needed: f32 = least.iter().sum();
    let widths: Vec<f32> = if needed >= total_f {
        // Not even the pieces fit: share in proportion to them.
        least
            .iter()
            .map(|l| l * total_f / needed.max(1.0))
            .collect()
    } else {
        let wants: Vec<f32> = whole
            .iter()
            .zip(&least)
            .map(|(w, l)| (w - l).max(0.0))
            .collect();
        let wanted: f32 = wants.iter().sum();
        let spare = total_f - needed;
        least
            .iter()
            .zip(&wants)
            .map(|(l, w)| {
                if wanted > 0.0 {
                    l + spare * w / wanted
                } else {
                    l + spare / columns as f32
                }
            })
            .collect()
    };
    let mut out: Vec<usize> = widths.iter().map(|w| w.floor() as usize).collect();
    // What rounding left goes to the widest column.
    let short = total.saturating_sub(out.iter().sum());
    if let Some(widest) = (0..columns).max_by_key(|&c| out[c]) {
        out[widest] += short;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_words_numbers_and_single_wide_characters() {
        let pieces: Vec<String> = unbreakable("1,336 people 2005年1月至8月").collect();
        assert_eq!(
            pieces,
            ["1,336", "people", "2005", "年", "1", "月", "至", "8", "月"]
        );
    }
}
