//! The typefaces the layout uses: rustybuzz faces for shaping and
//! measuring, keyed by a small [`FaceId`].

use crate::glyph_text::GlyphText;
use briefkit_model::{Assets, ExtraFace, FontFaces};
use hyphenation::{Hyphenator, Language, Load, Standard};
use rustc_hash::FxHashMap;
use rustybuzz::ttf_parser::GlyphId;
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
    pub text: GlyphText,
    /// The face it is drawn from: an index into the book's faces (the
    /// eight [`FaceId`]s first, then the extra faces).
    pub font: u8,
    /// The room after it beyond its advance is spacing the layout adds,
    /// not a space of the text: the PDF moves on without showing a space.
    pub tight: bool,
}

/// Shaped glyphs and the characters the face lacks.
type Shaped = (Vec<Glyph>, Vec<char>);
/// Shaped words by face, size and direction (0 guessed, 1 left to right,
/// 2 right to left), then text.
type ShapeCache = FxHashMap<(FaceId, u32, u8), FxHashMap<Box<str>, Shaped>>;
/// A shape plan with what it was made for (a face index).
type CachedPlan = (u8, Direction, Option<Script>, Arc<ShapePlan>);

/// The faces with their bytes: the eight faces of the two families, then
/// the extra faces for other scripts.
pub struct FontBook<'a> {
    faces: Vec<Face<'a>>,
    /// Each face's font file and index in it.
    bytes: Vec<(&'a [u8], u32)>,
    /// For each of the eight styles, the faces to look in for a character,
    /// in order: the style's own face, then the extra faces that suit it
    /// best (same family kind, weight and slope first).
    chains: Vec<Vec<u8>>,
    /// Shaped words by face and size, then text: briefs repeat their
    /// words, and shaping dominates layout time.
    cache: RefCell<ShapeCache>,
    /// Shape plans by face, direction and script (making one costs more
    /// than shaping a word).
    plans: RefCell<Vec<CachedPlan>>,
    /// Hyphenation points by word.
    points: RefCell<FxHashMap<Box<str>, Vec<usize>>>,
    /// Hyphenation patterns for the text's language, if there are any.
    hyphenator: Option<Arc<Standard>>,
    /// The document runs right to left.
    rtl: bool,
}

/// A font file that could not be parsed.
#[derive(Debug, thiserror::Error)]
#[error("font `{family}` ({face}) cannot be parsed")]
pub struct FontError {
    /// Family name.
    pub family: String,
    /// Which face (`Serif`, `bold`, ...).
    pub face: String,
}

/// The most faces a book holds (glyphs name their face in a byte).
const MOST_FACES: usize = 250;

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
                face: format!("{id:?}"),
            })?;
            faces.push(face);
            bytes.push((data, 0));
        }
        let extra: &[ExtraFace<'a>] = &assets.extra[..assets.extra.len().min(MOST_FACES - 8)];
        for e in extra {
            let face = Face::from_slice(e.bytes, e.index).ok_or_else(|| FontError {
                family: e.family.to_string(),
                face: format!("index {}", e.index),
            })?;
            faces.push(face);
            bytes.push((e.bytes, e.index));
        }
        let chains = FaceId::ALL
            .iter()
            .map(|id| {
                let mut order: Vec<(u8, usize)> = extra
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let unlike = usize::from(e.sans != id.is_sans()) * 4
                            + usize::from(e.bold != id.is_bold()) * 2
                            + usize::from(e.italic != id.is_italic());
                        (u8::try_from(i + 8).unwrap_or(u8::MAX), unlike)
                    })
                    .collect();
                order.sort_by_key(|(_, unlike)| *unlike);
                std::iter::once(id.index() as u8)
                    .chain(order.into_iter().map(|(i, _)| i))
                    .collect()
            })
            .collect();
        Ok(Self {
            faces,
            bytes,
            chains,
            cache: RefCell::default(),
            points: RefCell::default(),
            plans: RefCell::default(),
            hyphenator: None,
            rtl: false,
        })
    }

    /// The same faces and patterns with empty caches, for a layout thread
    /// of its own.
    pub fn fork(&self) -> Self {
        Self {
            faces: self.faces.clone(),
            bytes: self.bytes.clone(),
            chains: self.chains.clone(),
            cache: RefCell::default(),
            points: RefCell::default(),
            plans: RefCell::default(),
            hyphenator: self.hyphenator.clone(),
            rtl: self.rtl,
        }
    }

    /// Loads the hyphenation patterns for a BCP 47 `language` (en, es, fr,
    /// de, pt and the other languages the patterns cover); text in a
    /// language without patterns is not hyphenated.
    pub fn with_hyphenation(mut self, language: &str) -> Self {
        self.hyphenator = hyphenation_language(language).and_then(patterns);
        self
    }

    /// Sets the document's direction: paragraphs start from the right and
    /// the page is mirrored (see `layout`).
    pub fn with_direction(mut self, rtl: bool) -> Self {
        self.rtl = rtl;
        self
    }

    /// Whether the document runs right to left.
    pub fn rtl(&self) -> bool {
        self.rtl
    }

    /// The bidi embedding level of each byte of a paragraph (UAX #9, the
    /// document's direction as the paragraph's), or `None` when every
    /// level is 0: a left-to-right document's paragraph with no
    /// right-to-left character.
    pub fn bidi_levels(&self, text: &str) -> Option<Vec<u8>> {
        if !self.rtl && !text.chars().any(is_rtl_char) {
            return None;
        }
        let base = if self.rtl {
            unicode_bidi::Level::rtl()
        } else {
            unicode_bidi::Level::ltr()
        };
        let info = unicode_bidi::BidiInfo::new(text, Some(base));
        Some(info.levels.iter().map(|l| l.number()).collect())
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
    pub fn postscript_name(&self, font: u8) -> Option<String> {
        self.faces
            .get(usize::from(font))?
            .names()
            .into_iter()
            .filter(|n| n.name_id == rustybuzz::ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
    }

    /// A face's units per em (0 for a face the book does not have).
    pub fn units_per_em(&self, font: u8) -> u16 {
        self.faces
            .get(usize::from(font))
            .map_or(0, |f| u16::try_from(f.units_per_em()).unwrap_or(0))
    }

    /// The font file of a face and the face's index in it.
    pub fn bytes(&self, font: u8) -> (&'a [u8], u32) {
        self.bytes
            .get(usize::from(font))
            .copied()
            .unwrap_or((&[], 0))
    }

    /// A face's space glyph at `size`.
    pub fn space_glyph(&self, font: u8, size: f32) -> Option<Glyph> {
        self.shape_in(font, " ", size, None).0.into_iter().next()
    }

    /// A face's space glyph id.
    pub fn space(&self, font: u8) -> Option<u16> {
        self.space_glyph(font, 10.0).map(|g| g.gid)
    }

    fn face(&self, id: FaceId) -> &Face<'a> {
        &self.faces[id.index()]
    }

    /// Shapes `text` (kerning and standard ligatures on), each character in
    /// the first face of the style's chain that has it, in the direction
    /// its script suggests. Returns the glyphs in visual order and the
    /// characters no face has.
    pub fn shape(&self, id: FaceId, text: &str, size: f32) -> (Vec<Glyph>, Vec<char>) {
        let Some(levels) = self.bidi_levels(text) else {
            return self.shape_directed(id, text, size, None);
        };
        // Runs of one level, shaped each in its direction and put in
        // display order (UAX #9, L2).
        let mut runs: Vec<(usize, usize, u8)> = Vec::new();
        for (i, c) in text.char_indices() {
            match runs.last_mut() {
                Some(r) if r.2 == levels[i] => r.1 = i + c.len_utf8(),
                _ => runs.push((i, i + c.len_utf8(), levels[i])),
            }
        }
        if let [(_, _, level)] = runs.as_slice() {
            return self.shape_directed(id, text, size, Some(level % 2 == 1));
        }
        let run_levels: Vec<u8> = runs.iter().map(|r| r.2).collect();
        let order = display_order(&run_levels);
        let mut glyphs = Vec::new();
        let mut missing = Vec::new();
        for k in order {
            let (a, b, level) = runs[k];
            let (g, m) = self.shape_directed(id, &text[a..b], size, Some(level % 2 == 1));
            glyphs.extend(g);
            missing.extend(m);
        }
        (glyphs, missing)
    }

    /// [`FontBook::shape`] in a given direction (`Some(true)` right to
    /// left), for a run of one bidi level.
    pub fn shape_directed(
        &self,
        id: FaceId,
        text: &str,
        size: f32,
        rtl: Option<bool>,
    ) -> (Vec<Glyph>, Vec<char>) {
        let key = (id, size.to_bits(), rtl.map_or(0, |r| 1 + u8::from(r)));
        if let Some(hit) = self.cache.borrow().get(&key).and_then(|m| m.get(text)) {
            return hit.clone();
        }
        let shaped = self.shape_uncached(id, text, size, rtl);
        self.cache
            .borrow_mut()
            .entry(key)
            .or_default()
            .insert(text.into(), shaped.clone());
        shaped
    }

    /// Splits `text` into runs set in one face each: a character goes to
    /// the first face of the chain that has it, unless the run it follows
    /// has it too (spaces, digits and marks stay with their neighbours).
    fn font_runs(&self, id: FaceId, text: &str) -> Vec<(usize, usize, u8)> {
        let chain = &self.chains[id.index()];
        let primary = chain[0];
        let mut runs: Vec<(usize, usize, u8)> = Vec::new();
        for (i, c) in text.char_indices() {
            let has = |f: u8| self.faces[usize::from(f)].glyph_index(c).is_some();
            let current = runs.last().map(|r| r.2);
            // Spaces, marks, joiners and punctuation stay in the face of the
            // text around them; a letter or digit goes to the first face
            // that has it (Latin in a Chinese sentence is set in the Latin
            // face, not in the CJK face's Latin).
            let joins = c.is_whitespace()
                || matches!(c, '\u{200c}' | '\u{200d}' | '\u{fe00}'..='\u{fe0f}')
                || is_mark(c);
            let punctuation = !c.is_alphanumeric();
            let font = match current {
                Some(f) if joins || (punctuation && has(f)) => f,
                _ => chain.iter().copied().find(|f| has(*f)).unwrap_or(primary),
            };
            match runs.last_mut() {
                Some(last) if last.2 == font => last.1 = i + c.len_utf8(),
                _ => runs.push((i, i + c.len_utf8(), font)),
            }
        }
        runs
    }

    fn shape_uncached(
        &self,
        id: FaceId,
        text: &str,
        size: f32,
        rtl: Option<bool>,
    ) -> (Vec<Glyph>, Vec<char>) {
        let runs = self.font_runs(id, text);
        if let [(_, _, font)] = runs.as_slice() {
            return self.shape_in(*font, text, size, rtl);
        }
        let mut glyphs = Vec::new();
        let mut missing = Vec::new();
        let mut reversed = false;
        for (start, end, font) in runs {
            let (g, m) = self.shape_in(font, &text[start..end], size, rtl);
            reversed |= rtl.unwrap_or(false)
                || (rtl.is_none() && g.len() > 1 && is_rtl_text(&text[start..end]));
            glyphs.push(g);
            missing.extend(m);
        }
        // Right to left, the first run is the rightmost.
        if reversed {
            glyphs.reverse();
        }
        (glyphs.concat(), missing)
    }

    /// Shapes `run` in one face.
    fn shape_in(
        &self,
        font: u8,
        run: &str,
        size: f32,
        rtl: Option<bool>,
    ) -> (Vec<Glyph>, Vec<char>) {
        let face = &self.faces[usize::from(font)];
        let scale = size / face.units_per_em() as f32;
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(run);
        buffer.guess_segment_properties();
        if let Some(rtl) = rtl {
            buffer.set_direction(if rtl {
                Direction::RightToLeft
            } else {
                Direction::LeftToRight
            });
        }
        let (direction, script) = (buffer.direction(), Some(buffer.script()));
        let cached = self
            .plans
            .borrow()
            .iter()
            .find(|p| p.0 == font && p.1 == direction && p.2 == script)
            .map(|p| p.3.clone());
        let plan = cached.unwrap_or_else(|| {
            let plan = Arc::new(ShapePlan::new(face, direction, script, None, &[]));
            self.plans
                .borrow_mut()
                .push((font, direction, script, plan.clone()));
            plan
        });
        let shaped = rustybuzz::shape_with_plan(face, &plan, buffer);
        let infos = shaped.glyph_infos();
        let positions = shaped.glyph_positions();
        // A cluster's text runs to the next cluster's start (clusters come
        // in ascending order left to right, descending right to left).
        let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let rtl = direction == Direction::RightToLeft;
        let mut texts: Vec<SmolStr> = Vec::new();
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut missing = Vec::new();
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            let end = match starts.binary_search(&start) {
                Ok(k) => starts.get(k + 1).copied().unwrap_or(run.len()),
                Err(_) => run.len(),
            };
            let chars = run.get(start..end).unwrap_or("");
            if i == 0 || infos[i - 1].cluster != info.cluster {
                let count = infos[i..]
                    .iter()
                    .take_while(|g| g.cluster == info.cluster)
                    .count();
                texts.clear();
                texts.extend(cluster_texts(face, &infos[i..i + count], chars, rtl));
                texts.reverse();
            }
            let cluster_text = texts.pop().unwrap_or_default();
            // Bidi controls (an isolate around a phone number) only steer
            // the order: nothing is drawn for them.
            if !cluster_text.is_empty() && cluster_text.chars().all(is_bidi_control) {
                continue;
            }
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
                text: GlyphText::new(&cluster_text),
                font,
                tight: false,
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

/// What each glyph of a cluster stands for, as text extraction reads a
/// line of glyphs in display order. A glyph that is a character's own
/// (the font maps the character to it: a mark, an unchanged letter) stands
/// for that character; the characters left go to the first other glyph (a
/// ligature, a contextual form), in display order (reversed right to
/// left); any further glyph stands for nothing. A glyph thus stands for the
/// same text wherever it is used, as a PDF's ToUnicode map needs.
fn cluster_texts(
    face: &Face<'_>,
    glyphs: &[rustybuzz::GlyphInfo],
    chars: &str,
    rtl: bool,
) -> Vec<SmolStr> {
    if glyphs.len() == 1 {
        return vec![if rtl && chars.chars().nth(1).is_some() {
            chars.chars().rev().collect::<String>().into()
        } else {
            SmolStr::new(chars)
        }];
    }
    let mut left: Vec<char> = chars.chars().collect();
    let mut texts: Vec<Option<SmolStr>> = glyphs
        .iter()
        .map(|g| {
            let own = left
                .iter()
                .position(|c| face.glyph_index(*c).map(|x| u32::from(x.0)) == Some(g.glyph_id))?;
            Some(SmolStr::new(left.remove(own).to_string()))
        })
        .collect();
    // Marks to a mark glyph, the rest to another glyph, where the cluster
    // has them.
    let is_mark_glyph = |g: &rustybuzz::GlyphInfo| {
        let gdef = face.tables().gdef;
        u16::try_from(g.glyph_id)
            .ok()
            .and_then(|id| gdef.and_then(|t| t.glyph_class(GlyphId(id))))
            == Some(rustybuzz::ttf_parser::gdef::GlyphClass::Mark)
    };
    let (marks, bases): (Vec<char>, Vec<char>) = left.iter().partition(|c| is_mark(**c));
    for (group, want_mark) in [(bases, false), (marks, true)] {
        if group.is_empty() {
            continue;
        }
        let mut group = group;
        if rtl {
            group.reverse();
        }
        let text: String = group.into_iter().collect();
        let free = |texts: &[Option<SmolStr>], kind: Option<bool>| {
            texts
                .iter()
                .zip(glyphs)
                .position(|(t, g)| t.is_none() && kind.is_none_or(|m| is_mark_glyph(g) == m))
        };
        match free(&texts, Some(want_mark)).or_else(|| free(&texts, None)) {
            Some(k) => texts[k] = Some(text.into()),
            None => {
                // Every glyph has its text: these go with the first.
                if let Some(Some(first)) = texts.first_mut() {
                    let joined = if rtl {
                        format!("{text}{first}")
                    } else {
                        format!("{first}{text}")
                    };
                    *first = joined.into();
                }
            }
        }
    }
    texts.into_iter().map(Option::unwrap_or_default).collect()
}

/// Whether `c` is a combining mark (it belongs with the character before).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{0610}'..='\u{061a}' | '\u{064b}'..='\u{065f}'
        | '\u{0670}' | '\u{06d6}'..='\u{06ed}' | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}'
        | '\u{3099}' | '\u{309a}')
}

/// The display order of items of the given bidi levels, left to right
/// (UAX #9, rule L2: from the highest level down to the lowest odd one,
/// every run of items at that level or higher is reversed).
pub fn display_order(levels: &[u8]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let highest = levels.iter().copied().max().unwrap_or(0);
    let Some(lowest_odd) = levels.iter().copied().filter(|l| l % 2 == 1).min() else {
        return order;
    };
    for level in (lowest_odd..=highest).rev() {
        let mut i = 0;
        while i < order.len() {
            if levels[order[i]] >= level {
                let from = i;
                while i < order.len() && levels[order[i]] >= level {
                    i += 1;
                }
                order[from..i].reverse();
            } else {
                i += 1;
            }
        }
    }
    order
}

/// The invisible characters of the bidi algorithm: marks, embeddings,
/// overrides and isolates.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` is a strong right-to-left character (Hebrew, Arabic, ...).
fn is_rtl_char(c: char) -> bool {
    c >= '\u{0590}'
        && matches!(
            unicode_bidi::bidi_class(c),
            unicode_bidi::BidiClass::R | unicode_bidi::BidiClass::AL
        )
}

/// Whether the first strong character of `text` is right to left.
pub fn is_rtl_text(text: &str) -> bool {
    text.chars()
        .find_map(|c| match unicode_bidi::bidi_class(c) {
            unicode_bidi::BidiClass::L => Some(false),
            unicode_bidi::BidiClass::R | unicode_bidi::BidiClass::AL => Some(true),
            _ => None,
        })
        .unwrap_or(false)
}

/// A glyph run's parts in one face each (a Chinese word in an English
/// line is two faces), left to right, each with the x where it starts.
pub fn face_parts(glyphs: &[Glyph], x: f32) -> Vec<(f32, &[Glyph])> {
    parts_by(glyphs, x, |g| g.font)
}

/// A glyph run's parts of glyphs alike by `key`, left to right, each with
/// the x where it starts.
pub fn parts_by<K: PartialEq>(
    glyphs: &[Glyph],
    x: f32,
    key: impl Fn(&Glyph) -> K,
) -> Vec<(f32, &[Glyph])> {
    let mut left = x;
    glyphs
        .chunk_by(|a, b| key(a) == key(b))
        .map(|part| {
            let start = left;
            left += part.iter().map(|g| g.advance).sum::<f32>();
            (start, part)
        })
        .collect()
}

/// The room after a glyph that is a space of the text (its shaped advance
/// beyond its own by more than a tenth of the size, not spacing the layout
/// added): the PDF shows a space glyph there, the page images a space.
pub fn word_gap(g: &Glyph, size: f32) -> Option<f32> {
    let gap = g.advance - g.default_advance;
    (gap > size * 0.1 && !g.tight).then_some(gap)
}

/// The text a left-to-right glyph run stands for, as the PDF shows it
/// (its `/ActualText`, the page images' text layer): each glyph's text, an
/// added hyphen as `hyphen`, a space at each word gap and at a line's end;
/// a glyph no face has (.notdef, not shown) stands for nothing.
pub fn run_text(glyphs: &[Glyph], size: f32, hyphen: &str) -> String {
    let mut text = String::new();
    for g in glyphs {
        if g.gid == LINE_END_SPACE {
            text.push(' ');
            continue;
        }
        if g.gid == 0 {
            continue;
        }
        text.push_str(if g.text == "\u{ad}" { hyphen } else { &g.text });
        if word_gap(g, size).is_some() {
            text.push(' ');
        }
    }
    text
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

/// The hyphenation patterns loaded so far, by language.
type Loaded = Vec<(Language, Arc<Standard>)>;

/// A language's hyphenation patterns, loaded once per process (a batch
/// of a thousand briefs shares them).
fn patterns(language: Language) -> Option<Arc<Standard>> {
    static LOADED: std::sync::OnceLock<std::sync::Mutex<Loaded>> = std::sync::OnceLock::new();
    let loaded = LOADED.get_or_init(Default::default);
    let mut loaded = loaded
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, p)) = loaded.iter().find(|(l, _)| *l == language) {
        return Some(p.clone());
    }
    let standard = Arc::new(Standard::from_embedded(language).ok()?);
    loaded.push((language, standard.clone()));
    Some(standard)
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
