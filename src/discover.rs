//! Which files to look at: explicit paths as given, directories walked with the `ignore`
//! crate (.gitignore, .ignore, hidden files) for Dockerfile / Containerfile names.

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;
use std::path::{Path, PathBuf};

pub struct Options {
    pub exclude: Vec<String>,
    pub force_exclude: bool,
    pub no_ignore: bool,
    pub hidden: bool,
    /// Walker threads (0: the ignore crate's choice).
    pub threads: usize,
}

/// The names of files restage looks at, as globs.
pub const DOCKERFILE_NAMES: &[&str] =
    &["Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile", "dockerfile", "dockerfile.*", "Containerfile", "Containerfile.*", "containerfile"];

pub fn dockerfile_names() -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in DOCKERFILE_NAMES {
        b.add(Glob::new(p).expect("valid glob"));
    }
    b.build().expect("valid globset")
}

/// [`DOCKERFILE_NAMES`] matched by hand: the walk asks it of every file of the tree (a
/// monorepo has a hundred thousand), where a glob set builds a candidate path each time.
pub fn is_dockerfile_name(name: &std::ffi::OsStr) -> bool {
    let n = name.as_encoded_bytes();
    matches!(n, b"Dockerfile" | b"dockerfile" | b"Containerfile" | b"containerfile")
        || n.starts_with(b"Dockerfile.")
        || n.starts_with(b"dockerfile.")
        || n.starts_with(b"Containerfile.")
        || n.ends_with(b".Dockerfile")
        || n.ends_with(b".dockerfile")
}

/// Expands paths to files, sorted and deduplicated; `-` stays `-`. Errors: (path, message).
pub fn discover(paths: &[PathBuf], o: &Options) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        if root.as_os_str() == "-" {
            files.push(root.clone());
            continue;
        }
        if !root.is_dir() {
            if !root.exists() {
                errors.push((root.clone(), "No such file or directory".into()));
            } else if !(o.force_exclude && excluded(root, &o.exclude)) {
                files.push(root.clone());
            }
            continue;
        }
        let mut ob = OverrideBuilder::new(root);
        for g in &o.exclude {
            if let Err(e) = ob.add(&format!("!{g}")) {
                errors.push((root.clone(), format!("bad --exclude {g}: {e}")));
            }
        }
        let mut wb = WalkBuilder::new(root);
        wb.hidden(!o.hidden).git_ignore(!o.no_ignore).ignore(!o.no_ignore).git_exclude(!o.no_ignore).parents(!o.no_ignore).require_git(false);
        if let Ok(ov) = ob.build() {
            wb.overrides(ov);
        }
        // Parallel walk (a monorepo walk is mostly syscalls: readdir, .gitignore opens);
        // order is restored by the sort below.
        let found = std::sync::Mutex::new(Found::default());
        wb.threads(o.threads).build_parallel().run(|| {
            let (found, root) = (&found, root);
            Box::new(move |entry| {
                match entry {
                    Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                        if is_dockerfile_name(e.file_name()) {
                            let path = e.into_path();
                            let rel = relative(root, &path);
                            let mut found = found.lock().unwrap();
                            match rel {
                                Some(rel) => {
                                    found.names.push_str(rel);
                                    found.names.push('\0');
                                }
                                None => found.other.push(path),
                            }
                        }
                    }
                    Ok(_) => {}
                    Err(err) => found.lock().unwrap().errors.push((root.clone(), err.to_string())),
                }
                ignore::WalkState::Continue
            })
        });
        let Found { names, other, errors: e } = found.into_inner().unwrap();
        // The full paths are made once the walk (and its queue of folders) is gone.
        files.reserve_exact(names.split_terminator('\0').count() + other.len());
        files.extend(names.split_terminator('\0').map(|rel| {
            let mut p = root.join(rel);
            p.shrink_to_fit();
            p
        }));
        files.extend(other);
        errors.extend(e);
    }
    files.sort();
    files.dedup();
    errors.sort();
    (files, errors)
}

/// What a walk found, kept small while the walk runs (at its peak the walker holds every
/// folder still to read: 25,000 service folders in a 100k monorepo): the paths below the root,
/// one string, `\0`-terminated; a path that cannot be stored so (not UTF-8) as it is.
#[derive(Default)]
struct Found {
    names: String,
    other: Vec<std::path::PathBuf>,
    errors: Vec<(PathBuf, String)>,
}

/// `path` below `root` as text, when `root` joined with it gives `path` back byte for byte.
fn relative<'a>(root: &Path, path: &'a Path) -> Option<&'a str> {
    let rel = path.strip_prefix(root).ok()?.to_str()?;
    (!rel.is_empty() && !rel.contains('\0') && root.join(rel).as_os_str() == path.as_os_str()).then_some(rel)
}

fn excluded(path: &Path, globs: &[String]) -> bool {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let g = g.trim_start_matches('/');
        for pat in [g.to_string(), format!("**/{g}"), format!("{g}/**"), format!("**/{g}/**")] {
            if let Ok(glob) = Glob::new(&pat) {
                b.add(glob);
            }
        }
    }
    let p = path.to_string_lossy();
    let p = p.trim_start_matches("./");
    b.build().is_ok_and(|s| s.is_match(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_join_back_to_the_walkers_path_byte_for_byte() {
        for (root, path, rel) in [
            (".", "./services/s1/Dockerfile", Some("services/s1/Dockerfile")),
            ("repo/", "repo/Dockerfile", Some("Dockerfile")),
            ("/abs/repo", "/abs/repo/a/api.Dockerfile", Some("a/api.Dockerfile")),
            ("a//b", "a//b/x/Dockerfile", Some("x/Dockerfile")),
            // Same components, other bytes: kept whole.
            ("a/b", "a//b/x/Dockerfile", None),
            ("a/b", "a/b", None),
        ] {
            assert_eq!(relative(Path::new(root), Path::new(path)), rel, "{root} {path}");
        }
    }

    #[test]
    fn a_walk_lists_every_dockerfile_with_the_roots_spelling() {
        let dir = tempfile::tempdir().unwrap();
        for p in ["svc/a/Dockerfile", "svc/b/api.Dockerfile", "svc/b/main.go", "Containerfile"] {
            let p = dir.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "FROM scratch\n").unwrap();
        }
        let root = PathBuf::from(format!("{}/", dir.path().display()));
        let o = Options { exclude: Vec::new(), force_exclude: false, no_ignore: false, hidden: false, threads: 2 };
        let (files, errors) = discover(std::slice::from_ref(&root), &o);
        assert!(errors.is_empty(), "{errors:?}");
        let want: Vec<PathBuf> = ["Containerfile", "svc/a/Dockerfile", "svc/b/api.Dockerfile"].iter().map(|r| root.join(r)).collect();
        assert_eq!(files, want);
        assert!(files.iter().all(|f| f.to_str().unwrap().starts_with(root.to_str().unwrap())));
    }

    #[test]
    fn the_hand_matcher_takes_the_names_the_globs_take() {
        let globs = dockerfile_names();
        for n in [
            "Dockerfile",
            "Dockerfile.",
            "Dockerfile.prod",
            "api.Dockerfile",
            ".Dockerfile",
            "x.dockerfile",
            "dockerfile",
            "dockerfile.dev",
            "Containerfile",
            "Containerfile.x",
            "containerfile",
            "containerfile.x",
            "DOCKERFILE",
            "Dockerfiles",
            "aDockerfile",
            "main.go",
            "Dockerfile/x",
            "x.Dockerfile.bak",
        ] {
            assert_eq!(is_dockerfile_name(n.as_ref()), globs.is_match(n), "{n}");
        }
    }
}
