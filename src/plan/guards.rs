//! The skip rules: what makes a file one restage leaves alone, each with its code.
//!
//! Guards run before any recipe, cheapest first, and only look at the document; a guard
//! that fires ends the plan with a [`Reason`] the summary groups by code.

use super::stage::StageView;
use crate::document::{Document, Kind, Stage};
use crate::image::ImageRef;
use crate::outcome::{Code, Reason};

/// Instructions that configure the runtime rather than build: the runtime stage starts at
/// the first of these after the last build step.
pub const RUNTIME_ONLY: &[Kind] = &[Kind::Cmd, Kind::Entrypoint, Kind::Expose, Kind::User, Kind::Healthcheck, Kind::Volume, Kind::Stopsignal];

/// Whole-file rules: the ignore marker and instructions no builder knows.
pub fn file(doc: &Document) -> Result<(), Reason> {
    // The marker's words are looked for in the text first: most files do not have them.
    if doc.text.contains("restage: ignore")
        && let Some(n) = doc.text.lines().position(|l| l.trim_start().starts_with('#') && l.contains("restage: ignore"))
    {
        return Err(Reason::new(Code::IgnoreMarker, "`# restage: ignore` in the file").at(n + 1));
    }
    if let Some(i) = doc.instructions.iter().find(|i| matches!(i.kind, Kind::Unknown(_))) {
        let Kind::Unknown(k) = &i.kind else { unreachable!() };
        return Err(Reason::new(Code::UnknownInstruction, format!("unknown instruction `{k}` on line {} (a template?)", i.start_line)).at(i.start_line));
    }
    Ok(())
}

/// Words that name a development file or folder (`Dockerfile.dev`, `dev.Dockerfile`,
/// `Dockerfile.develop`, `docker/development/…`, `compose/local/…`).
const DEV_NAMES: &[&str] = &["dev", "develop", "development", "local", "devcontainer"];

/// Files named for development are dev environments, not images to ship (rule 4).
pub fn not_a_dev_file(dockerfile: Option<&std::path::Path>) -> Result<(), Reason> {
    let Some(p) = dockerfile else { return Ok(()) };
    let name = p.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    // `Dockerfile.dev`, `dev.Dockerfile`, `Dockerfile-dev`: the words next to the name, split
    // at dots (an owner such as `chainguard-dev__…` in a file name is not a dev marker).
    let by_name =
        name.split('.').flat_map(|w| w.strip_prefix("dockerfile-").or(w.strip_prefix("containerfile-")).into_iter().chain([w])).any(|w| DEV_NAMES.contains(&w));
    // The folders nearest first; the third one only tells whether the second sits in `compose`.
    let back: Vec<String> =
        p.parent().into_iter().flat_map(|d| d.components().rev()).take(3).map(|c| c.as_os_str().to_string_lossy().to_ascii_lowercase()).collect();
    // The two nearest folders: `docker/development/x/`, `.devcontainer/`, `compose/local/x/`
    // (`local` only under `compose`, so `/usr/local/src/app` is not a dev folder).
    let by_dir = back
        .iter()
        .take(2)
        .enumerate()
        .find(|(k, d)| {
            matches!(d.as_str(), "dev" | "development" | ".devcontainer") || (d.as_str() == "local" && back.get(k + 1).is_some_and(|u| u == "compose"))
        })
        .map(|(_, d)| d);
    match (by_name, by_dir) {
        (true, _) => Err(Reason::new(Code::DevImage, format!("`{name}` is named for development: a dev environment, not an image to ship"))),
        (false, Some(d)) => Err(Reason::new(Code::DevImage, format!("the Dockerfile sits in a `{d}/` folder: a dev environment, not an image to ship"))),
        _ => Ok(()),
    }
}

/// A compose service that bind-mounts the build context over the program's working folder,
/// for an image that copies no folder of the context, only single files (manifests, a start
/// script): the code that runs comes from the mount, so the image is a development
/// environment (rule 4). An image that copies its code runs without the mount too: a
/// production image that compose also uses for development, split as usual.
pub fn not_run_from_a_mount(view: &StageView<'_>, workdir: &str, compose: Option<&super::compose::ComposeUse>) -> Result<(), Reason> {
    let Some(c) = compose else { return Ok(()) };
    let context = std::fs::canonicalize(&c.context).ok();
    let trim = |p: &str| p.trim_end_matches('/').to_string();
    let Some((_, target)) = c.binds.iter().find(|(src, dst)| context.is_some() && std::fs::canonicalize(src).ok() == context && trim(dst) == trim(workdir))
    else {
        return Ok(());
    };
    // Code is a folder of the context (`COPY ./app /app/app`, `COPY . .`); single files
    // (`Gemfile`, `package.json`, `bin/yarn`) are the manifests a dev image installs from.
    let code_copied = view.instructions().any(|(_, ins)| {
        ins.flag("from").is_none()
            && matches!(&ins.details, crate::document::Details::Copy { sources, .. }
                if sources.iter().any(|s| s.contains(['*', '?', '[', '$']) || super::folders::is_dir(&c.context.join(s))))
    });
    if code_copied {
        return Ok(());
    }
    Err(Reason::new(
        Code::DevImage,
        format!(
            "service `{}` of {} mounts the build context over {target} and the image copies no folder of it, only single files: a development environment whose code comes from the mount, not an image to ship",
            c.service,
            c.file.file_name().map_or_else(String::new, |n| n.to_string_lossy().to_string())
        ),
    ))
}

/// The stage's base image, when restage can read it and something is built on it.
pub fn image(doc: &Document, st: &Stage) -> Result<ImageRef, Reason> {
    let line = doc.instructions[st.from].start_line;
    let Some(image) = &st.image else {
        return Err(Reason::new(Code::FromVariable, format!("FROM {}: a variable without a default", st.image_raw)).at(line));
    };
    let Some(src) = ImageRef::parse(image) else {
        return Err(Reason::new(Code::ImageReference, format!("cannot read the image reference `{image}`")).at(line));
    };
    if src.is_scratch() {
        return Err(Reason::new(Code::FromScratch, "FROM scratch: nothing is built").at(line));
    }
    if src.tag.as_deref().is_some_and(|t| t.contains("onbuild")) {
        return Err(Reason::new(Code::Onbuild, "ONBUILD parent image: the build happens in its triggers").at(line));
    }
    Ok(src)
}

pub fn not_a_base_image(view: &StageView<'_>) -> Result<(), Reason> {
    match view.instructions().find(|(_, i)| i.kind == Kind::Onbuild) {
        Some((_, i)) => Err(Reason::new(Code::Onbuild, "ONBUILD instructions: a base image for other builds").at(i.start_line)),
        None => Ok(()),
    }
}

/// A base image that already is the family's runtime image (no shell, nothing to build
/// with) is skipped as such, not as "no pair".
pub fn not_a_runtime_image(src: &ImageRef, pair: &crate::knowledge::Resolved, table: &crate::knowledge::Table) -> Result<(), Reason> {
    use super::value::image_key;
    let this = image_key(&src.to_string());
    let is_runtime = image_key(&pair.runtime) == this || pair.variants.values().any(|v| image_key(v) == this);
    if is_runtime && image_key(&pair.builder) != this && !table.facts(&pair.runtime).shell {
        return Err(Reason::new(
            Code::RuntimeImage,
            format!("{} is already the {} runtime image (no shell, nothing to build with): build in {} and copy into it", src, pair.family, pair.builder),
        ));
    }
    Ok(())
}

/// Where the runtime stage starts: the first runtime-only instruction after the last
/// build step (RUN, COPY, ADD), which must exist, as must a RUN.
pub fn split_point(view: &StageView<'_>) -> Result<usize, Reason> {
    let Some(last_build) = view.instructions().filter(|(_, i)| i.kind == Kind::Run).map(|(i, _)| i).last() else {
        return Err(Reason::new(Code::NoBuildStep, "no build step (no RUN): already a runtime image"));
    };
    let last_step = view.instructions().filter(|(_, i)| matches!(i.kind, Kind::Run | Kind::Copy | Kind::Add)).map(|(i, _)| i).last().unwrap_or(last_build);
    view.instructions()
        .find(|(i, ins)| *i > last_step && RUNTIME_ONLY.contains(&ins.kind))
        .map(|(i, _)| i)
        .ok_or_else(|| Reason::new(Code::NoSplitPoint, "no CMD, ENTRYPOINT, EXPOSE or USER after the last build step"))
}

/// The builder's stage name: the existing alias, else the first of restage's names that no
/// `COPY --from=IMAGE` uses.
pub fn stage_alias(view: &StageView<'_>, st: &Stage) -> Result<(String, Vec<String>), Reason> {
    let copy_from_images: Vec<String> = view.instructions().filter_map(|(_, i)| i.flag("from").and_then(|f| f.value.clone())).collect();
    if let Some(a) = &st.alias {
        return Ok((a.clone(), copy_from_images));
    }
    ["build", "builder", "build-stage", "restage-build"]
        .iter()
        .find(|n| !copy_from_images.iter().any(|c| c.eq_ignore_ascii_case(n) || c.split([':', '/']).next() == Some(n)))
        .map(|n| (n.to_string(), copy_from_images.clone()))
        .ok_or_else(|| Reason::new(Code::StageName, "every stage name restage uses collides with a COPY --from image"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn development_files_are_recognised_by_name_and_folder() {
        for dev in [
            "Dockerfile.dev",
            "dev.Dockerfile",
            "Dockerfile-dev",
            "app/Dockerfile.develop",
            "docker/development/workspace/Dockerfile",
            "compose/local/node/Dockerfile",
            "srv/compose/local/Dockerfile",
            "/a/b/.devcontainer/Dockerfile",
        ] {
            assert_eq!(not_a_dev_file(Some(Path::new(dev))).unwrap_err().code, Code::DevImage, "{dev}");
        }
        for ship in [
            "Dockerfile",
            "api.Dockerfile",
            "Containerfile.prod",
            "devices/Dockerfile",
            "Dockerfile.devops",
            "/usr/local/src/app/Dockerfile",
            "chainguard-dev__dfc__x.before.Dockerfile",
            "local/Dockerfile",
            "compose/x/local/Dockerfile",
            "dev/a/b/Dockerfile",
        ] {
            assert!(not_a_dev_file(Some(Path::new(ship))).is_ok(), "{ship}");
        }
    }
}
