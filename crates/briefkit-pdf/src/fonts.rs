//! The typefaces the layout uses: rustybuzz faces for shaping and
//! measuring, keyed by a small [`FaceId`].

use briefkit_model::{Assets, FontFaces};
use hyphenation::{Hyphenator, Language, Load, Standard};
use rustc_hash::FxHashMap;
use rustybuzz::{Direction, Face, Script, ShapePlan, UnicodeBuffer};
use smol_str::SmolStr;
use std::cell::RefCell;
use std::sync::Arc;

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

/// The glyph id of a space that ends a line: it takes no room, and the PDF
/// shows it as the face's own space so that text read out of the page has
/// a space between the last word of a line and the first of the next.
pub const LINE_END_SPACE: u16 = u16::MAX;

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
    pub text: SmolStr,
}

/// Shaped glyphs and the characters the face lacks.
type Shaped = (Vec<Glyph>, Vec<char>);
/// Shaped words by face and size, then text.
type ShapeCache = FxHashMap<(FaceId, u32), FxHashMap<Box<str>, Shaped>>;
/// A shape plan with what it was made for.
type CachedPlan = (FaceId, Direction, Option<Script>, Arc<ShapePlan>);

/// The faces with their bytes.
pub struct FontBook<'a> {
    faces: Vec<Face<'a>>,
    bytes: Vec<&'a [u8]>,
    /// Shaped words by face and size, then text: briefs repeat their
    /// words, and shaping dominates layout time.
    cache: RefCell<ShapeCache>,
    /// Shape plans by face, direction and script (making one costs more
    /// than shaping a word).
    plans: RefCell<Vec<CachedPlan>>,
    /// Hyphenation points by word.
    points: RefCell<FxHashMap<Box<str>, Vec<usize>>>,
    /// Hyphenation patterns for the text's language, if there are any.
    hyphenator: Option<Standard>,
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
            points: RefCell::default(),
            plans: RefCell::default(),
            hyphenator: None,
        })
    }

    /// The same faces and patterns with empty caches, for a layout thread
    /// of its own.
    pub fn fork(&self) -> Self {
        Self {
            faces: self.faces.clone(),
            bytes: self.bytes.clone(),
            cache: RefCell::default(),
            points: RefCell::default(),
            plans: RefCell::default(),
            hyphenator: self.hyphenator.clone(),
        }
    }

    /// Loads the hyphenation patterns for a BCP 47 `language` (en, es, fr,
    /// de, pt and the other languages the patterns cover); text in a
    /// language without patterns is not hyphenated.
    pub fn with_hyphenation(mut self, language: &str) -> Self {
        self.hyphenator =
            hyphenation_language(language).and_then(|lang| Standard::from_embedded(lang).ok());
        self
    }

    /// Byte offsets inside `text` where its words may be hyphenated.
    /// Words under five letters, acronyms and words with capitals inside
    /// (iPhone, McAllen) are left whole.
    pub fn hyphenation_points(&self, text: &str) -> Vec<usize> {
        let Some(dict) = &self.hyphenator else {
            return Vec::new();
        };
        let mut points = Vec::new();
        for (start, end) in runs(text, char::is_alphabetic) {
            let word = &text[start..end];
            let plain = word.chars().skip(1).all(|c| !c.is_uppercase());
            if !plain || word.chars().count() < 5 {
                continue;
            }
            let cached = self.points.borrow().get(word).cloned();
            let breaks = cached.unwrap_or_else(|| {
                let breaks = dict.hyphenate(word).breaks;
                self.points.borrow_mut().insert(word.into(), breaks.clone());
                breaks
            });
            points.extend(breaks.iter().map(|b| start + b));
        }
        points
    }

    /// The PostScript name of a face (`NotoSerif-Regular`), if it has one.
    pub fn postscript_name(&self, id: FaceId) -> Option<String> {
        self.face(id)
            .names()
            .into_iter()
            .filter(|n| n.name_id == rustybuzz::ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
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
        let key = (id, size.to_bits());
        if let Some(hit) = self.cache.borrow().get(&key).and_then(|m| m.get(text)) {
            return hit.clone();
        }
        let shaped = self.shape_uncached(id, text, size);
        self.cache
            .borrow_mut()
            .entry(key)
            .or_default()
            .insert(text.into(), shaped.clone());
        shaped
    }

    fn shape_uncached(&self, id: FaceId, text: &str, size: f32) -> (Vec<Glyph>, Vec<char>) {
        let face = self.face(id);
        let scale = size / face.units_per_em() as f32;
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let (direction, script) = (buffer.direction(), Some(buffer.script()));
        let cached = self
            .plans
            .borrow()
            .iter()
            .find(|p| p.0 == id && p.1 == direction && p.2 == script)
            .map(|p| p.3.clone());
        let plan = cached.unwrap_or_else(|| {
            let plan = Arc::new(ShapePlan::new(face, direction, script, None, &[]));
            self.plans
                .borrow_mut()
                .push((id, direction, script, plan.clone()));
            plan
        });
        let shaped = rustybuzz::shape_with_plan(face, &plan, buffer);
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
                SmolStr::default()
            } else if end > start && end <= text.len() {
                SmolStr::new(&text[start..end])
            } else {
                SmolStr::new(text.get(start..).unwrap_or(""))
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

/// The byte ranges of the maximal runs of characters of `text` for which
/// `inside` holds (words, for `char::is_alphabetic`).
pub fn runs(text: &str, inside: impl Fn(char) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (inside(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// The hyphenation patterns for a BCP 47 language tag.
fn hyphenation_language(tag: &str) -> Option<Language> {
    let tag = tag.to_ascii_lowercase();
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    let region = parts.next().unwrap_or_default();
    Some(match (primary, region) {
        ("en", "gb" | "uk" | "au" | "nz" | "ie" | "za" | "in") => Language::EnglishGB,
        ("en", _) => Language::EnglishUS,
        ("es", _) => Language::Spanish,
        ("fr", _) => Language::French,
        ("de", "ch") => Language::GermanSwiss,
        ("de", _) => Language::German1996,
        ("pt", _) => Language::Portuguese,
        ("it", _) => Language::Italian,
        ("nl", _) => Language::Dutch,
        ("ca", _) => Language::Catalan,
        ("pl", _) => Language::Polish,
        ("sv", _) => Language::Swedish,
        ("da", _) => Language::Danish,
        ("nb" | "no", _) => Language::NorwegianBokmal,
        ("nn", _) => Language::NorwegianNynorsk,
        ("fi", _) => Language::Finnish,
        ("cs", _) => Language::Czech,
        ("sk", _) => Language::Slovak,
        ("hu", _) => Language::Hungarian,
        ("ro", _) => Language::Romanian,
        ("tr", _) => Language::Turkish,
        ("id", _) => Language::Indonesian,
        ("ru", _) => Language::Russian,
        ("uk", _) => Language::Ukrainian,
        ("el", _) => Language::GreekMono,
        _ => return None,
    })
}
