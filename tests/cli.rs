//! The command line: every mode × exit code, stdin, errors, formats.

mod support;

use assert_cmd::Command;
use std::path::Path;

const GO: &str = "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/server .\nCMD [\"/app/server\"]\n";
const MULTI: &str = "FROM golang:1.22 AS build\nRUN go build -o /x .\nFROM scratch\nCOPY --from=build /x /x\nCMD [\"/x\"]\n";

fn restage() -> Command {
    let mut c = Command::cargo_bin("restage").unwrap();
    c.env_remove("NO_COLOR").env("CLICOLOR", "0");
    c
}

fn repo() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    support::write_tree(
        d.path(),
        &[
            ("svc/Dockerfile", GO),
            ("svc/go.mod", "module example.com/svc\n"),
            ("multi/Dockerfile", MULTI),
            ("broken/Dockerfile", "FROM golang:1.22\nRUN <<EOF\necho\n"),
            ("named/api.Dockerfile", GO),
            ("named/Containerfile.prod", GO),
            ("ignored/Dockerfile", GO),
            (".gitignore", "ignored/\n"),
            ("vendor/x/Dockerfile", GO),
            ("notes.txt", "FROM golang\n"),
        ],
    );
    d
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn preview_prints_a_git_apply_diff_and_exits_0() {
    let d = repo();
    let out = restage().current_dir(d.path()).arg("svc/Dockerfile").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("--- a/svc/Dockerfile\n+++ b/svc/Dockerfile\n@@"), "{stdout}");
    assert!(stdout.contains("+FROM gcr.io/distroless/static-debian12\n"));
    assert!(String::from_utf8(out.stderr).unwrap().contains("1 rewritten (1 safe"));
    assert_eq!(read(&d.path().join("svc/Dockerfile")), GO, "preview never writes");
    std::fs::write(d.path().join("p.diff"), &stdout).unwrap();
    let git = std::process::Command::new("git").current_dir(d.path()).args(["apply", "--check", "p.diff"]).status();
    if let Ok(s) = git {
        assert!(s.success(), "git apply rejects the diff");
    }
}

#[test]
fn check_exits_1_when_pending_and_0_when_clean() {
    let d = repo();
    restage().current_dir(d.path()).args(["--check", "svc/Dockerfile"]).assert().code(1);
    restage().current_dir(d.path()).args(["--check", "--quiet", "svc/Dockerfile"]).assert().code(1).stdout("");
    restage().current_dir(d.path()).args(["--check", "multi/Dockerfile"]).assert().code(0).stdout("");
}

#[cfg(unix)]
#[test]
fn write_is_atomic_keeps_permissions_and_is_idempotent() {
    use std::os::unix::fs::PermissionsExt;
    let d = repo();
    let f = d.path().join("svc/Dockerfile");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
    restage().current_dir(d.path()).args(["--write", "svc/Dockerfile"]).assert().code(0).stdout("");
    let after = read(&f);
    assert!(after.contains("FROM golang:1.22 AS build\n"));
    assert_eq!(std::fs::metadata(&f).unwrap().permissions().mode() & 0o777, 0o640);
    restage().current_dir(d.path()).args(["--check", "svc/Dockerfile"]).assert().code(0);
    let leftovers: Vec<_> =
        std::fs::read_dir(d.path().join("svc")).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().starts_with(".restage-")).collect();
    assert!(leftovers.is_empty());
}

#[test]
fn stdin_preview_and_write() {
    let out = restage().arg("-").write_stdin(GO).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout).unwrap().starts_with("--- a/-\n+++ b/-\n"));
    let out = restage().args(["--write", "-"]).write_stdin(GO).output().unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.starts_with("FROM golang:1.22 AS build\n") && s.contains("COPY --from=build /app/server /app/server"), "{s}");
    restage().args(["--write", "-"]).write_stdin(MULTI).assert().code(0).stdout(MULTI);
}

#[test]
fn errors_name_path_line_column_exit_2_and_write_nothing() {
    let d = repo();
    let broken = d.path().join("broken/Dockerfile");
    let before = read(&broken);
    let out = restage().current_dir(d.path()).args(["--write", "broken/Dockerfile", "svc/Dockerfile"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("broken/Dockerfile:2:5: error: unterminated heredoc"), "{err}");
    assert_eq!(read(&broken), before);
    assert!(read(&d.path().join("svc/Dockerfile")).contains("AS build"), "the other file still goes through");
    let out = restage().current_dir(d.path()).arg("missing/Dockerfile").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("missing/Dockerfile:1:1: error:"));
    restage().arg("--bogus").assert().code(2);
    restage().args(["--to", "nope", "-"]).write_stdin(GO).assert().code(2);
}

#[test]
fn batch_discovery_respects_gitignore_and_excludes() {
    let d = repo();
    let out = restage().current_dir(d.path()).args(["--format", "json", "--exclude", "vendor", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "the broken file makes the run exit 2");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 2);
    let paths: Vec<&str> = v["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["./broken/Dockerfile", "./multi/Dockerfile", "./named/Containerfile.prod", "./named/api.Dockerfile", "./svc/Dockerfile"]);
    restage().current_dir(d.path()).args(["--write", "--exclude", "broken", "."]).assert().code(0);
    restage().current_dir(d.path()).args(["--check", "--exclude", "broken", "."]).assert().code(0);
    restage().current_dir(d.path()).args(["--check", "--exclude", "broken", "--force-exclude", "broken/Dockerfile"]).assert().code(0);
}

#[test]
fn formats_show_needs_review_with_reason() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("Dockerfile"),
        "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/s .\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\nCMD [\"/app/s\"]\n",
    )
    .unwrap();
    let reason = "HEALTHCHECK uses curl";
    for fmt in ["human", "json", "sarif", "github", "markdown"] {
        let out = restage().current_dir(d.path()).args(["--format", fmt, "Dockerfile"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{fmt}");
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(all.contains(reason), "{fmt}: {all}");
        assert!(all.contains("needs review") || all.contains("needs-review"), "{fmt}: {all}");
        let again = restage().current_dir(d.path()).args(["--format", fmt, "Dockerfile"]).output().unwrap();
        assert_eq!(out.stdout, again.stdout, "{fmt}: deterministic");
    }
    let out = restage().current_dir(d.path()).args(["--format", "sarif", "Dockerfile"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let r = &v["runs"][0]["results"][0];
    assert_eq!(r["level"], "warning");
    assert!(r["fixes"][0]["artifactChanges"][0]["replacements"].as_array().unwrap().len() >= 2);
    restage().current_dir(d.path()).args(["--safe-only", "--write", "Dockerfile"]).assert().code(0);
    assert!(!read(&d.path().join("Dockerfile")).contains("AS build"), "--safe-only leaves needs-review rewrites");
}

#[test]
fn list_pairs_and_overlay() {
    for f in ["upstream", "distroless", "minimus", "chainguard", "dhi", "ubi"] {
        let out = restage().args(["--list-pairs", "--to", f]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8(out.stdout).unwrap().lines().count() >= 5, "{f}");
    }
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("corp.toml"), "[[pair]]\nfamily = \"mycorp\"\necosystem = \"go\"\nmatch = \"golang\"\nbuilder = \"registry.corp.example:5000/go-build:{version}\"\nruntime = \"registry.corp.example:5000/static:latest\"\n").unwrap();
    let out = restage()
        .current_dir(d.path())
        .args(["--mappings", "corp.toml", "--to", "mycorp", "--write", "-"])
        .write_stdin("FROM golang:1.22-bookworm\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/s .\nCMD [\"/app/s\"]\n")
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.starts_with("FROM registry.corp.example:5000/go-build:1.22 AS build\n"), "{s}");
    assert!(s.contains("\nFROM registry.corp.example:5000/static:latest\n"), "{s}");
    std::fs::write(d.path().join("bad.toml"), "[[pair]]\nfamily = \"x\"\necosystem = \"go\"\nmatch = \"golang\"\nbuilder = \"a:{nope}\"\nruntime = \"b\"\n")
        .unwrap();
    let out = restage().current_dir(d.path()).args(["--mappings", "bad.toml", "-"]).write_stdin(GO).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("bad.toml:5:11: unknown placeholder {nope}"));
}

#[test]
fn completions_and_color() {
    restage().args(["--completions", "bash"]).assert().code(0);
    let out = restage().args(["--color", "always", "-"]).write_stdin(GO).output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("\u{1b}["));
    let out = restage().args(["--color", "auto", "-"]).env("NO_COLOR", "1").write_stdin(GO).output().unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains("\u{1b}["));
}

#[test]
fn verify_without_any_engine_is_a_clear_error_and_writes_nothing() {
    let d = repo();
    let empty = tempfile::tempdir().unwrap();
    let f = d.path().join("svc/Dockerfile");
    let out = restage().env("PATH", empty.path()).args(["--verify", "--write"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--verify needs a container engine, and none answers (docker: not on PATH; podman: not on PATH; buildah: not on PATH)"), "{err}");
    assert_eq!(read(&f), GO);
}

#[test]
fn verify_rejects_a_malformed_probe_before_building_anything() {
    let d = repo();
    let out = restage().args(["--verify", "--probe", "http://x"]).arg(d.path().join("svc/Dockerfile")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--probe `http://x`: expected PORT/PATH"));
}

#[test]
fn a_dockerfile_in_a_subfolder_reads_the_context_where_its_sources_are() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("deploy")).unwrap();
    std::fs::create_dir_all(d.path().join(".git")).unwrap();
    std::fs::write(
        d.path().join("package.json"),
        r#"{"name":"a","scripts":{"start":"node server.js"},"dependencies":{"x":"1"},"devDependencies":{"jest":"1"}}"#,
    )
    .unwrap();
    std::fs::write(d.path().join("package-lock.json"), "{}").unwrap();
    std::fs::write(d.path().join("server.js"), "").unwrap();
    let df = "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY server.js .\nCMD [\"npm\", \"start\"]\n";
    std::fs::write(d.path().join("deploy/Dockerfile"), df).unwrap();
    let out = restage().current_dir(d.path()).args(["--explain", "deploy/Dockerfile"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("build context . (the COPY sources package.json, package-lock.json, server.js are there"), "{err}");
    assert!(!err.contains("no package.json in the build context"), "{err}");
    // With --context the given folder is used as is: there is no package.json in deploy/.
    let out = restage().current_dir(d.path()).args(["--explain", "--context", "deploy", "deploy/Dockerfile"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("no package.json in the build context"));
}

#[test]
fn bad_mappings_are_located_errors_not_panics() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("Dockerfile"), GO).unwrap();
    let cases = [
        ("[[image]]\nmatch = \"x\"\nentrypoint = []\n", "empty.toml:1:1: `entrypoint` must name a program"),
        (
            "[[pair]]\nfamily = \"upstream\"\necosystem = \"javaa\"\nmatch = \"x\"\nbuilder = \"{image}\"\nruntime = \"y\"\n",
            "typo.toml:1:1: unknown ecosystem `javaa`",
        ),
        (
            "[[pair]]\nfamily = \"upstream\"\necosystem = \"go\"\nmatch = \"x\"\nbuilder = \"{image}\"\nruntime = \"y\"\nvariants = { cgoo = \"z\" }\n",
            "variant.toml:7:21: unknown variant `cgoo`",
        ),
    ];
    for (text, want) in cases {
        let name = want.split(':').next().unwrap();
        std::fs::write(d.path().join(name), text).unwrap();
        let out = restage().current_dir(d.path()).args(["--mappings", name, "Dockerfile"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{name}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// Rule 4: compose bind-mounts the context over the WORKDIR and the image copies only
/// manifests: a development environment, skipped. Once the image copies its code folder,
/// the same compose file no longer makes it one.
#[test]
fn an_image_whose_code_comes_from_a_compose_mount_is_a_dev_environment() {
    let d = tempfile::tempdir().unwrap();
    let dockerfile = "FROM ruby:3.3\nRUN apt-get update && apt-get install -y build-essential libpq-dev\nWORKDIR /app\nCOPY Gemfile Gemfile.lock /app/\nRUN bundle install\nCMD [\"bundle\", \"exec\", \"rails\", \"s\"]\n";
    support::write_tree(
        d.path(),
        &[
            (".git/HEAD", "ref: refs/heads/main\n"),
            ("Dockerfile", dockerfile),
            ("Gemfile", "source 'https://rubygems.org'\ngem 'rails'\n"),
            ("Gemfile.lock", "GEM\n"),
            ("app/models/user.rb", "class User; end\n"),
            ("docker-compose.yml", "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n      - gems:/usr/local/bundle\nvolumes:\n  gems: {}\n"),
        ],
    );
    let out = restage().current_dir(d.path()).args(["--format", "json", "Dockerfile"]).output().unwrap();
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(json.contains("\"dev-image\"") && json.contains("mounts the build context over /app"), "{json}");
    std::fs::write(d.path().join("Dockerfile"), dockerfile.replace("RUN bundle install\n", "RUN bundle install\nCOPY app /app/app\n")).unwrap();
    let out = restage().current_dir(d.path()).args(["--format", "json", "Dockerfile"]).output().unwrap();
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(!json.contains("\"dev-image\"") && json.contains("\"rewritten\""), "{json}");
}
