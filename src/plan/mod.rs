//! The split: one build stage → builder + runtime, as minimal byte-range edits.
//!
//! `analyze` decides (skip with a reason, or a [`Fix`] with applicability and reasons); it
//! never writes. The original stage becomes the builder (` AS build`), and a runtime stage is
//! inserted right before the first runtime-only instruction after the last build step, so the
//! instructions that follow (CMD, EXPOSE, USER …) stay byte-identical and now configure the
//! runtime. Image state that does not cross stages is re-declared in the runtime header.

mod context;
mod packages;
pub mod recipes;
mod retarget;
mod safety;
pub mod stage;

use crate::document::{Command, Details, Document, Instruction, Kind};
use crate::edit::{Applicability, Edit, Fix};
use crate::image::ImageRef;
use crate::pairing::Table;
use recipes::{Artifact, Cx};
use serde::Serialize;
use stage::StageView;
use std::path::{Path, PathBuf};

pub struct Settings {
    pub table: Table,
    pub family: String,
    /// `--to` given: multi-stage files are retargeted.
    pub explicit_family: bool,
    pub registry: Option<String>,
    /// `--context DIR`; default: the Dockerfile's folder.
    pub context: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Rewritten,
    Unchanged,
    Skipped,
}

#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub status: Status,
    /// Why it was skipped or left unchanged.
    pub reason: Option<String>,
    pub fix: Option<Fix>,
    pub builder: Option<String>,
    pub runtime: Option<String>,
    pub artifacts: Vec<Artifact>,
    /// Decisions, for `--explain`.
    pub explain: Vec<String>,
    /// The build context the decisions read (`--verify` builds with it too).
    #[serde(skip)]
    pub context: Option<PathBuf>,
}

impl Analysis {
    pub fn skipped(reason: impl Into<String>) -> Analysis {
        Analysis {
            status: Status::Skipped,
            reason: Some(reason.into()),
            fix: None,
            builder: None,
            runtime: None,
            artifacts: Vec::new(),
            explain: Vec::new(),
            context: None,
        }
    }
    pub fn unchanged(reason: impl Into<String>) -> Analysis {
        Analysis { status: Status::Unchanged, ..Analysis::skipped(reason) }
    }
}

const RUNTIME_ONLY: &[Kind] = &[Kind::Cmd, Kind::Entrypoint, Kind::Expose, Kind::User, Kind::Healthcheck, Kind::Volume, Kind::Stopsignal];

pub fn analyze(doc: &Document, dockerfile: Option<&Path>, s: &Settings) -> Analysis {
    if doc.text.lines().any(|l| l.trim_start().starts_with('#') && l.contains("restage: ignore")) {
        return Analysis::skipped("`# restage: ignore` in the file");
    }
    if let Some(i) = doc.instructions.iter().find(|i| matches!(i.kind, Kind::Unknown(_))) {
        let Kind::Unknown(k) = &i.kind else { unreachable!() };
        return Analysis::skipped(format!("unknown instruction `{k}` on line {} (a template?)", i.start_line));
    }
    if doc.stages.len() > 1 {
        if s.explicit_family {
            return retarget::retarget(doc, s);
        }
        return Analysis::skipped("already multi-stage");
    }
    let st = &doc.stages[0];
    let Some(image) = &st.image else {
        return Analysis::skipped(format!("FROM {}: a variable without a default", st.image_raw));
    };
    let Some(src) = ImageRef::parse(image) else {
        return Analysis::skipped(format!("cannot read the image reference `{image}`"));
    };
    if src.is_scratch() {
        return Analysis::skipped("FROM scratch: nothing is built");
    }
    if src.tag.as_deref().is_some_and(|t| t.contains("onbuild")) {
        return Analysis::skipped("ONBUILD parent image: the build happens in its triggers");
    }
    let (context_dir, context_why) = match (&s.context, dockerfile) {
        (Some(c), _) => (Some(c.clone()), None),
        (None, Some(p)) => {
            let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let (c, why) = context::infer(&dir, doc.instructions[st.from..st.end].iter());
            (Some(c), why)
        }
        (None, None) => (None, None),
    };
    let view = StageView::new(doc, st.from, st.end, context_dir.as_deref());
    if view.instructions().any(|(_, i)| i.kind == Kind::Onbuild) {
        return Analysis::skipped("ONBUILD instructions: a base image for other builds");
    }
    let pair = match s.table.lookup(&s.family, &src, s.registry.as_deref()) {
        Ok(p) => p,
        Err(reason) => return Analysis::skipped(reason),
    };
    let Some(recipe) = recipes::for_ecosystem(&pair.ecosystem) else {
        return Analysis::skipped(format!("{} images are not split: {}", pair.ecosystem, policy(&pair.ecosystem)));
    };
    let Some(program) = view.program() else {
        return Analysis::skipped("no CMD or ENTRYPOINT: the program comes from the base image");
    };
    let Some(last_build) = view.instructions().filter(|(_, i)| i.kind == Kind::Run).map(|(i, _)| i).last() else {
        return Analysis::skipped("no build step (no RUN): already a runtime image");
    };
    let last_step = view.instructions().filter(|(_, i)| matches!(i.kind, Kind::Run | Kind::Copy | Kind::Add)).map(|(i, _)| i).last().unwrap_or(last_build);
    let Some(split) = view.instructions().find(|(i, ins)| *i > last_step && RUNTIME_ONLY.contains(&ins.kind)).map(|(i, _)| i) else {
        return Analysis::skipped("no CMD, ENTRYPOINT, EXPOSE or USER after the last build step");
    };
    // Choose the runtime (variants decided by the recipe and the shell check).
    let default_facts = s.table.facts(&pair.runtime);
    let builder_facts = s.table.facts(&pair.builder);
    let cx = Cx { view: &view, program: &program, pair: &pair, runtime_facts: &default_facts, builder_facts: &builder_facts };
    let mut out = match recipe.analyze(&cx) {
        Ok(o) => o,
        Err(reason) => return Analysis::skipped(reason),
    };
    let mut explain = vec![format!("pair {} ({}): builder {} / runtime {}", pair.ecosystem, pair.origin, pair.builder, pair.runtime)];
    explain.extend(context_why);
    let mut review = out.review.clone();
    let mut runtime = pair.runtime.clone();
    if let Some(v) = &out.variant {
        match pair.variants.get(v) {
            Some(r) => {
                runtime = r.clone();
                explain.push(format!("runtime variant `{v}`: {r}"));
            }
            None if v == "cgo" || v == "musl" => {
                review.push(format!("the {} family has no `{v}` runtime variant; {runtime} may not run the binary", pair.family))
            }
            None => {}
        }
    }
    let mut facts = s.table.facts(&runtime);
    let shell_need = safety::program_needs_shell(&view, &program).or_else(|| out.needs_shell.then(|| "the program is a start script".to_string()));
    if let (Some(why), false) = (&shell_need, facts.shell) {
        match pair.variants.get("shell") {
            Some(r) => {
                explain.push(format!("{why}: runtime with a shell {r}"));
                runtime = r.clone();
                facts = s.table.facts(&runtime);
            }
            None => review.push(format!("{why}, and {runtime} has no shell")),
        }
    }
    let sf = safety::check(&safety::Input { view: &view, split, facts: &facts, runtime: &runtime });
    review.extend(sf.review.iter().cloned());
    out.notes.extend(sf.notes.iter().cloned());
    if let Some(p) = &st.platform
        && p.contains("TARGETPLATFORM")
    {
        review.push(format!("the builder runs on --platform={p} (emulated); cross-compile on $BUILDPLATFORM instead"));
    }
    if facts.is_root() && !default_facts.is_root() {
        explain.push(format!("{runtime} runs as root by default"));
    }

    // Stage name.
    let from_ins = &doc.instructions[st.from];
    let Details::From { image_span, .. } = &from_ins.details else { unreachable!() };
    if image_span.is_empty() {
        return Analysis::skipped("could not locate the image in FROM");
    }
    let copy_from_images: Vec<String> = view.instructions().filter_map(|(_, i)| i.flag("from").and_then(|f| f.value.clone())).collect();
    let alias = match &st.alias {
        Some(a) => a.clone(),
        None => match ["build", "builder", "build-stage", "restage-build"]
            .iter()
            .find(|n| !copy_from_images.iter().any(|c| c.eq_ignore_ascii_case(n) || c.split([':', '/']).next() == Some(n)))
        {
            Some(n) => n.to_string(),
            None => return Analysis::skipped("every stage name restage uses collides with a COPY --from image"),
        },
    };
    if !copy_from_images.is_empty() {
        explain.push(format!("stage named `{alias}`: COPY --from uses {}", copy_from_images.join(", ")));
    }
    let lower = doc.slice(from_ins.keyword.clone()).chars().all(|c| c.is_ascii_lowercase());
    let k = |kw: &str| if lower { kw.to_ascii_lowercase() } else { kw.to_string() };
    let kwl = |line: &str| -> String {
        match line.split_once(' ') {
            Some((kw, rest)) if kw.chars().all(|c| c.is_ascii_uppercase()) => format!("{} {rest}", k(kw)),
            _ => line.to_string(),
        }
    };

    let mut edits: Vec<Edit> = Vec::new();
    // 1. FROM: builder image and alias.
    if pair.builder_changed {
        edits.push(Edit::replace(image_span.clone(), pair.builder.clone()));
    }
    if st.alias.is_none() {
        edits.push(Edit::insert(image_span.end, format!(" {} {alias}", k("AS"))));
    }
    // 2. Builder prelude right after FROM.
    if !out.builder_prelude.is_empty() {
        let text: String = out.builder_prelude.iter().map(|l| format!("{}\n", kwl(l))).collect();
        edits.push(Edit::insert(from_ins.span.end, doc.newlines(&text)));
    }
    // 3. Runtime header before the split instruction's leading trivia.
    let split_ins = &doc.instructions[split];
    let mut header: Vec<String> = Vec::new();
    for l in &out.builder_finale {
        header.push(kwl(l));
    }
    header.push(String::new());
    header.push(format!("{} {runtime}", k("FROM")));
    let runtime_part: String = doc.instructions[split..st.end].iter().map(|i| doc.slice(i.span.clone())).collect();
    let mut redeclared: Vec<String> = Vec::new();
    let program_ins = program.instruction;
    let new_argv = program_argv(&view, &program, &out.program_argv, &facts, &mut explain);
    let mut copies_before_split = Vec::new();
    for (i, ins) in view.instructions() {
        if i >= split {
            break;
        }
        let text = doc.slice(ins.span.clone()).trim_end_matches(['\r', '\n']).to_string();
        match ins.kind {
            Kind::Env | Kind::Label | Kind::Expose | Kind::Volume | Kind::Stopsignal | Kind::Healthcheck | Kind::Shell => redeclared.push(text),
            Kind::Cmd | Kind::Entrypoint => {
                if i == program_ins
                    && let Some(a) = &new_argv
                {
                    redeclared.push(format!("{} {}", doc.slice(ins.keyword.clone()), exec_json(a)));
                    continue;
                }
                redeclared.push(text)
            }
            Kind::Arg => copies_before_split.push((ins, text)),
            _ => {}
        }
    }
    // Global and stage ARGs referenced by what the runtime stage says.
    let mentions = |name: &str, hay: &str| hay.contains(&format!("${name}")) || hay.contains(&format!("${{{name}}}"));
    let hay = format!("{runtime_part}\n{}\n{}", redeclared.join("\n"), sf.header_before_copy.join("\n"));
    for (name, _) in doc.global_arg_defaults() {
        if mentions(&name, &hay) {
            header.push(format!("{} {name}", k("ARG")));
        }
    }
    for (ins, text) in copies_before_split {
        let names = crate::document::split_assignments(ins.args(), doc.escape);
        if names.iter().any(|(n, _)| mentions(n, &hay)) {
            header.push(text);
        }
    }
    let wd = view.workdir[split].clone();
    if wd != "/" {
        let wd_written = view.instructions().filter(|(i, ins)| *i < split && ins.kind == Kind::Workdir).last().map(|(_, ins)| ins.args().to_string());
        header.push(format!("{} {}", k("WORKDIR"), if wd_written.as_deref().is_some_and(|w| w.starts_with('/')) { wd_written.unwrap() } else { wd.clone() }));
    }
    header.extend(redeclared);
    header.extend(sf.header_before_copy.iter().map(|l| kwl(l)));
    let chown = sf.chown.as_ref().map_or(String::new(), |u| format!(" --chown={u}"));
    let mut artifacts: Vec<Artifact> = Vec::new();
    for f in safety::fetched_files(&view) {
        out.artifacts.push(Artifact::same(f, "downloaded by a RUN in the single stage"));
    }
    for a in &out.artifacts {
        if artifacts.iter().any(|b| a.from.starts_with(&format!("{}/", b.from)) || a.from == b.from) {
            continue;
        }
        artifacts.push(a.clone());
    }
    for a in &artifacts {
        header.push(format!("{}{chown} --from={alias} {} {}", k("COPY"), a.from, a.to));
    }
    header.extend(out.runtime_lines.iter().map(|l| kwl(l)));
    header.extend(sf.header_after_copy.iter().map(|l| kwl(l)));
    let header_text: String = header.iter().map(|l| format!("{l}\n")).collect();
    edits.push(Edit::insert(split_ins.leading.start, doc.newlines(&header_text)));
    // 4. Runtime part: program rewrite and USER values.
    if let (true, Some(a)) = (program_ins >= split, &new_argv) {
        let ins = &doc.instructions[program_ins];
        if ins.start_line != ins.end_line {
            review.push("the program's CMD spans several lines: left as written".into());
        } else {
            edits.push(Edit::replace(args_range(doc, ins), exec_json(a)));
        }
    }
    for (i, v) in &sf.user_rewrites {
        edits.push(Edit::replace(args_range(doc, &doc.instructions[*i]), v.clone()));
    }
    if !facts.shell
        && let Some(Command::Shell(sh)) = doc.instructions[program_ins].command()
        && new_argv.is_none()
        && shell_need.is_none()
    {
        review.push(format!("the shell-form command `{sh}` could not be turned into exec form"));
    }

    // Reasons shown with the fix: what needs review plus the pair's notes. `--explain` adds
    // every decision and the artifacts.
    let mut reasons = review.clone();
    reasons.extend(pair.notes.iter().cloned());
    let applicability = if reasons.is_empty() { Applicability::Safe } else { Applicability::NeedsReview };
    explain.extend(out.notes.iter().cloned());
    explain.extend(pair.notes.iter().cloned());
    explain.extend(artifacts.iter().map(|a| format!("copies {} ({})", a.from, a.why)));
    explain.extend(review.iter().map(|r| format!("review: {r}")));
    Analysis {
        status: Status::Rewritten,
        reason: None,
        fix: Some(Fix { edits, applicability, reasons }),
        builder: Some(if pair.builder_changed { pair.builder.clone() } else { image.clone() }),
        runtime: Some(runtime),
        artifacts,
        explain,
        context: context_dir,
    }
}

/// The new argv for the program, if it must change: npm start translated, preset entrypoint
/// prefix removed, simple shell form turned into exec form on a shell-less runtime.
fn program_argv(
    view: &StageView<'_>,
    program: &stage::Program,
    from_recipe: &Option<Vec<String>>,
    facts: &crate::pairing::Facts,
    explain: &mut Vec<String>,
) -> Option<Vec<String>> {
    let ins = &view.doc.instructions[program.instruction];
    let has_entrypoint = view.instructions().any(|(_, i)| i.kind == Kind::Entrypoint);
    let mut argv = from_recipe.clone().or_else(|| safety::argv_of(ins))?;
    let mut changed = from_recipe.is_some();
    if let (Some(preset), false, Kind::Cmd) = (&facts.entrypoint, has_entrypoint, &ins.kind)
        && let Some(rest) = safety::strip_preset(&argv, preset)
    {
        explain.push(format!("the runtime's preset ENTRYPOINT {} runs the CMD's arguments", exec_json(preset)));
        argv = rest;
        changed = true;
    }
    if !facts.shell
        && let Some(Command::Shell(s)) = ins.command()
        && safety::is_simple(s)
    {
        changed = true;
        explain.push("shell-form command turned into exec form: the runtime has no shell".into());
    }
    changed.then_some(argv)
}

fn exec_json(argv: &[String]) -> String {
    let items: Vec<String> = argv.iter().map(|a| serde_json::to_string(a).unwrap()).collect();
    format!("[{}]", items.join(", "))
}

/// From after the keyword's following blank to the end of the line's content.
fn args_range(doc: &Document, ins: &Instruction) -> std::ops::Range<usize> {
    let text = &doc.text;
    let mut start = ins.keyword.end;
    while text.as_bytes().get(start).is_some_and(|b| *b == b' ' || *b == b'\t') {
        start += 1;
    }
    let end = text[..ins.span.end].trim_end_matches(['\n', '\r']).len();
    start..end.max(start)
}

fn policy(eco: &str) -> &'static str {
    match eco {
        "php" => "PHP extensions are compiled into the serving image, so there is no smaller runtime to move to (see README: PHP policy)",
        _ => "no recipe for this ecosystem",
    }
}
