//! PHP: `composer install` (and the asset build, `npm ci && npm run build`) run in the
//! builder; the runtime receives the app folder with its `vendor/` and built assets.
//!
//! PHP code is not compiled, so the gain is what the build leaves behind: composer, git,
//! unzip, Node and the `-dev` headers extensions are built against. Extensions built with
//! `docker-php-ext-install` / `pecl install` on the official `php` image are built once in
//! the builder and their folder and ini files are copied into the same image (the safety
//! pass installs the runtime libraries the `-dev` table names). A shell-less runtime
//! (Chainguard, Minimus) cannot build extensions: it must ship them (the `php_extensions`
//! fact), or the rewrite needs review naming the missing ones. System configuration a RUN
//! changes (Apache modules, `$PHP_INI_DIR`) is copied from the builder; other changes
//! outside the copied folders are named for review, since the runtime starts fresh.

use super::{Artifact, Cx, Recipe, RecipeOut, app_dir, dev_image, expanded_commands, final_workdir, runs, skip};
use crate::document::Kind;
use crate::image::ImageRef;
use crate::outcome::{Code, Reason};
use crate::plan::packages::{manager_of, package_names};
use crate::shell::{Invocation, join};

pub struct Php;

/// Where the official `php` images keep extensions and their ini files
/// (`php-config --extension-dir` is `…/extensions/no-debug-non-zts-<api>`).
const EXTENSION_DIR: &str = "/usr/local/lib/php/extensions";
const INI_DIR: &str = "/usr/local/etc/php";
const APACHE_DIR: &str = "/etc/apache2";

/// Tools whose effects the split already accounts for (build steps, package installs,
/// fetches, the state pass's mkdir/chown/ln/mv/cp, users): anything else a RUN calls may
/// change the image outside the copied folders.
const ACCOUNTED: &[&str] = &[
    "apt-get",
    "apt",
    "apk",
    "dnf",
    "yum",
    "microdnf",
    "docker-php-ext-install",
    "docker-php-ext-enable",
    "docker-php-ext-configure",
    "docker-php-source",
    "install-php-extensions",
    "pecl",
    "pear",
    "composer",
    "composer.phar",
    "npm",
    "npx",
    "yarn",
    "pnpm",
    "bun",
    "node",
    "curl",
    "wget",
    "rm",
    "git",
    "cd",
    "echo",
    "printf",
    "set",
    "true",
    "false",
    "test",
    "[",
    "export",
    "mkdir",
    "chown",
    "chmod",
    "chgrp",
    "ln",
    "mv",
    "cp",
    "touch",
    "tar",
    "unzip",
    "gunzip",
    "sha256sum",
    "sha512sum",
    "useradd",
    "adduser",
    "groupadd",
    "addgroup",
    "usermod",
    "a2enmod",
    "a2enconf",
    "a2ensite",
    "a2dismod",
    "a2disconf",
    "a2dissite",
    "sed",
    "php",
    "nproc",
    "arch",
    "uname",
    "cat",
    "ls",
    "find",
    "xargs",
    "sleep",
    "exit",
];

impl Recipe for Php {
    fn id(&self) -> &'static str {
        "php"
    }

    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, Reason> {
        let mut out = RecipeOut::default();
        dev_image(cx.view, cx.program, cx.table, Some(self.id()))?;
        php_dev_image(cx)?;
        let invs = cx.view.invocations();
        let composer: Vec<&Invocation> = invs.iter().filter(|i| is_composer_install(i)).collect();
        let extensions = built_extensions(invs);
        if composer.is_empty() && extensions.is_empty() {
            return Err(skip(
                Code::NoBuildOutput,
                "no `composer install` step and no extension built: nothing build-only for a builder to keep (PHP code is not compiled)",
            ));
        }
        // The app folder: the file's WORKDIR, else the image's own (`/var/www/html`).
        let wd = final_workdir(cx.view);
        let image_wd = cx.builder_facts.workdir.clone().filter(|w| w != "/");
        let app = match (wd.as_str(), image_wd) {
            ("/", Some(w)) => {
                out.note(Code::Copy, format!("no WORKDIR in the file: the app lives in the image's own WORKDIR {w}"));
                w
            }
            _ => app_dir(cx)?,
        };
        let in_app = |cwd: &str| {
            let cwd = if cwd == "/" && wd == "/" { app.as_str() } else { cwd };
            cwd == app || cwd.starts_with(&format!("{}/", app.trim_end_matches('/')))
        };
        for c in &composer {
            if !in_app(&c.cwd) {
                out.review(Code::Dependencies, format!("line {}: composer runs in {}, outside the app folder {app}: its vendor/ is not copied", c.line, c.cwd));
            }
        }
        if !composer.is_empty() {
            let flags: Vec<&str> = composer.iter().flat_map(|c| c.args().iter().filter(|a| a.starts_with("--")).map(String::as_str)).collect();
            if flags.contains(&"--no-dev") {
                out.note(Code::Step, "composer installs with --no-dev, as the file does: require-dev stays out");
            } else {
                out.note(Code::Step, "composer installs as the file does (no --no-dev): require-dev packages ship as before");
            }
            if composer_binary(cx) {
                out.drops.push("composer".into());
            }
            out.build_only.extend(composer_copies(cx));
        }
        // The asset build (Laravel Mix / Vite): node_modules is build-only once it ran.
        let node_installs: Vec<&Invocation> = invs.iter().filter(|i| is_node_install(i)).collect();
        let asset_build = invs.iter().any(is_asset_build);
        if asset_build && let Some(first) = node_installs.first() {
            let cwd = if first.cwd == "/" && wd == "/" { app.clone() } else { first.cwd.clone() };
            if in_app(&cwd) {
                let modules = join(&cwd, "node_modules");
                out.builder_finale.push(format!("RUN rm -rf {modules}"));
                out.note(Code::Step, format!("the asset build ran: {modules} is removed at the end of the builder, the built assets ship with the app"));
                out.drops.push("node_modules".into());
            }
        }
        let runtime_is_php_image = is_official_php(&cx.pair.runtime) && cx.runtime_facts.shell;
        let same_php = same_image(&cx.pair.builder, &cx.pair.runtime);
        if !extensions.is_empty() {
            if runtime_is_php_image && same_php {
                out.artifacts.push(Artifact::same(EXTENSION_DIR, format!("PHP extensions built in the builder ({})", extensions.join(", "))));
                out.artifacts.push(Artifact::same(INI_DIR, "the ini files that load them (conf.d) and the PHP configuration"));
                out.note(Code::Step, format!("extensions {} built once in the builder; the runtime gets their folder and ini files", extensions.join(", ")));
            } else if !cx.runtime_facts.shell {
                runtime_extensions(cx, &extensions, &mut out);
            } else if same_php {
                // A distribution's PHP (`apt-get install php8.3-dev` + `pecl install`): its
                // extension folder and ini files depend on the PHP version.
                out.review(
                    Code::Dependencies,
                    format!(
                        "extensions {} are built on {} outside the official php image's folders: they are not copied, add them to the runtime",
                        extensions.join(", "),
                        cx.pair.runtime
                    ),
                );
            } else {
                out.review(
                    Code::Dependencies,
                    format!(
                        "extensions {} are built in the builder; {} is not the same PHP build: check they load there",
                        extensions.join(", "),
                        cx.pair.runtime
                    ),
                );
            }
        } else if !cx.runtime_facts.shell {
            runtime_extensions(cx, &[], &mut out);
        }
        if runtime_is_php_image {
            system_config(cx, &app, &mut out);
            debian_release(cx, &mut out);
        }
        out.artifacts.push(Artifact::same(app, "the app with vendor/ and its built assets"));
        Ok(out)
    }
}

/// `composer install|update|require|create-project`, also as `php composer.phar install`.
fn is_composer_install(i: &Invocation) -> bool {
    const SUBS: &[&str] = &["install", "update", "require", "create-project", "i", "u"];
    let sub = |words: &[String]| words.iter().map(String::as_str).find(|w| !w.starts_with('-')).is_some_and(|s| SUBS.contains(&s));
    if i.tool == "composer" || i.tool.ends_with("composer.phar") {
        return sub(i.args());
    }
    i.tool_starts_with("php") && i.args().first().is_some_and(|a| a.ends_with("composer.phar") || a.ends_with("/composer")) && sub(&i.args()[1..])
}

/// Composer came into the image for the build: `COPY --from=composer`, the installer
/// (`curl … getcomposer.org/installer | php`), or `php composer-setup.php`.
fn composer_binary(cx: &Cx<'_>) -> bool {
    let copied = cx
        .view
        .instructions()
        .any(|(_, ins)| ins.kind == Kind::Copy && ins.flag("from").and_then(|f| f.value.as_deref()).is_some_and(|v| v.starts_with("composer")));
    copied || cx.view.invocations().iter().any(|i| i.words.iter().any(|w| w.contains("getcomposer.org") || w.contains("composer-setup.php")))
}

/// Where `COPY --from=composer…` puts composer: build-only, the runtime does not get it.
fn composer_copies(cx: &Cx<'_>) -> Vec<String> {
    let mut v = Vec::new();
    for (i, ins) in cx.view.instructions() {
        let from = ins.flag("from").and_then(|f| f.value.as_deref()).unwrap_or_default();
        if ins.kind != Kind::Copy || !from.starts_with("composer") {
            continue;
        }
        if let crate::document::Details::Copy { sources, dest } = &ins.details {
            let dest_abs = join(&cx.view.workdir[i], dest);
            let into_dir = dest.ends_with('/') || sources.len() > 1;
            v.extend(sources.iter().map(|s| if into_dir { join(&dest_abs, crate::shell::basename(s)) } else { dest_abs.clone() }));
        }
    }
    v
}

fn is_node_install(i: &Invocation) -> bool {
    i.is_sub("npm", &["ci", "install", "i"])
        || i.is_sub("pnpm", &["install", "i"])
        || (i.is("yarn") && i.sub().is_none_or(|s| s == "install"))
        || i.is_sub("bun", &["install"])
}

/// `npm run build|prod|production|dev`, `yarn build`, `npx vite build`, `npx mix`.
fn is_asset_build(i: &Invocation) -> bool {
    let words: Vec<&str> = i.args().iter().map(String::as_str).filter(|w| !w.starts_with('-')).collect();
    match (i.tool.as_str(), words.as_slice()) {
        ("npm" | "pnpm" | "bun", ["run" | "run-script", _, ..]) => true,
        ("yarn" | "pnpm", [s, ..]) => !matches!(*s, "install" | "add" | "i"),
        ("npx", [tool, ..]) => matches!(*tool, "vite" | "mix" | "webpack" | "encore"),
        _ => false,
    }
}

/// The extensions the stage builds (`docker-php-ext-install`, `pecl install` +
/// `docker-php-ext-enable`, `install-php-extensions`), versions left out.
fn built_extensions(invs: &[Invocation]) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for i in invs {
        let ops: Vec<&String> = if i.is("docker-php-ext-install") || i.is("docker-php-ext-enable") || i.is("install-php-extensions") {
            i.args().iter().filter(|a| !a.starts_with('-')).collect()
        } else if i.is_sub("pecl", &["install"]) {
            i.args().iter().filter(|a| !a.starts_with('-')).skip(1).collect()
        } else {
            continue;
        };
        for o in ops {
            let name = o.split('-').next().unwrap_or(o).split('/').next_back().unwrap_or(o).to_string();
            if !name.is_empty() && !name.contains('$') && !v.contains(&name) {
                v.push(name);
            }
        }
    }
    v
}

/// Xdebug or a development server: a dev image (rule 4).
fn php_dev_image(cx: &Cx<'_>) -> Result<(), Reason> {
    for (cmd, _) in expanded_commands(cx.view, cx.program).iter() {
        let line = cmd.join(" ");
        if let Some(d) = cx.table.ecosystems.dev_servers("php").find(|d| runs(cmd, d) || line.contains(d.as_str())) {
            return Err(skip(Code::DevImage, format!("the image runs PHP's development server (`{line}`, `{d}`): a dev image, not an app to ship")));
        }
    }
    if let Some(i) = cx.view.invocations().iter().find(|i| i.words.iter().any(|w| w.contains("xdebug"))) {
        return Err(skip(
            Code::DevImage,
            format!("line {}: the image installs Xdebug (`{}`): a development setup, not an app to ship", i.line, i.words.join(" ")),
        ));
    }
    Ok(())
}

/// A shell-less runtime cannot build extensions: the ones the app needs (built in the file,
/// or `ext-*` in composer.json's `require`) must be in the image already.
fn runtime_extensions(cx: &Cx<'_>, built: &[String], out: &mut RecipeOut) {
    let mut needed: Vec<String> = built.to_vec();
    let json = super::context_source(cx.view, &join(&final_workdir(cx.view), "composer.json"))
        .or_else(|| cx.context_has("composer.json").then(|| "composer.json".to_string()));
    if let Some(text) = json.and_then(|j| cx.read_context(&j))
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
        && let Some(req) = v.get("require").and_then(|r| r.as_object())
    {
        for k in req.keys().filter_map(|k| k.strip_prefix("ext-")) {
            let k = k.to_ascii_lowercase();
            if !needed.contains(&k) {
                needed.push(k);
            }
        }
    }
    if needed.is_empty() {
        return;
    }
    let runtime = &cx.pair.runtime;
    match &cx.runtime_facts.php_extensions {
        Some(have) => {
            let missing: Vec<&String> = needed.iter().filter(|n| !have.iter().any(|h| h.eq_ignore_ascii_case(n))).collect();
            if missing.is_empty() {
                out.note(Code::Step, format!("{runtime} ships the extensions the app needs ({})", needed.join(", ")));
            } else {
                let names: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
                out.review(
                    Code::Dependencies,
                    format!("{runtime} has no shell to build PHP extensions and does not ship {}: use an image that has them", names.join(", ")),
                );
            }
        }
        None => out.review(Code::Dependencies, format!("the PHP extensions of {runtime} are not known: check it ships {}", needed.join(", "))),
    }
}

/// Configuration RUN steps change on the official image: Apache modules and sites
/// (`a2enmod`, `sed -i` on /etc/apache2), `$PHP_INI_DIR`; those folders are copied from
/// the builder. Other commands that may change the image outside the copied folders
/// Files a RUN writes elsewhere (`sed -i`, `>` into /etc) are copied as they are (the same
/// image on both sides), `locale-gen`'s output too; other commands are named for review.
fn system_config(cx: &Cx<'_>, app: &str, out: &mut RecipeOut) {
    let mut apache = false;
    let mut ini = false;
    let mut unknown: Vec<String> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    let mut locales = false;
    let under = |p: &str, dir: &str| p == dir || p.starts_with(&format!("{dir}/"));
    let ini_dir = cx.env("PHP_INI_DIR").unwrap_or(INI_DIR).to_string();
    let mut targets: Vec<(usize, String)> = Vec::new();
    for i in cx.view.invocations() {
        if i.tool.starts_with("a2") {
            apache = true;
        } else if i.is("locale-gen") {
            locales = true;
        } else if i.is("sed") && i.args().iter().any(|a| a.starts_with("-i") || (a.starts_with('-') && !a.starts_with("--") && a.contains('i'))) {
            let files = i.args().iter().filter(|a| a.starts_with('/') || a.starts_with('$'));
            targets.extend(files.map(|f| (i.line, expand(f, &ini_dir))));
        } else if (i.is("mv") || i.is("cp")) && i.args().iter().any(|a| under(&expand(a, &ini_dir), &ini_dir)) {
            ini = true;
        } else if !ACCOUNTED.contains(&i.tool.as_str()) && !i.tool.contains('=') {
            unknown.push(format!("line {}: `{}`", i.line, i.words.join(" ")));
        }
    }
    for (idx, ins) in cx.view.instructions() {
        if ins.kind != Kind::Run {
            continue;
        }
        let text = cx.view.doc.slice(ins.span.clone());
        targets.extend(redirect_targets(text).into_iter().map(|t| (ins.start_line, expand(&join(&cx.view.workdir[idx], &t), &ini_dir))));
    }
    for (line, t) in targets {
        if under(&t, APACHE_DIR) {
            apache = true;
        } else if under(&t, &ini_dir) {
            ini = true;
        } else if t.starts_with('$') || t.contains('*') {
            unknown.push(format!("line {line}: writes {t}"));
        } else if !(t.starts_with("/dev/") || under(&t, app) || t.starts_with("/tmp") || files.contains(&t)) {
            // The same image on both sides: the file the build wrote is copied as it is.
            files.push(t);
        }
    }
    for f in files {
        out.artifacts.push(Artifact::same(f, "a configuration file a RUN writes"));
    }
    if locales {
        out.artifacts.push(Artifact::same("/usr/lib/locale", "the locales locale-gen compiled"));
    }
    if apache {
        out.artifacts.push(Artifact::same(APACHE_DIR, "Apache configuration the build changed (a2enmod, sites)"));
    }
    if ini && !out.artifacts.iter().any(|a| a.from == INI_DIR) {
        out.artifacts.push(Artifact::same(ini_dir, "the PHP configuration the build changed"));
    }
    if !unknown.is_empty() {
        unknown.dedup();
        out.review(
            Code::FileState,
            format!("RUN steps may change the image outside the copied folders, which the runtime does not get: {}", unknown.join("; ")),
        );
    }
}

/// The `-dev` → runtime library table names Debian 12's packages (`libicu72`, `libzip4`):
/// on another release (`-bullseye`, `-trixie`, or a tag naming none, whose Debian moves
/// with the image) the names may differ, so the rewrite says which to check.
fn debian_release(cx: &Cx<'_>, out: &mut RecipeOut) {
    let runtime = &cx.pair.runtime;
    if runtime.contains("alpine") || runtime.contains("bookworm") {
        return;
    }
    let libs: Vec<String> = cx
        .view
        .invocations()
        .iter()
        .filter(|i| manager_of(i) == Some("apt"))
        .flat_map(package_names)
        .filter_map(|p| cx.table.packages.debian.get(&p).filter(|l| !l.is_empty()).cloned())
        .collect();
    if !libs.is_empty() {
        out.review(
            Code::RuntimePackages,
            format!("the runtime libraries {} are Debian 12 (bookworm) package names; check them on {runtime}'s Debian release", libs.join(", ")),
        );
    }
}

/// `$PHP_INI_DIR/php.ini` → `/usr/local/etc/php/php.ini`.
fn expand(p: &str, ini_dir: &str) -> String {
    p.trim_matches('"').replace("${PHP_INI_DIR}", ini_dir).replace("$PHP_INI_DIR", ini_dir)
}

/// Files a shell script redirects output into (`> /etc/x.conf`, `>> "$PHP_INI_DIR/x.ini"`).
fn redirect_targets(script: &str) -> Vec<String> {
    let bytes: Vec<char> = script.chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < bytes.len() {
        if bytes[k] == '>' && (k == 0 || !matches!(bytes[k - 1], '&' | '2' | '-' | '=')) {
            let mut j = k + 1;
            if j < bytes.len() && bytes[j] == '>' {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == '&' {
                k = j + 1;
                continue;
            }
            while j < bytes.len() && bytes[j] == ' ' {
                j += 1;
            }
            let start = j;
            while j < bytes.len() && !matches!(bytes[j], ' ' | ';' | '&' | '|' | '\n' | '\\' | ')') {
                j += 1;
            }
            let t: String = bytes[start..j].iter().collect();
            let t = t.trim_matches(['"', '\'']).to_string();
            if !t.is_empty() {
                out.push(t);
            }
            k = j;
        } else {
            k += 1;
        }
    }
    out
}

/// The official image (`php`, `docker.io/library/php`).
fn is_official_php(image: &str) -> bool {
    ImageRef::parse(image).is_some_and(|r| {
        let n = r.name();
        n == "php" || n.ends_with("library/php")
    })
}

fn same_image(a: &str, b: &str) -> bool {
    let norm = |s: &str| ImageRef::parse(s).map(|r| format!("{}:{}", r.name(), r.tag.unwrap_or_else(|| "latest".into())));
    norm(a).is_some() && norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::knowledge::Table;
    use crate::plan::stage::StageView;

    /// The PHP recipe on `text` with the context `files`, paired in `family`.
    fn run(family: &str, text: &str, files: &[(&str, &str)]) -> Result<RecipeOut, Reason> {
        let dir = tempfile::tempdir().unwrap();
        for (p, c) in files {
            std::fs::write(dir.path().join(p), c).unwrap();
        }
        let doc = Document::parse(text).unwrap();
        let st = &doc.stages[0];
        let view = StageView::new(&doc, st.from, st.end, Some(dir.path()));
        let table = Table::builtin();
        let pair = table.lookup(family, &ImageRef::parse(st.image.as_deref().unwrap()).unwrap(), None).unwrap();
        let program = view.program().unwrap();
        let (runtime_facts, builder_facts) = (table.facts(&pair.runtime), table.facts(&pair.builder));
        let cx = Cx { view: &view, program: &program, pair: &pair, runtime_facts: &runtime_facts, builder_facts: &builder_facts, table: &table };
        Php.analyze(&cx)
    }

    const APP: &str = "WORKDIR /app\nCOPY . .\nRUN composer install --no-dev\nCMD [\"php\", \"worker.php\"]\n";

    #[test]
    fn extensions_on_the_official_image_are_copied_with_their_ini_files() {
        let text = format!("FROM php:8.3-cli\nRUN apt-get install -y libzip-dev && docker-php-ext-install zip\n{APP}");
        let out = run("upstream", &text, &[]).unwrap();
        let froms: Vec<&str> = out.artifacts.iter().map(|a| a.from.as_str()).collect();
        assert_eq!(froms, [EXTENSION_DIR, INI_DIR, "/app"]);
        assert!(out.notes.iter().any(|n| n.message.contains("--no-dev")), "{:?}", out.notes);
    }

    #[test]
    fn a_shell_less_runtime_names_the_extensions_it_lacks() {
        let text = format!("FROM cgr.dev/chainguard/php:latest-dev\n{APP}");
        let ok = run("chainguard", &text, &[("composer.json", r#"{"require":{"ext-mbstring":"*"}}"#)]).unwrap();
        assert!(ok.review.is_empty(), "{:?}", ok.review);
        let missing = run("chainguard", &text, &[("composer.json", r#"{"require":{"ext-mbstring":"*","ext-pdo_pgsql":"*"}}"#)]).unwrap();
        assert!(missing.review.iter().any(|r| r.message.contains("pdo_pgsql") && !r.message.contains("mbstring")), "{:?}", missing.review);
    }

    #[test]
    fn dev_setups_and_images_without_a_build_are_skipped() {
        let xdebug = run("upstream", &format!("FROM php:8.3-cli\nRUN pecl install xdebug && docker-php-ext-enable xdebug\n{APP}"), &[]).unwrap_err();
        assert_eq!(xdebug.code, Code::DevImage);
        let builtin = run("upstream", "FROM php:8.3-cli\nWORKDIR /app\nCOPY . .\nRUN composer install\nCMD php -S 0.0.0.0:80 -t public\n", &[]).unwrap_err();
        assert_eq!(builtin.code, Code::DevImage);
        let nothing =
            run("upstream", "FROM php:8.3-apache\nCOPY . /var/www/html\nRUN chown -R www-data /var/www/html\nCMD [\"apache2-foreground\"]\n", &[]).unwrap_err();
        assert_eq!(nothing.code, Code::NoBuildOutput);
    }

    #[test]
    fn system_configuration_the_build_changes_is_copied_or_named() {
        let text = "FROM php:8.3-apache\nRUN a2enmod rewrite && echo 'ServerName x' > /etc/apache2/conf-available/n.conf\nRUN echo 'x=1' > /etc/app.conf && locale-gen && update-ca-certificates\nCOPY . .\nRUN composer install\nCMD [\"apache2-foreground\"]\n";
        let out = run("upstream", text, &[]).unwrap();
        let froms: Vec<&str> = out.artifacts.iter().map(|a| a.from.as_str()).collect();
        assert!(froms.contains(&APACHE_DIR) && froms.contains(&"/etc/app.conf") && froms.contains(&"/usr/lib/locale"), "{froms:?}");
        assert!(froms.contains(&"/var/www/html"), "the image's WORKDIR is the app: {froms:?}");
        assert!(out.review.iter().any(|r| r.message.contains("update-ca-certificates")), "{:?}", out.review);
    }

    #[test]
    fn redirects_name_their_files() {
        assert_eq!(redirect_targets("echo a > /etc/x.conf && echo b >> \"$PHP_INI_DIR/conf.d/y.ini\" 2>&1"), ["/etc/x.conf", "$PHP_INI_DIR/conf.d/y.ini"]);
        assert!(redirect_targets("apt-get update > /dev/null 2>&1").iter().all(|t| t.starts_with("/dev/")));
    }

    #[test]
    fn extensions_are_read_from_every_installer() {
        let doc = crate::document::Document::parse(
            "FROM php:8.3\nRUN docker-php-ext-install -j$(nproc) pdo_mysql zip && pecl install redis-6.0.2 && docker-php-ext-enable redis\n",
        )
        .unwrap();
        let view = crate::plan::stage::StageView::new(&doc, 0, doc.instructions.len(), None);
        assert_eq!(built_extensions(view.invocations()), ["pdo_mysql", "zip", "redis"]);
    }
}
