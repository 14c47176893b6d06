//! Node: dependencies installed in the builder, devDependencies pruned at its end, the app
//! folder (with production `node_modules` and build output) copied; `npm start` translated
//! to the `node FILE` of package.json where the runtime has no npm.

use super::{Artifact, Cx, Recipe, RecipeOut, app_dir, dev_image, expanded_commands, package_json, skip};
use crate::outcome::{Code, Reason};
use crate::shell::Invocation;

pub struct Node;

impl Recipe for Node {
    fn id(&self) -> &'static str {
        "node"
    }

    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, Reason> {
        let mut out = RecipeOut::default();
        dev_image(cx.view, cx.program, cx.table, Some(self.id()))?;
        let invs = cx.view.invocations();
        let installs: Vec<_> = invs.iter().filter(|i| package_manager(i).is_some()).collect();
        let Some(first) = installs.first() else {
            return Err(skip(Code::NoBuildOutput, "no dependency install step (npm, yarn, pnpm, bun)"));
        };
        let pm = package_manager(first).unwrap_or("npm");
        if invs.iter().any(|i| i.has_flag(&["-g", "--global"]) || i.sub() == Some("global")) {
            out.review(Code::Dependencies, "global packages installed with -g live outside the app folder and are not copied");
        }
        let app = app_dir(cx)?;
        // The package.json the stage copied into the app folder (`COPY service/package*.json ./`).
        let package = package_json(cx.view, &app);
        let (pkg, manifest) = (package.value.as_ref(), &package.manifest);
        let script = |name: &str| pkg?.get("scripts")?.get(name)?.as_str().map(str::to_string);
        let argv = cx.program.argv.clone();
        let line = argv.join(" ");
        let start_script = match argv.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["npm", "start"] | ["yarn", "start"] | ["pnpm", "start"] | ["npm", "run", "start"] => Some(("start".to_string(), script("start"))),
            ["npm" | "yarn" | "pnpm", "run", s, ..] => Some((s.to_string(), script(s))),
            _ => None,
        };
        if let Some((name, None)) = &start_script {
            out.review(Code::ContextMissing, format!("`{line}` runs scripts.{name}, which is not in the build context's {manifest}"));
        }
        let dev: Vec<String> = pkg.and_then(|p| p.get("devDependencies")?.as_object().map(|o| o.keys().cloned().collect())).unwrap_or_default();
        let omitted =
            installs.iter().all(|i| i.words.iter().any(|w| w.contains("--omit=dev") || w == "--production" || w == "--prod" || w.contains("--only=prod")));
        // CMD → package.json script → binary → owning package: a devDependency the start
        // command runs must survive, so devDependencies are then not pruned.
        let used_dev: Vec<String> = expanded_commands(cx.view, cx.program)
            .iter()
            .flat_map(|(c, _)| programs_of(c, &cx.table.ecosystems.node.bins))
            .filter(|p| dev.contains(p))
            .collect();
        let env_from_arg = cx.view.env("NODE_ENV").is_some_and(|v| v.contains('$'));
        if pkg.is_none() {
            out.review(Code::ContextMissing, "no package.json in the build context: devDependencies are not pruned");
        } else if env_from_arg && !dev.is_empty() && !omitted {
            out.review(Code::Dependencies, "NODE_ENV comes from a build ARG (a development build is possible): devDependencies are not pruned");
        } else if !dev.is_empty() && !omitted && used_dev.is_empty() {
            out.builder_finale.push(match pm {
                "yarn" => "RUN yarn install --production --ignore-scripts --prefer-offline".into(),
                "pnpm" => "RUN pnpm prune --prod".into(),
                "bun" => "RUN bun install --production".into(),
                // npm 6 (Node ≤ 14) does not know `--omit`.
                _ if node_major(&cx.pair.builder).is_some_and(|m| m <= 14) => "RUN npm prune --production".into(),
                _ => "RUN npm prune --omit=dev".into(),
            });
            out.note(Code::Step, format!("{} devDependencies pruned at the end of the build", dev.len()));
            out.drops.push(format!("{} devDependencies", dev.len()));
        } else if let Some(d) = used_dev.first() {
            out.review(Code::Dependencies, format!("the start command runs `{d}`, a devDependency: dev dependencies kept"));
        }
        out.artifacts.push(Artifact::same(app, "the app with its production node_modules and build output"));
        // npm start on a runtime without npm.
        if start_script.is_some() && !cx.runtime_facts.shell {
            match start_script.and_then(|(_, s)| s) {
                Some(s) if s.starts_with("node ") && !s.contains(['&', '|', ';', '$']) => {
                    out.program_argv = Some(s.split_whitespace().map(String::from).collect());
                    out.note(Code::Program, format!("`{line}` runs `{s}`: the runtime has no npm, so CMD runs node directly"));
                }
                _ => out.review(Code::CommandKept, format!("`{line}` needs npm, which the runtime does not have")),
            }
        }
        Ok(out)
    }
}

/// The packages a command runs: its program (`tsc` → `typescript` through `bins`), the
/// package of `npx X` / `yarn X` / `pnpm exec X`, and `node node_modules/X/...`.
fn programs_of(cmd: &[String], bins: &std::collections::BTreeMap<String, String>) -> Vec<String> {
    let pkg_of = |w: &str| {
        let b = crate::shell::basename(w);
        bins.get(b).cloned().unwrap_or_else(|| b.to_string())
    };
    let mut v = Vec::new();
    let Some(first) = cmd.first() else { return v };
    v.push(pkg_of(first));
    let tool = crate::shell::basename(first);
    let rest: Vec<&str> = cmd[1..].iter().map(String::as_str).filter(|w| !w.starts_with('-')).collect();
    match (tool, rest.as_slice()) {
        ("npx" | "bunx", [p, ..]) | ("yarn" | "pnpm", ["exec" | "dlx", p, ..]) | ("yarn" | "pnpm", [p, ..]) => v.push(pkg_of(p)),
        ("node", [p, ..]) => {
            if let Some(m) = p.split("node_modules/").nth(1) {
                let mut parts = m.split('/');
                let name = match parts.next() {
                    Some(scope) if scope.starts_with('@') => format!("{scope}/{}", parts.next().unwrap_or_default()),
                    Some(n) => n.to_string(),
                    None => String::new(),
                };
                v.push(name);
            }
        }
        _ => {}
    }
    v
}

/// The Node major version of a `node:<major>…` image tag.
fn node_major(image: &str) -> Option<u32> {
    let tag = image.rsplit_once(':')?.1;
    tag.split(['.', '-']).next()?.parse().ok()
}

/// The package manager an install step uses (`yarn` alone installs).
fn package_manager(i: &Invocation) -> Option<&'static str> {
    let sub = i.sub().unwrap_or("install");
    match (i.tool.as_str(), sub) {
        ("npm", "ci" | "install" | "i") => Some("npm"),
        ("yarn", s) if !matches!(s, "run" | "build" | "start" | "global") => Some("yarn"),
        ("pnpm", "install" | "i") => Some("pnpm"),
        ("bun", "install") => Some("bun"),
        _ => None,
    }
}
