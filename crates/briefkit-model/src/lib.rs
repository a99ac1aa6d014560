//! briefkit's document model: the one [`Document`] every backend (PDF,
//! EPUB, DOCX) renders, and what the backends share — diagnostics and
//! their places, the [`World`] door to the host, the theme (colours, type
//! and how each block looks), chart geometry, fonts' measures, the
//! language facts they need and the [`Backend`] a format registers.
//!
//! Reading and composing a pack (settings, statistics, Markdown, batch
//! rows) is `briefkit-compose`'s, above this crate: the backends compile
//! beside composition, not after it.
//!
//! This crate knows nothing about output formats and never touches the
//! filesystem, the environment or the clock.

pub mod assets;
pub mod backend;
pub mod characters;
pub mod chart;
pub mod diagnostic;
pub mod document;
pub mod fonts;
pub mod locale;
pub mod text;
pub mod theme;
pub mod world;

pub use assets::{
    Assets, Attachment, ExtraFace, FontFaces, RenderOptions, RenderedFile, RenderedPart,
};
pub use backend::{Backend, Job, RenderError, SettingError, Settings};
pub use diagnostic::{Diagnostic, Location, Piece, Severity, SourceText, Span};
pub use document::*;
pub use locale::Date;
pub use world::{FileError, MemoryWorld, World};
