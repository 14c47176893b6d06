//! What a folder holds, read from the file system once per run.
//!
//! Planning one Dockerfile asks about many paths of its build context: whether each COPY
//! source exists and is a folder (the context inference, the recipes), whether
//! `package.json` or `Gemfile.lock` is there. Asked one `stat` at a time, that was about six
//! system calls per Dockerfile of the benchmark tree, most of them for names that do not
//! exist, and the Dockerfiles of one folder asked the same again. One listing of the folder
//! (`getdents`, which gives each entry's type) answers all of them for names directly in it,
//! so each folder is listed once per run and shared by the threads. Deeper paths
//! (`src/app.py`), symbolic links and folders that cannot be listed are asked of the file
//! system as before, so the answers are those of `Path::exists`/`is_dir`/`is_file`. A name
//! the listing lacks counts as absent only on Linux: macOS and Windows folders usually
//! ignore case (`COPY Package.json` finds `package.json`), so there the file system is asked.
//!
//! The memo forgets everything past [`CACHE_DIRS`] folders, and a folder of more than
//! [`MAX_NAMES`] entries keeps no names (its paths are asked one by one), so memory stays
//! flat however large the batch.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

const CACHE_DIRS: usize = 4096;
const MAX_NAMES: usize = 4096;

/// What a path is, following symbolic links as `Path::is_dir` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    File,
    Dir,
    /// A device, socket or pipe.
    Other,
}

/// A folder's entries, sorted by name; `None` when it could not be listed or is too large.
type Names = Option<Vec<(OsString, Option<Kind>)>>;

/// A per-run memo keyed by folder, shared by the threads: made without the lock (making a
/// value may ask the memo for another folder, a parent), forgetting everything past
/// [`CACHE_DIRS`] folders so memory stays flat.
pub(super) struct FolderMemo<V>(Mutex<Option<HashMap<PathBuf, V>>>);

impl<V: Clone> FolderMemo<V> {
    pub(super) const fn new() -> Self {
        FolderMemo(Mutex::new(None))
    }

    pub(super) fn get(&self, key: &Path, make: impl FnOnce() -> V) -> V {
        if let Some(v) = self.0.lock().unwrap().get_or_insert_with(HashMap::new).get(key) {
            return v.clone();
        }
        let v = make();
        let mut guard = self.0.lock().unwrap();
        let map = guard.get_or_insert_with(HashMap::new);
        if map.len() >= CACHE_DIRS {
            map.clear();
        }
        map.insert(key.to_path_buf(), v.clone());
        v
    }

    /// Drops what was remembered (a long-running `restage mcp`, tests that change a folder
    /// between two runs in one process).
    pub(super) fn forget(&self) {
        *self.0.lock().unwrap() = None;
    }
}

static LISTINGS: FolderMemo<Arc<Names>> = FolderMemo::new();
/// A folder as written → canonical.
static CANONICAL: FolderMemo<Option<PathBuf>> = FolderMemo::new();

pub(super) fn forget() {
    LISTINGS.forget();
    CANONICAL.forget();
}

/// The entries of `dir` (`None`: unreadable or too large), listed once per run.
fn listing(dir: &Path) -> Arc<Names> {
    LISTINGS.get(dir, || Arc::new(read_names(dir)))
}

fn read_names(dir: &Path) -> Names {
    let read = std::fs::read_dir(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }).ok()?;
    let mut names = Vec::new();
    for entry in read {
        let entry = entry.ok()?;
        if names.len() == MAX_NAMES {
            return None;
        }
        // A symbolic link's target is asked when it matters (`None`).
        let kind = entry.file_type().ok().and_then(|t| {
            if t.is_dir() {
                Some(Kind::Dir)
            } else if t.is_file() {
                Some(Kind::File)
            } else if t.is_symlink() {
                None
            } else {
                Some(Kind::Other)
            }
        });
        names.push((entry.file_name(), kind));
    }
    names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some(names)
}

/// What the folder's listing says of `path`: `Some(None)` when it is not there, `None` when
/// the listing cannot tell (a deeper path, a link, an unlisted folder).
fn listed(path: &Path) -> Option<Option<Kind>> {
    let (dir, name) = split(path)?;
    let listing = listing(dir);
    let entries = listing.as_ref().as_ref()?;
    match entries.binary_search_by(|(n, _)| n.as_os_str().cmp(name)) {
        Err(_) if cfg!(target_os = "linux") => Some(None),
        Err(_) => None,
        Ok(i) => entries[i].1.map(Some),
    }
}

/// `std::fs::read_to_string(path).ok()`, without asking the file system for a name its
/// folder's listing does not have.
pub(super) fn read_to_string(path: &Path) -> Option<String> {
    if listed(path) == Some(None) {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// What `path` is, or `None` when it does not exist (a dangling link does not).
pub(super) fn kind(path: &Path) -> Option<Kind> {
    if let Some(known) = listed(path) {
        return known;
    }
    let meta = std::fs::metadata(path).ok()?;
    Some(if meta.is_dir() {
        Kind::Dir
    } else if meta.is_file() {
        Kind::File
    } else {
        Kind::Other
    })
}

pub(super) fn exists(path: &Path) -> bool {
    kind(path).is_some()
}

pub(super) fn is_dir(path: &Path) -> bool {
    kind(path) == Some(Kind::Dir)
}

pub(super) fn is_file(path: &Path) -> bool {
    kind(path) == Some(Kind::File)
}

/// `path` as its folder and a plain name in it, when the listing of that folder can answer
/// for it: not for `..`, `.`, a root or a trailing slash (which asks for a folder).
fn split(path: &Path) -> Option<(&Path, &OsStr)> {
    let bytes = path.as_os_str().as_encoded_bytes();
    let ends_in_separator = |b: &[u8]| b.last().is_some_and(|&c| c.is_ascii() && std::path::is_separator(c as char));
    if ends_in_separator(bytes) || (bytes.ends_with(b".") && ends_in_separator(&bytes[..bytes.len() - 1])) {
        return None;
    }
    match path.components().next_back()? {
        Component::Normal(name) => Some((path.parent()?, name)),
        _ => None,
    }
}

/// `canonicalize(dir)`, resolved from the parent's canonical path and one `lstat` when the
/// folder is not a symbolic link (else in full), once per run and folder: each folder of a
/// batch costs one system call instead of one `readlink` per component of its path.
pub(super) fn canonical_dir(dir: &Path) -> Option<PathBuf> {
    CANONICAL.get(dir, || match split(dir) {
        Some((parent, name)) if !parent.as_os_str().is_empty() => {
            if std::fs::symlink_metadata(dir).ok()?.file_type().is_symlink() {
                return std::fs::canonicalize(dir).ok();
            }
            Some(canonical_dir(parent)?.join(name))
        }
        _ => std::fs::canonicalize(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }).ok(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every answer is the file system's, for names that exist, do not, are links (dangling
    /// or not), sit deeper, or are written with `.`/`..`/a trailing slash.
    #[test]
    fn answers_as_the_file_system_does() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        std::fs::create_dir_all(root.join("src/app")).unwrap();
        std::fs::write(root.join("package.json"), "{}").unwrap();
        std::fs::write(root.join("src/main.go"), "").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("src"), root.join("code")).unwrap();
            std::os::unix::fs::symlink(root.join("gone"), root.join("dangling")).unwrap();
        }
        let probes = [
            "package.json",
            "package.json/",
            "missing",
            "src",
            "src/",
            "src/.",
            "src/main.go",
            "src/app",
            "src/../package.json",
            "src/missing.go",
            "code",
            "code/main.go",
            "dangling",
            ".",
            "..",
        ];
        for rel in probes {
            let p = root.join(rel);
            assert_eq!((exists(&p), is_dir(&p), is_file(&p)), (p.exists(), p.is_dir(), p.is_file()), "{rel}");
            assert_eq!(read_to_string(&p), std::fs::read_to_string(&p).ok(), "{rel}");
        }
        assert_eq!(canonical_dir(&root.join("src/app")), std::fs::canonicalize(root.join("src/app")).ok());
        assert_eq!(canonical_dir(&root.join("code")), std::fs::canonicalize(root.join("src")).ok(), "a link is resolved in full");
        assert_eq!(canonical_dir(&root.join("src/../src/app")), std::fs::canonicalize(root.join("src/app")).ok());
        assert_eq!(canonical_dir(&root.join("missing")), None);
    }

    #[test]
    fn a_folder_of_too_many_names_is_asked_name_by_name() {
        let d = tempfile::tempdir().unwrap();
        for i in 0..=MAX_NAMES {
            std::fs::write(d.path().join(format!("f{i}")), "").unwrap();
        }
        assert!(listing(d.path()).is_none());
        assert!(exists(&d.path().join("f0")) && !exists(&d.path().join("g0")));
    }

    /// A run keeps what it listed (the files do not change under one run); a long-lived caller
    /// (`restage mcp`) forgets it between calls and sees the change.
    #[test]
    fn forget_makes_the_next_answer_fresh() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("package.json");
        assert!(!exists(&p));
        std::fs::write(&p, "{}").unwrap();
        if cfg!(target_os = "linux") {
            assert!(!exists(&p), "answered from the listing read before");
        }
        super::super::forget_folders();
        assert!(exists(&p));
    }
}
