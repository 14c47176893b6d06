//! Shared helpers: the BuildKit / hadolint oracles from the venv that `.ci/run` creates.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Python of the oracle venv (`RESTAGE_ORACLE`, else `.venv/bin/python`), if present.
pub fn oracle_python() -> Option<PathBuf> {
    optional_input("RESTAGE_ORACLE", ".venv/bin/python", "RESTAGE_REQUIRE_ORACLE", "the oracle venv python")
}

/// A path from `var` (else `default`, relative to the crate), if it exists; missing while
/// `require` is set is a failure, not a skip.
fn optional_input(var: &str, default: &str, require: &str, what: &str) -> Option<PathBuf> {
    let p = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(default));
    if p.exists() {
        return Some(p);
    }
    if std::env::var_os(require).is_some() {
        panic!("{require} is set but {what} {} is missing", p.display());
    }
    None
}

/// Writes `files` (path relative to `dir`, content), creating folders.
pub fn write_tree(dir: &Path, files: &[(&str, &str)]) {
    for (p, s) in files {
        let f = dir.join(p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, s).unwrap();
    }
}

/// BuildKit's instruction line ranges per file, or its error.
pub fn buildkit_lines(files: &[PathBuf]) -> Option<serde_json::Value> {
    let py = oracle_python()?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/buildkit_lines.py");
    let mut all = serde_json::Map::new();
    for chunk in files.chunks(200) {
        let out = Command::new(&py).arg(&script).args(chunk).output().expect("run oracle");
        assert!(out.status.success(), "oracle failed: {}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        all.extend(v.as_object().unwrap().clone());
    }
    Some(serde_json::Value::Object(all))
}

/// Number of hadolint error-level findings for a file (None when hadolint is not installed).
pub fn hadolint_errors(file: &Path) -> Option<usize> {
    let py = oracle_python()?;
    let bin = py.parent()?.join("hadolint");
    if !bin.exists() {
        return None;
    }
    let out = Command::new(bin).args(["--no-fail", "-f", "json"]).arg(file).output().ok()?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    Some(v.as_array()?.iter().filter(|f| f["level"] == "error").count())
}

pub fn corpus_dir() -> Option<PathBuf> {
    optional_input("RESTAGE_CORPUS", "../shared/corpus", "RESTAGE_REQUIRE_CORPUS", "the corpus").filter(|p| p.is_dir())
}

pub fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in walk(dir) {
        let name = e.file_name().unwrap().to_string_lossy().to_string();
        if name != "MANIFEST.tsv" && name != "README.md" {
            v.push(e);
        }
    }
    v.sort();
    v
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() { v.extend(walk(&p)) } else { v.push(p) }
    }
    v
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &t)
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}
