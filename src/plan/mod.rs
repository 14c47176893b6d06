//! The split: one build stage → builder + runtime, as minimal byte-range edits.
//!
//! `analyze` decides and never writes. The steps, one module each: [`guards`] (the skip
//! rules), the pair lookup, a [`recipes`] entry per ecosystem (what to copy), [`runtime`]
//! (which runtime image and variant), [`safety`] (what the single stage relied on that a
//! fresh runtime would lose), [`value`] (is the split worth it, and what it saves) and
//! [`emit`] (the edits). Every decision is a typed [`Reason`].

mod builder;
mod compose;
mod context;
mod emit;
mod folders;
mod guards;
mod manifests;
mod packages;
mod platform;
pub mod recipes;
mod retarget;
mod runtime;
mod safety;
pub mod stage;
mod state;
mod value;

use crate::document::{Command, Document, Kind};
use crate::edit::{Applicability, Fix};
use crate::knowledge::Table;
use crate::outcome::{Code, Reason};
use recipes::{Artifact, Cx};
use stage::StageView;
use std::path::{Path, PathBuf};

pub use emit::exec_json;

pub struct Settings {
    pub table: Table,
    pub family: String,
    /// `--to` given: multi-stage files are retargeted.
    pub explicit_family: bool,
    /// Neither `--to` nor `to` in restage.toml: each file's family is inferred from its base
    /// image (`family` is the fallback when no family claims it).
    pub infer_family: bool,
    /// `--upgrade`: a version the family lacks moves to the nearest newer one it ships.
    pub upgrade: bool,
    pub registry: Option<String>,
    /// `--context DIR`; default: the Dockerfile's folder.
    pub context: Option<PathBuf>,
}

/// A rewrite as planned (before it is applied and verified).
#[derive(Debug, Clone)]
pub struct Planned {
    /// The family the pair came from (None for a retarget).
    pub family: Option<String>,
    pub fix: Fix,
    pub builder: Option<String>,
    pub runtime: Option<String>,
    pub artifacts: Vec<Artifact>,
    pub estimate_mb: Option<u64>,
    pub explain: Vec<Reason>,
    pub context: Option<PathBuf>,
}

/// What `analyze` decided.
#[derive(Debug, Clone)]
pub enum Decision {
    Rewrite(Box<Planned>),
    Unchanged(Reason),
    Skip(Reason, Vec<Reason>),
}

/// Forgets what this process has read of folders (listings, compose files): the next plan
/// reads them again. For a long-running caller (`restage mcp`) whose files change.
pub fn forget_folders() {
    folders::forget();
    compose::forget();
}

pub fn analyze(doc: &Document, dockerfile: Option<&Path>, s: &Settings) -> Decision {
    if let Err(r) = guards::file(doc) {
        return Decision::Skip(r, Vec::new());
    }
    if doc.stages.len() > 1 {
        if s.explicit_family {
            return retarget::retarget(doc, s);
        }
        return Decision::Skip(Reason::new(Code::MultiStage, "already multi-stage"), Vec::new());
    }
    // A child of a known `*-onbuild` image: its parent's triggers written out, then split.
    if let Some(d) = recipes::onbuild::split(doc, dockerfile, s) {
        return d;
    }
    let mut explain = Vec::new();
    match split(doc, dockerfile, s, &mut explain) {
        Ok(p) => Decision::Rewrite(Box::new(p)),
        Err(r) => Decision::Skip(r, explain),
    }
}

/// The build context: `--context`, else inferred from the Dockerfile's folder.
fn context_of(doc: &Document, dockerfile: Option<&Path>, s: &Settings, compose: Option<&compose::ComposeUse>, explain: &mut Vec<Reason>) -> Option<PathBuf> {
    let st = &doc.stages[0];
    match (&s.context, dockerfile) {
        (Some(c), _) => Some(c.clone()),
        (None, Some(_)) if compose.is_some() => {
            let c = compose.expect("checked");
            explain.push(Reason::new(Code::Context, format!("build context {} (service `{}` of {})", c.context.display(), c.service, c.file.display())));
            Some(c.context.clone())
        }
        (None, Some(p)) => {
            let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let (c, why) = context::infer(&dir, doc.instructions[st.from..st.end].iter());
            explain.extend(why.map(|w| Reason::new(Code::Context, w)));
            Some(c)
        }
        (None, None) => None,
    }
}

fn split(doc: &Document, dockerfile: Option<&Path>, s: &Settings, explain: &mut Vec<Reason>) -> Result<Planned, Reason> {
    let st = &doc.stages[0];
    guards::not_a_dev_file(dockerfile)?;
    let src = guards::image(doc, st)?;
    let mut context_explain = Vec::new();
    let compose = dockerfile.and_then(compose::find);
    let context_dir = context_of(doc, dockerfile, s, compose.as_ref(), &mut context_explain);
    let view = StageView::new(doc, st.from, st.end, context_dir.as_deref());
    let subject = identify(s, &view, &src, compose.as_ref(), context_dir.as_deref(), explain)?;
    explain.extend(context_explain);
    let mut body = assemble(s, &view, &subject, compose.as_ref(), explain)?;
    if context_dir.is_none() {
        body.review.insert(
            0,
            Reason::new(
                Code::ContextMissing,
                "no build context (stdin): the manifests and scripts the decisions depend on were not checked; give --context DIR",
            ),
        );
    }
    finish(s, &view, subject, body, context_dir.clone(), explain)
}

/// What the guards and the pair lookup established: the program, where the runtime starts,
/// the family and pair, and the recipe.
struct Subject {
    program: stage::Program,
    split: usize,
    family: String,
    pair: crate::knowledge::Resolved,
    recipe: &'static dyn recipes::Recipe,
    /// Review reasons found on the way (a platform-supplied command).
    review: Vec<Reason>,
}

/// The skip rules that need the stage, the program and the pair.
fn identify(
    s: &Settings,
    view: &StageView<'_>,
    src: &crate::image::ImageRef,
    compose: Option<&compose::ComposeUse>,
    context_dir: Option<&Path>,
    explain: &mut Vec<Reason>,
) -> Result<Subject, Reason> {
    guards::not_a_base_image(view)?;
    recipes::dev_base_image(&src.to_string(), &s.table)?;
    let mut review = Vec::new();
    let program = match view.program() {
        Some(p) => p,
        None => {
            let no_program = || Reason::new(Code::NoProgram, "no CMD or ENTRYPOINT: the program comes from the base image");
            let base = src.to_string();
            // The base image's own CMD (php:*-apache runs apache2-foreground): the runtime,
            // when it is an image with the same CMD, starts the same program.
            if let Some(argv) = s.table.facts(&base).cmd {
                let at = guards::split_point(view)?;
                stage::Program { argv, workdir: view.workdir[at].clone(), shell_form: false, instruction: at, from_platform: Some(format!("{base}'s own CMD")) }
            } else {
                let (argv, from) = platform::command(context_dir, compose).ok_or_else(no_program)?;
                let at = guards::split_point(view)?;
                review.push(Reason::new(
                    Code::PlatformCommand,
                    format!("no CMD: {from} starts `{}`; the runtime keeps no CMD, check the platform runs it there", argv.join(" ")),
                ));
                stage::Program { argv, workdir: view.workdir[at].clone(), shell_form: false, instruction: at, from_platform: Some(from) }
            }
        }
    };
    if program.from_platform.is_none() {
        recipes::dev_image(view, &program, &s.table, None)?;
    }
    guards::not_run_from_a_mount(view, &program.workdir, compose)?;
    let split = guards::split_point(view)?;
    let (family, registry, lookup_src) = choose_family(s, src, explain);
    let mut pair = s.table.lookup_with(&family, &lookup_src, registry.as_deref(), s.upgrade)?;
    // A file already on the family's builder (inferred) keeps the builder as written: the
    // user's pin stays, only the runtime is derived.
    if s.infer_family && family != s.family && pair.builder_changed && crate::image::ImageRef::parse(&pair.builder).is_some_and(|b| b.name() == src.name()) {
        pair.builder_changed = false;
    }
    guards::not_a_runtime_image(src, &pair, &s.table)?;
    let Some(recipe) = recipes::for_ecosystem(&pair.ecosystem) else {
        let why = recipes::POLICY_SKIPS.iter().find(|(e, _)| *e == pair.ecosystem).map_or("no recipe for this ecosystem", |(_, w)| w);
        return Err(Reason::new(Code::NoRecipe, format!("{} images are not split: {why}", pair.ecosystem)));
    };
    explain.push(Reason::new(Code::Pair, format!("pair {} ({}): builder {} / runtime {}", pair.ecosystem, pair.origin, pair.builder, pair.runtime)));
    Ok(Subject { program, split, family, pair, recipe, review })
}

/// The split worked out: recipe, runtime, safety pass, state, and the edits.
struct Body {
    out: recipes::RecipeOut,
    runtime: runtime::Runtime,
    dropped: value::Dropped,
    /// The size of the file's own image (images.toml), for the estimate.
    source_size: Option<u64>,
    artifacts: Vec<Artifact>,
    runtime_ref: String,
    edits: Vec<crate::edit::Edit>,
    review: Vec<Reason>,
    program_explain: Vec<Reason>,
}

fn assemble(s: &Settings, view: &StageView<'_>, sub: &Subject, compose: Option<&compose::ComposeUse>, explain: &mut Vec<Reason>) -> Result<Body, Reason> {
    let (doc, st, pair, program, split) = (view.doc, &view.doc.stages[0], &sub.pair, &sub.program, sub.split);
    let default_facts = s.table.facts(&pair.runtime);
    let mut review = sub.review.clone();
    if program.from_platform.as_deref().is_some_and(|f| f.ends_with("own CMD")) && default_facts.cmd.as_ref() != Some(&program.argv) {
        review.push(Reason::new(
            Code::PlatformCommand,
            format!("no CMD: the base image runs `{}`; {} has another default command, add the CMD", program.argv.join(" "), pair.runtime),
        ));
    }
    let builder_facts = s.table.facts(&pair.builder);
    let cx = Cx { view, program, pair, runtime_facts: &default_facts, builder_facts: &builder_facts, table: &s.table };
    let mut out = sub.recipe.analyze(&cx)?;
    let rt = runtime::choose(&s.table, pair, &default_facts, &out, view, program);
    explain.extend(rt.explain.iter().cloned());
    // The file's own image: often the builder as written, whose facts are at hand.
    let source = st.image.as_deref().unwrap_or_default();
    let looked_up;
    let source_facts = if pair.builder == source {
        &builder_facts
    } else {
        looked_up = s.table.facts(source);
        &looked_up
    };
    let (user_explain, user_review) = runtime::user_change(view, source_facts, &rt);
    explain.extend(user_explain);
    review.extend(user_review);
    review.extend(out.review.iter().cloned());
    review.extend(rt.review.iter().cloned());
    let sf = safety::check(&safety::Input {
        view,
        split,
        facts: &rt.facts,
        runtime: &rt.image,
        compose,
        packages: &s.table.packages,
        ecosystem: out.packages_for.as_deref().unwrap_or(&pair.ecosystem),
        builder: if pair.builder_changed { &pair.builder } else { st.image.as_deref().unwrap_or_default() },
    });
    review.extend(sf.review.iter().cloned());
    out.notes.extend(sf.notes.iter().cloned());
    if let Some(p) = &st.platform
        && p.contains("TARGETPLATFORM")
    {
        let line = doc.instructions[st.from].start_line;
        review
            .push(Reason::new(Code::EmulatedBuild, format!("the builder runs on --platform={p} (emulated); cross-compile on $BUILDPLATFORM instead")).at(line));
    }
    let (alias, copy_from_images) = guards::stage_alias(view, st)?;
    if !copy_from_images.is_empty() {
        explain.push(Reason::new(Code::StageAlias, format!("stage named `{alias}`: COPY --from uses {}", copy_from_images.join(", "))));
    }
    let mut program_explain = Vec::new();
    let mut entry_lines = Vec::new();
    let new_argv =
        if program.from_platform.is_some() { None } else { program_argv(view, program, &out.program_argv, &rt.facts, &mut entry_lines, &mut program_explain) };
    let artifacts = collect_artifacts(s, view, split, &mut out, &mut review);
    let fs_state = state::check(view, &artifacts, rt.facts.shell);
    review.extend(fs_state.review.iter().cloned());
    out.notes.extend(fs_state.explain.iter().cloned());
    let mut before_copy = sf.header_before_copy.clone();
    before_copy.extend(fs_state.replay.clone());
    let mut after_copy: Vec<String> = fs_state.owners.iter().cloned().collect();
    after_copy.extend(out.runtime_lines.iter().cloned());
    after_copy.extend(entry_lines);
    after_copy.extend(sf.header_after_copy.iter().cloned());
    let user_follows = view.instructions().any(|(i, ins)| i >= split && ins.kind == crate::document::Kind::User);
    builder::runtime_user(&mut before_copy, &mut after_copy, &rt.facts, user_follows);
    if pair.builder_changed {
        let swap = builder::swap(view, split, st.image.as_deref().unwrap_or_default(), &pair.builder, &artifacts, &s.table);
        out.builder_prelude.splice(0..0, swap.prelude);
        review.extend(swap.review);
        out.notes.extend(swap.explain);
    }
    let mut arg_free = |img: &str| rebind_args(doc, &st.image_raw, img, &mut review);
    // The same image on both sides (a slim/alpine file that drops build packages): the
    // runtime FROM is the file's own reference, digest and ARGs included.
    let builder_now = if pair.builder_changed { pair.builder.clone() } else { st.image.clone().unwrap_or_default() };
    let reused = value::same_image(&builder_now, &rt.image) && !pair.builder_changed;
    let runtime_ref = if reused { st.image_raw.clone() } else { arg_free(&rt.image) };
    if reused {
        // The pair's "runtime not pinned by digest" note no longer applies.
        out.moot_pair_notes.extend(pair.notes.iter().filter(|n| n.starts_with(&format!("the runtime image {} ", rt.image))).cloned());
    }
    let builder_ref = pair.builder_changed.then(|| arg_free(&pair.builder));
    let plan = emit::StagePlan {
        view,
        split,
        alias,
        builder_image: builder_ref,
        runtime_image: runtime_ref.clone(),
        builder_prelude: out.builder_prelude.clone(),
        prelude_after: out.prelude_after,
        builder_finale: out.builder_finale.clone(),
        before_copy,
        copy_owners: artifacts.iter().map(|a| copy_owner(view, split, &a.from)).collect(),
        artifacts: artifacts.clone(),
        chown: sf.chown.clone(),
        after_copy,
        program: program.instruction,
        new_argv: new_argv.clone(),
        user_rewrites: sf.user_rewrites.clone(),
        root_workdir: builder::needs_root_workdir(view, split, source_facts, &rt.image, &rt.facts),
    };
    let (edits, emit_review) = emit::edits(&plan)?;
    review.extend(emit_review);
    if !rt.facts.shell
        && let Some(Command::Shell(sh)) = doc.instructions[program.instruction].command()
        && new_argv.is_none()
        && rt.shell_need.is_none()
    {
        review.push(Reason::new(Code::CommandKept, format!("the shell-form command `{sh}` could not be turned into exec form")));
    }
    let dropped = value::Dropped { packages: sf.dropped.clone(), other: out.drops.clone() };
    let source_size = source_facts.size_mb;
    Ok(Body { out, runtime: rt, dropped, source_size, artifacts, runtime_ref, edits, review, program_explain })
}

/// The recipe's artifacts (nested ones folded into their folder), files downloaded to
/// absolute paths, files the stage copied outside the app, and trees put on PATH.
fn collect_artifacts(s: &Settings, view: &StageView<'_>, split: usize, out: &mut recipes::RecipeOut, review: &mut Vec<Reason>) -> Vec<Artifact> {
    for f in safety::fetched_files(view) {
        out.artifacts.push(Artifact::same(f, "downloaded by a RUN in the single stage"));
    }
    let mut artifacts: Vec<Artifact> = Vec::new();
    for a in &out.artifacts {
        if !artifacts.iter().any(|b| a.from.starts_with(&format!("{}/", b.from)) || a.from == b.from) {
            artifacts.push(a.clone());
        }
    }
    let (extra, copy_review) = state::context_copies(view, split, &artifacts);
    review.extend(copy_review);
    artifacts.extend(extra.into_iter().filter(|a| !out.build_only.contains(&a.from)));
    let (extra, path_review) = state::path_trees(view, &artifacts, &s.table.ecosystems.path.default);
    review.extend(path_review);
    artifacts.extend(extra);
    artifacts
}

/// The value gate, the estimate, the label and the explanation.
fn finish(s: &Settings, view: &StageView<'_>, sub: Subject, body: Body, context: Option<PathBuf>, explain: &mut Vec<Reason>) -> Result<Planned, Reason> {
    let (pair, st) = (&sub.pair, &view.doc.stages[0]);
    let builder = if pair.builder_changed { pair.builder.clone() } else { st.image.clone().unwrap_or_default() };
    value::gate(&builder, &body.runtime.image, &body.dropped)?;
    // What the pull request saves: the image the file ships today → the new runtime (a
    // vendor's dev builder is larger than the file's own image and is not shipped).
    let original = st.image.clone().unwrap_or_default();
    let estimate = value::estimate(&s.table, (&original, body.source_size), (&body.runtime.image, body.runtime.facts.size_mb), &body.dropped);
    if let Some(mb) = estimate {
        explain.push(Reason::new(Code::Saving, value::describe(mb, &original, &body.runtime.image, &body.dropped)));
    }
    // Reasons shown with the fix: what needs review plus the pair's notes. `--explain` adds
    // every decision and the artifacts.
    let mut reasons = body.review.clone();
    reasons.extend(pair.version_notes.iter().map(|n| Reason::new(Code::VersionChange, n.clone())));
    let pair_notes: Vec<&String> = pair.notes.iter().filter(|n| !body.out.moot_pair_notes.contains(n)).collect();
    reasons.extend(pair_notes.iter().map(|n| Reason::new(Code::PairNote, (*n).clone())));
    let applicability = if reasons.is_empty() { Applicability::Safe } else { Applicability::NeedsReview };
    explain.extend(body.program_explain.iter().cloned());
    explain.extend(body.out.notes.iter().cloned());
    explain.extend(pair_notes.iter().map(|n| Reason::new(Code::PairNote, (*n).clone())));
    explain.extend(body.artifacts.iter().map(|a| Reason::new(Code::Copy, format!("copies {} ({})", a.from, a.why))));
    explain.extend(body.review.iter().map(|r| Reason { message: format!("review: {}", r.message), ..r.clone() }));
    Ok(Planned {
        family: Some(sub.family),
        fix: Fix { edits: body.edits, applicability, reasons },
        builder: Some(builder),
        runtime: Some(body.runtime_ref),
        artifacts: body.artifacts,
        estimate_mb: estimate,
        explain: std::mem::take(explain),
        context,
    })
}

/// The family for this file: the one asked for, else the one that claims the base image
/// (its mirror mapped back for the lookup), else the default.
fn choose_family(s: &Settings, src: &crate::image::ImageRef, explain: &mut Vec<Reason>) -> (String, Option<String>, crate::image::ImageRef) {
    let inferred = s.infer_family.then(|| s.table.infer_family(src, s.registry.as_deref())).flatten();
    let Some(inf) = inferred else { return (s.family.clone(), s.registry.clone(), src.clone()) };
    let mut why = format!("family {} inferred from the base image ({})", inf.family, inf.origin);
    let (registry, lookup_src) = match &inf.mirror {
        Some((mirror, official)) => {
            why.push_str(&format!("; {mirror} mirrors {official}"));
            let name = src.name().replacen(mirror.as_str(), official, 1);
            let tag = src.tag.as_ref().map_or(String::new(), |t| format!(":{t}"));
            (Some(mirror.clone()), crate::image::ImageRef::parse(&format!("{name}{tag}")).unwrap_or_else(|| src.clone()))
        }
        None => (s.registry.clone(), src.clone()),
    };
    explain.push(Reason::new(Code::Pair, why));
    (inf.family, registry, lookup_src)
}

/// The `--chown` of the original COPY that filled `path` as a whole (`COPY --chown=node . .`
/// into the WORKDIR), so the runtime's copy keeps the owner the program expects.
fn copy_owner(view: &StageView<'_>, split: usize, path: &str) -> Option<String> {
    view.instructions()
        .take_while(|(i, _)| *i < split)
        .filter(|(i, ins)| matches!(&ins.details, crate::document::Details::Copy { dest, .. } if stage::join(&view.workdir[*i], dest) == path))
        .filter_map(|(_, ins)| ins.flag("chown").and_then(|f| f.value.clone()))
        .last()
}

/// A derived image written with the FROM's global ARGs again: `FROM ruby:$RUBY_VERSION`
/// with `ARG RUBY_VERSION=3.3` gives the runtime `ruby:${RUBY_VERSION}-slim`, so changing
/// the ARG still moves both stages (rule 2: never bake the default in). When the value
/// does not appear in the derived reference, the pinned value is a review reason.
fn rebind_args(doc: &Document, raw: &str, derived: &str, review: &mut Vec<Reason>) -> String {
    let mut out = derived.to_string();
    for (name, default) in doc.global_arg_defaults() {
        let used = raw.contains(&format!("${name}")) || raw.contains(&format!("${{{name}}}"));
        let Some(value) = default.filter(|v| !v.is_empty() && used) else { continue };
        let tag_at = out.rfind(['/', '@']).map_or(0, |i| i + 1);
        match out[tag_at..].find(&value) {
            Some(i) => out.replace_range(tag_at + i..tag_at + i + value.len(), &format!("${{{name}}}")),
            None => {
                let r = Reason::new(Code::ContextMissing, format!("FROM uses ${name}; {derived} pins its default {value}: change both when the ARG changes"));
                if !review.contains(&r) {
                    review.push(r);
                }
            }
        }
    }
    out
}

/// The new argv for the program, if it must change: npm start translated, preset entrypoint
/// prefix removed, simple shell form turned into exec form on a shell-less runtime.
fn program_argv(
    view: &StageView<'_>,
    program: &stage::Program,
    from_recipe: &Option<Vec<String>>,
    facts: &crate::knowledge::Facts,
    lines: &mut Vec<String>,
    explain: &mut Vec<Reason>,
) -> Option<Vec<String>> {
    let ins = &view.doc.instructions[program.instruction];
    let has_entrypoint = view.instructions().any(|(_, i)| i.kind == Kind::Entrypoint);
    let mut argv = from_recipe.clone().or_else(|| safety::argv_of(ins))?;
    let mut changed = from_recipe.is_some();
    // A shell-less language runtime whose preset ENTRYPOINT the facts do not state (Minimus,
    // DHI): the CMD that starts its interpreter runs as written once `ENTRYPOINT []` clears
    // whatever the image presets.
    if let (None, false, false, Kind::Cmd, Some(interp)) = (&facts.entrypoint, facts.shell, has_entrypoint, &ins.kind, &facts.interpreter)
        && argv.first().is_some_and(|a| safety::strip_preset(std::slice::from_ref(a), std::slice::from_ref(interp)).is_some())
    {
        explain.push(Reason::new(Code::Program, "the runtime's preset ENTRYPOINT is not known: `ENTRYPOINT []` clears it, the CMD runs as written"));
        lines.push("ENTRYPOINT []".to_string());
    }
    if let (Some(preset), false, Kind::Cmd) = (&facts.entrypoint, has_entrypoint, &ins.kind)
        && let Some(rest) = safety::strip_preset(&argv, preset)
    {
        explain.push(Reason::new(Code::Program, format!("the runtime's preset ENTRYPOINT {} runs the CMD's arguments", exec_json(preset))));
        argv = rest;
        changed = true;
    }
    if !facts.shell
        && let Some(Command::Shell(s)) = ins.command()
        && safety::is_simple(s)
    {
        changed = true;
        explain.push(Reason::new(Code::Program, "shell-form command turned into exec form: the runtime has no shell"));
    }
    changed.then_some(argv)
}
