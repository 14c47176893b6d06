//! The runtime safety pass, shared by every ecosystem: what the single stage relied on that a
//! fresh runtime stage would lose (shell, tools, users, OS packages, preset entrypoints).

use super::packages;
use super::stage::{Program, StageView, basename, is_shell};
use crate::document::{Command, Details, Instruction, Kind, shell_words};
use crate::knowledge::Facts;
use crate::outcome::{Code, Reason};

#[derive(Debug, Default)]
pub struct Safety {
    /// Lines added to the runtime header before the copies (package installs, users).
    pub header_before_copy: Vec<String>,
    /// Lines added after the copies (USER).
    pub header_after_copy: Vec<String>,
    /// Build-only OS packages the runtime does not get.
    pub dropped: Vec<String>,
    /// `--chown` for the copies.
    pub chown: Option<String>,
    /// Replacement of a USER value: (instruction index, new value).
    pub user_rewrites: Vec<(usize, String)>,
    pub notes: Vec<Reason>,
    pub review: Vec<Reason>,
}

impl Safety {
    fn note(&mut self, code: Code, message: impl Into<String>) {
        self.notes.push(Reason::new(code, message));
    }
    fn review(&mut self, code: Code, message: impl Into<String>) {
        self.review.push(Reason::new(code, message));
    }
}

/// True when a shell-form command can run as exec form with the same meaning.
pub fn is_simple(s: &str) -> bool {
    !s.contains(['|', '&', ';', '<', '>', '(', ')', '$', '`', '*', '?', '[', ']', '~', '{', '}', '\\', '\n', '#', '='])
}

/// Does the program need `/bin/sh` in the runtime?
pub fn program_needs_shell(view: &StageView<'_>, p: &Program) -> Option<String> {
    let ins = &view.doc.instructions[p.instruction];
    if let Some(Command::Shell(s)) = ins.command()
        && !is_simple(s)
    {
        return Some(format!("the shell-form {} `{s}` needs a shell", kw(ins)));
    }
    if let Some(Command::Exec(v)) = ins.command()
        && v.len() >= 2
        && is_shell(&v[0])
    {
        return Some(format!("{} runs `{}`", kw(ins), v.join(" ")));
    }
    let exe = p.exe();
    if exe.ends_with(".sh") || basename(exe).contains("entrypoint") {
        return Some(format!("the program `{exe}` is a shell script"));
    }
    None
}

fn kw(ins: &Instruction) -> &'static str {
    match ins.kind {
        Kind::Entrypoint => "ENTRYPOINT",
        Kind::Healthcheck => "HEALTHCHECK",
        _ => "CMD",
    }
}

pub struct Input<'a> {
    pub view: &'a StageView<'a>,
    pub split: usize,
    pub facts: &'a Facts,
    pub runtime: &'a str,
    pub packages: &'a crate::knowledge::Packages,
    pub ecosystem: &'a str,
    /// The builder image (libraries it has the runtime may lack).
    pub builder: &'a str,
    /// The compose service that builds this file: its healthcheck and command count.
    pub compose: Option<&'a super::compose::ComposeUse>,
}

pub fn check(inp: &Input<'_>) -> Safety {
    let mut out = Safety::default();
    let view = inp.view;
    let invs = view.invocations();
    let mut keep: Vec<&str> = healthcheck_tools(inp, &mut out);
    let (compose_keep, needed) = compose_tools(inp, &mut out);
    keep.extend(compose_keep);
    // Programs installed as OS packages (tini, netcat …) must stay.
    let prog = view.program();
    if let Some(p) = &prog {
        for a in p.argv.iter().take(2) {
            keep.push(basename(a));
        }
    }
    // OS packages.
    let pk = packages::classify(invs, &keep, inp.packages, inp.ecosystem);
    out.dropped = pk.dropped.clone();
    let mut missing: Vec<String> = pk.runtime.clone();
    for (dep, libs) in native_libraries(inp) {
        let new: Vec<String> = libs.into_iter().filter(|l| !missing.contains(l) && !inp.facts.tools.contains(l)).collect();
        if !new.is_empty() {
            out.note(Code::Step, format!("{dep} is built against {}'s own headers: the runtime needs {}", inp.builder, new.join(", ")));
            missing.extend(new);
        }
    }
    missing.extend(needed.into_iter().filter(|n| !pk.runtime.contains(n)));
    let (mut missing, unmapped) = packages::for_runtime(missing, pk.manager.as_deref(), inp.facts.package_manager.as_deref(), inp.packages);
    if !unmapped.is_empty() {
        out.review(
            Code::RuntimePackages,
            format!("no RPM name known for {} (installed for the single stage): install what {} needs yourself", unmapped.join(", "), inp.runtime),
        );
    }
    missing.retain(|p| !inp.facts.tools.contains(p));
    if !missing.is_empty() {
        if inp.facts.has_package_manager() {
            let mgr = inp.facts.package_manager.clone().unwrap_or_default();
            out.header_before_copy.push(packages::install_line(&mgr, &missing));
            out.note(Code::Step, format!("runtime OS packages installed again: {}", missing.join(", ")));
        } else {
            out.review(
                Code::RuntimePackages,
                format!(
                    "OS packages installed for the single stage may be needed at runtime, and {} has no package manager: {}",
                    inp.runtime,
                    missing.join(", ")
                ),
            );
        }
    }
    if !pk.unknown_dev.is_empty() {
        out.review(Code::UnknownLibrary, format!("no runtime library known for {}: check what the program links", pk.unknown_dev.join(", ")));
    }
    users(inp, &mut out);
    out
}

/// Runtime libraries of dependencies built from source against headers the builder image
/// itself has (`[packages.native]`: psycopg2 → libpq-dev → libpq5 on Debian): the file
/// installed no `-dev` package, so only the dependency manifests say the runtime needs them.
fn native_libraries(inp: &Input<'_>) -> Vec<(String, Vec<String>)> {
    let Some(table) = inp.packages.native.get(inp.ecosystem) else { return Vec::new() };
    if super::value::same_image(inp.builder, inp.runtime) {
        return Vec::new();
    }
    let map = if inp.facts.package_manager.as_deref() == Some("apk") { &inp.packages.alpine } else { &inp.packages.debian };
    let mut deps = super::manifests::dependencies(inp.view, inp.ecosystem);
    deps.sort();
    deps.dedup();
    deps.into_iter()
        .filter_map(|d| {
            let libs: Vec<String> = table.get(&d)?.iter().filter_map(|dev| map.get(dev)).filter(|l| !l.is_empty()).cloned().collect();
            (!libs.is_empty()).then_some((d, libs))
        })
        .collect()
}

/// Users the build stage created: the runtime uses the numeric uid, or re-creates them (and
/// their groups) the same way when it has a shell and a package manager, or needs review.
fn users(inp: &Input<'_>, out: &mut Safety) {
    let (view, invs) = (inp.view, inp.view.invocations());
    // Users created in the build stage.
    let created: Vec<(String, Option<String>, Vec<String>)> = invs
        .iter()
        .filter(|i| i.is("useradd") || i.is("adduser"))
        .filter_map(|i| {
            let (name, uid) = crate::shell::created_user(&i.words)?;
            Some((name, uid, i.words.clone()))
        })
        .collect();
    let map_user = |out: &mut Safety, value: &str| -> String {
        let name = value.split(':').next().unwrap_or(value);
        // `USER 1000:1000` names the user `useradd --uid 1000 rails` created as much as `USER rails`.
        match created.iter().find(|(n, uid, _)| n == name || uid.as_deref() == Some(name)) {
            // Without a shell and a package manager the runtime cannot run useradd: the
            // numeric uid still works (no passwd entry, no home).
            Some((_, Some(uid), _)) if !(inp.facts.shell && inp.facts.has_package_manager()) => {
                out.note(Code::Step, format!("user {name} (uid {uid}) is created in the builder only: the runtime uses the numeric uid"));
                uid.clone()
            }
            Some((created_name, _, words)) => {
                if inp.facts.shell && inp.facts.has_package_manager() {
                    // Groups first (`groupadd --system rails` before `useradd --gid rails`), in one layer.
                    let quoted = |w: &[String]| w.iter().map(|w| crate::shell::quote(w)).collect::<Vec<_>>().join(" ");
                    let groups = invs.iter().filter(|i| i.is("groupadd") || i.is("addgroup")).map(|i| quoted(&i.words));
                    let line = format!("RUN {}", groups.chain(std::iter::once(quoted(words))).collect::<Vec<_>>().join(" && "));
                    if !out.header_before_copy.contains(&line) {
                        out.header_before_copy.push(line);
                    }
                    let who = if created_name == name { name.to_string() } else { format!("{created_name} ({name})") };
                    out.note(Code::Step, format!("user {who} is created again in the runtime"));
                } else {
                    out.review(Code::UserMissing, format!("user {name} is created in the builder and does not exist in {}", inp.runtime));
                }
                value.to_string()
            }
            None => value.to_string(),
        }
    };
    let mut last_user_before: Option<String> = None;
    for (i, ins) in view.instructions() {
        if ins.kind != Kind::User {
            continue;
        }
        let value = ins.args().to_string();
        if i < inp.split {
            last_user_before = Some(value);
        } else {
            let mapped = map_user(out, &value);
            if mapped != value {
                out.user_rewrites.push((i, mapped));
            }
        }
    }
    let user_after = view.instructions().any(|(i, ins)| i >= inp.split && ins.kind == Kind::User);
    if let Some(u) = last_user_before
        && !matches!(u.as_str(), "root" | "0" | "0:0")
    {
        let mapped = map_user(out, &u);
        out.chown = Some(mapped.clone());
        if !user_after {
            out.header_after_copy.push(format!("USER {mapped}"));
        }
    }
}

/// Tools the Dockerfile's HEALTHCHECK calls: kept, and named when the runtime lacks them.
fn healthcheck_tools<'a>(inp: &Input<'a>, out: &mut Safety) -> Vec<&'a str> {
    let invs = inp.view.invocations();
    let mut keep = Vec::new();
    for (_, ins) in inp.view.instructions() {
        if ins.kind != Kind::Healthcheck {
            continue;
        }
        let Some(cmd) = ins.command() else { continue };
        let words = match cmd {
            Command::Exec(v) => v.clone(),
            Command::Shell(s) => {
                if !inp.facts.shell {
                    out.review(Code::NoShell, format!("the shell-form HEALTHCHECK `{s}` needs a shell, which {} does not have", inp.runtime));
                }
                shell_words(s, '\\')
            }
        };
        for tool in inp.packages.run_tools.keys().map(String::as_str) {
            if words.iter().any(|w| basename(w) == tool) {
                keep.push(tool);
                let installed =
                    invs.iter().filter(|i| packages::manager_of(i).is_some()).any(|i| i.operands(&[]).any(|w| w == tool || w.starts_with(&format!("{tool}="))));
                let has = inp.facts.tools.iter().any(|t| t == tool);
                if !(has || installed && inp.facts.has_package_manager()) {
                    out.review(Code::ToolMissing, format!("HEALTHCHECK uses {tool}, which {} does not have", inp.runtime));
                }
            }
        }
    }
    keep
}

/// Tools the compose service's healthcheck and command call: kept, and installed on the
/// runtime when the single stage had them from its base image (returned as `needed`).
fn compose_tools<'a>(inp: &Input<'a>, out: &mut Safety) -> (Vec<&'a str>, Vec<String>) {
    let (mut keep, mut needed) = (Vec::new(), Vec::new());
    let Some(c) = inp.compose else { return (keep, needed) };
    let invs = inp.view.invocations();
    for (tool, package) in &inp.packages.run_tools {
        let tool = tool.as_str();
        if !c.run_words.iter().any(|w| basename(w) == tool) {
            continue;
        }
        keep.push(tool);
        let installed = invs.iter().filter(|i| packages::manager_of(i).is_some()).any(|i| i.operands(&[]).any(|w| w == tool));
        let has = inp.facts.tools.iter().any(|t| t == tool);
        if !has && inp.facts.has_package_manager() {
            if !installed {
                needed.push(package.clone());
            }
        } else if !has {
            out.review(
                Code::ToolMissing,
                format!("{} (service `{}`) calls {tool}, which {} does not have and cannot install", c.file.display(), c.service, inp.runtime),
            );
        }
    }
    (keep, needed)
}

/// Files a RUN downloads to an absolute path (`wget -O /bin/x`, `curl -o /usr/local/bin/x`):
/// runtime data the builder would otherwise swallow (e.g. grpc_health_probe).
pub fn fetched_files(view: &StageView<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for inv in view.invocations() {
        if !inv.is("wget") && !inv.is("curl") {
            continue;
        }
        let flag = if inv.is("wget") { 'O' } else { 'o' };
        for (k, w) in inv.words.iter().enumerate() {
            let short = w.starts_with('-') && !w.starts_with("--") && w.contains(flag);
            let long = w == "--output" || w == "--output-document";
            let path = if let Some(p) = w.strip_prefix("--output-document=").or_else(|| w.strip_prefix("--output=")) {
                Some(p.to_string())
            } else if short || long {
                let after = if short { w.split(flag).nth(1).unwrap_or("") } else { "" };
                if after.is_empty() { inv.words.get(k + 1).cloned() } else { Some(after.to_string()) }
            } else {
                None
            };
            if let Some(p) = path.filter(|p| p.starts_with('/') && !p.starts_with("/tmp") && p != "/dev/null" && p != "-")
                && !out.contains(&p)
            {
                out.push(p);
            }
        }
    }
    out
}

/// CMD argv with a runtime's preset ENTRYPOINT prefix removed (`java -jar x.jar` → `x.jar`).
pub fn strip_preset(argv: &[String], preset: &[String]) -> Option<Vec<String>> {
    let same = |a: &str, b: &str| {
        let (a, b) = (basename(a), basename(b));
        a == b || (a.starts_with("python") && b.starts_with("python"))
    };
    if preset.is_empty() || argv.len() < preset.len() {
        return None;
    }
    if !same(&argv[0], &preset[0]) || argv[1..preset.len()] != preset[1..] {
        return None;
    }
    Some(argv[preset.len()..].to_vec())
}

/// The details of a CMD/ENTRYPOINT as an argv (shell form split into words).
pub fn argv_of(ins: &Instruction) -> Option<Vec<String>> {
    match &ins.details {
        Details::Command(Command::Exec(v)) => Some(v.clone()),
        Details::Command(Command::Shell(s)) => Some(shell_words(s, '\\')),
        _ => None,
    }
}
