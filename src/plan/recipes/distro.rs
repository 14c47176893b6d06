//! Generic distro split: `FROM debian|ubuntu|alpine` with a language toolchain installed by
//! the package manager (`apt-get install golang`, `apk add cargo`, `default-jdk`, `nodejs
//! npm`). The language comes from the installed packages (`[ecosystems.distro] toolchains`)
//! and that language's recipe decides the artifacts; the pair keeps the same image on both
//! sides, the safety pass re-installs only the runtime packages (a JDK becomes its JRE,
//! `nodejs` stays, compilers go), and the value gate refuses the split when nothing
//! build-only is dropped.

use super::{Cx, Recipe, RecipeOut, for_ecosystem, skip};
use crate::outcome::{Code, Reason};
use crate::plan::packages::{manager_of, package_names, unversioned};

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
        if eco == "ruby" {
            // Debian's gem dir (/var/lib/gems/…) and binstubs are outside what the Ruby recipe
            // copies.
            return Err(skip(
                Code::NoRecipe,
                "Ruby installed by the package manager: gems go to the system gem folders, which a split does not copy (not supported yet)",
            ));
        }
        if eco == "python" {
            // The recipe's venv is created right after FROM, before apt installs python3.
            return Err(skip(
                Code::NoRecipe,
                "Python installed by the package manager: the virtualenv would have to come after the install step (not supported yet)",
            ));
        }
        let recipe = for_ecosystem(eco).ok_or_else(|| skip(Code::NoRecipe, format!("no recipe for {eco}")))?;
        let mut out = recipe.analyze(cx)?;
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

#[cfg(test)]
mod tests {
    #[test]
    fn versioned_toolchain_packages_count_as_their_base_name() {
        assert_eq!(super::unversioned("golang-1.10"), "golang");
        assert_eq!(super::unversioned("golang-go"), "golang-go");
        assert_eq!(super::unversioned("openjdk-17-jdk"), "openjdk-17-jdk");
    }
}
