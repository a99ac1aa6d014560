//! A chart as Word draws it: a DrawingML chart part (`word/charts/chartN.xml`)
//! with every value cached, so Word and LibreOffice draw it with nothing
//! else, and the numbers as an embedded workbook (written by
//! rust_xlsxwriter) that Word's "Edit Data" opens.
//!
//! The part is written here because no crate writes a WordprocessingML
//! chart; its elements follow the schema's order (ISO/IEC 29500-1 §21.2,
//! `CT_ChartSpace`, `CT_PlotArea`, `CT_BarChart`, `CT_LineChart`,
//! `CT_CatAx`, `CT_ValAx`), which openxml-audit checks in the tests.

use briefkit_model::theme::{series_colour, PALETTE};
use briefkit_model::{Chart, ChartKind};
use briefkit_package::escape as esc;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// The sheet of the embedded workbook the chart's formulas name.
const SHEET: &str = "Sheet1";

/// The fonts and language the chart's text is set in.
pub struct ChartText<'a> {
    /// The document's language (`c:lang`, the workbook's cells).
    pub language: &'a str,
    /// Whether the document runs right to left.
    pub rtl: bool,
    /// Family of Latin text.
    pub latin: &'a str,
    /// Family of East Asian text.
    pub east_asian: &'a str,
    /// Family of complex-script (Arabic) text.
    pub complex: &'a str,
    /// The date the workbook says it was made (the brief's date).
    pub date: (u16, u8, u8),
}

/// What the chart draws, as rows of a sheet: a category a row, a series a
/// column (a dot plot's rows are its series, its two columns the first
/// and last period).
pub struct Grid {
    /// The head of the categories' column.
    corner: String,
    categories: Vec<String>,
    /// Each series: its name, its colour's index, a value or a gap a category.
    series: Vec<(String, usize, Vec<Option<f64>>)>,
}

impl Grid {
    /// The sheet of `c`, whose table has the column heads `heads`.
    pub fn of(c: &Chart, heads: &[String]) -> Self {
        let corner = heads.first().cloned().unwrap_or_default();
        if c.kind == ChartKind::Dots {
            let last = c.categories.len().saturating_sub(1);
            let at = |i: usize| {
                c.series
                    .iter()
                    .map(|s| s.points.get(i).and_then(Option::as_ref).map(|p| p.value))
                    .collect::<Vec<_>>()
            };
            let period = |i: usize| c.categories.get(i).cloned().unwrap_or_default();
            // The first period in the second colour, the last in the first
            // (as the PDF and EPUB draw them).
            return Self {
                corner,
                categories: c.series.iter().map(|s| s.name.clone()).collect(),
                series: vec![(period(0), 1, at(0)), (period(last), 0, at(last))],
            };
        }
        Self {
            corner,
            categories: c.categories.clone(),
            series: c
                .series
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let name = heads.get(i + 1).cloned().unwrap_or_else(|| s.name.clone());
                    let values = s.points.iter().map(|p| p.as_ref().map(|p| p.value));
                    (name, i, values.collect())
                })
                .collect(),
        }
    }
}

/// `A`, `B`, … `Z`, `AA` …: the sheet's name of column `n` (from 0).
fn column(mut n: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Decimals enough for every value (at most three).
fn decimals(values: impl Iterator<Item = f64>) -> usize {
    values
        .map(|v| {
            (0..3)
                .find(|&k| {
                    let scaled = v * 10f64.powi(k as i32);
                    (scaled - scaled.round()).abs() < 1e-9 * scaled.abs().max(1.0)
                })
                .unwrap_or(3)
        })
        .max()
        .unwrap_or(0)
}

/// The number format of the chart's values: grouping, the decimals they
/// have, and the percent sign as the brief writes it (a literal: the
/// values are already percentages). Digits are the reader's (Word writes
/// a chart's numbers in its own locale); the table after the chart has
/// the brief's.
fn number_format(c: &Chart, values: &[f64]) -> String {
    let mut code = String::from("#,##0");
    let d = decimals(values.iter().copied());
    if d > 0 {
        code.push('.');
        code.push_str(&"0".repeat(d));
    }
    let sample = c
        .ticks
        .iter()
        .map(|t| t.label.as_str())
        .chain(c.values().map(|(_, _, p)| p.display.as_str()))
        .find(|l| l.contains('%') || l.contains('\u{066A}'));
    if let Some(label) = sample {
        let is_digit = |ch: char| ch.is_numeric();
        let before = label.find(is_digit).map_or("", |i| &label[..i]);
        let after = label.rfind(is_digit).map_or("", |i| {
            let end = i + label[i..].chars().next().map_or(1, char::len_utf8);
            &label[end..]
        });
        let quote = |s: &str| {
            let s: String = s.chars().filter(|c| !c.is_control() && *c != '"').collect();
            if s.is_empty() {
                String::new()
            } else {
                format!("\"{s}\"")
            }
        };
        // Bidi marks stay out; the sign and its space stay.
        let clean = |s: &str| {
            s.chars()
                .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}'))
                .collect::<String>()
        };
        code = format!("{}{code}{}", quote(&clean(before)), quote(&clean(after)));
    }
    code
}

/// The shared text properties: the size, colour and families. No
/// `rtl` paragraph flag: each label is one line, which the reader's bidi
/// algorithm orders (LibreOffice reverses the digits of `2015` under
/// `a:pPr rtl="1"`).
fn text_properties(text: &ChartText<'_>, size: u32, colour: &str, bold: bool) -> String {
    format!(
        concat!(
            "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>",
            "<a:defRPr sz=\"{size}\" b=\"{b}\"><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill>",
            "<a:latin typeface=\"{latin}\"/><a:ea typeface=\"{ea}\"/><a:cs typeface=\"{cs}\"/></a:defRPr>",
            "</a:pPr><a:endParaRPr lang=\"{lang}\"/></a:p></c:txPr>"
        ),
        size = size,
        b = u8::from(bold),
        colour = colour,
        latin = esc(text.latin),
        ea = esc(text.east_asian),
        cs = esc(text.complex),
        lang = esc(text.language),
    )
}

fn line(width: u32, colour: &str) -> String {
    format!(
        "<a:ln w=\"{width}\" cap=\"rnd\"><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill><a:round/></a:ln>"
    )
}

const NO_LINE: &str = "<a:ln><a:noFill/></a:ln>";

/// The cached strings of a reference.
fn str_ref(formula: &str, values: &[String]) -> String {
    let mut out = format!(
        "<c:strRef><c:f>{}</c:f><c:strCache><c:ptCount val=\"{}\"/>",
        esc(formula),
        values.len()
    );
    for (i, v) in values.iter().enumerate() {
        out.push_str(&format!("<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", esc(v)));
    }
    out.push_str("</c:strCache></c:strRef>");
    out
}

/// The cached numbers of a reference; a gap has no point.
fn num_ref(formula: &str, values: &[Option<f64>], format: &str) -> String {
    let mut out = format!(
        "<c:numRef><c:f>{}</c:f><c:numCache><c:formatCode>{}</c:formatCode><c:ptCount val=\"{}\"/>",
        esc(formula),
        esc(format),
        values.len()
    );
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            out.push_str(&format!("<c:pt idx=\"{i}\"><c:v>{v}</c:v></c:pt>"));
        }
    }
    out.push_str("</c:numCache></c:numRef>");
    out
}

/// The chart part's XML, drawing `grid` (the sheet of `c`).
pub fn chart_xml(c: &Chart, grid: &Grid, text: &ChartText<'_>) -> String {
    let n = grid.categories.len();
    let values: Vec<f64> = grid
        .series
        .iter()
        .flat_map(|(_, _, v)| v.iter().flatten().copied())
        .collect();
    let format = number_format(c, &values);
    let ink = PALETTE.ink.hex();
    let muted = PALETTE.muted.hex();
    let rule = PALETTE.rule.hex();
    let categories = format!("{SHEET}!$A$2:$A${}", n + 1);
    let mut series = String::new();
    for (k, (name, colour, points)) in grid.series.iter().enumerate() {
        let col = column(k + 1);
        let colour = series_colour(*colour).hex();
        series.push_str(&format!(
            "<c:ser><c:idx val=\"{k}\"/><c:order val=\"{k}\"/><c:tx>{}</c:tx>",
            str_ref(&format!("{SHEET}!${col}$1"), std::slice::from_ref(name))
        ));
        let fill = format!("<a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill>");
        match c.kind {
            ChartKind::Lines => series.push_str(&format!(
                "<c:spPr>{}</c:spPr><c:marker><c:symbol val=\"none\"/></c:marker>",
                line(28575, &colour)
            )),
            ChartKind::Dots => series.push_str(&format!(
                "<c:spPr>{NO_LINE}</c:spPr><c:marker><c:symbol val=\"circle\"/><c:size val=\"8\"/><c:spPr>{fill}{NO_LINE}</c:spPr></c:marker>"
            )),
            ChartKind::Bars | ChartKind::Columns | ChartKind::Stacked => series.push_str(
                &format!("<c:spPr>{fill}{NO_LINE}</c:spPr><c:invertIfNegative val=\"0\"/>"),
            ),
        }
        if c.kind == ChartKind::Lines && grid.series.len() > 1 {
            // Each line named at its end, as in the PDF and EPUB (no
            // legend): a label on its last point, in its colour; right to
            // left, time runs from the right and the end is on the left.
            if let Some(last) = points.iter().rposition(Option::is_some) {
                const NONE: &str = concat!(
                    "<c:showLegendKey val=\"0\"/><c:showVal val=\"0\"/><c:showCatName val=\"0\"/>",
                    "<c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/>"
                );
                series.push_str(&format!(
                    concat!(
                        "<c:dLbls><c:dLbl><c:idx val=\"{last}\"/><c:spPr><a:noFill/>{no_line}</c:spPr>{tx}",
                        "<c:dLblPos val=\"{side}\"/><c:showLegendKey val=\"0\"/><c:showVal val=\"0\"/>",
                        "<c:showCatName val=\"0\"/><c:showSerName val=\"1\"/><c:showPercent val=\"0\"/>",
                        "<c:showBubbleSize val=\"0\"/></c:dLbl>{none}</c:dLbls>"
                    ),
                    last = last,
                    no_line = NO_LINE,
                    tx = text_properties(text, 900, &colour, true),
                    side = if text.rtl { "l" } else { "r" },
                    none = NONE,
                ));
            }
        }
        if c.kind == ChartKind::Bars {
            // Each bar's value at its end, as in the PDF and EPUB (the
            // value axis is hidden).
            series.push_str(&format!(
                concat!(
                    "<c:dLbls><c:numFmt formatCode=\"{}\" sourceLinked=\"0\"/>",
                    "<c:spPr><a:noFill/>{}</c:spPr>{}<c:dLblPos val=\"outEnd\"/>",
                    "<c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/>",
                    "<c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbls>"
                ),
                esc(&format),
                NO_LINE,
                text_properties(text, 900, &ink, true),
            ));
        }
        series.push_str(&format!(
            "<c:cat>{}</c:cat><c:val>{}</c:val>",
            str_ref(&categories, &grid.categories),
            num_ref(
                &format!("{SHEET}!${col}$2:${col}${}", n + 1),
                points,
                &format
            )
        ));
        if matches!(c.kind, ChartKind::Lines | ChartKind::Dots) {
            series.push_str("<c:smooth val=\"0\"/>");
        }
        series.push_str("</c:ser>");
    }
    const CAT: u32 = 50_010;
    const VAL: u32 = 50_020;
    let axes = format!("<c:axId val=\"{CAT}\"/><c:axId val=\"{VAL}\"/>");
    let plot = match c.kind {
        ChartKind::Bars | ChartKind::Columns | ChartKind::Stacked => {
            let (dir, grouping, gap, overlap) = match c.kind {
                ChartKind::Bars => ("bar", "clustered", 50, 0),
                ChartKind::Stacked => ("col", "stacked", 60, 100),
                _ => ("col", "clustered", 60, -10),
            };
            format!(
                "<c:barChart><c:barDir val=\"{dir}\"/><c:grouping val=\"{grouping}\"/><c:varyColors val=\"0\"/>{series}<c:gapWidth val=\"{gap}\"/><c:overlap val=\"{overlap}\"/>{axes}</c:barChart>"
            )
        }
        ChartKind::Lines => format!(
            "<c:lineChart><c:grouping val=\"standard\"/><c:varyColors val=\"0\"/>{series}<c:marker val=\"1\"/>{axes}</c:lineChart>"
        ),
        ChartKind::Dots => format!(
            concat!(
                "<c:lineChart><c:grouping val=\"standard\"/><c:varyColors val=\"0\"/>{}",
                "<c:hiLowLines><c:spPr>{}</c:spPr></c:hiLowLines><c:marker val=\"1\"/>{}</c:lineChart>"
            ),
            series,
            line(19050, &rule),
            axes
        ),
    };
    let horizontal = c.kind == ChartKind::Bars;
    // Horizontal bars list their categories top down; right to left, the
    // bars grow leftwards and time runs from the right (the PDF's and
    // EPUB's convention).
    let (cat_order, val_order) = match (horizontal, text.rtl) {
        (true, false) => ("maxMin", "minMax"),
        (true, true) => ("maxMin", "maxMin"),
        (false, false) => ("minMax", "minMax"),
        (false, true) => ("maxMin", "minMax"),
    };
    let (cat_pos, val_pos) = match (horizontal, text.rtl) {
        (true, false) => ("l", "b"),
        (true, true) => ("r", "b"),
        (false, false) => ("b", "l"),
        (false, true) => ("b", "r"),
    };
    let cat_axis = format!(
        concat!(
            "<c:catAx><c:axId val=\"{CAT}\"/><c:scaling><c:orientation val=\"{order}\"/></c:scaling>",
            "<c:delete val=\"0\"/><c:axPos val=\"{pos}\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/>",
            "<c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"{lbl}\"/>",
            "<c:spPr>{ln}</c:spPr>{tx}<c:crossAx val=\"{VAL}\"/><c:crosses val=\"autoZero\"/>",
            "<c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>"
        ),
        CAT = CAT,
        VAL = VAL,
        order = cat_order,
        pos = cat_pos,
        lbl = "low",
        ln = if horizontal {
            NO_LINE.to_string()
        } else {
            line(9525, &rule)
        },
        tx = text_properties(text, 900, &ink, false),
    );
    let scale = match (c.ticks.first(), c.ticks.last()) {
        (Some(lo), Some(hi)) if c.ticks.len() > 1 => {
            format!("<c:max val=\"{}\"/><c:min val=\"{}\"/>", hi.value, lo.value)
        }
        _ => String::new(),
    };
    let unit = match c.ticks.as_slice() {
        [a, b, ..] => format!("<c:majorUnit val=\"{}\"/>", b.value - a.value),
        _ => String::new(),
    };
    let val_axis = format!(
        concat!(
            "<c:valAx><c:axId val=\"{VAL}\"/><c:scaling><c:orientation val=\"{order}\"/>{scale}</c:scaling>",
            "<c:delete val=\"{delete}\"/><c:axPos val=\"{pos}\"/>{grid}",
            "<c:numFmt formatCode=\"{format}\" sourceLinked=\"0\"/>",
            "<c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>",
            "<c:spPr>{ln}</c:spPr>{tx}<c:crossAx val=\"{CAT}\"/><c:crosses val=\"autoZero\"/>",
            "<c:crossBetween val=\"between\"/>{unit}</c:valAx>"
        ),
        VAL = VAL,
        CAT = CAT,
        order = val_order,
        scale = scale,
        delete = u8::from(horizontal),
        pos = val_pos,
        grid = if horizontal {
            String::new()
        } else {
            format!(
                "<c:majorGridlines><c:spPr>{}</c:spPr></c:majorGridlines>",
                line(6350, &rule)
            )
        },
        format = esc(&format),
        ln = NO_LINE,
        tx = text_properties(text, 900, &muted, false),
        unit = unit,
    );
    // A legend for several series, except lines (named at their ends).
    let legend = if grid.series.len() > 1 && c.kind != ChartKind::Lines {
        format!(
            "<c:legend><c:legendPos val=\"t\"/><c:overlay val=\"0\"/>{}</c:legend>",
            text_properties(text, 900, &ink, false)
        )
    } else {
        String::new()
    };
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" ",
            "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" ",
            "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
            "<c:date1904 val=\"0\"/><c:lang val=\"{lang}\"/><c:roundedCorners val=\"0\"/>",
            "<c:chart><c:autoTitleDeleted val=\"1\"/><c:plotArea><c:layout/>{plot}{cat}{val}",
            "<c:spPr><a:noFill/>{no_line}</c:spPr></c:plotArea>{legend}",
            "<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>",
            "<c:spPr><a:noFill/>{no_line}</c:spPr>{tx}",
            "<c:externalData r:id=\"rId1\"><c:autoUpdate val=\"0\"/></c:externalData>",
            "</c:chartSpace>"
        ),
        lang = esc(text.language),
        plot = plot,
        cat = cat_axis,
        val = val_axis,
        no_line = NO_LINE,
        legend = legend,
        tx = text_properties(text, 900, &ink, false),
    )
}

/// The workbook Word's "Edit Data" opens: the chart's categories down
/// column A, a series a column, its name in row 1; a gap is an empty cell.
pub fn workbook(c: &Chart, grid: &Grid, text: &ChartText<'_>) -> Result<Vec<u8>, String> {
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut book = Workbook::new();
    let (y, m, d) = text.date;
    let made = ExcelDateTime::from_ymd(y, m, d).map_err(err)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(&c.title)
            .set_creation_datetime(&made),
    );
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET).map_err(err)?;
    if text.rtl {
        sheet.set_right_to_left(true);
    }
    let bold = Format::new().set_bold();
    sheet
        .write_string_with_format(0, 0, &grid.corner, &bold)
        .map_err(err)?;
    for (row, category) in grid.categories.iter().enumerate() {
        let row = u32::try_from(row + 1).map_err(|e| e.to_string())?;
        sheet.write_string(row, 0, category).map_err(err)?;
    }
    for (k, (name, _, points)) in grid.series.iter().enumerate() {
        let col = u16::try_from(k + 1).map_err(|e| e.to_string())?;
        sheet
            .write_string_with_format(0, col, name, &bold)
            .map_err(err)?;
        for (row, v) in points.iter().enumerate() {
            if let Some(v) = v {
                let row = u32::try_from(row + 1).map_err(|e| e.to_string())?;
                sheet.write_number(row, col, *v).map_err(err)?;
            }
        }
        sheet.set_column_width(col, 14).map_err(err)?;
    }
    let widest = grid
        .categories
        .iter()
        .chain(std::iter::once(&grid.corner))
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(8);
    sheet
        .set_column_width(0, (widest.clamp(8, 60) + 2) as f64)
        .map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// The chart's relationships: its workbook.
pub fn chart_rels(n: usize) -> String {
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/package\" ",
            "Target=\"../embeddings/{}\"/></Relationships>"
        ),
        workbook_name(n)
    )
}

/// The embedded workbook's file name.
pub fn workbook_name(n: usize) -> String {
    format!("Microsoft_Excel_Worksheet{n}.xlsx")
}

/// The run style that marks where chart `n` goes (no text can write a
/// run style: only this backend does).
pub fn marker(n: usize) -> String {
    format!("BriefkitChart{n}")
}

/// The document with each chart's marked run replaced by the run that
/// shows the chart.
pub fn place(document: &str, sizes: &[(u64, u64)]) -> String {
    let mut out = document.to_string();
    for (i, (cx, cy)) in sizes.iter().enumerate() {
        let n = i + 1;
        let tag = format!("<w:rStyle w:val=\"{}\"", marker(n));
        let Some(at) = out.find(&tag) else { continue };
        let start = out[..at]
            .rfind("<w:r>")
            .or_else(|| out[..at].rfind("<w:r "));
        let end = out[at..].find("</w:r>").map(|e| at + e + "</w:r>".len());
        if let (Some(start), Some(end)) = (start, end) {
            out.replace_range(start..end, &format!("<w:r>{}</w:r>", drawing(n, *cx, *cy)));
        }
    }
    out
}

/// The run that shows chart `n` (relationship `rIdChartN`), `cx` by `cy`
/// EMU; its `wp:docPr` is numbered and described with the pictures.
pub fn drawing(n: usize, cx: u64, cy: u64) -> String {
    format!(
        concat!(
            "<w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">",
            "<wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>",
            "<wp:docPr id=\"{n}\" name=\"Chart {n}\"/><wp:cNvGraphicFramePr/>",
            "<a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">",
            "<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">",
            "<c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" r:id=\"rIdChart{n}\"/>",
            "</a:graphicData></a:graphic></wp:inline></w:drawing>"
        ),
        n = n,
        cx = cx,
        cy = cy,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn columns_are_named_as_a_sheet_names_them() {
        assert_eq!(column(0), "A");
        assert_eq!(column(25), "Z");
        assert_eq!(column(26), "AA");
        assert_eq!(column(27), "AB");
        assert_eq!(column(701), "ZZ");
        assert_eq!(column(702), "AAA");
    }

    #[test]
    fn decimals_are_those_the_values_need() {
        assert_eq!(decimals([1.0, 20.0].into_iter()), 0);
        assert_eq!(decimals([1.5, 20.0].into_iter()), 1);
        assert_eq!(decimals([0.25].into_iter()), 2);
        assert_eq!(decimals([1.0 / 3.0].into_iter()), 3);
    }
}
