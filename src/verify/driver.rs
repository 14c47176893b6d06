//! `--verify` as the command line drives it: engine and options from the flags, reports
//! on stdout as each file finishes (or one JSON document), a tally on stderr.

use super::{Options, Verdict, engine::Engine, render, verify_all};
use crate::cli::{Cli, Format};
use crate::pipeline::FileResult;
use std::io::Write;
use std::process::ExitCode;

/// What `--verify` found; `same` lists the paths whose rewrite behaved the same.
pub struct Tally {
    pub same: Vec<String>,
    pub different: usize,
    pub inconclusive: usize,
}

/// Verifies every pending rewrite; `Err(code)` when it cannot start (bad option, no engine).
pub fn run(cli: &Cli, results: &[FileResult]) -> anyhow::Result<Result<Tally, ExitCode>> {
    let opts = match Options::new(&cli.smoke, cli.probe.as_deref(), cli.keep, cli.timeout, cli.context.clone()) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("restage: error: {e}");
            return Ok(Err(ExitCode::from(2)));
        }
    };
    let mut engine = match Engine::detect(cli.engine) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("restage: error: {e:#}");
            return Ok(Err(ExitCode::from(2)));
        }
    };
    engine.pull = cli.pull.clone();
    engine.build_network = cli.network.clone();
    let mut err = anstream::stderr();
    let pending = results.iter().filter(|r| r.changed()).count();
    writeln!(err, "restage: verifying {pending} rewrite(s) with {}", engine.program)?;
    let reports = verify_all(&engine, &opts, results, |rep| {
        if cli.format != Format::Json && !cli.quiet {
            let mut out = anstream::stdout();
            let _ = render(&mut out, rep);
            let _ = out.flush();
        }
    });
    if cli.format == Format::Json && !cli.quiet {
        let doc = serde_json::json!({ "version": 1, "verify": reports });
        writeln!(anstream::stdout(), "{}", serde_json::to_string_pretty(&doc)?)?;
    }
    let count = |v: Verdict| reports.iter().filter(|r| r.verdict == v).count();
    let tally = Tally {
        same: reports.iter().filter(|r| r.verdict == Verdict::Same).map(|r| r.path.clone()).collect(),
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
    Ok(Ok(tally))
}
