//! `--verify`: build the original and the rewritten Dockerfile, run both, compare.
//! The only mode in which restage runs anything a Dockerfile says.

use crate::cli::Cli;
use crate::pipeline::FileResult;
use std::process::ExitCode;

pub fn run(_cli: &Cli, _results: &[FileResult]) -> anyhow::Result<ExitCode> {
    anyhow::bail!("--verify is not available in this build")
}
