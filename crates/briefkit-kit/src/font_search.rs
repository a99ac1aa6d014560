//! Fonts for the scripts the bundled Latin families lack: the bundled
//! Arabic faces, then faces found in the pack's `[brief] fonts` folders,
//! `--font-path` folders and the system's fonts (fontconfig's folders
//! included), chosen per script for the characters a document uses.
//!
//! Nothing is searched for a document the bundled faces cover: an English
//! brief never scans the disk. For Chinese, Japanese and Korean the files
//! whose names suggest CJK faces are looked at first, the whole system only
//! if none covers the text. A system face is mapped into memory for the
//! build (fontdb maps it): of a 20 MB collection only the tables and glyphs
//! used are read. A pack's font folders are read through the [`World`], so
//! a pack's fonts come from inside the pack like its other files.

use crate::bundled;
use crate::font_file::{self, is_font_name};
use briefkit_model::{Diagnostic, Document, ExtraFace, Span, World};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use unicode_script::{Script, UnicodeScript};

/// Where a chosen face's bytes are.
#[derive(Clone)]
enum Source {
    /// Compiled into the binary.
    Bundled(&'static [u8]),
    /// Read from the pack.
    Pack(Arc<[u8]>),
    /// A face of a font database: a file mapped into memory while the
    /// outputs are rendered.
    Found(Arc<fontdb::Database>, fontdb::ID),
}

/// A face chosen for a document.
#[derive(Clone)]
struct Chosen {
    family: String,
    source: Source,
    index: u32,
    bold: bool,
    italic: bool,
    sans: bool,
}

/// The faces a document needs beyond the two bundled families.
#[derive(Default, Clone)]
pub struct Extra {
    faces: Vec<Chosen>,
    /// One warning for each font file that was skipped (it is not a font,
    /// or its header lies about what it holds).
    pub warnings: Vec<Diagnostic>,
}

impl Extra {
    /// Runs `f` with the faces as the backends take them; a system face is
    /// mapped into memory for as long as `f` runs. `None` if a font file
    /// could not be opened.
    pub fn with_faces<R>(&self, f: impl FnOnce(&[ExtraFace<'_>]) -> R) -> Option<R> {
        let mut f = Some(f);
        let mut call = |bytes: &[&[u8]]| -> Option<R> {
            let faces: Vec<ExtraFace<'_>> = self
                .faces
                .iter()
                .zip(bytes)
                .map(|(c, bytes)| ExtraFace {
                    family: &c.family,
                    bytes,
                    index: c.index,
                    bold: c.bold,
                    italic: c.italic,
                    sans: c.sans,
                })
                .collect();
            f.take().map(|f| f(&faces))
        };
        nest(&self.faces, Vec::new(), &mut call).flatten()
    }

    /// The family names, in order (for messages and tests).
    pub fn families(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for f in &self.faces {
            if !out.contains(&f.family.as_str()) {
                out.push(&f.family);
            }
        }
        out
    }
}

/// Gathers the bytes of `faces` (mapping each system face while the
/// next are gathered and `f` runs) and calls `f` with them all.
fn nest<R>(faces: &[Chosen], got: Vec<&[u8]>, f: &mut dyn FnMut(&[&[u8]]) -> R) -> Option<R> {
    let Some((first, rest)) = faces.split_first() else {
        return Some(f(&got));
    };
    match &first.source {
        Source::Bundled(bytes) => {
            let mut got = got;
            got.push(bytes);
            nest(rest, got, f)
        }
        Source::Pack(bytes) => {
            let mut got = got;
            got.push(bytes);
            nest(rest, got, f)
        }
        Source::Found(db, id) => db
            .with_face_data(*id, |data, _| {
                let mut got: Vec<&[u8]> = got;
                got.push(data);
                nest(rest, got, f)
            })
            .flatten(),
    }
}

/// Where fonts are looked for, beside the pack's own folders.
pub struct FontFinder {
    /// `--font-path` folders, in the order given.
    paths: Vec<PathBuf>,
    /// Whether the system's fonts are searched (`--ignore-system-fonts`
    /// turns it off, for builds that must not depend on the machine).
    system: bool,
    /// The `--font-path` folders and the system's font files whose names
    /// suggest CJK faces: scanned first for Han, kana and Hangul.
    hinted: OnceLock<Scanned>,
    /// The `--font-path` folders and all the system's fonts, scanned when
    /// a script needs them.
    full: OnceLock<Scanned>,
}

/// Font files loaded into a database, and a warning for each file skipped.
#[derive(Clone)]
struct Scanned {
    db: Arc<fontdb::Database>,
    skipped: Arc<[Diagnostic]>,
}

/// The warning for a font file that is skipped.
fn skipped(file: &str, e: &font_file::FontFileError) -> Diagnostic {
    Diagnostic::warning(
        Some(Span::file(file)),
        format!("the font file `{file}` is skipped: {e}"),
    )
    .with_hint("remove the file from the font folder, or replace it with a whole TrueType or OpenType font")
}

impl Scanned {
    /// Loads the files that pass [`font_file::check_path`].
    fn load(files: impl IntoIterator<Item = PathBuf>) -> Self {
        let mut db = fontdb::Database::new();
        let mut skipped_files = Vec::new();
        for file in files {
            // Named absolutely: the file is not the pack's.
            let file = std::path::absolute(&file).unwrap_or(file);
            match font_file::check_path(&file) {
                Ok(_) => db.load_font_file(&file).unwrap_or_else(|e| {
                    skipped_files.push(skipped(
                        &file.display().to_string(),
                        &font_file::FontFileError::Io(e.to_string()),
                    ));
                }),
                Err(e) => skipped_files.push(skipped(&file.display().to_string(), &e)),
            }
        }
        Self {
            db: Arc::new(db),
            skipped: skipped_files.into(),
        }
    }
}

/// The bundled Arabic faces: Naskh beside the serif, Sans Arabic beside
/// the sans.
const ARABIC: [(&str, &[u8], bool, bool); 4] = [
    ("Noto Naskh Arabic", bundled::NASKH_REGULAR, false, false),
    ("Noto Naskh Arabic", bundled::NASKH_BOLD, true, false),
    (
        "Noto Sans Arabic",
        bundled::SANS_ARABIC_REGULAR,
        false,
        true,
    ),
    ("Noto Sans Arabic", bundled::SANS_ARABIC_BOLD, true, true),
];

impl FontFinder {
    /// A finder searching `paths`, then the system's fonts if `system`.
    pub fn new(paths: Vec<PathBuf>, system: bool) -> Self {
        Self {
            paths,
            system,
            hinted: OnceLock::new(),
            full: OnceLock::new(),
        }
    }

    /// What the finder searches, for the inputs of an incremental build.
    pub fn describe(&self) -> String {
        format!("{:?} system={}", self.paths, self.system)
    }

    /// The `--font-path` fonts and the system's files named like CJK faces.
    fn hinted(&self) -> Scanned {
        self.hinted
            .get_or_init(|| {
                let mut files = font_file::font_files_under(&self.paths);
                if self.system {
                    files.extend(system_font_files().into_iter().filter(|file| {
                        let name = file
                            .file_name()
                            .map(|n| n.to_string_lossy().to_ascii_lowercase())
                            .unwrap_or_default();
                        CJK_HINTS.iter().any(|h| name.contains(h))
                    }));
                }
                Scanned::load(files)
            })
            .clone()
    }

    /// The `--font-path` fonts and every system font.
    fn full(&self) -> Scanned {
        self.full
            .get_or_init(|| {
                let mut files = font_file::font_files_under(&self.paths);
                if self.system {
                    files.extend(system_font_files());
                }
                Scanned::load(files)
            })
            .clone()
    }

    /// The faces `doc` needs for the characters the bundled Latin families
    /// lack: the bundled Arabic faces when it has Arabic, then, per script
    /// still uncovered, the best family found in the pack's `fonts`
    /// folders (read through `world`), the `--font-path` folders and the
    /// system's fonts. Characters no face has stay uncovered; the PDF
    /// warns about them, one warning per script.
    pub fn select(&self, doc: &Document, pack_fonts: &[String], world: &dyn World) -> Extra {
        let latin = ttf_parser::Face::parse(bundled::SERIF.regular, 0).ok();
        let latin_sans = ttf_parser::Face::parse(bundled::SANS.bold, 0).ok();
        let has = |face: &Option<ttf_parser::Face<'_>>, c: char| {
            face.as_ref().is_some_and(|f| f.glyph_index(c).is_some())
        };
        let mut needed: BTreeSet<char> = document_chars(doc)
            .into_iter()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .filter(|c| !has(&latin, *c) || !has(&latin_sans, *c))
            .collect();
        let mut extra = Extra::default();
        if needed.is_empty() {
            return extra;
        }
        // Bundled Arabic.
        let naskh = ttf_parser::Face::parse(bundled::NASKH_REGULAR, 0).ok();
        if needed.iter().any(|c| has(&naskh, *c)) {
            for (family, bytes, bold, sans) in ARABIC {
                extra.faces.push(Chosen {
                    family: family.into(),
                    source: Source::Bundled(bytes),
                    index: 0,
                    bold,
                    italic: false,
                    sans,
                });
            }
            needed.retain(|c| !has(&naskh, *c));
        }
        // Characters another bundled face has (a symbol the serif lacks
        // and the sans has) need nothing found.
        needed.retain(|c| !has(&latin, *c) && !has(&latin_sans, *c));
        if needed.is_empty() {
            return extra;
        }
        let language = doc.metadata.language.as_str();
        // The pack's own fonts, read through the world (composition has
        // already reported a folder that is missing or outside the pack).
        let mut pack_db = fontdb::Database::new();
        for dir in pack_fonts {
            let Ok(files) = world.list(dir) else {
                continue;
            };
            for file in files.iter().filter(|f| is_font_name(f)) {
                let checked = world
                    .read(file)
                    .map_err(|e| font_file::FontFileError::Io(e.to_string()))
                    .and_then(|bytes| font_file::check_bytes(&bytes).map(|_| bytes));
                match checked {
                    Ok(bytes) => pack_db.load_font_data(bytes),
                    Err(e) => extra.warnings.push(skipped(file, &e)),
                }
            }
        }
        let pack_db = Arc::new(pack_db);
        let mut scanned: Vec<Scanned> = Vec::new();
        let mut scan = |s: Scanned| {
            if !scanned.iter().any(|seen| Arc::ptr_eq(&seen.db, &s.db)) {
                scanned.push(s.clone());
            }
            s.db
        };
        for (script, chars) in by_script(&needed) {
            let mut found = pick(&pack_db, &chars, script, language);
            if found.is_empty() && script == Script::Han {
                found = pick(&scan(self.hinted()), &chars, script, language);
            }
            if found.is_empty() {
                found = pick(&scan(self.full()), &chars, script, language);
            }
            needed.retain(|c| !found.iter().any(|f| f.covers(*c)));
            if script == Script::Han {
                // Placed at the brief's first such character.
                let first = std::iter::once(doc.metadata.title.clone())
                    .chain(briefkit_model::text::reading_order(doc))
                    .find_map(|t| t.chars().find(|c| chars.contains(c)));
                // Placed where that character's block comes from.
                extra.warnings.extend(cjk_shortfall(
                    &found,
                    first.map(|c| doc.place_of(c)),
                    language,
                ));
            }
            extra.faces.extend(found.into_iter().map(|f| f.chosen));
        }
        for s in scanned {
            extra.warnings.extend(s.skipped.iter().cloned());
        }
        extra
    }
}

/// What the Chinese, Japanese or Korean faces found lack, said once: a
/// bold (headings and figures then lose their weight) or the language's
/// region (a face made for another sets other punctuation and some
/// characters differently, as Droid Sans Fallback does for Chinese).
/// `at` is `None` when the brief has no such character, else where the
/// first one is.
fn cjk_shortfall(
    found: &[Picked],
    at: Option<Option<briefkit_model::Span>>,
    language: &str,
) -> Option<Diagnostic> {
    let family = &found.first()?.chosen.family;
    let no_bold = !found.iter().any(|p| p.chosen.bold);
    let elsewhere = found.iter().any(|p| !p.region_fits);
    let why = match (no_bold, elsewhere) {
        (false, false) => return None,
        (true, false) => "has no bold: headings and figures in it lose their weight".to_string(),
        (false, true) => format!(
            "is not made for `{language}` ({} faces are): its punctuation and some characters differ",
            cjk_region(language)
        ),
        (true, true) => format!(
            "has no bold and is not made for `{language}` ({} faces are): headings lose their weight, and its punctuation and some characters differ",
            cjk_region(language)
        ),
    };
    let at = at?;
    Some(
        Diagnostic::warning(at, format!("the Chinese, Japanese and Korean text is set in {family}, which {why}"))
            .with_hint(format!(
                "install Noto Sans and Serif CJK (on Debian: apt install fonts-noto-cjk), or put faces for {} with their bold in the pack and name their folder in [brief] fonts",
                cjk_region(language)
            )),
    )
}

/// File names that suggest a Chinese, Japanese or Korean face.
const CJK_HINTS: [&str; 16] = [
    "cjk",
    "han",
    "song",
    "hei",
    "ming",
    "kai",
    "fang",
    "wqy",
    "wenquanyi",
    "fallback",
    "mincho",
    "gothic",
    "uming",
    "ukai",
    "sarasa",
    "zh",
];

/// The font files in the system's usual font folders (those fontconfig
/// reads on Linux, the user's included), a few levels deep.
fn system_font_files() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = vec![
        PathBuf::from("/usr/share/fonts"),
        PathBuf::from("/usr/local/share/fonts"),
        PathBuf::from("/Library/Fonts"),
        PathBuf::from("/System/Library/Fonts"),
    ];
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        dirs.push(home.join(".local/share/fonts"));
        dirs.push(home.join(".fonts"));
        dirs.push(home.join("Library/Fonts"));
    }
    font_file::font_files_under(&dirs)
}

/// A face picked, with what it covers.
struct Picked {
    chosen: Chosen,
    coverage: BTreeSet<char>,
    /// Made for the language's region (SC for `zh`, TC for `zh-Hant`, ...).
    region_fits: bool,
}

impl Picked {
    fn covers(&self, c: char) -> bool {
        self.coverage.contains(&c)
    }
}

/// Every character a reader may see in `doc`.
fn document_chars(doc: &Document) -> BTreeSet<char> {
    let mut chars = BTreeSet::new();
    let mut add = |s: &str| chars.extend(s.chars());
    for text in briefkit_model::text::reading_order(doc) {
        add(&text);
    }
    let m = &doc.metadata;
    add(&m.title);
    add(&m.date_display);
    m.subtitle.iter().for_each(|s| add(s));
    m.organization.iter().for_each(|s| add(s));
    let l = &m.labels;
    for word in [
        &l.summary,
        &l.key_figures,
        &l.statistics,
        &l.sources,
        &l.contact,
        &l.notes,
        &l.contents,
        &l.value,
        &l.counts,
        &l.period,
        &l.source,
        &l.source_line,
        &l.sources_line,
        &l.list_separator,
        &l.page_of,
    ] {
        add(word);
    }
    for s in &doc.statistics {
        add(&s.display);
        add(&s.label);
    }
    chars
}

/// The needed characters by script (Chinese, Japanese and Korean
/// together: one CJK face covers them).
fn by_script(chars: &BTreeSet<char>) -> Vec<(Script, Vec<char>)> {
    let mut out: Vec<(Script, Vec<char>)> = Vec::new();
    for c in chars {
        let script = match c.script() {
            Script::Hiragana | Script::Katakana | Script::Hangul | Script::Bopomofo => Script::Han,
            Script::Common | Script::Inherited if briefkit_model::text::is_wide(*c) => Script::Han,
            s => s,
        };
        match out.iter_mut().find(|(s, _)| *s == script) {
            Some((_, list)) => list.push(*c),
            None => out.push((script, vec![*c])),
        }
    }
    out
}

/// The region a CJK family is for (`SC` in "Noto Serif CJK SC") that suits
/// the document's language best.
fn cjk_region(language: &str) -> &'static str {
    let lower = language.to_ascii_lowercase();
    let mut parts = lower.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    match primary {
        "ja" => "JP",
        "ko" => "KR",
        "zh" if rest.contains(&"hk") => "HK",
        "zh" if rest.iter().any(|p| matches!(*p, "hant" | "tw" | "mo")) => "TC",
        _ => "SC",
    }
}

/// Whether a family name reads as a sans face (else serif).
fn is_sans_family(family: &str) -> bool {
    let lower = family.to_ascii_lowercase();
    let serif = ["serif", "naskh", "song", "ming", "mincho", "batang", "kai"];
    let sans = ["sans", "gothic", "hei", "kufi", "dotum", "gulim"];
    if lower.contains("sans") {
        return true;
    }
    if serif.iter().any(|w| lower.contains(w)) {
        return false;
    }
    sans.iter().any(|w| lower.contains(w))
}

/// The best faces of `db` for `chars` of `script`: the family covering
/// most of them (for CJK, the language's region first; Noto first), its
/// regular and bold, and the same for the other kind (serif or sans) when
/// a family of that kind covers as much. `read` gives a file's bytes
/// (`None` for fonts loaded from memory).
fn pick(db: &Arc<fontdb::Database>, chars: &[char], script: Script, language: &str) -> Vec<Picked> {
    struct Candidate {
        id: fontdb::ID,
        family: String,
        coverage: BTreeSet<char>,
        bold: bool,
        italic: bool,
        sans: bool,
        rank: (usize, bool, bool, bool, String, u32),
    }
    let region = cjk_region(language);
    let mut candidates: Vec<Candidate> = Vec::new();
    for face in db.faces() {
        let family = face
            .families
            .iter()
            .find(|(_, l)| *l == fontdb::Language::English_UnitedStates)
            .or(face.families.first())
            .map(|(f, _)| f.clone())
            .unwrap_or_default();
        let coverage: BTreeSet<char> = db
            .with_face_data(face.id, |data, index| {
                ttf_parser::Face::parse(data, index)
                    .map(|f| {
                        chars
                            .iter()
                            .copied()
                            .filter(|c| f.glyph_index(*c).is_some())
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        if coverage.is_empty() {
            continue;
        }
        let bold = face.weight.0 >= 600;
        let italic = face.style != fontdb::Style::Normal;
        let region_fits = script != Script::Han
            || family.ends_with(&format!(" {region}"))
            || family.ends_with(&format!(" {}", region.to_ascii_lowercase()));
        let source = match &face.source {
            fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => p.display().to_string(),
            fontdb::Source::Binary(_) => String::new(),
        };
        candidates.push(Candidate {
            id: face.id,
            sans: is_sans_family(&family),
            rank: (
                chars.len() - coverage.len(),
                !region_fits,
                !family.starts_with("Noto"),
                face.weight.0 != 400 && face.weight.0 != 700,
                source,
                face.index,
            ),
            family,
            coverage,
            bold,
            italic,
        });
    }
    candidates.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.family.cmp(&b.family)));
    let Some(top) = candidates.first().map(|c| c.rank.0) else {
        return Vec::new();
    };
    let mut out: Vec<Picked> = Vec::new();
    // The best family of each kind that covers as much as the best of all
    // (the chains find a face of the other kind when one kind is missing).
    for sans in [false, true] {
        let Some(best) = candidates
            .iter()
            .find(|c| c.sans == sans && !c.italic && c.rank.0 == top)
        else {
            continue;
        };
        for bold in [false, true] {
            let face = candidates
                .iter()
                .filter(|c| c.family == best.family && !c.italic)
                .find(|c| c.bold == bold);
            let Some(face) = face else { continue };
            let Some((source, index)) = db.face_source(face.id) else {
                continue;
            };
            let source = match source {
                fontdb::Source::Binary(data) => Source::Pack(Arc::from((*data).as_ref())),
                _ => Source::Found(db.clone(), face.id),
            };
            out.push(Picked {
                chosen: Chosen {
                    family: face.family.clone(),
                    source,
                    index,
                    bold,
                    italic: false,
                    sans,
                },
                coverage: face.coverage.clone(),
                region_fits: !face.rank.1,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_kinds_follow_names() {
        assert_eq!(cjk_region("zh"), "SC");
        assert_eq!(cjk_region("zh-Hant"), "TC");
        assert_eq!(cjk_region("zh-HK"), "HK");
        assert_eq!(cjk_region("ja"), "JP");
        assert!(is_sans_family("Noto Sans CJK SC"));
        assert!(!is_sans_family("Noto Serif CJK SC"));
        assert!(!is_sans_family("Noto Naskh Arabic"));
        assert!(is_sans_family("Noto Kufi Arabic"));
        assert!(is_font_name("fonts/NotoSerifCJK-Regular.TTC"));
        assert!(!is_font_name("fonts/README.md"));
    }
}
