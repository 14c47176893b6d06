//! Python: dependencies go to a virtualenv at a fixed path created at the top of the builder
//! (`/opt/venv`), which the runtime receives at the same path with the app folder. The
//! venv's interpreter link must exist in the runtime, so the pair keeps the Python minor
//! version and the interpreter path is checked against the runtime facts.

use super::{Artifact, Cx, Recipe, RecipeOut, app_dir, dev_image, skip};
use crate::document::Kind;
use crate::outcome::{Code, Reason};
use crate::shell::{Invocation, join};

pub struct Python;

pub const VENV: &str = "/opt/venv";

impl Recipe for Python {
    fn id(&self) -> &'static str {
        "python"
    }

    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, Reason> {
        let mut out = RecipeOut::default();
        dev_image(cx.view, cx.program, cx.table, Some(self.id()))?;
        let invs = cx.view.invocations();
        let tool = invs.iter().find_map(|i| {
            if is_pip(i) {
                Some("pip")
            } else if i.is_sub("poetry", &["install"]) {
                Some("poetry")
            } else if i.is_sub("pipenv", &["install"]) {
                Some("pipenv")
            } else if i.is_sub("uv", &["sync", "pip"]) {
                Some("uv")
            } else {
                None
            }
        });
        let Some(tool) = tool else { return Err(skip(Code::NoBuildOutput, "no dependency install step (pip, poetry, pipenv, uv)")) };
        let app = app_dir(cx)?;
        if tool == "uv" && (cx.env("UV_SYSTEM_PYTHON").is_some_and(|v| v == "1" || v == "true") || invs.iter().any(|i| i.is("uv") && i.has("--system"))) {
            return Err(skip(
                Code::UnknownOutput,
                "uv installs into the system Python (UV_SYSTEM_PYTHON / --system): the packages land in its site-packages, outside any folder restage can copy",
            ));
        }
        let install = invs.iter().find(|i| is_install(i)).map_or(0, |i| i.instruction);
        let user = user_at(cx, install);
        if let Some(venv) = existing_venv(invs) {
            // The file makes its own virtualenv: that one is copied, no second one is added.
            if !venv.starts_with(&format!("{}/", app.trim_end_matches('/'))) {
                out.artifacts.push(Artifact::same(venv.clone(), "the virtualenv the file creates"));
            }
            out.note(Code::Step, format!("{tool} installs into the file's own virtualenv {venv}, copied as is"));
        } else if invs.iter().any(|i| is_pip(i) && i.has("--user")) || (tool == "pip" && user.is_some()) {
            // `pip install --user`, or pip run by a non-root USER: system site-packages is not
            // writable, so pip installs into that user's ~/.local.
            let who = user.clone().unwrap_or_else(|| "root".into());
            let Some(home) = home_of(cx, &who) else {
                return Err(skip(
                    Code::UnknownOutput,
                    format!("pip installs as user {who}, whose home folder is not known: cannot tell where the packages go"),
                ));
            };
            out.artifacts.push(Artifact::same(format!("{home}/.local"), format!("packages pip installed into the home of {who}")));
            out.note(Code::Step, format!("pip runs as {who}: packages go to {home}/.local, copied with the user's ownership"));
            if !invs.iter().any(|i| is_pip(i) && i.has("--user")) {
                out.note(Code::Step, format!("USER {who} cannot write the system site-packages: pip falls back to a user install"));
            }
            out.review(Code::Dependencies, format!("packages installed into {home}/.local: the runtime must run as {who} with the same HOME"));
        } else if tool == "uv" && invs.iter().any(|i| i.is_sub("uv", &["sync"])) {
            out.note(Code::Step, "uv sync installs into the project's .venv, copied with the app");
            // The runtime has no uv: `uv run X …` becomes the venv's X.
            let venv = cx.env("UV_PROJECT_ENVIRONMENT").map_or_else(|| format!("{}/.venv", app.trim_end_matches('/')), |v| crate::shell::join(&app, v));
            if let Some(argv) = uv_run_in_venv(&cx.program.argv, &venv) {
                out.note(Code::Program, format!("`{}` runs `{}`: the runtime has no uv", cx.program.argv.join(" "), argv.join(" ")));
                out.program_argv = Some(argv);
            }
        } else if let Some(who) = user {
            // A venv made by root at the top of the builder is not writable by this user.
            return Err(skip(
                Code::UnknownOutput,
                format!("{tool} installs as user {who}: a virtualenv created by root would not be writable, and where {tool} installs instead is not known"),
            ));
        } else if is_python2(&cx.pair.builder) {
            // `python -m venv` does not exist before Python 3.3.
            return Err(skip(
                Code::UnknownOutput,
                format!(
                    "{} is Python 2, which has no venv module: {tool} installs into the system site-packages, which a split does not copy",
                    cx.pair.builder
                ),
            ));
        } else {
            out.builder_prelude.push(format!("RUN python -m venv {VENV}"));
            out.builder_prelude.push(format!("ENV VIRTUAL_ENV={VENV} PATH=\"{VENV}/bin:$PATH\""));
            out.runtime_lines.push(format!("ENV VIRTUAL_ENV={VENV} PATH=\"{VENV}/bin:$PATH\""));
            out.artifacts.push(Artifact::same(VENV, format!("dependencies installed by {tool} into a virtualenv")));
            out.note(Code::Step, format!("{tool} installs into the virtualenv {VENV} created at the top of the builder"));
            let poetry_system = invs.iter().any(|i| i.is_sub("poetry", &["config"]) && i.has("virtualenvs.create") && i.has("false"));
            if tool == "poetry" && poetry_system {
                out.note(Code::Step, format!("`poetry config virtualenvs.create false`: poetry installs into the active virtualenv {VENV}"));
            } else if tool != "pip" {
                out.review(Code::Dependencies, format!("{tool} must install into the active virtualenv (VIRTUAL_ENV={VENV}); check its settings"));
            }
        }
        if invs.iter().any(|i| is_pip(i) && i.has_flag(&["--target", "--prefix"])) {
            out.review(Code::Dependencies, "pip --target/--prefix installs outside the virtualenv");
        }
        if let (Some(run), Some(build)) = (&cx.runtime_facts.interpreter, &cx.builder_facts.interpreter)
            && run != build
        {
            out.review(Code::Interpreter, format!("the runtime's Python is {run}, the builder's {build}: the virtualenv's links point at the builder's"));
        }
        out.artifacts.push(Artifact::same(app, "the application folder"));
        Ok(out)
    }
}

/// A Python 2 image (`python:2.7`, `python:2`): its tag's version is 2.x.
fn is_python2(image: &str) -> bool {
    let tag = crate::image::ImageRef::parse(image).and_then(|r| r.tag).unwrap_or_default();
    let version = crate::image::split_version(&tag).0;
    version == "2" || version.starts_with("2.")
}

/// A dependency install step of any tool.
fn is_install(i: &Invocation) -> bool {
    is_pip(i) || i.is_sub("poetry", &["install"]) || i.is_sub("pipenv", &["install"]) || i.is_sub("uv", &["sync", "pip"])
}

/// The virtualenv the file creates itself (`python -m venv /venv`, `virtualenv /venv`,
/// `uv venv /venv`), as an absolute path.
fn existing_venv(invs: &[Invocation]) -> Option<String> {
    invs.iter().find_map(|i| {
        let ops: Vec<&str> = i.args().iter().map(String::as_str).filter(|w| !w.starts_with('-')).collect();
        let dir = if i.tool_starts_with("python") && i.has("-m") {
            match ops.as_slice() {
                ["venv" | "virtualenv", d, ..] => Some(*d),
                _ => None,
            }
        } else if i.is("virtualenv") {
            ops.first().copied()
        } else if i.is_sub("uv", &["venv"]) {
            Some(ops.get(1).copied().unwrap_or(".venv"))
        } else {
            None
        };
        dir.map(|d| join(&i.cwd, d))
    })
}

/// The non-root USER the file sets before instruction `index`, if any. (The builder image's
/// own default user is left out: the table's presets choose builders whose tools run as it.)
fn user_at(cx: &Cx<'_>, index: usize) -> Option<String> {
    let user = cx.view.instructions().filter(|(i, ins)| *i < index && ins.kind == Kind::User).last().map(|(_, ins)| ins.args().trim().to_string())?;
    let name = user.split(':').next().unwrap_or_default().to_string();
    (!matches!(name.as_str(), "" | "root" | "0")).then_some(name)
}

/// The home folder of `user`: ENV HOME, the `-d`/`--home` of the `useradd`/`adduser` that
/// creates it, `/home/<user>` for a created user, `/root` for root.
fn home_of(cx: &Cx<'_>, user: &str) -> Option<String> {
    if user == "root" {
        return Some(cx.env("HOME").unwrap_or("/root").to_string());
    }
    if let Some(h) = cx.view.env("HOME") {
        return Some(h.to_string());
    }
    let created =
        cx.view.invocations().iter().find(|i| (i.is("useradd") || i.is("adduser")) && crate::shell::created_user(&i.words).is_some_and(|(n, _)| n == user))?;
    Some(created.option(&["-d", "--home", "--home-dir", "-h"]).map_or_else(|| format!("/home/{user}"), str::to_string))
}

/// `pip install`, `pip3.12 install`, `python -m pip install`.
pub(super) fn is_pip(i: &Invocation) -> bool {
    (i.tool_starts_with("pip") && i.sub() == Some("install")) || (i.tool_starts_with("python") && i.has("pip") && i.has("install"))
}

/// `uv run [OPTIONS] X ARGS…` → `VENV/bin/X ARGS…` (the options uv takes before the command,
/// `--frozen`, `--no-dev`, `--with x` …, are dropped). None when the program is not `uv run`.
fn uv_run_in_venv(argv: &[String], venv: &str) -> Option<Vec<String>> {
    if argv.first().map(|a| crate::shell::basename(a)) != Some("uv") || argv.get(1).map(String::as_str) != Some("run") {
        return None;
    }
    const VALUED: &[&str] = &["--with", "--python", "-p", "--project", "--directory", "--env-file", "--group", "--extra", "--package", "--index"];
    let mut rest = argv[2..].iter().peekable();
    while let Some(w) = rest.peek() {
        if !w.starts_with('-') {
            break;
        }
        let takes_value = VALUED.contains(&w.as_str());
        rest.next();
        if takes_value {
            rest.next();
        }
    }
    let exe = rest.next()?;
    let exe = if exe.contains('/') { exe.clone() } else { format!("{venv}/bin/{exe}") };
    Some(std::iter::once(exe).chain(rest.cloned()).collect())
}

#[cfg(test)]
mod uv_tests {
    #[test]
    fn uv_run_becomes_the_venv_program() {
        let argv = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        assert_eq!(super::uv_run_in_venv(&argv("uv run --frozen --with x python app.py"), "/app/.venv"), Some(argv("/app/.venv/bin/python app.py")));
        assert_eq!(super::uv_run_in_venv(&argv("uv run fastapi run src/main.py"), "/app/.venv"), Some(argv("/app/.venv/bin/fastapi run src/main.py")));
        assert_eq!(super::uv_run_in_venv(&argv("python app.py"), "/app/.venv"), None);
    }

    #[test]
    fn python_2_images_are_told_apart() {
        assert!(super::is_python2("python:2.7-slim"));
        assert!(super::is_python2("python:2"));
        assert!(!super::is_python2("python:3.12"));
        assert!(!super::is_python2("python"));
    }
}
