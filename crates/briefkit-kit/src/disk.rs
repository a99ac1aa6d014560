//! A pack on disk, as the [`World`] composition reads through. This is the
//! one place briefkit reads a pack's files, and so the one place the pack's
//! boundary is kept: every path the pack names must be relative and must
//! resolve — after `..` is normalised and symbolic links are followed —
//! inside the pack's root. Nothing outside it can reach an output.
//!
//! It also keeps the text of every file it read, so diagnostics can quote
//! the lines they point at.

use briefkit_compose::PackEntry;
use briefkit_model::world::{check_relative, normalize, text_from_bytes};
use briefkit_model::{Date, FileError, World};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// The largest file a pack may hold (a 20 MB article is fine; a disk image
/// named as an image is not).
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The most entries a listing of a pack folder looks at.
const MAX_LISTED: usize = 4096;

/// A pack directory, or a single Markdown file in its directory.
pub struct DiskWorld {
    /// The root as the user named it, for messages.
    root: PathBuf,
    /// The root with every link resolved: what paths are checked against.
    real_root: PathBuf,
    file: Option<String>,
    name: String,
    today: Date,
    /// Each text read, with the file's identity and times when it was: read
    /// again unchanged (every brief of a batch reads the statistics file),
    /// the same copy is handed out, not the file read, checked and copied
    /// again.
    texts: Mutex<BTreeMap<String, (Stamp, Arc<str>)>>,
}

/// What tells a file's versions apart without reading it: its device and
/// inode, length, and modification and change times (the change time
/// moves on every write and cannot be set back).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    unix: (u64, u64, i64, i64),
}

/// How long a file must have stood unchanged before its text is kept: a
/// file written within the tick of a coarse clock could change again with
/// the same stamp (as git's index treats "racily clean" files).
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

impl Stamp {
    /// Whether the file was last written or changed long enough ago.
    fn settled(&self) -> bool {
        let now = std::time::SystemTime::now();
        let old = |t: std::time::SystemTime| now.duration_since(t).is_ok_and(|d| d >= SETTLED);
        #[cfg(unix)]
        let changed = u64::try_from(self.unix.2)
            .ok()
            .map(|s| std::time::UNIX_EPOCH + std::time::Duration::from_secs(s));
        #[cfg(not(unix))]
        let changed = self.modified;
        self.modified.is_some_and(old) && changed.is_some_and(old)
    }

    fn of(meta: &std::fs::Metadata) -> Self {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Self {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            unix: (meta.dev(), meta.ino(), meta.ctime(), meta.ctime_nsec()),
        }
    }
}

impl DiskWorld {
    /// Opens a pack path (a directory, or a Markdown file whose directory is
    /// the root); `today` dates a pack that has no date.
    pub fn open(path: &Path, today: Date) -> Result<Self, String> {
        let meta = std::fs::metadata(path)
            .map_err(|e| format!("cannot open pack {}: {e}", path.display()))?;
        let (root, file, name) = if meta.is_dir() {
            let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            let name = abs
                .file_name()
                .map_or_else(|| "brief".to_string(), |n| n.to_string_lossy().into_owned());
            (path.to_path_buf(), None, name)
        } else {
            let root = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let file = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let name = path
                .file_stem()
                .map_or_else(|| "brief".to_string(), |n| n.to_string_lossy().into_owned());
            (root, Some(file), name)
        };
        let real_root = std::fs::canonicalize(&root)
            .map_err(|e| format!("cannot open pack {}: {e}", root.display()))?;
        Ok(Self {
            root,
            real_root,
            file,
            name,
            today,
            texts: Mutex::default(),
        })
    }

    /// What kind of pack this is.
    pub fn entry(&self) -> PackEntry<'_> {
        match &self.file {
            Some(f) => PackEntry::MarkdownFile(f),
            None => PackEntry::Directory,
        }
    }

    /// Base name for output files.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `PACK/out/`.
    pub fn default_out_dir(&self) -> PathBuf {
        self.root.join("out")
    }

    /// The path of a pack file as the user should see it.
    pub fn display_path(&self, rel: &str) -> String {
        match normalize(rel) {
            Some(n) if check_relative(rel).is_ok() => self.root.join(n).display().to_string(),
            _ => rel.to_string(),
        }
    }

    /// The pack's root folder, every link resolved.
    pub fn root_dir(&self) -> &Path {
        &self.real_root
    }

    /// The pack as the user named it (a directory, or a Markdown file).
    pub fn root_display(&self) -> String {
        match &self.file {
            Some(file) => self.root.join(file).display().to_string(),
            None => self.root.display().to_string(),
        }
    }

    /// Where a path the pack names really is: inside the root, or an error.
    pub fn resolve(&self, rel: &str) -> Result<PathBuf, FileError> {
        check_relative(rel)?;
        let lexical = normalize(rel).ok_or(FileError::OutsidePack)?;
        let real = match std::fs::canonicalize(self.real_root.join(&lexical)) {
            Ok(real) => real,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(FileError::NotFound),
            Err(e) => return Err(FileError::Other(e.to_string())),
        };
        if real.starts_with(&self.real_root) {
            Ok(real)
        } else {
            Err(FileError::OutsidePack)
        }
    }
}

/// The metadata of `path` when it is a regular file of at most `max`
/// bytes: a directory, a FIFO or a device (which would block or never
/// end) or a larger file is an error. Every file briefkit reads by a path
/// it was given goes through here.
pub fn regular_file(path: &Path, max: u64) -> Result<std::fs::Metadata, FileError> {
    let meta = std::fs::metadata(path).map_err(|e| FileError::Other(e.to_string()))?;
    if meta.is_dir() {
        return Err(FileError::IsDirectory);
    }
    if !meta.is_file() {
        return Err(FileError::Other("it is not a regular file".into()));
    }
    if meta.len() > max {
        return Err(FileError::Other(format!(
            "it is larger than {} MiB",
            max / 1024 / 1024
        )));
    }
    Ok(meta)
}

impl DiskWorld {
    /// The file at `rel` checked (inside the pack, a regular file, not too
    /// large): its path and metadata.
    fn regular_file(&self, rel: &str) -> Result<(PathBuf, std::fs::Metadata), FileError> {
        let path = self.resolve(rel)?;
        let meta = regular_file(&path, MAX_FILE_BYTES)?;
        Ok((path, meta))
    }
}

impl World for DiskWorld {
    fn read(&self, rel: &str) -> Result<Vec<u8>, FileError> {
        let (path, _) = self.regular_file(rel)?;
        std::fs::read(&path).map_err(|e| FileError::Other(e.to_string()))
    }

    fn read_text(&self, rel: &str) -> Result<Arc<str>, FileError> {
        let (path, meta) = self.regular_file(rel)?;
        let stamp = Stamp::of(&meta);
        let mut texts = self.texts.lock().unwrap_or_else(PoisonError::into_inner);
        let text = match texts.get(rel) {
            Some((was, text)) if *was == stamp => text.clone(),
            _ => {
                let bytes = std::fs::read(&path).map_err(|e| FileError::Other(e.to_string()))?;
                // Read as long as it says: a file written meanwhile is
                // stamped when next asked for.
                let stamp = std::fs::metadata(&path)
                    .ok()
                    .map(|m| Stamp::of(&m))
                    .filter(|now| *now == stamp && now.len == bytes.len() as u64 && now.settled());
                let text: Arc<str> = Arc::from(text_from_bytes(bytes)?);
                match stamp {
                    Some(stamp) => {
                        texts.insert(rel.to_string(), (stamp, text.clone()));
                    }
                    None => {
                        texts.remove(rel);
                    }
                }
                text
            }
        };
        drop(texts);
        Ok(text)
    }

    fn list(&self, dir: &str) -> Result<Vec<String>, FileError> {
        let root = self.resolve(dir)?;
        if !root.is_dir() {
            return Err(FileError::Other("it is not a folder".into()));
        }
        let prefix = normalize(dir).unwrap_or_default();
        let mut out = Vec::new();
        // Breadth first, a few levels down, each real folder once however
        // many links lead to it, at most a few thousand entries: a font
        // folder, not the whole disk (ten links to `.` are ten entries).
        let mut seen = std::collections::HashSet::new();
        let mut queue = std::collections::VecDeque::from([(root, prefix, 0)]);
        let mut entries_seen = 0;
        while let Some((path, rel, depth)) = queue.pop_front() {
            if !seen.insert(path.clone()) {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&path) else {
                continue;
            };
            for entry in entries.flatten() {
                entries_seen += 1;
                if entries_seen > MAX_LISTED {
                    break;
                }
                let name = entry.file_name().to_string_lossy().into_owned();
                let rel = if rel.is_empty() {
                    name
                } else {
                    format!("{rel}/{name}")
                };
                // Everything listed must resolve inside the pack.
                let Ok(real) = self.resolve(&rel) else {
                    continue;
                };
                if real.is_dir() {
                    if depth < 4 && !seen.contains(&real) {
                        queue.push_back((real, rel, depth + 1));
                    }
                } else {
                    out.push(rel);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    fn today(&self) -> Date {
        self.today
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_settled_file_is_read_once_and_a_changed_one_again() {
        let dir = std::env::temp_dir().join(format!("briefkit-disk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("s.csv"), "abc").unwrap();
        let world = DiskWorld::open(&dir, Date::from_unix(0)).unwrap();
        // Just written: read each time.
        let fresh = world.read_text("s.csv").unwrap();
        assert!(!Arc::ptr_eq(&fresh, &world.read_text("s.csv").unwrap()));
        std::thread::sleep(SETTLED + std::time::Duration::from_millis(100));
        let first = world.read_text("s.csv").unwrap();
        assert!(Arc::ptr_eq(&first, &world.read_text("s.csv").unwrap()));
        // Rewritten to the same length: the new text.
        std::fs::write(dir.join("s.csv"), "xyz").unwrap();
        assert_eq!(&*world.read_text("s.csv").unwrap(), "xyz");
        // Replaced by a link outside the pack: refused, not the kept text.
        std::fs::remove_file(dir.join("s.csv")).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc/hostname", dir.join("s.csv")).unwrap();
            assert_eq!(world.read_text("s.csv"), Err(FileError::OutsidePack));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
