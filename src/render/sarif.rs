//! SARIF 2.1.0 for code-scanning upload: one result per rewrite or error, the rewrite as
//! `fixes[].artifactChanges[].replacements`.

use crate::document::line_col;
use crate::pipeline::FileResult;
use crate::plan::Status;
use serde_json::{Value, json};

pub fn document(results: &[FileResult]) -> Value {
    let mut out = Vec::new();
    for r in results {
        let uri = r.path.trim_start_matches("./");
        if let Some(e) = &r.error {
            out.push(json!({
                "ruleId": "restage/parse-error",
                "level": "error",
                "message": {"text": e.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": e.line, "startColumn": e.column}}}]
            }));
            continue;
        }
        let Some(a) = &r.analysis else { continue };
        if a.status != Status::Rewritten {
            continue;
        }
        let fix = a.fix.as_ref().unwrap();
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                let (sl, sc) = line_col(&r.original, e.range.start);
                let (el, ec) = line_col(&r.original, e.range.end);
                json!({
                    "deletedRegion": {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec, "charOffset": e.range.start, "charLength": e.range.end - e.range.start},
                    "insertedContent": {"text": e.content}
                })
            })
            .collect();
        let mut text = format!("Single-stage Dockerfile: split into {}.", super::split_phrase(a, fix.applicability));
        for reason in &fix.reasons {
            text.push_str(&format!(" {reason}."));
        }
        out.push(json!({
            "ruleId": if fix.applicability == crate::edit::Applicability::Safe { "restage/multi-stage" } else { "restage/multi-stage-review" },
            "level": if fix.applicability == crate::edit::Applicability::Safe { "note" } else { "warning" },
            "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": 1}}}],
            "fixes": [{"description": {"text": "Split into builder and runtime stages"}, "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}]}]
        }));
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "restage", "version": env!("CARGO_PKG_VERSION"), "informationUri": "https://github.com/restage/restage", "rules": [
                {"id": "restage/multi-stage", "shortDescription": {"text": "Single-stage Dockerfile can be split safely"}},
                {"id": "restage/multi-stage-review", "shortDescription": {"text": "Single-stage Dockerfile can be split; the rewrite needs review"}},
                {"id": "restage/parse-error", "shortDescription": {"text": "Dockerfile does not parse"}}
            ]}},
            "results": out
        }]
    })
}
