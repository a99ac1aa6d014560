//! What briefkit needs of the machine it runs on, apart from the engine
//! (as typst-kit is to typst): a pack folder read through the [`World`]
//! door with its boundary kept ([`disk`]), the bundled faces and the search
//! for faces a brief's scripts need ([`bundled`], [`font_search`],
//! [`font_file`]), outputs written without following links and never half
//! written ([`write`]), and findings rendered as rustc-style text or JSON
//! ([`report`]). Nothing here prints; the command line and the Python
//! package decide where text goes.
//!
//! [`World`]: briefkit_model::World

pub mod bundled;
pub mod disk;
pub mod font_file;
pub mod font_search;
pub mod report;
pub mod write;
