//! Hashes of files and of a brief's inputs, in hexadecimal.

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes`, in hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A running hash of named pieces (each length-prefixed, so no two lists
/// of pieces hash alike), started with briefkit's version: what a brief
/// is built from, for incremental builds.
pub struct Inputs(Sha256);

impl Default for Inputs {
    fn default() -> Self {
        Self::new()
    }
}

impl Inputs {
    /// Starts with briefkit's version.
    pub fn new() -> Self {
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        Self(h)
    }

    /// Adds a named piece.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> &mut Self {
        self.0.update((name.len() as u64).to_le_bytes());
        self.0.update(name.as_bytes());
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// The hash, in hexadecimal.
    pub fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}
