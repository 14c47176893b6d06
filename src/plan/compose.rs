//! Compose files that build this Dockerfile: how the image is really run.
//!
//! A `docker-compose*.yml` / `compose*.yaml` next to the Dockerfile, in its build context or
//! in an ancestor folder up to the repository root (`.git`, at most three levels) whose
//! service `build:` names this Dockerfile gives the build context, and its `healthcheck`,
//! `command` and `entrypoint` count as run-time use: a tool they call (`curl` in a
//! healthcheck) must stay in the runtime (rule 3).
//!
//! Every Dockerfile of a batch asks the same few folders (its own, then `services/`, then
//! the repository root): what a folder holds (its compose files, parsed, and whether it has
//! `.git`) is read once per run and shared, else a monorepo re-reads a folder of thousands of
//! entries for each of its Dockerfiles (quadratic). The memo ([`super::folders::FolderMemo`])
//! forgets everything past a few thousand folders so memory stays flat however large the batch.

use serde_yaml_ng::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const MAX_LEVELS: usize = 3;

/// What restage needs of one folder: its compose files (sorted, parsed when readable) and
/// whether it is a repository root.
#[derive(Debug, Default)]
struct Folder {
    compose: Vec<(PathBuf, Option<Value>)>,
    git: bool,
}

static FOLDERS: super::folders::FolderMemo<Arc<Folder>> = super::folders::FolderMemo::new();

/// Drops what was read (a long-running `restage mcp`, a test that rewrites a compose file
/// between two lookups).
pub(super) fn forget() {
    FOLDERS.forget();
}

fn folder(dir: &Path) -> Arc<Folder> {
    FOLDERS.get(dir, || {
        let compose = compose_files(dir)
            .into_iter()
            .map(|f| {
                let doc = std::fs::read_to_string(&f).ok().and_then(|t| serde_yaml_ng::from_str::<Value>(&t).ok());
                (f, doc)
            })
            .collect();
        Arc::new(Folder { compose, git: dir.join(".git").exists() })
    })
}

/// `canonicalize(dockerfile)` with the folder part resolved once per folder (`folders`): a plain file's
/// canonical path is its folder's plus its name; a symbolic link is resolved in full.
fn canonical_file(dockerfile: &Path) -> Option<PathBuf> {
    let meta = std::fs::symlink_metadata(dockerfile).ok()?;
    let name = dockerfile.file_name();
    if meta.file_type().is_symlink() || name.is_none() {
        return std::fs::canonicalize(dockerfile).ok();
    }
    let parent = dockerfile.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(super::folders::canonical_dir(parent)?.join(name?))
}

/// What a compose service that builds this Dockerfile says about running it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ComposeUse {
    /// The compose file (for the explanation).
    pub file: PathBuf,
    pub service: String,
    /// The build context it names.
    pub context: PathBuf,
    /// Words of its healthcheck test, command and entrypoint.
    pub run_words: Vec<String>,
    /// Its `command:` (or `entrypoint:` + `command:`), when it has one.
    pub command: Vec<String>,
    /// Its bind mounts: host folder (resolved against the compose file's folder) → path in
    /// the container. Named volumes are not here.
    pub binds: Vec<(PathBuf, String)>,
}

/// The first service (in folder order, nearest first) that builds `dockerfile`.
pub fn find(dockerfile: &Path) -> Option<ComposeUse> {
    let target = canonical_file(dockerfile)?;
    let mut dir = target.parent()?.to_path_buf();
    for _ in 0..=MAX_LEVELS {
        let here = folder(&dir);
        if let Some(u) = here.compose.iter().find_map(|(f, doc)| service_for(f, doc.as_ref()?, &target)) {
            return Some(u);
        }
        if here.git {
            break;
        }
        dir = dir.parent()?.to_path_buf();
    }
    None
}

fn compose_files(dir: &Path) -> Vec<PathBuf> {
    // Not through `folders`' listings: this walks up to the repository root (or `/`), whose
    // folders can be large, and needs only names filtered without allocating.
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(dir).into_iter().flatten().flatten().filter(|e| is_compose_name(e.file_name().as_encoded_bytes())).map(|e| e.path()).collect();
    v.sort();
    v
}

/// `docker-compose*.yml` / `compose*.yaml`, any case, read from the name's bytes: a folder of
/// thousands of entries (`/tmp`, a monorepo's `services/`) costs no allocation per entry.
fn is_compose_name(n: &[u8]) -> bool {
    let starts = |p: &[u8]| n.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p));
    let ends = |p: &[u8]| n.len() >= p.len() && n[n.len() - p.len()..].eq_ignore_ascii_case(p);
    (starts(b"docker-compose") || starts(b"compose")) && (ends(b".yml") || ends(b".yaml"))
}

fn service_for(file: &Path, doc: &Value, target: &Path) -> Option<ComposeUse> {
    let base = file.parent()?;
    for (name, svc) in doc.get("services")?.as_mapping()? {
        let (context, dockerfile) = match svc.get("build") {
            Some(Value::String(c)) => (c.clone(), "Dockerfile".to_string()),
            Some(b @ Value::Mapping(_)) => (
                b.get("context").and_then(Value::as_str).unwrap_or(".").to_string(),
                b.get("dockerfile").and_then(Value::as_str).unwrap_or("Dockerfile").to_string(),
            ),
            _ => continue,
        };
        let ctx = base.join(&context);
        if std::fs::canonicalize(ctx.join(&dockerfile)).ok().as_deref() != Some(target) {
            continue;
        }
        let mut run_words = Vec::new();
        let mut command = words(svc.get("entrypoint"));
        command.extend(words(svc.get("command")));
        for key in ["command", "entrypoint"] {
            run_words.extend(words(svc.get(key)));
        }
        run_words.extend(words(svc.get("healthcheck").and_then(|h| h.get("test"))));
        let binds = svc.get("volumes").and_then(Value::as_sequence).into_iter().flatten().filter_map(|v| bind(base, v)).collect();
        return Some(ComposeUse { file: file.to_path_buf(), service: name.as_str().unwrap_or_default().to_string(), context: ctx, run_words, command, binds });
    }
    None
}

/// A bind mount of a service's `volumes:`: the short form `./src:/app[:ro]` (a host path
/// starts with `.`, `/` or `~`; anything else names a volume) or the long form with
/// `type: bind`.
fn bind(base: &Path, v: &Value) -> Option<(PathBuf, String)> {
    let (source, target) = match v {
        Value::String(s) => {
            let mut parts = s.splitn(3, ':');
            let (src, dst) = (parts.next()?, parts.next()?);
            (src.starts_with(['.', '/', '~']).then_some(src)?.to_string(), dst.to_string())
        }
        Value::Mapping(_) if v.get("type").and_then(Value::as_str) == Some("bind") => {
            (v.get("source").and_then(Value::as_str)?.to_string(), v.get("target").and_then(Value::as_str)?.to_string())
        }
        _ => return None,
    };
    Some((base.join(source), target))
}

/// A compose command as words: a list (`["CMD", "curl", …]`) or a shell string.
fn words(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => crate::document::shell_words(s, '\\'),
        Some(Value::Sequence(items)) => items.iter().filter_map(Value::as_str).flat_map(|s| crate::document::shell_words(s, '\\')).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_names_match_as_the_lowercased_name_did() {
        let old = |n: &str| {
            let n = n.to_ascii_lowercase();
            (n.starts_with("docker-compose") || n.starts_with("compose")) && (n.ends_with(".yml") || n.ends_with(".yaml"))
        };
        for n in [
            "docker-compose.yml",
            "Docker-Compose.YAML",
            "compose.yaml",
            "compose.override.yml",
            "compose.yml.bak",
            "mycompose.yml",
            "compose",
            ".yml",
            "docker-compose",
            "composé.yml",
            "x",
        ] {
            assert_eq!(is_compose_name(n.as_bytes()), old(n), "{n}");
        }
    }

    #[test]
    fn a_root_compose_file_names_the_context_and_the_healthcheck_tools() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join(".git")).unwrap();
        std::fs::create_dir_all(d.path().join("cart")).unwrap();
        std::fs::write(d.path().join("cart/Dockerfile"), "FROM node:14\n").unwrap();
        std::fs::write(
            d.path().join("docker-compose.yaml"),
            "services:\n  web:\n    image: nginx\n  cart:\n    build:\n      context: cart\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-H\", \"X-INSTANA-SYNTHETIC: 1\", \"-f\", \"http://localhost:8080/health\"]\n",
        )
        .unwrap();
        let u = find(&d.path().join("cart/Dockerfile")).unwrap();
        assert_eq!(u.service, "cart");
        assert!(u.run_words.iter().any(|w| w == "curl"), "{:?}", u.run_words);
        assert_eq!(std::fs::canonicalize(&u.context).unwrap(), std::fs::canonicalize(d.path().join("cart")).unwrap());
        std::fs::write(d.path().join("docker-compose.yaml"), "services:\n  other:\n    build: other\n").unwrap();
        forget();
        assert_eq!(find(&d.path().join("cart/Dockerfile")), None, "a service building another Dockerfile does not count");
    }

    #[test]
    fn binds_are_host_paths_in_short_or_long_form_and_named_volumes_are_not() {
        let base = Path::new("/repo");
        let v: Value = serde_yaml_ng::from_str(
            "[\".:/app\", \"./src:/srv:ro\", \"data:/data\", {type: bind, source: ./conf, target: /etc/x}, {type: volume, source: v, target: /v}]",
        )
        .unwrap();
        let got: Vec<(PathBuf, String)> = v.as_sequence().unwrap().iter().filter_map(|m| bind(base, m)).collect();
        assert_eq!(
            got,
            vec![
                (PathBuf::from("/repo/."), "/app".to_string()),
                (PathBuf::from("/repo/./src"), "/srv".to_string()),
                (PathBuf::from("/repo/./conf"), "/etc/x".to_string())
            ]
        );
    }
}
