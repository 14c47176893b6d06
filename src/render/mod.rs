//! Output formats, one module each, behind one trait. Every renderer gets the outcomes
//! sorted by path, so the same input gives byte-identical output whatever the scheduling.

pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::outcome::{Code, FileOutcome, Outcome, Rewrite};
use std::collections::BTreeMap;
use std::io::Write;

/// One output format for the outcomes of a run.
pub trait Renderer {
    fn render(&self, out: &mut dyn Write, files: &[FileOutcome]) -> std::io::Result<()>;
}

/// The rewrite in one phrase for the annotation formats (github, sarif):
/// `a builder (golang:1.22) and a runtime stage (gcr.io/…) [safe]`.
pub fn split_phrase(r: &Rewrite) -> String {
    let mut s = format!(
        "a builder ({}) and a runtime stage ({}) [{}]",
        r.builder.as_deref().unwrap_or("?"),
        r.runtime.as_deref().unwrap_or("?"),
        r.fix.applicability.as_str()
    );
    if let Some(mb) = r.estimate_mb {
        s.push_str(&format!(", saves ≈ {mb} MB"));
    }
    s
}

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
    /// Skipped files per reason code.
    pub skip_reasons: BTreeMap<String, usize>,
    /// Sum of the estimated savings of the rewrites that have one (MB).
    pub estimate_mb: u64,
    /// Rewrites per image family.
    pub families: BTreeMap<String, usize>,
}

impl Summary {
    pub fn of(files: &[FileOutcome]) -> Summary {
        let mut s = Summary { files: files.len(), ..Default::default() };
        for f in files {
            match &f.outcome {
                Outcome::Error(_) => s.errors += 1,
                Outcome::Rewrite(r) => {
                    s.rewritten += 1;
                    s.estimate_mb += r.estimate_mb.unwrap_or(0);
                    if let Some(f) = &r.family {
                        *s.families.entry(f.clone()).or_default() += 1;
                    }
                    match r.fix.applicability {
                        crate::edit::Applicability::Safe => s.safe += 1,
                        crate::edit::Applicability::NeedsReview => s.needs_review += 1,
                    }
                }
                Outcome::Unchanged { .. } => s.unchanged += 1,
                Outcome::Skipped { reason, .. } => {
                    s.skipped += 1;
                    *s.skip_reasons.entry(reason.code.as_str().to_string()).or_default() += 1;
                }
            }
        }
        s
    }

    /// The stderr summary: one line of counts, then one line per skip code, most frequent
    /// first (ties by code, so the output is deterministic).
    pub fn line(&self) -> String {
        let mut s = format!(
            "restage: {} files: {} rewritten ({} safe, {} needs review), {} unchanged, {} skipped, {} errors",
            self.files, self.rewritten, self.safe, self.needs_review, self.unchanged, self.skipped, self.errors
        );
        if self.estimate_mb > 0 {
            s.push_str(&format!("; saves ≈ {} MB", self.estimate_mb));
        }
        // Per family, when the run used more than one or an inferred vendor family.
        if self.families.len() > 1 || self.families.keys().any(|f| f != "upstream") {
            let per: Vec<String> = self.families.iter().map(|(f, n)| format!("{f} {n}")).collect();
            s.push_str(&format!("\n  rewritten per family: {}", per.join(", ")));
        }
        let mut reasons: Vec<(&String, &usize)> = self.skip_reasons.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (code, n) in reasons {
            let title = Code::ALL.iter().find(|c| c.as_str() == code).map_or("", |c| c.title());
            s.push_str(&format!("\n  skipped {n} [{code}]: {title}"));
        }
        s
    }
}

pub fn unified_diff(f: &FileOutcome) -> Option<String> {
    let new = f.changed()?;
    let path = f.display.trim_start_matches("./").trim_start_matches('/');
    let (a, b) = if f.stdin { ("a/-".to_string(), "b/-".to_string()) } else { (format!("a/{path}"), format!("b/{path}")) };
    let diff = similar::TextDiff::from_lines(f.original.as_str(), new);
    Some(diff.unified_diff().context_radius(3).missing_newline_hint(true).header(&a, &b).to_string())
}
