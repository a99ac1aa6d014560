//! Named styles, so Word's Styles pane, Navigation pane and re-branding
//! work: content carries style names, not direct formatting.

use docx_rs::{AlignmentType, Docx, LineSpacing, RunFonts, Style, StyleType};

/// Style ids used by the body writer.
pub mod id {
    /// Document title.
    pub const TITLE: &str = "Title";
    /// Masthead subtitle.
    pub const SUBTITLE: &str = "Subtitle";
    /// Organisation line over the title.
    pub const ORGANIZATION: &str = "Organization";
    /// Date line under the title.
    pub const DATE: &str = "Date";
    /// Running text.
    pub const BODY: &str = "BodyText";
    /// Block quotation.
    pub const QUOTE: &str = "Quote";
    /// Figure and table captions.
    pub const CAPTION: &str = "Caption";
    /// Bulleted list paragraphs.
    pub const LIST_BULLET: &str = "ListBullet";
    /// Numbered list paragraphs.
    pub const LIST_NUMBER: &str = "ListNumber";
    /// Preformatted code.
    pub const CODE: &str = "SourceCode";
    /// Key-figure value.
    pub const KEY_VALUE: &str = "KeyFigureValue";
    /// Key-figure label.
    pub const KEY_LABEL: &str = "KeyFigureLabel";
    /// Key-figure source line.
    pub const KEY_SOURCE: &str = "KeyFigureSource";
    /// Entries of the sources list.
    pub const SOURCE: &str = "SourceEntry";
    /// Lines of the contact block.
    pub const CONTACT: &str = "Contact";
    /// Table cell text.
    pub const TABLE_TEXT: &str = "TableText";
    /// Table header cell text.
    pub const TABLE_HEADING: &str = "TableHeading";
    /// The unit after a key figure's value (character style).
    pub const KEY_UNIT: &str = "KeyFigureUnit";
    /// Footnote text.
    pub const FOOTNOTE_TEXT: &str = "FootnoteText";
    /// Footnote reference mark (character style).
    pub const FOOTNOTE_REF: &str = "FootnoteReference";
    /// Hyperlink (character style).
    pub const HYPERLINK: &str = "Hyperlink";
    /// A figure cited in the prose (character style).
    pub const STAT: &str = "Statistic";
    /// A figure's citation marker (character style).
    pub const CITATION: &str = "Citation";
    /// Header and footer text.
    pub const HEADER: &str = "Header";
    /// Footer text (the page number line).
    pub const FOOTER: &str = "Footer";
    /// Heading of the table of contents.
    pub const TOC_HEADING: &str = "TOCHeading";
    /// First-level contents entry (TOC2, TOC3 follow the same pattern).
    pub const TOC1: &str = "TOC1";
    /// Table style of statistics tables.
    pub const TABLE: &str = "StatisticsTable";
    /// Table style of the key-figure cards (a layout table, no header row).
    pub const KEY_TABLE: &str = "KeyFigures";
}

use briefkit_model::theme::{TypeScale, LOOK, PALETTE, TYPE};

fn sans() -> RunFonts {
    RunFonts::new()
        .ascii("Noto Sans")
        .hi_ansi("Noto Sans")
        .cs("Noto Sans")
        .east_asia("Noto Sans")
}

fn serif() -> RunFonts {
    RunFonts::new()
        .ascii("Noto Serif")
        .hi_ansi("Noto Serif")
        .cs("Noto Serif")
        .east_asia("Noto Serif")
}

fn para(id_: &str, name: &str) -> Style {
    Style::new(id_, StyleType::Paragraph)
        .name(name)
        .q_format(true)
}

/// Adds every style the body writer uses; `italic` says whether the
/// brief's script has italic (quotes are upright where it has none), `rtl`
/// whether its paragraphs run right to left (a paragraph border is on a
/// physical side: `w:bidi` mirrors indents, not borders).
pub fn add_styles(docx: Docx, italic: bool, rtl: bool) -> Docx {
    let spacing = |before: u32, after: u32| LineSpacing::new().before(before).after(after);
    let half = TypeScale::half_points;
    let mut docx = docx
        .add_style(
            // Level 1 of the outline, as the PDF's H1 and the EPUB's h1:
            // Word's navigation pane and a screen reader's list of
            // headings start with the title, the sections below it.
            para(id::TITLE, "Title")
                .based_on("Heading1")
                .next(id::SUBTITLE)
                .outline_lvl(0)
                .fonts(sans())
                .size(half(TYPE.title))
                .bold()
                .color(PALETTE.ink.hex())
                .line_spacing(spacing(120, 120)),
        )
        .add_style(
            para(id::SUBTITLE, "Subtitle")
                .based_on("Normal")
                .next(id::BODY)
                .fonts(serif())
                .size(half(TYPE.subtitle))
                .color(PALETTE.muted.hex())
                .line_spacing(spacing(0, 120)),
        )
        .add_style(
            para(id::ORGANIZATION, "Organization")
                .based_on("Normal")
                .next(id::TITLE)
                .fonts(sans())
                .size(half(TYPE.organisation))
                .color(PALETTE.accent.hex())
                .bold(),
        )
        .add_style({
            // The masthead's rule under the date, as in the PDF and EPUB.
            let look = LOOK.masthead;
            let mut date = para(id::DATE, "Date")
                .based_on("Normal")
                .next(id::BODY)
                .fonts(sans())
                .size(half(TYPE.date))
                .color(PALETTE.muted.hex())
                .line_spacing(spacing(
                    twips(look.date_gap),
                    twips(look.space_after - look.rule_gap - look.rule.0),
                ));
            date.paragraph_property = date.paragraph_property.set_borders(
                docx_rs::ParagraphBorders::with_empty().set(
                    docx_rs::ParagraphBorder::new(docx_rs::ParagraphBorderPosition::Bottom)
                        .val(docx_rs::BorderType::Single)
                        .size(eighths(look.rule.0))
                        .space(look.rule_gap.round() as usize)
                        .color(look.rule.1.hex()),
                ),
            );
            date
        })
        .add_style(
            para(id::BODY, "Body Text")
                .based_on("Normal")
                .fonts(serif())
                .size(half(TYPE.body))
                .line_spacing(
                    spacing(twips(LOOK.paragraph.before), twips(LOOK.paragraph.after))
                        .line(276)
                        .line_rule(docx_rs::LineSpacingType::Auto),
                ),
        )
        .add_style({
            // The bar at the start edge, the text indented beside it; a
            // paragraph after the first of one quote is this far below it
            // (the first gets the quote's space, see the body writer).
            let look = LOOK.quote;
            let mut quote = para(id::QUOTE, "Quote")
                .based_on(id::BODY)
                .next(id::BODY)
                .color(look.color.hex())
                .indent(Some(twips(look.indent) as i32), None, None, None)
                .line_spacing(spacing(twips(look.paragraph_gap), 0));
            quote.paragraph_property = quote.paragraph_property.set_borders(
                docx_rs::ParagraphBorders::with_empty().set(
                    docx_rs::ParagraphBorder::new(if rtl {
                        docx_rs::ParagraphBorderPosition::Right
                    } else {
                        docx_rs::ParagraphBorderPosition::Left
                    })
                    .val(docx_rs::BorderType::Single)
                    .size(eighths(look.bar))
                    .space((look.indent - look.bar).round() as usize)
                    .color(look.bar_color.hex()),
                ),
            );
            if italic {
                quote.italic()
            } else {
                quote
            }
        })
        .add_style(
            para(id::CAPTION, "Caption")
                .based_on("Normal")
                .next(id::BODY)
                .fonts(sans())
                .size(half(TYPE.caption))
                .bold()
                .color(PALETTE.ink.hex())
                .line_spacing(spacing(120, 60)),
        )
        .add_style(
            para(id::LIST_BULLET, "List Bullet")
                .based_on(id::BODY)
                .line_spacing(spacing(twips(LOOK.list.item_gap), 0)),
        )
        .add_style(
            para(id::LIST_NUMBER, "List Number")
                .based_on(id::BODY)
                .line_spacing(spacing(twips(LOOK.list.item_gap), 0)),
        )
        .add_style(
            para(id::CODE, "Source Code")
                .based_on("Normal")
                .fonts(
                    RunFonts::new()
                        .ascii("Noto Sans Mono")
                        .hi_ansi("Noto Sans Mono"),
                )
                .size(half(TYPE.code))
                .indent(Some(twips(LOOK.code.indent) as i32), None, None, None),
        )
        .add_style(
            para(id::KEY_VALUE, "Key Figure Value")
                .based_on("Normal")
                .fonts(sans())
                .size(half(TYPE.key_value))
                .bold()
                .color(PALETTE.accent.hex())
                .line_spacing(spacing(60, 0)),
        )
        .add_style(
            para(id::KEY_LABEL, "Key Figure Label")
                .based_on("Normal")
                .fonts(sans())
                .size(half(TYPE.key_label))
                .color(PALETTE.ink.hex())
                .line_spacing(spacing(0, 40)),
        )
        .add_style(
            para(id::KEY_SOURCE, "Key Figure Source")
                .based_on("Normal")
                .fonts(sans())
                .size(half(TYPE.key_source))
                .color(PALETTE.muted.hex())
                .line_spacing(spacing(0, 60)),
        )
        .add_style(
            para(id::SOURCE, "Source Entry")
                .based_on(id::BODY)
                .size(half(TYPE.sources))
                .line_spacing(spacing(0, 80)),
        )
        .add_style(
            para(id::CONTACT, "Contact")
                .based_on("Normal")
                .fonts(sans())
                .size(half(TYPE.sources))
                .line_spacing(spacing(0, 0)),
        )
        .add_style(
            para(id::TABLE_TEXT, "Table Text")
                .based_on("Normal")
                .fonts(sans())
                .size(half(TYPE.table))
                .line_spacing(spacing(0, 0)),
        )
        .add_style(
            para(id::FOOTNOTE_TEXT, "Footnote Text")
                .based_on("Normal")
                .fonts(serif())
                .size(half(TYPE.note)),
        )
        .add_style(
            para(id::HEADER, "Header")
                .based_on("Normal")
                .fonts(sans())
                .size(half(TYPE.running))
                .color(PALETTE.muted.hex()),
        )
        .add_style(
            para(id::FOOTER, "Footer")
                .based_on("Normal")
                .fonts(sans())
                .size(half(TYPE.running))
                .color(PALETTE.muted.hex())
                .align(AlignmentType::Right),
        )
        .add_style(
            Style::new(id::FOOTNOTE_REF, StyleType::Character)
                .name("Footnote Reference")
                .vert_align_superscript(),
        )
        .add_style(
            Style::new(id::HYPERLINK, StyleType::Character)
                .name("Hyperlink")
                .color(PALETTE.accent.hex())
                .underline("single"),
        )
        .add_style(
            Style::new(id::STAT, StyleType::Character)
                .name("Statistic")
                .bold()
                .color(PALETTE.accent.hex()),
        )
        .add_style(
            Style::new(id::CITATION, StyleType::Character)
                .name("Citation")
                .size(half(TYPE.body * TYPE.citation))
                .color(PALETTE.muted.hex()),
        )
        .add_style(Style::new(id::TABLE, StyleType::Table).name("Statistics Table"))
        .add_style(Style::new(id::KEY_TABLE, StyleType::Table).name("Key Figures"))
        .add_style(
            para(id::TABLE_HEADING, "Table Heading")
                .based_on(id::TABLE_TEXT)
                .bold(),
        )
        .add_style(
            Style::new(id::KEY_UNIT, StyleType::Character)
                .name("Key Figure Unit")
                .size(half(TYPE.key_unit))
                .bold(),
        )
        .add_style(
            para(id::TOC_HEADING, "TOC Heading")
                .based_on("Normal")
                .next(id::TOC1)
                .fonts(sans())
                .size(half(TYPE.heading(2)))
                .bold()
                .color(PALETTE.ink.hex())
                .line_spacing(spacing(240, 120)),
        );
    for level in 1..=3usize {
        docx = docx.add_style(
            para(&format!("TOC{level}"), &format!("toc {level}"))
                .based_on("Normal")
                .next(id::BODY)
                .fonts(sans())
                .size(half(TYPE.toc[usize::from(level > 1)]))
                .indent(Some(((level - 1) * 284) as i32), None, None, None)
                .line_spacing(spacing(0, 60)),
        );
    }
    for level in 1..=3u8 {
        let look = LOOK.heading(level);
        docx = docx.add_style(
            para(&format!("Heading{level}"), &format!("Heading {level}"))
                .based_on("Normal")
                .next(id::BODY)
                .fonts(sans())
                .size(half(TYPE.heading(level)))
                .bold()
                .color(look.color.hex())
                .outline_lvl(usize::from(level - 1))
                .keep_with_next()
                .line_spacing(spacing(twips(look.space.before), twips(look.space.after))),
        );
    }
    docx
}

/// Points in twentieths of a point, as WordprocessingML writes spacing.
pub fn twips(points: f32) -> u32 {
    // Spacing is small and positive: the cast cannot truncate.
    (points * 20.0).round().max(0.0) as u32
}

/// Points in eighths of a point, as WordprocessingML writes line widths
/// (at least 2, the narrowest it allows).
pub fn eighths(points: f32) -> usize {
    ((points * 8.0).round() as usize).max(2)
}

/// Style properties docx-rs has no builder method for.
trait StyleExt {
    fn vert_align_superscript(self) -> Self;
    fn keep_with_next(self) -> Self;
}

impl StyleExt for Style {
    fn vert_align_superscript(mut self) -> Self {
        self.run_property = self
            .run_property
            .vert_align(docx_rs::VertAlignType::SuperScript);
        self
    }

    /// A heading never ends a page.
    fn keep_with_next(mut self) -> Self {
        self.paragraph_property = self.paragraph_property.keep_next(true);
        self
    }
}
