//! Per-repository defaults in `restage.toml`, found from the walk root upward.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Default family (`--to`).
    pub to: Option<String>,
    pub registry: Option<String>,
    /// Default for `--upgrade`.
    pub upgrade: Option<bool>,
    /// Extra mappings file, relative to restage.toml.
    pub mappings: Option<PathBuf>,
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// The nearest `restage.toml` at or above `start`, parsed; errors say FILE:LINE:COL.
pub fn find(start: &Path) -> anyhow::Result<Option<(PathBuf, Config)>> {
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    let mut dir = if start.is_dir() { Some(start.as_path()) } else { start.parent() };
    while let Some(d) = dir {
        let f = d.join("restage.toml");
        if f.is_file() {
            let text = std::fs::read_to_string(&f)?;
            let cfg: Config = toml::from_str(&text).map_err(|e| {
                let (l, c) = e.span().map_or((1, 1), |s| crate::document::line_col(&text, s.start));
                anyhow::anyhow!("{}:{l}:{c}: {}", f.display(), e.message())
            })?;
            return Ok(Some((f, cfg)));
        }
        dir = d.parent();
    }
    Ok(None)
}
