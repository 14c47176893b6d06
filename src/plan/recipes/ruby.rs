//! Ruby: gems from `bundle install` (BUNDLE_PATH / GEM_HOME, default /usr/local/bundle) and
//! the app folder, on the slim image of the same Ruby version.

use super::{Artifact, Cx, Recipe, RecipeOut, app_dir, dev_image, skip};
use crate::outcome::{Code, Reason};

pub struct Ruby;

impl Recipe for Ruby {
    fn id(&self) -> &'static str {
        "ruby"
    }

    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, Reason> {
        let mut out = RecipeOut::default();
        dev_image(cx.view, cx.program, cx.table, Some(self.id()))?;
        let bundles = cx.view.invocations().iter().any(|i| (i.is("bundle") && i.sub().is_none_or(|s| s == "install")) || i.is_sub("gem", &["install"]));
        if !bundles {
            return Err(skip(Code::NoBuildOutput, "no `bundle install` step"));
        }
        let gems = match cx.env("BUNDLE_PATH").filter(|p| !p.is_empty()) {
            Some(p) => p.to_string(),
            None => cx.required_env("GEM_HOME")?.to_string(),
        };
        out.artifacts.push(Artifact::same(gems, "gems installed by bundler"));
        out.artifacts.push(Artifact::same(app_dir(cx)?, "the application folder"));
        Ok(out)
    }
}
