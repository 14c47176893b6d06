//! A view of the single build stage: WORKDIR / ENV in effect at each instruction, the program
//! the image runs (CMD / ENTRYPOINT resolved against WORKDIR and PATH) and shell-command
//! segmentation for recipes.

use crate::document::{Command, Details, Document, Instruction, Kind, expand_vars_limited, shell_words, split_assignments};
pub use crate::shell::{Invocation, basename, is_assignment, is_shell, join, option_value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

/// Linux's PATH_MAX: a longer WORKDIR cannot be created, so the build fails there; the view
/// stops following WORKDIR / `cd` past it (which also bounds the work per instruction).
pub const PATH_MAX: usize = 4096;

/// WORKDIR in effect at each instruction. Instructions share one string per WORKDIR (a
/// long path followed by many instructions would otherwise be copied for each of them);
/// indexing gives a `&String` like the `Vec<String>` it replaces.
#[derive(Debug, Clone)]
pub struct Workdirs(Vec<Arc<String>>);

impl std::ops::Index<usize> for Workdirs {
    type Output = String;
    fn index(&self, i: usize) -> &String {
        &self.0[i]
    }
}

impl Workdirs {
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// How many distinct strings back the view (tests check that sharing works).
    pub fn distinct(&self) -> usize {
        let mut n = 0;
        for (i, w) in self.0.iter().enumerate() {
            if i == 0 || !Arc::ptr_eq(w, &self.0[i - 1]) {
                n += 1;
            }
        }
        n
    }
}

pub struct StageView<'a> {
    pub doc: &'a Document,
    /// Document index of the FROM.
    pub from: usize,
    /// Document index one past the stage's last instruction.
    pub end: usize,
    /// WORKDIR in effect *at* each instruction (index relative to the document).
    pub workdir: Workdirs,
    /// ENV assignments in effect at the end of the stage.
    pub env: Vec<(String, String)>,
    pub context: Option<&'a Path>,
    /// Every simple command of every RUN, computed once (recipes and the safety pass all read it).
    invocations: Vec<Invocation>,
    /// What the checks ask again with the same inputs (the dev-image check before the pair
    /// lookup and in the recipe, package.json per folder): worked out once per stage.
    pub(crate) memo: Memo,
}

/// The commands a program runs with package.json scripts expanded, each with the command
/// that ran its script (see `recipes::expanded_commands`).
pub type Expanded = Vec<(Vec<String>, Option<String>)>;

/// The program fields the expanded commands depend on.
#[derive(PartialEq, Eq)]
pub(crate) struct ProgramKey {
    instruction: usize,
    argv: Vec<String>,
    workdir: String,
}

impl ProgramKey {
    pub(crate) fn of(p: &Program) -> ProgramKey {
        ProgramKey { instruction: p.instruction, argv: p.argv.clone(), workdir: p.workdir.clone() }
    }
    pub(crate) fn is(&self, p: &Program) -> bool {
        self.instruction == p.instruction && self.argv == p.argv && self.workdir == p.workdir
    }
}

/// The package.json the stage put in a folder: its build-context path (`package.json` when
/// none is found) and its parsed text.
pub struct PackageJson {
    pub manifest: String,
    pub value: Option<serde_json::Value>,
}

/// Per-stage answers, filled on first use.
#[derive(Default)]
pub(crate) struct Memo {
    pub(crate) expanded: RefCell<Option<(ProgramKey, Rc<Expanded>)>>,
    /// The program that passed the dev-image check against every ecosystem's list.
    pub(crate) no_dev_server: RefCell<Option<ProgramKey>>,
    pub(crate) package_json: RefCell<Vec<(String, Rc<PackageJson>)>>,
    pub(crate) program: std::cell::OnceCell<Option<Program>>,
}

impl<'a> StageView<'a> {
    pub fn new(doc: &'a Document, from: usize, end: usize, context: Option<&'a Path>) -> StageView<'a> {
        // Linear in the stage: ENV lookups by name, one shared WORKDIR string per change,
        // expansions charged to a budget proportional to the file (`ENV A=$A$A` doubles).
        let root = Arc::new("/".to_string());
        let mut workdir = vec![root.clone(); doc.instructions.len()];
        let mut cur = root;
        let mut budget = crate::document::expansion_budget(&doc.text);
        // Every assignment in order, and the index of the latest one per name.
        let mut assigned: Vec<(String, String)> = Vec::new();
        let mut latest: HashMap<String, usize> = HashMap::new();
        let mut expand = |s: &str, assigned: &[(String, String)], latest: &HashMap<String, usize>| match expand_vars_limited(
            s,
            &|n| latest.get(n).map(|&k| assigned[k].1.clone()),
            budget,
        ) {
            Some(v) => {
                budget -= v.len();
                v
            }
            None => s.to_string(),
        };
        for i in from..end {
            let ins = &doc.instructions[i];
            workdir[i] = cur.clone();
            match ins.kind {
                Kind::Workdir => {
                    let w = expand(ins.args().trim_matches('"'), &assigned, &latest);
                    let next = join(&cur, &w);
                    if next.len() <= PATH_MAX && next != *cur {
                        cur = Arc::new(next);
                    }
                }
                Kind::Env => {
                    for (k, v) in split_assignments(ins.args(), doc.escape) {
                        let v = expand(&v.unwrap_or_default(), &assigned, &latest);
                        latest.insert(k.clone(), assigned.len());
                        assigned.push((k, v));
                    }
                }
                _ => {}
            }
            if i + 1 < workdir.len() {
                workdir[i + 1] = cur.clone();
            }
        }
        // In effect at the end: each name once, ordered by its latest assignment.
        let env = assigned.into_iter().enumerate().filter(|(k, (n, _))| latest.get(n) == Some(k)).map(|(_, a)| a).collect();
        let mut view = StageView { doc, from, end, workdir: Workdirs(workdir), env, context, invocations: Vec::new(), memo: Memo::default() };
        view.invocations = view.collect_invocations();
        view
    }

    pub fn instructions(&self) -> impl Iterator<Item = (usize, &'a Instruction)> + '_ {
        (self.from + 1..self.end).map(|i| (i, &self.doc.instructions[i]))
    }

    pub fn env(&self, name: &str) -> Option<&str> {
        self.env.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Every simple command of every RUN, with `cd` followed inside the RUN.
    pub fn invocations(&self) -> &[Invocation] {
        &self.invocations
    }

    fn collect_invocations(&self) -> Vec<Invocation> {
        self.instructions().filter(|(_, ins)| ins.kind == Kind::Run).flat_map(|(i, _)| crate::shell::invocations(self.doc, i, &self.workdir[i])).collect()
    }

    /// The last CMD / ENTRYPOINT of the stage, combined like the engine does (worked out
    /// once: the guards and the safety pass both ask).
    pub fn program(&self) -> Option<Program> {
        self.memo.program.get_or_init(|| self.find_program()).clone()
    }

    fn find_program(&self) -> Option<Program> {
        let mut entry: Option<(usize, Command)> = None;
        let mut cmd: Option<(usize, Command)> = None;
        for (i, ins) in self.instructions() {
            match (&ins.kind, &ins.details) {
                (Kind::Entrypoint, Details::Command(c)) => {
                    entry = Some((i, c.clone()));
                    cmd = None; // ENTRYPOINT resets CMD
                }
                (Kind::Cmd, Details::Command(c)) => cmd = Some((i, c.clone())),
                _ => {}
            }
        }
        let entry = entry.filter(|(_, c)| !matches!(c, Command::Exec(v) if v.is_empty()));
        let (idx, first) = entry.clone().or_else(|| cmd.clone())?;
        let argv: Vec<String> = match &first {
            Command::Exec(v) => v.clone(),
            Command::Shell(s) => shell_words(s, '\\'),
        };
        let mut argv = argv;
        if entry.is_some()
            && let Some((_, Command::Exec(c))) = &cmd
        {
            argv.extend(c.iter().cloned());
        }
        // `sh -c "…"`, `/bin/bash -c …`: look inside.
        if argv.len() >= 3 && is_shell(&argv[0]) && argv[1] == "-c" {
            argv = shell_words(&argv[2], '\\');
        }
        let workdir = self.workdir[idx].clone();
        Some(Program { argv, workdir, shell_form: matches!(first, Command::Shell(_)), instruction: idx, from_platform: None })
    }
}

#[derive(Debug, Clone)]
pub struct Program {
    pub argv: Vec<String>,
    pub workdir: String,
    pub shell_form: bool,
    pub instruction: usize,
    /// Where the command comes from when the file has no CMD/ENTRYPOINT and the platform
    /// supplies it (`Procfile`, `app.yaml`, compose `command:`); `instruction` is then the
    /// split instruction and nothing about the program is rewritten.
    pub from_platform: Option<String>,
}

impl Program {
    pub fn exe(&self) -> &str {
        self.argv.first().map_or("", String::as_str)
    }
    /// Absolute path of an argument that names a file (relative ones against WORKDIR).
    pub fn path_of(&self, arg: &str) -> String {
        join(&self.workdir, arg)
    }
}

/// `$VAR` / `${VAR}` from earlier ENV; unknown variables are left as written.
pub fn expand(s: &str, env: &[(String, String)]) -> String {
    crate::document::expand_vars(s, &|n| env.iter().rev().find(|(k, _)| k == n).map(|(_, v)| v.clone())).unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_commands() {
        assert_eq!(join("/app", "./bin/../server"), "/app/server");
        assert_eq!(join("/app", "/usr/bin/x"), "/usr/bin/x");
        let w: Vec<String> = ["go", "build", "-o=/x", "."].iter().map(|s| s.to_string()).collect();
        assert_eq!(option_value(&w, &["-o"]), Some("/x"));
    }

    #[test]
    fn program_resolution() {
        let d = Document::parse("FROM a\nWORKDIR /app\nRUN cd sub && make\nENTRYPOINT [\"./srv\"]\nCMD [\"--port\", \"8\"]\n").unwrap();
        let v = StageView::new(&d, 0, d.instructions.len(), None);
        let p = v.program().unwrap();
        assert_eq!(p.argv, ["./srv", "--port", "8"]);
        assert_eq!(p.path_of(p.exe()), "/app/srv");
        assert_eq!(v.invocations()[0].cwd, "/app/sub");
    }
}
