//! Ecosystem knowledge that is not an image pair (`mappings/ecosystems.toml`, embedded):
//! tag grammar (OS tokens, Debian codenames), the default PATH, and per-language lists the
//! recipes consult. Data, so that adding a cgo module or a dev server is a TOML edit.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ecosystems {
    pub tags: Tags,
    pub path: Path,
    pub go: Go,
    pub node: Node,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tags {
    pub os_tokens: Vec<String>,
    pub ubuntu: Vec<String>,
    pub alpine_default: String,
    pub debian_default: String,
    pub debian: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Path {
    pub default: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Go {
    pub cgo_modules: Vec<String>,
    pub runtime_dirs: Vec<String>,
    pub file_read_calls: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub dev_servers: Vec<String>,
}

pub fn get() -> &'static Ecosystems {
    static E: OnceLock<Ecosystems> = OnceLock::new();
    E.get_or_init(|| toml::from_str(include_str!("../mappings/ecosystems.toml")).expect("valid ecosystems.toml (tested)"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_embedded_file_parses_and_is_not_empty() {
        let e = super::get();
        assert!(e.tags.os_tokens.contains(&"bookworm".to_string()));
        assert_eq!(e.tags.debian.get("bookworm").map(String::as_str), Some("12"));
        assert!(e.path.default.contains(&"/usr/local/bin".to_string()));
        assert!(!e.go.cgo_modules.is_empty() && !e.go.runtime_dirs.is_empty() && !e.node.dev_servers.is_empty());
    }
}
