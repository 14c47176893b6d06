//! The dependencies a stage installs, by name, read from the manifests it installs from:
//! `pip install -r requirements.txt` (and packages named on the command line) for Python,
//! `bundle install` with the Gemfile.lock next to it for Ruby. Only files the stage copies
//! from the build context can be read; a missing manifest gives no names (the caller
//! decides nothing from silence).

use super::stage::StageView;
use crate::shell::{Invocation, join};

/// Requirement files nested with `-r` are followed this deep.
const MAX_NESTING: usize = 3;

/// Dependency names (normalised: lower case, `_`/`.` → `-`) the stage installs for `ecosystem`.
pub fn dependencies(view: &StageView<'_>, ecosystem: &str) -> Vec<String> {
    match ecosystem {
        "python" => view.invocations().iter().filter_map(pip_install_args).flat_map(|(inv, args)| python_names(view, inv, &args)).collect(),
        "ruby" => view.invocations().iter().filter(|i| i.is_sub("bundle", &["install"]) || i.is("bundle")).flat_map(|i| gem_names(view, i)).collect(),
        _ => Vec::new(),
    }
}

/// `pip install …`, `pip3 install …`, `python -m pip install …`, `uv pip install …`: the
/// words after `install`.
fn pip_install_args(inv: &Invocation) -> Option<(&Invocation, Vec<String>)> {
    let w = &inv.words;
    let pip_at = if inv.tool.starts_with("pip") {
        0
    } else if inv.tool.starts_with("python") || inv.tool == "uv" {
        w.iter().position(|x| x == "pip")?
    } else {
        return None;
    };
    let install = w.iter().skip(pip_at + 1).position(|x| x == "install")? + pip_at + 1;
    Some((inv, w[install + 1..].to_vec()))
}

/// Options of `pip install` that take a value (the next word is not a package).
const PIP_OPTIONS_WITH_VALUE: &[&str] = &[
    "-c",
    "--constraint",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--no-binary",
    "--only-binary",
    "--platform",
    "--python-version",
];

fn python_names(view: &StageView<'_>, inv: &Invocation, args: &[String]) -> Vec<String> {
    let mut names = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "-r" || a == "--requirement" {
            if let Some(file) = it.next() {
                names.extend(requirements_file(view, &join(&inv.cwd, file), 0));
            }
        } else if let Some(file) = a.strip_prefix("--requirement=").or_else(|| a.strip_prefix("-r").filter(|f| !f.is_empty())) {
            names.extend(requirements_file(view, &join(&inv.cwd, file), 0));
        } else if PIP_OPTIONS_WITH_VALUE.contains(&a.as_str()) {
            it.next();
        } else if !a.starts_with('-') {
            names.extend(requirement_name(a));
        }
    }
    names
}

/// The names in a requirements file the stage copied to `target` (an absolute path).
fn requirements_file(view: &StageView<'_>, target: &str, depth: usize) -> Vec<String> {
    let Some(text) = read_copied(view, target) else { return Vec::new() };
    let dir = target.rsplit_once('/').map_or("/", |(d, _)| if d.is_empty() { "/" } else { d });
    let mut names = Vec::new();
    for line in text.lines() {
        let line = line.split(" #").next().unwrap_or_default().trim();
        if let Some(nested) = line.strip_prefix("-r ").or_else(|| line.strip_prefix("--requirement ")) {
            if depth < MAX_NESTING {
                names.extend(requirements_file(view, &join(dir, nested.trim()), depth + 1));
            }
        } else if !line.starts_with(['-', '#']) {
            names.extend(requirement_name(line));
        }
    }
    names
}

/// `psycopg2==2.9.9`, `lxml[html]>=5`, `Django ; python_version>"3"` → `psycopg2`, `lxml`, `django`.
fn requirement_name(spec: &str) -> Option<String> {
    let name: String = spec.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    (!name.is_empty() && !spec.contains("://")).then(|| name.to_ascii_lowercase().replace(['_', '.'], "-"))
}

/// Gem names of the Gemfile.lock next to where `bundle install` runs (its `specs:` entries,
/// four spaces in: `    pg (1.5.4)`).
fn gem_names(view: &StageView<'_>, inv: &Invocation) -> Vec<String> {
    let Some(lock) = read_copied(view, &join(&inv.cwd, "Gemfile.lock")) else { return Vec::new() };
    lock.lines()
        .filter(|l| l.starts_with("    ") && !l.starts_with("     "))
        .filter_map(|l| l.trim().split([' ', '(']).next().map(|n| n.to_ascii_lowercase()))
        .filter(|n| !n.is_empty())
        .collect()
}

/// The text of the context file the stage copied to `target`.
fn read_copied(view: &StageView<'_>, target: &str) -> Option<String> {
    let rel = super::recipes::context_source(view, target)?;
    super::folders::read_to_string(&view.context?.join(rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_names_are_normalised_and_urls_are_not_names() {
        assert_eq!(requirement_name("psycopg2==2.9.9"), Some("psycopg2".into()));
        assert_eq!(requirement_name("lxml[html]>=5"), Some("lxml".into()));
        assert_eq!(requirement_name("Flask_Login ; python_version>'3'"), Some("flask-login".into()));
        assert_eq!(requirement_name("git+https://github.com/x/y"), None);
    }

    #[test]
    fn requirements_and_gemfile_lock_are_read_from_the_copied_context_files() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("requirements.txt"), "# deps\nFlask==3.0\n-r base.txt\npsycopg2==2.9.9  # db\n").unwrap();
        std::fs::write(d.path().join("base.txt"), "lxml>=5\n--no-binary lxml\n").unwrap();
        std::fs::write(d.path().join("Gemfile.lock"), "GEM\n  specs:\n    pg (1.5.4)\n      ast (~> 2.4)\n    rails (7.1.0)\n").unwrap();
        let text = "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt base.txt ./\nRUN pip install --no-cache-dir -r requirements.txt uvicorn\nCOPY Gemfile.lock ./\nRUN bundle install\n";
        let doc = crate::document::Document::parse(text).unwrap();
        let view = StageView::new(&doc, 0, doc.instructions.len(), Some(d.path()));
        let mut py = dependencies(&view, "python");
        py.sort();
        assert_eq!(py, vec!["flask", "lxml", "psycopg2", "uvicorn"]);
        assert_eq!(dependencies(&view, "ruby"), vec!["pg", "rails"]);
        let no_context = StageView::new(&doc, 0, doc.instructions.len(), None);
        assert_eq!(dependencies(&no_context, "python"), vec!["uvicorn"], "without the context only the command line is known");
    }
}
