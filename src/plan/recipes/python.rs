//! Python: dependencies go to a virtualenv at a fixed path created at the top of the builder
//! (`/opt/venv`), which the runtime receives at the same path with the app folder. The
//! venv's interpreter link must exist in the runtime, so the pair keeps the Python minor
//! version and the interpreter path is checked against the runtime facts.

use super::{Artifact, Cx, Recipe, RecipeOut, app_dir, skip};
use crate::outcome::{Code, Reason};
use crate::shell::Invocation;

pub struct Python;

pub const VENV: &str = "/opt/venv";

impl Recipe for Python {
    fn id(&self) -> &'static str {
        "python"
    }

    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, Reason> {
        let mut out = RecipeOut::default();
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
        if invs.iter().any(|i| is_pip(i) && i.has("--user")) {
            // `pip --user` installs under the HOME of the user it runs as: a non-root USER
            // created with a home (`useradd -m app`) has /home/app.
            let user = cx
                .view
                .instructions()
                .filter(|(_, i)| i.kind == crate::document::Kind::User)
                .last()
                .map(|(_, i)| i.args().split(':').next().unwrap_or("").to_string());
            let home = match (cx.view.env("HOME"), user.as_deref()) {
                (Some(h), _) => h.to_string(),
                (None, Some(u)) if !matches!(u, "root" | "0" | "") && !u.chars().all(|c| c.is_ascii_digit()) => format!("/home/{u}"),
                _ => cx.env("HOME").unwrap_or("/root").to_string(),
            };
            out.artifacts.push(Artifact::same(format!("{home}/.local"), "`pip install --user` packages"));
            out.review(Code::Dependencies, "packages installed with --user: the runtime must run as the same user with the same HOME");
        } else if tool == "uv" && invs.iter().any(|i| i.is_sub("uv", &["sync"])) {
            out.note(Code::Step, "uv sync installs into the project's .venv, copied with the app");
        } else {
            out.builder_prelude.push(format!("RUN python -m venv {VENV}"));
            out.builder_prelude.push(format!("ENV VIRTUAL_ENV={VENV} PATH=\"{VENV}/bin:$PATH\""));
            out.runtime_lines.push(format!("ENV VIRTUAL_ENV={VENV} PATH=\"{VENV}/bin:$PATH\""));
            out.artifacts.push(Artifact::same(VENV, format!("dependencies installed by {tool} into a virtualenv")));
            out.note(Code::Step, format!("{tool} installs into the virtualenv {VENV} created at the top of the builder"));
            if tool != "pip" {
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

/// `pip install`, `pip3.12 install`, `python -m pip install`.
fn is_pip(i: &Invocation) -> bool {
    (i.tool_starts_with("pip") && i.sub() == Some("install")) || (i.tool_starts_with("python") && i.has("pip") && i.has("install"))
}
