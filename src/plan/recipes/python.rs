//! Python: dependencies go to a virtualenv at a fixed path created at the top of the builder
//! (`/opt/venv`), which the runtime receives at the same path with the app folder. The
//! venv's interpreter link must exist in the runtime, so the pair keeps the Python minor
//! version and the interpreter path is checked against the runtime facts.

use super::{Artifact, Cx, Recipe, RecipeOut, app_dir};
use crate::plan::stage::basename;

pub struct Python;

pub const VENV: &str = "/opt/venv";

impl Recipe for Python {
    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, String> {
        let mut out = RecipeOut::default();
        let invs = cx.view.invocations();
        let is_pip = |w: &[String]| {
            let b = w.first().map(|s| basename(s)).unwrap_or("");
            (b.starts_with("pip") && w.get(1).is_some_and(|s| s == "install"))
                || (b.starts_with("python") && w.iter().any(|x| x == "pip") && w.iter().any(|x| x == "install"))
        };
        let tool = invs.iter().find_map(|i| {
            let b = basename(i.words.first()?);
            let sub = i.words.get(1).map(String::as_str).unwrap_or("");
            if is_pip(&i.words) {
                Some("pip")
            } else if b == "poetry" && sub == "install" {
                Some("poetry")
            } else if b == "pipenv" && sub == "install" {
                Some("pipenv")
            } else if b == "uv" && (sub == "sync" || sub == "pip") {
                Some("uv")
            } else {
                None
            }
        });
        let Some(tool) = tool else { return Err("no dependency install step (pip, poetry, pipenv, uv)".into()) };
        let app = app_dir(cx)?;
        if invs.iter().any(|i| is_pip(&i.words) && i.words.iter().any(|w| w == "--user")) {
            let home = cx.view.env("HOME").unwrap_or("/root").to_string();
            out.artifacts.push(Artifact::same(format!("{home}/.local"), "`pip install --user` packages"));
            out.review.push("packages installed with --user: the runtime must run as the same user with the same HOME".into());
        } else if tool == "uv" && invs.iter().any(|i| i.words.get(1).is_some_and(|s| s == "sync")) {
            out.notes.push("uv sync installs into the project's .venv, copied with the app".into());
        } else {
            out.builder_prelude.push(format!("RUN python -m venv {VENV}"));
            out.builder_prelude.push(format!("ENV VIRTUAL_ENV={VENV} PATH=\"{VENV}/bin:$PATH\""));
            out.runtime_lines.push(format!("ENV VIRTUAL_ENV={VENV} PATH=\"{VENV}/bin:$PATH\""));
            out.artifacts.push(Artifact::same(VENV, format!("dependencies installed by {tool} into a virtualenv")));
            out.notes.push(format!("{tool} installs into the virtualenv {VENV} created at the top of the builder"));
            if tool != "pip" {
                out.review.push(format!("{tool} must install into the active virtualenv (VIRTUAL_ENV={VENV}); check its settings"));
            }
        }
        if invs.iter().any(|i| is_pip(&i.words) && i.words.iter().any(|w| w.starts_with("--target") || w.starts_with("--prefix"))) {
            out.review.push("pip --target/--prefix installs outside the virtualenv".into());
        }
        if let (Some(run), Some(build)) = (&cx.runtime_facts.interpreter, &cx.builder_facts.interpreter)
            && run != build
        {
            out.review.push(format!("the runtime's Python is {run}, the builder's {build}: the virtualenv's links point at the builder's"));
        }
        out.artifacts.push(Artifact::same(app, "the application folder"));
        Ok(out)
    }
}
