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
pub mod onbuild;
mod php;
mod python;
mod ruby;
mod rust;

use super::stage::{Expanded, PackageJson, Program, ProgramKey, StageView};
use crate::document::{Command, Details, Kind};
use crate::knowledge::{Facts, Resolved, Table};
use crate::outcome::{Code, Reason};
use crate::shell;
use std::rc::Rc;

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
    /// Insert the prelude after this instruction instead of after FROM (a distro's venv is
    /// made once the package manager has installed python3).
    pub prelude_after: Option<usize>,
    /// The `[packages] build_only_for` key for the safety pass when it is not the pair's
    /// ecosystem (`distro-python`: pip is build-only once a virtualenv carries the packages).
    pub packages_for: Option<String>,
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
    /// The runtime tag's version when the program needs another one than the builder's
    /// (a .NET project targeting net6.0 built with the 8.0 SDK runs on the 6.0 runtime).
    pub runtime_version: Option<String>,
    /// The program needs `/bin/sh` in the runtime (scripts, start trees).
    pub needs_shell: bool,
    /// Files the stage copied in for the build only (`COPY --from=composer:2
    /// /usr/bin/composer`): not carried into the runtime.
    pub build_only: Vec<String>,
    /// Decisions, for `--explain`.
    pub notes: Vec<Reason>,
    /// Findings that make the rewrite "needs review".
    pub review: Vec<Reason>,
    /// Notes of the pair that do not describe this rewrite (the alpine builder's cgo note
    /// when the rewrite builds a static binary): left out of the reasons (rule 5).
    pub moot_pair_notes: Vec<String>,
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
    /// A variable the recipe cannot do without (GOPATH, CARGO_HOME, GEM_HOME): the stage's,
    /// else the image facts' (images.toml, `env`), else a skip that says which is missing.
    pub fn required_env(&self, name: &str) -> Result<&str, Reason> {
        self.env(name).filter(|v| !v.is_empty()).ok_or_else(|| {
            skip(Code::UnknownOutput, format!("no {name} is known for {}: the image facts (images.toml `env`) do not give one", self.pair.builder))
        })
    }
    pub fn read_context(&self, rel: &str) -> Option<String> {
        let dir = self.view.context?;
        crate::plan::folders::read_to_string(&dir.join(rel))
    }
    pub fn context_has(&self, rel: &str) -> bool {
        self.view.context.is_some_and(|d| crate::plan::folders::exists(&d.join(rel)))
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
pub const RECIPES: &[&dyn Recipe] =
    &[&go::Go, &rust::Rust, &java::Java, &dotnet::Dotnet, &node::Node, &python::Python, &ruby::Ruby, &php::Php, &distro::Distro];

/// Ecosystems the table may name that have no recipe, with the reason they are skipped.
pub const POLICY_SKIPS: &[(&str, &str)] = &[];

pub fn for_ecosystem(eco: &str) -> Option<&'static dyn Recipe> {
    RECIPES.iter().copied().find(|r| r.id() == eco)
}

/// True when `eco` is an ecosystem a table may name.
pub fn is_known(eco: &str) -> bool {
    for_ecosystem(eco).is_some() || POLICY_SKIPS.iter().any(|(e, _)| *e == eco)
}

/// Copies the app directory (the WORKDIR the program runs in) when the program lives in it.
pub(crate) fn app_dir(cx: &Cx<'_>) -> Result<String, Reason> {
    let wd = final_workdir(cx.view);
    if wd == "/" {
        if let Some(line) = purged_in_same_run(cx.view) {
            return Err(skip(
                Code::NoGain,
                format!(
                    "build dependencies are installed and removed in the same RUN (line {line}): the single stage already drops them, a split gains nothing"
                ),
            ));
        }
        return Err(skip(Code::AppInRoot, "the app lives in / (no WORKDIR): cannot tell the app's files from the image's"));
    }
    Ok(wd)
}

/// The line of a RUN that installs OS packages and removes them again (`apk add … && apk del
/// …`, `apt-get install … && apt-get purge …`).
fn purged_in_same_run(view: &StageView<'_>) -> Option<usize> {
    let invs = view.invocations();
    let adds = |i: &shell::Invocation| i.is_sub("apk", &["add"]) || i.is_sub("apt-get", &["install"]) || i.is_sub("apt", &["install"]);
    let dels =
        |i: &shell::Invocation| i.is_sub("apk", &["del"]) || i.is_sub("apt-get", &["purge", "remove", "autoremove"]) || i.is_sub("apt", &["purge", "remove"]);
    invs.iter().find(|d| dels(d) && invs.iter().any(|a| a.instruction == d.instruction && adds(a))).map(|d| d.line)
}

/// The WORKDIR the container starts in: the stage's last WORKDIR, wherever the CMD /
/// ENTRYPOINT stands (`ENTRYPOINT ["tini", "--"]` before `WORKDIR /app` still runs in /app).
pub(crate) fn final_workdir(view: &StageView<'_>) -> String {
    match view.instructions().filter(|(_, i)| i.kind == Kind::Workdir).last() {
        Some((i, ins)) => shell::join(&view.workdir[i], &super::stage::expand(ins.args().trim_matches('"'), &view.env)),
        None => "/".to_string(),
    }
}

/// The commands the program runs, each as an argv: the CMD / ENTRYPOINT itself, the commands
/// of its `sh -c` string, or of its shell-form script (`while true; do ./app; done`).
pub(crate) fn program_commands(view: &StageView<'_>, program: &Program) -> Vec<Vec<String>> {
    let ins = &view.doc.instructions[program.instruction];
    match ins.command() {
        Some(Command::Shell(s)) => shell::script_commands(s),
        // `["/bin/bash -c 'npm run dev'"]` (one string naming a shell): read as a command line;
        // `["/out dir/app"]` is a program path with a blank.
        Some(Command::Exec(v))
            if shell::shell_c_script(v).is_some()
                || (v.len() == 1 && v[0].split_whitespace().next().is_some_and(shell::is_shell) && v[0].contains(char::is_whitespace)) =>
        {
            shell::program_commands(v)
        }
        _ => shell::program_commands(&program.argv),
    }
}

/// True when the words of `entry` appear in `cmd` in order, the first one as a program's
/// base name or a word (`vite` matches `./node_modules/.bin/vite --host`, not `vitest`).
fn runs(cmd: &[String], entry: &str) -> bool {
    let bases: Vec<&str> = cmd.iter().map(|w| shell::basename(w)).collect();
    runs_with(cmd, &bases, entry)
}

/// [`runs`] with the command's base names taken once (a batch asks every command against
/// every dev-server entry); the entry's words are read in place, most entries failing on the
/// first one.
fn runs_with(cmd: &[String], bases: &[&str], entry: &str) -> bool {
    let mut want = entry.split_whitespace();
    let Some(first) = want.next() else { return false };
    cmd.iter().zip(bases).enumerate().filter(|(_, (w, b))| *w == first || **b == first).any(|(i, _)| {
        let mut rest = cmd[i + 1..].iter();
        want.clone().all(|x| rest.any(|w| w == x))
    })
}

/// The package.json script an `npm start` / `npm run X` / `yarn X` / `pnpm X` command runs.
fn script_name(cmd: &[String]) -> Option<&str> {
    let tool = shell::basename(cmd.first()?);
    let words: Vec<&str> = cmd[1..].iter().map(String::as_str).filter(|w| !w.starts_with('-')).collect();
    match (tool, words.as_slice()) {
        ("npm" | "yarn" | "pnpm" | "bun", ["start", ..]) => Some("start"),
        ("npm" | "yarn" | "pnpm" | "bun", ["run" | "run-script", s, ..]) => Some(s),
        ("yarn" | "pnpm", [s, ..]) if !matches!(*s, "install" | "add" | "exec" | "dlx" | "node") => Some(s),
        _ => None,
    }
}

/// The project's package.json, as the stage copied it to `workdir`: where it comes from in
/// the build context, and its contents; read and parsed once per folder (the dev-image
/// check, the recipe and its start chain all ask).
pub(crate) fn package_json(view: &StageView<'_>, workdir: &str) -> Rc<PackageJson> {
    if let Some((_, p)) = view.memo.package_json.borrow().iter().find(|(w, _)| w == workdir) {
        return p.clone();
    }
    let manifest = context_source(view, &shell::join(workdir, "package.json")).unwrap_or_else(|| "package.json".into());
    let value = view.context.and_then(|c| crate::plan::folders::read_to_string(&c.join(&manifest))).and_then(|text| serde_json::from_str(&text).ok());
    let p = Rc::new(PackageJson { manifest, value });
    view.memo.package_json.borrow_mut().push((workdir.to_string(), p.clone()));
    p
}

/// The program's commands with package.json scripts expanded (`npm run dev` → the commands of
/// `scripts.dev`, once), so the start chain CMD → script → binary can be followed. Each
/// command comes with the command that ran its script, if any. Worked out once per program.
pub(crate) fn expanded_commands(view: &StageView<'_>, program: &Program) -> Rc<Expanded> {
    if let Some((key, e)) = &*view.memo.expanded.borrow()
        && key.is(program)
    {
        return e.clone();
    }
    let cmds = program_commands(view, program);
    // package.json is read only for a command that runs a script (`npm start`, `yarn dev`).
    let mut pkg = None;
    let mut out = Vec::new();
    for c in cmds {
        let script = script_name(&c).and_then(|s| {
            let pkg = pkg.get_or_insert_with(|| package_json(view, &program.workdir));
            pkg.value.as_ref()?.get("scripts")?.get(s)?.as_str().map(str::to_string)
        });
        let via = c.join(" ");
        out.push((c, None));
        if let Some(s) = script {
            out.extend(shell::script_commands(&s).into_iter().map(|c| (c, Some(via.clone()))));
        }
    }
    let out = Rc::new(out);
    *view.memo.expanded.borrow_mut() = Some((ProgramKey::of(program), out.clone()));
    out
}

/// Ecosystems whose dev-server lists the check before the pair lookup reads.
const DEV_ECOSYSTEMS: [&str; 7] = ["node", "go", "java", "python", "rust", "ruby", "dotnet"];

/// Skips a development or test image: the program (through `sh -c` strings and package.json
/// scripts) runs a dev server or test runner of `ecosystem`'s list or the `any` list; with no
/// ecosystem, every list applies (for a check before the pair lookup).
pub fn dev_image(view: &StageView<'_>, program: &Program, table: &Table, ecosystem: Option<&str>) -> Result<(), Reason> {
    let eco = &table.ecosystems;
    // A program that passed every list passes each one of them.
    if ecosystem.is_some_and(|e| DEV_ECOSYSTEMS.contains(&e)) && view.memo.no_dev_server.borrow().as_ref().is_some_and(|k| k.is(program)) {
        return Ok(());
    }
    // Each list is `any` followed by the ecosystem's own entries; `any` once is enough (the
    // first entry that matches is the same).
    let any = eco.any.dev_servers.len();
    let lists: Vec<&String> = match ecosystem {
        Some(e) => eco.dev_servers(e).collect(),
        None => eco.any.dev_servers.iter().chain(DEV_ECOSYSTEMS.iter().flat_map(|e| eco.dev_servers(e).skip(any))).collect(),
    };
    for (cmd, via) in expanded_commands(view, program).iter() {
        let bases: Vec<&str> = cmd.iter().map(|w| shell::basename(w)).collect();
        // Most entries fail on their first word, which must be a word of the command or its
        // base name: one without blanks, which the entry starts with, followed by a blank.
        let words: Vec<&str> =
            cmd.iter().map(String::as_str).chain(bases.iter().copied()).filter(|w| !w.is_empty() && !w.contains(char::is_whitespace)).collect();
        let may_run = |d: &str| match d.as_bytes().first() {
            Some(c) if c.is_ascii_graphic() => {
                words.iter().any(|w| w.as_bytes()[0] == *c && d.starts_with(w) && d[w.len()..].chars().next().is_none_or(char::is_whitespace))
            }
            // A blank or a non-ASCII character first: the entry is split.
            _ => words.contains(&d.split_whitespace().next().unwrap_or_default()),
        };
        if let Some(d) = lists.iter().find(|d| may_run(d) && runs_with(cmd, &bases, d)) {
            let what = match via {
                Some(v) => format!("`{v}` runs `{}`", cmd.join(" ")),
                None => format!("`{}`", cmd.join(" ")),
            };
            return Err(skip(Code::DevImage, format!("the image runs a development server or test runner ({what}, `{d}`): a dev image, not an app to ship")));
        }
    }
    if ecosystem.is_none() {
        *view.memo.no_dev_server.borrow_mut() = Some(ProgramKey::of(program));
    }
    Ok(())
}

/// Skips a file built on a test-runner base image (`mcr.microsoft.com/playwright`), whatever
/// its CMD: the image is the test environment.
pub fn dev_base_image(image: &str, table: &Table) -> Result<(), Reason> {
    match table.ecosystems.any.dev_images.iter().find(|p| image.starts_with(p.as_str())) {
        Some(p) => Err(skip(Code::DevImage, format!("built on {image}, a test-runner image (`{p}`): a test image, not an app to ship"))),
        None => Ok(()),
    }
}

/// The build-context file (relative path) that the stage's COPY / ADD instructions put at
/// the absolute path `target`, the last one winning; it must exist in the context.
pub(crate) fn context_source(view: &StageView<'_>, target: &str) -> Option<String> {
    let ctx = view.context?;
    let mut found = None;
    for (i, ins) in view.instructions() {
        let Details::Copy { sources, dest } = &ins.details else { continue };
        if !matches!(ins.kind, Kind::Copy | Kind::Add) || ins.flag("from").is_some() || !ins.heredocs.is_empty() {
            continue;
        }
        let wd = &view.workdir[i];
        let dest_abs = shell::join(wd, dest);
        let dest_is_dir = dest.ends_with('/') || dest == "." || sources.len() > 1 || sources.iter().any(|s| s.contains(['*', '?', '[']));
        for s in sources {
            let src = s.trim_start_matches("./").trim_end_matches('/');
            let src = if src.is_empty() { "." } else { src };
            let globbed = src.contains(['*', '?', '[']);
            // Whether `src` is a folder in the context is asked only when the answer matters:
            // the target lies under the destination, or is the file the copy would make.
            let as_file = || if dest_is_dir { shell::join(&dest_abs, shell::basename(src)) == target } else { dest_abs == target };
            let under = target.strip_prefix(dest_abs.trim_end_matches('/')).and_then(|r| r.strip_prefix('/'));
            if !globbed && under.is_none() && !as_file() {
                continue;
            }
            let cand = if globbed {
                // `service/package*.json ./` → the file of that name in the source folder.
                let (dir, pat) = src.rsplit_once('/').unwrap_or((".", src));
                let name = target.rsplit_once('/').map_or(target, |(_, n)| n);
                // The glob is compiled only for a candidate at the right place.
                let matches = || copy_glob_matches(pat, name);
                (shell::join(&dest_abs, name) == target && matches()).then(|| format!("{dir}/{name}"))
            } else if crate::plan::folders::is_dir(&ctx.join(src)) {
                under.map(|rel| format!("{src}/{rel}"))
            } else {
                as_file().then(|| src.to_string())
            };
            if let Some(c) = cand.map(|c| c.trim_start_matches("./").to_string())
                && crate::plan::folders::is_file(&ctx.join(&c))
            {
                found = Some(c);
            }
        }
    }
    found
}

/// True when the COPY source pattern `pat` (one path element) matches `name`; each pattern is
/// compiled once per thread (`package*.json` comes back in most Node files of a batch).
fn copy_glob_matches(pat: &str, name: &str) -> bool {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, Option<globset::GlobMatcher>>> = Default::default();
    }
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(m) = c.get(pat) {
            return m.as_ref().is_some_and(|m| m.is_match(name));
        }
        // Bounded: a pathological batch of distinct patterns recompiles instead of growing.
        if c.len() >= 256 {
            c.clear();
        }
        let m = globset::Glob::new(pat).ok().map(|g| g.compile_matcher());
        let found = m.as_ref().is_some_and(|m| m.is_match(name));
        c.insert(pat.to_string(), m);
        found
    })
}

/// Build outputs plus where later `cp` / `mv` / `install` commands put them
/// (`cargo build --release && cp target/release/app .`): each copy is an output too,
/// resolved against the command's working directory; `mv` replaces the original.
pub(crate) fn follow_copies(view: &StageView<'_>, outputs: &mut Vec<String>, dir_like: &[String]) {
    for inv in view.invocations() {
        if !(inv.is("cp") || inv.is("mv") || inv.is("install")) {
            continue;
        }
        let valued: &[&str] = if inv.is("install") { &["-m", "-o", "-g", "-t", "--mode", "--owner", "--group"] } else { &["-t"] };
        // `operands` drops the first operand as a subcommand: put it back.
        let mut ops: Vec<String> = Vec::new();
        let mut skip_next = false;
        for w in inv.args() {
            if skip_next {
                skip_next = false;
            } else if w.starts_with('-') {
                skip_next = valued.contains(&w.as_str());
            } else {
                ops.push(w.clone());
            }
        }
        let target_dir = inv.option(&["-t", "--target-directory"]).map(str::to_string);
        if inv.is("install") && inv.args().iter().any(|w| w == "-d" || w == "--directory") {
            continue;
        }
        let (srcs, dest, is_dir) = match target_dir {
            Some(t) => (ops.clone(), t, true),
            None if ops.len() >= 2 => {
                let dest = ops.pop().unwrap_or_default();
                let abs = shell::join(&inv.cwd, &dest);
                let is_dir = dest.ends_with('/') || dest == "." || dest == ".." || ops.len() > 1 || dir_like.contains(&abs) || abs == inv.cwd;
                (ops.clone(), dest, is_dir)
            }
            None => continue,
        };
        let dest_abs = shell::join(&inv.cwd, &dest);
        for s in &srcs {
            let src_abs = shell::join(&inv.cwd, s);
            let hits: Vec<String> = if s.contains(['*', '?', '[']) {
                let Ok(g) = globset::Glob::new(&src_abs) else { continue };
                let m = g.compile_matcher();
                outputs.iter().filter(|o| m.is_match(o.as_str())).cloned().collect()
            } else {
                outputs.iter().filter(|o| **o == src_abs).cloned().collect()
            };
            for o in hits {
                let to = if is_dir { shell::join(&dest_abs, shell::basename(&o)) } else { dest_abs.clone() };
                if inv.is("mv") {
                    outputs.retain(|x| *x != o);
                }
                if !outputs.contains(&to) {
                    outputs.push(to);
                }
            }
        }
    }
}

/// The runtime's PATH: the stage's own `ENV PATH` (which the runtime keeps) with `$PATH`
/// standing for the runtime image's default.
pub(crate) fn runtime_path(cx: &Cx<'_>) -> Vec<String> {
    let base: Vec<String> = match cx.runtime_facts.env("PATH") {
        Some(p) => p.split(':').map(String::from).collect(),
        None => cx.table.ecosystems.path.runtime.clone(),
    };
    match cx.view.env("PATH") {
        Some(p) => p.split(':').flat_map(|d| if d == "$PATH" || d == "${PATH}" { base.clone() } else { vec![d.to_string()] }).collect(),
        None => base,
    }
}

/// The builder's PATH for a bare program name: the stage's `ENV PATH`, else the default list.
pub(crate) fn builder_path(cx: &Cx<'_>) -> Vec<String> {
    let base = cx.table.ecosystems.path.default.clone();
    match cx.view.env("PATH") {
        Some(p) => p.split(':').flat_map(|d| if d == "$PATH" || d == "${PATH}" { base.clone() } else { vec![d.to_string()] }).collect(),
        None => base,
    }
}

/// The artifact for the binary `output` that the program `exe` starts. A bare name found in a
/// builder-only PATH folder (`/go/bin`, `/usr/local/cargo/bin`) is copied into the runtime's
/// bin folder so the runtime's PATH still finds it.
pub(crate) fn binary_artifact(cx: &Cx<'_>, exe: &str, output: &str, out: &mut RecipeOut) -> Artifact {
    let why = "the binary the image runs";
    let dir = output.rsplit_once('/').map_or("/", |(d, _)| if d.is_empty() { "/" } else { d });
    if exe.contains('/') || runtime_path(cx).iter().any(|d| d.trim_end_matches('/') == dir) {
        return Artifact::same(output, why);
    }
    let bin = &cx.table.ecosystems.path.runtime_bin;
    let to = format!("{}/{exe}", bin.trim_end_matches('/'));
    out.note(Code::Copy, format!("`{exe}` is found through PATH in {dir}, which is not on the runtime's PATH: copied to {to}"));
    Artifact { from: output.to_string(), to, why: why.to_string() }
}

/// Resolves the program to one of the outputs: each command it runs (through `sh -c` and
/// shell-form scripts), relative names against WORKDIR, bare names through the builder's PATH.
/// Returns the command's program as written and the output.
pub(crate) fn resolve_program(cx: &Cx<'_>, outputs: &[String]) -> Option<(String, String)> {
    let path = builder_path(cx);
    program_commands(cx.view, cx.program).into_iter().filter_map(|c| c.into_iter().next()).find_map(|exe| {
        let o = go::resolve(&exe, &cx.program.workdir, outputs, &path)?;
        Some((exe, o))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::image::ImageRef;

    /// Runs the recipe of the file's ecosystem on `text` with the build-context `files`.
    fn run(text: &str, files: &[(&str, &str)]) -> Result<RecipeOut, Reason> {
        let dir = tempfile::tempdir().unwrap();
        for (p, c) in files {
            let p = dir.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, c).unwrap();
        }
        let doc = Document::parse(text).unwrap();
        let st = &doc.stages[0];
        let view = StageView::new(&doc, st.from, st.end, Some(dir.path()));
        let table = Table::builtin();
        let pair = table.lookup("upstream", &ImageRef::parse(st.image.as_deref().unwrap()).unwrap(), None).unwrap();
        let program = view.program().unwrap();
        let (runtime_facts, builder_facts) = (table.facts(&pair.runtime), table.facts(&pair.builder));
        let cx = Cx { view: &view, program: &program, pair: &pair, runtime_facts: &runtime_facts, builder_facts: &builder_facts, table: &table };
        for_ecosystem(&pair.ecosystem).unwrap().analyze(&cx)
    }

    fn skipped(text: &str, files: &[(&str, &str)]) -> Reason {
        run(text, files).err().unwrap_or_else(|| panic!("not skipped: {text}"))
    }

    #[test]
    fn dev_servers_and_test_runners_are_dev_images_in_every_recipe() {
        let quarkus = skipped("FROM eclipse-temurin:21\nWORKDIR /app\nCOPY . .\nRUN ./mvnw -B package\nCMD [\"./mvnw\", \"quarkus:dev\"]\n", &[]);
        assert_eq!(quarkus.code, Code::DevImage, "{quarkus:?}");
        let fastapi = skipped("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install fastapi\nCMD fastapi dev main.py\n", &[]);
        assert_eq!(fastapi.code, Code::DevImage);
        let pw = skipped("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"sh\", \"-c\", \"npx playwright test\"]\n", &[("package.json", "{}")]);
        assert_eq!(pw.code, Code::DevImage);
        let next = skipped(
            "FROM node:20\nWORKDIR /data\nCOPY . .\nRUN npm install\nCMD [ \"/bin/bash -c 'npm run dev'\" ]\n",
            &[("package.json", r#"{"scripts":{"dev":"next dev"}}"#)],
        );
        assert!(next.code == Code::DevImage && next.message.contains("`npm run dev` runs `next dev`"), "{next:?}");
        let t = Table::builtin();
        assert_eq!(dev_base_image("mcr.microsoft.com/playwright:v1.62.1-noble", &t).unwrap_err().code, Code::DevImage);
        assert!(dev_base_image("node:20", &t).is_ok());
        // `vite` is a word, not a prefix: vitest in a build script is not a dev server.
        let ok = run("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"vitest-report.js\"]\n", &[("package.json", "{}")]);
        assert!(ok.is_ok(), "{ok:?}");
    }

    #[test]
    fn the_start_chain_through_package_json_keeps_dev_dependencies() {
        let pkg = r#"{"scripts":{"start":"tsc && node dist/index.js"},"devDependencies":{"typescript":"5"}}"#;
        let out = run("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"npm\", \"start\"]\n", &[("package.json", pkg)]).unwrap();
        assert!(out.builder_finale.is_empty(), "{:?}", out.builder_finale);
        assert!(out.review.iter().any(|r| r.code == Code::Dependencies && r.message.contains("typescript")), "{:?}", out.review);
    }

    #[test]
    fn the_manifest_is_the_one_the_stage_copies() {
        let text = "FROM node:20\nWORKDIR /opt/svc\nCOPY service/package*.json ./\nRUN npm install\nCOPY service .\nCMD [\"node\", \"server.js\"]\n";
        let out = run(text, &[("service/package.json", r#"{"devDependencies":{"jest":"29"}}"#)]).unwrap();
        assert_eq!(out.builder_finale, ["RUN npm prune --omit=dev"]);
        assert!(out.review.is_empty(), "{:?}", out.review);
    }

    #[test]
    fn build_deps_purged_in_the_same_run_are_no_gain() {
        let r = skipped(
            "FROM ruby:3.3-alpine\nRUN apk add --no-cache --virtual .build-deps build-base && gem install cloudapp && apk del .build-deps\nENTRYPOINT [\"cloudapp\"]\n",
            &[],
        );
        assert_eq!(r.code, Code::NoGain, "{r:?}");
        let r = skipped("FROM ruby:3.3-alpine\nRUN apk add build-base && gem install cloudapp\nENTRYPOINT [\"cloudapp\"]\n", &[]);
        assert_eq!(r.code, Code::AppInRoot, "{r:?}");
    }

    #[test]
    fn go_builds_by_make_are_unknown_outputs() {
        let r = skipped("FROM golang:1.22\nWORKDIR /w\nCOPY . .\nRUN make all && cp bin/* /usr/bin/\nENTRYPOINT [\"cfssl\"]\n", &[]);
        assert_eq!(r.code, Code::UnknownOutput);
        assert!(r.message.contains("built by make"), "{r:?}");
    }

    #[test]
    fn go_mod_init_names_the_install_and_bare_names_move_onto_the_runtime_path() {
        let out =
            run("FROM golang:1.22\nWORKDIR /go/src/app\nCOPY *.go .\nRUN go mod init example.com/dispatch && go get\nRUN go install\nCMD dispatch\n", &[])
                .unwrap();
        assert_eq!(
            out.artifacts[0],
            Artifact { from: "/go/bin/dispatch".into(), to: "/usr/local/bin/dispatch".into(), why: "the binary the image runs".into() }
        );
        // On the runtime's PATH already (through the file's own ENV PATH): copied as is.
        let out = run("FROM golang:1.22\nENV PATH=/go/bin:$PATH\nWORKDIR /src\nCOPY . .\nRUN go install ./cmd/x\nCMD [\"x\"]\n", &[]).unwrap();
        assert_eq!(out.artifacts[0], Artifact::same("/go/bin/x", "the binary the image runs"));
    }

    #[test]
    fn a_static_go_rewrite_makes_the_alpine_cgo_note_moot() {
        let out =
            run("FROM golang:1.15-alpine\nWORKDIR /app\nADD . /app\nRUN go build -o app\nENTRYPOINT [\"/app/app\"]\n", &[("go.mod", "module app\n")]).unwrap();
        assert_eq!(out.builder_prelude, ["ENV CGO_ENABLED=0"]);
        assert!(out.moot_pair_notes.iter().any(|n| n.contains("cgo")), "{:?}", out.moot_pair_notes);
    }

    #[test]
    fn copies_after_the_build_and_programs_inside_shell_loops_are_followed() {
        let cargo = [("service/Cargo.toml", "[package]\nname = \"svc\"\n")];
        let out = run(
            "FROM rust:1.80\nCOPY service /opt/svc\nWORKDIR /opt/svc\nRUN cargo build --release && cp target/release/svc .\nENTRYPOINT [\"/opt/svc/svc\"]\n",
            &cargo,
        )
        .unwrap();
        assert_eq!(out.artifacts[0].from, "/opt/svc/svc");
        let out = run(
            "FROM rust:1.80\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nENTRYPOINT while true; do ./target/release/x; done\n",
            &[("Cargo.toml", "[package]\nname = \"x\"\n")],
        )
        .unwrap();
        assert_eq!(out.artifacts[0].from, "/app/target/release/x");
        let mut outputs = vec!["/src/build/server".to_string()];
        let doc = Document::parse("FROM a\nWORKDIR /src\nRUN mv build/server /srv/ && install -m 755 /srv/server /usr/local/bin/srv\n").unwrap();
        let view = StageView::new(&doc, 0, doc.instructions.len(), None);
        follow_copies(&view, &mut outputs, &[]);
        assert_eq!(outputs, ["/srv/server", "/usr/local/bin/srv"]);
    }

    #[test]
    fn python_reuses_the_files_venv_and_a_non_root_user_installs_into_its_home() {
        let out = run(
            "FROM python:3.12\nRUN python -m venv /venv\nENV PATH=/venv/bin:$PATH\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"gunicorn\", \"app:app\"]\n",
            &[],
        )
        .unwrap();
        assert!(out.builder_prelude.is_empty());
        assert_eq!(out.artifacts.iter().map(|a| a.from.as_str()).collect::<Vec<_>>(), ["/venv", "/app"]);
        let out = run(
            "FROM python:3.12\nRUN useradd -m -d /srv/u appuser\nWORKDIR /app\nCOPY . .\nUSER appuser\nRUN pip install -r requirements.txt\nCMD [\"python3\", \"a.py\"]\n",
            &[],
        )
        .unwrap();
        assert!(out.builder_prelude.is_empty());
        assert_eq!(out.artifacts[0].from, "/srv/u/.local");
        let r = skipped("FROM python:3.12\nWORKDIR /app\nCOPY . .\nUSER 1000\nRUN poetry install\nCMD [\"python3\", \"a.py\"]\n", &[]);
        assert_eq!(r.code, Code::UnknownOutput, "{r:?}");
    }
}
