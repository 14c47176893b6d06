//! Matching a source image against the table and deriving both tags in lockstep.
//!
//! Lookups run several times per file in a batch, so nothing here compiles per call: the
//! `version` regex is compiled once per pair ([`super::Pair::version_regex`]) and a match
//! pattern made of literals and `*` (all of the built-in ones) is matched by hand, with
//! globset's meaning (`*` stops at `/`, case folded), instead of compiling a glob.

use super::{Pair, Table};
use crate::image::{ImageRef, split_version};
use crate::outcome::{Code, Reason};
use std::borrow::Cow;
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
    /// The second digit group (`12` of `3.12`; empty when the version has one group).
    pub minor: String,
    pub major_minor: String,
    pub tag: String,
    pub variant: String,
    pub os: String,
    pub codename: String,
    pub debian: String,
    pub distro: String,
    /// The tag names no distro release (no codename, `debianN` or `alpine`): the OS
    /// placeholders come from the pair's `default_os` or the global default.
    pub os_assumed: bool,
}

impl TagParts {
    pub fn new(known: &crate::knowledge::ecosystems::Tags, name: &str, tag: &str, version_re: Option<&str>, default_os: Option<&str>) -> TagParts {
        let re = version_re.and_then(|r| regex::Regex::new(r).ok());
        TagParts::with_regex(known, name, tag, re.as_ref(), default_os)
    }

    /// [`TagParts::new`] with the `version` regex already compiled.
    pub fn with_regex(
        known: &crate::knowledge::ecosystems::Tags,
        name: &str,
        tag: &str,
        version_re: Option<&regex::Regex>,
        default_os: Option<&str>,
    ) -> TagParts {
        let default_os = default_os.unwrap_or(&known.default_codename);
        let version = match version_re {
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
        let minor = parts.get(1).map_or(String::new(), |m| m.to_string());
        let major_minor = parts.iter().take(2).copied().collect::<Vec<_>>().join(".");
        let segs: Vec<&str> = tag.split('-').collect();
        let os_at = segs.iter().position(|s| known.os_tokens.iter().any(|t| s.starts_with(t.as_str())));
        let os = os_at.map_or(String::new(), |i| format!("-{}", segs[i..].join("-")));
        let alpine = segs.iter().find(|s| s.starts_with("alpine")).map(|s| s.to_string());
        // A vendor tag names Debian by number (`-debian12`): that is the codename too, so a
        // derived tag read again gives the same parts (idempotence).
        let numbered = segs.iter().find_map(|s| s.strip_prefix("debian").filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())));
        let by_number = numbered.and_then(|n| known.debian.iter().find(|(_, v)| v.as_str() == n).map(|(k, _)| k.clone()));
        let named = segs.iter().find(|s| known.debian.contains_key(**s) || known.ubuntu.iter().any(|u| u == *s)).map(|s| s.to_string()).or(by_number);
        let os_assumed = named.is_none() && alpine.is_none();
        let codename = named.unwrap_or_else(|| default_os.to_string());
        let debian = known.debian.get(&codename).unwrap_or(&known.debian_default).clone();
        let distro = match alpine {
            Some(a) if a == "alpine" => known.alpine_default.clone(),
            Some(a) => a,
            None => format!("debian{debian}"),
        };
        TagParts { version, major, minor, major_minor, tag: tag.to_string(), variant, os, codename, debian, distro, os_assumed }
    }

    /// A version written without its dots (`312` of `ubi9/python-312`) read with the dots of
    /// the family's list (`3.12`): the listed version whose digits it is, else the listed
    /// major it starts with (`39` → `3.9` when the list has `3.x` versions).
    fn dotted(self, versions: Option<&[String]>) -> TagParts {
        let v = &self.version;
        if v.len() < 2 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return self;
        }
        let listed = versions.unwrap_or_default();
        let exact = listed.iter().find(|l| l.contains('.') && l.replace('.', "") == *v).cloned();
        let by_major = || {
            listed
                .iter()
                .filter_map(|l| l.split_once('.').map(|(m, _)| m))
                .find(|m| v.len() > m.len() && v.starts_with(m))
                .map(|m| format!("{m}.{}", &v[m.len()..]))
        };
        match exact.or_else(by_major) {
            Some(dotted) => self.with_version(&dotted),
            None => self,
        }
    }

    /// The parts with another version (a version move the source's name carries:
    /// `ubi9/python-39` moved to 3.12).
    fn with_version(mut self, v: &str) -> TagParts {
        let groups: Vec<&str> = v.split('.').collect();
        self.major = groups[0].to_string();
        self.minor = groups.get(1).map_or(String::new(), |m| m.to_string());
        self.major_minor = groups.iter().take(2).copied().collect::<Vec<_>>().join(".");
        self.version = v.to_string();
        self
    }
}

/// Docker Hub's spellings of a name that its canonical form drops.
pub(crate) const HUB_PREFIXES: [&str; 3] = ["docker.io/", "index.docker.io/", "library/"];

/// Whether `s` has a `{registry}` placeholder (a brace is looked for first: most have none,
/// and a substring search costs a searcher set-up per call).
pub(crate) fn mentions_registry(s: &str) -> bool {
    s.as_bytes().contains(&b'{') && s.contains("{registry}")
}

/// Docker Hub short forms are one name: `docker.io/library/x` = `library/x` = `x`.
/// Borrows when nothing changes (the common case: no `{registry}`, already lower case).
pub(crate) fn canonical_pattern<'a>(p: &'a str, registry: &str) -> Cow<'a, str> {
    fn strip(p: &str) -> &str {
        let p = p.strip_prefix("docker.io/").or_else(|| p.strip_prefix("index.docker.io/")).unwrap_or(p);
        p.strip_prefix("library/").unwrap_or(p)
    }
    if mentions_registry(p) {
        let p = p.replace("{registry}", registry);
        return Cow::Owned(strip(&p).to_ascii_lowercase());
    }
    let p = strip(p);
    if p.bytes().any(|b| b.is_ascii_uppercase()) { Cow::Owned(p.to_ascii_lowercase()) } else { Cow::Borrowed(p) }
}

/// A match pattern ready to use: by hand when it only has literals and `*`.
enum Matcher {
    Stars(String),
    /// `prefix/**` (or `**`: everything), `prefix` made of literals and `*`, with the
    /// number of segments of `prefix`.
    Under(String, usize),
    /// `**/rest` (`**/node:*-dev`): `rest` (literals and `*`) at any depth.
    AnyDepth(String),
    Glob(globset::GlobMatcher),
    Invalid,
}

/// `**` that is not a whole path segment (`dhi.io/**:*-dev`) means `*` to globset: written so,
/// the pattern can be matched by hand. Patterns with braces or `***` stay as they are.
fn collapse_stars(p: &str) -> std::borrow::Cow<'_, str> {
    if !p.contains("**") || p.contains("***") || p.contains(['{', '}']) {
        return p.into();
    }
    let (b, mut out, mut last) = (p.as_bytes(), String::with_capacity(p.len()), 0);
    while let Some(j) = p[last..].find("**") {
        let at = last + j;
        let segment = (at == 0 || b[at - 1] == b'/') && (at + 2 == b.len() || b[at + 2] == b'/');
        out.push_str(&p[last..at]);
        out.push_str(if segment { "**" } else { "*" });
        last = at + 2;
    }
    out.push_str(&p[last..]);
    out.into()
}

impl Matcher {
    fn new(pattern: &str) -> Matcher {
        let canonical = canonical_pattern(pattern, "").into_owned();
        let simple = |p: &str| !p.contains(['?', '[', ']', '{', '}', '\\', '!']) && !p.contains("**");
        let canonical = collapse_stars(&canonical).into_owned();
        if let Some(rest) = canonical.strip_prefix("**/").filter(|r| !r.is_empty() && simple(r)) {
            return Matcher::AnyDepth(rest.to_string());
        }
        if canonical == "**" {
            return Matcher::Under(String::new(), 1);
        }
        if let Some(prefix) = canonical.strip_suffix("/**").filter(|p| !p.is_empty() && simple(p)) {
            return Matcher::Under(prefix.to_string(), prefix.split('/').count());
        }
        if !canonical.is_empty() && !canonical.contains(['?', '[', ']', '{', '}', '\\', '!']) && !canonical.contains("**") {
            return Matcher::Stars(canonical);
        }
        match globset::GlobBuilder::new(&canonical).literal_separator(true).build() {
            Ok(g) => Matcher::Glob(g.compile_matcher()),
            Err(_) => Matcher::Invalid,
        }
    }

    fn is_match(&self, name: &str) -> bool {
        let lower = if name.bytes().any(|b| b.is_ascii_uppercase()) { std::borrow::Cow::Owned(name.to_ascii_lowercase()) } else { name.into() };
        match self {
            Matcher::Stars(p) => stars_match(p, &lower),
            Matcher::Under(p, _) if p.is_empty() => true,
            Matcher::Under(p, depth) => {
                let depth = *depth;
                let mut cut = lower.match_indices('/').map(|(i, _)| i).skip(depth - 1);
                cut.next().is_some_and(|i| stars_match(p, &lower[..i]))
            }
            Matcher::AnyDepth(p) => stars_match(p, &lower) || lower.match_indices('/').any(|(i, _)| stars_match(p, &lower[i + 1..])),
            Matcher::Glob(g) => g.is_match(&*lower),
            Matcher::Invalid => false,
        }
    }
}

/// `pattern` (literals and `*`, `*` matching within one `/` segment) against all of `name`.
fn stars_match(pattern: &str, name: &str) -> bool {
    let (mut p, mut n) = (pattern.as_bytes(), name.as_bytes());
    // Segment by segment: both end together, each pair matches.
    loop {
        let (pe, ne) = (p.iter().position(|&c| c == b'/'), n.iter().position(|&c| c == b'/'));
        if !segment_match(&p[..pe.unwrap_or(p.len())], &n[..ne.unwrap_or(n.len())]) {
            return false;
        }
        match (pe, ne) {
            (None, None) => return true,
            (Some(i), Some(j)) => (p, n) = (&p[i + 1..], &n[j + 1..]),
            _ => return false,
        }
    }
}

/// Wildcard match of one segment: greedy, backtracking to the last `*` (exact for `*` alone).
fn segment_match(p: &[u8], n: &[u8]) -> bool {
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ni));
            pi += 1;
        } else if pi < p.len() && p[pi] == n[ni] {
            pi += 1;
            ni += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// A quick "no" without finding the compiled pattern: the literal start of `pattern` (up to
/// the first wildcard) does not start `name`, case folded as the match is. Most of the
/// patterns a lookup tries fail here. It says nothing for a pattern whose canonical form
/// could start otherwise (`docker.io/` or `library/` stripped, `{registry}` put in); upper
/// case does not matter, the canonical form is only lower-cased.
#[inline(always)]
fn cannot_match(pattern: &str, name: &str) -> bool {
    let (p, n) = (pattern.as_bytes(), name.as_bytes());
    // The literal start compared with the name as it is read: most patterns differ at once.
    let mut i = 0;
    loop {
        match p.get(i) {
            None | Some(b'*' | b'?' | b'[' | b'{' | b'\\') => return false,
            Some(c) if n.get(i).is_some_and(|m| m.eq_ignore_ascii_case(c)) => i += 1,
            Some(_) => break,
        }
    }
    // Only a brace after the mismatch can begin a `{registry}`.
    let registry = mentions_registry(&pattern[i..]);
    let hub = matches!(p[0], b'd' | b'i' | b'l') && HUB_PREFIXES.iter().any(|s| pattern.starts_with(s));
    !registry && !hub
}

pub(crate) fn glob_matches(pattern: &str, name: &str) -> bool {
    if cannot_match(pattern, name) {
        return false;
    }
    thread_local! {
        // Patterns are few and fixed per run; compiling one per lookup dominated batch runs.
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, Matcher>> = Default::default();
    }
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(m) = c.get(pattern) {
            return m.is_match(name);
        }
        let m = Matcher::new(pattern);
        let found = m.is_match(name);
        c.insert(pattern.to_string(), m);
        found
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
            for m in p.def.match_.get_ref().iter() {
                // The quick no says nothing where the canonical form could differ in more
                // than case, so it holds for the pattern as written.
                if cannot_match(m, &name) {
                    continue;
                }
                let pat = canonical_pattern(m, &registry);
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
                if let Some(r) = self.runtime_of(family, &name, &registry) {
                    return Err(r);
                }
                // A family of the table: one with a registry or with pairs (`family_names`).
                let known = self.families.iter().any(|f| f.name == family) || self.pairs.iter().any(|p| p.def.family == family);
                return Err(no_pair(if known {
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
        if d.runtime.get_ref().is_empty() {
            // A pair with no runtime: the family has none for these images, the note says why.
            return Err(no_pair(d.note.clone().unwrap_or_else(|| format!("{family} has no runtime for {name}"))));
        }
        let mut parts = TagParts::with_regex(&self.ecosystems.tags, &name, &tag, pair.version_regex(), d.default_os.as_deref()).dotted(d.versions.as_deref());
        let mut written = source.to_string();
        let mut version_notes = Vec::new();
        if let Some(change) = super::versions::policy(family, &name, &tag, &parts, d.versions.as_deref(), &d.ecosystem, upgrade)
            .map_err(|m| Reason::new(Code::VersionNotShipped, m))?
        {
            parts =
                TagParts::with_regex(&self.ecosystems.tags, &name, &change.tag, pair.version_regex(), d.default_os.as_deref()).dotted(d.versions.as_deref());
            if parts.version != change.version && !parts.version.starts_with(&format!("{}.", change.version)) {
                parts = parts.with_version(&change.version);
            }
            written = ImageRef { tag: Some(change.tag.clone()), digest: None, ..source.clone() }.to_string();
            version_notes.push(change.note);
        }
        let fill = |tpl: &str| -> Result<String, String> {
            // An untagged or `latest` source floats: `python:{version}-slim` → `python:slim`,
            // so builder and runtime float together. Only Docker Hub's official images have
            // such tags; vendor registries ({registry}, a host) do not.
            let hub = !tpl.contains("{registry}") && !tpl.split('/').next().is_some_and(|h| h.contains('.'));
            let floating = hub && parts.version.is_empty() && ["", "latest"].contains(&parts.tag.as_str());
            let tpl: Cow<'_, str> = if floating { tpl.replace("{version}-", "").replace(":{version}{os}", ":latest").into() } else { tpl.into() };
            if parts.version.is_empty() && ["{version}", "{major}", "{minor}", "{major_minor}"].iter().any(|p| tpl.contains(p)) {
                return Err(format!("the tag of {written} has no version to derive `{tpl}` from"));
            }
            let tpl = if tpl.contains("{registry}") { Cow::Owned(tpl.replace("{registry}", &registry)) } else { Cow::Borrowed(&*tpl) };
            let floor = self.ecosystems.tags.debian_min.iter().find(|(prefix, _)| tpl.starts_with(prefix.as_str())).map(|(_, min)| min);
            let debian = match floor {
                Some(min) if parts.debian.parse::<u32>().unwrap_or(0) < min.parse::<u32>().unwrap_or(0) => min,
                _ => &parts.debian,
            };
            let values: [(&str, &str); 11] = [
                ("{image}", &written),
                ("{version}", &parts.version),
                ("{major_minor}", &parts.major_minor),
                ("{major}", &parts.major),
                ("{minor}", &parts.minor),
                ("{tag}", &parts.tag),
                ("{variant}", &parts.variant),
                ("{os}", &parts.os),
                ("{codename}", &parts.codename),
                ("{debian}", debian),
                ("{distro}", &parts.distro),
            ];
            Ok(fill_placeholders(&tpl, &values))
        };
        let builder = fill(d.builder.get_ref()).map_err(no_pair)?;
        let runtime = fill(d.runtime.get_ref()).map_err(no_pair)?;
        let mut variants = BTreeMap::new();
        for (k, v) in &d.variants {
            variants.insert(k.clone(), fill(v.get_ref()).map_err(no_pair)?);
        }
        // Against the source as written: a version move (`written`) changes the builder even
        // when the template is the image itself (`{image}`).
        let builder_changed = builder != source.to_string();
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
        // A vendor tag that carries the source's version, from a pair with no `versions`
        // list (Minimus, DHI): nothing says the vendor publishes that version.
        let versioned = |t: &str| t.contains("{registry}") && ["{version}", "{major}", "{minor}", "{major_minor}"].iter().any(|p| t.contains(p));
        if d.versions.is_none() && (versioned(d.builder.get_ref()) || versioned(d.runtime.get_ref())) {
            notes.push(format!(
                "{family} versions are not listed in restage's table: check that {family} publishes {} and {} (the version is the source's, {})",
                builder, runtime, parts.version
            ));
        }
        // A pair with its own `default_os` (DHI: every tag names a release) fills a release
        // the source tag did not name: say which one it assumed.
        let os_used = |t: &str| ["{codename}", "{debian}", "{distro}"].iter().any(|p| t.contains(p));
        if parts.os_assumed && d.default_os.is_some() && (os_used(d.builder.get_ref()) || os_used(d.runtime.get_ref())) {
            notes.push(format!(
                "{written} names no distro release: the derived tags assume {} ({}); check the release the file's image was built on and keep it",
                parts.distro, parts.codename
            ));
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

/// `tpl` with each placeholder of `values` replaced, as replacing them one after the other
/// in that order would give. Done in one pass when that cannot differ: every brace of `tpl`
/// belongs to a placeholder of the list and no value has a brace (so no replacement can
/// make or break another placeholder); else one `replace` after the other.
fn fill_placeholders(tpl: &str, values: &[(&str, &str)]) -> String {
    let braces = |s: &str| s.as_bytes().iter().any(|b| matches!(b, b'{' | b'}'));
    if !values.iter().any(|(_, v)| braces(v)) {
        let mut out = String::with_capacity(tpl.len() + 32);
        let mut rest = tpl;
        loop {
            let Some(at) = rest.find(['{', '}']) else {
                out.push_str(rest);
                return out;
            };
            let Some((p, v)) = values.iter().find(|(p, _)| rest[at..].starts_with(p)) else { break };
            out.push_str(&rest[..at]);
            out.push_str(v);
            rest = &rest[at + p.len()..];
        }
    }
    values.iter().fold(tpl.to_string(), |t, (p, v)| t.replace(p, v))
}

impl Table {
    /// A source no pair matches that is one of `family`'s own runtimes (`ubi9/ubi-minimal`,
    /// `gcr.io/distroless/static-debian12`): a runtime-image skip, not "no pair". Placeholders
    /// in the runtime templates match any text.
    fn runtime_of(&self, family: &str, name: &str, registry: &str) -> Option<Reason> {
        for p in self.pairs_of(family) {
            for tpl in std::iter::once(&p.def.runtime).chain(p.def.variants.values()).map(|t| t.get_ref()) {
                if tpl.is_empty() || tpl.contains("{image}") {
                    continue;
                }
                let tpl = if tpl.contains("{registry}") { Cow::Owned(tpl.replace("{registry}", registry)) } else { Cow::Borrowed(tpl.as_str()) };
                let last = tpl.rfind('/').map_or(0, |i| i + 1);
                let image = tpl[last..].find(':').map_or(&*tpl, |c| &tpl[..last + c]);
                let mut pattern = String::new();
                let mut rest = image;
                while let Some((before, after)) = rest.split_once('{') {
                    pattern.push_str(before);
                    pattern.push('*');
                    rest = after.split_once('}').map_or("", |(_, a)| a);
                }
                pattern.push_str(rest);
                if !pattern.is_empty() && glob_matches(&pattern, name) {
                    return Some(Reason::new(
                        Code::RuntimeImage,
                        format!(
                            "{name} is already a {family} runtime image (the {} pair's, {}:{}): it has nothing to build with and no smaller runtime",
                            p.def.ecosystem, p.file, p.line
                        ),
                    ));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(family: &str, image: &str, upgrade: bool) -> Result<Resolved, Reason> {
        Table::builtin().lookup_with(family, &ImageRef::parse(image).unwrap(), None, upgrade)
    }

    #[test]
    fn ubi_names_have_no_dot_and_dotless_sources_read_the_listed_versions() {
        let r = lookup("ubi", "python:3.12-slim", false).unwrap();
        assert_eq!(
            (r.builder.as_str(), r.runtime.as_str()),
            ("registry.access.redhat.com/ubi9/python-312:latest", "registry.access.redhat.com/ubi9/python-312-minimal:latest")
        );
        let r = lookup("ubi", "registry.access.redhat.com/ubi9/python-314", false).unwrap();
        assert_eq!(r.runtime, "registry.access.redhat.com/ubi9/python-314-minimal:latest");
        let e = lookup("ubi", "registry.access.redhat.com/ubi9/python-39", false).unwrap_err();
        assert_eq!(e.code, Code::VersionNotShipped, "{e:?}");
        assert!(e.message.contains("python-39 3.9; ubi ships 3.12, 3.14"), "{}", e.message);
        let r = lookup("ubi", "registry.access.redhat.com/ubi9/python-39", true).unwrap();
        assert_eq!(r.runtime, "registry.access.redhat.com/ubi9/python-312-minimal:latest", "the move applies to a version the name carries");
        assert_eq!(lookup("ubi", "ruby:3.3", false).unwrap().runtime, "registry.access.redhat.com/ubi9/ruby-33:latest");
        assert_eq!(lookup("ubi", "ruby:2.6", true).unwrap().builder, "registry.access.redhat.com/ubi9/ruby-30:latest");
    }

    #[test]
    fn a_pair_without_runtime_skips_with_its_note_and_a_family_runtime_is_a_runtime_image() {
        let e = lookup("ubi", "rust:1.80", false).unwrap_err();
        assert_eq!(e.code, Code::NoPair);
        assert!(e.message.contains("no cargo"), "{}", e.message);
        let e = lookup("ubi", "registry.access.redhat.com/ubi9/ubi-minimal:9.7", false).unwrap_err();
        assert_eq!(e.code, Code::RuntimeImage, "{e:?}");
        assert_eq!(lookup("distroless", "gcr.io/distroless/nodejs22-debian13", false).unwrap_err().code, Code::RuntimeImage);
        assert_eq!(lookup("ubi", "registry.access.redhat.com/ubi9/toolbox", false).unwrap_err().code, Code::NoPair);
    }

    #[test]
    fn vendor_versions_and_assumed_releases_are_said_and_distroless_stays_on_listed_debian() {
        let r = lookup("dhi", "node:20", false).unwrap();
        assert_eq!(r.runtime, "dhi.io/node:20-debian13");
        assert!(r.notes.iter().any(|n| n.contains("names no distro release") && n.contains("debian13")), "{:?}", r.notes);
        assert!(r.notes.iter().any(|n| n.contains("dhi versions are not listed")), "{:?}", r.notes);
        let r = lookup("dhi", "node:20-bullseye", false).unwrap();
        assert_eq!(r.runtime, "dhi.io/node:20-debian11");
        assert!(!r.notes.iter().any(|n| n.contains("names no distro release")), "{:?}", r.notes);
        let r = lookup("minimus", "python:3.13.5", false).unwrap();
        assert!(r.notes.iter().any(|n| n.contains("minimus versions are not listed")), "{:?}", r.notes);
        assert!(lookup("ubi", "node:20", false).unwrap().notes.is_empty(), "a listed version needs no note");
        assert_eq!(lookup("distroless", "rust:1.56.1-slim-bullseye", false).unwrap().runtime, "gcr.io/distroless/cc-debian12:nonroot");
        assert_eq!(lookup("distroless", "rust:1.80-trixie", false).unwrap().runtime, "gcr.io/distroless/cc-debian13:nonroot");
        let r = lookup("minimus", "ruby:alpine", false).unwrap();
        assert_eq!((r.builder.as_str(), r.runtime.as_str()), ("reg.mini.dev/ruby:latest-dev", "reg.mini.dev/ruby:latest"));
        assert!(!r.version_notes.is_empty(), "a floating source is a version change");
    }

    /// The one-pass fill gives what the chain of `replace` calls gives, braces in values and
    /// templates included.
    #[test]
    fn filling_in_one_pass_agrees_with_replacing_in_turn() {
        let cases: [&[(&str, &str)]; 3] = [
            &[("{version}", "3.12"), ("{major}", "3"), ("{os}", "-slim"), ("{tag}", "3.12-slim")],
            &[("{version}", "major"), ("{major}", "3"), ("{os}", "")],
            &[("{version}", "{major}"), ("{major}", "3"), ("{os}", "}")],
        ];
        let templates = [
            "python:{version}{os}",
            "python:{major}-{version}-{tag}",
            "plain",
            "",
            "{unknown}:{version}",
            "{{version}}",
            "{ma{version}r}",
            "x:}{os}",
            "{version}{version}{",
        ];
        for values in cases {
            for t in templates {
                assert_eq!(fill_placeholders(t, values), values.iter().fold(t.to_string(), |t, (p, v)| t.replace(p, v)), "{t} {values:?}");
            }
        }
    }

    /// The hand matcher agrees with globset (`literal_separator`) on the patterns it takes.
    #[test]
    fn star_patterns_match_as_globset_does() {
        let patterns = [
            "python",
            "python:*",
            "python:*slim*",
            "*alpine*",
            "cgr.dev/*/python",
            "gcr.io/distroless/static-*",
            "a*b*c",
            "*",
            "a*",
            "*/x",
            "a**",
            "**",
            "cgr.dev/**",
            "a/**",
            "a*/**",
            "*/x/**",
            "**/go:*-dev",
            "**/x",
            "**/*/x",
            "dhi.io/**:*-dev",
            "dhi.io/**:*alpine*",
            "a/**b",
            "**a",
            "a**/x",
            "**/x/**",
            "Python:*",
            "CGR.dev/**",
            "docker.io/library/Python",
            "Library/python",
        ];
        let names = [
            "python",
            "python:3.12",
            "python:3.12-slim-bookworm",
            "node:alpine",
            "alpine",
            "cgr.dev/chainguard/python",
            "cgr.dev/a/b/python",
            "gcr.io/distroless/static-debian12",
            "gcr.io/distroless/static-x/y",
            "abc",
            "aXbYc",
            "ab",
            "acb",
            "abcbc",
            "",
            "a/x",
            "x",
            "Python:3",
            "cgr.dev",
            "cgr.dev/",
            "cgr.dev/chainguard/go:1",
            "a",
            "a/",
            "ab/c/d",
            "q/x/y",
            "q/x",
            "q/x/",
            "/",
            "go:1-dev",
            "a/go:1-dev",
            "a/b/go:1-dev",
            "/go:1-dev",
            "go:1",
            "dhi.io/python:3-dev",
            "dhi.io/a/python:3-dev",
            "dhi.io/node:20-alpine3.20",
            "a/b",
            "a/xb",
            "a/x/b",
            "ba",
            "a/ba",
            "ax/x",
            "a/b/x",
            "b/x/y",
        ];
        for p in patterns {
            let g = globset::GlobBuilder::new(&canonical_pattern(p, "")).literal_separator(true).build().unwrap().compile_matcher();
            for n in names {
                assert_eq!(Matcher::new(p).is_match(n), g.is_match(n.to_ascii_lowercase()), "{p} vs {n}");
                assert_eq!(glob_matches(p, n), g.is_match(n.to_ascii_lowercase()), "{p} vs {n}");
            }
        }
    }
}
