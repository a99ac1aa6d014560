//! Reading a briefing pack and composing it into one
//! [`briefkit_model::Document`]: the settings (`brief.toml` or front
//! matter), the statistics file, batch rows, the article's Markdown and its
//! templates, the prose checks, numbers and dates in the brief's language,
//! and the staged composition that ties them together.
//!
//! Every file comes through the [`briefkit_model::World`]; nothing here
//! touches the filesystem, the environment or the clock.

pub mod batch;
pub mod compose;
pub mod config;
pub mod link;
pub mod markdown;
pub mod numbers;
pub mod period;
pub mod picture;
pub mod places;
pub mod prose;
pub mod statistics;
pub mod words;
mod yaml;

pub use compose::{compose, ComposeError, ComposeOptions, Composed, PackEntry};
pub use config::BriefConfig;
