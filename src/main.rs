//! restage binary: parse the flags, hand over to [`restage::app::run`], print the error
//! chain (exit 2) or nothing for a closed pipe (exit 0).

use clap::{CommandFactory, Parser};
use restage::cli::{Cli, ColorChoice};
use std::process::ExitCode;

/// `--features mimalloc`: for big batches (allocation is a quarter of their CPU with glibc's
/// allocator); off by default, as it costs a one-file run more than it saves (bench/README.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // `restage mcp`: the MCP server for agents (see `restage::mcp::requested` for why it is
    // detected before clap: a file argument named `mcp` keeps working).
    if restage::mcp::requested(&std::env::args_os().collect::<Vec<_>>()) {
        return match restage::mcp::serve_stdio() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("restage: error: mcp: {e}");
                ExitCode::from(2)
            }
        };
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.color {
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
        ColorChoice::Auto => anstream::ColorChoice::Auto,
    }
    .write_global();
    if let Some(shell) = cli.completions {
        clap_complete::generate(shell, &mut Cli::command(), "restage", &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    match restage::app::run(&cli) {
        Ok(code) => code,
        Err(e) if e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("restage: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
