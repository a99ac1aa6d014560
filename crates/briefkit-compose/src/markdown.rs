//! Markdown (CommonMark + GFM tables + footnotes) to model blocks.
//!
//! pulldown-cmark's event stream is the parser; this is the one place it is
//! turned into the model. Two private conventions come from composition:
//! `<bk-stat ref="id">text</bk-stat>` inline marks a cited statistic, and a
//! block `<bk-NAME/>` is a directive the caller resolves.

use crate::link::{self, LinkTarget};
use briefkit_model::diagnostic::{Diagnostic, Kind, SourceText, Span};
use briefkit_model::document::{Align, Block, Image, Inline, Table};
use briefkit_model::text::is_wide;
use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::collections::BTreeMap;

/// Resolves a block directive into blocks, each with where it comes from
/// (`None`: the directive's own place); `Err` is a message.
pub type DirectiveResolver<'a> =
    dyn FnMut(&Directive<'_>) -> Result<Vec<(Block, Option<Span>)>, String> + 'a;

/// A block directive: a line `<bk-NAME/>` (or `<bk-NAME ref="id" .../>`).
#[derive(Debug, Clone, Copy)]
pub struct Directive<'a> {
    /// `NAME`.
    pub name: &'a str,
    /// The whole tag, for its attributes.
    tag: &'a str,
}

impl Directive<'_> {
    /// The value of an attribute written `key="value"`.
    pub fn attribute(&self, key: &str) -> Option<&str> {
        let start = self.tag.find(&format!(" {key}=\""))? + key.len() + 3;
        let len = self.tag[start..].find('"')?;
        Some(&self.tag[start..start + len])
    }
}

/// Looks up a statistic for an inline mark: (source number, citation
/// marker). The figure's text is what the helper wrote inside the mark.
pub type StatLookup<'a> = dyn Fn(&str) -> Option<(usize, Option<String>)> + 'a;

/// What a conversion produced besides blocks.
#[derive(Debug, Default)]
pub struct Converted {
    /// Body blocks.
    pub blocks: Vec<Block>,
    /// Where each body block starts (parallel to `blocks`).
    pub block_at: Vec<Option<Span>>,
    /// Footnote definitions by label, in definition order.
    pub footnote_defs: Vec<(String, Vec<Block>, Span)>,
    /// Footnote labels in order of reference.
    pub footnote_refs: Vec<(String, Span)>,
    /// Images with where they were written.
    pub images: Vec<(Image, Span)>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

enum Frame {
    Paragraph(Vec<Inline>),
    Heading(u8, Option<String>, Vec<Inline>),
    Quote(Vec<Block>),
    List(Option<u64>, Vec<Vec<Block>>),
    Item(Vec<Block>, Vec<Inline>),
    Footnote(String, Vec<Block>, Span),
    Table {
        align: Vec<Align>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        in_head: bool,
    },
    Row(Vec<Vec<Inline>>),
    Cell(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Link(String, Vec<Inline>),
    Image {
        src: String,
        title: String,
        alt: Vec<Inline>,
        location: Span,
    },
    Stat(String, Vec<Inline>),
    /// `<span lang="...">`.
    Lang(String, Vec<Inline>),
    Code(Option<String>, String),
    /// Strikethrough and other marks the model does not carry: content kept.
    Transparent(Vec<Inline>),
    /// A list, quote or inline mark nested deeper than the model keeps: its
    /// content goes to the nearest enclosing frame that is not flattened.
    Flattened,
}

/// Lists nested deeper than this (Word's nine levels) are flattened into
/// the ninth: no backend then recurses deeper, whatever the input.
pub const MAX_LIST_DEPTH: usize = 9;
/// Block quotes nested deeper than this are flattened into the deepest.
pub const MAX_QUOTE_DEPTH: usize = 8;
/// Emphasis, strong, struck-out text and links nested deeper than this
/// keep their text but lose the extra marks.
pub const MAX_INLINE_DEPTH: usize = 16;

/// How deep the open lists, quotes and inline marks are, and whether the
/// flattening of each has been reported (once per conversion).
#[derive(Default)]
struct Depths {
    lists: usize,
    quotes: usize,
    inlines: usize,
    warned: [bool; 3],
}

/// Converts Markdown text to blocks, each placed in `source` (as are the
/// findings). `seal` is the mark the `{{stat}}`
/// helper put on the figures it wrote (`<bk-stat ref="id" seal="...">`):
/// only a figure carrying it is a cited statistic, so one typed by hand
/// into the article is not (an empty seal accepts none).
pub fn convert(
    source: &SourceText,
    seal: &str,
    stats: &StatLookup<'_>,
    directives: &mut DirectiveResolver<'_>,
) -> Converted {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut out = Converted::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut depths = Depths::default();
    let text = source.text();
    let locate = |offset: usize| source.at(offset);
    // Where the top-level block being read starts: every block that lands
    // in `out.blocks` is placed there.
    let mut top: Option<Span> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        if stack.is_empty() {
            top = Some(locate(range.start));
        }
        match event {
            Event::Start(tag) => {
                let frame = match tag {
                    Tag::Paragraph => Frame::Paragraph(Vec::new()),
                    Tag::Heading { level, id, .. } => {
                        Frame::Heading(heading_level(level), id.map(|s| s.to_string()), Vec::new())
                    }
                    Tag::BlockQuote(_) => {
                        depths.quotes += 1;
                        if depths.quotes > MAX_QUOTE_DEPTH {
                            flattened(&mut depths, 1, &mut out, || locate(range.start));
                            Frame::Flattened
                        } else {
                            Frame::Quote(Vec::new())
                        }
                    }
                    Tag::CodeBlock(kind) => {
                        let lang = match kind {
                            CodeBlockKind::Fenced(info) => {
                                info.split_whitespace().next().map(str::to_string)
                            }
                            CodeBlockKind::Indented => None,
                        };
                        Frame::Code(lang, String::new())
                    }
                    Tag::List(start) => {
                        depths.lists += 1;
                        if depths.lists > MAX_LIST_DEPTH {
                            flattened(&mut depths, 0, &mut out, || locate(range.start));
                            Frame::Flattened
                        } else {
                            Frame::List(start, Vec::new())
                        }
                    }
                    Tag::Item => Frame::Item(Vec::new(), Vec::new()),
                    Tag::FootnoteDefinition(label) => {
                        Frame::Footnote(label.to_string(), Vec::new(), locate(range.start))
                    }
                    Tag::Table(aligns) => Frame::Table {
                        align: aligns
                            .iter()
                            .map(|a| match a {
                                Alignment::Right => Align::Right,
                                Alignment::Center => Align::Center,
                                _ => Align::Left,
                            })
                            .collect(),
                        header: Vec::new(),
                        rows: Vec::new(),
                        in_head: false,
                    },
                    Tag::TableHead => {
                        if let Some(Frame::Table { in_head, .. }) = stack.last_mut() {
                            *in_head = true;
                        }
                        Frame::Row(Vec::new())
                    }
                    Tag::TableRow => Frame::Row(Vec::new()),
                    Tag::TableCell => Frame::Cell(Vec::new()),
                    Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }
                        if depths.inlines >= MAX_INLINE_DEPTH =>
                    {
                        depths.inlines += 1;
                        flattened(&mut depths, 2, &mut out, || locate(range.start));
                        Frame::Flattened
                    }
                    Tag::Emphasis => {
                        depths.inlines += 1;
                        Frame::Emphasis(Vec::new())
                    }
                    Tag::Strong => {
                        depths.inlines += 1;
                        Frame::Strong(Vec::new())
                    }
                    Tag::Strikethrough => {
                        depths.inlines += 1;
                        Frame::Transparent(Vec::new())
                    }
                    Tag::Link {
                        link_type,
                        dest_url,
                        ..
                    } => {
                        depths.inlines += 1;
                        link_frame(link_type, &dest_url, locate(range.start), &mut out)
                    }
                    Tag::Image {
                        dest_url, title, ..
                    } => Frame::Image {
                        src: dest_url.to_string(),
                        title: title.to_string(),
                        alt: Vec::new(),
                        location: locate(range.start),
                    },
                    _ => Frame::Transparent(Vec::new()),
                };
                stack.push(frame);
            }
            Event::End(end) => {
                match end {
                    TagEnd::List(_) => depths.lists -= 1,
                    TagEnd::BlockQuote(_) => depths.quotes -= 1,
                    TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                        depths.inlines -= 1
                    }
                    _ => {}
                }
                // A passage left open ends with its container.
                while matches!(stack.last(), Some(Frame::Lang(..))) {
                    if let Some(frame) = stack.pop() {
                        finish(frame, &mut stack, &mut out);
                    }
                }
                let Some(frame) = stack.pop() else { continue };
                finish(frame, &mut stack, &mut out);
            }
            Event::Text(t) => {
                if let Some(Frame::Code(_, code)) = stack.last_mut() {
                    code.push_str(&t);
                } else if stack
                    .iter()
                    .any(|f| matches!(f, Frame::Link(..) | Frame::Image { .. } | Frame::Stat(..)))
                {
                    push_inline(
                        &mut stack,
                        &mut out,
                        Inline::Text {
                            text: t.to_string(),
                        },
                    );
                } else {
                    for inline in autolinks(&t) {
                        push_inline(&mut stack, &mut out, inline);
                    }
                }
            }
            Event::Code(t) => push_inline(
                &mut stack,
                &mut out,
                Inline::Code {
                    text: t.to_string(),
                },
            ),
            Event::SoftBreak => {
                // A line break between two Chinese or Japanese characters is
                // not a space (they are written without; Pandoc's
                // east_asian_line_breaks).
                let before = text[..range.start].chars().next_back();
                let after = text[range.end..].trim_start().chars().next();
                if !(before.is_some_and(is_wide) && after.is_some_and(is_wide)) {
                    push_inline(&mut stack, &mut out, Inline::Text { text: " ".into() })
                }
            }
            Event::HardBreak => push_inline(&mut stack, &mut out, Inline::LineBreak),
            Event::Rule => push_block(&mut stack, &mut out, Block::Rule),
            Event::FootnoteReference(label) => {
                let label = label.to_string();
                out.footnote_refs.push((label.clone(), locate(range.start)));
                // Numbered later, once every reference is known; carry the label's index.
                let index = out.footnote_refs.len();
                push_inline(&mut stack, &mut out, Inline::FootnoteRef { number: index });
            }
            Event::InlineHtml(html) => {
                let html = html.trim();
                let sealed = html
                    .strip_prefix("<bk-stat ref=\"")
                    .and_then(|r| r.strip_suffix("\">"))
                    .and_then(|r| r.rsplit_once("\" seal=\""))
                    .filter(|(_, s)| !seal.is_empty() && *s == seal)
                    .map(|(id, _)| id);
                let in_stat = matches!(stack.last(), Some(Frame::Stat(..)));
                let lang = html
                    .strip_prefix("<span lang=\"")
                    .and_then(|l| l.strip_suffix("\">"));
                if let Some(lang) = lang {
                    if crate::numbers::is_valid_language_tag(lang) {
                        stack.push(Frame::Lang(lang.to_string(), Vec::new()));
                    } else {
                        // The text is kept, not marked.
                        stack.push(Frame::Lang(String::new(), Vec::new()));
                        out.diagnostics.push(
                            Diagnostic::warning(
                                Some(locate(range.start)),
                                format!("`{lang}` is not a BCP 47 language tag; the passage is not marked"),
                            )
                            .with_hint("write a tag such as es, fr-CA or zh-Hans"),
                        );
                    }
                } else if html == "</span>" && matches!(stack.last(), Some(Frame::Lang(..))) {
                    if let Some(frame) = stack.pop() {
                        finish(frame, &mut stack, &mut out);
                    }
                } else if let Some(id) = sealed {
                    stack.push(Frame::Stat(id.to_string(), Vec::new()));
                } else if html == "</bk-stat>" && in_stat {
                    if let Some(Frame::Stat(id, content)) = stack.pop() {
                        // The helper wrote the figure as it should read (full or
                        // compact); the lookup adds its source and citation.
                        let inline = match stats(&id) {
                            Some((source, citation)) => Inline::Stat {
                                id,
                                text: briefkit_model::document::plain_text(&content),
                                source,
                                citation,
                            },
                            None => Inline::Text {
                                text: briefkit_model::document::plain_text(&content),
                            },
                        };
                        push_inline(&mut stack, &mut out, inline);
                    }
                } else if html.starts_with("<!--") {
                    // A comment: nothing to show and nothing lost.
                } else {
                    out.diagnostics.push(
                        Diagnostic::warning(
                            Some(locate(range.start)),
                            format!("raw HTML `{}` is dropped; the text around it is kept", link::shorten(html)),
                        )
                        .with_hint("write Markdown instead of HTML: no output carries HTML from the article")
                        .kind(Kind::RawHtml),
                    );
                }
            }
            Event::Html(html) => {
                let trimmed = html.trim();
                if let Some(name) = directive_name(trimmed) {
                    match directives(&Directive { name, tag: trimmed }) {
                        Ok(blocks) => {
                            for (b, at) in blocks {
                                let before = out.blocks.len();
                                push_block(&mut stack, &mut out, b);
                                if out.blocks.len() > before {
                                    out.block_at.push(at.or_else(|| top.clone()));
                                }
                            }
                        }
                        Err(msg) => out
                            .diagnostics
                            .push(Diagnostic::error(Some(locate(range.start)), msg)),
                    }
                } else if !trimmed.is_empty() && !trimmed.starts_with("<!--") {
                    out.diagnostics.push(
                        Diagnostic::warning(
                            Some(locate(range.start)),
                            format!("raw HTML `{}` is dropped", link::shorten(trimmed.lines().next().unwrap_or(""))),
                        )
                        .with_hint("write Markdown instead of HTML: no output carries HTML from the article")
                        .kind(Kind::RawHtml),
                    );
                }
            }
            Event::TaskListMarker(done) => push_inline(
                &mut stack,
                &mut out,
                Inline::Text {
                    text: if done { "☒ ".into() } else { "☐ ".into() },
                },
            ),
            _ => {}
        }
        while out.block_at.len() < out.blocks.len() {
            out.block_at.push(top.clone());
        }
    }
    out
}

/// Reports, once per kind, that nesting beyond the model's depth was
/// flattened.
fn flattened(depths: &mut Depths, kind: usize, out: &mut Converted, at: impl FnOnce() -> Span) {
    if std::mem::replace(&mut depths.warned[kind], true) {
        return;
    }
    let message = match kind {
        0 => format!("lists are nested deeper than {MAX_LIST_DEPTH} levels; the deeper ones are flattened into level {MAX_LIST_DEPTH}"),
        1 => format!("block quotes are nested deeper than {MAX_QUOTE_DEPTH} levels; the deeper ones are flattened into level {MAX_QUOTE_DEPTH}"),
        _ => format!("emphasis and links are nested deeper than {MAX_INLINE_DEPTH} levels; the deeper marks are dropped and their text kept"),
    };
    out.diagnostics.push(
        Diagnostic::warning(Some(at()), message)
            .with_hint("no reader can follow nesting this deep: restructure the text"),
    );
}

/// The frame for a link: a link only to the web, e-mail, a telephone or an
/// anchor; any other scheme is an error, and a link to a file of the pack
/// keeps its text (no format carries pack files).
fn link_frame(link_type: LinkType, dest: &str, at: Span, out: &mut Converted) -> Frame {
    let dest = if link_type == LinkType::Email && !dest.contains(':') {
        format!("mailto:{dest}")
    } else {
        dest.to_string()
    };
    match link::classify(&dest) {
        LinkTarget::Web | LinkTarget::Mail | LinkTarget::Phone | LinkTarget::Anchor => {
            Frame::Link(link::clean(&dest), Vec::new())
        }
        LinkTarget::Forbidden(scheme) => {
            let what = if scheme == "//" {
                "an address without a scheme (`//…`)".to_string()
            } else {
                format!("the `{scheme}:` scheme")
            };
            out.diagnostics.push(
                Diagnostic::error(
                    Some(at),
                    format!("the link to `{}` uses {what}, which briefkit never writes", link::shorten(&dest)),
                )
                .with_hint("link only to http://, https://, mailto: or tel: addresses, or to an #anchor in the brief"),
            );
            Frame::Transparent(Vec::new())
        }
        LinkTarget::File(path) => {
            out.diagnostics.push(
                Diagnostic::warning(
                    Some(at),
                    format!("the link to `{}` points at a file; no output carries the pack's files, so only the link's text is kept", link::shorten(&path)),
                )
                .with_hint("link to the file's address on the web instead"),
            );
            Frame::Transparent(Vec::new())
        }
    }
}

fn directive_name(html: &str) -> Option<&str> {
    let rest = html.strip_prefix("<bk-")?;
    let end = rest.find(['>', '/', ' '])?;
    let name = &rest[..end];
    let closing = format!("</bk-{name}>");
    let ok = html.ends_with(&closing) || html.ends_with("/>");
    (ok && !name.is_empty()).then_some(name)
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The innermost frame that is not flattened.
fn innermost(stack: &mut [Frame]) -> Option<&mut Frame> {
    stack
        .iter_mut()
        .rev()
        .find(|f| !matches!(f, Frame::Flattened))
}

fn push_inline(stack: &mut [Frame], out: &mut Converted, inline: Inline) {
    let target = match innermost(stack) {
        Some(Frame::Paragraph(c))
        | Some(Frame::Heading(_, _, c))
        | Some(Frame::Item(_, c))
        | Some(Frame::Cell(c))
        | Some(Frame::Emphasis(c))
        | Some(Frame::Strong(c))
        | Some(Frame::Link(_, c))
        | Some(Frame::Stat(_, c))
        | Some(Frame::Lang(_, c))
        | Some(Frame::Transparent(c)) => c,
        Some(Frame::Image { alt, .. }) => alt,
        _ => {
            // Inline content with no inline container (rare: tight footnotes).
            if let Some(Frame::Footnote(_, blocks, _)) = innermost(stack) {
                blocks.push(Block::Paragraph {
                    content: vec![inline],
                });
            } else if stack.is_empty() {
                out.blocks.push(Block::Paragraph {
                    content: vec![inline],
                });
            }
            return;
        }
    };
    if let (Inline::Text { text }, Some(Inline::Text { text: prev })) = (&inline, target.last_mut())
    {
        prev.push_str(text);
        return;
    }
    target.push(inline);
}

/// Text with its bare web addresses made links, as GitHub's Markdown does
/// (extended autolinks): `https://…`, `http://…` and `www.…` (which gets
/// `https://`), up to white space or `<`, without the punctuation that
/// ends a sentence after it or a closing bracket it did not open.
fn autolinks(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let found = ["https://", "http://", "www."]
            .iter()
            .filter_map(|p| {
                let at = rest.find(p)?;
                // At a word's start only (not inside `foo.www.`).
                let boundary = rest[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| c.is_whitespace() || "([{\"'“‘".contains(c));
                boundary.then_some(at)
            })
            .min();
        let Some(at) = found else { break };
        let len = rest[at..]
            .find(|c: char| c.is_whitespace() || c == '<')
            .unwrap_or(rest.len() - at);
        let mut url = &rest[at..at + len];
        loop {
            let trimmed = url.trim_end_matches([
                '?', '!', '.', ',', ':', ';', '*', '_', '~', '\'', '"', '”', '’',
            ]);
            let trimmed = if trimmed.ends_with(')')
                && trimmed.matches(')').count() > trimmed.matches('(').count()
            {
                &trimmed[..trimmed.len() - 1]
            } else {
                trimmed
            };
            if trimmed == url {
                break;
            }
            url = trimmed;
        }
        let host = url
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        if url.len() <= 8 || !host.contains('.') || host.starts_with('.') {
            // Not an address ("http://" alone, "www." alone).
            let (before, after) = rest.split_at(at + len.max(1));
            push_text(&mut out, before);
            rest = after;
            continue;
        }
        push_text(&mut out, &rest[..at]);
        let href = if url.starts_with("www.") {
            format!("https://{url}")
        } else {
            url.to_string()
        };
        out.push(Inline::Link {
            url: href,
            content: vec![Inline::Text {
                text: url.to_string(),
            }],
        });
        rest = &rest[at + url.len()..];
    }
    push_text(&mut out, rest);
    out
}

fn push_text(out: &mut Vec<Inline>, text: &str) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Inline::Text { text: prev }) => prev.push_str(text),
        _ => out.push(Inline::Text {
            text: text.to_string(),
        }),
    }
}

fn push_block(stack: &mut [Frame], out: &mut Converted, block: Block) {
    match innermost(stack) {
        Some(Frame::Quote(b)) | Some(Frame::Footnote(_, b, _)) => b.push(block),
        Some(Frame::Item(b, loose)) => {
            flush_loose(b, loose);
            b.push(block);
        }
        _ => out.blocks.push(block),
    }
}

fn flush_loose(blocks: &mut Vec<Block>, loose: &mut Vec<Inline>) {
    if !loose.is_empty() {
        blocks.push(Block::Paragraph {
            content: std::mem::take(loose),
        });
    }
}

fn finish(frame: Frame, stack: &mut [Frame], out: &mut Converted) {
    match frame {
        Frame::Paragraph(content) => {
            let content = trim_inlines(content);
            // A paragraph holding one image alone is a block image.
            if let [Inline::Text { text }] = content.as_slice() {
                if text.starts_with('\u{1}')
                    && text.ends_with('\u{2}')
                    && text.matches('\u{1}').count() == 1
                {
                    if let Some((image, _)) = out.images.last() {
                        let image = image.clone();
                        push_block(stack, out, Block::Image(image));
                        return;
                    }
                }
            }
            if !content.is_empty() {
                push_block(
                    stack,
                    out,
                    Block::Paragraph {
                        content: strip_image_marks(content),
                    },
                );
            }
        }
        Frame::Heading(level, id, content) => push_block(
            stack,
            out,
            Block::Heading {
                level,
                id: id.unwrap_or_default(),
                content: trim_inlines(content),
            },
        ),
        Frame::Quote(blocks) => push_block(stack, out, Block::Quote { blocks }),
        Frame::Code(language, mut text) => {
            if text.ends_with('\n') {
                text.pop();
            }
            push_block(stack, out, Block::Code { language, text })
        }
        Frame::List(start, items) => push_block(
            stack,
            out,
            Block::List {
                ordered: start.is_some(),
                start: start.unwrap_or(1),
                items,
            },
        ),
        Frame::Item(mut blocks, mut loose) => {
            flush_loose(&mut blocks, &mut loose);
            if let Some(Frame::List(_, items)) = stack.last_mut() {
                items.push(blocks);
            } else {
                // An item of a flattened list: its content joins the
                // deepest item kept.
                for b in blocks {
                    push_block(stack, out, b);
                }
            }
        }
        Frame::Footnote(label, blocks, location) => {
            out.footnote_defs.push((label, blocks, location))
        }
        Frame::Table {
            align,
            header,
            rows,
            ..
        } => push_block(
            stack,
            out,
            Block::Table(Table {
                align,
                header,
                rows,
            }),
        ),
        Frame::Row(cells) => {
            if let Some(Frame::Table {
                header,
                rows,
                in_head,
                ..
            }) = stack.last_mut()
            {
                if *in_head {
                    *header = cells;
                    *in_head = false;
                } else {
                    rows.push(cells);
                }
            }
        }
        Frame::Cell(content) => {
            if let Some(Frame::Row(cells)) = stack.last_mut() {
                cells.push(trim_inlines(content));
            }
        }
        Frame::Emphasis(content) => push_inline(stack, out, Inline::Emphasis { content }),
        Frame::Strong(content) => push_inline(stack, out, Inline::Strong { content }),
        Frame::Transparent(content) => {
            for i in content {
                push_inline(stack, out, i);
            }
        }
        Frame::Link(url, content) => push_inline(stack, out, Inline::Link { url, content }),
        Frame::Stat(_, content) => {
            for i in content {
                push_inline(stack, out, i);
            }
        }
        Frame::Lang(lang, content) if lang.is_empty() => {
            for i in content {
                push_inline(stack, out, i);
            }
        }
        Frame::Lang(lang, content) => push_inline(stack, out, Inline::Span { lang, content }),
        Frame::Flattened => {}
        Frame::Image {
            src,
            title,
            alt,
            location,
        } => {
            let alt = briefkit_model::document::plain_text(&alt);
            let image = Image {
                src,
                alt,
                title: (!title.is_empty()).then_some(title),
                at: Some(location.clone()),
            };
            out.images.push((image.clone(), location));
            // A marker the paragraph resolves: a lone image becomes a block; an image
            // inside running text keeps its alt text in the flow.
            push_inline(
                stack,
                out,
                Inline::Text {
                    text: format!("\u{1}{}\u{2}", image.alt),
                },
            );
        }
    }
}

/// Removes in-text image markers, keeping the alt text.
fn strip_image_marks(content: Vec<Inline>) -> Vec<Inline> {
    content
        .into_iter()
        .map(|i| match i {
            Inline::Text { text } => Inline::Text {
                text: text.replace(['\u{1}', '\u{2}'], ""),
            },
            other => other,
        })
        .collect()
}

/// Drops leading and trailing white space of inline content.
fn trim_inlines(mut content: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text { text }) = content.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text }) = content.last_mut() {
        *text = text.trim_end().to_string();
    }
    content.retain(|i| !matches!(i, Inline::Text { text } if text.is_empty()));
    content
}

/// Gives footnotes numbers by first reference and rewrites references;
/// reports references without definitions and unreferenced definitions.
pub fn number_footnotes(
    blocks: &mut [Block],
    defs: Vec<(String, Vec<Block>, Span)>,
    refs: &[(String, Span)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<briefkit_model::document::Footnote> {
    let mut order: Vec<String> = Vec::new();
    let mut numbers: rustc_hash::FxHashMap<&str, usize> = Default::default();
    let mut first_ref: rustc_hash::FxHashMap<&str, &Span> = Default::default();
    let mut ref_numbers = Vec::new();
    for (label, at) in refs {
        let n = *numbers.entry(label).or_insert_with(|| {
            order.push(label.clone());
            first_ref.insert(label, at);
            order.len()
        });
        ref_numbers.push(n);
    }
    let mut defs: BTreeMap<String, (Vec<Block>, Span)> =
        defs.into_iter().map(|(l, b, loc)| (l, (b, loc))).collect();
    let mut notes = Vec::new();
    for (i, label) in order.iter().enumerate() {
        match defs.remove(label) {
            Some((blocks, at)) => notes.push(briefkit_model::document::Footnote {
                number: i + 1,
                label: label.clone(),
                blocks,
                at: Some(at),
            }),
            None => {
                let loc = first_ref.get(label.as_str()).map(|loc| (*loc).clone());
                diagnostics.push(Diagnostic::error(
                    loc,
                    format!("footnote `[^{label}]` has no definition"),
                ));
            }
        }
    }
    for (label, (_, loc)) in defs {
        diagnostics.push(
            Diagnostic::warning(
                Some(loc),
                format!("footnote `[^{label}]` is defined but never referenced; it is left out"),
            )
            .with_hint("reference it in the text or delete it"),
        );
    }
    renumber(blocks, &ref_numbers);
    notes
}

fn renumber(blocks: &mut [Block], numbers: &[usize]) {
    for block in blocks {
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => {
                renumber_inlines(content, numbers)
            }
            Block::List { items, .. } => items.iter_mut().for_each(|i| renumber(i, numbers)),
            Block::Quote { blocks } => renumber(blocks, numbers),
            Block::Table(t) => {
                t.header
                    .iter_mut()
                    .for_each(|c| renumber_inlines(c, numbers));
                t.rows
                    .iter_mut()
                    .flatten()
                    .for_each(|c| renumber_inlines(c, numbers));
            }
            _ => {}
        }
    }
}

fn renumber_inlines(inlines: &mut [Inline], numbers: &[usize]) {
    for inline in inlines {
        match inline {
            Inline::FootnoteRef { number } => {
                if let Some(n) = numbers.get(number.saturating_sub(1)) {
                    *number = *n;
                }
            }
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => renumber_inlines(content, numbers),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<String> {
        autolinks(text)
            .into_iter()
            .filter_map(|i| match i {
                Inline::Link { url, .. } => Some(url),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn bare_addresses_become_links_without_the_sentence_around_them() {
        assert_eq!(
            urls("See https://www.iom.int/news."),
            ["https://www.iom.int/news"]
        );
        assert_eq!(urls("(see www.iom.int)"), ["https://www.iom.int"]);
        assert_eq!(
            urls("A list (https://en.wikipedia.org/wiki/Mexico_(country)) here"),
            ["https://en.wikipedia.org/wiki/Mexico_(country)"]
        );
        assert_eq!(
            urls("plain words, no address; http:// alone; www. too"),
            Vec::<String>::new()
        );
        assert_eq!(urls("foo.www.bar.org"), Vec::<String>::new());
        let all = autolinks("Read https://a.org/x, then go.");
        assert_eq!(all.len(), 3);
        assert!(matches!(&all[2], Inline::Text { text } if text == ", then go."));
    }
}
