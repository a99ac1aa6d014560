//! Model blocks to XHTML fragments (well-formed XML, EPUB 3 semantics).

use briefkit_model::{plain_text, Align, Block, Chart, ContactKind, Document, Inline};
use std::fmt::Write;

pub use briefkit_package::escape as esc;

/// Writes the body of the brief page.
pub struct XhtmlBody<'a> {
    doc: &'a Document,
    out: String,
    /// Resource paths of the charts' images, in reading order.
    chart_hrefs: &'a [String],
    /// How many charts are written so far.
    charts_written: usize,
    /// Map from article image paths to their names in the EPUB.
    image_href: &'a dyn Fn(&str) -> String,
}

impl<'a> XhtmlBody<'a> {
    /// A writer for `doc`.
    pub fn new(
        doc: &'a Document,
        chart_hrefs: &'a [String],
        image_href: &'a dyn Fn(&str) -> String,
    ) -> Self {
        Self {
            doc,
            out: String::new(),
            chart_hrefs,
            charts_written: 0,
            image_href,
        }
    }

    /// A chart's numbers as a table: a row a category, a column a series
    /// (one "value" column for a chart of one unnamed series).
    fn chart_table(&mut self, chart: &Chart) {
        let (heads, rows) = chart.table(&self.doc.metadata.labels);
        self.out
            .push_str("<table class=\"chart-data\">\n<thead><tr>");
        for (i, head) in heads.iter().enumerate() {
            let class = if i == 0 { "" } else { " class=\"num\"" };
            let _ = write!(self.out, "<th scope=\"col\"{class}>{}</th>", esc(head));
        }
        self.out.push_str("</tr></thead>\n<tbody>\n");
        for row in &rows {
            let _ = write!(self.out, "<tr><th scope=\"row\">{}</th>", esc(&row[0]));
            for value in &row[1..] {
                let _ = write!(self.out, "<td class=\"num\">{}</td>", esc(value));
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody>\n</table>\n");
    }

    /// Writes every block and the footnotes; returns the XHTML.
    pub fn finish(mut self) -> String {
        // Each level-1/2 heading opens a <section> that runs to the next one;
        // the one holding the sources list is the book's bibliography.
        let blocks = &self.doc.blocks;
        let mut open = false;
        for (i, block) in blocks.iter().enumerate() {
            if let Block::Heading { level, id, .. } = block {
                if *level <= 2 {
                    if open {
                        self.out.push_str("</section>\n");
                    }
                    let semantics = if section_holds_sources(&blocks[i + 1..]) {
                        " epub:type=\"bibliography\" role=\"doc-bibliography\""
                    } else {
                        ""
                    };
                    let _ = writeln!(
                        self.out,
                        "<section id=\"sec-{0}\" aria-labelledby=\"{0}\"{semantics}>",
                        esc(id)
                    );
                    open = true;
                }
            }
            self.block(block);
        }
        if open {
            self.out.push_str("</section>\n");
        }
        if !self.doc.footnotes.is_empty() {
            let _ = writeln!(self.out, "<section class=\"footnotes\" epub:type=\"footnotes\" role=\"doc-endnotes\" aria-label=\"{}\">", esc(&self.doc.metadata.labels.notes));
            for note in &self.doc.footnotes {
                let n = note.number;
                let _ = writeln!(
                    self.out,
                    "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-{n}\">"
                );
                let mut first = true;
                for b in &note.blocks {
                    if first {
                        if let Block::Paragraph { content } = b {
                            let _ = write!(self.out, "<p><a href=\"#fnref-{n}\" role=\"doc-backlink\" class=\"note-number\">{n}.</a> ");
                            self.inlines(content);
                            self.out.push_str("</p>\n");
                            first = false;
                            continue;
                        }
                    }
                    first = false;
                    self.block(b);
                }
                self.out.push_str("</aside>\n");
            }
            self.out.push_str("</section>\n");
        }
        self.out
    }

    fn block(&mut self, block: &Block) {
        let labels = &self.doc.metadata.labels;
        match block {
            Block::Cover(c) => {
                self.out.push_str("<header class=\"masthead\">\n");
                if let Some(org) = &c.organization {
                    let _ = writeln!(self.out, "<p class=\"organization\">{}</p>", esc(org));
                }
                let _ = writeln!(self.out, "<h1 id=\"title\">{}</h1>", esc(&c.title));
                if let Some(sub) = &c.subtitle {
                    let _ = writeln!(self.out, "<p class=\"subtitle\">{}</p>", esc(sub));
                }
                let _ = writeln!(
                    self.out,
                    "<p class=\"date\"><time datetime=\"{}\">{}</time></p>",
                    esc(&self.doc.metadata.date.iso()),
                    esc(&c.date)
                );
                self.out.push_str("</header>\n");
            }
            Block::Heading { level, id, content } => {
                let l = (*level).clamp(1, 6);
                let _ = write!(self.out, "<h{l} id=\"{}\">", esc(id));
                self.inlines(content);
                let _ = writeln!(self.out, "</h{l}>");
            }
            Block::Paragraph { content } => {
                self.out.push_str("<p>");
                self.inlines(content);
                self.out.push_str("</p>\n");
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                if *ordered {
                    if *start == 1 {
                        self.out.push_str("<ol>\n");
                    } else {
                        let _ = writeln!(self.out, "<ol start=\"{start}\">");
                    }
                } else {
                    self.out.push_str("<ul>\n");
                }
                for item in items {
                    self.out.push_str("<li>");
                    // A one-paragraph item is written without <p> (tight list).
                    if let [Block::Paragraph { content }] = item.as_slice() {
                        self.inlines(content);
                    } else {
                        for b in item {
                            self.block(b);
                        }
                    }
                    self.out.push_str("</li>\n");
                }
                self.out
                    .push_str(if *ordered { "</ol>\n" } else { "</ul>\n" });
            }
            Block::Quote { blocks } => {
                self.out.push_str("<blockquote>\n");
                for b in blocks {
                    self.block(b);
                }
                self.out.push_str("</blockquote>\n");
            }
            Block::Code { text, .. } => {
                let _ = writeln!(self.out, "<pre><code>{}</code></pre>", esc(text));
            }
            Block::Table(t) => {
                self.out.push_str("<table>\n<thead><tr>");
                for (i, cell) in t.header.iter().enumerate() {
                    let _ = write!(
                        self.out,
                        "<th scope=\"col\"{}>",
                        align_class(t.align.get(i))
                    );
                    self.inlines(cell);
                    self.out.push_str("</th>");
                }
                self.out.push_str("</tr></thead>\n<tbody>\n");
                for row in &t.rows {
                    self.out.push_str("<tr>");
                    for (i, cell) in row.iter().enumerate() {
                        let _ = write!(self.out, "<td{}>", align_class(t.align.get(i)));
                        self.inlines(cell);
                        self.out.push_str("</td>");
                    }
                    self.out.push_str("</tr>\n");
                }
                self.out.push_str("</tbody>\n</table>\n");
            }
            Block::Image(img) => {
                let href = (self.image_href)(&img.src);
                let _ = write!(
                    self.out,
                    "<figure class=\"image\"><img src=\"{}\" alt=\"{}\"/>",
                    esc(&href),
                    esc(&img.alt)
                );
                if let Some(title) = &img.title {
                    let _ = write!(self.out, "<figcaption>{}</figcaption>", esc(title));
                }
                self.out.push_str("</figure>\n");
            }
            Block::Rule => self.out.push_str("<hr/>\n"),
            Block::KeyFigures { figures } => {
                let _ = writeln!(
                    self.out,
                    "<section class=\"key-figures\" aria-label=\"{}\">",
                    esc(&labels.key_figures)
                );
                for f in figures {
                    self.out.push_str("<div class=\"card\">");
                    let _ = write!(
                        self.out,
                        "<p class=\"value\"><a href=\"#source-{}\" data-stat=\"{}\">{}</a>",
                        f.source_number,
                        esc(&f.id),
                        esc(&f.value)
                    );
                    if let Some(unit) = &f.unit {
                        let _ = write!(self.out, " <span class=\"unit\">{}</span>", esc(unit));
                    }
                    self.out.push_str("</p>");
                    let _ = write!(self.out, "<p class=\"label\">{}</p>", esc(&f.label));
                    let src = f.source_and_period(&self.doc.metadata.labels);
                    let _ = writeln!(self.out, "<p class=\"source\">{}</p></div>", esc(&src));
                }
                self.out.push_str("</section>\n");
            }
            Block::Chart(chart) => {
                let alt = &chart.alt;
                // figcaption must be the first or last child of figure.
                self.out.push_str("<figure class=\"chart\">\n");
                let _ = writeln!(self.out, "<figcaption>{}</figcaption>", esc(&chart.title));
                if let Some(href) = self.chart_hrefs.get(self.charts_written) {
                    let _ = writeln!(
                        self.out,
                        "<img src=\"{}\" alt=\"{}\"/>",
                        esc(href),
                        esc(alt)
                    );
                }
                self.charts_written += 1;
                self.chart_table(chart);
                let _ = writeln!(
                    self.out,
                    "<p class=\"chart-source\">{}</p>",
                    esc(&chart.source_line)
                );
                if let Some(note) = &chart.note {
                    let _ = writeln!(self.out, "<p class=\"chart-source\">{}</p>", esc(note));
                }
                self.out.push_str("</figure>\n");
            }
            Block::StatisticsTable { rows } => {
                self.out
                    .push_str("<table class=\"statistics\">\n<thead><tr>");
                for (h, class) in [
                    (&labels.value, " class=\"num\""),
                    (&labels.counts, ""),
                    (&labels.period, ""),
                    (&labels.source, ""),
                ] {
                    let _ = write!(self.out, "<th scope=\"col\"{class}>{}</th>", esc(h));
                }
                self.out.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    let _ = writeln!(
                        self.out,
                        "<tr><td class=\"num\" data-stat=\"{}\">{}</td><td>{}</td><td>{}</td><td><a href=\"#source-{}\">{}</a></td></tr>",
                        esc(&r.id),
                        esc(&r.value),
                        esc(&r.label),
                        esc(&r.period),
                        r.source_number,
                        esc(&r.source)
                    );
                }
                self.out.push_str("</tbody>\n</table>\n");
            }
            Block::Sources { sources } => {
                self.out
                    .push_str("<ol class=\"sources\" id=\"sources-list\">\n");
                for s in sources {
                    let _ = write!(self.out, "<li id=\"{}\">{}", esc(&s.anchor), esc(&s.name));
                    if let Some(url) = &s.url {
                        let _ = write!(self.out, ". <a href=\"{}\">{}</a>", esc(url), esc(url));
                    }
                    self.out.push_str("</li>\n");
                }
                self.out.push_str("</ol>\n");
            }
            Block::Contact(c) => {
                self.out.push_str("<address class=\"contact\">\n");
                for line in c.lines() {
                    match line.href() {
                        // Addresses read left to right in any brief.
                        Some(href) => {
                            let _ = writeln!(
                                self.out,
                                "<a href=\"{}\" dir=\"ltr\">{}</a><br/>",
                                esc(&href),
                                esc(&line.text)
                            );
                        }
                        None if line.kind == ContactKind::Phone => {
                            let _ = writeln!(
                                self.out,
                                "<span dir=\"ltr\">{}</span><br/>",
                                esc(&line.text)
                            );
                        }
                        None if line.kind == ContactKind::Name => {
                            let _ = writeln!(self.out, "<strong>{}</strong><br/>", esc(&line.text));
                        }
                        None => {
                            let _ = writeln!(self.out, "{}<br/>", esc(&line.text));
                        }
                    }
                }
                self.out.push_str("</address>\n");
            }
        }
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => self.out.push_str(&esc(text)),
                Inline::Emphasis { content } => {
                    self.out.push_str("<em>");
                    self.inlines(content);
                    self.out.push_str("</em>");
                }
                Inline::Strong { content } => {
                    self.out.push_str("<strong>");
                    self.inlines(content);
                    self.out.push_str("</strong>");
                }
                Inline::Code { text } => {
                    let _ = write!(self.out, "<code>{}</code>", esc(text));
                }
                Inline::Link { url, content } => {
                    let _ = write!(self.out, "<a href=\"{}\">", esc(url));
                    self.inlines(content);
                    self.out.push_str("</a>");
                }
                Inline::Stat {
                    text,
                    source,
                    id,
                    citation,
                } => {
                    // In a right-to-left brief a figure is isolated left to
                    // right by markup, never by marks in its text.
                    let dir = if self.doc.metadata.direction.is_rtl() {
                        " dir=\"ltr\""
                    } else {
                        ""
                    };
                    let _ = write!(
                        self.out,
                        "<a class=\"stat\"{dir} href=\"#source-{source}\" data-stat=\"{}\">{}</a>",
                        esc(id),
                        esc(text)
                    );
                    if let Some(c) = citation {
                        // Announced as "Source 3", not "left bracket 3".
                        let number = c.trim_matches(|ch: char| !ch.is_alphanumeric());
                        let _ = write!(
                            self.out,
                            "\u{a0}<a class=\"citation\" href=\"#source-{source}\" role=\"doc-biblioref\" aria-label=\"{}\">{}</a>",
                            esc(&self.doc.metadata.labels.source_n(number)),
                            esc(c)
                        );
                    }
                }
                Inline::FootnoteRef { number } => {
                    let _ = write!(
                        self.out,
                        "<sup><a epub:type=\"noteref\" role=\"doc-noteref\" id=\"fnref-{number}\" href=\"#fn-{number}\" aria-label=\"{}\">{number}</a></sup>",
                        esc(&self.doc.metadata.labels.note_n(&number.to_string()))
                    );
                }
                Inline::Span { lang, content } => {
                    let _ = write!(self.out, "<span lang=\"{0}\" xml:lang=\"{0}\">", esc(lang));
                    self.inlines(content);
                    self.out.push_str("</span>");
                }
                Inline::LineBreak => self.out.push_str("<br/>"),
            }
        }
    }
}

/// Whether the blocks up to the next level-1/2 heading include the sources list.
fn section_holds_sources(rest: &[Block]) -> bool {
    rest.iter()
        .take_while(|b| !matches!(b, Block::Heading { level, .. } if *level <= 2))
        .any(|b| matches!(b, Block::Sources { .. }))
}

/// Where the sources list starts, as a fragment of the brief page: its
/// section when a heading introduces it, else the list itself.
pub fn sources_fragment(doc: &Document) -> Option<String> {
    let mut section = None;
    for block in &doc.blocks {
        match block {
            Block::Heading { level, id, .. } if *level <= 2 => section = Some(format!("sec-{id}")),
            Block::Sources { .. } => {
                return Some(section.unwrap_or_else(|| "sources-list".to_string()))
            }
            _ => {}
        }
    }
    None
}

fn align_class(align: Option<&Align>) -> &'static str {
    match align {
        Some(Align::Right) => " class=\"num\"",
        Some(Align::Center) => " class=\"center\"",
        _ => "",
    }
}

/// Plain text of a heading for the table of contents.
pub fn heading_text(content: &[Inline]) -> String {
    plain_text(content)
}
