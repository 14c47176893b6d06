//! Output formats, one module each. Every renderer gets the results sorted by path, so the
//! same input gives byte-identical output whatever the scheduling.

pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::pipeline::FileResult;
use crate::plan::Status;

/// Counts for the summary line.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub rewritten: usize,
    pub safe: usize,
    pub needs_review: usize,
    pub unchanged: usize,
    pub skipped: usize,
    pub errors: usize,
    pub skip_reasons: std::collections::BTreeMap<String, usize>,
}

impl Summary {
    pub fn of(results: &[FileResult]) -> Summary {
        let mut s = Summary { files: results.len(), ..Default::default() };
        for r in results {
            if r.error.is_some() {
                s.errors += 1;
                continue;
            }
            let a = r.analysis.as_ref().expect("analysis when no error");
            match a.status {
                Status::Rewritten => {
                    s.rewritten += 1;
                    match a.fix.as_ref().map(|f| f.applicability) {
                        Some(crate::edit::Applicability::Safe) => s.safe += 1,
                        _ => s.needs_review += 1,
                    }
                }
                Status::Unchanged => s.unchanged += 1,
                Status::Skipped => {
                    s.skipped += 1;
                    *s.skip_reasons.entry(reason_kind(a.reason.as_deref().unwrap_or(""))).or_default() += 1;
                }
            }
        }
        s
    }

    pub fn line(&self) -> String {
        format!(
            "restage: {} files: {} rewritten ({} safe, {} needs review), {} unchanged, {} skipped, {} errors",
            self.files, self.rewritten, self.safe, self.needs_review, self.unchanged, self.skipped, self.errors
        )
    }
}

/// Groups skip reasons for the summary (`no upstream pair for X` → `no upstream pair`).
pub fn reason_kind(r: &str) -> String {
    let r = r.split(':').next().unwrap_or(r);
    let words: Vec<&str> = r.split_whitespace().collect();
    if r.starts_with("no ") && r.contains(" pair for ") {
        return words[..3].join(" ");
    }
    words.iter().take(6).copied().collect::<Vec<_>>().join(" ")
}

pub fn unified_diff(r: &FileResult) -> Option<String> {
    let new = r.rewritten.as_ref().filter(|n| **n != r.original)?;
    let path = r.path.trim_start_matches("./").trim_start_matches('/');
    let (a, b) = if r.path == "-" { ("a/-".to_string(), "b/-".to_string()) } else { (format!("a/{path}"), format!("b/{path}")) };
    let diff = similar::TextDiff::from_lines(r.original.as_str(), new.as_str());
    Some(diff.unified_diff().context_radius(3).missing_newline_hint(true).header(&a, &b).to_string())
}
