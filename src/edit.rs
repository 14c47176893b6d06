//! Byte-range edits on the original text (ruff's `Edit` / `Fix`).
//!
//! A rewrite never re-serialises a Dockerfile: it is a set of non-overlapping splices on the
//! original bytes, so everything the rewrite does not mean to touch stays byte-identical.

use serde::Serialize;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub range: Range<usize>,
    pub content: String,
}

impl Edit {
    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit { range: at..at, content: content.into() }
    }
    pub fn replace(range: Range<usize>, content: impl Into<String>) -> Edit {
        Edit { range, content: content.into() }
    }
}

/// How much a rewrite can be trusted without a human look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    Safe,
    NeedsReview,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::NeedsReview => "needs review",
        }
    }
}

/// A complete rewrite of one file.
#[derive(Debug, Clone, Serialize)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
    /// What a reviewer must check (empty when safe), each with its code.
    pub reasons: Vec<crate::outcome::Reason>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("overlapping edits at bytes {first:?} and {second:?}")]
pub struct OverlapError {
    pub first: Range<usize>,
    pub second: Range<usize>,
}

/// Applies edits sorted by position; two edits may touch but never overlap. Insertions at
/// the same offset keep their given order.
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, OverlapError> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    for pair in sorted.windows(2) {
        let (a, b) = (&pair[0].range, &pair[1].range);
        let overlaps = b.start < a.end || (a == b && !a.is_empty());
        if overlaps {
            return Err(OverlapError { first: a.clone(), second: b.clone() });
        }
    }
    let mut out = String::with_capacity(text.len() + sorted.iter().map(|e| e.content.len()).sum::<usize>());
    let mut pos = 0;
    for e in sorted {
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.content);
        pos = e.range.end;
    }
    out.push_str(&text[pos..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_in_order_and_keeps_the_rest() {
        let t = "FROM a\nCMD x\n";
        let out = apply(t, &[Edit::insert(7, "RUN y\n"), Edit::replace(5..6, "b AS build")]).unwrap();
        assert_eq!(out, "FROM b AS build\nRUN y\nCMD x\n");
    }

    #[test]
    fn rejects_overlaps() {
        let e = apply("abcdef", &[Edit::replace(0..3, "x"), Edit::replace(2..4, "y")]).unwrap_err();
        assert_eq!(e.first, 0..3);
        assert!(apply("abcdef", &[Edit::replace(1..2, "x"), Edit::replace(1..2, "y")]).is_err());
    }

    #[test]
    fn two_inserts_at_one_offset_keep_order() {
        assert_eq!(apply("ab", &[Edit::insert(1, "1"), Edit::insert(1, "2")]).unwrap(), "a12b");
    }
}
