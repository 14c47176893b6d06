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
use std::io::Write;
use std::path::Path;
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
    let mut results: Vec<FileOutcome> = files.par_iter().map(|p| process_path(p, &run, cli.max_file_size)).collect();
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
        if let Err(e) = crate::write::atomic_write(&r.path, r.original.as_bytes(), &new) {
            r.outcome = error(Code::WriteError, 1, 1, format!("cannot write: {e}"));
            failed += 1;
        }
    }
    Ok(failed)
}

fn error(code: Code, line: usize, column: usize, message: impl Into<String>) -> Outcome {
    Outcome::Error(FileError { code, line, column, message: message.into() })
}

/// Reads and processes one discovered path (`-` is stdin), refusing files over `max_bytes`.
pub fn process_path(p: &Path, run: &RunSettings, max_bytes: u64) -> FileOutcome {
    let stdin = p.as_os_str() == "-";
    let read = if stdin { crate::source::read_limited(std::io::stdin().lock(), max_bytes) } else { crate::source::read_source(p, max_bytes) };
    match read {
        Ok(s) => crate::pipeline::process(p.to_path_buf(), stdin, s, &run.plan),
        Err(e) => {
            let code = match e.kind {
                crate::source::SourceErrorKind::TooLarge { .. } => Code::TooLarge,
                crate::source::SourceErrorKind::NotUtf8 => Code::NotUtf8,
                crate::source::SourceErrorKind::Io(_) => Code::ReadError,
            };
            let message = if stdin && matches!(code, Code::ReadError) {
                format!("cannot read stdin: {}", e.message.trim_start_matches("cannot read: "))
            } else {
                e.message
            };
            FileOutcome::new(p.to_path_buf(), stdin, String::new(), Outcome::Error(FileError { code, line: e.line, column: e.column, message }))
        }
    }
}
