//! Node: dependencies installed in the builder, devDependencies pruned at its end, the app
//! folder (with production `node_modules` and build output) copied; `npm start` translated
//! to the `node FILE` of package.json where the runtime has no npm.

use super::{Artifact, Cx, Recipe, RecipeOut, app_dir};
use crate::plan::stage::basename;

pub struct Node;

impl Recipe for Node {
    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, String> {
        let mut out = RecipeOut::default();
        let invs = cx.view.invocations();
        let pm_of = |w: &[String]| -> Option<&'static str> {
            let b = basename(w.first()?);
            let sub = w.get(1).map(String::as_str).unwrap_or("install");
            match (b, sub) {
                ("npm", "ci" | "install" | "i") => Some("npm"),
                ("yarn", "install") | ("yarn", _) if b == "yarn" && !matches!(sub, "run" | "build" | "start" | "global") => Some("yarn"),
                ("pnpm", "install" | "i") => Some("pnpm"),
                ("bun", "install") => Some("bun"),
                _ => None,
            }
        };
        let installs: Vec<_> = invs.iter().filter(|i| pm_of(&i.words).is_some()).collect();
        let Some(first) = installs.first() else {
            return Err("no dependency install step (npm, yarn, pnpm, bun)".into());
        };
        let pm = pm_of(&first.words).unwrap_or("npm");
        if invs.iter().any(|i| i.words.iter().any(|w| w == "-g" || w == "--global") || i.words.get(1).is_some_and(|s| s == "global")) {
            out.review.push("global packages installed with -g live outside the app folder and are not copied".into());
        }
        let app = app_dir(cx)?;
        let pkg: Option<serde_json::Value> = cx.read_context("package.json").and_then(|s| serde_json::from_str(&s).ok());
        let script = |name: &str| pkg.as_ref()?.get("scripts")?.get(name)?.as_str().map(str::to_string);
        let argv = cx.program.argv.clone();
        let line = argv.join(" ");
        let start_script = match argv.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["npm", "start"] | ["yarn", "start"] | ["pnpm", "start"] | ["npm", "run", "start"] => Some(("start".to_string(), script("start"))),
            ["npm" | "yarn" | "pnpm", "run", s, ..] => Some((s.to_string(), script(s))),
            _ => None,
        };
        let effective = start_script.as_ref().and_then(|(_, s)| s.clone()).unwrap_or(line.clone());
        if let Some(d) = crate::ecosystems::get().node.dev_servers.iter().find(|d| effective.contains(d.as_str())) {
            return Err(format!("the image runs a development server (`{d}`): a dev image, not an app to ship"));
        }
        if let Some((name, None)) = &start_script {
            out.review.push(format!("`{line}` runs scripts.{name}, which is not in the build context's package.json"));
        }
        let dev: Vec<String> = pkg.as_ref().and_then(|p| p.get("devDependencies")?.as_object().map(|o| o.keys().cloned().collect())).unwrap_or_default();
        let omitted =
            installs.iter().all(|i| i.words.iter().any(|w| w.contains("--omit=dev") || w == "--production" || w == "--prod" || w.contains("--only=prod")));
        let uses_dev = dev.iter().any(|d| effective.split_whitespace().any(|w| w == d));
        if pkg.is_none() {
            out.review.push("no package.json in the build context: devDependencies are not pruned".into());
        } else if !dev.is_empty() && !omitted && !uses_dev {
            out.builder_finale.push(match pm {
                "yarn" => "RUN yarn install --production --ignore-scripts --prefer-offline".into(),
                "pnpm" => "RUN pnpm prune --prod".into(),
                "bun" => "RUN bun install --production".into(),
                _ => "RUN npm prune --omit=dev".into(),
            });
            out.notes.push(format!("{} devDependencies pruned at the end of the build", dev.len()));
        } else if uses_dev {
            out.review.push("the start command uses a devDependency: dev dependencies kept".into());
        }
        out.artifacts.push(Artifact::same(app, "the app with its production node_modules and build output"));
        // npm start on a runtime without npm.
        if start_script.is_some() && !cx.runtime_facts.shell {
            match start_script.and_then(|(_, s)| s) {
                Some(s) if s.starts_with("node ") && !s.contains(['&', '|', ';', '$']) => {
                    out.program_argv = Some(s.split_whitespace().map(String::from).collect());
                    out.notes.push(format!("`{line}` runs `{s}`: the runtime has no npm, so CMD runs node directly"));
                }
                _ => out.review.push(format!("`{line}` needs npm, which the runtime does not have")),
            }
        }
        Ok(out)
    }
}
