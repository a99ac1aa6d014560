//! briefkit as a library: the pieces of the command line that other Rust
//! programs and the tests use — above all [`world::DiskWorld`], the one
//! place a pack's files are read from disk and the pack's boundary is kept.

pub mod world;
