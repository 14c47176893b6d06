//! Rust: `cargo build [--release] [--target T] [--bin B]` → `target/<triple>/<profile>/<bin>`,
//! `cargo install` → `$CARGO_HOME/bin/<name>`; musl targets go on the static runtime.

use super::go::resolve;
use super::{Artifact, Cx, Recipe, RecipeOut, skip};
use crate::outcome::{Code, Reason};
use crate::plan::stage::{basename, join};

pub struct Rust;

impl Recipe for Rust {
    fn id(&self) -> &'static str {
        "rust"
    }

    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, Reason> {
        let mut out = RecipeOut::default();
        let cargo_home = cx.env("CARGO_HOME").unwrap_or("/usr/local/cargo").to_string();
        let manifest = cx.read_context("Cargo.toml").unwrap_or_default();
        let names = bin_names(&manifest);
        let exe_name = basename(cx.program.exe()).to_string();
        let mut outputs = Vec::new();
        let mut musl = false;
        for inv in cx.view.invocations() {
            let w = &inv.words;
            if !inv.is("cargo") || w.len() < 2 {
                continue;
            }
            let target = inv.option(&["--target"]);
            musl |= target.is_some_and(|t| t.contains("musl"));
            let mut bins: Vec<String> = Vec::new();
            if let Some(b) = inv.option(&["--bin"]) {
                bins.push(b.to_string());
            } else if names.contains(&exe_name) || names.is_empty() {
                bins.push(exe_name.clone());
            } else {
                bins.extend(names.iter().cloned());
            }
            match inv.sub().unwrap_or_default() {
                "build" => {
                    let profile = if w.iter().any(|a| a == "--release" || a == "-r") { "release" } else { "debug" };
                    let tdir = cx.view.env("CARGO_TARGET_DIR").map_or_else(|| join(&inv.cwd, "target"), |t| join(&inv.cwd, t));
                    let dir = match target {
                        Some(t) => format!("{tdir}/{t}/{profile}"),
                        None => format!("{tdir}/{profile}"),
                    };
                    outputs.extend(bins.iter().map(|b| format!("{dir}/{b}")));
                }
                "install" => outputs.extend(bins.iter().map(|b| format!("{cargo_home}/bin/{b}"))),
                _ => {}
            }
        }
        if outputs.is_empty() {
            return Err(skip(Code::NoBuildOutput, "no `cargo build` or `cargo install` step"));
        }
        let Some(p) = resolve(cx.program.exe(), &cx.program.workdir, &outputs, &cx.table.ecosystems.path.default) else {
            return Err(skip(
                Code::UnknownOutput,
                format!("cannot tell which build output the program `{}` is (outputs: {})", cx.program.exe(), outputs.join(", ")),
            ));
        };
        out.artifacts.push(Artifact::same(p, "the binary the image runs"));
        if musl || cx.builder_facts.libc.as_deref() == Some("musl") {
            out.variant = Some("musl".into());
            out.note(Code::Variant, "musl target: static runtime");
        } else {
            out.note(Code::Variant, "glibc binary: runtime of the builder's Debian release");
        }
        if manifest.contains("openssl") {
            out.note(Code::Variant, "the crate uses openssl: the cc runtime ships libssl");
        }
        Ok(out)
    }
}

/// `[[bin]] name = …` entries, else the package name.
fn bin_names(manifest: &str) -> Vec<String> {
    let Ok(v) = manifest.parse::<toml::Table>() else { return Vec::new() };
    let mut names: Vec<String> =
        v.get("bin").and_then(|b| b.as_array()).map(|a| a.iter().filter_map(|b| b.get("name")?.as_str().map(String::from)).collect()).unwrap_or_default();
    if names.is_empty()
        && let Some(n) = v.get("package").and_then(|p| p.get("name")).and_then(|n| n.as_str())
    {
        names.push(n.to_string());
    }
    names
}
