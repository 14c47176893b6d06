//! GitHub workflow commands: one `::warning` / `::error` annotation per rewrite or error.

use crate::pipeline::FileResult;
use crate::plan::Status;
use std::io::Write;

fn esc(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn esc_prop(s: &str) -> String {
    esc(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(out: &mut dyn Write, results: &[FileResult]) -> std::io::Result<()> {
    for r in results {
        let file = esc_prop(r.path.trim_start_matches("./"));
        if let Some(e) = &r.error {
            writeln!(out, "::error file={file},line={},col={}::{}", e.line, e.column, esc(&e.message))?;
            continue;
        }
        let Some(a) = &r.analysis else { continue };
        if a.status != Status::Rewritten {
            continue;
        }
        let fix = a.fix.as_ref().unwrap();
        let mut msg = format!("restage: can be split into {}", super::split_phrase(a, fix.applicability));
        for reason in &fix.reasons {
            msg.push_str(&format!("\n- {reason}"));
        }
        writeln!(out, "::warning file={file},line=1,title=restage::{}", esc(&msg))?;
    }
    Ok(())
}
