//! OS packages installed in the single stage, sorted into build-only and runtime needs.
//! The distro-aware `-dev` → runtime-library table is data (`mappings/packages.toml`).

use super::stage::{Invocation, basename};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Deserialize)]
struct PackageTable {
    build_only: Vec<String>,
    present: Vec<String>,
    debian: BTreeMap<String, String>,
    alpine: BTreeMap<String, String>,
}

fn table() -> &'static PackageTable {
    static T: OnceLock<PackageTable> = OnceLock::new();
    T.get_or_init(|| toml::from_str(include_str!("../../mappings/packages.toml")).expect("valid packages.toml (tested)"))
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Packages {
    /// The package manager used (`apt`, `apk`, `dnf`, …).
    pub manager: Option<String>,
    /// Runtime packages, with the `-dev` ones mapped to their libraries.
    pub runtime: Vec<String>,
    /// `-dev` packages with no known runtime library.
    pub unknown_dev: Vec<String>,
}

/// Packages installed by apt-get / apt / apk / dnf / yum / microdnf invocations.
pub fn classify(invs: &[Invocation], keep: &[&str]) -> Packages {
    let t = table();
    let mut p = Packages::default();
    for inv in invs {
        let w = &inv.words;
        let Some(tool) = w.first().map(|s| basename(s)) else { continue };
        let (mgr, start) = match (tool, w.get(1).map(String::as_str)) {
            ("apt-get" | "apt", Some("install")) => ("apt", 2),
            ("apk", Some("add")) => ("apk", 2),
            ("dnf" | "yum" | "microdnf", Some("install")) => ("dnf", 2),
            _ => continue,
        };
        p.manager.get_or_insert_with(|| mgr.to_string());
        let mut skip_next = false;
        for pkg in &w[start..] {
            if skip_next {
                skip_next = false;
                continue;
            }
            if pkg.starts_with('-') {
                skip_next = matches!(pkg.as_str(), "-t" | "--target-release" | "--virtual" | "-o" | "--repository" | "-X");
                continue;
            }
            let name = pkg.split(['=', ':']).next().unwrap_or(pkg).to_string();
            if name.contains(['$', '/', '*']) || name.is_empty() {
                continue;
            }
            let map = if mgr == "apk" { &t.alpine } else { &t.debian };
            let runtime = if let Some(lib) = map.get(&name) {
                Some(lib.clone())
            } else if name.ends_with("-dev") || name.ends_with("-devel") {
                p.unknown_dev.push(name.clone());
                None
            } else if (t.build_only.contains(&name) || t.present.contains(&name)) && !keep.contains(&name.as_str()) {
                None
            } else {
                Some(name.clone())
            };
            if let Some(r) = runtime
                && !p.runtime.contains(&r)
            {
                p.runtime.push(r);
            }
        }
    }
    p
}

/// One RUN line installing `pkgs` with `manager`.
pub fn install_line(manager: &str, pkgs: &[String]) -> String {
    let list = pkgs.join(" ");
    match manager {
        "apk" => format!("RUN apk add --no-cache {list}"),
        "microdnf" => format!("RUN microdnf install -y {list} && microdnf clean all"),
        "dnf" => format!("RUN dnf install -y {list} && dnf clean all"),
        _ => format!("RUN apt-get update && apt-get install -y --no-install-recommends {list} && rm -rf /var/lib/apt/lists/*"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inv(s: &str) -> Invocation {
        Invocation { words: s.split_whitespace().map(String::from).collect(), cwd: "/".into(), instruction: 0 }
    }

    #[test]
    fn dev_packages_map_to_runtime_libraries() {
        let p = classify(&[inv("apt-get install -y --no-install-recommends gcc libpq-dev netcat-openbsd ca-certificates libfoo-dev")], &[]);
        assert_eq!(p.manager.as_deref(), Some("apt"));
        assert_eq!(p.runtime, ["libpq5", "netcat-openbsd"]);
        assert_eq!(p.unknown_dev, ["libfoo-dev"]);
        let p = classify(&[inv("apk add --no-cache --virtual .b build-base postgresql-dev tini curl")], &["curl"]);
        assert_eq!(p.runtime, ["libpq", "tini", "curl"]);
    }
}
