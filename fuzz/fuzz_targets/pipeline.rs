//! The whole pipeline on one in-memory Dockerfile: never panics, never reports an internal
//! error, and every rewrite re-parses. Kept tiny so it follows the pipeline's API.
#![no_main]

use libfuzzer_sys::fuzz_target;
use restage::document::Document;
use restage::knowledge::Table;
use restage::outcome::Code;
use restage::plan::Settings;
use std::sync::LazyLock;

/// Every family; the input's length picks one (`--to` for all but upstream).
static SETTINGS: LazyLock<Vec<Settings>> = LazyLock::new(|| {
    ["upstream", "distroless", "chainguard", "minimus", "dhi", "ubi"]
        .iter()
        .map(|f| Settings {
            table: Table::builtin(),
            family: f.to_string(),
            explicit_family: *f != "upstream",
            infer_family: *f == "upstream",
            upgrade: false,
            registry: None,
            context: None,
        })
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let settings = &SETTINGS[data.len() % SETTINGS.len()];
    let r = restage::pipeline::process("Dockerfile".into(), true, text.to_string(), settings);
    if let Some(e) = r.error() {
        assert_ne!(e.code, Code::Internal, "{}", e.message);
    }
    if let Some(out) = r.changed() {
        if let Err(e) = Document::parse(out) {
            panic!("rewrite does not re-parse: {}:{}: {}", e.line, e.column, e.message);
        }
    }
});
