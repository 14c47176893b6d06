//! The emitter: a decided split ([`StagePlan`]) turned into byte-range edits.
//!
//! Everything textual lives here: keyword casing follows the file's FROM, lines use the
//! file's newline style, COPY paths with blanks use the JSON form, a changed program is
//! written in exec form. The original stage becomes the builder (` AS build`) and the
//! runtime header is inserted before the split instruction's leading trivia, so the
//! instructions that follow stay byte-identical and now configure the runtime.

use super::recipes::Artifact;
use super::stage::StageView;
use crate::document::{Details, Document, Instruction, Kind};
use crate::edit::Edit;
use crate::outcome::{Code, Reason};

/// What the split decided, ready to be written.
pub struct StagePlan<'a> {
    pub view: &'a StageView<'a>,
    /// Index of the instruction the runtime stage starts before.
    pub split: usize,
    pub alias: String,
    /// New builder image, when it changes.
    pub builder_image: Option<String>,
    pub runtime_image: String,
    pub builder_prelude: Vec<String>,
    /// The instruction the prelude follows (None: the FROM).
    pub prelude_after: Option<usize>,
    pub builder_finale: Vec<String>,
    /// Runtime lines before the copies (package installs, users, directories).
    pub before_copy: Vec<String>,
    pub artifacts: Vec<Artifact>,
    /// `--chown` for every copy (the build stage's non-root USER).
    pub chown: Option<String>,
    /// Per copy, the `--chown` the original COPY of those files had (when `chown` is None).
    pub copy_owners: Vec<Option<String>>,
    /// Runtime lines after the copies (recipe ENV, USER).
    pub after_copy: Vec<String>,
    /// The program instruction and its new argv, when it changes.
    pub program: usize,
    pub new_argv: Option<Vec<String>>,
    /// USER values replaced in the runtime part: (instruction index, value).
    pub user_rewrites: Vec<(usize, String)>,
    /// `WORKDIR /` in the runtime although the file has none (an image whose WORKDIR is unknown).
    pub root_workdir: bool,
}

/// Keyword casing of the file: lower case when its FROM is.
struct Casing {
    lower: bool,
}

impl Casing {
    fn kw(&self, kw: &str) -> String {
        if self.lower { kw.to_ascii_lowercase() } else { kw.to_string() }
    }
    /// A generated line: its upper-case keyword in the file's casing.
    fn line(&self, line: &str) -> String {
        match line.split_once(' ') {
            Some((kw, rest)) if kw.chars().all(|c| c.is_ascii_uppercase()) => format!("{} {rest}", self.kw(kw)),
            _ => line.to_string(),
        }
    }
}

/// The edits of a split, plus what the emitter could not do as planned (needs review).
pub fn edits(p: &StagePlan<'_>) -> Result<(Vec<Edit>, Vec<Reason>), Reason> {
    let view = p.view;
    let doc = view.doc;
    let from_ins = &doc.instructions[view.from];
    let Details::From { image_span, .. } = &from_ins.details else { unreachable!("a stage starts with FROM") };
    if image_span.is_empty() {
        return Err(Reason::new(Code::ImageReference, "could not locate the image in FROM").at(from_ins.start_line));
    }
    let case = Casing { lower: doc.slice(from_ins.keyword.clone()).chars().all(|c| c.is_ascii_lowercase()) };
    let mut edits: Vec<Edit> = Vec::new();
    let mut review = Vec::new();
    if let Some(b) = &p.builder_image {
        edits.push(Edit::replace(image_span.clone(), b.clone()));
    }
    if doc.stages[0].alias.is_none() {
        edits.push(Edit::insert(image_span.end, format!(" {} {}", case.kw("AS"), p.alias)));
    }
    if !p.builder_prelude.is_empty() {
        let text: String = p.builder_prelude.iter().map(|l| format!("{}\n", case.line(l))).collect();
        let at = p.prelude_after.map_or(from_ins.span.end, |i| doc.instructions[i].span.end);
        edits.push(Edit::insert(at, doc.newlines(&text)));
    }
    let header = runtime_header(p, &case)?;
    let text: String = header.iter().map(|l| format!("{l}\n")).collect();
    edits.push(Edit::insert(doc.instructions[p.split].leading.start, doc.newlines(&text)));
    if let (true, Some(a)) = (p.program >= p.split, &p.new_argv) {
        let ins = &doc.instructions[p.program];
        if ins.start_line != ins.end_line {
            review.push(Reason::new(Code::CommandKept, "the program's CMD spans several lines: left as written").at(ins.start_line));
        } else {
            edits.push(Edit::replace(args_range(doc, ins), exec_json(a)));
        }
    }
    for (i, v) in &p.user_rewrites {
        edits.push(Edit::replace(args_range(doc, &doc.instructions[*i]), v.clone()));
    }
    Ok((edits, review))
}

/// The runtime stage's header: builder finale, FROM, the ARGs it needs, WORKDIR, what the
/// builder part declared that does not cross stages, the copies and the recipe's lines.
fn runtime_header(p: &StagePlan<'_>, case: &Casing) -> Result<Vec<String>, Reason> {
    let view = p.view;
    let doc = view.doc;
    let mut header: Vec<String> = p.builder_finale.iter().map(|l| case.line(l)).collect();
    header.push(String::new());
    header.push(format!("{} {}", case.kw("FROM"), p.runtime_image));
    let runtime_part: String = doc.instructions[p.split..view.end].iter().map(|i| doc.slice(i.span.clone())).collect();
    let mut redeclared: Vec<String> = Vec::new();
    let mut stage_args = Vec::new();
    for (i, ins) in view.instructions().take_while(|(i, _)| *i < p.split) {
        let text = doc.slice(ins.span.clone()).trim_end_matches(['\r', '\n']).to_string();
        match ins.kind {
            Kind::Env | Kind::Label | Kind::Expose | Kind::Volume | Kind::Stopsignal | Kind::Healthcheck | Kind::Shell => redeclared.push(text),
            Kind::Cmd | Kind::Entrypoint => match &p.new_argv {
                Some(a) if i == p.program => redeclared.push(format!("{} {}", doc.slice(ins.keyword.clone()), exec_json(a))),
                _ => redeclared.push(text),
            },
            Kind::Arg => stage_args.push((ins, text)),
            _ => {}
        }
    }
    // Global and stage ARGs referenced by what the runtime stage says.
    let mentions = |name: &str, hay: &str| hay.contains(&format!("${name}")) || hay.contains(&format!("${{{name}}}"));
    let hay = format!("{runtime_part}\n{}\n{}", redeclared.join("\n"), p.before_copy.join("\n"));
    for (name, _) in doc.global_arg_defaults() {
        if mentions(&name, &hay) {
            header.push(format!("{} {name}", case.kw("ARG")));
        }
    }
    for (ins, text) in stage_args {
        if crate::document::split_assignments(ins.args(), doc.escape).iter().any(|(n, _)| mentions(n, &hay)) {
            header.push(text);
        }
    }
    let wd = view.workdir[p.split].clone();
    if wd != "/" {
        let written = view.instructions().filter(|(i, ins)| *i < p.split && ins.kind == Kind::Workdir).last().map(|(_, ins)| ins.args().to_string());
        header.push(format!("{} {}", case.kw("WORKDIR"), written.filter(|w| w.starts_with('/')).unwrap_or(wd)));
    } else if p.root_workdir {
        header.push(format!("{} /", case.kw("WORKDIR")));
    }
    header.extend(redeclared);
    header.extend(p.before_copy.iter().map(|l| case.line(l)));
    for (n, a) in p.artifacts.iter().enumerate() {
        let owner = p.chown.as_ref().or(p.copy_owners.get(n).and_then(Option::as_ref));
        let chown = owner.map_or(String::new(), |u| format!(" --chown={u}"));
        if a.from.is_empty() || a.to.is_empty() || a.from == "/" {
            return Err(Reason::new(Code::UnknownOutput, format!("the build output to copy ({}) is the image root or empty", a.why)));
        }
        header.push(format!("{}{chown} --from={} {}", case.kw("COPY"), p.alias, copy_paths(&a.from, &a.to)));
    }
    header.extend(p.after_copy.iter().map(|l| case.line(l)));
    Ok(header)
}

/// `SRC DST`, or the JSON form when a path has blanks or quotes.
fn copy_paths(from: &str, to: &str) -> String {
    if [from, to].iter().any(|p| p.contains(|c: char| c.is_whitespace() || c == '"' || c == '\'')) {
        exec_json(&[from.to_string(), to.to_string()])
    } else {
        format!("{from} {to}")
    }
}

pub fn exec_json(argv: &[String]) -> String {
    let items: Vec<String> = argv.iter().map(|a| serde_json::to_string(a).expect("strings serialise")).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_blanks_use_the_json_form() {
        assert_eq!(copy_paths("/out/app", "/out/app"), "/out/app /out/app");
        assert_eq!(copy_paths("/out dir/app", "/out dir/app"), r#"["/out dir/app", "/out dir/app"]"#);
    }

    #[test]
    fn generated_keywords_follow_the_file() {
        let c = Casing { lower: true };
        assert_eq!(c.line("COPY --from=build /a /a"), "copy --from=build /a /a");
        assert_eq!(c.line("apt-get x"), "apt-get x");
    }
}
