//! A pack opened for building: its files (a folder on disk, or files held
//! in memory) and, for a `[batch]` pack, its rows — one brief each.

use briefkit_compose::batch::{Row, Rows};
use briefkit_compose::PackEntry;
use briefkit_kit::disk::DiskWorld;
use briefkit_model::{Date, Diagnostic, MemoryWorld, World};
use std::path::{Path, PathBuf};

/// Where a pack's files come from.
enum Files {
    /// A pack folder or Markdown file on disk, read through [`DiskWorld`]
    /// (the pack's boundary kept there).
    Disk(DiskWorld),
    /// Files a program made: no disk is read.
    Memory {
        world: MemoryWorld,
        name: String,
        /// The Markdown file that is the pack, when it is one file.
        entry: Option<String>,
    },
}

/// A pack: a `brief.toml` with its article and statistics (or one
/// Markdown file with front matter), on disk or in memory.
pub struct Pack {
    files: Files,
    rows: Option<Rows>,
}

impl Pack {
    /// The path of a pack file as a user should see it: from where the
    /// command runs for a pack on disk, as the pack names it in memory.
    pub fn display_path(&self, rel: &str) -> String {
        match &self.files {
            Files::Disk(disk) => disk.display_path(rel),
            Files::Memory { .. } => rel.to_string(),
        }
    }
}

/// One brief of a pack: the pack itself, or one row of a batch.
#[derive(Debug, Clone, Copy)]
pub struct Brief<'a> {
    pub(crate) name: &'a str,
    pub(crate) row: Option<&'a Row>,
}

impl<'a> Brief<'a> {
    /// The row of a batch pack this brief is made of.
    pub fn row(&self) -> Option<&'a Row> {
        self.row
    }

    /// The row's key (`None` for a pack that is one brief).
    pub fn key(&self) -> Option<&'a str> {
        self.row.map(|r| r.key.as_str())
    }

    /// The output files' name without extension: the pack's name, and
    /// `-KEY` (made safe for a file name) for a row.
    pub fn file_stem(&self) -> String {
        match self.row {
            Some(row) => format!("{}-{}", self.name, row.file_key()),
            None => self.name.to_string(),
        }
    }
}

impl Pack {
    /// Opens a pack directory or Markdown file; `today` dates a pack that
    /// has no date. A `[batch]` pack's rows file is read now: a broken one
    /// is an error with its findings.
    pub fn open(path: &Path, today: Date) -> Result<Self, crate::Error> {
        let disk = DiskWorld::open(path, today).map_err(crate::Error::Io)?;
        Self::with_files(Files::Disk(disk))
    }

    /// A pack made of files held in memory (`brief.toml`, `article.md`,
    /// `stats.csv`, images, ... by their paths in the pack), named `name`
    /// (the output files' name); `today` dates a pack that has no date.
    /// A pack that is one Markdown file with front matter is `brief.md`
    /// alone (or any single `.md` file and no `brief.toml`).
    pub fn from_files(
        name: &str,
        files: impl IntoIterator<Item = (String, Vec<u8>)>,
        today: Date,
    ) -> Result<Self, crate::Error> {
        let mut world = MemoryWorld::new(today);
        let mut names = Vec::new();
        for (path, bytes) in files {
            briefkit_model::world::check_relative(&path).map_err(|e| {
                crate::Error::Invalid(format!("pack file `{path}` {e}: {}", e.hint()))
            })?;
            // A name that climbs out of the pack could never be read.
            if briefkit_model::world::normalize(&path).is_none() {
                return Err(crate::Error::Invalid(format!(
                    "pack file `{path}` climbs out of the pack with `..`: name it inside the pack"
                )));
            }
            world.insert(&path, bytes);
            names.push(path);
        }
        let entry = if names.iter().any(|n| n == "brief.toml") {
            None
        } else {
            let markdown: Vec<&String> = names
                .iter()
                .filter(|n| n.to_ascii_lowercase().ends_with(".md"))
                .collect();
            match markdown.as_slice() {
                [one] => Some((*one).clone()),
                _ => {
                    return Err(crate::Error::Invalid(
                        "the pack has no brief.toml (and not exactly one Markdown file with front matter)"
                            .into(),
                    ))
                }
            }
        };
        Self::with_files(Files::Memory {
            world,
            name: name.to_string(),
            entry,
        })
    }

    fn with_files(files: Files) -> Result<Self, crate::Error> {
        let mut pack = Self { files, rows: None };
        pack.rows =
            briefkit_compose::compose::batch_rows(pack.world(), pack.entry()).map_err(|d| {
                crate::Error::Pack(crate::PackError::new(vec![d], &|p| pack.display_path(p)))
            })?;
        Ok(pack)
    }

    /// The pack's files as composition reads them.
    pub fn world(&self) -> &dyn World {
        match &self.files {
            Files::Disk(disk) => disk,
            Files::Memory { world, .. } => world,
        }
    }

    /// What kind of pack this is.
    pub fn entry(&self) -> PackEntry<'_> {
        match &self.files {
            Files::Disk(disk) => disk.entry(),
            Files::Memory {
                entry: Some(file), ..
            } => PackEntry::MarkdownFile(file),
            Files::Memory { entry: None, .. } => PackEntry::Directory,
        }
    }

    /// The pack on disk (`None` for a pack in memory).
    pub fn disk(&self) -> Option<&DiskWorld> {
        match &self.files {
            Files::Disk(disk) => Some(disk),
            Files::Memory { .. } => None,
        }
    }

    /// The pack's name: the output files' name.
    pub fn name(&self) -> &str {
        match &self.files {
            Files::Disk(disk) => disk.name(),
            Files::Memory { name, .. } => name,
        }
    }

    /// The pack as a user named it: its path, or its name for a pack in
    /// memory.
    pub fn display(&self) -> String {
        match &self.files {
            Files::Disk(disk) => disk.root_display(),
            Files::Memory { name, .. } => name.clone(),
        }
    }

    /// Where the pack's outputs go by default: `PACK/out/` (`out/` for a
    /// pack in memory).
    pub fn default_out_dir(&self) -> PathBuf {
        match &self.files {
            Files::Disk(disk) => disk.default_out_dir(),
            Files::Memory { .. } => PathBuf::from("out"),
        }
    }

    /// A `[batch]` pack's rows (`None` for a pack that is one brief).
    pub fn rows(&self) -> Option<&Rows> {
        self.rows.as_ref()
    }

    /// Every brief of the pack: one per row of a batch (in the rows
    /// file's order), else the pack itself.
    pub fn briefs(&self) -> Vec<Brief<'_>> {
        let name = self.name();
        match &self.rows {
            Some(rows) => rows
                .rows
                .iter()
                .map(|row| Brief {
                    name,
                    row: Some(row),
                })
                .collect(),
            None => vec![Brief { name, row: None }],
        }
    }

    /// The brief of the row whose key is `key`. For a pack that is not a
    /// batch, or a key no row has, the error says why (listing keys).
    pub fn brief(&self, key: &str) -> Result<Brief<'_>, String> {
        let Some(rows) = &self.rows else {
            return Err("the pack has no [batch] section (it is one brief)".into());
        };
        match rows.rows.iter().find(|r| r.key == key) {
            Some(row) => Ok(Brief {
                name: self.name(),
                row: Some(row),
            }),
            None => {
                let keys: Vec<&str> = rows.rows.iter().take(8).map(|r| r.key.as_str()).collect();
                Err(format!(
                    "no row of {} has the `{}` {key} (keys: {}{})",
                    rows.file,
                    rows.key,
                    keys.join(", "),
                    if rows.rows.len() > 8 { ", ..." } else { "" }
                ))
            }
        }
    }
}

/// A batch row's findings say which row they are about.
pub(crate) fn for_row(diagnostics: &mut [Diagnostic], row: Option<&Row>) {
    if let Some(row) = row {
        let place = format!(
            "{}:{}",
            row.location.path(),
            row.location.line().unwrap_or(1)
        );
        for d in diagnostics {
            d.hints
                .push(format!("in the brief of row `{}` ({place})", row.key));
        }
    }
}
