//! briefkit's document model: what a briefing pack is, how its files are
//! read and checked, and how they are composed into one [`Document`] that
//! every backend (PDF, EPUB, DOCX) renders.
//!
//! This crate knows nothing about output formats and never touches the
//! filesystem, the environment or the clock: callers hand it file contents
//! through [`PackFiles`] and a fallback date.

pub mod assets;
pub mod chart;
pub mod compose;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod fonts;
pub mod import;
pub mod locale;
pub mod markdown;
pub mod prose;
pub mod statistics;
pub mod text;

pub use assets::{Assets, FontFaces, Rendered};
pub use compose::{compose, ComposeError, ComposeOptions, Composed, PackEntry, PackFiles};
pub use config::{BriefConfig, Format};
pub use diagnostic::{Diagnostic, Location, Severity};
pub use document::*;
pub use locale::Date;
