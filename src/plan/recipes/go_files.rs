//! Files a Go program opens at run time, found in its source: a literal relative path given
//! to a file-reading call (`os.ReadFile("messages/motd.txt")`, `template.ParseGlob(...)`,
//! `http.Dir("public")`). When the stage copied the whole context into WORKDIR, such a path
//! resolves against WORKDIR at run time, so the runtime stage needs that file or folder too.
//!
//! A scan of string literals, not a Go parser: paths built at run time (`os.Getenv`,
//! `filepath.Join(dir, name)`) are not seen, which is why a rewrite that copies files found
//! this way is marked needs-review and `--verify` exists.
//!
//! Dockerfiles that share a context (four per service folder in a monorepo, and the
//! idempotence re-analysis of each rewrite) share one scan: the result is remembered per
//! context folder for the run, and the pattern of the calls compiled once per list of
//! calls. Both memos forget everything past [`MEMO_DIRS`] entries so memory stays flat.

use regex::Regex;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const MEMO_DIRS: usize = 1024;

type Key = (PathBuf, Vec<String>);
static SCANS: Mutex<Option<HashMap<Key, Arc<Vec<Read>>>>> = Mutex::new(None);
static PATTERNS: Mutex<Option<HashMap<Vec<String>, Option<Regex>>>> = Mutex::new(None);

/// A relative path the program reads, where it was found (`main.go:12`) and the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub path: String,
    pub at: String,
    pub call: String,
}

const MAX_FILES: usize = 400;
const MAX_DEPTH: usize = 4;
const SKIP_DIRS: &[&str] = &["vendor", "testdata", "node_modules", ".git"];

/// Reads in the `.go` files under `context` (tests and vendored code excluded).
pub fn scan(context: &Path, file_read_calls: &[String]) -> Vec<Read> {
    let key = (context.to_path_buf(), file_read_calls.to_vec());
    if let Some(found) = SCANS.lock().unwrap().get_or_insert_with(HashMap::new).get(&key) {
        return found.to_vec();
    }
    let found = Arc::new(scan_now(context, file_read_calls));
    let mut memo = SCANS.lock().unwrap();
    let memo = memo.get_or_insert_with(HashMap::new);
    if memo.len() >= MEMO_DIRS {
        memo.clear();
    }
    memo.insert(key, Arc::clone(&found));
    found.to_vec()
}

/// The pattern of a call with a literal path: `os.ReadFile("…")`.
fn pattern(file_read_calls: &[String]) -> Option<Regex> {
    let mut memo = PATTERNS.lock().unwrap();
    let memo = memo.get_or_insert_with(HashMap::new);
    if let Some(re) = memo.get(file_read_calls) {
        return re.clone();
    }
    let calls: Vec<String> = file_read_calls.iter().map(|c| regex::escape(c)).collect();
    let re = Regex::new(&format!(r#"\b({})\(\s*"([^"\\]+)""#, calls.join("|"))).ok();
    if memo.len() >= MEMO_DIRS {
        memo.clear();
    }
    memo.insert(file_read_calls.to_vec(), re.clone());
    re
}

fn scan_now(context: &Path, file_read_calls: &[String]) -> Vec<Read> {
    let files = go_files(context);
    if files.is_empty() {
        return Vec::new();
    }
    let Some(call) = pattern(file_read_calls) else { return Vec::new() };
    let call = &call;
    let mut reads = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        let rel = file.strip_prefix(context).unwrap_or(&file).to_string_lossy().replace('\\', "/");
        for c in call.captures_iter(&text) {
            let path = c[2].trim_start_matches("./").to_string();
            if path.is_empty() || path.starts_with('/') || path.starts_with("..") || path.contains("://") {
                continue;
            }
            let line = text[..c.get(0).unwrap().start()].matches('\n').count() + 1;
            reads.push(Read { path, at: format!("{rel}:{line}"), call: c[1].to_string() });
        }
    }
    reads
}

fn go_files(context: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![(context.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().to_string();
            let Ok(t) = e.file_type() else { continue };
            if t.is_dir() && depth < MAX_DEPTH && !SKIP_DIRS.contains(&name.as_str()) && !name.starts_with('.') {
                stack.push((e.path(), depth + 1));
            } else if t.is_file() && name.ends_with(".go") && !name.ends_with("_test.go") {
                out.push(e.path());
                if out.len() >= MAX_FILES {
                    return out;
                }
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_relative_paths_of_file_reading_calls_are_found_with_their_line() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("cmd/web")).unwrap();
        std::fs::create_dir_all(d.path().join("vendor/x")).unwrap();
        let src = "package main\n\nfunc main() {\n\tb, _ := os.ReadFile(\"messages/motd.txt\")\n\tt := template.Must(template.ParseGlob(\"./views/*.html\"))\n\tos.Open(\"/etc/passwd\")\n\tos.ReadFile(os.Getenv(\"F\"))\n}\n";
        std::fs::write(d.path().join("cmd/web/main.go"), src).unwrap();
        std::fs::write(d.path().join("cmd/web/main_test.go"), "os.ReadFile(\"fixtures/a\")").unwrap();
        std::fs::write(d.path().join("vendor/x/x.go"), "os.ReadFile(\"vendored/a\")").unwrap();
        let reads = scan(d.path(), &crate::knowledge::Table::builtin().ecosystems.go.file_read_calls);
        assert_eq!(
            reads,
            [
                Read { path: "messages/motd.txt".into(), at: "cmd/web/main.go:4".into(), call: "os.ReadFile".into() },
                Read { path: "views/*.html".into(), at: "cmd/web/main.go:5".into(), call: "template.ParseGlob".into() },
            ]
        );
    }
}
