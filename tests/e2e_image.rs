//! End-to-end: restage's own image (the repository's `Dockerfile`) is built with podman and
//! run once: `--version`, then `--check` on a mounted app folder.
//!
//! Offline, like the rest of `e2e/`: there is no registry, so the two base images the
//! Dockerfile names are local stand-ins. The runtime stand-in is the fabricated distroless
//! `cc` image (with `USER 65532` for a `:nonroot` tag, as the real one). The builder
//! stand-in is Debian with a `cargo` that checks the Dockerfile copied what a build needs
//! and then puts this test's own restage binary where `cargo build` would: a real compile
//! needs a current Rust toolchain and the crates.io sources, which the fabricated images
//! cannot have. So this proves the Dockerfile's stages, paths, entrypoint and the binary
//! running on the distroless runtime; the release workflow's image job proves the compile.
//!
//! Runs when `RESTAGE_E2E=1` (see `tests/e2e.rs`); otherwise it says it was skipped. The
//! Dockerfile's rule check needs no engine and always runs.

use std::path::Path;
use std::process::{Command, Output};

fn enabled() -> bool {
    if std::env::var_os("RESTAGE_E2E").is_some_and(|v| v == "1") {
        return true;
    }
    eprintln!("skipped: RESTAGE_E2E=1 not set (see e2e/README.md)");
    false
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn podman(args: &[&str]) -> Output {
    Command::new("podman").args(args).output().expect("podman runs")
}

fn ok(args: &[&str]) -> String {
    let out = podman(args);
    assert!(out.status.success(), "podman {args:?} failed:\n{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn exists(image: &str) -> bool {
    podman(&["image", "exists", image]).status.success()
}

/// Removes the images this test tagged, whatever happens.
struct Cleanup(Vec<String>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for i in &self.0 {
            let _ = podman(&["rmi", "-f", i]);
        }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// `FROM image [AS name]` lines of the Dockerfile, in order.
fn from_images(dockerfile: &str) -> Vec<String> {
    dockerfile.lines().filter_map(|l| l.strip_prefix("FROM ")).filter_map(|r| r.split_whitespace().next()).map(str::to_string).collect()
}

fn build(tag: &str, dir: &Path) {
    ok(&["build", "-q", "--pull=never", "--network=none", "-t", tag, "-f", dir.join("Containerfile").to_str().unwrap(), dir.to_str().unwrap()]);
}

const CARGO_STAND_IN: &str = r#"#!/bin/sh
# Stand-in for `cargo build` (no toolchain or registry offline): the sources must be there.
set -e
[ "$1" = build ] || { echo "stand-in cargo: only build" >&2; exit 1; }
for f in Cargo.toml Cargo.lock src/main.rs src/lib.rs mappings/upstream.toml; do
  [ -e "$f" ] || { echo "stand-in cargo: $f is not in the build stage" >&2; exit 1; }
done
profile=debug
case " $* " in *" --release "*) profile=release ;; esac
mkdir -p "target/$profile"
cp /opt/prebuilt/restage "target/$profile/restage"
"#;

#[test]
fn restage_image_builds_and_runs() {
    if !enabled() {
        return;
    }
    let dockerfile = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
    let froms = from_images(&dockerfile);
    assert_eq!(froms.len(), 2, "a builder and a runtime stage: {froms:?}");
    let (builder, runtime) = (froms[0].clone(), froms[1].clone());
    let tmp = tempfile::tempdir().unwrap();
    let pid = std::process::id();
    let image = format!("localhost/restage-e2e-image:{pid}");
    let mut cleanup = Cleanup(vec![image.clone()]);

    // Builder stand-in under the Dockerfile's builder name (removed afterwards).
    if exists(&builder) {
        // A stand-in left by a killed run is replaced; a real image is never shadowed.
        let label = ok(&["image", "inspect", "--format", "{{index .Labels \"org.restage.e2e-stand-in\"}}", &builder]);
        assert_eq!(label.trim(), "1", "{builder} exists and is not this test's stand-in; the test would shadow it");
        ok(&["rmi", "-f", &builder]);
    }
    let b = tmp.path().join("builder");
    std::fs::create_dir_all(&b).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_restage"), b.join("restage")).unwrap();
    std::fs::write(b.join("cargo"), CARGO_STAND_IN).unwrap();
    std::fs::write(
        b.join("Containerfile"),
        "FROM docker.io/library/debian:bookworm-slim\nLABEL org.restage.e2e-stand-in=1\nCOPY restage /opt/prebuilt/restage\nCOPY cargo /usr/local/bin/cargo\nRUN chmod 755 /usr/local/bin/cargo /opt/prebuilt/restage\n",
    )
    .unwrap();
    cleanup.0.push(builder.clone());
    build(&builder, &b);

    // Runtime: the fabricated distroless cc image; `:nonroot` adds its user, as upstream's.
    if !exists(&runtime) {
        let (name, tag) = runtime.rsplit_once(':').expect("the runtime is pinned by tag");
        assert_eq!(tag, "nonroot", "no stand-in for {runtime} (fabricate it in e2e/fabricate-images.sh)");
        let r = tmp.path().join("runtime");
        std::fs::create_dir_all(&r).unwrap();
        std::fs::write(r.join("Containerfile"), format!("FROM {name}:latest\nUSER 65532:65532\nWORKDIR /home/nonroot\n")).unwrap();
        cleanup.0.push(runtime.clone());
        build(&runtime, &r);
    }

    // The repository's own build context (what .dockerignore lets through; target/ is not).
    let ctx = tmp.path().join("ctx");
    std::fs::create_dir_all(&ctx).unwrap();
    for f in ["Dockerfile", ".dockerignore", "Cargo.toml", "Cargo.lock"] {
        std::fs::copy(root().join(f), ctx.join(f)).unwrap();
    }
    for d in ["src", "mappings"] {
        copy_tree(&root().join(d), &ctx.join(d));
    }
    let t = std::time::Instant::now();
    ok(&["build", "-q", "--pull=never", "--network=none", "-t", &image, "-f", ctx.join("Dockerfile").to_str().unwrap(), ctx.to_str().unwrap()]);
    let secs = t.elapsed().as_secs_f64();

    // It runs as the runtime's user, and prints the version of the binary it holds.
    let version = ok(&["run", "--rm", &image, "--version"]);
    assert_eq!(version.trim(), format!("restage {}", env!("CARGO_PKG_VERSION")));
    let user = ok(&["image", "inspect", "--format", "{{.Config.User}}", &image]);
    assert!(!user.trim().is_empty() && !user.trim().starts_with('0'), "the image runs as root: {user:?}");

    // And it checks a mounted app: one pending rewrite, exit 1, the JSON report on stdout.
    let app = tmp.path().join("app");
    copy_tree(&root().join("e2e/fixtures/go"), &app);
    for p in [tmp.path(), app.as_path()] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mount = format!("{}:/work:ro", app.display());
    let out = podman(&["run", "--rm", "-v", &mount, &image, "--check", "--format", "json", "."]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["summary"]["rewritten"], 1, "{doc:#}");

    let size = ok(&["image", "inspect", "--format", "{{.Size}}", &image]);
    eprintln!("e2e image: built in {secs:.1} s, {:.1} MB", size.trim().parse::<f64>().unwrap_or(0.0) / 1e6);
}

/// restage's own image follows restage's rules: left alone as it is (multi-stage) and when
/// retargeted to distroless (already on the family).
#[test]
fn the_dockerfile_follows_restage_rules() {
    for extra in [&[][..], &["--to", "distroless"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_restage")).args(extra).args(["--check", "Dockerfile"]).current_dir(root()).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "restage {extra:?} --check Dockerfile:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
