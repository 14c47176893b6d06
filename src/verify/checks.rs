//! The checks `--verify` runs besides the smoke runs, one verdict each: what a reviewer of
//! the rewrite would look for, proven on the built images.
//!
//! - `healthcheck`: the image's HEALTHCHECK is run in a running container of both images;
//!   a dropped `curl` only shows there.
//! - `entrypoint-tools`: the shell script the program starts through is read from the
//!   rewritten image, and every command it calls is looked up with `command -v` in both
//!   images (a tool called only on some paths never shows in a smoke run).
//! - `libraries`: every ELF file under the paths copied into the runtime finds its shared
//!   libraries there ([`super::libs`]).
//! - `ports`, `user`, `workdir`, `env`: the configuration the original Dockerfile declared
//!   must be kept; what only the base images differ in is a note.
//! - `size`: before → after, next to restage's static estimate.

use super::engine::{Engine, ImageConfig, Outcome};
use super::libs;
use crate::document::{Details, Document, Kind, split_assignments};
use crate::shell::{is_assignment, is_shell, join, program_commands, script_commands};
use serde::Serialize;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    Ports,
    User,
    Workdir,
    Env,
    Healthcheck,
    EntrypointTools,
    Libraries,
    Size,
}

impl CheckKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Ports => "ports",
            CheckKind::User => "user",
            CheckKind::Workdir => "workdir",
            CheckKind::Env => "env",
            CheckKind::Healthcheck => "healthcheck",
            CheckKind::EntrypointTools => "entrypoint-tools",
            CheckKind::Libraries => "libraries",
            CheckKind::Size => "size",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckVerdict {
    /// The rewritten image does what the original does.
    Pass,
    /// The rewrite is wrong here (the file's verdict is `different`).
    Fail,
    /// A difference that is not the rewrite's fault, or a number to look at.
    Note,
    /// The check could not run (no shell in the runtime, engine limits); `detail` says why.
    NotRun,
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub check: CheckKind,
    pub verdict: CheckVerdict,
    pub detail: String,
    /// The names at fault: libraries, tools, environment variables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

impl Check {
    fn new(check: CheckKind, verdict: CheckVerdict, detail: impl Into<String>) -> Check {
        Check { check, verdict, detail: detail.into(), missing: Vec::new() }
    }
    fn with(mut self, missing: Vec<String>) -> Check {
        self.missing = missing;
        self
    }
}

/// What the original Dockerfile itself declares (as opposed to what its base image brings).
#[derive(Debug, Default)]
pub struct Declared {
    pub env: Vec<String>,
    /// Variables whose value refers to another (`PATH=/opt/venv/bin:$PATH`): their value
    /// follows the base image, so a change is a note.
    pub env_derived: Vec<String>,
    pub user: bool,
    pub workdir: bool,
}

impl Declared {
    pub fn of(original: &str) -> Declared {
        let mut d = Declared::default();
        let Ok(doc) = Document::parse(original) else { return d };
        // The final stage (a single-stage file: the whole file).
        let Some(stage) = doc.stages.last() else { return d };
        for ins in doc.stage_instructions(stage) {
            match ins.kind {
                Kind::Env => {
                    for (k, v) in split_assignments(ins.args(), doc.escape) {
                        if v.as_deref().is_some_and(|v| v.contains('$')) {
                            d.env_derived.push(k.clone());
                        }
                        d.env.push(k);
                    }
                }
                Kind::User => d.user = true,
                Kind::Workdir => d.workdir = true,
                _ => {}
            }
        }
        d.env.sort();
        d.env.dedup();
        d
    }
}

/// The image paths the runtime stage of `rewritten` copies from another stage or image
/// (`COPY --from=…` destinations, relative ones against the stage's WORKDIR).
pub fn copied_paths(rewritten: &str) -> Vec<String> {
    let Ok(doc) = Document::parse(rewritten) else { return Vec::new() };
    let Some(stage) = doc.stages.last() else { return Vec::new() };
    let mut workdir = "/".to_string();
    let mut out = Vec::new();
    for ins in doc.stage_instructions(stage) {
        match (&ins.kind, &ins.details) {
            (Kind::Workdir, _) => workdir = join(&workdir, ins.args()),
            (Kind::Copy | Kind::Add, Details::Copy { dest, .. }) if ins.flag("from").is_some() && !dest.contains('$') => {
                let p = join(&workdir, dest);
                if !out.contains(&p) {
                    out.push(p);
                }
            }
            _ => {}
        }
    }
    out
}

/// Ports, user, working directory and environment.
pub fn config(a: &ImageConfig, b: &ImageConfig, declared: &Declared) -> Vec<Check> {
    let mut v = Vec::new();
    let lost: Vec<String> = a.ports.iter().filter(|p| !b.ports.contains(p)).cloned().collect();
    let added: Vec<&String> = b.ports.iter().filter(|p| !a.ports.contains(p)).collect();
    v.push(if !lost.is_empty() {
        Check::new(CheckKind::Ports, CheckVerdict::Fail, format!("exposed ports lost: {}", lost.join(", "))).with(lost)
    } else if !added.is_empty() {
        Check::new(CheckKind::Ports, CheckVerdict::Note, format!("exposed ports added: {added:?}"))
    } else {
        Check::new(CheckKind::Ports, CheckVerdict::Pass, if a.ports.is_empty() { "none exposed".to_string() } else { a.ports.join(", ") })
    });
    let show = |u: &str| if u.is_empty() { "(default: root)".to_string() } else { format!("`{u}`") };
    let is_root = |u: &str| matches!(u.split(':').next().unwrap_or(u), "" | "root" | "0");
    v.push(if a.user == b.user {
        Check::new(CheckKind::User, CheckVerdict::Pass, show(&a.user))
    } else if declared.user && is_root(&b.user) && !is_root(&a.user) {
        Check::new(CheckKind::User, CheckVerdict::Fail, format!("the program runs as root instead of {}", show(&a.user)))
    } else if declared.user && !b.user.split(':').next().unwrap_or_default().chars().all(|c| c.is_ascii_digit()) {
        Check::new(CheckKind::User, CheckVerdict::Fail, format!("USER {} → {}", show(&a.user), show(&b.user)))
    } else {
        // A name mapped to its numeric uid, or a runtime image's own user (distroless nonroot).
        Check::new(CheckKind::User, CheckVerdict::Note, format!("{} → {}", show(&a.user), show(&b.user)))
    });
    v.push(if a.workdir == b.workdir {
        Check::new(CheckKind::Workdir, CheckVerdict::Pass, if a.workdir.is_empty() { "/".to_string() } else { a.workdir.clone() })
    } else {
        let verdict = if declared.workdir { CheckVerdict::Fail } else { CheckVerdict::Note };
        Check::new(CheckKind::Workdir, verdict, format!("`{}` → `{}`", a.workdir, b.workdir))
    });
    // Environment: the file's own ENV must be kept with its value; the base images' differ.
    let mut lost = Vec::new();
    let mut changed = Vec::new();
    for k in &declared.env {
        match (a.env_var(k), b.env_var(k)) {
            (Some(_), None) => lost.push(k.clone()),
            (Some(x), Some(y)) if x != y && !declared.env_derived.contains(k) => changed.push(k.clone()),
            _ => {}
        }
    }
    let base_diff: Vec<String> = a
        .env
        .iter()
        .filter_map(|e| e.split_once('=').map(|(k, _)| k))
        .filter(|k| (!declared.env.iter().any(|d| d == k) || declared.env_derived.iter().any(|d| d == k)) && a.env_var(k) != b.env_var(k))
        .map(String::from)
        .collect();
    v.push(if !lost.is_empty() || !changed.is_empty() {
        let mut parts = Vec::new();
        if !lost.is_empty() {
            parts.push(format!("lost: {}", lost.join(", ")));
        }
        if !changed.is_empty() {
            parts.push(format!("changed: {}", changed.join(", ")));
        }
        Check::new(CheckKind::Env, CheckVerdict::Fail, format!("variables the Dockerfile sets, {}", parts.join("; "))).with([lost, changed].concat())
    } else if !base_diff.is_empty() {
        Check::new(
            CheckKind::Env,
            CheckVerdict::Note,
            format!("the Dockerfile's {} kept; from the base images, differ: {}", declared.env.len(), base_diff.join(", ")),
        )
    } else {
        Check::new(CheckKind::Env, CheckVerdict::Pass, format!("{} variables, the Dockerfile's {} included", a.env.len(), declared.env.len()))
    });
    v
}

/// Size before → after, next to the static estimate.
pub fn size(before: u64, after: u64, estimate_mb: Option<u64>) -> Check {
    let mb = |n: u64| n as f64 / 1e6;
    let saved = mb(before) - mb(after);
    let pct = if before > 0 { (after as f64 / before as f64 - 1.0) * 100.0 } else { 0.0 };
    let est = match estimate_mb {
        Some(e) => format!("; static estimate -{e} MB"),
        None => "; no static estimate".to_string(),
    };
    let detail = format!("{:.1} MB → {:.1} MB ({:+.1} MB, {pct:+.1}%){est}", mb(before), mb(after), -saved);
    Check::new(CheckKind::Size, if after < before { CheckVerdict::Pass } else { CheckVerdict::Note }, detail)
}

/// What a HEALTHCHECK run gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Health {
    pub exit: Option<i32>,
    pub output: String,
    /// Run in a fresh container without the program (it exited, or buildah).
    pub alone: bool,
}

/// The command a HEALTHCHECK test runs; None for `NONE` or an empty test.
pub fn health_argv(test: &[String]) -> Option<Vec<String>> {
    match test.split_first() {
        Some((k, rest)) if k == "CMD-SHELL" => Some(vec!["/bin/sh".into(), "-c".into(), rest.join(" ")]),
        Some((k, rest)) if k == "CMD" && !rest.is_empty() => Some(rest.to_vec()),
        _ => None,
    }
}

/// Exit codes that say the command could not run at all (not found, not executable): no
/// point waiting for the server.
fn cannot_run(code: Option<i32>) -> bool {
    matches!(code, Some(126 | 127))
}

/// Runs the HEALTHCHECK of `image` in a running container, retrying until it passes, it
/// cannot run, or `limit` passes.
pub fn run_health(engine: &Engine, image: &str, name: &str, argv: &[String], limit: Duration) -> anyhow::Result<Health> {
    let once = |alone| -> anyhow::Result<Health> {
        let o = engine.run_argv(image, &format!("{name}-alone"), argv, limit)?;
        Ok(Health { exit: o.exit, output: output_tail(&o), alone })
    };
    if engine.start_detached(image, name)?.is_none() {
        return once(true);
    }
    let start = Instant::now();
    let mut last: Option<Health> = None;
    let result = loop {
        if !engine.running(name) {
            break match last {
                // It ran while the program was up: that answer stands.
                Some(h) => Ok(h),
                None => once(true),
            };
        }
        match engine.exec(name, argv, Duration::from_secs(10)) {
            Ok(o) => {
                let h = Health { exit: o.exit, output: output_tail(&o), alone: false };
                // A tool the shell cannot find will not appear by waiting.
                if h.exit == Some(0) || cannot_run(h.exit) || !not_found(&h.output).is_empty() || start.elapsed() >= limit {
                    break Ok(h);
                }
                last = Some(h);
            }
            Err(e) => break Err(e),
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    engine.remove_container(name);
    result
}

/// Compares the HEALTHCHECK results of both images.
pub fn compare_health(test: &[String], a: &Health, b: &Health) -> Check {
    let how = |h: &Health| if h.alone { " (run alone: the program had exited)" } else { "" };
    let code = |h: &Health| h.exit.map_or("none: still running".to_string(), |c| c.to_string());
    let shown = test.join(" ");
    match (a.exit, b.exit) {
        (Some(0), Some(0)) => Check::new(CheckKind::Healthcheck, CheckVerdict::Pass, format!("`{shown}` passes in both{}", how(b))),
        (Some(0), _) => Check::new(
            CheckKind::Healthcheck,
            CheckVerdict::Fail,
            format!("`{shown}` passes in the original, fails in the rewritten (exit {}): {}", code(b), last_line(&b.output)),
        )
        .with(not_found(&b.output)),
        (x, y) if x == y => Check::new(CheckKind::Healthcheck, CheckVerdict::Note, format!("`{shown}` fails in both (exit {})", code(a))),
        (_, y) if cannot_run(y) => Check::new(
            CheckKind::Healthcheck,
            CheckVerdict::Fail,
            format!("`{shown}` cannot run in the rewritten (exit {}): {}", code(b), last_line(&b.output)),
        )
        .with(not_found(&b.output)),
        _ => Check::new(CheckKind::Healthcheck, CheckVerdict::Note, format!("`{shown}`: exit {} in the original, {} in the rewritten", code(a), code(b))),
    }
}

/// Tools a shell said it could not find (`sh: 1: curl: not found`, podman's
/// "executable file `curl` not found", docker's `exec: "curl": executable file not found`).
fn not_found(output: &str) -> Vec<String> {
    let mut v = Vec::new();
    for l in output.lines() {
        let name = if let Some(rest) = l.strip_suffix(": not found") {
            rest.rsplit(": ").next()
        } else if let Some(i) = l.find("executable file") {
            let before = &l[..i];
            let after = &l[i..];
            after.split('`').nth(1).or_else(|| before.rsplit('"').nth(1))
        } else {
            None
        };
        if let Some(n) = name.map(str::trim).filter(|n| !n.is_empty() && !v.iter().any(|x| x == n)) {
            v.push(n.to_string());
        }
    }
    v
}

/// Marks the script files printed by [`READ_SCRIPTS`].
const SCRIPT_MARK: &str = "restage-script ";

/// For each argument that names a shell script (`#!` line naming a shell), prints a marker
/// line with the name, then the script.
const READ_SCRIPTS: &str = r#"for f; do p=$(command -v "$f" 2>/dev/null) || continue; [ -f "$p" ] || continue
IFS= read -r l < "$p" || continue
case "$l" in '#!'*sh*) echo "restage-script $f"; cat "$p"; echo;; esac; done"#;

/// Prints each argument that `command -v` does not find.
const LOOKUP: &str = r#"for t; do command -v "$t" >/dev/null 2>&1 || echo "$t"; done"#;

/// The files the program may start through: each command's program, and the script a shell
/// is given (`sh ./start.sh`).
pub fn script_candidates(argv: &[String]) -> Vec<String> {
    let mut v = Vec::new();
    for cmd in program_commands(argv) {
        let Some(first) = cmd.first() else { continue };
        let cand = if is_shell(first) { cmd.iter().skip(1).find(|w| !w.starts_with('-')) } else { Some(first) };
        if let Some(c) = cand.filter(|c| !c.contains('$') && !v.contains(*c)) {
            v.push(c.clone());
        }
    }
    v
}

/// The programs a shell script calls (its own functions, variables and assignments left out).
pub fn script_tools(script: &str) -> Vec<String> {
    let functions: BTreeSet<String> = script
        .lines()
        .filter_map(|l| {
            let l = l.trim_start().strip_prefix("function ").unwrap_or(l.trim_start());
            let name: String = l.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
            (!name.is_empty() && l[name.len()..].trim_start().starts_with("()")).then_some(name)
        })
        .collect();
    let mut tools: Vec<String> = Vec::new();
    for cmd in script_commands(script) {
        let Some(w) = cmd.into_iter().find(|w| !is_assignment(w)) else { continue };
        let bad = w.is_empty() || w.contains(['$', '`', '"', '\'', '=', '(', ')', '{', '}', '<', '>']) || w.starts_with('-') || w.starts_with('#');
        if bad || functions.contains(&w) || matches!(w.as_str(), "[[" | "]]" | "in" | "esac" | ";;") || tools.contains(&w) {
            continue;
        }
        tools.push(w);
    }
    tools
}

/// The entrypoint-script check; None when the program does not start through a shell script.
pub fn entrypoint_tools(engine: &Engine, tags: (&str, &str), b: &ImageConfig, name: &dyn Fn(&str) -> String, limit: Duration) -> Option<Check> {
    let argv = [b.entrypoint.clone(), b.cmd.clone()].concat();
    let candidates = script_candidates(&argv);
    if candidates.is_empty() {
        return None;
    }
    let read = match engine.shell(tags.1, &name("scripts"), READ_SCRIPTS, &candidates, limit) {
        Ok(Some(o)) => o,
        Ok(None) => return None,
        Err(e) => return Some(Check::new(CheckKind::EntrypointTools, CheckVerdict::NotRun, format!("{e:#}"))),
    };
    let mut scripts: Vec<(String, String)> = Vec::new();
    for chunk in read.stdout.split(SCRIPT_MARK).skip(1) {
        let (file, text) = chunk.split_once('\n').unwrap_or((chunk, ""));
        scripts.push((file.trim().to_string(), text.to_string()));
    }
    if scripts.is_empty() {
        return None;
    }
    let mut tools: Vec<String> = Vec::new();
    for (_, text) in &scripts {
        for t in script_tools(text) {
            if !tools.contains(&t) {
                tools.push(t);
            }
        }
    }
    let files: Vec<&str> = scripts.iter().map(|(f, _)| f.as_str()).collect();
    let lookup = |tag: &str, which: &str| -> Result<Vec<String>, String> {
        match engine.shell(tag, &name(which), LOOKUP, &tools, limit) {
            Ok(Some(o)) => Ok(o.stdout.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()),
            Ok(None) => Err("no shell".to_string()),
            Err(e) => Err(format!("{e:#}")),
        }
    };
    let (in_a, in_b) = match (lookup(tags.0, "tools-o"), lookup(tags.1, "tools-n")) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Some(Check::new(CheckKind::EntrypointTools, CheckVerdict::NotRun, e)),
    };
    let lost: Vec<String> = in_b.iter().filter(|t| !in_a.contains(t)).cloned().collect();
    Some(if !lost.is_empty() {
        Check::new(CheckKind::EntrypointTools, CheckVerdict::Fail, format!("{} calls {}, missing in the rewritten image", files.join(", "), lost.join(", ")))
            .with(lost)
    } else if !in_a.is_empty() {
        Check::new(CheckKind::EntrypointTools, CheckVerdict::Note, format!("{} calls {}, missing in both images", files.join(", "), in_a.join(", ")))
    } else {
        Check::new(CheckKind::EntrypointTools, CheckVerdict::Pass, format!("{}: all {} commands found ({})", files.join(", "), tools.len(), tools.join(" ")))
    })
}

/// The library check of the paths copied into the rewritten image; unresolved libraries
/// that the original image lacks at the same path too are notes.
pub fn libraries(engine: &Engine, tags: (&str, &str), b: &ImageConfig, paths: &[String], name: &dyn Fn(&str) -> String, limit: Duration) -> Check {
    if paths.is_empty() {
        return Check::new(CheckKind::Libraries, CheckVerdict::NotRun, "the runtime stage copies nothing from the builder");
    }
    let ldd = |tag: &str, which: &str| -> Option<Vec<libs::Missing>> {
        match engine.shell(tag, &name(which), libs::LDD_SCRIPT, paths, limit.max(Duration::from_secs(60))) {
            Ok(Some(o)) => libs::parse_ldd(&o.stdout),
            _ => None,
        }
    };
    let (missing, how) = match ldd(tags.1, "ldd-n") {
        Some(m) => (m, "ldd in the rewritten container"),
        None => {
            let dir = match tempfile::Builder::new().prefix("restage-verify-fs-").tempdir() {
                Ok(d) => d,
                Err(e) => return Check::new(CheckKind::Libraries, CheckVerdict::NotRun, format!("no temp folder: {e}")),
            };
            let root = match engine.export(tags.1, &name("fs"), dir.path()) {
                Ok(r) => r,
                Err(e) => return Check::new(CheckKind::Libraries, CheckVerdict::NotRun, format!("{e:#}")),
            };
            let m = libs::missing_in_root(&root, paths, b.env_var("LD_LIBRARY_PATH"));
            engine.remove_container(&name("fs"));
            (m, "ELF files read from the exported filesystem")
        }
    };
    let shown = paths.join(", ");
    if missing.is_empty() {
        return Check::new(CheckKind::Libraries, CheckVerdict::Pass, format!("every ELF file under {shown} finds its libraries ({how})"));
    }
    // The same file missing the same library in the original is not the rewrite's doing.
    let before = ldd(tags.0, "ldd-o").unwrap_or_default();
    let (old, new): (Vec<libs::Missing>, Vec<libs::Missing>) = missing.into_iter().partition(|m| before.contains(m));
    let list = |v: &[libs::Missing]| v.iter().map(|m| format!("{} (needed by {})", m.library, m.file)).collect::<Vec<_>>().join(", ");
    let names = |v: &[libs::Missing]| {
        let mut n: Vec<String> = v.iter().map(|m| m.library.clone()).collect();
        n.dedup();
        n
    };
    if new.is_empty() {
        return Check::new(CheckKind::Libraries, CheckVerdict::Note, format!("unresolved in both images ({how}): {}", list(&old)));
    }
    let mut names_new = names(&new);
    names_new.sort();
    names_new.dedup();
    Check::new(CheckKind::Libraries, CheckVerdict::Fail, format!("missing in the rewritten image ({how}): {}", list(&new))).with(names_new)
}

fn output_tail(o: &Outcome) -> String {
    let all: Vec<&str> = o.stdout.lines().chain(o.stderr.lines()).filter(|l| !l.trim().is_empty()).collect();
    all[all.len().saturating_sub(4)..].join("\n")
}

fn last_line(s: &str) -> String {
    s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no output").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(f: impl FnOnce(&mut ImageConfig)) -> ImageConfig {
        let mut c = ImageConfig::default();
        f(&mut c);
        c
    }

    #[test]
    fn the_dockerfiles_own_env_user_and_workdir_must_be_kept_the_base_images_are_notes() {
        let declared = Declared::of("FROM python:3.11\nENV APP_MODE=prod PORT=8000 PATH=/app/bin:$PATH\nWORKDIR /app\nUSER app\nCMD [\"x\"]\n");
        assert_eq!(declared.env, ["APP_MODE", "PATH", "PORT"]);
        assert_eq!(declared.env_derived, ["PATH"]);
        assert!(declared.user && declared.workdir);
        let a = cfg(|c| {
            c.env = vec!["PATH=/usr/local/bin:/usr/bin".into(), "APP_MODE=prod".into(), "PORT=8000".into(), "GPG_KEY=x".into()];
            c.user = "app".into();
            c.workdir = "/app".into();
            c.ports = vec!["8000/tcp".into()];
        });
        let ok = cfg(|c| {
            c.env = vec!["PATH=/usr/bin".into(), "APP_MODE=prod".into(), "PORT=8000".into()];
            c.user = "1000".into();
            c.workdir = "/app".into();
            c.ports = vec!["8000/tcp".into()];
        });
        let v: Vec<(CheckKind, CheckVerdict)> = config(&a, &ok, &declared).iter().map(|c| (c.check, c.verdict)).collect();
        assert_eq!(
            v,
            [
                (CheckKind::Ports, CheckVerdict::Pass),
                (CheckKind::User, CheckVerdict::Note),
                (CheckKind::Workdir, CheckVerdict::Pass),
                (CheckKind::Env, CheckVerdict::Note)
            ]
        );
        let bad = cfg(|c| {
            c.env = vec!["APP_MODE=dev".into()];
            c.workdir = "/".into();
        });
        let checks = config(&a, &bad, &declared);
        assert!(checks.iter().all(|c| c.verdict == CheckVerdict::Fail), "{checks:#?}");
        assert_eq!(checks[0].missing, ["8000/tcp"]);
        assert_eq!(checks[3].missing, ["PATH", "PORT", "APP_MODE"]);
        assert!(checks[1].detail.contains("runs as root"), "{}", checks[1].detail);
        // Without USER/WORKDIR in the file, the base images' differences are notes.
        let v = config(&a, &bad, &Declared::of("FROM x\nCMD y\n"));
        assert_eq!((v[1].verdict, v[2].verdict), (CheckVerdict::Note, CheckVerdict::Note));
    }

    #[test]
    fn copied_paths_are_the_runtime_stages_copies_from_elsewhere() {
        let text = "FROM python:3.11 AS builder\nWORKDIR /app\nCOPY . .\nFROM python:3.11-slim\nWORKDIR /app\nCOPY --from=builder /usr/local/lib/python3.11/dist-packages /usr/local/lib/python3.11/dist-packages\nCOPY --from=builder /app/app.py .\nCOPY entrypoint.sh /x\nCOPY --from=builder /app/bin bin/\n";
        assert_eq!(copied_paths(text), ["/usr/local/lib/python3.11/dist-packages", "/app", "/app/bin"]);
    }

    #[test]
    fn healthcheck_verdicts() {
        let t = vec!["CMD-SHELL".to_string(), "curl -f http://localhost:8000/ || exit 1".to_string()];
        assert_eq!(health_argv(&t).unwrap()[0], "/bin/sh");
        assert_eq!(health_argv(&["NONE".to_string()]), None);
        let h = |exit, out: &str| Health { exit: Some(exit), output: out.into(), alone: false };
        let c = compare_health(&t, &h(0, ""), &h(127, "/bin/sh: 1: curl: not found"));
        assert_eq!((c.verdict, c.missing.clone()), (CheckVerdict::Fail, vec!["curl".to_string()]));
        assert_eq!(compare_health(&t, &h(0, ""), &h(0, "")).verdict, CheckVerdict::Pass);
        assert_eq!(compare_health(&t, &h(7, ""), &h(7, "")).verdict, CheckVerdict::Note);
        let c = compare_health(&t, &h(7, ""), &h(127, "Error: crun: executable file `curl` not found in $PATH: No such file or directory"));
        assert_eq!((c.verdict, c.missing.clone()), (CheckVerdict::Fail, vec!["curl".to_string()]));
        let docker = "OCI runtime exec failed: exec failed: unable to start container process: exec: \"wget\": executable file not found in $PATH: unknown";
        assert_eq!(not_found(docker), ["wget"]);
    }

    #[test]
    fn script_tools_are_the_commands_a_script_calls() {
        let script = "#!/bin/sh\nset -e\nwait_for() {\n  nc -z \"$1\" \"$2\"\n}\nif [ -n \"$CONFIG_URL\" ]; then\n  curl -fsS \"$CONFIG_URL\" -o /app/config.json\nfi\nFOO=1 envsubst < a > b\nwait_for db 5432\nexec \"$@\"\n";
        assert_eq!(script_tools(script), ["set", "nc", "[", "curl", "envsubst"]);
        assert_eq!(script_candidates(&["/app/entrypoint.sh".into(), "python".into(), "app.py".into()]), ["/app/entrypoint.sh"]);
        assert_eq!(script_candidates(&["sh".into(), "-c".into(), "./start.sh && node x".into()]), ["./start.sh", "node"]);
        assert_eq!(script_candidates(&["bash".into(), "run.sh".into()]), ["run.sh"]);
    }

    #[test]
    fn size_sits_next_to_the_estimate() {
        let c = size(1_000_000_000, 150_000_000, Some(800));
        assert_eq!((c.verdict, c.detail.as_str()), (CheckVerdict::Pass, "1000.0 MB → 150.0 MB (-850.0 MB, -85.0%); static estimate -800 MB"));
        assert_eq!(size(10, 20, None).verdict, CheckVerdict::Note);
    }
}
