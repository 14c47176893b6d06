//! Default output: unified diffs on stdout (git-apply-able), reasons and errors on stderr.

use super::unified_diff;
use crate::pipeline::FileResult;
use crate::plan::Status;
use anstyle::{AnsiColor, Style};
use std::io::Write;

pub fn diff(out: &mut dyn Write, results: &[FileResult]) -> std::io::Result<()> {
    let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
    let green = Style::new().fg_color(Some(AnsiColor::Green.into()));
    let bold = Style::new().bold();
    for r in results {
        let Some(d) = unified_diff(r) else { continue };
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

pub fn notes(err: &mut dyn Write, results: &[FileResult], explain: bool) -> std::io::Result<()> {
    let yellow = Style::new().fg_color(Some(AnsiColor::Yellow.into()));
    let red = Style::new().fg_color(Some(AnsiColor::Red.into())).bold();
    for r in results {
        if let Some(e) = &r.error {
            writeln!(err, "{red}{}:{}:{}: error:{red:#} {}", r.path, e.line, e.column, e.message)?;
            continue;
        }
        let Some(a) = &r.analysis else { continue };
        match a.status {
            Status::Rewritten => {
                let fix = a.fix.as_ref().unwrap();
                writeln!(err, "{}: rewritten ({}{}{:#})", r.path, yellow, fix.applicability.as_str(), yellow)?;
                for reason in &fix.reasons {
                    writeln!(err, "  - {reason}")?;
                }
            }
            Status::Skipped | Status::Unchanged if explain => {
                writeln!(err, "{}: {}: {}", r.path, if a.status == Status::Skipped { "skipped" } else { "unchanged" }, a.reason.as_deref().unwrap_or(""))?;
            }
            _ => {}
        }
        if explain {
            for e in &a.explain {
                writeln!(err, "    {e}")?;
            }
        }
    }
    Ok(())
}
