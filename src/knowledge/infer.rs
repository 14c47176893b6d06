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
use super::derive::{canonical_pattern, glob_matches};
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
        for p in self.pairs_of(family) {
            for m in p.def.match_.get_ref().iter() {
                // `{registry}` in it, or the family's host as its first segment.
                let vendor = (m.as_bytes().contains(&b'{') && m.contains("{registry}"))
                    || (!host.is_empty() && m.strip_prefix(host).is_some_and(|r| r.is_empty() || r.starts_with('/')));
                if vendor && !cannot_claim(m, registry, name) && glob_matches(&canonical_pattern(m, registry), name) {
                    return Some(format!("{}:{}", p.file, p.line));
                }
            }
        }
        None
    }
}

/// A quick "no" before `canonical_pattern` builds the pattern (an allocation per family
/// pattern per file): the literal start of `m`, `{registry}` put in, does not start `name`.
/// The same test `glob_matches` makes on the canonical pattern; when the canonical form could
/// differ in its start (`docker.io/` or `library/` stripped, `{registry}` elsewhere), it says
/// nothing and the full match decides.
fn cannot_claim(m: &str, registry: &str, name: &str) -> bool {
    const STRIPPED: [&str; 3] = ["docker.io/", "index.docker.io/", "library/"];
    let meta = |c: &u8| matches!(c, b'*' | b'?' | b'[' | b'{' | b'\\');
    let (head, rest) = match m.strip_prefix("{registry}") {
        Some(r) => (registry, r),
        None => ("", m),
    };
    // One pass over the bytes: the literal start ends at the first wildcard, and only a
    // pattern with a brace after it can hold another `{registry}`.
    let r = rest.as_bytes();
    let literal_end = r.iter().position(meta).unwrap_or(r.len());
    let stripped = |p: &&str| if head.is_empty() { rest.starts_with(*p) } else { head.starts_with(*p) || p.starts_with(head) };
    if (r[literal_end..].contains(&b'{') && rest[literal_end..].contains("{registry}")) || head.as_bytes().iter().any(meta) || STRIPPED.iter().any(stripped) {
        return false;
    }
    let literal = &r[..literal_end];
    let n = name.as_bytes();
    !(n.len() >= head.len() + literal.len()
        && n[..head.len()].eq_ignore_ascii_case(head.as_bytes())
        && n[head.len()..head.len() + literal.len()].eq_ignore_ascii_case(literal))
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

    #[test]
    fn mirrors_count_by_path_or_by_registry() {
        let t = Table::builtin();
        let i = t.infer_family(&ImageRef::parse("registry.corp.example/chainguard/python:latest-dev").unwrap(), None).unwrap();
        assert_eq!(i.family, "chainguard");
        assert_eq!(i.mirror, Some(("registry.corp.example/chainguard".into(), "cgr.dev/chainguard".into())));
        assert_eq!(infer("mirror.corp/mini/python:3.13.5-dev", Some("mirror.corp/mini")).as_deref(), Some("minimus"));
    }
}
