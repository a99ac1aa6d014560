//! Placing rows on pages: page breaks, keep-with-next chains (headings,
//! orphans and widows), repeated table headers, and footnotes at the foot
//! of the page that references them.

use super::frame::{Anchor, Item, LineMark, OutlineEntry, Page, Rgb};
use super::tags::{Artifact, Mark};
use std::collections::BTreeMap;
use std::sync::Arc;

/// An unbreakable horizontal slice of content. Items have page x
/// coordinates and y relative to the row's top.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// Height in points, without the space above.
    pub height: f32,
    /// Space above, dropped at the top of a page.
    pub space_before: f32,
    /// The items.
    pub items: Vec<Item>,
    /// Must stand on the same page as the next row.
    pub keep_with_next: bool,
    /// Footnotes referenced in this row.
    pub footnotes: Vec<usize>,
    /// Anchors (name, y offset in the row).
    pub anchors: Vec<(String, f32)>,
    /// A header row to repeat when this row starts a page (tables).
    pub repeat_header: Option<Arc<Row>>,
    /// A heading for the outline (boxed, as the page reference: a long
    /// document has hundreds of thousands of rows, nearly all without).
    pub outline: Option<Box<OutlineEntry>>,
    /// The paragraph line this row holds, if it is one.
    pub line: Option<LineMark>,
    /// A page number to fill in once pages are known (table of contents).
    pub page_ref: Option<Box<PageRef>>,
}

/// A page number waiting for its page: item `item` of the row is a
/// placeholder to be replaced by the page of `anchor`, set flush right
/// at `right`.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRef {
    /// Where the number points.
    pub anchor: String,
    /// Index of the placeholder among the row's items (later: the page's).
    pub item: usize,
    /// Right edge of the number.
    pub right: f32,
}

/// Page geometry for the flow.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    /// Page height.
    pub height: f32,
    /// Top of the text area.
    pub top: f32,
    /// Bottom of the text area.
    pub bottom: f32,
    /// Left of the text area.
    pub left: f32,
    /// Right of the text area.
    pub right: f32,
}

/// The page builder.
pub struct Flow<'a> {
    geo: Geometry,
    notes: &'a BTreeMap<usize, Vec<Row>>,
    /// Finished pages.
    pub pages: Vec<Page>,
    page: Page,
    y: f32,
    page_notes: Vec<usize>,
    empty: bool,
    /// Anchors placed so far.
    pub anchors: Vec<Anchor>,
    /// Outline entries.
    pub outline: Vec<OutlineEntry>,
    /// Page numbers to fill in: (page index, reference to an item there).
    pub page_refs: Vec<(usize, PageRef)>,
}

const NOTE_SEPARATOR: f32 = briefkit_model::theme::LOOK.notes.separator;

impl<'a> Flow<'a> {
    /// A flow over pages of `geo`, with footnotes pre-laid-out as rows.
    pub fn new(geo: Geometry, notes: &'a BTreeMap<usize, Vec<Row>>) -> Self {
        Self {
            geo,
            notes,
            pages: Vec::new(),
            page: Page::default(),
            y: geo.top,
            page_notes: Vec::new(),
            empty: true,
            anchors: Vec::new(),
            outline: Vec::new(),
            page_refs: Vec::new(),
        }
    }

    fn notes_height(&self, numbers: &[usize]) -> f32 {
        if numbers.is_empty() {
            return 0.0;
        }
        NOTE_SEPARATOR
            + numbers
                .iter()
                .filter_map(|n| self.notes.get(n))
                .flatten()
                .map(|r| r.height + r.space_before)
                .sum::<f32>()
    }

    /// Places all rows.
    pub fn place(&mut self, mut rows: Vec<Row>) {
        for i in 0..rows.len() {
            // The chain of rows that must share a page with rows[i].
            let mut j = i;
            while rows[j].keep_with_next && j + 1 < rows.len() && j - i < 8 {
                j += 1;
            }
            let chain = &rows[i..=j];
            let mut h = 0.0;
            let mut notes = self.page_notes.clone();
            for (k, r) in chain.iter().enumerate() {
                h += r.height
                    + if k == 0 && self.empty {
                        0.0
                    } else {
                        r.space_before
                    };
                for n in &r.footnotes {
                    if !notes.contains(n) {
                        notes.push(*n);
                    }
                }
            }
            let limit = self.geo.bottom - self.notes_height(&notes);
            let page_room = self.geo.bottom - self.geo.top;
            // Break before the chain if it does not fit (and could fit on a
            // fresh page), or before the row itself if even it does not fit.
            let chain_breaks = self.y + h > limit && h < page_room * 0.8;
            let row_limit =
                self.geo.bottom - self.notes_height(&merge(&self.page_notes, &rows[i].footnotes));
            let row_breaks = self.y + rows[i].height + rows[i].space_before > row_limit;
            if !self.empty && (chain_breaks || row_breaks) {
                self.new_page(rows[i].repeat_header.clone());
            }
            // Rows before i are never looked at again: move, don't copy.
            self.put(std::mem::take(&mut rows[i]));
        }
    }

    fn put(&mut self, row: Row) {
        if !self.empty {
            self.y += row.space_before;
        }
        let top = self.y;
        self.page.lines.extend(row.line);
        if let Some(r) = row.page_ref {
            let mut r = *r;
            r.item += self.page.items.len();
            self.page_refs.push((self.pages.len(), r));
        }
        self.page
            .items
            .extend(row.items.into_iter().map(|item| moved(item, top)));
        for (name, dy) in row.anchors {
            self.anchors.push(Anchor {
                name,
                page: self.pages.len(),
                y: top + dy,
            });
        }
        if let Some(o) = row.outline {
            self.outline.push(*o);
        }
        for n in &row.footnotes {
            if !self.page_notes.contains(n) {
                self.page_notes.push(*n);
            }
        }
        self.y += row.height;
        self.empty = false;
    }

    fn new_page(&mut self, header: Option<Arc<Row>>) {
        self.finish_page();
        if let Some(h) = header {
            // A repeated header row is not read again: it is an artifact.
            let mut row = Row::clone(&h);
            row.items = std::mem::take(&mut row.items)
                .into_iter()
                .filter_map(|item| item.into_artifact(Artifact::Layout))
                .collect();
            self.put(row);
        }
    }

    fn finish_page(&mut self) {
        let notes = std::mem::take(&mut self.page_notes);
        if !notes.is_empty() {
            let mut y = self.geo.bottom - self.notes_height(&notes) + NOTE_SEPARATOR;
            let look = briefkit_model::theme::LOOK.notes;
            self.page.items.push(Item::Line {
                x1: self.geo.left,
                y1: y - look.rule_gap,
                x2: self.geo.left + look.rule_length,
                y2: y - look.rule_gap,
                width: look.rule.0,
                color: Rgb::of(look.rule.1),
                mark: Mark::Artifact(Artifact::Layout),
            });
            for n in &notes {
                for (k, row) in self.notes.get(n).into_iter().flatten().enumerate() {
                    y += row.space_before;
                    if k == 0 {
                        self.anchors.push(Anchor {
                            name: format!("fn-{n}"),
                            page: self.pages.len(),
                            y,
                        });
                    }
                    for item in &row.items {
                        self.page.items.push(offset(item, y));
                    }
                    y += row.height;
                }
            }
        }
        self.pages.push(std::mem::take(&mut self.page));
        self.y = self.geo.top;
        self.empty = true;
    }

    /// Closes the last page and returns everything.
    pub fn finish(mut self) -> (Vec<Page>, Vec<Anchor>, Vec<OutlineEntry>) {
        if !self.empty || self.pages.is_empty() || !self.page_notes.is_empty() {
            self.finish_page();
        }
        (self.pages, self.anchors, self.outline)
    }
}

fn merge(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = a.to_vec();
    for n in b {
        if !out.contains(n) {
            out.push(*n);
        }
    }
    out
}

/// A copy of an item moved down by `dy`.
pub fn offset(item: &Item, dy: f32) -> Item {
    moved(item.clone(), dy)
}

/// An item moved down by `dy`.
pub fn moved(mut item: Item, dy: f32) -> Item {
    match &mut item {
        Item::Glyphs { y, .. }
        | Item::Rect { y, .. }
        | Item::Image { y, .. }
        | Item::Dot { y, .. }
        | Item::Link { y, .. } => *y += dy,
        Item::Line { y1, y2, .. } => {
            *y1 += dy;
            *y2 += dy;
        }
        Item::Polyline { points, .. } => {
            for (_, y) in points.iter_mut() {
                *y += dy;
            }
        }
    }
    item
}
