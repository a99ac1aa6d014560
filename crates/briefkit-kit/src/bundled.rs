//! The faces compiled into the binary: Noto Serif and Noto Sans for the
//! body and headings, Noto Naskh Arabic and Noto Sans Arabic beside them.

use briefkit_model::FontFaces;

/// Body text family.
pub const SERIF: FontFaces<'static> = FontFaces {
    family: "Noto Serif",
    regular: include_bytes!("../../../fonts/NotoSerif-Regular.ttf"),
    bold: include_bytes!("../../../fonts/NotoSerif-Bold.ttf"),
    italic: include_bytes!("../../../fonts/NotoSerif-Italic.ttf"),
    bold_italic: include_bytes!("../../../fonts/NotoSerif-BoldItalic.ttf"),
};

/// Headings and figures family.
pub const SANS: FontFaces<'static> = FontFaces {
    family: "Noto Sans",
    regular: include_bytes!("../../../fonts/NotoSans-Regular.ttf"),
    bold: include_bytes!("../../../fonts/NotoSans-Bold.ttf"),
    italic: include_bytes!("../../../fonts/NotoSans-Italic.ttf"),
    bold_italic: include_bytes!("../../../fonts/NotoSans-BoldItalic.ttf"),
};

/// Arabic beside the serif: Noto Naskh Arabic regular.
pub const NASKH_REGULAR: &[u8] = include_bytes!("../../../fonts/NotoNaskhArabic-Regular.ttf");
/// Noto Naskh Arabic bold.
pub const NASKH_BOLD: &[u8] = include_bytes!("../../../fonts/NotoNaskhArabic-Bold.ttf");
/// Arabic beside the sans: Noto Sans Arabic regular.
pub const SANS_ARABIC_REGULAR: &[u8] = include_bytes!("../../../fonts/NotoSansArabic-Regular.ttf");
/// Noto Sans Arabic bold.
pub const SANS_ARABIC_BOLD: &[u8] = include_bytes!("../../../fonts/NotoSansArabic-Bold.ttf");
