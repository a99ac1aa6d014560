//! Layout: the model to pages of positioned boxes, with no PDF in sight,
//! so it can be tested on its own (typst's Frame idea).

mod blocks;
mod flow;
pub mod frame;
mod linebreak;
mod link;
mod parts;
pub mod tags;
mod text;

use crate::typefaces::{FaceId, FontBook};
use blocks::{BlockContext, Column};
use briefkit_model::theme::LOOK;
use briefkit_model::{Block, Diagnostic, Document, RenderOptions};
use flow::{Flow, Geometry};
pub use frame::*;
use std::collections::BTreeMap;
use tags::{Artifact, Mark, Marker};
use text::{Alignment, Span, Style};

/// Page margins in points: top, right, bottom, left (the theme's).
const MARGINS: (f32, f32, f32, f32) = (
    LOOK.page.top,
    LOOK.page.right,
    LOOK.page.bottom,
    LOOK.page.left,
);

/// Lays the document out. `image_sizes` gives pixel sizes of decodable images.
pub fn layout(
    doc: &Document,
    options: &RenderOptions,
    fonts: &FontBook<'_>,
    image_sizes: &BTreeMap<String, (u32, u32)>,
) -> (Layout, Vec<Diagnostic>) {
    layout_with_threads(doc, options, fonts, image_sizes, 2)
}

/// [`layout`] on at most `threads` threads (1 or 2); the result does not
/// depend on it.
pub fn layout_with_threads(
    doc: &Document,
    options: &RenderOptions,
    fonts: &FontBook<'_>,
    image_sizes: &BTreeMap<String, (u32, u32)>,
    threads: usize,
) -> (Layout, Vec<Diagnostic>) {
    let (width, height) = options.paper.size_pt();
    let (top, right, bottom, left) = MARGINS;
    let geo = Geometry {
        height,
        top,
        bottom: height - bottom,
        left,
        right: width - right,
    };
    let col = Column {
        x: left,
        width: width - left - right,
    };
    let mut ctx = BlockContext {
        fonts,
        doc,
        image_sizes,
        missing: text::Missing::default(),
        page_room: geo.bottom - geo.top,
        paragraphs: 0,
        tree: tags::Structure::default(),
        parent: tags::DOCUMENT,
    };
    let notes = ctx.footnotes(col);
    // The table of contents (if asked for) follows the masthead and the
    // key figures, which stay on page 1.
    let contents_at = options.toc.then(|| {
        doc.blocks
            .iter()
            .position(|b| !matches!(b, Block::Cover(_) | Block::KeyFigures { .. }))
            .unwrap_or(doc.blocks.len())
    });
    // Blocks become rows independently: a long document is split in two
    // halves (by amount of text) laid out side by side, the second half
    // with its own font caches. The rows are the same either way.
    let all = doc.blocks.len();
    let cut = if threads > 1 {
        // The contents' place stays in the first half.
        split_point(&doc.blocks)
            .max(contents_at.map_or(0, |i| i + 1))
            .min(all)
    } else {
        all
    };
    let (head, tail) = doc.blocks.split_at(cut);
    let tail_fonts = (!tail.is_empty()).then(|| fonts.fork());
    // The second half is a task of the current thread pool: another thread
    // takes it when one is free, else this one does after the first half.
    let mut tail_rows = None;
    let mut rows = Vec::new();
    rayon::in_place_scope(|s| {
        if let Some(book) = tail_fonts {
            let tail_rows = &mut tail_rows;
            s.spawn(move |_| {
                let mut tail_ctx = BlockContext {
                    fonts: &book,
                    doc,
                    image_sizes,
                    missing: text::Missing::default(),
                    page_room: geo.bottom - geo.top,
                    paragraphs: 0,
                    tree: tags::Structure::default(),
                    parent: tags::DOCUMENT,
                };
                let mut rows = Vec::new();
                for (i, block) in tail.iter().enumerate() {
                    tail_ctx.missing.at = doc.block_at.get(cut + i).cloned().flatten();
                    rows.extend(tail_ctx.block(block, col));
                }
                *tail_rows = Some((rows, tail_ctx.missing, tail_ctx.tree));
            });
        }
        for (i, block) in head.iter().enumerate() {
            if contents_at == Some(i) {
                // The headings' own blocks say where their text is.
                ctx.missing.at = None;
                rows.extend(ctx.contents(col));
            }
            ctx.missing.at = doc.block_at.get(i).cloned().flatten();
            rows.extend(ctx.block(block, col));
        }
    });
    if let Some((mut tail_rows, tail_missing, tail_tree)) = tail_rows {
        // Number the second half's paragraphs on from the first's, and its
        // elements on from the first half's.
        for mark in tail_rows.iter_mut().filter_map(|r| r.line.as_mut()) {
            mark.paragraph += ctx.paragraphs;
        }
        let new_id = ctx.tree.append(tail_tree);
        for row in &mut tail_rows {
            for item in &mut row.items {
                item.remap(&new_id);
            }
            if let Some(header) = &mut row.repeat_header {
                let header = std::sync::Arc::make_mut(header);
                for item in &mut header.items {
                    item.remap(&new_id);
                }
            }
        }
        // Exactly the room needed: a long document's rows are many.
        rows.reserve_exact(tail_rows.len());
        rows.extend(tail_rows);
        ctx.missing.found.extend(tail_missing.found);
    }
    if contents_at == Some(all) {
        // Nothing but the masthead and key figures: the contents come last.
        ctx.missing.at = None;
        rows.extend(ctx.contents(col));
    }
    let mut flow = Flow::new(geo, &notes);
    flow.place(rows);
    let page_refs = std::mem::take(&mut flow.page_refs);
    let (mut pages, anchors, outline) = flow.finish();
    fill_page_numbers(fonts, &mut pages, &anchors, page_refs);
    let total = pages.len();
    // The running header is the title: placed where the cover's is.
    ctx.missing.at = doc
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Cover(_)))
        .and_then(|i| doc.block_at.get(i).cloned().flatten());
    for (i, page) in pages.iter_mut().enumerate() {
        running_header_footer(doc, fonts, page, i, total, width, geo, &mut ctx.missing);
    }
    if fonts.rtl() {
        for page in &mut pages {
            mirror(&mut page.items, width);
        }
    }
    // Each page's items in no more room than they take: a long document
    // holds every page until the PDF is written.
    for page in &mut pages {
        page.items.shrink_to_fit();
    }
    ctx.tree.normalise_headings();
    let mut warnings = Vec::new();
    warnings.extend(missing_warnings(ctx.missing));
    (
        Layout {
            width,
            height,
            pages,
            anchors,
            outline,
            text_area: (geo.left, geo.top, geo.right, geo.bottom),
            structure: ctx.tree,
        },
        warnings,
    )
}

/// Where to split the blocks for two layout threads: half of the text.
/// Short documents are not split: a thread costs more than it saves.
fn split_point(blocks: &[Block]) -> usize {
    let sizes: Vec<usize> = blocks
        .iter()
        .map(|b| {
            briefkit_model::text::block_texts(b)
                .iter()
                .map(String::len)
                .sum()
        })
        .collect();
    let total: usize = sizes.iter().sum();
    if total < 20_000 || blocks.len() < 8 {
        return blocks.len();
    }
    let mut acc = 0;
    for (i, size) in sizes.iter().enumerate() {
        acc += size;
        if acc * 2 >= total {
            return i + 1;
        }
    }
    blocks.len()
}

/// Puts the page number of each reference's anchor into its placeholder.
fn fill_page_numbers(
    fonts: &FontBook<'_>,
    pages: &mut [Page],
    anchors: &[Anchor],
    refs: Vec<(usize, flow::PageRef)>,
) {
    for (page, r) in refs {
        let Some(target) = anchors.iter().find(|a| a.name == r.anchor) else {
            continue;
        };
        let number = (target.page + 1).to_string();
        if let Some(Item::Glyphs {
            x,
            face,
            size,
            glyphs,
            ..
        }) = pages.get_mut(page).and_then(|p| p.items.get_mut(r.item))
        {
            let (shaped, _) = fonts.shape(*face, &number, *size);
            let width: f32 = shaped.iter().map(|g| g.advance).sum();
            *x = r.right - width;
            *glyphs = shaped;
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn running_header_footer(
    doc: &Document,
    fonts: &FontBook<'_>,
    page: &mut Page,
    index: usize,
    total: usize,
    width: f32,
    geo: Geometry,
    missing: &mut text::Missing,
) {
    let labels = &doc.metadata.labels;
    let st = Style {
        face: FaceId::Sans,
        size: briefkit_model::theme::TYPE.running,
        color: Rgb::MUTED,
        rise: 0.0,
        lang: None,
        statistic: None,
    };
    let span = |t: String| {
        vec![Span {
            text: t,
            style: st.clone(),
            link: None,
            footnote: None,
        }]
    };
    let measure = geo.right - geo.left;
    let look = LOOK.running;
    if index > 0 {
        let title = doc.metadata.title.clone();
        let lines = text::break_lines(fonts, &span(title), measure, Alignment::Left, missing);
        if let Some(first) = lines.first() {
            text::line_items(
                first,
                geo.left,
                geo.top - look.header,
                &mut Marker::Artifact(Artifact::Header),
                &mut page.items,
            );
        }
        page.items.push(Item::Line {
            x1: geo.left,
            y1: geo.top - look.rule.0,
            x2: geo.right,
            y2: geo.top - look.rule.0,
            width: look.rule.1,
            color: Rgb::of(look.rule.2),
            mark: Mark::Artifact(Artifact::Header),
        });
    }
    let footer_y = geo.height - look.footer;
    if let Some(org) = &doc.metadata.organization {
        let lines = text::break_lines(
            fonts,
            &span(org.clone()),
            measure * 0.7,
            Alignment::Left,
            missing,
        );
        if let Some(first) = lines.first() {
            text::line_items(
                first,
                geo.left,
                footer_y,
                &mut Marker::Artifact(Artifact::Footer),
                &mut page.items,
            );
        }
    }
    let number = labels.page_of(&(index + 1).to_string(), &total.to_string());
    let lines = text::break_lines(
        fonts,
        &span(number),
        measure * 0.3,
        Alignment::Right,
        missing,
    );
    if let Some(first) = lines.first() {
        text::line_items(
            first,
            width - (width - geo.right) - measure * 0.3,
            footer_y,
            &mut Marker::Artifact(Artifact::Footer),
            &mut page.items,
        );
    }
}

/// One warning per script the fonts lack (not one per character), naming
/// a few of its characters and how to add a font.
fn missing_warnings(missing: text::Missing) -> Vec<Diagnostic> {
    use unicode_script::UnicodeScript;
    type Found = (
        unicode_script::Script,
        Vec<char>,
        String,
        Option<briefkit_model::Span>,
    );
    let mut by_script: Vec<Found> = Vec::new();
    for (c, context, at) in missing.found {
        let script = c.script();
        match by_script.iter_mut().find(|(s, ..)| *s == script) {
            Some((_, chars, _, place)) => {
                if !chars.contains(&c) {
                    chars.push(c);
                }
                // The first of them that comes from a known place.
                if place.is_none() {
                    *place = at;
                }
            }
            None => by_script.push((script, vec![c], context, at)),
        }
    }
    by_script
        .into_iter()
        .map(|(script, chars, context, at)| {
            let name = match script {
                unicode_script::Script::Common | unicode_script::Script::Inherited => {
                    "symbol".to_string()
                }
                s => s.full_name().replace('_', " "),
            };
            let shown: Vec<String> = chars.iter().take(6).map(|c| format!("`{c}`")).collect();
            let more = if chars.len() > 6 {
                format!(" and {} more", chars.len() - 6)
            } else {
                String::new()
            };
            let snippet: String = context.chars().take(60).collect();
            let package = match script {
                unicode_script::Script::Han
                | unicode_script::Script::Hiragana
                | unicode_script::Script::Katakana
                | unicode_script::Script::Hangul
                | unicode_script::Script::Bopomofo => "fonts-noto-cjk",
                _ => "fonts-noto-core",
            };
            Diagnostic::warning(
                at,
                format!(
                    "no font has the {name} characters of this brief ({}{more}, in “{snippet}”): they are left out of the PDF",
                    shown.join(", ")
                ),
            )
            .with_hint(format!(
                "install a font that has them (on Debian: apt install {package}), or put one in the pack and name its folder in [brief] fonts, or pass --font-path DIR"
            ))
        })
        .collect()
}

/// Mirrors a page left to right for a right-to-left document: the layout
/// is done as for left-to-right text (columns, markers, cards, tables,
/// charts, running header and footer), then every box moves to the other
/// side, keeping its contents (glyph runs are already in display order;
/// lines were placed for this mirror, see `Line::rtl`).
fn mirror(items: &mut [Item], page_width: f32) {
    for item in items {
        match item {
            Item::Glyphs { x, glyphs, .. } => {
                let w: f32 = glyphs.iter().map(|g| g.advance).sum();
                *x = page_width - *x - w;
            }
            Item::Rect { x, w, .. } | Item::Image { x, w, .. } => {
                *x = page_width - *x - *w;
            }
            Item::Link { x, w, pieces, .. } => {
                *x = page_width - *x - *w;
                for (px, pw) in pieces.iter_mut() {
                    *px = page_width - *px - *pw;
                }
                pieces.reverse();
            }
            Item::Line { x1, x2, .. } => {
                *x1 = page_width - *x1;
                *x2 = page_width - *x2;
            }
            Item::Polyline { points, .. } => {
                for (x, _) in points.iter_mut() {
                    *x = page_width - *x;
                }
            }
            Item::Dot { x, .. } => *x = page_width - *x,
        }
    }
}
