//! The real-dependency suite (`e2e/realapps`, see its README): corpus Dockerfiles built with
//! their real dependencies from PyPI and the npm registry, verified with `restage --verify`.
//!
//! Always (when the corpus is there): the suite is what it says it is. At least 12 covered
//! apps, Python and Node; every covered app's Dockerfile is its corpus file byte for byte,
//! and restage rewrites it (else `--verify` has nothing to verify); every app left out says
//! why.
//!
//! With `RESTAGE_REALAPPS=1` (network, tens of minutes; not in `.ci/run`): `run.sh` builds
//! and verifies every covered app, and each verdict and its failed checks must be the ones
//! `expect` in `apps.toml` records (the measured table, judged in the README).

mod support;

use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Deserialize)]
struct Apps {
    app: Vec<App>,
}

#[derive(Deserialize)]
struct App {
    name: String,
    corpus: String,
    #[serde(default = "yes")]
    covered: bool,
    #[serde(default)]
    reason: String,
    /// `same`, or `different: check, check` (the failed checks, in report order).
    #[serde(default)]
    expect: String,
}

fn yes() -> bool {
    true
}

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("e2e/realapps")
}

fn apps() -> Vec<App> {
    let text = std::fs::read_to_string(suite().join("apps.toml")).unwrap();
    toml::from_str::<Apps>(&text).unwrap_or_else(|e| panic!("apps.toml: {e}")).app
}

#[test]
fn the_suite_is_corpus_files_verbatim_that_restage_rewrites() {
    let apps = apps();
    let covered: Vec<&App> = apps.iter().filter(|a| a.covered).collect();
    assert!(covered.len() >= 12, "{} covered apps", covered.len());
    for eco in ["py-", "node-"] {
        assert!(covered.iter().any(|a| a.name.starts_with(eco)), "no {eco} app");
    }
    for a in apps.iter().filter(|a| !a.covered) {
        assert!(!a.reason.is_empty(), "{}: left out without a reason", a.name);
    }
    let Some(corpus) = support::corpus_dir() else {
        eprintln!("SKIPPED: corpus not found (set RESTAGE_CORPUS)");
        return;
    };
    for a in &apps {
        let original = std::fs::read(corpus.join(&a.corpus)).unwrap_or_else(|e| panic!("{}: corpus file {}: {e}", a.name, a.corpus));
        if !a.covered {
            continue;
        }
        let dockerfile = suite().join(&a.name).join("Dockerfile");
        assert!(std::fs::read(&dockerfile).unwrap() == original, "{}: the Dockerfile is not {} verbatim", a.name, a.corpus);
        let out = Command::new(env!("CARGO_BIN_EXE_restage")).args(["--check", "--quiet"]).arg(&dockerfile).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}: restage does not rewrite it: {}", a.name, String::from_utf8_lossy(&out.stderr));
    }
}

/// The verdict and failed checks of a `--verify` JSON report, as `expect` writes them.
fn outcome(report: &Value) -> String {
    let r = &report["verify"][0];
    let verdict = r["verdict"].as_str().unwrap_or("no report");
    let failed: Vec<&str> = r["checks"].as_array().into_iter().flatten().filter(|c| c["verdict"] == "fail").filter_map(|c| c["check"].as_str()).collect();
    if failed.is_empty() { verdict.to_string() } else { format!("{verdict}: {}", failed.join(", ")) }
}

#[test]
fn real_apps_verify_as_recorded() {
    if std::env::var_os("RESTAGE_REALAPPS").is_none_or(|v| v != "1") {
        eprintln!("skipped: RESTAGE_REALAPPS=1 not set (see e2e/realapps/README.md)");
        return;
    }
    let status = Command::new(suite().join("run.sh")).env("RESTAGE", env!("CARGO_BIN_EXE_restage")).status().expect("run.sh runs");
    assert!(status.success(), "run.sh failed");
    let work = std::env::var_os("RESTAGE_REALAPPS_WORK").map_or_else(|| PathBuf::from("/var/tmp/restage-realapps"), PathBuf::from);
    let mut wrong = Vec::new();
    for a in apps().iter().filter(|a| a.covered) {
        let path = work.join("results").join(format!("{}.json", a.name));
        let got = std::fs::read_to_string(&path).ok().and_then(|t| serde_json::from_str::<Value>(&t).ok()).map_or("no report".to_string(), |v| outcome(&v));
        if got != a.expect {
            wrong.push(format!("{}: expected `{}`, got `{got}`", a.name, a.expect));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_outcome_names_the_verdict_and_the_failed_checks() {
    let doc: Value = serde_json::json!({"verify": [{"verdict": "different", "checks": [
        {"check": "env", "verdict": "pass"}, {"check": "libraries", "verdict": "fail"}, {"check": "size", "verdict": "note"}]}]});
    assert_eq!(outcome(&doc), "different: libraries");
    assert_eq!(outcome(&serde_json::json!({"verify": [{"verdict": "same", "checks": []}]})), "same");
    assert_eq!(outcome(&serde_json::json!({"verify": []})), "no report");
}
