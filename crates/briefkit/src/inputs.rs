//! What a brief read: every pack file (and folder listing) composition and
//! font selection asked the [`World`] for, with the SHA-256 of what came
//! back. These, and nothing else of the pack, are the brief's inputs: an
//! incremental build asks the world again and compares, so an edited file
//! anywhere (a dot-folder, seven folders down) is seen, and a file the
//! brief never read (a FIFO, a link to `/dev/zero`) is never touched.

use briefkit_model::{Date, FileError, World};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex, PoisonError};

/// How a file was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// Its bytes.
    Bytes,
    /// Its text (UTF-8, without a byte-order mark).
    Text,
    /// The files of a folder.
    List,
}

/// One thing a brief read and what it got.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Input {
    /// The path as the pack named it.
    pub path: String,
    /// How it was asked for.
    pub access: Access,
    /// The SHA-256 of the bytes, text or listing (one path a line), or
    /// why it could not be read (`!` and the reason): a missing file is an
    /// input too.
    pub sha256: String,
}

impl Input {
    /// Asks `world` for the input again: what it gets now.
    pub fn read_again(&self, world: &dyn World) -> Input {
        let sha256 = outcome(match self.access {
            Access::Bytes => world.read(&self.path).map(|b| crate::hash::sha256_hex(&b)),
            Access::Text => world
                .read_text(&self.path)
                .map(|t| crate::hash::sha256_hex(t.as_bytes())),
            Access::List => world.list(&self.path).map(|l| listing_hash(&l)),
        });
        Input {
            sha256,
            ..self.clone()
        }
    }
}

fn outcome(result: Result<String, FileError>) -> String {
    result.unwrap_or_else(|e| format!("!{e}"))
}

fn listing_hash(list: &[String]) -> String {
    crate::hash::sha256_hex(list.join("\n").as_bytes())
}

/// The hashes of the large files briefs read, kept with their bytes: the
/// briefs of a batch read the same statistics file (a dataset, perhaps),
/// which is then hashed once and compared byte for byte after.
#[derive(Default)]
pub struct Hashes {
    files: Kept<[u8]>,
    /// Texts, kept as shared: the same copy again is known by its address.
    texts: Kept<str>,
}

/// Large files read, with their hashes: (path, content, SHA-256).
type Kept<T> = Mutex<Vec<(String, Arc<T>, String)>>;

impl Hashes {
    /// Files smaller than this are hashed each time (it is as quick).
    const LARGE: usize = 64 * 1024;
    /// How many large files are kept.
    const KEPT: usize = 8;

    /// The SHA-256 of `bytes`, read from `path`.
    fn sha256(&self, path: &str, bytes: &[u8]) -> String {
        Self::hash_kept(
            &self.files,
            path,
            bytes,
            |k| **k == *bytes,
            || Arc::from(bytes),
        )
    }

    /// The SHA-256 of the text of `path`.
    fn sha256_text(&self, path: &str, text: &Arc<str>) -> String {
        Self::hash_kept(
            &self.texts,
            path,
            text.as_bytes(),
            |k| Arc::ptr_eq(k, text) || **k == **text,
            || text.clone(),
        )
    }

    /// The SHA-256 of `bytes` (the content of `path`): hashed each time
    /// when small, else taken from `kept` when an entry of the path is the
    /// `same`, else hashed and kept (the content as `keep` makes it).
    fn hash_kept<T: ?Sized>(
        kept: &Kept<T>,
        path: &str,
        bytes: &[u8],
        same: impl Fn(&Arc<T>) -> bool,
        keep: impl FnOnce() -> Arc<T>,
    ) -> String {
        if bytes.len() < Self::LARGE {
            return crate::hash::sha256_hex(bytes);
        }
        let mut kept = kept.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, _, sha)) = kept.iter().find(|(p, k, _)| p == path && same(k)) {
            return sha.clone();
        }
        let sha = crate::hash::sha256_hex(bytes);
        if kept.len() >= Self::KEPT {
            kept.remove(0);
        }
        kept.push((path.to_string(), keep(), sha.clone()));
        sha
    }
}

/// A world that notes everything read through it.
pub struct Recorder<'w> {
    world: &'w dyn World,
    hashes: &'w Hashes,
    read: Mutex<Vec<Input>>,
}

impl<'w> Recorder<'w> {
    /// Records what is read of `world` (hashing large files through
    /// `hashes`, which briefs may share).
    pub fn new(world: &'w dyn World, hashes: &'w Hashes) -> Self {
        Self {
            world,
            hashes,
            read: Mutex::default(),
        }
    }

    fn note(&self, path: &str, access: Access, sha256: String) {
        self.read
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Input {
                path: path.to_string(),
                access,
                sha256,
            });
    }

    /// What was read, each once, sorted.
    pub fn into_inputs(self) -> Vec<Input> {
        let mut read = self
            .read
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        read.sort();
        read.dedup();
        read
    }
}

impl World for Recorder<'_> {
    fn read(&self, path: &str) -> Result<Vec<u8>, FileError> {
        let got = self.world.read(path);
        let hash = got.as_ref().map(|b| self.hashes.sha256(path, b));
        self.note(path, Access::Bytes, outcome(hash.map_err(Clone::clone)));
        got
    }

    fn read_text(&self, path: &str) -> Result<Arc<str>, FileError> {
        let got = self.world.read_text(path);
        let hash = got.as_ref().map(|t| self.hashes.sha256_text(path, t));
        self.note(path, Access::Text, outcome(hash.map_err(Clone::clone)));
        got
    }

    fn list(&self, dir: &str) -> Result<Vec<String>, FileError> {
        let got = self.world.list(dir);
        let hash = got.as_ref().map(|l| listing_hash(l));
        self.note(dir, Access::List, outcome(hash.map_err(Clone::clone)));
        got
    }

    fn today(&self) -> Date {
        self.world.today()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use briefkit_model::MemoryWorld;

    #[test]
    fn what_was_read_is_read_again_and_compared() {
        let world = MemoryWorld::new(Date::from_unix(0))
            .with_file("a.md", "alpha")
            .with_file("fonts/x.ttf", vec![1, 2]);
        let hashes = Hashes::default();
        let recorder = Recorder::new(&world, &hashes);
        recorder.read_text("a.md").unwrap();
        recorder.read_text("a.md").unwrap();
        recorder.read("missing.png").unwrap_err();
        recorder.list("fonts").unwrap();
        let inputs = recorder.into_inputs();
        assert_eq!(inputs.len(), 3, "{inputs:?}");
        assert!(inputs.iter().all(|i| i.read_again(&world) == *i));
        let missing = inputs.iter().find(|i| i.path == "missing.png").unwrap();
        assert_eq!(missing.sha256, "!does not exist");
        // A large file is hashed once, then compared: the same hash, and
        // a changed one hashed anew.
        let big = "x".repeat(100_000);
        let one = hashes.sha256("s.csv", big.as_bytes());
        assert_eq!(hashes.sha256("s.csv", big.as_bytes()), one);
        assert_eq!(one, crate::hash::sha256_hex(big.as_bytes()));
        let other = big.replacen('x', "y", 1);
        assert_eq!(
            hashes.sha256("s.csv", other.as_bytes()),
            crate::hash::sha256_hex(other.as_bytes())
        );
        // An edit, a new file where one was missing, a new font: each seen.
        let edited = world
            .clone()
            .with_file("a.md", "beta")
            .with_file("missing.png", vec![0])
            .with_file("fonts/y.ttf", vec![3]);
        assert!(inputs.iter().all(|i| i.read_again(&edited) != *i));
    }
}
