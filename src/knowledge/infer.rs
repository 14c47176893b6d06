//! Which family a base image already belongs to, when the user did not say (`--to`).
//!
//! The vendors' own advice is to build on their dev image and ship their runtime image; a
//! file already on `cgr.dev/chainguard/python:latest-dev` or `reg.mini.dev/python:3.13.5-dev`
//! should split within that family. A family claims an image when one of its pairs matches
//! it with a *vendor* pattern (one written with `{registry}` or on the family's registry
//! host); Docker Hub names (`python`) and shared ones (`mcr.microsoft.com/dotnet/sdk`)
//! claim nothing, so those stay upstream. A private mirror counts when the image path
//! keeps the family registry's path (`mirror.corp/chainguard/python` for `cgr.dev/chainguard`)
//! or when `--registry` names the mirror.

use super::Table;
use super::derive::{HUB_PREFIXES, canonical_pattern, glob_matches, mentions_registry};
use crate::image::ImageRef;

/// The family that claims an image, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inferred {
    pub family: String,
    /// Where the claiming pattern is defined (`mappings/chainguard.toml:70`).
    pub origin: String,
    /// For a mirror: (mirror prefix, the family registry it stands for).
    pub mirror: Option<(String, String)>,
}

impl Table {
    /// The first family (in table order, upstream last) that claims `source`.
    pub fn infer_family(&self, source: &ImageRef, registry_override: Option<&str>) -> Option<Inferred> {
        let name = source.name();
        for fam in self.families.iter().filter(|f| f.name != "upstream") {
            let registry = registry_override.unwrap_or(&fam.registry);
            if let Some(origin) = self.claim(&fam.name, &fam.registry, registry, &name) {
                return Some(Inferred { family: fam.name.clone(), origin, mirror: None });
            }
            // A mirror that keeps the registry's path: `<host>/chainguard/python`.
            let (Some((fam_host, fam_path)), Some(host)) = (fam.registry.split_once('/'), source.registry.as_deref()) else { continue };
            let prefix = format!("{host}/{fam_path}");
            if host == fam_host || !name.starts_with(&format!("{prefix}/")) {
                continue;
            }
            let mapped = name.replacen(&prefix, &fam.registry, 1);
            if let Some(origin) = self.claim(&fam.name, &fam.registry, &fam.registry, &mapped) {
                return Some(Inferred { family: fam.name.clone(), origin, mirror: Some((prefix, fam.registry.clone())) });
            }
        }
        None
    }

    /// The origin of the first vendor pattern of `family` matching `name`.
    fn claim(&self, family: &str, family_registry: &str, registry: &str, name: &str) -> Option<String> {
        let host = family_registry.split('/').next().unwrap_or_default();
        let head = Head::new(registry, name);
        for p in self.pairs_of(family) {
            for m in p.def.match_.get_ref().iter() {
                // `{registry}` in it, or the family's host as its first segment.
                let vendor = mentions_registry(m) || (!host.is_empty() && m.strip_prefix(host).is_some_and(|r| r.is_empty() || r.starts_with('/')));
                if vendor && !cannot_claim_with(&head, m, name) && glob_matches(&canonical_pattern(m, registry), name) {
                    return Some(format!("{}:{}", p.file, p.line));
                }
            }
        }
        None
    }
}

/// [`cannot_claim_with`] for one pattern.
#[cfg(test)]
fn cannot_claim(m: &str, registry: &str, name: &str) -> bool {
    cannot_claim_with(&Head::new(registry, name), m, name)
}

/// What [`cannot_claim_with`] asks of the registry that `{registry}` stands for, the same for
/// every pattern of a family: taken once per family and name.
struct Head<'a> {
    registry: &'a str,
    /// No wildcard in it and no Docker Hub form (`docker.io/`, `library/`) to strip.
    literal: bool,
    /// `name` starts with it (case folded).
    starts_name: bool,
}

impl<'a> Head<'a> {
    fn new(registry: &'a str, name: &str) -> Head<'a> {
        let literal = !registry.as_bytes().iter().any(is_meta) && !HUB_PREFIXES.iter().any(|p| registry.starts_with(p) || p.starts_with(registry));
        let starts_name = name.as_bytes().get(..registry.len()).is_some_and(|n| n.eq_ignore_ascii_case(registry.as_bytes()));
        Head { registry, literal, starts_name }
    }
}

fn is_meta(c: &u8) -> bool {
    matches!(c, b'*' | b'?' | b'[' | b'{' | b'\\')
}

/// A quick "no" before `canonical_pattern` builds the pattern (an allocation per family
/// pattern per file): the literal start of `m`, `{registry}` put in, does not start `name`.
/// The same test `glob_matches` makes on the canonical pattern; when the canonical form could
/// differ in its start (`docker.io/` or `library/` stripped, `{registry}` elsewhere), it says
/// nothing and the full match decides. The registry's part is worked out once per family
/// ([`Head`]).
fn cannot_claim_with(h: &Head<'_>, m: &str, name: &str) -> bool {
    let (skip, rest, head_matches) = match m.strip_prefix("{registry}") {
        Some(r) if !h.registry.is_empty() => {
            if !h.literal {
                return false;
            }
            (h.registry.len(), r, h.starts_name)
        }
        Some(r) => (0, r, true),
        None => (0, m, true),
    };
    if skip == 0 && HUB_PREFIXES.iter().any(|p| rest.starts_with(p)) {
        return false;
    }
    // Only a brace can begin another `{registry}`, which makes the canonical form say nothing.
    if !head_matches {
        return !mentions_registry(rest);
    }
    let r = rest.as_bytes();
    let literal_end = r.iter().position(is_meta).unwrap_or(r.len());
    let starts = name.as_bytes()[skip..].get(..literal_end).is_some_and(|n| n.eq_ignore_ascii_case(&r[..literal_end]));
    !starts && !mentions_registry(&rest[literal_end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer(image: &str, registry: Option<&str>) -> Option<String> {
        Table::builtin().infer_family(&ImageRef::parse(image).unwrap(), registry).map(|i| i.family)
    }

    #[test]
    fn vendor_images_name_their_family_and_hub_images_none() {
        assert_eq!(infer("reg.mini.dev/python:3.13.5-dev", None).as_deref(), Some("minimus"));
        assert_eq!(infer("cgr.dev/chainguard/python:latest-dev", None).as_deref(), Some("chainguard"));
        assert_eq!(infer("dhi.io/python:3.13-dev", None).as_deref(), Some("dhi"));
        assert_eq!(infer("registry.access.redhat.com/ubi9/python-312", None).as_deref(), Some("ubi"));
        assert_eq!(infer("python:3.12", None), None);
        assert_eq!(infer("mcr.microsoft.com/dotnet/sdk:8.0", None), None);
        assert_eq!(infer("bitnami/python:3.12", None), None);
    }

    #[test]
    fn the_quick_no_never_refuses_a_match() {
        let t = Table::builtin();
        let names = [
            "cgr.dev/chainguard/python",
            "reg.mini.dev/python",
            "dhi.io/node",
            "registry.access.redhat.com/ubi9/python-312",
            "mirror.corp/mini/python",
            "python",
            "mcr.microsoft.com/dotnet/sdk",
        ];
        let mut refused = 0;
        for fam in &t.families {
            for p in t.pairs_of(&fam.name) {
                for m in p.def.match_.get_ref().iter() {
                    for reg in [fam.registry.as_str(), "mirror.corp/mini", "docker.io/x", "library"] {
                        for name in names {
                            let full = glob_matches(&canonical_pattern(m, reg), name);
                            assert!(!(full && cannot_claim(m, reg, name)), "{m} with {reg} matches {name}");
                            refused += usize::from(cannot_claim(m, reg, name));
                        }
                    }
                }
            }
        }
        assert!(refused > 0, "the quick no never fired");
    }

    /// The quick no with the registry's part taken once says what the one-pattern version
    /// it replaced said.
    #[test]
    fn the_quick_no_agrees_with_the_plain_version() {
        fn plain(m: &str, registry: &str, name: &str) -> bool {
            const META: [char; 5] = ['*', '?', '[', '{', '\\'];
            let (head, rest) = match m.strip_prefix("{registry}") {
                Some(r) => (registry, r),
                None => ("", m),
            };
            let stripped = |p: &&str| if head.is_empty() { rest.starts_with(*p) } else { head.starts_with(*p) || p.starts_with(head) };
            if rest.contains("{registry}") || head.contains(META) || HUB_PREFIXES.iter().any(stripped) {
                return false;
            }
            let literal = &rest.as_bytes()[..rest.find(META).unwrap_or(rest.len())];
            let n = name.as_bytes();
            !(n.len() >= head.len() + literal.len()
                && n[..head.len()].eq_ignore_ascii_case(head.as_bytes())
                && n[head.len()..head.len() + literal.len()].eq_ignore_ascii_case(literal))
        }
        let t = Table::builtin();
        let mut patterns: Vec<String> = t.pairs.iter().flat_map(|p| p.def.match_.get_ref().iter().map(|m| m.to_string())).collect();
        patterns.extend(
            ["{registry}", "{registry}/x:*", "{registry}library/x", "docker.io/x", "library/x", "x/{registry}", "CGR.dev/*", "{registry}/a{registry}", ""]
                .map(String::from),
        );
        let registries = ["cgr.dev/chainguard", "reg.mini.dev", "", "docker.io", "library", "docker.io/library", "mirror.corp/*", "dock", "CGR.DEV/chainguard"];
        let names = [
            "cgr.dev/chainguard/python",
            "reg.mini.dev/python",
            "python",
            "",
            "cgr.dev",
            "CGR.dev/chainguard/x",
            "mirror.corp/mini/python",
            "docker.io/x",
            "library/x",
        ];
        for m in &patterns {
            for reg in registries {
                for name in names {
                    assert_eq!(cannot_claim(m, reg, name), plain(m, reg, name), "{m} / {reg} / {name}");
                }
            }
        }
    }

    #[test]
    fn mirrors_count_by_path_or_by_registry() {
        let t = Table::builtin();
        let i = t.infer_family(&ImageRef::parse("registry.corp.example/chainguard/python:latest-dev").unwrap(), None).unwrap();
        assert_eq!(i.family, "chainguard");
        assert_eq!(i.mirror, Some(("registry.corp.example/chainguard".into(), "cgr.dev/chainguard".into())));
        assert_eq!(infer("mirror.corp/mini/python:3.13.5-dev", Some("mirror.corp/mini")).as_deref(), Some("minimus"));
    }
}
