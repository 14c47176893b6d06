//! `restage mcp` end to end: one whole MCP session over stdio with the real binary
//! (initialize, the initialized notification, tools/list, every tool, a tool error, a
//! protocol error, end of input), checked against what the CLI says for the same input.

use restage::outcome::Code;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    next_id: u64,
}

impl Session {
    fn start(dir: &Path) -> Session {
        let mut child = Command::new(env!("CARGO_BIN_EXE_restage"))
            .arg("mcp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("restage mcp starts");
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Session { child, stdin, stdout, next_id: 1 }
    }

    fn send(&mut self, msg: &Value) {
        let w = self.stdin.as_mut().unwrap();
        writeln!(w, "{}", serde_json::to_string(msg).unwrap()).unwrap();
        w.flush().unwrap();
    }

    fn read(&mut self) -> Value {
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        assert!(line.ends_with('\n'), "one message per line, got {line:?}");
        let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("stdout carries JSON-RPC only ({e}): {line}"));
        assert_eq!(v["jsonrpc"], "2.0");
        v
    }

    /// A request and its reply (ids must match: the server answers in order).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let reply = self.read();
        assert_eq!(reply["id"], id, "{reply}");
        reply
    }

    /// `tools/call` → the result; its text content is the structured content, serialized.
    fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let reply = self.request("tools/call", json!({"name": tool, "arguments": arguments}));
        let result = reply.get("result").unwrap_or_else(|| panic!("no result: {reply}")).clone();
        assert_eq!(result["content"][0]["type"], "text");
        if result["isError"] == false {
            let text: Value = serde_json::from_str(result["content"][0]["text"].as_str().unwrap()).unwrap();
            assert_eq!(text, result["structuredContent"], "text content and structuredContent differ");
        }
        result
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn codes(reasons: &Value) -> Vec<String> {
    reasons.as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect()
}

/// What `restage --format json` says for the same text and context.
fn cli_json(text: &str, context: &Path) -> Value {
    let mut child = Command::new(env!("CARGO_BIN_EXE_restage"))
        .args(["--format", "json", "--context"])
        .arg(context)
        .arg("-")
        .current_dir(context)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    serde_json::from_slice::<Value>(&out.stdout).unwrap()["files"][0].clone()
}

#[test]
fn a_whole_session_over_stdio() {
    let tmp = tempfile::tempdir().unwrap();
    let app = tmp.path().join("app");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("e2e/fixtures/go"), &app);
    let scratch = tmp.path().join("scratch");
    std::fs::create_dir_all(&scratch).unwrap();
    std::fs::write(scratch.join("Dockerfile"), "FROM scratch\nCOPY app /app\nCMD [\"/app\"]\n").unwrap();
    let dockerfile = std::fs::read_to_string(app.join("Dockerfile")).unwrap();

    let mut s = Session::start(tmp.path());

    // Lifecycle: initialize, then the initialized notification (no reply: the next line
    // read is the ping's).
    let init = s.request("initialize", json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}));
    let r = &init["result"];
    assert_eq!(r["protocolVersion"], "2025-06-18");
    assert!(r["capabilities"]["tools"].is_object(), "{init}");
    assert_eq!(r["serverInfo"]["name"], "restage");
    assert_eq!(r["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    s.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    assert_eq!(s.request("ping", json!({}))["result"], json!({}));

    // tools/list: the three tools, each with an object schema naming its required arguments.
    let list = s.request("tools/list", json!({}));
    let tools = list["result"]["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["rewrite", "list_pairs", "check_folder"]);
    for t in tools {
        assert_eq!(t["inputSchema"]["type"], "object", "{t}");
        assert!(!t["description"].as_str().unwrap().is_empty());
        for req in t["inputSchema"]["required"].as_array().into_iter().flatten() {
            assert!(t["inputSchema"]["properties"].get(req.as_str().unwrap()).is_some(), "{t}");
        }
    }

    // rewrite with a context folder: the CLI's decision, plus diff and rewritten text.
    let rw = s.call("rewrite", json!({"dockerfile": dockerfile, "context": app.to_str().unwrap()}));
    assert_eq!(rw["isError"], false, "{rw}");
    let f = &rw["structuredContent"];
    assert_eq!(f["status"], "rewritten", "{f}");
    assert!(["safe", "needs-review"].contains(&f["applicability"].as_str().unwrap()), "{f}");
    assert!(f["diff"].as_str().unwrap().starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n"), "{f}");
    let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    for c in codes(&f["reasons"]) {
        assert!(all.contains(&c.as_str()), "unknown reason code {c}");
    }
    assert!(!codes(&f["reasons"]).contains(&"context-missing".to_string()), "the context was given: {f}");
    let cli = cli_json(&dockerfile, &app);
    for k in ["status", "applicability", "reasons", "builder", "runtime", "estimate_mb", "family", "edits"] {
        assert_eq!(f[k], cli[k], "`{k}` differs from the CLI's");
    }
    let rewritten = f["rewritten"].as_str().unwrap();
    assert!(rewritten.matches("\nFROM ").count() + usize::from(rewritten.starts_with("FROM ")) >= 2, "{rewritten}");
    if !cli["estimate_mb"].is_null() {
        assert!(f["estimate_mb"].as_u64().unwrap() > 0);
    }

    // The rewritten text is left alone by a second call (idempotent), with its code.
    let again = s.call("rewrite", json!({"dockerfile": rewritten, "context": app.to_str().unwrap()}));
    assert_ne!(again["structuredContent"]["status"], "rewritten", "{again}");
    assert!(all.contains(&again["structuredContent"]["code"].as_str().unwrap()), "{again}");

    // Without a context, the decisions that need it are labelled for review.
    let bare = s.call("rewrite", json!({"dockerfile": dockerfile, "name": "svc/Dockerfile"}));
    let b = &bare["structuredContent"];
    assert_eq!(b["status"], "rewritten", "{b}");
    assert_eq!(b["applicability"], "needs-review");
    assert!(codes(&b["reasons"]).contains(&"context-missing".to_string()), "{b}");
    assert!(b["diff"].as_str().unwrap().starts_with("--- a/svc/Dockerfile\n"), "{b}");

    // A skip explains itself with its code.
    let skip = s.call("rewrite", json!({"dockerfile": "FROM scratch\nCOPY app /app\nCMD [\"/app\"]\n"}));
    assert_eq!(skip["structuredContent"]["status"], "skipped");
    assert_eq!(skip["structuredContent"]["code"], "from-scratch");

    // Tool errors are results the model sees (isError), not protocol errors.
    let bad = s.call("rewrite", json!({"dockerfile": dockerfile, "family": "no-such-family"}));
    assert_eq!(bad["isError"], true, "{bad}");
    assert!(bad["content"][0]["text"].as_str().unwrap().contains("no-such-family"));
    let missing = s.call("rewrite", json!({}));
    assert_eq!(missing["isError"], true);

    // list_pairs: the family's pairs, the same count as --list-pairs prints.
    let lp = s.call("list_pairs", json!({"family": "distroless"}));
    let p = &lp["structuredContent"];
    assert_eq!(p["family"], "distroless");
    assert!(p["families"].as_array().unwrap().iter().any(|f| f == "upstream"));
    let pairs = p["pairs"].as_array().unwrap();
    assert!(!pairs.is_empty());
    for pair in pairs {
        assert!(pair["builder"].is_string() && pair["runtime"].is_string() && pair["ecosystem"].is_string(), "{pair}");
    }
    let listed = Command::new(env!("CARGO_BIN_EXE_restage")).args(["--list-pairs", "--to", "distroless"]).current_dir(tmp.path()).output().unwrap();
    let lines = String::from_utf8_lossy(&listed.stdout).lines().filter(|l| !l.starts_with('#')).count();
    assert_eq!(pairs.len(), lines);

    // check_folder: every Dockerfile under the folder, like --check --format json.
    let cf = s.call("check_folder", json!({"path": tmp.path().to_str().unwrap()}));
    let d = &cf["structuredContent"];
    assert_eq!(d["summary"]["files"], 2, "{d}");
    assert_eq!(d["summary"]["rewritten"], 1);
    assert_eq!(d["summary"]["skip_reasons"]["from-scratch"], 1);
    assert_eq!(d["pending"], true);
    let check = Command::new(env!("CARGO_BIN_EXE_restage")).args(["--check", "--format", "json"]).arg(tmp.path()).current_dir(tmp.path()).output().unwrap();
    assert_eq!(check.status.code(), Some(1), "--check agrees that a rewrite is pending");
    let cli_doc: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(d["summary"], cli_doc["summary"]);
    let excluded = s.call("check_folder", json!({"path": tmp.path().to_str().unwrap(), "exclude": ["app/"]}));
    assert_eq!(excluded["structuredContent"]["pending"], false, "{excluded}");

    // Protocol errors keep their JSON-RPC codes and the session goes on.
    assert_eq!(s.request("no/such/method", json!({}))["error"]["code"], -32601);
    assert_eq!(s.request("tools/call", json!({"name": "no_such_tool"}))["error"]["code"], -32602);
    assert_eq!(s.request("ping", json!({}))["result"], json!({}));

    // End of input ends the server cleanly.
    drop(s.stdin.take());
    let status = s.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

/// A file named `mcp` is still a path to check: `restage mcp` only serves when there is none.
#[test]
fn a_file_named_mcp_is_still_checked() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("mcp"), "FROM scratch\nCOPY app /app\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_restage")).arg("mcp").current_dir(tmp.path()).stdin(Stdio::null()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 files"), "{stderr}");
    assert!(out.stdout.is_empty() || !String::from_utf8_lossy(&out.stdout).contains("jsonrpc"));
}

/// The tools read `restage.toml` as the CLI does: its family applies to `rewrite` with a
/// context and to `check_folder`, and an explicit `family` argument overrides it.
#[test]
fn restage_toml_is_honoured() {
    let tmp = tempfile::tempdir().unwrap();
    let app = tmp.path().join("app");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("e2e/fixtures/go"), &app);
    std::fs::write(app.join("restage.toml"), "to = \"distroless\"\n").unwrap();
    let dockerfile = std::fs::read_to_string(app.join("Dockerfile")).unwrap();
    let mut s = Session::start(tmp.path());
    s.request("initialize", json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}));
    s.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));

    let rw = s.call("rewrite", json!({"dockerfile": dockerfile, "context": app.to_str().unwrap()}));
    assert_eq!(rw["structuredContent"]["family"], "distroless", "{rw}");
    let cf = s.call("check_folder", json!({"path": app.to_str().unwrap()}));
    assert_eq!(cf["structuredContent"]["files"][0]["family"], "distroless", "{cf}");
    let over = s.call("rewrite", json!({"dockerfile": dockerfile, "context": app.to_str().unwrap(), "family": "upstream"}));
    assert_eq!(over["structuredContent"]["family"], "upstream", "{over}");
    assert_ne!(rw["structuredContent"]["runtime"], json!(null));
    drop(s.stdin.take());
    assert!(s.child.wait().unwrap().success());
}
