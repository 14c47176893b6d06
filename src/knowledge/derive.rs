//! Matching a source image against the table and deriving both tags in lockstep.

use super::{Pair, Table};
use crate::image::{ImageRef, split_version};
use crate::outcome::{Code, Reason};
use std::collections::BTreeMap;

/// A pair applied to one source image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub family: String,
    pub ecosystem: String,
    pub builder: String,
    pub runtime: String,
    /// Runtime variants (`cgo`, `musl`, `console`, `self-contained`, `shell`), resolved.
    pub variants: BTreeMap<String, String>,
    /// True when the builder differs from the image the file already uses.
    pub builder_changed: bool,
    /// Things the user should know about this pairing (digests, unpinned versions, notes).
    pub notes: Vec<String>,
    /// Version moves and floating tags (see `versions`): always a review reason.
    pub version_notes: Vec<String>,
    /// Where the pair is defined (`mappings/upstream.toml:12`).
    pub origin: String,
}

/// The pieces of a source tag that placeholders refer to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagParts {
    pub version: String,
    pub major: String,
    pub major_minor: String,
    pub tag: String,
    pub variant: String,
    pub os: String,
    pub codename: String,
    pub debian: String,
    pub distro: String,
}

impl TagParts {
    pub fn new(known: &crate::knowledge::ecosystems::Tags, name: &str, tag: &str, version_re: Option<&str>, default_os: Option<&str>) -> TagParts {
        let default_os = default_os.unwrap_or(&known.default_codename);
        let version = match version_re.and_then(|r| regex::Regex::new(r).ok()) {
            Some(re) => re.captures(&format!("{name}:{tag}")).and_then(|c| c.get(1)).map_or(String::new(), |m| m.as_str().to_string()),
            None => split_version(tag).0.to_string(),
        };
        let variant = if !version.is_empty() && tag.starts_with(&version) {
            tag[version.len()..].to_string()
        } else if version.is_empty() {
            String::new()
        } else {
            tag.to_string()
        };
        let parts: Vec<&str> = version.split('.').collect();
        let major = parts[0].to_string();
        let major_minor = parts.iter().take(2).copied().collect::<Vec<_>>().join(".");
        let segs: Vec<&str> = tag.split('-').collect();
        let os_at = segs.iter().position(|s| known.os_tokens.iter().any(|t| s.starts_with(t.as_str())));
        let os = os_at.map_or(String::new(), |i| format!("-{}", segs[i..].join("-")));
        let alpine = segs.iter().find(|s| s.starts_with("alpine")).map(|s| s.to_string());
        // A vendor tag names Debian by number (`-debian12`): that is the codename too, so a
        // derived tag read again gives the same parts (idempotence).
        let numbered = segs.iter().find_map(|s| s.strip_prefix("debian").filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())));
        let by_number = numbered.and_then(|n| known.debian.iter().find(|(_, v)| v.as_str() == n).map(|(k, _)| k.clone()));
        let codename = segs
            .iter()
            .find(|s| known.debian.contains_key(**s) || known.ubuntu.iter().any(|u| u == *s))
            .map(|s| s.to_string())
            .or(by_number)
            .unwrap_or_else(|| default_os.to_string());
        let debian = known.debian.get(&codename).unwrap_or(&known.debian_default).clone();
        let distro = match alpine {
            Some(a) if a == "alpine" => known.alpine_default.clone(),
            Some(a) => a,
            None => format!("debian{debian}"),
        };
        TagParts { version, major, major_minor, tag: tag.to_string(), variant, os, codename, debian, distro }
    }
}

/// Docker Hub short forms are one name: `docker.io/library/x` = `library/x` = `x`.
pub(crate) fn canonical_pattern(p: &str, registry: &str) -> String {
    let p = p.replace("{registry}", registry);
    let p = p.strip_prefix("docker.io/").or_else(|| p.strip_prefix("index.docker.io/")).unwrap_or(&p).to_string();
    p.strip_prefix("library/").unwrap_or(&p).to_ascii_lowercase()
}

pub(crate) fn glob_matches(pattern: &str, name: &str) -> bool {
    thread_local! {
        // Patterns are few and fixed per run; compiling one per lookup dominated batch runs.
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, Option<globset::GlobMatcher>>> = Default::default();
    }
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let m = c
            .entry(pattern.to_string())
            .or_insert_with(|| globset::GlobBuilder::new(&canonical_pattern(pattern, "")).literal_separator(true).build().ok().map(|g| g.compile_matcher()));
        m.as_ref().is_some_and(|m| m.is_match(name.to_ascii_lowercase()))
    })
}

fn specificity(pattern: &str, tag_filter: bool) -> (bool, bool, usize) {
    (tag_filter, !pattern.contains(['*', '?', '[']), pattern.chars().filter(|c| !"*?[]".contains(*c)).count())
}

impl Table {
    /// The pair of `family` for `source`, or the reason there is none (no version upgrade).
    pub fn lookup(&self, family: &str, source: &ImageRef, registry_override: Option<&str>) -> Result<Resolved, String> {
        self.lookup_with(family, source, registry_override, false).map_err(|r| r.message)
    }

    /// As [`Table::lookup`]; with `upgrade`, a version the family does not ship moves builder
    /// and runtime together to the nearest newer one it does (see [`super::versions`]).
    pub fn lookup_with(&self, family: &str, source: &ImageRef, registry_override: Option<&str>, upgrade: bool) -> Result<Resolved, Reason> {
        let no_pair = |m: String| Reason::new(Code::NoPair, m);
        let registry = registry_override.map(str::to_string).unwrap_or_else(|| self.registry(family));
        let name = source.name();
        let tag = source.tag.clone().unwrap_or_else(|| "latest".into());
        let mut best: Vec<(&Pair, (bool, bool, usize))> = Vec::new();
        for p in self.pairs_of(family) {
            if let Some(t) = &p.def.tag
                && !glob_matches(t, &tag)
            {
                continue;
            }
            for m in p.def.match_.get_ref().items() {
                let pat = canonical_pattern(&m, &registry);
                if !glob_matches(&pat, &name) {
                    continue;
                }
                let s = specificity(&pat, p.def.tag.is_some());
                match best.first() {
                    Some((_, b)) if s < *b => {}
                    Some((_, b)) if s == *b => best.push((p, s)),
                    _ => best = vec![(p, s)],
                }
            }
        }
        best.dedup_by(|a, b| std::ptr::eq(a.0, b.0));
        let pair = match best.as_slice() {
            [] => {
                return Err(no_pair(if self.family_names().iter().any(|f| f == family) {
                    format!("no {family} pair for {name}")
                } else {
                    format!("unknown family `{family}` (known: {})", self.family_names().join(", "))
                }));
            }
            [(p, _)] => *p,
            [(a, _), (b, _), ..] => {
                return Err(no_pair(format!("ambiguous pairing for {name}: {}:{} and {}:{} match equally", a.file, a.line, b.file, b.line)));
            }
        };
        let d = &pair.def;
        let mut parts = TagParts::new(&self.ecosystems.tags, &name, &tag, d.version.as_deref(), d.default_os.as_deref());
        let mut written = source.to_string();
        let mut version_notes = Vec::new();
        if let Some(change) = super::versions::policy(family, &name, &tag, &parts, d.versions.as_deref(), &d.ecosystem, upgrade)
            .map_err(|m| Reason::new(Code::VersionNotShipped, m))?
        {
            parts = TagParts::new(&self.ecosystems.tags, &name, &change.tag, d.version.as_deref(), d.default_os.as_deref());
            written = ImageRef { tag: Some(change.tag.clone()), digest: None, ..source.clone() }.to_string();
            version_notes.push(change.note);
        }
        let fill = |tpl: &str| -> Result<String, String> {
            // An untagged or `latest` source floats: `python:{version}-slim` → `python:slim`,
            // so builder and runtime float together. Only Docker Hub's official images have
            // such tags; vendor registries ({registry}, a host) do not.
            let hub = !tpl.contains("{registry}") && !tpl.split('/').next().is_some_and(|h| h.contains('.'));
            let floating = hub && parts.version.is_empty() && ["", "latest"].contains(&parts.tag.as_str());
            let tpl = if floating { tpl.replace("{version}-", "").replace(":{version}{os}", ":latest") } else { tpl.to_string() };
            if parts.version.is_empty() && ["{version}", "{major}", "{major_minor}"].iter().any(|p| tpl.contains(p)) {
                return Err(format!("the tag of {written} has no version to derive `{tpl}` from"));
            }
            Ok(tpl
                .replace("{image}", &written)
                .replace("{registry}", &registry)
                .replace("{version}", &parts.version)
                .replace("{major_minor}", &parts.major_minor)
                .replace("{major}", &parts.major)
                .replace("{tag}", &parts.tag)
                .replace("{variant}", &parts.variant)
                .replace("{os}", &parts.os)
                .replace("{codename}", &parts.codename)
                .replace("{debian}", &parts.debian)
                .replace("{distro}", &parts.distro))
        };
        let builder = fill(d.builder.get_ref()).map_err(no_pair)?;
        let runtime = fill(d.runtime.get_ref()).map_err(no_pair)?;
        let mut variants = BTreeMap::new();
        for (k, v) in &d.variants {
            variants.insert(k.clone(), fill(v.get_ref()).map_err(no_pair)?);
        }
        let builder_changed = builder != written;
        let mut notes = Vec::new();
        if let Some(dg) = &source.digest {
            if builder_changed {
                notes.push(format!("the builder moved to {builder}; the digest {dg} of {written} no longer applies: pin the new builder"));
            }
            notes.push(format!("the runtime image {runtime} is not pinned by digest (the builder was): pin it"));
        }
        if let Some(n) = &d.note {
            notes.push(n.clone());
        }
        if version_notes.is_empty()
            && let Some(f) = super::versions::floating_note(&name, &tag, &parts, &d.ecosystem)
        {
            version_notes.push(f);
        }
        Ok(Resolved {
            family: family.to_string(),
            ecosystem: d.ecosystem.clone(),
            builder,
            runtime,
            variants,
            builder_changed,
            notes,
            version_notes,
            origin: format!("{}:{}", pair.file, pair.line),
        })
    }
}
