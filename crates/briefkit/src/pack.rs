//! A pack on disk: the [`PackFiles`] door the model reads through.
//! Keeps what it read, so diagnostics can quote the lines they point at.

use briefkit_model::{Document, PackEntry, PackFiles};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A pack directory, or a single Markdown file in its directory.
pub struct DiskPack {
    root: PathBuf,
    file: Option<String>,
    name: String,
    read: RefCell<BTreeMap<String, String>>,
}

impl DiskPack {
    /// Opens a pack path; a missing path is an I/O error.
    pub fn open(path: &Path) -> Result<Self, String> {
        let meta = std::fs::metadata(path)
            .map_err(|e| format!("cannot open pack {}: {e}", path.display()))?;
        if meta.is_dir() {
            let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            let name = abs
                .file_name()
                .map_or_else(|| "brief".to_string(), |n| n.to_string_lossy().into_owned());
            Ok(Self {
                root: path.to_path_buf(),
                file: None,
                name,
                read: RefCell::default(),
            })
        } else {
            let root = path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let root = if root.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                root
            };
            let file = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let name = path
                .file_stem()
                .map_or_else(|| "brief".to_string(), |n| n.to_string_lossy().into_owned());
            Ok(Self {
                root,
                file: Some(file),
                name,
                read: RefCell::default(),
            })
        }
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
        let joined = self.root.join(rel);
        if joined.exists() || self.read.borrow().contains_key(rel) {
            joined.display().to_string()
        } else {
            rel.to_string()
        }
    }

    /// A file's text if it was read during composition.
    pub fn text_of(&self, rel: &str) -> Option<String> {
        self.read.borrow().get(rel).cloned()
    }

    /// The first place `needle` occurs in the files read so far, the
    /// article (or single Markdown file) first.
    pub fn locate(&self, needle: &str) -> Option<briefkit_model::Location> {
        let read = self.read.borrow();
        let first = self.file.as_deref().unwrap_or("article.md");
        let order = read
            .get_key_value(first)
            .into_iter()
            .chain(read.iter().filter(|(name, _)| name.as_str() != first));
        for (name, text) in order {
            if let Some(offset) = text.find(needle) {
                let (line, column) = briefkit_model::diagnostic::line_col(text, offset);
                return Some(briefkit_model::Location::at(name.clone(), line, column));
            }
        }
        None
    }

    /// Reads a binary file of the pack.
    pub fn read_bytes(&self, rel: &str) -> Result<Vec<u8>, String> {
        let path = self.root.join(rel);
        std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    }

    /// Reads the bytes of every local image the document uses.
    pub fn read_images(&self, doc: &Document) -> Result<BTreeMap<String, Vec<u8>>, String> {
        let mut out = BTreeMap::new();
        let srcs: Vec<String> = doc.images().into_iter().map(|i| i.src.clone()).collect();
        for src in srcs {
            if src.contains("://") || out.contains_key(&src) {
                continue;
            }
            let path = self.root.join(&src);
            let bytes = std::fs::read(&path)
                .map_err(|e| format!("cannot read image {}: {e}", path.display()))?;
            out.insert(src, bytes);
        }
        Ok(out)
    }
}

impl PackFiles for DiskPack {
    fn read_to_string(&self, path: &str) -> std::io::Result<String> {
        let text = std::fs::read_to_string(self.root.join(path))?;
        self.read
            .borrow_mut()
            .insert(path.to_string(), text.clone());
        Ok(text)
    }

    fn exists(&self, path: &str) -> bool {
        self.root.join(path).is_file()
    }
}
