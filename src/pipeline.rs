//! One file, start to finish: parse → analyze → apply edits → re-parse → idempotence check.
//! A rewrite that does not re-parse or is not idempotent is never shown or written: the file
//! is reported skipped with the reason (a restage bug, said plainly).

use crate::document::Document;
use crate::edit;
use crate::plan::{self, Analysis, Settings, Status};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct FileError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileResult {
    /// As given or found (forward slashes), `-` for stdin.
    pub path: String,
    #[serde(skip)]
    pub original: String,
    #[serde(skip)]
    pub rewritten: Option<String>,
    pub analysis: Option<Analysis>,
    pub error: Option<FileError>,
}

impl FileResult {
    pub fn error(path: &str, original: String, line: usize, column: usize, message: impl Into<String>) -> FileResult {
        FileResult { path: path.to_string(), original, rewritten: None, analysis: None, error: Some(FileError { line, column, message: message.into() }) }
    }
    pub fn changed(&self) -> bool {
        self.rewritten.as_ref().is_some_and(|r| *r != self.original)
    }
    pub fn status(&self) -> Option<Status> {
        self.analysis.as_ref().map(|a| a.status)
    }
}

pub fn process(path: &str, fs_path: Option<&Path>, text: String, settings: &Settings) -> FileResult {
    let doc = match Document::parse(text.as_str()) {
        Ok(d) => d,
        Err(e) => return FileResult::error(path, text, e.line, e.column, e.message),
    };
    let analysis = plan::analyze(&doc, fs_path, settings);
    let Some(fix) = &analysis.fix else {
        return FileResult { path: path.to_string(), original: text, rewritten: None, analysis: Some(analysis), error: None };
    };
    let internal = |text: String, why: String| FileResult {
        path: path.to_string(),
        original: text,
        rewritten: None,
        analysis: Some(Analysis::skipped(format!("internal: {why} (please report this restage bug)"))),
        error: None,
    };
    let out = match edit::apply(&doc.text, &fix.edits) {
        Ok(o) => o,
        Err(e) => return internal(text, e.to_string()),
    };
    let new_doc = match Document::parse(out.as_str()) {
        Ok(d) => d,
        Err(e) => return internal(text, format!("the rewrite does not parse ({}:{}: {})", e.line, e.column, e.message)),
    };
    let again = plan::analyze(&new_doc, fs_path, settings);
    if again.fix.is_some() {
        return internal(text, "a second run would change the rewrite again (not idempotent)".into());
    }
    FileResult { path: path.to_string(), original: text, rewritten: Some(out), analysis: Some(analysis), error: None }
}
