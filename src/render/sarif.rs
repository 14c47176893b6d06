//! SARIF 2.1.0 for code-scanning upload: one result per rewrite or error, the rewrite as
//! `fixes[].artifactChanges[].replacements`. Errors use their reason code as rule id
//! (`restage/parse-error`); a rewrite's review reasons are in `properties.reasons` with codes.

use super::Renderer;
use crate::document::line_col;
use crate::edit::Applicability;
use crate::outcome::{Code, CodeKind, FileOutcome, Outcome};
use serde_json::{Value, json};

pub struct Sarif;

impl Renderer for Sarif {
    fn render(&self, out: &mut dyn std::io::Write, files: &[FileOutcome]) -> std::io::Result<()> {
        writeln!(out, "{}", serde_json::to_string_pretty(&document(files))?)
    }
}

pub fn document(files: &[FileOutcome]) -> Value {
    let mut out = Vec::new();
    for f in files {
        let uri = f.display.trim_start_matches("./");
        let r = match &f.outcome {
            Outcome::Error(e) => {
                out.push(json!({
                    "ruleId": format!("restage/{}", e.code),
                    "level": "error",
                    "message": {"text": e.message},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": e.line, "startColumn": e.column}}}]
                }));
                continue;
            }
            Outcome::Rewrite(r) => r,
            _ => continue,
        };
        let fix = &r.fix;
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                let (sl, sc) = line_col(&f.original, e.range.start);
                let (el, ec) = line_col(&f.original, e.range.end);
                json!({
                    "deletedRegion": {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec, "charOffset": e.range.start, "charLength": e.range.end - e.range.start},
                    "insertedContent": {"text": e.content}
                })
            })
            .collect();
        let mut text = format!("Single-stage Dockerfile: split into {}.", super::split_phrase(r));
        for reason in &fix.reasons {
            text.push_str(&format!(" {} [{}].", reason.message, reason.code));
        }
        let safe = fix.applicability == Applicability::Safe;
        out.push(json!({
            "ruleId": if safe { "restage/multi-stage" } else { "restage/multi-stage-review" },
            "level": if safe { "note" } else { "warning" },
            "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": 1}}}],
            "fixes": [{"description": {"text": "Split into builder and runtime stages"}, "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}]}],
            "properties": {"reasons": fix.reasons, "estimate_mb": r.estimate_mb}
        }));
    }
    let mut rules = vec![
        json!({"id": "restage/multi-stage", "shortDescription": {"text": "Single-stage Dockerfile can be split safely"}}),
        json!({"id": "restage/multi-stage-review", "shortDescription": {"text": "Single-stage Dockerfile can be split; the rewrite needs review"}}),
    ];
    for c in Code::ALL.iter().filter(|c| c.kind() == CodeKind::Error) {
        rules.push(json!({"id": format!("restage/{c}"), "shortDescription": {"text": c.title()}}));
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "restage", "version": env!("CARGO_PKG_VERSION"), "informationUri": "https://github.com/restage/restage", "rules": rules}},
            "results": out
        }]
    })
}
