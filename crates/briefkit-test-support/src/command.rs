//! The workspace's packs and scratch folders, and the `briefkit` command
//! run on them.

use super::*;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The example pack.
pub fn example() -> PathBuf {
    root().join("examples/mexico-trafficking")
}

/// The example pack `examples/NAME`.
pub fn example_named(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

/// A fresh scratch directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `briefkit` binary Cargo built beside the running test
/// (`target/<profile>/briefkit`; a test runs from `target/<profile>/deps`).
pub fn briefkit_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .expect("a test binary lives in target/<profile>/deps");
    let bin = profile.join(format!("briefkit{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "{} is missing: run the tests with `cargo test --workspace`",
        bin.display()
    );
    bin
}

/// Runs `briefkit ARGS` with a fixed environment: no colour, no
/// `SOURCE_DATE_EPOCH`, and the tests' own cache folder (the key that seals
/// incremental builds' manifests).
pub fn briefkit(args: &[&str]) -> Output {
    briefkit_with(args, &[])
}

/// [`briefkit`] with more environment variables (`BRIEFKIT_CACHE_DIR`, to
/// be another user).
pub fn briefkit_with(args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(briefkit_bin());
    command
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .env("BRIEFKIT_CACHE_DIR", root().join("target/test-cache"));
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run briefkit")
}

/// Every entry under `dir`, links not followed, with what it is: a file's
/// SHA-256, a link's target, `dir` for a folder. Entries under `skip`
/// (an output folder) are left out. Compare two to see that nothing was
/// written, changed or removed.
pub fn tree(dir: &Path, skip: &Path) -> BTreeMap<PathBuf, String> {
    use sha2::Digest;
    let mut out = BTreeMap::new();
    let mut queue = vec![dir.to_path_buf()];
    while let Some(d) = queue.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.starts_with(skip) {
                continue;
            }
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let what = if meta.file_type().is_symlink() {
                format!("link to {}", std::fs::read_link(&path).unwrap().display())
            } else if meta.is_dir() {
                queue.push(path.clone());
                "dir".to_string()
            } else if meta.is_file() {
                let bytes = std::fs::read(&path).unwrap();
                format!("{:x}", sha2::Sha256::digest(&bytes))
            } else {
                "special".to_string()
            };
            out.insert(path, what);
        }
    }
    out
}

/// Builds `pack` into `out` and asserts success.
pub fn build(pack: &Path, out: &Path) {
    let o = briefkit(&["build", pack.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Copies a pack directory (files only, one level plus images/).
pub fn copy_pack(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let p = entry.path();
        if p.is_file() {
            std::fs::copy(&p, to.join(entry.file_name())).unwrap();
        } else if p.is_dir() && entry.file_name() != "out" {
            copy_pack(&p, &to.join(entry.file_name()));
        }
    }
}

/// A long synthetic report from `scripts/synthetic_report.py` (the
/// generator the benchmark uses too): sections of varied paragraphs with
/// statistics, footnotes and unbreakable URLs, subsections, nested lists,
/// quotes and tables longer than a page. About 1.15 sections a page.
pub fn long_report(dir: &Path, sections: usize) {
    long_report_with(dir, sections, false);
}

/// [`long_report`], with a table of contents if `toc`.
pub fn long_report_with(dir: &Path, sections: usize, toc: bool) {
    let script = root().join("scripts/synthetic_report.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(dir)
        .args(["--sections", &sections.to_string()])
        .args(if toc { &["--toc"][..] } else { &[] })
        .output()
        .expect("python3 runs scripts/synthetic_report.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Appends a paragraph of Markdown to the pack's `article.md`.
pub fn append_to_article(pack: &Path, markdown: &str) {
    let path = pack.join("article.md");
    let md = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{md}\n\n{markdown}\n")).unwrap();
}

/// A copy of the `yaml-image` fixture pack whose image has no alt text.
pub fn pack_without_alt_text(name: &str) -> PathBuf {
    let pack = scratch(name).join("pack");
    copy_pack(&root().join("tests/fixtures/packs/yaml-image"), &pack);
    let article = pack.join("article.md");
    let text = std::fs::read_to_string(&article).unwrap();
    let bare = text.replace("![Map of the three towns with the shelters marked]", "![]");
    assert_ne!(bare, text, "the fixture's image changed");
    std::fs::write(&article, bare).unwrap();
    pack
}

/// `briefkit check PACK --format json`: its exit code and the findings,
/// one JSON record a line.
pub fn check_findings(pack: &Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let o = briefkit(&["check", pack.to_str().unwrap(), "--format", "json"]);
    let records = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (o.status.code(), records)
}

/// Builds the PDF of `pack` into `out` (`briefkit build PACK -f pdf -o
/// OUT EXTRA...`), asserts success, and returns the PDF written (the one
/// PDF in `out`) and what was printed.
pub fn build_pdf(pack: &Path, out: &Path, extra: &[&str]) -> (PathBuf, String) {
    let mut args = vec!["-f", "pdf"];
    args.extend_from_slice(extra);
    let o = briefkit_build(pack, out, &args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    let pdfs: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), 1, "{pdfs:?}");
    (pdfs[0].clone(), err)
}

/// Runs `briefkit build PACK -o OUT EXTRA...`.
pub fn briefkit_build(pack: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", pack.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    briefkit(&args)
}
