//! Model blocks to docx-rs paragraphs and tables.

use crate::styles::id;
use briefkit_model::theme::LOOK;
use briefkit_model::{plain_text, Align, Assets, Block, Document, Inline};
use docx_rs::{
    AlignmentType, Docx, Footnote, Hyperlink, HyperlinkType, IndentLevel, NumberingId, Paragraph,
    Pic, Run, Shading, ShdType, Table, TableBorder, TableBorderPosition, TableBorders, TableCell,
    TableCellBorder, TableCellBorderPosition, TableCellMargins, TableRow, WidthType,
};

/// Paragraphs and tables in document order, gathered before they go into
/// the docx-rs document: the recursion over nested blocks then carries a
/// vector, not a whole `Docx` by value in every frame (which overflowed
/// the stack on deeply nested lists).
#[derive(Default)]
struct Body(Vec<Part>);

enum Part {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

impl Body {
    fn add_paragraph(mut self, p: Paragraph) -> Self {
        self.0.push(Part::Paragraph(Box::new(p)));
        self
    }

    fn add_table(mut self, t: Table) -> Self {
        self.0.push(Part::Table(Box::new(t)));
        self
    }
}

/// A numbered list: its numbering instance restarts the count at `start`
/// on the level the list is nested at.
pub struct NumberedList {
    /// The numbering instance (`w:numId`).
    pub num: usize,
    /// The list's nesting level (0 to 8).
    pub level: usize,
    /// The first number (`3` for a list written `3. ...`).
    pub start: u64,
}

/// Writes the document body into a docx-rs document.
pub struct DocxBody<'a> {
    /// Whether a table of contents follows the masthead and key figures.
    toc: bool,
    doc: &'a Document,
    /// Text column width in twentieths of a point.
    pub text_width_twips: u32,
    /// Next numbering instance id (`1` is docx-rs's own).
    pub next_num_id: usize,
    /// Numbered lists made, to register with their restart overrides.
    pub numbered_lists: Vec<NumberedList>,
    /// Images by path.
    images: &'a std::collections::BTreeMap<String, Vec<u8>>,
    /// Bookmark ids handed out.
    next_bookmark: usize,
    /// Warnings for the caller.
    pub warnings: Vec<briefkit_model::Diagnostic>,
    /// Alternative text of each picture, in document order (docx-rs cannot
    /// write `wp:docPr descr`; the package pass adds it).
    pub picture_alts: Vec<String>,
    /// The charts, in document order, with their width and height in EMU:
    /// chart `n` is drawn where the run of style `BriefkitChart{n}` stands
    /// (the package pass puts the chart there).
    pub charts: Vec<(&'a briefkit_model::Chart, u64, u64)>,
    /// The table faces' widths, to size columns from their content.
    measure: crate::measure::Measure<'a>,
}

/// Abstract numbering id of bullet lists.
pub const BULLET_ABSTRACT: usize = 2;
/// Abstract numbering id of numbered lists.
pub const NUMBER_ABSTRACT: usize = 3;
/// Numbering instance of bullet lists.
pub const BULLET_NUM: usize = 2;

impl<'a> DocxBody<'a> {
    /// A writer for `doc`.
    pub fn new(doc: &'a Document, toc: bool, text_width_twips: u32, assets: &Assets<'a>) -> Self {
        Self {
            doc,
            toc,
            text_width_twips,
            next_num_id: 3,
            numbered_lists: Vec::new(),
            images: assets.images,
            next_bookmark: 1,
            warnings: Vec::new(),
            picture_alts: Vec::new(),
            charts: Vec::new(),
            measure: crate::measure::Measure::new(assets),
        }
    }

    /// Adds every block of the document (and, when asked, a table of
    /// contents after the masthead).
    pub fn write(&mut self, mut docx: Docx) -> Docx {
        let mut toc_pending = self.toc;
        for block in &self.doc.blocks {
            if toc_pending && !matches!(block, Block::Cover(_)) {
                docx = self.table_of_contents(docx);
                toc_pending = false;
            }
            for part in self.block(Body::default(), block, 0).0 {
                docx = match part {
                    Part::Paragraph(p) => docx.add_paragraph(*p),
                    Part::Table(t) => docx.add_table(*t),
                };
            }
        }
        docx
    }

    /// A TOC field whose cached result already lists the headings (linked
    /// to their bookmarks), so readers see it before any update; Word
    /// refreshes it on opening (`w:updateFields` in the settings).
    fn table_of_contents(&mut self, docx: Docx) -> Docx {
        let labels = &self.doc.metadata.labels;
        let mut docx = docx
            .add_paragraph(styled(id::TOC_HEADING).add_run(Run::new().add_text(&labels.contents)));
        let headings: Vec<(u8, String, String)> = self
            .doc
            .headings()
            .into_iter()
            .filter(|(l, _, _)| *l <= 3)
            .collect();
        let instr = docx_rs::InstrText::TOC(
            docx_rs::InstrToC::new()
                .heading_styles_range(1, 3)
                .hyperlink(),
        );
        let begin = Run::new()
            .add_field_char(docx_rs::FieldCharType::Begin, true)
            .add_instr_text(instr)
            .add_field_char(docx_rs::FieldCharType::Separate, false);
        if headings.is_empty() {
            return docx.add_paragraph(
                styled(id::TOC1)
                    .add_run(begin)
                    .add_run(Run::new().add_field_char(docx_rs::FieldCharType::End, false)),
            );
        }
        let last = headings.len() - 1;
        for (i, (level, anchor, text)) in headings.iter().enumerate() {
            let mut p = styled(&format!("TOC{}", (*level).clamp(1, 3)));
            if i == 0 {
                p = p.add_run(begin.clone());
            }
            p = p.add_hyperlink(
                Hyperlink::new(bookmark_name(anchor), HyperlinkType::Anchor)
                    .add_run(Run::new().add_text(text)),
            );
            if i == last {
                p = p.add_run(Run::new().add_field_char(docx_rs::FieldCharType::End, false));
            }
            docx = docx.add_paragraph(p);
        }
        docx
    }

    fn block(&mut self, docx: Body, block: &'a Block, depth: usize) -> Body {
        let labels = &self.doc.metadata.labels;
        match block {
            Block::Cover(c) => {
                let mut docx = docx;
                if let Some(org) = &c.organization {
                    docx = docx
                        .add_paragraph(styled(id::ORGANIZATION).add_run(Run::new().add_text(org)));
                }
                docx = docx.add_paragraph(styled(id::TITLE).add_run(Run::new().add_text(&c.title)));
                if let Some(s) = &c.subtitle {
                    docx = docx.add_paragraph(styled(id::SUBTITLE).add_run(Run::new().add_text(s)));
                }
                docx.add_paragraph(styled(id::DATE).add_run(Run::new().add_text(&c.date)))
            }
            Block::Heading {
                level,
                id: anchor,
                content,
            } => {
                let l = (*level).clamp(1, 3);
                let bid = self.bookmark();
                let p = styled(&format!("Heading{l}"))
                    .add_bookmark_start(bid, bookmark_name(anchor))
                    .add_bookmark_end(bid);
                docx.add_paragraph(self.inlines(p, content))
            }
            Block::Paragraph { content } => {
                let p = self.inlines(styled(id::BODY), content);
                docx.add_paragraph(p)
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                let num = if *ordered {
                    let n = self.next_num_id;
                    self.next_num_id += 1;
                    self.numbered_lists.push(NumberedList {
                        num: n,
                        level: depth.min(8),
                        start: *start,
                    });
                    n
                } else {
                    BULLET_NUM
                };
                let style = if *ordered {
                    id::LIST_NUMBER
                } else {
                    id::LIST_BULLET
                };
                let mut docx = docx;
                for item in items {
                    let mut first = true;
                    for b in item {
                        match b {
                            Block::Paragraph { content } if first => {
                                let p = styled(style).numbering(
                                    NumberingId::new(num),
                                    IndentLevel::new(depth.min(8)),
                                );
                                docx = docx.add_paragraph(self.inlines(p, content));
                            }
                            Block::List { .. } => docx = self.block(docx, b, depth + 1),
                            other => docx = self.block(docx, other, depth),
                        }
                        first = false;
                    }
                }
                docx
            }
            Block::Quote { blocks } => {
                let mut docx = docx;
                for (i, b) in blocks.iter().enumerate() {
                    docx = match b {
                        Block::Paragraph { content } => {
                            let mut p = styled(id::QUOTE);
                            if i == 0 {
                                // The quote's own space above it (the style
                                // has the gap between its paragraphs).
                                p = p.line_spacing(
                                    docx_rs::LineSpacing::new()
                                        .before(crate::styles::twips(LOOK.quote.space.before)),
                                );
                            }
                            docx.add_paragraph(self.inlines(p, content))
                        }
                        other => self.block(docx, other, depth),
                    };
                }
                docx
            }
            Block::Code { text, .. } => {
                let mut docx = docx;
                for line in text.lines() {
                    docx = docx.add_paragraph(styled(id::CODE).add_run(Run::new().add_text(line)));
                }
                docx
            }
            Block::Table(t) => {
                let header: Vec<TableCell> = t
                    .header
                    .iter()
                    .enumerate()
                    .map(|(i, c)| self.cell(c, t.align.get(i).copied(), None))
                    .collect();
                let mut rows = vec![TableRow::new(header)];
                for (n, r) in t.rows.iter().enumerate() {
                    rows.push(TableRow::new(
                        r.iter()
                            .enumerate()
                            .map(|(i, c)| self.cell(c, t.align.get(i).copied(), Some(n)))
                            .collect(),
                    ));
                }
                let texts: Vec<Vec<String>> = std::iter::once(&t.header)
                    .chain(&t.rows)
                    .map(|r| r.iter().map(|c| plain_text(c)).collect())
                    .collect();
                docx.add_table(self.table(rows, &texts, id::TABLE))
            }
            Block::Image(img) => {
                let Some(bytes) = self.images.get(&img.src) else {
                    return docx;
                };
                match image::load_from_memory(bytes) {
                    Ok(decoded) => {
                        let (w, h) = (decoded.width().max(1), decoded.height().max(1));
                        let max_w = self.text_width_twips as u64 * 635;
                        let native_w = w as u64 * 9525;
                        let emu_w = native_w.min(max_w);
                        let emu_h = emu_w * h as u64 / w as u64;
                        let mut png = Vec::new();
                        if decoded
                            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                            .is_err()
                        {
                            return docx;
                        }
                        self.picture_alts.push(img.alt.clone());
                        let pic = Pic::new_with_dimensions(png, w, h)
                            .id(format!("rIdImage{}", self.picture_alts.len()))
                            .size(emu_w as u32, emu_h as u32);
                        let mut docx = docx.add_paragraph(
                            Paragraph::new()
                                .style(id::BODY)
                                .add_run(Run::new().add_image(pic)),
                        );
                        if let Some(t) = &img.title {
                            docx = docx
                                .add_paragraph(styled(id::CAPTION).add_run(Run::new().add_text(t)));
                        }
                        docx
                    }
                    Err(e) => {
                        self.warnings.push(briefkit_model::Diagnostic::warning(
                            Some(briefkit_model::Span::file(&img.src)),
                            format!(
                                "image `{}` could not be decoded ({e}); it is left out of the DOCX",
                                img.src
                            ),
                        ));
                        docx
                    }
                }
            }
            Block::Rule => docx.add_paragraph(
                styled(id::BODY)
                    .align(AlignmentType::Center)
                    .add_run(Run::new().add_text("⁂")),
            ),
            Block::KeyFigures { figures } => {
                let cells: Vec<TableCell> = figures
                    .iter()
                    .map(|f| {
                        let mut value = Paragraph::new().style(id::KEY_VALUE);
                        value = value.add_hyperlink(
                            Hyperlink::new(
                                format!("source-{}", f.source_number),
                                HyperlinkType::Anchor,
                            )
                            .add_run(figure_run(
                                &f.id,
                                "",
                                Run::new().add_text(&f.value),
                            )),
                        );
                        if let Some(u) = &f.unit {
                            value = value
                                .add_run(Run::new().style(id::KEY_UNIT).add_text(format!(" {u}")));
                        }
                        let src = f.source_and_period(&self.doc.metadata.labels);
                        // The card: the theme's fill, its bar at the start
                        // edge (a physical side in WordprocessingML).
                        let card = LOOK.card;
                        let start = if self.doc.metadata.direction.is_rtl() {
                            TableCellBorderPosition::Right
                        } else {
                            TableCellBorderPosition::Left
                        };
                        TableCell::new()
                            .shading(
                                Shading::new()
                                    .shd_type(ShdType::Clear)
                                    .fill(card.fill.hex())
                                    .color("auto"),
                            )
                            .set_borders(
                                docx_rs::TableCellBorders::with_empty().set(
                                    TableCellBorder::new(start)
                                        .size(crate::styles::eighths(card.bar))
                                        .color(card.bar_color.hex()),
                                ),
                            )
                            .add_paragraph(value)
                            .add_paragraph(
                                Paragraph::new()
                                    .style(id::KEY_LABEL)
                                    .add_run(Run::new().add_text(&f.label)),
                            )
                            .add_paragraph(
                                Paragraph::new()
                                    .style(id::KEY_SOURCE)
                                    .add_run(Run::new().add_text(src)),
                            )
                    })
                    .collect();
                let texts = vec![vec![String::new(); figures.len()]];
                docx.add_table(self.table(vec![TableRow::new(cells)], &texts, id::KEY_TABLE))
            }
            Block::Chart(c) => {
                let mut docx = docx.add_paragraph(
                    styled(id::CAPTION)
                        .keep_next(true)
                        .add_run(Run::new().add_text(&c.title)),
                );
                // Drawn as the PDF lays it out, the text's width wide.
                let g = briefkit_model::chart::layout(
                    c,
                    600.0,
                    16.0,
                    &briefkit_model::chart::approximate_measure,
                );
                let cx = u64::from(self.text_width_twips) * 635;
                let mut cy = (cx as f64 * f64::from(g.height) / f64::from(g.width.max(1.0))) as u64;
                if c.kind == briefkit_model::ChartKind::Dots {
                    // Word draws the dots up a value axis, over their
                    // series' names: as tall as a column chart.
                    cy = cy.max(cx / 2);
                }
                self.picture_alts.push(c.alt.clone());
                self.charts.push((c, cx, cy));
                // Not kept with the table after it: a caption, a chart and
                // a long table kept together do not fit a page, and
                // LibreOffice then parts the caption from its chart. Its
                // lines kept together: without, LibreOffice leaves the
                // caption alone at the foot of a page.
                docx = docx.add_paragraph(
                    Paragraph::new()
                        .style(id::BODY)
                        .keep_lines(true)
                        .add_run(Run::new().style(&crate::chart_part::marker(self.charts.len()))),
                );
                // The numbers: a row a category, a column a series.
                let (heads, cells) = c.table(labels);
                let align = |i: usize| if i == 0 { Align::Left } else { Align::Right };
                let mut rows = vec![TableRow::new(
                    heads
                        .iter()
                        .enumerate()
                        .map(|(i, h)| self.text_cell(h, align(i), None))
                        .collect(),
                )];
                for (n, row) in cells.iter().enumerate() {
                    rows.push(TableRow::new(
                        row.iter()
                            .enumerate()
                            .map(|(i, v)| self.text_cell(v, align(i), Some(n)))
                            .collect(),
                    ));
                }
                let texts: Vec<Vec<String>> = std::iter::once(heads).chain(cells).collect();
                let mut docx = docx
                    .add_table(self.table(rows, &texts, id::TABLE))
                    .add_paragraph(
                        styled(id::KEY_SOURCE).add_run(Run::new().add_text(&c.source_line)),
                    );
                if let Some(note) = &c.note {
                    docx = docx
                        .add_paragraph(styled(id::KEY_SOURCE).add_run(Run::new().add_text(note)));
                }
                docx
            }
            Block::StatisticsTable { rows: stat_rows } => {
                let mut rows = vec![TableRow::new(vec![
                    self.text_cell(&labels.value, Align::Right, None),
                    self.text_cell(&labels.counts, Align::Left, None),
                    self.text_cell(&labels.period, Align::Left, None),
                    self.text_cell(&labels.source, Align::Left, None),
                ])];
                for (n, r) in stat_rows.iter().enumerate() {
                    // The figure (a control bound to the data) and its unit.
                    let (printed, unit) = r.figure_and_unit(self.doc);
                    let mut value = Paragraph::new()
                        .style(id::TABLE_TEXT)
                        .align(AlignmentType::Right)
                        .add_run(figure_run(&r.id, "", Run::new().add_text(printed)));
                    if !unit.is_empty() {
                        value = value.add_run(Run::new().add_text(unit));
                    }
                    let source = Paragraph::new().style(id::TABLE_TEXT).add_hyperlink(
                        Hyperlink::new(
                            format!("source-{}", r.source_number),
                            HyperlinkType::Anchor,
                        )
                        .add_run(Run::new().style(id::HYPERLINK).add_text(&r.source)),
                    );
                    rows.push(TableRow::new(vec![
                        ruled(TableCell::new().add_paragraph(value), Some(n)),
                        self.text_cell(&r.label, Align::Left, Some(n)),
                        self.text_cell(&r.period, Align::Left, Some(n)),
                        ruled(TableCell::new().add_paragraph(source), Some(n)),
                    ]));
                }
                let mut texts = vec![vec![
                    labels.value.clone(),
                    labels.counts.clone(),
                    labels.period.clone(),
                    labels.source.clone(),
                ]];
                texts.extend(stat_rows.iter().map(|r| {
                    vec![
                        r.value.clone(),
                        r.label.clone(),
                        r.period.clone(),
                        r.source.clone(),
                    ]
                }));
                docx.add_table(self.table(rows, &texts, id::TABLE))
            }
            Block::Sources { sources } => {
                // A numbered list, as in the PDF and EPUB: Word and Pandoc
                // read its numbers as a list's.
                let num = self.next_num_id;
                self.next_num_id += 1;
                self.numbered_lists.push(NumberedList {
                    num,
                    level: 0,
                    start: sources.first().map_or(1, |s| s.number as u64),
                });
                let mut docx = docx;
                for s in sources {
                    let bid = self.bookmark();
                    let mut p = styled(id::SOURCE)
                        .numbering(NumberingId::new(num), IndentLevel::new(0))
                        .add_bookmark_start(bid, bookmark_name(&s.anchor))
                        .add_run(Run::new().add_text(&s.name))
                        .add_bookmark_end(bid);
                    if let Some(url) = &s.url {
                        p = p.add_run(Run::new().add_text(". ")).add_hyperlink(
                            Hyperlink::new(url, HyperlinkType::External)
                                .add_run(Run::new().style(id::HYPERLINK).add_text(url)),
                        );
                    }
                    docx = docx.add_paragraph(p);
                }
                docx
            }
            Block::Contact(c) => {
                let mut docx = docx;
                for line in c.lines() {
                    let p = styled(id::CONTACT);
                    let p = match line.href() {
                        Some(href) => p.add_hyperlink(
                            Hyperlink::new(href, HyperlinkType::External)
                                .add_run(Run::new().style(id::HYPERLINK).add_text(&line.text)),
                        ),
                        None if line.kind == briefkit_model::ContactKind::Name => {
                            p.add_run(Run::new().bold().add_text(&line.text))
                        }
                        None => p.add_run(Run::new().add_text(&line.text)),
                    };
                    docx = docx.add_paragraph(p);
                }
                docx
            }
        }
    }

    fn bookmark(&mut self) -> usize {
        let b = self.next_bookmark;
        self.next_bookmark += 1;
        b
    }

    /// A full-width table. A table of data (one header row) sizes its
    /// columns from their content, none narrower than its widest number or
    /// word (see [`crate::measure::column_widths`]); the key figures'
    /// cards share the width equally.
    fn table(&self, rows: Vec<TableRow>, texts: &[Vec<String>], style: &str) -> Table {
        // A row is never split across pages: a figure and its unit stay
        // together, as in the PDF.
        let rows: Vec<TableRow> = rows.into_iter().map(TableRow::cant_split).collect();
        let width = self.text_width_twips as usize;
        let grid = if style == id::KEY_TABLE {
            let columns = texts.iter().map(Vec::len).max().unwrap_or(1).max(1);
            vec![width / columns; columns]
        } else {
            crate::measure::column_widths(texts, 1, width, &self.measure)
        };
        // The house table: no verticals, a hairline in the rule colour
        // between rows and under the last, the header's line in ink (its
        // cells carry it); the key figures' cards have no lines at all.
        let look = LOOK.table;
        let line = |position: TableBorderPosition| {
            let none = TableBorder::new(position.clone()).border_type(docx_rs::BorderType::None);
            let rule = TableBorder::new(position.clone())
                .size(crate::styles::eighths(look.rule.0))
                .color(look.rule.1.hex());
            let ruled = style != id::KEY_TABLE
                && matches!(
                    position,
                    TableBorderPosition::InsideH | TableBorderPosition::Bottom
                );
            if ruled {
                rule
            } else {
                none
            }
        };
        let borders = [
            TableBorderPosition::Top,
            TableBorderPosition::Left,
            TableBorderPosition::Bottom,
            TableBorderPosition::Right,
            TableBorderPosition::InsideH,
            TableBorderPosition::InsideV,
        ]
        .into_iter()
        .fold(TableBorders::with_empty(), |b, p| b.set(line(p)));
        let pad = crate::styles::twips(look.padding) as usize;
        let table = Table::new(rows)
            .style(style)
            .width(width, WidthType::Dxa)
            .set_grid(grid)
            .set_borders(borders);
        if style == id::KEY_TABLE {
            table
        } else {
            table.margins(TableCellMargins::new().margin(pad, pad, pad, pad))
        }
    }

    /// A table cell of body row `row` (`None`: the header row); header
    /// cells take the Table Heading style.
    fn cell(&mut self, content: &[Inline], align: Option<Align>, row: Option<usize>) -> TableCell {
        let mut p = Paragraph::new().style(if row.is_none() {
            id::TABLE_HEADING
        } else {
            id::TABLE_TEXT
        });
        if align == Some(Align::Right) {
            p = p.align(AlignmentType::Right);
        } else if align == Some(Align::Center) {
            p = p.align(AlignmentType::Center);
        }
        let p = self.inlines(p, content);
        let cell = TableCell::new().add_paragraph(p);
        ruled(cell, row)
    }

    /// A cell holding plain text.
    fn text_cell(&mut self, text: &str, align: Align, row: Option<usize>) -> TableCell {
        self.cell(
            &[Inline::Text {
                text: text.to_string(),
            }],
            Some(align),
            row,
        )
    }

    fn inlines(&mut self, mut p: Paragraph, inlines: &[Inline]) -> Paragraph {
        let fmt = Fmt {
            bold: false,
            italic: false,
            code: false,
            lang: None,
        };
        for inline in inlines {
            p = self.inline(p, inline, fmt);
        }
        p
    }

    fn inline(&mut self, p: Paragraph, inline: &Inline, fmt: Fmt<'_>) -> Paragraph {
        match inline {
            Inline::Text { text } => p.add_run(fmt.run().add_text(text)),
            Inline::Emphasis { content } => {
                let f = Fmt {
                    italic: true,
                    ..fmt
                };
                content.iter().fold(p, |p, i| self.inline(p, i, f))
            }
            Inline::Strong { content } => {
                let f = Fmt { bold: true, ..fmt };
                content.iter().fold(p, |p, i| self.inline(p, i, f))
            }
            // A passage in another language: its runs carry its tag (see
            // `Fmt::run` and `crate::package::span_languages`).
            Inline::Span { content, lang } => {
                let f = Fmt {
                    lang: Some(lang),
                    ..fmt
                };
                content.iter().fold(p, |p, i| self.inline(p, i, f))
            }
            Inline::Code { text } => p.add_run(Fmt { code: true, ..fmt }.run().add_text(text)),
            Inline::Link { url, content } => {
                let text = plain_text(content);
                let (target, kind) = match url.strip_prefix('#') {
                    Some(anchor) => (bookmark_name(anchor), HyperlinkType::Anchor),
                    None => (url.clone(), HyperlinkType::External),
                };
                p.add_hyperlink(
                    Hyperlink::new(target, kind)
                        .add_run(fmt.run().style(id::HYPERLINK).add_text(text)),
                )
            }
            Inline::Stat {
                id: statistic,
                text,
                source,
                citation,
            } => {
                let target = format!("source-{source}");
                let p = p.add_hyperlink(
                    Hyperlink::new(&target, HyperlinkType::Anchor).add_run(figure_run(
                        statistic,
                        id::STAT,
                        fmt.run().add_text(text),
                    )),
                );
                match citation {
                    Some(c) => p.add_run(Run::new().add_text("\u{a0}")).add_hyperlink(
                        Hyperlink::new(&target, HyperlinkType::Anchor)
                            .add_run(Run::new().style(id::CITATION).add_text(c)),
                    ),
                    None => p,
                }
            }
            Inline::FootnoteRef { number } => {
                // Our own id (the note's number): docx-rs counts ids process-wide.
                let mut note = Footnote {
                    id: *number,
                    content: Vec::new(),
                };
                if let Some(n) = self.doc.footnotes.iter().find(|n| n.number == *number) {
                    for b in &n.blocks {
                        if let Block::Paragraph { content } = b {
                            let para =
                                self.inlines(Paragraph::new().style(id::FOOTNOTE_TEXT), content);
                            note = note.add_content(para);
                        } else {
                            let para = Paragraph::new()
                                .style(id::FOOTNOTE_TEXT)
                                .add_run(Run::new().add_text(block_text(b)));
                            note = note.add_content(para);
                        }
                    }
                }
                p.add_run(Run::new().add_footnote_reference(note))
            }
            Inline::LineBreak => p.add_run(Run::new().add_break(docx_rs::BreakType::TextWrapping)),
        }
    }
}

#[derive(Clone, Copy)]
struct Fmt<'a> {
    bold: bool,
    italic: bool,
    code: bool,
    /// The language of a passage (`<span lang="es">`).
    lang: Option<&'a str>,
}

/// How a run carries its passage's language to the package pass: docx-rs
/// writes no `w:lang` on runs, so the tag rides in `w:rFonts w:cstheme`
/// until `crate::package::span_languages` turns it into `w:lang`.
pub const LANG_CARRIER: &str = "briefkit-lang:";

impl Fmt<'_> {
    fn run(self) -> Run {
        let mut r = Run::new();
        if self.bold {
            r = r.bold();
        }
        if self.italic {
            r = r.italic();
        }
        let mut fonts = None;
        if self.code {
            fonts = Some(
                docx_rs::RunFonts::new()
                    .ascii("Noto Sans Mono")
                    .hi_ansi("Noto Sans Mono"),
            );
        }
        if let Some(lang) = self.lang {
            fonts = Some(
                fonts
                    .unwrap_or_else(docx_rs::RunFonts::new)
                    .cs_theme(format!("{LANG_CARRIER}{lang}")),
            );
        }
        if let Some(fonts) = fonts {
            r = r.fonts(fonts);
        }
        r
    }
}

/// The run style that marks a figure's run for the package pass
/// ([`crate::package::figure_controls`]): `BriefkitFigure.{statistic}.{style}`
/// (a statistic's id has no `.`).
pub const FIGURE_MARKER: &str = "BriefkitFigure.";

/// `run`, printing `statistic`'s value, in character style `style` (none
/// when empty): the package pass makes it a content control bound to the
/// statistic's printed value in the data part.
fn figure_run(statistic: &str, style: &str, run: Run) -> Run {
    run.style(&format!("{FIGURE_MARKER}{statistic}.{style}"))
}

fn styled(style: &str) -> Paragraph {
    Paragraph::new().style(style)
}

fn block_text(b: &Block) -> String {
    match b {
        Block::Paragraph { content } | Block::Heading { content, .. } => plain_text(content),
        _ => String::new(),
    }
}

/// A Word bookmark name for an anchor: at most 40 characters (the schema's
/// limit). A longer anchor keeps its first 31 characters and gets a hash
/// of the whole, so names stay unique and the same on every build.
pub fn bookmark_name(anchor: &str) -> String {
    if anchor.chars().count() <= 40 {
        return anchor.to_string();
    }
    // FNV-1a, 32 bits.
    let hash = anchor.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    let head: String = anchor.chars().take(31).collect();
    format!("{head}_{hash:08x}")
}

/// A cell as the theme's table has it: the header's line and fill (`row`
/// `None`), every other body row tinted, as in the PDF and EPUB.
fn ruled(cell: TableCell, row: Option<usize>) -> TableCell {
    let look = LOOK.table;
    let fill = |color: briefkit_model::theme::Color| {
        Shading::new()
            .shd_type(ShdType::Clear)
            .fill(color.hex())
            .color("auto")
    };
    match row {
        None => cell
            .set_borders(
                docx_rs::TableCellBorders::with_empty().set(
                    TableCellBorder::new(TableCellBorderPosition::Bottom)
                        .size(crate::styles::eighths(look.head_rule.0))
                        .color(look.head_rule.1.hex()),
                ),
            )
            .shading(fill(look.head_fill)),
        // Every other body row tinted, as in the PDF and EPUB.
        Some(i) if i % 2 == 1 => cell.shading(fill(look.zebra)),
        Some(_) => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::bookmark_name;

    #[test]
    fn bookmark_names_fit_words_limit_and_stay_distinct() {
        assert_eq!(bookmark_name("source-1"), "source-1");
        let a = bookmark_name("section-ab-the-field-teams-reported-that-shelters-along");
        let b = bookmark_name("section-ab-the-field-teams-reported-that-shelters-across");
        assert_eq!(a.chars().count(), 40);
        assert_ne!(a, b);
        assert_eq!(
            a,
            bookmark_name("section-ab-the-field-teams-reported-that-shelters-along")
        );
    }
}
