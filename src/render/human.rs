//! Default output: unified diffs on stdout (git-apply-able), reasons and errors on stderr.
//!
//! Colour is decided once per run by the caller (`styled`): without it the lines are written
//! as they are, with no escape codes made and then stripped again.

use super::{Renderer, unified_diff};
use crate::outcome::{FileOutcome, Outcome};
use anstyle::{AnsiColor, Style};
use std::io::Write;

/// The diffs, coloured when `styled` (the terminal wants colour).
pub struct Diff {
    pub styled: bool,
}

impl Renderer for Diff {
    fn render(&self, out: &mut dyn Write, files: &[FileOutcome]) -> std::io::Result<()> {
        let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
        let green = Style::new().fg_color(Some(AnsiColor::Green.into()));
        let bold = Style::new().bold();
        for f in files {
            let Some(d) = unified_diff(f) else { continue };
            if !self.styled {
                out.write_all(d.as_bytes())?;
                continue;
            }
            for line in d.split_inclusive('\n') {
                let style = if line.starts_with("---") || line.starts_with("+++") {
                    bold
                } else if line.starts_with('-') {
                    red
                } else if line.starts_with('+') {
                    green
                } else {
                    Style::new()
                };
                write!(out, "{style}{line}{style:#}")?;
            }
        }
        Ok(())
    }
}

/// Per-file notes on stderr: rewrites with their reasons, errors; with `explain`, skips
/// and every decision too. Coloured when `styled`.
pub fn notes(err: &mut dyn Write, files: &[FileOutcome], explain: bool, styled: bool) -> std::io::Result<()> {
    let (yellow, red) = if styled {
        (Style::new().fg_color(Some(AnsiColor::Yellow.into())), Style::new().fg_color(Some(AnsiColor::Red.into())).bold())
    } else {
        (Style::new(), Style::new())
    };
    for f in files {
        match &f.outcome {
            Outcome::Error(e) => {
                writeln!(err, "{red}{}:{}:{}: error:{red:#} {} [{}]", f.display, e.line, e.column, e.message, e.code)?;
                continue;
            }
            Outcome::Rewrite(r) => {
                writeln!(err, "{}: rewritten ({}{}{:#})", f.display, yellow, r.fix.applicability.as_str(), yellow)?;
                for reason in &r.fix.reasons {
                    writeln!(err, "  - {} [{}]", reason.message, reason.code)?;
                }
            }
            Outcome::Skipped { reason, .. } | Outcome::Unchanged { reason, .. } if explain => {
                writeln!(err, "{}: {}: {} [{}]", f.display, f.outcome.status(), reason.message, reason.code)?;
            }
            _ => {}
        }
        if explain {
            for e in f.explain() {
                writeln!(err, "    {}", e.message)?;
            }
        }
    }
    Ok(())
}
