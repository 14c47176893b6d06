//! Choosing the runtime image: the pair's runtime, then the variant a recipe asks for
//! (`cgo`, `musl`, `console`, `self-contained`), then a variant with a shell when the
//! program needs one. Each step says why in `explain`, or what is missing in `review`.

use super::recipes::RecipeOut;
use super::safety;
use super::stage::{Program, StageView};
use crate::knowledge::{Facts, Resolved, Table};
use crate::outcome::{Code, Reason};

pub struct Runtime {
    pub image: String,
    pub facts: Facts,
    /// Why the program needs a shell, when it does.
    pub shell_need: Option<String>,
    pub explain: Vec<Reason>,
    pub review: Vec<Reason>,
}

/// `mcr.microsoft.com/dotnet/aspnet:8.0-alpine` with `6.0` → `…/aspnet:6.0-alpine`: the
/// tag's leading version replaced.
fn with_tag_version(image: &str, v: &str) -> String {
    let Some((name, tag)) = image.rsplit_once(':').filter(|(n, t)| !t.contains('/') && !n.is_empty()) else { return image.to_string() };
    let rest = tag.find(|c: char| !(c.is_ascii_digit() || c == '.')).map_or("", |i| &tag[i..]);
    if tag.starts_with(|c: char| c.is_ascii_digit()) { format!("{name}:{v}{rest}") } else { image.to_string() }
}

/// The runtime image and its facts; `default_facts` are the facts of the pair's runtime.
pub fn choose(table: &Table, pair: &Resolved, default_facts: &Facts, out: &RecipeOut, view: &StageView<'_>, program: &Program) -> Runtime {
    let (mut image, mut explain, mut review) = (pair.runtime.clone(), Vec::new(), Vec::new());
    if let Some(v) = &out.variant {
        match pair.variants.get(v) {
            Some(r) => {
                image = r.clone();
                explain.push(Reason::new(Code::Variant, format!("runtime variant `{v}`: {r}")));
            }
            None if v == "cgo" || v == "musl" => review
                .push(Reason::new(Code::RuntimeVariant, format!("the {} family has no `{v}` runtime variant; {} may not run the binary", pair.family, image))),
            None => {}
        }
    }
    if let Some(v) = &out.runtime_version {
        image = with_tag_version(&image, v);
    }
    // The pair's runtime facts are at hand; another image's are looked up.
    let facts = if image == pair.runtime { default_facts.clone() } else { table.facts(&image) };
    let mut rt = Runtime { image, facts, shell_need: None, explain, review };
    rt.shell_need = safety::program_needs_shell(view, program).or_else(|| out.needs_shell.then(|| "the program is a start script".to_string()));
    if let (Some(why), false) = (&rt.shell_need, rt.facts.shell) {
        match pair.variants.get("shell") {
            Some(r) => {
                rt.explain.push(Reason::new(Code::Variant, format!("{why}: runtime with a shell {r}")));
                rt.image = r.clone();
                rt.facts = table.facts(&rt.image);
            }
            None => rt.review.push(Reason::new(Code::NoShell, format!("{why}, and {} has no shell", rt.image))),
        }
    }
    if rt.facts.is_root() && !default_facts.is_root() {
        rt.explain.push(Reason::new(Code::Variant, format!("{} runs as root by default", rt.image)));
    }
    rt
}

/// A file without USER on a root image ran its program as root; a runtime image whose user
/// is not root (distroless `:nonroot`, Minimus, DHI, UBI) runs it as that user. Said in the
/// explanation, and a review reason where it shows (rule 6): a port below 1024, a VOLUME
/// (created root-owned), a WORKDIR the program may write to.
pub fn user_change(view: &StageView<'_>, original: &Facts, rt: &Runtime) -> (Vec<Reason>, Vec<Reason>) {
    let (mut explain, mut review) = (Vec::new(), Vec::new());
    let has_user = view.instructions().any(|(_, ins)| ins.kind == crate::document::Kind::User);
    let Some(user) = rt.facts.user.as_deref().filter(|_| !has_user && original.is_root() && !rt.facts.is_root()) else { return (explain, review) };
    explain.push(Reason::new(Code::Variant, format!("the program runs as {user} ({}'s user) instead of root", rt.image)));
    let words = |kind| view.instructions().filter(move |(_, i)| i.kind == kind).flat_map(|(_, i)| crate::document::shell_words(i.args(), view.doc.escape));
    let low: Vec<String> =
        words(crate::document::Kind::Expose).filter(|p| p.split('/').next().and_then(|n| n.parse::<u16>().ok()).is_some_and(|n| n < 1024)).collect();
    if !low.is_empty() {
        review.push(Reason::new(Code::RuntimeUser, format!("EXPOSE {}: user {user} cannot bind ports below 1024", low.join(" "))));
    }
    let volumes: Vec<String> =
        words(crate::document::Kind::Volume).map(|v| v.trim_matches(['[', ']', ',', '"']).to_string()).filter(|v| !v.is_empty()).collect();
    if !volumes.is_empty() {
        review.push(Reason::new(Code::RuntimeUser, format!("VOLUME {}: created root-owned, user {user} may not write there", volumes.join(" "))));
    }
    (explain, review)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tag_version_is_replaced_and_the_rest_kept() {
        assert_eq!(super::with_tag_version("mcr.microsoft.com/dotnet/aspnet:8.0-alpine", "6.0"), "mcr.microsoft.com/dotnet/aspnet:6.0-alpine");
        assert_eq!(super::with_tag_version("mcr.microsoft.com/dotnet/aspnet:8.0", "6.0"), "mcr.microsoft.com/dotnet/aspnet:6.0");
        assert_eq!(super::with_tag_version("cgr.dev/chainguard/aspnet-runtime:latest", "6.0"), "cgr.dev/chainguard/aspnet-runtime:latest");
        assert_eq!(super::with_tag_version("localhost:5000/aspnet", "6.0"), "localhost:5000/aspnet");
    }
}
