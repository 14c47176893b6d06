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

pub fn dockerfile_names() -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in ["Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile", "dockerfile", "dockerfile.*", "Containerfile", "Containerfile.*", "containerfile"] {
        b.add(Glob::new(p).expect("valid glob"));
    }
    b.build().expect("valid globset")
}

/// Expands paths to files, sorted and deduplicated; `-` stays `-`. Errors: (path, message).
pub fn discover(paths: &[PathBuf], o: &Options) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    // Built only when a folder is walked: a run on named files (a pre-commit hook) skips it.
    let names = std::sync::LazyLock::new(dockerfile_names);
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
        let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
        wb.threads(o.threads).build_parallel().run(|| {
            let (names, found, root) = (&*names, &found, root);
            Box::new(move |entry| {
                match entry {
                    Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                        if names.is_match(e.file_name()) {
                            found.lock().unwrap().0.push(e.into_path());
                        }
                    }
                    Ok(_) => {}
                    Err(err) => found.lock().unwrap().1.push((root.clone(), err.to_string())),
                }
                ignore::WalkState::Continue
            })
        });
        let (f, e) = found.into_inner().unwrap();
        files.extend(f);
        errors.extend(e);
    }
    files.sort();
    files.dedup();
    errors.sort();
    (files, errors)
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
