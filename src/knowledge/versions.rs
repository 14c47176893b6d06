//! Version policy: what happens when a family does not ship the version a file pins.
//!
//! Builder and runtime always move together (never a builder on one version and a runtime
//! on another: a venv or native addon built for 3.14 does not load on 3.13). By default a
//! version the family lacks is a skip that says what would work; `--upgrade` moves both to
//! the nearest newer version the family ships, and the version change is a review reason.
//! A floating source (`node:lts`, `ruby`, `python:latest`) on a family that lists versions
//! is pinned to the newest one it ships, also for review.

use super::TagParts;

/// A version move decided by the policy: the source's new tag and the reason to show.
pub struct Change {
    pub tag: String,
    /// The version moved to (the tag may not carry it: `ubi9/python-39` names it).
    pub version: String,
    pub note: String,
}

/// Words that name no version (`latest`, `lts`, `current`, or a tag that starts with a
/// variant such as `alpine`, `slim`).
fn is_floating(tag: &str, parts: &TagParts) -> bool {
    parts.version.is_empty() && !tag.starts_with(|c: char| c.is_ascii_digit())
}

/// `22` ships for `22`, `22.1.0`; `3.13` for `3.13.5`.
fn ships(versions: &[String], v: &str) -> bool {
    versions.iter().any(|s| v == s || v.starts_with(&format!("{s}.")))
}

fn numeric(v: &str) -> Vec<u64> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// The nearest shipped version newer than `v`.
fn nearest_newer<'a>(versions: &'a [String], v: &str) -> Option<&'a String> {
    let want = numeric(v);
    let mut newer: Vec<&String> = versions.iter().filter(|s| numeric(s) > want).collect();
    newer.sort_by_key(|s| numeric(s));
    newer.into_iter().next()
}

fn newest(versions: &[String]) -> Option<&String> {
    versions.iter().max_by_key(|s| numeric(s))
}

/// The source tag with its version (or floating word) replaced by `v`.
fn retag(tag: &str, parts: &TagParts, v: &str) -> String {
    if !parts.version.is_empty() && tag.contains(&parts.version) {
        return tag.replacen(&parts.version, v, 1);
    }
    match tag {
        "" | "latest" | "lts" | "current" => v.to_string(),
        t => match t.split_once('-') {
            Some((w, rest)) if ["lts", "current", "latest"].contains(&w) => format!("{v}-{rest}"),
            _ => format!("{v}-{t}"),
        },
    }
}

/// Applies the policy: Ok(None) when the version ships (or the family lists none), a
/// Change when the source moves, Err with the skip reason otherwise.
pub fn policy(family: &str, name: &str, tag: &str, parts: &TagParts, versions: Option<&[String]>, eco: &str, upgrade: bool) -> Result<Option<Change>, String> {
    let Some(vs) = versions.filter(|v| !v.is_empty()) else { return Ok(None) };
    let list = vs.join(", ");
    if is_floating(tag, parts) {
        let Some(v) = newest(vs) else { return Ok(None) };
        let shown = if tag.is_empty() { "untagged".to_string() } else { format!("`{tag}`") };
        return Ok(Some(Change {
            tag: retag(tag, parts, v),
            version: v.clone(),
            note: format!("{name} {shown} floats: builder and runtime pinned to {eco} {v}, the newest {family} ships; check the app on {v}"),
        }));
    }
    // A tag the pair reads no version from (`3-alpine` against `\d\.?\d+`): the template
    // says so when it needs one.
    if parts.version.is_empty() || ships(vs, &parts.version) {
        return Ok(None);
    }
    let old = &parts.version;
    match (nearest_newer(vs, old), upgrade) {
        (Some(v), true) => Ok(Some(Change {
            tag: retag(tag, parts, v),
            version: v.clone(),
            note: format!("version change: {name} {old} → {v} ({family} ships {list}); builder and runtime moved together: check the app on {v}"),
        })),
        (Some(v), false) => Err(format!("no {family} runtime for {name} {old}; {family} ships {list}: --upgrade moves builder and runtime to {v}")),
        (None, _) => Err(format!("no {family} runtime for {name} {old}; {family} ships {list}, none newer")),
    }
}

/// A floating source on a family without a version list (upstream `python:3`, untagged
/// `ruby`): builder and runtime float together, but the version is whatever is newest when
/// built.
pub fn floating_note(name: &str, tag: &str, parts: &TagParts, eco: &str) -> Option<String> {
    // Docker Hub's official images only: a vendor's floating tags (`latest-dev`) are the
    // pair's own note.
    let hub = !name.split('/').next().is_some_and(|h| h.contains('.') || h.contains(':'));
    let minor_only = matches!(eco, "python" | "ruby") && !parts.version.contains('.') && !parts.version.is_empty();
    let language = matches!(eco, "python" | "ruby" | "node" | "java" | "dotnet" | "php" | "go" | "rust");
    let floating = hub && language && (is_floating(tag, parts) || minor_only);
    floating.then(|| {
        let shown = if tag.is_empty() { format!("{name} (untagged)") } else { format!("{name}:{tag}") };
        format!("{shown} floats: builder and runtime take whatever version is newest when built; pin a version in both")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Table;

    fn parts(name: &str, tag: &str) -> TagParts {
        TagParts::new(&Table::builtin().ecosystems.tags, name, tag, None, None)
    }

    #[test]
    fn missing_versions_skip_with_the_way_forward_or_upgrade_in_lockstep() {
        let vs: Vec<String> = ["22", "24", "26"].iter().map(|s| s.to_string()).collect();
        let e = policy("distroless", "node", "18", &parts("node", "18"), Some(&vs), "node", false).err().unwrap();
        assert_eq!(e, "no distroless runtime for node 18; distroless ships 22, 24, 26: --upgrade moves builder and runtime to 22");
        let c = policy("distroless", "node", "18-alpine", &parts("node", "18-alpine"), Some(&vs), "node", true).unwrap().unwrap();
        assert_eq!(c.tag, "22-alpine");
        assert!(c.note.starts_with("version change: node 18 → 22"), "{}", c.note);
        assert!(policy("distroless", "node", "22.3.0", &parts("node", "22.3.0"), Some(&vs), "node", false).unwrap().is_none());
        assert!(policy("distroless", "node", "27", &parts("node", "27"), Some(&vs), "node", true).err().unwrap().contains("none newer"));
    }

    #[test]
    fn floating_tags_are_pinned_to_the_newest_shipped() {
        let vs: Vec<String> = ["22", "24", "26"].iter().map(|s| s.to_string()).collect();
        for (tag, want) in [("lts", "26"), ("", "26"), ("lts-alpine", "26-alpine"), ("alpine", "26-alpine")] {
            let c = policy("distroless", "node", tag, &parts("node", tag), Some(&vs), "node", false).unwrap().unwrap();
            assert_eq!(c.tag, want, "{tag}");
        }
        assert!(floating_note("python", "3", &parts("python", "3"), "python").is_some());
        assert!(floating_note("python", "3.12", &parts("python", "3.12"), "python").is_none());
    }
}
