//! `restage mcp`: the Model Context Protocol over stdio, so AI agents call restage's
//! deterministic engine instead of rewriting Dockerfiles by guesswork.
//!
//! Why a small JSON-RPC layer of our own and not the `rmcp` crate: the stdio transport is
//! newline-delimited JSON-RPC 2.0 and restage needs only four methods (`initialize`,
//! `ping`, `tools/list`, `tools/call`) and no server-to-client requests; `rmcp` brings an
//! async runtime (tokio) and macros for that, which would double the build time of a
//! synchronous CLI. `serde_json` (already a dependency) is the whole transport here.
//!
//! The tools are the CLI's library calls, not a second engine: settings come from the same
//! flags and `restage.toml` loading as a run ([`crate::app::settings::load`]), every file goes
//! through [`crate::pipeline::process`], and results are the `--format json` file objects
//! (reason codes, applicability, diff, `estimate_mb`), so an agent sees what CI sees.
//!
//! stdout carries protocol messages only; nothing else is printed there (settings errors
//! become tool errors, diagnostics go to stderr).

use crate::app::settings::{self, RunSettings};
use crate::cli::Cli;
use crate::outcome::FileOutcome;
use clap::Parser;
use rayon::prelude::*;
use serde_json::{Value, json};
use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// The protocol revision restage implements; older ones a client asks for are accepted too
/// (the tools part did not change in a way restage depends on, apart from `structuredContent`).
pub const PROTOCOL_VERSION: &str = "2025-06-18";
const ACCEPTED_VERSIONS: &[&str] = &["2025-06-18", "2025-03-26", "2024-11-05"];

/// `restage mcp` was asked for: exactly `restage mcp`, and no file or folder named `mcp`
/// exists in the working directory (then `restage mcp` keeps meaning "check ./mcp").
/// Detected before clap parses, so positional paths stay as they were.
pub fn requested(args: &[OsString]) -> bool {
    args.len() == 2 && args[1] == "mcp" && !Path::new("mcp").exists()
}

/// Serves stdin/stdout until stdin closes.
pub fn serve_stdio() -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    serve(stdin.lock(), stdout.lock())
}

/// Serves one session: one JSON-RPC message per line in, one response per request out.
pub fn serve(input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        if let Some(reply) = handle_line(&line) {
            serde_json::to_writer(&mut output, &reply)?;
            output.write_all(b"\n")?;
            output.flush()?;
        }
    }
    Ok(())
}

/// One incoming line → the reply (None for notifications and responses).
pub fn handle_line(line: &str) -> Option<Value> {
    let msg: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return Some(error(Value::Null, -32700, &format!("parse error: {e}"))),
    };
    let Some(obj) = msg.as_object() else {
        // Batches were removed from the protocol in 2025-06-18.
        return Some(error(Value::Null, -32600, "invalid request: expected one JSON-RPC object per line"));
    };
    let id = obj.get("id").cloned();
    let Some(method) = obj.get("method").and_then(Value::as_str) else {
        // A response to a request of ours (we send none) or garbage: nothing to answer
        // unless it carries an id.
        return id.filter(|_| !obj.contains_key("result") && !obj.contains_key("error")).map(|id| error(id, -32600, "invalid request: no method"));
    };
    let params = obj.get("params").cloned().unwrap_or(Value::Null);
    let Some(id) = id else {
        // Notifications (`notifications/initialized`, `notifications/cancelled`, …): no reply.
        return None;
    };
    Some(match method {
        "initialize" => ok(id, initialize(&params)),
        "ping" => ok(id, json!({})),
        "tools/list" => ok(id, json!({"tools": tools()})),
        "tools/call" => match call(&params) {
            Ok(result) => ok(id, result),
            Err((code, message)) => error(id, code, &message),
        },
        _ => error(id, -32601, &format!("method not found: {method}")),
    })
}

fn ok(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

fn initialize(params: &Value) -> Value {
    let asked = params.get("protocolVersion").and_then(Value::as_str).unwrap_or(PROTOCOL_VERSION);
    let version = if ACCEPTED_VERSIONS.contains(&asked) { asked } else { PROTOCOL_VERSION };
    json!({
        "protocolVersion": version,
        "capabilities": {"tools": {}},
        "serverInfo": {"name": "restage", "title": "restage", "version": env!("CARGO_PKG_VERSION")},
        "instructions": "restage rewrites single-stage Dockerfiles into multi-stage builds (a builder plus a small runtime image). \
    Call `rewrite` with the Dockerfile text (and the build context folder when you have it) and apply the returned `rewritten` text only when \
    `status` is `rewritten`; `applicability` `needs-review` means a human should check the `reasons`. Skips explain themselves with a stable `code`. \
    `list_pairs` shows the builder/runtime images of a family; `check_folder` checks every Dockerfile under a folder without writing."
    })
}

fn family_props() -> Value {
    json!({
        "family": {"type": "string", "description": "Image family for the pair: upstream, distroless, minimus, chainguard, dhi, ubi (default: inferred from the base image, else upstream). Given, multi-stage files are retargeted too."},
        "upgrade": {"type": "boolean", "description": "When the family does not ship the file's version, move builder and runtime together to the nearest newer one (needs review)."},
        "registry": {"type": "string", "description": "Registry prefix overriding the family's (cgr.dev/myorg)."}
    })
}

/// The tool list (names, descriptions, JSON Schemas of the arguments).
pub fn tools() -> Value {
    let mut rewrite_props = json!({
        "dockerfile": {"type": "string", "description": "The Dockerfile text."},
        "context": {"type": "string", "description": "Build context folder (absolute, or relative to the server's working directory). Without it, decisions that need files of the context are labelled needs-review (code context-missing)."},
        "name": {"type": "string", "description": "File name shown in the diff (default: Dockerfile)."}
    });
    let mut check_props = json!({
        "path": {"type": "string", "description": "Folder (or file) to check: every Dockerfile under it, honouring .gitignore and restage.toml."},
        "exclude": {"type": "array", "items": {"type": "string"}, "description": "Paths to exclude (gitignore syntax)."}
    });
    for (k, v) in family_props().as_object().expect("object") {
        rewrite_props[k] = v.clone();
        check_props[k] = v.clone();
    }
    let read_only = json!({"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false});
    json!([
        {
            "name": "rewrite",
            "title": "Rewrite a Dockerfile into a multi-stage build",
            "description": "Rewrites one single-stage Dockerfile into a builder stage plus a small runtime stage. Returns status (rewritten, unchanged, skipped, error), \
    the unified diff, the rewritten text, applicability (safe or needs-review), reasons with stable codes, the builder and runtime images and the estimated saving in MB. \
    Nothing is written to disk.",
            "inputSchema": {"type": "object", "properties": rewrite_props, "required": ["dockerfile"], "additionalProperties": false},
            "annotations": read_only
        },
        {
            "name": "list_pairs",
            "title": "List the builder/runtime pairs of an image family",
            "description": "Lists the builder/runtime image pairs restage uses for a family (default: upstream), with the versions each covers, and the known families.",
            "inputSchema": {"type": "object", "properties": {"family": {"type": "string", "description": "Image family (default: upstream)."}}, "additionalProperties": false},
            "annotations": read_only
        },
        {
            "name": "check_folder",
            "title": "Check every Dockerfile under a folder",
            "description": "Like `restage --check --format json PATH`: every Dockerfile found is processed and reported (status, code, diff, applicability, reasons, estimate_mb), \
    with a summary and `pending` (true when a rewrite is pending, i.e. --check would fail). Nothing is written.",
            "inputSchema": {"type": "object", "properties": check_props, "required": ["path"], "additionalProperties": false},
            "annotations": read_only
        }
    ])
}

type RpcError = (i64, String);

/// `tools/call`: unknown tools and malformed arguments are protocol errors (-32602); what goes
/// wrong inside a tool is a result with `isError` so the model sees it and can correct itself.
fn call(params: &Value) -> Result<Value, RpcError> {
    let name = params.get("name").and_then(Value::as_str).ok_or((-32602, "tools/call needs a tool `name`".to_string()))?;
    let args = match params.get("arguments") {
        None | Some(Value::Null) => json!({}),
        Some(v @ Value::Object(_)) => v.clone(),
        Some(_) => return Err((-32602, "`arguments` must be an object".into())),
    };
    // The server lives across edits of the files it is asked about: what a run remembers of
    // folders (listings, compose files) is dropped before each call.
    crate::plan::forget_folders();
    let result = match name {
        "rewrite" => rewrite(&args),
        "list_pairs" => list_pairs(&args),
        "check_folder" => check_folder(&args),
        _ => return Err((-32602, format!("unknown tool: {name}"))),
    };
    Ok(match result {
        Ok(structured) => json!({
            "content": [{"type": "text", "text": serde_json::to_string_pretty(&structured).expect("JSON")}],
            "structuredContent": structured,
            "isError": false
        }),
        Err(message) => json!({"content": [{"type": "text", "text": message}], "isError": true}),
    })
}

fn str_arg<'a>(args: &'a Value, key: &str) -> Result<Option<&'a str>, String> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("`{key}` must be a string")),
    }
}

/// The flags a CLI run would get for these arguments, then the CLI's own settings loading.
fn load(args: &Value, extra: &[OsString]) -> Result<RunSettings, String> {
    let mut argv: Vec<OsString> = vec!["restage".into()];
    if let Some(f) = str_arg(args, "family")? {
        argv.extend(["--to".into(), f.into()]);
    }
    if let Some(r) = str_arg(args, "registry")? {
        argv.extend(["--registry".into(), r.into()]);
    }
    match args.get("upgrade") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => argv.push("--upgrade".into()),
        Some(_) => return Err("`upgrade` must be a boolean".into()),
    }
    match args.get("exclude") {
        None | Some(Value::Null) => {}
        Some(Value::Array(a)) => {
            for g in a {
                let g = g.as_str().ok_or("`exclude` must be an array of strings")?;
                argv.extend(["--exclude".into(), g.into()]);
            }
        }
        Some(_) => return Err("`exclude` must be an array of strings".into()),
    }
    argv.extend(extra.iter().cloned());
    let cli = Cli::try_parse_from(&argv).map_err(|e| e.to_string())?;
    match settings::load(&cli) {
        Ok(Ok(s)) => Ok(s),
        // settings::load printed why to stderr; the model needs it in the result.
        Ok(Err(_)) => {
            let known = crate::knowledge::Table::builtin().family_names();
            Err(match &cli.to {
                Some(f) if !known.contains(f) => format!("unknown family `{f}` (built in: {}; restage.toml mappings may add more)", known.join(", ")),
                _ => "the settings could not be loaded (restage.toml or its mappings; the server's stderr has the details)".into(),
            })
        }
        Err(e) => Err(format!("{e:#}")),
    }
}

/// One file as `--format json` shows it, plus what an agent needs to apply it.
fn file_json(f: &FileOutcome) -> Value {
    let mut v = crate::render::json::document(std::slice::from_ref(f))["files"][0].take();
    if let Some(text) = f.changed() {
        v["rewritten"] = json!(text);
    }
    let explain: Vec<Value> = f.explain().iter().map(|r| json!(r)).collect();
    if !explain.is_empty() {
        v["explain"] = json!(explain);
    }
    v
}

fn rewrite(args: &Value) -> Result<Value, String> {
    let text = str_arg(args, "dockerfile")?.ok_or("`dockerfile` (the Dockerfile text) is required")?.to_string();
    let name = str_arg(args, "name")?.unwrap_or("Dockerfile").to_string();
    let mut extra: Vec<OsString> = Vec::new();
    if let Some(c) = str_arg(args, "context")? {
        let dir = PathBuf::from(c);
        if !dir.is_dir() {
            return Err(format!("context `{c}` is not a folder"));
        }
        // The folder is both the context and where restage.toml is looked up.
        extra.extend(["--context".into(), dir.clone().into(), dir.into()]);
    } else {
        extra.push("-".into());
    }
    let run = load(args, &extra)?;
    // Processed as stdin (the text is not on disk); shown under its name.
    let mut f = crate::pipeline::process(PathBuf::from(&name), true, text, &run.plan);
    f.stdin = false;
    f.display = name;
    Ok(file_json(&f))
}

fn list_pairs(args: &Value) -> Result<Value, String> {
    let run = load(args, &[])?;
    let table = &run.plan.table;
    let family = &run.plan.family;
    let fam = table.families.iter().find(|f| &f.name == family);
    let pairs: Vec<Value> = table
        .pairs_of(family)
        .map(|p| {
            let d = &p.def;
            json!({
                "ecosystem": d.ecosystem,
                "match": d.match_.get_ref().items(),
                "tag": d.tag,
                "builder": d.builder.get_ref(),
                "runtime": d.runtime.get_ref(),
                "versions": d.versions,
            })
        })
        .collect();
    Ok(json!({
        "family": family,
        "description": fam.map(|f| f.description.clone()),
        "registry": fam.map(|f| f.registry.clone()),
        "checked": fam.and_then(|f| f.checked.clone()),
        "families": table.family_names(),
        "pairs": pairs,
    }))
}

fn check_folder(args: &Value) -> Result<Value, String> {
    let path = str_arg(args, "path")?.ok_or("`path` (the folder to check) is required")?;
    if !Path::new(path).exists() {
        return Err(format!("`{path}` does not exist"));
    }
    let run = load(args, &[path.into()])?;
    let (files, walk_errors) = crate::discover::discover(&run.paths, &run.discover);
    let mut results: Vec<FileOutcome> = files.par_iter().map(|p| crate::app::process_path(p, &run)).collect();
    for (p, msg) in walk_errors {
        let e = crate::outcome::FileError { code: crate::outcome::Code::ReadError, line: 1, column: 1, message: msg };
        results.push(FileOutcome::new(p, false, String::new(), crate::outcome::Outcome::Error(e)));
    }
    results.sort_by(|a, b| a.display.cmp(&b.display));
    let mut doc = crate::render::json::document(&results);
    doc["pending"] = json!(results.iter().any(|r| r.changed().is_some()));
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_get_no_reply_and_requests_do() {
        assert!(handle_line(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).is_none());
        let r = handle_line(r#"{"jsonrpc":"2.0","id":7,"method":"ping"}"#).unwrap();
        assert_eq!(r["id"], 7);
        assert_eq!(r["result"], json!({}));
    }

    #[test]
    fn protocol_errors_have_their_json_rpc_codes() {
        let code = |line: &str| handle_line(line).expect("a reply")["error"]["code"].clone();
        assert_eq!(code("{not json"), -32700);
        assert_eq!(code(r#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#), -32600);
        assert_eq!(code(r#"{"jsonrpc":"2.0","id":1,"method":"nope"}"#), -32601);
        assert_eq!(code(r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"nope"}}"#), -32602);
    }

    #[test]
    fn an_unknown_protocol_version_gets_ours() {
        let r = handle_line(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"1999-01-01"}}"#).unwrap();
        assert_eq!(r["result"]["protocolVersion"], PROTOCOL_VERSION);
        let r = handle_line(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26"}}"#).unwrap();
        assert_eq!(r["result"]["protocolVersion"], "2025-03-26");
    }

    #[test]
    fn tool_errors_are_results_the_model_sees() {
        let r = handle_line(
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"rewrite","arguments":{"dockerfile":"FROM golang:1.22\n","family":"nope"}}}"#,
        )
        .unwrap();
        assert_eq!(r["result"]["isError"], true, "{r}");
        assert!(r["result"]["content"][0]["text"].as_str().unwrap().contains("unknown family"), "{r}");
        assert!(r["result"].get("structuredContent").is_none());
    }

    #[test]
    fn requested_only_for_exactly_mcp() {
        let a = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert!(!requested(&a(&["restage"])));
        assert!(!requested(&a(&["restage", "mcp", "x"])));
        assert!(!requested(&a(&["restage", "Dockerfile"])));
    }
}
