//! Packs composed in memory (no command), with the bundled and CJK faces,
//! and the document model as `briefkit ast` prints it.

use super::*;
use briefkit_compose::{compose, ComposeOptions, Composed, PackEntry};
use briefkit_model::{Assets, Date, Document, ExtraFace, FontFaces, MemoryWorld};

/// `briefkit ast PACK [ARGS]` as JSON; asserts success.
pub fn ast(pack: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["ast", pack.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = briefkit(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The `type` of every top-level block of an `ast` JSON.
pub fn block_types(ast: &serde_json::Value) -> Vec<String> {
    ast["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["type"].as_str().unwrap().to_string())
        .collect()
}

/// The `display` of every statistic of an `ast` JSON.
pub fn displays(ast: &serde_json::Value) -> Vec<String> {
    ast["statistics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["display"].as_str().unwrap().to_string())
        .collect()
}

/// A bundled font file's bytes (leaked: tests keep them for their run).
pub fn font(name: &str) -> &'static [u8] {
    Box::leak(
        std::fs::read(root().join("fonts").join(name))
            .unwrap()
            .into_boxed_slice(),
    )
}

/// The bundled serif and sans families.
pub fn assets() -> (FontFaces<'static>, FontFaces<'static>) {
    let serif = FontFaces {
        family: "Noto Serif",
        regular: font("NotoSerif-Regular.ttf"),
        bold: font("NotoSerif-Bold.ttf"),
        italic: font("NotoSerif-Italic.ttf"),
        bold_italic: font("NotoSerif-BoldItalic.ttf"),
    };
    let sans = FontFaces {
        family: "Noto Sans",
        regular: font("NotoSans-Regular.ttf"),
        bold: font("NotoSans-Bold.ttf"),
        italic: font("NotoSans-Italic.ttf"),
        bold_italic: font("NotoSans-BoldItalic.ttf"),
    };
    (serif, sans)
}

/// Where Debian's fonts-noto-cjk puts Noto Serif and Sans CJK, which the
/// Chinese example needs (`scripts/test` installs it).
pub const CJK_FONTS: &str = "/usr/share/fonts/opentype/noto";

/// Whether the Noto CJK fonts are installed; under CI their absence is a
/// failure, elsewhere the tests that need them are skipped.
pub fn have_cjk_fonts() -> bool {
    let there = Path::new(CJK_FONTS)
        .join("NotoSerifCJK-Regular.ttc")
        .is_file();
    assert!(
        there || !in_ci(),
        "fonts-noto-cjk is missing ({CJK_FONTS}): run scripts/test"
    );
    there
}

/// The faces the command line adds for Arabic and Chinese: the bundled
/// Noto Naskh and Sans Arabic, and (when installed) Noto Serif and Sans CJK
/// SC, face 2 of Debian's collections.
pub fn extra_faces() -> &'static [ExtraFace<'static>] {
    let mut faces = vec![
        (
            "Noto Naskh Arabic",
            font("NotoNaskhArabic-Regular.ttf"),
            0,
            false,
            false,
        ),
        (
            "Noto Naskh Arabic",
            font("NotoNaskhArabic-Bold.ttf"),
            0,
            true,
            false,
        ),
        (
            "Noto Sans Arabic",
            font("NotoSansArabic-Regular.ttf"),
            0,
            false,
            true,
        ),
        (
            "Noto Sans Arabic",
            font("NotoSansArabic-Bold.ttf"),
            0,
            true,
            true,
        ),
    ];
    if have_cjk_fonts() {
        let cjk = |file: &str| -> &'static [u8] {
            Box::leak(
                std::fs::read(Path::new(CJK_FONTS).join(file))
                    .unwrap()
                    .into_boxed_slice(),
            )
        };
        faces.extend([
            (
                "Noto Serif CJK SC",
                cjk("NotoSerifCJK-Regular.ttc"),
                2,
                false,
                false,
            ),
            (
                "Noto Serif CJK SC",
                cjk("NotoSerifCJK-Bold.ttc"),
                2,
                true,
                false,
            ),
            (
                "Noto Sans CJK SC",
                cjk("NotoSansCJK-Regular.ttc"),
                2,
                false,
                true,
            ),
            (
                "Noto Sans CJK SC",
                cjk("NotoSansCJK-Bold.ttc"),
                2,
                true,
                true,
            ),
        ]);
    }
    let faces: Vec<ExtraFace<'static>> = faces
        .into_iter()
        .map(|(family, bytes, index, bold, sans)| ExtraFace {
            family,
            bytes,
            index,
            bold,
            italic: false,
            sans,
        })
        .collect();
    Box::leak(faces.into_boxed_slice())
}

/// A pack directory read into memory (every file below it, by its path
/// relative to the directory).
pub fn load_pack(dir: &Path) -> MemoryWorld {
    fn walk(dir: &Path, prefix: &str, world: &mut MemoryWorld) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let path = entry.path();
            if path.is_dir() {
                walk(&path, &format!("{name}/"), world);
            } else if path.is_file() {
                world.insert(&name, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut world = MemoryWorld::new(Date::from_unix(0));
    walk(dir, "", &mut world);
    world
}

/// Composes a pack directory (read into memory), dated 1970-01-01 when it
/// has no date; panics on errors.
pub fn compose_pack(dir: &Path) -> Document {
    compose_pack_fully(dir).document
}

/// [`compose_pack`], keeping the images, warnings and settings.
pub fn compose_pack_fully(dir: &Path) -> Composed {
    compose_in_memory(dir, None)
}

/// The brief of a pack: of the row whose key is `key` for a batch pack.
pub fn compose_row(dir: &Path, key: Option<&str>) -> Document {
    compose_in_memory(dir, key).document
}

/// A format as composition sees it, for composing packs in crates below
/// the engine (which registers the real backends): any settings pass, no
/// checks, and rendering is refused (render with the backend crate itself).
const fn composition_only(name: &'static str) -> briefkit_model::Backend {
    briefkit_model::Backend {
        name,
        extension: name,
        default: true,
        templates: &[],
        aliases: &[],
        files: &[],
        settings: |_| Ok(()),
        check: briefkit_model::backend::no_check,
        render: |_| Err("composition only: render with the backend crate".into()),
    }
}

static PDF: briefkit_model::Backend = composition_only("pdf");

static EPUB: briefkit_model::Backend = composition_only("epub");

static DOCX: briefkit_model::Backend = composition_only("docx");

/// The three formats' names, for [`ComposeOptions::backends`] in tests.
pub static FORMATS: [&briefkit_model::Backend; 3] = [&PDF, &EPUB, &DOCX];

fn compose_in_memory(dir: &Path, key: Option<&str>) -> Composed {
    let template = std::fs::read_to_string(root().join("templates/brief.hbs")).unwrap();
    let world = load_pack(dir);
    let rows = briefkit_compose::compose::batch_rows(&world, PackEntry::Directory).unwrap();
    let row = key.map(|k| {
        rows.as_ref()
            .and_then(|r| r.rows.iter().find(|row| row.key == k))
            .unwrap_or_else(|| panic!("no row `{k}`"))
    });
    let options = ComposeOptions {
        brief_template: &template,
        brief_template_name: "brief.hbs",
        backends: &FORMATS,
        formats: &[],
        settings: &[],
        each_uncited: false,
        row,
        statistics: None,
        embed_data: None,
    };
    compose(&world, PackEntry::Directory, &options)
        .map_err(|e| format!("{e:?}"))
        .unwrap()
}

/// The bundled fonts with no images: what a
/// backend needs to render a pack without images in a test.
pub fn test_assets() -> Assets<'static> {
    let (serif, sans) = assets();
    let empty_images: &'static BTreeMap<String, Vec<u8>> = Box::leak(Box::default());
    Assets {
        serif,
        sans,
        images: empty_images,
        extra: &[],
    }
}
