//! Filesystem state a RUN created outside the folders the runtime copies: directories
//! (`mkdir /data`), ownership and modes (`chown app /data`, `chmod`), links (`ln -s`) and
//! moved folders (`mv node_modules /`). A fresh runtime stage has none of it.
//!
//! On a runtime with a shell the simple ones are replayed as one RUN in the runtime header
//! (after the users are re-created); moved folders, and anything on a runtime without a
//! shell, make the rewrite needs review with the paths named.

use super::recipes::Artifact;
use super::stage::StageView;
use crate::outcome::{Code, Reason};
use crate::shell::{Invocation, join, quote};

/// Paths that are scratch space or caches: state there does not matter at run time.
const SCRATCH: &[&str] = &["/tmp", "/var/tmp", "/var/cache", "/var/lib/apt", "/root/.cache", "/root/.npm", "/usr/src", "/var/log"];

pub struct State {
    /// One RUN line replaying the state (runtimes with a shell).
    pub replay: Option<String>,
    /// One RUN line redoing `chown` inside the copied folders, after the copies.
    pub owners: Option<String>,
    pub review: Vec<Reason>,
    pub explain: Vec<Reason>,
}

pub fn check(view: &StageView<'_>, artifacts: &[Artifact], has_shell: bool) -> State {
    let mut replay: Vec<String> = Vec::new();
    let mut moved: Vec<String> = Vec::new();
    let mut lost: Vec<String> = Vec::new();
    let mut owners_inside: Vec<String> = Vec::new();
    for inv in view.invocations() {
        let Some(paths) = touched(inv) else { continue };
        let scratch = |p: &String| SCRATCH.iter().any(|s| p == s || under(p, s));
        // COPY --from resets ownership to root: a chown inside a copied folder is redone
        // after the copies.
        let inside: Vec<String> = paths.iter().filter(|p| covered(p, artifacts) && !scratch(p)).cloned().collect();
        if (inv.is("chown") || inv.is("chgrp")) && !inside.is_empty() {
            let ops: Vec<&String> = inv.args().iter().filter(|a| !a.starts_with('-')).collect();
            let mut words = vec![inv.words[0].clone()];
            words.extend(inv.args().iter().filter(|a| a.starts_with('-')).cloned());
            words.extend(ops.first().map(|o| o.to_string()));
            words.extend(inside.iter().cloned());
            let line = words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ");
            if has_shell && !owners_inside.contains(&line) {
                owners_inside.push(line);
            } else if !has_shell {
                lost.extend(inside.iter().map(|p| format!("the owner of {p}")));
            }
        }
        let outside: Vec<String> = paths.into_iter().filter(|p| !covered(p, artifacts) && !scratch(p)).collect();
        if outside.is_empty() {
            continue;
        }
        let dangling =
            link_target(inv).is_some_and(|t| !covered(&t, artifacts) && !t.starts_with("/usr/") && !t.starts_with("/bin/") && !t.starts_with("/etc/"));
        if inv.is("mv") || inv.is("cp") || dangling {
            moved.extend(outside);
        } else if has_shell {
            // Only the paths outside the copies: the copied ones arrive later, as they are.
            let mut words = vec![inv.words[0].clone()];
            words.extend(inv.args().iter().filter(|a| a.starts_with('-')).cloned());
            if inv.is("mkdir") && !inv.has_flag(&["-p", "--parents"]) {
                words.insert(1, "-p".into());
            }
            if matches!(inv.tool.as_str(), "chown" | "chmod" | "chgrp" | "ln") {
                let ops: Vec<&String> = inv.args().iter().filter(|a| !a.starts_with('-')).collect();
                let lead = if inv.is("ln") { ops.len().saturating_sub(1).max(1) } else { 1 };
                words.extend(ops.iter().take(lead).map(|o| o.to_string()));
            }
            words.extend(outside.iter().cloned());
            let line = words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ");
            if !replay.contains(&line) {
                replay.push(line);
            }
        } else {
            lost.extend(outside);
        }
    }
    let mut st = State { replay: None, owners: None, review: Vec::new(), explain: Vec::new() };
    if !owners_inside.is_empty() {
        st.explain.push(Reason::new(Code::Step, format!("ownership inside the copied folders set again after the copies: {}", owners_inside.join("; "))));
        st.owners = Some(format!("RUN {}", owners_inside.join(" && ")));
    }
    if !replay.is_empty() {
        st.explain.push(Reason::new(Code::Step, format!("state outside the copied folders replayed in the runtime: {}", replay.join("; "))));
        st.replay = Some(format!("RUN {}", replay.join(" && ")));
    }
    if !moved.is_empty() {
        moved.dedup();
        st.review.push(Reason::new(
            Code::FileState,
            format!("a RUN moves or copies files to {} outside the copied folders: copy them too or check the program does not need them", moved.join(", ")),
        ));
    }
    if !lost.is_empty() {
        lost.dedup();
        st.review.push(Reason::new(
            Code::FileState,
            format!("a RUN creates {} outside the copied folders, and the runtime has no shell to re-create it", lost.join(", ")),
        ));
    }
    st
}

/// Files the stage COPYs or ADDs from the build context (or another image) to places the
/// runtime does not otherwise receive (`COPY entrypoint.sh /usr/local/bin/`,
/// `COPY nginx.conf /etc/nginx/`): copied from the builder at the same path. A glob into a
/// shared folder cannot be copied exactly: needs review.
pub fn context_copies(view: &StageView<'_>, split: usize, artifacts: &[Artifact]) -> (Vec<Artifact>, Vec<Reason>) {
    let (mut extra, mut review): (Vec<Artifact>, Vec<Reason>) = (Vec::new(), Vec::new());
    // Build inputs: what lands where the build runs (WORKDIR, `cd` targets) is source, and
    // the recipe decides which build outputs the runtime needs.
    let mut build_dirs: Vec<&str> = view.invocations().iter().map(|i| i.cwd.as_str()).collect();
    build_dirs.extend(view.instructions().map(|(i, _)| view.workdir[i].as_str()));
    build_dirs.retain(|d| *d != "/");
    let in_build_dir = |p: &str| build_dirs.iter().any(|d| p == *d || under(p, d));
    // A file a RUN reads (`pip install -r /requirements.txt`) is a build input too.
    let read_by_build =
        |p: &str| view.invocations().iter().filter(|i| touched(i).is_none()).any(|i| i.args().iter().any(|w| join(&i.cwd, w.trim_start_matches("-r")) == p));
    for (i, ins) in view.instructions().take_while(|(i, _)| *i < split) {
        let crate::document::Details::Copy { sources, dest } = &ins.details else { continue };
        if ins.flag("from").is_some_and(|f| view.doc.stages.iter().any(|s| s.alias.as_deref() == f.value.as_deref())) || dest.contains('$') {
            continue;
        }
        let cwd = &view.workdir[i];
        let into_dir = dest.ends_with('/') || sources.len() > 1 || dest == "." || dest == "./";
        for src in sources {
            let name = src.trim_end_matches('/').rsplit('/').next().unwrap_or(src);
            let target = if into_dir { join(&join(cwd, dest), name) } else { join(cwd, dest) };
            if covered(&target, artifacts)
                || covered(&target, &extra)
                || in_build_dir(&target)
                || read_by_build(&target)
                || SCRATCH.iter().any(|s| under(&target, s))
                || target == "/"
            {
                continue;
            }
            if src.contains(['*', '?', '[']) || src == "." || src == "./" || src.contains("://") {
                review.push(
                    Reason::new(
                        Code::FileState,
                        format!(
                            "line {}: `{}` copies into {} outside the copied folders: check what the runtime needs from it",
                            ins.start_line,
                            view.doc.slice(ins.span.clone()).trim(),
                            join(cwd, dest)
                        ),
                    )
                    .at(ins.start_line),
                );
                continue;
            }
            extra.push(Artifact::same(target, format!("copied into the image by line {}", ins.start_line)));
        }
    }
    (extra, review)
}

/// Trees a stage ENV puts on PATH that the runtime would not have (`ENV PATH=/root/google-
/// cloud-sdk/bin:$PATH` after an installer piped to bash): the tree (the folder above `bin`)
/// is copied, and the rewrite needs review, since only the build shows that it exists.
pub fn path_trees(view: &StageView<'_>, artifacts: &[Artifact], known: &[String]) -> (Vec<Artifact>, Vec<Reason>) {
    let (mut extra, mut review) = (Vec::new(), Vec::new());
    let Some(path) = view.env("PATH") else { return (extra, review) };
    for dir in path.split(':').filter(|d| d.starts_with('/') && !d.contains('$')) {
        let dir = dir.trim_end_matches('/');
        let tree = dir.strip_suffix("/bin").unwrap_or(dir);
        let depth = tree.split('/').filter(|p| !p.is_empty()).count();
        if known.iter().any(|k| k.trim_end_matches('/') == dir) || depth < 2 || tree.starts_with("/usr/") || covered(tree, artifacts) || covered(dir, artifacts)
        {
            continue;
        }
        if extra.iter().any(|a: &Artifact| a.from == tree) {
            continue;
        }
        extra.push(Artifact::same(tree, format!("{dir} is on the PATH the stage sets")));
        review.push(Reason::new(Code::FileState, format!("copied {tree}: the stage puts {dir} on PATH; check the build creates it and the program needs it")));
    }
    (extra, review)
}

/// Absolute paths a state-making command writes, or None for other commands.
fn touched(inv: &Invocation) -> Option<Vec<String>> {
    let ops: Vec<&str> = inv.args().iter().map(String::as_str).filter(|a| !a.starts_with('-')).collect();
    let clean = |t: &str| !t.contains(['$', '*', '`']);
    let out = match inv.tool.as_str() {
        "mkdir" | "touch" => ops.iter().filter(|t| clean(t)).map(|t| join(&inv.cwd, t)).collect(),
        "chown" | "chmod" | "chgrp" => ops.iter().skip(1).filter(|t| clean(t)).map(|t| join(&inv.cwd, t)).collect(),
        // `ln -s TARGET` makes ./basename(TARGET); `cp A B DIR/` and `cp A .` write DIR/A.
        "ln" | "mv" | "cp" => {
            let (sources, dest) = match ops.as_slice() {
                [] => return Some(Vec::new()),
                [only] if inv.is("ln") => (vec![*only], "."),
                [.., last] => (ops[..ops.len() - 1].to_vec(), *last),
            };
            let into_dir = dest == "." || dest.ends_with('/') || sources.len() > 1 || (inv.is("ln") && ops.len() == 1);
            if !clean(dest) || sources.iter().any(|s| !clean(s)) {
                return Some(Vec::new());
            }
            if into_dir { sources.iter().map(|src| join(&join(&inv.cwd, dest), super::stage::basename(src))).collect() } else { vec![join(&inv.cwd, dest)] }
        }
        _ => return None,
    };
    Some(out)
}

/// The target a `ln -s` link points to (absolute), when it names one.
fn link_target(inv: &Invocation) -> Option<String> {
    let ops: Vec<&String> = inv.args().iter().filter(|a| !a.starts_with('-')).collect();
    inv.is("ln").then(|| ops.first().map(|t| join(&inv.cwd, t))).flatten()
}

fn covered(p: &str, artifacts: &[Artifact]) -> bool {
    artifacts.iter().any(|a| p == a.from || under(p, a.from.trim_end_matches('/')))
}

/// `p` lies below the folder `dir` (`p` starts with `dir/`), without building `dir/`.
fn under(p: &str, dir: &str) -> bool {
    p.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn state_of(text: &str, copied: &[&str], shell: bool) -> State {
        let d = Document::parse(text).unwrap();
        let v = StageView::new(&d, 0, d.instructions.len(), None);
        let arts: Vec<Artifact> = copied.iter().map(|c| Artifact::same(*c, "test")).collect();
        check(&v, &arts, shell)
    }

    #[test]
    fn directories_outside_the_copies_are_replayed_or_named() {
        let text = "FROM ruby:3.3\nWORKDIR /rails\nRUN mkdir /data && chown -R rails:rails db tmp /data && mkdir -p /rails/tmp && ln -s /rails/bin/x /usr/local/bin/x && rm -rf /tmp/x\nCMD [\"x\"]\n";
        let s = state_of(text, &["/rails"], true);
        assert_eq!(s.replay.as_deref(), Some("RUN mkdir -p /data && chown -R rails:rails /data && ln -s /rails/bin/x /usr/local/bin/x"));
        assert_eq!(s.owners.as_deref(), Some("RUN chown -R rails:rails /rails/db /rails/tmp"));
        assert!(s.review.is_empty());
        let s = state_of(text, &["/rails"], false);
        assert_eq!(s.replay, None);
        assert_eq!(s.review[0].code, Code::FileState);
        assert!(s.review[0].message.contains("/data"), "{}", s.review[0].message);
    }

    #[test]
    fn context_files_outside_the_app_are_copied_too() {
        let text = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nCOPY x.go /src/x.go\nRUN cd /src && make\nCOPY entrypoint.sh /usr/local/bin/\nCOPY conf/nginx.conf /etc/nginx/nginx.conf\nCOPY *.ini /etc/app/\nCOPY req.txt /req.txt\nRUN pip install -r /req.txt\nCMD [\"x\"]\n";
        let d = Document::parse(text).unwrap();
        let v = StageView::new(&d, 0, d.instructions.len(), None);
        let (extra, review) = context_copies(&v, d.instructions.len() - 1, &[Artifact::same("/app", "app")]);
        let froms: Vec<&str> = extra.iter().map(|a| a.from.as_str()).collect();
        assert_eq!(froms, ["/usr/local/bin/entrypoint.sh", "/etc/nginx/nginx.conf"]);
        assert_eq!(review.len(), 1, "the glob into /etc/app/ needs review");
    }

    #[test]
    fn trees_put_on_path_are_copied_with_review() {
        let text = "FROM python:3.12\nWORKDIR /app\nRUN curl -sSL https://sdk.cloud.google.com | bash\nENV PATH=\"/root/google-cloud-sdk/bin:/app/.venv/bin:/usr/local/go/bin:${PATH}\"\nCMD [\"x\"]\n";
        let d = Document::parse(text).unwrap();
        let v = StageView::new(&d, 0, d.instructions.len(), None);
        let (extra, review) = path_trees(&v, &[Artifact::same("/app", "app")], &["/usr/local/go/bin".to_string()]);
        assert_eq!(extra.iter().map(|a| a.from.as_str()).collect::<Vec<_>>(), ["/root/google-cloud-sdk"]);
        assert_eq!(review[0].code, Code::FileState);
    }

    #[test]
    fn links_and_copies_into_folders_name_the_file_written() {
        let text =
            "FROM rust:1\nWORKDIR /app\nRUN cargo build --release && cp target/release/x . && cd /usr/local/bin && ln -s /opt/poetry/bin/poetry\nCMD [\"x\"]\n";
        let s = state_of(text, &["/app"], true);
        assert_eq!(s.replay, None, "cp into the copied WORKDIR is covered; nothing to replay");
        assert_eq!(s.review.len(), 1, "the link to the uncopied /opt/poetry is named, not replayed: {:?}", s.review);
        assert!(s.review[0].message.contains("/usr/local/bin/poetry"), "{}", s.review[0].message);
    }

    #[test]
    fn moved_folders_need_review() {
        let s = state_of("FROM node:20\nWORKDIR /app\nRUN npm ci && mv node_modules /node_modules\nCMD [\"node\", \"x\"]\n", &["/app"], true);
        assert!(s.review[0].message.contains("/node_modules"));
    }
}
