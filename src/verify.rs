//! `--verify`: build the original and the rewritten Dockerfile, run both, compare.
//! The only mode in which restage runs anything a Dockerfile says.

use crate::cli::{Cli, Engine};
use crate::pipeline::FileResult;
use std::process::{Command, ExitCode};

pub fn run(_cli: &Cli, _results: &[FileResult]) -> anyhow::Result<ExitCode> {
    anyhow::bail!("--verify is not available in this build")
}

pub fn find_engine(choice: Option<Engine>) -> Option<&'static str> {
    let candidates: &[&'static str] = match choice {
        Some(Engine::Docker) => &["docker"],
        Some(Engine::Podman) => &["podman"],
        Some(Engine::Buildah) => &["buildah"],
        None => &["docker", "podman", "buildah"],
    };
    candidates.iter().copied().find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
}
