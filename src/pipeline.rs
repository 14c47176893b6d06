//! One file, start to finish: parse → analyze → apply edits → re-parse → idempotence check.
//!
//! A rewrite that does not re-parse or is not idempotent is a restage bug: it is never shown
//! or written, and the file is reported as an *error* (exit code 2) asking for a report, not
//! quietly skipped. A panic while processing one file is caught here and becomes that file's
//! error, so the rest of a batch still goes through.

use crate::document::Document;
use crate::edit;
use crate::outcome::{Code, FileError, FileOutcome, Outcome, Rewrite};
use crate::plan::{self, Decision, Settings};
use std::path::{Path, PathBuf};

/// Processes one file's text. `fs_path` is where it lives (None for stdin): the build
/// context is looked up next to it.
pub fn process(path: PathBuf, stdin: bool, text: String, settings: &Settings) -> FileOutcome {
    let fs_path = (!stdin).then_some(path.as_path());
    let outcome = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| decide(fs_path, &text, settings))) {
        Ok(o) => o,
        Err(panic) => {
            let what = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_default();
            internal(format!("restage panicked ({what}); please report this restage bug with the file"))
        }
    };
    FileOutcome::new(path, stdin, text, outcome)
}

fn internal(message: String) -> Outcome {
    Outcome::Error(FileError { code: Code::Internal, line: 1, column: 1, message })
}

fn decide(fs_path: Option<&Path>, text: &str, settings: &Settings) -> Outcome {
    let doc = match Document::parse(text) {
        Ok(d) => d,
        Err(e) => return Outcome::Error(FileError { code: Code::ParseError, line: e.line, column: e.column, message: e.message }),
    };
    let planned = match plan::analyze(&doc, fs_path, settings) {
        Decision::Rewrite(p) => p,
        Decision::Unchanged(reason) => return Outcome::unchanged(reason),
        Decision::Skip(reason, explain) => return Outcome::Skipped { reason, explain },
    };
    let out = match edit::apply(&doc.text, &planned.fix.edits) {
        Ok(o) => o,
        Err(e) => return internal(format!("internal: {e} (please report this restage bug)")),
    };
    let new_doc = match Document::parse(out.as_str()) {
        Ok(d) => d,
        Err(e) => return internal(format!("internal: the rewrite does not parse ({}:{}: {}) (please report this restage bug)", e.line, e.column, e.message)),
    };
    if let Decision::Rewrite(_) = plan::analyze(&new_doc, fs_path, settings) {
        return internal("internal: a second run would change the rewrite again (not idempotent) (please report this restage bug)".into());
    }
    Outcome::Rewrite(Box::new(Rewrite { plan: *planned, text: out }))
}
