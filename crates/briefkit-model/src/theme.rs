//! The house style's colours, in one place: every backend reads them from
//! here (the PDF's fills and text, the DOCX's styles, the EPUB's SVG), and
//! a test checks the EPUB stylesheet and the DOCX theme part against them,
//! so a house colour changes here and nowhere else.

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
    /// Hairlines.
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let theme = std::fs::read_to_string(format!("{root}docx-theme.xml")).unwrap_or_default();
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
                "docx-theme.xml: {slot} is not {}",
                color.hex()
            );
        }
    }
}
