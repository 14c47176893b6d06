//! OS packages installed in the single stage, sorted into build-only and runtime needs.
//! The classes and the distro-aware `-dev` → runtime-library table are data
//! (`[packages]` in `mappings/packages.toml`, overlayable with `--mappings`).

use crate::knowledge::Packages as PackageTable;
use crate::shell::Invocation;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Packages {
    /// The package manager used (`apt`, `apk`, `dnf`, …).
    pub manager: Option<String>,
    /// Runtime packages, with the `-dev` ones mapped to their libraries.
    pub runtime: Vec<String>,
    /// `-dev` packages with no known runtime library.
    pub unknown_dev: Vec<String>,
    /// Build-only packages the runtime does not get (compilers, headers, git …).
    pub dropped: Vec<String>,
}

/// Packages installed by apt-get / apt / apk / dnf / yum / microdnf invocations, sorted
/// into what the runtime needs and what stays behind. `keep` names tools the program or a
/// healthcheck calls; `ecosystem` adds its own build-only packages (node-gyp's python3).
pub fn classify(invs: &[Invocation], keep: &[&str], t: &PackageTable, ecosystem: &str) -> Packages {
    let mut p = Packages::default();
    let installs: Vec<(&Invocation, &'static str, Vec<String>)> = invs.iter().filter_map(|i| Some((i, manager_of(i)?, package_names(i)))).collect();
    let eco_only = t.build_only_for.get(ecosystem).cloned().unwrap_or_default();
    let is_build_exact = |n: &str| t.build_only.iter().any(|b| b == n) || eco_only.iter().any(|b| b == n) || n.ends_with("-dev") || n.ends_with("-devel");
    // `golang-1.10` is build-only as `golang` is.
    let is_build = |n: &str| is_build_exact(n) || is_build_exact(unversioned(n));
    for (inv, mgr, names) in &installs {
        p.manager.get_or_insert_with(|| mgr.to_string());
        // A RUN that installs a compiler or headers is a build group: its fetch tools go too.
        let build_group = installs.iter().filter(|(o, _, _)| o.instruction == inv.instruction).any(|(_, _, ns)| ns.iter().any(|n| is_build(n)));
        let map = if *mgr == "apk" { &t.alpine } else { &t.debian };
        for name in names {
            let kept = keep.contains(&name.as_str());
            let runtime = if let Some(lib) = map.get(name) {
                p.dropped.push(name.clone());
                Some(lib.clone()).filter(|l| !l.is_empty())
            } else if name.ends_with("-dev") || name.ends_with("-devel") {
                p.unknown_dev.push(name.clone());
                p.dropped.push(name.clone());
                None
            } else if !kept && (is_build(name) || (build_group && t.build_tools.contains(name))) {
                p.dropped.push(name.clone());
                None
            } else {
                Some(name.clone())
            };
            if let Some(r) = runtime
                && !p.runtime.contains(&r)
            {
                p.runtime.push(r);
            }
        }
    }
    p
}

/// The package names of one install invocation (options, versions, variables and paths
/// left out).
pub(crate) fn package_names(inv: &Invocation) -> Vec<String> {
    let sub_at = inv.args().iter().position(|a| !a.starts_with('-')).unwrap_or(0);
    let mut skip_next = false;
    let mut out = Vec::new();
    for pkg in &inv.args()[sub_at + 1..] {
        if skip_next {
            skip_next = false;
            continue;
        }
        if pkg.starts_with('-') {
            skip_next = matches!(pkg.as_str(), "-t" | "--target-release" | "--virtual" | "-o" | "--repository" | "-X");
            continue;
        }
        let name = pkg.split(['=', ':']).next().unwrap_or(pkg).to_string();
        if !name.contains(['$', '/', '*']) && !name.is_empty() {
            out.push(name);
        }
    }
    out
}

/// `golang-1.10` → `golang`; names whose version is inside (`python3.11-venv`) stay.
pub(crate) fn unversioned(p: &str) -> &str {
    match p.rsplit_once('-') {
        Some((base, v)) if !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.') => base,
        _ => p,
    }
}

/// The package family a package manager's command belongs to: `apt` (apt-get, apt), `apk`,
/// `rpm` (dnf, yum and microdnf install the same packages); None for any other tool.
pub fn family_of(tool: &str) -> Option<&'static str> {
    match tool {
        "apt-get" | "apt" => Some("apt"),
        "apk" => Some("apk"),
        "dnf" | "yum" | "microdnf" => Some("rpm"),
        _ => None,
    }
}

/// The package manager of an install invocation (`apt-get install`, `apk add`, `dnf install`).
pub fn manager_of(inv: &Invocation) -> Option<&'static str> {
    if inv.is_sub("apt-get", &["install"]) || inv.is_sub("apt", &["install"]) {
        Some("apt")
    } else if inv.is_sub("apk", &["add"]) {
        Some("apk")
    } else if ["dnf", "yum", "microdnf"].iter().any(|t| inv.is_sub(t, &["install"])) {
        Some("dnf")
    } else {
        None
    }
}

/// The runtime packages as the runtime's package manager names them: on a dnf/microdnf
/// runtime (UBI) the Debian/Alpine names of a file that installed with apt or apk (and the
/// Debian names of `run_tools`) go through `[packages.rpm_names]`. Returns the names to
/// install and those with no known RPM name (for review: never guessed).
pub fn for_runtime(names: Vec<String>, file_manager: Option<&str>, runtime_manager: Option<&str>, t: &PackageTable) -> (Vec<String>, Vec<String>) {
    let rpm_runtime = matches!(runtime_manager, Some("dnf" | "microdnf" | "yum"));
    if !rpm_runtime || file_manager == Some("dnf") {
        return (names, Vec::new());
    }
    let (mut mapped, mut unmapped) = (Vec::new(), Vec::new());
    for n in names {
        match t.rpm_names.get(&n) {
            Some(r) if !mapped.contains(r) => mapped.push(r.clone()),
            Some(_) => {}
            None => unmapped.push(n),
        }
    }
    (mapped, unmapped)
}

/// One RUN line installing `pkgs` with `manager`.
pub fn install_line(manager: &str, pkgs: &[String]) -> String {
    let list = pkgs.join(" ");
    match manager {
        "apk" => format!("RUN apk add --no-cache {list}"),
        "microdnf" => format!("RUN microdnf install -y {list} && microdnf clean all"),
        "dnf" => format!("RUN dnf install -y {list} && dnf clean all"),
        _ => format!("RUN apt-get update && apt-get install -y --no-install-recommends {list} && rm -rf /var/lib/apt/lists/*"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inv(s: &str) -> Invocation {
        let words: Vec<String> = s.split_whitespace().map(String::from).collect();
        Invocation { env: Vec::new(), tool: words[0].clone(), words, cwd: "/".into(), instruction: 0, line: 1 }
    }

    #[test]
    fn dev_packages_map_to_runtime_libraries() {
        let t = crate::knowledge::Table::builtin().packages;
        let p = classify(&[inv("apt-get install -y --no-install-recommends gcc libpq-dev netcat-openbsd ca-certificates libfoo-dev")], &[], &t, "python");
        assert_eq!(p.manager.as_deref(), Some("apt"));
        assert_eq!(p.runtime, ["libpq5", "netcat-openbsd", "ca-certificates"], "ca-certificates stays unless the runtime has it (image facts)");
        assert_eq!(p.unknown_dev, ["libfoo-dev"]);
        let p = classify(&[inv("apk add --no-cache --virtual .b build-base postgresql-dev tini curl")], &["curl"], &t, "python");
        assert_eq!(p.runtime, ["libstdc++", "libpq", "tini", "curl"]);
    }

    #[test]
    fn fetch_tools_go_only_with_a_build_group_and_node_gyp_python_is_build_only() {
        let t = crate::knowledge::Table::builtin().packages;
        let own = classify(&[inv("apt-get install -y curl tzdata")], &[], &t, "ruby");
        assert_eq!(own.runtime, ["curl", "tzdata"], "installed on their own: runtime packages");
        let group = classify(&[inv("apt-get install -y curl gcc libsqlite3-dev")], &[], &t, "ruby");
        assert_eq!(group.runtime, ["libsqlite3-0"]);
        assert_eq!(group.dropped, ["curl", "gcc", "libsqlite3-dev"]);
        let node = classify(&[inv("apk add --no-cache python3 make g++")], &[], &t, "node");
        assert_eq!(node.runtime, ["libstdc++"], "python3 and make are node-gyp's; g++ output needs libstdc++");
        assert_eq!(classify(&[inv("apk add musl-dev linux-headers")], &[], &t, "go").runtime, Vec::<String>::new());
        assert_eq!(classify(&[inv("apt-get --assume-yes install freetds-dev freetds-bin")], &[], &t, "ruby").runtime, ["freetds-bin"]);
    }

    #[test]
    fn debian_and_alpine_names_become_rpm_names_on_a_dnf_runtime_or_a_review() {
        let t = crate::knowledge::Table::builtin().packages;
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (ok, unknown) = for_runtime(names(&["libsqlite3-0", "libpq5", "netcat", "freetds-bin"]), Some("apt"), Some("microdnf"), &t);
        assert_eq!(ok, ["sqlite-libs", "libpq", "nmap-ncat"]);
        assert_eq!(unknown, ["freetds-bin"]);
        let (ok, unknown) = for_runtime(names(&["libstdc++", "libpq", "libffi"]), Some("apk"), Some("microdnf"), &t);
        assert_eq!((ok, unknown.is_empty()), (names(&["libstdc++", "libpq", "libffi"]), true));
        assert_eq!(for_runtime(names(&["libpq5"]), Some("apt"), Some("apt"), &t).0, ["libpq5"], "same manager: unchanged");
        assert_eq!(for_runtime(names(&["libpq"]), Some("dnf"), Some("microdnf"), &t).0, ["libpq"], "already RPM names");
    }
}
