//! Incremental builds: a brief whose inputs hash as at the last build into
//! the same folder, with its files still there and untouched, is fresh and
//! is not built again.
//!
//! Each build records, in `OUT/.briefkit/manifest.json` (one file per
//! shard: `manifest-2-of-4.json`, so machines sharing a folder never write
//! the same file), every brief's input hash and its files' size, time and
//! SHA-256. The inputs are every file of the pack (its output folder
//! aside), the row, the options that change the outputs, the templates and
//! briefkit's version.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

/// A file a brief wrote.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileRecord {
    /// Its name in the output folder.
    pub name: String,
    /// `pdf`, `epub`, `docx`.
    pub format: String,
    /// Its size.
    pub bytes: u64,
    /// When it was written (nanoseconds since the epoch).
    pub modified: u128,
    /// Its SHA-256.
    pub sha256: String,
    /// Its pages (PDF).
    pub pages: Option<usize>,
}

/// What was built for a brief.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BriefRecord {
    /// The hash of its inputs.
    pub inputs: String,
    /// Its files.
    pub files: Vec<FileRecord>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    briefkit: String,
    briefs: BTreeMap<String, BriefRecord>,
}

/// An output folder's briefs from every manifest in it (lookup), and this
/// build's own manifest (to write).
type Folder = (BTreeMap<String, BriefRecord>, Manifest);

/// The manifests of the output folders a build writes to.
pub struct Ledger {
    /// This build's manifest file name (`manifest.json`, or per shard).
    own: String,
    /// Per output folder: every manifest's briefs (lookup) and this build's
    /// own manifest (to write).
    folders: Mutex<BTreeMap<PathBuf, Folder>>,
}

const VERSION: &str = env!("CARGO_PKG_VERSION");

impl Ledger {
    /// A ledger for a build (of share `shard`, if any).
    pub fn new(shard: Option<(usize, usize)>) -> Self {
        Self {
            own: match shard {
                Some((k, n)) => format!("manifest-{k}-of-{n}.json"),
                None => "manifest.json".into(),
            },
            folders: Mutex::default(),
        }
    }

    fn with_folder<R>(&self, out: &Path, f: impl FnOnce(&mut Folder) -> R) -> R {
        let mut folders = self
            .folders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = folders
            .entry(out.to_path_buf())
            .or_insert_with(|| load(out, &self.own));
        f(entry)
    }

    /// The brief's files, if it is fresh: built from the same inputs into
    /// `out`, and every file still there with its size and time.
    pub fn fresh(&self, out: &Path, brief: &str, inputs: &str) -> Option<Vec<FileRecord>> {
        let record = self.with_folder(out, |(all, _)| all.get(brief).cloned())?;
        if record.inputs != inputs {
            return None;
        }
        for file in &record.files {
            let meta = std::fs::metadata(out.join(&file.name)).ok()?;
            if meta.len() != file.bytes || modified(&meta) != Some(file.modified) {
                return None;
            }
        }
        self.record(out, brief, record.clone());
        Some(record.files)
    }

    /// Notes what a brief's build wrote (or found fresh).
    pub fn record(&self, out: &Path, brief: &str, record: BriefRecord) {
        self.with_folder(out, |(all, own)| {
            all.insert(brief.to_string(), record.clone());
            own.briefs.insert(brief.to_string(), record);
        });
    }

    /// Writes this build's manifest into each output folder.
    pub fn save(&self) -> Result<(), String> {
        let folders = self
            .folders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (out, (_, own)) in folders.iter() {
            if own.briefs.is_empty() {
                continue;
            }
            let dir = out.join(".briefkit");
            std::fs::create_dir_all(&dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            let manifest = Manifest {
                briefkit: VERSION.into(),
                briefs: own.briefs.clone(),
            };
            let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
            crate::write::atomic(&dir.join(&self.own), text.as_bytes())?;
        }
        Ok(())
    }
}

/// Every manifest in `out` (this build's first, so its entries for briefs
/// it does not build now are kept), and this build's own.
fn load(out: &Path, own: &str) -> Folder {
    let dir = out.join(".briefkit");
    let read = |path: &Path| -> Option<Manifest> {
        let m: Manifest = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        (m.briefkit == VERSION).then_some(m)
    };
    let mut all = BTreeMap::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    for path in &names {
        if path.file_name().is_some_and(|n| n != own) {
            if let Some(m) = read(path) {
                all.extend(m.briefs);
            }
        }
    }
    let mine = read(&dir.join(own)).unwrap_or_default();
    all.extend(mine.briefs.clone());
    (all, mine)
}

/// A file's time of last change, in nanoseconds.
pub fn modified(meta: &std::fs::Metadata) -> Option<u128> {
    meta.modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()
        .map(|d| d.as_nanos())
}

pub use briefkit::hash::Inputs;

/// The hash of every file of a pack, its output folder and dot-folders
/// aside: the part of a brief's inputs the pack gives (shared by its rows).
pub fn pack_hash(root: &Path, out: &Path) -> String {
    let mut files = Vec::new();
    let out = std::fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf());
    let mut queue = vec![(root.to_path_buf(), 0)];
    while let Some((dir, depth)) = queue.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if real.starts_with(&out) {
                continue;
            }
            if path.is_dir() {
                if depth < 6 {
                    queue.push((path, depth + 1));
                }
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut h = Inputs::new();
    for file in files {
        let rel = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&file).unwrap_or_default();
        h.add(&rel, &bytes);
    }
    h.finish()
}
