//! The whole pipeline on one in-memory Dockerfile: never panics, never reports an internal
//! error, and every rewrite re-parses. Kept tiny so it follows the pipeline's API.
#![no_main]

use libfuzzer_sys::fuzz_target;
use restage::document::Document;
use restage::pairing::Table;
use restage::plan::Settings;
use std::sync::LazyLock;

/// Every family; the input's length picks one (`--to` for all but upstream).
static SETTINGS: LazyLock<Vec<Settings>> = LazyLock::new(|| {
    ["upstream", "distroless", "chainguard", "minimus", "dhi", "ubi"]
        .iter()
        .map(|f| Settings { table: Table::builtin(), family: f.to_string(), explicit_family: *f != "upstream", registry: None, context: None })
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let settings = &SETTINGS[data.len() % SETTINGS.len()];
    let r = restage::pipeline::process("Dockerfile", None, text.to_string(), settings);
    if let Some(reason) = r.analysis.as_ref().and_then(|a| a.reason.as_deref()) {
        assert!(!reason.starts_with("internal:"), "{reason}");
    }
    if let Some(out) = &r.rewritten {
        if let Err(e) = Document::parse(out.as_str()) {
            panic!("rewrite does not re-parse: {}:{}: {}", e.line, e.column, e.message);
        }
    }
});
