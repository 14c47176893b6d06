//! End-to-end: restage rewrites each fixture app of `e2e/fixtures/`, and `restage --verify`
//! builds and runs the original and the rewritten image with podman, offline, on base
//! images fabricated by `e2e/fabricate-images.sh` (no registry).
//!
//! Runs when `RESTAGE_E2E=1` (set by `.ci/run` after fabricating the images, with the
//! engine configuration of `e2e/engine-env.sh` exported); otherwise each test says it was
//! skipped. With `RESTAGE_E2E=1`, a missing engine or image is a failure, not a skip.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn enabled() -> bool {
    if std::env::var_os("RESTAGE_E2E").is_some_and(|v| v == "1") {
        return true;
    }
    eprintln!("skipped: RESTAGE_E2E=1 not set (see e2e/README.md)");
    false
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("e2e/fixtures").join(name)
}

struct Run {
    code: i32,
    json: Value,
    stderr: String,
    pid: u32,
}

/// `restage --verify --format json` on `dockerfile`, offline, with extra flags.
fn verify(dockerfile: &Path, extra: &[&str]) -> Run {
    verify_with("podman", dockerfile, extra)
}

fn verify_with(engine: &str, dockerfile: &Path, extra: &[&str]) -> Run {
    let child = Command::new(env!("CARGO_BIN_EXE_restage"))
        .args(["--verify", "--engine", engine, "--pull", "never", "--network", "none", "--format", "json"])
        .args(if extra.contains(&"--timeout") { &[][..] } else { &["--timeout", "20"][..] })
        .args(extra)
        .arg(dockerfile)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("restage runs");
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("no JSON report ({e}):\n{stdout}\n{stderr}"));
    assert_follows_schema(&json);
    Run { code: out.status.code().unwrap_or(-1), json, stderr, pid }
}

/// The report follows `docs/restage-verify.schema.json` (when the oracle venv is there).
fn assert_follows_schema(doc: &Value) {
    let Some(py) = support::oracle_python() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), serde_json::to_vec(doc).unwrap()).unwrap();
    let out =
        Command::new(py).arg(root.join("tests/support/validate_json.py")).arg(root.join("docs/restage-verify.schema.json")).arg(f.path()).output().unwrap();
    assert!(out.status.success(), "verify report breaks its schema: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

/// Nothing `--verify` created is left: no image tagged for that run, no container.
fn assert_cleaned_up(pid: u32) {
    let images = Command::new("podman").args(["images", "--format", "{{.Repository}}:{{.Tag}}"]).output().unwrap();
    let images = String::from_utf8_lossy(&images.stdout);
    let tag = format!("restage-verify:{pid}-");
    assert!(!images.contains(&tag), "images left behind:\n{images}");
    let ctrs = Command::new("podman").args(["ps", "-a", "--format", "{{.Names}}"]).output().unwrap();
    let ctrs = String::from_utf8_lossy(&ctrs.stdout);
    assert!(!ctrs.contains(&format!("restage-verify-{pid}-")), "containers left behind:\n{ctrs}");
}

/// Verifies a fixture and checks: exit 0, same behaviour, smaller image; prints the numbers.
fn same_and_smaller(name: &str, extra: &[&str]) {
    if !enabled() {
        return;
    }
    let r = verify(&fixture(name).join("Dockerfile"), extra);
    let rep = &r.json["verify"][0];
    assert_eq!(r.code, 0, "{name}: {rep:#}\n{}", r.stderr);
    assert_eq!(rep["verdict"], "same", "{rep:#}");
    let (before, after) = (rep["size_before"].as_u64().unwrap(), rep["size_after"].as_u64().unwrap());
    assert!(after < before, "{name}: rewritten image is not smaller: {before} → {after}");
    // Every run named in the report matched; at least one ran.
    let reasons: Vec<&str> = rep["reasons"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(reasons.iter().any(|r| r.contains("identical") || r.contains("same response")), "{reasons:?}");
    // Every check ran without failing; the library check looked at the copied files.
    assert!(checks(rep).iter().all(|(_, v, _)| v != "fail"), "{rep:#}");
    assert!(checks(rep).iter().any(|(c, v, _)| c == "libraries" && (v == "pass" || v == "note")), "{rep:#}");
    eprintln!(
        "e2e {name}: size {:.1} MB -> {:.1} MB; build {:.1} s / {:.1} s; {reasons:?}",
        before as f64 / 1e6,
        after as f64 / 1e6,
        rep["build_secs_before"].as_f64().unwrap(),
        rep["build_secs_after"].as_f64().unwrap()
    );
    assert_cleaned_up(r.pid);
}

/// The checks of a report: (check, verdict, missing names).
fn checks(rep: &Value) -> Vec<(String, String, Vec<String>)> {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    rep["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (s(&c["check"]), s(&c["verdict"]), c["missing"].as_array().map(|a| a.iter().map(s).collect()).unwrap_or_default()))
        .collect()
}

/// A fixture whose rewrite runs the same in the smoke runs but is broken in a way one check
/// catches: the verdict is different, that check fails naming `missing`, and it says so
/// in the human report as well. Returns the report for further checks.
fn caught_by_check(name: &str, check: &str, missing: &str, extra: &[&str]) -> Value {
    let t = std::time::Instant::now();
    let r = verify(&fixture(name).join("Dockerfile"), extra);
    let rep = r.json["verify"][0].clone();
    assert_eq!(r.code, 1, "{name}: {rep:#}\n{}", r.stderr);
    assert_eq!(rep["verdict"], "different", "{rep:#}");
    let failed: Vec<_> = checks(&rep).into_iter().filter(|(_, v, _)| v == "fail").collect();
    assert_eq!(failed.len(), 1, "only the {check} check fails: {rep:#}");
    assert_eq!(failed[0].0, check, "{rep:#}");
    assert!(failed[0].2.iter().any(|m| m == missing), "{check} names {missing}: {rep:#}");
    // The smoke runs alone would have passed it.
    let reasons: Vec<&str> = rep["reasons"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(reasons.iter().any(|r| r.contains("identical")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.starts_with(&format!("{check}: ")) && r.contains(missing)), "{reasons:?}");
    eprintln!("e2e {name}: caught by {check} ({missing}) in {:.1} s: {reasons:?}", t.elapsed().as_secs_f64());
    assert_cleaned_up(r.pid);
    rep
}

/// HEALTHCHECK `curl …` on python:3.11 → python:3.11-slim: the server answers the same,
/// the healthcheck passes in the original and cannot run in the rewritten image.
#[test]
fn a_healthcheck_tool_missing_in_the_runtime_is_caught() {
    if !enabled() {
        return;
    }
    caught_by_check("healthcheck", "healthcheck", "curl", &["--timeout", "6"]);
}

/// A C extension linked against libcurl, loaded only by `app.py fast`: the image's CMD
/// runs the same, the library check finds libcurl.so.4 missing in python:3.11-slim (ldd
/// in the rewritten container).
#[test]
fn a_native_extension_whose_library_is_missing_is_caught() {
    if !enabled() {
        return;
    }
    let rep = caught_by_check("native-ext", "libraries", "libcurl.so.4", &["--smoke", "", "--smoke", "slow path"]);
    let lib = rep["checks"].as_array().unwrap().iter().find(|c| c["check"] == "libraries").unwrap();
    assert!(lib["detail"].as_str().unwrap().contains("fastgreet"), "the report names the extension: {lib:#}");
}

/// The entrypoint script calls curl only when CONFIG_URL is set: the runs match, the
/// entrypoint-tools check finds curl missing in the rewritten image.
#[test]
fn an_entrypoint_script_calling_a_missing_tool_is_caught() {
    if !enabled() {
        return;
    }
    caught_by_check("entrypoint-script", "entrypoint-tools", "curl", &["--smoke", "", "--smoke", "python app.py script"]);
}

/// A Rust binary linked against libz.so.1 on distroless cc (no zlib, no shell): the
/// library check reads the ELF file from the exported filesystem and names libz.so.1. The
/// loader fails at start as well, so the run differs too.
#[test]
fn a_binary_whose_library_is_missing_in_a_runtime_without_shell_is_caught() {
    if !enabled() {
        return;
    }
    let r = verify(&fixture("rust-zlib").join("Dockerfile"), &[]);
    let rep = &r.json["verify"][0];
    assert_eq!((r.code, rep["verdict"].as_str()), (1, Some("different")), "{rep:#}\n{}", r.stderr);
    let lib = rep["checks"].as_array().unwrap().iter().find(|c| c["check"] == "libraries").expect("a libraries check");
    assert_eq!(lib["verdict"], "fail", "{rep:#}");
    assert_eq!(lib["missing"], serde_json::json!(["libz.so.1"]), "{rep:#}");
    assert!(lib["detail"].as_str().unwrap().contains("exported filesystem"), "{lib:#}");
    assert_cleaned_up(r.pid);
}

#[test]
fn go_cli_with_tzdata_and_ca_bundle() {
    same_and_smaller("go", &["--smoke", "", "--smoke", "Rust 'and Go'"]);
}

/// The program reads `messages/motd.txt` by a literal path: restage finds the read in the
/// source and copies `messages/` (needs review), and the rewrite behaves the same.
#[test]
fn go_program_reading_a_source_tree_file_at_run_time() {
    same_and_smaller("go-files", &[]);
}

#[test]
fn rust_cli_with_a_path_dependency() {
    same_and_smaller("rust", &["--smoke", "", "--smoke", "./target/release/hello crab people"]);
}

#[test]
fn java_jar_built_with_javac() {
    same_and_smaller("java", &["--smoke", "", "--smoke", "duke"]);
}

#[test]
fn python_app_with_a_local_package_installed_by_pip() {
    same_and_smaller("python", &["--smoke", "", "--smoke", "snake"]);
}

#[test]
fn node_http_server_with_a_local_dependency() {
    same_and_smaller("node", &["--probe", "3000/?name=e2e", "--timeout", "8"]);
}

/// buildah has no `run IMAGE`: restage composes ENTRYPOINT + CMD from the image config
/// and runs it in a working container; sizes come from the layer list.
#[test]
fn buildah_engine_gives_the_same_verdict() {
    if !enabled() {
        return;
    }
    let r = verify_with("buildah", &fixture("rust").join("Dockerfile"), &["--smoke", "", "--smoke", "./target/release/hello via buildah"]);
    let rep = &r.json["verify"][0];
    assert_eq!((r.code, rep["verdict"].as_str()), (0, Some("same")), "{rep:#}\n{}", r.stderr);
    assert!(rep["size_after"].as_u64().unwrap() < rep["size_before"].as_u64().unwrap(), "{rep:#}");
    let ctrs = Command::new("buildah").args(["containers", "--format", "{{.ContainerName}}"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&ctrs.stdout).contains(&format!("restage-verify-{}-", r.pid)), "working containers left behind");
    assert_cleaned_up(r.pid);
}

/// docker (a private dockerd from Debian's docker.io, started by `e2e/start-dockerd.sh`,
/// with `RESTAGE_E2E_DOCKER=1`): same verdict, and no image left, not even the untagged
/// intermediate-stage image the classic builder keeps.
#[test]
fn docker_engine_gives_the_same_verdict() {
    if !enabled() {
        return;
    }
    if std::env::var_os("RESTAGE_E2E_DOCKER").is_none_or(|v| v != "1") {
        eprintln!("skipped: RESTAGE_E2E_DOCKER=1 not set (e2e/start-dockerd.sh)");
        return;
    }
    let images = || {
        let out = Command::new("docker").args(["images", "-a", "-q", "--no-trunc"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mut v: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect();
        v.sort();
        v
    };
    let before = images();
    let r = verify_with("docker", &fixture("go").join("Dockerfile"), &["--smoke", "", "--smoke", "Moby"]);
    let rep = &r.json["verify"][0];
    assert_eq!((r.code, rep["verdict"].as_str()), (0, Some("same")), "{rep:#}\n{}", r.stderr);
    assert!(rep["size_after"].as_u64().unwrap() < rep["size_before"].as_u64().unwrap(), "{rep:#}");
    assert_eq!(images(), before, "images left behind");
}

/// The rewrite drops `messages/motd.txt`, which the program reads at run time through
/// `$MOTD_FILE` (invisible to restage): the rewritten image builds but exits 1, and
/// --verify says so with both outputs.
#[test]
fn a_broken_rewrite_is_caught() {
    if !enabled() {
        return;
    }
    let r = verify(&fixture("broken").join("Dockerfile"), &[]);
    let rep = &r.json["verify"][0];
    assert_eq!(r.code, 1, "{rep:#}\n{}", r.stderr);
    assert_eq!(rep["verdict"], "different", "{rep:#}");
    assert!(rep["reasons"][0].as_str().unwrap().contains("exit 0 → 1"), "{rep:#}");
    let tail: Vec<&str> = rep["log_tail"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(tail.contains(&"  Have a nice day."), "{tail:?}");
    assert!(tail.iter().any(|l| l.contains("no such file or directory")), "{tail:?}");
    assert_cleaned_up(r.pid);
}

/// `--verify --write` writes the rewrite that behaved the same and leaves the broken one.
#[test]
fn verify_write_only_writes_verified_rewrites() {
    if !enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for name in ["go", "broken"] {
        copy_dir(&fixture(name), &dir.path().join(name));
    }
    let go = dir.path().join("go/Dockerfile");
    let broken = dir.path().join("broken/Dockerfile");
    let before_broken = std::fs::read(&broken).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_restage"))
        .args(["--verify", "--write", "--engine", "podman", "--pull", "never", "--network", "none"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read_to_string(&go).unwrap().contains("FROM gcr.io/distroless/static-debian12"));
    assert_eq!(std::fs::read(&broken).unwrap(), before_broken, "the broken rewrite was written");
    assert!(stdout.contains("go/Dockerfile: verified: same behaviour"), "{stdout}");
    assert!(stdout.contains("broken/Dockerfile: verification FAILED"), "{stdout}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
