//! The house style in one place — its colours ([`PALETTE`]) and its type
//! sizes ([`TYPE`]): every backend reads them from here (the PDF's fills,
//! text and sizes, the DOCX's styles, the EPUB's SVG), and a test checks the
//! EPUB stylesheet and the DOCX theme part against them, so a house colour
//! or size changes here and nowhere else.

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    /// `1D2B36`, as WordprocessingML and DrawingML write colours.
    pub fn hex(self) -> String {
        format!("{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// `#1d2b36`, as CSS and SVG write colours.
    pub fn css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Components from 0 to 1, to three decimals (as PDF operators write
    /// them).
    pub const fn unit(self) -> (f32, f32, f32) {
        const fn third(c: u8) -> f32 {
            // Rounded to thousandths in integers (no float rounding in const).
            let thousandths = (c as u32 * 2000 + 255) / 510;
            thousandths as f32 / 1000.0
        }
        (third(self.0), third(self.1), third(self.2))
    }
}

/// The palette of the house style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// Body text.
    pub ink: Color,
    /// The brand colour: links, figures, the second heading level, rules
    /// under the masthead, card edges.
    pub accent: Color,
    /// Secondary text: dates, sources, captions.
    pub muted: Color,
    /// Card and zebra-row background.
    pub tint: Color,
    /// Table header background.
    pub head: Color,
    /// Hairlines: table rules, the chart's axis, separators.
    pub rule: Color,
    /// Quoted text.
    pub quote: Color,
    /// The bar beside a quote.
    pub quote_bar: Color,
    /// The page.
    pub paper: Color,
}

/// briefkit's palette.
pub const PALETTE: Palette = Palette {
    ink: Color(0x1D, 0x2B, 0x36),
    accent: Color(0x0B, 0x5C, 0x8C),
    muted: Color(0x5A, 0x66, 0x70),
    tint: Color(0xEE, 0xF4, 0xF8),
    head: Color(0xDD, 0xE6, 0xEC),
    rule: Color(0xC9, 0xD3, 0xDB),
    quote: Color(0x34, 0x43, 0x4F),
    quote_bar: Color(0x9F, 0xB7, 0xC8),
    paper: Color(0xFF, 0xFF, 0xFF),
};

/// The colours of a chart's series, in order (a sixth series takes the
/// first again): the Okabe–Ito hues, which readers with any common colour
/// vision deficiency tell apart, darkened where needed so that each stands
/// at least 3:1 against the paper (WCAG 1.4.11; a test checks), the first
/// the accent.
pub const SERIES: [Color; 5] = [
    PALETTE.accent,
    Color(0xD5, 0x5E, 0x00),
    Color(0x00, 0x9E, 0x73),
    Color(0xCC, 0x79, 0xA7),
    Color(0x99, 0x7A, 0x00),
];

/// The colour of a chart's series `i` (the palette repeats after five).
pub fn series_colour(i: usize) -> Color {
    SERIES[i % SERIES.len()]
}

impl Palette {
    /// Every colour with its name, for checks of files written by hand.
    pub fn named(&self) -> [(&'static str, Color); 9] {
        [
            ("ink", self.ink),
            ("accent", self.accent),
            ("muted", self.muted),
            ("tint", self.tint),
            ("head", self.head),
            ("rule", self.rule),
            ("quote", self.quote),
            ("quote_bar", self.quote_bar),
            ("paper", self.paper),
        ]
    }
}

/// The type sizes of the house style, in points. The PDF sets them as
/// they are, the DOCX in half-points ([`TypeScale::half_points`]), and
/// the EPUB's stylesheet in `em` of the body size ([`TypeScale::em`]),
/// so a reader's own text size scales them all.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TypeScale {
    /// Running text.
    pub body: f32,
    /// Line height as a multiple of the size, for running text.
    pub leading: f32,
    /// The organisation's name above the title.
    pub organisation: f32,
    /// The brief's title.
    pub title: f32,
    /// The subtitle.
    pub subtitle: f32,
    /// The date under the masthead.
    pub date: f32,
    /// Headings of levels 1, 2 and 3 (deeper levels take level 3's).
    pub headings: [f32; 3],
    /// Table text: the statistics table and tables in the article.
    pub table: f32,
    /// A figure's or table's caption.
    pub caption: f32,
    /// The list of sources, and the contact.
    pub sources: f32,
    /// Footnotes at the foot of the page.
    pub note: f32,
    /// Code blocks.
    pub code: f32,
    /// A key figure's number.
    pub key_value: f32,
    /// A key figure's unit (`%`) beside its number.
    pub key_unit: f32,
    /// A key figure's label.
    pub key_label: f32,
    /// A key figure's source line.
    pub key_source: f32,
    /// Running header and footer.
    pub running: f32,
    /// Table-of-contents entries of the top level and of the levels below.
    pub toc: [f32; 2],
    /// Chart labels.
    pub chart: f32,
    /// Citation markers ("[1]") as a fraction of the text around them.
    pub citation: f32,
}

/// briefkit's type sizes.
pub const TYPE: TypeScale = TypeScale {
    body: 10.5,
    leading: 1.42,
    organisation: 9.0,
    title: 22.0,
    subtitle: 12.5,
    date: 9.0,
    headings: [17.0, 13.5, 11.5],
    table: 8.5,
    caption: 8.5,
    sources: 9.5,
    note: 8.0,
    code: 8.5,
    key_value: 20.0,
    key_unit: 9.0,
    key_label: 8.5,
    key_source: 7.0,
    running: 7.5,
    toc: [10.0, 9.5],
    chart: 9.5,
    citation: 0.82,
};

impl TypeScale {
    /// A size in half-points, as WordprocessingML writes sizes.
    pub fn half_points(size: f32) -> usize {
        // Sizes are small positive numbers: the cast cannot truncate.
        (size * 2.0).round().max(1.0) as usize
    }

    /// A size in `em` of the body size, to two decimals, as the EPUB
    /// stylesheet writes sizes.
    pub fn em(&self, size: f32) -> f32 {
        (size / self.body * 100.0).round() / 100.0
    }

    /// The size of a heading level (1-based; deeper levels take level 3's).
    pub fn heading(&self, level: u8) -> f32 {
        self.headings[usize::from(level.clamp(1, 3)) - 1]
    }
}

/// Space above and below a block, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Space {
    /// Above the block (between it and the block before).
    pub before: f32,
    /// Below it.
    pub after: f32,
}

/// A heading level's look.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeadingLook {
    /// Its colour.
    pub color: Color,
    /// Space around it.
    pub space: Space,
}

/// A quotation: a bar at the start edge, the text indented beside it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuoteLook {
    /// From the text column's start edge to the quoted text, in points.
    pub indent: f32,
    /// The bar's width, in points.
    pub bar: f32,
    /// The bar's colour.
    pub bar_color: Color,
    /// The quoted text's colour.
    pub color: Color,
    /// Italic where the script has italic (see [`has_italic`]).
    pub italic: bool,
    /// Space around the quote.
    pub space: Space,
    /// Between two paragraphs of one quote.
    pub paragraph_gap: f32,
}

/// A table: hairlines between rows, a heavier line under the header, no
/// verticals, every other row tinted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TableLook {
    /// Inside each cell, every side, in points.
    pub padding: f32,
    /// Line height of cell text, as a multiple of the table size.
    pub leading: f32,
    /// The line under the header: width in points, colour.
    pub head_rule: (f32, Color),
    /// The lines between rows and under the last.
    pub rule: (f32, Color),
    /// The header row's background.
    pub head_fill: Color,
    /// Every other body row's background.
    pub zebra: Color,
    /// Space around the table.
    pub space: Space,
}

/// A key figure's card: a tinted box with a bar at its start edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardLook {
    /// Between two cards, in points.
    pub gap: f32,
    /// Inside the card, every side, in points (beside the bar).
    pub padding: f32,
    /// The bar's width, in points.
    pub bar: f32,
    /// The bar's colour.
    pub bar_color: Color,
    /// The card's background.
    pub fill: Color,
    /// Above the label and above the source line, in points.
    pub line_gaps: (f32, f32),
    /// Space above the row of cards.
    pub space: Space,
}

/// A list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ListLook {
    /// From the column's start edge to an item's text, in points.
    pub indent: f32,
    /// Between the marker and the item's text, in points.
    pub marker_gap: f32,
    /// Space around the list.
    pub space: Space,
    /// Between two items.
    pub item_gap: f32,
    /// Between two paragraphs of one item.
    pub paragraph_gap: f32,
}

/// A code block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CodeLook {
    /// From the column's start edge, in points.
    pub indent: f32,
    /// Space around it.
    pub space: Space,
}

/// A thematic break: a short centred hairline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RuleLook {
    /// Its width in points.
    pub width: f32,
    /// Its colour.
    pub color: Color,
    /// The share of the column it spans, centred.
    pub span: f32,
    /// Space around it.
    pub space: Space,
}

/// The masthead: organisation, title, subtitle, date, then a rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MastheadLook {
    /// Above the title, in points.
    pub title_gap: f32,
    /// Above the subtitle.
    pub subtitle_gap: f32,
    /// Above the date.
    pub date_gap: f32,
    /// The rule under the masthead: its thickness in points, its colour.
    pub rule: (f32, Color),
    /// Between the date and the rule.
    pub rule_gap: f32,
    /// From the date to the block below, the rule included.
    pub space_after: f32,
}

/// An image or a chart, and a caption under it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FigureLook {
    /// Above an image.
    pub space: Space,
    /// Above a chart.
    pub chart_space: Space,
    /// A chart's axis: thickness, colour.
    pub axis: (f32, Color),
    /// A chart's grid lines (at its value ticks): thickness, colour.
    pub grid: (f32, Color),
    /// A series' line: thickness.
    pub line: f32,
    /// Between a figure and its caption.
    pub caption_gap: f32,
}

/// The list of sources and the contact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SourcesLook {
    /// Above each source.
    pub entry_gap: f32,
    /// Between a source's number and its name, in em of the sources' size.
    pub number_gap: f32,
    /// Above the contact.
    pub contact_space: Space,
}

/// Footnotes at the foot of the page: a short rule, then the notes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NotesLook {
    /// Between the text and the first note, in points.
    pub separator: f32,
    /// The rule above the notes: thickness, colour.
    pub rule: (f32, Color),
    /// The rule's length.
    pub rule_length: f32,
    /// From the rule down to the first note's top.
    pub rule_gap: f32,
    /// Above each note after the first.
    pub entry_gap: f32,
}

/// The table of contents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContentsLook {
    /// Indent of each level below the top, in points.
    pub indent: f32,
    /// The page numbers' column.
    pub number_width: f32,
    /// Between an entry's text column and the numbers' column.
    pub number_gap: f32,
    /// Line height, as a multiple of the entry's size.
    pub leading: f32,
    /// Above a top-level entry, and above an entry below it.
    pub entry_gap: (f32, f32),
    /// Between two leader dots.
    pub leader: f32,
    /// Clear of the leaders: after the entry's text, before the number.
    pub leader_margins: (f32, f32),
    /// Below the contents.
    pub space_after: f32,
}

/// Running header and footer (pages after the first have the header).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunningLook {
    /// From the header's baseline down to the text area's top, in points.
    pub header: f32,
    /// The rule under the header: its distance above the text area, its
    /// thickness and colour.
    pub rule: (f32, f32, Color),
    /// From the footer's baseline up to the page's bottom edge.
    pub footer: f32,
}

/// The page: margins in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageLook {
    /// Top margin.
    pub top: f32,
    /// Right margin.
    pub right: f32,
    /// Bottom margin.
    pub bottom: f32,
    /// Left margin.
    pub left: f32,
}

/// How each kind of block looks: the style layer of the house style. The
/// PDF lays blocks out with these values as they are (points), the DOCX
/// writes its styles from them (twentieths and eighths of a point), and the
/// EPUB's stylesheet opens with rules generated from them ([`Look::css`]),
/// so a block looks one way in all three and changes here only.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    /// The page.
    pub page: PageLook,
    /// A paragraph of running text.
    pub paragraph: Space,
    /// Heading levels 1, 2 and 3.
    pub headings: [HeadingLook; 3],
    /// Quotations.
    pub quote: QuoteLook,
    /// Tables (the statistics table and the article's).
    pub table: TableLook,
    /// Key-figure cards.
    pub card: CardLook,
    /// Lists.
    pub list: ListLook,
    /// Code blocks.
    pub code: CodeLook,
    /// Thematic breaks.
    pub rule: RuleLook,
    /// The masthead.
    pub masthead: MastheadLook,
    /// Images and charts.
    pub figure: FigureLook,
    /// Sources and contact.
    pub sources: SourcesLook,
    /// Footnotes.
    pub notes: NotesLook,
    /// The table of contents.
    pub contents: ContentsLook,
    /// Running header and footer.
    pub running: RunningLook,
}

/// briefkit's look.
pub const LOOK: Look = Look {
    page: PageLook {
        top: 62.0,
        right: 57.0,
        bottom: 62.0,
        left: 57.0,
    },
    paragraph: Space {
        before: 6.0,
        after: 0.0,
    },
    headings: [
        HeadingLook {
            color: PALETTE.ink,
            space: Space {
                before: 18.0,
                after: 3.0,
            },
        },
        HeadingLook {
            color: PALETTE.accent,
            space: Space {
                before: 16.0,
                after: 3.0,
            },
        },
        HeadingLook {
            color: PALETTE.ink,
            space: Space {
                before: 12.0,
                after: 3.0,
            },
        },
    ],
    quote: QuoteLook {
        indent: 14.0,
        bar: 2.5,
        bar_color: PALETTE.quote_bar,
        color: PALETTE.quote,
        italic: true,
        space: Space {
            before: 8.0,
            after: 0.0,
        },
        paragraph_gap: 4.0,
    },
    table: TableLook {
        padding: 4.0,
        leading: 1.3,
        head_rule: (0.8, PALETTE.ink),
        rule: (0.4, PALETTE.rule),
        head_fill: PALETTE.head,
        zebra: PALETTE.tint,
        space: Space {
            before: 8.0,
            after: 4.0,
        },
    },
    card: CardLook {
        gap: 8.0,
        padding: 8.0,
        bar: 3.0,
        bar_color: PALETTE.accent,
        fill: PALETTE.tint,
        line_gaps: (2.0, 3.0),
        space: Space {
            before: 10.0,
            after: 0.0,
        },
    },
    list: ListLook {
        indent: 16.0,
        marker_gap: 5.0,
        space: Space {
            before: 5.0,
            after: 0.0,
        },
        item_gap: 3.0,
        paragraph_gap: 4.0,
    },
    code: CodeLook {
        indent: 8.0,
        space: Space {
            before: 6.0,
            after: 0.0,
        },
    },
    rule: RuleLook {
        width: 0.6,
        color: PALETTE.rule,
        span: 0.3,
        space: Space {
            before: 6.0,
            after: 0.0,
        },
    },
    masthead: MastheadLook {
        title_gap: 6.0,
        subtitle_gap: 4.0,
        date_gap: 6.0,
        rule: (1.5, PALETTE.accent),
        rule_gap: 4.0,
        space_after: 10.0,
    },
    figure: FigureLook {
        space: Space {
            before: 8.0,
            after: 0.0,
        },
        chart_space: Space {
            before: 12.0,
            after: 0.0,
        },
        axis: (0.8, PALETTE.ink),
        grid: (0.4, PALETTE.rule),
        line: 1.6,
        caption_gap: 4.0,
    },
    sources: SourcesLook {
        entry_gap: 3.0,
        number_gap: 0.5,
        contact_space: Space {
            before: 4.0,
            after: 0.0,
        },
    },
    notes: NotesLook {
        separator: 10.0,
        rule: (0.5, PALETTE.rule),
        rule_length: 120.0,
        rule_gap: 6.0,
        entry_gap: 2.0,
    },
    contents: ContentsLook {
        indent: 14.0,
        number_width: 28.0,
        number_gap: 8.0,
        leading: 1.35,
        entry_gap: (4.0, 1.0),
        leader: 4.0,
        leader_margins: (4.0, 2.0),
        space_after: 6.0,
    },
    running: RunningLook {
        header: 22.0,
        rule: (16.0, 0.4, PALETTE.rule),
        footer: 30.0,
    },
};

impl Look {
    /// A heading level's look (1-based; deeper levels take level 3's).
    pub fn heading(&self, level: u8) -> HeadingLook {
        self.headings[usize::from(level.clamp(1, 3)) - 1]
    }

    /// Whether quotes are italic in a language's script.
    pub fn quote_italic(&self, language: &str) -> bool {
        self.quote.italic && has_italic(language)
    }

    /// The EPUB stylesheet's rules for each block's look, from the values
    /// above: lengths in `em` of the body size (so a reader's text size
    /// scales them), line widths in points, colours as the palette's.
    /// Sides are logical (`inline-start`), so a right-to-left book mirrors.
    pub fn css(&self) -> String {
        use std::fmt::Write;
        let em = |pt: f32| TYPE.em(pt);
        // The space below a block: its own, at least a paragraph's (the
        // next block's space above is a margin of the block before it).
        let after = |space: Space| em(space.after.max(self.paragraph.before));
        let mut css =
            String::from("/* The house look of each block (generated from briefkit's theme). */\n");
        // (Writing to a String cannot fail.)
        let mut rule = |text: String| {
            let _ = writeln!(css, "{text}");
        };
        for level in 1..=3 {
            let l = self.heading(level);
            let (before, below, color) = (em(l.space.before), em(l.space.after), l.color.css());
            rule(format!(
                "h{level} {{ margin: {before}em 0 {below}em; color: {color}; }}"
            ));
        }
        rule(format!(
            "p {{ margin: 0 0 {}em; }}",
            em(self.paragraph.before)
        ));
        let q = &self.quote;
        rule(format!(
            "blockquote {{ margin: {}em 0 {}em; padding: 0; padding-inline-start: {}pt; border-inline-start: {}pt solid {}; color: {}; font-style: {}; }}",
            em(q.space.before),
            after(q.space),
            q.indent - q.bar,
            q.bar,
            q.bar_color.css(),
            q.color.css(),
            if q.italic { "italic" } else { "normal" },
        ));
        rule(format!(
            "blockquote p {{ margin: 0 0 {}em; }}",
            em(q.paragraph_gap)
        ));
        rule(".upright blockquote { font-style: normal; }".into());
        let t = &self.table;
        rule(format!(
            "table {{ border-collapse: collapse; width: 100%; margin: {}em 0 {}em; }}",
            em(t.space.before),
            em(t.space.after),
        ));
        rule(format!(
            "th, td {{ border-bottom: {}pt solid {}; padding: {}em; }}",
            t.rule.0,
            t.rule.1.css(),
            // In em of the table's own (smaller) size.
            (t.padding / TYPE.table * 100.0).round() / 100.0,
        ));
        rule(format!(
            "thead th {{ border-bottom: {}pt solid {}; background: {}; }}",
            t.head_rule.0,
            t.head_rule.1.css(),
            t.head_fill.css(),
        ));
        rule(format!(
            "tbody tr:nth-child(even) {{ background: {}; }}",
            t.zebra.css()
        ));
        let c = &self.card;
        rule(format!(
            ".key-figures {{ gap: {}em; margin: {}em 0 {}em; }}",
            em(c.gap),
            em(c.space.before),
            after(c.space),
        ));
        rule(format!(
            ".card {{ border-inline-start: {}pt solid {}; background: {}; padding: {}em; }}",
            c.bar,
            c.bar_color.css(),
            c.fill.css(),
            em(c.padding),
        ));
        let l = &self.list;
        rule(format!(
            "ul, ol {{ margin: {}em 0 {}em; padding-inline-start: {}em; }}",
            em(l.space.before),
            after(l.space),
            em(l.indent),
        ));
        rule(format!("li + li {{ margin-top: {}em; }}", em(l.item_gap)));
        rule(format!(
            "li p + p {{ margin-top: {}em; }}",
            em(l.paragraph_gap)
        ));
        let code = &self.code;
        rule(format!(
            "pre {{ margin: {}em 0 {}em; padding-inline-start: {}em; }}",
            em(code.space.before),
            after(code.space),
            em(code.indent),
        ));
        let r = &self.rule;
        rule(format!(
            "hr {{ border: 0; border-top: {}pt solid {}; width: {}%; margin: {}em auto {}em; }}",
            r.width,
            r.color.css(),
            (r.span * 100.0).round(),
            em(r.space.before),
            after(r.space),
        ));
        let m = &self.masthead;
        rule(format!(
            ".masthead {{ border-bottom: {}pt solid {}; padding-bottom: {}em; margin-bottom: {}em; }}",
            m.rule.0,
            m.rule.1.css(),
            em(m.rule_gap),
            em(m.space_after - m.rule_gap - m.rule.0),
        ));
        css
    }
}

/// Whether the script of a language (a BCP 47 tag) has italic type. Arabic,
/// Hebrew, Persian, Urdu and the Chinese, Japanese and Korean scripts have
/// none: what Latin sets in italic (a quotation) they set upright, in every
/// format, never as a slanted roman.
pub fn has_italic(language: &str) -> bool {
    !matches!(
        crate::locale::primary_language(language).as_str(),
        "ar" | "fa" | "ur" | "ps" | "he" | "yi" | "zh" | "ja" | "ko"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG's contrast ratio of two colours.
    fn contrast(a: Color, b: Color) -> f64 {
        let luminance = |c: Color| {
            let channel = |v: u8| {
                let v = f64::from(v) / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn every_series_colour_stands_out_from_the_paper_and_the_others() {
        for c in SERIES {
            assert!(
                contrast(c, PALETTE.paper) >= 3.0,
                "{c:?}: {:.2}",
                contrast(c, PALETTE.paper)
            );
        }
        for (i, a) in SERIES.iter().enumerate() {
            for b in &SERIES[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(SERIES[0], PALETTE.accent);
    }

    #[test]
    fn scripts_without_italic_set_quotes_upright() {
        assert!(has_italic("en") && has_italic("es-MX") && has_italic("ru"));
        assert!(!has_italic("ar") && !has_italic("zh-Hant") && !has_italic("ja"));
    }

    /// The EPUB stylesheet's sizes are the type scale's, in `em` of the body.
    #[test]
    fn the_stylesheet_uses_the_type_scale() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../templates/");
        let css = std::fs::read_to_string(format!("{root}epub/style.css")).unwrap_or_default();
        assert!(css.contains("body {"), "templates/epub/style.css missing");
        for (rule, size) in [
            ("\nh1 {", TYPE.heading(1)),
            ("\nh2 {", TYPE.heading(2)),
            ("\nh3 {", TYPE.heading(3)),
            ("\n.organization {", TYPE.organisation),
            ("\n.subtitle {", TYPE.subtitle),
            ("\n.date {", TYPE.date),
            ("\n.card .value {", TYPE.key_value),
            ("\n.card .label {", TYPE.key_label),
            ("\n.card .source {", TYPE.key_source),
            ("\ntable {", TYPE.table),
            ("\nfigcaption {", TYPE.caption),
            ("\n.sources {", TYPE.sources),
            ("\n.contact {", TYPE.sources),
            ("\n.footnotes {", TYPE.note),
        ] {
            let block = css
                .split(rule)
                .nth(1)
                .and_then(|b| b.split('}').next())
                .unwrap_or_default();
            let expected = format!("font-size: {}em;", TYPE.em(size));
            assert!(
                block.contains(&expected),
                "`{}` in style.css should have `{expected}`: {block}",
                rule.trim()
            );
        }
        assert_eq!(TypeScale::half_points(TYPE.body), 21);
        assert_eq!(TYPE.heading(9), TYPE.headings[2]);
    }

    #[test]
    fn colours_in_every_notation() {
        assert_eq!(PALETTE.ink.hex(), "1D2B36");
        assert_eq!(PALETTE.ink.css(), "#1d2b36");
        assert_eq!(PALETTE.ink.unit(), (0.114, 0.169, 0.212));
        assert_eq!(PALETTE.accent.unit(), (0.043, 0.361, 0.549));
        assert_eq!(PALETTE.tint.unit(), (0.933, 0.957, 0.973));
    }

    /// The EPUB stylesheet and the DOCX theme are written by hand: every
    /// colour in them must be the palette's, in the role the palette gives.
    #[test]
    fn the_stylesheet_and_docx_theme_use_the_palette() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../templates/");
        // The EPUB's stylesheet: the generated look, then the template.
        let css = LOOK.css()
            + &std::fs::read_to_string(format!("{root}epub/style.css")).unwrap_or_default();
        let theme = std::fs::read_to_string(format!("{root}docx/theme.xml")).unwrap_or_default();
        assert!(
            css.contains("body {") && theme.contains("<a:clrScheme"),
            "templates missing"
        );
        let known: Vec<String> = PALETTE.named().iter().map(|(_, c)| c.css()).collect();
        // Every #rrggbb in the stylesheet is a palette colour...
        for (i, _) in css.match_indices('#') {
            let hex = css.get(i..i + 7).unwrap_or_default().to_ascii_lowercase();
            if hex.len() == 7 && hex[1..].chars().all(|c| c.is_ascii_hexdigit()) {
                assert!(
                    known.contains(&hex),
                    "style.css uses {hex}, not in the palette"
                );
            }
        }
        // ... in its role.
        for (rule, color) in [
            ("body {", PALETTE.ink),
            ("h2 {", PALETTE.accent),
            ("a {", PALETTE.accent),
            (".date {", PALETTE.muted),
            ("blockquote {", PALETTE.quote),
        ] {
            let block = css
                .split(rule)
                .nth(1)
                .and_then(|b| b.split('}').next())
                .unwrap_or_default();
            assert!(
                block.contains(&format!("color: {}", color.css())),
                "`{rule}` in style.css is not {}",
                color.css()
            );
        }
        // The DOCX theme's colour scheme.
        for (slot, color) in [
            ("dk1", PALETTE.ink),
            ("lt1", PALETTE.paper),
            ("dk2", PALETTE.accent),
            ("lt2", PALETTE.tint),
            ("accent1", PALETTE.accent),
            ("accent2", PALETTE.muted),
            ("accent3", PALETTE.quote_bar),
            ("accent4", PALETTE.rule),
            ("accent5", PALETTE.quote),
            ("accent6", PALETTE.head),
            ("hlink", PALETTE.accent),
            ("folHlink", PALETTE.quote),
        ] {
            let expected = format!("<a:{slot}><a:srgbClr val=\"{}\"/></a:{slot}>", color.hex());
            assert!(
                theme.contains(&expected),
                "docx/theme.xml: {slot} is not {}",
                color.hex()
            );
        }
    }
}
