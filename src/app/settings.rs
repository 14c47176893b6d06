//! Flags + `restage.toml` → the settings of one run: the knowledge table with its overlays,
//! the family, the discovery options and, for `--verify`, its own options.

use crate::cli::Cli;
use crate::knowledge::Table;
use crate::plan::Settings;
use crate::verify::driver::VerifyOptions;
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub struct RunSettings {
    pub paths: Vec<PathBuf>,
    pub plan: Settings,
    pub discover: crate::discover::Options,
    pub verify: Option<VerifyOptions>,
    /// `--max-file-size`: larger files are an error (too-large).
    pub max_file_size: u64,
}

/// The settings, or the exit code of a run that cannot start (the error is printed).
pub fn load(cli: &Cli) -> anyhow::Result<Result<RunSettings, ExitCode>> {
    let paths = if cli.paths.is_empty() { vec![PathBuf::from(".")] } else { cli.paths.clone() };
    let root = paths.iter().find(|p| p.as_os_str() != "-").cloned().unwrap_or_else(|| PathBuf::from("."));
    let config = crate::config::find(&root)?;
    let cfg = config.as_ref().map(|(_, c)| c);
    // Knowledge: built-in, restage.toml's mappings, then --mappings (later wins).
    let mut table = if cli.no_builtin { Table::default() } else { Table::builtin() };
    let mut mapping_files: Vec<PathBuf> = Vec::new();
    if let Some((cfg_path, c)) = &config
        && let Some(m) = &c.mappings
    {
        mapping_files.push(cfg_path.parent().unwrap_or(std::path::Path::new(".")).join(m));
    }
    mapping_files.extend(cli.mappings.iter().cloned());
    for m in &mapping_files {
        let text = std::fs::read_to_string(m).with_context(|| format!("{}", m.display()))?;
        if let Err(e) = table.add(&m.display().to_string(), &text) {
            eprintln!("{e}");
            return Ok(Err(ExitCode::from(2)));
        }
    }
    let family = cli.to.clone().or_else(|| cfg.and_then(|c| c.to.clone())).unwrap_or_else(|| "upstream".into());
    if !table.family_names().contains(&family) {
        eprintln!("restage: error: unknown family `{family}` (known: {})", table.family_names().join(", "));
        return Ok(Err(ExitCode::from(2)));
    }
    let registry = cli.registry.clone().or_else(|| cfg.and_then(|c| c.registry.clone()));
    let mut exclude = cfg.map(|c| c.exclude.clone()).unwrap_or_default();
    exclude.extend(cli.exclude.iter().cloned());
    let discover =
        crate::discover::Options { exclude, force_exclude: cli.force_exclude, no_ignore: cli.no_ignore, hidden: cli.hidden, threads: cli.jobs.unwrap_or(0) };
    let verify = cli.verify.then(|| VerifyOptions {
        engine: cli.engine.map(|e| match e {
            crate::cli::Engine::Docker => crate::verify::engine::Kind::Docker,
            crate::cli::Engine::Podman => crate::verify::engine::Kind::Podman,
            crate::cli::Engine::Buildah => crate::verify::engine::Kind::Buildah,
        }),
        smoke: cli.smoke.clone(),
        probe: cli.probe.clone(),
        keep: cli.keep,
        timeout_secs: cli.timeout,
        context: cli.context.clone(),
        pull: cli.pull.clone(),
        network: cli.network.clone(),
        json: cli.format == crate::cli::Format::Json,
        quiet: cli.quiet,
    });
    let infer_family = cli.to.is_none() && cfg.and_then(|c| c.to.as_ref()).is_none();
    let upgrade = cli.upgrade || cfg.and_then(|c| c.upgrade).unwrap_or(false);
    let plan = Settings { table, family, explicit_family: cli.to.is_some(), infer_family, upgrade, registry, context: cli.context.clone() };
    Ok(Ok(RunSettings { paths, plan, discover, verify, max_file_size: cli.max_file_size }))
}

/// `--list-pairs`: the pairs of the chosen family.
pub fn list_pairs(run: &RunSettings) -> std::io::Result<()> {
    let mut out = anstream::stdout();
    let fam = run.plan.table.families.iter().find(|f| f.name == run.plan.family);
    if let Some(f) = fam {
        writeln!(out, "# {}: {} (checked {})", f.name, f.description, f.checked.as_deref().unwrap_or("never"))?;
    }
    for p in run.plan.table.pairs_of(&run.plan.family) {
        let d = &p.def;
        let tag = d.tag.as_ref().map_or(String::new(), |t| format!(":{t}"));
        let versions = d.versions.as_ref().map_or("any version of the source".to_string(), |v| format!("versions {}", v.join(", ")));
        writeln!(out, "{:<10} {}{} → {} / {}  [{versions}]", d.ecosystem, d.match_.get_ref().items().join("|"), tag, d.builder.get_ref(), d.runtime.get_ref())?;
    }
    Ok(())
}
