//! The real-world corpus (`../shared/corpus`, or `RESTAGE_CORPUS`), against BuildKit's parser:
//! - for every file BuildKit accepts, our instruction line ranges equal BuildKit's and the
//!   document reassembles byte-identical;
//! - under each of the six families, `restage --write` never errors on such a file, leaves
//!   every file it does not rewrite byte-identical, produces output BuildKit accepts, loses no
//!   comment line, and is idempotent (`--check` exits 0 on its output).
//!
//! Without the corpus the tests say they were skipped; `.ci/run` sets RESTAGE_REQUIRE_CORPUS.

mod support;

use assert_cmd::Command;
use restage::document::Document;

#[test]
fn instruction_lines_match_buildkit() {
    let Some(dir) = support::corpus_dir() else {
        eprintln!("SKIPPED: corpus not found (set RESTAGE_CORPUS)");
        return;
    };
    let files = support::corpus_files(&dir);
    assert!(files.len() >= 200, "corpus has {} files", files.len());
    let Some(bk) = support::buildkit_lines(&files) else {
        eprintln!("SKIPPED: BuildKit oracle venv not found (.venv)");
        return;
    };
    let mut accepted = 0;
    for f in &files {
        let b = &bk[f.to_string_lossy().as_ref()];
        if b["ok"] != true {
            continue;
        }
        accepted += 1;
        let text = std::fs::read_to_string(f).unwrap();
        let doc = Document::parse(text.as_str()).unwrap_or_else(|e| panic!("{}:{}:{}: {}", f.display(), e.line, e.column, e.message));
        let ours: Vec<[usize; 2]> = doc.instructions.iter().map(|i| [i.start_line, i.end_line]).collect();
        let theirs: Vec<[usize; 2]> = serde_json::from_value(b["lines"].clone()).unwrap();
        assert_eq!(ours, theirs, "{}", f.display());
        assert_eq!(doc.reassemble(), text, "{}", f.display());
    }
    eprintln!("corpus: {accepted}/{} files accepted by BuildKit, all line ranges equal", files.len());
}

#[test]
fn write_under_every_family() {
    let Some(dir) = support::corpus_dir() else {
        eprintln!("SKIPPED: corpus not found (set RESTAGE_CORPUS)");
        return;
    };
    let files = support::corpus_files(&dir);
    let bk = support::buildkit_lines(&files);
    for family in ["upstream", "distroless", "minimus", "chainguard", "dhi", "ubi"] {
        let tmp = tempfile::tempdir().unwrap();
        support::copy_dir(&dir, tmp.path());
        let copies: Vec<_> = files.iter().map(|f| tmp.path().join(f.strip_prefix(&dir).unwrap())).collect();
        let out = Command::cargo_bin("restage").unwrap().args(["--to", family, "--write", "--format", "json"]).args(&copies).output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut rewritten = Vec::new();
        for (orig, (copy, entry)) in files.iter().zip(copies.iter().zip(v["files"].as_array().unwrap())) {
            assert_eq!(entry["path"].as_str().unwrap(), copy.to_string_lossy(), "results in path order");
            let before = std::fs::read(orig).unwrap();
            let after = std::fs::read(copy).unwrap();
            let accepted = bk.as_ref().is_none_or(|b| b[orig.to_string_lossy().as_ref()]["ok"] == true);
            if accepted {
                assert_ne!(entry["status"], "error", "{family}: {} errors: {}", orig.display(), entry["error"]);
            }
            if entry["status"] != "rewritten" {
                assert_eq!(before, after, "{family}: {} changed without a rewrite", orig.display());
                continue;
            }
            let (b, a) = (String::from_utf8_lossy(&before), String::from_utf8_lossy(&after));
            let kept: std::collections::HashSet<&str> = a.lines().map(str::trim_end).collect();
            for l in b.lines().filter(|l| l.trim_start().starts_with('#')) {
                assert!(kept.contains(l.trim_end()), "{family}: {} lost comment {l:?}", orig.display());
            }
            rewritten.push(copy.clone());
        }
        assert!(!rewritten.is_empty(), "{family}: nothing rewritten");
        let again = Command::cargo_bin("restage").unwrap().args(["--to", family, "--check", "--quiet"]).args(&copies).output().unwrap();
        assert_eq!(again.status.code(), Some(0), "{family}: second run would change files");
        if let Some(out_bk) = support::buildkit_lines(&rewritten) {
            for p in &rewritten {
                assert_eq!(out_bk[p.to_string_lossy().as_ref()]["ok"], true, "{family}: BuildKit rejects the rewrite of {}", p.display());
            }
        }
        eprintln!("{family}: {} of {} files rewritten; BuildKit accepts all, idempotent", rewritten.len(), files.len());
    }
}
