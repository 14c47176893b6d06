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
        // Exact size: a monorepo's list is 100,000 paths, kept for the run.
        files.extend(walk(root, o, &mut errors, |v: &mut Vec<PathBuf>, mut p| {
            p.shrink_to_fit();
            v.push(p);
        }));
    }
    files.sort();
    files.dedup();
    errors.sort();
    (files, errors)
}

/// Walks the folder `root` (ignore files, `--exclude`, hidden files), handing each
/// Dockerfile's path to `add` (under a lock); the walk's errors are added to `errors`.
fn walk<A: Default + Send>(root: &PathBuf, o: &Options, errors: &mut Vec<(PathBuf, String)>, add: impl Fn(&mut A, PathBuf) + Sync) -> A {
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
    // Parallel walk (a monorepo walk is mostly syscalls: readdir, .gitignore opens); the
    // callers sort.
    let found = std::sync::Mutex::new((A::default(), Vec::new()));
    wb.threads(o.threads).build_parallel().run(|| {
        let (found, add) = (&found, &add);
        Box::new(move |entry| {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                    if is_dockerfile_name(e.file_name()) {
                        add(&mut found.lock().unwrap().0, e.into_path());
                    }
                }
                Ok(_) => {}
                Err(err) => found.lock().unwrap().1.push((root.clone(), err.to_string())),
            }
            ignore::WalkState::Continue
        })
    });
    let (f, e) = found.into_inner().unwrap();
    errors.extend(e);
    f
}

/// A file to look at, as [`discover_listed`] keeps it: a path, or a path below the one
/// walked folder stored in a string shared by all of them (a 100k monorepo's list is then
/// 3 MB of text instead of 100,000 allocations of the full path).
pub enum Listed {
    Path(PathBuf),
    /// The root as given and the path below it: `root.join(rel)` is the walker's path.
    Under(&'static Path, &'static str),
}

/// [`discover`] for a one-shot run: one folder given, its files are kept [`Listed::Under`]
/// it (unsorted: the caller sorts by display path; the walker yields each path once); any
/// other arguments go through [`discover`] as they are.
pub fn discover_listed(paths: &'static [PathBuf], o: &Options) -> (Vec<Listed>, Vec<(PathBuf, String)>) {
    let [root] = paths else {
        let (f, e) = discover(paths, o);
        return (f.into_iter().map(Listed::Path).collect(), e);
    };
    if root.as_os_str() == "-" || !root.is_dir() {
        let (f, e) = discover(paths, o);
        return (f.into_iter().map(Listed::Path).collect(), e);
    }
    let mut errors = Vec::new();
    // Below the root as text (one string, offsets) when it joins back byte for byte; else
    // the path itself.
    #[derive(Default)]
    struct Acc {
        text: String,
        ends: Vec<usize>,
        paths: Vec<Listed>,
    }
    let acc = walk(root, o, &mut errors, |a: &mut Acc, p| match relative(root, &p) {
        Some(rel) => {
            a.text.push_str(rel);
            a.ends.push(a.text.len());
        }
        None => a.paths.push(Listed::Path(p)),
    });
    let Acc { text, ends, mut paths } = acc;
    // Lives until the process exits, as the run's settings do.
    let text: &'static str = Box::leak(text.into_boxed_str());
    paths.reserve_exact(ends.len());
    let mut start = 0;
    for end in ends {
        paths.push(Listed::Under(root.as_path(), &text[start..end]));
        start = end;
    }
    let listed = paths;
    errors.sort();
    (listed, errors)
}

/// `path` below `root` as text, when `root` joined with it gives `path` back byte for byte.
fn relative<'a>(root: &Path, path: &'a Path) -> Option<&'a str> {
    let rel = path.strip_prefix(root).ok()?.to_str()?;
    (!rel.is_empty() && root.join(rel).as_os_str() == path.as_os_str()).then_some(rel)
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
            ("a//b", "a//b/x/Dockerfile", Some("x/Dockerfile")),
            // Same components, other bytes: kept whole.
            ("a/b", "a//b/x/Dockerfile", None),
            ("a/b", "a/b", None),
        ] {
            assert_eq!(relative(Path::new(root), Path::new(path)), rel, "{root} {path}");
        }
    }

    #[test]
    fn a_listed_walk_finds_what_discover_finds() {
        let dir = tempfile::tempdir().unwrap();
        for p in ["svc/a/Dockerfile", "svc/b/api.Dockerfile", "svc/b/main.go", "Containerfile"] {
            let p = dir.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "FROM scratch\n").unwrap();
        }
        let o = Options { exclude: Vec::new(), force_exclude: false, no_ignore: false, hidden: false, threads: 2 };
        let roots: &'static [PathBuf] = Box::leak(vec![PathBuf::from(format!("{}/", dir.path().display()))].into_boxed_slice());
        let (want, _) = discover(roots, &o);
        let (listed, errors) = discover_listed(roots, &o);
        assert!(errors.is_empty(), "{errors:?}");
        let mut got: Vec<PathBuf> = listed
            .iter()
            .map(|l| match l {
                Listed::Path(p) => p.clone(),
                Listed::Under(root, rel) => root.join(rel),
            })
            .collect();
        got.sort();
        assert_eq!(got, want);
        assert!(listed.iter().all(|l| matches!(l, Listed::Under(..))));
        assert_eq!(want.len(), 3);
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
