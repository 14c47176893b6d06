//! GitHub workflow commands: one `::warning` / `::error` annotation per rewrite or error.

use super::Renderer;
use crate::outcome::{FileOutcome, Outcome};
use std::io::Write;

fn esc(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn esc_prop(s: &str) -> String {
    esc(s).replace(':', "%3A").replace(',', "%2C")
}

pub struct Github;

impl Renderer for Github {
    fn render(&self, out: &mut dyn Write, files: &[FileOutcome]) -> std::io::Result<()> {
        for f in files {
            let file = esc_prop(f.display.trim_start_matches("./"));
            match &f.outcome {
                Outcome::Error(e) => writeln!(out, "::error file={file},line={},col={},title=restage {}::{}", e.line, e.column, e.code, esc(&e.message))?,
                Outcome::Rewrite(r) => {
                    let mut msg = format!("restage: can be split into {}", super::split_phrase(r));
                    for reason in &r.fix.reasons {
                        msg.push_str(&format!("\n- {} [{}]", reason.message, reason.code));
                    }
                    writeln!(out, "::warning file={file},line=1,title=restage::{}", esc(&msg))?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}
