//! Debug helper: print restage's instruction line ranges as JSON (compare with BuildKit's).
fn main() {
    let mut out = serde_json::Map::new();
    for p in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let v = match restage::document::Document::parse(text) {
            Ok(d) => serde_json::json!({"ok": true, "lines": d.instructions.iter().map(|i| [i.start_line, i.end_line]).collect::<Vec<_>>()}),
            Err(e) => serde_json::json!({"ok": false, "error": format!("{}:{}: {}", e.line, e.column, e.message)}),
        };
        out.insert(p, v);
    }
    println!("{}", serde_json::Value::Object(out));
}
