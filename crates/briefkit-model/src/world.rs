//! The one door to the host: everything composition learns from outside the
//! document model — the pack's files as text or bytes, and today's date —
//! comes through [`World`], as in Typst's `World`.
//!
//! The command line implements it for a pack on disk, and that
//! implementation is where the pack's boundary is enforced (no path may
//! leave the pack's root); tests and language bindings implement it in
//! memory with [`MemoryWorld`]. No other code in briefkit reads pack files.

use crate::locale::Date;
use std::collections::BTreeMap;

/// Why a pack file could not be read. Every variant is something a user
/// can act on; [`FileError::hint`] says how.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// No file at that path.
    #[error("does not exist")]
    NotFound,
    /// The path names a directory.
    #[error("is a directory, not a file")]
    IsDirectory,
    /// The path is absolute (`/etc/passwd`, `C:\...`).
    #[error("is an absolute path")]
    Absolute,
    /// The path, once `..` and symbolic links are resolved, is outside the
    /// pack's root.
    #[error("is outside the pack")]
    OutsidePack,
    /// The path is empty or holds characters no file name may hold.
    #[error("is not a valid file path")]
    Invalid,
    /// The file is not UTF-8 text.
    #[error("is not UTF-8 text")]
    NotText,
    /// Any other failure of the host, as the operating system said it.
    #[error("cannot be read: {0}")]
    Other(String),
}

impl FileError {
    /// What a user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            FileError::NotFound => "paths are relative to the pack's directory; check the name",
            FileError::IsDirectory => "name a file, not a directory",
            FileError::Absolute | FileError::OutsidePack => {
                "a pack may only use files inside its own directory: copy the file into the pack and use a relative path"
            }
            FileError::Invalid => "write a relative path such as images/map.png",
            FileError::NotText => "save the file as UTF-8",
            FileError::Other(_) => "check the file's permissions",
        }
    }
}

/// Read access to a pack and the few facts of the host that composition
/// needs. Paths are relative to the pack's root, with `/` separators, as
/// the pack writes them.
pub trait World: Sync {
    /// The bytes of a pack file.
    fn read(&self, path: &str) -> Result<Vec<u8>, FileError>;

    /// The text of a pack file (UTF-8; a leading byte-order mark is
    /// dropped), shared: a world may hand the briefs of a batch one copy
    /// of a file they all read, which caches then know by its address.
    fn read_text(&self, path: &str) -> Result<std::sync::Arc<str>, FileError> {
        text_from_bytes(self.read(path)?).map(std::sync::Arc::from)
    }

    /// The files in a pack folder and the folders under it (paths relative
    /// to the pack's root, sorted), for `[brief] fonts`. A folder outside
    /// the pack is refused as a file would be; entries that resolve
    /// outside it (symbolic links) are left out.
    fn list(&self, dir: &str) -> Result<Vec<String>, FileError>;

    /// The date a pack without one is dated: `SOURCE_DATE_EPOCH` or the
    /// clock for the command line, a fixed date in tests.
    fn today(&self) -> Date;
}

/// A pack file's bytes as text: UTF-8, with a leading byte-order mark dropped.
pub fn text_from_bytes(bytes: Vec<u8>) -> Result<String, FileError> {
    let mut text = String::from_utf8(bytes).map_err(|_| FileError::NotText)?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// Checks the shape of a path a pack names, before any host is asked: it
/// must be relative, non-empty and free of NUL and drive prefixes. The
/// resolved location is the implementation's business.
pub fn check_relative(path: &str) -> Result<(), FileError> {
    if path.trim().is_empty() || path.contains('\0') {
        return Err(FileError::Invalid);
    }
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if path.starts_with('/') || path.starts_with('\\') || drive {
        return Err(FileError::Absolute);
    }
    Ok(())
}

/// Normalises a relative path lexically: `.` dropped, `a/../b` → `b`,
/// backslashes read as separators. `None` when `..` climbs above the root.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// A pack held in memory: for tests, and for packs made by a program
/// rather than read from a directory.
#[derive(Debug, Clone)]
pub struct MemoryWorld {
    files: BTreeMap<String, Vec<u8>>,
    today: Date,
}

impl MemoryWorld {
    /// An empty pack dated `today`.
    pub fn new(today: Date) -> Self {
        Self {
            files: BTreeMap::new(),
            today,
        }
    }

    /// Adds (or replaces) a file.
    #[must_use]
    pub fn with_file(mut self, path: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.insert(path, bytes);
        self
    }

    /// The paths of every file, sorted.
    pub fn paths(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: &str, bytes: impl Into<Vec<u8>>) {
        let key = normalize(path).unwrap_or_else(|| path.to_string());
        self.files.insert(key, bytes.into());
    }
}

impl World for MemoryWorld {
    fn read(&self, path: &str) -> Result<Vec<u8>, FileError> {
        check_relative(path)?;
        let key = normalize(path).ok_or(FileError::OutsidePack)?;
        if let Some(bytes) = self.files.get(&key) {
            return Ok(bytes.clone());
        }
        let dir = format!("{key}/");
        if key.is_empty() || self.files.keys().any(|k| k.starts_with(&dir)) {
            return Err(FileError::IsDirectory);
        }
        Err(FileError::NotFound)
    }

    fn list(&self, dir: &str) -> Result<Vec<String>, FileError> {
        check_relative(dir)?;
        let key = normalize(dir).ok_or(FileError::OutsidePack)?;
        let prefix = if key.is_empty() {
            String::new()
        } else {
            format!("{key}/")
        };
        let found: Vec<String> = self
            .files
            .keys()
            .filter(|k| k.starts_with(&prefix))
            .cloned()
            .collect();
        if found.is_empty() {
            return Err(FileError::NotFound);
        }
        Ok(found)
    }

    fn today(&self) -> Date {
        self.today
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_root_are_refused() {
        let w = MemoryWorld::new(Date::from_unix(0)).with_file("images/a.png", b"x".to_vec());
        assert_eq!(w.read("images/a.png"), Ok(b"x".to_vec()));
        assert_eq!(w.read("images/../images/./a.png"), Ok(b"x".to_vec()));
        assert_eq!(w.read("../a.png"), Err(FileError::OutsidePack));
        assert_eq!(w.read("images/../../a.png"), Err(FileError::OutsidePack));
        assert_eq!(w.read("/etc/passwd"), Err(FileError::Absolute));
        assert_eq!(w.read("C:\\x"), Err(FileError::Absolute));
        assert_eq!(w.read("images"), Err(FileError::IsDirectory));
        assert_eq!(w.read("b.png"), Err(FileError::NotFound));
        assert_eq!(w.read(""), Err(FileError::Invalid));
    }

    #[test]
    fn text_drops_a_byte_order_mark_and_refuses_binary() {
        let w = MemoryWorld::new(Date::from_unix(0))
            .with_file("a.md", "\u{feff}# Hi".as_bytes().to_vec())
            .with_file("b.md", vec![0xff, 0xfe, 0x00]);
        assert_eq!(w.read_text("a.md").as_deref(), Ok("# Hi"));
        assert_eq!(w.read_text("b.md"), Err(FileError::NotText));
    }
}
