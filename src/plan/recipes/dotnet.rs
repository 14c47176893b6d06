//! .NET: the `dotnet publish` output (`-o DIR`, else `bin/<Config>/<tfm>/[<rid>/]publish`);
//! web (aspnet) vs console (runtime) from the project's Sdk; self-contained / AOT → runtime-deps.

use super::{Artifact, Cx, Recipe, RecipeOut, dev_image, skip};
use crate::outcome::{Code, Reason};
use crate::plan::stage::{basename, join};

pub struct Dotnet;

impl Recipe for Dotnet {
    fn id(&self) -> &'static str {
        "dotnet"
    }

    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, Reason> {
        let mut out = RecipeOut::default();
        dev_image(cx.view, cx.program, cx.table, Some(self.id()))?;
        let mut publish_dirs = Vec::new();
        let mut self_contained = false;
        for inv in cx.view.invocations() {
            let w = &inv.words;
            if !inv.is_sub("dotnet", &["publish"]) {
                continue;
            }
            self_contained |= w.iter().any(|a| a == "--self-contained" || a.contains("PublishAot=true") || a == "--self-contained=true");
            match inv.option(&["-o", "--output"]) {
                Some(o) => publish_dirs.push(join(&inv.cwd, o)),
                None => {
                    let config = inv.option(&["-c", "--configuration"]).unwrap_or("Release");
                    let tfm = inv.option(&["-f", "--framework"]).map(str::to_string).or_else(|| self.tfm(cx));
                    let Some(tfm) = tfm else {
                        return Err(skip(Code::UnknownOutput, "`dotnet publish` without -o and no target framework found in the project"));
                    };
                    let proj_dir = w[2..].iter().find(|a| a.ends_with("proj")).map_or(inv.cwd.clone(), |p| {
                        let full = join(&inv.cwd, p);
                        full.rsplit_once('/').map_or(full.clone(), |(d, _)| d.to_string())
                    });
                    let rid = inv.option(&["-r", "--runtime"]).map_or(String::new(), |r| format!("/{r}"));
                    publish_dirs.push(format!("{proj_dir}/bin/{config}/{tfm}{rid}/publish"));
                }
            }
        }
        if publish_dirs.is_empty() {
            return Err(skip(Code::NoBuildOutput, "no `dotnet publish` step"));
        }
        let argv = &cx.program.argv;
        let target = if basename(cx.program.exe()) == "dotnet" {
            argv.get(1).map(|dll| join(&cx.program.workdir, dll))
        } else {
            Some(join(&cx.program.workdir, cx.program.exe()))
        };
        let Some(target) = target else { return Err(skip(Code::UnknownOutput, "cannot tell which assembly the program runs")) };
        match publish_dirs.iter().find(|d| target.starts_with(&format!("{d}/"))) {
            Some(d) => out.artifacts.push(Artifact::same(d.clone(), "the publish output the program runs from")),
            None => {
                let dir = target.rsplit_once('/').map_or("/".to_string(), |(d, _)| d.to_string());
                out.artifacts.push(Artifact::same(dir.clone(), "the folder of the assembly the program runs"));
                out.review(
                    Code::BuildOutput,
                    format!("the program runs {target}, outside the publish output ({}): copied its folder instead", publish_dirs.join(", ")),
                );
            }
        }
        // The runtime follows the project's TargetFramework, not the SDK tag (an 8.0 SDK
        // builds net6.0 apps, which need the 6.0 runtime).
        let sdk = crate::image::ImageRef::parse(&cx.pair.builder).and_then(|r| r.tag).map(|t| t.split('-').next().unwrap_or_default().to_string());
        let target = self
            .tfm(cx)
            .and_then(|t| t.strip_prefix("net").map(str::to_string))
            .filter(|v| v.contains('.') && v.chars().all(|c| c.is_ascii_digit() || c == '.'));
        if let (Some(sdk), Some(target)) = (sdk, target)
            && sdk != target
            && sdk.chars().next().is_some_and(|c| c.is_ascii_digit())
        {
            out.review(
                Code::VersionChange,
                format!("the project targets net{target} while the SDK image is {sdk}: the runtime follows the project ({target})"),
            );
            out.runtime_version = Some(target);
        }
        if self_contained || basename(cx.program.exe()) != "dotnet" {
            out.variant = Some("self-contained".into());
            out.note(Code::Variant, "self-contained / AOT app: runtime-deps image");
        } else if !self.is_web(cx) {
            out.variant = Some("console".into());
            out.note(Code::Variant, "console app (project Sdk is not Microsoft.NET.Sdk.Web): runtime image");
        } else {
            out.note(Code::Variant, "web app: ASP.NET Core runtime image");
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
