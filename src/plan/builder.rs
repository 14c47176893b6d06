//! The build stage moved onto another image than the file's own (a vendor's dev image for
//! `--to minimus`, a UBI toolset image): what the swap changes for the steps the file keeps
//! running there, so the build runs as the single stage's did.
//!
//! - **User.** Vendor dev images run as non-root (Minimus: "`-dev` is non-root too, so apk
//!   needs `USER root`"); the single stage built as root, so the build stage starts with
//!   `USER root` (the file's own USER lines still follow; the runtime keeps its own user).
//! - **Package manager.** `apt-get install` on an apk-based dev image does not run: the
//!   command and the package names need translating, which restage does not do (review).
//! - **Tools.** A build step calling a tool the vendor's dev image is not known to have
//!   (`yarn`, `make`, `git`: images.toml `tools`) needs review.
//! - **Install locations.** A recipe that copies from `$GOPATH/bin` or `$CARGO_HOME/bin`
//!   took the location from the official images' convention (images.toml `**`); on a vendor
//!   builder it is pinned with ENV so the copy source is true whatever the image sets.
//!   GEM_HOME is read by Ruby in the runtime too, so it cannot be pinned in one stage.

use super::recipes::Artifact;
use super::stage::StageView;
use crate::knowledge::{Facts, Table};
use crate::outcome::{Code, Reason};

/// Variables naming where a build tool installs, pinned in a vendor builder when a copied
/// path lies under the value restage assumed.
const PINNED_IN_BUILDER: &[&str] = &["GOPATH", "CARGO_HOME"];
/// Variables that locate installed files for the runtime as well: an assumed value on a
/// vendor image is a review reason.
const NEEDED_AT_RUN_TIME: &[&str] = &["GEM_HOME"];

#[derive(Debug, Default)]
pub struct Swap {
    /// Lines right after the builder's FROM.
    pub prelude: Vec<String>,
    pub review: Vec<Reason>,
    pub explain: Vec<Reason>,
}

/// What moving the build from `original` to `builder` needs. `split` ends the build part.
pub fn swap(view: &StageView<'_>, split: usize, original: &str, builder: &str, artifacts: &[Artifact], table: &Table) -> Swap {
    let mut out = Swap::default();
    let (was, now) = (table.facts(original), table.facts(builder));
    out.explain.push(Reason::new(Code::Step, format!("the build runs on {builder} instead of {original}")));
    if was.is_root() && !now.is_root() {
        out.prelude.push("USER root".into());
        let user = now.user.as_deref().unwrap_or_default();
        out.explain.push(Reason::new(Code::Step, format!("{builder} runs as {user}: the build stage switches to root, as the single stage built")));
    }
    if needs_root_workdir(view, split, &was, builder, &now) {
        out.prelude.push("WORKDIR /".into());
    }
    package_manager(view, split, builder, &now, &mut out);
    tools(view, split, original, builder, &now, &mut out);
    install_locations(view, builder, &now, artifacts, &mut out);
    out
}

/// A build step's tool the new builder is not known to have (images.toml `tools` of the
/// vendor's dev image: its language toolchain and base utilities): `yarn`, `make`, `git`
/// ran in the file's own image and may be missing there. Package managers are the package
/// manager check's; a script of the build context (`./build.sh`) is the file's own.
fn tools(view: &StageView<'_>, split: usize, original: &str, builder: &str, now: &Facts, out: &mut Swap) {
    let repo = |i: &str| crate::image::ImageRef::parse(i).map(|r| r.name());
    // Only a move to another vendor's image: Docker Hub's official builders and the file's
    // own repository are what the file was written for.
    if crate::image::ImageRef::parse(builder).is_none_or(|r| r.registry.is_none()) || repo(builder) == repo(original) {
        return;
    }
    let mut unknown: Vec<(String, usize)> = Vec::new();
    for i in view.invocations().iter().filter(|i| i.instruction < split) {
        let tool = i.tool.as_str();
        let own_script = i.words.first().is_some_and(|w| w.starts_with("./") && !["./mvnw", "./gradlew"].contains(&w.as_str()));
        if super::packages::family_of(tool).is_some() || own_script || now.tools.iter().any(|t| t == tool) || unknown.iter().any(|(t, _)| t == tool) {
            continue;
        }
        unknown.push((tool.to_string(), i.line));
    }
    if !unknown.is_empty() {
        let list = unknown.iter().map(|(t, l)| format!("`{t}` (line {l})")).collect::<Vec<_>>().join(", ");
        let line = unknown[0].1;
        out.review.push(
            Reason::new(
                Code::Retargeted,
                format!("the build moved from {original} to {builder}, which is not known to have {list}: check the build steps run there"),
            )
            .at(line),
        );
    }
}

fn package_manager(view: &StageView<'_>, split: usize, builder: &str, now: &Facts, out: &mut Swap) {
    let Some(have) = now.package_manager.as_deref() else { return };
    let mismatch = view.invocations().iter().filter(|i| i.instruction < split).find_map(|i| {
        super::packages::manager_of(i)?;
        (super::packages::family_of(&i.tool) != super::packages::family_of(have)).then(|| (i.line, i.tool.clone()))
    });
    if let Some((line, tool)) = mismatch {
        let has = if have == "none" { "has no package manager".to_string() } else { format!("installs with {have}") };
        out.review.push(
            Reason::new(
                Code::BuilderPackages,
                format!("line {line}: `{tool}` runs in the build stage, and {builder} {has}: translate the command and the package names"),
            )
            .at(line),
        );
    }
}

fn install_locations(view: &StageView<'_>, builder: &str, now: &Facts, artifacts: &[Artifact], out: &mut Swap) {
    // Docker Hub's official images (no registry host) follow the convention restage assumes.
    if crate::image::ImageRef::parse(builder).is_none_or(|r| r.registry.is_none()) {
        return;
    }
    let under = |dir: &str| artifacts.iter().any(|a| a.from == dir || a.from.starts_with(&format!("{}/", dir.trim_end_matches('/'))));
    for var in PINNED_IN_BUILDER.iter().chain(NEEDED_AT_RUN_TIME) {
        let Some(value) = now.env(var).filter(|v| view.env(var).is_none() && under(v)) else { continue };
        if NEEDED_AT_RUN_TIME.contains(var) {
            out.review.push(Reason::new(
                Code::BuildOutput,
                format!("{var}={value} is the official images' convention; {builder} and the runtime may use another: check where they install and read them"),
            ));
        } else {
            out.prelude.push(format!("ENV {var}={value}"));
            out.explain.push(Reason::new(Code::Step, format!("{var} pinned to {value} in the builder: the copied files are under it")));
        }
    }
}

/// A file without WORKDIR resolved its relative paths against `/` (restage's reading of the
/// file's own image); an image from another registry whose WORKDIR the facts do not give
/// gets `WORKDIR /` so those paths stay true (`COPY --from=build /build/libs/app.jar`,
/// `ENTRYPOINT ["java", "-jar", "build/libs/app.jar"]`).
pub fn needs_root_workdir(view: &StageView<'_>, split: usize, original: &Facts, image: &str, facts: &Facts) -> bool {
    let has_workdir = view.instructions().any(|(i, ins)| i < split && ins.kind == crate::document::Kind::Workdir);
    let vendor = crate::image::ImageRef::parse(image).is_some_and(|r| r.registry.is_some());
    !has_workdir && original.workdir.as_deref().is_none_or(|w| w == "/") && vendor && facts.workdir.as_deref() != Some("/")
}

/// The runtime header runs RUN steps (packages, users, folders) while the runtime image's
/// user is not root: they run as root, and the image's user is restored after them unless
/// the file's own USER follows (`user_follows`).
pub fn runtime_user(before_copy: &mut Vec<String>, after_copy: &mut Vec<String>, runtime: &Facts, user_follows: bool) {
    let Some(user) = runtime.user.clone().filter(|_| !runtime.is_root()) else { return };
    let runs = |v: &Vec<String>| v.iter().any(|l| l.starts_with("RUN "));
    if runs(before_copy) || runs(after_copy) {
        before_copy.insert(0, "USER root".into());
        if !user_follows {
            after_copy.push(format!("USER {user}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_dev_images_have_a_shell_a_package_manager_and_a_non_root_user() {
        let t = Table::builtin();
        let dev = t.facts("reg.mini.dev/python:3.13.5-dev");
        assert!(dev.shell && dev.package_manager.as_deref() == Some("apk") && !dev.is_root(), "{dev:?}");
        let rt = t.facts("reg.mini.dev/python:3.13.5");
        assert!(!rt.shell && !rt.has_package_manager(), "{rt:?}");
        // The alpine in a DHI runtime tag does not give it apk or a shell.
        let dhi = t.facts("dhi.io/python:3.10-alpine3.18");
        assert!(!dhi.shell && !dhi.has_package_manager(), "{dhi:?}");
        let dhi_dev = t.facts("dhi.io/python:3.10-alpine3.18-dev");
        assert!(dhi_dev.shell && dhi_dev.package_manager.as_deref() == Some("apk"), "{dhi_dev:?}");
        assert_eq!(t.facts("dhi.io/python:3.13-debian13-dev").package_manager.as_deref(), Some("apt"));
        // Two path segments below the host (an org or tenant) reach the same facts.
        for image in ["cgr.dev/chainguard/php:latest-dev", "reg.mini.dev/acme/python:3.13.5-dev", "dhi.io/acme/python:3.13-debian13-dev"] {
            let f = t.facts(image);
            assert!(f.shell && f.has_package_manager() && f.tools.iter().any(|x| x == "chown"), "{image}: {f:?}");
        }
        assert!(!t.facts("dhi.io/acme/python:3.10-alpine3.18").shell);
    }

    #[test]
    fn runtime_steps_run_as_root_and_the_user_comes_back() {
        let t = Table::builtin();
        let ubi = t.facts("registry.access.redhat.com/ubi9/nodejs-20-minimal:latest");
        let (mut before, mut after) = (vec!["RUN useradd -m appuser".to_string()], vec![]);
        runtime_user(&mut before, &mut after, &ubi, false);
        assert_eq!(before[0], "USER root");
        assert_eq!(after, vec![format!("USER {}", ubi.user.clone().unwrap())]);
        let (mut before, mut after) = (vec!["RUN useradd -m appuser".to_string()], vec![]);
        runtime_user(&mut before, &mut after, &ubi, true);
        assert_eq!((before[0].as_str(), after.len()), ("USER root", 0), "the file's USER follows");
        let (mut before, mut after) = (vec!["ENV A=1".to_string()], vec![]);
        runtime_user(&mut before, &mut after, &ubi, false);
        assert_eq!((before.len(), after.len()), (1, 0), "no RUN, nothing to wrap");
    }
}
