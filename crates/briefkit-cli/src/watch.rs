//! `briefkit watch`: build, then build again on every change to the pack.
//! The watching itself ([`on_change`]) serves `briefkit serve` too.

use crate::build::{self, BuildArgs};
use crate::Failure;
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Changes closer together than this are one save (editors write a file in
/// several steps).
const SETTLE: Duration = Duration::from_millis(30);

/// Builds `pack`, then watches its folder and builds again after every
/// change (the output folder, manifests and hidden files aside), until
/// interrupted.
/// Unchanged briefs are fresh, so a save rebuilds only what it touched; a
/// save with errors prints them and writes nothing, so the last good
/// outputs stay.
pub fn watch(pack: &Path, kit: &briefkit::Briefkit, args: &BuildArgs<'_>) -> Result<(), Failure> {
    let root = pack_root(pack)?;
    let out = args.out.map_or_else(|| root.join("out"), Path::to_path_buf);
    let out = std::fs::canonicalize(&out).unwrap_or(out);
    // With `-o PACK` the outputs are the pack's own files: those of the
    // formats built are left out by extension.
    let formats = if kit.options().formats.is_empty() {
        briefkit::formats::FORMATS
            .iter()
            .copied()
            .filter(|f| f.default)
            .collect()
    } else {
        kit.options().formats.clone()
    };
    let extensions: Vec<&str> = formats.iter().map(|f| f.extension).collect();
    let build_once = || {
        let started = Instant::now();
        let result = build::build(&[pack.to_path_buf()], kit, args);
        eprintln!(
            "[watch] {} in {} ms; waiting for changes to {} (Ctrl-C stops)",
            if result.is_ok() {
                "built"
            } else {
                "errors: the last good outputs stay"
            },
            started.elapsed().as_millis(),
            root.display()
        );
    };
    build_once();
    on_change(&root, &out, &extensions, build_once)
}

/// The folder a pack lives in (the pack itself, or a Markdown file's
/// folder), made absolute.
pub fn pack_root(pack: &Path) -> Result<PathBuf, Failure> {
    let root = if pack.is_dir() {
        pack.to_path_buf()
    } else {
        pack.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| ".".into(), Path::to_path_buf)
    };
    std::fs::canonicalize(&root)
        .map_err(|e| Failure::Io(format!("cannot watch {}: {e}", root.display())))
}

/// Calls `changed` after every change under `root` (a save's burst of
/// events is one call), until the watcher stops. The output folder `out`,
/// version control, briefkit's manifests and hidden files (an editor's
/// swap file, briefkit's temporary files) do not count; when `out` is
/// `root`, neither do files with the `output_extensions`.
pub fn on_change(
    root: &Path,
    out: &Path,
    output_extensions: &[&str],
    mut changed: impl FnMut(),
) -> Result<(), Failure> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let _ = tx.send(event);
    })
    .map_err(|e| Failure::Io(format!("cannot watch {}: {e}", root.display())))?;
    watcher
        .watch(root, RecursiveMode::Recursive)
        .map_err(|e| Failure::Io(format!("cannot watch {}: {e}", root.display())))?;
    let relevant = |event: &notify::Event| {
        matches!(
            event.kind,
            notify::EventKind::Create(_)
                | notify::EventKind::Modify(_)
                | notify::EventKind::Remove(_)
        ) && event.paths.iter().any(|p| {
            // An article may live in a dot-folder (`.src/article.md`).
            let inside = p.strip_prefix(root).unwrap_or(p);
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            let tooling = inside
                .components()
                .any(|c| matches!(c.as_os_str().to_str(), Some(".git" | ".briefkit")));
            let output = if out == root {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| output_extensions.contains(&e))
            } else {
                p.starts_with(out)
            };
            !(hidden || tooling || output)
        })
    };
    loop {
        // Wait for a change, then for the save to settle.
        let Ok(event) = rx.recv() else {
            return Ok(());
        };
        if !event.is_ok_and(|e| relevant(&e)) {
            continue;
        }
        while let Ok(more) = rx.recv_timeout(SETTLE) {
            drop(more);
        }
        changed();
    }
}
