//! Shared libraries of the copied files: every ELF file the rewrite copies into the runtime
//! must find its libraries (and its program interpreter) there.
//!
//! A native extension (`.so`, `.node`) or a binary linked against a library of the builder
//! image runs fine until it is loaded, which a smoke run may never do; so this check does not
//! wait for it. Where the runtime has a shell, `ldd` and `find`, the runtime's own loader
//! answers (`ldd` in the rewritten container). Elsewhere (distroless, scratch) the image's
//! filesystem is exported and read here: DT_NEEDED, RPATH/RUNPATH (with `$ORIGIN`) and the
//! interpreter of each ELF file are read with `goblin`, and the names are looked up the way
//! the glibc loader does (RPATH, LD_LIBRARY_PATH, RUNPATH, ld.so.conf, the default and
//! multiarch folders), following symbolic links inside the exported root, not the host's.

use goblin::elf::Elf;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// An unresolved dependency of a copied ELF file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Missing {
    /// The file (path in the image) that needs it.
    pub file: String,
    /// The library name (`libstdc++.so.6`) or `interpreter /lib/ld-musl-x86_64.so.1`.
    pub library: String,
}

/// The shell script run in the rewritten container when it has `ldd`: one `FILE<TAB>LIB` line
/// per unresolved library of the ELF files under the given paths (`$@`). Only executables and
/// shared objects are asked, which skips sources and data. The walk is plain `sh` (Debian's
/// minbase images have no `find`); links are not followed.
/// A library next to the library needing it is not missing: see [`bundled_sibling`].
pub const LDD_SCRIPT: &str = r#"command -v ldd >/dev/null || { echo restage-no-ldd; exit 0; }
echo restage-ldd
check() { ldd "$1" 2>/dev/null | sed -n "s|^[[:space:]]*\([^[:space:]]*\) => not found.*|\1|p" | while read -r l; do
  case "${1##*/}" in lib*.so*) [ -e "${1%/*}/$l" ] && continue ;; esac; printf '%s\t%s\n' "$1" "$l"; done; }
walk() {
  for f in "$1"/* "$1"/.[!.]*; do
    [ -L "$f" ] && continue
    if [ -d "$f" ]; then walk "$f"
    elif [ -f "$f" ]; then
      case "$f" in *.so|*.so.*|*.node) check "$f" ;; *) [ -x "$f" ] && check "$f" ;; esac
    fi
  done
}
for p; do if [ -d "$p" ]; then walk "$p"; elif [ -f "$p" ]; then check "$p"; fi; done"#;

/// Parses the output of [`LDD_SCRIPT`]: None when the container has no `ldd`/`find`.
pub fn parse_ldd(stdout: &str) -> Option<Vec<Missing>> {
    let mut lines = stdout.lines();
    if lines.next()?.trim() != "restage-ldd" {
        return None;
    }
    let mut v: Vec<Missing> =
        lines.filter_map(|l| l.split_once('\t')).map(|(f, lib)| Missing { file: f.to_string(), library: lib.trim().to_string() }).collect();
    v.sort();
    v.dedup();
    Some(v)
}

/// The folders the glibc (and musl) loader searches by default, multiarch ones included.
const DEFAULT_DIRS: &[&str] = &[
    "/lib",
    "/usr/lib",
    "/lib64",
    "/usr/lib64",
    "/usr/local/lib",
    "/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu",
    "/usr/local/lib/x86_64-linux-gnu",
    "/lib/aarch64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/local/lib/aarch64-linux-gnu",
];

/// Files larger than this are not read (no ELF the check cares about is that big).
const MAX_FILE: u64 = 512 << 20;

/// The unresolved libraries of every ELF file under `paths` (image paths) of the image
/// filesystem at `root`; `ld_library_path` is the image's `LD_LIBRARY_PATH`, if any.
pub fn missing_in_root(root: &Path, paths: &[String], ld_library_path: Option<&str>) -> Vec<Missing> {
    let search = SearchDirs::new(root, ld_library_path);
    let mut files = BTreeSet::new();
    for p in paths {
        collect_files(root, p, &mut files, 0);
    }
    let mut cache: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut out = Vec::new();
    for f in files {
        let Some(info) = read_elf(root, &f) else { continue };
        if let Some(interp) = &info.interpreter
            && resolve(root, interp).is_none()
        {
            out.push(Missing { file: f.clone(), library: format!("interpreter {interp}") });
        }
        // The libraries it needs, and theirs in turn (a found library may itself need one
        // the runtime lacks).
        let mut seen: HashSet<String> = HashSet::new();
        let mut queue: Vec<(String, ElfInfo)> = vec![(f.clone(), info)];
        while let Some((path, elf)) = queue.pop() {
            for lib in &elf.needed {
                if !seen.insert(lib.clone()) {
                    continue;
                }
                let key = format!("{lib}\0{}", elf.search_key(&path));
                let found = cache.entry(key).or_insert_with(|| search.find(root, lib, &path, &elf)).clone().or_else(|| bundled_sibling(root, &path, lib));
                match found {
                    None => out.push(Missing { file: f.clone(), library: lib.clone() }),
                    Some(p) => {
                        if let Some(sub) = read_elf(root, &p) {
                            queue.push((p, sub));
                        }
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A library bundled next to the library that needs it (a wheel's `<package>.libs/` folder,
/// where auditwheel puts `libpq-…so.5` with the `libssl-…so` it needs): the loader finds it
/// through the RPATH of the extension module loading the whole folder, which a lookup of
/// the library on its own (`ldd`, or here) does not see. Only for files named like a
/// library (`lib*.so*`); an extension module or program still needs its own RPATH.
fn bundled_sibling(root: &Path, from: &str, lib: &str) -> Option<String> {
    let name = from.rsplit('/').next().unwrap_or(from);
    if !(name.starts_with("lib") && name.contains(".so")) || lib.contains('/') {
        return None;
    }
    let p = crate::shell::join(parent(from), lib);
    resolve(root, &p).is_some_and(|real| real.is_file()).then_some(p)
}

struct ElfInfo {
    needed: Vec<String>,
    rpath: Vec<String>,
    runpath: Vec<String>,
    interpreter: Option<String>,
    is_64: bool,
}

impl ElfInfo {
    /// What the lookup of a name depends on besides the name: the object's own search path.
    fn search_key(&self, path: &str) -> String {
        if self.rpath.is_empty() && self.runpath.is_empty() { format!("{}", self.is_64) } else { format!("{}\0{path}", self.is_64) }
    }
}

fn read_elf(root: &Path, image_path: &str) -> Option<ElfInfo> {
    let real = resolve(root, image_path)?;
    let meta = std::fs::metadata(&real).ok()?;
    if !meta.is_file() || meta.len() < 52 || meta.len() > MAX_FILE {
        return None;
    }
    let mut head = [0u8; 4];
    {
        use std::io::Read;
        std::fs::File::open(&real).ok()?.read_exact(&mut head).ok()?;
    }
    if &head != b"\x7fELF" {
        return None;
    }
    let bytes = std::fs::read(&real).ok()?;
    let elf = Elf::parse(&bytes).ok()?;
    let split = |v: &[&str]| v.iter().flat_map(|s| s.split(':')).filter(|s| !s.is_empty()).map(String::from).collect::<Vec<_>>();
    Some(ElfInfo {
        needed: elf.libraries.iter().map(|s| s.to_string()).collect(),
        rpath: split(&elf.rpaths),
        runpath: split(&elf.runpaths),
        interpreter: elf.interpreter.map(String::from),
        is_64: elf.is_64,
    })
}

struct SearchDirs {
    ld_library_path: Vec<String>,
    conf: Vec<String>,
}

impl SearchDirs {
    fn new(root: &Path, ld_library_path: Option<&str>) -> SearchDirs {
        let ld_library_path = ld_library_path.unwrap_or_default().split(':').filter(|s| !s.is_empty()).map(String::from).collect();
        let mut conf = Vec::new();
        read_ld_so_conf(root, "/etc/ld.so.conf", &mut conf, 0);
        SearchDirs { ld_library_path, conf }
    }

    /// The image path `lib` resolves to for the object at `from`, as the loader searches.
    fn find(&self, root: &Path, lib: &str, from: &str, elf: &ElfInfo) -> Option<String> {
        if lib.contains('/') {
            let p = if lib.starts_with('/') { lib.to_string() } else { crate::shell::join(parent(from), lib) };
            return resolve(root, &p).map(|_| p);
        }
        let origin = parent(from);
        let expand = |d: &String| d.replace("${ORIGIN}", origin).replace("$ORIGIN", origin);
        let rpath: Vec<String> = if elf.runpath.is_empty() { elf.rpath.iter().map(expand).collect() } else { Vec::new() };
        let runpath: Vec<String> = elf.runpath.iter().map(expand).collect();
        let dirs = rpath.iter().chain(&self.ld_library_path).chain(&runpath).chain(&self.conf).map(String::as_str).chain(DEFAULT_DIRS.iter().copied());
        for d in dirs {
            let p = crate::shell::join(d, lib);
            if resolve(root, &p).is_some_and(|real| real.is_file()) {
                return Some(p);
            }
        }
        None
    }
}

/// `/etc/ld.so.conf` and its `include` globs (one level of `*` in the file name).
fn read_ld_so_conf(root: &Path, path: &str, out: &mut Vec<String>, depth: usize) {
    if depth > 4 {
        return;
    }
    let Some(real) = resolve(root, path) else { return };
    let Ok(text) = std::fs::read_to_string(real) else { return };
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if let Some(pattern) = line.strip_prefix("include").map(str::trim) {
            let pattern = if pattern.starts_with('/') { pattern.to_string() } else { crate::shell::join(parent(path), pattern) };
            let (dir, glob) = (parent(&pattern).to_string(), pattern.rsplit('/').next().unwrap_or_default().to_string());
            let Some(real_dir) = resolve(root, &dir) else { continue };
            let Ok(entries) = std::fs::read_dir(real_dir) else { continue };
            let mut names: Vec<String> = entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
            names.sort();
            for n in names.into_iter().filter(|n| glob_match(&glob, n)) {
                read_ld_so_conf(root, &format!("{}/{n}", dir.trim_end_matches('/')), out, depth + 1);
            }
        } else if line.starts_with('/') {
            out.push(line.to_string());
        }
    }
}

/// `*`-only glob matching (what ld.so.conf includes use).
fn glob_match(glob: &str, name: &str) -> bool {
    let parts: Vec<&str> = glob.split('*').collect();
    if parts.len() == 1 {
        return glob == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || !name[first.len()..].ends_with(last) || name.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

fn parent(p: &str) -> &str {
    match p.trim_end_matches('/').rsplit_once('/') {
        Some(("", _)) | None => "/",
        Some((d, _)) => d,
    }
}

/// Regular files under an image path (recursing into folders, not following links to folders).
fn collect_files(root: &Path, image_path: &str, out: &mut BTreeSet<String>, depth: usize) {
    if depth > 64 || out.len() > 200_000 {
        return;
    }
    let Some(real) = resolve(root, image_path) else { return };
    let Ok(meta) = std::fs::metadata(&real) else { return };
    if meta.is_file() {
        out.insert(image_path.to_string());
    } else if meta.is_dir() {
        let Ok(entries) = std::fs::read_dir(&real) else { return };
        for e in entries.filter_map(|e| e.ok()) {
            let child = format!("{}/{}", image_path.trim_end_matches('/'), e.file_name().to_string_lossy());
            match e.file_type() {
                Ok(t) if t.is_dir() => collect_files(root, &child, out, depth + 1),
                Ok(t) if t.is_file() => {
                    out.insert(child);
                }
                // A link to a file counts (libfoo.so → libfoo.so.1.2); links to folders are not
                // followed (they may point outside the copied paths).
                Ok(t) if t.is_symlink() && resolve(root, &child).is_some_and(|p| p.is_file()) => {
                    out.insert(child);
                }
                _ => {}
            }
        }
    }
}

/// The host path of an image path inside the filesystem at `root`, following symbolic links
/// as the image would (absolute targets start again at `root`); None when it does not exist.
pub fn resolve(root: &Path, image_path: &str) -> Option<PathBuf> {
    let mut parts: Vec<String> = Vec::new();
    let mut pending: Vec<String> = image_path.split('/').filter(|s| !s.is_empty()).rev().map(String::from).collect();
    let mut links = 0;
    while let Some(seg) = pending.pop() {
        match seg.as_str() {
            "." => continue,
            ".." => {
                parts.pop();
                continue;
            }
            _ => {}
        }
        let mut host = root.to_path_buf();
        host.extend(&parts);
        host.push(&seg);
        let meta = std::fs::symlink_metadata(&host).ok()?;
        if meta.file_type().is_symlink() {
            links += 1;
            if links > 40 {
                return None;
            }
            let target = std::fs::read_link(&host).ok()?;
            let target = target.to_string_lossy();
            if target.starts_with('/') {
                parts.clear();
            }
            pending.extend(target.split('/').filter(|s| !s.is_empty()).rev().map(String::from));
        } else {
            parts.push(seg);
        }
    }
    let mut host = root.to_path_buf();
    host.extend(&parts);
    host.exists().then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// The ELF files of the host this test runs on: the test binary itself needs libc.
    fn host_elf() -> PathBuf {
        std::env::current_exe().unwrap()
    }

    fn needed_of(p: &Path) -> Vec<String> {
        let bytes = std::fs::read(p).unwrap();
        Elf::parse(&bytes).unwrap().libraries.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn links_resolve_inside_the_root_not_on_the_host() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::create_dir_all(r.join("usr/lib/x86_64-linux-gnu")).unwrap();
        std::fs::write(r.join("usr/lib/x86_64-linux-gnu/libz.so.1.2"), b"x").unwrap();
        symlink("usr/lib", r.join("lib")).unwrap();
        symlink("/usr/lib/x86_64-linux-gnu/libz.so.1.2", r.join("usr/lib/x86_64-linux-gnu/libz.so.1")).unwrap();
        symlink("/etc/passwd", r.join("passwd")).unwrap();
        assert_eq!(resolve(r, "/lib/x86_64-linux-gnu/libz.so.1"), Some(r.join("usr/lib/x86_64-linux-gnu/libz.so.1.2")));
        assert_eq!(resolve(r, "/passwd"), None, "an absolute link must not reach the host's /etc/passwd");
        assert!(resolve(r, "/lib/../lib/x86_64-linux-gnu/libz.so.1.2").is_some());
    }

    #[test]
    fn a_copied_binary_reports_exactly_the_libraries_the_root_lacks() {
        let exe = host_elf();
        let needed = needed_of(&exe);
        assert!(!needed.is_empty(), "the test binary is dynamically linked");
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::create_dir_all(r.join("app")).unwrap();
        std::fs::copy(&exe, r.join("app/prog")).unwrap();
        // Nothing in the root: every library is missing, and so is the interpreter.
        let all = missing_in_root(r, &["/app".into()], None);
        let libs: Vec<&str> = all.iter().map(|m| m.library.as_str()).filter(|l| !l.starts_with("interpreter ")).collect();
        let mut want = needed.clone();
        want.sort();
        assert_eq!(libs, want.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(all.iter().any(|m| m.library.starts_with("interpreter /") && m.file == "/app/prog"), "{all:?}");
        // Provide all but the first, in different ways: a multiarch folder, LD_LIBRARY_PATH,
        // a folder named in ld.so.conf.d, and an RPATH-like $ORIGIN neighbour.
        let (first, rest) = needed.split_first().unwrap();
        std::fs::create_dir_all(r.join("usr/lib/x86_64-linux-gnu")).unwrap();
        std::fs::create_dir_all(r.join("opt/extra")).unwrap();
        std::fs::create_dir_all(r.join("etc/ld.so.conf.d")).unwrap();
        std::fs::write(r.join("etc/ld.so.conf"), "include /etc/ld.so.conf.d/*.conf\n").unwrap();
        std::fs::write(r.join("etc/ld.so.conf.d/extra.conf"), "# extra\n/opt/extra\n").unwrap();
        for (i, lib) in rest.iter().enumerate() {
            let dir = if i % 2 == 0 { "usr/lib/x86_64-linux-gnu" } else { "opt/extra" };
            std::fs::write(r.join(dir).join(lib), b"not an elf").unwrap();
        }
        let left = missing_in_root(r, &["/app/prog".into()], None);
        let libs: Vec<&str> = left.iter().map(|m| m.library.as_str()).filter(|l| !l.starts_with("interpreter ")).collect();
        assert_eq!(libs, [first.as_str()]);
        std::fs::create_dir_all(r.join("vendor")).unwrap();
        std::fs::write(r.join("vendor").join(first), b"x").unwrap();
        let left = missing_in_root(r, &["/app/prog".into()], Some("/nowhere:/vendor"));
        assert!(left.iter().all(|m| m.library.starts_with("interpreter ")), "{left:?}");
    }

    #[test]
    fn libraries_bundled_next_to_a_library_are_found_not_next_to_a_program() {
        // A wheel's `psycopg2_binary.libs/`: libpq needs libssl beside it (found at run time
        // through the extension's RPATH); a program with the same neighbours has no such help.
        let exe = host_elf();
        let needed = needed_of(&exe);
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        for dir in ["app/pkg.libs", "app/bin"] {
            std::fs::create_dir_all(r.join(dir)).unwrap();
            for lib in &needed {
                std::fs::write(r.join(dir).join(lib), b"x").unwrap();
            }
        }
        std::fs::copy(&exe, r.join("app/pkg.libs/libpq-0123abcd.so.5.16")).unwrap();
        std::fs::copy(&exe, r.join("app/bin/prog")).unwrap();
        let libs = |p: &str| -> Vec<String> {
            let v = missing_in_root(r, &[p.into()], None);
            v.into_iter().map(|m| m.library).filter(|l| !l.starts_with("interpreter ")).collect()
        };
        assert_eq!(libs("/app/pkg.libs"), Vec::<String>::new());
        let mut want = needed.clone();
        want.sort();
        assert_eq!(libs("/app/bin"), want);
    }

    /// LDD_SCRIPT run by the host's `sh`, with a fake `ldd` that reports two libraries
    /// missing for every file.
    #[test]
    fn the_ldd_script_skips_a_librarys_bundled_neighbours() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::create_dir_all(r.join("bin")).unwrap();
        std::fs::create_dir_all(r.join("app/pkg.libs")).unwrap();
        let ldd = r.join("bin/ldd");
        std::fs::write(&ldd, "#!/bin/sh\nprintf '\\tlibc.so.6 => /lib/libc.so.6\\n\\tlibssl-ab.so.3 => not found\\n\\tlibgone.so.1 => not found\\n'\n")
            .unwrap();
        std::fs::set_permissions(&ldd, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        for f in ["app/pkg.libs/libpq-12.so.5", "app/pkg.libs/libssl-ab.so.3", "app/ext.cpython-311.so", "app/libssl-ab.so.3"] {
            std::fs::write(r.join(f), b"x").unwrap();
        }
        let path = format!("{}:{}", r.join("bin").display(), std::env::var("PATH").unwrap_or_default());
        let app = r.join("app").display().to_string();
        let out = std::process::Command::new("sh").args(["-c", LDD_SCRIPT, "sh", &app]).env("PATH", path).output().unwrap();
        let got = parse_ldd(&String::from_utf8_lossy(&out.stdout)).unwrap();
        let got: Vec<(String, &str)> = got.iter().map(|m| (m.file.strip_prefix(&app).unwrap().to_string(), m.library.as_str())).collect();
        let want = [
            ("/ext.cpython-311.so", "libgone.so.1"),
            ("/ext.cpython-311.so", "libssl-ab.so.3"),
            ("/libssl-ab.so.3", "libgone.so.1"),
            ("/pkg.libs/libpq-12.so.5", "libgone.so.1"),
            ("/pkg.libs/libssl-ab.so.3", "libgone.so.1"),
        ];
        assert_eq!(got, want.map(|(f, l)| (f.to_string(), l)));
    }

    #[test]
    fn ldd_output_is_read_per_file_and_a_runtime_without_ldd_says_so() {
        let out = "restage-ldd\n/app/ext.so\tlibstdc++.so.6\n/app/ext.so\tlibstdc++.so.6\n/app/x\tlibpq.so.5\n";
        let v = parse_ldd(out).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0], Missing { file: "/app/ext.so".into(), library: "libstdc++.so.6".into() });
        assert_eq!(parse_ldd("restage-no-ldd\n"), None);
        assert!(glob_match("*.conf", "x86_64-linux-gnu.conf") && !glob_match("*.conf", "conf") && glob_match("a*b*c", "aXbYc"));
    }
}
