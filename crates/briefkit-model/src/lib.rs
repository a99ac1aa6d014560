//! briefkit's document model: what a briefing pack is, how its files are
//! read and checked, and how they are composed into one [`Document`] that
//! every backend (PDF, EPUB, DOCX) renders.
//!
//! This crate knows nothing about output formats and never touches the
//! filesystem, the environment or the clock: everything it learns from the
//! host comes through one door, the [`World`] trait.

pub mod assets;
pub mod backend;
pub mod batch;
pub mod characters;
pub mod chart;
pub mod compose;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod fonts;
pub mod link;
pub mod locale;
pub mod markdown;
pub mod picture;
pub mod prose;
pub mod statistics;
pub mod text;
pub mod theme;
pub mod world;
mod yaml;

pub use assets::{Assets, ExtraFace, FontFaces, RenderOptions, RenderedFile};
pub use backend::{Backend, Job, RenderError, SettingError, Settings};
pub use compose::{compose, ComposeError, ComposeOptions, Composed, PackEntry};
pub use config::BriefConfig;
pub use diagnostic::{Diagnostic, Location, Severity};
pub use document::*;
pub use locale::Date;
pub use world::{FileError, MemoryWorld, World};
