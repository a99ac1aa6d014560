//! briefkit as a library: the pieces of the command line that other Rust
//! programs and the tests use — [`world::DiskWorld`], the one place a
//! pack's files are read from disk and the pack's boundary is kept, and
//! [`formats::FORMATS`], the table of output formats.

pub mod formats;
pub mod world;
