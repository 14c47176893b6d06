//! Go: `go build -o X` / `go build` / `go install` outputs; CGO_ENABLED=0 for static runtimes
//! unless there is cgo evidence (then the glibc runtime variant).

use super::{Artifact, Cx, Recipe, RecipeOut, binary_artifact, dev_image, follow_copies, resolve_program, skip};
use crate::outcome::{Code, Reason};
use crate::plan::stage::{basename, join};

pub struct Go;

impl Recipe for Go {
    fn id(&self) -> &'static str {
        "go"
    }

    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, Reason> {
        let mut out = RecipeOut::default();
        dev_image(cx.view, cx.program, cx.table, Some(self.id()))?;
        let gobin = || cx.env("GOBIN").map(str::to_string).map_or_else(|| cx.required_env("GOPATH").map(|p| format!("{p}/bin")), Ok);
        let gomod = cx.read_context("go.mod").unwrap_or_default();
        // The module path names `go build` / `go install ./` outputs: go.mod's, else the
        // one a `go mod init PATH` in a RUN gives (go.mod is then made in the image).
        let module = gomod.lines().find_map(|l| l.strip_prefix("module ").map(|s| basename(s.trim().trim_matches('"')).to_string())).or_else(|| {
            cx.view
                .invocations()
                .iter()
                .find(|i| i.is_sub("go", &["mod"]) && i.has("init"))
                .and_then(|i| i.operands(&[]).nth(1).map(|p| basename(p).to_string()))
        });
        let mut outputs: Vec<String> = Vec::new();
        let mut cgo_on = cx.view.env("CGO_ENABLED") == Some("1");
        let mut cgo_off = cx.view.env("CGO_ENABLED") == Some("0");
        for inv in cx.view.invocations() {
            cgo_on |= inv.env_var("CGO_ENABLED") == Some("1");
            cgo_off |= inv.env_var("CGO_ENABLED") == Some("0");
            if !inv.is("go") || inv.words.len() < 2 {
                continue;
            }
            let args = &inv.words;
            match inv.sub() {
                Some("build") => {
                    if let Some(o) = inv.option(&["-o", "--o"]) {
                        let p = join(&inv.cwd, o);
                        outputs.push(if o.ends_with('/') { format!("{p}/{}", pkg_name(args, &inv.cwd, module.as_deref())) } else { p });
                    } else {
                        outputs.push(join(&inv.cwd, &pkg_name(args, &inv.cwd, module.as_deref())));
                    }
                }
                Some("install") => outputs.push(format!("{}/{}", gobin()?, pkg_name(args, &inv.cwd, module.as_deref()))),
                _ => {}
            }
        }
        if outputs.is_empty() {
            if let Some(m) = cx.view.invocations().iter().find(|i| i.is("make")) {
                return Err(skip(Code::UnknownOutput, format!("built by make (line {}): the outputs are not known", m.line)));
            }
            return Err(skip(Code::NoBuildOutput, "no `go build` or `go install` step"));
        }
        let builds = outputs.len();
        follow_copies(cx.view, &mut outputs, &cx.table.ecosystems.path.default);
        let exe = cx.program.exe();
        match resolve_program(cx, &outputs) {
            Some((exe, p)) => {
                let a = binary_artifact(cx, &exe, &p, &mut out);
                out.artifacts.push(a);
            }
            None if builds == 1 && !exe.is_empty() && !crate::plan::stage::is_shell(exe) => {
                return Err(skip(Code::UnknownOutput, format!("the program `{exe}` is not the build output {}", outputs.join(", "))));
            }
            None => return Err(skip(Code::UnknownOutput, format!("cannot tell which build output the program `{exe}` is"))),
        }
        // cgo evidence
        let cgo_module = cx.table.ecosystems.go.cgo_modules.iter().find(|m| gomod.contains(m.as_str()));
        let dev_pkgs = cx.view.invocations().iter().any(|i| {
            let pm = i.is_sub("apt-get", &["install"]) || i.is_sub("apt", &["install"]) || i.is_sub("apk", &["add"]);
            pm && i.operands(&[]).any(|w| w.ends_with("-dev") || w == "gcc" || w == "build-base")
        });
        // On the builder's own image (a distro split) the binary keeps the libc it was built
        // against: cgo needs no variant and no CGO_ENABLED=0.
        let same_image = crate::plan::value::same_image(&cx.pair.builder, &cx.pair.runtime);
        if same_image {
            out.note(Code::Variant, "same image on both sides: the binary runs against the libc it was built with");
        } else if cgo_on || cgo_module.is_some() || (dev_pkgs && !cgo_off) {
            let why = if cgo_on {
                "CGO_ENABLED=1".to_string()
            } else if let Some(m) = cgo_module {
                format!("go.mod requires {m}, a cgo module")
            } else {
                "C toolchain or -dev packages are installed for the build".to_string()
            };
            out.variant = Some("cgo".into());
            out.note(Code::Variant, format!("cgo build ({why}): glibc runtime variant"));
            if cx.builder_facts.libc.as_deref() == Some("musl") {
                out.review(Code::RuntimeVariant, "the alpine builder links cgo binaries against musl; the runtime must be musl too");
            }
        } else {
            if !cgo_off {
                out.builder_prelude.push("ENV CGO_ENABLED=0".into());
                out.note(Code::Step, "CGO_ENABLED=0 so the binary is static and runs on the static runtime");
            }
            // The binary is static: a pair note about cgo binaries no longer describes it.
            out.moot_pair_notes.extend(cx.pair.notes.iter().filter(|n| n.contains("cgo")).cloned());
        }
        // Runtime-read directories next to the code.
        let copied_all = cx
            .view
            .instructions()
            .any(|(_, i)| matches!(&i.details, crate::document::Details::Copy { sources, .. } if sources.iter().any(|s| s == "." || s == "./")));
        if copied_all {
            let mut copied: Vec<String> = Vec::new();
            // Files the source reads by a literal relative path (resolved against WORKDIR).
            for read in cx.view.context.map(|c| super::go_files::scan(c, &cx.table.ecosystems.go.file_read_calls)).unwrap_or_default() {
                let top = read.path.split('/').next().unwrap_or_default().to_string();
                if top.contains(['*', '?', '[']) || copied.contains(&top) || !cx.context_has(&top) {
                    continue;
                }
                let p = join(&cx.program.workdir, &top);
                out.artifacts.push(Artifact::same(p, format!("read at run time: {}(\"{}\") at {}", read.call, read.path, read.at)));
                out.review(Code::RuntimeFiles, format!("copied {top} from the build context: {} reads `{}` at run time", read.at, read.path));
                copied.push(top);
            }
            for d in &cx.table.ecosystems.go.runtime_dirs {
                if !copied.contains(d) && cx.context_has(d) {
                    let p = join(&cx.program.workdir, d);
                    out.artifacts.push(Artifact::same(p, format!("`{d}/` is read at runtime by most Go apps")));
                    out.review(Code::RuntimeFiles, format!("copied {d}/ from the build context: check the program needs it"));
                    copied.push(d.clone());
                }
            }
        }
        Ok(out)
    }
}

fn pkg_name(args: &[String], cwd: &str, module: Option<&str>) -> String {
    let pkg = args[2..]
        .iter()
        .rev()
        .find(|a| !a.starts_with('-') && (a.starts_with('.') || a.contains('/') || a.contains('@')))
        .map(|s| s.split('@').next().unwrap_or(s).trim_end_matches("/...").to_string());
    match pkg.as_deref() {
        None | Some(".") | Some("./") => module.map(str::to_string).unwrap_or_else(|| basename(cwd).to_string()),
        Some(p) => basename(p).to_string(),
    }
}

/// Resolves the executable against WORKDIR and the default PATH to one of the outputs.
pub(crate) fn resolve(exe: &str, workdir: &str, outputs: &[String], path: &[String]) -> Option<String> {
    if exe.is_empty() {
        return None;
    }
    if exe.contains('/') {
        let p = join(workdir, exe);
        return outputs.iter().find(|o| **o == p).cloned();
    }
    outputs.iter().find(|o| path.iter().any(|d| **o == format!("{d}/{exe}"))).cloned()
}
