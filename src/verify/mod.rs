//! `--verify`: build the original and the rewritten Dockerfile, run both images the same
//! way, and compare what they do (exit code, stdout, optionally an HTTP response), then run
//! the checks a reviewer would ([`checks`]): the HEALTHCHECK in both, the tools of the
//! entrypoint script, the shared libraries of the copied files ([`libs`]), the kept
//! configuration (ports, user, working directory, environment) and the size next to the
//! static estimate.
//!
//! This is the only mode in which restage runs anything a Dockerfile says: builds execute
//! the file's RUN instructions and runs start its program. Runs get no network (`--network
//! none`) except the `--probe` run, which needs the host network to be reached. Everything
//! created (images, containers, the temp folder holding the rewritten file) is removed
//! afterwards unless `--keep`.

pub mod checks;
pub mod driver;
pub mod engine;
pub mod libs;
pub mod output;
pub mod probe;

use crate::document::words::shell_words;
use crate::outcome::FileOutcome;
use engine::{Engine, ImageConfig, Outcome};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct Options {
    /// Argument sets for the runs; an empty set runs the image's own CMD.
    pub smoke: Vec<Vec<String>>,
    pub probe: Option<probe::Target>,
    pub keep: bool,
    pub timeout: Duration,
    pub context: Option<PathBuf>,
}

impl Options {
    pub fn new(smoke: &[String], probe: Option<&str>, keep: bool, timeout_secs: u64, context: Option<PathBuf>) -> Result<Options, String> {
        let mut sets: Vec<Vec<String>> = smoke.iter().map(|s| shell_words(s, '\\')).collect();
        if sets.is_empty() {
            sets.push(Vec::new());
        }
        let probe = probe.map(probe::Target::parse).transpose()?;
        Ok(Options { smoke: sets, probe, keep, timeout: Duration::from_secs(timeout_secs.max(1)), context })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Both built, and every run and probe gave the same result.
    Same,
    /// The rewritten file does not build, or behaves differently: the rewrite is wrong.
    Different,
    /// The original does not build or the engine failed: nothing can be said.
    Inconclusive,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub path: String,
    pub verdict: Verdict,
    /// Why, one line each: what differed, or notes on a same verdict.
    pub reasons: Vec<String>,
    pub size_before: Option<u64>,
    pub size_after: Option<u64>,
    pub build_secs_before: Option<f64>,
    pub build_secs_after: Option<f64>,
    /// restage's static estimate of the saving, in MB (see the `size` check).
    pub estimate_mb: Option<u64>,
    /// Each check with its own verdict; a failed one makes the file's verdict `different`.
    pub checks: Vec<checks::Check>,
    /// Last lines of a failed build or of differing runs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub log_tail: Vec<String>,
}

impl Report {
    fn new(path: &str) -> Report {
        Report {
            path: path.to_string(),
            verdict: Verdict::Same,
            reasons: Vec::new(),
            size_before: None,
            size_after: None,
            build_secs_before: None,
            build_secs_after: None,
            estimate_mb: None,
            checks: Vec::new(),
            log_tail: Vec::new(),
        }
    }
    fn differ(&mut self, why: String) {
        self.verdict = Verdict::Different;
        self.reasons.push(why);
    }
    fn inconclusive(&mut self, why: String) {
        self.verdict = Verdict::Inconclusive;
        self.reasons.push(why);
    }
    /// Records a check; a failure is a difference, its detail a reason.
    fn check(&mut self, c: checks::Check) {
        use checks::CheckVerdict as V;
        let line = format!("{}: {}", c.check.as_str(), c.detail);
        match c.verdict {
            V::Fail if self.verdict != Verdict::Inconclusive => self.differ(line),
            V::Fail | V::Pass => self.reasons.push(line),
            V::Note => self.reasons.push(format!("note: {line}")),
            V::NotRun => self.reasons.push(format!("not checked: {line}")),
        }
        self.checks.push(c);
    }
}

/// Verifies every file with a pending rewrite, in order, one at a time (builds are heavy).
pub fn verify_all(engine: &Engine, opts: &Options, results: &[FileOutcome], mut progress: impl FnMut(&Report)) -> Vec<Report> {
    let mut reports = Vec::new();
    for (i, r) in results.iter().enumerate() {
        let Some(new) = r.changed() else { continue };
        let report = verify_one(engine, opts, i, r, new);
        progress(&report);
        reports.push(report);
    }
    reports
}

fn verify_one(engine: &Engine, opts: &Options, index: usize, r: &FileOutcome, new: &str) -> Report {
    let mut rep = Report::new(&r.display);
    rep.estimate_mb = r.rewrite().and_then(|w| w.estimate_mb);
    let (dir, original, rewritten) = match prepare(r, new) {
        Ok(p) => p,
        Err(e) => {
            rep.inconclusive(e);
            return rep;
        }
    };
    // The context the rewrite was planned with (it may be an ancestor folder, see plan::context).
    let planned = r.rewrite().and_then(|a| a.context.clone());
    let fs_dir = (!r.stdin).then(|| parent_or_dot(&r.path));
    let context = opts.context.clone().or(planned).or(fs_dir).unwrap_or_else(|| PathBuf::from("."));
    let tag = |which: &str| format!("localhost/restage-verify:{}-{index}-{which}", std::process::id());
    let (tag_old, tag_new) = (tag("original"), tag("rewritten"));

    let dangling_before = engine.dangling_images();
    compare(engine, opts, &mut rep, (&original, &rewritten), &context, (&tag_old, &tag_new), index);
    if rep.size_after.is_some() {
        run_checks(engine, opts, &mut rep, (&r.original, new), (&tag_old, &tag_new), index);
    }

    if opts.keep {
        let kept = dir.keep();
        rep.reasons.push(format!("kept: images {tag_old} and {tag_new}, folder {}", kept.display()));
    } else {
        engine.remove_image(&tag_old);
        engine.remove_image(&tag_new);
        for id in engine.dangling_images().into_iter().filter(|id| !dangling_before.contains(id)) {
            engine.remove_image(&id);
        }
    }
    rep
}

fn compare(engine: &Engine, opts: &Options, rep: &mut Report, files: (&Path, &Path), context: &Path, tags: (&str, &str), index: usize) {
    // Both builds: the original failing says nothing about the rewrite (inconclusive), the
    // rewrite failing is a difference.
    for (file, tag, original) in [(files.0, tags.0, true), (files.1, tags.1, false)] {
        match engine.build(file, context, tag) {
            Ok(o) if o.exit == Some(0) => *(if original { &mut rep.build_secs_before } else { &mut rep.build_secs_after }) = Some(o.secs),
            Ok(o) => {
                let why = format!("the {} does not build (exit {})", if original { "original" } else { "rewritten file" }, code(&o));
                if original {
                    rep.inconclusive(why)
                } else {
                    rep.differ(why)
                }
                rep.log_tail = tail(&o, 15);
                return;
            }
            Err(e) => return rep.inconclusive(format!("{e:#}")),
        }
    }
    rep.size_before = engine.size(tags.0).ok();
    rep.size_after = engine.size(tags.1).ok();
    for (k, args) in opts.smoke.iter().enumerate() {
        let label = if args.is_empty() { "run (image CMD)".to_string() } else { format!("run `{}`", args.join(" ")) };
        let a = engine.run(tags.0, &container(index, &format!("{k}-o")), args, opts.timeout);
        let b = engine.run(tags.1, &container(index, &format!("{k}-n")), args, opts.timeout);
        match (a, b) {
            (Ok(a), Ok(b)) => compare_runs(rep, &label, &a, &b, opts.timeout),
            (Err(e), _) | (_, Err(e)) => rep.inconclusive(format!("{label}: {e:#}")),
        }
    }
    if let Some(t) = &opts.probe {
        let answer = |tag: &str, w: &str| probe_once(engine, tag, &container(index, &format!("probe-{w}")), t, opts.timeout);
        let (a, b) = (answer(tags.0, "o"), answer(tags.1, "n"));
        let label = format!("GET :{}{}", t.port, t.path);
        match (&a, &b) {
            (Ok(x), Ok(y)) if x == y => rep.reasons.push(format!("{label}: same response ({})", x.0)),
            (Err(e), Err(_)) => rep.inconclusive(format!("{label}: neither image answers ({e})")),
            _ => rep.differ(format!("{label}: original {} ≠ rewritten {}", show_http(&a), show_http(&b))),
        }
    }
}

/// The checks after the runs: configuration, HEALTHCHECK, entrypoint script, libraries, size.
fn run_checks(engine: &Engine, opts: &Options, rep: &mut Report, texts: (&str, &str), tags: (&str, &str), index: usize) {
    let (a, b) = match (engine.config(tags.0), engine.config(tags.1)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            rep.reasons.push(format!("not checked: configuration: {e:#}"));
            return;
        }
    };
    let declared = checks::Declared::of(texts.0);
    for c in checks::config(&a, &b, &declared) {
        rep.check(c);
    }
    let argv = |c: &ImageConfig| [c.entrypoint.clone(), c.cmd.clone()].concat();
    if argv(&a) != argv(&b) {
        rep.reasons.push(format!("note: ENTRYPOINT+CMD changed: {:?} → {:?}", argv(&a), argv(&b)));
    }
    let name = |what: &str| container(index, what);
    match (checks::health_argv(&a.healthcheck), checks::health_argv(&b.healthcheck)) {
        (None, None) => {}
        (Some(_), None) => rep.check(checks::Check {
            check: checks::CheckKind::Healthcheck,
            verdict: checks::CheckVerdict::Fail,
            detail: format!("the rewritten image has no HEALTHCHECK (the original: {})", a.healthcheck.join(" ")),
            missing: Vec::new(),
        }),
        (None, Some(_)) => rep.reasons.push(format!("note: healthcheck: only the rewritten image has one: {}", b.healthcheck.join(" "))),
        (Some(x), Some(y)) => {
            let ha = checks::run_health(engine, tags.0, &name("health-o"), &x, opts.timeout);
            let hb = checks::run_health(engine, tags.1, &name("health-n"), &y, opts.timeout);
            match (ha, hb) {
                (Ok(ha), Ok(hb)) => rep.check(checks::compare_health(&b.healthcheck, &ha, &hb)),
                (Err(e), _) | (_, Err(e)) => rep.reasons.push(format!("not checked: healthcheck: {e:#}")),
            }
        }
    }
    if let Some(c) = checks::entrypoint_tools(engine, tags, &b, &name, opts.timeout) {
        rep.check(c);
    }
    let paths = checks::copied_paths(texts.1);
    rep.check(checks::libraries(engine, tags, &b, &paths, &name, opts.timeout));
    if let (Some(x), Some(y)) = (rep.size_before, rep.size_after) {
        rep.check(checks::size(x, y, rep.estimate_mb));
    }
}

/// The temp folder holding the rewritten file, and the two Dockerfiles to build (stdin's
/// original is written there too). A Dockerfile-specific ignore file
/// (`Dockerfile.dockerignore`) is copied along, so it applies to the rewrite as well.
fn prepare(r: &FileOutcome, new: &str) -> Result<(tempfile::TempDir, PathBuf, PathBuf), String> {
    let dir = tempfile::Builder::new().prefix("restage-verify-").tempdir().map_err(|e| format!("cannot create a temp folder: {e}"))?;
    let original = if r.stdin { write_file(dir.path(), "Dockerfile.original", &r.original)? } else { r.path.clone() };
    let rewritten = write_file(dir.path(), "Dockerfile.restage", new)?;
    let mut ignore = r.path.clone().into_os_string();
    ignore.push(".dockerignore");
    let ignore = PathBuf::from(ignore);
    if !r.stdin && ignore.is_file() {
        let _ = std::fs::copy(&ignore, dir.path().join("Dockerfile.restage.dockerignore"));
    }
    Ok((dir, original, rewritten))
}

/// A container name unique to this run and file (the e2e tests look for the pid part).
fn container(index: usize, what: &str) -> String {
    format!("restage-verify-{}-{index}-{what}", std::process::id())
}

fn probe_once(engine: &Engine, image: &str, name: &str, t: &probe::Target, limit: Duration) -> Result<(String, String), String> {
    let mut child = engine.start(image, name, &[]).map_err(|e| format!("{e:#}"))?;
    let answer = probe::get(t, limit);
    engine.remove_container(name);
    let _ = child.kill();
    let _ = child.wait();
    answer
}

fn show_http(r: &Result<(String, String), String>) -> String {
    match r {
        Ok((status, body)) => format!("`{status}` with {} bytes: {}", body.len(), one_line(body, 80)),
        Err(e) => e.clone(),
    }
}

fn compare_runs(rep: &mut Report, label: &str, a: &Outcome, b: &Outcome, limit: Duration) {
    let stdout = output::compare(&a.stdout, &b.stdout);
    match (a.exit, b.exit) {
        (None, None) => {
            rep.reasons.push(format!(
                "{label}: both still running after {} s (a server? --probe compares a response); stdout so far {}",
                limit.as_secs(),
                stdout.describe()
            ));
            if !stdout.is_same() {
                rep.differ(format!("{label}: output before the time limit differs"));
                rep.log_tail = both_tails(a, b);
            }
        }
        (x, y) if x == y && stdout.is_same() => {
            let lines = a.stdout.lines().count();
            rep.reasons.push(format!("{label}: exit {} and stdout ({lines} lines) {}", code(a), stdout.describe()));
        }
        (x, y) => {
            let what = if x != y { format!("exit {} → {}", code(a), code(b)) } else { "stdout differs".to_string() };
            rep.differ(format!("{label}: {what}"));
            rep.log_tail = both_tails(a, b);
        }
    }
}

fn both_tails(a: &Outcome, b: &Outcome) -> Vec<String> {
    let mut v = vec![format!("original (exit {}):", code(a))];
    v.extend(tail(a, 6).into_iter().map(|l| format!("  {l}")));
    v.push(format!("rewritten (exit {}):", code(b)));
    v.extend(tail(b, 6).into_iter().map(|l| format!("  {l}")));
    v
}

fn code(o: &Outcome) -> String {
    o.exit.map_or("none: still running".to_string(), |c| c.to_string())
}

/// Last `n` lines of stdout and stderr together (builds write their log to either).
fn tail(o: &Outcome, n: usize) -> Vec<String> {
    let all: Vec<&str> = o.stdout.lines().chain(o.stderr.lines()).filter(|l| !l.trim().is_empty()).collect();
    all[all.len().saturating_sub(n)..].iter().map(|l| l.to_string()).collect()
}

fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max { format!("{}…", flat.chars().take(max).collect::<String>()) } else { flat }
}

fn write_file(dir: &Path, name: &str, text: &str) -> Result<PathBuf, String> {
    let p = dir.join(name);
    std::fs::write(&p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    Ok(p)
}

fn parent_or_dot(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `845.2 MB`.
pub fn human_size(n: u64) -> String {
    format!("{:.1} MB", n as f64 / 1e6)
}

/// The human report of one file, as printed on stdout.
pub fn render(out: &mut dyn std::io::Write, r: &Report) -> std::io::Result<()> {
    let head = match r.verdict {
        Verdict::Same => "verified: same behaviour",
        Verdict::Different => "verification FAILED: different behaviour",
        Verdict::Inconclusive => "verification inconclusive",
    };
    write!(out, "{}: {head}", r.path)?;
    if let (Some(a), Some(b)) = (r.size_before, r.size_after) {
        let pct = if a > 0 { (b as f64 / a as f64 - 1.0) * 100.0 } else { 0.0 };
        write!(out, "; image {} → {} ({pct:+.1}%", human_size(a), human_size(b))?;
        match r.estimate_mb {
            Some(e) => write!(out, ", estimated -{e} MB)")?,
            None => write!(out, ")")?,
        }
    }
    if let (Some(a), Some(b)) = (r.build_secs_before, r.build_secs_after) {
        write!(out, "; build {a:.1} s / {b:.1} s")?;
    }
    writeln!(out)?;
    for why in &r.reasons {
        writeln!(out, "  {why}")?;
    }
    for l in &r.log_tail {
        writeln!(out, "  | {l}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(exit: Option<i32>, stdout: &str) -> Outcome {
        Outcome { exit, stdout: stdout.into(), stderr: String::new(), secs: 0.1 }
    }

    #[test]
    fn identical_runs_keep_the_verdict_and_say_what_matched() {
        let mut r = Report::new("Dockerfile");
        compare_runs(&mut r, "run", &outcome(Some(0), "hi\n"), &outcome(Some(0), "hi\n"), Duration::from_secs(5));
        assert_eq!(r.verdict, Verdict::Same);
        assert_eq!(r.reasons, ["run: exit 0 and stdout (1 lines) identical"]);
    }

    #[test]
    fn a_different_exit_code_or_output_is_a_failed_verification_with_both_tails() {
        let mut r = Report::new("Dockerfile");
        compare_runs(&mut r, "run", &outcome(Some(0), "hi\n"), &outcome(Some(127), ""), Duration::from_secs(5));
        assert_eq!(r.verdict, Verdict::Different);
        assert_eq!(r.reasons, ["run: exit 0 → 127"]);
        assert_eq!(r.log_tail, ["original (exit 0):", "  hi", "rewritten (exit 127):"]);

        let mut r = Report::new("Dockerfile");
        compare_runs(&mut r, "run", &outcome(Some(0), "a\n"), &outcome(Some(0), "b\n"), Duration::from_secs(5));
        assert_eq!((r.verdict, r.reasons[0].as_str()), (Verdict::Different, "run: stdout differs"));
    }

    #[test]
    fn log_lines_differing_only_in_their_timestamps_are_the_same_output() {
        let mut r = Report::new("Dockerfile");
        let log = |t: &str| format!("{{\"level\":30,\"time\":\"2026-11-28T11:29:{t}Z\",\"msg\":\"listening\"}}\n");
        compare_runs(&mut r, "run", &outcome(None, &log("23.501")), &outcome(None, &log("39.685")), Duration::from_secs(5));
        assert_eq!(r.verdict, Verdict::Same);
        assert!(r.reasons[0].ends_with("stdout so far identical once timestamps are masked"), "{:?}", r.reasons);
    }

    #[test]
    fn servers_still_running_at_the_limit_compare_their_output_so_far() {
        let mut r = Report::new("Dockerfile");
        compare_runs(&mut r, "run", &outcome(None, "listening\n"), &outcome(None, "listening\n"), Duration::from_secs(5));
        assert_eq!(r.verdict, Verdict::Same);
        let mut r = Report::new("Dockerfile");
        compare_runs(&mut r, "run", &outcome(None, "listening\n"), &outcome(Some(1), ""), Duration::from_secs(5));
        assert_eq!(r.verdict, Verdict::Different);
    }

    #[test]
    fn a_failed_check_makes_the_file_different_and_notes_do_not() {
        use checks::{Check, CheckKind, CheckVerdict};
        let mut r = Report::new("Dockerfile");
        r.check(Check { check: CheckKind::Size, verdict: CheckVerdict::Note, detail: "10.0 MB → 20.0 MB".into(), missing: vec![] });
        assert_eq!((r.verdict, r.reasons[0].as_str()), (Verdict::Same, "note: size: 10.0 MB → 20.0 MB"));
        r.check(Check { check: CheckKind::Libraries, verdict: CheckVerdict::Fail, detail: "missing libpq.so.5".into(), missing: vec!["libpq.so.5".into()] });
        assert_eq!((r.verdict, r.reasons[1].as_str()), (Verdict::Different, "libraries: missing libpq.so.5"));
        assert_eq!(r.checks.len(), 2);
    }

    #[test]
    fn smoke_arguments_are_split_like_a_shell() {
        let o = Options::new(&["greet 'big world'".into()], Some("8080/x"), false, 5, None).unwrap();
        assert_eq!(o.smoke, [vec!["greet".to_string(), "big world".to_string()]]);
        assert_eq!(o.probe.unwrap().path, "/x");
        assert_eq!(Options::new(&[], None, false, 5, None).unwrap().smoke, [Vec::<String>::new()]);
    }

    #[test]
    fn the_report_line_shows_sizes_and_build_times() {
        let mut r = Report::new("app/Dockerfile");
        (r.size_before, r.size_after, r.build_secs_before, r.build_secs_after) = (Some(800_000_000), Some(8_000_000), Some(30.0), Some(31.5));
        r.reasons.push("run (image CMD): exit 0 and stdout (1 lines) identical".into());
        let mut out = Vec::new();
        render(&mut out, &r).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "app/Dockerfile: verified: same behaviour; image 800.0 MB → 8.0 MB (-99.0%); build 30.0 s / 31.5 s\n  run (image CMD): exit 0 and stdout (1 lines) identical\n"
        );
    }
}
