//! One versioned JSON document (schema: `docs/restage-output.schema.json`).

use super::{Summary, unified_diff};
use crate::document::line_col;
use crate::pipeline::FileResult;
use serde_json::{Value, json};

pub const VERSION: u32 = 1;

pub fn document(results: &[FileResult]) -> Value {
    let files: Vec<Value> = results
        .iter()
        .map(|r| {
            if let Some(e) = &r.error {
                return json!({"path": r.path, "status": "error", "error": e});
            }
            let a = r.analysis.as_ref().unwrap();
            let edits: Vec<Value> = a
                .fix
                .iter()
                .flat_map(|f| f.edits.iter())
                .map(|e| {
                    let (sl, sc) = line_col(&r.original, e.range.start);
                    let (el, ec) = line_col(&r.original, e.range.end);
                    json!({"start": e.range.start, "end": e.range.end, "start_line": sl, "start_column": sc, "end_line": el, "end_column": ec, "content": e.content})
                })
                .collect();
            json!({
                "path": r.path,
                "status": a.status,
                "reason": a.reason,
                "applicability": a.fix.as_ref().map(|f| f.applicability),
                "reasons": a.fix.as_ref().map(|f| f.reasons.clone()).unwrap_or_default(),
                "builder": a.builder,
                "runtime": a.runtime,
                "artifacts": a.artifacts,
                "edits": edits,
                "diff": unified_diff(r),
            })
        })
        .collect();
    json!({"version": VERSION, "tool": "restage", "summary": Summary::of(results), "files": files})
}
