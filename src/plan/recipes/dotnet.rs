//! .NET: the `dotnet publish` output (`-o DIR`, else `bin/<Config>/<tfm>/[<rid>/]publish`);
//! web (aspnet) vs console (runtime) from the project's Sdk; self-contained / AOT → runtime-deps.

use super::{Artifact, Cx, Recipe, RecipeOut};
use crate::plan::stage::{basename, join, option_value};

pub struct Dotnet;

impl Recipe for Dotnet {
    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, String> {
        let mut out = RecipeOut::default();
        let mut publish_dirs = Vec::new();
        let mut self_contained = false;
        for inv in cx.view.invocations() {
            let w = &inv.words;
            if w.len() < 2 || basename(&w[0]) != "dotnet" || w[1] != "publish" {
                continue;
            }
            self_contained |= w.iter().any(|a| a == "--self-contained" || a.contains("PublishAot=true") || a == "--self-contained=true");
            match option_value(w, &["-o", "--output"]) {
                Some(o) => publish_dirs.push(join(&inv.cwd, o)),
                None => {
                    let config = option_value(w, &["-c", "--configuration"]).unwrap_or("Release");
                    let tfm = option_value(w, &["-f", "--framework"]).map(str::to_string).or_else(|| self.tfm(cx));
                    let Some(tfm) = tfm else {
                        return Err("`dotnet publish` without -o and no target framework found in the project".into());
                    };
                    let proj_dir = w[2..].iter().find(|a| a.ends_with("proj")).map_or(inv.cwd.clone(), |p| {
                        let full = join(&inv.cwd, p);
                        full.rsplit_once('/').map_or(full.clone(), |(d, _)| d.to_string())
                    });
                    let rid = option_value(w, &["-r", "--runtime"]).map_or(String::new(), |r| format!("/{r}"));
                    publish_dirs.push(format!("{proj_dir}/bin/{config}/{tfm}{rid}/publish"));
                }
            }
        }
        if publish_dirs.is_empty() {
            return Err("no `dotnet publish` step".into());
        }
        let argv = &cx.program.argv;
        let target = if basename(cx.program.exe()) == "dotnet" {
            argv.get(1).map(|dll| join(&cx.program.workdir, dll))
        } else {
            Some(join(&cx.program.workdir, cx.program.exe()))
        };
        let Some(target) = target else { return Err("cannot tell which assembly the program runs".into()) };
        match publish_dirs.iter().find(|d| target.starts_with(&format!("{d}/"))) {
            Some(d) => out.artifacts.push(Artifact::same(d.clone(), "the publish output the program runs from")),
            None => {
                let dir = target.rsplit_once('/').map_or("/".to_string(), |(d, _)| d.to_string());
                out.artifacts.push(Artifact::same(dir.clone(), "the folder of the assembly the program runs"));
                out.review.push(format!("the program runs {target}, outside the publish output ({}): copied its folder instead", publish_dirs.join(", ")));
            }
        }
        if self_contained || basename(cx.program.exe()) != "dotnet" {
            out.variant = Some("self-contained".into());
            out.notes.push("self-contained / AOT app: runtime-deps image".into());
        } else if !self.is_web(cx) {
            out.variant = Some("console".into());
            out.notes.push("console app (project Sdk is not Microsoft.NET.Sdk.Web): runtime image".into());
        } else {
            out.notes.push("web app: ASP.NET Core runtime image".into());
        }
        Ok(out)
    }
}

impl Dotnet {
    fn projects(&self, cx: &Cx<'_>) -> Vec<String> {
        let mut v = cx.context_files(".csproj");
        v.extend(cx.context_files(".fsproj"));
        v.iter().filter_map(|f| cx.read_context(f)).collect()
    }
    fn tfm(&self, cx: &Cx<'_>) -> Option<String> {
        self.projects(cx).iter().find_map(|p| {
            let s = p.find("<TargetFramework>")? + "<TargetFramework>".len();
            let e = p[s..].find('<')? + s;
            Some(p[s..e].trim().to_string())
        })
    }
    /// Web unless a project file says otherwise (missing context: web, the common case).
    fn is_web(&self, cx: &Cx<'_>) -> bool {
        let projects = self.projects(cx);
        projects.is_empty() || projects.iter().any(|p| p.contains("Microsoft.NET.Sdk.Web"))
    }
}
