//! Which folder is the build context when `--context` is not given.
//!
//! Usually the Dockerfile's folder. Monorepos often keep Dockerfiles in a subfolder
//! (`docker/Dockerfile`, `deploy/api/Dockerfile`) and build with the repository root as
//! context (`docker build -f docker/Dockerfile .`). When the files the stage COPYs are not
//! next to the Dockerfile but all are in an ancestor folder, that ancestor is the context.
//! The search stops at the repository root (a folder with `.git`) and goes at most three
//! levels up; a guess is reported in `--explain`.
//!
//! In a batch the same ancestors are asked about the same names again and again (every
//! Dockerfile under `services/` probes `services/package.json`, then the root's): the answers
//! come from each folder's listing, read once per run ([`super::folders`]).

use crate::document::{Details, Instruction, Kind};
use std::path::{Path, PathBuf};

const MAX_LEVELS: usize = 3;

/// The context folder and, when it was inferred from an ancestor, why.
pub fn infer<'a>(dockerfile_dir: &Path, instructions: impl Iterator<Item = &'a Instruction>) -> (PathBuf, Option<String>) {
    let sources = local_sources(instructions);
    let here = dockerfile_dir.to_path_buf();
    if sources.is_empty() || all_exist(&here, &sources) {
        return (here, None);
    }
    let mut dir = here.clone();
    for _ in 0..MAX_LEVELS {
        if super::folders::exists(&dir.join(".git")) {
            break;
        }
        let Some(parent) = up(&dir) else { break };
        dir = parent;
        if all_exist(&dir, &sources) {
            let why = format!("build context {} (the COPY sources {} are there, not next to the Dockerfile)", dir.display(), sources.join(", "));
            return (dir, Some(why));
        }
    }
    (here, None)
}

/// The parent folder; relative paths stay relative and readable: `a/b` → `a` → `.` → `..`
/// → `../..`.
fn up(dir: &Path) -> Option<PathBuf> {
    if dir == Path::new(".") {
        return Some(PathBuf::from(".."));
    }
    if dir.ends_with("..") {
        return Some(dir.join(".."));
    }
    match dir.parent() {
        Some(p) if p.as_os_str().is_empty() => Some(PathBuf::from(".")),
        Some(p) => Some(p.to_path_buf()),
        None => None,
    }
}

/// Plain relative COPY/ADD sources of the build context: no `--from`, no `.`, no globs,
/// variables, URLs or heredocs.
fn local_sources<'a>(instructions: impl Iterator<Item = &'a Instruction>) -> Vec<String> {
    let mut v = Vec::new();
    for i in instructions {
        if !matches!(i.kind, Kind::Copy | Kind::Add) || i.flags.iter().any(|f| f.name == "from") || !i.heredocs.is_empty() {
            continue;
        }
        if let Details::Copy { sources, .. } = &i.details {
            for s in sources {
                let s = s.trim_start_matches("./").trim_end_matches('/');
                if s.is_empty() || s == "." || s.contains(['*', '?', '[', '$']) || s.contains("://") || s.starts_with('/') {
                    continue;
                }
                if !v.iter().any(|x| x == s) {
                    v.push(s.to_string());
                }
            }
        }
    }
    v
}

fn all_exist(dir: &Path, sources: &[String]) -> bool {
    sources.iter().all(|s| super::folders::exists(&dir.join(s)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn infer_in(root: &Path, rel_dockerfile: &str, text: &str) -> (PathBuf, Option<String>) {
        let doc = Document::parse(text).unwrap();
        let dir = root.join(rel_dockerfile).parent().unwrap().to_path_buf();
        infer(&dir, doc.instructions.iter())
    }

    #[test]
    fn sources_next_to_the_dockerfile_keep_its_folder() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("svc")).unwrap();
        std::fs::write(d.path().join("svc/package.json"), "{}").unwrap();
        let (ctx, why) = infer_in(d.path(), "svc/Dockerfile", "FROM node:20\nCOPY package.json ./\nCOPY . .\n");
        assert_eq!((ctx, why), (d.path().join("svc"), None));
    }

    #[test]
    fn a_dockerfile_in_a_subfolder_gets_the_ancestor_holding_its_sources() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("docker/api")).unwrap();
        std::fs::create_dir_all(d.path().join("src")).unwrap();
        std::fs::write(d.path().join("package.json"), "{}").unwrap();
        let text = "FROM node:20\nCOPY package.json ./\nCOPY src ./src\nCOPY --from=x /a /a\n";
        let (ctx, why) = infer_in(d.path(), "docker/api/Dockerfile", text);
        assert_eq!(ctx, d.path().join("docker/api").parent().unwrap().parent().unwrap());
        assert!(why.unwrap().contains("the COPY sources package.json, src are there"));
    }

    #[test]
    fn relative_folders_climb_readably() {
        let chain: Vec<PathBuf> = std::iter::successors(Some(PathBuf::from("a/b")), |d| up(d)).take(5).collect();
        assert_eq!(chain, ["a/b", "a", ".", "..", "../.."].map(PathBuf::from));
        assert_eq!(up(Path::new("/")), None);
    }

    #[test]
    fn the_search_stops_at_the_repository_root_and_when_nothing_matches() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("repo/.git")).unwrap();
        std::fs::create_dir_all(d.path().join("repo/docker")).unwrap();
        std::fs::write(d.path().join("package.json"), "{}").unwrap();
        let (ctx, why) = infer_in(d.path(), "repo/docker/Dockerfile", "FROM node:20\nCOPY package.json ./\n");
        assert_eq!((ctx, why), (d.path().join("repo/docker"), None), "package.json above the repository root is not the context");
    }
}
