//! The 139 build contexts of the corpus (`../shared/contexts`, or `RESTAGE_CONTEXTS`): restage's
//! judgement on each real Dockerfile *with its build context*, in one snapshot, so that one
//! review shows every change of decision (status, label, pair, copies, reasons, skip reason).
//!
//! Each context is copied to a temporary folder; every file that `__files__.tsv` lists without
//! content gets an empty stand-in, so that existence checks (`go.mod`, `manage.py`, an
//! entrypoint script) see the repository as it is. The context is laid out at its place in a
//! stand-in repository (`<tmp>/<file>/<context_path>/`, with a `.git` folder at the top), and
//! the compose files of `__compose__/` (named by their repository path, `/` as `__`) at their
//! own repository paths, so restage finds them as it would in a real checkout.
//! The Dockerfile is found at its own place inside the context: the corpus file name is
//! `owner__repo__<path with / as __>[__at-<sha10>]`, and CONTEXTS.tsv gives the context's folder
//! in the repository. Only the default family runs: the point is the decision, not the family.
//!
//! Without the contexts the test says it was skipped; `.ci/run` sets RESTAGE_REQUIRE_CORPUS.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// One row of CONTEXTS.tsv.
struct Context {
    file: String,
    repo: String,
    context_path: String,
    compose_files: String,
}

fn contexts_dir() -> Option<PathBuf> {
    let p = std::env::var_os("RESTAGE_CONTEXTS").map(PathBuf::from).unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/contexts"));
    if p.join("CONTEXTS.tsv").is_file() {
        return Some(p);
    }
    if std::env::var_os("RESTAGE_REQUIRE_CORPUS").is_some() {
        panic!("RESTAGE_REQUIRE_CORPUS is set but the build contexts {} are missing", p.display());
    }
    None
}

fn read_contexts(dir: &Path) -> Vec<Context> {
    let text = std::fs::read_to_string(dir.join("CONTEXTS.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("CONTEXTS.tsv has no column {name}"));
    let (file, repo, context_path, compose) = (col("file"), col("repo"), col("context_path"), col("compose_files"));
    let mut v: Vec<Context> = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("").to_string();
            Context { file: get(file), repo: get(repo), context_path: get(context_path), compose_files: get(compose) }
        })
        .collect();
    v.sort_by(|a, b| a.file.cmp(&b.file));
    v
}

/// The Dockerfile's path relative to its context folder.
fn dockerfile_in_context(c: &Context) -> String {
    let name = c.file.split_once('/').map_or(c.file.as_str(), |(_, n)| n);
    let name = match name.rsplit_once("__at-") {
        Some((head, sha)) if sha.len() == 10 && sha.bytes().all(|b| b.is_ascii_hexdigit()) => head,
        _ => name,
    };
    let prefix = format!("{}__", c.repo.replace('/', "__"));
    let repo_path = name.strip_prefix(&prefix).unwrap_or_else(|| panic!("{}: name does not start with {prefix}", c.file)).replace("__", "/");
    if c.context_path == "." {
        return repo_path;
    }
    repo_path
        .strip_prefix(&format!("{}/", c.context_path))
        .unwrap_or_else(|| panic!("{}: {repo_path} is not under the context {}", c.file, c.context_path))
        .to_string()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (p, t) = (e.path(), to.join(e.file_name()));
        if p.is_dir() {
            copy_dir(&p, &t)
        } else {
            std::fs::write(&t, std::fs::read(&p).unwrap()).unwrap(); // not fs::copy: the corpus is read-only, the copy must not be
        }
    }
}

/// The context's folder inside the stand-in repository `repo`.
fn context_root(repo: &Path, c: &Context) -> PathBuf {
    if c.context_path == "." { repo.to_path_buf() } else { repo.join(&c.context_path) }
}

/// Lays out the stand-in repository: `.git`, the context at its place, the compose files at theirs.
fn lay_out_repo(from: &Path, repo: &Path, c: &Context) {
    let ctx = context_root(repo, c);
    lay_out(from, &ctx);
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    for f in std::fs::read_dir(from.join("__compose__")).into_iter().flatten().flatten() {
        let at = repo.join(f.file_name().to_string_lossy().replace("__", "/"));
        if !at.exists() {
            std::fs::create_dir_all(at.parent().unwrap()).unwrap();
            std::fs::copy(f.path(), &at).unwrap();
        }
    }
}

/// Copies the context to `to` and lays out an empty stand-in for every listed file without content.
fn lay_out(from: &Path, to: &Path) {
    copy_dir(from, to);
    let listing = std::fs::read_to_string(from.join("__files__.tsv")).unwrap();
    for line in listing.lines().skip(1) {
        let path = line.split('\t').next().unwrap();
        let p = to.join(path);
        if !path.is_empty() && !p.exists() {
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "").unwrap();
        }
    }
}

/// A JSON value as one line of text: strings bare, objects as `code: message` when they say so.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(o) => {
            let message = ["message", "text", "reason", "detail", "why"].iter().find_map(|k| o.get(*k).and_then(Value::as_str));
            match (o.get("code").and_then(Value::as_str), message) {
                (Some(code), Some(m)) => format!("[{code}] {m}"),
                (None, Some(m)) => m.to_string(),
                _ => v.to_string(),
            }
        }
        _ => v.to_string(),
    }
}

/// `status (applicability)`, e.g. `rewritten (safe)` or `skipped`.
fn outcome(entry: &Value) -> String {
    let label = entry["applicability"].as_str().map(|a| format!(" ({a})")).unwrap_or_default();
    format!("{}{label}", entry["status"].as_str().unwrap_or("?"))
}

/// The compact summary of one file's JSON entry; fields that are missing are left out.
fn summarize(out: &mut String, entry: &Value) {
    let code = entry.get("code").filter(|c| !c.is_null()).map(|c| format!(" [{}]", text(c))).unwrap_or_default();
    writeln!(out, "  {}{code}", outcome(entry)).unwrap();
    if let (Some(b), Some(r)) = (entry["builder"].as_str(), entry["runtime"].as_str()) {
        writeln!(out, "  pair: {b} -> {r}").unwrap();
    }
    for key in ["estimate_mb", "estimate"] {
        if let Some(e) = entry.get(key).filter(|e| !e.is_null()) {
            writeln!(out, "  {key}: {e}").unwrap();
        }
    }
    for a in entry["artifacts"].as_array().into_iter().flatten() {
        let (from, to) = (a["from"].as_str().unwrap_or("?"), a["to"].as_str().unwrap_or("?"));
        let why = a["why"].as_str().map(|w| format!(" ({w})")).unwrap_or_default();
        writeln!(out, "  copy: {from} -> {to}{why}").unwrap();
    }
    // Steps the rewrite adds besides FROM and the copies (packages, users, state, ENV, USER).
    for l in entry["diff"].as_str().unwrap_or_default().lines() {
        let Some(added) = l.strip_prefix('+').filter(|a| !a.starts_with("++")) else { continue };
        let kw = added.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        if !added.trim().is_empty() && !matches!(kw.as_str(), "FROM" | "COPY" | "WORKDIR") {
            writeln!(out, "  step: {}", added.trim()).unwrap();
        }
    }
    for r in entry["reasons"].as_array().into_iter().flatten() {
        writeln!(out, "  reason: {}", text(r)).unwrap();
    }
    if let Some(r) = entry.get("reason").filter(|r| !r.is_null()) {
        writeln!(out, "  skip: {}", text(r)).unwrap();
    }
    if let Some(e) = entry.get("error").filter(|e| !e.is_null()) {
        writeln!(out, "  error: {}", text(e)).unwrap();
    }
}

#[test]
fn decisions_with_build_context() {
    let Some(dir) = contexts_dir() else {
        eprintln!("SKIPPED: build contexts not found (set RESTAGE_CONTEXTS)");
        return;
    };
    let contexts = read_contexts(&dir);
    assert!(contexts.len() >= 100, "CONTEXTS.tsv lists {} contexts", contexts.len());
    // Some 12 000 small files: on a busy disk, creating and deleting them dominates the test, so
    // a memory file system is used where there is one.
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.unwrap();
    let dockerfiles: Vec<(PathBuf, PathBuf)> = contexts
        .iter()
        .map(|c| (context_root(&tmp.path().join(&c.file), c), context_root(&tmp.path().join(&c.file), c).join(dockerfile_in_context(c))))
        .collect();
    // 11 000 stand-in files: laid out on two threads.
    std::thread::scope(|s| {
        for half in [0, 1] {
            let (contexts, dir, root) = (&contexts, &dir, tmp.path());
            s.spawn(move || contexts.iter().skip(half).step_by(2).for_each(|c| lay_out_repo(&dir.join(&c.file), &root.join(&c.file), c)));
        }
    });
    for (c, (_, df)) in contexts.iter().zip(&dockerfiles) {
        assert!(df.is_file(), "{}: no Dockerfile at {}", c.file, df.display());
    }
    // Contexts whose Dockerfile sits at their root go through one restage run (the default
    // context is the Dockerfile's folder); the others need their own `--context`.
    let restage = |args: &[&std::ffi::OsStr]| -> Vec<Value> {
        let out = Command::cargo_bin("restage").unwrap().args(["--format", "json", "--explain"]).args(args).output().unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
        v["files"].as_array().unwrap().clone()
    };
    let mut by_path = std::collections::HashMap::new();
    let (at_root, nested): (Vec<_>, Vec<_>) = dockerfiles.iter().partition(|(ctx, df)| df.parent() == Some(ctx.as_path()));
    let mut entries = restage(&at_root.iter().map(|(_, df)| df.as_os_str()).collect::<Vec<_>>());
    for (ctx, df) in nested {
        entries.extend(restage(&["--context".as_ref(), ctx.as_os_str(), df.as_os_str()]));
    }
    for e in entries {
        by_path.insert(e["path"].as_str().unwrap().to_string(), e);
    }
    assert_eq!(by_path.len(), contexts.len(), "one result per context");
    let mut summary = String::new();
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for (c, (_, df)) in contexts.iter().zip(&dockerfiles) {
        let entry = by_path.get(df.to_string_lossy().as_ref()).unwrap_or_else(|| panic!("{}: no result", c.file));
        let compose = if c.compose_files.is_empty() { String::new() } else { format!("  [compose: {}]", c.compose_files) };
        writeln!(summary, "{}{compose}", c.file).unwrap();
        summarize(&mut summary, entry);
        *counts.entry(outcome(entry)).or_default() += 1;
    }
    let totals: Vec<String> = counts.iter().map(|(k, n)| format!("{k}: {n}")).collect();
    let summary = format!("{} contexts; {}\n\n{summary}", contexts.len(), totals.join(", "));
    insta::assert_snapshot!("decisions", summary);
}
