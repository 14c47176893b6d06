//! Retargeting an existing multi-stage file onto a family (`--to FAMILY` given): building
//! stages take the family's builder image, the final stage its runtime, where a pair matches.

use super::{Decision, Planned, Settings};
use crate::document::{Details, Document, Kind};
use crate::edit::{Applicability, Edit, Fix};
use crate::image::ImageRef;
use crate::outcome::{Code, Reason};

pub fn retarget(doc: &Document, s: &Settings) -> Decision {
    let mut edits = Vec::new();
    let mut reasons = Vec::new();
    let last = doc.stages.len() - 1;
    let copied_from: Vec<String> = doc.instructions.iter().filter_map(|i| i.flag("from").and_then(|f| f.value.clone())).collect();
    for (n, st) in doc.stages.iter().enumerate() {
        let (Some(image), None) = (&st.image, st.parent_stage) else { continue };
        let Some(src) = ImageRef::parse(image) else { continue };
        let builds = doc.instructions[st.from + 1..st.end].iter().any(|i| i.kind == Kind::Run)
            || st.alias.as_ref().is_some_and(|a| copied_from.iter().any(|c| c == a))
            || copied_from.iter().any(|c| c == &n.to_string());
        let Ok(pair) = s.table.lookup_with(&s.family, &src, s.registry.as_deref(), s.upgrade) else { continue };
        let target = if n == last {
            &pair.runtime
        } else if builds {
            &pair.builder
        } else {
            continue;
        };
        if target == image || super::value::same_image(target, image) || st.image_raw != *image {
            continue; // already there (a digest pin is kept), or written with variables we would lose
        }
        let Details::From { image_span, .. } = &doc.instructions[st.from].details else { continue };
        if image_span.is_empty() {
            continue;
        }
        edits.push(Edit::replace(image_span.clone(), target.clone()));
        let line = doc.instructions[st.from].start_line;
        reasons.push(Reason::new(Code::Retargeted, format!("stage {n}: {image} → {target}")).at(line));
        reasons.extend(pair.version_notes.iter().map(|m| Reason::new(Code::VersionChange, m.clone())));
        reasons.extend(pair.notes.iter().map(|m| Reason::new(Code::PairNote, m.clone())));
    }
    if edits.is_empty() {
        return Decision::Unchanged(Reason::new(Code::AlreadyOnFamily, format!("multi-stage, already on {} where a pair matches", s.family)));
    }
    let mut all = vec![Reason::new(Code::Retargeted, "retargeted stages must be checked: tools the old images had may be missing")];
    all.extend(reasons.iter().cloned());
    Decision::Rewrite(Box::new(Planned {
        family: Some(s.family.clone()),
        fix: Fix { edits, applicability: Applicability::NeedsReview, reasons: all },
        builder: None,
        runtime: None,
        artifacts: Vec::new(),
        estimate_mb: None,
        explain: reasons,
        context: None,
    }))
}
