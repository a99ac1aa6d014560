//! What briefkit's tests share: the workspace's packs and scratch
//! directories and the `briefkit` command ([`command`]), packs composed in
//! memory ([`composed`]), and the real validators and readers
//! ([`readers`]: qpdf, poppler, EPUBCheck, LibreOffice, pandoc,
//! openxml-audit, pdf.js, PDFium, Chromium), which fail a test when missing
//! rather than let it pass. A test crate, so it panics on purpose when
//! something is wrong.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod command;
pub mod composed;
pub mod readers;

pub use command::*;
pub use composed::*;
pub use readers::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
