//! One versioned JSON document (schema: `docs/restage-output.schema.json`).

use super::{Renderer, Summary, unified_diff};
use crate::document::line_col;
use crate::outcome::{FileOutcome, Outcome};
use serde_json::{Value, json};

/// Version 2: reasons carry their `code` (objects, not strings), `estimate_mb` per rewrite.
pub const VERSION: u32 = 2;

pub struct Json;

impl Renderer for Json {
    fn render(&self, out: &mut dyn std::io::Write, files: &[FileOutcome]) -> std::io::Result<()> {
        writeln!(out, "{}", serde_json::to_string_pretty(&document(files))?)
    }
}

fn file(f: &FileOutcome) -> Value {
    match &f.outcome {
        Outcome::Error(e) => json!({"path": f.display, "status": "error", "code": e.code, "error": e}),
        Outcome::Skipped { reason, .. } | Outcome::Unchanged { reason, .. } => json!({
            "path": f.display,
            "status": f.outcome.status(),
            "code": reason.code,
            "reason": reason.message,
            "line": reason.line,
        }),
        Outcome::Rewrite(r) => {
            let edits: Vec<Value> = r
                .fix
                .edits
                .iter()
                .map(|e| {
                    let (sl, sc) = line_col(&f.original, e.range.start);
                    let (el, ec) = line_col(&f.original, e.range.end);
                    json!({"start": e.range.start, "end": e.range.end, "start_line": sl, "start_column": sc, "end_line": el, "end_column": ec, "content": e.content})
                })
                .collect();
            json!({
                "path": f.display,
                "status": "rewritten",
                "family": r.family,
                "applicability": r.fix.applicability,
                "reasons": r.fix.reasons,
                "builder": r.builder,
                "runtime": r.runtime,
                "estimate_mb": r.estimate_mb,
                "artifacts": r.artifacts,
                "edits": edits,
                "diff": unified_diff(f),
            })
        }
    }
}

pub fn document(files: &[FileOutcome]) -> Value {
    let list: Vec<Value> = files.iter().map(file).collect();
    json!({"version": VERSION, "tool": "restage", "summary": Summary::of(files), "files": list})
}
