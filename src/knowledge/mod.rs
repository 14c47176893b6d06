//! Everything restage knows about images and ecosystems, loaded from one kind of file.
//!
//! Knowledge lives in TOML (`mappings/*.toml`, embedded with `include_str!`) so users can read
//! and extend it: builder/runtime pairs per family, image facts (shell, user, size, WORKDIR,
//! ENV such as GOPATH), OS package classes and ecosystem lists. Every file, built-in or a
//! user's `--mappings` overlay, goes through the same loader, which validates names against
//! what exists (recipes, variants, placeholders) with `FILE:LINE:COL` errors. See
//! `mappings/README.md` for the schema.
//!
//! Start-up matters (a pre-commit hook runs restage on one file per commit), so the built-in
//! files skip the checks that cost compiling (the `version` regexes, the match globs): a test
//! runs the full validation over them instead ([`Table::add`] still applies it to every
//! user file). Each pair's `version` regex is compiled once, on first use, and image facts
//! are merged once per image name.

mod builtin;
mod derive;
pub mod ecosystems;
mod infer;
pub mod versions;

pub use derive::{Resolved, TagParts};
pub use ecosystems::{Ecosystems, Packages};
pub use infer::Inferred;

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};
use toml::Spanned;

/// The built-in table, one file per family plus the runtime image facts.
pub const BUILTIN: &[(&str, &str)] = &[
    ("mappings/upstream.toml", include_str!("../../mappings/upstream.toml")),
    ("mappings/distroless.toml", include_str!("../../mappings/distroless.toml")),
    ("mappings/minimus.toml", include_str!("../../mappings/minimus.toml")),
    ("mappings/chainguard.toml", include_str!("../../mappings/chainguard.toml")),
    ("mappings/dhi.toml", include_str!("../../mappings/dhi.toml")),
    ("mappings/ubi.toml", include_str!("../../mappings/ubi.toml")),
    ("mappings/images.toml", include_str!("../../mappings/images.toml")),
    ("mappings/packages.toml", include_str!("../../mappings/packages.toml")),
    ("mappings/ecosystems.toml", include_str!("../../mappings/ecosystems.toml")),
];

/// Runtime variants a recipe may ask for (`variants.<name>` in a pair).
pub const VARIANTS: &[&str] = &["cgo", "musl", "console", "self-contained", "shell"];

pub const PLACEHOLDERS: &[&str] = &["version", "major", "minor", "major_minor", "tag", "variant", "os", "codename", "debian", "distro", "registry", "image"];

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TableFile {
    #[serde(default)]
    family: Vec<FamilyDef>,
    #[serde(default)]
    pair: Vec<Spanned<PairDef>>,
    #[serde(default)]
    image: Vec<Spanned<ImageFacts>>,
    #[serde(default)]
    packages: Option<Packages>,
    #[serde(default)]
    ecosystems: Option<Ecosystems>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct FamilyDef {
    pub name: String,
    #[serde(default)]
    pub registry: String,
    #[serde(default)]
    pub description: String,
    /// When the versions and names of this family were last checked against the vendor
    /// (`2026-11-28`); `--list-pairs` shows it.
    #[serde(default)]
    pub checked: Option<String>,
}

#[derive(Debug, Clone)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// A string or an array of strings. By hand rather than `#[serde(untagged)]`, which buffers
/// every value and tries each variant in turn: it was a tenth of loading the built-in tables.
impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(s.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(s))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<OneOrMany, A::Error> {
                Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(OneOrMany::Many)
            }
        }
        d.deserialize_any(V)
    }
}

impl OneOrMany {
    pub fn items(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }

    /// The patterns, borrowed (no copy per lookup).
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let (one, many) = match self {
            OneOrMany::One(s) => (Some(s.as_str()), &[][..]),
            OneOrMany::Many(v) => (None, v.as_slice()),
        };
        one.into_iter().chain(many.iter().map(String::as_str))
    }
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct PairDef {
    pub family: String,
    pub ecosystem: String,
    #[serde(rename = "match")]
    pub match_: Spanned<OneOrMany>,
    /// Glob on the tag (`*alpine*`); a pair with a tag filter is more specific.
    #[serde(default)]
    pub tag: Option<String>,
    /// Regex with one group, applied to `name:tag`, giving `{version}` (default: the tag's numeric prefix).
    #[serde(default)]
    pub version: Option<String>,
    /// Versions the runtime exists for (prefix match on `{version}`); others have no pair.
    #[serde(default)]
    pub versions: Option<Vec<String>>,
    pub builder: Spanned<String>,
    pub runtime: Spanned<String>,
    /// Runtime variants chosen by recipes: `cgo`, `musl`, `console`, `self-contained`, `shell`.
    #[serde(default)]
    pub variants: BTreeMap<String, Spanned<String>>,
    /// Fallback for `{codename}` / `{debian}` / `{distro}` when the tag names no OS.
    #[serde(default)]
    pub default_os: Option<String>,
    /// Said in the reasons whenever this pair is used.
    #[serde(default)]
    pub note: Option<String>,
}

/// What restage needs to know of a runtime image (matched by glob on the image name).
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct ImageFacts {
    #[serde(rename = "match")]
    pub match_: String,
    /// `/bin/sh` present.
    #[serde(default)]
    pub shell: Option<bool>,
    /// `apt`, `apk`, `microdnf`, `dnf` or `none`.
    #[serde(default)]
    pub package_manager: Option<String>,
    /// Default user (`root`, `65532`, `nonroot`, `1001` …).
    #[serde(default)]
    pub user: Option<String>,
    /// Preset ENTRYPOINT, e.g. `["java", "-jar"]`.
    #[serde(default)]
    pub entrypoint: Option<Vec<String>>,
    /// Interpreter path (python, node, ruby) in this image.
    #[serde(default)]
    pub interpreter: Option<String>,
    /// Tools present (curl, wget, …).
    #[serde(default)]
    pub tools: Option<Vec<String>>,
    /// Standard library: `glibc`, `musl`, `static`.
    #[serde(default)]
    pub libc: Option<String>,
    /// Approximate compressed size (MB, amd64), for the estimated saving.
    #[serde(default)]
    pub size_mb: Option<u64>,
    /// The image's own WORKDIR (where relative paths go when the file sets none).
    #[serde(default)]
    pub workdir: Option<String>,
    /// The image's own ENV that recipes rely on (GOPATH, CARGO_HOME, BUNDLE_PATH, HOME, PATH).
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// PHP extensions the image ships loaded (`pdo_mysql`, `intl`): a shell-less PHP runtime
    /// cannot build more, so the PHP recipe names the ones it lacks.
    #[serde(default)]
    pub php_extensions: Option<Vec<String>>,
    /// The image's default CMD (`["apache2-foreground"]`), the program of a file that sets none.
    #[serde(default)]
    pub cmd: Option<Vec<String>>,
}

/// The merged facts of one runtime image (every matching entry, most specific last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub shell: bool,
    pub package_manager: Option<String>,
    pub user: Option<String>,
    pub entrypoint: Option<Vec<String>>,
    pub interpreter: Option<String>,
    pub tools: Vec<String>,
    pub libc: Option<String>,
    pub size_mb: Option<u64>,
    pub workdir: Option<String>,
    pub env: BTreeMap<String, String>,
    /// PHP extensions present (None: not known).
    pub php_extensions: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
}

impl Facts {
    pub fn has_package_manager(&self) -> bool {
        self.package_manager.as_deref().is_some_and(|p| p != "none")
    }
    pub fn is_root(&self) -> bool {
        matches!(self.user.as_deref(), None | Some("root" | "0"))
    }
    pub fn env(&self, name: &str) -> Option<&str> {
        self.env.get(name).map(String::as_str)
    }
}

/// A pair with where it came from.
#[derive(Debug, Clone)]
pub struct Pair {
    pub def: PairDef,
    pub file: String,
    pub line: usize,
    pub order: usize,
    /// `def.version` compiled on first use (None: no regex, or one that does not compile).
    pub(crate) version_re: OnceLock<Option<regex::Regex>>,
}

impl Pair {
    /// The compiled `version` regex, if the pair has a valid one.
    pub(crate) fn version_regex(&self) -> Option<&regex::Regex> {
        self.version_re.get_or_init(|| self.def.version.as_deref().and_then(|r| regex::Regex::new(r).ok())).as_ref()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct TableError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Default, Clone)]
pub struct Table {
    pub families: Vec<FamilyDef>,
    pub pairs: Vec<Pair>,
    pub images: Vec<ImageFacts>,
    pub packages: Packages,
    pub ecosystems: Ecosystems,
    /// [`Table::facts`] per image name, filled as images are asked about.
    facts_memo: FactsMemo,
}

/// Facts already merged, per image as written; emptied when the table changes, never
/// copied with it, and forgotten past [`FACTS_MEMO`] images so memory stays flat.
#[derive(Debug, Default)]
struct FactsMemo(Mutex<HashMap<String, Arc<Facts>>>);

const FACTS_MEMO: usize = 4096;

impl Clone for FactsMemo {
    fn clone(&self) -> Self {
        FactsMemo::default()
    }
}

impl Table {
    /// The built-in table: every file read from its build-time tree (see [`builtin`]), in
    /// [`BUILTIN`] order. The files are trusted: a test runs the checks a user's file gets.
    pub fn builtin() -> Table {
        let mut t = Table::default();
        for (file, text) in BUILTIN {
            let parsed = builtin::load(file).unwrap_or_else(|e| panic!("{file}: {e} (built-in mappings are valid: tested)"));
            t.apply(file, text, Ok(parsed), Check::Trusted).expect("trusted files are not checked");
        }
        t
    }

    /// Adds a file; its pairs win over earlier ones with the same family, match and tag.
    pub fn add(&mut self, file: &str, text: &str) -> Result<(), TableError> {
        let parsed = parse(file, text);
        self.apply(file, text, parsed, Check::All)
    }

    fn apply(&mut self, file: &str, text: &str, parsed: Result<TableFile, TableError>, check: Check) -> Result<(), TableError> {
        self.facts_memo = FactsMemo::default();
        let parsed = parsed?;
        if check == Check::All {
            check_file(file, text, &parsed)?;
        }
        // Overlay: a later file replaces pairs with the same family/match/tag.
        let mut lines = Lines { text, at: 0, line: 1 };
        self.pairs.reserve(parsed.pair.len());
        for p in parsed.pair {
            let line = lines.of(p.span().start);
            let def = p.into_inner();
            let items: Vec<&str> = def.match_.get_ref().iter().collect();
            self.pairs.retain(|old| !(old.def.family == def.family && old.def.tag == def.tag && old.def.match_.get_ref().iter().any(|m| items.contains(&m))));
            let order = self.pairs.len();
            self.pairs.push(Pair { def, file: file.to_string(), line, order, version_re: OnceLock::new() });
        }
        for f in parsed.family {
            self.families.retain(|o| o.name != f.name);
            self.families.push(f);
        }
        // Later image facts take precedence: insert at the front.
        for (i, im) in parsed.image.into_iter().enumerate() {
            self.images.insert(i, im.into_inner());
        }
        if let Some(p) = parsed.packages {
            self.packages.merge(p);
        }
        if let Some(e) = parsed.ecosystems {
            self.ecosystems.merge(e);
        }
        Ok(())
    }

    pub fn family_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.families.iter().map(|f| f.name.clone()).collect();
        for p in &self.pairs {
            if !v.contains(&p.def.family) {
                v.push(p.def.family.clone());
            }
        }
        v
    }

    pub fn registry(&self, family: &str) -> String {
        self.families.iter().find(|f| f.name == family).map(|f| f.registry.clone()).unwrap_or_default()
    }

    pub fn pairs_of<'a>(&'a self, family: &'a str) -> impl Iterator<Item = &'a Pair> + 'a {
        self.pairs.iter().filter(move |p| p.def.family == family)
    }

    /// Facts of a runtime image: every matching `[[image]]` entry applied from the least to
    /// the most specific. A pattern with `:` in its last segment matches `name:tag`.
    pub fn facts(&self, image: &str) -> Facts {
        if let Some(f) = self.facts_memo.0.lock().unwrap().get(image) {
            return Facts::clone(f);
        }
        let facts = self.merge_facts(image);
        let mut memo = self.facts_memo.0.lock().unwrap();
        if memo.len() >= FACTS_MEMO {
            memo.clear();
        }
        memo.insert(image.to_string(), Arc::new(facts.clone()));
        facts
    }

    fn merge_facts(&self, image: &str) -> Facts {
        let (name, tag) = match crate::image::ImageRef::parse(image) {
            Some(r) => (r.name(), r.tag.unwrap_or_else(|| "latest".into())),
            None => (image.to_string(), "latest".into()),
        };
        let with_tag = format!("{name}:{tag}");
        let mut matching: Vec<&ImageFacts> = self
            .images
            .iter()
            .filter(|f| {
                let tagged = f.match_.rsplit('/').next().is_some_and(|l| l.contains(':'));
                derive::glob_matches(&f.match_, if tagged { &with_tag } else { &name })
            })
            .collect();
        // A tag filter (`reg.mini.dev/**:*-dev`, `*:*alpine*`) is more specific than any
        // name alone; then the longer pattern is.
        matching.sort_by_key(|f| (f.match_.rsplit('/').next().is_some_and(|l| l.contains(':')), f.match_.chars().filter(|c| *c != '*').count()));
        let mut facts = Facts {
            shell: true,
            package_manager: None,
            user: None,
            entrypoint: None,
            interpreter: None,
            tools: Vec::new(),
            libc: None,
            size_mb: None,
            workdir: None,
            env: BTreeMap::new(),
            php_extensions: None,
            cmd: None,
        };
        for f in matching {
            if let Some(v) = f.shell {
                facts.shell = v;
            }
            if f.package_manager.is_some() {
                facts.package_manager = f.package_manager.clone();
            }
            if f.user.is_some() {
                facts.user = f.user.clone();
            }
            if f.entrypoint.is_some() {
                facts.entrypoint = f.entrypoint.clone();
            }
            if f.interpreter.is_some() {
                facts.interpreter = f.interpreter.clone();
            }
            // Tools and packages accumulate: a specific entry adds to the general ones.
            for t in f.tools.iter().flatten() {
                if !facts.tools.contains(t) {
                    facts.tools.push(t.clone());
                }
            }
            if f.libc.is_some() {
                facts.libc = f.libc.clone();
            }
            if f.size_mb.is_some() {
                facts.size_mb = f.size_mb;
            }
            if f.workdir.is_some() {
                facts.workdir = f.workdir.clone();
            }
            facts.env.extend(f.env.iter().map(|(k, v)| (k.clone(), v.clone())));
            if f.php_extensions.is_some() {
                facts.php_extensions = f.php_extensions.clone();
            }
            if f.cmd.is_some() {
                facts.cmd = f.cmd.clone();
            }
        }
        facts
    }
}

impl Table {
    /// Approximate weight (MB) of an OS package the runtime does not get.
    pub fn package_weight(&self, name: &str) -> u64 {
        self.packages.weights_mb.get(name).copied().or(self.packages.default_weight_mb).unwrap_or(0)
    }
}

/// How much of [`check_file`] a file gets: all of it, or none for the built-in files (a test
/// runs it over them; it compiles every regex and glob).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    All,
    Trusted,
}

/// What a parse cannot tell: names that must exist (ecosystems, variants, placeholders),
/// patterns that must compile, no pair given twice; errors at `FILE:LINE:COL`.
fn check_file(file: &str, text: &str, parsed: &TableFile) -> Result<(), TableError> {
    let err = |span: Option<std::ops::Range<usize>>, message: String| table_error(file, text, span, message);
    for im in &parsed.image {
        if im.get_ref().entrypoint.as_ref().is_some_and(Vec::is_empty) {
            return Err(err(Some(im.span()), "`entrypoint` must name a program (leave it out when the image has none)".into()));
        }
        if let Err(e) = globset::Glob::new(&im.get_ref().match_) {
            return Err(err(Some(im.span()), format!("bad match pattern {}: {e}", im.get_ref().match_)));
        }
    }
    let mut seen: Vec<(String, String, Option<String>, std::ops::Range<usize>)> = Vec::new();
    for p in &parsed.pair {
        let span = p.span();
        let d = p.get_ref();
        if !crate::plan::recipes::is_known(&d.ecosystem) {
            let known: Vec<&str> =
                crate::plan::recipes::RECIPES.iter().map(|r| r.id()).chain(crate::plan::recipes::POLICY_SKIPS.iter().map(|(e, _)| *e)).collect();
            return Err(err(Some(span.clone()), format!("unknown ecosystem `{}` (known: {})", d.ecosystem, known.join(", "))));
        }
        if let Some((name, v)) = d.variants.iter().find(|(n, _)| !VARIANTS.contains(&n.as_str())) {
            return Err(err(Some(v.span()), format!("unknown variant `{name}` (known: {})", VARIANTS.join(", "))));
        }
        for tpl in [&d.builder, &d.runtime].into_iter().chain(d.variants.values()) {
            if let Some(bad) = unknown_placeholder(tpl.get_ref()) {
                return Err(err(Some(tpl.span()), format!("unknown placeholder {{{bad}}} (known: {})", PLACEHOLDERS.join(", "))));
            }
        }
        if let Some(re) = &d.version {
            match regex::Regex::new(re) {
                Ok(r) if r.captures_len() == 2 => {}
                _ => return Err(err(Some(span.clone()), format!("`version` must be a regex with one group: {re}"))),
            }
        }
        for m in d.match_.get_ref().iter() {
            if let Err(e) = globset::Glob::new(&derive::canonical_pattern(m, "")) {
                return Err(err(Some(d.match_.span()), format!("bad match pattern {m}: {e}")));
            }
            let key = (d.family.clone(), m.to_string(), d.tag.clone());
            if let Some(prev) = seen.iter().find(|s| (&s.0, &s.1, &s.2) == (&key.0, &key.1, &key.2)) {
                let (l, _) = crate::document::line_col(text, prev.3.start);
                return Err(err(Some(d.match_.span()), format!("duplicate match `{m}` in family `{}` (also at line {l})", d.family)));
            }
            seen.push((key.0, key.1, key.2, d.match_.span()));
        }
    }
    Ok(())
}

/// Line numbers of increasing byte offsets in one text, counted once.
struct Lines<'a> {
    text: &'a str,
    at: usize,
    line: usize,
}

impl Lines<'_> {
    fn of(&mut self, offset: usize) -> usize {
        if offset < self.at {
            self.at = 0;
            self.line = 1;
        }
        self.line += self.text.as_bytes()[self.at..offset].iter().filter(|b| **b == b'\n').count();
        self.at = offset;
        self.line
    }
}

fn table_error(file: &str, text: &str, span: Option<std::ops::Range<usize>>, message: String) -> TableError {
    let (line, column) = span.map_or((1, 1), |s| crate::document::line_col(text, s.start));
    TableError { file: file.to_string(), line, column, message }
}

fn parse(file: &str, text: &str) -> Result<TableFile, TableError> {
    toml::from_str(text).map_err(|e| table_error(file, text, e.span(), e.message().to_string()))
}

fn unknown_placeholder(tpl: &str) -> Option<String> {
    let mut rest = tpl;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        let name = &rest[open + 1..close];
        if !PLACEHOLDERS.contains(&name) {
            return Some(name.to_string());
        }
        rest = &rest[close + 1..];
    }
    None
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod builtin_checks {
    use super::*;

    /// What `Table::builtin` skips at run time: every built-in file passes the full checks
    /// a user's `--mappings` file gets (regexes and globs compiled).
    #[test]
    fn the_builtin_files_pass_the_full_validation() {
        let mut t = Table::default();
        for (file, text) in BUILTIN {
            t.add(file, text).unwrap_or_else(|e| panic!("{e}"));
        }
        let fast = Table::builtin();
        assert_eq!(format!("{t:?}"), format!("{fast:?}"), "the build-time route gives the table the TOML route gives");
        assert_eq!(t.pairs.len(), fast.pairs.len());
        for (a, b) in t.pairs.iter().zip(&fast.pairs) {
            assert_eq!((&a.file, a.line, a.order), (&b.file, b.line, b.order));
        }
        for p in &fast.pairs {
            assert_eq!(p.version_regex().is_some(), p.def.version.is_some(), "{}:{}", p.file, p.line);
        }
    }

    #[test]
    fn a_bad_version_regex_in_a_user_file_is_an_error_at_its_pair() {
        let text = "\n[[pair]]\nfamily = \"x\"\necosystem = \"go\"\nmatch = \"golang\"\nversion = \"(\"\nbuilder = \"a\"\nruntime = \"b\"\n";
        let e = Table::default().add("u.toml", text).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("u.toml", 2), "{e}");
        assert!(e.message.contains("`version` must be a regex with one group"), "{e}");
    }

    #[test]
    fn facts_are_forgotten_when_the_table_changes() {
        let mut t = Table::builtin();
        assert!(t.facts("python:3.12-slim").shell);
        t.add("u.toml", "[[image]]\nmatch = \"python:*-slim\"\nshell = false\n").unwrap();
        assert!(!t.facts("python:3.12-slim").shell);
    }
}
