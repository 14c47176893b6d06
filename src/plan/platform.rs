//! The program a platform starts when the Dockerfile has no CMD or ENTRYPOINT: a `Procfile`
//! (`web: gunicorn app:app`, Heroku, Dokku, Cloud Foundry buildpacks), an App Engine
//! `app.yaml` `entrypoint:`, or the compose service's `command:`. The split is still worth
//! it; the runtime keeps no CMD (the platform supplies it), and the rewrite needs review.

use super::compose::ComposeUse;
use std::path::Path;

/// The platform's command and where it was found.
pub fn command(context: Option<&Path>, compose: Option<&ComposeUse>) -> Option<(Vec<String>, String)> {
    if let Some(dir) = context {
        if let Some(text) = super::folders::read_to_string(&dir.join("Procfile")) {
            let lines: Vec<(&str, &str)> = text.lines().filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim(), v.trim())).collect();
            if let Some((name, cmd)) = lines.iter().find(|(k, _)| *k == "web").or(lines.first()) {
                return Some((crate::document::shell_words(cmd, '\\'), format!("Procfile `{name}`")));
            }
        }
        if let Some(text) = super::folders::read_to_string(&dir.join("app.yaml"))
            && let Some(cmd) = text.lines().find_map(|l| l.strip_prefix("entrypoint:"))
        {
            return Some((crate::document::shell_words(cmd.trim().trim_matches('"'), '\\'), "app.yaml `entrypoint`".into()));
        }
    }
    compose.filter(|c| !c.command.is_empty()).map(|c| (c.command.clone(), format!("{} service `{}` command", c.file.display(), c.service)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn procfile_web_then_app_yaml() {
        // Two folders: a run lists a folder once (`folders`), so one folder changed between
        // two calls would still answer as before.
        let (d, both) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        for dir in [d.path(), both.path()] {
            std::fs::write(dir.join("app.yaml"), "runtime: python312\nentrypoint: gunicorn -b :$PORT main:app\n").unwrap();
        }
        assert_eq!(command(Some(d.path()), None).unwrap().0, ["gunicorn", "-b", ":$PORT", "main:app"]);
        std::fs::write(both.path().join("Procfile"), "worker: celery -A x worker\nweb: gunicorn app:app\n").unwrap();
        let (argv, from) = command(Some(both.path()), None).unwrap();
        assert_eq!((argv, from.as_str()), (vec!["gunicorn".to_string(), "app:app".to_string()], "Procfile `web`"));
        assert_eq!(command(None, None), None);
    }
}
