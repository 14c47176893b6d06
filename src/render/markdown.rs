//! A pull-request comment: summary table with the estimated saving per file and in total,
//! then each diff in a collapsible block.

use super::{Renderer, Summary, unified_diff};
use crate::outcome::{FileOutcome, Outcome};
use std::io::Write;

pub struct Markdown;

impl Renderer for Markdown {
    fn render(&self, out: &mut dyn Write, files: &[FileOutcome]) -> std::io::Result<()> {
        let s = Summary::of(files);
        writeln!(out, "## restage\n")?;
        writeln!(out, "| file | status | runtime | saves | notes |\n|---|---|---|---|---|")?;
        for f in files {
            let (status, runtime, saves, notes) = match &f.outcome {
                Outcome::Error(e) => ("error".to_string(), String::new(), String::new(), format!("line {}:{}: {} [{}]", e.line, e.column, e.message, e.code)),
                Outcome::Rewrite(r) => {
                    let notes: Vec<String> = r.fix.reasons.iter().map(|x| format!("{} [{}]", x.message, x.code)).collect();
                    (
                        format!("rewritten ({})", r.fix.applicability.as_str()),
                        r.runtime.clone().unwrap_or_default(),
                        r.estimate_mb.map_or(String::new(), |mb| format!("≈ {mb} MB")),
                        notes.join("; "),
                    )
                }
                Outcome::Unchanged { reason, .. } => ("unchanged".into(), String::new(), String::new(), format!("{} [{}]", reason.message, reason.code)),
                Outcome::Skipped { reason, .. } => ("skipped".into(), String::new(), String::new(), format!("{} [{}]", reason.message, reason.code)),
            };
            let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
            writeln!(out, "| `{}` | {} | {} | {} | {} |", cell(&f.display), status, cell(&runtime), saves, cell(&notes))?;
        }
        let estimated = files.iter().filter(|f| f.rewrite().is_some_and(|r| r.estimate_mb.is_some())).count();
        if estimated > 0 {
            writeln!(out, "\nThis change saves ≈ {} MB over {estimated} image(s) (estimate from the image sizes in the table).", s.estimate_mb)?;
        }
        writeln!(out, "\n{}\n", s.line())?;
        for f in files {
            if let Some(d) = unified_diff(f) {
                writeln!(out, "<details><summary><code>{}</code></summary>\n\n```diff\n{}```\n\n</details>\n", f.display, d)?;
            }
        }
        Ok(())
    }
}
