//! Fonts for the scripts the bundled Latin families lack: the bundled
//! Arabic faces, then faces found in the pack's `[brief] fonts` folders,
//! `--font-path` folders and the system's fonts (fontconfig's folders
//! included), chosen per script for the characters a document uses.
//!
//! Nothing is searched for a document the bundled faces cover: an English
//! brief never scans the disk. A pack's font folders are read through the
//! [`World`], so a pack's fonts come from inside the pack like its other
//! files.

use crate::embedded;
use briefkit_model::{Document, ExtraFace, World};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use unicode_script::{Script, UnicodeScript};

/// A face chosen for a document, with its file's bytes.
#[derive(Clone)]
struct Chosen {
    family: String,
    bytes: Arc<[u8]>,
    index: u32,
    bold: bool,
    italic: bool,
    sans: bool,
}

/// The faces a document needs beyond the two bundled families.
#[derive(Default, Clone)]
pub struct Extra {
    faces: Vec<Chosen>,
}

impl Extra {
    /// The faces as the backends take them.
    pub fn faces(&self) -> Vec<ExtraFace<'_>> {
        self.faces
            .iter()
            .map(|f| ExtraFace {
                family: &f.family,
                bytes: &f.bytes,
                index: f.index,
                bold: f.bold,
                italic: f.italic,
                sans: f.sans,
            })
            .collect()
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

/// Where fonts are looked for, beside the pack's own folders.
pub struct FontFinder {
    /// `--font-path` folders, in the order given.
    paths: Vec<PathBuf>,
    /// Whether the system's fonts are searched (`--ignore-system-fonts`
    /// turns it off, for builds that must not depend on the machine).
    system: bool,
    /// The folders' and the system's faces, scanned once, when a document
    /// first needs them.
    database: OnceLock<fontdb::Database>,
    /// Font files read so far, by path (a batch reads each once).
    files: Mutex<BTreeMap<PathBuf, Arc<[u8]>>>,
}

/// The bundled Arabic faces: Naskh beside the serif, Sans Arabic beside
/// the sans.
const ARABIC: [(&str, &[u8], bool, bool); 4] = [
    ("Noto Naskh Arabic", embedded::NASKH_REGULAR, false, false),
    ("Noto Naskh Arabic", embedded::NASKH_BOLD, true, false),
    (
        "Noto Sans Arabic",
        embedded::SANS_ARABIC_REGULAR,
        false,
        true,
    ),
    ("Noto Sans Arabic", embedded::SANS_ARABIC_BOLD, true, true),
];

impl FontFinder {
    /// A finder searching `paths`, then the system's fonts if `system`.
    pub fn new(paths: Vec<PathBuf>, system: bool) -> Self {
        Self {
            paths,
            system,
            database: OnceLock::new(),
            files: Mutex::default(),
        }
    }

    fn database(&self) -> &fontdb::Database {
        self.database.get_or_init(|| {
            let mut db = fontdb::Database::new();
            for path in &self.paths {
                db.load_fonts_dir(path);
            }
            if self.system {
                db.load_system_fonts();
            }
            db
        })
    }

    /// The faces `doc` needs for the characters the bundled Latin families
    /// lack: the bundled Arabic faces when it has Arabic, then, per script
    /// still uncovered, the best family found in the pack's `fonts`
    /// folders (read through `world`), the `--font-path` folders and the
    /// system's fonts. Characters no face has stay uncovered; the PDF
    /// warns about them, one warning per script.
    pub fn select(&self, doc: &Document, pack_fonts: &[String], world: &dyn World) -> Extra {
        let latin = ttf_parser::Face::parse(embedded::SERIF.regular, 0).ok();
        let latin_sans = ttf_parser::Face::parse(embedded::SANS.bold, 0).ok();
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
        let naskh = ttf_parser::Face::parse(embedded::NASKH_REGULAR, 0).ok();
        if needed.iter().any(|c| has(&naskh, *c)) {
            for (family, bytes, bold, sans) in ARABIC {
                extra.faces.push(Chosen {
                    family: family.into(),
                    bytes: Arc::from(bytes),
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
        // The pack's own fonts, read through the world.
        let mut pack_db = fontdb::Database::new();
        for dir in pack_fonts {
            let Ok(files) = world.list(dir) else {
                continue;
            };
            for file in files.iter().filter(|f| is_font_file(f)) {
                if let Ok(bytes) = world.read(file) {
                    pack_db.load_font_data(bytes);
                }
            }
        }
        for (script, chars) in by_script(&needed) {
            let mut found = pick(&pack_db, &chars, script, language, |_| None);
            if found.is_empty() {
                found = pick(self.database(), &chars, script, language, |path| {
                    self.read(path)
                });
            }
            needed.retain(|c| !found.iter().any(|f| f.covers(*c)));
            extra.faces.extend(found.into_iter().map(|f| f.chosen));
        }
        extra
    }

    /// A font file's bytes, read once.
    fn read(&self, path: &std::path::Path) -> Option<Arc<[u8]>> {
        let mut files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(bytes) = files.get(path) {
            return Some(bytes.clone());
        }
        let bytes: Arc<[u8]> = Arc::from(std::fs::read(path).ok()?);
        files.insert(path.to_path_buf(), bytes.clone());
        Some(bytes)
    }
}

/// A face picked, with what it covers.
struct Picked {
    chosen: Chosen,
    coverage: BTreeSet<char>,
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
            Script::Common | Script::Inherited if is_cjk_symbol(*c) => Script::Han,
            s => s,
        };
        match out.iter_mut().find(|(s, _)| *s == script) {
            Some((_, list)) => list.push(*c),
            None => out.push((script, vec![*c])),
        }
    }
    out
}

/// CJK punctuation and full-width forms (script Common, set with Han).
fn is_cjk_symbol(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}' | '\u{fe30}'..='\u{fe4f}')
}

fn is_font_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".ttf", ".otf", ".ttc", ".otc"]
        .iter()
        .any(|e| lower.ends_with(e))
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
fn pick(
    db: &fontdb::Database,
    chars: &[char],
    script: Script,
    language: &str,
    read: impl Fn(&std::path::Path) -> Option<Arc<[u8]>>,
) -> Vec<Picked> {
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
            let bytes = match source {
                fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => read(&path),
                fontdb::Source::Binary(data) => Some(Arc::from((*data).as_ref())),
            };
            let Some(bytes) = bytes else { continue };
            out.push(Picked {
                chosen: Chosen {
                    family: face.family.clone(),
                    bytes,
                    index,
                    bold,
                    italic: false,
                    sans,
                },
                coverage: face.coverage.clone(),
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
        assert!(is_font_file("fonts/NotoSerifCJK-Regular.TTC"));
        assert!(!is_font_file("fonts/README.md"));
    }
}
