//! Rust: `cargo build [--release] [--target T] [--bin B]` → `target/<triple>/<profile>/<bin>`,
//! `cargo install` → `$CARGO_HOME/bin/<name>`; musl targets go on the static runtime.

use super::{Cx, Recipe, RecipeOut, binary_artifact, dev_image, follow_copies, program_commands, resolve_program, skip};
use crate::outcome::{Code, Reason};
use crate::plan::stage::{basename, join};

pub struct Rust;

impl Recipe for Rust {
    fn id(&self) -> &'static str {
        "rust"
    }

    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, Reason> {
        let mut out = RecipeOut::default();
        dev_image(cx.view, cx.program, cx.table, Some(self.id()))?;
        let manifest = cx.read_context("Cargo.toml").unwrap_or_default();
        let names = bin_names(&manifest);
        // The program's name: the first command of the program that names a binary of the
        // crate (a shell-form loop runs `./target/release/x` inside `while true; do …; done`).
        let commands = program_commands(cx.view, cx.program);
        let exe_name = commands
            .iter()
            .filter_map(|c| c.first().map(|e| basename(e).to_string()))
            .find(|e| names.contains(e))
            .unwrap_or_else(|| basename(cx.program.exe()).to_string());
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
                "install" => {
                    let cargo_home = cx.required_env("CARGO_HOME")?;
                    outputs.extend(bins.iter().map(|b| format!("{cargo_home}/bin/{b}")));
                }
                _ => {}
            }
        }
        if outputs.is_empty() {
            if let Some(m) = cx.view.invocations().iter().find(|i| i.is("make")) {
                return Err(skip(Code::UnknownOutput, format!("built by make (line {}): the outputs are not known", m.line)));
            }
            return Err(skip(Code::NoBuildOutput, "no `cargo build` or `cargo install` step"));
        }
        follow_copies(cx.view, &mut outputs, &cx.table.ecosystems.path.default);
        let Some((exe, p)) = resolve_program(cx, &outputs) else {
            return Err(skip(
                Code::UnknownOutput,
                format!("cannot tell which build output the program `{}` is (outputs: {})", cx.program.exe(), outputs.join(", ")),
            ));
        };
        let a = binary_artifact(cx, &exe, &p, &mut out);
        out.artifacts.push(a);
        if musl || cx.builder_facts.libc.as_deref() == Some("musl") {
            out.variant = Some("musl".into());
            out.note(Code::Variant, "musl target: static runtime");
        } else {
            out.note(Code::Variant, "glibc binary: runtime of the builder's Debian release (or the oldest newer one the family publishes)");
            // The musl variant is not emitted: a pair note about the static image does not
            // describe this rewrite (rule 5).
            out.moot_pair_notes.extend(cx.pair.notes.iter().filter(|n| n.contains("static")).cloned());
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
