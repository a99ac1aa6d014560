//! The text of a document in reading order, block by block: what a reader
//! of any output must find. Tests compare it with what the validators
//! extract from PDF, EPUB and DOCX.

use crate::document::{plain_text, Block, Document};

/// Every piece of text of the document, one entry per paragraph, heading,
/// list item paragraph, table cell, figure label and source line, in
/// reading order (footnotes last).
pub fn reading_order(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for block in &doc.blocks {
        push_block(block, &mut out);
    }
    for note in &doc.footnotes {
        for block in &note.blocks {
            push_block(block, &mut out);
        }
    }
    out.retain(|s| !s.trim().is_empty());
    out
}

fn push_block(block: &Block, out: &mut Vec<String>) {
    match block {
        Block::Cover(c) => {
            out.extend(c.organization.clone());
            out.push(c.title.clone());
            out.extend(c.subtitle.clone());
            out.push(c.date.clone());
        }
        Block::Heading { content, .. } | Block::Paragraph { content } => {
            out.push(plain_text(content))
        }
        Block::List { items, .. } => items.iter().flatten().for_each(|b| push_block(b, out)),
        Block::Quote { blocks } => blocks.iter().for_each(|b| push_block(b, out)),
        Block::Code { text, .. } => out.extend(text.lines().map(str::to_string)),
        Block::Table(t) => {
            out.extend(t.header.iter().map(|c| plain_text(c)));
            out.extend(t.rows.iter().flatten().map(|c| plain_text(c)));
        }
        Block::Image(i) => out.extend(i.title.clone()),
        Block::Rule => {}
        Block::KeyFigures { figures } => {
            for f in figures {
                out.push(f.value.clone());
                out.push(f.label.clone());
            }
        }
        Block::Chart(c) => {
            out.push(c.title.clone());
            for (i, category) in c.categories.iter().enumerate() {
                out.push(category.clone());
                for s in &c.series {
                    if let Some(Some(p)) = s.points.get(i) {
                        out.push(p.display.clone());
                    }
                }
            }
            out.extend(
                c.series
                    .iter()
                    .map(|s| s.name.clone())
                    .filter(|n| !n.is_empty()),
            );
            out.extend(c.ticks.iter().map(|t| t.label.clone()));
            out.push(c.source_line.clone());
            out.extend(c.note.clone());
        }
        Block::StatisticsTable { rows } => {
            for r in rows {
                out.extend([
                    r.value.clone(),
                    r.label.clone(),
                    r.period.clone(),
                    r.source.clone(),
                ]);
            }
        }
        Block::Sources { sources } => {
            for s in sources {
                out.push(s.name.clone());
                out.extend(s.url.clone());
            }
        }
        Block::Contact(c) => out.extend(c.lines().into_iter().map(|l| l.text)),
    }
}

/// The text pieces of one block, in reading order.
pub fn block_texts(block: &Block) -> Vec<String> {
    let mut out = Vec::new();
    push_block(block, &mut out);
    out
}

/// An East Asian wide character: Han, kana, Hangul, CJK punctuation and
/// full-width forms.
pub fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115f}' | '\u{2e80}'..='\u{303e}' | '\u{3040}'..='\u{a4cf}'
        | '\u{ac00}'..='\u{d7a3}' | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ff60}' | '\u{ffe0}'..='\u{ffe6}' | '\u{20000}'..='\u{3fffd}')
}
