//! Incremental builds: a brief is fresh — not built again — when briefkit
//! itself built it into the same folder from the same inputs, and its
//! files there still hold the bytes briefkit wrote.
//!
//! Each build records, in `OUT/.briefkit/manifest.json` (one file per
//! shard: `manifest-2-of-4.json`, so machines sharing a folder never write
//! the same file), every brief's options hash, every pack file it read
//! through the world with the SHA-256 of what it read (see
//! [`briefkit::inputs`]), and the SHA-256 of each file it wrote.
//!
//! A pack can ship an `out/` folder with a manifest of its own, so a
//! manifest is only believed if it is sealed: each carries an HMAC-SHA256
//! of its contents under a key kept in the user's cache folder
//! (`~/.cache/briefkit/manifest-key`), which no pack can read. A manifest
//! that does not parse, is not sealed with this key, or was written by
//! another version is ignored: every brief it lists is built again.

use briefkit::inputs::Input;
use briefkit_model::World;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// A file a brief wrote.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileRecord {
    /// Its name in the output folder.
    pub name: String,
    /// `pdf`, `epub`, `docx`.
    pub format: String,
    /// Its size.
    pub bytes: u64,
    /// Its SHA-256.
    pub sha256: String,
    /// Its pages (PDF).
    pub pages: Option<usize>,
}

/// What was built for a brief.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BriefRecord {
    /// The hash of what is not a pack file: options, templates, fonts
    /// searched, the row, briefkit's version.
    pub inputs: String,
    /// Every pack file it read, and what it read.
    pub read: Vec<Input>,
    /// Its files.
    pub files: Vec<FileRecord>,
}

/// What a manifest holds, as sealed.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Contents {
    briefkit: String,
    briefs: BTreeMap<String, BriefRecord>,
}

/// A manifest file: its contents and their seal.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    #[serde(flatten)]
    contents: Contents,
    /// HMAC-SHA256 of the contents' JSON under the user's key.
    seal: String,
}

/// An output folder's briefs from every sealed manifest in it (lookup),
/// and this build's own manifest (to write).
type Folder = (BTreeMap<String, BriefRecord>, Contents);

/// The manifests of the output folders a build writes to.
pub struct Ledger {
    /// This build's manifest file name (`manifest.json`, or per shard).
    own: String,
    /// The key manifests are sealed with; `None` when no key can be kept
    /// (then nothing is fresh, and no manifest is written).
    key: Option<[u8; 32]>,
    /// Per output folder: every manifest's briefs (lookup) and this build's
    /// own manifest (to write).
    folders: Mutex<BTreeMap<PathBuf, Folder>>,
    /// What each pack file read now hashes to (by pack, path and access):
    /// the briefs of a batch share their files, each is read once.
    now: Mutex<HashMap<(String, Input), bool>>,
}

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The largest manifest read (a million briefs' records fit).
const MAX_MANIFEST_BYTES: u64 = 1 << 30;

/// The most manifests read from one folder (one per shard).
const MAX_MANIFESTS: usize = 4096;

impl Ledger {
    /// A ledger for a build (of share `shard`, if any).
    pub fn new(shard: Option<(usize, usize)>) -> Self {
        Self {
            own: match shard {
                Some((k, n)) => format!("manifest-{k}-of-{n}.json"),
                None => "manifest.json".into(),
            },
            key: user_key(),
            folders: Mutex::default(),
            now: Mutex::default(),
        }
    }

    fn with_folder<R>(&self, out: &Path, f: impl FnOnce(&mut Folder) -> R) -> R {
        let mut folders = self.folders.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = folders
            .entry(out.to_path_buf())
            .or_insert_with(|| match &self.key {
                Some(key) => load(out, &self.own, key),
                None => Folder::default(),
            });
        f(entry)
    }

    /// Whether a pack file still reads as it did (asked once per build).
    fn unchanged(&self, pack: &str, world: &dyn World, input: &Input) -> bool {
        let key = (pack.to_string(), input.clone());
        if let Some(same) = self
            .now
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return *same;
        }
        let same = input.read_again(world) == *input;
        self.now
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, same);
        same
    }

    /// The brief's files, if it is fresh: built by briefkit into `out`
    /// from the same options (`inputs`), every pack file it read (through
    /// `world`, the pack `pack`) unchanged, and every file it wrote still
    /// there with the same bytes.
    pub fn fresh(
        &self,
        out: &Path,
        brief: &str,
        inputs: &str,
        (pack, world): (&str, &dyn World),
    ) -> Option<Vec<FileRecord>> {
        let record = self.with_folder(out, |(all, _)| all.get(brief).cloned())?;
        if record.inputs != inputs || !record.read.iter().all(|i| self.unchanged(pack, world, i)) {
            return None;
        }
        if !record.files.iter().all(|f| still_there(out, f)) {
            return None;
        }
        self.record(out, brief, record.clone());
        Some(record.files)
    }

    /// The files an earlier build of the brief wrote in a format this
    /// build wrote too, under a name it did not write now (the pages a
    /// brief no longer has: `NAME-5.png` when it shrinks to four pages),
    /// still as briefkit wrote them (a regular file of the recorded size
    /// and hash: a file someone changed or replaced is never touched).
    pub fn stale(&self, out: &Path, brief: &str, written: &[FileRecord]) -> Vec<FileRecord> {
        let Some(before) = self.with_folder(out, |(all, _)| all.get(brief).cloned()) else {
            return Vec::new();
        };
        before
            .files
            .into_iter()
            .filter(|old| {
                written.iter().any(|w| w.format == old.format)
                    && !written.iter().any(|w| w.name == old.name)
                    && Path::new(&old.name).file_name() == Some(std::ffi::OsStr::new(&old.name))
                    && still_there(out, old)
            })
            .collect()
    }

    /// Notes what a brief's build wrote (or found fresh).
    pub fn record(&self, out: &Path, brief: &str, record: BriefRecord) {
        self.with_folder(out, |(all, own)| {
            all.insert(brief.to_string(), record.clone());
            own.briefs.insert(brief.to_string(), record);
        });
    }

    /// Writes this build's manifest, sealed, into each output folder.
    pub fn save(&self) -> Result<(), String> {
        let Some(key) = &self.key else {
            return Ok(());
        };
        let folders = self.folders.lock().unwrap_or_else(PoisonError::into_inner);
        for (out, (_, own)) in folders.iter() {
            if own.briefs.is_empty() {
                continue;
            }
            let dir = out.join(".briefkit");
            briefkit_kit::write::make_folder(&dir, false)?;
            let contents = Contents {
                briefkit: VERSION.into(),
                briefs: own.briefs.clone(),
            };
            let body = serde_json::to_vec(&contents).map_err(|e| e.to_string())?;
            let manifest = Manifest {
                contents,
                seal: seal(key, &body).ok_or("cannot seal the manifest")?,
            };
            let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
            // A cache, checked when read: not flushed to the disk.
            briefkit_kit::write::atomic_cache(&dir.join(&self.own), text.as_bytes())?;
        }
        Ok(())
    }
}

/// Whether an output is still what briefkit wrote: a regular file (not a
/// link) of the same size whose bytes hash the same.
fn still_there(out: &Path, file: &FileRecord) -> bool {
    let path = out.join(&file.name);
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return false;
    };
    meta.is_file()
        && meta.len() == file.bytes
        && std::fs::read(&path).is_ok_and(|b| briefkit::hash::sha256_hex(&b) == file.sha256)
}

type HmacSha256 = Hmac<sha2::Sha256>;

/// The HMAC of `body` under `key` (HMAC takes keys of any length, so
/// this is `None` only in theory).
fn mac(key: &[u8; 32], body: &[u8]) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(key).ok()?;
    mac.update(body);
    Some(mac)
}

fn seal(key: &[u8; 32], body: &[u8]) -> Option<String> {
    let bytes = mac(key, body)?.finalize().into_bytes();
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Every sealed manifest in `out` (this build's own last, so its entries
/// win), and this build's own (for the briefs it does not build now).
fn load(out: &Path, own: &str, key: &[u8; 32]) -> Folder {
    let dir = out.join(".briefkit");
    let read = |path: &Path| -> Option<Contents> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        if !meta.is_file() || meta.len() > MAX_MANIFEST_BYTES {
            return None;
        }
        let m: Manifest = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        let body = serde_json::to_vec(&m.contents).ok()?;
        let seal = (0..m.seal.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(m.seal.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        mac(key, &body)?.verify_slice(&seal).ok()?;
        (m.contents.briefkit == VERSION).then_some(m.contents)
    };
    let mut all = BTreeMap::new();
    if briefkit_kit::write::refuse_folder(&dir).is_some() {
        return (all, Contents::default());
    }
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("manifest") && n.ends_with(".json"))
                })
                .take(MAX_MANIFESTS)
                .collect()
        })
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
    all.extend(mine.briefs.iter().map(|(k, v)| (k.clone(), v.clone())));
    (all, mine)
}

/// The key this user's manifests are sealed with: made once (32 random
/// bytes, readable by the user alone) in `BRIEFKIT_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/briefkit`, else `~/.cache/briefkit`. `None` if there
/// is no such folder or the key cannot be kept there.
fn user_key() -> Option<[u8; 32]> {
    let dir = std::env::var_os("BRIEFKIT_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("briefkit")))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/briefkit")))?;
    let path = dir.join("manifest-key");
    if let Some(key) = read_key(&path) {
        return Some(key);
    }
    std::fs::create_dir_all(&dir).ok()?;
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).ok()?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(&path) {
        Ok(mut file) => {
            use std::io::Write;
            file.write_all(&key).ok()?;
            file.sync_all().ok()?;
            Some(key)
        }
        // Another build made it first.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_key(&path),
        Err(_) => None,
    }
}

fn read_key(path: &Path) -> Option<[u8; 32]> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() != 32 {
        return None;
    }
    std::fs::read(path).ok()?.try_into().ok()
}
