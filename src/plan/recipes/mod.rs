//! One recipe per ecosystem behind one trait: what the runtime stage must receive.
//!
//! A recipe looks at the build stage (commands run, the program started, files in the build
//! context) and returns the artifacts to copy, builder tweaks and runtime variant. It never
//! edits text itself; `plan` turns its answer into edits, and `safety` checks the runtime.

mod distro;
mod dotnet;
mod go;
mod go_files;
mod java;
mod node;
mod python;
mod ruby;
mod rust;

use super::stage::{Program, StageView};
use crate::knowledge::{Facts, Resolved, Table};
use crate::outcome::{Code, Reason};

/// Something the runtime stage copies from the builder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Artifact {
    pub from: String,
    pub to: String,
    pub why: String,
}

impl Artifact {
    pub fn same(path: impl Into<String>, why: impl Into<String>) -> Artifact {
        let p = path.into();
        Artifact { from: p.clone(), to: p, why: why.into() }
    }
}

#[derive(Debug, Default)]
pub struct RecipeOut {
    pub artifacts: Vec<Artifact>,
    /// Lines inserted right after the builder's FROM (e.g. `ENV CGO_ENABLED=0`).
    pub builder_prelude: Vec<String>,
    /// Lines appended at the end of the builder (e.g. `RUN npm prune --omit=dev`).
    pub builder_finale: Vec<String>,
    /// Extra lines in the runtime stage header (after the copies).
    pub runtime_lines: Vec<String>,
    /// Runtime variant from the pair (`cgo`, `musl`, `console`, `self-contained`, `shell`).
    pub variant: Option<String>,
    /// A new argv for the program (CMD), e.g. `npm start` → `node server.js`.
    pub program_argv: Option<Vec<String>>,
    /// Build-only things the runtime does not get besides OS packages (`devDependencies`).
    pub drops: Vec<String>,
    /// The program needs `/bin/sh` in the runtime (scripts, start trees).
    pub needs_shell: bool,
    /// Decisions, for `--explain`.
    pub notes: Vec<Reason>,
    /// Findings that make the rewrite "needs review".
    pub review: Vec<Reason>,
}

impl RecipeOut {
    pub fn note(&mut self, code: Code, message: impl Into<String>) {
        self.notes.push(Reason::new(code, message));
    }
    pub fn review(&mut self, code: Code, message: impl Into<String>) {
        self.review.push(Reason::new(code, message));
    }
}

/// A recipe's reason not to split, with its code.
pub fn skip(code: Code, message: impl Into<String>) -> Reason {
    Reason::new(code, message)
}

pub struct Cx<'a> {
    pub view: &'a StageView<'a>,
    pub program: &'a Program,
    pub pair: &'a Resolved,
    pub runtime_facts: &'a Facts,
    pub builder_facts: &'a Facts,
    pub table: &'a Table,
}

impl Cx<'_> {
    /// A variable of the build stage: its ENV, else the builder image's own (GOPATH …).
    pub fn env(&self, name: &str) -> Option<&str> {
        self.view.env(name).or_else(|| self.builder_facts.env(name))
    }
    pub fn read_context(&self, rel: &str) -> Option<String> {
        let dir = self.view.context?;
        std::fs::read_to_string(dir.join(rel)).ok()
    }
    pub fn context_has(&self, rel: &str) -> bool {
        self.view.context.is_some_and(|d| d.join(rel).exists())
    }
    pub fn context_files(&self, ext: &str) -> Vec<String> {
        let Some(dir) = self.view.context else { return Vec::new() };
        let mut v: Vec<String> =
            std::fs::read_dir(dir).into_iter().flatten().flatten().filter_map(|e| e.file_name().into_string().ok()).filter(|n| n.ends_with(ext)).collect();
        v.sort();
        v
    }
}

/// One ecosystem's knowledge of what a build produces and what the runtime needs.
pub trait Recipe: Sync {
    /// The ecosystem name used in the pairing table (`ecosystem = "go"`).
    fn id(&self) -> &'static str;
    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, Reason>;
}

/// Every recipe; the table's `ecosystem` names are checked against these ids (plus the
/// ecosystems that are known but skipped by policy, [`POLICY_SKIPS`]).
pub const RECIPES: &[&dyn Recipe] = &[&go::Go, &rust::Rust, &java::Java, &dotnet::Dotnet, &node::Node, &python::Python, &ruby::Ruby, &distro::Distro];

/// Ecosystems the table may name that have no recipe, with the reason they are skipped.
pub const POLICY_SKIPS: &[(&str, &str)] =
    &[("php", "PHP extensions are compiled into the serving image, so there is no smaller runtime to move to (see README: PHP policy)")];

pub fn for_ecosystem(eco: &str) -> Option<&'static dyn Recipe> {
    RECIPES.iter().copied().find(|r| r.id() == eco)
}

/// True when `eco` is an ecosystem a table may name.
pub fn is_known(eco: &str) -> bool {
    for_ecosystem(eco).is_some() || POLICY_SKIPS.iter().any(|(e, _)| *e == eco)
}

/// Copies the app directory (WORKDIR of the program) when the program lives in it.
pub(crate) fn app_dir(cx: &Cx<'_>) -> Result<String, Reason> {
    let wd = cx.program.workdir.clone();
    if wd == "/" {
        return Err(skip(Code::AppInRoot, "the app lives in / (no WORKDIR): cannot tell the app's files from the image's"));
    }
    Ok(wd)
}
