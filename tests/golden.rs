//! Golden before/after pairs: `tests/golden/<case>/Dockerfile` (+ build-context files,
//! optional `args`, optional `mappings.toml`) must become `expected.Dockerfile`.
//! Every expected output is accepted by BuildKit's parser, idempotent (`--check` exits 0),
//! and has no more hadolint error-level findings than its input.
//! `RESTAGE_BLESS=1 cargo test --test golden` rewrites the expectations (review the diff!).

mod support;

use assert_cmd::Command;
use std::path::Path;

fn args_of(case: &Path) -> Vec<String> {
    let mut a: Vec<String> = std::fs::read_to_string(case.join("args")).unwrap_or_default().split_whitespace().map(String::from).collect();
    if case.join("mappings.toml").exists() {
        a.extend(["--mappings".into(), "mappings.toml".into()]);
    }
    a
}

#[test]
fn golden_pairs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut cases: Vec<_> = std::fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(cases.len() >= 60, "expected the golden corpus, found {}", cases.len());
    let bless = std::env::var_os("RESTAGE_BLESS").is_some();
    let mut failures = Vec::new();
    let mut outputs = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let tmp = tempfile::tempdir().unwrap();
        support::copy_dir(case, tmp.path());
        let _ = std::fs::remove_file(tmp.path().join("expected.Dockerfile"));
        let args = args_of(case);
        Command::cargo_bin("restage").unwrap().current_dir(tmp.path()).args(&args).args(["--write", "Dockerfile"]).assert().code(0);
        let got = std::fs::read(tmp.path().join("Dockerfile")).unwrap();
        let exp_path = case.join("expected.Dockerfile");
        if bless {
            std::fs::write(&exp_path, &got).unwrap();
        }
        let expected = std::fs::read(&exp_path).unwrap_or_else(|_| panic!("{name}: missing expected.Dockerfile (RESTAGE_BLESS=1)"));
        if got != expected {
            failures.push(format!("{name}: output differs from expected.Dockerfile\n--- got ---\n{}", String::from_utf8_lossy(&got)));
            continue;
        }
        // Idempotence: the output is stable.
        let again = Command::cargo_bin("restage").unwrap().current_dir(tmp.path()).args(&args).args(["--check", "Dockerfile"]).output().unwrap();
        if again.status.code() != Some(0) {
            failures.push(format!("{name}: --check on the output exits {:?}", again.status.code()));
        }
        if let (Some(before), Some(after)) = (support::hadolint_errors(&case.join("Dockerfile")), support::hadolint_errors(&exp_path))
            && after > before
        {
            failures.push(format!("{name}: hadolint errors {before} → {after}"));
        }
        outputs.push(exp_path);
    }
    if let Some(bk) = support::buildkit_lines(&outputs) {
        for p in &outputs {
            if bk[p.to_string_lossy().as_ref()]["ok"] != true {
                failures.push(format!("{}: BuildKit rejects the expected output: {}", p.display(), bk[p.to_string_lossy().as_ref()]["error"]));
            }
        }
    } else {
        eprintln!("golden: BuildKit oracle not installed (.venv): acceptance not checked");
    }
    assert!(failures.is_empty(), "{} golden failures:\n{}", failures.len(), failures.join("\n\n"));
}
