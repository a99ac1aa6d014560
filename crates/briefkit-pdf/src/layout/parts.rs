//! The brief's composite parts, laid out as rows: the table of contents,
//! tables, images, key-figure cards, the chart and the footnotes.

use super::blocks::{line_rows, style, BlockContext, Column};
use super::flow::{PageRef, Row};
use super::frame::{Item, Link, LinkTarget, Rgb};
use super::tags::{Artifact, Mark, Marker, Role, Scope};
use super::text::{break_lines, line_items, spans, Alignment, Span, Style};
use crate::typefaces::{FaceId, FontBook};
use briefkit_model::chart::{self, Anchor as TextAnchor, Shape};
use briefkit_model::theme::{series_colour, LOOK, TYPE};
use briefkit_model::{Align, Block};
use std::collections::BTreeMap;
use std::sync::Arc;

impl BlockContext<'_> {
    /// The table of contents: a title, then one entry per heading with
    /// dot leaders and a placeholder page number (filled in after the
    /// pages are made; the number column has a fixed width, so the
    /// entries' lines do not depend on the numbers). Entries link to their
    /// headings.
    pub fn contents(&mut self, col: Column) -> Vec<Row> {
        let headings = self.doc.headings();
        if headings.is_empty() {
            return Vec::new();
        }
        let title = self.doc.metadata.labels.contents.clone();
        let heading = self.add(Role::H(2));
        // Its title is a level-2 heading.
        let title_look = LOOK.heading(2);
        let look = LOOK.contents;
        let mut rows = self.plain(
            &title,
            col,
            style(FaceId::SansBold, TYPE.heading(2), Rgb::of(title_look.color)),
            Alignment::Left,
            title_look.space.before,
            heading,
        );
        let toc = self.add(Role::TOC);
        for r in &mut rows {
            r.keep_with_next = true;
        }
        if let Some(last) = rows.last_mut() {
            last.height += title_look.space.after;
        }
        let top = headings.iter().map(|h| h.0).min().unwrap_or(1);
        let number_width = look.number_width;
        for (level, anchor, text) in headings {
            let depth = f32::from(level.saturating_sub(top).min(2));
            let st = if depth == 0.0 {
                style(FaceId::Sans, TYPE.toc[0], Rgb::INK)
            } else {
                style(FaceId::Serif, TYPE.toc[1], Rgb::INK)
            };
            let entry = Column {
                x: col.x + depth * look.indent,
                width: col.width - depth * look.indent - number_width - look.number_gap,
            };
            let link = Link::anchor(anchor.clone(), &text);
            let spans = vec![Span {
                text,
                style: st.clone(),
                link: Some(link.clone()),
                footnote: None,
            }];
            let lines = break_lines(
                self.fonts,
                &spans,
                entry.width,
                Alignment::Left,
                &mut self.missing,
            );
            let leading = st.size * look.leading;
            let toci = self.tree.add(toc, Role::TOCI);
            let mut marker = Marker::content(&mut self.tree, toci);
            let mut entry_rows = line_rows(
                0,
                &lines,
                entry,
                leading,
                st.size * 1.05,
                if depth == 0.0 {
                    look.entry_gap.0
                } else {
                    look.entry_gap.1
                },
                &mut marker,
            );
            // The entry's Link element, which the number joins.
            let (link_mark, link_node) = marker.mark(Some(&link), None, None);
            let (Some(last), Some(last_line)) = (entry_rows.last_mut(), lines.last()) else {
                continue;
            };
            // One annotation for the last line, to the page number (pushed
            // below): it takes the place of the one of the line's words.
            last.items
                .retain(|i| !matches!(i, Item::Link { node, .. } if *node == link_node));
            // Dot leaders from the text to the number column.
            let right = col.x + col.width;
            let (dot, _) = self.fonts.shape(st.face, ".", st.size);
            let gap = look.leader;
            let from = entry.x + last_line.width + look.leader_margins.0;
            let to = right - number_width - look.leader_margins.1;
            if let Some(d) = dot.first() {
                let count = ((to - from) / gap).floor().max(0.0) as usize;
                if count > 0 {
                    let glyphs = (0..count)
                        .map(|_| crate::typefaces::Glyph {
                            advance: gap,
                            ..d.clone()
                        })
                        .collect();
                    last.items.push(Item::Glyphs {
                        x: to - count as f32 * gap,
                        y: st.size * 1.05,
                        face: st.face,
                        size: st.size,
                        color: Rgb::MUTED,
                        glyphs,
                        mark: Mark::Artifact(Artifact::Layout),
                    });
                }
            }
            // The number, filled in later; right-aligned at `right`.
            last.page_ref = Some(Box::new(PageRef {
                anchor: anchor.clone(),
                item: last.items.len(),
                right,
            }));
            last.items.push(Item::Glyphs {
                x: right,
                y: st.size * 1.05,
                face: st.face,
                size: st.size,
                color: Rgb::INK,
                glyphs: Vec::new(),
                mark: link_mark,
            });
            last.items.push(Item::Link {
                x: entry.x,
                y: 0.0,
                w: right - entry.x,
                h: leading,
                target: LinkTarget::Anchor(anchor),
                node: link_node,
                pieces: vec![(entry.x, right - entry.x)],
            });
            for r in &mut entry_rows {
                r.line = None;
            }
            rows.extend(entry_rows);
        }
        if let Some(last) = rows.last_mut() {
            last.height += look.space_after;
        }
        rows
    }

    /// A table: widths from content, wrapped cells, zebra rows, header
    /// repeated on every page it spans.
    pub(super) fn table(
        &mut self,
        header: &[Vec<Span>],
        rows: &[Vec<Vec<Span>>],
        align: &[Align],
        col: Column,
    ) -> Vec<Row> {
        let ncols = header
            .len()
            .max(rows.iter().map(Vec::len).max().unwrap_or(0))
            .max(1);
        let look = LOOK.table;
        let pad = look.padding;
        let natural = |fonts: &FontBook<'_>, cell: &[Span]| -> (f32, f32) {
            let mut full = 0.0;
            let mut longest: f32 = 0.0;
            // Word by word (shaped words are cached; whole cells are not
            // worth caching).
            for s in cell {
                let space = fonts.measure(s.style.face, " ", s.style.size);
                for (i, w) in s.text.split(' ').enumerate() {
                    let width = fonts.measure(s.style.face, w, s.style.size);
                    full += width + if i > 0 { space } else { 0.0 };
                    longest = longest.max(width);
                }
            }
            // A short cell ("1,336 cases") is kept on one line.
            let short = full <= col.width * 0.18;
            (full, if short { full } else { longest })
        };
        let mut maxw = vec![0.0f32; ncols];
        let mut minw = vec![0.0f32; ncols];
        for r in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
            for (i, c) in r.iter().enumerate().take(ncols) {
                let (full, longest) = natural(self.fonts, c);
                maxw[i] = maxw[i].max(full + 2.0 * pad);
                minw[i] = minw[i].max((longest + 2.0 * pad).min(col.width / ncols as f32));
            }
        }
        let total_max: f32 = maxw.iter().sum();
        let widths: Vec<f32> = if total_max <= col.width {
            maxw.iter()
                .map(|w| w + (col.width - total_max) * w / total_max.max(1.0))
                .collect()
        } else {
            let total_min: f32 = minw.iter().sum();
            let spare = (col.width - total_min).max(0.0);
            let flex: f32 = maxw
                .iter()
                .zip(&minw)
                .map(|(a, b)| a - b)
                .sum::<f32>()
                .max(1.0);
            let w: Vec<f32> = maxw
                .iter()
                .zip(&minw)
                .map(|(a, b)| b + spare * (a - b) / flex)
                .collect();
            let sum: f32 = w.iter().sum();
            w.iter().map(|x| x * col.width / sum.max(1.0)).collect()
        };
        let table = self.add(Role::Table);
        let head_group = (!header.is_empty()).then(|| self.tree.add(table, Role::THead));
        let body_group = self.tree.add(table, Role::TBody);
        let mut make_row = |cells: &[Vec<Span>], index: Option<usize>| -> Row {
            let tr = match (index, head_group) {
                (None, Some(group)) => self.tree.add(group, Role::TR),
                _ => self.tree.add(body_group, Role::TR),
            };
            let cell_role = if index.is_none() {
                Role::TH(Scope::Column)
            } else {
                Role::TD
            };
            let mut x = col.x;
            let mut laid = Vec::new();
            let mut height: f32 = 0.0;
            for (i, w) in widths.iter().enumerate() {
                let a = match align.get(i) {
                    Some(Align::Right) => Alignment::Right,
                    _ => Alignment::Left,
                };
                let cell = cells.get(i).cloned().unwrap_or_default();
                let lines = break_lines(self.fonts, &cell, w - 2.0 * pad, a, &mut self.missing);
                height = height.max(lines.len() as f32 * TYPE.table * look.leading);
                laid.push((x, lines, self.tree.add(tr, cell_role)));
                x += w;
            }
            let height = height + 2.0 * pad;
            let mut items = Vec::new();
            match index {
                None => items.push(Item::Rect {
                    x: col.x,
                    y: 0.0,
                    w: col.width,
                    h: height,
                    fill: Rgb::of(look.head_fill),
                    mark: Mark::Artifact(Artifact::Layout),
                }),
                Some(i) if i % 2 == 1 => items.push(Item::Rect {
                    x: col.x,
                    y: 0.0,
                    w: col.width,
                    h: height,
                    fill: Rgb::of(look.zebra),
                    mark: Mark::Artifact(Artifact::Layout),
                }),
                _ => {}
            }
            for (x, lines, cell) in &laid {
                let mut marker = Marker::content(&mut self.tree, *cell);
                for (k, line) in lines.iter().enumerate() {
                    line_items(
                        line,
                        x + pad,
                        pad + TYPE.table * 0.95 + k as f32 * TYPE.table * look.leading,
                        &mut marker,
                        &mut items,
                    );
                }
            }
            let (rule_w, rule_c) = if index.is_none() {
                look.head_rule
            } else {
                look.rule
            };
            let rule_c = Rgb::of(rule_c);
            items.push(Item::Line {
                x1: col.x,
                y1: height,
                x2: col.x + col.width,
                y2: height,
                width: rule_w,
                color: rule_c,
                mark: Mark::Artifact(Artifact::Layout),
            });
            let footnotes = laid
                .iter()
                .flat_map(|(_, ls, _)| ls.iter().flat_map(|l| l.footnotes.clone()))
                .collect();
            Row {
                height,
                items,
                footnotes,
                ..Row::default()
            }
        };
        let mut head = make_row(header, None);
        head.space_before = look.space.before;
        let head = Arc::new(head);
        let mut out = vec![Row {
            keep_with_next: true,
            ..(*head).clone()
        }];
        for (i, r) in rows.iter().enumerate() {
            let mut row = make_row(r, Some(i));
            row.repeat_header = Some(Arc::new(Row {
                space_before: 0.0,
                ..(*head).clone()
            }));
            // The header never stands with one row at a page's foot, nor
            // does a page begin with the last row alone.
            row.keep_with_next = rows.len() >= 2 && (i == 0 || i + 2 == rows.len());
            out.push(row);
        }
        if let Some(last) = out.last_mut() {
            last.height += look.space.after;
        }
        out
    }

    pub(super) fn image(&mut self, img: &briefkit_model::Image, col: Column) -> Vec<Row> {
        let Some((pw, ph)) = self.image_sizes.get(&img.src).copied() else {
            return Vec::new();
        };
        // 96 dpi natural size, never wider than the column or taller than 60 % of the page.
        let natural_w = pw as f32 * 0.75;
        let mut w = natural_w.min(col.width);
        let mut h = w * ph as f32 / pw.max(1) as f32;
        let max_h = self.page_room * 0.6;
        if h > max_h {
            h = max_h;
            w = h * pw as f32 / ph.max(1) as f32;
        }
        let figure = self.tree.add_with_alt(self.parent, Role::Figure, &img.alt);
        let mut rows = vec![Row {
            height: h,
            space_before: LOOK.figure.space.before,
            items: vec![Item::Image {
                x: col.x,
                y: 0.0,
                w,
                h,
                src: img.src.clone(),
                alt: img.alt.clone(),
                mark: Mark::Content(figure),
            }],
            keep_with_next: img.title.is_some(),
            ..Row::default()
        }];
        if let Some(t) = &img.title {
            let caption = self.add(Role::Caption);
            rows.extend(self.plain(
                t,
                col,
                style(FaceId::Sans, TYPE.caption, Rgb::MUTED),
                Alignment::Left,
                LOOK.figure.caption_gap,
                caption,
            ));
        }
        rows
    }

    pub(super) fn key_figures(
        &mut self,
        figures: &[briefkit_model::KeyFigure],
        col: Column,
    ) -> Vec<Row> {
        if figures.is_empty() {
            return Vec::new();
        }
        let look = LOOK.card;
        let gap = look.gap;
        let n = figures.len() as f32;
        let card_w = (col.width - gap * (n - 1.0)) / n;
        let pad = look.padding;
        let inner = card_w - 2.0 * pad - look.bar;
        let mut cards = Vec::new();
        let mut height: f32 = 0.0;
        let section = self.add(Role::Sect);
        for (i, f) in figures.iter().enumerate() {
            let card = self.tree.add(section, Role::Div);
            let (value_p, label_p, source_p) = (
                self.tree.add(card, Role::P),
                self.tree.add(card, Role::P),
                self.tree.add(card, Role::P),
            );
            let x = col.x + i as f32 * (card_w + gap);
            let c = Column {
                x: x + pad + look.bar,
                width: inner,
            };
            let mut value = vec![Span {
                text: f.value.clone(),
                style: Style {
                    statistic: Some(f.id.as_str().into()),
                    ..style(FaceId::SansBold, TYPE.key_value, Rgb::ACCENT)
                },
                link: Some(Link::anchor(
                    format!("source-{}", f.source_number),
                    &f.value,
                )),
                footnote: None,
            }];
            if let Some(u) = &f.unit {
                value.push(Span {
                    text: format!(" {u}"),
                    style: style(FaceId::Sans, TYPE.key_unit, Rgb::ACCENT),
                    link: None,
                    footnote: None,
                });
            }
            let mut parts =
                self.text_rows(&value, c, TYPE.key_value, Alignment::Left, 0.0, value_p);
            parts.extend(self.plain(
                &f.label,
                c,
                style(FaceId::Sans, TYPE.key_label, Rgb::INK),
                Alignment::Left,
                look.line_gaps.0,
                label_p,
            ));
            let src = f.source_and_period(&self.doc.metadata.labels);
            parts.extend(self.plain(
                &src,
                c,
                style(FaceId::Sans, TYPE.key_source, Rgb::MUTED),
                Alignment::Left,
                look.line_gaps.1,
                source_p,
            ));
            let mut y = pad;
            let mut items = Vec::new();
            for r in parts {
                y += r.space_before;
                for it in &r.items {
                    items.push(super::flow::offset(it, y));
                }
                y += r.height;
            }
            height = height.max(y + pad);
            cards.push((x, items));
        }
        let mut items = Vec::new();
        for (x, card_items) in cards {
            items.push(Item::Rect {
                x,
                y: 0.0,
                w: card_w,
                h: height,
                fill: Rgb::of(look.fill),
                mark: Mark::Artifact(Artifact::Layout),
            });
            items.push(Item::Rect {
                x,
                y: 0.0,
                w: look.bar,
                h: height,
                fill: Rgb::of(look.bar_color),
                mark: Mark::Artifact(Artifact::Layout),
            });
            items.extend(card_items);
        }
        vec![Row {
            height,
            space_before: look.space.before,
            items,
            ..Row::default()
        }]
    }

    pub(super) fn chart(&mut self, c: &briefkit_model::Chart, col: Column) -> Vec<Row> {
        let fonts = self.fonts;
        // Texts are measured as they are set: with the quarter em where
        // Chinese meets a Latin letter or a digit, as in the paragraphs.
        let measure = |t: &str, size: f32| {
            let (mut glyphs, _) = fonts.shape(FaceId::SansBold, t, size);
            crate::layout::linebreak::autospace(&mut glyphs, size);
            glyphs.iter().map(|g| g.advance).sum()
        };
        let g = chart::layout(c, col.width, TYPE.chart, &measure);
        let figure = self.tree.add_with_alt(self.parent, Role::Figure, &c.alt);
        let mark = Mark::Content(figure);
        let mut items = Vec::new();
        let series = |i: usize| Rgb::of(series_colour(i));
        for shape in &g.shapes {
            items.push(match shape {
                Shape::Bar { rect: r, series: i } => Item::Rect {
                    x: col.x + r.x,
                    y: r.y,
                    w: r.w,
                    h: r.h,
                    fill: series(*i),
                    mark,
                },
                Shape::Rule { from, to, grid } => {
                    let (width, color) = if *grid {
                        LOOK.figure.grid
                    } else {
                        LOOK.figure.axis
                    };
                    Item::Line {
                        x1: col.x + from.0,
                        y1: from.1,
                        x2: col.x + to.0,
                        y2: to.1,
                        width,
                        color: Rgb::of(color),
                        mark,
                    }
                }
                Shape::Path { points, series: i } => Item::Polyline {
                    points: points.iter().map(|(x, y)| (col.x + x, *y)).collect(),
                    width: LOOK.figure.line,
                    color: series(*i),
                    mark,
                },
                Shape::Dot { at, r, series: i } => Item::Dot {
                    x: col.x + at.0,
                    y: at.1,
                    r: *r,
                    color: series(*i),
                    mark,
                },
            });
        }
        for t in &g.texts {
            let face = if t.bold {
                FaceId::SansBold
            } else {
                FaceId::Sans
            };
            let (mut glyphs, lacking) = fonts.shape(face, &t.text, t.size);
            crate::layout::linebreak::autospace(&mut glyphs, t.size);
            for ch in lacking {
                self.missing.push(ch, t.text.clone());
            }
            let w: f32 = glyphs.iter().map(|g| g.advance).sum();
            let x = match t.anchor {
                TextAnchor::Start => col.x + t.x,
                TextAnchor::End => col.x + t.x - w,
                TextAnchor::Middle => col.x + t.x - w / 2.0,
            };
            let color = if t.muted { Rgb::MUTED } else { Rgb::INK };
            items.push(Item::Glyphs {
                x,
                y: t.y,
                face,
                size: t.size,
                color,
                glyphs,
                mark,
            });
        }
        vec![Row {
            height: g.height,
            space_before: LOOK.figure.chart_space.before,
            items,
            ..Row::default()
        }]
    }

    /// A chart's numbers: a row a category (period or label), a column a
    /// series (one "value" column for a chart of one unnamed series), a
    /// gap an empty cell.
    pub(super) fn chart_table(&mut self, c: &briefkit_model::Chart, col: Column) -> Vec<Row> {
        let text = |t: &str, face| {
            vec![Span {
                text: t.to_string(),
                style: style(face, TYPE.table, Rgb::INK),
                link: None,
                footnote: None,
            }]
        };
        let (heads, cells) = c.table(&self.doc.metadata.labels);
        let header: Vec<Vec<Span>> = heads.iter().map(|h| text(h, FaceId::SansBold)).collect();
        let rows: Vec<Vec<Vec<Span>>> = cells
            .iter()
            .map(|row| row.iter().map(|cell| text(cell, FaceId::Sans)).collect())
            .collect();
        let align: Vec<Align> = std::iter::once(Align::Left)
            .chain(c.series.iter().map(|_| Align::Right))
            .collect();
        self.table(&header, &rows, &align, col)
    }

    /// Footnote rows, keyed by number.
    pub fn footnotes(&mut self, col: Column) -> BTreeMap<usize, Vec<Row>> {
        let mut out = BTreeMap::new();
        for note in &self.doc.footnotes {
            self.missing.at = note.at.clone();
            let st = style(FaceId::Serif, TYPE.note, Rgb::INK);
            let mut sp = vec![Span {
                text: format!("{} ", note.number),
                style: Style {
                    face: FaceId::SerifBold,
                    ..st.clone()
                },
                link: None,
                footnote: None,
            }];
            let mut rows = Vec::new();
            for (i, b) in note.blocks.iter().enumerate() {
                if let Block::Paragraph { content } = b {
                    spans(content, &st, &self.doc.metadata.labels, &mut sp);
                } else if let Block::List { .. } | Block::Quote { .. } | Block::Code { .. } = b {
                    let t = briefkit_model::text::block_texts(b);
                    sp.push(Span {
                        text: t.join(" "),
                        style: st.clone(),
                        link: None,
                        footnote: None,
                    });
                }
                if i + 1 < note.blocks.len() {
                    sp.push(Span {
                        text: " ".into(),
                        style: st.clone(),
                        link: None,
                        footnote: None,
                    });
                }
            }
            let note_node = self.tree.add(super::tags::DOCUMENT, Role::Note);
            self.tree.nodes[note_node].id = Some(format!("fn-{}", note.number));
            rows.extend(self.text_rows(
                &sp,
                col,
                TYPE.note,
                Alignment::Left,
                LOOK.notes.entry_gap,
                note_node,
            ));
            for r in &mut rows {
                r.keep_with_next = false;
            }
            out.insert(note.number, rows);
        }
        out
    }
}
