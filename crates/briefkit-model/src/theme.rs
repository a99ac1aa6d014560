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
        let css = std::fs::read_to_string(format!("{root}epub/style.css")).unwrap_or_default();
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
