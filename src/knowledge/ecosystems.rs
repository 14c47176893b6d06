//! Ecosystem knowledge that is not an image pair (`[ecosystems.*]` in `mappings/ecosystems.toml`):
//! tag grammar (OS tokens, Debian codenames), the default PATH, and per-language lists the
//! recipes consult. Data, so that adding a cgo module or a dev server is a TOML edit, in the
//! built-in file or in a user's `--mappings` overlay (lists extend, values replace).

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct Ecosystems {
    pub tags: Tags,
    pub path: Path,
    pub go: Go,
    pub node: Node,
    /// Lists that apply to every ecosystem (test runners).
    pub any: Any,
    pub java: DevOnly,
    pub python: DevOnly,
    pub rust: DevOnly,
    pub ruby: DevOnly,
    pub dotnet: DevOnly,
    pub php: DevOnly,
    pub distro: Distro,
    /// The official `*-onbuild` variants whose triggers are known (`[[ecosystems.onbuild]]`).
    pub onbuild: Vec<Onbuild>,
}

/// An official `*-onbuild` image: what a child built on it inherits, written for the plain
/// image of the same tag, so the triggers can be expanded and the build split.
#[derive(Debug, Deserialize, Default, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Onbuild {
    /// The image name (`golang`): `golang:1.9-onbuild` and `golang:onbuild` match.
    pub image: String,
    /// The newest version that had an onbuild variant: what a bare `onbuild` tag meant.
    pub last: String,
    /// The parent's own instructions, then its ONBUILD triggers, in order, in plain form.
    pub steps: Vec<String>,
    /// The parent's CMD in plain form (None: the child sets its own).
    #[serde(default)]
    pub cmd: Option<Vec<String>>,
    /// What the plain form changed, said in the review reason.
    #[serde(default)]
    pub plain: String,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct Distro {
    /// OS package → the ecosystem whose recipe splits the image.
    pub toolchains: BTreeMap<String, String>,
    /// Python tooling packages; other `python3-*` / `py3-*` packages are libraries.
    pub python_tooling: Vec<String>,
    /// Python 2 packages: a venv cannot be made with Python 2 (skipped with that reason).
    pub python2: Vec<String>,
    /// Where gems and `gem install` executables go with Debian's Ruby (copied as a whole).
    pub apt_ruby_paths: Vec<String>,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct Tags {
    pub os_tokens: Vec<String>,
    pub ubuntu: Vec<String>,
    pub alpine_default: String,
    pub debian_default: String,
    /// `{codename}` when a tag names none and the pair sets no `default_os`.
    pub default_codename: String,
    pub debian: BTreeMap<String, String>,
    /// The oldest Debian release an image prefix publishes (`gcr.io/distroless/` → `12`): a
    /// derived `{debian}` below it under that prefix is raised to it (older builds run on
    /// a newer glibc).
    pub debian_min: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct Path {
    pub default: Vec<String>,
    /// PATH of a runtime image with no PATH fact.
    pub runtime: Vec<String>,
    /// Where a bare-name program from a builder-only PATH folder is copied in the runtime.
    pub runtime_bin: String,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct Go {
    pub dev_servers: Vec<String>,
    pub cgo_modules: Vec<String>,
    pub runtime_dirs: Vec<String>,
    pub file_read_calls: Vec<String>,
}

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct Node {
    pub dev_servers: Vec<String>,
    /// Binary name → owning package, where they differ (`tsc` → `typescript`).
    pub bins: BTreeMap<String, String>,
}

/// `[ecosystems.any]`: test runners of every ecosystem, and test-runner base images.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct Any {
    pub dev_servers: Vec<String>,
    pub dev_images: Vec<String>,
}

/// A section with only a dev-server list.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct DevOnly {
    pub dev_servers: Vec<String>,
}

/// OS packages: build-only, already present, `-dev` → runtime library per distro, weights.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct Packages {
    pub build_only: Vec<String>,
    /// Build-only only when installed together with a compiler or a `-dev` package.
    pub build_tools: Vec<String>,
    /// Extra build-only packages per ecosystem (node-gyp's python3 on Node images).
    pub build_only_for: BTreeMap<String, Vec<String>>,
    pub debian: BTreeMap<String, String>,
    pub alpine: BTreeMap<String, String>,
    /// The RPM name (RHEL/UBI) of a Debian or Alpine runtime package, for a runtime whose
    /// package manager is dnf/microdnf when the file installed with apt or apk.
    pub rpm_names: BTreeMap<String, String>,
    pub weights_mb: BTreeMap<String, u64>,
    /// Tools a HEALTHCHECK or a compose command may call, → the package that provides them.
    pub run_tools: BTreeMap<String, String>,
    pub default_weight_mb: Option<u64>,
    /// Per ecosystem, a dependency built from source → the `-dev` packages it compiles
    /// against (`psycopg2` → `libpq-dev`): on a full builder image they come with the image,
    /// so the runtime needs their libraries although the file installed nothing.
    pub native: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

fn extend(into: &mut Vec<String>, from: Vec<String>) {
    for x in from {
        if !into.contains(&x) {
            into.push(x);
        }
    }
}

/// `into.extend(from)`, moving `from` whole when `into` is empty (the first file of a run:
/// no re-insertion of every key).
fn extend_map<K: Ord, V>(into: &mut BTreeMap<K, V>, from: BTreeMap<K, V>) {
    if into.is_empty() {
        *into = from;
    } else {
        into.extend(from);
    }
}

fn set(into: &mut String, from: String) {
    if !from.is_empty() {
        *into = from;
    }
}

impl Ecosystems {
    pub fn merge(&mut self, o: Ecosystems) {
        extend(&mut self.tags.os_tokens, o.tags.os_tokens);
        extend(&mut self.tags.ubuntu, o.tags.ubuntu);
        set(&mut self.tags.alpine_default, o.tags.alpine_default);
        set(&mut self.tags.debian_default, o.tags.debian_default);
        set(&mut self.tags.default_codename, o.tags.default_codename);
        extend_map(&mut self.tags.debian, o.tags.debian);
        extend_map(&mut self.tags.debian_min, o.tags.debian_min);
        extend(&mut self.path.default, o.path.default);
        extend(&mut self.path.runtime, o.path.runtime);
        set(&mut self.path.runtime_bin, o.path.runtime_bin);
        extend(&mut self.go.dev_servers, o.go.dev_servers);
        extend(&mut self.go.cgo_modules, o.go.cgo_modules);
        extend(&mut self.go.runtime_dirs, o.go.runtime_dirs);
        extend(&mut self.go.file_read_calls, o.go.file_read_calls);
        extend(&mut self.node.dev_servers, o.node.dev_servers);
        extend_map(&mut self.distro.toolchains, o.distro.toolchains);
        extend(&mut self.distro.python_tooling, o.distro.python_tooling);
        extend(&mut self.distro.apt_ruby_paths, o.distro.apt_ruby_paths);
        extend(&mut self.distro.python2, o.distro.python2);
        // A user's entry for an image replaces the built-in one.
        for ob in o.onbuild {
            self.onbuild.retain(|x| x.image != ob.image);
            self.onbuild.push(ob);
        }
        extend_map(&mut self.node.bins, o.node.bins);
        extend(&mut self.any.dev_servers, o.any.dev_servers);
        extend(&mut self.any.dev_images, o.any.dev_images);
        for (into, from) in [
            (&mut self.java, o.java),
            (&mut self.python, o.python),
            (&mut self.rust, o.rust),
            (&mut self.ruby, o.ruby),
            (&mut self.dotnet, o.dotnet),
            (&mut self.php, o.php),
        ] {
            extend(&mut into.dev_servers, from.dev_servers);
        }
    }
}

impl Ecosystems {
    /// The onbuild variant `name` (an image name as [`crate::image::ImageRef::name`] gives it).
    pub fn onbuild(&self, name: &str) -> Option<&Onbuild> {
        self.onbuild.iter().find(|o| o.image == name)
    }

    /// The dev servers and test runners of an ecosystem, the `any` list first.
    pub fn dev_servers(&self, ecosystem: &str) -> impl Iterator<Item = &String> {
        let own: &[String] = match ecosystem {
            "node" => &self.node.dev_servers,
            "go" => &self.go.dev_servers,
            "java" => &self.java.dev_servers,
            "python" => &self.python.dev_servers,
            "rust" => &self.rust.dev_servers,
            "ruby" => &self.ruby.dev_servers,
            "dotnet" => &self.dotnet.dev_servers,
            "php" => &self.php.dev_servers,
            _ => &[],
        };
        self.any.dev_servers.iter().chain(own)
    }
}

impl Packages {
    pub fn merge(&mut self, o: Packages) {
        extend(&mut self.build_only, o.build_only);
        extend(&mut self.build_tools, o.build_tools);
        for (k, v) in o.build_only_for {
            extend(self.build_only_for.entry(k).or_default(), v);
        }
        extend_map(&mut self.debian, o.debian);
        extend_map(&mut self.alpine, o.alpine);
        extend_map(&mut self.rpm_names, o.rpm_names);
        extend_map(&mut self.weights_mb, o.weights_mb);
        extend_map(&mut self.run_tools, o.run_tools);
        for (eco, deps) in o.native {
            extend_map(self.native.entry(eco).or_default(), deps);
        }
        if o.default_weight_mb.is_some() {
            self.default_weight_mb = o.default_weight_mb;
        }
    }
}
