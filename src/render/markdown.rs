//! A pull-request comment: summary table, then each diff in a collapsible block.

use super::{Summary, unified_diff};
use crate::pipeline::FileResult;
use crate::plan::Status;
use std::io::Write;

pub fn render(out: &mut dyn Write, results: &[FileResult]) -> std::io::Result<()> {
    let s = Summary::of(results);
    writeln!(out, "## restage\n")?;
    writeln!(out, "| file | status | runtime | notes |\n|---|---|---|---|")?;
    for r in results {
        let (status, runtime, notes) = match (&r.error, &r.analysis) {
            (Some(e), _) => ("error".to_string(), String::new(), format!("line {}:{}: {}", e.line, e.column, e.message)),
            (None, Some(a)) => match a.status {
                Status::Rewritten => {
                    let f = a.fix.as_ref().unwrap();
                    (format!("rewritten ({})", f.applicability.as_str()), a.runtime.clone().unwrap_or_default(), f.reasons.join("; "))
                }
                Status::Unchanged => ("unchanged".into(), String::new(), a.reason.clone().unwrap_or_default()),
                Status::Skipped => ("skipped".into(), String::new(), a.reason.clone().unwrap_or_default()),
            },
            _ => continue,
        };
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        writeln!(out, "| `{}` | {} | {} | {} |", cell(&r.path), status, cell(&runtime), cell(&notes))?;
    }
    writeln!(out, "\n{}\n", s.line())?;
    for r in results {
        if let Some(d) = unified_diff(r) {
            writeln!(out, "<details><summary><code>{}</code></summary>\n\n```diff\n{}```\n\n</details>\n", r.path, d)?;
        }
    }
    Ok(())
}
