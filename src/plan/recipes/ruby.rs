//! Ruby: gems from `bundle install` (BUNDLE_PATH / GEM_HOME, default /usr/local/bundle) and
//! the app folder, on the slim image of the same Ruby version.

use super::{Artifact, Cx, Recipe, RecipeOut, app_dir};
use crate::plan::stage::basename;

pub struct Ruby;

impl Recipe for Ruby {
    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, String> {
        let mut out = RecipeOut::default();
        let bundles = cx.view.invocations().iter().any(|i| {
            basename(&i.words[0]) == "bundle" && i.words.get(1).is_none_or(|s| s == "install")
                || (basename(&i.words[0]) == "gem" && i.words.get(1).is_some_and(|s| s == "install"))
        });
        if !bundles {
            return Err("no `bundle install` step".into());
        }
        let gems = cx.view.env("BUNDLE_PATH").or(cx.view.env("GEM_HOME")).unwrap_or("/usr/local/bundle").to_string();
        out.artifacts.push(Artifact::same(gems, "gems installed by bundler"));
        out.artifacts.push(Artifact::same(app_dir(cx)?, "the application folder"));
        Ok(out)
    }
}
