//! Writing outputs: never through a symbolic link, never a half-written
//! file. Each file is written to a temporary file created exclusively
//! (`O_EXCL`, an unpredictable name) in the output folder, flushed, then
//! renamed over the target, so a link planted under the target's name or
//! a temporary name cannot send the bytes elsewhere.

use std::io::Write;
use std::path::Path;

/// What stands at a path an output is written to, when it cannot be.
fn refused(path: &Path, meta: &std::fs::Metadata, want_dir: bool) -> Option<String> {
    let kind = meta.file_type();
    if kind.is_symlink() {
        let to = std::fs::read_link(path)
            .map(|t| format!(" (to `{}`)", t.display()))
            .unwrap_or_default();
        Some(format!("is a symbolic link{to}"))
    } else if want_dir && !kind.is_dir() {
        Some("is not a folder".into())
    } else if !want_dir && !kind.is_file() {
        Some("is not a regular file".into())
    } else {
        None
    }
}

/// Why an output may not be written at `path` (a link, or not a regular
/// file), if something is there; `None` if the path is free or a regular
/// file to replace.
pub fn refuse_file(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    refused(path, &meta, false)
}

/// Why `dir` may not be an output folder (a symbolic link, or not a
/// folder), if it exists; `None` if it is a real folder or is missing.
pub fn refuse_folder(dir: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(dir).ok()?;
    refused(dir, &meta, true)
}

/// Makes `dir` (and its parents) unless it is there. A file there is
/// refused, and so is a symbolic link unless `follow_link` (a folder the
/// user named is theirs to make a link; one a pack may have shipped is
/// not).
pub fn make_folder(dir: &Path, follow_link: bool) -> Result<(), String> {
    let why = match refuse_folder(dir) {
        Some(_) if follow_link && dir.is_dir() => None,
        why => why,
    };
    if let Some(why) = why {
        return Err(format!("cannot write into {}: it {why}", dir.display()));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Writes `bytes` to `path` atomically, flushed to the disk before it
/// replaces what was there (a power cut leaves the old file or the new
/// one). A target that is a symbolic link or not a regular file is
/// refused, and nothing is written.
pub fn atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_atomically(path, bytes, true)
}

/// [`atomic`] without the flush, for a cache that is checked when read
/// and made again when wrong or missing (the incremental build's
/// manifest): the flush cost a small brief's build 0.3 to 6 ms of waiting
/// for the disk (strace -T, fsync).
pub fn atomic_cache(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_atomically(path, bytes, false)
}

fn write_atomically(path: &Path, bytes: &[u8], flush: bool) -> Result<(), String> {
    if let Some(why) = refuse_file(path) {
        return Err(format!("cannot write {}: it {why}", path.display()));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let failed = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Read and write for the owner, readable by others, as the umask
        // allows: what `File::create` gives (tempfile's default is 0600).
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(failed)?;
    tmp.write_all(bytes).map_err(failed)?;
    if flush {
        tmp.as_file().sync_all().map_err(failed)?;
    }
    tmp.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}

/// Prints lines on stdout through one buffer; a closed pipe (`| head`) is
/// not an error.
pub fn stdout_lines(lines: impl IntoIterator<Item = String>) -> Result<(), String> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = lines
        .into_iter()
        .try_for_each(|line| writeln!(out, "{line}"))
        .and_then(|()| out.flush());
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write to stdout: {e}")),
    }
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("briefkit-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_link_at_the_target_is_refused_and_its_target_untouched() {
        // The flushed writer and the cache's alike.
        for (kind, write) in [
            ("flushed", atomic as fn(&Path, &[u8]) -> Result<(), String>),
            ("cache", atomic_cache),
        ] {
            let dir = scratch(&format!("link-{kind}"));
            let elsewhere = dir.join("elsewhere.pdf");
            std::fs::write(&elsewhere, b"theirs").unwrap();
            let target = dir.join("out.pdf");
            symlink(&elsewhere, &target).unwrap();
            let e = write(&target, b"ours").unwrap_err();
            assert!(e.contains("is a symbolic link"), "{kind}: {e}");
            assert_eq!(std::fs::read(&elsewhere).unwrap(), b"theirs");
            assert!(std::fs::symlink_metadata(&target)
                .unwrap()
                .file_type()
                .is_symlink());
            // Only the link and its target: no temporary file left.
            assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2, "{kind}");
            // A plain file is replaced whole.
            let plain = dir.join("plain.json");
            std::fs::write(&plain, b"old and longer").unwrap();
            write(&plain, b"new").unwrap();
            assert_eq!(std::fs::read(&plain).unwrap(), b"new", "{kind}");
        }
    }

    #[test]
    fn a_planted_temporary_name_does_not_catch_the_bytes() {
        let dir = scratch("tmp");
        let elsewhere = dir.join("elsewhere");
        std::fs::write(&elsewhere, b"theirs").unwrap();
        // The names the old writer used, and some a guesser might try.
        for name in [
            format!(".out.pdf.{}.tmp", std::process::id()),
            ".out.pdf.tmp".to_string(),
            ".out.pdf.000000.tmp".to_string(),
        ] {
            symlink(&elsewhere, dir.join(name)).unwrap();
        }
        atomic(&dir.join("out.pdf"), b"ours").unwrap();
        assert_eq!(std::fs::read(dir.join("out.pdf")).unwrap(), b"ours");
        assert_eq!(std::fs::read(&elsewhere).unwrap(), b"theirs");
        // The same permissions as a file `File::create` makes.
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(dir.join("plain"), b"").unwrap();
        let mode = |name: &str| {
            std::fs::metadata(dir.join(name))
                .unwrap()
                .permissions()
                .mode()
        };
        assert_eq!(mode("out.pdf"), mode("plain"));
    }

    #[test]
    fn folders_that_are_links_or_files_are_refused() {
        let dir = scratch("folders");
        std::fs::create_dir(dir.join("real")).unwrap();
        symlink(dir.join("real"), dir.join("link")).unwrap();
        std::fs::write(dir.join("file"), b"").unwrap();
        assert_eq!(refuse_folder(&dir.join("real")), None);
        assert_eq!(refuse_folder(&dir.join("missing")), None);
        assert!(refuse_folder(&dir.join("link"))
            .unwrap()
            .contains("symbolic link"));
        assert_eq!(refuse_folder(&dir.join("file")).unwrap(), "is not a folder");
        assert!(make_folder(&dir.join("link"), false).is_err());
        make_folder(&dir.join("link"), true).unwrap();
        assert!(make_folder(&dir.join("file"), true).is_err());
        make_folder(&dir.join("new/deeper"), false).unwrap();
        assert!(dir.join("new/deeper").is_dir());
    }
}
