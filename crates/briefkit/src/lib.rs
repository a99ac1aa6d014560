//! briefkit as a library: open a pack, go through its briefs (one, or one
//! per row of a `[batch]` pack), build each to bytes or to files, and get
//! its findings as values. The `briefkit` command line is a thin layer
//! over it.
//!
//! ```
//! use briefkit::{Briefkit, Options, Pack, Date};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
//! // What every brief shares: templates, fonts, the statistics read.
//! let kit = Briefkit::new(Options {
//!     formats: vec![briefkit::formats::by_name("pdf").unwrap()],
//!     ..Options::default()
//! })?;
//! // A batch pack: one brief per row of its rows file.
//! let pack = Pack::open(&examples.join("country-briefs"), Date::from_unix(0))?;
//! let out = std::env::temp_dir().join("briefkit-doctest");
//! for brief in pack.briefs() {
//!     match kit.render(&pack, &brief) {
//!         Ok(rendered) => {
//!             for w in &rendered.warnings {
//!                 eprintln!("{}: {}", brief.key().unwrap_or("-"), w.message);
//!             }
//!             let pdf = rendered.file("pdf").unwrap();
//!             assert!(pdf.bytes.starts_with(b"%PDF-"));
//!             rendered.write_to(&out)?; // out/country-briefs-HND.pdf, ...
//!         }
//!         // The pack's errors, each with file, line, column and hints;
//!         // `Display` prints them as the command line does.
//!         Err(e) => eprintln!("{e}"),
//!     }
//! }
//! assert!(out.join("country-briefs-HND.pdf").is_file());
//!
//! // A pack made in memory: no folder needed.
//! let pack = Pack::from_files(
//!     "note",
//!     [
//!         ("brief.toml".to_string(), b"[brief]\ntitle = \"A note\"\nstatistics = \"stats.csv\"\n".to_vec()),
//!         ("article.md".to_string(), b"In 2025, {{stat \"people\"}} were helped.\n".to_vec()),
//!         ("stats.csv".to_string(), b"id,value,unit,label,source\npeople,120,people,People helped,IOM\n".to_vec()),
//!     ],
//!     Date::from_unix(0),
//! )?;
//! let brief = pack.briefs()[0];
//! let found = kit.check(&pack, &brief)?;
//! assert!(found.iter().all(|d| !d.is_error()), "{found:?}");
//! # Ok(())
//! # }
//! ```

pub mod data;
pub mod formats;
pub mod hash;
pub mod inputs;
pub mod pack;
pub mod render;
pub mod templates;
pub mod verify;

pub use briefkit_compose::batch::{Row, Rows};
pub use briefkit_model::{Date, Diagnostic, Location, Severity, SourceText, Span};
pub use briefkit_pdf::{PdfStandard, PdfStandards};
pub use pack::{Brief, Pack};
pub use render::{Briefkit, Error, Options, OutputFile, PackError, Rendered, Written};
