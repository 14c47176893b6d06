//! `--verify` as a run drives it: engine and options from [`VerifyOptions`] (no CLI
//! types), reports on stdout as each file finishes (or one JSON document), a tally on stderr.

use super::{Options, Verdict, engine::Engine, engine::Kind, render, verify_all};
use crate::outcome::FileOutcome;
use std::io::Write;
use std::path::PathBuf;

/// What a run asks of `--verify`.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    pub engine: Option<Kind>,
    pub smoke: Vec<String>,
    pub probe: Option<String>,
    pub keep: bool,
    pub timeout_secs: u64,
    pub context: Option<PathBuf>,
    pub pull: String,
    pub network: Option<String>,
    /// One JSON document at the end instead of a line per file.
    pub json: bool,
    pub quiet: bool,
}

/// What `--verify` found; `same` lists the paths whose rewrite behaved the same.
pub struct Tally {
    pub same: Vec<PathBuf>,
    pub different: usize,
    pub inconclusive: usize,
}

/// Verifies every pending rewrite; `Err` when it cannot start (bad option, no engine).
pub fn run(v: &VerifyOptions, results: &[FileOutcome]) -> anyhow::Result<Tally> {
    let opts = Options::new(&v.smoke, v.probe.as_deref(), v.keep, v.timeout_secs, v.context.clone()).map_err(|e| anyhow::anyhow!(e))?;
    let mut engine = Engine::detect(v.engine)?;
    engine.pull = v.pull.clone();
    engine.build_network = v.network.clone();
    let mut err = anstream::stderr();
    let pending = results.iter().filter(|r| r.changed().is_some()).count();
    writeln!(err, "restage: verifying {pending} rewrite(s) with {}", engine.program)?;
    let reports = verify_all(&engine, &opts, results, |rep| {
        if !v.json && !v.quiet {
            let mut out = anstream::stdout();
            let _ = render(&mut out, rep);
            let _ = out.flush();
        }
    });
    if v.json && !v.quiet {
        let doc = serde_json::json!({ "version": 2, "verify": reports });
        writeln!(anstream::stdout(), "{}", serde_json::to_string_pretty(&doc)?)?;
    }
    let count = |v: Verdict| reports.iter().filter(|r| r.verdict == v).count();
    let same_paths: Vec<&str> = reports.iter().filter(|r| r.verdict == Verdict::Same).map(|r| r.path.as_str()).collect();
    let tally = Tally {
        same: results.iter().filter(|r| same_paths.contains(&r.display.as_str())).map(|r| r.path.clone()).collect(),
        different: count(Verdict::Different),
        inconclusive: count(Verdict::Inconclusive),
    };
    writeln!(
        err,
        "restage: verified {} rewrite(s): {} same, {} different, {} inconclusive",
        reports.len(),
        tally.same.len(),
        tally.different,
        tally.inconclusive
    )?;
    Ok(tally)
}
