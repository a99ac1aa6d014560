//! The typefaces the layout uses: rustybuzz faces for shaping and
//! measuring, keyed by a small [`FaceId`].

use briefkit_model::{Assets, FontFaces};
use rustybuzz::{Face, UnicodeBuffer};
use std::cell::RefCell;
use std::collections::HashMap;

/// One of the eight faces briefkit sets type in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FaceId {
    /// Body text.
    Serif,
    /// Body bold.
    SerifBold,
    /// Body italic.
    SerifItalic,
    /// Body bold italic.
    SerifBoldItalic,
    /// Labels, tables.
    Sans,
    /// Headings, figures.
    SansBold,
    /// Sans italic.
    SansItalic,
    /// Sans bold italic.
    SansBoldItalic,
}

impl FaceId {
    /// All faces, in a fixed order (their PDF resource names follow it).
    pub const ALL: [FaceId; 8] = [
        FaceId::Serif,
        FaceId::SerifBold,
        FaceId::SerifItalic,
        FaceId::SerifBoldItalic,
        FaceId::Sans,
        FaceId::SansBold,
        FaceId::SansItalic,
        FaceId::SansBoldItalic,
    ];

    /// The same family with bold and italic set as asked.
    pub fn with(self, bold: bool, italic: bool) -> FaceId {
        let sans = self.is_sans();
        match (sans, bold, italic) {
            (false, false, false) => FaceId::Serif,
            (false, true, false) => FaceId::SerifBold,
            (false, false, true) => FaceId::SerifItalic,
            (false, true, true) => FaceId::SerifBoldItalic,
            (true, false, false) => FaceId::Sans,
            (true, true, false) => FaceId::SansBold,
            (true, false, true) => FaceId::SansItalic,
            (true, true, true) => FaceId::SansBoldItalic,
        }
    }

    /// Whether this is a sans face.
    pub fn is_sans(self) -> bool {
        matches!(
            self,
            FaceId::Sans | FaceId::SansBold | FaceId::SansItalic | FaceId::SansBoldItalic
        )
    }

    /// Whether this is bold.
    pub fn is_bold(self) -> bool {
        matches!(
            self,
            FaceId::SerifBold | FaceId::SerifBoldItalic | FaceId::SansBold | FaceId::SansBoldItalic
        )
    }

    /// Whether this is italic.
    pub fn is_italic(self) -> bool {
        matches!(
            self,
            FaceId::SerifItalic
                | FaceId::SerifBoldItalic
                | FaceId::SansItalic
                | FaceId::SansBoldItalic
        )
    }

    /// Index into [`FaceId::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A shaped glyph.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the face.
    pub gid: u16,
    /// Advance after shaping (kerning included), in points.
    pub advance: f32,
    /// The font's own advance for the glyph, in points.
    pub default_advance: f32,
    /// The text this glyph stands for (several characters for a ligature,
    /// empty for the second glyph of a decomposed cluster).
    pub text: String,
}

/// Shaped glyphs and the characters the face lacks.
type Shaped = (Vec<Glyph>, Vec<char>);

/// The faces with their bytes.
pub struct FontBook<'a> {
    faces: Vec<Face<'a>>,
    bytes: Vec<&'a [u8]>,
    /// Shaped words by (face, text, size): briefs repeat their words, and
    /// shaping dominates layout time.
    cache: RefCell<HashMap<(FaceId, String, u32), Shaped>>,
}

/// A font file that could not be parsed.
#[derive(Debug, thiserror::Error)]
#[error("font `{family}` ({face:?}) cannot be parsed")]
pub struct FontError {
    /// Family name.
    pub family: String,
    /// Which face.
    pub face: FaceId,
}

impl<'a> FontBook<'a> {
    /// Parses the eight faces from the assets.
    pub fn new(assets: &Assets<'a>) -> Result<Self, FontError> {
        let pick = |f: &FontFaces<'a>, id: FaceId| -> &'a [u8] {
            match (id.is_bold(), id.is_italic()) {
                (false, false) => f.regular,
                (true, false) => f.bold,
                (false, true) => f.italic,
                (true, true) => f.bold_italic,
            }
        };
        let mut faces = Vec::new();
        let mut bytes = Vec::new();
        for id in FaceId::ALL {
            let family = if id.is_sans() {
                &assets.sans
            } else {
                &assets.serif
            };
            let data = pick(family, id);
            let face = Face::from_slice(data, 0).ok_or_else(|| FontError {
                family: family.family.to_string(),
                face: id,
            })?;
            faces.push(face);
            bytes.push(data);
        }
        Ok(Self {
            faces,
            bytes,
            cache: RefCell::default(),
        })
    }

    /// The font file of a face.
    pub fn bytes(&self, id: FaceId) -> &'a [u8] {
        self.bytes[id.index()]
    }

    fn face(&self, id: FaceId) -> &Face<'a> {
        &self.faces[id.index()]
    }

    /// Shapes `text` (kerning and standard ligatures on). Returns the glyphs
    /// and the characters the face lacks.
    pub fn shape(&self, id: FaceId, text: &str, size: f32) -> (Vec<Glyph>, Vec<char>) {
        let key = (id, text.to_string(), size.to_bits());
        if let Some(hit) = self.cache.borrow().get(&key) {
            return hit.clone();
        }
        let shaped = self.shape_uncached(id, text, size);
        self.cache.borrow_mut().insert(key, shaped.clone());
        shaped
    }

    fn shape_uncached(&self, id: FaceId, text: &str, size: f32) -> (Vec<Glyph>, Vec<char>) {
        let face = self.face(id);
        let scale = size / face.units_per_em() as f32;
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(face, &[], buffer);
        let infos = shaped.glyph_infos();
        let positions = shaped.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut missing = Vec::new();
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            let end = infos.get(i + 1).map_or(text.len(), |n| n.cluster as usize);
            // Clusters are ascending for left-to-right text; the first glyph of
            // a cluster carries its characters.
            let cluster_text = if i > 0 && infos[i - 1].cluster == info.cluster {
                String::new()
            } else if end > start && end <= text.len() {
                text[start..end].to_string()
            } else {
                text.get(start..).unwrap_or("").to_string()
            };
            let gid = info.glyph_id as u16;
            if gid == 0 {
                missing.extend(
                    cluster_text
                        .chars()
                        .filter(|c| !c.is_whitespace() && !c.is_control()),
                );
            }
            let default = face
                .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid))
                .unwrap_or(0);
            glyphs.push(Glyph {
                gid,
                advance: pos.x_advance as f32 * scale,
                default_advance: f32::from(default) * scale,
                text: cluster_text,
            });
        }
        (glyphs, missing)
    }

    /// Advance width of `text`.
    pub fn measure(&self, id: FaceId, text: &str, size: f32) -> f32 {
        self.shape(id, text, size).0.iter().map(|g| g.advance).sum()
    }

    /// Ascender and descender (positive down) at `size`.
    pub fn metrics(&self, id: FaceId, size: f32) -> (f32, f32) {
        let face = self.face(id);
        let scale = size / face.units_per_em() as f32;
        (
            f32::from(face.ascender()) * scale,
            -f32::from(face.descender()) * scale,
        )
    }
}
