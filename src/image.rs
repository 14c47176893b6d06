//! Image references: `[registry[:port]/]path[:tag][@digest]`, with Docker Hub's short forms
//! (`python`, `library/python`, `docker.io/library/python`) normalised to one name.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry host (with port) as written, `None` for Docker Hub short forms.
    pub registry: Option<String>,
    /// Repository path as written (`library/python`, `dotnet/sdk`).
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(s: &str) -> Option<ImageRef> {
        let s = s.trim();
        if s.is_empty() || s.contains(char::is_whitespace) || s.contains('$') {
            return None;
        }
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (s, None),
        };
        let (registry, remainder) = match rest.split_once('/') {
            Some((first, after)) if first.contains(['.', ':']) || first == "localhost" => (Some(first.to_string()), after),
            _ => (None, rest),
        };
        let (path, tag) = match remainder.rsplit_once(':') {
            Some((p, t)) if !t.contains('/') => (p.to_string(), Some(t.to_string())),
            _ => (remainder.to_string(), None),
        };
        if path.is_empty() {
            return None;
        }
        Some(ImageRef { registry, path, tag, digest })
    }

    /// True for Docker Hub (no registry, or `docker.io` / `index.docker.io`).
    pub fn is_docker_hub(&self) -> bool {
        matches!(self.registry.as_deref(), None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io"))
    }

    /// Canonical name without tag/digest: Docker Hub images lose `docker.io/` and `library/`.
    pub fn name(&self) -> String {
        if self.is_docker_hub() {
            self.path.strip_prefix("library/").unwrap_or(&self.path).to_string()
        } else {
            format!("{}/{}", self.registry.as_deref().unwrap_or(""), self.path)
        }
    }

    /// Last path element (`python` for `reg.mini.dev/python`).
    pub fn short_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    pub fn is_scratch(&self) -> bool {
        self.registry.is_none() && self.path == "scratch"
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(r) = &self.registry {
            write!(f, "{r}/")?;
        }
        f.write_str(&self.path)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// Splits a tag into (numeric version prefix, rest): `3.12-bookworm` → (`3.12`, `-bookworm`),
/// `latest-dev` → (``, `latest-dev`). A leading `v` or `jdk` is not part of the version.
pub fn split_version(tag: &str) -> (&str, &str) {
    // Digit groups joined by single dots (`1.23.4`): `1..` is version `1` and the rest is not
    // part of it, so a derived `{version}` never ends in a dot (the fuzzer's `golang:1..`).
    let b = tag.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut n = digits(0);
    while n > 0 && b.get(n) == Some(&b'.') && digits(n + 1) > 0 {
        n += 1 + digits(n + 1);
    }
    tag.split_at(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_registry_port_tag_digest() {
        let r = ImageRef::parse("registry:5000/team/img:1.2@sha256:abc").unwrap();
        assert_eq!(r.registry.as_deref(), Some("registry:5000"));
        assert_eq!(r.path, "team/img");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        assert_eq!(r.to_string(), "registry:5000/team/img:1.2@sha256:abc");
    }

    #[test]
    fn docker_hub_forms_are_one_name() {
        for s in ["python:3", "library/python:3", "docker.io/library/python:3", "index.docker.io/library/python"] {
            assert_eq!(ImageRef::parse(s).unwrap().name(), "python", "{s}");
        }
        assert_eq!(ImageRef::parse("mcr.microsoft.com/dotnet/sdk:8.0").unwrap().name(), "mcr.microsoft.com/dotnet/sdk");
        assert_eq!(ImageRef::parse("localhost/app").unwrap().registry.as_deref(), Some("localhost"));
        assert!(ImageRef::parse("${IMG}").is_none());
    }

    #[test]
    fn versions() {
        assert_eq!(split_version("3.12-bookworm"), ("3.12", "-bookworm"));
        assert_eq!(split_version("3.13.5"), ("3.13.5", ""));
        assert_eq!(split_version("latest-dev"), ("", "latest-dev"));
        assert_eq!(split_version("21-jdk"), ("21", "-jdk"));
        assert_eq!(split_version("1.22.alpine"), ("1.22", ".alpine"));
        assert_eq!(split_version("1..-dev"), ("1", "..-dev"));
        assert_eq!(split_version("1.2."), ("1.2", "."));
    }
}
