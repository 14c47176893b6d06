//! A run, start to finish: flags + `restage.toml` → settings → discover → process in
//! parallel → (verify) → write → render → exit code. `main` only parses the flags.
//!
//! Exit codes: 0 nothing to do (or everything written), 1 `--check` found a pending
//! rewrite or `--verify` found a different behaviour, 2 an error in any file (the other
//! files still go through) or in the run itself.

pub mod settings;

use crate::cli::{Cli, Format};
use crate::edit::Applicability;
use crate::outcome::{Code, FileError, FileOutcome, Outcome};
use crate::render::{self, Renderer, Summary};
use rayon::prelude::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub use settings::RunSettings;

pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let run = match settings::load(cli)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    if cli.list_pairs {
        settings::list_pairs(&run)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (files, walk_errors) = crate::discover::discover(&run.paths, &run.discover);
    if let Some(j) = cli.jobs {
        rayon::ThreadPoolBuilder::new().num_threads(j.max(1)).build_global().ok();
    }
    let mut results: Vec<FileOutcome> = files.par_iter().map(|p| process_path(p, &run)).collect();
    for (p, msg) in walk_errors {
        results.push(FileOutcome::new(p, false, String::new(), error(Code::ReadError, 1, 1, msg)));
    }
    results.sort_by(|a, b| a.display.cmp(&b.display));

    let verified = match &run.verify {
        Some(v) => match crate::verify::driver::run(v, &results) {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("restage: error: {e:#}");
                return Ok(ExitCode::from(2));
            }
        },
        None => None,
    };
    let applies = |r: &FileOutcome| {
        r.changed().is_some()
            && verified.as_ref().is_none_or(|v| v.same.contains(&r.path))
            && !(cli.safe_only && r.rewrite().is_some_and(|w| w.fix.applicability != Applicability::Safe))
    };
    let stdout = anstream::stdout();
    let mut out = stdout.lock();
    let write_errors = if cli.write { write_all(&mut out, &mut results, &applies)? } else { 0 };
    let stdin_written = cli.write && results.iter().any(|r| r.stdin);
    if !cli.quiet && !stdin_written && !cli.verify {
        renderer(cli.format, cli.write).render(&mut out, &results)?;
    }
    out.flush()?;
    report(cli, &results)?;
    let summary = Summary::of(&results);
    let pending = results.iter().any(|r| r.changed().is_some());
    Ok(if summary.errors > 0 || write_errors > 0 || verified.as_ref().is_some_and(|v| v.inconclusive > 0) {
        ExitCode::from(2)
    } else if verified.as_ref().is_some_and(|v| v.different > 0) || (cli.check && pending && !cli.write) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn renderer(format: Format, write: bool) -> Box<dyn Renderer> {
    match format {
        Format::Human if write => Box::new(Nothing),
        Format::Human => Box::new(render::human::Diff),
        Format::Json => Box::new(render::json::Json),
        Format::Sarif => Box::new(render::sarif::Sarif),
        Format::Github => Box::new(render::github::Github),
        Format::Markdown => Box::new(render::markdown::Markdown),
    }
}

/// `--write` in the human format prints no diffs.
struct Nothing;

impl Renderer for Nothing {
    fn render(&self, _: &mut dyn Write, _: &[FileOutcome]) -> std::io::Result<()> {
        Ok(())
    }
}

/// Notes and the summary on stderr (errors only with `--quiet`).
fn report(cli: &Cli, results: &[FileOutcome]) -> std::io::Result<()> {
    let mut err = anstream::stderr();
    if cli.quiet {
        for r in results {
            if let Some(e) = r.error() {
                writeln!(err, "{}:{}:{}: error: {} [{}]", r.display, e.line, e.column, e.message, e.code)?;
            }
        }
        return Ok(());
    }
    render::human::notes(&mut err, results, cli.explain)?;
    writeln!(err, "{}", Summary::of(results).line())
}

/// Writes the rewrites that apply; stdin's text goes to stdout. A failed write becomes
/// the file's error. Returns the number of failed writes.
fn write_all(out: &mut dyn Write, results: &mut [FileOutcome], applies: &dyn Fn(&FileOutcome) -> bool) -> std::io::Result<usize> {
    let mut failed = 0;
    for r in results.iter_mut() {
        if r.stdin {
            if r.error().is_none() {
                let text = if applies(r) { r.changed().unwrap_or(&r.original) } else { &r.original };
                out.write_all(text.as_bytes())?;
            }
            continue;
        }
        if !applies(r) {
            continue;
        }
        let new = r.changed().unwrap_or_default().to_string();
        if let Err(e) = crate::write::atomic_write(&r.path, &new) {
            r.outcome = error(Code::WriteError, 1, 1, format!("cannot write: {e}"));
            failed += 1;
        }
    }
    Ok(failed)
}

fn error(code: Code, line: usize, column: usize, message: impl Into<String>) -> Outcome {
    Outcome::Error(FileError { code, line, column, message: message.into() })
}

/// Reads and processes one discovered path (`-` is stdin).
pub fn process_path(p: &Path, run: &RunSettings) -> FileOutcome {
    if p.as_os_str() == "-" {
        let mut s = String::new();
        return match std::io::stdin().read_to_string(&mut s) {
            Ok(_) => crate::pipeline::process(PathBuf::from("-"), true, s, &run.plan),
            Err(e) => FileOutcome::new(PathBuf::from("-"), true, String::new(), error(Code::ReadError, 1, 1, format!("cannot read stdin: {e}"))),
        };
    }
    match read_text(p) {
        Ok(s) => crate::pipeline::process(p.to_path_buf(), false, s, &run.plan),
        Err(e) => FileOutcome::new(p.to_path_buf(), false, String::new(), Outcome::Error(e)),
    }
}

fn read_text(p: &Path) -> Result<String, FileError> {
    let bytes = std::fs::read(p).map_err(|e| FileError { code: Code::ReadError, line: 1, column: 1, message: format!("cannot read: {e}") })?;
    String::from_utf8(bytes).map_err(|e| {
        let off = e.utf8_error().valid_up_to();
        let (line, column) = crate::document::line_col(&String::from_utf8_lossy(&e.as_bytes()[..off]), off);
        FileError { code: Code::NotUtf8, line, column, message: "not UTF-8 text".into() }
    })
}
