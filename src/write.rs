//! In-place writes that never leave a partial file and never overwrite an edit made meanwhile.
//!
//! restage reads every file first and writes at the end, possibly seconds later; a user (or
//! an editor, or a second restage run) may have changed a file in between. Each write goes
//! to a temp file in the same folder (same file system, so the final rename is atomic), the
//! file is re-read right before the rename and left alone if it no longer holds what was
//! read, and the temp file's name carries our pid so that a later run can remove what a
//! killed one left behind without touching the temp files of a run still in progress.

use std::collections::HashSet;
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const TEMP_PREFIX: &str = ".restage-";
const TEMP_SUFFIX: &str = ".tmp";

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Its content is no longer what restage read: someone edited it during the run.
    #[error("changed since it was read; not overwritten (run restage again)")]
    Changed,
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Replaces the content of `path` with `content` if it still holds `expected`.
///
/// - Atomic: a temp file `.restage-<pid>-<random>.tmp` in the target's folder, synced, then
///   renamed over the target; readers see the old or the new content, never a mix.
/// - Refuses with [`WriteError::Changed`] when the file's bytes differ from `expected` (or it
///   was removed) right before the rename. The check and the rename are two system calls, so
///   an edit landing between them is still lost; the window is microseconds instead of the
///   whole run.
/// - Symlinks are written through: the final target of the link (all links resolved) gets
///   the new content and the link stays a link.
/// - Keeps the target's permission bits, and its owner and group where the process may set
///   them (as root, or a group the user is in); otherwise the file becomes the user's,
///   as with any editor that saves by rename. Extended attributes and ACLs are not copied;
///   other hard links to the file keep the old content.
pub fn atomic_write(path: &Path, expected: &[u8], content: &str) -> Result<(), WriteError> {
    let target = match std::fs::canonicalize(path) {
        Ok(t) => t,
        // Removed (or its link target removed) since it was read.
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(WriteError::Changed),
        Err(e) => return Err(e.into()),
    };
    let dir = target.parent().map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
    clean_once(&dir);
    let meta = std::fs::metadata(&target)?;
    let mut tmp = tempfile::Builder::new().prefix(&format!("{TEMP_PREFIX}{}-", std::process::id())).suffix(TEMP_SUFFIX).tempfile_in(&dir)?;
    tmp.write_all(content.as_bytes())?;
    let file = tmp.as_file();
    if let Err(e) = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()))
        && e.kind() != io::ErrorKind::PermissionDenied
    {
        return Err(e.into());
    }
    // After chown, which clears set-user-ID bits.
    file.set_permissions(std::fs::Permissions::from_mode(meta.permissions().mode()))?;
    file.sync_all()?;
    if !still_holds(&target, expected)? {
        return Err(WriteError::Changed);
    }
    tmp.persist(&target).map_err(|e| e.error)?;
    // The rename is durable once the folder is synced; a failure here loses nothing.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Whether the file's bytes are exactly `expected` (a removed file does not).
fn still_holds(path: &Path, expected: &[u8]) -> io::Result<bool> {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let mut now = Vec::with_capacity(expected.len() + 1);
    // One byte more than expected is enough to see that it grew.
    f.take(expected.len() as u64 + 1).read_to_end(&mut now)?;
    Ok(now == expected)
}

/// Cleans each folder once per process, at its first write.
fn clean_once(dir: &Path) {
    static CLEANED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    let mut guard = CLEANED.lock().unwrap_or_else(|e| e.into_inner());
    if guard.get_or_insert_with(HashSet::new).insert(dir.to_path_buf()) {
        drop(guard);
        clean_stale_temps(dir);
    }
}

/// Removes the temp files a killed restage run left in `dir` (`.restage-<pid>-*.tmp` whose
/// process is gone); returns how many. Temp files of runs still alive are kept. Liveness is
/// read from `/proc`; where there is no `/proc`, nothing is removed.
pub fn clean_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_pid) else { continue };
        if pid != std::process::id() && !alive(pid) && entry.file_type().is_ok_and(|t| t.is_file()) && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The pid in a `.restage-<pid>-<random>.tmp` name.
fn temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    let (pid, random) = rest.split_once('-')?;
    if random.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    // Without procfs liveness is unknown: treat every pid as alive (keep the file).
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names() {
        assert_eq!(temp_pid(".restage-123-a1B2c3.tmp"), Some(123));
        assert_eq!(temp_pid(".restage-123-.tmp"), None);
        assert_eq!(temp_pid(".restage-abc-x.tmp"), None);
        assert_eq!(temp_pid(".restage-Xy12ab"), None, "an old-style name is not ours to judge");
        assert_eq!(temp_pid("Dockerfile"), None);
    }

    #[test]
    fn writes_and_refuses_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("Dockerfile");
        std::fs::write(&p, "FROM a\n").unwrap();
        atomic_write(&p, b"FROM a\n", "FROM b\n").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "FROM b\n");
        // Stale `expected`: somebody wrote `FROM b` after we read `FROM a`.
        let e = atomic_write(&p, b"FROM a\n", "FROM c\n").unwrap_err();
        assert!(matches!(e, WriteError::Changed), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "FROM b\n");
        // Grown or shrunk by one byte is a change too; removed is a change.
        assert!(matches!(atomic_write(&p, b"FROM b\n\n", "x").unwrap_err(), WriteError::Changed));
        assert!(matches!(atomic_write(&p, b"FROM b", "x").unwrap_err(), WriteError::Changed));
        assert!(matches!(atomic_write(&dir.path().join("gone"), b"FROM b\n", "x").unwrap_err(), WriteError::Changed));
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["Dockerfile"], "refused writes leave no temp file");
    }

    #[test]
    fn symlinks_stay_links_and_permissions_stay() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        let target = real.join("Dockerfile");
        std::fs::write(&target, "FROM a\n").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("Dockerfile");
        std::os::unix::fs::symlink("real/Dockerfile", &link).unwrap();
        atomic_write(&link, b"FROM a\n", "FROM b\n").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("real/Dockerfile"));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "FROM b\n");
        let meta = std::fs::metadata(&target).unwrap();
        assert_eq!(meta.permissions().mode() & 0o7777, 0o640);
        // Owner and group: only root may give a file away; check where the test runs as root.
        if meta.uid() == 0 {
            std::os::unix::fs::chown(&target, Some(1234), Some(4321)).unwrap();
            atomic_write(&link, b"FROM b\n", "FROM c\n").unwrap();
            let meta = std::fs::metadata(&target).unwrap();
            assert_eq!((meta.uid(), meta.gid(), meta.permissions().mode() & 0o7777), (1234, 4321, 0o640));
        }
    }

    #[test]
    fn stale_temps_of_dead_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // A pid that cannot be alive (above pid_max) and our own, alive, pid.
        let dead = dir.path().join(".restage-4294967295-abcdef.tmp");
        let live = dir.path().join(format!(".restage-{}-abcdef.tmp", std::process::id()));
        let parent = dir.path().join(format!(".restage-{}-abcdef.tmp", std::os::unix::process::parent_id()));
        let other = dir.path().join(".restage-notes.txt");
        for p in [&dead, &live, &parent, &other] {
            std::fs::write(p, "x").unwrap();
        }
        assert_eq!(clean_stale_temps(dir.path()), 1);
        assert!(!dead.exists());
        assert!(live.exists() && parent.exists() && other.exists());
    }
}
