//! Children of the official `*-onbuild` images (`FROM golang:1.9-onbuild`, often nothing
//! else). Their build happens in the parent's ONBUILD triggers, so the file shows no build
//! step and nothing to split. When the parent's triggers are known (`[[ecosystems.onbuild]]`
//! in `mappings/ecosystems.toml`), they are written out right after the FROM on the plain
//! image of the same tag, in plain form (go-wrapper is only in the onbuild images), the
//! parent's CMD is added when the child sets none, and the expanded file goes through the
//! ordinary split. The rewrite replaces the child with the result, labelled needs review:
//! the reader checks that the written-out steps are what the parent did.

use crate::document::{Details, Document, Kind};
use crate::edit::{Applicability, Edit};
use crate::image::ImageRef;
use crate::knowledge::Table;
use crate::knowledge::ecosystems::Onbuild;
use crate::outcome::{Code, Reason};
use crate::plan::{Decision, Settings};
use std::path::Path;

/// A child file with the parent's steps written out.
#[derive(Debug)]
pub struct Expanded {
    pub text: String,
    /// The onbuild image as the file names it, and the plain image it now builds on.
    pub onbuild: String,
    pub plain: String,
    pub review: Reason,
}

/// The child with its parent's triggers written out, when the FROM names a known onbuild
/// variant (single stage, no digest: a digest pins the onbuild image itself).
pub fn expand(doc: &Document, table: &Table) -> Option<Expanded> {
    let [st] = doc.stages.as_slice() else { return None };
    let from = &doc.instructions[st.from];
    let Details::From { image_span, .. } = &from.details else { return None };
    let src = ImageRef::parse(st.image.as_deref()?)?;
    let tag = src.tag.as_deref()?;
    if src.digest.is_some() || !(tag == "onbuild" || tag.ends_with("-onbuild")) {
        return None;
    }
    let entry = table.ecosystems.onbuild(&src.name())?;
    if doc.instructions[st.from..st.end].iter().any(|i| i.kind == Kind::Onbuild) {
        return None;
    }
    let raw = &doc.text[image_span.clone()];
    let plain_raw = plain_reference(raw, entry)?;
    let nl = doc.newline.as_str();
    let mut text = String::with_capacity(doc.text.len() + 256);
    text.push_str(&doc.text[..image_span.start]);
    text.push_str(&plain_raw);
    text.push_str(&doc.text[image_span.end..from.span.end]);
    if !text.ends_with('\n') {
        text.push_str(nl);
    }
    for step in &entry.steps {
        text.push_str(step);
        text.push_str(nl);
    }
    text.push_str(&doc.text[from.span.end..]);
    let has_program = doc.instructions[st.from..st.end].iter().any(|i| matches!(i.kind, Kind::Cmd | Kind::Entrypoint));
    let cmd = entry.cmd.as_ref().filter(|_| !has_program);
    if let Some(argv) = cmd {
        if !text.ends_with('\n') {
            text.push_str(nl);
        }
        text.push_str(&format!("CMD {}{nl}", crate::plan::exec_json(argv)));
    }
    let plain = plain_reference(&src.to_string(), entry).unwrap_or_else(|| plain_raw.clone());
    let mut message = format!("the ONBUILD triggers of {src} are written out as plain builder steps (its plain image is {plain})");
    if let Some(argv) = cmd {
        message.push_str(&format!(", with its CMD as {}", crate::plan::exec_json(argv)));
    }
    if !entry.plain.is_empty() {
        message.push_str(&format!(" ({})", entry.plain));
    }
    message.push_str(": check they are what the parent image did");
    Some(Expanded { text, onbuild: src.to_string(), plain, review: Reason::new(Code::OnbuildExpanded, message).at(from.start_line) })
}

/// `golang:1.9-onbuild` → `golang:1.9`; `golang:onbuild` → `golang:{last}`.
fn plain_reference(raw: &str, entry: &Onbuild) -> Option<String> {
    if let Some(base) = raw.strip_suffix("-onbuild") {
        return Some(base.to_string());
    }
    raw.strip_suffix(":onbuild").map(|name| format!("{name}:{}", entry.last))
}

/// The split of a child of a known onbuild image (None: not one, the ordinary path runs).
pub fn split(doc: &Document, dockerfile: Option<&Path>, s: &Settings) -> Option<Decision> {
    let exp = expand(doc, &s.table)?;
    let inner = match Document::parse(exp.text.as_str()) {
        Ok(d) => d,
        Err(e) => {
            let why = format!("ONBUILD parent image {}: its written-out triggers do not parse ({})", exp.onbuild, e.message);
            return Some(Decision::Skip(Reason::new(Code::Onbuild, why), Vec::new()));
        }
    };
    let mut explain = vec![Reason::new(Code::Step, format!("{} expanded into plain steps on {}", exp.onbuild, exp.plain))];
    Some(match crate::plan::split(&inner, dockerfile, s, &mut explain) {
        Ok(mut p) => {
            let Ok(out) = crate::edit::apply(&inner.text, &p.fix.edits) else {
                return Some(Decision::Skip(
                    Reason::new(Code::Onbuild, format!("ONBUILD parent image {}: the expanded split does not apply", exp.onbuild)),
                    explain,
                ));
            };
            p.fix.edits = vec![whole_edit(&doc.text, &out)];
            p.fix.reasons.insert(0, exp.review.clone());
            p.fix.applicability = Applicability::NeedsReview;
            p.explain.push(Reason { message: format!("review: {}", exp.review.message), ..exp.review.clone() });
            Decision::Rewrite(Box::new(p))
        }
        Err(r) => Decision::Skip(Reason { message: format!("{} (after writing out the ONBUILD triggers of {})", r.message, exp.onbuild), ..r }, explain),
    })
}

/// One edit turning `before` into `after`: the differing middle, on character boundaries.
fn whole_edit(before: &str, after: &str) -> Edit {
    let (b, a) = (before.as_bytes(), after.as_bytes());
    let mut start = b.iter().zip(a).take_while(|(x, y)| x == y).count();
    while !before.is_char_boundary(start) || !after.is_char_boundary(start) {
        start -= 1;
    }
    let max_suffix = b.len().min(a.len()) - start;
    let mut suffix = b.iter().rev().zip(a.iter().rev()).take(max_suffix).take_while(|(x, y)| x == y).count();
    while !before.is_char_boundary(b.len() - suffix) || !after.is_char_boundary(a.len() - suffix) {
        suffix -= 1;
    }
    Edit::replace(start..b.len() - suffix, &after[start..a.len() - suffix])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table::builtin()
    }

    #[test]
    fn the_triggers_follow_the_from_and_the_parent_cmd_ends_the_file() {
        let d = Document::parse("FROM golang:1.9-onbuild\n").unwrap();
        let e = expand(&d, &table()).unwrap();
        assert_eq!(
            e.text,
            "FROM golang:1.9\nWORKDIR /go/src/app\nCOPY . /go/src/app\nRUN GO111MODULE=off go get -v -d\nRUN GO111MODULE=off go install -v\nCMD [\"app\"]\n"
        );
        assert_eq!(e.review.code, Code::OnbuildExpanded);
        assert!(e.review.message.contains("go get -v -d"), "{}", e.review.message);
    }

    #[test]
    fn a_bare_onbuild_tag_is_the_last_version_and_the_child_cmd_wins() {
        let d = Document::parse("FROM python:onbuild\r\nEXPOSE 80\r\nCMD [\"python\", \"app.py\"]").unwrap();
        let e = expand(&d, &table()).unwrap();
        assert!(e.text.starts_with("FROM python:3.6\r\nWORKDIR /usr/src/app\r\n"), "{}", e.text);
        assert!(e.text.ends_with("CMD [\"python\", \"app.py\"]"), "{}", e.text);
        assert_eq!(e.text.matches("CMD").count(), 1);
    }

    #[test]
    fn unknown_pinned_or_parent_files_are_not_expanded() {
        for t in [
            "FROM nanoserverapiscan:onbuild\nCMD x\n",
            "FROM golang:1.9-onbuild@sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
            "FROM golang:1.9\nONBUILD COPY . /x\n",
            "FROM golang:1.9-onbuild\nONBUILD RUN x\n",
            "FROM golang:1.9-onbuild AS a\nFROM a\n",
        ] {
            assert!(expand(&Document::parse(t).unwrap(), &table()).is_none(), "{t}");
        }
    }

    #[test]
    fn the_edit_is_the_differing_middle() {
        let e = whole_edit("FROM a\nCMD é\n", "FROM b AS x\nCMD é\n");
        assert_eq!((e.range, e.content.as_str()), (5..6, "b AS x"));
        let e = whole_edit("aé", "aè");
        assert_eq!(apply_one("aé", &e), "aè");
        assert_eq!(apply_one("abab", &whole_edit("abab", "ab")), "ab");
    }

    fn apply_one(t: &str, e: &Edit) -> String {
        crate::edit::apply(t, std::slice::from_ref(e)).unwrap()
    }
}
