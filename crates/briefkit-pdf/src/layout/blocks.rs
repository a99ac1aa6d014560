//! Model blocks to rows: the typographic decisions of the brief (sizes,
//! spacing, cards, tables, the chart) live here.

use super::flow::Row;
use super::frame::{Item, LineMark, Link, LinkTarget, OutlineEntry, Rgb};
use super::tags::{Artifact, Mark, Marker, NodeId, Role, Structure};
use super::text::{break_lines, line_items, spans, Alignment, Line, Missing, Span, Style};
use crate::typefaces::{FaceId, FontBook};
use briefkit_model::theme::{LOOK, TYPE};
use briefkit_model::{plain_text, Align, Block, ContactKind, Document, Inline};
use std::collections::BTreeMap;

/// Body text size (the theme's).
pub const BODY: f32 = TYPE.body;
/// Body leading (the theme's).
pub const LEADING: f32 = TYPE.leading;

/// Shared state while turning blocks into rows.
pub struct BlockContext<'a> {
    /// The faces, shaping and hyphenation.
    pub fonts: &'a FontBook<'a>,
    /// The document.
    pub doc: &'a Document,
    /// Image sizes by path (pixels).
    pub image_sizes: &'a BTreeMap<String, (u32, u32)>,
    /// Characters the fonts lack.
    pub missing: Missing,
    /// Height of the text area (to cap images).
    pub page_room: f32,
    /// Paragraphs laid out so far (their numbers mark their lines).
    pub paragraphs: usize,
    /// The logical structure built so far.
    pub tree: Structure,
    /// The element new elements go into.
    pub parent: NodeId,
}

/// A box to lay into: left edge and width.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Left edge.
    pub x: f32,
    /// Width, in points.
    pub width: f32,
}

impl Column {
    pub(super) fn indent(self, by: f32) -> Column {
        Column {
            x: self.x + by,
            width: (self.width - by).max(20.0),
        }
    }
}

pub(super) fn style(face: FaceId, size: f32, color: Rgb) -> Style {
    Style {
        face,
        size,
        color,
        rise: 0.0,
        lang: None,
        statistic: None,
    }
}

/// Rows for a run of lines in one paragraph, with orphan and widow control.
pub fn line_rows(
    paragraph: usize,
    lines: &[Line],
    col: Column,
    leading: f32,
    ascent: f32,
    space_before: f32,
    marker: &mut Marker<'_>,
) -> Vec<Row> {
    let n = lines.len();
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let mut items = Vec::new();
            line_items(line, col.x, ascent, marker, &mut items);
            Row {
                height: leading,
                space_before: if i == 0 { space_before } else { 0.0 },
                items,
                // No single first line at a page foot, no single last line at a page top.
                keep_with_next: (i == 0 && n >= 2) || (n >= 3 && i == n - 2),
                footnotes: line.footnotes.clone(),
                line: Some(LineMark {
                    paragraph,
                    line: i,
                    lines: n,
                }),
                ..Row::default()
            }
        })
        .collect()
}

impl<'a> BlockContext<'a> {
    pub(super) fn text_rows(
        &mut self,
        spans: &[Span],
        col: Column,
        size: f32,
        align: Alignment,
        space_before: f32,
        node: NodeId,
    ) -> Vec<Row> {
        let lines = break_lines(self.fonts, spans, col.width, align, &mut self.missing);
        self.paragraphs += 1;
        line_rows(
            self.paragraphs,
            &lines,
            col,
            size * LEADING,
            size * 1.05,
            space_before,
            &mut Marker::content(&mut self.tree, node),
        )
    }

    /// Adds an element of `role` to the element being built.
    pub(super) fn add(&mut self, role: Role) -> NodeId {
        self.tree.add(self.parent, role)
    }

    /// Runs `f` with `node` as the element new elements go into.
    pub(super) fn inside<T>(&mut self, node: NodeId, f: impl FnOnce(&mut Self) -> T) -> T {
        let outer = std::mem::replace(&mut self.parent, node);
        let out = f(self);
        self.parent = outer;
        out
    }

    /// A paragraph of its own (`P`) in the element being built.
    pub(super) fn paragraph_p(
        &mut self,
        content: &[Inline],
        col: Column,
        base: &Style,
        align: Alignment,
        space_before: f32,
    ) -> Vec<Row> {
        let p = self.add(Role::P);
        self.paragraph(content, col, base, align, space_before, p)
    }

    /// A line of plain text as a paragraph of its own (`P`).
    pub(super) fn plain_p(
        &mut self,
        text: &str,
        col: Column,
        st: Style,
        align: Alignment,
        space_before: f32,
    ) -> Vec<Row> {
        let p = self.add(Role::P);
        self.plain(text, col, st, align, space_before, p)
    }

    pub(super) fn paragraph(
        &mut self,
        content: &[Inline],
        col: Column,
        base: &Style,
        align: Alignment,
        space_before: f32,
        node: NodeId,
    ) -> Vec<Row> {
        let mut s = Vec::new();
        spans(content, base, &self.doc.metadata.labels, &mut s);
        self.text_rows(&s, col, base.size, align, space_before, node)
    }

    pub(super) fn plain(
        &mut self,
        text: &str,
        col: Column,
        st: Style,
        align: Alignment,
        space_before: f32,
        node: NodeId,
    ) -> Vec<Row> {
        let s = vec![Span {
            text: text.to_string(),
            style: st.clone(),
            link: None,
            footnote: None,
        }];
        self.text_rows(&s, col, st.size, align, space_before, node)
    }

    /// Rows for one block.
    pub fn block(&mut self, block: &Block, col: Column) -> Vec<Row> {
        let body = style(FaceId::Serif, BODY, Rgb::INK);
        let labels = self.doc.metadata.labels.clone();
        match block {
            Block::Cover(c) => {
                let look = LOOK.masthead;
                let mut rows = Vec::new();
                if let Some(org) = &c.organization {
                    rows.extend(self.plain_p(
                        org,
                        col,
                        style(FaceId::SansBold, TYPE.organisation, Rgb::ACCENT),
                        Alignment::Left,
                        0.0,
                    ));
                }
                let h1 = self.add(Role::H(1));
                let mut title = self.plain(
                    &c.title,
                    col,
                    style(FaceId::SansBold, TYPE.title, Rgb::INK),
                    Alignment::Balanced,
                    look.title_gap,
                    h1,
                );
                if let Some(first) = title.first_mut() {
                    first.anchors.push(("title".into(), 0.0));
                }
                rows.extend(title);
                if let Some(s) = &c.subtitle {
                    rows.extend(self.plain_p(
                        s,
                        col,
                        style(FaceId::Serif, TYPE.subtitle, Rgb::MUTED),
                        Alignment::Balanced,
                        look.subtitle_gap,
                    ));
                }
                rows.extend(self.plain_p(
                    &c.date,
                    col,
                    style(FaceId::Sans, TYPE.date, Rgb::MUTED),
                    Alignment::Left,
                    look.date_gap,
                ));
                rows.push(Row {
                    height: look.space_after,
                    items: vec![Item::Rect {
                        x: col.x,
                        y: look.rule_gap,
                        w: col.width,
                        h: look.rule.0,
                        fill: Rgb::of(look.rule.1),
                        mark: Mark::Artifact(Artifact::Layout),
                    }],
                    ..Row::default()
                });
                for r in &mut rows {
                    r.keep_with_next = true;
                }
                rows
            }
            Block::Heading { level, id, content } => {
                let look = LOOK.heading(*level);
                let (size, face, color, before) = (
                    TYPE.heading(*level),
                    FaceId::SansBold,
                    Rgb::of(look.color),
                    look.space.before,
                );
                let h = self.add(Role::H(*level));
                let mut rows = self.paragraph(
                    content,
                    col,
                    &style(face, size, color),
                    Alignment::Balanced,
                    before,
                    h,
                );
                for r in &mut rows {
                    r.keep_with_next = true;
                }
                if let Some(first) = rows.first_mut() {
                    first.anchors.push((id.clone(), 0.0));
                    first.outline = Some(Box::new(OutlineEntry {
                        level: *level,
                        title: plain_text(content),
                        anchor: id.clone(),
                    }));
                }
                if let Some(last) = rows.last_mut() {
                    last.height += look.space.after;
                }
                rows
            }
            Block::Paragraph { content } => self.paragraph_p(
                content,
                col,
                &body,
                Alignment::Justify,
                LOOK.paragraph.before,
            ),
            Block::List {
                ordered,
                start,
                items,
            } => {
                let mut rows = Vec::new();
                let look = LOOK.list;
                let indent = look.indent;
                let list = self.add(Role::L);
                for (n, item) in items.iter().enumerate() {
                    let li = self.tree.add(list, Role::LI);
                    let lbl = self.tree.add(li, Role::Lbl);
                    let body_node = self.tree.add(li, Role::LBody);
                    let marker = if *ordered {
                        format!("{}.", *start as usize + n)
                    } else {
                        "•".to_string()
                    };
                    let mut item_rows = Vec::new();
                    self.inside(body_node, |this| {
                        for (k, b) in item.iter().enumerate() {
                            let mut r = match b {
                                Block::Paragraph { content } => this.paragraph_p(
                                    content,
                                    col.indent(indent),
                                    &body,
                                    Alignment::Left,
                                    if k == 0 {
                                        look.item_gap
                                    } else {
                                        look.paragraph_gap
                                    },
                                ),
                                other => this.block(other, col.indent(indent)),
                            };
                            item_rows.append(&mut r);
                        }
                    });
                    // A list does not split after its first item or before
                    // its last: those stay with their neighbour.
                    if items.len() >= 2 && (n == 0 || n + 2 == items.len()) {
                        if let Some(last) = item_rows.last_mut() {
                            last.keep_with_next = true;
                        }
                    }
                    if let Some(first) = item_rows.first_mut() {
                        let st = style(FaceId::Serif, BODY, Rgb::ACCENT);
                        let (glyphs, _) = self.fonts.shape(st.face, &marker, st.size);
                        let w: f32 = glyphs.iter().map(|g| g.advance).sum();
                        // The marker comes first in reading order.
                        first.items.insert(
                            0,
                            Item::Glyphs {
                                x: col.x + indent - look.marker_gap - w,
                                y: BODY * 1.05,
                                face: st.face,
                                size: st.size,
                                color: st.color,
                                glyphs,
                                mark: Mark::Content(lbl),
                            },
                        );
                    }
                    rows.extend(item_rows);
                }
                if let Some(first) = rows.first_mut() {
                    first.space_before = look.space.before;
                }
                rows
            }
            Block::Quote { blocks } => {
                let look = LOOK.quote;
                let inner = col.indent(look.indent);
                let mut rows = Vec::new();
                let quote = self.add(Role::BlockQuote);
                let face = if LOOK.quote_italic(&self.doc.metadata.language) {
                    FaceId::SerifItalic
                } else {
                    FaceId::Serif
                };
                self.inside(quote, |this| {
                    for b in blocks {
                        let mut r = match b {
                            Block::Paragraph { content } => this.paragraph_p(
                                content,
                                inner,
                                &style(face, BODY, Rgb::of(look.color)),
                                Alignment::Left,
                                look.paragraph_gap,
                            ),
                            other => this.block(other, inner),
                        };
                        rows.append(&mut r);
                    }
                });
                for r in &mut rows {
                    let top = -r.space_before;
                    r.items.insert(
                        0,
                        Item::Rect {
                            x: col.x,
                            y: top,
                            w: look.bar,
                            h: r.height + r.space_before,
                            fill: Rgb::of(look.bar_color),
                            mark: Mark::Artifact(Artifact::Layout),
                        },
                    );
                }
                if let Some(first) = rows.first_mut() {
                    first.space_before = look.space.before;
                }
                rows
            }
            Block::Code { text, .. } => {
                let mut rows = Vec::new();
                let p = self.add(Role::P);
                let code = self.tree.add(p, Role::Code);
                for (i, line) in text.lines().enumerate() {
                    rows.extend(self.plain(
                        if line.is_empty() { " " } else { line },
                        col.indent(LOOK.code.indent),
                        style(FaceId::Sans, TYPE.code, Rgb::INK),
                        Alignment::Left,
                        if i == 0 { LOOK.code.space.before } else { 0.0 },
                        code,
                    ));
                }
                rows
            }
            Block::Table(t) => {
                let header: Vec<Vec<Span>> =
                    t.header.iter().map(|c| self.cell_spans(c, true)).collect();
                let rows: Vec<Vec<Vec<Span>>> = t
                    .rows
                    .iter()
                    .map(|r| r.iter().map(|c| self.cell_spans(c, false)).collect())
                    .collect();
                self.table(&header, &rows, &t.align, col)
            }
            Block::Image(img) => self.image(img, col),
            Block::Rule => {
                // The hairline in the middle of a row as high as twice the
                // space before it.
                let look = LOOK.rule;
                let gap = look.space.before;
                vec![Row {
                    height: 2.0 * gap,
                    space_before: gap,
                    items: vec![Item::Line {
                        x1: col.x + col.width * (1.0 - look.span) / 2.0,
                        y1: gap,
                        x2: col.x + col.width * (1.0 + look.span) / 2.0,
                        y2: gap,
                        width: look.width,
                        color: Rgb::of(look.color),
                        mark: Mark::Artifact(Artifact::Layout),
                    }],
                    ..Row::default()
                }]
            }
            Block::KeyFigures { figures } => self.key_figures(figures, col),
            Block::Chart(c) => {
                // The picture, then its numbers as a table (as the EPUB and
                // the DOCX give them): a screen reader reaches them as one.
                let mut rows = self.chart(c, col);
                rows.extend(self.chart_table(c, col));
                rows
            }
            Block::StatisticsTable { rows: stat_rows } => {
                let sans = style(FaceId::SansBold, TYPE.table, Rgb::INK);
                let head = |t: &str| {
                    vec![Span {
                        text: t.to_string(),
                        style: sans.clone(),
                        link: None,
                        footnote: None,
                    }]
                };
                let header = vec![
                    head(&labels.value),
                    head(&labels.counts),
                    head(&labels.period),
                    head(&labels.source),
                ];
                let cell = |t: &str, link: Option<Link>| {
                    let color = if link.is_some() {
                        Rgb::ACCENT
                    } else {
                        Rgb::INK
                    };
                    vec![Span {
                        text: t.to_string(),
                        style: style(FaceId::Sans, TYPE.table, color),
                        link,
                        footnote: None,
                    }]
                };
                let rows: Vec<Vec<Vec<Span>>> = stat_rows
                    .iter()
                    .map(|r| {
                        vec![
                            {
                                // The figure (marked with its statistic),
                                // then its unit.
                                let (printed, unit) = r.figure_and_unit(self.doc);
                                let mut value = cell(printed, None);
                                for span in &mut value {
                                    span.style.statistic = Some(r.id.as_str().into());
                                }
                                if !unit.is_empty() {
                                    value.extend(cell(unit, None));
                                }
                                value
                            },
                            cell(&r.label, None),
                            cell(&r.period, None),
                            cell(
                                &r.source,
                                Some(Link::anchor(
                                    format!("source-{}", r.source_number),
                                    &r.source,
                                )),
                            ),
                        ]
                    })
                    .collect();
                self.table(
                    &header,
                    &rows,
                    &[Align::Right, Align::Left, Align::Left, Align::Left],
                    col,
                )
            }
            Block::Sources { sources } => {
                let mut rows = Vec::new();
                let list = self.add(Role::L);
                let st = style(FaceId::Serif, TYPE.sources, Rgb::INK);
                // The numbers hang before the names, as a list's do, each
                // the item's label (Lbl).
                let widest = sources
                    .iter()
                    .map(|s| {
                        self.fonts
                            .measure(st.face, &format!("{}.", s.number), st.size)
                    })
                    .fold(0.0_f32, f32::max);
                let indent = widest + st.size * LOOK.sources.number_gap;
                for s in sources {
                    let li = self.tree.add(list, Role::LI);
                    let lbl = self.tree.add(li, Role::Lbl);
                    let lbody = self.tree.add(li, Role::LBody);
                    let mut sp = vec![Span {
                        text: s.name.clone(),
                        style: st.clone(),
                        link: None,
                        footnote: None,
                    }];
                    if let Some(url) = &s.url {
                        sp.push(Span {
                            text: ". ".into(),
                            style: st.clone(),
                            link: None,
                            footnote: None,
                        });
                        sp.push(Span {
                            text: url.clone(),
                            style: Style {
                                color: Rgb::ACCENT,
                                ..st.clone()
                            },
                            link: Some(Link::new(LinkTarget::Uri(url.clone()), url)),
                            footnote: None,
                        });
                    }
                    let mut r = self.text_rows(
                        &sp,
                        col.indent(indent),
                        TYPE.sources,
                        Alignment::Left,
                        LOOK.sources.entry_gap,
                        lbody,
                    );
                    if let Some(first) = r.first_mut() {
                        first.anchors.push((s.anchor.clone(), 0.0));
                        let (glyphs, _) =
                            self.fonts
                                .shape(st.face, &format!("{}.", s.number), st.size);
                        let w: f32 = glyphs.iter().map(|g| g.advance).sum();
                        // The number first in reading order, set flush
                        // right against the names.
                        first.items.insert(
                            0,
                            Item::Glyphs {
                                x: col.x + widest - w,
                                y: TYPE.sources * 1.05,
                                face: st.face,
                                size: st.size,
                                color: st.color,
                                glyphs,
                                mark: Mark::Content(lbl),
                            },
                        );
                    }
                    rows.extend(r);
                }
                rows
            }
            Block::Contact(c) => {
                let mut rows = Vec::new();
                let div = self.add(Role::Div);
                for line in c.lines() {
                    let p = self.tree.add(div, Role::P);
                    let face = if line.kind == ContactKind::Name {
                        FaceId::SansBold
                    } else {
                        FaceId::Sans
                    };
                    let link = line
                        .href()
                        .map(|href| Link::new(LinkTarget::Uri(href), &line.text));
                    let color = if link.is_some() {
                        Rgb::ACCENT
                    } else {
                        Rgb::INK
                    };
                    // A number or address reads left to right even in a
                    // right-to-left brief: isolated, its groups keep their order.
                    let text = match line.kind {
                        ContactKind::Phone | ContactKind::Email | ContactKind::Url => {
                            format!("\u{2066}{}\u{2069}", line.text)
                        }
                        _ => line.text.clone(),
                    };
                    let sp = vec![Span {
                        text,
                        style: style(face, TYPE.sources, color),
                        link,
                        footnote: None,
                    }];
                    rows.extend(self.text_rows(&sp, col, TYPE.sources, Alignment::Left, 0.0, p));
                }
                if let Some(first) = rows.first_mut() {
                    first.space_before = LOOK.sources.contact_space.before;
                }
                rows
            }
        }
    }

    pub(super) fn cell_spans(&mut self, content: &[Inline], header: bool) -> Vec<Span> {
        let mut out = Vec::new();
        let face = if header {
            FaceId::SansBold
        } else {
            FaceId::Sans
        };
        spans(
            content,
            &style(face, TYPE.table, Rgb::INK),
            &self.doc.metadata.labels,
            &mut out,
        );
        out
    }
}
