//! Command-line flags (clap derive); raw flags only, turned into settings in `main`.

use clap::{ArgGroup, Parser, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "restage", version, about = "Rewrite single-stage Dockerfiles into multi-stage builds (builder + small runtime).")]
#[command(after_help = "`restage mcp` serves the Model Context Protocol over stdio for AI agents (see the README).")]
#[command(group(ArgGroup::new("mode").args(["check", "write", "list_pairs"])))]
pub struct Cli {
    /// Files, directories (Dockerfiles under them) or `-` for stdin. Default: `.`
    pub paths: Vec<PathBuf>,

    /// Exit 1 when a file would change (the diff is still printed unless --quiet).
    #[arg(long)]
    pub check: bool,
    /// Rewrite files in place (atomically); with `-`, print the rewritten file.
    #[arg(long)]
    pub write: bool,
    /// Build and run the original and the rewritten Dockerfile and compare them (runs what
    /// the Dockerfiles say). With --write, only verified rewrites are written.
    #[arg(long, conflicts_with_all = ["check", "list_pairs"])]
    pub verify: bool,
    /// Print the pairs of the chosen family and exit.
    #[arg(long)]
    pub list_pairs: bool,

    /// Image family for the pair: upstream, distroless, minimus, chainguard, dhi, ubi, or one
    /// from --mappings. With --to, multi-stage files are retargeted too.
    #[arg(long, value_name = "FAMILY")]
    pub to: Option<String>,
    /// When the family does not ship the file's version, move builder and runtime together to
    /// the nearest newer version it ships (needs review) instead of skipping.
    #[arg(long)]
    pub upgrade: bool,
    /// Registry prefix overriding the family's (cgr.dev/myorg, reg.mini.dev/tenant).
    #[arg(long, value_name = "PREFIX")]
    pub registry: Option<String>,
    /// A pairing table overlaying the built-in one.
    #[arg(long, value_name = "FILE")]
    pub mappings: Vec<PathBuf>,
    /// Use only the --mappings files.
    #[arg(long, requires = "mappings")]
    pub no_builtin: bool,
    /// Build context folder (default: the Dockerfile's folder).
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// Apply only rewrites marked safe.
    #[arg(long)]
    pub safe_only: bool,

    /// Exclude paths matching GLOB (gitignore syntax, relative to the walk root; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Apply --exclude to paths named on the command line too.
    #[arg(long)]
    pub force_exclude: bool,
    /// Do not respect .gitignore / .ignore files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Search hidden files and folders.
    #[arg(long)]
    pub hidden: bool,
    /// Largest Dockerfile read, in bytes (default 10 MiB); larger files are an error.
    #[arg(long, value_name = "BYTES", default_value_t = crate::source::DEFAULT_MAX_BYTES)]
    pub max_file_size: u64,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Print the decisions per file.
    #[arg(long)]
    pub explain: bool,
    /// No diffs, no summary: exit code only.
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour: auto, always, never (NO_COLOR is honoured).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print shell completions and exit.
    #[arg(long, value_enum, value_name = "SHELL")]
    pub completions: Option<clap_complete::Shell>,

    /// --verify: container engine (default: the first of docker, podman, buildah found).
    #[arg(long, value_enum)]
    pub engine: Option<Engine>,
    /// --verify: arguments to run both images with (repeatable; default: the image's CMD).
    #[arg(long, value_name = "ARGS")]
    pub smoke: Vec<String>,
    /// --verify: compare an HTTP response, e.g. 8080/healthz.
    #[arg(long, value_name = "PORT/PATH")]
    pub probe: Option<String>,
    /// --verify: keep images, containers and temp folders.
    #[arg(long)]
    pub keep: bool,
    /// --verify: seconds a smoke run (or the wait for a --probe answer) may take.
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    pub timeout: u64,
    /// --verify: pull policy for base images: missing, never, always.
    #[arg(long, default_value = "missing", value_parser = ["missing", "never", "always"])]
    pub pull: String,
    /// --verify: network for the builds' RUN steps (engine default if unset), e.g. none, host.
    #[arg(long, value_name = "MODE")]
    pub network: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    Docker,
    Podman,
    Buildah,
}
