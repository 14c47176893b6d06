//! restage binary: flags → settings → discover → process in parallel → render → write.

use anyhow::Context;
use clap::{CommandFactory, Parser};
use rayon::prelude::*;
use restage::cli::{Cli, ColorChoice, Format};
use restage::pairing::Table;
use restage::pipeline::{self, FileResult};
use restage::plan::{Settings, Status};
use restage::render::{self, Summary};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            if e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)) {
                return ExitCode::SUCCESS;
            }
            eprintln!("restage: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            e.print()?;
            return Ok(ExitCode::from(code));
        }
    };
    let color = match cli.color {
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
        ColorChoice::Auto => anstream::ColorChoice::Auto,
    };
    color.write_global();
    if let Some(shell) = cli.completions {
        clap_complete::generate(shell, &mut Cli::command(), "restage", &mut std::io::stdout());
        return Ok(ExitCode::SUCCESS);
    }
    let paths = if cli.paths.is_empty() { vec![PathBuf::from(".")] } else { cli.paths.clone() };
    let root = paths.iter().find(|p| p.as_os_str() != "-").cloned().unwrap_or_else(|| PathBuf::from("."));
    let config = restage::config::find(&root)?;

    // Pairing table: built-in, restage.toml's mappings, then --mappings (later wins).
    let mut table = if cli.no_builtin { Table::default() } else { Table::builtin() };
    let mut mapping_files: Vec<PathBuf> = Vec::new();
    if let Some((cfg_path, cfg)) = &config
        && let Some(m) = &cfg.mappings
    {
        mapping_files.push(cfg_path.parent().unwrap().join(m));
    }
    mapping_files.extend(cli.mappings.iter().cloned());
    for m in &mapping_files {
        let text = std::fs::read_to_string(m).with_context(|| format!("{}", m.display()))?;
        if let Err(e) = table.add(&m.display().to_string(), &text) {
            eprintln!("{e}");
            return Ok(ExitCode::from(2));
        }
    }
    let cfg = config.as_ref().map(|(_, c)| c);
    let family = cli.to.clone().or_else(|| cfg.and_then(|c| c.to.clone())).unwrap_or_else(|| "upstream".into());
    if !table.family_names().contains(&family) {
        eprintln!("restage: error: unknown family `{family}` (known: {})", table.family_names().join(", "));
        return Ok(ExitCode::from(2));
    }
    let registry = cli.registry.clone().or_else(|| cfg.and_then(|c| c.registry.clone()));
    if cli.list_pairs {
        let mut out = anstream::stdout();
        for p in table.pairs_of(&family) {
            let d = &p.def;
            let tag = d.tag.as_ref().map_or(String::new(), |t| format!(":{t}"));
            writeln!(out, "{:<10} {}{} → {} / {}", d.ecosystem, d.match_.get_ref().items().join("|"), tag, d.builder.get_ref(), d.runtime.get_ref())?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let settings = Settings { table, family, explicit_family: cli.to.is_some(), registry, context: cli.context.clone() };
    let mut exclude = cfg.map(|c| c.exclude.clone()).unwrap_or_default();
    exclude.extend(cli.exclude.iter().cloned());
    let opts =
        restage::discover::Options { exclude, force_exclude: cli.force_exclude, no_ignore: cli.no_ignore, hidden: cli.hidden, threads: cli.jobs.unwrap_or(0) };
    let (files, walk_errors) = restage::discover::discover(&paths, &opts);

    if let Some(j) = cli.jobs {
        rayon::ThreadPoolBuilder::new().num_threads(j.max(1)).build_global().ok();
    }
    let mut results: Vec<FileResult> = files
        .par_iter()
        .map(|p| {
            let shown = p.to_string_lossy().replace('\\', "/");
            if p.as_os_str() == "-" {
                let mut s = String::new();
                return match std::io::stdin().read_to_string(&mut s) {
                    Ok(_) => pipeline::process("-", None, s, &settings),
                    Err(e) => FileResult::error("-", String::new(), 1, 1, format!("cannot read stdin: {e}")),
                };
            }
            match std::fs::read(p) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(s) => pipeline::process(&shown, Some(p), s, &settings),
                    Err(e) => {
                        let off = e.utf8_error().valid_up_to();
                        let (l, c) = restage::document::line_col(&String::from_utf8_lossy(&e.as_bytes()[..off]), off);
                        FileResult::error(&shown, String::new(), l, c, "not UTF-8 text")
                    }
                },
                Err(e) => FileResult::error(&shown, String::new(), 1, 1, format!("cannot read: {e}")),
            }
        })
        .collect();
    for (p, msg) in walk_errors {
        results.push(FileResult::error(&p.to_string_lossy(), String::new(), 1, 1, msg));
    }
    results.sort_by(|a, b| a.path.cmp(&b.path));

    let verified = if cli.verify {
        match restage::verify::driver::run(&cli, &results)? {
            Ok(tally) => Some(tally),
            Err(code) => return Ok(code),
        }
    } else {
        None
    };

    // Writes: only clean rewrites, never for a file with an error.
    let applies = |r: &FileResult| {
        r.changed()
            && verified.as_ref().is_none_or(|v| v.same.contains(&r.path))
            && !(cli.safe_only && r.analysis.as_ref().and_then(|a| a.fix.as_ref()).is_some_and(|f| f.applicability != restage::edit::Applicability::Safe))
    };
    let mut write_errors = 0;
    let stdout = anstream::stdout();
    let mut out = stdout.lock();
    if cli.write {
        for r in &results {
            if r.path == "-" {
                if r.error.is_none() {
                    let text = if applies(r) { r.rewritten.as_ref().unwrap() } else { &r.original };
                    out.write_all(text.as_bytes())?;
                }
                continue;
            }
            if applies(r)
                && let Err(e) = restage::write::atomic_write(std::path::Path::new(&r.path), r.original.as_bytes(), r.rewritten.as_ref().unwrap())
            {
                eprintln!("{}:1:1: error: cannot write: {e}", r.path);
                write_errors += 1;
            }
        }
    }
    let stdin_written = cli.write && results.iter().any(|r| r.path == "-");
    if !cli.quiet && !stdin_written && !cli.verify {
        match cli.format {
            Format::Human => {
                if !cli.write {
                    render::human::diff(&mut out, &results)?;
                }
            }
            Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&render::json::document(&results))?)?,
            Format::Sarif => writeln!(out, "{}", serde_json::to_string_pretty(&render::sarif::document(&results))?)?,
            Format::Github => render::github::render(&mut out, &results)?,
            Format::Markdown => render::markdown::render(&mut out, &results)?,
        }
    }
    out.flush()?;
    let summary = Summary::of(&results);
    if !cli.quiet {
        let mut err = anstream::stderr();
        render::human::notes(&mut err, &results, cli.explain)?;
        writeln!(err, "{}", summary.line())?;
    } else {
        for r in &results {
            if let Some(e) = &r.error {
                eprintln!("{}:{}:{}: error: {}", r.path, e.line, e.column, e.message);
            }
        }
    }
    let pending = results.iter().any(|r| r.changed() && r.analysis.as_ref().is_some_and(|a| a.status == Status::Rewritten));
    Ok(if summary.errors > 0 || write_errors > 0 || verified.as_ref().is_some_and(|v| v.inconclusive > 0) {
        ExitCode::from(2)
    } else if verified.as_ref().is_some_and(|v| v.different > 0) || (cli.check && pending && !cli.write) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
