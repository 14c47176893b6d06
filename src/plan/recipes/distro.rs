//! Generic distro split: `FROM debian|ubuntu|alpine` with a language toolchain installed by
//! the package manager (`apt-get install golang`, `apk add cargo`, `default-jdk`, `nodejs
//! npm`). The language comes from the installed packages (`[ecosystems.distro] toolchains`)
//! and that language's recipe decides the artifacts; the pair keeps the same image on both
//! sides, the safety pass re-installs only the runtime packages (a JDK becomes its JRE,
//! `nodejs` stays, compilers go), and the value gate refuses the split when nothing
//! build-only is dropped. Python gets a virtualenv made after the install step, Ruby copies
//! Debian's gem folders.

use super::python::{VENV, is_pip};
use super::{Artifact, Cx, Recipe, RecipeOut, for_ecosystem, skip};
use crate::outcome::{Code, Reason};
use crate::plan::packages::{install_line, manager_of, package_names, unversioned};

pub struct Distro;

impl Recipe for Distro {
    fn id(&self) -> &'static str {
        "distro"
    }

    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, Reason> {
        let toolchains = &cx.table.ecosystems.distro.toolchains;
        let installed: Vec<String> = cx.view.invocations().iter().filter(|i| manager_of(i).is_some()).flat_map(package_names).collect();
        // `golang-1.10`, `openjdk-17-jdk`: a versioned package name counts as its base name.
        let lookup = |p: &String| toolchains.get_key_value(p).or_else(|| toolchains.get_key_value(unversioned(p)));
        let mut found: Vec<(&String, &String)> = installed.iter().filter_map(lookup).collect();
        found.sort_by_key(|(_, eco)| eco.as_str());
        found.dedup_by_key(|(_, eco)| eco.as_str());
        let eco = match found.as_slice() {
            [] => return Err(skip(Code::NoRecipe, "a distribution image with no language toolchain installed by its package manager: nothing to split")),
            [(_, eco)] => eco.as_str(),
            many => {
                let ecos: Vec<&str> = many.iter().map(|(_, e)| e.as_str()).collect();
                return Err(skip(
                    Code::NoRecipe,
                    format!("toolchains of several languages are installed ({}): cannot tell which one builds the program", ecos.join(", ")),
                ));
            }
        };
        let recipe = for_ecosystem(eco).ok_or_else(|| skip(Code::NoRecipe, format!("no recipe for {eco}")))?;
        let mut out = if eco == "ruby" { distro_ruby(cx, recipe)? } else { recipe.analyze(cx)? };
        if eco == "python" {
            distro_python(cx, &installed, &mut out)?;
        }
        let pkgs: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        out.note(
            Code::Step,
            format!(
                "{eco} toolchain installed with the package manager ({}): same image on both sides, the runtime gets only the runtime packages",
                pkgs.join(", ")
            ),
        );
        // The runtime is the same image: a static variant (distroless) does not apply.
        out.variant = None;
        Ok(out)
    }
}

/// Ruby from apt: with no GEM_HOME / BUNDLE_PATH of the file's own, gems go to Debian's
/// gem folder and the executables `gem install` makes to /usr/local/bin (`[ecosystems.distro]
/// apt_ruby_paths`); those are copied with the app. On apk and dnf images the executables go
/// to /usr/bin, which cannot be copied apart from the image: skipped.
fn distro_ruby(cx: &Cx<'_>, recipe: &dyn Recipe) -> Result<RecipeOut, Reason> {
    if cx.view.env("GEM_HOME").is_some() || cx.view.env("BUNDLE_PATH").is_some() {
        return recipe.analyze(cx);
    }
    let manager = cx.view.invocations().iter().find_map(manager_of).unwrap_or("apt");
    if manager != "apt" {
        return Err(skip(
            Code::NoRecipe,
            format!("Ruby installed with {manager}: gem executables go to /usr/bin, which a split cannot copy apart from the image (not supported)"),
        ));
    }
    let paths = &cx.table.ecosystems.distro.apt_ruby_paths;
    if paths.is_empty() {
        return Err(skip(Code::NoRecipe, "Ruby installed by the package manager: no gem folders are known for it ([ecosystems.distro] apt_ruby_paths)"));
    }
    super::dev_image(cx.view, cx.program, cx.table, Some("ruby"))?;
    let bundles = cx.view.invocations().iter().any(|i| (i.is("bundle") && i.sub().is_none_or(|s| s == "install")) || i.is_sub("gem", &["install"]));
    if !bundles {
        return Err(skip(Code::NoBuildOutput, "no `bundle install` or `gem install` step"));
    }
    let mut out = RecipeOut::default();
    for p in paths {
        out.artifacts.push(Artifact::same(p.clone(), "gems and their executables, where Debian's Ruby installs them"));
    }
    out.artifacts.push(Artifact::same(super::app_dir(cx)?, "the application folder"));
    out.review(
        Code::Dependencies,
        format!("Ruby from the package manager: the gems are copied from {}; check nothing else the image needs lives there", paths.join(" and ")),
    );
    Ok(out)
}

/// Python from apt/apk: pip's installs go to a virtualenv made right after the step that
/// installs python3 (`python3 -m venv`; on Debian/Ubuntu with python3-venv, added to the
/// builder when the file lacks it), the runtime re-installs python3 without pip and the
/// build packages. What a venv cannot carry is a skip: Python libraries from the package
/// manager (the venv does not see the system site-packages), pip by an absolute path (the
/// system pip, outside the venv), pip in the same RUN as the install, dnf-based images.
fn distro_python(cx: &Cx<'_>, installed: &[String], out: &mut RecipeOut) -> Result<(), Reason> {
    let invs = cx.view.invocations();
    let installs: Vec<_> = invs.iter().filter_map(|i| Some((i, manager_of(i)?))).collect();
    let manager = installs.first().map_or("apt", |(_, m)| *m);
    if manager == "dnf" {
        return Err(skip(Code::NoRecipe, "Python installed with dnf/yum/microdnf: the distro Python split covers apt and apk images (not supported yet)"));
    }
    if let Some(p2) = installed.iter().find(|p| cx.table.ecosystems.distro.python2.contains(p)) {
        return Err(skip(Code::NoRecipe, format!("Python 2 from the package manager ({p2}): it has no venv module to carry pip's packages (not supported)")));
    }
    let tooling = &cx.table.ecosystems.distro.python_tooling;
    let is_tooling = |p: &str| tooling.iter().any(|t| t == p || t == unversioned(p)) || p.starts_with("python3.");
    if let Some(lib) = installed.iter().find(|p| (p.starts_with("python3-") || p.starts_with("py3-") || p.starts_with("python-")) && !is_tooling(p)) {
        return Err(skip(
            Code::NoRecipe,
            format!("the package manager installs the Python library {lib} into the system site-packages: a virtualenv does not see it (not supported)"),
        ));
    }
    let Some(pip) = invs.iter().find(|i| is_pip(i)) else { return Ok(()) };
    if pip.words[0].contains('/') {
        return Err(skip(
            Code::UnknownOutput,
            format!("line {}: `{}` is the system pip by its path: its packages go to the system site-packages, not to a virtualenv", pip.line, pip.words[0]),
        ));
    }
    let python_pkg = |i: &crate::shell::Invocation| package_names(i).iter().any(|p| is_tooling(p));
    let Some((install, _)) = installs.iter().rfind(|(i, _)| i.instruction <= pip.instruction && python_pkg(i)) else {
        return Err(skip(Code::UnknownOutput, "pip runs before the package manager installs Python: cannot tell where its packages go"));
    };
    if install.instruction == pip.instruction {
        return Err(skip(
            Code::UnknownOutput,
            format!("line {}: pip runs in the same RUN that installs Python: the virtualenv would have to be made inside it (split the RUN)", pip.line),
        ));
    }
    if !out.builder_prelude.is_empty() {
        // The venv the Python recipe asked for, made once python3 is there.
        let has_venv = installed.iter().any(|p| p == "python3-venv" || p == "python3-full" || (p.starts_with("python3.") && p.ends_with("-venv")));
        let mut lines = Vec::new();
        if manager == "apt" && !has_venv {
            lines.push(install_line("apt", &["python3-venv".to_string()]));
            out.note(Code::Step, "python3-venv added to the builder: Debian's python3 makes no virtualenv without it");
        }
        lines.push(format!("RUN python3 -m venv {VENV}"));
        lines.push(format!("ENV VIRTUAL_ENV={VENV} PATH=\"{VENV}/bin:$PATH\""));
        out.builder_prelude = lines;
        out.prelude_after = Some(install.instruction);
        out.review(
            Code::Dependencies,
            format!(
                "Python from the package manager: pip now installs into the virtualenv {VENV} (made after line {}) instead of the system site-packages",
                install.line
            ),
        );
    }
    // pip and its helpers are build-only once the venv carries the packages, as long as the
    // interpreter itself is installed by name (else pip is what brings python3 in).
    if installed.iter().any(|p| p == "python3" || p == "python3-minimal" || p == "python3-full" || (p.starts_with("python3.") && !p.contains('-'))) {
        out.packages_for = Some("distro-python".into());
    } else {
        out.note(Code::Step, "python3 comes in as a dependency of pip: the runtime keeps pip so that it keeps python3");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn versioned_toolchain_packages_count_as_their_base_name() {
        assert_eq!(super::unversioned("golang-1.10"), "golang");
        assert_eq!(super::unversioned("golang-go"), "golang-go");
        assert_eq!(super::unversioned("openjdk-17-jdk"), "openjdk-17-jdk");
    }
}
