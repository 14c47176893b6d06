//! Output formats, one module each. Every renderer gets the results sorted by path, so the
//! same input gives byte-identical output whatever the scheduling.

pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::pipeline::FileResult;
use crate::plan::Status;

/// The rewrite in one phrase for the annotation formats (github, sarif):
/// `a builder (golang:1.22) and a runtime stage (gcr.io/…) [safe]`.
pub fn split_phrase(a: &crate::plan::Analysis, applicability: crate::edit::Applicability) -> String {
    format!("a builder ({}) and a runtime stage ({}) [{}]", a.builder.as_deref().unwrap_or("?"), a.runtime.as_deref().unwrap_or("?"), applicability.as_str())
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

    /// The stderr summary: one line of counts, then one line per skip reason, most
    /// frequent first (ties by name, so the output is deterministic).
    pub fn line(&self) -> String {
        let mut s = format!(
            "restage: {} files: {} rewritten ({} safe, {} needs review), {} unchanged, {} skipped, {} errors",
            self.files, self.rewritten, self.safe, self.needs_review, self.unchanged, self.skipped, self.errors
        );
        let mut reasons: Vec<(&String, &usize)> = self.skip_reasons.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (reason, n) in reasons {
            s.push_str(&format!("\n  skipped {n}: {reason}"));
        }
        s
    }
}

/// Groups skip reasons for the summary: the part before the first `: ` outside brackets
/// and quotes (the detail after it varies per file), without bracketed paths, numbers
/// masked, so `no upstream pair for `foo`` and `... for `bar`` count as one kind.
pub fn reason_kind(r: &str) -> String {
    let mut out = String::new();
    let (mut paren, mut quoted) = (0usize, false);
    let mut chars = r.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => quoted = !quoted,
            '(' if !quoted => paren += 1,
            ')' if !quoted => paren = paren.saturating_sub(1),
            ':' if !quoted && paren == 0 && chars.peek().is_none_or(|n| n.is_whitespace()) => break,
            '0'..='9' => {
                while chars.peek().is_some_and(|n| n.is_ascii_digit()) {
                    chars.next();
                }
                out.push('N');
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    // A bracketed detail naming paths varies per file: drop it.
    static PATHS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| regex::Regex::new(r"\s*\([^()]*/[^()]*\)").expect("valid regex"));
    let out = PATHS.replace_all(&out, "").trim().to_string();
    match out.find(" pair for ") {
        Some(i) if out.starts_with("no ") => out[..i + 5].to_string(),
        _ => out,
    }
}

pub fn unified_diff(r: &FileResult) -> Option<String> {
    let new = r.rewritten.as_ref().filter(|n| **n != r.original)?;
    let path = r.path.trim_start_matches("./").trim_start_matches('/');
    let (a, b) = if r.path == "-" { ("a/-".to_string(), "b/-".to_string()) } else { (format!("a/{path}"), format!("b/{path}")) };
    let diff = similar::TextDiff::from_lines(r.original.as_str(), new.as_str());
    Some(diff.unified_diff().context_radius(3).missing_newline_hint(true).header(&a, &b).to_string())
}

#[cfg(test)]
mod reason_tests {
    use super::reason_kind;

    #[test]
    fn skip_reasons_group_by_their_kind() {
        assert_eq!(reason_kind("no upstream pair for `foo:1`"), "no upstream pair");
        assert_eq!(reason_kind("already multi-stage: 3 stages"), "already multi-stage");
        assert_eq!(reason_kind("no `dotnet publish` step"), "no `dotnet publish` step");
        assert_eq!(reason_kind("unknown instruction `{%` on line 57 (a template?)"), "unknown instruction `{%` on line N (a template?)");
        assert_eq!(reason_kind("cannot tell which build output the program `x` is (outputs: /a/b, /c)"), "cannot tell which build output the program `x` is");
        assert_eq!(reason_kind("the app lives in / (no WORKDIR): cannot tell"), "the app lives in / (no WORKDIR)");
    }
}
